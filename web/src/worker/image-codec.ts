import { CutoutError } from '../shared/errors';

/**
 * Largest image the browser path accepts. Each pixel costs ~17 bytes of working memory
 * (RGBA, float mask, alpha, PNG rows), so 40 MP stays under ~700 MB in the worker.
 */
const MAX_PIXELS = 40_000_000;

export interface DecodedImage {
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

/**
 * Contract step 1: decode with EXIF orientation applied and no premultiplication, converted to
 * sRGB, and read back as straight RGBA8. First frame only (createImageBitmap's behaviour).
 */
export async function decodeImage(blob: Blob): Promise<DecodedImage> {
  const bitmap = await bitmapOf(blob);
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) {
      throw new CutoutError(
        'decode-failed',
        `image is ${width}×${height}; the limit is ${MAX_PIXELS / 1e6} megapixels`,
      );
    }
    const context = context2d(width, height);
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
    dropCanvas(context);
    return { rgba: data, width, height };
  } finally {
    bitmap.close();
  }
}

/** A background picture scaled to cover width × height (centred, aspect kept), as RGBA8. */
export async function renderCover(
  blob: Blob,
  width: number,
  height: number,
): Promise<Uint8ClampedArray> {
  const bitmap = await bitmapOf(blob);
  try {
    const scale = Math.max(width / bitmap.width, height / bitmap.height);
    const w = bitmap.width * scale;
    const h = bitmap.height * scale;
    const context = context2d(width, height);
    context.drawImage(bitmap, (width - w) / 2, (height - h) / 2, w, h);
    bitmap.close();
    const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
    dropCanvas(context);
    return data;
  } finally {
    bitmap.close();
  }
}

async function bitmapOf(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'default',
    });
  } catch {
    throw new CutoutError('decode-failed', 'this file is not an image the browser can decode');
  }
}

/**
 * Frees a canvas's pixels now: its backing store is as large as the image and otherwise lives
 * until the canvas is collected, next to the copy getImageData made. A canvas of no size keeps none.
 */
function dropCanvas(context: OffscreenCanvasRenderingContext2D): void {
  context.canvas.width = 0;
  context.canvas.height = 0;
}

function context2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const context = new OffscreenCanvas(width, height).getContext('2d', {
    willReadFrequently: true,
  });
  if (!context) throw new CutoutError('internal', 'no 2D canvas context in this worker');
  return context;
}
