import { join } from 'node:path';
import { defineConfig } from 'vite';
import {
  aliases,
  defines,
  distDir,
  hashFiles,
  listFiles,
  ortRuntimeFiles,
  ortVersion,
  webRoot,
} from './config/common.ts';

/**
 * Second build step: bundles src/sw/sw.ts into dist/sw.js (a fixed path, so its scope is the
 * whole origin) with the app-shell file list and a version derived from the first build's output.
 */
const built = listFiles(distDir).filter(
  (f) => f !== '/sw.js' && !f.startsWith('/ort/') && f !== '/index.html',
);
const ortWasm = ortRuntimeFiles.wasm.map((f) => `/ort/${ortVersion}/${f}`);
const shellFiles = ['/', ...built, ...ortWasm];
const shellVersion = hashFiles(distDir, [...built, '/index.html', ...ortWasm]);

export default defineConfig({
  root: webRoot,
  publicDir: false,
  resolve: { alias: aliases },
  define: {
    ...defines,
    __SHELL_VERSION__: JSON.stringify(shellVersion),
    __SHELL_FILES__: JSON.stringify(shellFiles),
  },
  build: {
    target: 'es2022',
    outDir: distDir,
    emptyOutDir: false,
    copyPublicDir: false,
    rolldownOptions: {
      input: join(webRoot, 'src/sw/sw.ts'),
      output: { format: 'iife', entryFileNames: 'sw.js' },
    },
  },
});
