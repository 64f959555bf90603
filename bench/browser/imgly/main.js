// Benchmark page for @imgly/background-removal, bundled by setup.sh with esbuild once per version
// under test (1.7.0 and 1.4.5): esbuild maps the imports below to that version's install and defines
// IMGLY_VERSION and IMGLY_DATA (the same-origin publicPath: 1.4.5 reads
// @imgly/background-removal-data@1.4.5/dist/ as it is, 1.7.0 an index made by resources-1.7.mjs).
// The only settings passed to the library are publicPath, `?model=` as `model` and (1.7.0) `?device=`
// as `device`; everything else is the library's default.
// Timing: from the file input's change event to the PNG Blob returned by removeBackground().
import { removeBackground } from '@imgly/background-removal';
import * as ort from 'onnxruntime-web'; // the same module instance the library uses; read-only here

/* global IMGLY_VERSION, IMGLY_DATA */
const params = new URLSearchParams(location.search);
const config = { publicPath: new URL(IMGLY_DATA, location.href).href };
if (params.has('model')) config.model = params.get('model');
if (params.has('device')) config.device = params.get('device');
// What the library will use when `model` is not given (its ConfigSchema default: `medium`, which 1.7.0
// calls isnet_fp16), and 1.7.0's own names for the 1.4.5 names it still accepts.
const LIBRARY_DEFAULT_MODEL = IMGLY_VERSION === '1.4.5' ? 'medium' : 'isnet_fp16';
const ALIASES_17 = { small: 'isnet_quint8', medium: 'isnet_fp16', large: 'isnet' };
const model = config.model ?? LIBRARY_DEFAULT_MODEL;

const bench = {
  library: '@imgly/background-removal',
  version: IMGLY_VERSION,
  model: IMGLY_VERSION === '1.4.5' ? model : (ALIASES_17[model] ?? model),
  device: config.device ?? (IMGLY_VERSION === '1.4.5' ? null : 'cpu'),
  modelFromDefault: !params.has('model'),
  publicPath: config.publicPath,
  crossOriginIsolated: self.crossOriginIsolated === true,
  hardwareConcurrency: navigator.hardwareConcurrency,
  busy: false,
  results: [],
  ort: null,
};
window.__imglyBench = bench;

const statusEl = document.getElementById('status');
const list = document.getElementById('results');
const input = document.getElementById('file');

input.addEventListener('change', async () => {
  const t0 = performance.now();
  const files = [...input.files];
  bench.busy = true;
  for (const file of files) {
    const entry = { name: file.name, bytes: file.size };
    const start = file === files[0] ? t0 : performance.now();
    try {
      const blob = await removeBackground(file, config);
      entry.ms = performance.now() - start;
      entry.type = blob.type;
      entry.outBytes = blob.size;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = file.name.replace(/\.[^.]*$/, '') + '.png';
      a.textContent = `${a.download} (${Math.round(entry.ms)} ms)`;
      entry.href = a.href;
      const li = document.createElement('li');
      li.append(a);
      list.append(li);
    } catch (e) {
      entry.ms = performance.now() - start;
      entry.error = String(e && e.stack ? e.stack : e);
    }
    bench.ort = {
      version: ort.env.versions?.web ?? null,
      numThreads: ort.env.wasm.numThreads,
      simd: ort.env.wasm.simd,
      proxy: ort.env.wasm.proxy,
    };
    bench.results.push(entry);
    if (entry.error) statusEl.setAttribute('data-error', entry.error);
    else statusEl.removeAttribute('data-error');
    statusEl.textContent = entry.error ? `error: ${entry.error}` : `done: ${file.name} in ${Math.round(entry.ms)} ms`;
  }
  bench.busy = false;
});

document.title = document.querySelector('h1').textContent = `@imgly/background-removal ${IMGLY_VERSION}`;
statusEl.textContent = `ready (model ${bench.model}, crossOriginIsolated=${bench.crossOriginIsolated})`;
bench.ready = true;
