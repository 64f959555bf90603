#!/usr/bin/env node
// Times @imgly/background-removal-node (the comparison peer) end to end:
// JPEG file bytes in -> PNG bytes out, one image at a time, after one
// warm-up call. The peer is resolved from an install dir outside the repo
// (see setup.sh), never from the repo itself.
//
//   node bench/imgly-node/bench.mjs [image ...]
//
// Environment:
//   CUTOUT_IMGLY_DIR     install dir holding node_modules (default /tmp/cutout-bench-imgly-node)
//   CUTOUT_IMGLY_OUT     where output PNGs go (default: a fresh mkdtemp under the OS temp dir)
//   CUTOUT_IMGLY_WARMUP  number of untimed warm-up calls (default 1)
//
// Prints one line per image, median and mean, a check of the output alpha
// channels, and finally a single JSON line starting with {"tool":"imgly-node".

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PEER = '@imgly/background-removal-node';
const PEER_VERSION = '1.4.5';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const installDir = path.resolve(process.env.CUTOUT_IMGLY_DIR || '/tmp/cutout-bench-imgly-node');
const warmups = Number.parseInt(process.env.CUTOUT_IMGLY_WARMUP ?? '1', 10);

function die(msg) {
  console.error(`bench.mjs: ${msg}`);
  process.exit(2);
}

if (!existsSync(path.join(installDir, 'node_modules', PEER, 'package.json'))) {
  die(`${PEER} not found under ${installDir}; run bench/imgly-node/setup.sh first`);
}

const requireFromInstall = createRequire(path.join(installDir, 'package.json'));
// (read manifests as files: the peer's "exports" map hides ./package.json)
const pkgOf = (name) =>
  JSON.parse(readFileSync(path.join(installDir, 'node_modules', name, 'package.json'), 'utf8'));
const peerPkg = pkgOf(PEER);
if (peerPkg.version !== PEER_VERSION) {
  die(`expected ${PEER}@${PEER_VERSION}, found ${peerPkg.version} in ${installDir}`);
}
const imgly = requireFromInstall(PEER);
const sharp = requireFromInstall('sharp');
const ortVersion = pkgOf('onnxruntime-node').version;
const sharpVersion = pkgOf('sharp').version;

// The library's default publicPath is `file://<cwd>/node_modules/<pkg>/dist/`,
// i.e. it only works when the process runs from the install dir. We point it
// at the same directory explicitly so the bench can run from anywhere; every
// other setting (model, output format/quality, ...) is left at its default.
const peerDist = path.dirname(requireFromInstall.resolve(PEER));
const config = { publicPath: pathToFileURL(peerDist).href + '/' };

// The model files ship inside the npm package (dist/resources.json + chunks).
const resources = JSON.parse(await readFile(path.join(peerDist, 'resources.json'), 'utf8'));

// ---- images ---------------------------------------------------------------
let images = process.argv.slice(2);
if (images.length === 0) {
  const dflt = path.join(repoRoot, 'testdata', 'composites', 'images');
  if (!existsSync(dflt)) die(`no images given and default dir ${dflt} is missing`);
  images = readdirSync(dflt)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
    .map((f) => path.join(dflt, f));
}
images = images.map((p) => path.resolve(p));
for (const p of images) if (!existsSync(p)) die(`image not found: ${p}`);
if (images.length === 0) die('no images');

const outDir = process.env.CUTOUT_IMGLY_OUT
  ? path.resolve(process.env.CUTOUT_IMGLY_OUT)
  : mkdtempSync(path.join(os.tmpdir(), 'cutout-bench-imgly-out-'));
if (outDir === repoRoot || outDir.startsWith(repoRoot + path.sep)) {
  die(`output dir must be outside the repo: ${outDir}`);
}
mkdirSync(outDir, { recursive: true });

function mimeOf(file) {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.png') return 'image/png';
  if (ext === '.webp') return 'image/webp';
  return 'image/jpeg';
}

