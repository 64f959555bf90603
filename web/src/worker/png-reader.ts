import { unzlibSync } from 'fflate';
import { readChunks, readHeader } from '../shared/png-format';
import { paeth } from './png-encoder';

/** What {@link readRgbaPng} found: the chunk types in order, and the pixels. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly chunkTypes: readonly string[];
  readonly rgba: Uint8Array;
}

const BPP = 4;

/**
 * Decodes a non-interlaced 8-bit RGBA PNG, the one kind Cutout writes. Enough to check an
 * encoder's output byte for byte; not a general decoder (anything else throws RangeError).
 */
export function readRgbaPng(png: Uint8Array): DecodedPng {
  const chunks = readChunks(png);
  const { width, height, depth, colourType, interlace } = readHeader(chunks);
  if (chunks.some((c) => !c.crcOk)) throw new RangeError('bad chunk CRC');
  if (depth !== 8 || colourType !== 6 || interlace !== 0) {
    throw new RangeError('not a plain 8-bit RGBA PNG');
  }
  const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
  const raw = unzlibSync(joined);
  const stride = width * BPP;
  if (raw.length !== height * (stride + 1)) throw new RangeError('IDAT holds the wrong size');
  return {
    width,
    height,
    chunkTypes: chunks.map((c) => c.type),
    rgba: unfilter(raw, stride, height),
  };
}

/** Undoes the five PNG filters (PNG spec, section 9). */
function unfilter(raw: Uint8Array, stride: number, height: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    if (type > 4) throw new RangeError(`unknown PNG filter ${type}`);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= BPP ? out[y * stride + i - BPP]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= BPP && y > 0 ? out[(y - 1) * stride + i - BPP]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type]!;
      out[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return out;
}
