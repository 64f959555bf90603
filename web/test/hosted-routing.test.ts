import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchQueue, type QueueItem } from '../src/app/batch-queue';
import type { HostedCapabilities } from '../src/app/hosted/capabilities';
import { HostedClient } from '../src/app/hosted/client';
import { HostedConsent, type ConsentStorage } from '../src/app/hosted/consent';
import { HostedMode } from '../src/app/hosted/mode';
import { hostedSegmenter } from '../src/app/hosted/segmenter';
import { localRunMs, SLOW_LOCAL_RUN_MS, suggestsHosted } from '../src/app/hosted/suggestion';
import type { Segmented, SegmentTimings } from '../src/shared/worker-api';
import { encodePng } from '../src/worker/png-encoder';

const offered: HostedCapabilities = {
  hostedFallback: true,
  api: false,
  maxBytes: 1_000_000,
  maxPixels: 50_000_000,
  models: ['isnet-fp16', 'isnet-uint8'],
};

const timings: SegmentTimings = {
  decodeMs: 1,
  preprocessMs: 1,
  inferenceMs: 1,
  postprocessMs: 1,
  encodeMs: 1,
};

function memoryStorage(): ConsentStorage {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

function photo(name: string, bytes = 3): File {
  return new File([new Uint8Array(bytes)], name, { type: 'image/jpeg' });
}

const localResult: Segmented = {
  width: 1,
  height: 1,
  png: new Blob([new Uint8Array([1])], { type: 'image/png' }),
  timings,
  encoder: 'javascript',
  subject: true,
};

/** The page's wiring, minus the DOM: a queue that routes by the switch, a spied server. */
function page(
  capabilities: HostedCapabilities = offered,
  reply: Uint8Array<ArrayBuffer> = encodePng(new Uint8Array(8), 2, 1) as Uint8Array<ArrayBuffer>,
) {
  const uploads = vi.fn(
    async () => new Response(reply, { headers: { 'Content-Type': 'image/png' } }),
  );
  const mode = new HostedMode(new HostedConsent(memoryStorage()), capabilities);
  const local = vi.fn(async () => localResult);
  const hostedClient = new HostedClient({ fetch: uploads as unknown as typeof fetch });
  const remove = vi.spyOn(hostedClient, 'remove');
  const seen: QueueItem[] = [];
  const queue = new BatchQueue(
    {
      device: local,
      server: hostedSegmenter({
        client: hostedClient,
        capabilities: () => mode.limits,
        preferredModel: () => 'isnet-uint8',
      }),
    },
    (item) => seen.push(item),
  );
  const add = (...files: File[]) => queue.add(files, mode.where());
  return { mode, queue, local, uploads, remove, add };
}

async function settled(queue: BatchQueue): Promise<void> {
  await vi.waitFor(() => {
    expect(queue.all.every((i) => i.state !== 'queued' && i.state !== 'processing')).toBe(true);
  });
}

beforeEach(() => {
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x' }));
});
afterEach(() => vi.unstubAllGlobals());

describe('with "Process on server" off', () => {
  it('never calls the hosted client or uploads anything', async () => {
    const p = page();
    p.add(photo('a.jpg'), photo('b.jpg'));
    await settled(p.queue);
    expect(p.local).toHaveBeenCalledTimes(2);
    expect(p.remove).not.toHaveBeenCalled();
    expect(p.uploads).not.toHaveBeenCalled();
    expect(p.queue.all.map((i) => i.where)).toEqual(['device', 'device']);
  });

  it('uploads nothing when the switch was turned on but consent was refused', async () => {
    const p = page();
    expect(p.mode.requestOn()).toBe(false);
    p.mode.consentRefused();
    p.add(photo('a.jpg'));
    await settled(p.queue);
    expect(p.uploads).not.toHaveBeenCalled();
  });

  it('uploads nothing on a server without the fallback, whatever is clicked', async () => {
    const p = page({ ...offered, hostedFallback: false });
    p.mode.requestOn();
    p.mode.consentGiven();
    p.add(photo('a.jpg'));
    await settled(p.queue);
    expect(p.uploads).not.toHaveBeenCalled();
  });
});

describe('with "Process on server" on', () => {
  it('uploads only images added after it was turned on', async () => {
    const p = page();
    p.add(photo('before.jpg'));
    p.mode.requestOn();
    p.mode.consentGiven();
    p.add(photo('after.jpg'));
    await settled(p.queue);
    expect(p.queue.all.map((i) => [i.source.name, i.where, i.state])).toEqual([
      ['before.jpg', 'device', 'done'],
      ['after.jpg', 'server', 'done'],
    ]);
    expect(p.local).toHaveBeenCalledTimes(1);
    expect(p.uploads).toHaveBeenCalledTimes(1);
    const server = p.queue.all[1]!;
    expect(server.result?.width).toBe(2);
    expect(server.resultUrl).toBe('blob:x');
  });

  it('fails an item whose server reply is not a PNG, and says so', async () => {
    const p = page(offered, new TextEncoder().encode('<html>' + ' '.repeat(40)));
    p.mode.requestOn();
    p.mode.consentGiven();
    p.add(photo('a.jpg'));
    await settled(p.queue);
    const item = p.queue.all[0]!;
    expect([item.where, item.state]).toEqual(['server', 'failed']);
    expect(item.message).toMatch(/not a PNG/);
  });

  it('keeps images added while on going to the server after it is turned off', async () => {
    const p = page();
    p.mode.consentGiven();
    p.add(photo('on.jpg'));
    p.mode.turnOff();
    p.add(photo('off.jpg'));
    await settled(p.queue);
    expect(p.queue.all.map((i) => i.where)).toEqual(['server', 'device']);
    expect(p.uploads).toHaveBeenCalledTimes(1);
  });

  it('refuses a file over the server’s byte limit without uploading it', async () => {
    const p = page({ ...offered, maxBytes: 10 });
    p.mode.consentGiven();
    p.add(photo('big.jpg', 11));
    await settled(p.queue);
    expect(p.queue.all[0]!.state).toBe('failed');
    expect(p.queue.all[0]!.message).toContain('the server accepts up to');
    expect(p.uploads).not.toHaveBeenCalled();
  });

  it('asks for the page’s model when the server runs it', async () => {
    const p = page();
    p.mode.consentGiven();
    p.add(photo('a.jpg'));
    await settled(p.queue);
    // the queue's own runs carry no subject box
    expect(p.remove).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      'isnet-uint8',
      undefined,
    );
  });
});

