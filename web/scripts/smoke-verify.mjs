// Serves a corrupted copy of the model (one byte flipped) and checks that the page refuses it:
// a visible "model file failed verification" error, nothing cached, no result.
//
//   node scripts/smoke-verify.mjs [--models ~/.cache/cutout/models]
import {
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startDevServer } from './serve-dev.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const modelsDir = option('--models', join(homedir(), '.cache/cutout/models'));
const dist = option('--dist', fileURLToPath(new URL('../dist', import.meta.url)));
const photo = fileURLToPath(new URL('../../testdata/photos/astronaut.png', import.meta.url));

const corruptDir = mkdtempSync(join(tmpdir(), 'cutout-corrupt-'));
const file = join(corruptDir, 'isnet-uint8.onnx');
copyFileSync(join(modelsDir, 'isnet-uint8.onnx'), file);
const fd = openSync(file, 'r+');
const byte = Buffer.alloc(1);
readSync(fd, byte, 0, 1, 1_000_000);
byte[0] ^= 0xff;
writeSync(fd, byte, 0, 1, 1_000_000);
closeSync(fd);

const { server, url } = await startDevServer({ distDir: dist, modelsDir: corruptDir, port: 0 });
const { page, consoleLines, close } = await launchChromium();
try {
  await page.goto(`${url}/?model=isnet-uint8`);
  const error = page.locator('#engine-error');
  await error.waitFor({ state: 'visible', timeout: 120_000 });
  const text = await error.textContent();
  const code = await error.getAttribute('data-code');
  await page.setInputFiles('#file-input', photo);
  const failed = page.locator('.item[data-state="failed"] .message');
  await failed.waitFor({ timeout: 30_000 });
  const itemMessage = await failed.textContent();
  const done = await page.locator('.item[data-state="done"]').count();
  const cached = await page.evaluate(
    async () => (await (await caches.open('cutout-models')).keys()).length,
  );
  const result = { text, code, itemMessage, done, cached };
  console.log(JSON.stringify(result, null, 2));
  if (
    !text.startsWith('model file failed verification') ||
    code !== 'model-verification-failed' ||
    !itemMessage.startsWith('model file failed verification') ||
    done !== 0 ||
    cached !== 0
  ) {
    throw new Error('corrupted model was not refused as expected');
  }
  console.log('VERIFICATION SMOKE TEST PASSED');
} catch (e) {
  console.error(consoleLines.join('\n'));
  throw e;
} finally {
  await close();
  server.closeAllConnections();
  server.close();
  rmSync(corruptDir, { recursive: true, force: true });
}
