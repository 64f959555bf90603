// Smoke test of the built app in the system Chromium (never a downloaded browser): serves dist +
// models with the real server (`cutout serve`), processes a photo, checks the PNG, records
// main-thread long tasks and every request the browser makes, exercises the editor, then stops the
// server and processes another photo offline. The page's parts are found by config/browser.json.
//
//   node scripts/smoke.mjs [--models ~/.cache/cutout/models] [--dist dist] [--model isnet-uint8]
//     [--runs 3] [--switch-to isnet-fp16] [--webgpu] [--no-offline]
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { READY_PHASE, selector } from '../../config/browser.mjs';
import { launchChromium } from './chromium.mjs';
import { startCutoutServer } from './cutout-serve.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const modelsDir = option('--models', join(homedir(), '.cache/cutout/models'));
const modelId = option('--model', undefined);
const webgpu = args.includes('--webgpu');
const skipOffline = args.includes('--no-offline');
const runs = Number(option('--runs', '1'));
const switchTo = option('--switch-to', undefined);
const photos = fileURLToPath(new URL('../../testdata/photos/', import.meta.url));
const dist = option('--dist', fileURLToPath(new URL('../dist', import.meta.url)));
const TIMEOUT = webgpu ? 600_000 : 180_000;

const $ = selector;
const report = {};
const server = await startCutoutServer({ distDir: dist, modelsDir });
const { url } = server;
const { context, page, consoleLines, close } = await launchChromium({ webgpu });
// Every request the page, its workers and its service worker make. Playwright shows no Blob body
// (postData is null), so a request that is not a read counts as an upload whatever its body.
const requests = [];
context.on('request', (r) =>
  requests.push({ method: r.method(), url: r.url(), bodyBytes: r.postDataBuffer()?.length ?? 0 }),
);
// Requests that found no server: after it stops, only a fetch the service worker did not answer.
const failed = [];
context.on('requestfailed', (r) => failed.push(r.url()));
await page.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});

async function waitReady() {
  const started = Date.now();
  await page.waitForFunction(
    ({ phase, ready, error }) =>
      document.querySelector(phase)?.textContent === ready ||
      !document.querySelector(error)?.hidden,
    { phase: $('phase'), ready: READY_PHASE, error: $('engineError') },
    { timeout: TIMEOUT, polling: 250 },
  );
  const error = await page
    .locator($('engineError'))
    .evaluate((e) => (e.hidden ? '' : e.textContent));
  if (error) throw new Error(`engine failed: ${error}\n${consoleLines.join('\n')}`);
  return Date.now() - started;
}

/** Hands a photo to the page the way a person would: file picker, paste or drop. */
async function givePhoto(file, via) {
  if (via === 'input') {
    await page.setInputFiles($('fileInput'), join(photos, file));
    return;
  }
  const base64 = readFileSync(join(photos, file)).toString('base64');
  await page.evaluate(
    ({ base64, name, via }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'image/png' }));
      const event =
        via === 'paste'
          ? new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true })
          : new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
      document.body.dispatchEvent(event);
    },
    { base64, name: file, via },
  );
}

async function processPhoto(file, nth, via = 'input') {
  const before = await page.evaluate(() => performance.now());
  const started = Date.now();
  await givePhoto(file, via);
  const link = page.locator(`${$('queueItem')} ${$('itemDownload')}`).nth(nth);
  const failedMessage = page.locator(`${$('queueItem')}[data-state="failed"] ${$('itemMessage')}`);
  await Promise.race([
    link.waitFor({ timeout: TIMEOUT }),
    failedMessage
      .first()
      .waitFor({ timeout: TIMEOUT })
      .then(async () => {
        throw new Error(`failed: ${await failedMessage.first().textContent()}`);
      }),
  ]);
  const wallMs = Date.now() - started;
  // The page's CSP (connect-src 'self') forbids fetching blob: URLs, so read the real download.
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const png = readFileSync(await download.path());
  const result = {
    href: (await link.getAttribute('href')).slice(0, 5),
    download: download.suggestedFilename(),
    pngBytes: png.length,
    ...inspectPng(png),
    timings: await link.evaluate(
      (a, timings) => a.closest('li').querySelector(timings)?.textContent,
      $('itemTimings'),
    ),
  };
  const longTasks = await page.evaluate(
    (t0) => window.__longTasks.filter((t) => t.start >= t0),
    before,
  );
  return { ...result, wallMs, longTasksDuringProcessing: longTasks };
}

