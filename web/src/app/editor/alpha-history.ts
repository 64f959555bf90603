import type { Rect } from '../../shared/rect';

/** Side of the square tiles the history saves, in pixels: 4 KiB of alpha each. */
export const TILE = 64;

/**
 * Undo steps are dropped, oldest first, once they hold more than this many bytes. 64 MiB is five
 * whole-image steps (a new mask from a subject box) on a 12-megapixel photo, and hundreds of
 * brush strokes.
 */
export const DEFAULT_BUDGET = 64 * 1024 * 1024;

/** One tile a stroke has touched: its alpha from before the stroke, and the stroke's weights. */
export interface StrokeTile {
  /** TILE × TILE, row stride TILE, whatever the tile's size at the image's edge. */
  readonly before: Uint8ClampedArray;
  /** How strongly the stroke has reached each pixel so far, 0..255 (a soft brush's rim < 255). */
  readonly weight: Uint8Array;
}

/** A saved tile: the plane's other state there (before the step while it is done, after it once undone). */
interface SavedTile {
  readonly index: number;
  readonly data: Uint8ClampedArray;
}

interface Step {
  readonly tiles: readonly SavedTile[];
  /** The tiles' bounding rectangle, for redrawing. */
  readonly rect: Rect;
  readonly bytes: number;
}

/**
 * Undo/redo for one alpha plane, in tiles. A stroke copies a tile the first time it touches it
 * (no copy of the whole plane per stroke); when the stroke ends, only the tiles it changed are
 * kept. A step holds one copy of each of its tiles and undo/redo swap it with the plane, so a
 * step costs 4 KiB per changed tile. Steps are dropped, oldest first, past `budget` bytes; the
 * latest step is always kept.
 */
export class AlphaHistory {
  readonly height: number;
  private readonly tilesX: number;
  private readonly undoStack: Step[] = [];
  private readonly redoStack: Step[] = [];
  private heldBytes = 0;
  /** The stroke in progress: the tiles it touched so far, by tile index. */
  private stroke: Map<number, StrokeTile> | undefined;

  constructor(
    private readonly alpha: Uint8ClampedArray,
    private readonly width: number,
    private readonly budget = DEFAULT_BUDGET,
  ) {
    if (width <= 0 || alpha.length % width !== 0) throw new RangeError('alpha is not width × h');
    this.height = alpha.length / width;
    this.tilesX = Math.ceil(width / TILE);
  }

  /** Bytes the undo and redo steps hold (not counting a stroke in progress). */
  get bytes(): number {
    return this.heldBytes;
  }

