/** A point in the stage's own CSS pixels (from its top-left corner), or in image pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The most the editor zooms in: 8 screen pixels per image pixel. */
export const MAX_SCALE = 8;

/**
 * Where the picture lies in the editor's stage: image pixel (ix, iy) shows at stage point
 * (x + ix × scale, y + iy × scale). Zoom keeps the image point under the pointer (or the
 * fingers' midpoint) in place; the picture is centred along a side where it is smaller than the
 * stage and cannot be panned out of view along one where it is larger.
 */
export class ViewTransform {
  scale = 1;
  x = 0;
  y = 0;
  private stageWidth = 1;
  private stageHeight = 1;

  constructor(
    readonly imageWidth: number,
    readonly imageHeight: number,
  ) {}

  /** The scale at which the whole picture fits the stage. */
  get fitScale(): number {
    return Math.min(this.stageWidth / this.imageWidth, this.stageHeight / this.imageHeight);
  }

  /** Zooming out stops at the fitted picture, or at 100% for one smaller than the stage. */
  get minScale(): number {
    return Math.min(this.fitScale, 1);
  }

  /** The stage changed size: keeps the image point at the stage's centre where it was. */
  resize(stageWidth: number, stageHeight: number): void {
    const centre = this.toImage({ x: this.stageWidth / 2, y: this.stageHeight / 2 });
    this.stageWidth = Math.max(1, stageWidth);
    this.stageHeight = Math.max(1, stageHeight);
    this.x = this.stageWidth / 2 - centre.x * this.scale;
    this.y = this.stageHeight / 2 - centre.y * this.scale;
    this.settle();
  }

  fit(): void {
    this.scale = this.fitScale;
    this.settle();
  }

  /** Sets the scale, keeping the image point under `about` (stage pixels) where it is. */
  zoomTo(scale: number, about: Point = this.centre()): void {
    const fixed = this.toImage(about);
    this.scale = Math.min(MAX_SCALE, Math.max(this.minScale, scale));
    this.x = about.x - fixed.x * this.scale;
    this.y = about.y - fixed.y * this.scale;
    this.settle();
  }

  zoomBy(factor: number, about: Point = this.centre()): void {
    this.zoomTo(this.scale * factor, about);
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.settle();
  }

  /** The image point (fractional pixels) under a stage point. */
  toImage(p: Point): Point {
    return { x: (p.x - this.x) / this.scale, y: (p.y - this.y) / this.scale };
  }

  /** The stage point where an image point shows. */
  toStage(p: Point): Point {
    return { x: this.x + p.x * this.scale, y: this.y + p.y * this.scale };
  }

  private centre(): Point {
    return { x: this.stageWidth / 2, y: this.stageHeight / 2 };
  }

  private settle(): void {
    this.x = settleAxis(this.x, this.imageWidth * this.scale, this.stageWidth);
    this.y = settleAxis(this.y, this.imageHeight * this.scale, this.stageHeight);
  }
}

/** An offset along one side: centred when the picture is smaller, else no gap at either end. */
function settleAxis(offset: number, shown: number, stage: number): number {
  if (shown <= stage) return (stage - shown) / 2;
  return Math.min(0, Math.max(stage - shown, offset));
}
