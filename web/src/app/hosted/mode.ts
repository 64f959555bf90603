import type { HostedCapabilities } from './capabilities';
import type { HostedConsent } from './consent';

/** Where one image is processed; fixed when the person adds it, never changed afterwards. */
export type Where = 'device' | 'server';

/**
 * The "Process on server" switch as state: off whenever the page loads, available only when the
 * server offers the hosted fallback, and on only with the session's consent.
 */
export class HostedMode {
  private isOn = false;

  constructor(
    private readonly consent: HostedConsent,
    private capabilities: HostedCapabilities,
  ) {}

  get available(): boolean {
    return this.capabilities.hostedFallback;
  }

  get on(): boolean {
    return this.isOn && this.available && this.consent.granted;
  }

  get limits(): HostedCapabilities {
    return this.capabilities;
  }

  /** The server answered (again); a server that stops offering the fallback turns the switch off. */
  update(capabilities: HostedCapabilities): void {
    this.capabilities = capabilities;
    if (!capabilities.hostedFallback) this.isOn = false;
  }

  /**
   * The person turned the switch on. Returns true when it is on now; false when consent must be
   * asked first (then `consentGiven` or `consentRefused` follows).
   */
  requestOn(): boolean {
    if (!this.available) return false;
    if (!this.consent.granted) return false;
    this.isOn = true;
    return true;
  }

  consentGiven(): void {
    if (!this.available) return;
    this.consent.grant();
    this.isOn = true;
  }

  consentRefused(): void {
    this.isOn = false;
  }

  turnOff(): void {
    this.isOn = false;
  }

  /** Where an image added now goes. */
  where(): Where {
    return this.on ? 'server' : 'device';
  }
}
