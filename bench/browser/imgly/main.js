// Benchmark page for @imgly/background-removal 1.4.5 (bundled by setup.sh with esbuild).
// The only setting passed to the library is publicPath (same-origin copy of
// @imgly/background-removal-data@1.4.5/dist/); `?model=small|medium` adds `model`.
// Timing: from the file input's change event to the PNG Blob returned by removeBackground().
import { removeBackground } from '@imgly/background-removal';
import * as ort from 'onnxruntime-web'; // the same module instance the library uses; read-only here

const params = new URLSearchParams(location.search);
const config = { publicPath: new URL('/imgly-data/', location.href).href };
if (params.has('model')) config.model = params.get('model');
// What the library will use when `model` is not given (ConfigSchema default in 1.4.5).
const LIBRARY_DEFAULT_MODEL = 'medium';

const bench = {
  library: '@imgly/background-removal',
  version: '1.4.5',
  model: config.model ?? LIBRARY_DEFAULT_MODEL,
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

statusEl.textContent = `ready (model ${bench.model}, crossOriginIsolated=${bench.crossOriginIsolated})`;
bench.ready = true;
