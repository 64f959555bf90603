package dev.cutout.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.models.CacheDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Installs ONNX Runtime's native libraries once into Cutout's cache, verified by SHA-256, and
 * points ONNX Runtime at them, so that no process extracts 28 MB into a new temporary folder (which
 * a killed process leaves behind).
 *
 * <p>It also keeps telemetry out: only the libraries pinned in {@code onnxruntime-natives.tsv}
 * (ONNX Runtime 1.28.0, which has no telemetry client) are loaded. If a program that uses Cutout
 * brings another ONNX Runtime onto the class path, {@link #prepare()} refuses with {@code
 * NATIVE_RUNTIME} and says how to fix it, unless {@code ORT_DISABLE_TELEMETRY=1} is in the
 * environment, which turns the newer versions' telemetry off.
 *
 * <p>The folder, first match wins: the environment variable {@code CUTOUT_NATIVE_DIR}; the system
 * property {@code cutout.native.dir}; {@code $XDG_CACHE_HOME/cutout/native}; {@code
 * ~/.cache/cutout/native}. Below it: {@code onnxruntime-<version>/<platform>/}.
 */
final class NativeRuntime {
  static final String ENV = "CUTOUT_NATIVE_DIR";
  private static final String PINS = "onnxruntime-natives.tsv";
  private static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

  /**
   * An empty temporary folder of ONNX Runtime older than this is litter: ONNX Runtime fills it, if
   * at all, within milliseconds of creating it.
   */
  private static final Duration STALE = Duration.ofMinutes(1);

  private static Optional<Path> installed = Optional.empty();
  private static boolean prepared;

  private NativeRuntime() {}

  /** One pinned file: where it sits in ONNX Runtime's jar and what it must hash to. */
  record Pin(String version, String platform, String file, long bytes, String sha256) {
    String resource() {
      return "/ai/onnxruntime/native/" + platform + "/" + file;
    }
  }

  /**
   * Makes ONNX Runtime load verified libraries from Cutout's cache. Idempotent; call it before the
   * first use of any ONNX Runtime class.
   *
   * @throws CutoutException NATIVE_RUNTIME when the libraries cannot be installed or are not the
   *     pinned ones
   */
  static synchronized void prepare() {
    if (prepared) {
      return;
    }
    sweepEmptyTempFolders(Path.of(System.getProperty("java.io.tmpdir")));
    if (System.getProperty(ORT_NATIVE_PATH) != null) {
      // Someone chose the libraries' folder for this JVM already: theirs to answer for.
      prepared = true;
      return;
    }
    String platform = platform();
    List<Pin> pins = pinsFor(platform, loadPins());
    String version = versionOnClassPath(pins);
    if (pins.isEmpty() || !pins.getFirst().version().equals(version)) {
      if (telemetryDisabledByEnvironment()) {
        // ONNX Runtime loads its own libraries as it always does (through a temporary folder).
        prepared = true;
        return;
      }
      throw new CutoutException(
          ErrorCode.NATIVE_RUNTIME,
          "ONNX Runtime "
              + (version == null ? "(unknown version)" : version)
              + " is on the class path, but Cutout runs only the ONNX Runtime it pins ("
              + pinnedVersion()
              + (pins.isEmpty() ? ", which Cutout has no checked libraries of for " + platform : "")
              + "): ONNX Runtime 1.29 and later collect telemetry on Linux. Depend on"
              + " com.microsoft.onnxruntime:onnxruntime:"
              + pinnedVersion()
              + ", or start the JVM with ORT_DISABLE_TELEMETRY=1 in its environment.");
    }
    Path dir = baseDir().resolve("onnxruntime-" + version).resolve(platform);
    install(dir, pins);
    System.setProperty(ORT_NATIVE_PATH, dir.toString());
    installed = Optional.of(dir);
    prepared = true;
  }

