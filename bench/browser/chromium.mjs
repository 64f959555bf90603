// What the bench scripts share to start a browser: the install dir setup.sh fills (outside the
// repo), its playwright-core, and Debian's Chromium with the flags of config/browser.json (which
// the e2e tests and web/scripts use too).
import path from 'node:path';
import { createRequire } from 'node:module';
import { CHROMIUM } from '../../config/browser.mjs';

export const INSTALL_DIR = process.env.CUTOUT_BENCH_BROWSER_DIR || '/tmp/cutout-bench-browser';

/** Resolves packages from the bench install (setup.sh), not from the repo. */
export const requireFromInstall = createRequire(path.join(INSTALL_DIR, 'package.json'));

export const CHROMIUM_PATH = process.env.CHROMIUM || CHROMIUM.executable;

export const CHROMIUM_FLAGS = CHROMIUM.flags;
