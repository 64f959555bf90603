import {
  MODEL_CACHE_NAME,
  MODELS_PATH,
  catalogModelKeys,
  isOrtRuntime,
  isStaleShellCache,
  shellCacheName,
} from './cache-policy';

/**
 * The service worker: precaches the app shell (and ORT's WASM runtime) into a cache named by
 * the build hash, prunes older shells and uncatalogued models on activate, and serves the app
 * offline. Model files are cached by the inference worker after verification, never here.
 */
declare const self: ServiceWorkerGlobalScope;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(shellCacheName);
      await cache.addAll(__SHELL_FILES__.map((path) => new Request(path, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter(isStaleShellCache).map((name) => caches.delete(name)));
      await pruneModels();
      await self.clients.claim();
    })(),
  );
});

async function pruneModels(): Promise<void> {
  if (!(await caches.has(MODEL_CACHE_NAME))) return;
  const cache = await caches.open(MODEL_CACHE_NAME);
  const keep = catalogModelKeys(self.location.origin);
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Model downloads go to the network; the verified copy is read from its own cache by the worker.
  if (url.pathname.startsWith(MODELS_PATH)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkThenShell(request));
    return;
  }
  event.respondWith(cacheThenNetwork(request, isOrtRuntime(url.pathname)));
});

/** Pages come from the network when it is there (fresh HTML), else from the cached shell. */
async function networkThenShell(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match('/', { cacheName: shellCacheName });
    if (cached) return cached;
    throw error;
  }
}

/** Hashed assets and the versioned ORT runtime never change, so the cache answers first. */
async function cacheThenNetwork(request: Request, keep: boolean): Promise<Response> {
  const cache = await caches.open(shellCacheName);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (keep && response.ok) await cache.put(request, response.clone());
  return response;
}
