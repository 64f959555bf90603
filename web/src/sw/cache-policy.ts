import { ORT_VERSION } from '../shared/build-info';
import { parseCatalog } from '../shared/catalog';
import {
  MODEL_CACHE_NAME,
  MODELS_PATH,
  SHELL_CACHE_PREFIX,
  modelCacheKey,
  ortFilesPath,
} from '../shared/constants';
import catalogJson from '@catalog';

export const shellCacheName = SHELL_CACHE_PREFIX + __SHELL_VERSION__;

/** Old app-shell caches; anything else (the models cache) is left alone. */
export function isStaleShellCache(name: string): boolean {
  return name.startsWith(SHELL_CACHE_PREFIX) && name !== shellCacheName;
}

/** Model cache keys the current catalog still describes; the rest are pruned on activate. */
export function catalogModelKeys(origin: string): Set<string> {
  const catalog = parseCatalog(catalogJson);
  return new Set(catalog.models.map((m) => modelCacheKey(origin, m)));
}

export { MODEL_CACHE_NAME, MODELS_PATH };

/** ORT runtime files live under a versioned path, so a cached copy never goes stale. */
export function isOrtRuntime(pathname: string): boolean {
  return pathname.startsWith(ortFilesPath(ORT_VERSION));
}
