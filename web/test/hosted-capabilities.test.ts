import { describe, expect, it, vi } from 'vitest';
import {
  CAPABILITIES_PATH,
  fetchCapabilities,
  NO_HOSTED_PATH,
  parseCapabilities,
} from '../src/app/hosted/capabilities';

const offered = {
  hostedFallback: true,
  api: false,
  maxBytes: 25_000_000,
  maxPixels: 50_000_000,
  models: ['isnet-fp16', 'isnet-uint8'],
};

function answering(status: number, body: unknown): typeof fetch {
  return vi.fn(async () =>
    typeof body === 'string' ? new Response(body, { status }) : Response.json(body, { status }),
  ) as unknown as typeof fetch;
}

describe('parseCapabilities', () => {
  it('reads a server that offers the hosted fallback', () => {
    expect(parseCapabilities(offered)).toEqual(offered);
  });

  it('keeps hostedFallback false when the server says so', () => {
    const c = parseCapabilities({ ...offered, hostedFallback: false, api: true });
    expect(c.hostedFallback).toBe(false);
    expect(c.api).toBe(true);
  });

  it('treats a fallback that runs no model as no fallback', () => {
    expect(parseCapabilities({ ...offered, models: [] }).hostedFallback).toBe(false);
  });

  it.each([
    ['null', null],
    ['an array', [offered]],
    ['a string', 'yes'],
    ['hostedFallback as a string', { ...offered, hostedFallback: 'true' }],
    ['api missing', { ...offered, api: undefined }],
    ['maxBytes zero', { ...offered, maxBytes: 0 }],
    ['maxBytes negative', { ...offered, maxBytes: -1 }],
    ['maxPixels fractional', { ...offered, maxPixels: 1.5 }],
    ['maxPixels as a string', { ...offered, maxPixels: '50000000' }],
    ['models not a list', { ...offered, models: 'isnet-fp16' }],
    ['a model id that is not a string', { ...offered, models: ['isnet-fp16', 7] }],
    ['an empty model id', { ...offered, models: [''] }],
  ])('refuses %s as "no hosted path"', (_name, json) => {
    expect(parseCapabilities(json)).toEqual(NO_HOSTED_PATH);
  });
});

describe('fetchCapabilities', () => {
  it('asks the page’s own server, bypassing caches', async () => {
    const fetchFn = answering(200, offered);
    expect(await fetchCapabilities(fetchFn)).toEqual(offered);
    expect(fetchFn).toHaveBeenCalledWith(
      CAPABILITIES_PATH,
      expect.objectContaining({ cache: 'no-store' }),
    );
  });

  it('treats 404 (a server without the API) as no fallback', async () => {
    expect(await fetchCapabilities(answering(404, 'Not found'))).toEqual(NO_HOSTED_PATH);
  });

  it('treats a server error as no fallback', async () => {
    expect(await fetchCapabilities(answering(500, { hostedFallback: true }))).toEqual(
      NO_HOSTED_PATH,
    );
  });

  it('treats a body that is not JSON as no fallback', async () => {
    expect(await fetchCapabilities(answering(200, '<html>offline</html>'))).toEqual(NO_HOSTED_PATH);
  });

  it('treats a network failure (offline) as no fallback', async () => {
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchCapabilities(offline)).toEqual(NO_HOSTED_PATH);
  });
});
