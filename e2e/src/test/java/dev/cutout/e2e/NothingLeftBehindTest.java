package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.models.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's machine is left as it was: real processes, started the way a user starts them, on real
 * photos with the real model, in a fresh home folder.
 *
 * <ul>
 *   <li>{@code cutout remove} on a folder, ended normally, under {@code strace};
 *   <li>{@code cutout serve} with the API, a few requests, ended with SIGTERM, under {@code
 *       strace};
 *   <li>{@code cutout serve} with the API, a request, ended with SIGKILL;
 *   <li>a library user's own program (plain {@code java}, no flags, no environment variables, a
 *       command line over 4 KB as a Spark executor's), ended normally.
 * </ul>
 *
 * <p>Afterwards the home folder holds only Cutout's documented cache (native libraries; the
 * launcher's temporary folder), the temporary folder and the working folder hold nothing new but
 * the requested outputs, and no process tried to connect anywhere but loopback.
 */
class NothingLeftBehindTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path TMP = Path.of("/tmp");
  private static final String KEY = "left-behind-key";
  private static final Duration START = Duration.ofSeconds(120);

  private static Path work;
  private static Path home;
  private static Path cwd;
  private static Path models;

  @BeforeAll
  static void freshFolders() throws IOException {
    work = Path.of("target", "nothing-left-behind").toAbsolutePath();
    deleteTree(work);
    home = Files.createDirectories(work.resolve("home"));
    cwd = Files.createDirectories(work.resolve("cwd"));
    models = ModelStore.defaultStore().dir();
    Path photos = Files.createDirectories(cwd.resolve("photos"));
    for (String name : List.of("chelsea.png", "rocket.jpg", "coffee.png")) {
      Files.copy(Servers.PHOTOS.resolve(name), photos.resolve(name));
    }
    Files.writeString(work.resolve("keys.txt"), KEY + "\n");
  }

  @Test
  void cliServerAndLibraryLeaveNothingButOutputsAndCutoutsCacheAndConnectNowhere()
      throws Exception {
    assertThat(Path.of("/usr/bin/strace")).as("strace (.ci/run installs it)").isExecutable();
    Set<String> tmpBefore = entries(TMP);
    Set<String> cwdBefore = entries(cwd);

    // 1. The command line on a folder, ended normally.
    Path removeTrace = work.resolve("remove.strace");
    Process remove =
        start(
            traced(
                removeTrace,
                launcher("remove", "photos", "-o", "cutouts", "--model", "isnet-uint8")));
    assertThat(remove.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(remove.exitValue()).as(output(remove)).isZero();

    // 2. The server with the API, a few requests, ended with SIGTERM.
    Path serveTrace = work.resolve("serve.strace");
    int port = freePort();
    Process traced = start(traced(serveTrace, serve(port)));
    awaitReady(port, traced);
    for (String name : List.of("chelsea.png", "rocket.jpg", "coffee.png")) {
      assertThat(removeOverApi(port, cwd.resolve("photos").resolve(name)).statusCode())
          .isEqualTo(200);
    }
    ProcessHandle server = traced.toHandle().children().findFirst().orElseThrow();
    assertThat(server.destroy()).isTrue(); // SIGTERM
    assertThat(traced.waitFor(2, TimeUnit.MINUTES)).isTrue();

    // 3. The server again, ended with SIGKILL in the middle of its work.
    int killPort = freePort();
    Process killed = start(serve(killPort));
    awaitReady(killPort, killed);
    assertThat(removeOverApi(killPort, cwd.resolve("photos").resolve("chelsea.png")).statusCode())
        .isEqualTo(200);
    killed.destroyForcibly(); // SIGKILL: the launcher execs java, so this is the JVM itself
    assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();

    // 4. A library user's program, with a command line past ONNX Runtime 1.29's 4 KB crash.
    List<String> library = new ArrayList<>();
    library.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    library.add("-Dpadding=" + "x".repeat(5000));
    library.add("-cp");
    library.add(libraryClassPath());
    library.add(LibraryUser.class.getName());
    library.add("photos/rocket.jpg");
    library.add("rocket.cutout.png");
    assertThat(String.join(" ", library).length()).isGreaterThan(4096);
    Process user = start(library);
    assertThat(user.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(user.exitValue()).as(output(user)).isZero();

    // The requested outputs are there...
    assertThat(cwd.resolve("cutouts").resolve("chelsea.png")).isRegularFile();
    assertThat(cwd.resolve("cutouts").resolve("rocket.png")).isRegularFile();
    assertThat(cwd.resolve("cutouts").resolve("coffee.png")).isRegularFile();
    assertThat(cwd.resolve("rocket.cutout.png")).isRegularFile();
    // ...and nothing else is new in the working folder, the temporary folder or the home folder.
    Set<String> cwdNew = new TreeSet<>(entries(cwd));
    cwdNew.removeAll(cwdBefore);
    assertThat(cwdNew).containsExactlyInAnyOrder("cutouts", "rocket.cutout.png");
    Set<String> tmpNew = new TreeSet<>(entries(TMP));
    tmpNew.removeAll(tmpBefore);
    assertThat(tmpNew).as("new in /tmp").isEmpty();
    assertThat(unexpectedInHome()).as("new in the home folder").isEmpty();
    assertThat(home.resolve(".cache/Microsoft")).doesNotExist();
    // The native libraries were installed into this home's cache once and loaded from there.
    try (Stream<Path> natives = Files.walk(home.resolve(".cache/cutout/native"))) {
      assertThat(natives.map(p -> p.getFileName().toString()))
          .contains("libonnxruntime.so", "libonnxruntime4j_jni.so");
    }

    // Nobody tried to reach anything but loopback, and the trace did follow into the JVM.
    List<String> removeCalls = Files.readAllLines(removeTrace);
    List<String> serveCalls = Files.readAllLines(serveTrace);
    assertThat(removeCalls).anyMatch(l -> l.contains("execve(\"" + javaBinary()));
    assertThat(serveCalls).anyMatch(l -> l.contains("bind(") && l.contains("htons(" + port + ")"));
    assertThat(offLoopback(removeCalls)).as("connections from cutout remove").isEmpty();
    assertThat(offLoopback(serveCalls)).as("connections from cutout serve").isEmpty();
  }

  /** Lines of an strace log that address a network peer other than loopback. */
  static List<String> offLoopback(List<String> calls) {
    Pattern v4 = Pattern.compile("inet_addr\\(\"([^\"]+)\"\\)");
    Pattern v6 = Pattern.compile("inet_pton\\(AF_INET6, \"([^\"]+)\"");
    List<String> off = new ArrayList<>();
    for (String line : calls) {
      Matcher a = v4.matcher(line);
      while (a.find()) {
        if (!a.group(1).startsWith("127.")) {
          off.add(line);
        }
      }
      Matcher b = v6.matcher(line);
      while (b.find()) {
        String address = b.group(1);
        if (!address.equals("::1") && !address.startsWith("::ffff:127.")) {
          off.add(line);
        }
      }
    }
    return off;
  }

  @Test
  void theTraceReaderSeesAConnectionAway() {
    List<String> calls =
        List.of(
            "12 connect(3, {sa_family=AF_UNIX, sun_path=\"/var/run/nscd/socket\"}, 110) = -1",
            "12 connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0",
            "12 connect(6, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"13.107.5.93\")}, 16) = -1",
            "12 connect(7, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"2603:1030::5\", &sin6_addr), sin6_scope_id=0}, 28) = -1",
            "12 connect(8, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0");
    assertThat(offLoopback(calls)).containsExactly(calls.get(2), calls.get(3));
  }

  private static List<String> launcher(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("cutout").toString());
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> serve(int port) {
    return launcher(
        "serve",
        "--port",
        String.valueOf(port),
        "--api-keys-file",
        work.resolve("keys.txt").toString(),
        "--workers",
        "1",
        "--api-model",
        "isnet-uint8");
  }

  private static List<String> traced(Path log, List<String> command) {
    List<String> traced = new ArrayList<>();
    traced.addAll(
        List.of(
            "/usr/bin/strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect,bind,sendto,sendmsg,execve",
            "-o",
            log.toString()));
    traced.addAll(command);
    return traced;
  }

  private static Process start(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = builder.environment();
    for (String name : List.copyOf(env.keySet())) {
      if (name.startsWith("XDG_") || name.startsWith("CUTOUT_") || name.startsWith("ORT_")) {
        env.remove(name);
      }
    }
    env.put("HOME", home.toString());
    env.put("CUTOUT_MODELS_DIR", models.toString());
    // the build made the jar this test runs; never rebuild it from inside the build
    env.put("CUTOUT_NO_BUILD", "1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    builder.redirectErrorStream(true);
    builder.redirectOutput(work.resolve("process-" + System.nanoTime() + ".log").toFile());
    return builder.start();
  }

  private static String output(Process process) {
    try (Stream<Path> logs = Files.list(work)) {
      return logs.filter(p -> p.getFileName().toString().startsWith("process-"))
          .sorted()
          .map(NothingLeftBehindTest::read)
          .collect(Collectors.joining("\n---\n"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitReady(int port, Process process) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as(output(process)).isTrue();
      try {
        HttpResponse<Void> ready =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server on " + port + " not ready within " + START);
  }

  private static HttpResponse<byte[]> removeOverApi(int port, Path image)
      throws IOException, InterruptedException {
    String type = image.toString().endsWith(".png") ? "image/png" : "image/jpeg";
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/remove"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofFile(image))
                .timeout(Duration.ofMinutes(2))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The library user's class path: every jar Cutout ships, spelled out as a build tool does. */
  private static String libraryClassPath() throws IOException {
    List<String> parts = new ArrayList<>();
    try (Stream<Path> jars = Files.list(ROOT.resolve("cli/target/lib"))) {
      jars.sorted().forEach(jar -> parts.add(jar.toString()));
    }
    parts.add(Path.of("target", "test-classes").toAbsolutePath().toString());
    return String.join(java.io.File.pathSeparator, parts);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * What the home folder holds beyond Cutout's documented cache: the installed native libraries
   * under {@code .cache/cutout/native/} and the launcher's temporary folder {@code
   * .cache/cutout/tmp/}, where a killed JVM may leave ONNX Runtime's empty loader folder.
   */
  private static List<String> unexpectedInHome() throws IOException {
    try (Stream<Path> all = Files.walk(home)) {
      return all.filter(p -> !Files.isDirectory(p) || isEmptyDir(p))
          .map(p -> home.relativize(p).toString())
          .filter(p -> !p.isEmpty())
          .filter(
              p ->
                  !p.matches("\\.cache/cutout/native/onnxruntime-[0-9.]+/[a-z0-9-]+/[^/]+")
                      && !p.matches("\\.cache/cutout/tmp(/onnxruntime-java[0-9]+)?"))
          .toList();
    }
  }

  private static boolean isEmptyDir(Path dir) {
    try (Stream<Path> inside = Files.list(dir)) {
      return inside.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Top-level names, plus the JVM's per-process performance files, which live one level down. */
  private static Set<String> entries(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> top = Files.list(dir)) {
      for (Path p : top.toList()) {
        String name = p.getFileName().toString();
        names.add(name);
        if (name.startsWith("hsperfdata_") && Files.isDirectory(p)) {
          try (Stream<Path> perf = Files.list(p)) {
            perf.forEach(f -> names.add(name + "/" + f.getFileName()));
          } catch (IOException unreadable) {
            // another user's
          }
        }
      }
    }
    return names;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
