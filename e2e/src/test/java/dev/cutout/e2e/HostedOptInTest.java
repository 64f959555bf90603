package dev.cutout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Request;
import dev.cutout.server.CutoutServer;
import dev.cutout.server.ServerConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page against a server that offers the hosted fallback: nothing is uploaded until the person
 * turns the switch on and consents, and then only the photos added afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostedOptInTest {
  private CutoutServer server;
  private Chromium.Session chromium;

  /** A request that is not a read: the only way an image can leave the page. */
  private record Upload(String url, String method) {}

  @BeforeAll
  void start() {
    server =
        CutoutServer.create(
                ServerConfig.builder()
                    .port(0)
                    .hostedFallback(true)
                    .models(List.of("isnet-uint8"))
                    .build())
            .start();
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    chromium.close();
    server.close();
  }

  @Test
  void onlyPhotosAddedAfterConsentAreUploaded(@TempDir Path downloads) {
    // Playwright cannot show a Blob body (postData is null), so every request that is not a GET
    // or HEAD counts as a possible upload.
    List<Upload> withBody = new CopyOnWriteArrayList<>();
    BrowserContext context = chromium.newContext();
    context.onRequest(
        (Request r) -> {
          byte[] body = r.postDataBuffer();
          boolean read = r.method().equals("GET") || r.method().equals("HEAD");
          if (!read || (body != null && body.length > 0)) {
            withBody.add(new Upload(r.url(), r.method()));
          }
        });
    try {
      CutoutPage page = new CutoutPage(context.newPage());
      page.page().navigate(server.uri().toString());
      page.waitReady();
      Locator toggle = page.part("hostedSwitch");
      toggle.waitFor();
      assertThat(toggle.isChecked()).as("off by default").isFalse();

      page.choose(Servers.PHOTOS.resolve("chelsea.png"));
      assertThat(page.waitFinished(1)).isEqualTo("done");
      assertThat(page.item(1).getAttribute("data-where")).isEqualTo("device");
      assertThat(withBody).as("nothing uploaded while the switch is off").isEmpty();

      toggle.click();
      page.part("hostedConsentDecline").click();
      assertThat(toggle.isChecked()).as("declining leaves it off").isFalse();

      toggle.click();
      page.part("hostedConsentAccept").click();
      assertThat(toggle.isChecked()).isTrue();

      page.choose(Servers.PHOTOS.resolve("coffee.png"));
      assertThat(page.waitFinished(2)).as(page.itemText(2)).isEqualTo("done");
      assertThat(page.item(2).getAttribute("data-where")).isEqualTo("server");
      BufferedImage png = page.download(2, downloads);
      assertThat(png.getWidth()).isEqualTo(600);
      assertThat(Alpha.hasSubjectAndBackground(Alpha.of(png))).isTrue();
      assertThat(Alpha.colourUnderZeroAlpha(png))
          .as("the server's PNG keeps no colour under alpha 0")
          .isZero();

      assertThat(withBody).as("exactly the one photo sent after consent").hasSize(1);
      assertThat(withBody.getFirst().url()).startsWith(Servers.origin(server) + "/api/v1/remove");
    } finally {
      context.close();
    }
  }
}
