/** What `GET /api/v1/capabilities` says about the opt-in hosted path. */
export interface HostedCapabilities {
  /** The server processes images sent from this page (keyless, rate-limited by address). */
  readonly hostedFallback: boolean;
  /** The server offers the keyed HTTP API (not used by the page). */
  readonly api: boolean;
  /** Largest upload the server accepts, in bytes. */
  readonly maxBytes: number;
  /** Largest width × height the server decodes. */
  readonly maxPixels: number;
  /** Model ids the server runs; the first is its default. */
  readonly models: readonly string[];
}

export const CAPABILITIES_PATH = '/api/v1/capabilities';

/** A server that says nothing (404, an error, nonsense) offers no hosted path. */
export const NO_HOSTED_PATH: HostedCapabilities = {
  hostedFallback: false,
  api: false,
  maxBytes: 0,
  maxPixels: 0,
  models: [],
};

/**
 * Reads the capabilities document. Anything malformed means "no hosted path": the page must never
 * offer uploading on a guess. A fallback that runs no model or accepts no bytes is no fallback.
 */
export function parseCapabilities(json: unknown): HostedCapabilities {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return NO_HOSTED_PATH;
  const o = json as Record<string, unknown>;
  const { hostedFallback, api, maxBytes, maxPixels, models } = o;
  if (typeof hostedFallback !== 'boolean' || typeof api !== 'boolean') return NO_HOSTED_PATH;
  if (!isPositiveInteger(maxBytes) || !isPositiveInteger(maxPixels)) return NO_HOSTED_PATH;
  if (!Array.isArray(models) || !models.every((m) => typeof m === 'string' && m.length > 0)) {
    return NO_HOSTED_PATH;
  }
  const usable = hostedFallback && models.length > 0;
  return { hostedFallback: usable, api, maxBytes, maxPixels, models: [...(models as string[])] };
}

/** Asks the page's own server; a 404 (a server without the API) or any failure is "no". */
export async function fetchCapabilities(
  fetchFn: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<HostedCapabilities> {
  try {
    const response = await fetchFn(CAPABILITIES_PATH, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      signal,
    });
    if (!response.ok) return NO_HOSTED_PATH;
    return parseCapabilities(await response.json());
  } catch {
    return NO_HOSTED_PATH;
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
