import type { ModelEntry } from './catalog';

/** Model files are served by the Cutout server from this same-origin path. */
export const MODELS_PATH = '/models/';

/** Cache Storage name for verified model files; never pruned on app-shell updates. */
export const MODEL_CACHE_NAME = 'cutout-models';

/** Prefix of the versioned app-shell caches; the suffix is the build hash. */
export const SHELL_CACHE_PREFIX = 'cutout-shell-';

/** Where the build copies onnxruntime-web's wasm/mjs files (same origin, versioned path). */
export function ortFilesPath(ortVersion: string): string {
  return `/ort/${ortVersion}/`;
}

export function modelDownloadPath(entry: Pick<ModelEntry, 'file'>): string {
  return MODELS_PATH + entry.file;
}

/**
 * The Cache Storage key for a verified model. It contains the digest, so a catalog update with a
 * new file never matches a stale copy.
 */
export function modelCacheKey(origin: string, entry: Pick<ModelEntry, 'file' | 'sha256'>): string {
  return `${origin}${MODELS_PATH}${entry.file}?sha256=${entry.sha256}`;
}
