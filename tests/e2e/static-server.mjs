// A small static file server for the end-to-end tests: serves a folder under
// a sub-path on loopback only, the way GitHub Pages serves a project site.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { contentTypes as types } from "../../scripts/content-types.mjs";

const [root = "dist", base = "/leadline/", port = "4173"] = process.argv.slice(2);
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
// Port 0 picks a free port; the line below tells which.
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`serving ${rootDir} at http://127.0.0.1:${server.address().port}${base}`);
});
