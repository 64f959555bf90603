// The resources.json that @imgly/background-removal 1.7.0 reads from its publicPath, made from what
// the npm registry has: the data package stops at 1.4.5, and 1.7.0 differs from it in three ways:
//   - model keys: 1.7.0 asks for /models/isnet_fp16 and /models/isnet_quint8, 1.4.5's data has the
//     same files as /models/medium and /models/small (1.7.0's own aliases: medium → isnet_fp16,
//     small → isnet_quint8); its fp32 /models/isnet is in no registry package, so it is left out and
//     the library says "Resource /models/isnet not found";
//   - chunks: 1.7.0 fetches chunk.name (resolved against publicPath), 1.4.5's index has chunk.hash
//     (the file name in its dist/);
//   - ONNX Runtime: 1.7.0 loads /onnxruntime-web/ort-wasm-simd-threaded{,.jsep}.{wasm,mjs} of its peer
//     onnxruntime-web 1.21.0; the data package has 1.17's .wasm only. Those four come from the
//     installed onnxruntime-web's dist/, each as one chunk.
// Chunk names are absolute paths on the driver's server (targets.mjs mounts them), so the index can
// sit in a directory of its own.
//
//   node resources-1.7.mjs DATA_DIST ORT_DIST OUT_JSON DATA_URL_PREFIX ORT_URL_PREFIX
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** 1.7.0's model key → the data package 1.4.5's key for the same file. */
export const MODEL_KEYS = { '/models/isnet_fp16': '/models/medium', '/models/isnet_quint8': '/models/small' };

/** The ONNX Runtime files 1.7.0 asks for (key → file name in onnxruntime-web/dist and its MIME type). */
export const ORT_FILES = Object.fromEntries(
  ['ort-wasm-simd-threaded', 'ort-wasm-simd-threaded.jsep'].flatMap((base) => [
    [`/onnxruntime-web/${base}.wasm`, { file: `${base}.wasm`, mime: 'application/wasm' }],
    // imported from a blob: URL, so the blob's type must be a JavaScript MIME type
    [`/onnxruntime-web/${base}.mjs`, { file: `${base}.mjs`, mime: 'text/javascript' }],
  ]),
);

/**
 * data145: the data package's resources.json (parsed); ortSizes: file name → bytes of the ORT files;
 * dataPrefix / ortPrefix: URL paths where the data package's dist/ and onnxruntime-web's dist/ are served.
 */
export function resourcesFor17(data145, ortSizes, dataPrefix, ortPrefix) {
  const out = {};
  for (const [key, from] of Object.entries(MODEL_KEYS)) {
    const e = data145[from];
    if (!e) throw new Error(`data package has no ${from} (for ${key})`);
    const chunks = e.chunks.map((c) => {
      if (!c.hash || !Array.isArray(c.offsets)) throw new Error(`${from}: chunk without hash/offsets`);
      return { name: dataPrefix + c.hash, offsets: c.offsets };
    });
    const total = chunks.reduce((s, c) => s + (c.offsets[1] - c.offsets[0]), 0);
    if (total !== e.size) throw new Error(`${from}: chunks add up to ${total} bytes, index says ${e.size}`);
    out[key] = { ...e, chunks };
  }
  for (const [key, { file, mime }] of Object.entries(ORT_FILES)) {
    const size = ortSizes[file];
    if (!Number.isInteger(size) || size <= 0) throw new Error(`onnxruntime-web has no ${file}`);
    out[key] = { mime, size, chunks: [{ name: ortPrefix + file, offsets: [0, size] }] };
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dataDist, ortDist, outJson, dataPrefix, ortPrefix] = process.argv.slice(2);
  if (!ortPrefix) {
    console.error('usage: node resources-1.7.mjs DATA_DIST ORT_DIST OUT_JSON DATA_URL_PREFIX ORT_URL_PREFIX');
    process.exit(2);
  }
  const data145 = JSON.parse(fs.readFileSync(path.join(dataDist, 'resources.json'), 'utf8'));
  for (const key of Object.values(MODEL_KEYS)) {
    for (const c of data145[key]?.chunks ?? []) {
      const f = path.join(dataDist, c.hash);
      if (fs.statSync(f).size !== c.offsets[1] - c.offsets[0]) throw new Error(`${f}: size differs from the index`);
    }
  }
  const ortSizes = Object.fromEntries(Object.values(ORT_FILES).map(({ file }) => [file, fs.statSync(path.join(ortDist, file)).size]));
  fs.mkdirSync(path.dirname(outJson), { recursive: true });
  fs.writeFileSync(outJson, JSON.stringify(resourcesFor17(data145, ortSizes, dataPrefix, ortPrefix), null, 1) + '\n');
}
