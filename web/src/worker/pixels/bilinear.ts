/**
 * Sampling positions for one axis of the contract's bilinear resize (half-pixel centres, no
 * antialiasing): sx = (x + 0.5) * src / dst - 0.5, clamped to [0, src - 1].
 * The Java implementation in core uses the same formula; the two must stay identical.
 */
export interface AxisSamples {
  /** Lower source index for each destination index. */
  readonly i0: Int32Array;
  /** Upper source index (i0 + 1, clamped to the last index). */
  readonly i1: Int32Array;
  /** Weight of i1; the weight of i0 is 1 - f. */
  readonly f: Float64Array;
}

export function axisSamples(srcLength: number, dstLength: number): AxisSamples {
  if (!(srcLength > 0 && dstLength > 0)) throw new RangeError('lengths must be positive');
  const i0 = new Int32Array(dstLength);
  const i1 = new Int32Array(dstLength);
  const f = new Float64Array(dstLength);
  const scale = srcLength / dstLength;
  const last = srcLength - 1;
  for (let x = 0; x < dstLength; x++) {
    let s = (x + 0.5) * scale - 0.5;
    if (s < 0) s = 0;
    else if (s > last) s = last;
    const lo = Math.floor(s);
    i0[x] = lo;
    i1[x] = Math.min(lo + 1, last);
    f[x] = s - lo;
  }
  return { i0, i1, f };
}
