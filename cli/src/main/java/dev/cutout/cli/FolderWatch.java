package dev.cutout.cli;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.OutputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code cutout remove --watch IN -o OUT}: processes the images in IN, then each new or replaced
 * one as it arrives, until the thread running it is interrupted (Ctrl+C's shutdown hook does that;
 * so can a test). Outputs are named as in the folder mode: {@code OUT/<same path>/<stem>.<ext>}.
 *
 * <p>Finding files: java.nio's {@link WatchService} (inotify on Linux) says promptly what changed,
 * and the whole tree is listed again every {@link #RESCAN} as a safety net, because the service
 * drops events when its queue overflows, does not see writes made by other machines to a network
 * share, and cannot watch a folder once inotify's watch limit is reached. Polling alone would work
 * too, but noticing a new file within a second would mean listing a large tree every second.
 *
 * <p>When a file is complete: its size and modification time have not changed for {@link #SETTLE},
 * and it is not empty. Files with a temporary name are not images to the folder walk ({@code
 * x.part}, {@code x.tmp}, {@code x.jpg.crdownload}, hidden {@code .x.jpg}), so a writer that names
 * its file only when done is waited for whatever its pauses.
 *
 * <p>What is done once: a file is processed once per version (size, modification time and file
 * identity); new content at the same path is processed again and replaces its output, being the
 * same job. A failed file is not retried until it changes. An output that exists and is not older
 * than its input counts as done (a restarted watch goes on where it stopped); an older one is
 * replaced only with {@code --overwrite}, as in the folder mode.
 *
 * <p>What it skips: OUT when it lies inside IN (it is not even watched), outputs written beside
 * their inputs ({@code *.cutout.png}), and whatever the folder walk skips.
 */
final class FolderWatch {
  /**
   * How long a file must stay unchanged to be taken as complete. Copies, downloads and exports
   * write without stopping, so a second of quiet is far longer than their pauses; a writer that
   * pauses longer should write to a temporary name and rename the file when done.
   */
  static final Duration SETTLE = Duration.ofSeconds(1);

  /**
   * How often the whole tree is listed again. A listing costs one {@code stat} per file, so a few
   * seconds is cheap even for large folders and bounds the delay of what inotify cannot see.
   */
  static final Duration RESCAN = Duration.ofSeconds(5);

  /** How often files waiting to settle are looked at again. */
  private static final Duration TICK = SETTLE.dividedBy(4);

  /**
   * The longest Ctrl+C waits for the image in progress to be abandoned and the engine closed. The
   * network run under way cannot be interrupted: about a second for a photo, several on a busy
   * machine. This only bounds a stop that is stuck.
   */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Path folder;
  private final Path outDir;
  private final OutputFormat format;
  private final boolean overwrite;
  private final PrintWriter err;

  /** OUT relative to IN when OUT lies inside IN; null otherwise. */
  private final Path outputsInside;

  /** The version of each file when it was last handed on (or found done): what is not redone. */
  private final Map<Path, Version> handled = new HashMap<>();

  /** Files seen changing, with the version seen and since when: processed once they settle. */
  private final Map<Path, Seen> pending = new HashMap<>();

  private final Map<Path, WatchKey> watched = new HashMap<>();
  private final Set<Path> unwatchable = new HashSet<>();

  /** Outputs found up to date before the watch began, told in one line rather than one each. */
  private int upToDateAtStart;

  private boolean started;

  /** One file to process, and whether an existing output is replaced. */
  record Job(Inputs.Planned.Ready plan, boolean replace) {}

  /**
   * Processes one round of complete files with the engine, reporting each. Interrupting the thread
   * must abandon the round with a CANCELLED {@link CutoutException}, as {@code Batch.run} does.
   */
  @FunctionalInterface
  interface Round {
    void process(Cutout cutout, List<Job> jobs);
  }

  /** What "the same content" means: a rename over the file changes its identity (inode). */
  private record Version(long size, FileTime modified, Object fileKey) {
    /** Empty when the file is gone or is not a regular file. */
    static Optional<Version> of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.isRegularFile()
            ? Optional.of(new Version(a.size(), a.lastModifiedTime(), a.fileKey()))
            : Optional.empty();
      } catch (IOException e) {
        // Gone (deleted, renamed away) or not ours to read: there is nothing to process now; if it
        // comes back, its event or the next listing brings it here again.
        return Optional.empty();
      }
    }
  }

  private record Seen(Version version, long sinceNanos) {}

  private FolderWatch(
      Path folder,
      Path outDir,
      OutputFormat format,
      boolean overwrite,
      PrintWriter err,
      Path outputsInside) {
    this.folder = folder;
    this.outDir = outDir;
    this.format = format;
    this.overwrite = overwrite;
    this.err = err;
    this.outputsInside = outputsInside;
  }

  /**
   * The watch of the command line's inputs, checked before any work; creates OUT.
   *
   * @param overwrite whether an existing output older than its input is replaced
   * @param err where the watch's own lines go (the per-file lines are the round's)
   * @throws CutoutException BAD_OPTION unless there is exactly one input, a folder, and an output
   *     folder that is neither that folder nor one containing it
   */
  static FolderWatch of(
      List<String> inputs, Path outDir, OutputFormat format, boolean overwrite, PrintWriter err) {
    if (outDir == null) {
      throw badOption("--watch needs -o OUT_DIR: outputs beside their inputs would be new inputs");
    }
    if (inputs.size() != 1) {
      throw badOption("--watch takes exactly one folder, not " + inputs.size() + " inputs");
    }
    Path folder = Path.of(inputs.get(0));
    if (inputs.get(0).equals("-") || !Files.isDirectory(folder)) {
      throw badOption("--watch takes a folder; " + inputs.get(0) + " is not one");
    }
    Path in;
    Path out;
    try {
      Files.createDirectories(outDir);
      in = folder.toRealPath();
      out = outDir.toRealPath();
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot create " + outDir + ": " + e.getMessage(), e);
    }
    if (in.startsWith(out)) {
      throw badOption(
          "--watch: -o "
              + outDir
              + " is the watched folder or contains it; outputs would land among the inputs");
    }
    return new FolderWatch(
        folder, outDir, format, overwrite, err, out.startsWith(in) ? in.relativize(out) : null);
  }

  /**
   * Opens the engine, then watches until this thread is interrupted: by a test, or by the JVM's
   * shutdown on Ctrl+C, whose hook waits until the image in progress is abandoned (its temporary
   * output removed, as {@code Batch} does on an interrupt) and the engine closed.
   *
   * @return {@link ExitCodes#CANCELLED}: the watch has no other end, and 130 is what the JVM itself
   *     exits with on SIGINT whatever a command returns
   */
  int run(Supplier<Cutout> engine, Round round) {
    Thread runner = Thread.currentThread();
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              runner.interrupt();
              try {
                // the JVM halts as soon as its hooks return: without this wait, halfway through
                closed.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "cutout-watch-stop");
    try (Cutout cutout = engine.get();
        WatchService service = folder.getFileSystem().newWatchService()) {
      // only now: Ctrl+C while the engine loads has nothing to clean up, and would fail the load
      if (addHook(hook)) {
        try {
          watch(service, jobs -> round.process(cutout, jobs));
          say("stopped watching " + folder);
        } finally {
          removeHook(hook);
        }
      }
    } catch (IOException e) {
      throw new CutoutException(
          ErrorCode.IO_ERROR, "cannot watch " + folder + ": " + e.getMessage(), e);
    } finally {
      closed.countDown();
    }
    Thread.currentThread().interrupt(); // cleared to close cleanly; the caller may want to know
    return ExitCodes.CANCELLED;
  }

  /** Lists, settles and processes until interrupted; returns with the interrupt cleared. */
  private void watch(WatchService service, Consumer<List<Job>> round) {
    try {
      walk(folder, service);
      say(
          "watching "
              + folder
              + " -> "
              + outDir
              + (upToDateAtStart > 0 ? ", " + upToDateAtStart + " already up to date" : "")
              + " (Ctrl+C stops)");
      started = true;
      long nextRescan = System.nanoTime() + RESCAN.toNanos();
      while (true) {
        List<Job> jobs = settled();
        if (!jobs.isEmpty()) {
          round.accept(jobs);
        }
        long untilRescan = nextRescan - System.nanoTime();
        long wait = pending.isEmpty() ? untilRescan : Math.min(TICK.toNanos(), untilRescan);
        boolean lost = false;
        for (WatchKey key = service.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
            key != null;
            key = service.poll()) {
          lost |= take(key, service);
        }
        if (lost || System.nanoTime() >= nextRescan) {
          if (!Files.isDirectory(folder)) {
            throw new CutoutException(ErrorCode.IO_ERROR, folder + " is no longer a folder");
          }
          walk(folder, service);
          nextRescan = System.nanoTime() + RESCAN.toNanos();
        }
      }
    } catch (InterruptedException e) {
      // asked to stop while waiting for files
    } catch (CutoutException e) {
      if (e.code() != ErrorCode.CANCELLED) {
        throw e;
      }
      Thread.interrupted(); // asked to stop during a round: Batch abandoned it and kept the flag
    }
  }

  /** Notes what one folder's events name; returns whether events were lost. */
  private boolean take(WatchKey key, WatchService service) {
    Path dir = (Path) key.watchable();
    boolean lost = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        lost = true;
        continue;
      }
      Path child = dir.resolve((Path) event.context());
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walk(child, service); // a folder moved in arrives whole, with one event
      } else {
        consider(child);
      }
    }
    if (!key.reset()) {
      watched.remove(dir, key); // the folder is gone
    }
    return lost;
  }

  /** Watches {@code start} and the folders below it, and considers their files. */
  private void walk(Path start, WatchService service) {
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (isOutput(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              register(dir, service);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              consider(file);
              return FileVisitResult.CONTINUE;
            }

            // A live folder changes while it is listed: what vanished or cannot be read is
            // skipped, and the listing goes on.
            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new CutoutException(ErrorCode.IO_ERROR, "cannot list " + start + ": " + e, e);
    }
  }

  private void register(Path dir, WatchService service) {
    WatchKey key = watched.get(dir);
    if (key != null && key.isValid()) {
      return;
    }
    try {
      watched.put(dir, dir.register(service, ENTRY_CREATE, ENTRY_MODIFY));
    } catch (NoSuchFileException e) {
      // removed while being listed
    } catch (IOException e) {
      // typically inotify's limit (fs.inotify.max_user_watches): the listing still finds its files
      if (unwatchable.add(dir)) {
        say(
            "cannot watch "
                + dir
                + " ("
                + e.getMessage()
                + "); it is listed every "
                + RESCAN.toSeconds()
                + " s instead");
      }
    }
  }

  /** Starts or restarts the settling of a file that may have changed. */
  private void consider(Path file) {
    if (!Inputs.looksLikeImage(file) || isOutput(file)) {
      return;
    }
    Optional<Version> now = Version.of(file);
    if (now.isEmpty() || now.get().equals(handled.get(file))) {
      pending.remove(file);
      return;
    }
    Version version = now.get();
    if (!handled.containsKey(file) && outputUpToDate(file, version)) {
      handled.put(file, version);
      if (started) {
        say("skip  " + file + " -> " + outputOf(file) + " (up to date)");
      } else {
        upToDateAtStart++;
      }
      return;
    }
    Seen seen = pending.get(file);
    if (seen == null || !seen.version().equals(version)) {
      pending.put(file, new Seen(version, System.nanoTime()));
    }
  }

  /** Takes out of {@link #pending} the files unchanged for {@link #SETTLE}, in path order. */
  private List<Job> settled() {
    long now = System.nanoTime();
    List<Job> jobs = new ArrayList<>();
    Iterator<Map.Entry<Path, Seen>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Path, Seen> entry = it.next();
      Path file = entry.getKey();
      Optional<Version> current = Version.of(file);
      if (current.isEmpty()) {
        it.remove();
      } else if (!current.get().equals(entry.getValue().version())) {
        entry.setValue(new Seen(current.get(), now));
      } else if (now - entry.getValue().sinceNanos() >= SETTLE.toNanos()) {
        it.remove();
        // An empty file is one whose writer has not begun: its first write, or the next
        // listing, brings it back.
        if (current.get().size() > 0) {
          boolean again = handled.containsKey(file);
          handled.put(file, current.get());
          jobs.add(new Job(new Inputs.Planned.Ready(file, outputOf(file)), again || overwrite));
        }
      }
    }
    jobs.sort(Comparator.comparing(job -> job.plan().input()));
    return jobs;
  }

  private boolean outputUpToDate(Path file, Version version) {
    try {
      return Files.getLastModifiedTime(outputOf(file)).compareTo(version.modified()) >= 0;
    } catch (IOException e) {
      return false; // no output (or none readable): the file is to be processed
    }
  }

  private Path outputOf(Path file) {
    return Inputs.walkedInto(outDir, folder, file, format);
  }

  private boolean isOutput(Path path) {
    return outputsInside != null && folder.relativize(path).startsWith(outputsInside);
  }

  private void say(String line) {
    err.println(line);
    err.flush();
  }

  /** Whether the hook is in place; not when the JVM is already shutting down. */
  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false; // Ctrl+C came while the engine loaded: stop at once
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running, waiting for this thread to finish
    }
  }

  private static CutoutException badOption(String message) {
    return new CutoutException(ErrorCode.BAD_OPTION, message);
  }
}
