package dev.cutout.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
  private static ByteRange.Request parse(String header, long length) {
    return ByteRange.parse(Optional.ofNullable(header), length);
  }

  @Test
  void readsFirstLastOpenEndedAndSuffixRanges() {
    assertThat(parse("bytes=0-9", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 9)));
    assertThat(parse("bytes=90-", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
    assertThat(parse("bytes=-10", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
    assertThat(parse("bytes=-500", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
  }

  @Test
  void clampsALastPositionBeyondTheEnd() {
    assertThat(parse("bytes=50-1000", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(50, 99)));
  }

  @Test
  void callsRangesStartingAtOrBeyondTheEndUnsatisfiable() {
    assertThat(parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(parse("bytes=100-200", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(parse("bytes=0-0", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  @Test
  void ignoresWhatItDoesNotServe() {
    assertThat(parse(null, 100)).isInstanceOf(ByteRange.Whole.class);
    assertThat(parse("bytes=0-1,5-6", 100)).isInstanceOf(ByteRange.Whole.class);
    assertThat(parse("items=0-1", 100)).isInstanceOf(ByteRange.Whole.class);
    assertThat(parse("bytes=9-3", 100)).isInstanceOf(ByteRange.Whole.class);
    assertThat(parse("bytes=-", 100)).isInstanceOf(ByteRange.Whole.class);
    assertThat(parse("bytes=99999999999999999999-", 100)).isInstanceOf(ByteRange.Whole.class);
  }

  @Test
  void describesItselfAsAContentRange() {
    assertThat(new ByteRange(10, 19).contentRange(100)).isEqualTo("bytes 10-19/100");
    assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
  }
}
