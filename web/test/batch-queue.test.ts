import { describe, expect, it, vi } from 'vitest';
import { BatchQueue, NO_SUBJECT_MESSAGE } from '../src/app/batch-queue';
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
