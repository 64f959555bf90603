// The editor's undo history on a 12-megapixel photo: 100 large brush strokes on a 4000×3000
// alpha plane, as the brush paints them (soft dabs a quarter radius apart), then undo and redo
// of everything kept. Prints the history's bytes, the steps kept, and the process's memory.
//
//   node --expose-gc scripts/bench-undo.mjs [strokes] [radius]
//
// With --previous it runs the history this one replaced (a copy of the whole plane at the start
// of every stroke, and the stroke's bounding rectangle before and after, 50 steps), from git.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const WIDTH = 4000;
const HEIGHT = 3000;
const web = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const previous = args.includes('--previous');
const [strokes = 100, radius = 60] = args.filter((a) => !a.startsWith('--')).map(Number);
const gc = globalThis.gc ?? (() => {});

/** Bundles a module of the editor into a temporary ES module and imports it. */
async function load(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-undo-'));
  const file = join(dir, 'editor.mjs');
  await build({
    input: entry,
    output: { file, format: 'esm' },
    logLevel: 'silent',
    write: true,
  });
  return import(pathToFileURL(file).href);
}

function previousHistory() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-undo-prev-'));
  const source = execFileSync('git', ['show', 'd43e396:web/src/app/editor/alpha-brush.ts'], {
    cwd: web,
    encoding: 'utf8',
  }).replace("from '../../shared/rect'", `from '${join(web, 'src/shared/rect.ts')}'`);
  const entry = join(dir, 'alpha-brush.ts');
  writeFileSync(entry, source);
  return entry;
}

const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
function memory() {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss };
}
function line(label, m) {
  console.log(
    `${label.padEnd(28)} heap ${mib(m.heap).padStart(7)} MiB   array buffers ${mib(m.buffers).padStart(7)} MiB   rss ${mib(m.rss).padStart(7)} MiB`,
  );
}

/** Stroke i: a diagonal across the whole picture, each at its own height, as dab centres. */
function strokePath(i) {
  const y0 = ((i * 397) % HEIGHT) * 0.8;
  const y1 = HEIGHT - 1 - ((i * 211) % HEIGHT) * 0.8;
  const length = Math.hypot(WIDTH, y1 - y0);
  const steps = Math.ceil(length / (radius / 4));
  return Array.from({ length: steps + 1 }, (_, k) => ({
    x: (WIDTH * k) / steps,
    y: y0 + ((y1 - y0) * k) / steps,
  }));
}

const module = await load(
  previous ? previousHistory() : join(web, 'src/app/editor/alpha-brush.ts'),
);
const alpha = new Uint8ClampedArray(WIDTH * HEIGHT).fill(255);
const restoreTo = new Uint8ClampedArray(WIDTH * HEIGHT).fill(255);
const history = new module.AlphaHistory(alpha, WIDTH);
const plane = { alpha, restoreTo, width: WIDTH, height: HEIGHT };
console.log(
  `${previous ? 'previous' : 'tiled'} history: ${strokes} strokes of radius ${radius} px on ${WIDTH}×${HEIGHT}`,
);
line('plane alone', memory());

let peakBuffers = 0;
const started = performance.now();
for (let i = 0; i < strokes; i++) {
  const mode = i % 3 === 2 ? 'restore' : 'erase';
  history.beginStroke();
  let touched;
  for (const p of strokePath(i)) {
    if (previous) {
      const r = module.paintDisc(alpha, restoreTo, WIDTH, HEIGHT, p.x, p.y, radius, mode);
      touched = module.unionRect(touched, r);
    } else {
      module.paintDisc(plane, history, { x: p.x, y: p.y, radius, hardness: 0.6 }, mode);
    }
  }
  peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
  if (previous) history.endStroke(touched);
  else history.endStroke();
}
const strokeMs = (performance.now() - started) / strokes;
const after = memory();
line(`after ${strokes} strokes`, after);
const kept = previous ? history.undoStack.length : history.steps;
const bytes = previous
  ? history.undoStack.reduce((n, p) => n + p.before.length + p.after.length, 0)
  : history.bytes;
console.log(`steps kept ${kept}, history holds ${mib(bytes)} MiB`);
console.log(`array buffers at the end of a stroke, peak: ${mib(peakBuffers)} MiB`);
console.log(`per stroke (paint + record): ${strokeMs.toFixed(0)} ms`);

const undoStart = performance.now();
let undone = 0;
while (history.canUndo) {
  history.undo();
  undone++;
}
const undoMs = (performance.now() - undoStart) / Math.max(1, undone);
while (history.canRedo) history.redo();
console.log(`undo of ${undone} steps then redo of all: ${undoMs.toFixed(1)} ms per undo`);
line('after undo and redo', memory());
