import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import catalogJson from '@catalog';
import {
  qualityModel,
  SegmentationClient,
  type EngineStatus,
  type EngineOverrides,
} from '../src/app/segmentation-client';
import { serveBridge, type Endpoint, type Handlers } from '../src/shared/bridge';
import { parseCatalog } from '../src/shared/catalog';
import { CutoutError } from '../src/shared/errors';
import { THUMBNAIL_SIDE } from '../src/shared/store-api';
import type { Capabilities, InferenceWorkerApi, Segmented } from '../src/shared/worker-api';

const catalog = parseCatalog(catalogJson);

/** What each fake worker does; `prepared` records the (model, backend) it was asked for. */
interface Device {
  caps: Capabilities;
  /** What navigator.deviceMemory says in the worker. */
  deviceMemory?: number;
  /** The worker cannot decode the photo for a preview apart. */
  previewFails?: boolean;
  prepareFails?: (backend: string) => CutoutError | undefined;
  segmentFails?: (backend: string) => CutoutError | undefined;
  /** The editor's decode waits until it is cancelled. */
  unpackWaits?: boolean;
}

let device: Device;
let workers: FakeWorker[];

class FakeWorker {
  terminated = false;
  prepared: string[] = [];
  /** Sizes of the files each editor decode was given, and the planes it sent back. */
  unpacked: { original: number; cutout: number; pixels: Uint8ClampedArray }[] = [];
  unpackCancelled = false;
  /** Whether the page said a photo waits, so the warm-up is skipped. */
  warmUpSkipped = false;
  /** The side each preview was asked for. */
  previews: number[] = [];
  private readonly port: MessagePort;

  constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    let backend = '';
    const handlers: Handlers<InferenceWorkerApi> = {
      probe: () => ({
        caps: device.caps,
        crossOriginIsolated: true,
        hardwareConcurrency: 2,
        ...(device.deviceMemory !== undefined && { deviceMemory: device.deviceMemory }),
      }),
      prepare: (_signal, args, context) => {
        backend = args.backend;
        this.prepared.push(`${args.model.id}@${args.backend}${args.leanWeights ? ' lean' : ''}`);
        context.progress({ phase: 'download', loaded: 1, total: 2 });
        const failure = device.prepareFails?.(args.backend);
        if (failure) throw failure;
        return {
          modelId: args.model.id,
          backend: args.backend,
          threads: args.backend === 'wasm' ? 2 : 0,
          leanWeights: args.leanWeights === true,
          fromCache: false,
          timings: { downloadMs: 1, verifyMs: 1, runtimeMs: 1, sessionMs: 1, warmupMs: 1 },
        };
      },
      skipWarmUp: () => {
        this.warmUpSkipped = true;
      },
      segment: (_signal, args, context) => {
        const failure = device.segmentFails?.(backend);
        if (failure) throw failure;
        if (args.preview) context.progress({ preview: new Blob([`decoded at ${args.preview}`]) });
        return { width: 1, height: 1, backend } as unknown as Segmented;
      },
      unpack: (signal, files, context) => {
        if (device.unpackWaits) {
          return new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              this.unpackCancelled = true;
              reject(new CutoutError('cancelled', 'cancelled'));
            }),
          );
        }
        const pixels = new Uint8ClampedArray([9, 8, 7, 255, 6, 5, 4, 255]);
        const alpha = new Uint8ClampedArray([0, 255]);
        this.unpacked.push({ original: files.original.size, cutout: files.cutout.size, pixels });
        context.transfer(pixels.buffer, alpha.buffer);
        return { width: 2, height: 1, pixels, alpha };
      },
      compose: () => new Blob(),
      preview: (_signal, args) => {
        this.previews.push(args.side);
        if (device.previewFails) throw new CutoutError('decode-failed', 'not an image');
        return new Blob([new Uint8Array(args.image.size)], { type: 'image/webp' });
      },
    };
    serveBridge<InferenceWorkerApi>(channel.port2 as unknown as Endpoint, handlers);
    workers.push(this);
  }

  postMessage(message: unknown, transfer: Transferable[]) {
    this.port.postMessage(message, transfer as never);
  }
  addEventListener(type: string, listener: (e: unknown) => void) {
    if (type === 'message') this.port.addEventListener('message', listener as never);
  }
  removeEventListener(type: string, listener: (e: unknown) => void) {
    if (type === 'message') this.port.removeEventListener('message', listener as never);
  }
  start() {
    this.port.start();
  }
  terminate() {
    this.terminated = true;
    this.port.close();
  }
}

