/** The part of the Web Storage API consent needs; the page passes `sessionStorage`. */
export type ConsentStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const CONSENT_KEY = 'cutout.hosted-consent';
const GRANTED = 'granted';

/**
 * The person's "yes, upload" for the hosted path. It lives in sessionStorage, so it ends with the
 * browser session and is never written anywhere that outlasts it. When storage is unavailable
 * (blocked, private mode quirks) the consent lasts for this page only.
 */
export class HostedConsent {
  private inMemory = false;

  constructor(private readonly storage: ConsentStorage | undefined) {}

  get granted(): boolean {
    try {
      if (this.storage?.getItem(CONSENT_KEY) === GRANTED) return true;
    } catch {
      // storage blocked: fall through to this page's memory
    }
    return this.inMemory;
  }

  grant(): void {
    this.inMemory = true;
    try {
      this.storage?.setItem(CONSENT_KEY, GRANTED);
    } catch {
      // storage blocked or full: the consent still holds for this page
    }
  }

  withdraw(): void {
    this.inMemory = false;
    try {
      this.storage?.removeItem(CONSENT_KEY);
    } catch {
      // nothing stored, nothing to remove
    }
  }
}

/** The session's storage, or undefined where reading it throws (sandboxed frames, blocked). */
export function sessionConsentStorage(): ConsentStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
