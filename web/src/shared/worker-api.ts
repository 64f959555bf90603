import type { MethodSpec } from './bridge';
import type { ModelEntry } from './catalog';
import type { Rect } from './rect';
import type { SubjectBox } from './subject-box';

/** The messages between the page and the inference worker (src/worker/inference-worker.ts). */
// A type alias, not an interface, so it satisfies ApiSpec's index signature.
export type InferenceWorkerApi = {
  /** What the device offers: WebGPU adapter and its features, isolation, cores. */
  probe: MethodSpec<void, Probe>;
  /**
   * Fetch (or take from cache) and verify the model, create the session, warm it up (unless a
   * photo is already waiting: see skipWarmUp).
   */
  prepare: MethodSpec<PrepareArgs, Prepared, PrepareProgress>;
  /** A photo is waiting for the model: its run takes the warm-up's place. */
  skipWarmUp: MethodSpec<void, void>;
  /**
   * Decode one image, run the model (on a subject box, when given), compose the cutout PNG. With
   * `preview`, a small copy of the decoded photo comes first, as progress.
   */
  segment: MethodSpec<SegmentArgs, Segmented, SegmentProgress>;
  /**
   * A small upright copy of a photo (WebP, at most `side` pixels a side) for the list to show
   * while the photo waits for the model; answered at once, while the model is still loading.
   */
  preview: MethodSpec<PreviewArgs, Blob>;
  /** Decode a finished result for the editor; the pixels come to the page, never back. */
  unpack: MethodSpec<ResultFiles, Unpacked>;
  /** Encode an edited result (background, crop) to PNG off the main thread. */
  compose: MethodSpec<ComposeArgs, Blob>;
};

export type Backend = 'webgpu' | 'wasm';

export interface Capabilities {
  /** navigator.gpu returned an adapter. */
  readonly webgpu: boolean;
  /** That adapter has the 'shader-f16' feature. */
  readonly shaderF16: boolean;
}

export interface Probe {
  readonly caps: Capabilities;
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** `navigator.deviceMemory` (GiB, rounded down by the browser), where the browser reports it. */
  readonly deviceMemory?: number;
}

export interface PrepareArgs {
  readonly model: ModelEntry;
  readonly backend: Backend;
  /** At most this many WASM threads (the page's `?threads=`); default: every core. */
  readonly maxThreads?: number;
  /**
   * For a device short of memory: on WASM, keep an fp16 file's weights fp16 in memory and cast
   * them as each run goes, instead of fp32 copies made once (Quality: ~140 MiB less at the
   * renderer's peak, each run ~9% slower; docs/benchmarks.md).
   */
  readonly leanWeights?: boolean;
}

export type PrepareProgress =
  | { readonly phase: 'download'; readonly loaded: number; readonly total: number }
  | { readonly phase: 'verify' | 'session' | 'warmup' };

export interface PrepareTimings {
  /** 0 when the model came from Cache Storage. */
  readonly downloadMs: number;
  readonly verifyMs: number;
  /** Loading ONNX Runtime Web's module and WebAssembly (overlaps the model download). */
  readonly runtimeMs: number;
  /** InferenceSession.create alone: the model's bytes are already in memory. */
  readonly sessionMs: number;
  /** 0 when a waiting photo took the warm-up's place. */
  readonly warmupMs: number;
}

export interface Prepared {
  readonly modelId: string;
  readonly backend: Backend;
  /** WASM threads; 0 on WebGPU (kernels run on the GPU). */
  readonly threads: number;
  /** The session keeps fp16 weights fp16 (PrepareArgs.leanWeights, on WASM). */
  readonly leanWeights: boolean;
  readonly fromCache: boolean;
  readonly timings: PrepareTimings;
}

export interface SegmentArgs {
  readonly image: Blob;
  /**
   * Where the subject is, when a person said so: the network runs on the box and its context only,
   * and every pixel outside the box is background.
   */
  readonly box?: SubjectBox;
  /**
   * Send a copy of the photo at most this many pixels a side (upright, WebP) as soon as it is
   * decoded, drawn from the decode the model needs anyway.
   */
  readonly preview?: number;
}

/** What the worker sends while it segments: the photo, small. */
export interface SegmentProgress {
  readonly preview: Blob;
}

export interface PreviewArgs {
  readonly image: Blob;
  readonly side: number;
}

export interface SegmentTimings {
  readonly decodeMs: number;
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly postprocessMs: number;
  readonly encodeMs: number;
}

export interface Segmented {
  readonly width: number;
  readonly height: number;
  /** The cutout: original RGB, contract alpha, full resolution, no metadata. */
  readonly png: Blob;
  readonly timings: SegmentTimings;
  /**
   * Who wrote the PNG: the browser's own encoder (proven lossless on this browser first), Cutout's
   * JavaScript encoder, or the server (hosted processing).
   */
  readonly encoder: PngEncoderKind;
  /**
   * Whether the network found a subject (at least 0.1% of the pixels, or of the subject box's, half
   * opaque or more). Without one the PNG is all but transparent: the page says "No subject found"
   * instead of "Done".
   */
  readonly subject: boolean;
}

export type PngEncoderKind = 'browser' | 'javascript' | 'server';

/**
 * A finished result as the queue keeps it: the person's file and the cutout PNG. Blobs cross
 * postMessage as handles, so sending them costs no copy of the image.
 */
export interface ResultFiles {
  readonly original: Blob;
  readonly cutout: Blob;
}

/** The editor's inputs, transferred to the page. */
export interface Unpacked {
  readonly width: number;
  readonly height: number;
  /** Straight RGBA: the original's colours, or the cutout's made opaque when those cannot be had. */
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  /** The cutout's alpha, one byte per pixel. */
  readonly alpha: Uint8ClampedArray<ArrayBuffer>;
}

export type Background =
  | { readonly kind: 'transparent' }
  | { readonly kind: 'colour'; readonly rgb: readonly [number, number, number] }
  | { readonly kind: 'image'; readonly image: Blob }
  /** The original photo blurred (box blur ×3 of this radius in image pixels) behind the cutout. */
  | { readonly kind: 'blur'; readonly radius: number };

/** The worker decodes the colours again from the files, so only the edited alpha is sent. */
export interface ComposeArgs extends ResultFiles {
  readonly width: number;
  readonly height: number;
  readonly alpha: Uint8ClampedArray;
  readonly background: Background;
  readonly crop: Rect | undefined;
}
