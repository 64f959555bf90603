import { encodePng } from './png-encoder';
import { readRgbaPng } from './png-reader';

/**
 * Encodes the worker's results as PNG: with the browser's own encoder when it has proven, on this
 * browser, that it keeps straight alpha and writes no metadata; with Cutout's encoder otherwise.
 *
 * The browser's path hands an un-premultiplied ImageBitmap to a 'bitmaprenderer' canvas, so the
 * pixels reach the encoder as they are; a 2D canvas would premultiply and lose the colour of
 * translucent pixels. In Chromium it encodes a 4-megapixel cutout in about 0.1 s, where the
 * JavaScript encoder needs 0.3–0.5 s.
 */
export async function encodePngBlob(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
): Promise<{ png: Blob; encoder: 'browser' | 'javascript' }> {
  if (await (nativeProof ??= proveNativeEncoder())) {
    try {
      return { png: await encodeNative(rgba, width, height), encoder: 'browser' };
    } catch {
      // e.g. a canvas larger than this browser allows: the JavaScript encoder has no such limit
    }
  }
  const png = new Blob([encodePng(rgba, width, height) as Uint8Array<ArrayBuffer>], {
    type: 'image/png',
  });
  return { png, encoder: 'javascript' };
}

let nativeProof: Promise<boolean> | undefined;

/**
 * Pixels that a premultiplying or colour-managing encoder would change: colour under alpha 1 and
 * under alpha 0, and a half-transparent grey.
 */
const PROBE_WIDTH = 3;
const PROBE = [201, 102, 53, 1, 17, 240, 99, 0, 128, 128, 128, 127];

/** Encodes a probe with the browser and checks the file byte for byte after decoding it. */
export async function proveNativeEncoder(): Promise<boolean> {
  if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
    return false;
  }
  try {
    const probe = new Uint8ClampedArray(PROBE);
    const blob = await encodeNative(probe, PROBE_WIDTH, 1);
    return holdsExactly(new Uint8Array(await blob.arrayBuffer()), probe, PROBE_WIDTH, 1);
  } catch {
    return false;
  }
}

/** True when {@link png} is exactly these pixels, with no chunk but IHDR, IDAT and IEND. */
export function holdsExactly(
  png: Uint8Array,
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): boolean {
  try {
    const decoded = readRgbaPng(png);
    return (
      decoded.width === width &&
      decoded.height === height &&
      decoded.chunkTypes.every((t) => t === 'IHDR' || t === 'IDAT' || t === 'IEND') &&
      decoded.rgba.every((v, i) => v === rgba[i])
    );
  } catch {
    return false;
  }
}

async function encodeNative(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
): Promise<Blob> {
  const bitmap = await createImageBitmap(new ImageData(rgba, width, height), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('bitmaprenderer');
  if (!context) {
    bitmap.close();
    throw new Error('no bitmaprenderer context');
  }
  context.transferFromImageBitmap(bitmap);
  try {
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    // the canvas holds the bitmap (a copy of the pixels) until it is collected; let go of it now
    context.transferFromImageBitmap(null);
  }
}
