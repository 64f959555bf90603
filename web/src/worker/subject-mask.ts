import { throwIfCancelled } from '../shared/errors';
import type { Placement } from '../shared/subject-box';
import type { DecodedImage } from './image-codec';
import { cropPixels } from './pixels/crop';
import { placeMask } from './pixels/placement';
import { maskHasSubject, upscaleMask } from './pixels/postprocess';
import { toInputTensor, type Normalisation } from './pixels/preprocess';

/** The network as the pipeline sees it: a tensor in, probabilities at the input size out. */
export type Infer = (tensor: Float32Array) => Promise<Float32Array>;

export interface ImageMask {
  /** Probabilities at the image's size; 0 outside the subject box. */
  readonly mask: Float32Array;
  /** Whether the network found a subject, as a share of the box's area. */
  readonly subject: boolean;
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly upscaleMs: number;
}

/**
 * Contract steps 2–5 and 7 on a decoded image: the network looks at the placement's region (an
 * exact crop of the pixels), its mask is upscaled to the region and put in place, and the
 * no-subject rule counts against the box. With the whole image as placement this is the plain
 * pipeline, bit for bit.
 */
export async function maskImage(
  signal: AbortSignal,
  image: DecodedImage,
  placement: Placement,
  inputSize: number,
  norm: Normalisation,
  infer: Infer,
): Promise<ImageMask> {
  const { width, height, rgba } = image;
  const { box, region } = placement;
  let t = performance.now();
  const wholeRegion = region.width === width && region.height === height;
  const pixels = wholeRegion ? rgba : cropPixels(rgba, width, region, 4);
  const tensor = toInputTensor(pixels, region.width, region.height, inputSize, norm);
  const preprocessMs = performance.now() - t;
  throwIfCancelled(signal);

  t = performance.now();
  const probabilities = await infer(tensor);
  const inferenceMs = performance.now() - t;
  throwIfCancelled(signal);

  t = performance.now();
  const upscaled = upscaleMask(probabilities, inputSize, region.width, region.height);
  const mask = placeMask(upscaled, placement, width, height);
  const subject = maskHasSubject(mask, box.width * box.height);
  return { mask, subject, preprocessMs, inferenceMs, upscaleMs: performance.now() - t };
}
