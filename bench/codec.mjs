// Leadline's stored value in plain JavaScript, both ways: the envelope's
// data is each top-level field's JSON compressed in LZ4 blocks and packed 15
// bits per UTF-16 unit ("lz4-parts-u15"; the older "lz4-u15" is one block of
// the whole JSON). See src/storage/packed.rs. The benchmark's baseline page
// and its Node runner use it.

const BASE = 0x0800;
/** The most JSON one block holds (`BLOCK_BYTES` in src/storage/packed.rs). */
const BLOCK_BYTES = 512 * 1024;

/** The payload bytes packed into `text` (two length units, then 15 bits a unit). */
export function unpack(text) {
  const len = ((text.charCodeAt(0) - BASE) << 15) | (text.charCodeAt(1) - BASE);
  if (!(len >= 0) || text.length !== 2 + Math.ceil((len * 8) / 15)) {
    throw new Error("the packed data has the wrong length");
  }
  const out = new Uint8Array(len);
  let acc = 0;
  let held = 0;
  let o = 0;
  for (let i = 2; o < len; i++) {
    acc = (acc << 15) | (text.charCodeAt(i) - BASE);
    held += 15;
    while (held >= 8 && o < len) {
      held -= 8;
      out[o++] = (acc >>> held) & 0xff;
    }
    acc &= (1 << held) - 1;
  }
  return out;
}

export function adler32(bytes) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Decodes one LZ4 block into exactly `size` bytes. */
export function lz4Block(src, size) {
  const dst = new Uint8Array(size);
  let s = 0;
  let d = 0;
  while (s < src.length) {
    const token = src[s++];
    let literals = token >> 4;
    if (literals === 15) {
      let b;
      do {
        b = src[s++];
        literals += b;
      } while (b === 255);
    }
    if (literals < 32) {
      for (let i = 0; i < literals; i++) dst[d++] = src[s++];
    } else {
      dst.set(src.subarray(s, s + literals), d);
      s += literals;
      d += literals;
    }
    if (s >= src.length) break;
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    let length = token & 15;
    if (length === 15) {
      let b;
      do {
        b = src[s++];
        length += b;
      } while (b === 255);
    }
    length += 4;
    let from = d - offset;
    if (offset === 0 || from < 0 || d + length > size) throw new Error("damaged LZ4 block");
    if (offset >= length && length > 32) {
      dst.copyWithin(d, from, from + length);
      d += length;
    } else {
      // Short or overlapping (repeating the last `offset` bytes): byte by byte.
      for (let i = 0; i < length; i++) dst[d++] = dst[from++];
    }
  }
  if (d !== size) throw new Error("the LZ4 block decompresses to the wrong size");
  return dst;
}

/** The data of an "lz4-parts-u15" payload: each part's JSON read on its own. */
function decodeParts(payload) {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const text = new TextDecoder();
  let at = 0;
  const word = () => {
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const data = {};
  for (let count = word(); count > 0; count--) {
    const nameLength = word();
    const name = text.decode(payload.subarray(at, at + nameLength));
    at += nameLength;
    const size = word();
    const json = new Uint8Array(size);
    for (let done = 0; done < size; done += BLOCK_BYTES) {
      const length = word();
      const checksum = word();
      const block = payload.subarray(at, at + length);
      at += length;
      if (adler32(block) !== checksum) throw new Error("checksum mismatch");
      json.set(lz4Block(block, Math.min(BLOCK_BYTES, size - done)), done);
    }
    const value = JSON.parse(text.decode(json));
    if (name === "") return value;
    data[name] = value;
  }
  if (at !== payload.length) throw new Error("bytes after the last part");
  return data;
}

/** The pipeline object stored in the envelope text `raw`. */
export function decodeStored(raw) {
  const envelope = JSON.parse(raw);
  if (envelope.format !== "leadline") throw new Error("not a Leadline envelope");
  if (envelope.encoding === "lz4-parts-u15") return decodeParts(unpack(envelope.data));
  if (envelope.encoding !== "lz4-u15") return envelope.data;
  const payload = unpack(envelope.data);
  const view = new DataView(payload.buffer);
  const size = view.getUint32(0, true);
  const block = payload.subarray(8);
  if (adler32(block) !== view.getUint32(4, true)) throw new Error("checksum mismatch");
  const json = new TextDecoder().decode(lz4Block(block, size));
  return JSON.parse(json);
}

/** Writes `bytes` as text: two length units, then 15 bits per unit. */
export function pack(bytes) {
  const len = bytes.length;
  const units = new Uint16Array(2 + Math.ceil((len * 8) / 15));
  units[0] = BASE + (len >>> 15);
  units[1] = BASE + (len & 0x7fff);
  let acc = 0;
  let held = 0;
  let u = 2;
  for (let i = 0; i < len; i++) {
    acc = ((acc << 8) | bytes[i]) & 0x3fffff;
    held += 8;
    if (held >= 15) {
      held -= 15;
      units[u++] = BASE + ((acc >>> held) & 0x7fff);
    }
  }
  if (held > 0) units[u++] = BASE + ((acc << (15 - held)) & 0x7fff);
  let text = "";
  for (let i = 0; i < units.length; i += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(i, i + 8192));
  }
  return text;
}

