// One page in the browser, measured the same way whatever it is: a probe injected before the page's
// own code records when the file input changed and when a new <a download href="blob:…"> appeared.
import fs from 'node:fs';
import path from 'node:path';
import { selector } from '../../config/browser.mjs';
import { busiestRenderer, cpuMark, loadBetween } from './machine.mjs';
import { score } from './quality.mjs';
import { round } from './stats.mjs';

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

/** Opens `cfg.url` in a fresh browser context with the probe injected; waits until the page can take a file. */
export async function openPage(browser, cfg) {
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

/** Details the page reports about itself after the runs (imgly: version, model, device + ORT settings; cutout: engine line). */
export async function pageSideInfo(page, target) {
  if (target === 'imgly') {
    return page.evaluate(() => {
      const b = window.__imglyBench;
      return { version: b.version, model: b.model, modelFromDefault: b.modelFromDefault, device: b.device, ort: b.ort };
    });
  }
  return page.evaluate((engine) => ({ engine: document.querySelector(engine)?.textContent?.trim() ?? null }), selector('engine'));
}

/**
 * One image on one page: sets the file, waits for the new download link (or an error), then (untimed)
 * downloads the PNG and compares its alpha with the true matte.
 * cfg = { target, inputSelector, errorSelector, timeoutS }; env = { sampler, PNG }.
 */
export async function runOne(page, cfg, image, env) {
  const { sampler, PNG } = env;
  const prev = await page.evaluate(() => ({ links: Object.keys(window.__benchProbe.links), changes: window.__benchProbe.changes.length }));
  const handle = await page.$(cfg.inputSelector);
  const before = cpuMark(sampler);
  const rendererCpu = sampler.rendererCpu();
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
  const rec = { image: path.basename(image) };
  // Cores used by other processes while this image ran (machine busy − browser − this driver).
  rec.otherCores = loadBetween(before, cpuMark(sampler)).otherCores;
  // The renderer that did this run (the page's own process, whose memory peak is the page's).
  rec.renderer = busiestRenderer(rendererCpu, sampler.rendererCpu());
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
    // The timings panel, if the page has one (the driver does not depend on it).
    rec.panel = await page.evaluate((timings) => {
      const o = {};
      for (const el of document.querySelector(timings)?.querySelectorAll('dd') ?? []) o[el.dataset.timing] = el.textContent.trim();
      return o;
    }, selector('timings'));
  }
  return Object.assign(rec, score(buf, image, PNG));
}
