import type { ItemState, QueueItem } from './batch-queue';

/** What the announcer reads of an item. */
export type Announced = Pick<QueueItem, 'id' | 'source' | 'state' | 'message'>;

/**
 * What a screen reader hears when an item reaches `state`; undefined where a sighted person would
 * not look either (queued, processing: the list shows it, and a batch would talk without end).
 */
function arrival(item: Announced): string | undefined {
  const name = item.source.name;
  switch (item.state) {
    case 'done':
      return `${name}: done`;
    case 'empty':
      return `No subject found in ${name}`;
    case 'failed':
      return item.message ? `${name}: failed. ${item.message}` : `${name}: failed`;
    case 'cancelled':
      return `${name}: cancelled`;
    case 'queued':
    case 'processing':
      return undefined;
  }
}

/**
 * Turns the queue's changes into short sentences, each said once: "3 photos added", "cat.jpg:
 * done", "No subject found in landscape.jpg". The queue reports every redraw; only a new state is
 * news, and the items one add() brings are counted into one sentence.
 */
export class QueueAnnouncer {
  /** The last state said (or counted as added) per item id. */
  private readonly heard = new Map<number, ItemState>();
  private added: Announced[] = [];
  private gone: Announced[] = [];

  constructor(private readonly say: (text: string) => void) {}

  changed(item: Announced): void {
    const before = this.heard.get(item.id);
    if (before === item.state) return;
    this.heard.set(item.id, item.state);
    if (before === undefined) {
      // add() reports its items one by one, in one task: say them together when it is over
      if (this.added.length === 0) queueMicrotask(() => this.sayAdded());
      this.added.push(item);
    }
    const text = arrival(item);
    if (text) this.say(text);
  }

  /** The item left the list (removed, or cleared with the other finished ones). */
  removed(item: Announced): void {
    this.heard.delete(item.id);
    if (this.gone.length === 0) queueMicrotask(() => this.sayGone());
    this.gone.push(item);
  }

  private sayAdded(): void {
    this.say(together(this.added, 'added'));
    this.added = [];
  }

  private sayGone(): void {
    this.say(together(this.gone, 'removed'));
    this.gone = [];
  }
}

/** "cat.jpg added" for one, "3 photos added" for more. */
function together(items: readonly Announced[], what: string): string {
  return items.length === 1 ? `${items[0]!.source.name} ${what}` : `${items.length} photos ${what}`;
}

/** How many sentences stay in the live region; older ones have been read by then. */
const KEPT = 5;

/**
 * A polite live region's voice: each sentence is a new child, so that two in quick succession are
 * both read (replacing the text would cut the first short) and the same one twice is read twice.
 */
export function liveRegion(region: HTMLElement): (text: string) => void {
  return (text) => {
    const line = document.createElement('span');
    line.textContent = text;
    region.append(line, ' ');
    while (region.childElementCount > KEPT) {
      const first = region.firstElementChild!;
      first.nextSibling?.remove(); // its space
      first.remove();
    }
  };
}