beforeEach(() => {
  workers = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  for (const w of workers) w.terminate();
  vi.unstubAllGlobals();
});

function client(overrides: EngineOverrides = {}) {
  const statuses: EngineStatus[] = [];
  const fallbacks: CutoutError[] = [];
  const c = new SegmentationClient(
    catalog,
    {
      status: (s) => statuses.push(s),
      fellBack: (reason) => fallbacks.push(reason),
    },
    overrides,
  );
  return { c, statuses, fallbacks };
}

const signal = () => new AbortController().signal;
const image = new Blob([new Uint8Array([1])]);
const backendOf = (r: Segmented) => (r as unknown as { backend: string }).backend;

describe('SegmentationClient', () => {
  it('on a device without WebGPU prepares uint8 on WASM in the probing worker', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c, statuses } = client();
    await c.start(undefined);
    expect(backendOf(await c.segment(signal(), image))).toBe('wasm');
    expect(workers).toHaveLength(1);
    expect(workers[0]!.prepared).toEqual(['isnet-uint8@wasm']);
    const last = statuses.at(-1)!;
    expect(last.state).toBe('ready');
    expect(last.state === 'ready' && last.prepared.threads).toBe(2);
  });

  it('lets a photo chosen while the device is still being probed wait for the model', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    const starting = c.start(undefined);
    const result = c.segment(signal(), image); // before start() has settled
    await starting;
    expect(backendOf(await result)).toBe('wasm');
  });

  it('makes a photo’s preview in the worker at the list’s size, before the model is ready', async () => {
    device = {
      caps: { webgpu: false, shaderF16: false },
      prepareFails: () => new CutoutError('session-failed', 'no'),
    };
    const { c } = client();
    void c.start(undefined);
    const preview = await c.preview(signal(), new Blob([new Uint8Array(5)]));
    expect(preview.size).toBe(5);
    expect(workers[0]!.previews).toEqual([THUMBNAIL_SIDE]);
  });

  it('takes a ready model’s preview from the segment’s own decode, once, and asks for none apart', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    await c.start(undefined);
    await c.segment(signal(), image); // the model is ready now
    const previews: string[] = [];
    await c.segment(signal(), image, undefined, async (p) => previews.push(await p.text()));
    await vi.waitFor(() => expect(previews).toEqual([`decoded at ${THUMBNAIL_SIDE}`]));
    expect(workers[0]!.previews).toEqual([]);
  });

  it('asks the worker for a preview apart while the photo waits for the model', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    const starting = c.start(undefined);
    const previews: Blob[] = [];
    const result = c.segment(signal(), image, undefined, (p) => previews.push(p));
    await starting;
    await result;
    await vi.waitFor(() => expect(previews).toHaveLength(1));
    expect(workers[0]!.previews).toEqual([THUMBNAIL_SIDE]);
  });

  it('asks for lean weights only on a device that reports little memory, or is said to by ?memory=', async () => {
    device = { caps: { webgpu: false, shaderF16: false }, deviceMemory: 8 };
    const roomy = client();
    await roomy.c.start('isnet-fp16');
    device = { caps: { webgpu: false, shaderF16: false }, deviceMemory: 4 };
    const small = client();
    await small.c.start('isnet-fp16');
    device = { caps: { webgpu: false, shaderF16: false }, deviceMemory: 8 };
    const said = client({ deviceMemory: 2 });
    await said.c.start('isnet-fp16');
    await vi.waitFor(() =>
      expect(workers.map((w) => w.prepared)).toEqual([
        ['isnet-fp16@wasm'],
        ['isnet-fp16@wasm lean'],
        ['isnet-fp16@wasm lean'],
      ]),
    );
    expect(said.c.defaultModelId).toBe('u2netp'); // the Lite default follows the same rule
  });

  it('runs the photo all the same when its preview apart cannot be made, and shows the one from the run', async () => {
    device = { caps: { webgpu: false, shaderF16: false }, previewFails: true };
    const { c } = client();
    const starting = c.start(undefined);
    const previews: string[] = [];
    const result = c.segment(signal(), image, undefined, async (p) =>
      previews.push(await p.text()),
    );
    await starting;
    expect(backendOf(await result)).toBe('wasm');
    expect(workers[0]!.previews).toEqual([THUMBNAIL_SIDE]); // asked for, and it failed
    await vi.waitFor(() => expect(previews).toEqual([`decoded at ${THUMBNAIL_SIDE}`]));
  });

  it('falls back to WASM in a new worker when the WebGPU session fails', async () => {
    device = {
      caps: { webgpu: true, shaderF16: true },
      prepareFails: (b) => (b === 'webgpu' ? new CutoutError('session-failed', 'no') : undefined),
    };
    const { c, fallbacks } = client();
    await c.start(undefined);
    expect(backendOf(await c.segment(signal(), image))).toBe('wasm');
    expect(fallbacks.map((f) => f.code)).toEqual(['session-failed']);
    expect(workers.map((w) => w.prepared)).toEqual([['isnet-fp16@webgpu'], ['isnet-uint8@wasm']]);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('treats an all-zero WebGPU mask as a failed run and redoes the image on WASM', async () => {
    device = {
      caps: { webgpu: true, shaderF16: false },
      segmentFails: (b) =>
        b === 'webgpu' ? new CutoutError('invalid-mask', 'all zeros') : undefined,
    };
    const { c, fallbacks } = client();
    await c.start(undefined);
    expect(backendOf(await c.segment(signal(), image))).toBe('wasm');
    expect(fallbacks.map((f) => f.code)).toEqual(['invalid-mask']);
    expect(workers.map((w) => w.prepared)).toEqual([['isnet-fp32@webgpu'], ['isnet-uint8@wasm']]);
  });

  it('falls back to WASM when the WebGPU session would put nodes on the CPU', async () => {
    device = {
      caps: { webgpu: true, shaderF16: false },
      prepareFails: (b) =>
        b === 'webgpu'
          ? new CutoutError('webgpu-cpu-fallback', '228 nodes would run on the CPU')
          : undefined,
    };
    const { c, fallbacks } = client();
    await c.start(undefined);
    expect(backendOf(await c.segment(signal(), image))).toBe('wasm');
    expect(fallbacks.map((f) => f.code)).toEqual(['webgpu-cpu-fallback']);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('does not fall back when the model file failed verification', async () => {
    device = {
      caps: { webgpu: true, shaderF16: true },
      prepareFails: () =>
        new CutoutError('model-verification-failed', 'model file failed verification'),
    };
    const { c, statuses, fallbacks } = client();
    await c.start(undefined);
    const error = (await c.segment(signal(), image).catch((e) => e)) as CutoutError;
    expect(error.code).toBe('model-verification-failed');
    expect(fallbacks).toEqual([]);
    const last = statuses.at(-1)!;
    expect(last.state === 'failed' && last.error.code).toBe('model-verification-failed');
  });

  it('recycles the worker when the person picks another model', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    await c.start(undefined);
    await c.segment(signal(), image);
    c.select('isnet-fp16');
    await c.segment(signal(), image);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.prepared).toEqual(['isnet-fp16@wasm']);
    expect(c.currentPlan?.model.id).toBe('isnet-fp16');
  });

  it('has the worker decode a result for the editor and transfer the planes to the page', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    await c.start(undefined);
    const cutout = new Blob([new Uint8Array([1, 2, 3])]);
    const unpacked = await c.unpack(signal(), { original: image, cutout });
    expect(unpacked.width).toBe(2);
    expect([...unpacked.pixels]).toEqual([9, 8, 7, 255, 6, 5, 4, 255]);
    expect([...unpacked.alpha]).toEqual([0, 255]);
    const sent = workers[0]!.unpacked;
    expect(sent.map(({ original, cutout }) => [original, cutout])).toEqual([[1, 3]]);
    // Moved, not copied: the worker's buffer is empty once the page has it.
    expect(sent[0]!.pixels.byteLength).toBe(0);
  });

  it("cancels the editor's decode in the worker when its signal aborts", async () => {
    device = { caps: { webgpu: false, shaderF16: false }, unpackWaits: true };
    const { c } = client();
    await c.start(undefined);
    const controller = new AbortController();
    const decoding = c.unpack(controller.signal, { original: image, cutout: image });
    controller.abort();
    const error = (await decoding.catch((e) => e)) as CutoutError;
    expect(error.code).toBe('cancelled');
    await vi.waitFor(() => expect(workers[0]!.unpackCancelled).toBe(true));
  });

  it('rejects a cancelled image with code "cancelled"', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    await c.start(undefined);
    const controller = new AbortController();
    controller.abort();
    const error = (await c.segment(controller.signal, image).catch((e) => e)) as CutoutError;
    expect(error.code).toBe('cancelled');
  });
});

