import { CutoutError } from '../shared/errors';
import { formatBytes } from '../shared/units';
import type { Segmented, SegmentTimings } from '../shared/worker-api';
import type { HostedCapabilities } from './hosted-capabilities';
import { HostedError, type HostedClient, type HostedOutput } from './hosted-client';

/** The editor's inputs recovered from the original file and the server's PNG. */
export interface Unpacked {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayBuffer;
  readonly alpha: ArrayBuffer;
}

/** Decodes what the editor needs (hosted-unpack.ts in the page; a fake in tests). */
export type Unpack = (original: Blob, png: Blob, signal: AbortSignal) => Promise<Unpacked>;

export interface HostedSegmenterDeps {
  readonly client: HostedClient;
  readonly unpack: Unpack;
  readonly capabilities: () => HostedCapabilities;
  /** The model the page runs locally; sent when the server offers it too. */
  readonly preferredModel: () => string | undefined;
}

/**
 * The server's counterpart of SegmentationClient.segment: same signature, same result shape, so
 * the queue, thumbnails, ZIP and editor treat both alike.
 */
export function hostedSegmenter(
  deps: HostedSegmenterDeps,
): (signal: AbortSignal, image: Blob) => Promise<Segmented> {
  return async (signal, image) => {
    const limits = deps.capabilities();
    if (!limits.hostedFallback) {
      throw new CutoutError('server-refused', 'this server no longer processes images');
    }
    if (image.size > limits.maxBytes) {
      // Refused here, before a byte is uploaded: the server would refuse it anyway.
      throw new HostedError(
        'server-refused',
        `the file is ${formatBytes(image.size)}; the server accepts up to ${formatBytes(limits.maxBytes)}`,
        undefined,
        'TOO_LARGE',
        undefined,
      );
    }
    const preferred = deps.preferredModel();
    const model = preferred && limits.models.includes(preferred) ? preferred : undefined;
    const output = await deps.client.remove(signal, image, model);
    const unpacked = await deps.unpack(image, output.png, signal);
    return {
      width: unpacked.width,
      height: unpacked.height,
      png: output.png,
      pixels: unpacked.pixels,
      alpha: unpacked.alpha,
      timings: serverSegmentTimings(output),
      encoder: 'server',
    };
  };
}

/** The server's own phases where it reports them (Server-Timing), else zeros. */
export function serverSegmentTimings(output: HostedOutput): SegmentTimings {
  const t = output.serverTimings;
  return {
    decodeMs: t['decode'] ?? 0,
    preprocessMs: t['preprocess'] ?? 0,
    inferenceMs: t['inference'] ?? 0,
    postprocessMs: t['postprocess'] ?? 0,
    encodeMs: t['encode'] ?? 0,
  };
}
