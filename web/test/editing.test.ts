import { describe, expect, it } from 'vitest';
import { AlphaHistory, paintDisc, unionRect } from '../src/app/editor/alpha-brush';
import { defaultCropMargin, subjectBounds } from '../src/app/editor/crop';
import { parseHexColour } from '../src/app/editor/hex-colour';
import { flattenOver, solidPlane } from '../src/worker/pixels/composite';
import { cropPixels } from '../src/worker/pixels/crop';

describe('subjectBounds (crop to subject)', () => {
  // 6×4 alpha with a subject at x 2..3, y 1..2
  const alpha = new Uint8Array(24);
  alpha[1 * 6 + 2] = 255;
  alpha[2 * 6 + 3] = 1;

  it('is the bounding box of alpha > 0', () => {
    expect(subjectBounds(alpha, 6, 4, 0)).toEqual({ x: 2, y: 1, width: 2, height: 2 });
  });

  it('grows by the margin and clips to the image', () => {
    expect(subjectBounds(alpha, 6, 4, 1)).toEqual({ x: 1, y: 0, width: 4, height: 4 });
    expect(subjectBounds(alpha, 6, 4, 10)).toEqual({ x: 0, y: 0, width: 6, height: 4 });
  });

  it('is undefined for a fully transparent image', () => {
    expect(subjectBounds(new Uint8Array(24), 6, 4, 3)).toBeUndefined();
  });

  it('defaults the margin to 2% of the longer side', () => {
    expect(defaultCropMargin(4000, 3000)).toBe(80);
  });

  it('copies the rectangle out of RGBA rows', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => i);
    const out = cropPixels(rgba, 3, { x: 1, y: 1, width: 2, height: 1 }, 4);
    expect([...out]).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
  });
});

describe('paintDisc and AlphaHistory (erase / restore brush)', () => {
  const size = 9;
  const make = () => new Uint8ClampedArray(size * size).fill(200);
  const original = new Uint8ClampedArray(size * size).fill(255);
  const hard = (x: number, y: number, radius: number) => ({ x, y, radius, hardness: 1 });
  /** One stroke of hard dabs, recorded in `history`. */
  function stroke(
    alpha: Uint8ClampedArray,
    history: AlphaHistory,
    dabs: { x: number; y: number; radius: number; hardness: number }[],
    mode: 'erase' | 'restore' = 'erase',
    restoreTo = original,
  ) {
    history.beginStroke();
    const plane = { alpha, restoreTo, width: size, height: size };
    const rects = dabs.map((dab) => paintDisc(plane, history, dab, mode));
    history.endStroke();
    return rects;
  }

  it('erases a disc and leaves the rest', () => {
    const alpha = make();
    const [rect] = stroke(alpha, new AlphaHistory(alpha, size), [hard(4.5, 4.5, 2)]);
    expect(alpha[4 * size + 4]).toBe(0); // centre
    expect(alpha[4 * size + 6]).toBe(0); // pixel centre exactly r = 2 away: inside
    expect(alpha[4 * size + 7]).toBe(200); // 3 px away: outside
    expect(alpha[2 * size + 2]).toBe(200); // corner of the box, outside the disc
    expect(rect).toEqual({ x: 2, y: 2, width: 6, height: 6 });
  });

  it('restores to the original alpha, not to full opacity', () => {
    const alpha = make();
    const originalWithHole = new Uint8ClampedArray(original);
    originalWithHole[4 * size + 4] = 30;
    const history = new AlphaHistory(alpha, size);
    stroke(alpha, history, [hard(4.5, 4.5, 1)], 'restore', originalWithHole);
    expect(alpha[4 * size + 4]).toBe(30);
    expect(alpha[4 * size + 3]).toBe(255);
  });

  it('returns undefined for a dab outside the image', () => {
    const alpha = make();
    expect(stroke(alpha, new AlphaHistory(alpha, size), [hard(-50, -50, 3)])).toEqual([undefined]);
  });

  it('undoes and redoes whole strokes', () => {
    const alpha = make();
    const history = new AlphaHistory(alpha, size);
    stroke(alpha, history, [hard(2, 2, 1.5), hard(6, 6, 1.5)]);
    const afterStroke = new Uint8ClampedArray(alpha);
    expect(afterStroke).not.toEqual(make());
    expect(history.canUndo).toBe(true);

    history.undo();
    expect(alpha).toEqual(make());
    expect(history.canRedo).toBe(true);
    history.redo();
    expect(alpha).toEqual(afterStroke);
  });

  it('a new stroke clears redo; a stroke that changes nothing is not recorded', () => {
    const alpha = make();
    const history = new AlphaHistory(alpha, size);
    stroke(alpha, history, [hard(4, 4, 1)]);
    history.undo();
    stroke(alpha, history, [hard(1, 1, 1)]);
    expect(history.canRedo).toBe(false);

    stroke(alpha, history, [hard(1, 1, 1)], 'restore', new Uint8ClampedArray(alpha));
    expect(history.steps).toBe(1);
    history.undo();
    // the no-op restore was not recorded, so undo reverted the erase at (1,1)
    expect(alpha).toEqual(make());
  });

  it('unionRect covers both rectangles', () => {
    expect(
      unionRect({ x: 1, y: 1, width: 2, height: 2 }, { x: 4, y: 0, width: 1, height: 1 }),
    ).toEqual({ x: 1, y: 0, width: 4, height: 3 });
  });
});

describe('flattenOver (colour or picture background)', () => {
  it('blends straight alpha over an opaque background', () => {
    const fg = new Uint8Array([200, 100, 0, 255, 200, 100, 0, 255, 7, 7, 7, 0]);
    const alpha = new Uint8Array([255, 51, 0]);
    const out = flattenOver(fg, alpha, solidPlane(3, [0, 0, 255]));
    expect([...out]).toEqual([200, 100, 0, 255, 40, 20, 204, 255, 0, 0, 255, 255]);
  });

  it('parses #rrggbb and refuses anything else', () => {
    expect(parseHexColour('#FF8000')).toEqual([255, 128, 0]);
    expect(() => parseHexColour('red')).toThrow(RangeError);
  });
});
