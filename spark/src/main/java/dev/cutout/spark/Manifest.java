package dev.cutout.spark;

import dev.cutout.core.CutoutException;
import dev.cutout.core.CutoutResult;
import dev.cutout.core.PhaseTimings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    Object[] timings = {
      t.decodeMs(), t.preprocessMs(), t.inferenceMs(), t.postprocessMs(), t.encodeMs(), wallMs
    };
    Object[] size = {result.width(), result.height(), (long) result.bytes().length};
    return row(input, output, WRITTEN, null, inputBytes, size, model, timings, at);
  }

  static Row skipped(
      String input, String output, Long inputBytes, Long outputBytes, String model, Place at) {
    Object[] size = {null, null, outputBytes};
    return row(input, output, SKIPPED, null, inputBytes, size, model, new Object[6], at);
  }

  static Row failed(
      String input, String output, Long inputBytes, CutoutException error, String model, Place at) {
    return row(input, output, FAILED, error, inputBytes, new Object[3], model, new Object[6], at);
  }

  /**
   * One row in the schema's order.
   *
   * @param size width, height, output bytes (nulls where unknown)
   * @param timings decode, preprocess, inference, postprocess, encode, wall (nulls where none)
   */
  private static Row row(
      String input,
      String output,
      String status,
      CutoutException error,
      Long inputBytes,
      Object[] size,
      String model,
      Object[] timings,
      Place at) {
    List<Object> values = new ArrayList<>(SCHEMA.size());
    values.addAll(
        Arrays.asList(
            input,
            output,
            status,
            error == null ? null : error.code().name(),
            error == null ? null : error.getMessage(),
            inputBytes));
    values.addAll(Arrays.asList(size));
    values.add(model);
    values.addAll(Arrays.asList(timings));
    values.addAll(Arrays.asList(at.executorId(), at.host(), at.attempt()));
    return RowFactory.create(values.toArray());
  }
}
