import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export const webRoot = resolve(import.meta.dirname, '..');
/** Build output; CUTOUT_OUT_DIR lets smoke tests build elsewhere without touching dist/. */
export const distDir = process.env['CUTOUT_OUT_DIR']
  ? resolve(process.env['CUTOUT_OUT_DIR'])
  : join(webRoot, 'dist');
export const ortDist = join(webRoot, 'node_modules/onnxruntime-web/dist');

/** The one catalog, shared with Java. CUTOUT_CATALOG may point elsewhere (smoke tests only). */
export const catalogPath = process.env['CUTOUT_CATALOG']
  ? resolve(process.env['CUTOUT_CATALOG'])
  : resolve(webRoot, '../core/src/main/resources/dev/cutout/core/catalog.json');

export const ortVersion: string = JSON.parse(
  readFileSync(join(webRoot, 'node_modules/onnxruntime-web/package.json'), 'utf8'),
).version;

/** Runtime files copied to dist/ort/<version>/: the WASM build and the WebGPU (asyncify) build. */
export const ortRuntimeFiles = {
  wasm: ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'],
  webgpu: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
} as const;

export const aliases = [
  { find: '@catalog', replacement: catalogPath },
  // The non-bundled ORT builds load their .mjs/.wasm from env.wasm.wasmPaths (our origin).
  { find: /^onnxruntime-web\/wasm$/, replacement: join(ortDist, 'ort.wasm.min.mjs') },
  { find: /^onnxruntime-web\/webgpu$/, replacement: join(ortDist, 'ort.webgpu.min.mjs') },
];

export const defines = { __ORT_VERSION__: JSON.stringify(ortVersion) };

/** Every file under dir, as URL paths relative to it ('/assets/x.js'). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push('/' + relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A short hash of the files' paths and contents: the app-shell cache version. */
export function hashFiles(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}
