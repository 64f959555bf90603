package dev.cutout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.Cutout;
import dev.cutout.core.Options;
import dev.cutout.onnx.OnnxCutout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Spark standalone cluster on this machine: a master and two workers, each its
 * own JVM (spark/standalone.sh), the shaded jar submitted with spark-submit, the model shipped to
 * the executors with {@code --files} while their default model store is empty. What local mode
 * cannot show is shown here: the job's classes serialize, the shaded jar carries everything the
 * executors need, the model reaches them, and a lost worker costs time but no image.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  private static final Path SPARK_DIR = Path.of("").toAbsolutePath();
  private static final Path COMPOSITES =
      SPARK_DIR.resolve("../testdata/composites/images").normalize();
  private static final String MODEL = "isnet-uint8";
  private static final Duration JOB_LIMIT = Duration.ofMinutes(6);

  @TempDir static Path dir;
  private static String master;
  private static Map<String, byte[]> expected;

  @BeforeAll
  static void startCluster() throws Exception {
    master = run(List.of(script("standalone.sh"), "start", "2"), Duration.ofMinutes(3)).strip();
    assertThat(master).startsWith("spark://127.0.0.1:");
    // what the library writes for each composite, with the threads a task gets (spark.task.cpus)
    expected = new HashMap<>();
    try (Cutout library = OnnxCutout.builder().model(MODEL).threads(1).build()) {
      for (int i = 0; i < 12; i++) {
        String name = String.format("c%03d", i);
        expected.put(
            name, library.remove(COMPOSITES.resolve(name + ".jpg"), Options.defaults()).bytes());
      }
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    run(List.of(script("standalone.sh"), "stop"), Duration.ofMinutes(1));
  }

  private static String script(String name) {
    return SPARK_DIR.resolve(name).toString();
  }

  /** Runs a command to its end; its output, or a failure with the output. */
  private static String run(List<String> command, Duration limit) throws Exception {
    Process p = start(command, dir.resolve("cmd-" + System.nanoTime() + ".log"));
    return finish(p, limit, 0);
  }

  private static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    LOGS.put(p, log);
    return p;
  }

  private static String finish(Process p, Duration limit, int exit) throws Exception {
    boolean ended = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
    String out = Files.readString(logOf(p), StandardCharsets.UTF_8);
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertThat(ended).as("ended within %s:%n%s", limit, out).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(exit);
    return out;
  }

  private static final Map<Process, Path> LOGS = new HashMap<>();

  private static Path logOf(Process p) {
    return LOGS.get(p);
  }

  /** spark-submit of the shaded jar to the cluster, as the README shows it. */
  private static Process submit(Path in, Path out) throws IOException {
    Path emptyStore = Files.createDirectories(dir.resolve("no-models-here"));
    Path modelFile = dev.cutout.models.ModelStore.defaultStore().dir().resolve(MODEL + ".onnx");
    // a killed executor cannot delete what it unpacked (Spark's lz4 codec): keep it out of /tmp
    String tmp = "-Djava.io.tmpdir=" + SPARK_DIR.resolve("target/standalone/tmp");
    List<String> command =
        new ArrayList<>(
            List.of(
                SPARK_DIR.resolve("target/spark-home/bin/spark-submit").toString(),
                "--master",
                master,
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.executor.extraJavaOptions=" + tmp + " -XX:+PerfDisableSharedMem",
                "--driver-java-options",
                tmp,
                // the executors' own store is empty: only the shipped file can serve them
                "--conf",
                "spark.executorEnv.CUTOUT_MODELS_DIR=" + emptyStore,
                "--files",
                modelFile.toString(),
                "--class",
                "dev.cutout.spark.CutoutSparkJob",
                System.getProperty("cutout.spark.jar"),
                "--input",
                in.toString(),
                "-o",
                out.toString(),
                "--model",
                MODEL,
                "--manifest",
                out.resolveSibling(out.getFileName() + "-manifest").toString()));
    Path log = dir.resolve(out.getFileName() + "-submit.log");
    return start(command, log);
  }

  private static Path inputs(String name, int count) throws IOException {
    Path in = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < count; i++) {
      String file = String.format("c%03d.jpg", i);
      Files.copy(COMPOSITES.resolve(file), in.resolve(file));
    }
    return in;
  }

  private static List<Path> pngs(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static void assertOutputsAreTheLibrarys(Path out, int count) throws IOException {
    List<Path> written = pngs(out);
    assertThat(written).hasSize(count);
    for (Path f : written) {
      String name = f.getFileName().toString().substring(0, 4);
      assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(expected.get(name));
    }
    assertThat(out.resolve(OutputStore.TEMPORARY)).doesNotExist();
  }

  private static List<Row> manifest(Path out) {
    Path m = out.resolveSibling(out.getFileName() + "-manifest");
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      return spark.read().parquet(m.toString()).collectAsList();
    } finally {
      spark.stop();
    }
  }

  @Test
  @Order(1)
  void theClusterWritesWhatTheLibraryWritesOnBothExecutors() throws Exception {
    Path in = inputs("in-8", 8);
    Path out = dir.resolve("out-8");

    String log = finish(submit(in, out), JOB_LIMIT, 0);

    assertThat(log).contains("8 written, 0 skipped, 0 failed");
    assertOutputsAreTheLibrarys(out, 8);
    List<Row> rows = manifest(out);
    assertThat(rows).hasSize(8).allMatch(r -> "written".equals(r.getAs("status")));
    assertThat(rows.stream().map(r -> r.<String>getAs("executor_id")).distinct())
        .as("both executors worked")
        .containsExactlyInAnyOrder("0", "1");
  }

  @Test
  @Order(2)
  void aWorkerKilledDuringTheJobCostsNoImageAndLeavesNoPartialOutput() throws Exception {
    Path in = inputs("in-12", 12);
    Path out = dir.resolve("out-12");

    Process job = submit(in, out);
    long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
    while (!Files.isDirectory(out) || pngs(out).isEmpty()) {
      assertThat(job.isAlive()).as("the job ended before the first output").isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(100);
    }
    // the executors are working through their partitions: one of them goes, with its worker
    run(List.of(script("standalone.sh"), "kill-worker", "2"), Duration.ofSeconds(30));
    String log = finish(job, JOB_LIMIT, 0);

    assertThat(log).contains("0 failed");
    assertOutputsAreTheLibrarys(out, 12);
    List<Row> rows = manifest(out);
    assertThat(rows).hasSize(12);
    assertThat(rows)
        .as("a retried task reports what its lost attempt wrote as skipped")
        .allMatch(r -> List.of("written", "skipped").contains(r.<String>getAs("status")));
  }
}
