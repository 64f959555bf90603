// Tiny static file server for the in-browser benchmark (Node built-ins only).
// Every response carries COOP/COEP/CORP (config/browser.json) so the page is cross-origin isolated
// (SharedArrayBuffer → WASM threads), like Cutout's own server.
//
//   node serve.mjs --port 8090 --mount /=DIR [--mount /prefix/=DIR ...]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ISOLATION_HEADERS } from '../../config/browser.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** mounts: [[urlPrefix ending in '/', directory], ...]; the longest prefix wins. */
export function startServer({ port = 0, host = '127.0.0.1', mounts, log = false }) {
  const table = mounts
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : prefix + '/', path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);

  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    const mount = table.find(([prefix]) => pathname.startsWith(prefix) || pathname + '/' === prefix);
    if (!mount) return send(404, 'not found\n');
    const [prefix, dir] = mount;
    if (pathname + '/' === prefix) return send(301, '', { Location: prefix });
    let file = path.join(dir, pathname.slice(prefix.length));
    if (file !== dir && !file.startsWith(dir + path.sep)) return send(403, 'forbidden\n');
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, '', { Location: pathname + '/' });
        file = path.join(file, 'index.html');
        try {
          st = fs.statSync(file);
        } catch (e) {
          err = e;
        }
      }
      if (err || !st.isFile()) return send(404, 'not found\n');
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        ...ISOLATION_HEADERS,
        'Content-Type': type,
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
      });
      if (log) console.error(`${req.method} ${pathname} ${st.size}`);
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  let port = 8090;
  const mounts = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') port = Number(args[++i]);
    else if (args[i] === '--mount') {
      const spec = args[++i];
      const eq = spec.indexOf('=');
      mounts.push([spec.slice(0, eq), spec.slice(eq + 1)]);
    } else if (args[i] === '--log') continue;
    else {
      console.error(`unknown argument ${args[i]}`);
      process.exit(2);
    }
  }
  const server = await startServer({ port, mounts, log: args.includes('--log') });
  const { port: actual } = server.address();
  console.log(`serving on http://127.0.0.1:${actual}/ (${mounts.map(([p, d]) => `${p} -> ${d}`).join(', ')})`);
}
