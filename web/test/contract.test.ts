import { describe, expect, it } from 'vitest';
import { axisSamples } from '../src/shared/bilinear';
import {
  hasTransparency,
  inspectMask,
  maskToAlpha,
  upscaleMask,
  withAlpha,
} from '../src/shared/postprocess';
import { toInputTensor } from '../src/shared/preprocess';

const ISNET = { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } as const;

/** Builds RGBA pixels from [r, g, b, a] tuples. */
const rgba = (...pixels: number[][]) => new Uint8ClampedArray(pixels.flat());

describe('axisSamples (half-pixel centres, clamped)', () => {
  it('halving 4 → 2 samples between source pixels 0|1 and 2|3', () => {
    const s = axisSamples(4, 2);
    expect([...s.i0]).toEqual([0, 2]);
    expect([...s.i1]).toEqual([1, 3]);
    expect([...s.f]).toEqual([0.5, 0.5]);
  });

  it('doubling 2 → 4 clamps the outer positions to the edge pixels', () => {
    const s = axisSamples(2, 4);
    // sx = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 → clamped to [0, 1]
    expect([...s.i0]).toEqual([0, 0, 0, 1]);
    expect([...s.i1]).toEqual([1, 1, 1, 1]);
    expect([...s.f]).toEqual([0, 0.25, 0.75, 0]);
  });

  it('same size is the identity', () => {
    const s = axisSamples(5, 5);
    expect([...s.i0]).toEqual([0, 1, 2, 3, 4]);
    expect([...s.f]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a single source pixel is sampled everywhere', () => {
    const s = axisSamples(1, 3);
    expect([...s.i0]).toEqual([0, 0, 0]);
    expect([...s.i1]).toEqual([0, 0, 0]);
  });
});

describe('toInputTensor (resize + NCHW, v/255 - 0.5)', () => {
  it('interpolates both axes: the centre of a 2×2 → 3×3 resize is the hand-computed 85', () => {
    // red channel: p00=0, p01=100, p10=200, p11=40; centre: sx = sy = 0.5
    // top = 50, bottom = 120, v = 85
    const pixels = rgba([0, 0, 0, 255], [100, 0, 0, 255], [200, 0, 0, 255], [40, 0, 0, 255]);
    const t = toInputTensor(pixels, 2, 2, 3, ISNET);
    expect(t.length).toBe(27);
    expect(t[4]).toBeCloseTo(85 / 255 - 0.5, 6);
    // corners clamp to the source corners
    expect(t[0]).toBeCloseTo(-0.5, 6);
    expect(t[2]).toBeCloseTo(100 / 255 - 0.5, 6);
    expect(t[6]).toBeCloseTo(200 / 255 - 0.5, 6);
    expect(t[8]).toBeCloseTo(40 / 255 - 0.5, 6);
    // edge midpoint (x=1, y=0): 0 + (100 - 0) * 0.5 = 50
    expect(t[1]).toBeCloseTo(50 / 255 - 0.5, 6);
  });

  it('lays out planes R, G, B (NCHW) and ignores alpha', () => {
    const pixels = rgba([0, 255, 51, 0], [255, 0, 51, 10]);
    const t = toInputTensor(pixels, 2, 1, 4, ISNET);
    const plane = 16;
    // x weights for 2 → 4: values 0, 63.75, 191.25, 255 (first row; all rows are equal)
    const expected = [0, 63.75, 191.25, 255];
    for (let x = 0; x < 4; x++) {
      for (let y = 0; y < 4; y++) {
        expect(t[y * 4 + x]).toBeCloseTo(expected[x]! / 255 - 0.5, 6);
        expect(t[plane + y * 4 + x]).toBeCloseTo((255 - expected[x]!) / 255 - 0.5, 6);
        expect(t[2 * plane + y * 4 + x]).toBeCloseTo(0.2 - 0.5, 6);
      }
    }
  });

  it('applies mean and std from the catalog', () => {
    const t = toInputTensor(rgba([255, 0, 102, 255]), 1, 1, 1, {
      mean: [0.5, 0.25, 0],
      std: [0.5, 1, 2],
    });
    expect(t[0]).toBeCloseTo((1 - 0.5) / 0.5, 6);
    expect(t[1]).toBeCloseTo((0 - 0.25) / 1, 6);
    expect(t[2]).toBeCloseTo(0.4 / 2, 6);
  });

  it('rejects pixel buffers that do not match the size', () => {
    expect(() => toInputTensor(new Uint8ClampedArray(12), 2, 2, 4, ISNET)).toThrow(RangeError);
  });
});

describe('upscaleMask', () => {
  it('upscales 2×2 → 4×1 with the same half-pixel formula', () => {
    // rows [0, 1] and [1, 0.5]; height 1 samples sy = 0.5 (half of each row)
    const mask = new Float32Array([0, 1, 1, 0.5]);
    const out = upscaleMask(mask, 2, 4, 1);
    expect(out[0]).toBeCloseTo(0.5, 6);
    expect(out[1]).toBeCloseTo(0.5625, 6);
    expect(out[2]).toBeCloseTo(0.6875, 6);
    expect(out[3]).toBeCloseTo(0.75, 6);
  });

  it('clamps to [0, 1]', () => {
    const out = upscaleMask(new Float32Array([1.5, -0.25, 0.5, 0.5]), 2, 2, 2);
    expect([...out]).toEqual([1, 0, 0.5, 0.5]);
  });

  it('keeps a constant mask constant at any size', () => {
    const out = upscaleMask(new Float32Array(16).fill(0.25), 4, 7, 3);
    expect(out.every((v) => v === 0.25)).toBe(true);
  });
});

describe('maskToAlpha', () => {
  it('rounds 255·m half up, like Java Math.round', () => {
    const alpha = maskToAlpha(new Float32Array([0, 0.5, 1, 0.25, 0.998]));
    expect([...alpha]).toEqual([0, 128, 255, 64, 254]);
  });

  it('multiplies by the original alpha: round(alpha · orig / 255)', () => {
    const original = rgba([9, 9, 9, 128], [9, 9, 9, 128], [9, 9, 9, 0], [9, 9, 9, 255]);
    const alpha = maskToAlpha(new Float32Array([1, 0.5, 1, 0.5]), original);
    // 255·128/255 = 128; 128·128/255 = 64.25 → 64; anything · 0 = 0; opaque leaves 128
    expect([...alpha]).toEqual([128, 64, 0, 128]);
  });
});

describe('inspectMask (a failed backend returns zeros or NaN)', () => {
  it('flags an all-zero mask', () => {
    expect(inspectMask(new Float32Array(64))).toBe('all-zero');
  });

  it('flags NaN anywhere, even next to valid values', () => {
    const mask = new Float32Array([0.2, 0.9, NaN, 0]);
    expect(inspectMask(mask)).toBe('nan');
  });

  it('accepts a mask with any non-zero probability', () => {
    const mask = new Float32Array(64);
    mask[63] = 1e-7;
    expect(inspectMask(mask)).toBe('ok');
  });
});

describe('withAlpha and hasTransparency', () => {
  it('keeps RGB even where alpha becomes 0', () => {
    const out = withAlpha(rgba([10, 20, 30, 255], [40, 50, 60, 255]), new Uint8Array([0, 200]));
    expect([...out]).toEqual([10, 20, 30, 0, 40, 50, 60, 200]);
  });

  it('detects any non-opaque pixel', () => {
    expect(hasTransparency(rgba([1, 2, 3, 255], [1, 2, 3, 255]))).toBe(false);
    expect(hasTransparency(rgba([1, 2, 3, 255], [1, 2, 3, 254]))).toBe(true);
  });
});
