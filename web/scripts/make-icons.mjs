// Draws the app icons (public/icons/*): a white head-and-shoulders cut out of a green tile.
// Run once with `node scripts/make-icons.mjs`; the outputs are committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });

const GREEN = [47, 93, 80];
const WHITE = [255, 255, 255];

/** Coverage tests in unit coordinates (0..1); `inset` shrinks the figure for maskable icons. */
function figure(x, y, inset) {
  const s = 1 - 2 * inset;
  const u = (x - inset) / s;
  const v = (y - inset) / s;
  const head = (u - 0.5) ** 2 + (v - 0.38) ** 2 <= 0.16 ** 2;
  const shoulders = ((u - 0.5) / 0.3) ** 2 + ((v - 0.9) / 0.28) ** 2 <= 1 && v <= 0.84;
  return head || shoulders;
}

function tile(x, y, rounded) {
  if (!rounded) return true;
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function render(size, { rounded, inset }) {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4; // 4x4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tileCover = 0;
      let figureCover = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if (!tile(x, y, rounded)) continue;
          tileCover++;
          if (figure(x, y, inset)) figureCover++;
        }
      }
      const i = (py * size + px) * 4;
      const f = tileCover ? figureCover / tileCover : 0;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(GREEN[c] * (1 - f) + WHITE[c] * f);
      rgba[i + 3] = Math.round((255 * tileCover) / (n * n));
    }
  }
  return rgba;
}

function crc32(bytes) {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(rgba, size) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(new URL('icon-192.png', out), png(render(192, { rounded: true, inset: 0 }), 192));
writeFileSync(new URL('icon-512.png', out), png(render(512, { rounded: true, inset: 0 }), 512));
writeFileSync(
  new URL('icon-maskable-512.png', out),
  png(render(512, { rounded: false, inset: 0.1 }), 512),
);
writeFileSync(
  new URL('icon.svg', out),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect width="100" height="100" rx="18" fill="#2f5d50"/>
  <circle cx="50" cy="38" r="16" fill="#fff"/>
  <path d="M20 84 A30 28 0 0 1 80 84 Z" fill="#fff"/>
</svg>
`,
);
