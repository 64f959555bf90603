// What the warm-up buys: the first photo on a fresh page, on two Cutout pages (A and B, e.g. a
// build with the warm-up and one that skips it when a photo is waiting), in alternating order.
//
//   node first-photo.mjs --a URL --b URL [--runs 3] [--image F]
//
// Each run is a fresh browser context (nothing cached) and two visits per page:
//   at-once:     the photo is chosen as soon as the page can take it, before "Ready";
//                measured: choice → the result's download link;
//   after-ready: the page is left to finish preparing ("Ready"), then the photo is chosen;
//                measured: choice → link, and the page's own warm-up time.
// Both visits also report the photo's inference time from its row (decode and encode aside).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selector } from '../../config/browser.mjs';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, requireFromInstall } from './chromium.mjs';
import { cpuMark, loadAverage, loadBetween, machineBusy, MemorySampler } from './machine.mjs';
import { median } from './stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');

function parseArgs(argv) {
  const o = { a: null, b: null, runs: 3, image: path.join(REPO, 'testdata/composites/images/c001.jpg') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--a') o.a = argv[++i];
    else if (a === '--b') o.b = argv[++i];
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--image') o.image = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.a || !o.b) throw new Error('--a URL and --b URL are needed');
  return o;
}

/** One visit: returns ms from choice to result, the row's inference ms, the page's warm-up ms. */
async function visit(browser, url, image, mode) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const input = page.locator(selector('fileInput'));
    await input.waitFor({ state: 'attached' });
    if (mode === 'after-ready') {
      await page.waitForFunction(([phase]) => document.querySelector(phase)?.textContent === 'Ready', [selector('phase')], { timeout: 600_000 });
    }
    const t0 = await page.evaluate(() => performance.now());
    await input.setInputFiles(image);
    const link = `${selector('queueItem')} ${selector('itemDownload')}`;
    const t1 = await (await page.waitForFunction((l) => document.querySelector(l) && performance.now(), link, { timeout: 600_000, polling: 50 })).jsonValue();
    const row = await page.locator(`${selector('queueItem')} ${selector('itemTimings')}`).innerText();
    const inference = Number((row.match(/inference ([0-9.]+) (m?s)/) ?? []).slice(1, 2)[0]) * (row.match(/inference [0-9.]+ s\b/) ? 1000 : 1);
    const warm = await page.locator(selector('timing').replace('{name}', 'warmup')).innerText().catch(() => '');
    return { ms: Math.round(t1 - t0), inferenceMs: Math.round(inference), warmup: warm.trim() };
  } finally {
    await context.close();
  }
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  let chromium;
  try {
    ({ chromium } = requireFromInstall('playwright-core'));
  } catch {
    ({ chromium } = (await import('node:module')).createRequire(path.join(REPO, 'web/package.json'))('playwright-core'));
  }
  const before = await machineBusy(3000);
  console.log(`# machine before run: CPU busy ${before.busyPct}% over 3 s (${os.cpus().length} cores), loadavg ${loadAverage().join(' ')}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  const sampler = new MemorySampler(process.pid);
  const results = { a: { 'at-once': [], 'after-ready': [] }, b: { 'at-once': [], 'after-ready': [] } };
  try {
    for (let run = 0; run < opt.runs; run++) {
      const order = run % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
      for (const mode of ['at-once', 'after-ready']) {
        for (const which of order) {
          const mark = cpuMark(sampler);
          const r = await visit(browser, opt[which], opt.image, mode);
          r.otherCores = loadBetween(mark, cpuMark(sampler)).otherCores;
          results[which][mode].push(r);
          console.log(`run ${run + 1} ${which.toUpperCase()} ${mode}: ${r.ms} ms to the result (inference ${r.inferenceMs} ms, warm-up ${r.warmup || '—'}) [other processes: ${r.otherCores} cores]`);
        }
      }
    }
  } finally {
    sampler.stop();
    await browser.close();
  }
  for (const which of ['a', 'b']) {
    for (const mode of ['at-once', 'after-ready']) {
      const rs = results[which][mode];
      console.log(`${which.toUpperCase()} ${mode}: median ${median(rs.map((r) => r.ms))} ms to the result, inference median ${median(rs.map((r) => r.inferenceMs))} ms (${opt[which]})`);
    }
  }
  console.log(JSON.stringify({ image: path.basename(opt.image), a: opt.a, b: opt.b, results }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
