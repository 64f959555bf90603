// What the bench scripts share to start a browser: the install dir setup.sh fills (outside the
// repo), its playwright-core, and Debian's Chromium with the flags of DESIGN.md §5.
import path from 'node:path';
import { createRequire } from 'node:module';

export const INSTALL_DIR = process.env.CUTOUT_BENCH_BROWSER_DIR || '/tmp/cutout-bench-browser';

/** Resolves packages from the bench install (setup.sh), not from the repo. */
export const requireFromInstall = createRequire(path.join(INSTALL_DIR, 'package.json'));

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
