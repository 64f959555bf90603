import { CutoutError } from './errors';
import type { Rect } from './rect';

/**
 * A person's hint of where the subject is (remove.bg's `roi`): a rectangle of the upright image,
 * corners inclusive, each coordinate whole pixels or a percentage of the image's width (x) or
 * height (y). The network runs on the box plus some context; everything outside it is background.
 *
 * The same rules as the Java library's SubjectBox, pinned by the contract cases `subjectBox` and
 * `placement`. The page makes boxes and sends them to the worker (or, as text, to the server); the
 * worker places them on the decoded image.
 */
export interface SubjectBox {
  readonly x1: Coordinate;
  readonly y1: Coordinate;
  readonly x2: Coordinate;
  readonly y2: Coordinate;
}

export interface Coordinate {
  /** Whole pixels, or percent of the side. */
  readonly value: number;
  readonly percent: boolean;
}

/** Where a box falls on one image: both are rectangles of whole pixels. */
export interface Placement {
  /** What may be subject: the box, clipped to the image. */
  readonly box: Rect;
  /** What the network sees: the box with its context, clipped to the image. */
  readonly region: Rect;
}

/** The smallest side of a box in pixels, unless the image itself is smaller. */
const MIN_SIDE = 16;

/**
 * Context around the box as a share of its longer side: the network decides what the subject is
 * from its surroundings, and a bare crop would cut the subject's edges off at the frame.
 */
const MARGIN_SHARE = 0.1;

/** Java's Integer range: the library refuses pixel coordinates beyond it. */
const MAX_PIXELS = 2 ** 31 - 1;

/** A box in pixels, corners inclusive. */
export function pixelBox(x1: number, y1: number, x2: number, y2: number): SubjectBox {
  return { x1: pixels(x1), y1: pixels(y1), x2: pixels(x2), y2: pixels(y2) };
}

/**
 * Parses four coordinates separated by commas and/or whitespace: `10,20,400,300`, `5% 5% 95% 90%`,
 * or remove.bg's `10px 20px 400px 300px`; units may be mixed.
 *
 * @throws CutoutError 'bad-box' for anything else
 */
export function parseSubjectBox(text: string): SubjectBox {
  const trimmed = text.trim();
  const parts = trimmed === '' ? [] : trimmed.split(/[\t\n\v\f\r ,]+/);
  // as Java's String.split does, a separator at the end adds no empty coordinate
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 4) {
    throw badBox(
      `a subject box is four coordinates x1,y1,x2,y2 (pixels, or percentages such as 5%), not '${text}'`,
    );
  }
  const [x1, y1, x2, y2] = parts.map(parseCoordinate) as [
    Coordinate,
    Coordinate,
    Coordinate,
    Coordinate,
  ];
  return { x1, y1, x2, y2 };
}

/** The text form `x1 y1 x2 y2` that the server's `roi` parameter reads. */
export function formatSubjectBox(box: SubjectBox): string {
  return [box.x1, box.y1, box.x2, box.y2].map(formatCoordinate).join(' ');
}

/** Without a box the network sees the whole image, and all of it may be subject. */
export function wholeImage(width: number, height: number): Placement {
  const all = { x: 0, y: 0, width, height };
  return { box: all, region: all };
}

/**
 * Places `box` on an upright image of width × height: percentages become pixels, the box is
 * clipped to the image and grown by its context.
 *
 * @throws CutoutError 'bad-box' when the box is reversed, misses the image or is too small
 */
export function placeSubjectBox(box: SubjectBox, width: number, height: number): Placement {
  for (const c of [box.x1, box.y1, box.x2, box.y2]) checkCoordinate(c);
  const left = on(box.x1, width);
  const top = on(box.y1, height);
  const right = on(box.x2, width);
  const bottom = on(box.y2, height);
  const named = [box.x1, box.y1, box.x2, box.y2].map(formatCoordinate).join(',');
  if (left > right || top > bottom) {
    throw badBox(`subject box ${named}: x2 must not be left of x1, nor y2 above y1`);
  }
  if (right < 0 || bottom < 0 || left >= width || top >= height) {
    throw badBox(`subject box ${named} lies outside the ${width}x${height} image`);
  }
  const x = Math.max(0, left);
  const y = Math.max(0, top);
  const w = Math.min(width - 1, right) - x + 1;
  const h = Math.min(height - 1, bottom) - y + 1;
  if (w < Math.min(MIN_SIDE, width) || h < Math.min(MIN_SIDE, height)) {
    throw badBox(
      `subject box ${named} covers ${w}x${h} pixels of the image; it needs at least ${MIN_SIDE} on each side`,
    );
  }
  const margin = Math.round(MARGIN_SHARE * Math.max(w, h));
  const rx = Math.max(0, x - margin);
  const ry = Math.max(0, y - margin);
  const rw = Math.min(width - 1, x + w - 1 + margin) - rx + 1;
  const rh = Math.min(height - 1, y + h - 1 + margin) - ry + 1;
  return {
    box: { x, y, width: w, height: h },
    region: { x: rx, y: ry, width: rw, height: rh },
  };
}

/** Whether a placement is the whole image for both box and region: then it changes nothing. */
export function isWholeImage(placement: Placement, width: number, height: number): boolean {
  return covers(placement.box, width, height) && covers(placement.region, width, height);
}

function covers(rect: Rect, width: number, height: number): boolean {
  return rect.x === 0 && rect.y === 0 && rect.width === width && rect.height === height;
}

/** A coordinate on a side of `side` pixels, before clipping; multiplied first, as Java does. */
function on(c: Coordinate, side: number): number {
  return c.percent ? Math.floor((c.value * side) / 100) : c.value;
}

function pixels(value: number): Coordinate {
  return checkCoordinate({ value, percent: false });
}

function checkCoordinate(c: Coordinate): Coordinate {
  const whole = Number.isInteger(c.value) && Math.abs(c.value) <= MAX_PIXELS;
  if (!Number.isFinite(c.value) || (!c.percent && !whole)) {
    throw badBox('a subject box coordinate must be whole pixels or a percentage');
  }
  return c;
}

const PIXELS = /^[+-]?\d+(?:px)?$/;
const PERCENT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?%$/;

function parseCoordinate(token: string): Coordinate {
  const t = token.toLowerCase();
  if (PERCENT.test(t)) return checkCoordinate({ value: Number(t.slice(0, -1)), percent: true });
  if (PIXELS.test(t)) {
    const value = Number.parseInt(t, 10);
    if (Math.abs(value) <= MAX_PIXELS) return { value, percent: false };
  }
  throw badBox(
    `'${token}' is not a subject box coordinate: whole pixels (40, 40px) or a percentage (5%)`,
  );
}

function formatCoordinate(c: Coordinate): string {
  return c.percent ? `${c.value}%` : String(c.value);
}

function badBox(message: string): CutoutError {
  return new CutoutError('bad-box', message);
}
