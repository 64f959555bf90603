/**
 * Cutout's image pipeline in pure Java: the decode gate, the processing contract, compositing and
 * encoding, the model catalog, the engine ({@link dev.cutout.core.Cutout}) and the batch pipeline,
 * with inference behind {@link dev.cutout.core.Segmenter}.
 */
module dev.cutout.core {
  // BufferedImage is part of the API (Cutout.remove, RgbaImage, CutoutResult.image)
  requires transitive java.desktop;
  requires com.fasterxml.jackson.databind;

  exports dev.cutout.core;

  // the model installer copies the catalog file (a resource of this package) into the store
  opens dev.cutout.core to
      dev.cutout.models;
}
