// Writes the app icons in public/ (committed; run again only to change them):
// a pipeline narrowing from contact to account, three white bars on the
// accent colour of style/main.css. The bars stay inside the middle 60%, so the
// same square works as a maskable icon whatever shape the system cuts.
// Palette PNGs keep each file around a kilobyte: they count in the first load.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const BG = [0x0b, 0x5c, 0xad];
const FG = [0xff, 0xff, 0xff];
// Bars as fractions of the side: [left, top, right, bottom].
const BARS = [
  [0.22, 0.26, 0.78, 0.38],
  [0.3, 0.44, 0.7, 0.56],
  [0.38, 0.62, 0.62, 0.74],
];

function crc32(bytes) {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size) {
  const rows = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size + 1)] = 0; // no filter
    for (let x = 0; x < size; x++) {
      const [fx, fy] = [(x + 0.5) / size, (y + 0.5) / size];
      const inBar = BARS.some(([l, t, r, b]) => fx >= l && fx < r && fy >= t && fy < b);
      rows[y * (size + 1) + 1 + x] = inBar ? 1 : 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit palette
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("PLTE", Buffer.from([...BG, ...FG])),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
const rects = BARS.map(
  ([l, t, r, b]) => `<rect x="${l * 100}" y="${t * 100}" width="${((r - l) * 100).toFixed(0)}" height="${((b - t) * 100).toFixed(0)}"/>`,
).join("");
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="${hex(BG)}"/><g fill="${hex(FG)}">${rects}</g></svg>\n`;

writeFileSync("public/icon-192.png", png(192));
writeFileSync("public/icon-512.png", png(512));
writeFileSync("public/icon.svg", svg);
console.log("wrote public/icon-192.png, public/icon-512.png, public/icon.svg");
