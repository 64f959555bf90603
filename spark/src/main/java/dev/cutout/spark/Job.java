package dev.cutout.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The job on the driver: spread the inputs over tasks, run {@link ImageTask} on each partition,
 * write the manifest, tidy up. The images themselves never pass through the driver.
 */
final class Job {
  /** How the manifest is written. */
  enum ManifestFormat {
    PARQUET,
    CSV
  }

  /** What one run did, counted from its manifest. */
  record Summary(String manifest, Map<String, Long> byStatus, Map<String, Long> byErrorCode) {
    long count(String status) {
      return byStatus.getOrDefault(status, 0L);
    }
  }

  private Job() {}

  /**
   * Runs the job over {@code inputs} (rows of path, length) and writes the manifest to {@code
   * manifest}, which must not exist yet.
   *
   * @param imagesPerTask the partitioning: about this many images per task, and at least twice as
   *     many tasks as the cluster has task slots while there are images for them
   */
  static Summary run(
      SparkSession spark,
      Dataset<Row> inputs,
      JobSpec spec,
      String manifest,
      ManifestFormat manifestFormat,
      int imagesPerTask)
      throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    long count = inputs.count();
    int slots = Math.max(1, spark.sparkContext().defaultParallelism());
    long partitions =
        Math.max(1, Math.max(ceilDiv(count, imagesPerTask), Math.min(count, 2L * slots)));
    Dataset<Row> rows =
        inputs
            .repartition((int) Math.min(partitions, Integer.MAX_VALUE))
            .mapPartitions(
                new ImageTask(spec, new HadoopConf(hadoop)), Encoders.row(Manifest.SCHEMA));

    var writer = rows.write().mode(SaveMode.ErrorIfExists);
    switch (manifestFormat) {
      case PARQUET -> writer.parquet(manifest);
      case CSV -> writer.option("header", "true").csv(manifest);
    }

    Path out = new Path(spec.output());
    try (FileSystem fs = FileSystem.newInstance(out.toUri(), hadoop)) {
      new OutputStore(fs, out, spec.commit()).removeTemporary();
    }
    Dataset<Row> written =
        manifestFormat == ManifestFormat.PARQUET
            ? spark.read().parquet(manifest)
            : spark.read().option("header", "true").csv(manifest);
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row r : written.groupBy(col("status")).count().collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> byCode = new TreeMap<>();
    for (Row r :
        written
            .filter(col("error_code").isNotNull())
            .groupBy(col("error_code"))
            .count()
            .collectAsList()) {
      byCode.put(r.getString(0), r.getLong(1));
    }
    return new Summary(manifest, byStatus, byCode);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
