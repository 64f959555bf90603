package dev.cutout.onnx;

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
    int pos = from;
    while (pos < to) {
      int keyStart = pos;
      long key = 0;
      int shift = 0;
      while (true) {
        byte v = b[pos++];
        key |= (long) (v & 0x7F) << shift;
        if (v >= 0) {
          break;
        }
        shift += 7;
      }
      int field = (int) (key >>> 3);
      int type = (int) (key & 7);
      switch (type) {
        case VARINT -> {
          int start = pos;
          while (b[pos++] < 0) {
            // skip continuation bytes
          }
          visitor.visit(field, type, keyStart, start, pos);
        }
        case FIXED64 -> {
          visitor.visit(field, type, keyStart, pos, pos + 8);
          pos += 8;
        }
        case FIXED32 -> {
          visitor.visit(field, type, keyStart, pos, pos + 4);
          pos += 4;
        }
        case LENGTH_DELIMITED -> {
          long length = 0;
          shift = 0;
          while (true) {
            byte v = b[pos++];
            length |= (long) (v & 0x7F) << shift;
            if (v >= 0) {
              break;
            }
            shift += 7;
          }
          int start = pos;
          long end = start + length;
          if (end > to) {
            throw new IllegalArgumentException("not an ONNX model: field overruns its message");
          }
          visitor.visit(field, type, keyStart, start, (int) end);
          pos = (int) end;
        }
        default ->
            throw new IllegalArgumentException(
                "not an ONNX model: wire type " + type + " at " + pos);
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

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
