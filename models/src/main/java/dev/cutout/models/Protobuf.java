package dev.cutout.models;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The little of the protobuf wire format that the model rewrites need: walking the fields of one
 * message, and writing a length-delimited field. No schema; callers name the field numbers.
 */
final class Protobuf {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private Protobuf() {}

  interface FieldVisitor {
    /**
     * One field of a message. {@code start..end} is the value (for length-delimited fields the
     * payload without its length prefix); {@code keyStart} is where the field's key begins, so
     * {@code keyStart..end} is the whole field as it was written.
     */
    void visit(int field, int wireType, int keyStart, int start, int end);
  }

  static void forEachField(byte[] b, int from, int to, FieldVisitor visitor) {
    int[] pos = {from};
    while (pos[0] < to) {
      int keyStart = pos[0];
      long key = readVarint(b, pos);
      int field = (int) (key >>> 3);
      int type = (int) (key & 7);
      int start = pos[0];
      long end =
          switch (type) {
            case VARINT -> {
              readVarint(b, pos);
              yield pos[0];
            }
            case FIXED64 -> start + 8L;
            case FIXED32 -> start + 4L;
            case LENGTH_DELIMITED -> {
              long length = readVarint(b, pos);
              start = pos[0];
              yield start + length;
            }
            default ->
                throw new IllegalArgumentException(
                    "not an ONNX model: wire type " + type + " at " + start);
          };
      if (end > to) {
        throw new IllegalArgumentException("not an ONNX model: field overruns its message");
      }
      visitor.visit(field, type, keyStart, start, (int) end);
      pos[0] = (int) end;
    }
  }

  /** The varint at {@code pos}. */
  static long varint(byte[] b, int pos) {
    return readVarint(b, new int[] {pos});
  }

  /** Reads the varint at {@code pos[0]} and moves {@code pos[0]} past it. */
  static long varint(byte[] b, int[] pos) {
    return readVarint(b, pos);
  }

  /** Reads the varint at {@code pos[0]} and moves {@code pos[0]} past it. */
  private static long readVarint(byte[] b, int[] pos) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 63 || pos[0] >= b.length) {
        throw new IllegalArgumentException("not an ONNX model: bad varint at " + pos[0]);
      }
      byte v = b[pos[0]++];
      value |= (long) (v & 0x7F) << shift;
      if (v >= 0) {
        return value;
      }
    }
  }

  static String string(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.UTF_8);
  }

  /** Writes field {@code field} as a length-delimited value holding {@code payload}. */
  static void writeLengthDelimited(ByteArrayOutputStream out, int field, byte[] payload) {
    writeVarint(out, ((long) field << 3) | LENGTH_DELIMITED);
    writeVarint(out, payload.length);
    out.writeBytes(payload);
  }

  /** Writes field {@code field} as a varint holding {@code value}. */
  static void writeVarintField(ByteArrayOutputStream out, int field, long value) {
    writeVarint(out, (long) field << 3 | VARINT);
    writeVarint(out, value);
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
