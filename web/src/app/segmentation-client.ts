import { BridgeClient } from '../shared/bridge';
import { findModel, runsOn, type ModelCatalog, type ModelEntry } from '../shared/catalog';
import { CutoutError, isCancelled } from '../shared/errors';
import { THUMBNAIL_SIDE } from '../shared/store-api';
import type { SubjectBox } from '../shared/subject-box';
import type {
  Backend,
  ComposeArgs,
  InferenceWorkerApi,
  Prepared,
  PrepareProgress,
  Probe,
  ResultFiles,
  Unpacked,
} from '../shared/worker-api';
import {
  defaultModel,
  defaultModelId,
  isLowMemory,
  planFor,
  wasmFallback,
  type Device,
  type Plan,
} from './backend-plan';
import type { Made, MadeBy } from './batch-queue';

export type EngineStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'preparing'; readonly plan: Plan; readonly progress: PrepareProgress }
  | { readonly state: 'ready'; readonly plan: Plan; readonly prepared: Prepared }
  | { readonly state: 'failed'; readonly plan: Plan | undefined; readonly error: CutoutError };

/** Choices the page's URL can force: `?backend=` and `?threads=`. */
export interface EngineOverrides {
  readonly backend?: Backend;
  readonly maxThreads?: number;
  /** The device's memory in GiB as the page's `?memory=` says, in place of what the browser reports. */
  readonly deviceMemory?: number;
}

export interface EngineEvents {
  status(status: EngineStatus): void;
  /** A WebGPU failure made us switch to WASM; shown to the person, never hidden. */
  fellBack(reason: CutoutError): void;
}

/** Codes that say the model file itself is the problem, so another backend would not help. */
const MODEL_FILE_ERRORS = new Set<string>([
  'model-not-pinned',
  'model-download-failed',
  'model-verification-failed',
]);

/**
 * Owns the inference worker. Switching model or backend terminates the worker and starts a new
 * one: ORT's WASM memory never shrinks, so recycling is the only way to give it back.
 */
