import type { StageTool } from './stage';

/** A point on the page in CSS pixels, as PointerEvent.clientX/Y give it. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where the picture lies on the page, in CSS pixels (getBoundingClientRect). */
export interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A box of image pixels, corners inclusive: the subject box's pixel form. */
export interface BoxCorners {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** A drag shorter than this, in CSS pixels, is a click or a shaking hand, not a box. */
export const MIN_DRAG = 4;

/**
 * The image pixels under a rectangle dragged from `a` to `b` over a picture of width × height
 * pixels shown in `frame`: every pixel the rectangle touches, clamped to the image, corners
 * inclusive. Undefined for a drag under {@link MIN_DRAG} CSS pixels.
 */
export function dragToBox(
  a: Point,
  b: Point,
  frame: Frame,
  width: number,
  height: number,
): BoxCorners | undefined {
  if (Math.hypot(b.x - a.x, b.y - a.y) < MIN_DRAG) return undefined;
  const sx = width / frame.width;
  const sy = height / frame.height;
  const left = (Math.min(a.x, b.x) - frame.left) * sx;
  const right = (Math.max(a.x, b.x) - frame.left) * sx;
  const top = (Math.min(a.y, b.y) - frame.top) * sy;
  const bottom = (Math.max(a.y, b.y) - frame.top) * sy;
  const x1 = clamp(Math.floor(left), 0, width - 1);
  const y1 = clamp(Math.floor(top), 0, height - 1);
  // a pixel whose left edge the rectangle only reaches is not under it
  const x2 = clamp(Math.ceil(right) - 1, x1, width - 1);
  const y2 = clamp(Math.ceil(bottom) - 1, y1, height - 1);
  return { x1, y1, x2, y2 };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * "Box the subject": a rectangle dragged over the picture with any pointer (mouse, pen, touch),
 * shown while it is dragged, handed on in image pixels when it is let go. Esc, a second finger or
 * a tiny drag drops it. The stage hands it the pointer.
 */
export class BoxTool implements StageTool {
  private start: Point | undefined;

  constructor(
    /** The canvas the picture is drawn on, at the image's own size in pixels. */
    private readonly picture: HTMLCanvasElement,
    private readonly outline: HTMLElement,
    private readonly chosen: (box: BoxCorners) => void,
  ) {}

  detach(): void {
    this.cancel();
    this.show(undefined);
  }

  /** Drops a box being dragged. Returns whether there was one. */
  cancel(): boolean {
    if (!this.start) return false;
    this.start = undefined;
    this.show(undefined);
    return true;
  }

  /** Outlines `box` over the picture, or hides the outline. */
  show(box: BoxCorners | undefined): void {
    this.outline.hidden = !box;
    if (!box) return;
    const { width, height } = this.picture;
    const style = this.outline.style;
    style.left = `${(100 * box.x1) / width}%`;
    style.top = `${(100 * box.y1) / height}%`;
    style.width = `${(100 * (box.x2 - box.x1 + 1)) / width}%`;
    style.height = `${(100 * (box.y2 - box.y1 + 1)) / height}%`;
  }

  down(event: PointerEvent): void {
    this.start = { x: event.clientX, y: event.clientY };
    this.show(undefined);
  }

  move(event: PointerEvent): void {
    if (this.start) this.show(this.boxTo(event));
  }

  up(event: PointerEvent): void {
    const box = this.boxTo(event);
    this.cancel();
    if (!box) return;
    this.show(box);
    this.chosen(box);
  }

  /** Whether a box is being dragged. */
  get dragging(): boolean {
    return this.start !== undefined;
  }

  private boxTo(event: PointerEvent): BoxCorners | undefined {
    if (!this.start) return undefined;
    const { width, height } = this.picture;
    const end = { x: event.clientX, y: event.clientY };
    // the picture's box on the page includes the stage's zoom and pan
    return dragToBox(this.start, end, this.picture.getBoundingClientRect(), width, height);
  }
}
