// The driver's pure parts, checked without a browser or the bench install:
//   node --test bench/browser/
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';
import { busiestRenderer, loadBetween, pageRenderer } from './machine.mjs';
import { resourcesFor17 } from './imgly/resources-1.7.mjs';
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
  assert.equal(imgly.imglyVersion, '1.7.0');
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

test('imgly: the version is a target option, and each version takes only its own model names', () => {
  assert.equal(parseArgs(['--model', 'isnet_quint8']).model, 'isnet_quint8');
  assert.equal(parseArgs(['--imgly-version', '1.4.5', '--model', 'small']).imglyVersion, '1.4.5');
  assert.throws(() => parseArgs(['--imgly-version', '1.4.5', '--model', 'isnet_fp16']), /--model for imgly 1\.4\.5 must be one of small, medium/);
  assert.throws(() => parseArgs(['--imgly-version', '1.6.0']), /--imgly-version must be one of 1\.7\.0, 1\.4\.5/);
  assert.throws(() => parseArgs(['--target', 'cutout', '--versus', 'imgly', '--versus-model', 'tiny']), /--versus-model for imgly 1\.7\.0/);
  assert.equal(parseArgs(['--imgly-device', 'gpu']).imglyDevice, 'gpu');
  assert.throws(() => parseArgs(['--imgly-device', 'gpu', '--imgly-version', '1.4.5']), /needs --imgly-version 1\.7\.0/);
  assert.throws(() => parseArgs(['--imgly-device', 'npu']), /cpu or gpu/);
  assert.throws(() => parseArgs(['--target', 'cutout', '--imgly-device', 'cpu']), /needs an imgly page/);
});

test("1.7.0's resources.json is made from the data package 1.4.5's chunks and onnxruntime-web 1.21's files", () => {
  const data145 = {
    '/models/small': { mime: 'application/octet-steam', size: 7, chunks: [{ hash: 'aa', offsets: [0, 4] }, { hash: 'bb', offsets: [4, 7] }] },
    '/models/medium': { mime: 'application/octet-steam', size: 3, chunks: [{ hash: 'cc', offsets: [0, 3] }] },
    '/onnxruntime-web/ort-wasm-simd-threaded.wasm': { mime: 'application/wasm', size: 1, chunks: [{ hash: 'old', offsets: [0, 1] }] },
  };
  const sizes = { 'ort-wasm-simd-threaded.wasm': 10, 'ort-wasm-simd-threaded.mjs': 2, 'ort-wasm-simd-threaded.jsep.wasm': 20, 'ort-wasm-simd-threaded.jsep.mjs': 3 };
  const r = resourcesFor17(data145, sizes, '/imgly-data/', '/ort-1.21.0/');
  assert.deepEqual(r['/models/isnet_quint8'].chunks, [{ name: '/imgly-data/aa', offsets: [0, 4] }, { name: '/imgly-data/bb', offsets: [4, 7] }]);
  assert.equal(r['/models/isnet_fp16'].size, 3);
  assert.equal(r['/models/isnet'], undefined, 'no registry package has the fp32 file');
  // ORT 1.17's wasm from the data package is not used: 1.7.0 gets 1.21's, one chunk each
  assert.deepEqual(r['/onnxruntime-web/ort-wasm-simd-threaded.wasm'], { mime: 'application/wasm', size: 10, chunks: [{ name: '/ort-1.21.0/ort-wasm-simd-threaded.wasm', offsets: [0, 10] }] });
  assert.equal(r['/onnxruntime-web/ort-wasm-simd-threaded.mjs'].mime, 'text/javascript');
  assert.throws(() => resourcesFor17({ ...data145, '/models/small': { ...data145['/models/small'], size: 8 } }, sizes, '/d/', '/o/'), /chunks add up to 7 bytes, index says 8/);
  assert.throws(() => resourcesFor17(data145, { ...sizes, 'ort-wasm-simd-threaded.mjs': undefined }, '/d/', '/o/'), /has no ort-wasm-simd-threaded\.mjs/);
});

test("a page's renderer is the one that used the most CPU during its runs; its memory peak is that process's", () => {
  const snap = (o) => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
  assert.deepEqual(busiestRenderer(snap({ 10: 100, 20: 50 }), snap({ 10: 130, 20: 140 })), { pid: 20, share: 0.75 });
  assert.equal(busiestRenderer(snap({ 10: 100 }), snap({ 10: 100 })), null);
  // a renderer that appeared during the run counts from its first sample
  assert.deepEqual(busiestRenderer(snap({ 10: 100 }), snap({ 10: 101, 30: 5 })), { pid: 10, share: 1 });
  const sampler = { peakOf: (pid) => (pid === 20 ? { hwmMiB: 512.4, peakRssMiB: 500.2 } : null) };
  const runs = [{ renderer: { pid: 20 } }, { renderer: { pid: 10 } }, { renderer: { pid: 20 } }, { error: 'x' }];
  assert.deepEqual(pageRenderer(runs, sampler), { pid: 20, runs_attributed: '2 of 4', peak_hwm_mib: 512, peak_rss_sampled_mib: 500 });
  assert.deepEqual(pageRenderer([], sampler), { pid: null, runs_attributed: '0 of 0', peak_hwm_mib: null, peak_rss_sampled_mib: null });
});
