import type { Rect } from '../../shared/rect';
import { AlphaHistory, paintDisc, unionRect, type BrushMode } from './alpha-brush';
import type { AlphaCanvas } from './alpha-canvas';

/**
 * Pointer strokes that erase or restore alpha. Dabs are spaced at a quarter of the radius so a
 * fast stroke leaves no gaps; each stroke is one undo step, as is a new mask from a subject box.
 */
export class BrushTool {
  mode: BrushMode | undefined;
  /** Brush diameter in screen pixels, so the brush feels the same at every zoom. */
  diameter = 40;
  readonly history: AlphaHistory;
  private last: { x: number; y: number } | undefined;
  private touched: Rect | undefined;

  constructor(
    private readonly surface: HTMLElement,
    private readonly view: AlphaCanvas,
    private readonly alpha: Uint8ClampedArray,
    private readonly restoreTo: Uint8ClampedArray,
    private readonly changed: () => void,
  ) {
    this.history = new AlphaHistory(alpha, view.width);
    surface.addEventListener('pointerdown', this.down);
    surface.addEventListener('pointermove', this.move);
    surface.addEventListener('pointerup', this.up);
    surface.addEventListener('pointercancel', this.up);
  }

  detach(): void {
    this.surface.removeEventListener('pointerdown', this.down);
    this.surface.removeEventListener('pointermove', this.move);
    this.surface.removeEventListener('pointerup', this.up);
    this.surface.removeEventListener('pointercancel', this.up);
  }

  undo(): void {
    this.redrawAfter(this.history.undo());
  }

  redo(): void {
    this.redrawAfter(this.history.redo());
  }

  /**
   * Puts a whole new mask in place (the subject box's), as one undo step. A stroke in progress
   * ends first, so that undoing it cannot bring back the mask from before.
   */
  replace(next: Uint8ClampedArray): void {
    this.up();
    this.redrawAfter(this.history.replace(next));
  }

  private readonly down = (event: PointerEvent) => {
    if (!this.mode || event.button !== 0) return;
    event.preventDefault();
    this.surface.setPointerCapture(event.pointerId);
    this.history.beginStroke();
    this.touched = undefined;
    this.last = undefined;
    this.dabTo(event);
  };

  private readonly move = (event: PointerEvent) => {
    if (this.last) this.dabTo(event);
  };

  private readonly up = () => {
    if (!this.last) return;
    this.last = undefined;
    this.history.endStroke(this.touched);
    this.changed();
  };

  private dabTo(event: PointerEvent): void {
    const mode = this.mode;
    if (!mode) return;
    const p = this.view.toImage(event.clientX, event.clientY);
    const radius = Math.max(0.5, (this.diameter / 2) * p.scale);
    const from = this.last ?? p;
    const steps = Math.max(1, Math.ceil(Math.hypot(p.x - from.x, p.y - from.y) / (radius / 4)));
    let dirty: Rect | undefined;
    for (let i = 1; i <= steps; i++) {
      const x = from.x + ((p.x - from.x) * i) / steps;
      const y = from.y + ((p.y - from.y) * i) / steps;
      const { width, height } = this.view;
      dirty = unionRect(
        dirty,
        paintDisc(this.alpha, this.restoreTo, width, height, x, y, radius, mode),
      );
    }
    this.last = { x: p.x, y: p.y };
    this.touched = unionRect(this.touched, dirty);
    if (dirty) this.view.redraw(dirty);
  }

  private redrawAfter(rect: Rect | undefined): void {
    if (!rect) return;
    this.view.redraw(rect);
    this.changed();
  }
}
