import type { ModelCatalog, ModelEntry } from '../shared/catalog';
import { findModel, runsOn } from '../shared/catalog';
import { CutoutError } from '../shared/errors';
import type { Backend, Capabilities } from '../shared/worker-api';

/** What the plan needs to know about this device. */
export interface Device {
  readonly caps: Capabilities;
  /** WASM threads the runtime will get (1 without cross-origin isolation). */
  readonly threads: number;
  /** `navigator.deviceMemory` in GiB, when the browser reports it. */
  readonly deviceMemory?: number;
}

export interface Plan {
  readonly model: ModelEntry;
  readonly backend: Backend;
  /** The person picked this model (via ?model=, the picker, or a remembered pick); a fallback keeps it. */
  readonly explicit: boolean;
  /**
   * The model this device would run but for its small memory: the page offers it next to the
   * Lite default. Absent unless the memory rule chose the model.
   */
  readonly lowMemoryOffer?: ModelEntry;
}

/**
 * The fastest ISNet file on WASM by thread count, as measured (pick the row with the most threads
 * not above the device's; below the first row, the first row). isnet-fp32 is never a WASM default:
 * twice fp16's download for the same mask.
 * - 2 threads: uint8 ~2x faster than fp16 (2.4-2.9 s vs 4.8-5.8 s; DESIGN.md §4, docs/benchmarks.md).
 * - 16 threads: fp16 faster than uint8 (1.55 s vs 2.14 s per run; DESIGN.md §5, H200 host).
 * - Threads capped on that 16-core host (bench/gpu, Cutout's own uint8 file; median run, uint8 vs
 *   fp16): 2 threads 6.68 vs 8.16 s, 4 threads 2.66 vs 3.44 s, 8 threads 3.32 vs 3.05 s, 16
 *   threads 2.30 vs 2.04 s (bench/gpu/results/h200-wasm-threads-2026-12-04.json).
 * So fp16 becomes the default at 8 threads; 5-7 were not measured and keep uint8, the choice at 4.
 */
export const WASM_FASTEST: readonly { readonly threads: number; readonly modelId: string }[] = [
  { threads: 1, modelId: 'isnet-uint8' },
  { threads: 8, modelId: 'isnet-fp16' },
];

/**
 * At or below this many GiB (as `navigator.deviceMemory` reports: it rounds down to 0.25-8) the
 * default is Lite: ISNet's 1024² activations peak at several hundred MiB in WASM
 * (docs/benchmarks.md), U²-Netp at 320² needs a fraction of that and its file is 4.6 MB.
 */
export const LOW_MEMORY_GIB = 4;
export const LITE_MODEL_ID = 'u2netp';

/** Whether `model` may run on `backend` here: the catalog allows it and, for fp16 on WebGPU, shader-f16. */
export function mayRun(model: ModelEntry, backend: Backend, caps: Capabilities): boolean {
  if (!runsOn(model, backend)) return false;
  if (backend === 'wasm') return true;
  return caps.webgpu && (model.precision !== 'fp16' || caps.shaderF16);
}

/** The best backend for a model: WebGPU where it may run there, else WASM. */
export function backendFor(model: ModelEntry, caps: Capabilities): Backend {
  if (mayRun(model, 'webgpu', caps)) return 'webgpu';
  if (runsOn(model, 'wasm')) return 'wasm';
  throw new CutoutError('model-unsupported', `${model.id} needs WebGPU, which this browser lacks`);
}

/** The WASM default for this many threads, from {@link WASM_FASTEST}. */
export function wasmDefault(catalog: ModelCatalog, threads: number): ModelEntry {
  let row = WASM_FASTEST[0]!;
  for (const r of WASM_FASTEST) if (threads >= r.threads) row = r;
  return tier(catalog, row.modelId, 'wasm');
}

/**
 * The default for a backend, memory aside: on WebGPU fp16 with shader-f16, else fp32 (float
 * convolutions are what WebGPU is good at; uint8's ConvInteger runs on the CPU there, 2x slower
 * than WASM on a real GPU, DESIGN.md §5); on WASM by thread count.
 */
export function defaultModel(catalog: ModelCatalog, backend: Backend, device: Device): ModelEntry {
  if (backend === 'wasm') return wasmDefault(catalog, device.threads);
  return tier(catalog, device.caps.shaderF16 ? 'isnet-fp16' : 'isnet-fp32', 'webgpu');
}

export function isLowMemory(device: Device): boolean {
  return device.deviceMemory !== undefined && device.deviceMemory <= LOW_MEMORY_GIB;
}

/**
 * Model and backend for this device. A requested model (the person's pick) always wins, on the
 * best backend it may use. `forcedBackend` (the page's `?backend=`) is for diagnosis and tests: it
 * skips the shader-f16 rule and the catalog's backends, so a broken or CPU-bound WebGPU session
 * can be seen to be refused and to fall back; WebGPU without an adapter still means WASM.
 */
export function planFor(
  catalog: ModelCatalog,
  device: Device,
  requestedId: string | undefined,
  forcedBackend?: Backend,
): Plan {
  const caps = device.caps;
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
  const usual = defaultModel(catalog, backend, device);
  const lite = findModel(catalog, LITE_MODEL_ID);
  if (isLowMemory(device) && lite && lite.id !== usual.id) {
    return {
      model: lite,
      backend: forced(backendFor(lite, caps)),
      explicit: false,
      lowMemoryOffer: usual,
    };
  }
  return { model: usual, backend: forced(backendFor(usual, caps)), explicit: false };
}

/** The model the page runs when nobody picked one: what a remembered pick is compared with. */
export function defaultModelId(catalog: ModelCatalog, device: Device, forced?: Backend): string {
  return planFor(catalog, device, undefined, forced).model.id;
}

/** Parses `?backend=`: `wasm`, `webgpu`, or nothing. */
export function parseBackend(value: string | null): Backend | undefined {
  return value === 'wasm' || value === 'webgpu' ? value : undefined;
}

/**
 * After a failed WebGPU session or run: WASM, keeping a picked model where WASM may run it, else
 * the WASM default (Lite on a small-memory device).
 */
export function wasmFallback(catalog: ModelCatalog, plan: Plan, device: Device): Plan {
  if (plan.explicit && runsOn(plan.model, 'wasm')) {
    return { model: plan.model, backend: 'wasm', explicit: true };
  }
  const wasmOnly: Device = { ...device, caps: { webgpu: false, shaderF16: false } };
  const fallback = planFor(catalog, wasmOnly, undefined, 'wasm');
  return { ...fallback, explicit: plan.explicit };
}

function tier(catalog: ModelCatalog, id: string, backend: Backend): ModelEntry {
  const model = findModel(catalog, id);
  if (!model || !runsOn(model, backend)) {
    // A catalog without the tier: any model the backend may run rather than none.
    const any = catalog.models.find((m) => runsOn(m, backend));
    if (!any)
      throw new CutoutError('catalog-invalid', `no model in the catalog runs on ${backend}`);
    return any;
  }
  return model;
}
