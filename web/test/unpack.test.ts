import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../src/worker/image-codec';
import { editorPlanes } from '../src/worker/unpack';

const image = (width: number, height: number, rgba: number[]): DecodedImage => ({
  width,
  height,
  rgba: new Uint8ClampedArray(rgba),
});

/** A 2×1 cutout: a transparent pixel whose colour a canvas would have lost, and an opaque one. */
const cutout = image(2, 1, [0, 0, 0, 0, 10, 20, 30, 255]);

describe('the editor planes the worker unpacks', () => {
  it('take the colours from the original and the alpha from the cutout', () => {
    const original = image(2, 1, [200, 100, 50, 255, 11, 21, 31, 255]);
    const planes = editorPlanes(cutout, original);
    expect(planes.width).toBe(2);
    expect(planes.height).toBe(1);
    expect([...planes.pixels]).toEqual([200, 100, 50, 255, 11, 21, 31, 255]);
    expect([...planes.alpha]).toEqual([0, 255]);
  });

  it('keep an original that has its own transparency as it is', () => {
    const original = image(2, 1, [200, 100, 50, 128, 11, 21, 31, 255]);
    expect([...editorPlanes(cutout, original).pixels]).toEqual([
      200, 100, 50, 128, 11, 21, 31, 255,
    ]);
  });

  it("fall back to the cutout's colours, made opaque, when the original is missing", () => {
    const planes = editorPlanes(cutout, undefined);
    expect([...planes.pixels]).toEqual([0, 0, 0, 255, 10, 20, 30, 255]);
    expect([...planes.alpha]).toEqual([0, 255]);
  });

  it('fall back to the cutout when the original has another size (orientation read differently)', () => {
    const rotated = image(1, 2, [200, 100, 50, 255, 11, 21, 31, 255]);
    expect([...editorPlanes(cutout, rotated).pixels]).toEqual([0, 0, 0, 255, 10, 20, 30, 255]);
  });

  it('leave the decoded cutout untouched', () => {
    editorPlanes(cutout, undefined);
    expect([...cutout.rgba]).toEqual([0, 0, 0, 0, 10, 20, 30, 255]);
  });
});
