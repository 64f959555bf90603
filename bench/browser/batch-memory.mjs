// A big batch in the real page: drops N photos at once (default 200) on a running Cutout page,
// samples the browser's memory while they are processed, then builds the ZIP and checks it holds
// N entries. Prints memory after the first 10, 50, 100 and N results, the ZIP's time and size.
//
//   node batch-memory.mjs [--url http://127.0.0.1:8080/?model=u2netp] [--count 200]
//                         [--sample-ms 500] [--out F.json] [images...]
//
// Without images it cycles through the 16 composites (testdata/composites/images, 1–4 MP JPEGs).
// The photos are hard links under a temporary folder with distinct names (c000-0001.jpg, …): the
// page gets N distinct files whose contents repeat, which is all the memory behaviour depends on.
// The browser runs with a profile on disk (a temporary folder), as a person's does: an
// off-the-record profile keeps the Origin Private File System in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selector } from '../../config/browser.mjs';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, requireFromInstall } from './chromium.mjs';
import { loadAverage, loadBetween, cpuMark, machineBusy, MemorySampler } from './machine.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const MiB = 1024 * 1024;

function parseArgs(argv) {
  const o = { url: 'http://127.0.0.1:8080/?model=u2netp', count: 200, sampleMs: 500, out: null, timeoutS: 3600, images: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--url') o.url = next();
    else if (a === '--count') o.count = Number(next());
    else if (a === '--sample-ms') o.sampleMs = Number(next());
    else if (a === '--out') o.out = next();
    else if (a === '--timeout-s') o.timeoutS = Number(next());
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.images.push(path.resolve(a));
  }
  if (o.images.length === 0) {
    const dir = path.join(REPO, 'testdata/composites/images');
    o.images = fs.readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => path.join(dir, f));
  }
  return o;
}

/** N distinct file names over the given images, as hard links (copies where links fail). */
function batchFiles(images, count, dir) {
  const files = [];
  for (let i = 0; i < count; i++) {
    const source = images[i % images.length];
    const ext = path.extname(source);
    const file = path.join(dir, `${path.basename(source, ext)}-${String(i + 1).padStart(4, '0')}${ext}`);
    try {
      fs.linkSync(source, file);
    } catch {
      fs.copyFileSync(source, file);
    }
    files.push(file);
  }
  return files;
}

/** Entries counted by the ZIP's end-of-central-directory record (no comment: the last 22 bytes). */
function zipEntryCount(file) {
  const buf = fs.readFileSync(file);
  const eocd = buf.length - 22;
  if (buf.readUInt32LE(eocd) !== 0x06054b50) throw new Error('no end-of-central-directory record');
  return buf.readUInt16LE(eocd + 10);
}

/** The renderer that holds the page: the one with the most memory. */
function rendererMemory(sampler) {
  let best = { rssMiB: 0, hwmMiB: 0 };
  for (const pid of sampler.renderers()) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) ?? [0, 0])[1]);
      const m = { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
      if (m.rssMiB > best.rssMiB) best = m;
    } catch {}
  }
  return best;
}

/** RSS of every process under this driver (the whole browser), in MiB. */
function treeRssMiB() {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {}
  }
  let kib = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(children.get(pid) ?? []));
    try {
      kib += Number((fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m) ?? [0, 0])[1]);
    } catch {}
  }
  return kib / 1024;
}

