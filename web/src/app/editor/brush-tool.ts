import type { Rect } from '../../shared/rect';
import { AlphaHistory, paintDisc, unionRect, type BrushMode, type BrushPlane } from './alpha-brush';
import type { AlphaCanvas } from './alpha-canvas';
import type { StageTool } from './stage';
import type { Point } from './view-transform';

/** Maps a pointer to image pixels, and says how many screen pixels one image pixel covers. */
export interface PointerMapping {
  toImage(clientX: number, clientY: number): Point;
  readonly scale: number;
}

/**
 * Pointer strokes that erase or restore alpha, soft or hard. Dabs are spaced at a quarter of the
 * radius so a fast stroke leaves no gaps; each stroke is one undo step, as is a new mask from a
 * subject box.
 */
export class BrushTool implements StageTool {
  mode: BrushMode | undefined;
  /** Brush diameter in screen pixels, so the brush feels the same at every zoom. */
  diameter = 40;
  /** 1: hard; 0: soft all the way from the centre (see discWeight). */
  hardness = 1;
  readonly history: AlphaHistory;
  private readonly plane: BrushPlane;
  private last: Point | undefined;

  constructor(
    private readonly mapping: PointerMapping,
    private readonly view: AlphaCanvas,
    alpha: Uint8ClampedArray,
    restoreTo: Uint8ClampedArray,
    private readonly changed: () => void,
  ) {
    this.history = new AlphaHistory(alpha, view.width);
    this.plane = { alpha, restoreTo, width: view.width, height: view.height };
  }

  undo(): void {
    this.cancel();
    this.redrawAfter(this.history.undo());
  }

  redo(): void {
    this.cancel();
    this.redrawAfter(this.history.redo());
  }

  /**
   * Puts a whole new mask in place (the subject box's), as one undo step. A stroke in progress
   * ends first, so that undoing it cannot bring back the mask from before.
   */
  replace(next: Uint8ClampedArray): void {
    this.finish();
    this.redrawAfter(this.history.replace(next));
  }

  down(event: PointerEvent): void {
    if (!this.mode) return;
    this.history.beginStroke();
    this.last = undefined;
    this.dabTo(event);
  }

  move(event: PointerEvent): void {
    if (this.history.stroking) this.dabTo(event);
  }

  up(): void {
    this.finish();
  }

  /** Drops the stroke in progress and puts the alpha back as it was before it. */
  cancel(): void {
    this.last = undefined;
    const rect = this.history.cancelStroke();
    if (rect) this.view.redraw(rect);
  }

  private finish(): void {
    if (!this.history.stroking) return;
    this.last = undefined;
    this.history.endStroke();
    this.changed();
  }

  private dabTo(event: PointerEvent): void {
    const mode = this.mode;
    if (!mode) return;
    const p = this.mapping.toImage(event.clientX, event.clientY);
    const radius = Math.max(0.5, this.diameter / 2 / this.mapping.scale);
    const from = this.last ?? p;
    const steps = Math.max(1, Math.ceil(Math.hypot(p.x - from.x, p.y - from.y) / (radius / 4)));
    let dirty: Rect | undefined;
    for (let i = 1; i <= steps; i++) {
      const dab = {
        x: from.x + ((p.x - from.x) * i) / steps,
        y: from.y + ((p.y - from.y) * i) / steps,
        radius,
        hardness: this.hardness,
      };
      dirty = unionRect(dirty, paintDisc(this.plane, this.history, dab, mode));
    }
    this.last = p;
    if (dirty) this.view.redraw(dirty);
  }

  private redrawAfter(rect: Rect | undefined): void {
    if (!rect) return;
    this.view.redraw(rect);
    this.changed();
  }
}
