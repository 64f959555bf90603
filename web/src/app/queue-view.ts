import { canRedoWithQuality, type QueueItem, type Tier } from './batch-queue';
import { h } from './element';
import { formatMs } from './units';

const STATE_TEXT: Record<QueueItem['state'], string> = {
  queued: 'Queued',
  processing: 'Processing…',
  done: 'Done',
  empty: 'No subject found',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export interface QueueActions {
  cancel(item: QueueItem): void;
  edit(item: QueueItem): void;
  remove(item: QueueItem): void;
  retry(item: QueueItem): void;
  redoWithQuality(item: QueueItem): void;
  /** The Quality model on this device (undefined until the device is known). */
  qualityModelId(): string | undefined;
}

/** One <li> per queued image, replaced whenever that item changes. */
export class QueueView {
  /** Each item's row, with the item it was drawn from. */
  private readonly rows = new Map<number, { item: QueueItem; row: HTMLLIElement }>();
  /** What each local engine is still getting ready (engineWait), or undefined once it is ready. */
  private readonly engineWait: Record<Tier, string | undefined> = {
    chosen: undefined,
    quality: undefined,
  };

  constructor(
    private readonly list: HTMLUListElement,
    private readonly actions: QueueActions,
  ) {}

  /**
   * A local engine's readiness changed: rows waiting for it say what they wait for. Only their
   * state text changes (download progress comes often; the photo in the row is not redrawn).
   */
  waiting(text: string | undefined, tier: Tier = 'chosen'): void {
    if (text === this.engineWait[tier]) return;
    this.engineWait[tier] = text;
    for (const { item, row } of this.rows.values()) {
      const state = row.querySelector('.state');
      if (state) state.textContent = this.stateText(item);
    }
  }

  render(item: QueueItem): void {
    const row = this.row(item);
    const old = this.rows.get(item.id);
    if (old) {
      const focused = old.row.contains(document.activeElement);
      old.row.replaceWith(row);
      if (focused) this.refocus(row);
    } else this.list.append(row);
    this.rows.set(item.id, { item, row });
  }

  /** Takes the item's row off the list; focus goes to the next row, or the one before. */
  remove(item: QueueItem): void {
    const old = this.rows.get(item.id);
    if (!old) return;
    this.rows.delete(item.id);
    const focused = old.row.contains(document.activeElement);
    const neighbour = (old.row.nextElementSibling ?? old.row.previousElementSibling) as
      HTMLElement | undefined;
    old.row.remove();
    if (focused) this.refocus(neighbour);
  }

  /** A redrawn or removed row took the focus with it: give it to the row's first control. */
  private refocus(row: HTMLElement | undefined): void {
    const control = row?.querySelector<HTMLElement>('.actions button, .actions a');
    (control ?? this.list).focus();
  }

  private stateText(item: QueueItem): string {
    const waitingForEngine =
      item.state === 'processing' && item.where === 'device'
        ? this.engineWait[item.tier]
        : undefined;
    const text = waitingForEngine ?? STATE_TEXT[item.state];
    const quality =
      item.tier === 'quality' && !item.result && !isEnded(item) ? ' · with Quality' : '';
    return (item.edited ? `${text} · edited` : text) + quality;
  }

  private row(item: QueueItem): HTMLLIElement {
    const previewUrl = item.thumbUrl ?? item.resultUrl;
    const preview = previewUrl
      ? h('img', {
          class: 'thumb checkerboard',
          src: previewUrl,
          alt: `Cutout of ${item.source.name}`,
        })
      : item.sourceUrl
        ? h('img', { class: 'thumb source', src: item.sourceUrl, alt: item.source.name })
        : h('div', { class: 'thumb placeholder', 'aria-hidden': 'true' });
    const details = h(
      'div',
      { class: 'details' },
      h('span', { class: 'name' }, item.source.name),
      h('span', { class: 'state', 'data-state': item.state }, this.stateText(item)),
    );
    if (item.where === 'server') {
      const text = item.state === 'queued' ? 'will be sent to server' : 'sent to server';
      details.append(h('span', { class: 'where' }, text));
    }
    // not role="alert": the polite announcer already says each failure once, message included
    if (item.message) details.append(h('span', { class: 'message' }, item.message));
    if (item.result) {
      const t = item.result.timings;
      const total = t.decodeMs + t.preprocessMs + t.inferenceMs + t.postprocessMs + t.encodeMs;
      const made = item.result.madeBy;
      details.append(
        h(
          'span',
          { class: 'made', 'data-model': made?.modelId ?? '' },
          `${made ? `${made.label} · ` : ''}took ${formatMs(total)}`,
        ),
      );
      const place = item.where === 'server' ? ' on the server' : '';
      details.append(
        h(
          'span',
          { class: 'timings' },
          `${item.result.width}×${item.result.height} · inference${place} ${formatMs(t.inferenceMs)} · ` +
            `total ${formatMs(total)}`,
        ),
      );
    }
    return h(
      'li',
      {
        class: 'item',
        'data-state': item.state,
        'data-where': item.where,
        'data-tier': item.tier,
      },
      preview,
      details,
      this.buttons(item),
    );
  }

  private buttons(item: QueueItem): HTMLElement {
    const actions = h('div', { class: 'actions' });
    const button = (cls: string, text: string, label: string, act: () => void) => {
      const b = h('button', { type: 'button', class: cls, 'aria-label': label }, text);
      b.addEventListener('click', act);
      actions.append(b);
    };
    const name = item.source.name;
    if (item.state === 'queued' || item.state === 'processing') {
      button('cancel', 'Cancel', `Cancel ${name}`, () => this.actions.cancel(item));
    }
    if ((item.state === 'done' || item.state === 'empty') && item.resultUrl) {
      actions.append(
        h(
          'a',
          {
            class: 'button download',
            href: item.resultUrl,
            download: item.outputName,
            'aria-label': `Download PNG of ${name}`,
          },
          'Download PNG',
        ),
      );
      button('edit', 'Edit', `Edit ${name}`, () => this.actions.edit(item));
      if (canRedoWithQuality(item, this.actions.qualityModelId())) {
        button('redo-quality', 'Redo with Quality', `Redo with Quality: ${name}`, () =>
          this.actions.redoWithQuality(item),
        );
      }
    }
    if (item.state === 'failed' || item.state === 'cancelled') {
      button('retry', 'Retry', `Retry ${name}`, () => this.actions.retry(item));
    }
    button('remove', 'Remove', `Remove ${name}`, () => this.actions.remove(item));
    return actions;
  }
}

function isEnded(item: QueueItem): boolean {
  return item.state === 'failed' || item.state === 'cancelled';
}
