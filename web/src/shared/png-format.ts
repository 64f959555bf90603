/**
 * The PNG container as both realms read it: the page takes a server result's size from its
 * header, the worker checks its own encoder's files. Pixel decoding stays in the worker.
 */

export const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);

/** One chunk of a PNG file. */
export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
  readonly crcOk: boolean;
}

/** Splits a PNG file into chunks; throws RangeError on anything that is not one. */
export function readChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) {
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
export function readHeader(chunks: readonly PngChunk[]) {
  const ihdr = chunks[0];
  if (!ihdr || ihdr.type !== 'IHDR' || ihdr.data.length !== 13) throw new RangeError('no IHDR');
  if (!ihdr.crcOk) throw new RangeError('bad chunk CRC');
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const [depth, colourType, , , interlace] = ihdr.data.subarray(8);
  return { width: view.getUint32(0), height: view.getUint32(4), depth, colourType, interlace };
}

let crcTable: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
