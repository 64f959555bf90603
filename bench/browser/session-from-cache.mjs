// Session creation from cache: loads a Cutout page once (the model is downloaded and cached), then
// reloads it N times in the same profile and prints the page's own `[data-timing=session]` figure
// (InferenceSession.create on the cached model's bytes) and where the model came from each time.
//
//   node bench/browser/session-from-cache.mjs [--url http://127.0.0.1:8080/?model=isnet-uint8] [--reloads 6]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { READY_PHASE, selector, timingSelector } from '../../config/browser.mjs';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, requireFromInstall } from './chromium.mjs';
import { median } from './stats.mjs';

const { chromium } = requireFromInstall('playwright-core');

const args = process.argv.slice(2);
const opt = { url: 'http://127.0.0.1:8080/?model=isnet-uint8', reloads: 6, chromium: CHROMIUM_PATH };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--url') opt.url = args[++i];
  else if (args[i] === '--reloads') opt.reloads = Number(args[++i]);
  else if (args[i] === '--chromium') opt.chromium = args[++i];
  else throw new Error(`unknown option ${args[i]}`);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-session-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opt.chromium,
  headless: true,
  args: CHROMIUM_FLAGS,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const figures = [];
  for (let visit = 0; visit <= opt.reloads; visit++) {
    if (visit === 0) await page.goto(opt.url, { waitUntil: 'load' });
    else await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(([phase, ready]) => document.querySelector(phase)?.textContent === ready, [selector('phase'), READY_PHASE], { timeout: 300_000, polling: 100 });
    const t = await page.evaluate(([session, download]) => ({
      session: document.querySelector(session)?.textContent?.trim(),
      download: document.querySelector(download)?.textContent?.trim(),
    }), [timingSelector('session'), timingSelector('download')]);
    console.log(`visit ${visit}: session ${t.session} (model ${t.download === 'from cache' ? 'from cache' : `downloaded in ${t.download}`})`);
    if (t.download === 'from cache') figures.push(Number.parseFloat(t.session) * (t.session.endsWith(' s') ? 1000 : 1));
  }
  console.log(`# session from cache over ${figures.length} reloads: median ${median(figures)} ms (${figures.join(', ')} ms)`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