describe('the warm-up', () => {
  it('is skipped when a photo waits for the model, and left alone when none does', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const waiting = client();
    const starting = waiting.c.start(undefined);
    const result = waiting.c.segment(signal(), image);
    await starting;
    await result;
    expect(workers[0]!.warmUpSkipped).toBe(true);

    const idle = client();
    await idle.c.start(undefined);
    await vi.waitFor(() => expect(idle.statuses.at(-1)?.state).toBe('ready'));
    await idle.c.segment(signal(), image);
    expect(workers[1]!.warmUpSkipped).toBe(false);
  });
});

describe('a result', () => {
  it('says which model and backend made it', async () => {
    device = { caps: { webgpu: false, shaderF16: false } };
    const { c } = client();
    await c.start('isnet-fp16');
    const made = await c.segment(signal(), image);
    expect(made.madeBy).toEqual({ modelId: 'isnet-fp16', label: 'Quality (isnet-fp16) · WASM' });
  });
});

describe('after a failed model download', () => {
  it('the next photo prepares the model again, so a retry can succeed', async () => {
    let offline = true;
    device = {
      caps: { webgpu: false, shaderF16: false },
      prepareFails: () =>
        offline ? new CutoutError('model-download-failed', 'network down') : undefined,
    };
    const { c } = client();
    await c.start(undefined);
    await expect(c.segment(signal(), image)).rejects.toMatchObject({
      code: 'model-download-failed',
    });
    offline = false;
    expect(backendOf(await c.segment(signal(), image))).toBe('wasm');
    expect(workers[0]!.prepared).toEqual(['isnet-uint8@wasm', 'isnet-uint8@wasm']);
  });
});

describe('the Quality model for "Redo with Quality"', () => {
  const on = (webgpu: boolean, shaderF16: boolean) => ({ caps: { webgpu, shaderF16 }, threads: 2 });
  it('is fp16 on WASM, fp16 on WebGPU with shader-f16, and the float32 ISNet without it', () => {
    expect(qualityModel(catalog, on(false, false), 'wasm')?.id).toBe('isnet-fp16');
    expect(qualityModel(catalog, on(true, true), 'webgpu')?.id).toBe('isnet-fp16');
    expect(qualityModel(catalog, on(true, false), 'webgpu')?.id).toBe('isnet-fp32');
  });
});
