package dev.cutout.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutout.core.CutoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, rates and token buckets, without a server. */
class AccessTest {
  @Test
  void aKeysFileSkipsBlankLinesAndCommentsAndNeverShowsAKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "# ops team\n\n  alpha-key  \nbeta-key\n#gamma-key\n");

    ApiKeys keys = ApiKeys.read(file);

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.match("alpha-key")).hasValue(0);
    assertThat(keys.match("beta-key")).hasValue(1);
    assertThat(keys.match("gamma-key")).isEmpty();
    assertThat(keys.match("#gamma-key")).isEmpty();
    assertThat(keys.match("")).isEmpty();
    assertThat(keys.toString()).doesNotContain("alpha").contains("2");
  }

  @Test
  void aKeysFileWithoutKeysIsRefused() {
    assertThatThrownBy(() -> ApiKeys.of(List.of("# nothing", " ")))
        .isInstanceOf(CutoutException.class)
        .hasMessageContaining("no API key");
  }

  @Test
  void ratesReadLikeTheyAreWritten() {
    assertThat(Rate.parse("60/min")).isEqualTo(new Rate(60, Duration.ofMinutes(1)));
    assertThat(Rate.parse("5/s")).isEqualTo(new Rate(5, Duration.ofSeconds(1)));
    assertThat(Rate.parse("1000 / h")).isEqualTo(new Rate(1000, Duration.ofHours(1)));
    assertThat(Rate.parse("10/30s")).isEqualTo(new Rate(10, Duration.ofSeconds(30)));
    for (String bad : List.of("", "60", "0/min", "-1/s", "5/fortnight", "x/min")) {
      assertThatThrownBy(() -> Rate.parse(bad)).as(bad).isInstanceOf(CutoutException.class);
    }
  }

  @Test
  void aBucketAllowsABurstThenRefillsEvenly() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    TokenBuckets buckets = new TokenBuckets(Rate.parse("3/min"), now::get);

    for (int i = 0; i < 3; i++) {
      assertThat(buckets.take("a").granted()).as("request %d", i).isTrue();
    }
    assertThat(buckets.take("a").nanosUntilNext())
        .as("wait for the next token")
        .isEqualTo(20_000_000_000L);
    assertThat(buckets.take("b").granted()).as("another caller has its own bucket").isTrue();

    now.addAndGet(Duration.ofSeconds(20).toNanos());
    assertThat(buckets.take("a").granted()).isTrue();
    assertThat(buckets.take("a").granted()).isFalse();
  }

  @Test
  void eachTakeTellsWhatIsLeftAndWhenTheBucketIsFullAgain() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    TokenBuckets buckets = new TokenBuckets(Rate.parse("3/min"), now::get);

    TokenBuckets.Take first = buckets.take("a");
    assertThat(first).isEqualTo(new TokenBuckets.Take(true, 2, 20_000_000_000L, 0));
    buckets.take("a");
    TokenBuckets.Take third = buckets.take("a");
    assertThat(third).isEqualTo(new TokenBuckets.Take(true, 0, 60_000_000_000L, 0));
    TokenBuckets.Take refused = buckets.take("a");
    assertThat(refused)
        .isEqualTo(new TokenBuckets.Take(false, 0, 60_000_000_000L, 20_000_000_000L));

    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(buckets.take("a"))
        .as("a token and a half came back; one is taken")
        .isEqualTo(new TokenBuckets.Take(true, 0, 50_000_000_000L, 0));
  }
}
