// Starts the real Cutout server (`cutout serve` from the checkout) on a free port, serving a built
// dist/ and a model store, so the smoke test sees exactly the headers, types and caching that
// visitors get. The first run of ./cutout builds the CLI if its sources changed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CUTOUT = fileURLToPath(new URL('../../cutout', import.meta.url));
const SERVING = /^Cutout is serving on (http:\S+?)\/?$/;

/** Resolves to { url, stop } once the server prints its address; stop() waits for it to exit. */
export function startCutoutServer({ distDir, modelsDir, command = CUTOUT, timeoutMs = 600_000 }) {
  const child = spawn(
    command,
    [
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--web-dir',
      distDir,
      '--models-dir',
      modelsDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} serve printed no address within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', reject);
    exited.then((code) => reject(new Error(`${command} serve exited early (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = SERVING.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1], stop });
    });
  });
}
