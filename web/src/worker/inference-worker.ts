import { serveBridge, type Endpoint, type Handlers } from '../shared/bridge';
import { CutoutError, throwIfCancelled } from '../shared/errors';
import { placeSubjectBox, wholeImage } from '../shared/subject-box';
import type {
  Backend,
  ComposeArgs,
  InferenceWorkerApi,
  PrepareArgs,
  PrepareProgress,
  Prepared,
  SegmentArgs,
  Segmented,
  SegmentProgress,
} from '../shared/worker-api';
import { decodeImage, previewImage, renderCover } from './image-codec';
import { loadVerifiedModel } from './model-store';
import { loadRuntime, type LoadedRuntime } from './ort-runtime';
import { boxBlur } from './pixels/blur';
import { flattenOver, solidPlane } from './pixels/composite';
import { cropPixels } from './pixels/crop';
import { cutOutInPlace, withAlpha } from './pixels/postprocess';
import { release } from './pixels/release';
import { encodePngBlob } from './png-output';
import { Segmenter } from './segmenter';
import { maskImage, type ImageMask } from './subject-mask';
import { editorPixels, unpack } from './unpack';
import { installLogTap } from './log-tap';
import { probeWebGpu } from './webgpu-probe';

// before ONNX Runtime loads: its module binds the console it finds (see log-tap.ts)
installLogTap();

/**
 * The inference worker. One worker serves one backend for its whole life: the page terminates
 * it and starts a new one to switch model or backend, because ORT's WASM memory never shrinks.
 */

let runtime: { backend: Backend; loaded: LoadedRuntime } | undefined;
let segmenter: Segmenter | undefined;
let prepared: Prepared | undefined;
let queue: Promise<unknown> = Promise.resolve();
/**
 * Set when a photo waits for the model. The warm-up run is skipped then: it costs as much as the
 * photo's own first run, which pays the same one-time costs (measured; bench/browser/README.md).
 */
let photoWaiting = false;

/** Runs calls that touch the session one after another; ORT sessions are not re-entrant. */
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

const elapsed = (since: number) => performance.now() - since;

async function prepare(
  signal: AbortSignal,
  args: PrepareArgs,
  progress: (p: PrepareProgress) => void,
): Promise<Prepared> {
  if (prepared && prepared.modelId === args.model.id && prepared.backend === args.backend) {
    return prepared;
  }
  if (runtime && runtime.backend !== args.backend) {
    throw new CutoutError('internal', `worker runs ${runtime.backend}; start a new worker`);
  }
  // The runtime loads while the model is read from cache or downloaded: neither waits for the other.
  const runtimeStarted = performance.now();
  const loading =
    runtime?.backend === args.backend
      ? Promise.resolve({ loaded: runtime.loaded, ms: 0 })
      : loadRuntime(args.backend, args.maxThreads).then((loaded) => ({
          loaded,
          ms: elapsed(runtimeStarted),
        }));
  loading.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const model = await loadVerifiedModel(
    signal,
    args.model,
    (loaded, total) => progress({ phase: 'download', loaded, total }),
    () => progress({ phase: 'verify' }),
  );
  throwIfCancelled(signal);
  progress({ phase: 'session' });
  const { loaded, ms: runtimeMs } = await loading;
  runtime ??= { backend: args.backend, loaded };
  await segmenter?.release();
  segmenter = undefined;
  prepared = undefined;
  const started = performance.now();
  const leanWeights = args.backend === 'wasm' && args.leanWeights === true;
  const created = await Segmenter.create(
    runtime.loaded.ort,
    model.bytes,
    args.model,
    args.backend,
    leanWeights,
  );
  const sessionMs = elapsed(started);
  // The session holds its own copy in WebAssembly memory. Free this one now, not at some later
  // garbage collection: the warm-up run below is when the renderer's memory peaks.
  model.bytes.buffer.transfer?.(0);
  const warmStarted = performance.now();
  if (!photoWaiting) {
    progress({ phase: 'warmup' });
    await created.warmUp();
  }
  segmenter = created;
  prepared = {
    modelId: args.model.id,
    backend: args.backend,
    threads: args.backend === 'wasm' ? runtime.loaded.threads : 0,
    leanWeights,
    fromCache: model.fromCache,
    timings: {
      downloadMs: model.downloadMs,
      verifyMs: model.verifyMs,
      runtimeMs,
      sessionMs,
      warmupMs: elapsed(warmStarted),
    },
  };
  return prepared;
}