// One end-to-end call: read file bytes, remove background with defaults,
// materialise the PNG bytes. (A Blob without a type is rejected by the
// library, so the input Blob carries the file's MIME type.)
async function cutout(file) {
  const bytes = await readFile(file);
  const blob = await imgly.removeBackground(new Blob([bytes], { type: mimeOf(file) }), config);
  return Buffer.from(await blob.arrayBuffer());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r1 = (x) => Math.round(x * 10) / 10;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// Whole-machine CPU use from /proc/stat (Linux), to tell how busy the shared
// machine was. Load average alone misleads here: onnxruntime's own thread
// pools push it above the core count even on an otherwise idle machine.
function cpuTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0); // idle + iowait
    return { total: f.reduce((a, b) => a + b, 0), idle };
  } catch {
    return null;
  }
}
function busyPct(a, b) {
  if (!a || !b || b.total === a.total) return null;
  return Math.round((1000 * (1 - (b.idle - a.idle) / (b.total - a.total)))) / 10;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- run ------------------------------------------------------------------
// 3 s idle sample before starting: how busy is the machine without us?
const idle0 = cpuTicks();
await sleep(3000);
const idle1 = cpuTicks();
const busyBefore = busyPct(idle0, idle1);
const loadBefore = os.loadavg();
console.log(`peer       ${PEER}@${peerPkg.version} (onnxruntime-node ${ortVersion}, sharp ${sharpVersion})`);
console.log(`install    ${installDir}`);
console.log(`node       ${process.version} on ${os.cpus().length} CPU(s), ${os.platform()}-${os.arch()}`);
console.log(`settings   library defaults (model=medium, output=image/png q=0.8); publicPath=${config.publicPath}`);
console.log(`models     ${Object.keys(resources).join(', ')} shipped in the package`);
console.log(`images     ${images.length}`);
console.log(`load avg   ${load()} (before)`);
console.log(`cpu busy   ${busyBefore ?? '?'}% of all cores in the 3 s before the run (other work)`);

const tInit = performance.now();
for (let i = 0; i < warmups; i++) await cutout(images[0]);
console.log(`warm-up    ${warmups} call(s) on ${path.basename(images[0])}: ${Math.round(performance.now() - tInit)} ms (includes model load)`);

const run0 = cpuTicks();
const own0 = process.cpuUsage();
const wall0 = performance.now();
const perImage = [];
const outputs = [];
for (const file of images) {
  const t0 = performance.now();
  const png = await cutout(file);
  const ms = performance.now() - t0;
  perImage.push(ms);
  const out = path.join(outDir, path.basename(file).replace(/\.[^.]+$/, '') + '.png');
  await writeFile(out, png);
  outputs.push(out);
  const { width, height } = await sharp(png).metadata(); // untimed
  console.log(
    `${path.basename(file).padEnd(16)} ${ms.toFixed(1).padStart(8)} ms  ${`${width}x${height}`.padStart(9)}` +
      `  ${String(png.length).padStart(8)} B  rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
}
const loadAfter = os.loadavg();
const busyDuring = busyPct(run0, cpuTicks());
const own = process.cpuUsage(own0);
const ownPct = Math.round((1000 * (own.user + own.system)) / 1000 / (performance.now() - wall0) / os.cpus().length) / 10;

const med = median(perImage);
const avg = mean(perImage);
console.log(`median     ${med.toFixed(1)} ms`);
console.log(`mean       ${avg.toFixed(1)} ms`);
console.log(`min/max    ${Math.min(...perImage).toFixed(1)} / ${Math.max(...perImage).toFixed(1)} ms`);
console.log(`load avg   ${load()} (after)`);
console.log(`cpu busy   ${busyDuring ?? '?'}% of all cores during the timed run, of which this process ${ownPct}%`);
console.log(`outputs    ${outDir}`);

// ---- sanity check of the outputs (untimed) ---------------------------------
// A plausible cutout has an alpha channel with fully transparent (0) and
// (near-)opaque pixels. Note: this peer rarely writes alpha 255 -- it turns
// the model's float mask into bytes by truncating x*255 (so ~0.999 -> 254) and
// its PNG encoder call (quality 0.8) makes sharp write an 8-bit palette PNG.
// So "opaque" here means alpha >= 250; exact 255 counts are reported too.
let alphaOk = 0;
let with255 = 0;
let fmt = null;
for (const out of outputs) {
  const meta = await sharp(out).metadata();
  fmt ??= `${meta.format}, channels=${meta.channels}, hasAlpha=${meta.hasAlpha}` +
    (meta.paletteBitDepth ? `, ${meta.paletteBitDepth}-bit palette` : '');
  const { data } = await sharp(out).ensureAlpha().extractChannel('alpha').raw().toBuffer({ resolveWithObject: true });
  let zeros = 0;
  let opaque = 0;
  let full = 0;
  let max = 0;
  for (const v of data) {
    if (v === 0) zeros++;
    if (v >= 250) opaque++;
    if (v === 255) full++;
    if (v > max) max = v;
  }
  if (full > 0) with255++;
  const ok = meta.hasAlpha && zeros > 0 && opaque > 0;
  if (ok) alphaOk++;
  const pct = (k) => ((100 * k) / data.length).toFixed(1) + '%';
  console.log(
    `${ok ? 'alpha ok' : 'ALPHA BAD'}  ${path.basename(out).padEnd(16)} 0: ${pct(zeros).padStart(6)}` +
      `  >=250: ${pct(opaque).padStart(6)}  max ${max}`,
  );
}
console.log(`alpha      ${alphaOk}/${outputs.length} outputs have alpha 0 and >=250; ${with255}/${outputs.length} contain any 255 (${fmt})`);

console.log(
  JSON.stringify({
    tool: 'imgly-node',
    version: peerPkg.version,
    model: 'medium',
    output_format: 'image/png',
    images: images.length,
    median_ms: r1(med),
    mean_ms: r1(avg),
    per_image_ms: perImage.map(r1),
    warmup_calls: warmups,
    onnxruntime_node: ortVersion,
    sharp: sharpVersion,
    node: process.version,
    cpus: os.cpus().length,
    loadavg_before: loadBefore.map((x) => +x.toFixed(2)),
    loadavg_after: loadAfter.map((x) => +x.toFixed(2)),
    cpu_busy_pct_before: busyBefore,
    cpu_busy_pct_during: busyDuring,
    cpu_own_pct_during: ownPct,
    alpha_ok: alphaOk,
    alpha_with_255: with255,
    out_dir: outDir,
  }),
);
