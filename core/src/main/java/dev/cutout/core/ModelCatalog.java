package dev.cutout.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The models Cutout knows, read from the one catalog file that the web app reads too ({@code
 * dev/cutout/core/catalog.json}).
 *
 * @param version the catalog format's version
 * @param inputSize the square side every model takes
 * @param source where the model files come from
 * @param models the models; the first is the default
 */
public record ModelCatalog(int version, int inputSize, Source source, List<ModelSpec> models) {
  /** The path of the catalog on the class path. */
  public static final String RESOURCE = "/dev/cutout/core/catalog.json";

  /** The npm package the model files are installed from. */
  public record Source(String packageName, String version, String licence) {}

  private static final ModelCatalog BUILT_IN = load();

  public ModelCatalog {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("the catalog lists no model");
    }
  }

  /** The catalog shipped with this version of Cutout. */
  public static ModelCatalog builtIn() {
    return BUILT_IN;
  }

  /** The default model: {@code isnet-fp16}, the most accurate natively and the fastest on CPU. */
  public ModelSpec defaultModel() {
    return models.getFirst();
  }

  public Optional<ModelSpec> find(String id) {
    return models.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /**
   * @throws CutoutException UNKNOWN_MODEL naming the known ids
   */
  public ModelSpec require(String id) {
    return find(id)
        .orElseThrow(
            () ->
                new CutoutException(
                    ErrorCode.UNKNOWN_MODEL,
                    "unknown model '"
                        + id
                        + "'; known: "
                        + String.join(", ", models.stream().map(ModelSpec::id).toList())));
  }

  private static ModelCatalog load() {
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("catalog missing from the class path: " + RESOURCE);
      }
      var tree = json.readTree(in);
      var source = tree.get("source");
      return new ModelCatalog(
          tree.get("version").asInt(),
          tree.get("inputSize").asInt(),
          new Source(
              source.get("package").asText(),
              source.get("version").asText(),
              source.get("licence").asText()),
          List.of(json.treeToValue(tree.get("models"), ModelSpec[].class)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model catalog", e);
    }
  }
}
