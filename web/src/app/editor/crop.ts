import type { Rect } from '../../shared/rect';

/**
 * The bounding box of all pixels with alpha > 0, grown by `margin` pixels on each side and
 * clipped to the image. Undefined when every pixel is transparent.
 */
export function subjectBounds(
  alpha: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  margin: number,
): Rect | undefined {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (alpha[row + x]! > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxX < 0) return undefined;
  const x0 = Math.max(0, minX - margin);
  const y0 = Math.max(0, minY - margin);
  const x1 = Math.min(width - 1, maxX + margin);
  const y1 = Math.min(height - 1, maxY + margin);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Default crop margin: 2% of the longer side, so the subject is not cut at its very edge. */
export function defaultCropMargin(width: number, height: number): number {
  return Math.round(0.02 * Math.max(width, height));
}
