import { unzlibSync } from 'fflate';
import { crc32, paeth } from './png-encoder';

/** One chunk of a PNG file. */
export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
  readonly crcOk: boolean;
}

/** What {@link readRgbaPng} found: the chunk types in order, and the pixels. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly chunkTypes: readonly string[];
  readonly rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const BPP = 4;

/** Splits a PNG file into chunks; throws RangeError on anything that is not one. */
export function readChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) {
    throw new RangeError('not a PNG file');
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  for (let at = 8; at < png.length;) {
    if (at + 12 > png.length) throw new RangeError('truncated PNG chunk');
    const length = view.getUint32(at);
    if (at + 12 + length > png.length) throw new RangeError('truncated PNG chunk');
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    const crc = view.getUint32(at + 8 + length);
    chunks.push({ type, data, crcOk: crc === crc32(png.subarray(at + 4, at + 8 + length)) });
    at += 12 + length;
  }
  return chunks;
}

/** Signature and IHDR chunk: the bytes {@link pngSize} needs. */
export const PNG_HEAD_BYTES = 33;

/** Width and height from the IHDR at the start of a PNG; RangeError if it is not one. */
export function pngSize(head: Uint8Array): { width: number; height: number } {
  const { width, height } = readHeader(readChunks(head.subarray(0, PNG_HEAD_BYTES)));
  if (width === 0 || height === 0) throw new RangeError('PNG of zero size');
  return { width, height };
}

/** The IHDR fields, from the first chunk, which must be an intact IHDR. */
function readHeader(chunks: readonly PngChunk[]) {
  const ihdr = chunks[0];
  if (!ihdr || ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw new RangeError('no IHDR');
  if (!ihdr.crcOk) throw new RangeError('bad chunk CRC');
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const [depth, colourType, , , interlace] = ihdr.data.subarray(8);
  return { width: view.getUint32(0), height: view.getUint32(4), depth, colourType, interlace };
}

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
