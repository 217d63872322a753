// Draws the app icons (a white shopping bag on teal) as PNGs, with no image library:
// run `npm run icons -w web` after changing them; the PNGs are committed under public/icons.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `scale` < 1 shrinks the drawing toward the centre (maskable icons keep it in the safe zone). */
function icon(size, scale) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const u = 0.5 + ((x + 0.5) / size - 0.5) / scale;
      const v = 0.5 + ((y + 0.5) / size - 0.5) / scale;
      const inBody = u > 0.27 && u < 0.73 && v > 0.4 && v < 0.8 && !(corner(u, v));
      const d = Math.hypot(u - 0.5, v - 0.4);
      const inHandle = v < 0.4 && d > 0.1 && d < 0.145;
      const [r, g, b] = inBody || inHandle ? WHITE : TEAL;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Rounds the bottom corners of the bag.
function corner(u, v) {
  const r = 0.05;
  const cy = 0.8 - r;
  if (v <= cy) return false;
  if (u < 0.27 + r) return Math.hypot(u - (0.27 + r), v - cy) > r;
  if (u > 0.73 - r) return Math.hypot(u - (0.73 - r), v - cy) > r;
  return false;
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('icon-192.png', out), icon(192, 1));
writeFileSync(new URL('icon-512.png', out), icon(512, 1));
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, 0.75));
console.log('icons written to public/icons');
