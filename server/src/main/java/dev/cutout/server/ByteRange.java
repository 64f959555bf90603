package dev.cutout.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a file, parsed from a {@code Range} header (RFC 9110 §14).
 *
 * @param first the first byte's offset
 * @param last the last byte's offset, inclusive
 */
record ByteRange(long first, long last) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** What a {@code Range} header asks for, against a file of a given length. */
  sealed interface Request permits Whole, Partial, Unsatisfiable {}

  /** No usable range: send the whole file (also for several ranges, which we may ignore). */
  record Whole() implements Request {}

  record Partial(ByteRange range) implements Request {}

  /** A well-formed range that lies beyond the file: 416. */
  record Unsatisfiable() implements Request {}

  long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value for this range of a file of {@code total} bytes. */
  String contentRange(long total) {
    return "bytes " + first + "-" + last + "/" + total;
  }

  static Request parse(Optional<String> header, long fileLength) {
    if (header.isEmpty()) {
      return new Whole();
    }
    Matcher m = SINGLE.matcher(header.get().strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      // several ranges, another unit, or garbage: RFC 9110 lets a server ignore Range
      return new Whole();
    }
    try {
      if (m.group(1).isEmpty()) { // bytes=-N: the last N bytes
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || fileLength == 0) {
          return new Unsatisfiable();
        }
        return new Partial(new ByteRange(Math.max(0, fileLength - suffix), fileLength - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return new Whole(); // invalid, not unsatisfiable
      }
      if (first >= fileLength) {
        return new Unsatisfiable();
      }
      return new Partial(new ByteRange(first, Math.min(last, fileLength - 1)));
    } catch (NumberFormatException tooLong) {
      return new Whole();
    }
  }
}
