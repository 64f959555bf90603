import type { InputScale } from '../../shared/catalog';
import { axisSamples } from './bilinear';

export interface Normalisation {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** Absent: '255'. */
  readonly inputScale?: InputScale;
}

/**
 * The largest R, G or B value of the pixels, at least 1 (a black image is divided by 1): the
 * divisor of an `image-max` model (U²-Net), as core's Preprocessor.largestChannel. Alpha is ignored.
 */
export function largestChannel(rgba: Uint8Array | Uint8ClampedArray): number {
  let max = 1;
  for (let i = 0; i < rgba.length && max < 255; i += 4) {
    const r = rgba[i]!;
    const g = rgba[i + 1]!;
    const b = rgba[i + 2]!;
    if (r > max) max = r;
    if (g > max) max = g;
    if (b > max) max = b;
  }
  return max;
}

/**
 * Contract steps 2 and 3: bilinear resize of straight RGBA8 pixels to size x size (aspect ratio
 * not preserved) and conversion to a float32 NCHW RGB tensor with value (v / d - mean) / std, where
 * d is 255, or for an `image-max` model the largest channel value of exactly these pixels (the
 * region the network sees, so a subject box's crop is measured, not the whole image).
 * Alpha is ignored here; it is combined with the mask afterwards.
 */
export function toInputTensor(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  size: number,
  norm: Normalisation,
): Float32Array {
  if (rgba.length !== width * height * 4) throw new RangeError('rgba length does not match size');
  const xs = axisSamples(width, size);
  const ys = axisSamples(height, size);
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const divisor = norm.inputScale === 'image-max' ? largestChannel(rgba) : 255;
  const scale = [0, 1, 2].map((c) => 1 / (divisor * norm.std[c]!));
  const offset = [0, 1, 2].map((c) => norm.mean[c]! / norm.std[c]!);
  for (let y = 0; y < size; y++) {
    const row0 = ys.i0[y]! * width;
    const row1 = ys.i1[y]! * width;
    const fy = ys.f[y]!;
    for (let x = 0; x < size; x++) {
      const c0 = xs.i0[x]!;
      const c1 = xs.i1[x]!;
      const fx = xs.f[x]!;
      const p00 = (row0 + c0) * 4;
      const p01 = (row0 + c1) * 4;
      const p10 = (row1 + c0) * 4;
      const p11 = (row1 + c1) * 4;
      const o = y * size + x;
      for (let c = 0; c < 3; c++) {
        const a = rgba[p00 + c]!;
        const top = a + (rgba[p01 + c]! - a) * fx;
        const b = rgba[p10 + c]!;
        const bottom = b + (rgba[p11 + c]! - b) * fx;
        const v = top + (bottom - top) * fy;
        out[c * plane + o] = v * scale[c]! - offset[c]!;
      }
    }
  }
  return out;
}
