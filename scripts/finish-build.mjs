// Last step of every trunk build (called from scripts/wasm-split/post-build.sh,
// after trunk has written index.html): usage `node finish-build.mjs <dir> <profile>`.
// Release builds get
// - a Content-Security-Policy meta tag whose script hashes match the inline
//   script trunk wrote (so no 'unsafe-inline' is needed), and
// - sw.js, the service worker that caches every file for offline use, with a
//   version that changes whenever any file does, plus the script registering it.
// Development builds (trunk serve) get neither: trunk's live-reload script is
// rewritten while serving, so no hash could match it, and an offline cache
// would keep showing old code. They get a sw.js that removes a leftover worker.
import { createHash } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Base64 sha256 of a text, as CSP source expressions want it. */
export const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The text of every inline script (a script element without src). */
export function inlineScripts(html) {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/**
 * Where sync may connect: any https server (the user's CouchDB), and a
 * server on this computer over http (development, a local CouchDB).
 */
export const SYNC_CONNECT = "https: http://localhost:* http://127.0.0.1:*";

/** The policy: only this app's own files, plus the listed inline scripts/styles. */
export function policy({ self = "'self'", scripts = [], styles = [] }) {
  return [
    `default-src ${self}`,
    `script-src ${self} 'wasm-unsafe-eval' ${scripts.map(sha256).join(" ")}`.trim(),
    `style-src ${self} ${styles.map(sha256).join(" ")}`.trim(),
    `img-src ${self} data: blob:`,
    `connect-src ${self} ${SYNC_CONNECT}`,
    `worker-src ${self}`,
    `manifest-src ${self}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Puts the policy first in <head> (replacing an earlier one), before any script. */
export function withPolicy(html, csp) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp}" />`;
  const cleaned = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  // The release page is minified (`<meta charset=utf-8>`); the dev page is not.
  const charset = /(<meta charset=["']?utf-8["']?\s*\/?>)/i;
  if (!charset.test(cleaned)) throw new Error("no <meta charset> to put the Content-Security-Policy after");
  return cleaned.replace(charset, `$1\n    ${meta}`);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The script without its comment lines and indentation: both count in the first load. */
const shipped = (name) =>
  readFileSync(join(here, "pwa", name), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"))
    .join("\n");

/**
 * Starts compiling the app's WebAssembly as its bytes arrive, while the
 * page's JavaScript modules still load: trunk's start script would only
 * begin once they all had. A classic script at the end of <head> (after the
 * preload, so both share one download) hands the compiling module to the
 * start script; where streaming compilation is missing or fails (a server
 * that does not say application/wasm), the start script gets the file (or
 * its name) and loads it as before. The chunks' loader is preloaded too: the
 * start script imports it.
 */
export function withEarlyCompile(html, names) {
  const start = html.match(/module_or_path: '(\.\/[\w.-]+_bg\.wasm)'/);
  if (!start || html.includes("window.leadlineWasm")) return html;
  const wasm = start[1];
  const early =
    `<script>window.leadlineWasm=(w=>WebAssembly.compileStreaming` +
    `?WebAssembly.compileStreaming(fetch(w)).catch(()=>fetch(w)):w)("${wasm}")</script>`;
  const loaders = names
    .filter((name) => /^__wasm_split-[\w]+\.js$/.test(name))
    .map((name) => `<link rel=modulepreload href="./${name}" crossorigin>`);
  return html
    .replace(start[0], "module_or_path: window.leadlineWasm")
    .replace("</head>", `${loaders.join("")}${early}\n  </head>`);
}

function finishRelease(dir) {
  writeFileSync(join(dir, "sw-register.js"), shipped("sw-register.js"));
  let html = readFileSync(join(dir, "index.html"), "utf8");
  const tag = '<script src="./sw-register.js" defer></script>';
  if (!html.includes(tag)) html = html.replace("</head>", `  ${tag}\n  </head>`);
  html = withEarlyCompile(html, readdirSync(dir));
  html = withPolicy(html, policy({ scripts: inlineScripts(html) }));
  writeFileSync(join(dir, "index.html"), html);

  // Every file the app may fetch, so every screen works offline.
  const cached = files(dir)
    .map((path) => relative(dir, path).split("\\").join("/"))
    .filter((name) => !name.startsWith(".") && name !== "sw.js" && name !== "robots.txt")
    .sort();
  const version = createHash("sha256");
  for (const name of cached) version.update(name).update(readFileSync(join(dir, name)));
  const sw = shipped("sw.js")
    .replace("__VERSION__", version.digest("hex").slice(0, 16))
    .replace("__FILES__", JSON.stringify(cached.map((name) => `./${name}`)));
  writeFileSync(join(dir, "sw.js"), sw);
  console.log(`finish-build: CSP set, sw.js caches ${cached.length} files`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, profile = "release"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/finish-build.mjs <staging dir> <release|debug>");
    process.exit(2);
  }
  if (profile === "release") finishRelease(dir);
  else copyFileSync(join(here, "pwa/sw-dev.js"), join(dir, "sw.js"));
}
