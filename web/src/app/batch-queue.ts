import { CutoutError, isCancelled } from '../shared/errors';
import type { SubjectBox } from '../shared/subject-box';
import type { Segmented } from '../shared/worker-api';
import { cutoutName } from './file-names';
import type { Where } from './hosted/mode';

/** `empty`: finished, but the network found no subject; the all but transparent result is kept. */
/** What a person can do when the network finds nothing to cut out. */
export const NO_SUBJECT_MESSAGE =
  'No subject found: the result is transparent. Try the Quality model, or open the editor and restore the subject by hand.';

export type ItemState = 'queued' | 'processing' | 'done' | 'empty' | 'failed' | 'cancelled';

export interface QueueItem {
  readonly id: number;
  readonly source: File;
  readonly outputName: string;
  /** Decided when the person added the image: 'server' only while "Process on server" was on. */
  readonly where: Where;
  state: ItemState;
  message: string | undefined;
  result: Segmented | undefined;
  resultUrl: string | undefined;
  /** The person's photo, shown in the row while it is being processed; revoked when it ends. */
  sourceUrl?: string | undefined;
  /** Whether the person's edits in the editor replaced the model's result. */
  edited?: boolean;
  readonly controller: AbortController;
}

/** Runs the model on an image: the whole of it, or a subject box a person drew in the editor. */
export type Segment = (signal: AbortSignal, image: Blob, box?: SubjectBox) => Promise<Segmented>;

/** One way to segment per place: the local worker, and the opt-in server. */
export type Segmenters = Readonly<Record<Where, Segment>>;

/**
 * Images run one after another (the worker can only run one inference at a time anyway); each
 * can be cancelled while queued or processing.
 */
export class BatchQueue {
  private readonly items: QueueItem[] = [];
  private nextId = 1;
  private running = false;

  constructor(
    private readonly segmenters: Segmenters,
    private readonly changed: (item: QueueItem) => void,
  ) {}

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
        controller: new AbortController(),
      };
      this.items.push(item);
      this.changed(item);
    }
    void this.drain();
  }

  /**
   * The person's edited cutout replaces the model's result: the list's thumbnail and download and
   * the ZIP all hold it from now on. A result without a subject that the person has restored by
   * hand counts as done.
   */
  replaceResult(item: QueueItem, png: Blob): void {
    if (!item.result || (item.state !== 'done' && item.state !== 'empty')) return;
    if (item.resultUrl) URL.revokeObjectURL(item.resultUrl);
    item.result = { ...item.result, png };
    item.resultUrl = URL.createObjectURL(png);
    item.edited = true;
    item.state = 'done';
    item.message = undefined;
    this.changed(item);
  }

  cancel(id: number): void {
    const item = this.items.find((i) => i.id === id);
    if (!item || (item.state !== 'queued' && item.state !== 'processing')) return;
    item.controller.abort();
    item.state = 'cancelled';
    item.message = undefined;
    this.changed(item);
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.nextQueued(); item; item = this.nextQueued()) await this.run(item);
    } finally {
      this.running = false;
    }
  }

  private nextQueued(): QueueItem | undefined {
    return this.items.find((i) => i.state === 'queued');
  }

  private async run(item: QueueItem): Promise<void> {
    item.state = 'processing';
    // one photo at a time is shown while it waits and runs: a batch of 500 decodes none ahead
    const sourceUrl = URL.createObjectURL(item.source);
    item.sourceUrl = sourceUrl;
    try {
      await this.process(item);
    } finally {
      URL.revokeObjectURL(sourceUrl);
      item.sourceUrl = undefined;
    }
    this.changed(item);
  }

  private async process(item: QueueItem): Promise<void> {
    this.changed(item);
    try {
      const result = await this.segmenters[item.where](item.controller.signal, item.source);
      if (item.controller.signal.aborted) return;
      item.result = result;
      item.resultUrl = URL.createObjectURL(result.png);
      item.state = result.subject ? 'done' : 'empty';
      item.message = result.subject ? undefined : NO_SUBJECT_MESSAGE;
    } catch (error) {
      if (item.controller.signal.aborted || isCancelled(error)) return;
      item.state = 'failed';
      item.message = CutoutError.from(error).message;
    }
  }
}
