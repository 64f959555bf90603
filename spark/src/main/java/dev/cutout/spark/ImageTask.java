package dev.cutout.spark;

import dev.cutout.core.Batch;
import dev.cutout.core.Cutout;
import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.DecodeGate;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import dev.cutout.core.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * One partition of inputs on an executor: each input becomes one manifest row. Inputs whose output
 * already exists whole are skipped; inputs over the byte limit fail without being read; the rest go
 * through the library's batch pipeline (decode and encode of neighbouring images overlap the
 * network), exactly as {@code cutout remove} runs a folder.
 */
final class ImageTask implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  private final JobSpec spec;
  private final HadoopConf hadoop;

  ImageTask(JobSpec spec, HadoopConf hadoop) {
    this.spec = spec;
    this.hadoop = hadoop;
  }

  /** One input of the partition, on its way through the batch. */
  private static final class Work {
    final String input;
    final Long listedBytes; // from the listing; null for inputs named in a list file
    final Path output;
    long readBytes = -1;

    Work(String input, Long listedBytes, Path output) {
      this.input = input;
      this.listedBytes = listedBytes;
      this.output = output;
    }

    Long bytes() {
      return readBytes >= 0 ? Long.valueOf(readBytes) : listedBytes;
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws IOException {
    Manifest.Place at = place();
    OutputFormat format = OutputFormat.parse(spec.format());
    Path outDir = new Path(spec.output());
    List<Row> manifest = new ArrayList<>();
    List<Batch.Item<Work>> todo = new ArrayList<>();
    try (FileSystem outFs = FileSystem.newInstance(outDir.toUri(), hadoop.get())) {
      OutputStore store = new OutputStore(outFs, outDir, spec.commit());
      while (rows.hasNext()) {
        Row row = rows.next();
        // one spelling per file (a list may say /a.jpg or file:/a.jpg): names and rows use it
        Path raw = new Path(row.getString(0));
        String input = raw.getFileSystem(hadoop.get()).makeQualified(raw).toString();
        Long listed = row.isNullAt(1) ? null : row.getLong(1);
        Path output = store.path(OutputStore.name(input, spec.outputKey(), format));
        long whole = store.completeLength(output, format);
        if (whole >= 0) {
          manifest.add(Manifest.skipped(input, output.toString(), listed, whole, spec.model(), at));
        } else {
          Work work = new Work(input, listed, output);
          todo.add(
              new Batch.Item<>(
                  work,
                  gate -> read(work, gate),
                  result -> store.write(work.output, result.bytes(), at.attempt())));
        }
      }
      if (!todo.isEmpty()) {
        run(todo, manifest, at);
      }
    }
    return manifest.iterator();
  }

  private void run(List<Batch.Item<Work>> todo, List<Row> manifest, Manifest.Place at) {
    Cutout cutout = ExecutorEngines.engine(spec);
    Options options = ExecutorEngines.options(spec, hadoop.get());
    Batch.run(
        cutout,
        todo,
        options,
        new Batch.Listener<>() {
          @Override
          public void done(Batch.Item<Work> item, CutoutResult result, double wallMs) {
            Work w = item.name();
            manifest.add(
                Manifest.written(
                    w.input, w.output.toString(), w.readBytes, result, wallMs, spec.model(), at));
          }

          @Override
          public void failed(Batch.Item<Work> item, CutoutException error) {
            Work w = item.name();
            manifest.add(Manifest.failed(w.input, null, w.bytes(), error, spec.model(), at));
          }
        });
  }

  /**
   * Reads one input through the engine's decode gate. The gate checks the length before the content
   * is opened — the listed one, or else one status call — so that an input far above the limit (a 3
   * GB video among the photos) is never read, and it stops reading at the limit should the file
   * grow meanwhile.
   */
  private byte[] read(Work work, DecodeGate gate) throws IOException {
    Path path = new Path(work.input);
    FileSystem fs = path.getFileSystem(hadoop.get());
    if (work.listedBytes == null) {
      FileStatus status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        throw new CutoutException(ErrorCode.UNSUPPORTED_FORMAT, work.input + " is a folder");
      }
      work.readBytes = status.getLen();
    }
    gate.checkSize(work.bytes());
    try (InputStream in = fs.open(path)) {
      byte[] bytes = gate.read(in);
      work.readBytes = bytes.length;
      return bytes;
    }
  }

  private static Manifest.Place place() {
    TaskContext task = TaskContext.get();
    String attempt =
        task == null
            ? "driver"
            : "stage-"
                + task.stageId()
                + "-task-"
                + task.partitionId()
                + "-attempt-"
                + task.attemptNumber()
                + "-"
                + task.taskAttemptId();
    String executor = SparkEnv.get() == null ? null : SparkEnv.get().executorId();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = null;
    }
    return new Manifest.Place(executor, host, attempt);
  }
}