  /**
   * The version of the ONNX Runtime jar on the class path: its manifest says so, and where a
   * repackaged (shaded) jar lost the manifest, the SHA-256 of its main library tells.
   */
  static String versionOnClassPath(List<Pin> pins) {
    String declared = OrtEnvironment.class.getPackage().getImplementationVersion();
    if (declared != null || pins.isEmpty()) {
      return declared;
    }
    Pin main = pins.getFirst();
    try (InputStream in = OrtEnvironment.class.getResourceAsStream(main.resource())) {
      return in != null && main.sha256().equals(copyHashing(in, null)) ? main.version() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The folder the libraries were loaded from, if {@link #prepare()} installed them. */
  static synchronized Optional<Path> installedDir() {
    return installed;
  }

  /**
   * Puts each pinned file into {@code dir} unless a verified copy is there. Each file is written to
   * a temporary name in the same folder, checked, and renamed into place atomically, so processes
   * starting together never see a partial file and never corrupt each other's.
   */
  static void install(Path dir, List<Pin> pins) {
    try {
      Files.createDirectories(dir);
      for (Pin pin : pins) {
        Path target = dir.resolve(pin.file());
        if (Files.isRegularFile(target) && pin.sha256().equals(sha256(target))) {
          continue;
        }
        Path part = Files.createTempFile(dir, "." + pin.file() + ".", ".part");
        try {
          String digest;
          try (InputStream in = OrtEnvironment.class.getResourceAsStream(pin.resource())) {
            if (in == null) {
              throw new CutoutException(
                  ErrorCode.NATIVE_RUNTIME,
                  "ONNX Runtime's jar has no " + pin.resource() + " (a repackaged jar?)");
            }
            digest = copyHashing(in, part);
          }
          if (!pin.sha256().equals(digest)) {
            throw new CutoutException(
                ErrorCode.NATIVE_RUNTIME,
                pin.resource()
                    + " on the class path does not match ONNX Runtime "
                    + pin.version()
                    + "'s published file (SHA-256 "
                    + digest
                    + ", expected "
                    + pin.sha256()
                    + ")");
          }
          moveIntoPlace(part, target);
        } finally {
          Files.deleteIfExists(part);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new CutoutException(
          ErrorCode.NATIVE_RUNTIME,
          "cannot install ONNX Runtime's native libraries into " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private static void moveIntoPlace(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Removes empty {@code onnxruntime-java*} folders older than {@link #STALE} from {@code tmp}.
   * ONNX Runtime's Java loader creates one per process even when it loads the libraries from
   * elsewhere; it deletes it at exit, but a killed process cannot.
   */
  static void sweepEmptyTempFolders(Path tmp) {
    Instant before = Instant.now().minus(STALE);
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, "onnxruntime-java*")) {
      for (Path folder : folders) {
        try {
          if (Files.isDirectory(folder)
              && Files.getLastModifiedTime(folder).toInstant().isBefore(before)
              && isEmpty(folder)) {
            Files.delete(folder); // fails harmlessly if it was filled or removed meanwhile
          }
        } catch (IOException ignored) {
          // Not ours to insist on: another user's folder, or gone already.
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // An unreadable temporary folder only means there is nothing Cutout can tidy.
    }
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      return !entries.iterator().hasNext();
    }
  }

  static Path baseDir() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String property = System.getProperty("cutout.native.dir");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    return CacheDir.cutout().resolve("native");
  }

  /** ONNX Runtime's own name for this machine's folder in its jar, e.g. {@code linux-x64}. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osPart =
        os.contains("mac") || os.contains("darwin")
            ? "osx"
            : os.contains("win") ? "win" : os.contains("nux") ? "linux" : os;
    String archPart =
        arch.equals("amd64") || arch.equals("x86_64")
            ? "x64"
            : arch.equals("arm64") ? "aarch64" : arch;
    return osPart + "-" + archPart;
  }

  static List<Pin> loadPins() {
    try (InputStream in = NativeRuntime.class.getResourceAsStream(PINS)) {
      if (in == null) {
        throw new IllegalStateException(PINS + " is missing from Cutout's jar");
      }
      List<Pin> pins = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        pins.add(new Pin(f[0], f[1], f[2], Long.parseLong(f[3]), f[4]));
      }
      return List.copyOf(pins);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Pin> pinsFor(String platform, List<Pin> pins) {
    return pins.stream().filter(p -> p.platform().equals(platform)).toList();
  }

  private static String pinnedVersion() {
    return loadPins().getFirst().version();
  }

  private static boolean telemetryDisabledByEnvironment() {
    return "1".equals(System.getenv("ORT_DISABLE_TELEMETRY"));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return copyHashing(in, null);
    }
  }

  /** Streams {@code in} to {@code target} (or nowhere) and returns the SHA-256 of what passed. */
  private static String copyHashing(InputStream in, Path target) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (DigestInputStream hashing = new DigestInputStream(in, digest)) {
      if (target == null) {
        hashing.transferTo(OutputStream.nullOutputStream());
      } else {
        try (OutputStream out = Files.newOutputStream(target)) {
          hashing.transferTo(out);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
