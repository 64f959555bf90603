// In-browser benchmark driver: times "file selected → finished PNG" in headless Chromium.
//
//   node run.mjs --target imgly  [--model small|medium] [options] [images...]
//   node run.mjs --target cutout [--url http://127.0.0.1:8080/?model=isnet-uint8] [options] [images...]
//
// Both targets are measured the same way, by a script injected before the page's own code:
//   start = the `change` event of the file input (capture listener on window, so it runs before the page's);
//   end   = the moment a new <a download href="blob:…"> appears in the DOM (MutationObserver).
// The PNG behind that link is then read (untimed), decoded with pngjs and its alpha channel compared
// with testdata/composites/alpha/<name>.png (IoU at α ≥ 0.5, mean absolute error of α in 0..1).
// See README.md for the options and what the numbers mean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const INSTALL_DIR = process.env.CUTOUT_BENCH_BROWSER_DIR || '/tmp/cutout-bench-browser';
const require = createRequire(path.join(INSTALL_DIR, 'package.json'));

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const o = {
    target: 'imgly',
    url: null,
    model: null,
    warmup: 1,
    warmupImage: null,
    limit: Infinity,
    timeoutS: 600,
    out: null,
    port: 0,
    inputSelector: null,
    errorSelector: null,
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    quietWaitS: Number(process.env.CUTOUT_BENCH_QUIET_WAIT_S || 0),
    quietPct: 15,
    images: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--target': o.target = next(); break;
      case '--url': o.url = next(); break;
      case '--model': o.model = next(); break;
      case '--warmup': o.warmup = Number(next()); break;
      case '--warmup-image': o.warmupImage = next(); break;
      case '--limit': o.limit = Number(next()); break;
      case '--timeout-s': o.timeoutS = Number(next()); break;
      case '--out': o.out = next(); break;
      case '--port': o.port = Number(next()); break;
      case '--input-selector': o.inputSelector = next(); break;
      case '--error-selector': o.errorSelector = next(); break;
      case '--chromium': o.chromium = next(); break;
      case '--quiet-wait': o.quietWaitS = Number(next()); break;
      case '--quiet-pct': o.quietPct = Number(next()); break;
      case '-h':
      case '--help':
        console.log(fs.readFileSync(path.join(HERE, 'README.md'), 'utf8').split('\n## ')[1] ?? '');
        process.exit(0);
      default:
        if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
        o.images.push(path.resolve(a));
    }
  }
  if (!['imgly', 'cutout'].includes(o.target)) throw new Error(`--target must be imgly or cutout`);
  if (o.images.length === 0) {
    const dir = path.join(REPO, 'testdata/composites/images');
    o.images = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort().map((f) => path.join(dir, f));
  }
  o.images = o.images.slice(0, o.limit);
  if (!o.warmupImage) o.warmupImage = o.images[0];
  if (o.target === 'cutout') {
    o.url ??= `http://127.0.0.1:8080/?model=${encodeURIComponent(o.model ?? 'isnet-uint8')}`;
    if (o.model && !new URL(o.url).searchParams.has('model')) {
      const u = new URL(o.url);
      u.searchParams.set('model', o.model);
      o.url = u.href;
    }
    o.inputSelector ??= 'input[type=file][multiple]';
    o.errorSelector ??= 'li[data-state="failed"], #engine-error:not([hidden])';
  } else {
    o.inputSelector ??= '#file';
    o.errorSelector ??= '#status[data-error]';
  }
  return o;
}

// ---------------------------------------------------------------- /proc helpers
const CLK_TCK = 100; // USER_HZ on Linux x86-64

function readCpuTotals() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0); // idle + iowait
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0); // user..steal (guest is inside user)
  return { idle, total, busy: total - idle };
}

function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3); ppid = field 4; utime = 14; stime = 15
    return { ppid: Number(rest[1]), cpu: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function processTree(rootPid) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(d);
    if (!st) continue;
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(d));
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const c of children.get(p) ?? []) stack.push(c);
  }
  return out;
}

function procType(pid) {
  try {
    // Chromium rewrites its command line (setproctitle), so arguments may be separated by spaces, not NULs.
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const t = cmd.find((a) => a.startsWith('--type='));
    if (!t) return 'browser';
    if (t === '--type=utility') {
      const sub = cmd.find((a) => a.startsWith('--utility-sub-type='));
      return 'utility:' + (sub ? sub.split('=')[1].split('.').pop() : '?');
    }
    return t.slice(7);
  } catch {
    return null;
  }
}

