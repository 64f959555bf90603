package dev.cutout.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cutout.core.CutoutException;
import dev.cutout.core.SubjectBox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code POST /v1.0/removebg}: remove.bg's parameters with remove.bg's meaning (its API
 * reference), checked before any image is decoded. A blank value counts as absent, as remove.bg's
 * "the other parameters must be empty" implies.
 *
 * @param source the image: bytes ({@code image_file}, {@code image_file_b64}) or a URL
 * @param model the model to run: the first the server serves (remove.bg has no such choice)
 * @param roi where the subject may be ({@code roi})
 * @param maxPixels the output's largest width × height ({@code size}); empty means full size
 * @param format the output's encoding
 * @param channels the cut-out ({@code rgba}) or its mask ({@code alpha})
 * @param crop whether the output is cropped to the subject and its margins
 * @param margins the crop margins, each side's
 * @param scale the subject's size relative to the canvas, 0.1–1; empty means as it is
 * @param position where the subject goes on the canvas
 * @param background what goes behind the subject
 * @param typeHeader whether to send {@code X-Type} ({@code type_level} other than {@code none})
 * @param ignored the parameters that were accepted but change nothing here, for {@code
 *     X-Cutout-Ignored}
 */
record RemoveBgRequest(
    Source source,
    String model,
    Optional<SubjectBox> roi,
    OptionalLong maxPixels,
    Format format,
    Channels channels,
    boolean crop,
    Margins margins,
    OptionalDouble scale,
    Position position,
    Backdrop background,
    boolean typeHeader,
    List<String> ignored) {

  /** Every parameter remove.bg's API reference lists for this call; any other name is refused. */
  static final Set<String> PARAMETERS =
      Set.of(
          "image_file",
          "image_file_b64",
          "image_url",
          "size",
          "type",
          "type_level",
          "format",
          "roi",
          "crop",
          "crop_margin",
          "scale",
          "position",
          "channels",
          "add_shadow",
          "semitransparency",
          "shadow_method",
          "bg_color",
          "bg_image_url",
          "bg_image_file");

  /** The parameters that carry a file in a multipart body. */
  static final Set<String> FILE_PARTS = Set.of("image_file", "bg_image_file");

  /** 0.25 megapixels: remove.bg's preview size (e.g. 625 × 400). */
  static final long PREVIEW_PIXELS = 250_000;

  /** remove.bg's largest crop margin, per side: 50% of the subject's side, or 500 pixels. */
  static final double MAX_MARGIN_PERCENT = 50;

  static final double MAX_MARGIN_PIXELS = 500;

  private static final Pattern HEX = Pattern.compile("#?([0-9a-fA-F]{3,8})");
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)%");
  private static final Pattern LENGTH = Pattern.compile("(\\d{1,6}(?:\\.\\d+)?)(px|%)?");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
  private static final Map<String, Integer> COLOUR_NAMES = colourNames();

  /** Where the image comes from. */
  sealed interface Source {
    /** Uploaded bytes. */
    record Bytes(byte[] bytes) implements Source {}

    /** A URL to fetch (only when the server allows it). */
    record Url(String url) implements Source {}
  }

  /** What goes behind the subject. */
  sealed interface Backdrop {
    /** Nothing: transparent. */
    record None() implements Backdrop {}

    /** A colour, packed ARGB. */
    record Colour(int argb) implements Backdrop {}

    /** A picture, scaled to cover the canvas and centred. */
    record Picture(Source source) implements Backdrop {}
  }

  /** {@code format}. */
  enum Format {
    /** PNG when the result has transparent pixels, else JPEG (remove.bg's default). */
    AUTO,
    PNG,
    JPG,
    WEBP,
    /** A ZIP of {@code color.jpg} and {@code alpha.png}. */
    ZIP
  }

  /** {@code channels}. */
  enum Channels {
    RGBA,
    ALPHA
  }

  /**
   * One side's crop margin.
   *
   * @param amount pixels, or percent of the subject's width (left, right) or height (top, bottom)
   * @param percent which of the two
   */
  record Margin(double amount, boolean percent) {
    static final Margin NONE = new Margin(0, false);

    /** In pixels, for a subject side of {@code side} pixels. */
    int pixels(int side) {
      return (int) Math.round(percent ? amount / 100 * side : amount);
    }
  }

  /** The four crop margins. */
  record Margins(Margin top, Margin right, Margin bottom, Margin left) {
    static final Margins NONE = new Margins(Margin.NONE, Margin.NONE, Margin.NONE, Margin.NONE);
  }

  /** {@code position}. */
  sealed interface Position {
    /** Where the subject is in the photo (kept inside the canvas). */
    record Original() implements Position {}

    /**
     * A point of the free room: 0% puts the subject at the left (top) edge, 100% at the right
     * (bottom), 50% in the middle ({@code center}).
     */
    record At(double x, double y) implements Position {}
  }

  /**
   * @param fields the text parameters, one value each
   * @param files the file parameters of a multipart body
   * @param served the models this server processes with, the first being the default
   * @param urlsAllowed whether {@code image_url} and {@code bg_image_url} may be used
   * @throws ApiRefusal BAD_PARAMETER, MISSING_SOURCE, MULTIPLE_SOURCES, MULTIPLE_BACKGROUNDS
   */
  static RemoveBgRequest parse(
      Map<String, String> fields,
      Map<String, byte[]> files,
      List<String> served,
      boolean urlsAllowed) {
    Set<String> unknown = new TreeSet<>();
    Map<String, String> p = new HashMap<>();
    fields.forEach(
        (name, value) -> {
          if (!PARAMETERS.contains(name)) {
            unknown.add(name);
          } else if (!value.isBlank()) {
            p.put(name, value.strip());
          }
        });
    files.keySet().stream().filter(name -> !PARAMETERS.contains(name)).forEach(unknown::add);
    if (!unknown.isEmpty()) {
      throw ApiRefusal.about(
          ApiRefusal.Reason.BAD_PARAMETER,
          unknown.iterator().next(),
          "unknown parameter"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + "; remove.bg's are "
              + String.join(", ", new TreeSet<>(PARAMETERS)));
    }
    for (String name : FILE_PARTS) {
      if (p.containsKey(name)) {
        throw bad(name, name + " must be a file part of a multipart/form-data body");
      }
    }
    List<String> ignored = new ArrayList<>();
    Source source = source(p, files, urlsAllowed);
    Format format = format(p);
    Channels channels = channels(p);
    if (channels == Channels.ALPHA && format == Format.ZIP) {
      throw bad(
          "format",
          "format=zip holds the colours and the alpha; channels=alpha asks for the alpha");
    }
    OptionalDouble scale = scale(p);
    String type =
        choice(
            p, "type", "auto", "person", "product", "car", "animal", "graphic", "transportation");
    if (!type.equals("auto")) {
      ignored.add("type");
    }
    String typeLevel = choice(p, "type_level", "1", "none", "2", "latest");
    if (flag(p, "add_shadow", false)) {
      ignored.add("add_shadow");
    }
    if (!flag(p, "semitransparency", true)) {
      ignored.add("semitransparency");
    }
    choice(p, "shadow_method", "latest", "legacy");
    if (p.containsKey("shadow_method")) {
      ignored.add("shadow_method");
    }
    return new RemoveBgRequest(
        source,
        served.getFirst(),
        roi(p),
        size(p),
        format,
        channels,
        flag(p, "crop", false),
        margins(p),
        scale,
        position(p, scale.isPresent()),
        background(p, files, urlsAllowed),
        !typeLevel.equals("none"),
        List.copyOf(ignored));
  }

  private static Source source(
      Map<String, String> p, Map<String, byte[]> files, boolean urlsAllowed) {
    List<Source> given = new ArrayList<>();
    if (files.containsKey("image_file")) {
      given.add(new Source.Bytes(files.get("image_file")));
    }
    if (p.containsKey("image_file_b64")) {
      given.add(new Source.Bytes(base64(p.get("image_file_b64"))));
    }
    if (p.containsKey("image_url")) {
      given.add(url(p, "image_url", urlsAllowed));
    }
    if (given.isEmpty()) {
      throw ApiRefusal.of(
          ApiRefusal.Reason.MISSING_SOURCE,
          "no image given: send image_file, image_file_b64 or image_url");
    }
    if (given.size() > 1) {
      throw ApiRefusal.of(
          ApiRefusal.Reason.MULTIPLE_SOURCES,
          "more than one image given: send one of image_file, image_file_b64, image_url");
    }
    return given.getFirst();
  }

  private static Source url(Map<String, String> p, String name, boolean urlsAllowed) {
    if (!urlsAllowed) {
      throw bad(
          name,
          name
              + " is off on this server: it downloads no URLs unless started with"
              + " --allow-image-urls; upload the image instead");
    }
    return new Source.Url(p.get(name));
  }

  private static byte[] base64(String text) {
    String compact = text.replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException notStandard) {
      try {
        return Base64.getUrlDecoder().decode(compact);
      } catch (IllegalArgumentException e) {
        throw bad("image_file_b64", "image_file_b64 is not base64");
      }
    }
  }

  private static Optional<SubjectBox> roi(Map<String, String> p) {
    if (!p.containsKey("roi")) {
      return Optional.empty();
    }
    try {
      return Optional.of(SubjectBox.parse(p.get("roi")));
    } catch (CutoutException e) {
      throw bad("roi", e.getMessage());
    }
  }

  private static OptionalLong size(Map<String, String> p) {
    String size =
        choice(
            p, "size", "preview", "small", "regular", "medium", "hd", "full", "4k", "auto", "50mp");
    return switch (size) {
      case "preview", "small", "regular" -> OptionalLong.of(PREVIEW_PIXELS);
      case "medium" -> OptionalLong.of(1_500_000);
      case "hd" -> OptionalLong.of(4_000_000);
      // the photo's own size: the server's pixel limit already bounds it
      default -> OptionalLong.empty();
    };
  }

  private static Format format(Map<String, String> p) {
    return switch (choice(p, "format", "auto", "png", "jpg", "jpeg", "webp", "zip")) {
      case "png" -> Format.PNG;
      case "jpg", "jpeg" -> Format.JPG;
      case "webp" -> Format.WEBP;
      case "zip" -> Format.ZIP;
      default -> Format.AUTO;
    };
  }

  private static Channels channels(Map<String, String> p) {
    return choice(p, "channels", "rgba", "alpha").equals("alpha") ? Channels.ALPHA : Channels.RGBA;
  }

  /** 1, 2 or 4 values (all; top and bottom, left and right; top, right, bottom, left), CSS-like. */
  private static Margins margins(Map<String, String> p) {
    if (!p.containsKey("crop_margin")) {
      return Margins.NONE;
    }
    String text = p.get("crop_margin");
    List<Margin> values = new ArrayList<>();
    for (String token : SEPARATORS.split(text)) {
      Matcher m = LENGTH.matcher(token.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw bad(
            "crop_margin",
            "crop_margin values are pixels (30px) or percentages (10%), not '" + token + "'");
      }
      double amount = Double.parseDouble(m.group(1));
      boolean percent = "%".equals(m.group(2));
      if (amount > (percent ? MAX_MARGIN_PERCENT : MAX_MARGIN_PIXELS)) {
        throw bad(
            "crop_margin",
            "a crop margin may be at most 50% of the subject or 500px per side, not '"
                + token
                + "'");
      }
      values.add(new Margin(amount, percent));
    }
    return switch (values.size()) {
      case 1 -> new Margins(values.get(0), values.get(0), values.get(0), values.get(0));
      case 2 -> new Margins(values.get(0), values.get(1), values.get(0), values.get(1));
      case 4 -> new Margins(values.get(0), values.get(1), values.get(2), values.get(3));
      default ->
          throw bad(
              "crop_margin",
              "crop_margin is one value, two (top and bottom, left and right) or four (top, right,"
                  + " bottom, left), not '"
                  + text
                  + "'");
    };
  }

  private static OptionalDouble scale(Map<String, String> p) {
    String text = p.getOrDefault("scale", "original");
    if (text.equalsIgnoreCase("original")) {
      return OptionalDouble.empty();
    }
    Matcher m = PERCENT.matcher(text);
    double percent = m.matches() ? Double.parseDouble(m.group(1)) : -1;
    if (percent < 10 || percent > 100) {
      throw bad("scale", "scale is 'original' or from 10% to 100%, not '" + text + "'");
    }
    return OptionalDouble.of(percent / 100);
  }

  /** Scaling the subject implies {@code center} unless a position is given, as remove.bg says. */
  private static Position position(Map<String, String> p, boolean scaled) {
    String text =
        p.getOrDefault("position", scaled ? "center" : "original").toLowerCase(Locale.ROOT);
    if (text.equals("original")) {
      return new Position.Original();
    }
    if (text.equals("center")) {
      return new Position.At(50, 50);
    }
    String[] parts = SEPARATORS.split(text);
    if (parts.length > 2) {
      throw badPosition(text);
    }
    double x = percent(parts[0], text);
    double y = parts.length == 2 ? percent(parts[1], text) : x;
    return new Position.At(x, y);
  }

  private static double percent(String token, String text) {
    Matcher m = PERCENT.matcher(token);
    if (!m.matches() || Double.parseDouble(m.group(1)) > 100) {
      throw badPosition(text);
    }
    return Double.parseDouble(m.group(1));
  }

  private static ApiRefusal badPosition(String text) {
    return bad(
        "position",
        "position is 'original', 'center', or one or two percentages from 0% to 100%, not '"
            + text
            + "'");
  }

  private static Backdrop background(
      Map<String, String> p, Map<String, byte[]> files, boolean urlsAllowed) {
    List<Backdrop> given = new ArrayList<>();
    if (p.containsKey("bg_color")) {
      given.add(new Backdrop.Colour(colour(p.get("bg_color"))));
    }
    if (files.containsKey("bg_image_file")) {
      given.add(new Backdrop.Picture(new Source.Bytes(files.get("bg_image_file"))));
    }
    if (p.containsKey("bg_image_url")) {
      given.add(new Backdrop.Picture(url(p, "bg_image_url", urlsAllowed)));
    }
    if (given.size() > 1) {
      throw ApiRefusal.of(
          ApiRefusal.Reason.MULTIPLE_BACKGROUNDS,
          "more than one background given: send one of bg_color, bg_image_file, bg_image_url");
    }
    return given.isEmpty() ? new Backdrop.None() : given.getFirst();
  }

  /**
   * remove.bg's colours: hex with or without {@code #}, of 3, 4, 6 or 8 digits (the last of 4 and 8
   * is alpha), or a CSS colour name.
   */
  static int colour(String text) {
    Integer named = COLOUR_NAMES.get(text.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    Matcher m = HEX.matcher(text);
    String hex = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    if (hex.length() == 3 || hex.length() == 4) {
      StringBuilder doubled = new StringBuilder();
      hex.chars().forEach(c -> doubled.append((char) c).append((char) c));
      hex = doubled.toString();
    }
    if (hex.length() == 6) {
      hex = hex + "ff";
    }
    if (hex.length() != 8) {
      throw bad(
          "bg_color",
          "bg_color is a hex colour (81d4fa, fff, 81d4fa77) or a CSS colour name, not '"
              + text
              + "'");
    }
    long rgba = Long.parseLong(hex, 16);
    return (int) (rgba & 0xFF) << 24 | (int) (rgba >>> 8);
  }

  /** A value from {@code allowed} (case ignored), the first being the default. */
  private static String choice(Map<String, String> p, String name, String... allowed) {
    if (!p.containsKey(name)) {
      return allowed[0];
    }
    String value = p.get(name).toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(value)) {
        return a;
      }
    }
    throw bad(
        name, name + " is one of " + String.join(", ", allowed) + ", not '" + p.get(name) + "'");
  }

  private static boolean flag(Map<String, String> p, String name, boolean otherwise) {
    if (!p.containsKey(name)) {
      return otherwise;
    }
    return switch (p.get(name).toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw bad(name, name + " is true or false, not '" + p.get(name) + "'");
    };
  }

  private static ApiRefusal bad(String parameter, String message) {
    return ApiRefusal.about(ApiRefusal.Reason.BAD_PARAMETER, parameter, message);
  }

  private static Map<String, Integer> colourNames() {
    Map<String, Integer> names = new HashMap<>();
    try (InputStream in = RemoveBgRequest.class.getResourceAsStream("css-colours.txt");
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] entry = line.strip().split("\\s+");
          names.put(entry[0], 0xFF000000 | Integer.parseInt(entry[1], 16));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(names);
  }
}
