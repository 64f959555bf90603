import type { OutputScaling } from '../../shared/catalog';
import { axisSamples } from './bilinear';

export type MaskVerdict = 'ok' | 'all-zero' | 'nan';

/**
 * A failed backend (seen with fp16 on a WebGPU adapter without shader-f16) returns all zeros or
 * NaN instead of throwing; such a mask is an error, never a result.
 */
export function inspectMask(mask: Float32Array): MaskVerdict {
  let anyNonZero = false;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i]!;
    if (v !== v) return 'nan';
    if (v !== 0) anyNonZero = true;
  }
  return anyNonZero ? 'ok' : 'all-zero';
}

/**
 * Contract step 4 for a `min-max` model (U²-Net): the raw output stretched so that its lowest value
 * becomes 0 and its highest 1; a constant output becomes all zeros (and is then refused as a failed
 * run). NaN is left in place for {@link inspectMask} to refuse. Same as core's Mask.scaled.
 */
export function scaleOutput(output: Float32Array, scaling: OutputScaling): Float32Array {
  if (scaling === 'none') return output;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < output.length; i++) {
    const v = output[i]!;
    if (v !== v) return output;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float32Array(output.length);
  const range = max - min;
  if (range > 0) for (let i = 0; i < out.length; i++) out[i] = (output[i]! - min) / range;
  return out;
}

/**
 * Contract step 5: bilinear upscale of the size x size mask to width x height with the same
 * half-pixel formula as the input resize, clamped to [0, 1].
 */
export function upscaleMask(
  mask: Float32Array,
  size: number,
  width: number,
  height: number,
): Float32Array {
  if (mask.length !== size * size) throw new RangeError('mask length does not match size');
  const xs = axisSamples(size, width);
  const ys = axisSamples(size, height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row0 = ys.i0[y]! * size;
    const row1 = ys.i1[y]! * size;
    const fy = ys.f[y]!;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const c0 = xs.i0[x]!;
      const c1 = xs.i1[x]!;
      const fx = xs.f[x]!;
      const a = mask[row0 + c0]!;
      const top = a + (mask[row0 + c1]! - a) * fx;
      const b = mask[row1 + c0]!;
      const bottom = b + (mask[row1 + c1]! - b) * fx;
      const v = top + (bottom - top) * fy;
      out[o + x] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/**
 * Contract step 6: alpha = round(255 * m), then combined with the original alpha as
 * round(alpha * origAlpha / 255). For an opaque original this leaves alpha unchanged.
 * Math.round rounds halves up, as Java's Math.round does.
 */
export function maskToAlpha(mask: Float32Array, originalRgba?: Uint8ClampedArray | Uint8Array) {
  const alpha = new Uint8ClampedArray(mask.length);
  if (originalRgba && originalRgba.length !== mask.length * 4) {
    throw new RangeError('original pixels do not match mask size');
  }
  for (let i = 0; i < mask.length; i++) {
    let a = Math.round(255 * mask[i]!);
    if (originalRgba) {
      const orig = originalRgba[i * 4 + 3]!;
      if (orig !== 255) a = Math.round((a * orig) / 255);
    }
    alpha[i] = a;
  }
  return alpha;
}

/**
 * Contract step 6 and the transparent output in one pass, in place: each pixel's alpha becomes
 * what `withAlpha(rgba, maskToAlpha(mask, rgba))` would give it, and RGB is cleared where that
 * alpha is 0. The same bytes without a full-size alpha and a second copy of the pixels (at 4 MP,
 * 4 + 16 MiB less at the renderer's peak). The caller gives up `rgba` as the decoded image.
 */
export function cutOutInPlace(rgba: Uint8ClampedArray | Uint8Array, mask: Float32Array): void {
  if (rgba.length !== mask.length * 4) throw new RangeError('mask does not match pixels');
  for (let i = 0, p = 3; i < mask.length; i++, p += 4) {
    let a = Math.round(255 * mask[i]!);
    const orig = rgba[p]!;
    if (orig !== 255) a = Math.round((a * orig) / 255);
    rgba[p] = a;
    if (rgba[p] === 0) rgba[p - 3] = rgba[p - 2] = rgba[p - 1] = 0;
  }
}

/** Alpha values at or above this are subject (half opaque or more). */
const SUBJECT_ALPHA = 128;

/** How many subject pixels a mask of `pixels` needs: 0.1% of them, and at least one. */
function subjectNeeded(pixels: number): number {
  return Math.max(1, Math.ceil(0.001 * pixels));
}

/**
 * Whether an alpha mask holds a subject: at least 0.1% of its pixels (and at least one) are half
 * opaque or more. Same rule as the Java library's Mask.hasSubject (contract cases "subject").
 * With a subject box, `area` is the box's: the share is of the box, since nothing outside it can
 * be subject.
 */
export function hasSubject(alpha: Uint8ClampedArray | Uint8Array, area = alpha.length): boolean {
  const needed = subjectNeeded(area);
  let found = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i]! >= SUBJECT_ALPHA && ++found >= needed) return true;
  }
  return false;
}

/**
 * {@link hasSubject} of the alpha `maskToAlpha(mask)` would give, without making it: the network's
 * verdict, before the image's own alpha.
 */
export function maskHasSubject(mask: Float32Array, area = mask.length): boolean {
  const needed = subjectNeeded(area);
  let found = 0;
  for (let i = 0; i < mask.length; i++) {
    if (Math.round(255 * mask[i]!) >= SUBJECT_ALPHA && ++found >= needed) return true;
  }
  return false;
}

/** True when any pixel is not fully opaque. */
export function hasTransparency(rgba: Uint8ClampedArray | Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/**
 * Alpha replaced; RGB kept where alpha is above 0 and set to 0 where it is 0, so that a removed
 * pixel keeps no colour and flattening the file cannot bring the background back.
 */
export function withAlpha(
  rgba: Uint8ClampedArray | Uint8Array,
  alpha: Uint8ClampedArray | Uint8Array,
): Uint8ClampedArray<ArrayBuffer> {
  if (rgba.length !== alpha.length * 4) throw new RangeError('alpha does not match pixels');
  const out = new Uint8ClampedArray(rgba);
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    out[i * 4 + 3] = a;
    if (a === 0) out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = 0;
  }
  return out;
}
