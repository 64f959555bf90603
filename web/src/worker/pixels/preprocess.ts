import { axisSamples } from './bilinear';

export interface Normalisation {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/**
 * Contract steps 2 and 3: bilinear resize of straight RGBA8 pixels to size x size (aspect ratio
 * not preserved) and conversion to a float32 NCHW RGB tensor with value (v / 255 - mean) / std.
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
  const scale = [0, 1, 2].map((c) => 1 / (255 * norm.std[c]!));
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
