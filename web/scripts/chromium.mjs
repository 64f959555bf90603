// Launches the system Chromium through playwright-core with a fresh profile, with the flags of
// config/browser.json (which the e2e tests and the bench use too). Never downloads a browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../config/browser.mjs';

// Report the service worker's own requests too, as the e2e tests do: the smoke test's upload
// check must see every request, whoever makes it.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

export async function launchChromium({ webgpu = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'cutout-chromium-'));
  // launchPersistentContext passes the profile as --user-data-dir and runs --headless.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM.executable,
    headless: true,
    acceptDownloads: true,
    args: webgpu ? [...CHROMIUM.flags, ...CHROMIUM.webgpuFlags] : CHROMIUM.flags,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, consoleLines, close };
}
