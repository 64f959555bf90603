import { describe, expect, it, vi } from 'vitest';
import {
  HostedClient,
  HostedError,
  parseRetryAfter,
  parseServerTiming,
  REMOVE_PATH,
} from '../src/app/hosted/client';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });

function png(headers: Record<string, string> = {}): Response {
  return new Response(PNG, { status: 200, headers: { 'Content-Type': 'image/png', ...headers } });
}

function error(status: number, code: string, message: string, headers = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** A fetch that answers from `answers` in order and records each call. */
function server(...answers: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetchFn as unknown as typeof fetch, calls };
}

function client(fetchFn: typeof fetch, sleeps: number[] = []) {
  return new HostedClient({
    fetch: fetchFn,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<HostedError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(HostedError);
    return e as HostedError;
  }
  throw new Error('expected a failure');
}

describe('HostedClient.remove', () => {
  it('posts the raw image with its own content type and returns the PNG', async () => {
    const s = server(
      png({
        'X-Cutout-Width': '640',
        'X-Cutout-Height': '480',
        'Server-Timing': 'inference;dur=812.5',
      }),
    );
    const out = await client(s.fetch).remove(new AbortController().signal, photo, 'isnet-uint8');
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]!.url).toBe(`${REMOVE_PATH}?model=isnet-uint8`);
    expect(s.calls[0]!.init.method).toBe('POST');
    expect(s.calls[0]!.init.body).toBe(photo);
    expect((s.calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBe('image/jpeg');
    expect(new Uint8Array(await out.png.arrayBuffer())).toEqual(PNG);
    expect(out.png.type).toBe('image/png');
    expect([out.width, out.height]).toEqual([640, 480]);
    expect(out.serverTimings).toEqual({ inference: 812.5 });
  });

  it('lets the server pick its default model when none is given', async () => {
    const s = server(png());
    await client(s.fetch).remove(new AbortController().signal, photo, undefined);
    expect(s.calls[0]!.url).toBe(REMOVE_PATH);
  });

  it('sends a file without an image type as octet-stream (the server sniffs bytes)', async () => {
    const s = server(png());
    await client(s.fetch).remove(new AbortController().signal, new Blob([PNG]), undefined);
    expect((s.calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBe(
      'application/octet-stream',
    );
  });

  it('reads the JSON error body of a refusal', async () => {
    const s = server(error(422, 'TOO_MANY_PIXELS', 'image is 9000x9000, more than 50 MP'));
    const e = await failure(client(s.fetch).remove(new AbortController().signal, photo, undefined));
    expect(e.code).toBe('server-refused');
    expect(e.status).toBe(422);
    expect(e.serverCode).toBe('TOO_MANY_PIXELS');
    expect(e.message).toContain('image is 9000x9000, more than 50 MP');
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('reports a 5xx as a server failure, with or without a JSON body', async () => {
    const s = server(
      error(500, 'INFERENCE_FAILED', 'the mask was empty'),
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const c = client(s.fetch);
    const first = await failure(c.remove(new AbortController().signal, photo, undefined));
    expect(first.code).toBe('server-failed');
    expect(first.message).toContain('the mask was empty');
    const second = await failure(c.remove(new AbortController().signal, photo, undefined));
    expect(second.code).toBe('server-failed');
    expect(second.serverCode).toBeUndefined();
    expect(second.message).toContain('HTTP 502 Bad Gateway');
  });

  it('waits as long as Retry-After says on 429, then tries again', async () => {
    const sleeps: number[] = [];
    const s = server(
      error(429, 'RATE_LIMITED', 'too many images from this address', { 'Retry-After': '3' }),
      png(),
    );
    const out = await client(s.fetch, sleeps).remove(
      new AbortController().signal,
      photo,
      undefined,
    );
    expect(out.png.size).toBe(PNG.length);
    expect(sleeps).toEqual([3000]);
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]!.init.body).toBe(photo);
  });

  it('waits on 503 with Retry-After as well', async () => {
    const sleeps: number[] = [];
    const s = server(error(503, 'BUSY', 'all engines busy', { 'Retry-After': '1' }), png());
    await client(s.fetch, sleeps).remove(new AbortController().signal, photo, undefined);
    expect(sleeps).toEqual([1000]);
  });

  it('gives up after two retries and says when to try again', async () => {
    const busy = () => error(503, 'BUSY', 'all engines busy', { 'Retry-After': '2' });
    const sleeps: number[] = [];
    const s = server(busy(), busy(), busy());
    const e = await failure(
      client(s.fetch, sleeps).remove(new AbortController().signal, photo, undefined),
    );
    expect(e.code).toBe('server-busy');
    expect(e.status).toBe(503);
    expect(e.retryAfterSeconds).toBe(2);
    expect(e.message).toContain('try again in 2 s');
    expect(sleeps).toEqual([2000, 2000]);
    expect(s.calls).toHaveLength(3);
  });

  it('does not wait when Retry-After asks for too long, or is missing', async () => {
    const sleeps: number[] = [];
    const s = server(
      error(429, 'RATE_LIMITED', 'slow down', { 'Retry-After': '3600' }),
      error(429, 'RATE_LIMITED', 'slow down'),
    );
    const c = client(s.fetch, sleeps);
    const long = await failure(c.remove(new AbortController().signal, photo, undefined));
    expect(long.retryAfterSeconds).toBe(3600);
    expect(long.message).toContain('try again in 3600 s');
    const missing = await failure(c.remove(new AbortController().signal, photo, undefined));
    expect(missing.retryAfterSeconds).toBeUndefined();
    expect(missing.message).toContain('try again later');
    expect(sleeps).toEqual([]);
  });

  it('reports an unreachable server as upload-failed', async () => {
    const s = server(new TypeError('Failed to fetch'));
    const e = await failure(client(s.fetch).remove(new AbortController().signal, photo, undefined));
    expect(e.code).toBe('upload-failed');
    expect(e.status).toBeUndefined();
  });

  it('refuses a 200 that is not a PNG', async () => {
    const s = server(new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } }));
    const e = await failure(client(s.fetch).remove(new AbortController().signal, photo, undefined));
    expect(e.code).toBe('server-failed');
    expect(e.message).toContain('text/html');
  });

  it('is cancelled, not failed, when the person cancels during the upload', async () => {
    const controller = new AbortController();
    const fetchFn = vi.fn(async () => {
      controller.abort();
      throw new DOMException('aborted', 'AbortError');
    }) as unknown as typeof fetch;
    await expect(client(fetchFn).remove(controller.signal, photo, undefined)).rejects.toMatchObject(
      {
        code: 'cancelled',
      },
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('reads delta-seconds', () => expect(parseRetryAfter('120', now)).toBe(120));
  it('reads an HTTP date', () =>
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:30 GMT', now)).toBe(30));
  it('never goes below zero', () =>
    expect(parseRetryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0));
  it('ignores nonsense and absence', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('parseServerTiming', () => {
  it('reads each metric’s dur', () => {
    expect(parseServerTiming('queue;dur=0.4, decode;dur=12, inference;desc="x";dur=801.2')).toEqual(
      {
        queue: 0.4,
        decode: 12,
        inference: 801.2,
      },
    );
  });
  it('ignores metrics without a duration', () => {
    expect(parseServerTiming('cache, ;dur=3')).toEqual({});
    expect(parseServerTiming(null)).toEqual({});
  });
});
