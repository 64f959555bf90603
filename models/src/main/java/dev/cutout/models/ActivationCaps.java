package dev.cutout.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The range each quantised convolution input of the Fast model is clipped to before it is quantised
 * ({@link ChannelQuantization}), as measured by a calibration run on freely licensed photos ({@code
 * ActivationCalibration} in the onnx module's tests writes the file, and says which photos and
 * percentile it used). Parameters of the model, like its weights: the same file always gives the
 * same model, whose SHA-256 the catalog pins.
 */
public final class ActivationCaps {
  /** The caps of the Fast ISNet, on the class path. */
  public static final String ISNET_RESOURCE = "/dev/cutout/models/isnet-fast-caps.json";

  private final Map<String, float[]> caps;

  private ActivationCaps(Map<String, float[]> caps) {
    this.caps = caps;
  }

  /** Caps from tensor name to {lowest, highest}. */
  public static ActivationCaps of(Map<String, float[]> caps) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    caps.forEach(
        (name, range) -> {
          if (range.length != 2 || !(range[0] <= 0 && range[1] > 0)) {
            throw new IllegalArgumentException("a cap must span 0: " + name);
          }
          copy.put(name, range.clone());
        });
    return new ActivationCaps(copy);
  }

  /** Reads the {@code caps} object of a calibration file: {"tensor": [lowest, highest], …}. */
  public static ActivationCaps read(InputStream json) {
    try {
      JsonNode caps = new ObjectMapper().readTree(json).path("caps");
      if (!caps.isObject()) {
        throw new IllegalArgumentException("a calibration file without caps");
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      caps.properties()
          .forEach(
              e ->
                  out.put(
                      e.getKey(),
                      new float[] {
                        e.getValue().path(0).floatValue(), e.getValue().path(1).floatValue()
                      }));
      return of(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Fast ISNet's caps, shipped with this module. */
  public static ActivationCaps isnet() {
    try (InputStream in = ActivationCaps.class.getResourceAsStream(ISNET_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(ISNET_RESOURCE + " is missing from the class path");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {lowest, highest} for {@code tensor}. */
  float[] of(String tensor) {
    float[] range = caps.get(tensor);
    if (range == null) {
      throw new IllegalArgumentException("no activation cap for " + tensor);
    }
    return range.clone();
  }

  public int size() {
    return caps.size();
  }
}