function procMem(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) ?? [0, 0])[1]);
    return { rssKiB: kb('VmRSS'), hwmKiB: kb('VmHWM'), threads: kb('Threads') };
  } catch {
    return null;
  }
}

function threadNames(pid) {
  const names = {};
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const n = fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
        names[n] = (names[n] ?? 0) + 1;
      } catch {}
    }
  } catch {}
  return names;
}

/** Samples RSS of every process under the browser; keeps per-type and whole-tree peaks. */
class MemorySampler {
  constructor(rootPid, intervalMs = 200) {
    this.rootPid = rootPid;
    this.peak = { rendererRssMiB: 0, rendererHwmMiB: 0, treeRssMiB: 0 };
    this.byType = {};
    this.cpuByPid = new Map();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }
  sample() {
    let tree = 0;
    for (const pid of processTree(this.rootPid)) {
      if (pid === process.pid) continue;
      const m = procMem(pid);
      const st = procStat(pid);
      if (!m) continue;
      if (st) this.cpuByPid.set(pid, st.cpu);
      const type = procType(pid) ?? '?';
      tree += m.rssKiB;
      const bt = (this.byType[type] ??= { peakRssMiB: 0 });
      bt.peakRssMiB = Math.max(bt.peakRssMiB, m.rssKiB / 1024);
      if (type === 'renderer') {
        this.peak.rendererRssMiB = Math.max(this.peak.rendererRssMiB, m.rssKiB / 1024);
        this.peak.rendererHwmMiB = Math.max(this.peak.rendererHwmMiB, m.hwmKiB / 1024);
      }
    }
    this.peak.treeRssMiB = Math.max(this.peak.treeRssMiB, tree / 1024);
  }
  /** CPU jiffies used so far by the browser's processes (exited ones keep their last sample). */
  treeCpu() {
    this.sample();
    let s = 0;
    for (const v of this.cpuByPid.values()) s += v;
    return s;
  }
  renderers() {
    return processTree(this.rootPid).filter((p) => procType(p) === 'renderer');
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
}

async function machineBusy(ms) {
  const a = readCpuTotals();
  await new Promise((r) => setTimeout(r, ms));
  const b = readCpuTotals();
  const cores = (b.total - a.total) / ((ms / 1000) * CLK_TCK);
  return { busyPct: round(((b.busy - a.busy) / (b.total - a.total)) * 100, 1), cores: round(cores, 2) };
}

// ---------------------------------------------------------------- quality
function decodePngAlpha(buf, PNG) {
  const png = PNG.sync.read(buf);
  const { width, height, data } = png;
  const a = new Uint8Array(width * height);
  for (let i = 0; i < a.length; i++) a[i] = data[4 * i + 3];
  return { width, height, alpha: a, hasAlpha: png.alpha !== false };
}

function decodeTruth(file, PNG) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const { width, height, data } = png;
  const a = new Uint8Array(width * height);
  for (let i = 0; i < a.length; i++) a[i] = data[4 * i]; // gray → R
  return { width, height, alpha: a };
}

function compareAlpha(pred, truth) {
  if (pred.width !== truth.width || pred.height !== truth.height) {
    return { error: `size ${pred.width}x${pred.height} != truth ${truth.width}x${truth.height}` };
  }
  let inter = 0, union = 0, absSum = 0;
  const p = pred.alpha, t = truth.alpha;
  for (let i = 0; i < p.length; i++) {
    const pf = p[i] >= 128, tf = t[i] >= 128; // α ≥ 0.5 (127.5 on the 0..255 scale)
    if (pf && tf) inter++;
    if (pf || tf) union++;
    absSum += Math.abs(p[i] - t[i]);
  }
  return { iou: union ? inter / union : 1, mae: absSum / p.length / 255 };
}

function truthFor(image) {
  const name = path.basename(image).replace(/\.[^.]*$/, '');
  const f = path.join(path.dirname(path.dirname(image)), 'alpha', name + '.png');
  return fs.existsSync(f) ? f : null;
}

