import { zipSync, type Zippable } from 'fflate';
import { uniqueNames } from './file-names';

/**
 * Packs finished PNGs into one ZIP. PNGs are already deflated, so entries are stored
 * (level 0): compressing again would cost time and save nothing.
 */
export async function zipResults(results: readonly { name: string; png: Blob }[]): Promise<Blob> {
  const names = uniqueNames(results.map((r) => r.name));
  const files: Zippable = {};
  for (const [i, result] of results.entries()) {
    files[names[i]!] = [new Uint8Array(await result.png.arrayBuffer()), { level: 0 }];
  }
  const zipped = zipSync(files);
  return new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}
