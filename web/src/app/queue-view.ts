import type { QueueItem } from './batch-queue';
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
}

/** One <li> per queued image, replaced whenever that item changes. */
export class QueueView {
  /** Each item's row, with the item it was drawn from. */
  private readonly rows = new Map<number, { item: QueueItem; row: HTMLLIElement }>();
  /** What the local engine is still getting ready (engineWait), or undefined once it is ready. */
  private engineWait: string | undefined;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly actions: QueueActions,
  ) {}

  /**
   * The local engine's readiness changed: rows waiting for it say what they wait for. Only their
   * state text changes (download progress comes often; the photo in the row is not redrawn).
   */
  waiting(text: string | undefined): void {
    if (text === this.engineWait) return;
    this.engineWait = text;
    for (const { item, row } of this.rows.values()) {
      const state = row.querySelector('.state');
      if (state) state.textContent = this.stateText(item);
    }
  }

  render(item: QueueItem): void {
    const row = this.row(item);
    const old = this.rows.get(item.id);
    if (old) old.row.replaceWith(row);
    else this.list.append(row);
    this.rows.set(item.id, { item, row });
  }

  private stateText(item: QueueItem): string {
    const waitingForEngine =
      item.state === 'processing' && item.where === 'device' ? this.engineWait : undefined;
    const text = waitingForEngine ?? STATE_TEXT[item.state];
    return item.edited ? `${text} · edited` : text;
  }

  private row(item: QueueItem): HTMLLIElement {
    const preview = item.resultUrl
      ? h('img', {
          class: 'thumb checkerboard',
          src: item.resultUrl,
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
    if (item.message) details.append(h('span', { class: 'message', role: 'alert' }, item.message));
    if (item.result) {
      const t = item.result.timings;
      const place = item.where === 'server' ? ' on the server' : '';
      details.append(
        h(
          'span',
          { class: 'timings' },
          `${item.result.width}×${item.result.height} · inference${place} ${formatMs(t.inferenceMs)} · ` +
            `total ${formatMs(t.decodeMs + t.preprocessMs + t.inferenceMs + t.postprocessMs + t.encodeMs)}`,
        ),
      );
    }
    const actions = h('div', { class: 'actions' });
    if (item.state === 'queued' || item.state === 'processing') {
      const cancel = h('button', { type: 'button', class: 'cancel' }, 'Cancel');
      cancel.addEventListener('click', () => this.actions.cancel(item));
      actions.append(cancel);
    }
    if ((item.state === 'done' || item.state === 'empty') && item.resultUrl) {
      actions.append(
        h(
          'a',
          { class: 'button download', href: item.resultUrl, download: item.outputName },
          'Download PNG',
        ),
      );
      const edit = h('button', { type: 'button', class: 'edit' }, 'Edit');
      edit.addEventListener('click', () => this.actions.edit(item));
      actions.append(edit);
    }
    return h(
      'li',
      { class: 'item', 'data-state': item.state, 'data-where': item.where },
      preview,
      details,
      actions,
    );
  }
}
