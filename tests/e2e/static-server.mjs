// A small static file server for the end-to-end tests: serves a folder under
// a sub-path on loopback only, the way GitHub Pages serves a project site.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { serveFile } from "../../scripts/static-files.mjs";

const [root = "dist", base = "/leadline/", port = "4173"] = process.argv.slice(2);
const rootDir = resolve(root);

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const rel = url.pathname.startsWith(base) ? decodeURIComponent(url.pathname.slice(base.length)) || "index.html" : null;
  if (rel === null || !(await serveFile(req, res, rootDir, rel))) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  }
});
// Port 0 picks a free port; the line below tells which.
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`serving ${rootDir} at http://127.0.0.1:${server.address().port}${base}`);
});
