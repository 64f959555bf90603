import type { Rect } from '../../shared/rect';

/** Copies a rectangle out of an interleaved buffer with `channels` bytes per pixel. */
export function cropPixels(
  src: Uint8Array | Uint8ClampedArray,
  width: number,
  rect: Rect,
  channels: number,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(rect.width * rect.height * channels);
  const rowBytes = rect.width * channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * width + rect.x) * channels;
    out.set(src.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}
