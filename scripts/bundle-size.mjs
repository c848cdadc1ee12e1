// Prints every asset of the release build, raw and gzip, and fails when the
// first load (everything the page fetches) is over the budget.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_GZIP = 200 * 1024;
const dist = process.argv[2] ?? "dist";

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// robots.txt is never fetched by the page itself.
const assets = files(dist).filter((path) => !path.endsWith("robots.txt"));
let raw = 0;
let gzip = 0;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
console.log(`${"asset".padEnd(48)}${"raw".padStart(10)}${"gzip".padStart(10)}`);
for (const path of assets.sort()) {
  const bytes = readFileSync(path);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(`${relative(dist, path).padEnd(48)}${kb(bytes.length)}${kb(zipped)}`);
}
console.log(`${"first load, all assets".padEnd(48)}${kb(raw)}${kb(gzip)}`);
console.log(`budget: ${kb(BUDGET_GZIP).trim()} gzip`);
if (gzip > BUDGET_GZIP) {
  console.error(`The first load is ${kb(gzip - BUDGET_GZIP).trim()} over the gzip budget.`);
  process.exit(1);
}
