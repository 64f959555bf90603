package dev.cutout.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutout.core.ModelSpec;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installer's two rewrites on the real files: MaxPool's ceil_mode cleared (needed for WebGPU)
 * and the graph cut to its one used output. That the rewritten model still gives the original's
 * output is the onnx module's {@code RewrittenModelParityTest}.
 */
class ModelRewriteTest {

  @ParameterizedTest
  @ValueSource(strings = {"isnet-uint8", "isnet-fp16"})
  void theInstalledModelIsTheOriginalCutToOneOutputWithCeilModeCleared(String id) throws Exception {
    ModelStore store = ModelStore.defaultStore();
    ModelSpec model = store.catalog().require(id);
    ModelInstaller installer = ModelInstaller.create(store, line -> {});
    byte[] original = installer.original(model);
    byte[] rewritten = Files.readAllBytes(store.path(model));
    if (model.transform().equals("per-channel-uint8")) {
      // Cutout's Fast model: the package's graph, cut and cleared like the others, then derived
      byte[] cleared = original.clone();
      MaxPoolCeilMode.clear(cleared);
      byte[] cut = GraphPruning.keepOnly(cleared, model.output().name()).model();
      ChannelQuantization.Result derived =
          ChannelQuantization.derive(
              cut,
              installer.original(store.catalog().require("isnet-fp16")),
              ActivationCaps.isnet());
      assertThat(derived.weightsRequantized()).as("convolutions requantised").isEqualTo(114);
      assertThat(derived.activationsCapped()).as("quantisers capped").isEqualTo(114);
      assertThat(derived.model()).as("the installed Fast model").isEqualTo(rewritten);
      return;
    }

    assertThat(rewritten.length).isLessThan(original.length);
    GraphPruning.Result originalGraph = GraphPruning.keepOnly(original, model.output().name());
    assertThat(originalGraph.outputsBefore()).isEqualTo(12);
    assertThat(originalGraph.nodesAfter()).isLessThan(originalGraph.nodesBefore());
    GraphPruning.Result installedGraph = GraphPruning.keepOnly(rewritten, model.output().name());
    assertThat(installedGraph.outputsBefore()).as("outputs left").isEqualTo(1);
    assertThat(installedGraph.nodesAfter())
        .as("nothing left to prune")
        .isEqualTo(installedGraph.nodesBefore())
        .isEqualTo(originalGraph.nodesAfter());
    assertThat(installedGraph.model()).as("pruning is idempotent").isEqualTo(rewritten);
    assertThat(MaxPoolCeilMode.clear(original.clone()))
        .isEqualTo(new MaxPoolCeilMode.Report(33, 33));
    assertThat(MaxPoolCeilMode.clear(rewritten.clone()))
        .as("nothing left to rewrite")
        .isEqualTo(new MaxPoolCeilMode.Report(33, 0));
  }
}
