import { CutoutError, type SerializedError } from './errors';

/**
 * A typed, cancellable request/response channel over postMessage. The app holds a BridgeClient
 * for the worker; the worker serves handlers with serveBridge. Every call takes an AbortSignal
 * first: aborting rejects the call at once with code 'cancelled' and tells the other side to
 * abort the handler's own signal.
 */

export interface MethodSpec<Args, Result, Progress = never> {
  readonly args: Args;
  readonly result: Result;
  readonly progress: Progress;
}

export type ApiSpec = Record<string, MethodSpec<any, any, any>>;

/** The part of Worker / DedicatedWorkerGlobalScope / MessagePort the bridge needs. */
export interface Endpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export type BridgeRequest =
  | { readonly kind: 'call'; readonly id: number; readonly method: string; readonly args: unknown }
  | { readonly kind: 'cancel'; readonly id: number };

export type BridgeResponse =
  | { readonly kind: 'progress'; readonly id: number; readonly progress: unknown }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: SerializedError };

export interface CallOptions<Progress> {
  readonly transfer?: Transferable[];
  readonly onProgress?: (progress: Progress) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: CutoutError): void;
  onProgress: ((progress: unknown) => void) | undefined;
}

export class BridgeClient<Api extends ApiSpec> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedWith: CutoutError | undefined;
  private readonly onMessage = (event: MessageEvent) => this.receive(event.data as BridgeResponse);

  constructor(private readonly endpoint: Endpoint) {
    endpoint.addEventListener('message', this.onMessage);
    (endpoint as { start?: () => void }).start?.();
  }

  call<M extends keyof Api & string>(
    signal: AbortSignal,
    method: M,
    args: Api[M]['args'],
    options: CallOptions<Api[M]['progress']> = {},
  ): Promise<Api[M]['result']> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (signal.aborted) return Promise.reject(new CutoutError('cancelled', 'cancelled'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.endpoint.postMessage({ kind: 'cancel', id } satisfies BridgeRequest, []);
        reject(new CutoutError('cancelled', 'cancelled'));
      };
      const settle = () => signal.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as Api[M]['result']);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: options.onProgress as ((p: unknown) => void) | undefined,
      });
      signal.addEventListener('abort', onAbort, { once: true });
      this.endpoint.postMessage(
        { kind: 'call', id, method, args } satisfies BridgeRequest,
        options.transfer ?? [],
      );
    });
  }

  /** Rejects every pending and future call with `error` (worker crashed or was terminated). */
  close(error: CutoutError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    this.endpoint.removeEventListener('message', this.onMessage);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private receive(message: BridgeResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled already; late answers are dropped
    switch (message.kind) {
      case 'progress':
        pending.onProgress?.(message.progress);
        break;
      case 'result':
        this.pending.delete(message.id);
        pending.resolve(message.value);
        break;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(CutoutError.fromSerialized(message.error));
        break;
    }
  }
}

export interface CallContext<Progress> {
  progress(progress: Progress): void;
  /** Objects in the result to transfer rather than copy. */
  transfer(...items: Transferable[]): void;
}

export type Handlers<Api extends ApiSpec> = {
  [M in keyof Api]: (
    signal: AbortSignal,
    args: Api[M]['args'],
    context: CallContext<Api[M]['progress']>,
  ) => Promise<Api[M]['result']> | Api[M]['result'];
};

/** Serves `handlers` on `endpoint`. Returns a function that stops serving. */
export function serveBridge<Api extends ApiSpec>(
  endpoint: Endpoint,
  handlers: Handlers<Api>,
): () => void {
  const running = new Map<number, AbortController>();
  const post = (response: BridgeResponse, transfer: Transferable[] = []) =>
    endpoint.postMessage(response, transfer);

  const run = async (id: number, method: string, args: unknown) => {
    const controller = new AbortController();
    running.set(id, controller);
    const transfer: Transferable[] = [];
    const context: CallContext<unknown> = {
      progress: (progress) => {
        if (!controller.signal.aborted) post({ kind: 'progress', id, progress });
      },
      transfer: (...items) => transfer.push(...items),
    };
    try {
      const handler = Object.prototype.hasOwnProperty.call(handlers, method)
        ? handlers[method as keyof Api]
        : undefined;
      if (!handler) throw new CutoutError('internal', `unknown method "${method}"`);
      const value: unknown = await handler(controller.signal, args, context);
      if (controller.signal.aborted) return;
      post({ kind: 'result', id, value }, transfer);
    } catch (error) {
      if (controller.signal.aborted) return;
      post({ kind: 'error', id, error: CutoutError.from(error).toJSON() });
    } finally {
      running.delete(id);
    }
  };

  const onMessage = (event: MessageEvent) => {
    const request = event.data as BridgeRequest;
    if (request.kind === 'cancel') running.get(request.id)?.abort();
    else if (request.kind === 'call') void run(request.id, request.method, request.args);
  };
  endpoint.addEventListener('message', onMessage);
  (endpoint as { start?: () => void }).start?.();
  return () => endpoint.removeEventListener('message', onMessage);
}
