import { byId } from '../element';
import { formatMs } from '../units';
import type { HostedMode } from './mode';

const PRIVACY_LOCAL = 'Your photos are processed on this device and never uploaded.';
const PRIVACY_HOSTED =
  'Process on server is on: photos you add now are uploaded to this server, processed, and not kept. ' +
  'Photos added before stay on this device.';

/**
 * The "Process on server" switch (#hosted-switch), its consent dialog (#hosted-consent) and the
 * suggestion notice (#hosted-suggestion). All of it stays hidden unless the server offers the
 * hosted fallback. The switch never turns itself on: only the person, after saying yes.
 */
export class HostedSwitchView {
  private readonly section = byId<HTMLElement>('hosted');
  private readonly toggle = byId<HTMLInputElement>('hosted-switch');
  private readonly state = byId<HTMLElement>('hosted-state');
  private readonly suggestion = byId<HTMLElement>('hosted-suggestion');
  private readonly dialog = byId<HTMLDialogElement>('hosted-consent');
  private readonly privacy = byId<HTMLElement>('privacy');

  constructor(private readonly mode: HostedMode) {
    this.toggle.addEventListener('change', () => this.flipped());
    byId('hosted-consent-accept').addEventListener('click', () => this.answer(true));
    byId('hosted-consent-decline').addEventListener('click', () => this.answer(false));
    // Escape closes the dialog: that is a no.
    this.dialog.addEventListener('cancel', () => this.answer(false));
    this.render();
  }

  /** Redraws from the mode (after capabilities arrive or change). */
  render(): void {
    const on = this.mode.on;
    this.section.hidden = !this.mode.available;
    this.toggle.checked = on;
    this.section.dataset['hosted'] = on ? 'on' : 'off';
    this.state.textContent = on
      ? 'On: photos you add are uploaded to this server, processed, and not kept.'
      : 'Off: photos are processed on this device and never uploaded.';
    this.privacy.textContent = on ? PRIVACY_HOSTED : PRIVACY_LOCAL;
    if (on) this.suggestion.hidden = true;
  }

  /** Points at the switch after a slow local run; never turns it on. */
  suggest(localRunMs: number): void {
    if (!this.mode.available || this.mode.on) return;
    this.suggestion.textContent =
      `This device has no WebGPU and the last photo took ${formatMs(localRunMs)} here. ` +
      'Turning on "Process on server" may be faster; it uploads the photos you add while it is on.';
    this.suggestion.hidden = false;
  }

  private flipped(): void {
    if (!this.toggle.checked) {
      this.mode.turnOff();
      this.render();
      return;
    }
    if (this.mode.requestOn()) {
      this.render();
      return;
    }
    // Not on until the person says yes in the dialog.
    this.toggle.checked = false;
    if (this.mode.available && !this.dialog.open) this.dialog.showModal();
  }

  private answer(yes: boolean): void {
    if (yes) this.mode.consentGiven();
    else this.mode.consentRefused();
    if (this.dialog.open) this.dialog.close();
    this.render();
    this.toggle.focus();
  }
}
