import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, readChunks } from '../src/shared/png-format';
import { encodePng } from '../src/worker/png-encoder';
import { readRgbaPng } from '../src/worker/png-reader';

describe('encodePng', () => {
  const width = 7;
  const height = 5;
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + (i >> 3) * 11) & 0xff;
  // a fully transparent pixel whose colour must survive
  pixels.set([200, 100, 50, 0], 8);

  const png = encodePng(pixels, width, height);
  const chunks = readChunks(png);

  it('writes the PNG signature and only IHDR, IDAT and IEND (no metadata)', () => {
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
  });

  it('declares 8-bit RGBA at the given size', () => {
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
    expect(ihdr.getUint32(0)).toBe(width);
    expect(ihdr.getUint32(4)).toBe(height);
    expect(chunks[0]!.data[8]).toBe(8);
    expect(chunks[0]!.data[9]).toBe(6);
  });

  it('round-trips every byte, including RGB under alpha 0', () => {
    const raw = unzlibSync(chunks[1]!.data);
    expect(raw.length).toBe(height * (width * 4 + 1));
    expect(readRgbaPng(png).rgba).toEqual(pixels);
  });

  it('round-trips in both efforts: Sub rows by default, adaptive filters when asked', () => {
    const fast = readChunks(encodePng(pixels, width, height, 'fast'));
    const fastRaw = unzlibSync(fast[1]!.data);
    const rowTypes = Array.from({ length: height }, (_, y) => fastRaw[y * (width * 4 + 1)]);
    expect(rowTypes).toEqual(new Array(height).fill(1));
    expect(readRgbaPng(encodePng(pixels, width, height, 'fast')).rgba).toEqual(pixels);
    const small = encodePng(pixels, width, height, 'small');
    const smallRaw = unzlibSync(readChunks(small)[1]!.data);
    const smallTypes = new Set(
      Array.from({ length: height }, (_, y) => smallRaw[y * (width * 4 + 1)]),
    );
    expect(smallTypes.size).toBeGreaterThan(1); // the reader undoes more than one filter here
    expect(readRgbaPng(small).rgba).toEqual(pixels);
  });

  it('rejects a buffer that does not match the size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(RangeError);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
