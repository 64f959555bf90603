import { describe, expect, it } from 'vitest';
// The worked examples of the processing contract, shared with core's ContractTest.java.
import contract from '../../core/src/test/resources/dev/cutout/core/contract-cases.json';
import { CutoutError } from '../src/shared/errors';
import { parseSubjectBox, placeSubjectBox } from '../src/shared/subject-box';
import { axisSamples } from '../src/worker/pixels/bilinear';
import { placeMask } from '../src/worker/pixels/placement';
import {
  cutOutInPlace,
  hasTransparency,
  inspectMask,
  maskToAlpha,
  upscaleMask,
  withAlpha,
  hasSubject,
  maskHasSubject,
  scaleOutput,
} from '../src/worker/pixels/postprocess';
import { largestChannel, toInputTensor } from '../src/worker/pixels/preprocess';

type Triple = [number, number, number];

/** The shape of contract-cases.json (see its "about"). */
interface ContractCases {
  resizeTaps: {
    name: string;
    src: number;
    dst: number;
    lo: number[];
    hi: number[];
    frac: number[];
  }[];
  tensor: {
    tolerance: number;
    cases: {
      name: string;
      width: number;
      height: number;
      size: number;
      mean: Triple;
      std: Triple;
      pixels: number[][];
      samples: number[][];
    }[];
  };
  maskUpscale: {
    name: string;
    size: number;
    probabilities?: number[];
    fill?: number;
    set?: [number, number][];
    width: number;
    height: number;
    expect: number[];
  }[];
  alpha: { name: string; mask: number[]; imageAlpha?: number[]; expect: number[] }[];
  cutout: { name: string; pixels: number[][]; mask: number[]; expect: number[][] }[];
  subject: {
    name: string;
    pixels: number;
    fill: number;
    runs: [number, number][];
    expect: boolean;
  }[];
  subjectBox: {
    name: string;
    text: string;
    width: number;
    height: number;
    box?: XYWH;
    region?: XYWH;
    error?: string;
  }[];
  placement: {
    name: string;
    width: number;
    height: number;
    box: XYWH;
    region: XYWH;
    mask: number[];
    expect: number[];
  }[];
  inputScale: {
    name: string;
    width: number;
    height: number;
    size: number;
    mean: Triple;
    std: Triple;
    pixels: number[][];
    divisor: number;
    samples: number[][];
  }[];
  outputScaling: { name: string; output: number[]; expect: number[] }[];
}

/** A rectangle as the cases write it: [x, y, width, height]. */
type XYWH = [number, number, number, number];

const rect = ([x, y, width, height]: XYWH) => ({ x, y, width, height });

const cases = contract as unknown as ContractCases;

const ISNET = { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } as const;

/** Builds RGBA pixels from [r, g, b, a] tuples. */
const rgba = (...pixels: number[][]) => new Uint8ClampedArray(pixels.flat());

describe('resize taps (half-pixel centres, clamped)', () => {
  it.each(cases.resizeTaps.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const s = axisSamples(c.src, c.dst);
    expect([...s.i0]).toEqual(c.lo);
    expect([...s.i1]).toEqual(c.hi);
    expect([...s.f]).toEqual(c.frac);
  });
});

describe('tensor values (resize + NCHW, (v/255 - mean) / std)', () => {
  it.each(cases.tensor.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const t = toInputTensor(rgba(...c.pixels), c.width, c.height, c.size, c);
    expect(t.length).toBe(3 * c.size * c.size);
    const plane = c.size * c.size;
    for (const [x, y, ...rgb] of c.samples) {
      for (let channel = 0; channel < 3; channel++) {
        const expected = (rgb[channel]! / 255 - c.mean[channel]!) / c.std[channel]!;
        const actual = t[channel * plane + y! * c.size + x!]!;
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(cases.tensor.tolerance);
      }
    }
  });

  it('rejects pixel buffers that do not match the size', () => {
    expect(() => toInputTensor(new Uint8ClampedArray(12), 2, 2, 4, ISNET)).toThrow(RangeError);
  });
});

describe('inputScale image-max (values divided by the largest channel of the pixels seen)', () => {
  it.each(cases.inputScale.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const pixels = rgba(...c.pixels);
    expect(largestChannel(pixels)).toBe(c.divisor);
    const t = toInputTensor(pixels, c.width, c.height, c.size, { ...c, inputScale: 'image-max' });
    const plane = c.size * c.size;
    for (const [x, y, ...rgb] of c.samples) {
      for (let channel = 0; channel < 3; channel++) {
        const expected = (rgb[channel]! / c.divisor - c.mean[channel]!) / c.std[channel]!;
        const actual = t[channel * plane + y! * c.size + x!]!;
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(cases.tensor.tolerance);
      }
    }
  });

  it('ignores alpha when looking for the largest value', () => {
    expect(largestChannel(rgba([10, 20, 30, 255], [40, 5, 6, 0]))).toBe(40);
  });
});

