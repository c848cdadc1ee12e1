// Serving the built site the way a static host such as GitHub Pages does:
// the right Content-Type, gzip for text and wasm when the browser accepts
// it, and no long caching. The test server and the benchmark both use it.
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

export const contentTypes = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// PNG is compressed already.
const compressible = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".webmanifest", ".svg", ".txt"]);

/** Compressed bodies by path, kept while the file is unchanged. */
const gzipped = new Map();

function gzipOf(file, mtimeMs, body) {
  const hit = gzipped.get(file);
  if (hit?.mtimeMs === mtimeMs) return hit.body;
  const gz = gzipSync(body);
  gzipped.set(file, { mtimeMs, body: gz });
  return gz;
}

/**
 * Answers `req` with the file `rel` under the folder `root` (a folder gives
 * its index.html). Returns false, having sent nothing, if there is no such
 * file inside `root`.
 */
export async function serveFile(req, res, root, rel) {
  const path = normalize(join(root, rel));
  if (!path.startsWith(root)) return false;
  try {
    const info = await stat(path);
    const file = info.isDirectory() ? join(path, "index.html") : path;
    const { mtimeMs } = info.isDirectory() ? await stat(file) : info;
    let body = await readFile(file);
    const headers = {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    };
    if (compressible.has(extname(file))) {
      headers.vary = "accept-encoding";
      if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        body = gzipOf(file, mtimeMs, body);
        headers["content-encoding"] = "gzip";
      }
    }
    res.writeHead(200, headers);
    res.end(body);
    return true;
  } catch {
    return false;
  }
}
