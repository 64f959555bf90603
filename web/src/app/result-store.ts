import { BridgeClient } from '../shared/bridge';
import { CutoutError } from '../shared/errors';
import type { Kept, ResultStoreApi, StoreOpened, ZipEntry, ZipProgress } from '../shared/store-api';
import type { Segmented } from '../shared/worker-api';

/** Where the queue keeps finished results: on disk through the store worker, or in memory. */
export interface ResultKeeper {
  /** Keeps `result` under `key`; resolves with the PNG to use from now on and its thumbnail. */
  keep(key: string, result: Segmented): Promise<Kept>;
  /** Frees what `keep` stored under `key`; unknown keys are ignored. */
  drop(key: string): void;
}

/** Keeps every result as the Blob it came as (tests; and what a browser without OPFS gets). */
export const memoryKeeper: ResultKeeper = {
  keep: async (_key, result) => ({ png: result.png, where: 'memory' }),
  drop: () => {},
};

/** Neither kept nor dropped results are ever cancelled: a result cut off half-written is worse. */
const NEVER = new AbortController().signal;

/**
 * The page's side of the result store worker (src/worker/result-store-worker.ts): results on the
 * Origin Private File System, thumbnails, and the ZIP built off the main thread. Any failure of the
 * store leaves that result in memory, where it was, rather than losing it.
 */
export class ResultStore implements ResultKeeper {
  private readonly bridge: BridgeClient<ResultStoreApi>;
  /** Where results go, once the worker has made (or failed to make) this page's folder. */
  readonly opened: Promise<StoreOpened>;

  constructor() {
    const worker = new Worker(new URL('../worker/result-store-worker.ts', import.meta.url), {
      type: 'module',
      name: 'cutout-results',
    });
    this.bridge = new BridgeClient<ResultStoreApi>(worker);
    worker.addEventListener('error', (event) =>
      this.bridge.close(
        new CutoutError('worker-crashed', `the result store stopped: ${event.message}`),
      ),
    );
    this.opened = this.bridge.call(NEVER, 'open', undefined).catch((error: unknown) => ({
      where: 'memory' as const,
      reason: CutoutError.from(error).message,
      cleared: 0,
    }));
  }

  async keep(key: string, result: Segmented): Promise<Kept> {
    try {
      return await this.bridge.call(NEVER, 'keep', {
        key,
        png: result.png,
        width: result.width,
        height: result.height,
      });
    } catch {
      return { png: result.png, where: 'memory' };
    }
  }

  drop(key: string): void {
    this.bridge.call(NEVER, 'drop', { key }).catch(() => undefined);
  }

  /** One ZIP of `entries`, written by the worker; on disk where results are. */
  zip(
    signal: AbortSignal,
    entries: readonly ZipEntry[],
    onProgress?: (progress: ZipProgress) => void,
  ): Promise<Blob> {
    return this.bridge.call(signal, 'zip', { entries }, { onProgress });
  }
}
