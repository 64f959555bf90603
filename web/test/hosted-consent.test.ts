import { describe, expect, it } from 'vitest';
import type { HostedCapabilities } from '../src/app/hosted/capabilities';
import { NO_HOSTED_PATH } from '../src/app/hosted/capabilities';
import { CONSENT_KEY, HostedConsent, type ConsentStorage } from '../src/app/hosted/consent';
import { HostedMode } from '../src/app/hosted/mode';

/** sessionStorage as the page sees it: one tab's session; `endSession` is closing the browser. */
class FakeSessionStorage implements ConsentStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  endSession(): void {
    this.items.clear();
  }
}

class BlockedStorage implements ConsentStorage {
  getItem(): string | null {
    throw new DOMException('blocked', 'SecurityError');
  }
  setItem(): void {
    throw new DOMException('blocked', 'SecurityError');
  }
  removeItem(): void {
    throw new DOMException('blocked', 'SecurityError');
  }
}

const offered: HostedCapabilities = {
  hostedFallback: true,
  api: false,
  maxBytes: 1000,
  maxPixels: 1000,
  models: ['isnet-uint8'],
};

describe('HostedConsent', () => {
  it('starts without consent', () => {
    expect(new HostedConsent(new FakeSessionStorage()).granted).toBe(false);
  });

  it('keeps consent in session storage only, so a reload in the same session remembers it', () => {
    const session = new FakeSessionStorage();
    new HostedConsent(session).grant();
    expect(session.getItem(CONSENT_KEY)).toBe('granted');
    expect(new HostedConsent(session).granted).toBe(true); // the page reloaded
  });

  it('is gone when the browser session ends', () => {
    const session = new FakeSessionStorage();
    new HostedConsent(session).grant();
    session.endSession();
    expect(new HostedConsent(session).granted).toBe(false);
  });

  it('can be withdrawn', () => {
    const session = new FakeSessionStorage();
    const consent = new HostedConsent(session);
    consent.grant();
    consent.withdraw();
    expect(consent.granted).toBe(false);
    expect(session.items.size).toBe(0);
  });

  it('lasts for this page only when storage is blocked', () => {
    const consent = new HostedConsent(new BlockedStorage());
    expect(consent.granted).toBe(false);
    consent.grant();
    expect(consent.granted).toBe(true);
    expect(new HostedConsent(new BlockedStorage()).granted).toBe(false);
  });
});

describe('HostedMode (the switch)', () => {
  it('is off and unavailable until the server offers the fallback', () => {
    const mode = new HostedMode(new HostedConsent(new FakeSessionStorage()), NO_HOSTED_PATH);
    expect(mode.available).toBe(false);
    expect(mode.requestOn()).toBe(false);
    mode.consentGiven();
    expect(mode.on).toBe(false);
    expect(mode.where()).toBe('device');
  });

  it('asks for consent the first time it is turned on, and stays off until given', () => {
    const mode = new HostedMode(new HostedConsent(new FakeSessionStorage()), offered);
    expect(mode.on).toBe(false);
    expect(mode.requestOn()).toBe(false); // the page shows the dialog
    expect(mode.where()).toBe('device');
    mode.consentGiven();
    expect(mode.on).toBe(true);
    expect(mode.where()).toBe('server');
  });

  it('stays off when consent is refused, and asks again next time', () => {
    const session = new FakeSessionStorage();
    const mode = new HostedMode(new HostedConsent(session), offered);
    expect(mode.requestOn()).toBe(false);
    mode.consentRefused();
    expect(mode.on).toBe(false);
    expect(session.items.size).toBe(0);
    expect(mode.requestOn()).toBe(false);
  });

  it('does not ask again within the session once consent is given', () => {
    const session = new FakeSessionStorage();
    const first = new HostedMode(new HostedConsent(session), offered);
    first.requestOn();
    first.consentGiven();
    first.turnOff();
    expect(first.where()).toBe('device');
    expect(first.requestOn()).toBe(true);
    // A reload: the switch is off again by default, but turning it on needs no new dialog.
    const reloaded = new HostedMode(new HostedConsent(session), offered);
    expect(reloaded.on).toBe(false);
    expect(reloaded.requestOn()).toBe(true);
  });

  it('turns off when the server stops offering the fallback', () => {
    const mode = new HostedMode(new HostedConsent(new FakeSessionStorage()), offered);
    mode.consentGiven();
    mode.update(NO_HOSTED_PATH);
    expect(mode.on).toBe(false);
    mode.update(offered);
    expect(mode.on).toBe(false);
  });
});
