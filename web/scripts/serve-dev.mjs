// Serves web/dist and model files with the headers the Cutout server will send, so the built app
// can be tried in Chromium before the Java server exists. No dependencies.
//
//   node scripts/serve-dev.mjs <models-dir> [--port 8080] [--dist dist]
//
// /models/<file> comes from <models-dir>; everything else from dist (index.html for "/").
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.onnx': 'application/octet-stream',
};

/** The policy the Java server is expected to send (see web/README.md). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

/** Resolves `urlPath` inside `root`, or undefined if it escapes or is not a file. */
function fileIn(root, urlPath) {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the server; resolves to { server, url, requests } where `requests` records
 * { method, path, bodyBytes } for every request (tests use it to prove nothing is uploaded).
 */
export function startDevServer({ distDir, modelsDir, port = 8080, host = '127.0.0.1' }) {
  const dist = resolve(distDir);
  const models = resolve(modelsDir);
  const requests = [];
  const server = createServer((req, res) => {
    const record = { method: req.method, path: req.url, bodyBytes: 0 };
    requests.push(record);
    req.on('data', (chunk) => (record.bodyBytes += chunk.length));
    req.on('end', () => respond(req, res));
    req.resume();
  });

  function respond(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    const path = url.pathname.startsWith('/models/')
      ? fileIn(models, url.pathname.slice('/models/'.length))
      : fileIn(dist, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!path) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('not found');
      return;
    }
    const hashed = url.pathname.startsWith('/assets/') || url.pathname.startsWith('/ort/');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': statSync(path).size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePromise({ server, url: `http://${host}:${address.port}`, requests });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : fallback;
  };
  const port = Number(option('--port', '8080'));
  const distDir = option('--dist', fileURLToPath(new URL('../dist', import.meta.url)));
  const modelsDir = args[0];
  if (!modelsDir) {
    console.error('usage: node scripts/serve-dev.mjs <models-dir> [--port 8080] [--dist dist]');
    process.exit(2);
  }
  const { url } = await startDevServer({ distDir, modelsDir, port });
  console.log(`Cutout dev server on ${url} (dist: ${distDir}, models: ${modelsDir})`);
}
