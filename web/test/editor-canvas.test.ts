import { describe, expect, it } from 'vitest';
import { discWeight, paintDisc } from '../src/app/editor/alpha-brush';
import { AlphaHistory, TILE } from '../src/app/editor/alpha-history';
import { blurRadius } from '../src/app/editor/blur-preview';
import { MAX_SCALE, ViewTransform } from '../src/app/editor/view-transform';
import { boxBlurSigma } from '../src/shared/blur';
import { boxBlur } from '../src/worker/pixels/blur';

describe('ViewTransform (zoom and pan of the editor’s stage)', () => {
  /** A 400×300 picture on an 800×450 stage, fitted: scale 1.5, centred across. */
  function fitted() {
    const view = new ViewTransform(400, 300);
    view.resize(800, 450);
    view.fit();
    return view;
  }

  it('fits the picture and centres it along its shorter side', () => {
    const view = fitted();
    expect(view.scale).toBe(1.5);
    expect(view.x).toBe(100);
    expect(view.y).toBe(0);
    expect(view.toImage({ x: 100, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(view.toImage({ x: 700, y: 450 })).toEqual({ x: 400, y: 300 });
  });

  it('keeps the image point under the pointer in place while zooming', () => {
    const view = fitted();
    const pointer = { x: 250, y: 120 };
    const under = view.toImage(pointer);
    view.zoomTo(4, pointer);
    expect(view.scale).toBe(4);
    const after = view.toImage(pointer);
    expect(after.x).toBeCloseTo(under.x, 9);
    expect(after.y).toBeCloseTo(under.y, 9);
  });

  it('maps stage points to image pixels and back at any zoom and pan', () => {
    const view = fitted();
    view.zoomTo(3.2, { x: 400, y: 200 });
    view.panBy(-37, 12);
    for (const p of [
      { x: 0, y: 0 },
      { x: 123.4, y: 56.7 },
      { x: 799, y: 449 },
    ]) {
      const image = view.toImage(p);
      expect(image.x).toBeCloseTo((p.x - view.x) / 3.2, 9);
      const back = view.toStage(image);
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
  });

  it('does not pan the picture out of view, nor zoom past its limits', () => {
    const view = fitted();
    view.zoomTo(4);
    view.panBy(10_000, 10_000);
    expect(view.x).toBe(0);
    expect(view.y).toBe(0);
    view.panBy(-100_000, -100_000);
    expect(view.x).toBe(800 - 400 * 4);
    expect(view.y).toBe(450 - 300 * 4);
    view.zoomTo(100);
    expect(view.scale).toBe(MAX_SCALE);
    view.zoomTo(0.01);
    expect(view.scale).toBe(1); // a picture smaller than the stage stops at 100%
    const big = new ViewTransform(4000, 3000);
    big.resize(800, 600);
    big.zoomTo(0.01);
    expect(big.scale).toBe(0.2);
  });
});

describe('the soft brush', () => {
  it('is full inside radius × hardness and fades smoothly to nothing at the radius', () => {
    expect(discWeight(0, 10, 0.5)).toBe(1);
    expect(discWeight(5, 10, 0.5)).toBe(1);
    expect(discWeight(7.5, 10, 0.5)).toBeCloseTo(0.5, 9);
    expect(discWeight(10, 10, 0.5)).toBe(0);
    expect(discWeight(9, 10, 0.5)).toBeGreaterThan(0);
    expect(discWeight(9, 10, 0.5)).toBeLessThan(discWeight(8, 10, 0.5));
    expect(discWeight(10, 10, 1)).toBe(1); // hard: the rim is in
    expect(discWeight(10.01, 10, 1)).toBe(0);
  });

  const width = 40;
  const height = 20;
  function softStroke(mode: 'erase' | 'restore', alphaValue: number, dabs: number[]) {
    const alpha = new Uint8ClampedArray(width * height).fill(alphaValue);
    const restoreTo = new Uint8ClampedArray(width * height).fill(240);
    const history = new AlphaHistory(alpha, width);
    history.beginStroke();
    for (const x of dabs) {
      paintDisc(
        { alpha, restoreTo, width, height },
        history,
        { x, y: 10, radius: 8, hardness: 0.25 },
        mode,
      );
    }
    history.endStroke();
    return alpha;
  }

  it('erases fully at the centre and partly at the rim', () => {
    const alpha = softStroke('erase', 255, [20]);
    expect(alpha[10 * width + 20]).toBe(0);
    const rim = alpha[10 * width + 26]!;
    expect(rim).toBeGreaterThan(0);
    expect(rim).toBeLessThan(255);
    expect(alpha[10 * width + 29]).toBe(255);
  });

  it('keeps the rim soft along a stroke of overlapping dabs', () => {
    const once = softStroke('erase', 255, [20]);
    const many = softStroke('erase', 255, [20, 20, 20, 20, 20]);
    // the same dab five times over: the rim stays as one dab left it
    expect(many[16 * width + 20]).toBe(once[16 * width + 20]);
  });

  it('restores toward the original alpha and never past it', () => {
    const alpha = softStroke('restore', 0, [20]);
    expect(alpha[10 * width + 20]).toBe(240);
    expect(Math.max(...alpha)).toBe(240);
    const rim = alpha[10 * width + 26]!;
    expect(rim).toBeGreaterThan(0);
    expect(rim).toBeLessThan(240);
  });
});

describe('AlphaHistory in tiles, within a byte budget', () => {
  const width = 4 * TILE;
  const height = 3 * TILE;
  const tileBytes = TILE * TILE;

  function eraseAt(history: AlphaHistory, alpha: Uint8ClampedArray, x: number, y: number) {
    const restoreTo = new Uint8ClampedArray(alpha.length).fill(255);
    history.beginStroke();
    paintDisc(
      { alpha, restoreTo, width, height },
      history,
      { x, y, radius: 3, hardness: 1 },
      'erase',
    );
    return history.endStroke();
  }

  it('keeps only the tiles a stroke changed', () => {
    const alpha = new Uint8ClampedArray(width * height).fill(255);
    const history = new AlphaHistory(alpha, width);
    const rect = eraseAt(history, alpha, 10, 10); // inside the first tile
    expect(rect).toEqual({ x: 0, y: 0, width: TILE, height: TILE });
    expect(history.bytes).toBe(tileBytes);
    eraseAt(history, alpha, TILE, TILE); // on a corner shared by four tiles
    expect(history.bytes).toBe(5 * tileBytes);
  });

  it('drops the oldest steps past the budget, and keeps the newest', () => {
    const alpha = new Uint8ClampedArray(width * height).fill(255);
    const history = new AlphaHistory(alpha, width, 2 * tileBytes);
    for (let i = 0; i < 4; i++) eraseAt(history, alpha, 10 + i * TILE, 10);
    expect(history.steps).toBe(2);
    expect(history.bytes).toBe(2 * tileBytes);
    history.undo();
    history.undo();
    expect(history.canUndo).toBe(false);
    // the two kept steps are undone; the dropped ones stay as they were
    expect(alpha[10 * width + 10 + 3 * TILE]).toBe(255);
    expect(alpha[10 * width + 10 + 2 * TILE]).toBe(255);
    expect(alpha[10 * width + 10 + TILE]).toBe(0);
    expect(alpha[10 * width + 10]).toBe(0);
    // a step bigger than the budget is still kept, alone
    const tiny = new AlphaHistory(alpha, width, 1);
    eraseAt(tiny, alpha, TILE, TILE);
    expect(tiny.steps).toBe(1);
  });

  it('cancels a stroke in progress, putting the alpha back', () => {
    const alpha = new Uint8ClampedArray(width * height).fill(200);
    const history = new AlphaHistory(alpha, width);
    const restoreTo = new Uint8ClampedArray(alpha.length).fill(255);
    history.beginStroke();
    paintDisc(
      { alpha, restoreTo, width, height },
      history,
      { x: 64, y: 64, radius: 20, hardness: 1 },
      'erase',
    );
    expect(alpha[64 * width + 64]).toBe(0);
    history.cancelStroke();
    expect(alpha.every((v) => v === 200)).toBe(true);
    expect(history.canUndo).toBe(false);
  });

  it('undoes and redoes across edge tiles of an image not a multiple of the tile', () => {
    const w = TILE + 5;
    const h = TILE + 3;
    const alpha = new Uint8ClampedArray(w * h).map((_, i) => i % 251);
    const start = new Uint8ClampedArray(alpha);
    const history = new AlphaHistory(alpha, w);
    const next = new Uint8ClampedArray(alpha.length).fill(7);
    history.replace(next);
    expect(alpha).toEqual(next);
    history.undo();
    expect(alpha).toEqual(start);
    history.redo();
    expect(alpha).toEqual(next);
  });
});

describe('the blur background', () => {
  it('leaves a flat image flat and opaque', () => {
    const rgba = new Uint8ClampedArray(12 * 8 * 4).fill(90);
    const out = boxBlur(rgba, 12, 8, 3);
    for (let i = 0; i < out.length; i += 4) {
      expect([out[i], out[i + 1], out[i + 2], out[i + 3]]).toEqual([90, 90, 90, 255]);
    }
  });

  /** A bright point in a row of 101 pixels, blurred; returns the row's red values. */
  function blurredPoint(radius: number): number[] {
    const rgba = new Uint8ClampedArray(101 * 4);
    rgba[50 * 4] = 255;
    const out = boxBlur(rgba, 101, 1, radius);
    return Array.from({ length: 101 }, (_, x) => out[x * 4]!);
  }

  it('reaches three radii from a point, and no further', () => {
    const row = blurredPoint(1);
    expect(row[53]).toBeGreaterThan(0);
    expect(row[47]).toBeGreaterThan(0);
    expect(row[54]).toBe(0);
    expect(row[46]).toBe(0);
  });

  it('spreads a point like a gaussian of boxBlurSigma(radius)', () => {
    const row = blurredPoint(4);
    const sum = row.reduce((a, b) => a + b, 0);
    const variance = row.reduce((a, v, x) => a + v * (x - 50) ** 2, 0) / sum;
    expect(Math.abs(Math.sqrt(variance) - boxBlurSigma(4))).toBeLessThan(0.3);
  });

  it('takes 1.5% of the longer side as its radius', () => {
    expect(blurRadius(4000, 3000)).toBe(60);
    expect(blurRadius(50, 20)).toBe(2);
  });
});
