// The sync benchmark: a device holding the generated data set (10,000
// contacts, each a lead, 4,000 opportunities, with their timelines) syncs
// for the first time to a local pouchdb-server; a second, empty device then
// syncs it all down; then a contact added on the first device is timed
// until the second device shows it (live, nothing pressed). Run it through
// scripts/bench.sh (BENCH_SYNC_ONLY=1 for this part alone), which builds
// what it needs.
//
//   node bench/sync.mjs <dist> <seed.txt>

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "@playwright/test";
import { serveFile } from "../scripts/static-files.mjs";
import { Couch, PASSWORD, USER } from "../tests/e2e/couch.mjs";

const [distArg = "dist", seedArg] = process.argv.slice(2);
if (!seedArg) {
  console.error("usage: node bench/sync.mjs <dist> <seed.txt>");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const KEY = "leadline.pipeline";
const ROUNDS = Number(process.env.BENCH_SYNC_ROUNDS ?? 5);
const dist = resolve(distArg);
const seed = readFileSync(seedArg, "utf8");

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname.startsWith("/leadline/")) {
    const rel = decodeURIComponent(url.pathname.slice("/leadline/".length)) || "index.html";
    if (await serveFile(req, res, dist, rel)) return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const APP = `${origin}/leadline/`;
const couch = await Couch.start(Number(process.env.BENCH_COUCH_PORT ?? 5988), origin, ["leadline"]);
// A failure ends the run; the server goes with it.
process.on("exit", () => couch.stop());

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

async function device() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

const syncState = (page) => page.getByRole("banner").getByRole("status", { name: "Sync" });

async function connect(page) {
  await page.goto(`${APP}#/settings`);
  const sync = page.getByRole("region", { name: "Sync" });
  await sync.getByLabel("Server address").fill(couch.url);
  await sync.getByLabel("Database").fill("leadline");
  await sync.getByLabel("User name").fill(USER);
  await sync.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await sync.getByLabel("Remember the password on this device").check();
  const start = Date.now();
  await sync.getByRole("button", { name: "Sync now" }).click();
  await syncState(page).getByText("Synced just now").waitFor({ timeout: 600_000 });
  return (Date.now() - start) / 1000;
}

const a = await device();
await a.goto(`${APP}#/settings`);
await a.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
await a.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, seed]);
await a.reload();
await a.getByRole("heading", { level: 1, name: "Settings" }).waitFor();

const push = await connect(a);
const info = await couch.call("GET", "/leadline");
console.log(`first sync up (10,000 contacts, 4,000 opportunities): ${push.toFixed(1)} s, ${info.doc_count.toLocaleString("en-US")} documents on the server`);

const b = await device();
const pull = await connect(b);
console.log(`first sync down to an empty device: ${pull.toFixed(1)} s`);

// One change, live: a contact added on A, until B's Contacts list shows it.
await b.goto(`${APP}#/contacts`);
await a.goto(`${APP}#/contacts`);
const times = [];
for (let i = 0; i < ROUNDS; i++) {
  const name = `Live change ${i}`;
  await b.getByRole("searchbox", { name: "Search" }).fill(name);
  await a.getByRole("button", { name: "New contact" }).click();
  const form = a.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  const start = Date.now();
  await form.getByRole("button", { name: "Save" }).click();
  await b.getByRole("link", { name, exact: true }).waitFor({ timeout: 60_000 });
  times.push((Date.now() - start) / 1000);
  await a.goto(`${APP}#/contacts`);
}
times.sort((x, y) => x - y);
const median = times[times.length >> 1];
console.log(`one change live on the other device: median ${median.toFixed(2)} s (min ${times[0].toFixed(2)}, max ${times.at(-1).toFixed(2)}, n ${times.length})`);
console.log(`verdict: first sync up ${push <= 60 ? "MET" : "MISSED"} (target <= 60 s); one change live ${median <= 2 ? "MET" : "MISSED"} (target <= 2 s)`);

await browser.close();
couch.stop();
server.close();
