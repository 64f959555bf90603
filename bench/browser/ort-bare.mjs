// ONNX Runtime Web alone in a bare page: inference time, WASM heap and renderer memory for one model,
// without Cutout's (or imgly's) page around it. For telling the runtime's share from the app's.
//
//   node bench/browser/ort-bare.mjs [--models-dir ~/.cache/cutout/models] [--image c001.jpg] [--runs 4]
//        CONFIG...          CONFIG = ort:model:mode[:FLAGS], e.g. 130:isnet-uint8:parallel 117:isnet-fp16:sequential
//                           FLAGS, comma-separated: noarena (enableCpuMemArena false), nopattern (enableMemPattern false),
//                           nofold (turn off the ORT graph optimizers named in $ORT_DISABLE, `;`-separated, default
//                           ConstantFolding; FuseFp16InitializerToFp32NodeTransformer keeps fp16 weights fp16),
//                           noopt (graphOptimizationLevel 'disabled')
//        or `empty` for a page without ONNX Runtime
//
// ort 130 = the web app's onnxruntime-web (web/node_modules), 121 = the one @imgly/background-removal
// 1.7.0 uses, 117 = the one 1.4.5 ships (both from bench/browser/setup.sh's install). Each config gets
// a fresh Chromium. The image is a composite, resized to the model's input size (from the store's
// catalog.json; 1024² if it is not there) and normalised as ISNet's contract says (for memory and time
// the values do not matter); the first run includes kernel set-up. The WASM heap is read from the
// WebAssembly.Memory that ONNX Runtime creates; the renderer's VmHWM is that of this script's own
// Chromium's renderers.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISOLATION_HEADERS } from '../../config/browser.mjs';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, INSTALL_DIR, requireFromInstall } from './chromium.mjs';
import { MemorySampler } from './machine.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const { chromium } = requireFromInstall('playwright-core');

const opt = { modelsDir: path.join(os.homedir(), '.cache/cutout/models'), image: 'c001.jpg', runs: 4, configs: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--models-dir') opt.modelsDir = argv[++i];
  else if (argv[i] === '--image') opt.image = argv[++i];
  else if (argv[i] === '--runs') opt.runs = Number(argv[++i]);
  else opt.configs.push(argv[i]);
}
if (opt.configs.length === 0) opt.configs.push('empty', '130:isnet-uint8:parallel');

const roots = {
  '/ort130/': path.join(REPO, 'web/node_modules/onnxruntime-web/dist'),
  '/ort121/': path.join(INSTALL_DIR, 'node_modules/onnxruntime-web/dist'),
  '/ort117/': path.join(INSTALL_DIR, 'node_modules/@imgly/background-removal/node_modules/onnxruntime-web/dist'),
  '/models/': opt.modelsDir,
  '/images/': path.join(REPO, 'testdata/composites/images'),
};

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const q = new URLSearchParams(location.search);
if (q.get('ort') === 'empty') { window.result = {}; } else {
  const w = new Worker('/worker.js?' + q, q.get('ort') === '117' ? {} : { type: 'module' });
  w.onmessage = (e) => { window.result = e.data; };
}
</script>`;

// Classic worker for ORT 1.17 (UMD build), module worker for 1.21 and 1.30 (ESM build).
const WORKER = `
const q = new URLSearchParams(location.search);
const memories = [];
const Memory = WebAssembly.Memory;
WebAssembly.Memory = function (d) { const m = new Memory(d); memories.push(m); return m; };
WebAssembly.Memory.prototype = Memory.prototype;
const heapMiB = () => memories.reduce((n, m) => n + m.buffer.byteLength, 0) / 1048576;
const flags = (q.get('flags') ?? '').split(',');
const load = q.get('ort') === '117'
  ? (importScripts('/ort117/ort.wasm.min.js'), Promise.resolve(self.ort))
  : import('/ort' + q.get('ort') + '/ort.wasm.min.mjs');
