/**
 * Cutout's model files: the store that finds and verifies them, and the installer that fetches the
 * catalogued models from their npm package and rewrites their graphs.
 */
module dev.cutout.models {
  requires transitive dev.cutout.core;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.compress;

  exports dev.cutout.models;
}
