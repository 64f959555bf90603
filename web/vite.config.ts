import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import {
  aliases,
  defines,
  distDir,
  ortDist,
  ortRuntimeFiles,
  ortVersion,
  webRoot,
} from './config/common.ts';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Copies ORT's runtime files next to the app so they are served from our own origin. */
function copyOrtRuntime(): Plugin {
  return {
    name: 'cutout-copy-ort-runtime',
    apply: 'build',
    writeBundle() {
      const target = join(distDir, 'ort', ortVersion);
      mkdirSync(target, { recursive: true });
      for (const file of [...ortRuntimeFiles.wasm, ...ortRuntimeFiles.webgpu]) {
        copyFileSync(join(ortDist, file), join(target, file));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  resolve: { alias: aliases },
  define: defines,
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: distDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    // ORT's minified builds are ~100 kB each and load lazily in the worker.
    chunkSizeWarningLimit: 1024,
  },
  plugins: [copyOrtRuntime()],
  server: { headers: isolationHeaders, fs: { allow: [join(webRoot, '..')] } },
  preview: { headers: isolationHeaders },
});
