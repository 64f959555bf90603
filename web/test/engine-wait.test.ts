import { describe, expect, it } from 'vitest';
import type { Plan } from '../src/app/backend-plan';
import { engineWait } from '../src/app/engine-wait';
import { CutoutError } from '../src/shared/errors';

const plan = {} as Plan;

describe('what an image waits for while the engine gets ready', () => {
  it('says the model and how far its download is, not "Processing…"', () => {
    expect(engineWait({ state: 'starting' })).toBe('Waiting for the model…');
    expect(
      engineWait({
        state: 'preparing',
        plan,
        progress: { phase: 'download', loaded: 34, total: 100 },
      }),
    ).toBe('Waiting for the model — 34%');
    expect(engineWait({ state: 'preparing', plan, progress: { phase: 'verify' } })).toBe(
      'Waiting for the model — checking it',
    );
  });

  it('says nothing once the engine is ready or has failed', () => {
    expect(engineWait({ state: 'failed', plan, error: new CutoutError('internal', 'x') })).toBe(
      undefined,
    );
  });
});
