import { CutoutError, isCancelled } from '../shared/errors';
import type { SubjectBox } from '../shared/subject-box';
import type { Segmented } from '../shared/worker-api';
import { cutoutName } from './file-names';
import type { Where } from './hosted/mode';
import { memoryKeeper, type ResultKeeper } from './result-store';

/** What a person can do when the network finds nothing to cut out. */
export const NO_SUBJECT_MESSAGE =
  'No subject found: the result is transparent. Try the Quality model, or open the editor and restore the subject by hand.';

/** `empty`: finished, but the network found no subject; the all but transparent result is kept. */
export type ItemState = 'queued' | 'processing' | 'done' | 'empty' | 'failed' | 'cancelled';

/** The model the page runs (the person's pick or the device's default), or the Quality tier. */
export type Tier = 'chosen' | 'quality';

/** Which model made a result, as the row shows it: "Quality (isnet-fp16) · WASM". */
export interface MadeBy {
  readonly modelId: string;
  readonly label: string;
}

/** A segmenter's answer, with the model that made it where the segmenter knows it. */
export type Made = Segmented & { readonly madeBy?: MadeBy };

export interface QueueItem {
  readonly id: number;
  readonly source: File;
  readonly outputName: string;
  /** Decided when the person added the image: 'server' only while "Process on server" was on. */
  readonly where: Where;
  state: ItemState;
  message: string | undefined;
  /** The result; its PNG is a File on disk once the store has written it. */
  result: Made | undefined;
  /** The full-size PNG's URL, for the download link. */
  resultUrl: string | undefined;
  /** A small image of the result for the list; undefined where none could be made. */
  thumbUrl?: string | undefined;
  /**
   * A small copy of the person's photo (the segmenter's), shown in the row while it is being
   * processed; revoked when it ends.
   */
  sourceUrl?: string | undefined;
  /** Whether the person's edits in the editor replaced the model's result. */
  edited?: boolean;
  /** The model the next run uses: the chosen one, or Quality after "Redo with Quality". */
  tier: Tier;
  /** Aborted by cancel and remove; a retry or redo gets a new one. */
  controller: AbortController;
}

/**
 * Runs the model on an image: the whole of it, or a subject box a person drew in the editor.
 * `onPreview` gets a small copy of the photo for its row, where the segmenter makes one.
 */
export type Segment = (
  signal: AbortSignal,
  image: Blob,
  box?: SubjectBox,
  tier?: Tier,
  onPreview?: (preview: Blob) => void,
) => Promise<Made>;

/** One way to segment per place: the local worker, and the opt-in server. */
export type Segmenters = Readonly<Record<Where, Segment>>;

export interface QueueEvents {
  /** The item's state, result or message changed: redraw its row. */
  changed(item: QueueItem): void;
  /** The item left the list (removed or cleared): drop its row. */
  removed?(item: QueueItem): void;
  /** Nothing is queued or running any more. */
  idle?(): void;
}

const FINISHED: readonly ItemState[] = ['done', 'empty', 'failed', 'cancelled'];

export function isFinished(item: QueueItem): boolean {
  return FINISHED.includes(item.state);
}

/** A result to redo with Quality: one this device made, with a model that is not Quality. */
export function canRedoWithQuality(item: QueueItem, qualityModelId: string | undefined): boolean {
  return (
    item.where === 'device' &&
    (item.state === 'done' || item.state === 'empty') &&
    qualityModelId !== undefined &&
    item.result?.madeBy?.modelId !== qualityModelId
  );
}

/**
 * Images run one after another (the worker can only run one inference at a time anyway); each
 * can be cancelled while queued or processing, retried once failed or cancelled, redone with the
 * Quality model once finished, and removed at any time. Finished results go to the keeper (disk,
 * where the browser allows) and the list shows a thumbnail, so a batch of hundreds stays small in
 * memory.
 */
export class BatchQueue {
  private readonly items: QueueItem[] = [];
  private nextId = 1;
  private running = false;
  /** Each item's current key in the keeper, and how many versions it has had. */
  private readonly keys = new Map<number, string>();
  private version = 0;
  private readonly events: QueueEvents;

  constructor(
    private readonly segmenters: Segmenters,
    events: QueueEvents | ((item: QueueItem) => void),
    private readonly keeper: ResultKeeper = memoryKeeper,
  ) {
    this.events = typeof events === 'function' ? { changed: events } : events;
  }

  get all(): readonly QueueItem[] {
    return this.items;
  }

  /** Queues `files` to be processed at `where`; the local device unless the person chose otherwise. */
  add(files: Iterable<File>, where: Where = 'device'): void {
    for (const source of files) {
      const item: QueueItem = {
        id: this.nextId++,
        source,
        outputName: cutoutName(source.name),
        where,
        state: 'queued',
        message: undefined,
        result: undefined,
        resultUrl: undefined,
        tier: 'chosen',
        controller: new AbortController(),
      };
      this.items.push(item);
      this.events.changed(item);
    }
    void this.drain();
  }

  /**
   * The person's edited cutout replaces the model's result: the list's thumbnail and download and
   * the ZIP all hold it from now on. A result without a subject that the person has restored by
   * hand counts as done. The edited PNG is kept in memory until the keeper has written it.
   */
  replaceResult(item: QueueItem, png: Blob): void {
    if (!item.result || (item.state !== 'done' && item.state !== 'empty')) return;
    const result = { ...item.result, png };
    this.show(item, result, undefined);
    item.edited = true;
    item.state = 'done';
    item.message = undefined;
    this.events.changed(item);
    void this.store(item, result);
  }

  cancel(id: number): void {
    const item = this.find(id);
    if (!item || (item.state !== 'queued' && item.state !== 'processing')) return;
    item.controller.abort();
    item.state = 'cancelled';
    item.message = undefined;
    this.events.changed(item);
  }

