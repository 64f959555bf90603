import { describe, expect, it } from 'vitest';
import { crc32, PNG_HEAD_BYTES, pngSize } from '../src/shared/png-format';
import { encodePng } from '../src/worker/png-encoder';
import { encodePngBlob, holdsExactly, proveNativeEncoder } from '../src/worker/png-output';
import { readRgbaPng } from '../src/worker/png-reader';

const width = 4;
const height = 3;
const pixels = new Uint8ClampedArray(width * height * 4);
for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 53 + 7) & 0xff;
pixels.set([201, 102, 53, 0], 0); // colour under alpha 0 must survive

/** Inserts a chunk right after IHDR, as an encoder adding metadata would. */
function withChunk(png: Uint8Array, type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  body.set(new TextEncoder().encode(type), 0);
  body.set(data, 4);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(body, 4);
  view.setUint32(8 + data.length, crc32(body));
  const afterIhdr = 8 + 12 + 13;
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, afterIhdr), 0);
  out.set(chunk, afterIhdr);
  out.set(png.subarray(afterIhdr), afterIhdr + chunk.length);
  return out;
}

describe('holdsExactly (the proof the browser encoder must pass)', () => {
  const png = encodePng(pixels, width, height);

  it('accepts a file with exactly these pixels and no metadata', () => {
    expect(holdsExactly(png, pixels, width, height)).toBe(true);
  });

  it('refuses a file whose colour under alpha 0 was dropped, as premultiplication does', () => {
    const premultiplied = new Uint8ClampedArray(pixels);
    premultiplied.set([0, 0, 0, 0], 0);
    expect(holdsExactly(encodePng(premultiplied, width, height), pixels, width, height)).toBe(
      false,
    );
  });

  it('refuses a file with a metadata chunk', () => {
    const tagged = withChunk(png, 'tEXt', new TextEncoder().encode('Comment\0hello'));
    expect(readRgbaPng(tagged).rgba).toEqual(new Uint8Array(pixels)); // same pixels…
    expect(holdsExactly(tagged, pixels, width, height)).toBe(false); // …still refused
  });

  it('refuses a file of another size, and bytes that are not a PNG', () => {
    expect(holdsExactly(png, pixels, width, height + 1)).toBe(false);
    expect(holdsExactly(new Uint8Array([1, 2, 3]), pixels, width, height)).toBe(false);
  });
});

describe('encodePngBlob', () => {
  it('falls back to the JavaScript encoder where the browser one is missing or unproven', async () => {
    expect(await proveNativeEncoder()).toBe(false); // Node has no OffscreenCanvas
    const encoded = await encodePngBlob(new Uint8ClampedArray(pixels), width, height);
    expect(encoded.encoder).toBe('javascript');
    expect(encoded.png.type).toBe('image/png');
    const png = new Uint8Array(await encoded.png.arrayBuffer());
    expect(holdsExactly(png, pixels, width, height)).toBe(true);
  });
});

describe('readRgbaPng', () => {
  it('refuses what it cannot read instead of guessing', () => {
    const png = encodePng(pixels, width, height);
    expect(() => readRgbaPng(png.subarray(0, 40))).toThrow(RangeError);
    const badCrc = new Uint8Array(png);
    badCrc[8 + 8 + 5] = badCrc[8 + 8 + 5]! ^ 1; // a byte of IHDR's data
    expect(() => readRgbaPng(badCrc)).toThrow(/CRC/);
    expect(() => readRgbaPng(new TextEncoder().encode('GIF89a…'))).toThrow(/not a PNG/);
  });
});

describe('pngSize', () => {
  it('reads width and height from the first bytes alone', () => {
    const png = encodePng(pixels, width, height);
    expect(pngSize(png.subarray(0, PNG_HEAD_BYTES))).toEqual({ width, height });
  });

  it('refuses a header that is cut short, damaged or not a PNG', () => {
    const png = encodePng(pixels, width, height);
    expect(() => pngSize(png.subarray(0, PNG_HEAD_BYTES - 1))).toThrow(RangeError);
    const damaged = new Uint8Array(png.subarray(0, PNG_HEAD_BYTES));
    damaged[16] = damaged[16]! ^ 1; // width's first byte
    expect(() => pngSize(damaged)).toThrow(/CRC/);
    expect(() => pngSize(new TextEncoder().encode('<html>' + ' '.repeat(40)))).toThrow(/not a PNG/);
  });
});
