// In-browser benchmark driver: times "file selected → finished PNG" in headless Chromium.
//
//   node run.mjs --target imgly  [--model small|medium] [options] [images...]
//   node run.mjs --target cutout [--url http://127.0.0.1:8080/?model=isnet-uint8] [options] [images...]
//   node run.mjs --target cutout --url U --versus imgly [--versus-model small|medium] [--rounds N] [options] [images...]
//
// The third form (paired mode) runs both pages in one browser, each image on one page then the other
// (ABBA order), and reports per-pair time ratios; see README.md.
// Both targets are measured the same way, by a script injected before the page's own code:
//   start = the `change` event of the file input (capture listener on window, so it runs before the page's);
//   end   = the moment a new <a download href="blob:…"> appears in the DOM (MutationObserver).
// The PNG behind that link is then read (untimed), decoded with pngjs and its alpha channel compared
// with testdata/composites/alpha/<name>.png (IoU at α ≥ 0.5, mean absolute error of α in 0..1).
// See README.md for the options and what the numbers mean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, INSTALL_DIR, requireFromInstall as require } from './chromium.mjs';
import { startServer } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');

// ---------------------------------------------------------------- arguments
// File input and error indicator of each target's page (defaults of --input-selector / --error-selector).
const SELECTORS = {
  cutout: { input: 'input[type=file][multiple]', error: 'li[data-state="failed"], #engine-error:not([hidden])' },
  imgly: { input: '#file', error: '#status[data-error]' },
};

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
    chromium: CHROMIUM_PATH,
    quietWaitS: Number(process.env.CUTOUT_BENCH_QUIET_WAIT_S || 0),
    quietPct: 15,
    versus: null,
    versusModel: null,
    rounds: null,
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
      case '--versus': o.versus = next(); break;
      case '--versus-model': o.versusModel = next(); break;
      case '--rounds': o.rounds = Number(next()); break;
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
  if (o.versus != null) {
    if (o.versus !== 'imgly') throw new Error(`--versus must be imgly`);
    if (o.target !== 'cutout') throw new Error(`--versus imgly needs --target cutout (page A = Cutout, page B = imgly)`);
    if (o.versusModel != null && !['small', 'medium'].includes(o.versusModel)) throw new Error(`--versus-model must be small or medium`);
    o.rounds ??= 1;
    if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error(`--rounds must be a whole number >= 1`);
  } else {
    if (o.versusModel != null) throw new Error(`--versus-model needs --versus imgly`);
    if (o.rounds != null) throw new Error(`--rounds needs --versus imgly`);
  }
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
    o.inputSelector ??= SELECTORS.cutout.input;
    o.errorSelector ??= SELECTORS.cutout.error;
  } else {
    o.inputSelector ??= SELECTORS.imgly.input;
    o.errorSelector ??= SELECTORS.imgly.error;
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
const geomean = (xs) => (xs.length ? Math.exp(mean(xs.map((x) => Math.log(x)))) : null);

/** Serves the imgly page + the data package on `port` (0 = a free one); returns the server. */
async function startImglyServer(port) {
  const site = path.join(INSTALL_DIR, 'site');
  const data = path.join(INSTALL_DIR, 'node_modules/@imgly/background-removal-data/dist');
  if (!fs.existsSync(path.join(site, 'imgly/main.js')) || !fs.existsSync(path.join(data, 'resources.json'))) {
    throw new Error(`imgly page or data missing under ${INSTALL_DIR}: run bench/browser/setup.sh`);
  }
  return startServer({ port, mounts: [['/', site], ['/imgly-data/', data]] });
}

const imglyUrl = (server, model) => `http://127.0.0.1:${server.address().port}/imgly/${model ? `?model=${encodeURIComponent(model)}` : ''}`;

/** Opens `cfg.url` in a fresh browser context with the probe injected; waits until the page can take a file. */
async function openPage(browser, cfg) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`.slice(0, 400));
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${String(e).slice(0, 400)}`));
  await page.addInitScript(PROBE);

  const tNav = Date.now();
  await page.goto(cfg.url, { waitUntil: 'load' });
  await page.waitForSelector(cfg.inputSelector, { state: 'attached', timeout: 60_000 });
  if (cfg.target === 'imgly') await page.waitForFunction(() => window.__imglyBench?.ready === true, null, { timeout: 60_000 });
  const pageInfo = await page.evaluate(() => ({
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    visibilityState: document.visibilityState,
  }));
  return { context, page, consoleLines, pageInfo, loadMs: Date.now() - tNav };
}

