import type { Rect } from '../../shared/rect';
import { TILE, type AlphaHistory, type StrokeTile } from './alpha-history';

export { AlphaHistory, unionRect } from './alpha-history';

export type BrushMode = 'erase' | 'restore';

/** The plane a brush paints on. */
export interface BrushPlane {
  readonly alpha: Uint8ClampedArray;
  /** The original image's alpha: restoring never invents opacity the photo lacked. */
  readonly restoreTo: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** One dab, in image pixels. */
export interface Dab {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  /** 1: a hard disc; lower: the outer (1 - hardness) of the radius fades out; 0: all of it. */
  readonly hardness: number;
}

/**
 * How strongly a dab reaches a point `distance` from its centre, 0..1: full inside
 * radius × hardness, then a smoothstep down to 0 at the radius.
 */
export function discWeight(distance: number, radius: number, hardness: number): number {
  const inner = radius * Math.min(1, Math.max(0, hardness));
  if (distance <= inner) return 1;
  if (distance >= radius) return 0;
  const t = (radius - distance) / (radius - inner);
  return t * t * (3 - 2 * t);
}

/**
 * Paints a dab into the plane as part of the history's stroke in progress. Each pixel blends
 * from its alpha before the stroke toward the target (0 for erase, the original's alpha for
 * restore) by the strongest weight any dab of the stroke gave it, so overlapping dabs along a
 * stroke do not build a soft rim up into a hard one. Restore never exceeds the original's alpha,
 * erase never raises alpha. Returns the touched rectangle, or undefined when the dab lies outside
 * the image.
 */
export function paintDisc(
  plane: BrushPlane,
  history: AlphaHistory,
  dab: Dab,
  mode: BrushMode,
): Rect | undefined {
  const { alpha, restoreTo, width, height } = plane;
  const { x: cx, y: cy, radius, hardness } = dab;
  const x0 = Math.max(0, Math.floor(cx - radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const x1 = Math.min(width - 1, Math.ceil(cx + radius));
  const y1 = Math.min(height - 1, Math.ceil(cy + radius));
  if (x0 > x1 || y0 > y1) return undefined;
  const r2 = radius * radius;
  const inner = radius * Math.min(1, Math.max(0, hardness));
  const inner2 = inner * inner;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    // one tile lookup per run of pixels within a tile, not one per pixel
    for (let runStart = x0; runStart <= x1; runStart = (Math.floor(runStart / TILE) + 1) * TILE) {
      const runEnd = Math.min(x1, (Math.floor(runStart / TILE) + 1) * TILE - 1);
      let tile: StrokeTile | undefined;
      for (let x = runStart; x <= runEnd; x++) {
        const dx = x + 0.5 - cx;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const w =
          d2 <= inner2 ? 255 : Math.round(255 * discWeight(Math.sqrt(d2), radius, hardness));
        if (w === 0) continue;
        tile ??= history.strokeTile(x, y);
        const t = (y % TILE) * TILE + (x % TILE);
        if (w <= tile.weight[t]!) continue;
        tile.weight[t] = w;
        const i = y * width + x;
        const before = tile.before[t]!;
        if (mode === 'erase') {
          alpha[i] = Math.round((before * (255 - w)) / 255);
        } else {
          const ceiling = restoreTo[i]!;
          const blended = Math.round(before + ((ceiling - before) * w) / 255);
          alpha[i] = Math.min(ceiling, Math.max(before, blended));
        }
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
