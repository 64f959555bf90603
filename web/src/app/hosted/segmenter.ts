import { CutoutError } from '../../shared/errors';
import { PNG_HEAD_BYTES, pngSize } from '../../shared/png-format';
import type { SubjectBox } from '../../shared/subject-box';
import type { Segmented, SegmentTimings } from '../../shared/worker-api';
import { formatBytes } from '../units';
import type { HostedCapabilities } from './capabilities';
import { HostedError, type HostedClient, type HostedOutput } from './client';

export interface HostedSegmenterDeps {
  readonly client: HostedClient;
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
): (signal: AbortSignal, image: Blob, box?: SubjectBox) => Promise<Segmented> {
  return async (signal, image, box) => {
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
    const output = await deps.client.remove(signal, image, model, box);
    const { width, height } = await sizeOfPng(output.png);
    return {
      width,
      height,
      png: output.png,
      timings: serverSegmentTimings(output),
      encoder: 'server',
      // the server refuses an image without a subject (422 no_subject): an answer holds one
      subject: true,
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

async function sizeOfPng(png: Blob): Promise<{ width: number; height: number }> {
  try {
    return pngSize(new Uint8Array(await png.slice(0, PNG_HEAD_BYTES).arrayBuffer()));
  } catch {
    throw new CutoutError('decode-failed', 'the server sent a result that is not a PNG');
  }
}