  /** Takes the item off the list: cancels it if it runs, frees its URLs and its kept result. */
  remove(id: number): void {
    const at = this.items.findIndex((i) => i.id === id);
    const item = this.items[at];
    if (!item) return;
    item.controller.abort();
    this.items.splice(at, 1);
    this.release(item);
    if (item.sourceUrl) URL.revokeObjectURL(item.sourceUrl);
    item.sourceUrl = undefined;
    this.events.removed?.(item);
  }

  /** Removes every finished item (done, no subject, failed, cancelled); returns how many. */
  clearFinished(): number {
    const finished = this.items.filter(isFinished);
    for (const item of finished) this.remove(item.id);
    return finished.length;
  }

  /** Runs a failed or cancelled item again, with the model it was to run with. */
  retry(id: number): void {
    const item = this.find(id);
    if (!item || (item.state !== 'failed' && item.state !== 'cancelled')) return;
    this.requeue(item, item.tier);
  }

  /**
   * Runs a finished item again with the Quality model; its result (and any edits) is dropped now,
   * and a new one takes its place.
   */
  redoWithQuality(id: number): void {
    const item = this.find(id);
    if (!item || item.where !== 'device' || (item.state !== 'done' && item.state !== 'empty')) {
      return;
    }
    this.release(item);
    item.edited = false;
    this.requeue(item, 'quality');
  }

  private requeue(item: QueueItem, tier: Tier): void {
    item.controller = new AbortController();
    item.tier = tier;
    item.state = 'queued';
    item.message = undefined;
    this.events.changed(item);
    void this.drain();
  }

  private find(id: number): QueueItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.nextQueued(); item; item = this.nextQueued()) await this.run(item);
    } finally {
      this.running = false;
    }
    this.events.idle?.();
  }

  private nextQueued(): QueueItem | undefined {
    return this.items.find((i) => i.state === 'queued');
  }

  private async run(item: QueueItem): Promise<void> {
    item.state = 'processing';
    const signal = item.controller.signal;
    // only the running photo is shown, small: a batch of 500 decodes none ahead, and the page
    // never decodes a full-size photo (an <img> of each original raised the renderer's peak)
    let ended = false;
    let sourceUrl: string | undefined;
    const onPreview = (preview: Blob) => {
      if (ended || sourceUrl || !this.items.includes(item)) return;
      sourceUrl = URL.createObjectURL(preview);
      item.sourceUrl = sourceUrl;
      this.events.changed(item);
    };
    try {
      await this.process(item, signal, onPreview);
    } finally {
      ended = true;
      if (sourceUrl) URL.revokeObjectURL(sourceUrl);
      if (item.sourceUrl === sourceUrl) item.sourceUrl = undefined;
    }
    if (this.items.includes(item)) this.events.changed(item);
  }

  /** `signal` is this run's: a retry while a cancelled run still unwinds gets a new one. */
  private async process(
    item: QueueItem,
    signal: AbortSignal,
    onPreview: (preview: Blob) => void,
  ): Promise<void> {
    this.events.changed(item);
    let made: Made;
    try {
      made = await this.segmenters[item.where](
        signal,
        item.source,
        undefined,
        item.tier,
        onPreview,
      );
    } catch (error) {
      if (signal.aborted) return;
      if (isCancelled(error)) {
        item.state = 'cancelled';
        return;
      }
      item.state = 'failed';
      item.message = CutoutError.from(error).message;
      return;
    }
    if (signal.aborted) return;
    // the item stays "processing" until its PNG is on disk: the list never shows a result twice
    const kept = await this.store(item, made, signal);
    if (!kept) return;
    item.state = made.subject ? 'done' : 'empty';
    item.message = made.subject ? undefined : NO_SUBJECT_MESSAGE;
  }

  /**
   * Hands a result to the keeper and shows what it kept (the PNG on disk, the thumbnail); the
   * previous version is dropped. False, and nothing kept, when the item was cancelled, removed
   * or given another result meanwhile.
   */
  private async store(item: QueueItem, result: Made, signal?: AbortSignal): Promise<boolean> {
    const key = `${item.id}-${++this.version}.png`;
    const kept = await this.keeper.keep(key, result);
    const current = signal ? !signal.aborted : item.result === result;
    if (!current || !this.items.includes(item)) {
      this.keeper.drop(key);
      return false;
    }
    const previous = this.keys.get(item.id);
    this.keys.set(item.id, key);
    this.show(item, { ...result, png: kept.png }, kept.thumbnail);
    if (previous) this.keeper.drop(previous);
    if (!signal) this.events.changed(item);
    return true;
  }

  /** Puts `result` on the item with fresh URLs, revoking the old ones. */
  private show(item: QueueItem, result: Made, thumbnail: Blob | undefined): void {
    if (item.resultUrl) URL.revokeObjectURL(item.resultUrl);
    if (item.thumbUrl) URL.revokeObjectURL(item.thumbUrl);
    item.result = result;
    item.resultUrl = URL.createObjectURL(result.png);
    item.thumbUrl = thumbnail ? URL.createObjectURL(thumbnail) : undefined;
  }

  /** Frees the item's result: its URLs and what the keeper holds. */
  private release(item: QueueItem): void {
    if (item.resultUrl) URL.revokeObjectURL(item.resultUrl);
    if (item.thumbUrl) URL.revokeObjectURL(item.thumbUrl);
    item.resultUrl = undefined;
    item.thumbUrl = undefined;
    item.result = undefined;
    const key = this.keys.get(item.id);
    this.keys.delete(item.id);
    if (key) this.keeper.drop(key);
  }
}