describe('suggestsHosted', () => {
  const slow = {
    hostedAvailable: true,
    hostedOn: false,
    webgpu: false,
    localRunMs: SLOW_LOCAL_RUN_MS + 1,
  };

  it('suggests the switch without WebGPU after a local run over 10 s', () => {
    expect(suggestsHosted(slow)).toBe(true);
  });

  it('does not suggest it at exactly 10 s or faster', () => {
    expect(suggestsHosted({ ...slow, localRunMs: 10_000 })).toBe(false);
    expect(suggestsHosted({ ...slow, localRunMs: 2_500 })).toBe(false);
  });

  it('does not suggest it on a device with WebGPU, or before the probe answered', () => {
    expect(suggestsHosted({ ...slow, webgpu: true })).toBe(false);
    expect(suggestsHosted({ ...slow, webgpu: undefined })).toBe(false);
  });

  it('does not suggest it when the server has no fallback or the switch is already on', () => {
    expect(suggestsHosted({ ...slow, hostedAvailable: false })).toBe(false);
    expect(suggestsHosted({ ...slow, hostedOn: true })).toBe(false);
  });

  it('counts the run from decode to encode', () => {
    expect(
      localRunMs({
        decodeMs: 100,
        preprocessMs: 200,
        inferenceMs: 9_000,
        postprocessMs: 500,
        encodeMs: 300,
      }),
    ).toBe(10_100);
  });
});
