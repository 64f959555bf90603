import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BridgeClient,
  serveBridge,
  type Endpoint,
  type Handlers,
  type MethodSpec,
} from '../src/shared/bridge';
import { CutoutError } from '../src/shared/errors';

type TestApi = {
  echo: MethodSpec<string, string>;
  count: MethodSpec<number, number, number>;
  wait: MethodSpec<void, string>;
  fail: MethodSpec<void, never>;
  crash: MethodSpec<void, never>;
  take: MethodSpec<ArrayBuffer, number>;
  give: MethodSpec<number, ArrayBuffer>;
};

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function connect(overrides: Partial<Handlers<TestApi>> = {}) {
  const channel = new MessageChannel();
  channels.push(channel);
  const seen = { waitAborted: false, waitStarted: 0 };
  const handlers: Handlers<TestApi> = {
    echo: (_s, text) => `echo: ${text}`,
    count: (_s, n, ctx) => {
      for (let i = 1; i <= n; i++) ctx.progress(i);
      return n * 10;
    },
    wait: (signal) =>
      new Promise<string>((resolve) => {
        seen.waitStarted++;
        signal.addEventListener('abort', () => {
          seen.waitAborted = true;
          resolve('too late');
        });
      }),
    fail: () => {
      throw new CutoutError('model-verification-failed', 'model file failed verification');
    },
    crash: () => {
      throw new TypeError('boom');
    },
    take: (_s, buffer) => buffer.byteLength,
    give: (_s, n, ctx) => {
      const buffer = new ArrayBuffer(n);
      ctx.transfer(buffer);
      return buffer;
    },
    ...overrides,
  };
  serveBridge<TestApi>(channel.port2 as unknown as Endpoint, handlers);
  const client = new BridgeClient<TestApi>(channel.port1 as unknown as Endpoint);
  return { client, seen, port: channel.port1 };
}

const never = () => new AbortController().signal;
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('BridgeClient + serveBridge', () => {
  it('returns the handler result', async () => {
    const { client } = connect();
    await expect(client.call(never(), 'echo', 'hi')).resolves.toBe('echo: hi');
  });

  it('delivers progress before the result, in order', async () => {
    const { client } = connect();
    const progress: number[] = [];
    const result = await client.call(never(), 'count', 3, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([1, 2, 3]);
    expect(result).toBe(30);
  });

  it('carries the error code of a CutoutError across', async () => {
    const { client } = connect();
    const error = await client.call(never(), 'fail', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CutoutError);
    expect((error as CutoutError).code).toBe('model-verification-failed');
    expect((error as CutoutError).message).toBe('model file failed verification');
  });

  it('turns any other exception into code "internal" with its message', async () => {
    const { client } = connect();
    const error = (await client.call(never(), 'crash', undefined).catch((e) => e)) as CutoutError;
    expect(error.code).toBe('internal');
    expect(error.message).toBe('boom');
  });

  it('cancelling rejects at once with "cancelled" and aborts the handler', async () => {
    const { client, seen } = connect();
    const controller = new AbortController();
    const call = client.call(controller.signal, 'wait', undefined);
    await tick();
    expect(seen.waitStarted).toBe(1);
    controller.abort();
    const error = (await call.catch((e) => e)) as CutoutError;
    expect(error.code).toBe('cancelled');
    await tick();
    expect(seen.waitAborted).toBe(true);
    expect(client.pendingCount).toBe(0);
  });

  it('an already aborted signal never reaches the other side', async () => {
    const { client, seen } = connect();
    const controller = new AbortController();
    controller.abort();
    const error = (await client
      .call(controller.signal, 'wait', undefined)
      .catch((e) => e)) as CutoutError;
    expect(error.code).toBe('cancelled');
    await tick();
    expect(seen.waitStarted).toBe(0);
  });

  it('close() rejects pending and later calls with the given error', async () => {
    const { client } = connect();
    const pending = client.call(never(), 'wait', undefined);
    client.close(new CutoutError('worker-crashed', 'the inference worker stopped'));
    expect(((await pending.catch((e) => e)) as CutoutError).code).toBe('worker-crashed');
    const later = (await client.call(never(), 'echo', 'x').catch((e) => e)) as CutoutError;
    expect(later.code).toBe('worker-crashed');
  });

  it('transfers buffers listed by the caller and by the handler', async () => {
    const { client } = connect();
    const buffer = new ArrayBuffer(16);
    await expect(client.call(never(), 'take', buffer, { transfer: [buffer] })).resolves.toBe(16);
    expect(buffer.byteLength).toBe(0); // detached: moved, not copied
    const received = await client.call(never(), 'give', 8);
    expect(received.byteLength).toBe(8);
  });

  it('runs calls concurrently and matches answers to calls', async () => {
    const { client } = connect();
    const results = await Promise.all(['a', 'b', 'c'].map((t) => client.call(never(), 'echo', t)));
    expect(results).toEqual(['echo: a', 'echo: b', 'echo: c']);
  });

  it('answers an unknown method with a typed error', async () => {
    const { client } = connect();
    const untyped = client as unknown as BridgeClient<{ nope: MethodSpec<void, void> }>;
    const error = (await untyped.call(never(), 'nope', undefined).catch((e) => e)) as CutoutError;
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/unknown method/);
  });
});