/** Opens the editor on the first result: erase stroke, undo/redo, crop, colour background. */
async function exerciseEditor() {
  await page
    .locator(`${$('queueItem')} ${$('itemEdit')}`)
    .first()
    .click();
  // The editor decodes the original and the result first; it is ready when export is enabled.
  await page.waitForFunction(
    ({ editor, download }) =>
      !document.querySelector(editor).hidden && !document.querySelector(download).disabled,
    { editor: $('editor'), download: $('editorDownload') },
    { timeout: TIMEOUT },
  );
  const sample = () =>
    page.evaluate((canvas) => {
      const c = document.querySelector(canvas);
      return [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data]
        .filter((_, i) => i % 4 === 3)
        .reduce((a, b) => a + b, 0);
    }, $('editorCanvas'));
  const before = await sample();
  await page.locator($('eraseTool')).check();
  const box = await page.locator($('editorCanvas')).boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 10 });
  await page.mouse.up();
  const afterStroke = await sample();
  const undoEnabledAfterStroke = await page.locator($('undo')).isEnabled();
  await page.locator($('undo')).click();
  const afterUndo = await sample();
  const redoEnabledAfterUndo = await page.locator($('redo')).isEnabled();
  await page.locator($('crop')).check();
  await page.locator($('colourBackground')).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator($('editorDownload')).click(),
  ]);
  const png = inspectPng(readFileSync(await download.path()));
  await page.locator($('crop')).uncheck();
  await page.setInputFiles($('pictureBackground'), join(photos, 'coffee.png'));
  const [withPicture] = await Promise.all([
    page.waitForEvent('download'),
    page.locator($('editorDownload')).click(),
  ]);
  const picture = inspectPng(readFileSync(await withPicture.path()));
  return {
    pictureBackground: { ...picture.ihdr, alpha: picture.alpha },
    undoEnabledAfterStroke,
    redoEnabledAfterUndo,
    alphaChangedByStroke: afterStroke < before,
    alphaRestoredByUndo: afterUndo === before,
    name: download.suggestedFilename(),
    cropped: { ...png.ihdr, alpha: png.alpha },
  };
}

/** Reads an 8-bit RGBA PNG (what the app writes) and summarises its alpha channel. */
function inspectPng(png) {
  const ihdr = {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24],
    colourType: png[25],
  };
  const chunks = [];
  const idat = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    chunks.push(type);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const { width, height } = ihdr;
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 4 ? pixels[y * stride + i - 4] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? pixels[(y - 1) * stride + i - 4] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a),
        pb = Math.abs(p - b),
        pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      pixels[y * stride + i] = (x + [0, a, b, (a + b) >> 1, paeth][type]) & 0xff;
    }
  }
  let zero = 0,
    full = 0,
    sum = 0;
  for (let i = 3; i < pixels.length; i += 4) {
    if (pixels[i] === 0) zero++;
    else if (pixels[i] === 255) full++;
    sum += pixels[i];
  }
  const n = width * height;
  return {
    ihdr,
    chunks,
    alpha: { zero: zero / n, full: full / n, partial: (n - zero - full) / n, mean: sum / n },
  };
}

/** The timings panel, name → text. */
function readPanel() {
  return page
    .locator($('timings'))
    .evaluate((dl) =>
      Object.fromEntries(
        [...dl.querySelectorAll('dd')].map((d) => [d.dataset.timing, d.textContent]),
      ),
    );
}

function check(condition, message) {
  if (!condition) {
    console.error(JSON.stringify(report, null, 2));
    console.error(consoleLines.join('\n'));
    throw new Error(`check failed: ${message}`);
  }
}