/** Details the page reports about itself after the runs (imgly: model + ORT settings; cutout: engine line). */
async function pageSideInfo(page, target) {
  if (target === 'imgly') return page.evaluate(() => ({ model: window.__imglyBench.model, modelFromDefault: window.__imglyBench.modelFromDefault, ort: window.__imglyBench.ort }));
  return page.evaluate(() => ({ engine: document.querySelector('#engine')?.textContent?.trim() ?? null }));
}

/**
 * One image on one page: sets the file, waits for the new download link (or an error), then (untimed)
 * downloads the PNG and compares its alpha with the true matte.
 * cfg = { target, inputSelector, errorSelector, timeoutS }; env = { sampler, PNG }.
 */
async function runOne(page, cfg, image, env) {
  const { sampler, PNG } = env;
  const prev = await page.evaluate(() => ({ links: Object.keys(window.__benchProbe.links), changes: window.__benchProbe.changes.length }));
  const handle = await page.$(cfg.inputSelector);
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
    { prevLinks: prev.links, prevChanges: prev.changes, errorSelector: cfg.errorSelector },
    { timeout: cfg.timeoutS * 1000, polling: 50 },
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
  if (cfg.target === 'imgly') {
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

/** Threads in the renderers: web workers show up as "DedicatedWorker" threads. */
function rendererThreadInfo(sampler) {
  return sampler.renderers().map((p) => {
    const names = threadNames(p);
    const workers = Object.entries(names).filter(([n]) => n.startsWith('DedicatedWorker')).reduce((s, [, c]) => s + c, 0);
    return { pid: p, ...procMem(p), workers, names };
  });
}

/** Machine load between two snapshots: whole machine, the browser's processes, everything else. */
function loadDuring(cpu0, cpu1, tree0, tree1, self1) {
  const elapsedJ = cpu1.total - cpu0.total;
  const busyJ = cpu1.busy - cpu0.busy;
  const treeJ = tree1 - tree0;
  const selfJ = ((self1.user + self1.system) / 1e6) * CLK_TCK;
  const wall = elapsedJ / CLK_TCK / os.cpus().length;
  return {
    wallS: round(wall, 1),
    machineBusyPct: round((busyJ / elapsedJ) * 100, 1),
    browserCores: round(treeJ / CLK_TCK / wall, 2),
    otherCores: round(Math.max(0, busyJ - treeJ - selfJ) / CLK_TCK / wall, 2),
  };
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const { chromium } = require('playwright-core');
  const { PNG } = require('pngjs');

  let server = null;
  let url = opt.url;
  if (opt.target === 'imgly' || opt.versus === 'imgly') server = await startImglyServer(opt.port);
  if (opt.target === 'imgly') url = imglyUrl(server, opt.model);

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
    args: CHROMIUM_FLAGS,
  });
  // launch() (not launchPersistentContext) gives a fresh temporary profile that playwright deletes on close.
  const version = browser.version();
  // Playwright starts Chromium as a child of this Node process: sample that subtree (minus Node itself).
  const sampler = new MemorySampler(process.pid);
  const env = { sampler, PNG };
  const machine = { before, load, version };

  if (opt.versus) {
    const imgly = { target: 'imgly', url: imglyUrl(server, opt.versusModel), inputSelector: SELECTORS.imgly.input, errorSelector: SELECTORS.imgly.error, timeoutS: opt.timeoutS };
    await mainPaired(opt, browser, env, machine, imgly);
    if (server) server.close();
    return;
  }

  const cfg = { target: opt.target, url, inputSelector: opt.inputSelector, errorSelector: opt.errorSelector, timeoutS: opt.timeoutS };
  const { page, consoleLines, pageInfo, loadMs } = await openPage(browser, cfg);
  console.log(`# ${opt.target} ${url} in Chromium ${version}; crossOriginIsolated=${pageInfo.crossOriginIsolated}, hardwareConcurrency=${pageInfo.hardwareConcurrency}, page load ${loadMs} ms`);

  // Warm-up (untimed in the summary; includes model download and session creation).
  const warm = [];
  for (let i = 0; i < opt.warmup; i++) {
    const r = await runOne(page, cfg, opt.warmupImage, env);
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
      const r = await runOne(page, cfg, image, env);
      runs.push(r);
      const q = r.iou != null ? ` IoU ${r.iou.toFixed(4)} MAE ${r.mae.toFixed(4)}` : '';
      const extra = r.pageMs != null ? ` (page ${r.pageMs} ms)` : r.panel && Object.keys(r.panel).length ? ` panel ${JSON.stringify(r.panel)}` : '';
      console.log(`${r.image} ${r.size ?? ''}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms${extra}${q}`} [other processes: ${r.otherCores} cores]`);
    }
  }
  const cpu1 = readCpuTotals();
  const tree1 = sampler.treeCpu();
  const self1 = process.cpuUsage(self0);

  const rendererThreads = rendererThreadInfo(sampler);
  if (process.env.CUTOUT_BENCH_DEBUG) console.log('# renderer threads', JSON.stringify(rendererThreads));
  const pageSide = await pageSideInfo(page, opt.target);
  sampler.stop();
  await browser.close();
  if (server) server.close();

  const ok = runs.filter((r) => !r.error);
  const ms = ok.map((r) => r.ms);
  const during = loadDuring(cpu0, cpu1, tree0, tree1, self1);
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

// ---------------------------------------------------------------- paired mode
/** Time figures over a set of complete pairs: per tool, and of the per-pair ratios A/B. */
function pairFigures(pairs, a, b) {
  const am = pairs.map((p) => p.a.ms), bm = pairs.map((p) => p.b.ms), ratios = pairs.map((p) => p.ratio);
  return {
    pairs: pairs.length,
    [`${a}_median_ms`]: round(median(am), 1),
    [`${a}_mean_ms`]: round(mean(am), 1),
    [`${b}_median_ms`]: round(median(bm), 1),
    [`${b}_mean_ms`]: round(mean(bm), 1),
    median_ratio: round(median(ratios), 4),
    geomean_ratio: round(geomean(ratios), 4),
    min_ratio: ratios.length ? round(Math.min(...ratios), 4) : null,
    max_ratio: ratios.length ? round(Math.max(...ratios), 4) : null,
    [`${a}_faster`]: ratios.filter((r) => r < 1).length,
  };
}

/** Quality over one tool's runs in the complete pairs. */
function quality(recs) {
  const withQ = recs.filter((r) => r.iou != null);
  return {
    quality_runs: withQ.length,
    mean_iou: withQ.length ? round(mean(withQ.map((r) => r.iou)), 4) : null,
    mean_mae: withQ.length ? round(mean(withQ.map((r) => r.mae)), 4) : null,
  };
}

/**
 * --target cutout --versus imgly: page A (Cutout) and page B (imgly) in two browser contexts of the one
 * browser. Each image runs on both pages, one after the other, never at the same time; the order
 * alternates per image (A B, B A, A B, …, continued across rounds) so that slow drift of the machine's
 * speed hits both equally. The figure to read is the ratio A/B per pair.
 */
async function mainPaired(opt, browser, env, machine, imglyCfg) {
  const { sampler } = env;
  const { version, before, load } = machine;
  const tools = [
    { label: 'cutout', tool: 'cutout-browser', cfg: { target: 'cutout', url: opt.url, inputSelector: opt.inputSelector, errorSelector: opt.errorSelector, timeoutS: opt.timeoutS } },
    { label: 'imgly', tool: 'imgly-browser', cfg: imglyCfg },
  ];
  const [A, B] = tools;
  for (const t of tools) {
    Object.assign(t, await openPage(browser, t.cfg));
    console.log(
      `# ${t.label} ${t.cfg.url} in Chromium ${version}; crossOriginIsolated=${t.pageInfo.crossOriginIsolated},` +
        ` hardwareConcurrency=${t.pageInfo.hardwareConcurrency}, visibility=${t.pageInfo.visibilityState}, page load ${t.loadMs} ms`,
    );
  }

  // Warm-up of each page (untimed in the summary; includes model download and session creation).
  let warmFailed = false;
  for (const t of tools) {
    t.warm = [];
    for (let i = 0; i < opt.warmup && !warmFailed; i++) {
      const r = await runOne(t.page, t.cfg, opt.warmupImage, env);
      t.warm.push(r);
      console.log(`warm-up ${t.label} ${r.image}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms${i === 0 ? ' (first run: model download + session + 1 image)' : ''}`}`);
      if (r.error) warmFailed = true;
    }
  }

  const cpu0 = readCpuTotals();
  const tree0 = sampler.treeCpu();
  const self0 = process.cpuUsage();
  const pairs = [];
  if (!warmFailed) {
    let k = 0;
    for (let rnd = 1; rnd <= opt.rounds; rnd++) {
      for (const image of opt.images) {
        const order = k++ % 2 === 0 ? [A, B] : [B, A];
        const recs = new Map();
        for (const t of order) recs.set(t, await runOne(t.page, t.cfg, image, env));
        const a = recs.get(A), b = recs.get(B);
        const p = { image: path.basename(image), round: rnd, first: order[0].label, a, b, ratio: null };
        if (!a.error && !b.error) p.ratio = a.ms / b.ms;
        pairs.push(p);
        const t = (r, l) => `${l} ${r.error ? 'ERROR ' + r.error : `${r.ms.toFixed(1)} ms`}`;
        console.log(
          `${p.image}${opt.rounds > 1 ? ` (round ${rnd})` : ''}: ${t(a, A.label)}, ${t(b, B.label)}, ` +
            `${p.ratio != null ? `ratio ${p.ratio.toFixed(3)}` : 'no ratio'} (${p.first} first)` +
            ` [other processes: ${a.otherCores}/${b.otherCores} cores]`,
        );
      }
    }
  }
  const cpu1 = readCpuTotals();
  const tree1 = sampler.treeCpu();
  const self1 = process.cpuUsage(self0);

  const rendererThreads = rendererThreadInfo(sampler);
  if (process.env.CUTOUT_BENCH_DEBUG) console.log('# renderer threads', JSON.stringify(rendererThreads));
  for (const t of tools) t.side = await pageSideInfo(t.page, t.cfg.target);
  sampler.stop();
  await browser.close();

  const during = loadDuring(cpu0, cpu1, tree0, tree1, self1);
  const complete = pairs.filter((p) => p.ratio != null);
  // Pairs in which other processes used at most 0.1 core during both runs.
  const clean = complete.filter((p) => p.a.otherCores <= 0.1 && p.b.otherCores <= 0.1);
  const toolSummary = (t, side) => {
    const recs = complete.map((p) => p[side]);
    const ms = recs.map((r) => r.ms);
    const cleanMs = clean.map((p) => p[side].ms);
    return {
      label: t.label,
      tool: t.tool,
      version: t.cfg.target === 'imgly' ? '1.4.5' : null,
      url: t.cfg.url,
      model: t.cfg.target === 'imgly' ? t.side.model : new URL(t.cfg.url).searchParams.get('model'),
      modelFromDefault: t.cfg.target === 'imgly' ? t.side.modelFromDefault : undefined,
      crossOriginIsolated: t.pageInfo.crossOriginIsolated,
      hardwareConcurrency: t.pageInfo.hardwareConcurrency,
      ort: t.side.ort ?? undefined,
      engine: t.side.engine ?? undefined,
      warmup_ms: t.warm.map((w) => w.ms ?? null),
      errors: pairs.filter((p) => p[side].error).length,
      median_ms: round(median(ms), 1),
      mean_ms: round(mean(ms), 1),
      min_ms: ms.length ? Math.min(...ms) : null,
      max_ms: ms.length ? Math.max(...ms) : null,
      clean_median_ms: round(median(cleanMs), 1),
      clean_mean_ms: round(mean(cleanMs), 1),
      ...quality(recs),
      console: t.consoleLines.slice(0, 20),
    };
  };
  const all = pairFigures(complete, 'a', 'b');
  const cleanFig = pairFigures(clean, 'a', 'b');
  const summary = {
    mode: 'paired',
    order: 'ABBA',
    ratio: `${A.label} ms / ${B.label} ms per pair (< 1: ${A.label} faster)`,
    a: toolSummary(A, 'a'),
    b: toolSummary(B, 'b'),
    chromium: version,
    rounds: opt.rounds,
    images_per_round: opt.images.length,
    pairs: complete.length,
    incomplete_pairs: pairs.length - complete.length,
    median_ratio: all.median_ratio,
    geomean_ratio: all.geomean_ratio,
    min_ratio: all.min_ratio,
    max_ratio: all.max_ratio,
    a_faster_pairs: all.a_faster,
    clean_pairs: cleanFig.pairs,
    clean_median_ratio: cleanFig.median_ratio,
    clean_geomean_ratio: cleanFig.geomean_ratio,
    clean_a_faster_pairs: cleanFig.a_faster,
    per_pair: pairs.map((p) => ({
      image: p.image,
      round: p.round,
      first: p.first,
      a_ms: p.a.ms ?? null,
      b_ms: p.b.ms ?? null,
      ratio: round(p.ratio, 4),
      a_other_cores: p.a.otherCores,
      b_other_cores: p.b.otherCores,
    })),
    // Memory: the two pages' renderers are not told apart, so only the whole browser's peak is given.
    peak_browser_tree_rss_mib_both_pages: round(sampler.peak.treeRssMiB),
    renderer_worker_threads_unattributed: rendererThreads.map((r) => r.workers),
    machine_before: { ...before, loadavg: load },
    machine_during: during,
  };
  const sa = summary.a, sb = summary.b;
  const fig = (f, n) =>
    `${A.label} median ${f.a_median_ms} ms, mean ${f.a_mean_ms} ms; ${B.label} median ${f.b_median_ms} ms, mean ${f.b_mean_ms} ms;` +
    ` ratio ${A.label}/${B.label}: median ${f.median_ratio}, geometric mean ${f.geomean_ratio}; ${A.label} faster in ${f.a_faster} of ${n} pairs`;
  console.log(
    `# paired ${A.label} (model=${sa.model}) vs ${B.label} (model=${sb.model}), ABBA order, ${opt.images.length} images × ${opt.rounds} round${opt.rounds > 1 ? 's' : ''}:` +
      ` ${complete.length} complete pairs (${pairs.length - complete.length} with an error): ${fig(all, complete.length)}`,
  );
  console.log(`# clean pairs (others ≤ 0.1 core during both runs): ${clean.length} of ${complete.length}${clean.length ? `: ${fig(cleanFig, clean.length)}` : ''}`);
  console.log(
    `# quality: ${A.label} IoU ${sa.mean_iou} MAE ${sa.mean_mae}; ${B.label} IoU ${sb.mean_iou} MAE ${sb.mean_mae};` +
      ` warm-up ${A.label} ${sa.warmup_ms.join(', ')} ms, ${B.label} ${sb.warmup_ms.join(', ')} ms;` +
      ` peak RSS of the whole browser (both pages, all processes) ${summary.peak_browser_tree_rss_mib_both_pages} MiB;` +
      ` machine busy ${during.machineBusyPct}% during (browser ${during.browserCores} cores, others ${during.otherCores} cores)`,
  );
  console.log(JSON.stringify(summary));
  if (opt.out) {
    const out = { summary, pairs, warmup: { [A.label]: A.warm, [B.label]: B.warm } };
    fs.writeFileSync(opt.out, JSON.stringify(out, null, 2) + '\n');
  }
  if (pairs.some((p) => p.a.error || p.b.error) || warmFailed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