  get steps(): number {
    return this.undoStack.length;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  get stroking(): boolean {
    return this.stroke !== undefined;
  }

  beginStroke(): void {
    this.stroke = new Map();
  }

  /**
   * The stroke's tile holding pixel (x, y), saved before the stroke first writes to it. Only
   * during a stroke; the brush writes the plane itself.
   */
  strokeTile(x: number, y: number): StrokeTile {
    const stroke = this.stroke;
    if (!stroke) throw new Error('no stroke in progress');
    const index = Math.floor(y / TILE) * this.tilesX + Math.floor(x / TILE);
    let tile = stroke.get(index);
    if (!tile) {
      tile = { before: this.readTile(index), weight: new Uint8Array(TILE * TILE) };
      stroke.set(index, tile);
    }
    return tile;
  }

  /**
   * Ends the stroke: the tiles it changed become one undo step, and redo is cleared. A stroke
   * that changed nothing is no step. Returns the changed tiles' rectangle.
   */
  endStroke(): Rect | undefined {
    const stroke = this.stroke;
    this.stroke = undefined;
    if (!stroke) return undefined;
    const tiles: SavedTile[] = [];
    for (const [index, tile] of stroke) {
      if (!this.tileEquals(index, tile.before)) tiles.push({ index, data: tile.before });
    }
    return this.push(tiles);
  }

  /** Drops the stroke in progress and puts back what it changed. Returns the rectangle to redraw. */
  cancelStroke(): Rect | undefined {
    const stroke = this.stroke;
    this.stroke = undefined;
    if (!stroke) return undefined;
    let rect: Rect | undefined;
    for (const [index, tile] of stroke) {
      this.writeTile(index, tile.before);
      rect = unionRect(rect, this.tileRect(index));
    }
    return rect;
  }

  /**
   * Replaces the whole plane with `next` (a new mask from a subject box) as one step, like a
   * stroke; the step keeps only the tiles where the two differ. Returns the smallest rectangle
   * holding every changed pixel.
   */
  replace(next: Uint8ClampedArray): Rect | undefined {
    if (next.length !== this.alpha.length) throw new RangeError('the new alpha is not this size');
    const rect = differingRect(this.alpha, next, this.width);
    if (!rect) return undefined;
    const tiles: SavedTile[] = [];
    const tileCount = this.tilesX * Math.ceil(this.height / TILE);
    for (let index = 0; index < tileCount; index++) {
      const incoming = this.readTile(index, next);
      if (this.tileEquals(index, incoming)) continue;
      tiles.push({ index, data: this.readTile(index) });
      this.writeTile(index, incoming);
    }
    this.push(tiles);
    return rect;
  }

  /** Returns the rectangle that changed, for redrawing. */
  undo(): Rect | undefined {
    const step = this.undoStack.pop();
    if (!step) return undefined;
    this.swap(step);
    this.redoStack.push(step);
    return step.rect;
  }

  redo(): Rect | undefined {
    const step = this.redoStack.pop();
    if (!step) return undefined;
    this.swap(step);
    this.undoStack.push(step);
    return step.rect;
  }

  private push(tiles: SavedTile[]): Rect | undefined {
    if (tiles.length === 0) return undefined;
    let rect: Rect | undefined;
    for (const tile of tiles) rect = unionRect(rect, this.tileRect(tile.index));
    const step: Step = { tiles, rect: rect!, bytes: tiles.length * TILE * TILE };
    for (const dropped of this.redoStack) this.heldBytes -= dropped.bytes;
    this.redoStack.length = 0;
    this.undoStack.push(step);
    this.heldBytes += step.bytes;
    while (this.heldBytes > this.budget && this.undoStack.length > 1) {
      this.heldBytes -= this.undoStack.shift()!.bytes;
    }
    return step.rect;
  }

  /** Exchanges the step's saved tiles with the plane's: undo and redo are the same move. */
  private swap(step: Step): void {
    const scratch = new Uint8ClampedArray(TILE * TILE);
    for (const tile of step.tiles) {
      this.readTile(tile.index, this.alpha, scratch);
      this.writeTile(tile.index, tile.data);
      tile.data.set(scratch);
    }
  }

  private tileRect(index: number): Rect {
    const x = (index % this.tilesX) * TILE;
    const y = Math.floor(index / this.tilesX) * TILE;
    return {
      x,
      y,
      width: Math.min(TILE, this.width - x),
      height: Math.min(TILE, this.height - y),
    };
  }

  private readTile(
    index: number,
    from: Uint8ClampedArray = this.alpha,
    out = new Uint8ClampedArray(TILE * TILE),
  ): Uint8ClampedArray {
    const r = this.tileRect(index);
    for (let y = 0; y < r.height; y++) {
      const start = (r.y + y) * this.width + r.x;
      out.set(from.subarray(start, start + r.width), y * TILE);
    }
    return out;
  }

  private writeTile(index: number, data: Uint8ClampedArray): void {
    const r = this.tileRect(index);
    for (let y = 0; y < r.height; y++) {
      this.alpha.set(data.subarray(y * TILE, y * TILE + r.width), (r.y + y) * this.width + r.x);
    }
  }

  private tileEquals(index: number, data: Uint8ClampedArray): boolean {
    const r = this.tileRect(index);
    for (let y = 0; y < r.height; y++) {
      const row = (r.y + y) * this.width + r.x;
      for (let x = 0; x < r.width; x++) {
        if (this.alpha[row + x] !== data[y * TILE + x]) return false;
      }
    }
    return true;
  }
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
