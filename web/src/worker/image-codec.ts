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
  /** A small copy (decodeImage's previewSide), drawn from the same bitmap, still being encoded. */
  readonly preview?: Promise<Blob>;
}

/**
 * Contract step 1: decode with EXIF orientation applied and no premultiplication, converted to
 * sRGB, and read back as straight RGBA8. First frame only (createImageBitmap's behaviour).
 */
export async function decodeImage(blob: Blob, previewSide?: number): Promise<DecodedImage> {
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
    // from the canvas just painted: the bitmap's straight alpha is not converted a second time
    const preview = previewSide ? smallImage(context.canvas, previewSide) : undefined;
    const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
    dropCanvas(context);
    return { rgba: data, width, height, preview };
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
/**
 * The photo as the list shows it while it waits for the model: upright, at most `side` pixels a
 * side. Made here so that the page never decodes the full-size photo (an `<img>` of the original
 * cost the page 4-16 MiB for each 1-4 MP photo of a batch, by measurement). Once the model
 * is ready, the preview comes from the segment's own decode instead (decodeImage's previewSide).
 */
export async function previewImage(blob: Blob, side: number): Promise<Blob> {
  const bitmap = await bitmapOf(blob);
  try {
    return await smallImage(bitmap, side);
  } finally {
    bitmap.close();
  }
}

/**
 * A copy of `image` at most `side` pixels a side (never enlarged), as WebP, which keeps alpha at a
 * fraction of PNG's size (a browser without a WebP encoder answers PNG). The image is drawn before
 * this returns: the caller may close it at once.
 */
export function smallImage(image: ImageBitmap | OffscreenCanvas, side: number): Promise<Blob> {
  try {
    // A smooth draw straight from a large photo builds its mipmaps (the photo's size again, and
    // tens of milliseconds at 4 MP); a plain bilinear step to 4× the size first costs little.
    const step =
      Math.max(image.width, image.height) > 4 * side
        ? scaledCopy(image, 4 * side, 'low')
        : undefined;
    const small = scaledCopy(step ?? image, side, 'high');
    if (step) step.width = step.height = 0;
    return small.convertToBlob({ type: 'image/webp', quality: 0.85 });
  } catch (error) {
    return Promise.reject(error);
  }
}

function scaledCopy(
  image: ImageBitmap | OffscreenCanvas,
  side: number,
  quality: ImageSmoothingQuality,
): OffscreenCanvas {
  const scale = Math.min(1, side / Math.max(image.width, image.height));
  const canvas = new OffscreenCanvas(
    Math.max(1, Math.round(image.width * scale)),
    Math.max(1, Math.round(image.height * scale)),
  );
  const context = canvas.getContext('2d');
  if (!context) throw new CutoutError('internal', 'no 2D canvas context here');
  context.imageSmoothingQuality = quality;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas;
}

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
