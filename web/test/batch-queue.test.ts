import { describe, expect, it, vi } from 'vitest';
import {
  BatchQueue,
  canRedoWithQuality,
  NO_SUBJECT_MESSAGE,
  type Made,
  type QueueItem,
  type Segment,
  type Tier,
} from '../src/app/batch-queue';
import type { ResultKeeper } from '../src/app/result-store';
import type { Segmented } from '../src/shared/worker-api';

const result = (subject: boolean): Segmented => ({
  width: 1,
  height: 1,
  png: new Blob([new Uint8Array([1])], { type: 'image/png' }),
  timings: { decodeMs: 1, preprocessMs: 1, inferenceMs: 1, postprocessMs: 1, encodeMs: 1 },
  encoder: 'javascript',
  subject,
});

describe('a result without a subject', () => {
  it('is "empty", not "done", says what the person can do, and keeps the result', async () => {
    const segment = vi.fn(async (_: AbortSignal, image: Blob) =>
      result((image as File).name !== 'field.jpg'),
    );
    const queue = new BatchQueue({ device: segment, server: segment }, () => {});
    queue.add([
      new File([new Uint8Array(3)], 'cat.jpg'),
      new File([new Uint8Array(3)], 'field.jpg'),
    ]);
    await vi.waitFor(() => expect(queue.all.map((i) => i.state)).toEqual(['done', 'empty']));

    const [cat, field] = queue.all;
    expect(cat!.message).toBeUndefined();
    expect(field!.message).toBe(NO_SUBJECT_MESSAGE);
    expect(field!.message).toMatch(/Quality/);
    expect(field!.result?.subject).toBe(false);
    expect(field!.resultUrl).toMatch(/^blob:/);
  });
});

describe('edits replacing a result', () => {
  it('swap the PNG and its URL, mark the item edited, and make a restored empty result done', async () => {
    const segment = vi.fn(async () => result(false));
    const changes: string[] = [];
    const queue = new BatchQueue({ device: segment, server: segment }, (i) =>
      changes.push(i.state),
    );
    queue.add([new File([new Uint8Array(3)], 'field.jpg')]);
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('empty'));
    const item = queue.all[0]!;
    const oldUrl = item.resultUrl;
    const edited = new Blob([new Uint8Array([2])], { type: 'image/png' });

    queue.replaceResult(item, edited);

    expect(item.result!.png).toBe(edited);
    expect(item.resultUrl).not.toBe(oldUrl);
    expect(item.edited).toBe(true);
    expect(item.state).toBe('done');
    expect(item.message).toBeUndefined();
    expect(changes.at(-1)).toBe('done');
  });
});

const photo = (name: string) => new File([new Uint8Array(3)], name);

