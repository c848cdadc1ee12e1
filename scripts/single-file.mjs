// Assembles the single-file app (see scripts/single-file.sh):
// `node single-file.mjs <wasm-bindgen no-modules js> <wasm> <out.html>`.
// The wasm travels as base64 in a data block the browser never executes; a
// small script decodes it and starts the app from those bytes, so the page
// fetches nothing. Its own CSP allows exactly the inline script and style.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { sha256, SYNC_CONNECT } from "./finish-build.mjs";

const [glueFile, wasmFile, outFile] = process.argv.slice(2);
if (!outFile) {
  console.error("usage: node scripts/single-file.mjs <leadline.js> <leadline.wasm> <out.html>");
  process.exit(2);
}

const html = readFileSync("index.html", "utf8");
const css = readFileSync("style/main.css", "utf8");
const glue = readFileSync(glueFile, "utf8");
const wasm = readFileSync(wasmFile).toString("base64");
const icon = `data:image/svg+xml;base64,${readFileSync("public/icon.svg").toString("base64")}`;
const boot = `
${glue}
{
  const text = document.getElementById("leadline-wasm").textContent.trim();
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  wasm_bindgen({ module_or_path: bytes });
}
`;
// `</script` inside a script would end it early; neither the glue nor base64 has it.
if (/<\/script/i.test(glue)) throw new Error("the JavaScript glue contains </script");

const csp = [
  "default-src 'none'",
  `script-src 'wasm-unsafe-eval' ${sha256(boot)}`,
  `style-src ${sha256(css)}`,
  "img-src data: blob:",
  `connect-src ${SYNC_CONNECT}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

// The same head as the hosted app (title, description, colours), minus the
// files it would fetch.
const head = html
  .match(/<head>([\s\S]*?)<\/head>/)[1]
  .split("\n")
  .filter((line) => !/<link\b/.test(line) && line.trim() !== "")
  .join("\n");
const page = `<!DOCTYPE html>
<html lang="en">
  <head>
${head.replace(/(<meta charset="utf-8"\s*\/?>)/i, `$1\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`)}
    <link rel="icon" href="${icon}" />
    <style>${css}</style>
  </head>
  <body>
    <noscript>Leadline needs JavaScript and WebAssembly to run.</noscript>
    <script type="application/wasm-base64" id="leadline-wasm">${wasm}</script>
    <script>${boot}</script>
  </body>
</html>
`;
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, page);
console.log(`wrote ${outFile} (${(statSync(outFile).size / 1024).toFixed(0)} KB)`);
