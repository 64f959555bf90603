import { BOX_PASSES } from '../../shared/blur';

/**
 * Blurs an RGBA image's colours with {@link BOX_PASSES} box passes of `radius` pixels along each
 * axis, pixels beyond the edge taken as the edge's own. Returns a new opaque RGBA image.
 */
export function boxBlur(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  radius: number,
): Uint8ClampedArray<ArrayBuffer> {
  if (rgba.length !== width * height * 4) throw new RangeError('rgba is not width × height');
  const r = Math.max(0, Math.round(radius));
  const out = new Uint8ClampedArray(rgba);
  const line = new Uint8ClampedArray(Math.max(width, height) * 4);
  for (let pass = 0; pass < BOX_PASSES && r > 0; pass++) {
    for (let y = 0; y < height; y++) blurLine(out, y * width * 4, 4, width, r, line);
    for (let x = 0; x < width; x++) blurLine(out, x * 4, width * 4, height, r, line);
  }
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/**
 * One box pass along a line of `count` pixels starting at `start`, `stride` bytes apart, in
 * place (through `line`): a running sum over the window, edge pixels repeated.
 */
function blurLine(
  data: Uint8ClampedArray,
  start: number,
  stride: number,
  count: number,
  r: number,
  line: Uint8ClampedArray,
): void {
  for (let i = 0; i < count; i++) {
    const from = start + i * stride;
    line[i * 4] = data[from]!;
    line[i * 4 + 1] = data[from + 1]!;
    line[i * 4 + 2] = data[from + 2]!;
  }
  const window = 2 * r + 1;
  const last = count - 1;
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let k = -r; k <= r; k++) sum += line[Math.min(last, Math.max(0, k)) * 4 + c]!;
    for (let i = 0; i < count; i++) {
      data[start + i * stride + c] = Math.round(sum / window);
      const leaving = Math.max(0, i - r);
      const entering = Math.min(last, i + r + 1);
      sum += line[entering * 4 + c]! - line[leaving * 4 + c]!;
    }
  }
}
