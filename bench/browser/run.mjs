// In-browser benchmark driver: times "file selected → finished PNG" in headless Chromium.
//
//   node run.mjs --target imgly  [--imgly-version 1.7.0|1.4.5] [--model M] [options] [images...]
//   node run.mjs --target cutout [--url http://127.0.0.1:8080/?model=isnet-uint8] [options] [images...]
//   node run.mjs --target cutout --url U --versus imgly [--imgly-version V] [--versus-model M] [--rounds N] [options] [images...]
//   node run.mjs --target cutout --url U --versus cutout --versus-url BASELINE [--rounds N] [options] [images...]
//
// The third and fourth forms (paired mode) run both pages in one browser, each image on one page then the other
// (ABBA order), and reports per-pair time ratios; see README.md.
// Both targets are measured the same way, by a script injected before the page's own code:
//   start = the `change` event of the file input (capture listener on window, so it runs before the page's);
//   end   = the moment a new <a download href="blob:…"> appears in the DOM (MutationObserver).
// The PNG behind that link is then read (untimed), decoded with pngjs and its alpha channel compared
// with testdata/composites/alpha/<name>.png (IoU at α ≥ 0.5, mean absolute error of α in 0..1).
//
// The parts: args.mjs (command line), targets.mjs (the two pages), page.mjs (probe, one run),
// machine.mjs (/proc sampling), quality.mjs (IoU/MAE), stats.mjs, single.mjs and paired.mjs (the
// two modes). See README.md for the options and what the numbers mean.
import os from 'node:os';
import { parseArgs } from './args.mjs';
import { CHROMIUM_FLAGS, requireFromInstall as require } from './chromium.mjs';
import { loadAverage, machineBusy, MemorySampler } from './machine.mjs';
import { mainPaired } from './paired.mjs';
import { mainSingle } from './single.mjs';
import { imglyUrl, SELECTORS, startImglyServer } from './targets.mjs';

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const { chromium } = require('playwright-core');
  const { PNG } = require('pngjs');

  let server = null;
  let url = opt.url;
  if (opt.target === 'imgly' || opt.versus === 'imgly') server = await startImglyServer(opt.port);
  if (opt.target === 'imgly') url = imglyUrl(server, opt.imglyVersion, opt.model, opt.imglyDevice);

  let before = await machineBusy(3000);
  // Optionally wait (up to --quiet-wait seconds) until the machine is idle enough to measure.
  for (const until = Date.now() + opt.quietWaitS * 1000; before.busyPct > opt.quietPct && Date.now() < until; ) {
    console.log(`# waiting for a quiet machine: CPU busy ${before.busyPct}% > ${opt.quietPct}%`);
    await new Promise((r) => setTimeout(r, 7000));
    before = await machineBusy(3000);
  }
  if (opt.quietWaitS > 0 && before.busyPct > opt.quietPct) {
    // Don't measure on (and add load to) a machine that stayed busy: the numbers would be meaningless.
    console.error(`# machine still ${before.busyPct}% busy after ${opt.quietWaitS} s; not running (omit --quiet-wait to run anyway)`);
    if (server) server.close();
    process.exitCode = 3;
    return;
  }
  const load = loadAverage();
  console.log(`# machine before run: CPU busy ${before.busyPct}% over 3 s (${os.cpus().length} cores), loadavg ${load.join(' ')}`);

  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  // launch() (not launchPersistentContext) gives a fresh temporary profile that playwright deletes on close.
  const version = browser.version();
  // Playwright starts Chromium as a child of this Node process: sample that subtree (minus Node itself).
  const sampler = new MemorySampler(process.pid);
  const env = { sampler, PNG };
  const machine = { before, load, version };

  if (opt.versus) {
    const versus =
      opt.versus === 'imgly'
        ? { target: 'imgly', url: imglyUrl(server, opt.imglyVersion, opt.versusModel, opt.imglyDevice), inputSelector: SELECTORS.imgly.input, errorSelector: SELECTORS.imgly.error, timeoutS: opt.timeoutS }
        : { target: 'cutout', url: opt.versusUrl, inputSelector: SELECTORS.cutout.input, errorSelector: SELECTORS.cutout.error, timeoutS: opt.timeoutS };
    await mainPaired(opt, browser, env, machine, versus);
    if (server) server.close();
    return;
  }
  await mainSingle(opt, browser, env, machine, server, url);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