try {
  const query = modelId ? `?model=${modelId}` : '';
  const t0 = Date.now();
  await page.goto(url + '/' + query);
  report.firstVisitReadyMs = await waitReady();
  report.engine = await page.locator($('engine')).textContent();
  report.crossOriginIsolated = await page.evaluate(() => crossOriginIsolated);
  report.panel = await readPanel();
  report.first = await processPhoto('astronaut.png', 0);
  report.firstVisitTotalMs = Date.now() - t0;
  report.repeats = [];
  for (let i = 1; i < runs; i++) {
    const again = await processPhoto('astronaut.png', i, i % 2 ? 'drop' : 'paste');
    report.repeats.push(again.timings);
  }
  check(report.first.ihdr.width === 512 && report.first.ihdr.height === 512, 'PNG is 512×512');
  check(report.first.ihdr.colourType === 6 && report.first.ihdr.bitDepth === 8, 'PNG is RGBA8');
  check(report.first.download === 'astronaut.cutout.png', 'download name');
  check(report.first.href === 'blob:', 'blob: link');
  // Chromium's own encoder splits the image data over several IDATs; anything else is metadata.
  check(
    report.first.chunks.every((c) => ['IHDR', 'IDAT', 'IEND'].includes(c)),
    'no metadata chunks',
  );
  const a = report.first.alpha;
  check(
    a.zero > 0.05 && a.full > 0.05 && a.zero + a.full < 1,
    `plausible alpha ${JSON.stringify(a)}`,
  );
  check(
    report.first.longTasksDuringProcessing.every((t) => t.ms <= 50),
    'no main-thread task over 50 ms during processing',
  );
  report.uploads = requests.filter((r) => r.method !== 'GET' || r.bodyBytes > 0);
  check(report.uploads.length === 0, 'no request with a body');

  if (runs > 1) {
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.locator($('downloadZip')).click(),
    ]);
    report.zipEntries = Object.keys(unzipSync(readFileSync(await zip.path())));
    check(report.zipEntries.length === runs, 'ZIP holds every result');
  }
  if (switchTo) {
    // Picking another model recycles the worker and prepares the new model.
    await page.locator(`${$('modelChoice')}[value="${switchTo}"]`).check();
    await page
      .waitForFunction(
        ({ id, engine, phase, ready }) =>
          document.querySelector(engine)?.textContent?.includes(id) &&
          document.querySelector(phase)?.textContent !== ready,
        { id: switchTo, engine: $('engine'), phase: $('phase'), ready: READY_PHASE },
        { timeout: 30_000 },
      )
      .catch(() => undefined);
    report.switchReadyMs = await waitReady();
    report.switchedEngine = await page.locator($('engine')).textContent();
    report.switchedPanel = await readPanel();
    const n = await page.locator(`${$('queueItem')} ${$('itemDownload')}`).count();
    report.switched = await processPhoto('astronaut.png', n);
    check(report.switchedEngine.includes(switchTo), 'switched model is in use');
  }
  report.editor = await exerciseEditor();
  check(report.editor.undoEnabledAfterStroke && report.editor.redoEnabledAfterUndo, 'undo/redo');
  check(
    report.editor.alphaChangedByStroke && report.editor.alphaRestoredByUndo,
    'brush edits alpha',
  );
  check(report.editor.cropped.width < 512 || report.editor.cropped.height < 512, 'crop to subject');
  check(report.editor.cropped.alpha.full === 1, 'colour background flattens to opaque');
  check(report.editor.pictureBackground.alpha.full === 1, 'picture background flattens to opaque');
  check(report.editor.pictureBackground.width === 512, 'uncropped export keeps full size');

  if (!skipOffline) {
    // Let the service worker finish precaching, then take the server away.
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.state;
    });
    const failedBefore = failed.length;
    await server.stop();
    await page.reload();
    report.offlineReadyMs = await waitReady();
    report.offlineEngine = await page.locator($('engine')).textContent();
    report.offlinePanel = await readPanel();
    report.offline = await processPhoto('chelsea.png', 0, 'paste');
    check(report.offline.ihdr.colourType === 6, 'offline PNG is RGBA');
    check(
      report.offline.alpha.zero > 0 && report.offline.alpha.full > 0,
      'offline alpha plausible',
    );
    // Model fetches that went to the (stopped) network rather than to the service worker's cache.
    report.modelRequestsWhileOffline = failed
      .slice(failedBefore)
      .filter((u) => new URL(u).pathname.startsWith('/models/')).length;
  }
  report.loadAverage = loadavg();
  // Offline, failed network fetches are expected (the service worker falls back to its cache).
  report.consoleErrors = consoleLines.filter((l) => /^(error|pageerror)/.test(l));
  console.log(JSON.stringify(report, null, 2));
  console.log('SMOKE TEST PASSED');
} catch (error) {
  console.error(JSON.stringify(report, null, 2));
  console.error(consoleLines.join('\n'));
  throw error;
} finally {
  await close();
  await server.stop();
}
