import type { SegmentTimings } from '../../shared/worker-api';

/**
 * A local run slower than this suggests the hosted path. On this project's 2-core test machine
 * WASM takes 2.4–5.8 s per image (DESIGN.md §4); over 10 s the device is clearly struggling.
 */
export const SLOW_LOCAL_RUN_MS = 10_000;

export interface SuggestionFacts {
  /** The server offers the hosted fallback. */
  readonly hostedAvailable: boolean;
  /** The switch is already on: nothing to suggest. */
  readonly hostedOn: boolean;
  /** This device has a WebGPU adapter (undefined while the probe has not answered). */
  readonly webgpu: boolean | undefined;
  /** How long the local run took, decode to encode. */
  readonly localRunMs: number;
}

/** Suggest (never switch on) the hosted path: no WebGPU here and a local run took over 10 s. */
export function suggestsHosted(facts: SuggestionFacts): boolean {
  return (
    facts.hostedAvailable &&
    !facts.hostedOn &&
    facts.webgpu === false &&
    facts.localRunMs > SLOW_LOCAL_RUN_MS
  );
}

/** The time a local run spent working on the image (not waiting for the model to load). */
export function localRunMs(t: SegmentTimings): number {
  return t.decodeMs + t.preprocessMs + t.inferenceMs + t.postprocessMs + t.encodeMs;
}
