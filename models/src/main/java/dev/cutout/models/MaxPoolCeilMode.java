package dev.cutout.models;

import static dev.cutout.models.OnnxFields.*;
import static dev.cutout.models.Protobuf.LENGTH_DELIMITED;
import static dev.cutout.models.Protobuf.VARINT;
import static dev.cutout.models.Protobuf.forEachField;

/**
 * Sets {@code ceil_mode} to 0 on every MaxPool node of an ONNX model, in place.
 *
 * <p>ONNX Runtime Web's WebGPU MaxPool does not implement ceil_mode 1. At ISNet's fixed 1024 input
 * every pooled size is even, so floor and ceiling agree and the output is unchanged. The edit
 * replaces one varint byte 1 by 0, so no length prefix changes and every other byte of the file
 * stays as it was.
 *
 * <p>Only the few protobuf fields on the path are read (graph, node, op_type, attribute).
 */
final class MaxPoolCeilMode {

  private MaxPoolCeilMode() {}

  /** What the rewrite found: MaxPool nodes seen and ceil_mode values changed from 1 to 0. */
  record Report(int maxPools, int rewritten) {}

  static Report clear(byte[] model) {
    int[] counts = new int[2];
    forEachField(
        model,
        0,
        model.length,
        (field, type, key, start, end) -> {
          if (field == MODEL_GRAPH && type == LENGTH_DELIMITED) {
            forEachField(
                model,
                start,
                end,
                (f, t, k, s, e) -> {
                  if (f == GRAPH_NODE && t == LENGTH_DELIMITED) {
                    rewriteNode(model, s, e, counts);
                  }
                });
          }
        });
    return new Report(counts[0], counts[1]);
  }

  private static void rewriteNode(byte[] model, int start, int end, int[] counts) {
    String[] opType = {""};
    forEachField(
        model,
        start,
        end,
        (f, t, k, s, e) -> {
          if (f == NODE_OP_TYPE && t == LENGTH_DELIMITED) {
            opType[0] = Protobuf.string(model, s, e);
          }
        });
    if (!opType[0].equals("MaxPool")) {
      return;
    }
    counts[0]++;
    forEachField(
        model,
        start,
        end,
        (f, t, k, s, e) -> {
          if (f == NODE_ATTRIBUTE && t == LENGTH_DELIMITED) {
            rewriteAttribute(model, s, e, counts);
          }
        });
  }

  private static void rewriteAttribute(byte[] model, int start, int end, int[] counts) {
    String[] name = {""};
    int[] valueAt = {-1};
    forEachField(
        model,
        start,
        end,
        (f, t, k, s, e) -> {
          if (f == ATTRIBUTE_NAME && t == LENGTH_DELIMITED) {
            name[0] = Protobuf.string(model, s, e);
          } else if (f == ATTRIBUTE_I && t == VARINT) {
            valueAt[0] = s;
          }
        });
    if (name[0].equals("ceil_mode") && valueAt[0] >= 0 && model[valueAt[0]] == 1) {
      model[valueAt[0]] = 0;
      counts[1]++;
    }
  }
}
