import { describe, expect, it } from 'vitest';
import { QueueAnnouncer, type Announced } from '../src/app/announcer';
import type { ItemState } from '../src/app/batch-queue';

let nextId = 1;

function item(name: string, state: ItemState = 'queued', message?: string): Announced {
  return { id: nextId++, source: new File([], name), state, message };
}

/** Lets queued microtasks (the "added" sentence) run. */
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('QueueAnnouncer', () => {
  it('says the photos one add() brought in one sentence, then nothing until one finishes', async () => {
    const said: string[] = [];
    const announcer = new QueueAnnouncer((text) => said.push(text));
    const batch = [item('a.jpg'), item('b.jpg'), item('c.jpg')];
    for (const i of batch) announcer.changed(i);
    batch[0]!.state = 'processing';
    announcer.changed(batch[0]!);
    await settled();
    expect(said).toEqual(['3 photos added']);

    batch[0]!.state = 'done';
    announcer.changed(batch[0]!);
    announcer.changed(batch[0]!); // a redraw with the same state is no news
    expect(said).toEqual(['3 photos added', 'a.jpg: done']);
  });

  it('names a single photo when it is added alone', async () => {
    const said: string[] = [];
    const announcer = new QueueAnnouncer((text) => said.push(text));
    announcer.changed(item('cat.jpg'));
    await settled();
    expect(said).toEqual(['cat.jpg added']);
  });

  it('says no subject, failures with their reason, and cancellations', async () => {
    const said: string[] = [];
    const announcer = new QueueAnnouncer((text) => said.push(text));
    const landscape = item('landscape.jpg');
    const broken = item('broken.jpg');
    const gone = item('gone.jpg');
    for (const i of [landscape, broken, gone]) announcer.changed(i);
    await settled();
    said.length = 0;

    landscape.state = 'empty';
    announcer.changed(landscape);
    broken.state = 'failed';
    broken.message = 'Not an image this browser can decode.';
    announcer.changed(broken);
    gone.state = 'cancelled';
    announcer.changed(gone);
    expect(said).toEqual([
      'No subject found in landscape.jpg',
      'broken.jpg: failed. Not an image this browser can decode.',
      'gone.jpg: cancelled',
    ]);
  });

  it('says a result again when the item runs again (retry, redo with another model)', async () => {
    const said: string[] = [];
    const announcer = new QueueAnnouncer((text) => said.push(text));
    const photo = item('cat.jpg');
    announcer.changed(photo);
    await settled();
    for (const state of ['processing', 'done', 'queued', 'processing', 'done'] as const) {
      photo.state = state;
      announcer.changed(photo);
    }
    expect(said).toEqual(['cat.jpg added', 'cat.jpg: done', 'cat.jpg: done']);
  });
});

describe('QueueAnnouncer, removals', () => {
  it('says one removal by name and a cleared batch as a count', async () => {
    const said: string[] = [];
    const announcer = new QueueAnnouncer((text) => said.push(text));
    const photos = [item('a.jpg', 'done'), item('b.jpg', 'done'), item('c.jpg', 'done')];
    for (const i of photos) announcer.changed(i);
    await settled();
    said.length = 0;

    announcer.removed(photos[0]!);
    await settled();
    announcer.removed(photos[1]!);
    announcer.removed(photos[2]!);
    await settled();
    expect(said).toEqual(['a.jpg removed', '2 photos removed']);
  });
});
