import type { Rect } from '../../shared/rect';

/** Shows straight RGBA pixels with a separate, editable alpha plane on a full-size canvas. */
export class AlphaCanvas {
  private readonly context: CanvasRenderingContext2D;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly pixels: Uint8ClampedArray,
    private readonly alpha: Uint8ClampedArray | undefined,
    readonly width: number,
    readonly height: number,
  ) {
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas context');
    this.context = context;
    this.redraw({ x: 0, y: 0, width, height });
  }

  redraw(rect: Rect): void {
    const image = this.context.createImageData(rect.width, rect.height);
    const out = image.data;
    for (let y = 0; y < rect.height; y++) {
      let src = (rect.y + y) * this.width + rect.x;
      let dst = y * rect.width * 4;
      for (let x = 0; x < rect.width; x++, src++, dst += 4) {
        out[dst] = this.pixels[src * 4]!;
        out[dst + 1] = this.pixels[src * 4 + 1]!;
        out[dst + 2] = this.pixels[src * 4 + 2]!;
        out[dst + 3] = this.alpha ? this.alpha[src]! : this.pixels[src * 4 + 3]!;
      }
    }
    this.context.putImageData(image, rect.x, rect.y);
  }
}
