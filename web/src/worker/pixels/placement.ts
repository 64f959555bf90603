import { isWholeImage, type Placement } from '../../shared/subject-box';

/**
 * Contract step 7: the mask of the region the network saw, at the region's size, put in place on
 * an image of width × height. Only the box keeps its values; every pixel outside it is 0. Without a
 * box (box and region both the whole image) the mask is returned as it is.
 */
export function placeMask(
  region: Float32Array,
  placement: Placement,
  width: number,
  height: number,
): Float32Array {
  const { box, region: seen } = placement;
  if (region.length !== seen.width * seen.height) {
    throw new RangeError('the region’s mask does not match the region');
  }
  if (isWholeImage(placement, width, height)) return region;
  const out = new Float32Array(width * height);
  for (let y = box.y; y < box.y + box.height; y++) {
    const from = (y - seen.y) * seen.width + box.x - seen.x;
    out.set(region.subarray(from, from + box.width), y * width + box.x);
  }
  return out;
}
