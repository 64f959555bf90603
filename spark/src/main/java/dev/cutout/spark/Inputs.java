package dev.cutout.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The inputs of a run as rows of (path, length): from folders listed on the driver, or from a list
 * file for stores where listing millions of objects on the driver is the bottleneck. Never the
 * content: each executor reads its own images, so a file far above the limit is refused by its
 * length and never read.
 *
 * <p>Why not Spark's {@code binaryFile} source for the listing: it drops empty files without a
 * trace (Spark plans no split for a zero-length file), and a folder of photos that holds one should
 * get a manifest row saying so. The listing here is what {@code binaryFile} does on the driver
 * anyway: Hadoop's recursive listing, skipping names that start with {@code _} or {@code .}.
 */
final class Inputs {
  static final StructType SCHEMA =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("length", DataTypes.LongType, true);

  private Inputs() {}

  /**
   * Every file below {@code paths} (folders are walked, globs expanded), optionally only names
   * matching glob.
   */
  static Dataset<Row> listed(SparkSession spark, List<String> paths, String glob)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    GlobFilter names = glob == null ? null : new GlobFilter(glob);
    List<Row> rows = new ArrayList<>();
    for (String p : paths) {
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(path);
      if (matched == null || matched.length == 0) {
        throw new CutoutException(
            ErrorCode.BAD_OPTION, "--input " + p + ": no such file or folder");
      }
      for (FileStatus top : matched) {
        if (top.isFile()) {
          rows.add(RowFactory.create(top.getPath().toString(), top.getLen()));
          continue;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(top.getPath(), true);
        while (files.hasNext()) {
          LocatedFileStatus f = files.next();
          if (!hidden(top.getPath(), f.getPath()) && (names == null || names.accept(f.getPath()))) {
            rows.add(RowFactory.create(f.getPath().toString(), f.getLen()));
          }
        }
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Whether a name below {@code top} starts with _ or . (Hadoop's and Spark's hidden files). */
  private static boolean hidden(Path top, Path file) {
    for (Path p = file; p != null && !p.equals(top); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The paths named in {@code list}: a Parquet file or folder with a string column {@code path}
   * (and optionally a long column {@code length}), or a text file with one path per line (blank
   * lines and lines starting with # are ignored). Paths should be fully qualified (hdfs://…,
   * s3a://…); a bare path means the cluster's default file system.
   */
  static Dataset<Row> named(SparkSession spark, String list, boolean parquet) {
    if (parquet) {
      Dataset<Row> table = spark.read().parquet(list);
      boolean hasLength = List.of(table.columns()).contains("length");
      return table.select(
          col("path").cast(DataTypes.StringType).as("path"),
          hasLength
              ? col("length").cast(DataTypes.LongType).as("length")
              : lit(null).cast(DataTypes.LongType).as("length"));
    }
    return spark
        .read()
        .text(list)
        .select(trim(col("value")).as("path"))
        .filter(col("path").notEqual("").and(col("path").startsWith("#").unary_$bang()))
        .select(col("path"), lit(null).cast(DataTypes.LongType).as("length"));
  }
}
