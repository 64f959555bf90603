import type * as Ort from 'onnxruntime-web';
import { ORT_VERSION } from '../shared/build-info';
import { ortFilesPath } from '../shared/constants';
import { CutoutError } from '../shared/errors';
import type { Backend } from '../shared/worker-api';
import { identityModel } from './runtime-warmup';

export type OrtModule = typeof Ort;

export interface LoadedRuntime {
  readonly ort: OrtModule;
  /** WASM threads ORT was told to use. */
  readonly threads: number;
}

/**
 * Loads the onnxruntime-web build for the backend: the plain SIMD+threads build for WASM, the
 * WebGPU (asyncify) build for WebGPU. Both load their .mjs/.wasm from our own origin; ORT's proxy
 * worker is off because this file already runs in a worker.
 */
export async function loadRuntime(backend: Backend, maxThreads?: number): Promise<LoadedRuntime> {
  let ort: OrtModule;
  try {
    ort =
      backend === 'webgpu'
        ? await import('onnxruntime-web/webgpu')
        : await import('onnxruntime-web/wasm');
  } catch (error) {
    throw new CutoutError('runtime-load-failed', `could not load ONNX Runtime: ${String(error)}`);
  }
  // Without cross-origin isolation there is no SharedArrayBuffer, so threads cannot start.
  const cores = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  const threads = maxThreads && maxThreads >= 1 ? Math.min(cores, Math.floor(maxThreads)) : cores;
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.wasmPaths = self.location.origin + ortFilesPath(ORT_VERSION);
  ort.env.logLevel = 'error';
  try {
    // Start the WebAssembly runtime (or the WebGPU device) now, on a one-node model.
    const warm = await ort.InferenceSession.create(identityModel(), {
      executionProviders: [backend],
    });
    await warm.release();
  } catch (error) {
    throw new CutoutError('runtime-load-failed', `could not start ONNX Runtime: ${String(error)}`);
  }
  return { ort, threads };
}
