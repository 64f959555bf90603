import type { Rect } from '../../shared/rect';

export type BrushMode = 'erase' | 'restore';

/**
 * Paints a hard-edged disc into an alpha plane. Erase sets alpha to 0; restore sets it back to
 * `restoreTo` (the original image's alpha), so restoring never invents opacity the photo lacked.
 * Returns the touched rectangle, or undefined when the disc lies outside the image.
 */
export function paintDisc(
  alpha: Uint8ClampedArray,
  restoreTo: Uint8ClampedArray,
  width: number,
  height: number,
  cx: number,
  cy: number,
  radius: number,
  mode: BrushMode,
): Rect | undefined {
  const x0 = Math.max(0, Math.floor(cx - radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius));
  if (x0 > x1 || y0 > y1) return undefined;
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      if (dx * dx + dy * dy > r2) continue;
      const i = y * width + x;
      alpha[i] = mode === 'erase' ? 0 : restoreTo[i]!;
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export function unionRect(a: Rect | undefined, b: Rect | undefined): Rect | undefined {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

interface Patch {
  readonly rect: Rect;
  readonly before: Uint8ClampedArray;
  readonly after: Uint8ClampedArray;
}

/**
 * Undo/redo for brush strokes on one alpha plane. Each stroke stores only the rectangle it
 * touched (before and after), not a copy of the whole plane.
 */
export class AlphaHistory {
  private readonly undoStack: Patch[] = [];
  private readonly redoStack: Patch[] = [];
  private strokeStart: Uint8ClampedArray | undefined;

  constructor(
    private readonly alpha: Uint8ClampedArray,
    private readonly width: number,
    private readonly limit = 50,
  ) {}

  beginStroke(): void {
    this.strokeStart = new Uint8ClampedArray(this.alpha);
  }

  endStroke(touched: Rect | undefined): void {
    const start = this.strokeStart;
    this.strokeStart = undefined;
    if (!start || !touched) return;
    const before = this.copyRect(start, touched);
    const after = this.copyRect(this.alpha, touched);
    if (before.every((v, i) => v === after[i])) return;
    this.push({ rect: touched, before, after });
  }

  /**
   * Replaces the whole plane with `next` (a new mask from a subject box) as one step, like a
   * stroke. The step keeps only the rectangle where the two differ. Returns that rectangle.
   */
  replace(next: Uint8ClampedArray): Rect | undefined {
    if (next.length !== this.alpha.length) throw new RangeError('the new alpha is not this size');
    const rect = differingRect(this.alpha, next, this.width);
    if (!rect) return undefined;
    const before = this.copyRect(this.alpha, rect);
    const after = this.copyRect(next, rect);
    this.writeRect(rect, after);
    this.push({ rect, before, after });
    return rect;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Returns the rectangle that changed, for redrawing. */
  undo(): Rect | undefined {
    const patch = this.undoStack.pop();
    if (!patch) return undefined;
    this.writeRect(patch.rect, patch.before);
    this.redoStack.push(patch);
    return patch.rect;
  }

  redo(): Rect | undefined {
    const patch = this.redoStack.pop();
    if (!patch) return undefined;
    this.writeRect(patch.rect, patch.after);
    this.undoStack.push(patch);
    return patch.rect;
  }

  private push(patch: Patch): void {
    this.undoStack.push(patch);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  private copyRect(src: Uint8ClampedArray, rect: Rect): Uint8ClampedArray {
    const out = new Uint8ClampedArray(rect.width * rect.height);
    for (let y = 0; y < rect.height; y++) {
      const from = (rect.y + y) * this.width + rect.x;
      out.set(src.subarray(from, from + rect.width), y * rect.width);
    }
    return out;
  }

  private writeRect(rect: Rect, data: Uint8ClampedArray): void {
    for (let y = 0; y < rect.height; y++) {
      const to = (rect.y + y) * this.width + rect.x;
      this.alpha.set(data.subarray(y * rect.width, (y + 1) * rect.width), to);
    }
  }
}

/** The smallest rectangle holding every pixel where two planes of one size differ. */
function differingRect(
  a: Uint8ClampedArray,
  b: Uint8ClampedArray,
  width: number,
): Rect | undefined {
  let minX = width;
  let minY = -1;
  let maxX = -1;
  let maxY = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (minY < 0) minY = y;
    maxY = y;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  if (maxX < 0) return undefined;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