async function segment(
  signal: AbortSignal,
  args: SegmentArgs,
  progress: (p: SegmentProgress) => void,
): Promise<Segmented> {
  const active = segmenter;
  if (!active) throw new CutoutError('not-prepared', 'no model is loaded yet');
  throwIfCancelled(signal);
  let t = performance.now();
  const decoded = await decodeImage(args.image, args.preview);
  const decodeMs = elapsed(t);
  // a preview that cannot be encoded is simply not shown
  decoded.preview?.then(
    (preview) => progress({ preview }),
    () => undefined,
  );
  throwIfCancelled(signal);

  const { width, height, rgba } = decoded;
  const placement = args.box ? placeSubjectBox(args.box, width, height) : wholeImage(width, height);
  const model = active.model;
  // The full-size buffers of one photo are freed as soon as each is done with (release): at 4 MP
  // each is 16 MiB, and waiting for the collector put them all at the renderer's peak at once.
  let probabilities: Float32Array | undefined;
  let masked: ImageMask;
  try {
    masked = await maskImage(signal, decoded, placement, model.inputSize, model, async (tensor) => {
      try {
        return (probabilities = await active.segment(tensor));
      } finally {
        release(tensor);
      }
    });
  } finally {
    release(probabilities);
  }
  throwIfCancelled(signal);

  t = performance.now();
  // the decoded pixels become the cutout: no separate alpha, no second copy of the image
  cutOutInPlace(rgba, masked.mask);
  release(masked.mask);
  const postprocessMs = masked.upscaleMs + elapsed(t);

  t = performance.now();
  const { png, encoder } = await encodePngBlob(rgba, width, height).finally(() => release(rgba));
  const encodeMs = elapsed(t);
  return {
    width,
    height,
    png,
    timings: {
      decodeMs,
      preprocessMs: masked.preprocessMs,
      inferenceMs: masked.inferenceMs,
      postprocessMs,
      encodeMs,
    },
    encoder,
    subject: masked.subject,
  };
}

async function compose(signal: AbortSignal, args: ComposeArgs): Promise<Blob> {
  const { width, height, alpha, background, crop } = args;
  const pixels = await editorPixels(signal, args, width, height);
  let rgba: Uint8ClampedArray<ArrayBuffer>;
  switch (background.kind) {
    case 'transparent':
      rgba = withAlpha(pixels, alpha);
      break;
    case 'colour':
      rgba = flattenOver(pixels, alpha, solidPlane(alpha.length, background.rgb));
      break;
    case 'image':
      rgba = flattenOver(pixels, alpha, await renderCover(background.image, width, height));
      break;
    case 'blur':
      rgba = flattenOver(pixels, alpha, boxBlur(pixels, width, height, background.radius));
      break;
  }
  throwIfCancelled(signal);
  const out = crop ? cropPixels(rgba, width, crop, 4) : rgba;
  return (await encodePngBlob(out, crop?.width ?? width, crop?.height ?? height)).png;
}

/** Chromium's Device Memory API (also in workers); other browsers report nothing. */
function reportedMemory(): number | undefined {
  const memory = (navigator as { deviceMemory?: unknown }).deviceMemory;
  return typeof memory === 'number' && memory > 0 ? memory : undefined;
}

const handlers: Handlers<InferenceWorkerApi> = {
  probe: async () => ({
    caps: await probeWebGpu(),
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency || 1,
    deviceMemory: reportedMemory(),
  }),
  prepare: (signal, args, context) => exclusive(() => prepare(signal, args, context.progress)),
  skipWarmUp: () => {
    photoWaiting = true;
  },
  segment: (signal, args, context) => exclusive(() => segment(signal, args, context.progress)),
  // not exclusive: a photo's preview must not wait for the model's download and session
  preview: (_signal, args) => previewImage(args.image, args.side),
  unpack: async (signal, args, context) => {
    const unpacked = await unpack(signal, args);
    context.transfer(unpacked.pixels.buffer, unpacked.alpha.buffer);
    return unpacked;
  },
  compose: (signal, args) => compose(signal, args),
};

serveBridge<InferenceWorkerApi>(self as unknown as Endpoint, handlers);