// ---------------------------------------------------------------- page probe
// Injected before any page script. Records input change times and first-seen times of blob download links.
const PROBE = () => {
  const st = { changes: [], links: {} };
  Object.defineProperty(window, '__benchProbe', { value: st });
  addEventListener(
    'change',
    (e) => {
      const t = e.target;
      if (t instanceof HTMLInputElement && t.type === 'file' && t.files && t.files.length > 0) st.changes.push({ t: performance.now(), files: t.files ? t.files.length : 0 });
    },
    true,
  );
  const note = (el, now) => {
    if (el.nodeType !== 1) return;
    const check = (a) => {
      if (a.tagName === 'A' && a.hasAttribute('download') && a.href.startsWith('blob:') && !(a.href in st.links)) {
        st.links[a.href] = { t: now, download: a.download };
      }
    };
    check(el);
    if (el.firstElementChild) for (const a of el.querySelectorAll('a[download][href^="blob:"]')) check(a);
  };
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.type === 'attributes') note(r.target, now);
      else for (const n of r.addedNodes) note(n, now);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['href', 'download'] });
};

// ---------------------------------------------------------------- main
const round = (x, d = 0) => (x == null || Number.isNaN(x) ? x : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const { chromium } = require('playwright-core');
  const { PNG } = require('pngjs');

  let server = null;
  let url = opt.url;
  if (opt.target === 'imgly') {
    const site = path.join(INSTALL_DIR, 'site');
    const data = path.join(INSTALL_DIR, 'node_modules/@imgly/background-removal-data/dist');
    if (!fs.existsSync(path.join(site, 'imgly/main.js')) || !fs.existsSync(path.join(data, 'resources.json'))) {
      throw new Error(`imgly page or data missing under ${INSTALL_DIR}: run bench/browser/setup.sh`);
    }
    server = await startServer({ port: opt.port, mounts: [['/', site], ['/imgly-data/', data]] });
    url = `http://127.0.0.1:${server.address().port}/imgly/${opt.model ? `?model=${encodeURIComponent(opt.model)}` : ''}`;
  }

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
  const load = fs.readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).map(Number);
  console.log(`# machine before run: CPU busy ${before.busyPct}% over 3 s (${os.cpus().length} cores), loadavg ${load.join(' ')}`);

  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // launch() (not launchPersistentContext) gives a fresh temporary profile that playwright deletes on close.
  const version = browser.version();
  // Playwright starts Chromium as a child of this Node process: sample that subtree (minus Node itself).
  const sampler = new MemorySampler(process.pid);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 400));
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${String(e).slice(0, 400)}`));
  await page.addInitScript(PROBE);

  const tNav = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector(opt.inputSelector, { state: 'attached', timeout: 60_000 });
  if (opt.target === 'imgly') await page.waitForFunction(() => window.__imglyBench?.ready === true, null, { timeout: 60_000 });
  const pageInfo = await page.evaluate(() => ({
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
  }));
  console.log(`# ${opt.target} ${url} in Chromium ${version}; crossOriginIsolated=${pageInfo.crossOriginIsolated}, hardwareConcurrency=${pageInfo.hardwareConcurrency}, page load ${Date.now() - tNav} ms`);

  async function runOne(image) {
    const prev = await page.evaluate(() => ({ links: Object.keys(window.__benchProbe.links), changes: window.__benchProbe.changes.length }));
    const handle = await page.$(opt.inputSelector);
    const c0 = readCpuTotals(), tr0 = sampler.treeCpu(), s0 = process.cpuUsage();
    // Chromium fires no change event when the same file is chosen again, so empty the input first
    // (that change event has no files; the probe ignores it).
    await handle.setInputFiles([]);
    await handle.setInputFiles(image);
    const res = await page.waitForFunction(
      ({ prevLinks, prevChanges, errorSelector }) => {
        const p = window.__benchProbe;
        if (p.changes.length <= prevChanges) return false;
        const href = Object.keys(p.links).find((h) => !prevLinks.includes(h));
        if (href) return { href, t1: p.links[href].t, t0: p.changes[prevChanges].t };
        const err = document.querySelector(errorSelector);
        if (err) return { error: (err.getAttribute('data-error') || err.textContent || 'error').trim().slice(0, 500) };
        return false;
      },
      { prevLinks: prev.links, prevChanges: prev.changes, errorSelector: opt.errorSelector },
      { timeout: opt.timeoutS * 1000, polling: 50 },
    );
    const r = await res.jsonValue();
    const c1 = readCpuTotals(), tr1 = sampler.treeCpu(), s1 = process.cpuUsage(s0);
    const rec = { image: path.basename(image) };
    // Cores used by other processes while this image ran (machine busy − browser − this driver).
    const wallJ = (c1.total - c0.total) / os.cpus().length;
    rec.otherCores = round(Math.max(0, c1.busy - c0.busy - (tr1 - tr0) - ((s1.user + s1.system) / 1e6) * CLK_TCK) / wallJ, 2);
    if (r.error) {
      rec.error = r.error;
      return rec;
    }
    rec.ms = round(r.t1 - r.t0, 1);
    // Untimed from here on: fetch the PNG, page-side details.
    // Read the PNG as a user would get it: download the blob URL (a detached <a download> clicked in the page).
    // fetch(blob:) would be blocked by a page CSP with connect-src 'self', as Cutout's is.
    const [dl] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.evaluate((href) => {
        const a = document.createElement('a');
        a.href = href;
        a.download = 'bench.png';
        a.click();
      }, r.href),
    ]);
    const buf = fs.readFileSync(await dl.path());
    await dl.delete();
    rec.pngBytes = buf.length;
    if (opt.target === 'imgly') {
      const last = await page.evaluate(() => window.__imglyBench.results.at(-1));
      rec.pageMs = round(last?.ms, 1);
      rec.type = last?.type;
    } else {
      rec.panel = await page.evaluate(() => {
        const o = {};
        for (const el of document.querySelectorAll('[data-timing]')) o[el.getAttribute('data-timing')] = el.textContent.trim();
        return o;
      });
    }
    const truth = truthFor(image);
    try {
      const pred = decodePngAlpha(buf, PNG);
      rec.size = `${pred.width}x${pred.height}`;
      if (truth) Object.assign(rec, compareAlpha(pred, decodeTruth(truth, PNG)));
    } catch (e) {
      rec.qualityError = `not a decodable PNG: ${e.message}`;
    }
    return rec;
  }

  // Warm-up (untimed in the summary; includes model download and session creation).
  const warm = [];
  for (let i = 0; i < opt.warmup; i++) {
    const r = await runOne(opt.warmupImage);
    warm.push(r);
    console.log(`warm-up ${r.image}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms (first run: model download + session + 1 image)`}`);
    if (r.error) break;
  }

  const cpu0 = readCpuTotals();
  const tree0 = sampler.treeCpu();
  const self0 = process.cpuUsage();
  const runs = [];
  if (!warm.some((w) => w.error)) {
    for (const image of opt.images) {
      const r = await runOne(image);
      runs.push(r);
      const q = r.iou != null ? ` IoU ${r.iou.toFixed(4)} MAE ${r.mae.toFixed(4)}` : '';
      const extra = r.pageMs != null ? ` (page ${r.pageMs} ms)` : r.panel && Object.keys(r.panel).length ? ` panel ${JSON.stringify(r.panel)}` : '';
      console.log(`${r.image} ${r.size ?? ''}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms${extra}${q}`} [other processes: ${r.otherCores} cores]`);
    }
  }
  const cpu1 = readCpuTotals();
  const tree1 = sampler.treeCpu();
  const self1 = process.cpuUsage(self0);

  // Threads in the renderer: web workers show up as "DedicatedWorker" threads.
  const renderers = sampler.renderers();
  const rendererThreads = renderers.map((p) => {
    const names = threadNames(p);
    const workers = Object.entries(names).filter(([n]) => n.startsWith('DedicatedWorker')).reduce((s, [, c]) => s + c, 0);
    return { pid: p, ...procMem(p), workers, names };
  });
  if (process.env.CUTOUT_BENCH_DEBUG) console.log('# renderer threads', JSON.stringify(rendererThreads));
  let pageSide = null;
  if (opt.target === 'imgly') pageSide = await page.evaluate(() => ({ model: window.__imglyBench.model, modelFromDefault: window.__imglyBench.modelFromDefault, ort: window.__imglyBench.ort }));
  else pageSide = await page.evaluate(() => ({ engine: document.querySelector('#engine')?.textContent?.trim() ?? null }));
  sampler.stop();
  await browser.close();
  if (server) server.close();

  const ok = runs.filter((r) => !r.error);
  const ms = ok.map((r) => r.ms);
  const elapsedJ = cpu1.total - cpu0.total;
  const busyJ = cpu1.busy - cpu0.busy;
  const treeJ = tree1 - tree0;
  const selfJ = ((self1.user + self1.system) / 1e6) * CLK_TCK;
  const wall = elapsedJ / CLK_TCK / os.cpus().length;
  const during = {
    wallS: round(wall, 1),
    machineBusyPct: round((busyJ / elapsedJ) * 100, 1),
    browserCores: round(treeJ / CLK_TCK / wall, 2),
    otherCores: round(Math.max(0, busyJ - treeJ - selfJ) / CLK_TCK / wall, 2),
  };
  const withQ = ok.filter((r) => r.iou != null);
  // Images during which other processes used at most 0.1 core: the numbers to trust on a shared machine.
  const clean = ok.filter((r) => r.otherCores <= 0.1).map((r) => r.ms);
  const summary = {
    tool: opt.target === 'imgly' ? 'imgly-browser' : 'cutout-browser',
    version: opt.target === 'imgly' ? '1.4.5' : null,
    url,
    model: opt.target === 'imgly' ? pageSide.model : new URL(url).searchParams.get('model'),
    modelFromDefault: opt.target === 'imgly' ? pageSide.modelFromDefault : undefined,
    chromium: version,
    crossOriginIsolated: pageInfo.crossOriginIsolated,
    hardwareConcurrency: pageInfo.hardwareConcurrency,
    ort: pageSide.ort ?? undefined,
    engine: pageSide.engine ?? undefined,
    rendererWorkerThreads: rendererThreads.map((r) => r.workers),
    warmup_ms: warm.map((w) => w.ms ?? null),
    images: ok.length,
    errors: runs.filter((r) => r.error).length,
    median_ms: round(median(ms), 1),
    mean_ms: round(mean(ms), 1),
    min_ms: ms.length ? Math.min(...ms) : null,
    max_ms: ms.length ? Math.max(...ms) : null,
    per_image_ms: Object.fromEntries(ok.map((r) => [r.image, r.ms])),
    per_image_other_cores: Object.fromEntries(ok.map((r) => [r.image, r.otherCores])),
    clean_images: clean.length,
    clean_median_ms: round(median(clean), 1),
    clean_mean_ms: round(mean(clean), 1),
    mean_iou: withQ.length ? round(mean(withQ.map((r) => r.iou)), 4) : null,
    mean_mae: withQ.length ? round(mean(withQ.map((r) => r.mae)), 4) : null,
    per_image_iou: Object.fromEntries(withQ.map((r) => [r.image, round(r.iou, 4)])),
    peak_renderer_rss_mib: round(sampler.peak.rendererRssMiB),
    peak_renderer_hwm_mib: round(sampler.peak.rendererHwmMiB),
    peak_browser_tree_rss_mib: round(sampler.peak.treeRssMiB),
    peak_rss_by_process_type_mib: Object.fromEntries(Object.entries(sampler.byType).map(([k, v]) => [k, round(v.peakRssMiB)])),
    machine_before: { ...before, loadavg: load },
    machine_during: during,
    console: consoleLines.slice(0, 20),
  };
  console.log(
    `# ${summary.tool} model=${summary.model}: median ${summary.median_ms} ms, mean ${summary.mean_ms} ms over ${ok.length} images` +
      ` (warm-up ${summary.warmup_ms.join(', ')} ms); on a quiet machine (others ≤ 0.1 core): median ${summary.clean_median_ms} ms,` +
      ` mean ${summary.clean_mean_ms} ms over ${clean.length} images; IoU ${summary.mean_iou} MAE ${summary.mean_mae};` +
      ` peak renderer ${summary.peak_renderer_hwm_mib} MiB (VmHWM); machine busy ${during.machineBusyPct}% during` +
      ` (browser ${during.browserCores} cores, others ${during.otherCores} cores)`,
  );
  const line = JSON.stringify(summary);
  console.log(line);
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify({ summary, runs, warmup: warm }, null, 2) + '\n');
  if (runs.some((r) => r.error) || warm.some((w) => w.error)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
