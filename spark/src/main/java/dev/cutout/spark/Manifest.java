package dev.cutout.spark;

import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.PhaseTimings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** One row per input of the run: what became of it, where, and where the time went. */
final class Manifest {
  static final String WRITTEN = "written";
  static final String SKIPPED = "skipped";
  static final String FAILED = "failed";

  static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            field("input_path", DataTypes.StringType, false),
            field("output_path", DataTypes.StringType, true),
            // written; skipped (its output was already there and whole); failed (see error_code)
            field("status", DataTypes.StringType, false),
            field("error_code", DataTypes.StringType, true),
            field("error_message", DataTypes.StringType, true),
            field("input_bytes", DataTypes.LongType, true),
            field("width", DataTypes.IntegerType, true),
            field("height", DataTypes.IntegerType, true),
            field("output_bytes", DataTypes.LongType, true),
            field("model", DataTypes.StringType, false),
            field("decode_ms", DataTypes.DoubleType, true),
            field("preprocess_ms", DataTypes.DoubleType, true),
            field("inference_ms", DataTypes.DoubleType, true),
            field("postprocess_ms", DataTypes.DoubleType, true),
            field("encode_ms", DataTypes.DoubleType, true),
            // from the start of reading the input to its output written, overlaps included
            field("wall_ms", DataTypes.DoubleType, true),
            field("executor_id", DataTypes.StringType, true),
            field("host", DataTypes.StringType, true),
            field("task_attempt", DataTypes.StringType, true),
          });

  private Manifest() {}

  private static StructField field(
      String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  /** Where the row was made: executor, host and task attempt. */
  record Place(String executorId, String host, String attempt) {}

  static Row written(
      String input,
      String output,
      long inputBytes,
      CutoutResult result,
      double wallMs,
      String model,
      Place at) {
    PhaseTimings t = result.timings();
    return RowFactory.create(
        input,
        output,
        WRITTEN,
        null,
        null,
        inputBytes,
        result.width(),
        result.height(),
        (long) result.bytes().length,
        model,
        t.decodeMs(),
        t.preprocessMs(),
        t.inferenceMs(),
        t.postprocessMs(),
        t.encodeMs(),
        wallMs,
        at.executorId(),
        at.host(),
        at.attempt());
  }

  static Row skipped(
      String input, String output, Long inputBytes, Long outputBytes, String model, Place at) {
    return RowFactory.create(
        input,
        output,
        SKIPPED,
        null,
        null,
        inputBytes,
        null,
        null,
        outputBytes,
        model,
        null,
        null,
        null,
        null,
        null,
        null,
        at.executorId(),
        at.host(),
        at.attempt());
  }

  static Row failed(
      String input, String output, Long inputBytes, CutoutException error, String model, Place at) {
    return RowFactory.create(
        input,
        output,
        FAILED,
        error.code().name(),
        error.getMessage(),
        inputBytes,
        null,
        null,
        null,
        model,
        null,
        null,
        null,
        null,
        null,
        null,
        at.executorId(),
        at.host(),
        at.attempt());
  }
}
