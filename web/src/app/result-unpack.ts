import { CutoutError, throwIfCancelled } from '../shared/errors';
import { MAX_PIXELS } from '../shared/limits';

/** The editor's inputs: the original's straight RGBA and the result's alpha. */
export interface Unpacked {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayBuffer;
  readonly alpha: ArrayBuffer;
}

/** Decodes what the editor needs (unpackResult in the page; a fake in tests). */
export type Unpack = (original: Blob, png: Blob, signal: AbortSignal) => Promise<Unpacked>;

/**
 * Recovers the editor's inputs for a finished result, when the editor opens it: the original's
 * straight RGBA (decoded here as the worker decodes it, EXIF orientation applied) and the alpha
 * channel of the result's PNG. Results keep only their PNG, so a batch of hundreds of photos does
 * not hold hundreds of decoded copies. Alpha survives a canvas exactly; the colour of transparent
 * pixels does not, which is why the original is decoded rather than the PNG. If the two disagree
 * in size (the browser and the server read orientation differently), the PNG alone is used.
 */
export const unpackResult: Unpack = async (
  original: Blob,
  png: Blob,
  signal: AbortSignal,
): Promise<Unpacked> => {
  const cutout = await rgbaOf(png, 'this browser cannot decode the result');
  throwIfCancelled(signal);
  const alpha = new Uint8Array(cutout.width * cutout.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = cutout.rgba[i * 4 + 3]!;
  let pixels = cutout.rgba;
  try {
    const source = await rgbaOf(original, 'cannot decode the original');
    if (source.width === cutout.width && source.height === cutout.height) pixels = source.rgba;
  } catch {
    // an original the browser cannot read: edit on the PNG's own colours
  }
  throwIfCancelled(signal);
  if (pixels === cutout.rgba) {
    pixels = cutout.rgba.slice();
    for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
  }
  return {
    width: cutout.width,
    height: cutout.height,
    pixels: pixels.buffer as ArrayBuffer,
    alpha: alpha.buffer,
  };
};

async function rgbaOf(
  blob: Blob,
  failure: string,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'default',
    });
  } catch {
    throw new CutoutError('decode-failed', failure);
  }
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) {
      throw new CutoutError('decode-failed', `image is ${width}×${height}; too large to edit here`);
    }
    const context = new OffscreenCanvas(width, height).getContext('2d', {
      willReadFrequently: true,
    });
    if (!context) throw new CutoutError('internal', 'no 2D canvas context');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
    return { rgba: data, width, height };
  } finally {
    bitmap.close();
  }
}
