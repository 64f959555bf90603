import { CutoutError, throwIfCancelled } from '../shared/errors';
import type { ResultFiles, Unpacked } from '../shared/worker-api';
import { decodeImage, type DecodedImage } from './image-codec';

/**
 * Recovers the editor's inputs for a finished result when the editor opens it. Results keep only
 * their PNG, so a batch of hundreds of photos does not hold hundreds of decoded copies.
 *
 * Both files go through a 2D canvas, which keeps alpha exactly but not the colour under
 * translucent pixels; that is why the colours come from the original rather than the PNG. If the
 * two disagree in size (the browser and the server read orientation differently), or the original
 * cannot be decoded, the PNG's own colours are used.
 */
export async function unpack(signal: AbortSignal, files: ResultFiles): Promise<Unpacked> {
  const cutout = await decodeCutout(files.cutout);
  throwIfCancelled(signal);
  const original = await decodeOriginal(files.original);
  throwIfCancelled(signal);
  return editorPlanes(cutout, original);
}

/**
 * The colours {@link unpack} gave the editor, decoded again for an export, so that the page never
 * sends pixels back to the worker.
 */
export async function editorPixels(
  signal: AbortSignal,
  files: ResultFiles,
  width: number,
  height: number,
): Promise<Uint8ClampedArray<ArrayBuffer>> {
  const original = await decodeOriginal(files.original);
  throwIfCancelled(signal);
  if (original && sameSize(original, width, height)) return original.rgba;
  const cutout = await decodeCutout(files.cutout);
  throwIfCancelled(signal);
  if (!sameSize(cutout, width, height)) {
    throw new CutoutError('internal', 'the edited alpha does not match the result');
  }
  return opaque(cutout.rgba);
}

/** Chooses the editor's colours and takes the cutout's alpha; the inputs are left as they are. */
export function editorPlanes(cutout: DecodedImage, original: DecodedImage | undefined): Unpacked {
  const { width, height, rgba } = cutout;
  const alpha = new Uint8ClampedArray(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
  const pixels = original && sameSize(original, width, height) ? original.rgba : opaque(rgba);
  return { width, height, pixels, alpha };
}

function sameSize(image: DecodedImage, width: number, height: number): boolean {
  return image.width === width && image.height === height;
}

function opaque(rgba: Uint8ClampedArray): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(rgba);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

async function decodeCutout(cutout: Blob): Promise<DecodedImage> {
  try {
    return await decodeImage(cutout);
  } catch (error) {
    const reason = CutoutError.from(error).message;
    throw new CutoutError('decode-failed', `cannot decode the result (${reason})`);
  }
}

/** An original the browser cannot read is no failure: the editor works on the PNG's colours. */
async function decodeOriginal(original: Blob): Promise<DecodedImage | undefined> {
  try {
    return await decodeImage(original);
  } catch {
    return undefined;
  }
}
