import { isPinned, type ModelEntry } from '../shared/catalog';
import { MODEL_CACHE_NAME, modelCacheKey, modelDownloadPath } from '../shared/constants';
import { CutoutError, throwIfCancelled } from '../shared/errors';
import { sha256Hex } from './digest';

export interface LoadedModel {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly fromCache: boolean;
  readonly downloadMs: number;
  readonly verifyMs: number;
}

export type DownloadProgress = (loaded: number, total: number) => void;

const PROGRESS_INTERVAL_MS = 100;

/**
 * Returns the model's bytes: from the models cache when a verified copy is there (no request at
 * all), else downloaded from /models/<file>, checked against the catalog's SHA-256 and only then
 * cached under a key that contains that digest.
 */
export async function loadVerifiedModel(
  signal: AbortSignal,
  entry: ModelEntry,
  onProgress: DownloadProgress,
  onVerify: () => void,
): Promise<LoadedModel> {
  if (!isPinned(entry)) {
    throw new CutoutError(
      'model-not-pinned',
      `model ${entry.id} has no pinned SHA-256 in the catalog, so it cannot be verified`,
    );
  }
  const key = modelCacheKey(self.location.origin, entry);
  const cache = await openModelCache();
  const cached = await cache?.match(key);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    throwIfCancelled(signal);
    return { bytes, fromCache: true, downloadMs: 0, verifyMs: 0 };
  }

  const started = performance.now();
  const bytes = await download(signal, entry, onProgress);
  const downloadMs = performance.now() - started;

  onVerify();
  const verifyStarted = performance.now();
  const digest = await sha256Hex(bytes);
  const verifyMs = performance.now() - verifyStarted;
  throwIfCancelled(signal);
  if (digest !== entry.sha256 || bytes.length !== entry.bytes) {
    throw new CutoutError(
      'model-verification-failed',
      `model file failed verification: ${entry.file} has SHA-256 ${digest} and ${bytes.length} ` +
        `bytes, the catalog expects ${entry.sha256} and ${entry.bytes} bytes`,
    );
  }
  await cache?.put(
    key,
    new Response(bytes, {
      headers: { 'Content-Type': 'application/octet-stream' },
    }),
  );
  return { bytes, fromCache: false, downloadMs, verifyMs };
}

async function openModelCache(): Promise<Cache | undefined> {
  // Cache Storage exists only in secure contexts; without it the model is simply not kept.
  if (typeof caches === 'undefined') return undefined;
  return caches.open(MODEL_CACHE_NAME);
}

async function download(
  signal: AbortSignal,
  entry: ModelEntry,
  onProgress: DownloadProgress,
): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    // no-store: the verified copy goes to Cache Storage; a second copy in the HTTP cache is waste.
    response = await fetch(modelDownloadPath(entry), { signal, cache: 'no-store' });
  } catch (error) {
    throwIfCancelled(signal);
    throw new CutoutError('model-download-failed', `model download failed: ${String(error)}`);
  }
  if (!response.ok || !response.body) {
    throw new CutoutError(
      'model-download-failed',
      `model download failed: HTTP ${response.status} for ${modelDownloadPath(entry)}`,
    );
  }
  const header = Number(response.headers.get('Content-Length'));
  const total = Number.isFinite(header) && header > 0 ? header : entry.bytes;
  let buffer = new Uint8Array(total);
  let loaded = 0;
  let lastReport = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(value, loaded);
      loaded += value.length;
      const now = performance.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        onProgress(loaded, Math.max(total, loaded));
      }
    }
  } catch (error) {
    throwIfCancelled(signal);
    throw new CutoutError('model-download-failed', `model download interrupted: ${String(error)}`);
  }
  onProgress(loaded, loaded);
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}
