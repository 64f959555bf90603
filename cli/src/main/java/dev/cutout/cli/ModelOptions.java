package dev.cutout.cli;

import dev.cutout.models.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the models are, shared by every command that needs them. */
final class ModelOptions {
  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description = "Model store (default: $CUTOUT_MODELS_DIR or ~/.cache/cutout/models).")
  Path modelsDir;

  ModelStore store() {
    return modelsDir == null ? ModelStore.defaultStore() : ModelStore.at(modelsDir);
  }
}
