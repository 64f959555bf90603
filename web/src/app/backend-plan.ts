import type { ModelCatalog, ModelEntry, Precision } from '../shared/catalog';
import { findModel } from '../shared/catalog';
import { CutoutError } from '../shared/errors';
import type { Backend, Capabilities } from '../shared/worker-api';

export interface Plan {
  readonly model: ModelEntry;
  readonly backend: Backend;
  /** The person picked this model (via ?model= or the picker); a fallback keeps it. */
  readonly explicit: boolean;
}

/**
 * Which precision to use when nobody asked for one. Measured here (DESIGN.md §4): on WASM the
 * uint8 file runs ~2x faster than fp16 (2.4-2.9 s vs 4.8-5.8 s); fp16 on WebGPU needs
 * shader-f16, without it a swiftshader adapter silently returned all zeros.
 */
export function defaultPrecision(backend: Backend, caps: Capabilities): Precision {
  return backend === 'webgpu' && caps.shaderF16 ? 'fp16' : 'uint8';
}

/** An fp16 model may run on WebGPU only when the adapter has shader-f16. */
export function backendFor(model: ModelEntry, caps: Capabilities): Backend {
  if (!caps.webgpu) return 'wasm';
  if (model.precision === 'fp16' && !caps.shaderF16) return 'wasm';
  return 'webgpu';
}

/**
 * Model and backend for this device. `forcedBackend` (the page's `?backend=`) is for diagnosis
 * and tests: it skips the shader-f16 rule, so a broken run can be seen to fall back; WebGPU
 * without an adapter still means WASM.
 */
export function planFor(
  catalog: ModelCatalog,
  caps: Capabilities,
  requestedId: string | undefined,
  forcedBackend?: Backend,
): Plan {
  const forced = (backend: Backend): Backend =>
    forcedBackend === 'wasm' || (forcedBackend === 'webgpu' && caps.webgpu)
      ? forcedBackend
      : backend;
  if (requestedId !== undefined) {
    const model = findModel(catalog, requestedId);
    if (!model) throw new CutoutError('model-unknown', `no model with id "${requestedId}"`);
    return { model, backend: forced(backendFor(model, caps)), explicit: true };
  }
  const backend = forced(caps.webgpu ? 'webgpu' : 'wasm');
  const model = modelWithPrecision(catalog, defaultPrecision(backend, caps));
  return { model, backend: forced(backendFor(model, caps)), explicit: false };
}

/** Parses `?backend=`: `wasm`, `webgpu`, or nothing. */
export function parseBackend(value: string | null): Backend | undefined {
  return value === 'wasm' || value === 'webgpu' ? value : undefined;
}

/** After a failed WebGPU run: WASM, with the WASM default unless the model was picked. */
export function wasmFallback(catalog: ModelCatalog, plan: Plan): Plan {
  const model = plan.explicit
    ? plan.model
    : modelWithPrecision(catalog, defaultPrecision('wasm', { webgpu: false, shaderF16: false }));
  return { model, backend: 'wasm', explicit: plan.explicit };
}

function modelWithPrecision(catalog: ModelCatalog, precision: Precision): ModelEntry {
  const model = catalog.models.find((m) => m.precision === precision) ?? catalog.models[0];
  if (!model) throw new CutoutError('catalog-invalid', 'model catalog is empty');
  return model;
}