/** A greedy LZ4 block compressor (one hash probe per position, 64 KiB window). */
export function lz4Compress(src) {
  const n = src.length;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  const table = new Int32Array(1 << 16).fill(-1);
  let o = 0;
  let anchor = 0;
  let s = 0;
  const read32 = (i) => src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
  // A length of 15 or more continues after the token in bytes of 255.
  const moreLength = (n) => {
    if (n < 15) return;
    let rest = n - 15;
    while (rest >= 255) {
      out[o++] = 255;
      rest -= 255;
    }
    out[o++] = rest;
  };
  const emit = (literals, matchLen, offset) => {
    const token = o++;
    let t = Math.min(literals, 15) << 4;
    moreLength(literals);
    out.set(src.subarray(anchor, anchor + literals), o);
    o += literals;
    if (matchLen > 0) {
      out[o++] = offset & 0xff;
      out[o++] = offset >> 8;
      const m = matchLen - 4;
      t |= Math.min(m, 15);
      moreLength(m);
    }
    out[token] = t;
  };
  // The format wants the last 5 bytes as literals and no match starting in
  // the last 12.
  const limit = n - 12;
  while (s < limit) {
    const seq = read32(s);
    const h = Math.imul(seq, 2654435761) >>> 16;
    const ref = table[h];
    table[h] = s;
    if (ref >= 0 && s - ref < 65536 && read32(ref) === seq) {
      let len = 4;
      const max = n - 5 - s;
      while (len < max && src[ref + len] === src[s + len]) len++;
      emit(s - anchor, len, s - ref);
      s += len;
      anchor = s;
    } else {
      s++;
    }
  }
  emit(n - anchor, 0, 0);
  return out.subarray(0, o);
}

/** The stored value for `data`, in the app's format (see src/storage/envelope.rs). */
export function encodeStored(data, revision, savedAt) {
  const text = new TextEncoder();
  const pieces = [];
  const word = (n) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, n, true);
    pieces.push(bytes);
  };
  const fields = Object.entries(data);
  word(fields.length);
  for (const [name, value] of fields) {
    const nameBytes = text.encode(name);
    word(nameBytes.length);
    pieces.push(nameBytes);
    const json = text.encode(JSON.stringify(value));
    word(json.length);
    for (let at = 0; at < json.length; at += BLOCK_BYTES) {
      const block = lz4Compress(json.subarray(at, at + BLOCK_BYTES));
      word(block.length);
      word(adler32(block));
      pieces.push(block);
    }
  }
  const payload = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    payload.set(piece, at);
    at += piece.length;
  }
  return JSON.stringify({
    format: "leadline",
    schema: 3,
    revision,
    saved_at: savedAt,
    encoding: "lz4-parts-u15",
    data: pack(payload),
  });
}