(async () => {
  try {
    const ort = await load;
    ort.env.wasm.numThreads = navigator.hardwareConcurrency;
    ort.env.wasm.wasmPaths = '/ort' + q.get('ort') + '/';
    const bytes = new Uint8Array(await (await fetch('/models/' + q.get('model') + '.onnx')).arrayBuffer());
    let t = performance.now();
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'], graphOptimizationLevel: flags.includes('noopt') ? 'disabled' : 'all', executionMode: q.get('mode'),
      enableCpuMemArena: !flags.includes('noarena'),
      enableMemPattern: !flags.includes('nopattern'),
      ...(flags.includes('nofold')
        ? { extra: { optimization: { disable_specified_optimizers: q.get('disable') } } }
        : {}),
    });
    const createMs = performance.now() - t;
    const heapAfterCreate = heapMiB();
    const bitmap = await createImageBitmap(await (await fetch('/images/' + q.get('image'))).blob());
    const size = Number(q.get('size'));
    const canvas = new OffscreenCanvas(size, size);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0, size, size);
    const px = g.getImageData(0, 0, size, size).data;
    const n = size * size, input = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) input[c * n + i] = px[4 * i + c] / 255 - 0.5;
    const runsMs = [];
    for (let k = 0; k < Number(q.get('runs')); k++) {
      t = performance.now();
      await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, size, size]) }, [session.outputNames[0]]);
      runsMs.push(Math.round(performance.now() - t));
    }
    postMessage({ createMs: Math.round(createMs), runsMs, heapAfterCreateMiB: heapAfterCreate, heapAfterRunsMiB: heapMiB(), crossOriginIsolated: self.crossOriginIsolated });
  } catch (error) { postMessage({ error: String(error) }); }
})();
`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const headers = ISOLATION_HEADERS;
  if (url.pathname === '/') return res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
  if (url.pathname === '/worker.js') return res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(WORKER);
  const root = Object.keys(roots).find((r) => url.pathname.startsWith(r));
  const file = root && path.join(roots[root], path.basename(decodeURIComponent(url.pathname.slice(root.length))));
  fs.readFile(file ?? '/nonexistent', (err, data) => {
    if (err) return res.writeHead(404).end();
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

/** The model's square input size from the store's catalog (1024 if the model is not in it). */
function inputSize(model) {
  try {
    const catalog = JSON.parse(fs.readFileSync(path.join(opt.modelsDir, 'catalog.json'), 'utf8'));
    return catalog.models.find((m) => m.id === model)?.input.shape[3] ?? 1024;
  } catch {
    return 1024;
  }
}

for (const config of opt.configs) {
  const [ort, model = 'isnet-uint8', mode = 'parallel', flags = ''] = config === 'empty' ? ['empty'] : config.split(':');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const sampler = new MemorySampler(process.pid);
  try {
    const page = await browser.newPage();
    const size = inputSize(model);
    const query = new URLSearchParams({ ort, model, mode, flags, disable: process.env.ORT_DISABLE ?? 'ConstantFolding', size: String(size), image: opt.image, runs: String(opt.runs) });
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    const result = await (await page.waitForFunction(() => window.result, null, { timeout: 900_000, polling: 250 })).jsonValue();
    await new Promise((r) => setTimeout(r, 1000));
    const line = result.error
      ? `ERROR ${result.error}`
      : ort === 'empty'
        ? ''
        : `create ${result.createMs} ms, runs ${result.runsMs.join(' ')} ms, WASM heap ${Math.round(result.heapAfterCreateMiB)} MiB after create, ${Math.round(result.heapAfterRunsMiB)} MiB after runs,`;
    sampler.stop();
    console.log(`${config} (${opt.image}, ${size}²): ${line} renderer VmHWM ${Math.round(sampler.peak.rendererHwmMiB)} MiB`);
  } finally {
    sampler.stop();
    await browser.close();
  }
}
server.close();
