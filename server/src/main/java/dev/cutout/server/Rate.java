package dev.cutout.server;

import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request rate, {@code permits} per {@code period}: a token bucket that holds {@code permits}
 * tokens and refills them evenly over the period (so a burst of up to {@code permits} is allowed).
 *
 * @param permits requests per period, at least 1
 * @param period the period, at least a millisecond
 */
public record Rate(int permits, Duration period) {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([a-z]+)");

  public Rate {
    if (permits < 1 || period.toMillis() < 1) {
      throw new CutoutException(ErrorCode.BAD_OPTION, "a rate needs at least 1 request per period");
    }
  }

  /**
   * Parses {@code 60/min}, {@code 5/s}, {@code 1000/h}, {@code 10/30s}.
   *
   * @throws CutoutException BAD_OPTION for anything else
   */
  public static Rate parse(String text) {
    Matcher m = TEXT.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw bad(text);
    }
    long count = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
    Duration unit =
        switch (m.group(3)) {
          case "s", "sec", "second" -> Duration.ofSeconds(1);
          case "m", "min", "minute" -> Duration.ofMinutes(1);
          case "h", "hour" -> Duration.ofHours(1);
          case "d", "day" -> Duration.ofDays(1);
          default -> throw bad(text);
        };
    if (count < 1) {
      throw bad(text);
    }
    return new Rate(Integer.parseInt(m.group(1)), unit.multipliedBy(count));
  }

  private static CutoutException bad(String text) {
    return new CutoutException(
        ErrorCode.BAD_OPTION,
        "a rate is N/s, N/min, N/h or N/day (e.g. 60/min), not '" + text + "'");
  }

  /** Nanoseconds for one token to come back. */
  long nanosPerPermit() {
    return Math.max(1, period.toNanos() / permits);
  }

  @Override
  public String toString() {
    return permits + "/" + period;
  }
}