describe('outputScaling min-max', () => {
  it.each(cases.outputScaling.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const out = scaleOutput(new Float32Array(c.output), 'min-max');
    expect(out.length).toBe(c.expect.length);
    c.expect.forEach((expected, i) => expect(out[i]).toBeCloseTo(expected, 6));
  });

  it('leaves the output of a model without scaling as it is', () => {
    const output = new Float32Array([0.2, 0.4]);
    expect(scaleOutput(output, 'none')).toBe(output);
  });

  it('leaves NaN in place, for inspectMask to refuse', () => {
    expect(inspectMask(scaleOutput(new Float32Array([0.1, NaN, 0.9]), 'min-max'))).toBe('nan');
  });
});

describe('mask upscale', () => {
  it.each(cases.maskUpscale.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const mask = c.probabilities
      ? new Float32Array(c.probabilities)
      : new Float32Array(c.size * c.size).fill(c.fill!);
    for (const [index, value] of c.set ?? []) mask[index] = value;
    const out = upscaleMask(mask, c.size, c.width, c.height);
    expect(out.length).toBe(c.expect.length);
    c.expect.forEach((expected, i) => expect(out[i]).toBeCloseTo(expected, 6));
  });
});

describe('alpha rounding', () => {
  it.each(cases.alpha.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const original = c.imageAlpha?.map((a) => [9, 9, 9, a]);
    const alpha = maskToAlpha(new Float32Array(c.mask), original && rgba(...original));
    expect([...alpha]).toEqual(c.expect);
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

describe('whether a mask holds a subject', () => {
  it.each(cases.subject.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const alpha = new Uint8Array(c.pixels).fill(c.fill);
    let at = 0;
    for (const [count, value] of c.runs) alpha.fill(value, at, (at += count));
    expect(hasSubject(alpha)).toBe(c.expect);
    // the worker decides on the probabilities, before making alpha: the same verdict
    const probabilities = Float32Array.from(alpha, (a) => a / 255);
    expect(maskHasSubject(probabilities)).toBe(c.expect);
  });
});

describe('the transparent output', () => {
  it.each(cases.cutout.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const pixels = rgba(...c.pixels);
    const out = withAlpha(pixels, maskToAlpha(new Float32Array(c.mask), pixels));
    expect([...out]).toEqual(c.expect.flat());
  });
});

describe('the transparent output made in place (the worker’s path)', () => {
  it.each(cases.cutout.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const pixels = rgba(...c.pixels);
    cutOutInPlace(pixels, new Float32Array(c.mask));
    expect([...pixels]).toEqual(c.expect.flat());
  });

  it('gives the bytes of withAlpha(maskToAlpha) on every rounding edge and original alpha', () => {
    // mask values at and around each k/255 and each half step, over translucent, opaque and
    // transparent originals; the colours are kept where alpha survives, so they must differ
    const values: number[] = [];
    for (let k = 0; k <= 255; k++) {
      for (const d of [-1e-7, 0, 1e-7]) values.push((k + 0.5) / 255 + d, k / 255 + d);
    }
    const mask = Float32Array.from(values, (v) => Math.min(1, Math.max(0, v)));
    const pixels = new Uint8ClampedArray(mask.length * 4);
    for (let i = 0; i < mask.length; i++) {
      pixels.set(
        [(i * 7) & 255, (i * 13) & 255, (i * 29) & 255, [255, 0, 1, 128, 254][i % 5]!],
        i * 4,
      );
    }
    const expected = withAlpha(pixels, maskToAlpha(mask, pixels));
    const inPlace = new Uint8ClampedArray(pixels);
    cutOutInPlace(inPlace, mask);
    expect(inPlace).toEqual(expected);
    expect(new Set(inPlace.filter((_, i) => i % 4 === 3)).size).toBeGreaterThan(200);
  });

  it('refuses a mask of another size', () => {
    expect(() => cutOutInPlace(new Uint8ClampedArray(8), new Float32Array(3))).toThrow(RangeError);
  });
});

describe('withAlpha and hasTransparency', () => {
  it('clears the colour where alpha becomes 0 and keeps it elsewhere', () => {
    const out = withAlpha(rgba([10, 20, 30, 255], [40, 50, 60, 255]), new Uint8Array([0, 200]));
    expect([...out]).toEqual([0, 0, 0, 0, 40, 50, 60, 200]);
  });

  it('detects any non-opaque pixel', () => {
    expect(hasTransparency(rgba([1, 2, 3, 255], [1, 2, 3, 255]))).toBe(false);
    expect(hasTransparency(rgba([1, 2, 3, 255], [1, 2, 3, 254]))).toBe(true);
  });
});

describe('subject box (parse, then place on the image)', () => {
  it.each(cases.subjectBox.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const place = () => placeSubjectBox(parseSubjectBox(c.text), c.width, c.height);
    if (c.error) {
      expect(place).toThrow(CutoutError);
      expect(place).toThrow(expect.objectContaining({ code: 'bad-box' }));
      expect(place).toThrow(c.error);
      return;
    }
    expect(place()).toEqual({ box: rect(c.box!), region: rect(c.region!) });
  });
});

describe('placement (the region’s mask back on the whole image)', () => {
  it.each(cases.placement.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const placement = { box: rect(c.box), region: rect(c.region) };
    const placed = placeMask(new Float32Array(c.mask), placement, c.width, c.height);
    expect([...placed]).toEqual(c.expect);
  });
});
