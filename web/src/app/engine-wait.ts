import type { EngineStatus } from './segmentation-client';
import { downloadPercent } from './units';

/**
 * What an image handed to the local engine waits for while the engine is not ready yet, for its
 * row in the queue ("Waiting for the model — 34%"); undefined once it is ready (or has failed: the
 * image then fails with the engine's error).
 */
export function engineWait(status: EngineStatus): string | undefined {
  switch (status.state) {
    case 'starting':
      return 'Waiting for the model…';
    case 'preparing': {
      const p = status.progress;
      if (p.phase === 'download') {
        return `Waiting for the model — ${downloadPercent(p.loaded, p.total)}%`;
      }
      return p.phase === 'verify'
        ? 'Waiting for the model — checking it'
        : 'Waiting for the model — loading it';
    }
    case 'ready':
    case 'failed':
      return undefined;
  }
}
