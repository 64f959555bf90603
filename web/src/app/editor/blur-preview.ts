import { boxBlurSigma } from '../../shared/blur';

/** The "Blur" background's radius: 1.5% of the picture's longer side, at least 2 pixels. */
export function blurRadius(width: number, height: number): number {
  return Math.max(2, Math.round(0.015 * Math.max(width, height)));
}

/** The preview is drawn at most this many pixels along its longer side: a blur needs no more. */
const PREVIEW_SIDE = 1024;

/**
 * Draws the original photo blurred into `target`, behind the cutout, as the export's box blur
 * of `radius` will look: a gaussian of the same spread (the canvas's own filter), at a reduced
 * size that CSS stretches back over the picture.
 */
export function drawBlurPreview(
  original: HTMLCanvasElement,
  target: HTMLCanvasElement,
  radius: number,
): void {
  const k = Math.min(1, PREVIEW_SIDE / Math.max(original.width, original.height));
  target.width = Math.max(1, Math.round(original.width * k));
  target.height = Math.max(1, Math.round(original.height * k));
  const context = target.getContext('2d');
  if (!context) return;
  // unblurred underneath, so the blur's edges do not fade to see-through
  context.drawImage(original, 0, 0, target.width, target.height);
  context.filter = `blur(${boxBlurSigma(radius) * k}px)`;
  context.drawImage(original, 0, 0, target.width, target.height);
  context.filter = 'none';
}