/** A segmenter whose runs finish only when the test says so, each with the tier it was asked for. */
function heldSegmenter() {
  const runs: {
    name: string;
    tier: Tier | undefined;
    signal: AbortSignal;
    finish(made?: Made): void;
    fail(error: Error): void;
  }[] = [];
  const segment: Segment = (signal, image, _box, tier) =>
    new Promise<Made>((resolve, reject) => {
      runs.push({
        name: (image as File).name,
        tier,
        signal,
        finish: (made) =>
          resolve(
            made ?? {
              ...result(true),
              madeBy: {
                modelId: tier === 'quality' ? 'isnet-fp16' : 'isnet-uint8',
                label:
                  tier === 'quality' ? 'Quality (isnet-fp16) · WASM' : 'Fast (isnet-uint8) · WASM',
              },
            },
          ),
        fail: reject,
      });
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  return { runs, segment };
}

/** Keeps results "on disk" as new Blobs, with a thumbnail, and records what was kept and dropped. */
function recordingKeeper() {
  const kept = new Map<string, Blob>();
  const dropped: string[] = [];
  const keeper: ResultKeeper = {
    keep: async (key, r) => {
      const png = new Blob([await r.png.arrayBuffer()], { type: 'image/png' });
      kept.set(key, png);
      return { png, where: 'disk', thumbnail: new Blob([new Uint8Array([9])]) };
    },
    drop: (key) => {
      dropped.push(key);
      kept.delete(key);
    },
  };
  return { keeper, kept, dropped };
}

function queueWith(segment: Segment, keeper?: ResultKeeper) {
  const removed: QueueItem[] = [];
  let idle = 0;
  const queue = new BatchQueue(
    { device: segment, server: segment },
    { changed: () => {}, removed: (i) => removed.push(i), idle: () => idle++ },
    keeper,
  );
  return { queue, removed, idles: () => idle };
}

describe('a finished result', () => {
  it('is handed to the keeper: the item holds the kept PNG, a thumbnail and which model made it', async () => {
    const { runs, segment } = heldSegmenter();
    const { keeper, kept } = recordingKeeper();
    const { queue } = queueWith(segment, keeper);
    queue.add([photo('cat.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));

    const item = queue.all[0]!;
    expect([...kept.values()]).toContain(item.result!.png);
    expect(item.thumbUrl).toMatch(/^blob:/);
    expect(item.resultUrl).toMatch(/^blob:/);
    expect(item.result!.madeBy?.label).toBe('Fast (isnet-uint8) · WASM');
  });
});

describe('removing an item', () => {
  it('cancels it while it runs, takes it off the list, and the next photo runs', async () => {
    const { runs, segment } = heldSegmenter();
    const { queue, removed } = queueWith(segment);
    queue.add([photo('a.jpg'), photo('b.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    const a = queue.all[0]!;

    queue.remove(a.id);

    expect(runs[0]!.signal.aborted).toBe(true);
    expect(removed).toEqual([a]);
    expect(queue.all.map((i) => i.source.name)).toEqual(['b.jpg']);
    await vi.waitFor(() => expect(runs.map((r) => r.name)).toEqual(['a.jpg', 'b.jpg']));
    runs[1]!.finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    expect(a.state).toBe('processing'); // never redrawn: it left the list
  });

  it('of a finished item revokes its URLs and drops its kept result', async () => {
    const { runs, segment } = heldSegmenter();
    const { keeper, kept, dropped } = recordingKeeper();
    const { queue } = queueWith(segment, keeper);
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    const item = queue.all[0]!;
    const { resultUrl, thumbUrl } = item;

    queue.remove(item.id);

    expect(revoke).toHaveBeenCalledWith(resultUrl);
    expect(revoke).toHaveBeenCalledWith(thumbUrl);
    expect(dropped).toHaveLength(1);
    expect(kept.size).toBe(0);
    expect(item.result).toBeUndefined();
    revoke.mockRestore();
  });

  it('while its result is being written drops what was written', async () => {
    const { runs, segment } = heldSegmenter();
    const { keeper, kept } = recordingKeeper();
    let release: () => void = () => {};
    const slowKeeper: ResultKeeper = {
      keep: async (key, r) => {
        await new Promise<void>((resolve) => (release = resolve));
        return keeper.keep(key, r);
      },
      drop: keeper.drop,
    };
    const { queue } = queueWith(segment, slowKeeper);
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(release).not.toBe(undefined));
    await new Promise((r) => setTimeout(r, 0));
    queue.remove(queue.all[0]!.id);
    release();
    await vi.waitFor(() => expect(kept.size).toBe(0));
  });
});

describe('retrying', () => {
  it('runs a cancelled item again to done, and its old run cannot overwrite the new one', async () => {
    const { runs, segment } = heldSegmenter();
    const { queue } = queueWith(segment);
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    const item = queue.all[0]!;
    queue.cancel(item.id);
    expect(item.state).toBe('cancelled');

    queue.retry(item.id);

    expect(item.state).not.toBe('cancelled');
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    expect(runs[1]!.signal.aborted).toBe(false);
    runs[1]!.finish();
    await vi.waitFor(() => expect(item.state).toBe('done'));
  });

  it('runs a failed item again; a finished or running one is left alone', async () => {
    const { runs, segment } = heldSegmenter();
    const { queue } = queueWith(segment);
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    const item = queue.all[0]!;
    queue.retry(item.id);
    expect(runs).toHaveLength(1);
    runs[0]!.fail(new Error('the model download failed'));
    await vi.waitFor(() => expect(item.state).toBe('failed'));
    expect(item.message).toMatch(/download failed/);

    queue.retry(item.id);
    expect(item.message).toBeUndefined();
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    runs[1]!.finish();
    await vi.waitFor(() => expect(item.state).toBe('done'));
    queue.retry(item.id);
    expect(item.state).toBe('done');
  });
});

describe('clearing finished items', () => {
  it('removes done, empty, failed and cancelled items and keeps the waiting and running ones', async () => {
    const { runs, segment } = heldSegmenter();
    const { queue, removed } = queueWith(segment);
    queue.add(['done', 'empty', 'failed', 'cancelled', 'running', 'queued'].map(photo));
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    runs[1]!.finish({ ...result(false) });
    await vi.waitFor(() => expect(runs).toHaveLength(3));
    runs[2]!.fail(new Error('broken'));
    await vi.waitFor(() => expect(runs).toHaveLength(4));
    queue.cancel(queue.all[3]!.id);
    await vi.waitFor(() => expect(runs).toHaveLength(5));
    expect(queue.all.map((i) => i.state)).toEqual([
      'done',
      'empty',
      'failed',
      'cancelled',
      'processing',
      'queued',
    ]);

    expect(queue.clearFinished()).toBe(4);

    expect(queue.all.map((i) => i.source.name)).toEqual(['running', 'queued']);
    expect(removed.map((i) => i.source.name)).toEqual(['done', 'empty', 'failed', 'cancelled']);
    expect(runs[4]!.signal.aborted).toBe(false);
  });
});

describe('redo with Quality', () => {
  it('runs the photo again on the Quality tier, drops the old result and edits, and says which model made the new one', async () => {
    const { runs, segment } = heldSegmenter();
    const { keeper, kept, dropped } = recordingKeeper();
    const { queue, idles } = queueWith(segment, keeper);
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    const item = queue.all[0]!;
    queue.replaceResult(item, new Blob([new Uint8Array([7])], { type: 'image/png' }));
    // the edit is written, then the model's result it replaces is dropped
    await vi.waitFor(() => expect(dropped).toEqual(['1-1.png']));
    expect([...kept.keys()]).toEqual(['1-2.png']);
    expect(item.edited).toBe(true);
    expect(canRedoWithQuality(item, 'isnet-fp16')).toBe(true);
    const idleBefore = idles();

    queue.redoWithQuality(item.id);

    expect(item.result).toBeUndefined();
    expect(item.edited).toBe(false);
    expect(kept.size).toBe(0);
    expect(dropped).toEqual(['1-1.png', '1-2.png']);
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    expect(runs[1]!.tier).toBe('quality');
    runs[1]!.finish();
    await vi.waitFor(() => expect(item.state).toBe('done'));
    expect(item.result!.madeBy?.modelId).toBe('isnet-fp16');
    expect(canRedoWithQuality(item, 'isnet-fp16')).toBe(false);
    await vi.waitFor(() => expect(idles()).toBe(idleBefore + 1));
  });

  it('is offered only for finished results this device made with another model', () => {
    const item = (over: Partial<QueueItem>): QueueItem =>
      ({
        where: 'device',
        state: 'done',
        result: { ...result(true), madeBy: { modelId: 'isnet-uint8', label: '' } },
        ...over,
      }) as QueueItem;
    expect(canRedoWithQuality(item({}), 'isnet-fp16')).toBe(true);
    expect(canRedoWithQuality(item({ state: 'empty' }), 'isnet-fp16')).toBe(true);
    expect(canRedoWithQuality(item({ where: 'server' }), 'isnet-fp16')).toBe(false);
    expect(canRedoWithQuality(item({ state: 'failed' }), 'isnet-fp16')).toBe(false);
    expect(canRedoWithQuality(item({}), 'isnet-uint8')).toBe(false);
    expect(canRedoWithQuality(item({}), undefined)).toBe(false);
  });

  it('leaves a photo that went to the server alone', async () => {
    const { runs, segment } = heldSegmenter();
    const { queue } = queueWith(segment);
    queue.add([photo('a.jpg')], 'server');
    await vi.waitFor(() => expect(runs).toHaveLength(1));
    runs[0]!.finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    queue.redoWithQuality(queue.all[0]!.id);
    expect(queue.all[0]!.state).toBe('done');
    expect(runs).toHaveLength(1);
  });
});

describe('the running photo’s picture', () => {
  it('is the segmenter’s small copy while the photo runs, revoked when it ends', async () => {
    const previews: string[] = [];
    let finish: () => void = () => {};
    const segment: Segment = (_signal, image, _box, _tier, onPreview) => {
      previews.push((image as File).name);
      onPreview?.(new Blob([new Uint8Array([7])], { type: 'image/webp' }));
      return new Promise(
        (resolve) => (finish = () => resolve({ ...result(true), madeBy: undefined })),
      );
    };
    const queue = new BatchQueue({ device: segment, server: segment }, () => {});
    queue.add([photo('a.jpg'), photo('b.jpg')]);
    await vi.waitFor(() => expect(queue.all[0]!.sourceUrl).toMatch(/^blob:/));
    expect(previews).toEqual(['a.jpg']); // the waiting photo is not decoded ahead
    expect(queue.all[1]!.sourceUrl).toBeUndefined();

    finish();
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    expect(queue.all[0]!.sourceUrl).toBeUndefined();
    await vi.waitFor(() => expect(previews).toEqual(['a.jpg', 'b.jpg']));
  });

  it('arriving after its photo ended is not shown', async () => {
    let late: ((preview: Blob) => void) | undefined;
    const segment: Segment = async (_signal, _image, _box, _tier, onPreview) => {
      late = onPreview;
      return { ...result(true), madeBy: undefined };
    };
    const queue = new BatchQueue({ device: segment, server: segment }, () => {});
    queue.add([photo('a.jpg')]);
    await vi.waitFor(() => expect(queue.all[0]!.state).toBe('done'));
    late!(new Blob([new Uint8Array([7])]));
    expect(queue.all[0]!.sourceUrl).toBeUndefined();
  });
});
