import { CutoutError, type CutoutErrorCode } from '../../shared/errors';
import { formatSubjectBox, type SubjectBox } from '../../shared/subject-box';

export const REMOVE_PATH = '/api/v1/remove';

/** What the server sent back for one image. */
export interface HostedOutput {
  readonly png: Blob;
  /** From `X-Cutout-Width`/`-Height` when the server sends them. */
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** The server's phases from `Server-Timing` (`queue`, `decode`, `inference`, …), in ms. */
  readonly serverTimings: Readonly<Record<string, number>>;
  /** Upload, queue, processing and download, as this page saw it. */
  readonly roundTripMs: number;
}

/** A refusal or failure of the hosted path, with what the server said about it. */
export class HostedError extends CutoutError {
  constructor(
    code: CutoutErrorCode,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status: number | undefined,
    /** The server's own error code (`TOO_MANY_PIXELS`, `RATE_LIMITED`, …), when it sent one. */
    readonly serverCode: string | undefined,
    /** Seconds to wait before trying again, from `Retry-After` (429 and 503 only). */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(code, message);
  }
}

export interface HostedClientOptions {
  readonly fetch?: typeof fetch;
  /** Waits `ms`, rejecting with 'cancelled' when `signal` aborts (tests pass a fake). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** A busy server asking for at most this long is waited for, then asked again. */
  readonly maxWaitSeconds?: number;
  /** How many times a busy answer is retried before the image fails. */
  readonly maxRetries?: number;
}

/**
 * Uploads one image to `POST /api/v1/remove` and returns the PNG. Only ever called for images the
 * person sent while "Process on server" was on (see mode.ts); never for local work.
 */
export class HostedClient {
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly maxWaitSeconds: number;
  private readonly maxRetries: number;

  constructor(options: HostedClientOptions = {}) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? (() => performance.now());
    this.maxWaitSeconds = options.maxWaitSeconds ?? 30;
    this.maxRetries = options.maxRetries ?? 2;
  }

  /**
   * @param box a subject box the person drew: sent as the form field `roi` (`x1 y1 x2 y2`) next to
   *     the image, which then travels as the form's `file` part instead of as the raw body
   */
  async remove(
    signal: AbortSignal,
    image: Blob,
    modelId: string | undefined,
    box?: SubjectBox,
  ): Promise<HostedOutput> {
    const url = modelId ? `${REMOVE_PATH}?model=${encodeURIComponent(modelId)}` : REMOVE_PATH;
    const started = this.now();
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(signal, url, image, box);
      if (response.ok) return await this.output(response, started);
      const failure = await refusal(response, Date.now());
      const wait = failure.retryAfterSeconds;
      if (
        failure.code === 'server-busy' &&
        wait !== undefined &&
        wait <= this.maxWaitSeconds &&
        attempt < this.maxRetries
      ) {
        await this.sleep(wait * 1000, signal);
        continue;
      }
      throw failure;
    }
  }

  private async send(
    signal: AbortSignal,
    url: string,
    image: Blob,
    box: SubjectBox | undefined,
  ): Promise<Response> {
    if (signal.aborted) throw new CutoutError('cancelled', 'cancelled');
    try {
      return await this.fetchFn(url, {
        method: 'POST',
        ...(box ? boxForm(image, box) : rawBody(image)),
        cache: 'no-store',
        credentials: 'same-origin',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new CutoutError('cancelled', 'cancelled');
      const detail = error instanceof Error ? error.message : String(error);
      throw new HostedError(
        'upload-failed',
        `could not reach the server (${detail})`,
        undefined,
        undefined,
        undefined,
      );
    }
  }

  private async output(response: Response, started: number): Promise<HostedOutput> {
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.toLowerCase().startsWith('image/png')) {
      throw new HostedError(
        'server-failed',
        `the server answered with ${type || 'no content type'}, not a PNG`,
        response.status,
        undefined,
        undefined,
      );
    }
    const png = await response.blob();
    return {
      png: png.type ? png : new Blob([png], { type: 'image/png' }),
      width: positiveInt(response.headers.get('X-Cutout-Width')),
      height: positiveInt(response.headers.get('X-Cutout-Height')),
      serverTimings: parseServerTiming(response.headers.get('Server-Timing')),
      roundTripMs: this.now() - started,
    };
  }
}

/** The image as the whole body, under its own type (the server sniffs the bytes anyway). */
function rawBody(image: Blob): Pick<RequestInit, 'body' | 'headers'> {
  return {
    body: image,
    headers: {
      'Content-Type': image.type.startsWith('image/') ? image.type : 'application/octet-stream',
      Accept: 'image/png',
    },
  };
}

/**
 * The image and its subject box as multipart form fields. The browser writes the Content-Type
 * with its boundary; the file part's name is a neutral `image`, never the person's file name.
 */
function boxForm(image: Blob, box: SubjectBox): Pick<RequestInit, 'body' | 'headers'> {
  const form = new FormData();
  form.append('file', image, 'image');
  form.append('roi', formatSubjectBox(box));
  return { body: form, headers: { Accept: 'image/png' } };
}

/** Whether the server refused an image because it found no subject (`422 no_subject`). */
export function isNoSubject(error: unknown): boolean {
  return error instanceof HostedError && error.serverCode === 'no_subject';
}

/** Turns a 4xx/5xx answer into a HostedError, reading `{"error":{"code","message"}}` if present. */
export async function refusal(response: Response, nowMs: number): Promise<HostedError> {
  const { serverCode, serverMessage } = await errorBody(response);
  const status = response.status;
  const said =
    serverMessage ?? `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (status === 429 || status === 503) {
    const wait = parseRetryAfter(response.headers.get('Retry-After'), nowMs);
    const when = wait === undefined ? 'try again later' : `try again in ${wait} s`;
    return new HostedError(
      'server-busy',
      `the server is busy (${said}); ${when}`,
      status,
      serverCode,
      wait,
    );
  }
  if (status >= 400 && status < 500) {
    return new HostedError(
      'server-refused',
      `the server refused this image: ${said}`,
      status,
      serverCode,
      undefined,
    );
  }
  return new HostedError(
    'server-failed',
    `the server could not process this image: ${said}`,
    status,
    serverCode,
    undefined,
  );
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP date; undefined if absent. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  // An HTTP date names its day and month ("Sat, 21 Nov 2026 12:00:30 GMT"); Date.parse alone
  // would also take "-5" for a year.
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** `Server-Timing: decode;dur=3.1, inference;dur=812` → `{decode: 3.1, inference: 812}`. */
export function parseServerTiming(value: string | null): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const metric of (value ?? '').split(',')) {
    const [name, ...params] = metric.split(';').map((p) => p.trim());
    if (!name) continue;
    for (const param of params) {
      const match = /^dur=([0-9.]+)$/.exec(param);
      if (match) timings[name] = Number(match[1]);
    }
  }
  return timings;
}

async function errorBody(
  response: Response,
): Promise<{ serverCode: string | undefined; serverMessage: string | undefined }> {
  try {
    const body: unknown = await response.json();
    const error = (body as { error?: unknown } | null)?.error;
    if (typeof error !== 'object' || error === null) {
      return { serverCode: undefined, serverMessage: undefined };
    }
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      serverCode: typeof code === 'string' ? code : undefined,
      serverMessage: typeof message === 'string' && message ? message : undefined,
    };
  } catch {
    return { serverCode: undefined, serverMessage: undefined };
  }
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number.parseInt(value, 10);
  return n > 0 ? n : undefined;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CutoutError('cancelled', 'cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CutoutError('cancelled', 'cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
