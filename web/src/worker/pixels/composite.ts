/**
 * Flattens a straight-alpha foreground over an opaque background of the same size:
 * out = round(fg * a + bg * (1 - a)), alpha 255. `background` is RGBA (its alpha is ignored).
 */
export function flattenOver(
  foreground: Uint8ClampedArray | Uint8Array,
  alpha: Uint8ClampedArray | Uint8Array,
  background: Uint8ClampedArray | Uint8Array,
): Uint8ClampedArray<ArrayBuffer> {
  const n = alpha.length;
  if (foreground.length !== n * 4 || background.length !== n * 4) {
    throw new RangeError('foreground, alpha and background sizes differ');
  }
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const a = alpha[i]! / 255;
    const p = i * 4;
    for (let c = 0; c < 3; c++) {
      out[p + c] = Math.round(foreground[p + c]! * a + background[p + c]! * (1 - a));
    }
    out[p + 3] = 255;
  }
  return out;
}

/** A solid RGBA plane, for a colour background. */
export function solidPlane(n: number, rgb: readonly [number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    out[i * 4] = rgb[0];
    out[i * 4 + 1] = rgb[1];
    out[i * 4 + 2] = rgb[2];
    out[i * 4 + 3] = 255;
  }
  return out;
}
