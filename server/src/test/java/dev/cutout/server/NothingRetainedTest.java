package dev.cutout.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server keeps nothing: a hundred mixed requests (good and bad images, raw and multipart, JSON
 * and binary answers) leave no new file in {@code java.io.tmpdir} or the working directory.
 *
 * <p>The server module's tests run with {@code java.io.tmpdir} set to its {@code target} folder
 * (see its pom), so other processes on the machine cannot disturb the comparison; surefire's own
 * reports there are left out.
 */
class NothingRetainedTest {
  private static final String KEY = "retention-key";

  @Test
  void aHundredMixedRequestsLeaveNoFileBehind() {
    try (ServerHarness http =
        ServerHarness.startReady(
            ServerHarness.withUint8Engine()
                .apiKeys(ApiKeys.of(List.of(KEY)))
                .apiRate(Rate.parse("100000/min"))
                .workers(1)
                .queue(4))) {
      Set<String> tmpBefore = files(Path.of(System.getProperty("java.io.tmpdir")));
      Set<String> cwdBefore = files(Path.of(""));

      List<byte[]> good =
          List.of(
              ApiImages.scaled("chelsea.png", 80, 60, "png"),
              ApiImages.scaled("rocket.jpg", 60, 80, "jpeg"),
              ApiImages.jpegWithOrientation6(64, 48));
      List<byte[]> bad =
          List.of(
              ApiImages.truncatedJpeg(),
              ApiImages.pngClaimingHugeSize(),
              "plain text".getBytes(UTF_8),
              new byte[0]);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        // one good image in eight keeps the run short; every combination still occurs
        byte[] image = i % 8 == 0 ? good.get(i / 8 % good.size()) : bad.get(i % bad.size());
        boolean multipart = i % 2 == 1;
        boolean json = i % 3 == 0;
        statuses.add(send(http, image, multipart, json).statusCode());
      }

      assertThat(statuses).contains(200, 400, 415, 422).hasSize(100);
      assertThat(statuses).allMatch(s -> List.of(200, 400, 415, 422).contains(s));
      assertThat(files(Path.of(System.getProperty("java.io.tmpdir")))).isEqualTo(tmpBefore);
      assertThat(files(Path.of(""))).isEqualTo(cwdBefore);
    }
  }

  private static HttpResponse<byte[]> send(
      ServerHarness http, byte[] image, boolean multipart, boolean json) {
    String accept = json ? "application/json" : "*/*";
    String auth = "Bearer " + KEY;
    if (multipart) {
      ApiImages.FormBody form = ApiImages.multipart(image, "format", "webp");
      return http.post(
          "/api/v1/remove",
          form.bytes(),
          "Authorization",
          auth,
          "Accept",
          accept,
          "Content-Type",
          form.contentType());
    }
    return http.post(
        "/api/v1/remove?mask_only=true",
        image,
        "Authorization",
        auth,
        "Accept",
        accept,
        "Content-Type",
        "image/png");
  }

  /** Every path under {@code root}, except surefire's reports and the build's classes. */
  private static Set<String> files(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      Set<String> names = new TreeSet<>();
      paths
          .map(p -> root.relativize(p).toString())
          .filter(
              p -> !p.startsWith("surefire-reports") && !p.startsWith("target/surefire-reports"))
          .forEach(names::add);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
