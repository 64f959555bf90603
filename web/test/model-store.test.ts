import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import catalogJson from '@catalog';
import { parseCatalog, type ModelEntry } from '../src/shared/catalog';
import { MODEL_CACHE_NAME } from '../src/shared/constants';
import type { CutoutError } from '../src/shared/errors';
import { sha256Hex, toHex } from '../src/worker/digest';
import { loadVerifiedModel } from '../src/worker/model-store';

const ORIGIN = 'https://cutout.test';
const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
const digest = createHash('sha256').update(bytes).digest('hex');
const base = parseCatalog(catalogJson).models.find((m) => m.id === 'isnet-uint8')!;
const pinned: ModelEntry = { ...base, sha256: digest, bytes: bytes.length };

/** An in-memory Cache Storage with just what the model store uses. */
function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    const store = stores.get(name) ?? new Map<string, Response>();
    stores.set(name, store);
    return {
      match: async (key: string) => store.get(key)?.clone(),
      put: async (key: string, response: Response) => void store.set(key, response),
    };
  };
  return { stores, api: { open } };
}

function serve(body: Uint8Array, headers: Record<string, string> = {}) {
  return vi.fn(async () => new Response(body as Uint8Array<ArrayBuffer>, { headers }));
}

let caches: ReturnType<typeof fakeCaches>;
beforeEach(() => {
  caches = fakeCaches();
  vi.stubGlobal('caches', caches.api);
  vi.stubGlobal('self', { location: { origin: ORIGIN } });
});
afterEach(() => vi.unstubAllGlobals());

const signal = () => new AbortController().signal;
const noop = () => undefined;

describe('loadVerifiedModel', () => {
  it('downloads /models/<file>, verifies SHA-256 and caches under a key with the digest', async () => {
    const fetch = serve(bytes, { 'Content-Length': String(bytes.length) });
    vi.stubGlobal('fetch', fetch);
    const progress: [number, number][] = [];
    const model = await loadVerifiedModel(signal(), pinned, (l, t) => progress.push([l, t]), noop);
    expect(fetch).toHaveBeenCalledWith('/models/isnet-uint8.onnx', expect.anything());
    expect(model.fromCache).toBe(false);
    expect(model.bytes).toEqual(bytes);
    expect(progress.at(-1)).toEqual([bytes.length, bytes.length]);
    const stored = caches.stores.get(MODEL_CACHE_NAME)!;
    expect([...stored.keys()]).toEqual([`${ORIGIN}/models/isnet-uint8.onnx?sha256=${digest}`]);
  });

  it('a second load makes no request at all', async () => {
    vi.stubGlobal('fetch', serve(bytes));
    await loadVerifiedModel(signal(), pinned, noop, noop);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const again = await loadVerifiedModel(signal(), pinned, noop, noop);
    expect(fetch).not.toHaveBeenCalled();
    expect(again.fromCache).toBe(true);
    expect(again.bytes).toEqual(bytes);
  });

  it('refuses a corrupted file with "model file failed verification" and caches nothing', async () => {
    const corrupted = new Uint8Array(bytes);
    corrupted[500] = corrupted[500]! ^ 1;
    vi.stubGlobal('fetch', serve(corrupted));
    const error = (await loadVerifiedModel(signal(), pinned, noop, noop).catch(
      (e) => e,
    )) as CutoutError;
    expect(error.code).toBe('model-verification-failed');
    expect(error.message).toMatch(/^model file failed verification/);
    expect(caches.stores.get(MODEL_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  it('uses the catalog size for progress when Content-Length is missing', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 50_000));
        controller.enqueue(bytes.subarray(50_000));
        controller.close();
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(body)),
    );
    const totals = new Set<number>();
    await loadVerifiedModel(signal(), pinned, (_l, t) => totals.add(t), noop);
    expect([...totals]).toEqual([bytes.length]);
  });

  it('reports HTTP errors as model-download-failed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('gone', { status: 404 })),
    );
    const error = (await loadVerifiedModel(signal(), pinned, noop, noop).catch(
      (e) => e,
    )) as CutoutError;
    expect(error.code).toBe('model-download-failed');
    expect(error.message).toMatch(/404/);
  });

  it('refuses to use a model whose digest is not pinned in the catalog', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const unpinned = { ...pinned, sha256: 'TO_BE_PINNED', bytes: 0 };
    const error = (await loadVerifiedModel(signal(), unpinned, noop, noop).catch(
      (e) => e,
    )) as CutoutError;
    expect(error.code).toBe('model-not-pinned');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('digest helpers', () => {
  it('computes SHA-256 as lower-case hex', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });
});