export class SegmentationClient {
  private worker: Worker | undefined;
  private bridge: BridgeClient<InferenceWorkerApi> | undefined;
  private probe: Probe | undefined;
  private plan: Plan | undefined;
  private ready: Promise<Prepared> | undefined;
  /** The plan whose session is ready; a photo arriving before that skips the warm-up. */
  private readyPlan: Plan | undefined;
  private lifetime = new AbortController();
  /** Settles when start() has probed the device and chosen a plan (or failed to). */
  private started: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly events: EngineEvents,
    private readonly overrides: EngineOverrides = {},
  ) {}

  get capabilities(): Probe | undefined {
    return this.probe;
  }

  get currentPlan(): Plan | undefined {
    return this.plan;
  }

  /** What the plan knows of this device; undefined until the probe answered. */
  get device(): Device | undefined {
    const probe = this.probe;
    if (!probe) return undefined;
    // as the worker's loadRuntime counts them: no threads without cross-origin isolation
    const cores = probe.crossOriginIsolated ? Math.max(1, probe.hardwareConcurrency) : 1;
    const max = this.overrides.maxThreads;
    return {
      caps: probe.caps,
      threads: max && max >= 1 ? Math.min(cores, Math.floor(max)) : cores,
      deviceMemory: this.overrides.deviceMemory ?? probe.deviceMemory,
    };
  }

  /** The model this device runs when nobody picked one; undefined until the probe answered. */
  get defaultModelId(): string | undefined {
    const device = this.device;
    return device && defaultModelId(this.catalog, device, this.overrides.backend);
  }

  /** Probes the device, picks model and backend, and starts preparing. */
  start(requestedModelId: string | undefined): Promise<void> {
    this.started = this.begin(requestedModelId);
    return this.started;
  }

  private async begin(requestedModelId: string | undefined): Promise<void> {
    this.events.status({ state: 'starting' });
    try {
      this.probe = await this.connect().call(this.lifetime.signal, 'probe', undefined);
      this.usePlan(
        planFor(this.catalog, this.device!, requestedModelId, this.overrides.backend),
        false,
      );
    } catch (error) {
      this.events.status({ state: 'failed', plan: undefined, error: CutoutError.from(error) });
    }
  }

  /** The person picked a model; undefined: back to this device's default. */
  select(modelId: string | undefined): void {
    const device = this.device;
    if (!device) return;
    this.usePlan(planFor(this.catalog, device, modelId, this.overrides.backend), true);
  }

  /**
   * The Quality tier on the backend this page runs, for "Redo with Quality"; undefined until the
   * device is known.
   */
  get qualityModelId(): string | undefined {
    const device = this.device;
    const plan = this.plan;
    return device && plan && qualityModel(this.catalog, device, plan.backend)?.id;
  }

  /**
   * Runs the model on `image`; on `box` and its context only, when a person drew one. With
   * `onPreview`, a small copy of the photo for the list, once: made by the worker while the photo
   * waits for the model, else taken from the decode the run does anyway (no second decode).
   */
  async segment(
    signal: AbortSignal,
    image: Blob,
    box?: SubjectBox,
    onPreview?: (preview: Blob) => void,
  ): Promise<Made> {
    let previewed = false;
    const show = (preview: Blob) => {
      if (previewed || signal.aborted) return;
      previewed = true;
      onPreview?.(preview);
    };
    // A photo chosen while the page is still probing the device waits for the plan.
    await abortable(this.started, signal);
    for (;;) {
      const plan = this.plan;
      // After a worker crash the next image prepares a fresh worker.
      if (plan && !this.ready) this.startPreparing(plan);
      const ready = this.ready;
      if (!plan || !ready) throw new CutoutError('not-prepared', 'the model is not loaded');
      if (this.readyPlan !== plan) {
        // this photo's first run pays what the warm-up would: the warm-up is skipped
        this.connect()
          .call(this.lifetime.signal, 'skipWarmUp', undefined)
          .catch(() => undefined);
        if (onPreview && !previewed) this.preview(signal, image).then(show, () => undefined);
      }
      try {
        await abortable(ready, signal);
        const made = await this.connect().call(
          signal,
          'segment',
          { image, box, ...(onPreview && { preview: THUMBNAIL_SIDE }) },
          { onProgress: (p) => show(p.preview) },
        );
        return { ...made, madeBy: madeBy(plan) };
      } catch (error) {
        const failure = CutoutError.from(error);
        if (signal.aborted) throw new CutoutError('cancelled', 'cancelled');
        if (plan !== this.plan) continue; // model or backend switched meanwhile: run again
        if (!this.shouldFallBack(plan, failure)) throw failure;
        this.events.fellBack(failure);
        this.usePlan(wasmFallback(this.catalog, plan, this.device!), true);
      }
    }
  }

  /** A small copy of `image` for the list, made in the worker (which need not be ready). */
  preview(signal: AbortSignal, image: Blob): Promise<Blob> {
    return this.connect().call(signal, 'preview', { image, side: THUMBNAIL_SIDE });
  }

  /** Decodes a finished result for the editor, in the worker; its pixels are transferred here. */
  unpack(signal: AbortSignal, files: ResultFiles): Promise<Unpacked> {
    return this.connect().call(signal, 'unpack', files);
  }

  compose(signal: AbortSignal, args: ComposeArgs): Promise<Blob> {
    return this.connect().call(signal, 'compose', args);
  }

  /** Ends the worker and forgets the plan: its memory goes back; a later start() begins afresh. */
  close(): void {
    this.recycle();
    this.plan = undefined;
    this.ready = undefined;
  }

  private usePlan(plan: Plan, recycle: boolean): void {
    const previous = this.plan;
    this.plan = plan;
    if (
      previous &&
      previous.model.id === plan.model.id &&
      previous.backend === plan.backend &&
      this.ready
    ) {
      return;
    }
    if (recycle && previous) this.recycle();
    this.startPreparing(plan);
  }

  private startPreparing(plan: Plan): void {
    const ready = this.prepare(plan);
    this.ready = ready;
    // Failures are reported through events; callers of segment() see them through `ready`. The
    // next image prepares again, so a retry after a failed download can succeed.
    ready.catch(() => {
      if (this.ready === ready) this.ready = undefined;
    });
  }

  private async prepare(plan: Plan): Promise<Prepared> {
    const signal = this.lifetime.signal;
    const report = (progress: PrepareProgress) => {
      if (this.plan === plan) this.events.status({ state: 'preparing', plan, progress });
    };
    try {
      report({ phase: 'download', loaded: 0, total: plan.model.bytes });
      const prepared = await this.connect().call(
        signal,
        'prepare',
        {
          model: plan.model,
          backend: plan.backend,
          maxThreads: this.overrides.maxThreads,
          leanWeights: this.device !== undefined && isLowMemory(this.device),
        },
        { onProgress: report },
      );
      this.readyPlan = plan;
      if (this.plan === plan) this.events.status({ state: 'ready', plan, prepared });
      return prepared;
    } catch (error) {
      const failure = CutoutError.from(error);
      if (this.plan !== plan) throw failure;
      if (this.shouldFallBack(plan, failure)) {
        this.events.fellBack(failure);
        this.usePlan(wasmFallback(this.catalog, plan, this.device!), true);
        return this.ready!;
      }
      this.events.status({ state: 'failed', plan, error: failure });
      throw failure;
    }
  }

  private shouldFallBack(plan: Plan, failure: CutoutError): boolean {
    return (
      plan.backend === 'webgpu' && !isCancelled(failure) && !MODEL_FILE_ERRORS.has(failure.code)
    );
  }

  private connect(): BridgeClient<InferenceWorkerApi> {
    if (this.bridge) return this.bridge;
    const worker = new Worker(new URL('../worker/inference-worker.ts', import.meta.url), {
      type: 'module',
      name: 'cutout-inference',
    });
    const bridge = new BridgeClient<InferenceWorkerApi>(worker);
    const crashed = (event: Event) => {
      const detail = event instanceof ErrorEvent ? `: ${event.message}` : '';
      bridge.close(new CutoutError('worker-crashed', `the inference worker stopped${detail}`));
      if (this.bridge === bridge) {
        this.bridge = undefined;
        this.worker = undefined;
        this.ready = undefined;
      }
    };
    worker.addEventListener('error', crashed);
    worker.addEventListener('messageerror', crashed);
    this.worker = worker;
    this.bridge = bridge;
    return bridge;
  }

  private recycle(): void {
    this.lifetime.abort();
    this.lifetime = new AbortController();
    this.bridge?.close(new CutoutError('worker-terminated', 'the model was switched'));
    this.worker?.terminate();
    this.bridge = undefined;
    this.worker = undefined;
  }
}

/**
 * The Quality tier for a backend: on WASM isnet-fp16; on WebGPU the plan's quality file (fp16
 * with shader-f16, else the float32 ISNet), as backend-plan chooses it.
 */
export function qualityModel(
  catalog: ModelCatalog,
  device: Device,
  backend: Backend,
): ModelEntry | undefined {
  if (backend === 'webgpu') return defaultModel(catalog, 'webgpu', device);
  const fp16 = findModel(catalog, 'isnet-fp16');
  return fp16 && runsOn(fp16, 'wasm') ? fp16 : undefined;
}

/** What a result's row says made it: "Quality (isnet-fp16) · WASM". */
export function madeBy(plan: Plan): MadeBy {
  const backend = plan.backend === 'wasm' ? 'WASM' : 'WebGPU';
  return { modelId: plan.model.id, label: `${plan.model.label} (${plan.model.id}) · ${backend}` };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CutoutError('cancelled', 'cancelled'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new CutoutError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