const r1 = (x) => Math.round(x * 10) / 10;

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  let chromium;
  try {
    ({ chromium } = requireFromInstall('playwright-core'));
  } catch {
    // before setup.sh has run: the web app's own copy (same pinned version)
    ({ chromium } = (await import('node:module')).createRequire(path.join(REPO, 'web/package.json'))('playwright-core'));
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cutout-batch-'));
  const photos = path.join(work, 'photos');
  fs.mkdirSync(photos);
  const files = batchFiles(opt.images, opt.count, photos);
  const before = await machineBusy(3000);
  console.log(`# machine before run: CPU busy ${before.busyPct}% over 3 s (${os.cpus().length} cores), loadavg ${loadAverage().join(' ')}`);
  console.log(`# ${opt.count} photos cycling ${opt.images.length} images (${opt.images.map((f) => path.basename(f)).join(', ')}); page ${opt.url}`);

  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    acceptDownloads: true,
  });
  const sampler = new MemorySampler(process.pid, 200);
  const samples = [];
  const marks = {};
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e).slice(0, 300)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  try {
    await page.goto(opt.url);
    await page.waitForFunction(([phase, ready]) => document.querySelector(phase)?.textContent === ready, [selector('phase'), 'Ready'], { timeout: 600_000 });
    const idle = rendererMemory(sampler);
    const engine = await page.evaluate((e) => document.querySelector(e)?.textContent?.trim(), selector('engine'));
    const store = await page.evaluate(() => document.documentElement.dataset.resultStore ?? '(no result store: before the change)');
    console.log(`# ${engine}; results kept: ${store}; renderer when ready: ${r1(idle.rssMiB)} MiB RSS`);

    const start = Date.now();
    const cpuStart = cpuMark(sampler);
    await page.locator(selector('fileInput')).setInputFiles(files);
    const wanted = [10, 50, 100, opt.count].filter((n, i, a) => n <= opt.count && a.indexOf(n) === i);
    let finished = 0;
    let failed = 0;
    while (finished < opt.count) {
      if (Date.now() - start > opt.timeoutS * 1000) throw new Error(`timed out after ${opt.timeoutS} s with ${finished} finished`);
      await new Promise((r) => setTimeout(r, opt.sampleMs));
      const counts = await page.evaluate((items) => {
        const c = { done: 0, failed: 0 };
        for (const li of document.querySelectorAll(items)) {
          if (li.dataset.state === 'done' || li.dataset.state === 'empty') c.done++;
          if (li.dataset.state === 'failed') c.failed++;
        }
        return c;
      }, selector('queueItem'));
      finished = counts.done + counts.failed;
      failed = counts.failed;
      const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
      const renderer = rendererMemory(sampler);
      const sample = { s: r1((Date.now() - start) / 1000), finished, rendererRssMiB: r1(renderer.rssMiB), treeRssMiB: r1(treeRssMiB()), jsHeapUsedMiB: r1(metrics.JSHeapUsedSize / MiB) };
      samples.push(sample);
      for (const n of wanted) {
        if (!marks[n] && finished >= n) {
          marks[n] = { ...sample, rendererPeakMiB: r1(renderer.hwmMiB) };
          console.log(`after ${String(n).padStart(3)}: ${sample.s} s, renderer ${sample.rendererRssMiB} MiB RSS (peak ${marks[n].rendererPeakMiB}), browser tree ${sample.treeRssMiB} MiB, page JS heap ${sample.jsHeapUsedMiB} MiB`);
        }
      }
    }
    const load = loadBetween(cpuStart, cpuMark(sampler));
    const batchS = (Date.now() - start) / 1000;
    console.log(`# ${finished} finished (${failed} failed) in ${r1(batchS)} s (${r1((batchS * 1000) / opt.count)} ms a photo); other processes used ${load.otherCores} cores meanwhile`);

    const zipStart = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.locator(selector('downloadZip')).click()]);
    const zipPath = path.join(work, 'cutouts.zip');
    await download.saveAs(zipPath);
    const zipS = (Date.now() - zipStart) / 1000;
    const zipBytes = fs.statSync(zipPath).size;
    const entries = zipEntryCount(zipPath);
    const afterZip = rendererMemory(sampler);
    console.log(`ZIP: ${entries} entries, ${r1(zipBytes / MiB)} MiB, ${r1(zipS)} s from click to saved file; renderer after ${r1(afterZip.rssMiB)} MiB RSS (peak ${r1(afterZip.hwmMiB)})`);
    if (entries !== opt.count - failed) throw new Error(`the ZIP holds ${entries} entries, expected ${opt.count - failed}`);
    if (errors.length) console.log(`# page errors: ${errors.join(' | ')}`);
    const summary = { url: opt.url, count: opt.count, engine, store, idleRendererMiB: r1(idle.rssMiB), marks, batchS: r1(batchS), otherCores: load.otherCores, zip: { entries, mib: r1(zipBytes / MiB), seconds: r1(zipS), rendererAfterMiB: r1(afterZip.rssMiB) }, peak: sampler.peak, machineBefore: before };
    console.log(JSON.stringify(summary));
    if (opt.out) fs.writeFileSync(opt.out, JSON.stringify({ summary, samples }, null, 1));
  } finally {
    sampler.stop();
    await context.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
