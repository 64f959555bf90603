// The driver's pure parts, checked without a browser or the bench install:
//   node --test bench/browser/
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';
import { loadBetween } from './machine.mjs';
import { compareAlpha, score, truthFor } from './quality.mjs';
import { geomean, mean, median, round } from './stats.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const alpha = (values) => ({ width: values.length, height: 1, alpha: Uint8Array.from(values) });

test('IoU counts alpha at or above 128 as subject; MAE is in 0..1', () => {
  const { iou, mae } = compareAlpha(alpha([0, 128, 255, 127]), alpha([0, 255, 255, 255]));
  assert.equal(iou, 2 / 3);
  assert.equal(mae, (0 + 127 + 0 + 128) / 4 / 255);
  assert.deepEqual(compareAlpha(alpha([0, 0]), alpha([0, 0])), { iou: 1, mae: 0 });
  assert.match(compareAlpha(alpha([0]), alpha([0, 0])).error, /size 1x1 != truth 2x1/);
});

test('a composite is scored against its true matte; an undecodable PNG says so', () => {
  const image = path.join(REPO, 'testdata/composites/images/c000.jpg');
  assert.equal(truthFor(image), path.join(REPO, 'testdata/composites/alpha/c000.png'));
  // pngjs stands in: RGBA for the result, grey expanded to RGBA for the matte
  const PNG = {
    sync: {
      read: (buf) =>
        Buffer.isBuffer(buf) && buf.toString() === 'result'
          ? { width: 2, height: 1, data: Uint8Array.of(9, 9, 9, 255, 9, 9, 9, 0) }
          : { width: 2, height: 1, data: Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 255) },
    },
  };
  assert.deepEqual(score(Buffer.from('result'), image, PNG), { size: '2x1', iou: 1, mae: 0 });
  const broken = { sync: { read: () => { throw new Error('bad signature'); } } };
  assert.deepEqual(score(Buffer.from('x'), image, broken), { qualityError: 'not a decodable PNG: bad signature' });
});

test('summary figures', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.equal(round(geomean([1, 4]), 6), 2);
  assert.equal(round(1.23456, 2), 1.23);
});

test('load between two marks splits the machine into browser, this driver and everything else', () => {
  const mark = (total, busy, tree, userUs) => ({ cpu: { total, busy }, tree, self: { user: userUs, system: 0 } });
  // 2 s at 100 jiffies/s on every core; 300 busy: browser 200, this driver 20 (0.2 s), others 80
  const cores = os.cpus().length;
  const load = loadBetween(mark(0, 0, 0, 0), mark(200 * cores, 300, 200, 200_000));
  assert.deepEqual(load, { wallS: 2, machineBusyPct: round(30000 / (200 * cores), 1), browserCores: 1, otherCores: 0.4 });
});

test('cutout runs take the page selectors of config/browser.json; imgly keeps its own', () => {
  const cutout = parseArgs(['--target', 'cutout', '--model', 'isnet-fp16', 'a.jpg']);
  assert.equal(cutout.url, 'http://127.0.0.1:8080/?model=isnet-fp16');
  assert.equal(cutout.inputSelector, '#file-input');
  assert.equal(cutout.errorSelector, '#queue li.item[data-state="failed"], #engine-error:not([hidden])');
  const imgly = parseArgs(['--limit', '2']);
  assert.equal(imgly.target, 'imgly');
  assert.equal(imgly.inputSelector, '#file');
  assert.equal(imgly.images.length, 2);
  assert.throws(() => parseArgs(['--rounds', '2']), /--rounds needs --versus/);
  assert.throws(() => parseArgs(['--target', 'cutout', '--versus', 'cutout']), /needs --versus-url/);
  assert.throws(() => parseArgs(['--versus-url', 'http://127.0.0.1:1/']), /--versus-url needs --versus cutout/);
  const baseline = parseArgs(['--target', 'cutout', '--versus', 'cutout', '--versus-url', 'http://127.0.0.1:8102/']);
  assert.equal(baseline.versusUrl, 'http://127.0.0.1:8102/');
  assert.equal(baseline.rounds, 1);
});
