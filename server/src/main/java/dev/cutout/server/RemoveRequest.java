package dev.cutout.server;

import dev.cutout.core.Background;
import dev.cutout.core.CropMargin;
import dev.cutout.core.CutoutException;
import dev.cutout.core.ErrorCode;
import dev.cutout.core.Options;
import dev.cutout.core.OutputFormat;
import dev.cutout.core.SubjectBox;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of one {@code POST /api/v1/remove}, named like the command line's: {@code model},
 * {@code format}, {@code mask_only}, {@code background} (a colour), {@code crop}, {@code margin},
 * {@code allow_empty}, {@code roi} (the subject box, remove.bg's syntax {@code x1 y1 x2 y2} in
 * pixels, {@code px} or {@code %}; see {@link SubjectBox}).
 *
 * @param model the catalog id of the model to run
 * @param options how to render the result
 */
record RemoveRequest(String model, Options options) {
  static final Set<String> PARAMETERS =
      Set.of("model", "format", "mask_only", "background", "crop", "margin", "allow_empty", "roi");

  /**
   * @param params the query and form parameters, one value each
   * @param served the models this server processes with, the first being the default
   * @throws CutoutException BAD_OPTION for an unknown parameter or a value that cannot be used
   */
  static RemoveRequest parse(Map<String, String> params, List<String> served) {
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw bad("unknown parameter '" + name + "'; known: " + String.join(", ", sorted()));
      }
    }
    String model = params.getOrDefault("model", served.getFirst()).strip();
    if (!served.contains(model)) {
      throw bad("model must be one of " + String.join(", ", served) + ", not '" + model + "'");
    }
    Options.Builder b = Options.builder();
    if (params.containsKey("format")) {
      b.format(OutputFormat.parse(params.get("format")));
    }
    b.maskOnly(flag(params, "mask_only"));
    b.allowEmpty(flag(params, "allow_empty"));
    if (params.containsKey("background")) {
      b.background(Background.parseColor(params.get("background")));
    }
    if (params.containsKey("roi")) {
      b.subjectBox(SubjectBox.parse(params.get("roi")));
    }
    // A margin alone means cropping too: there is nothing else it could mean.
    if (params.containsKey("margin")) {
      if (params.containsKey("crop") && !flag(params, "crop")) {
        throw bad("margin needs crop=true");
      }
      b.crop(CropMargin.parse(params.get("margin")));
    } else if (flag(params, "crop")) {
      b.crop(CropMargin.NONE);
    }
    return new RemoveRequest(model, b.build());
  }

  private static boolean flag(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null) {
      return false;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "", "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw bad(name + " must be true or false, not '" + value + "'");
    };
  }

  private static List<String> sorted() {
    return PARAMETERS.stream().sorted().toList();
  }

  private static CutoutException bad(String message) {
    return new CutoutException(ErrorCode.BAD_OPTION, message);
  }
}
