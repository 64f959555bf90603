/** Box passes of the "Blur" background: three come close to a gaussian, as is usual. */
export const BOX_PASSES = 3;

/**
 * The gaussian standard deviation that {@link BOX_PASSES} box passes of `radius` amount to: one
 * box of width 2r + 1 has variance ((2r + 1)² - 1) / 12 = r(r + 1) / 3, and variances add. The
 * editor's preview blurs by this, so that it shows what the export will be.
 */
export function boxBlurSigma(radius: number): number {
  return Math.sqrt((BOX_PASSES * radius * (radius + 1)) / 3);
}
