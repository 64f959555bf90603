package dev.cutout.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How one image is turned into output. Build with {@link #builder()}; {@link #defaults()} is a PNG
 * with alpha.
 */
public final class Options {
  private static final Options DEFAULTS = builder().build();

  private final OutputFormat format;
  private final boolean maskOnly;
  private final Background background;
  private final CropMargin crop;
  private final int pngLevel;
  private final float quality;
  private final boolean allowEmpty;
  private final SubjectBox subjectBox;

  private Options(Builder b) {
    this.format = b.format;
    this.maskOnly = b.maskOnly;
    this.background = b.background;
    this.crop = b.crop;
    this.pngLevel = b.pngLevel;
    this.quality = b.quality;
    this.allowEmpty = b.allowEmpty;
    this.subjectBox = b.subjectBox;
  }

  public static Options defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public OutputFormat format() {
    return format;
  }

  public boolean maskOnly() {
    return maskOnly;
  }

  public Background background() {
    return background;
  }

  /** The crop margin, when the output is cropped to the subject. */
  public Optional<CropMargin> crop() {
    return Optional.ofNullable(crop);
  }

  /** Deflate level of PNG output, 0–9. */
  public int pngLevel() {
    return pngLevel;
  }

  /** Quality of lossy output (JPEG, WebP), 0–1. */
  public float quality() {
    return quality;
  }

  /** Whether a result without a subject is written (true) or refused with NO_SUBJECT (false). */
  public boolean allowEmpty() {
    return allowEmpty;
  }

  /** Where the subject is, when a person said so; the network then looks only there. */
  public Optional<SubjectBox> subjectBox() {
    return Optional.ofNullable(subjectBox);
  }

  /** Builds {@link Options}. */
  public static final class Builder {
    private OutputFormat format = OutputFormat.PNG;
    private boolean maskOnly;
    private Background background = Background.transparent();
    private CropMargin crop;
    // Level 1 deflates a 4-megapixel cutout several times faster than the default 6 at a size
    // within ~10% of it (measured with `cutout bench`, see docs/benchmarks.md).
    private int pngLevel = 1;
    private float quality = 0.9f;
    private boolean allowEmpty;
    private SubjectBox subjectBox;

    private Builder() {}

    public Builder format(OutputFormat format) {
      this.format = Objects.requireNonNull(format);
      return this;
    }

    public Builder maskOnly(boolean maskOnly) {
      this.maskOnly = maskOnly;
      return this;
    }

    public Builder background(Background background) {
      this.background = Objects.requireNonNull(background);
      return this;
    }

    public Builder crop(CropMargin margin) {
      this.crop = Objects.requireNonNull(margin);
      return this;
    }

    /**
     * Runs the network on this box (plus context) only; everything outside it is background. See
     * {@link SubjectBox} for how it is placed on each image.
     */
    public Builder subjectBox(SubjectBox box) {
      this.subjectBox = Objects.requireNonNull(box);
      return this;
    }

    /**
     * Write a result even when the network finds no subject ({@link Mask#hasSubject()} false),
     * instead of failing with NO_SUBJECT (the default).
     */
    public Builder allowEmpty(boolean allowEmpty) {
      this.allowEmpty = allowEmpty;
      return this;
    }

    public Builder pngLevel(int level) {
      if (level < 0 || level > 9) {
        throw new CutoutException(ErrorCode.BAD_OPTION, "PNG level must be 0–9");
      }
      this.pngLevel = level;
      return this;
    }

    public Builder quality(float quality) {
      if (!(quality >= 0f && quality <= 1f)) {
        throw new CutoutException(ErrorCode.BAD_OPTION, "quality must be between 0 and 1");
      }
      this.quality = quality;
      return this;
    }

    /**
     * @throws CutoutException BAD_OPTION for JPEG without an opaque background (JPEG has no alpha)
     */
    public Options build() {
      if (!format.supportsAlpha() && !maskOnly && !isOpaque(background)) {
        throw new CutoutException(
            ErrorCode.BAD_OPTION,
            "JPEG has no transparency: give an opaque background colour or image, or use PNG/WebP");
      }
      return new Options(this);
    }

    private static boolean isOpaque(Background background) {
      return switch (background) {
        case Background.Transparent t -> false;
        case Background.Color c -> c.isOpaque();
        case Background.Picture p -> true;
      };
    }
  }
}
