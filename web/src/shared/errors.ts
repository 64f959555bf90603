/** Every failure that crosses a realm boundary carries one of these codes. */
export type CutoutErrorCode =
  | 'cancelled'
  | 'catalog-invalid'
  | 'model-unknown'
  // A model the catalog allows only on a backend this browser lacks:
  | 'model-unsupported'
  | 'model-not-pinned'
  | 'model-download-failed'
  | 'model-verification-failed'
  | 'runtime-load-failed'
  | 'session-failed'
  // ONNX Runtime put some of the graph's nodes on the CPU instead of WebGPU (src/worker/segmenter.ts):
  | 'webgpu-cpu-fallback'
  | 'inference-failed'
  | 'invalid-mask'
  // A subject box that cannot be placed on the image (src/shared/subject-box.ts):
  | 'bad-box'
  | 'decode-failed'
  | 'encode-failed'
  | 'not-prepared'
  | 'worker-crashed'
  | 'worker-terminated'
  // The opt-in hosted path (src/app/hosted/client.ts):
  | 'upload-failed'
  | 'server-busy'
  | 'server-refused'
  | 'server-failed'
  | 'internal';

/** What crosses postMessage: structured-clone safe, no prototype. */
export interface SerializedError {
  readonly code: CutoutErrorCode;
  readonly message: string;
}

export class CutoutError extends Error {
  override readonly name = 'CutoutError';

  constructor(
    readonly code: CutoutErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }

  static fromSerialized(error: SerializedError): CutoutError {
    return new CutoutError(error.code, error.message);
  }

  /** Wraps anything thrown into a CutoutError, keeping codes that are already there. */
  static from(error: unknown, fallback: CutoutErrorCode = 'internal'): CutoutError {
    if (error instanceof CutoutError) return error;
    if (isAbortError(error)) return new CutoutError('cancelled', 'cancelled');
    const message = error instanceof Error ? error.message : String(error);
    return new CutoutError(fallback, message);
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CutoutError && error.code === 'cancelled';
}

function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error as { name: unknown }).name === 'AbortError'
  );
}

/** Throws a 'cancelled' CutoutError if the signal has fired. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CutoutError('cancelled', 'cancelled');
}
