/**
 * Cutout's ONNX Runtime engine: {@link dev.cutout.onnx.OnnxCutout} builds a {@link
 * dev.cutout.core.Cutout} whose segmenter runs a catalogued model with ONNX Runtime, loaded from
 * verified native libraries in Cutout's cache.
 */
module dev.cutout.onnx {
  requires transitive dev.cutout.core;
  requires dev.cutout.models;
  requires com.microsoft.onnxruntime;

  exports dev.cutout.onnx;
}
