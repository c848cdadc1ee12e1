// A small static file server for the end-to-end tests: serves a folder under
// a sub-path on loopback only, the way GitHub Pages serves a project site.
// Run as `node static-server.mjs <dir> <base> <port>`, or import `serve` to
// start (and stop) one inside a test.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
const types = {
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

/** Serves `root` under `base` on 127.0.0.1:`port` (0: any free port); resolves to the server. */
export function serve(root, base, port) {
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || "index.html";
    const path = normalize(join(rootDir, rel));
    if (!path.startsWith(rootDir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(path);
      const file = info.isDirectory() ? join(path, "index.html") : path;
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    }
  });
  return new Promise((done) => server.listen(Number(port), "127.0.0.1", () => done(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root = "dist", base = "/leadline/", port = "4173"] = process.argv.slice(2);
  serve(root, base, port).then(() => {
    console.log(`serving ${resolve(root)} at http://127.0.0.1:${port}${base}`);
  });
}
