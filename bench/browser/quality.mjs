// How close a cutout's alpha is to a composite's true matte: IoU of the sets α ≥ 0.5 and the mean
// absolute error of α in 0..1. The one Node copy of this scoring; the Java one is
// onnx/src/test/java/dev/cutout/onnx/MaskQualityTest.java (testdata/README.md has the reference
// figures both reproduce).
import fs from 'node:fs';
import path from 'node:path';

/** The true matte of testdata/composites/images/<name>.jpg, i.e. ../alpha/<name>.png, or null. */
export function truthFor(image) {
  const name = path.basename(image).replace(/\.[^.]*$/, '');
  const f = path.join(path.dirname(path.dirname(image)), 'alpha', name + '.png');
  return fs.existsSync(f) ? f : null;
}

/** The alpha channel of an RGBA PNG (pngjs expands every colour type to RGBA). */
export function decodePngAlpha(buf, PNG) {
  const png = PNG.sync.read(buf);
  const { width, height, data } = png;
  const a = new Uint8Array(width * height);
  for (let i = 0; i < a.length; i++) a[i] = data[4 * i + 3];
  return { width, height, alpha: a, hasAlpha: png.alpha !== false };
}

/** A grey matte PNG (gray → R after pngjs's expansion). */
export function decodeTruth(file, PNG) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const { width, height, data } = png;
  const a = new Uint8Array(width * height);
  for (let i = 0; i < a.length; i++) a[i] = data[4 * i];
  return { width, height, alpha: a };
}

/** { iou, mae } of two alphas of one size (0..255 each), or { error } when the sizes differ. */
export function compareAlpha(pred, truth) {
  if (pred.width !== truth.width || pred.height !== truth.height) {
    return { error: `size ${pred.width}x${pred.height} != truth ${truth.width}x${truth.height}` };
  }
  let inter = 0, union = 0, absSum = 0;
  const p = pred.alpha, t = truth.alpha;
  for (let i = 0; i < p.length; i++) {
    const pf = p[i] >= 128, tf = t[i] >= 128; // α ≥ 0.5 (127.5 on the 0..255 scale)
    if (pf && tf) inter++;
    if (pf || tf) union++;
    absSum += Math.abs(p[i] - t[i]);
  }
  return { iou: union ? inter / union : 1, mae: absSum / p.length / 255 };
}

/**
 * What a run's record gets from its PNG: its size and, when the image has a true matte, IoU and MAE
 * (or the size mismatch); a PNG that does not decode gives { qualityError }.
 */
export function score(pngBytes, image, PNG) {
  const truth = truthFor(image);
  const rec = {};
  try {
    const pred = decodePngAlpha(pngBytes, PNG);
    rec.size = `${pred.width}x${pred.height}`;
    if (truth) Object.assign(rec, compareAlpha(pred, decodeTruth(truth, PNG)));
  } catch (e) {
    rec.qualityError = `not a decodable PNG: ${e.message}`;
  }
  return rec;
}
