import type { ZipProgress } from '../shared/store-api';
import { uniqueNames } from './file-names';
import type { ResultStore } from './result-store';

/**
 * Packs finished PNGs into one ZIP in the result store's worker, which streams them from disk
 * into a ZIP on disk: the main thread never holds the archive nor blocks while it is made.
 */
export function zipResults(
  store: Pick<ResultStore, 'zip'>,
  results: readonly { name: string; png: Blob }[],
  onProgress?: (progress: ZipProgress) => void,
  signal: AbortSignal = new AbortController().signal,
): Promise<Blob> {
  const names = uniqueNames(results.map((r) => r.name));
  const entries = results.map((r, i) => ({ name: names[i]!, png: r.png }));
  return store.zip(signal, entries, onProgress);
}
