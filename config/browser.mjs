// config/browser.json as the Node scripts see it (web/scripts/, bench/browser/); the e2e tests read
// the same file from Java. No dependencies, so both script folders can import it.
import { readFileSync } from 'node:fs';

const config = JSON.parse(readFileSync(new URL('./browser.json', import.meta.url), 'utf8'));

/** { executable, flags, webgpuFlags } */
export const CHROMIUM = Object.freeze(config.chromium);

/** COOP, COEP and CORP: what a page needs to be crossOriginIsolated (WASM threads). */
export const ISOLATION_HEADERS = Object.freeze(config.crossOriginIsolation);

/** The text of the page's #phase once the model is loaded and warmed up. */
export const READY_PHASE = config.page.readyPhase;

const selectors = config.page.selectors;

/** The page's part called `name`; a name the file lacks throws rather than select nothing. */
export function selector(name) {
  if (!Object.hasOwn(selectors, name)) {
    throw new Error(`config/browser.json has no page selector "${name}"`);
  }
  return selectors[name];
}

/** The element showing one timing, e.g. timingSelector('session'). */
export const timingSelector = (name) => selector('timing').replace('{name}', name);
