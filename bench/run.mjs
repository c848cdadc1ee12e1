// The browser benchmark: seeds the generated data set into localStorage and
// times the release build in headless Chromium beside a plain-JavaScript
// baseline (bench/baseline.html) that reads the same stored value, then runs
// Lighthouse. Run it through scripts/bench.sh, which builds what it needs.
//
//   node bench/run.mjs <dist> <seed.txt> <facts.json>
//
// Every time is taken inside the page with performance.now(): from the input
// (or the navigation) to the moment the expected content is in the DOM,
// laid out. Figures are medians over the repetitions, with min and max.

import { createServer } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";
import { decodeStored } from "./codec.mjs";
import { serveFile } from "../scripts/static-files.mjs";

const [distArg = "dist", seedArg, factsArg] = process.argv.slice(2);
if (!seedArg || !factsArg) {
  console.error("usage: node bench/run.mjs <dist> <seed.txt> <facts.json>");
  process.exit(2);
}
const REPS = Number(process.env.BENCH_REPS ?? 7);
// A move takes a few milliseconds, so its median needs more of them than a
// cold start does to stand still from run to run.
const MOVES = 8 * REPS;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const KEY = "leadline.pipeline";
const benchDir = dirname(fileURLToPath(import.meta.url));
const dist = resolve(distArg);
const seed = readFileSync(seedArg, "utf8");
const facts = JSON.parse(readFileSync(factsArg, "utf8"));
const data = decodeStored(seed);

// ---------------------------------------------------------------- server

// The app under /leadline/ (as GitHub Pages serves it), the baseline under
// /bench/, and an empty page to seed from: one origin, one localStorage.
const mounts = [
  ["/leadline/", dist, null],
  ["/bench/", benchDir, new Set(["baseline.html", "baseline.mjs", "codec.mjs"])],
];
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/seed") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end('<!doctype html><html lang="en"><title>seed</title></html>');
    return;
  }
  for (const [base, root, only] of mounts) {
    if (!url.pathname.startsWith(base)) continue;
    const rel = decodeURIComponent(url.pathname.slice(base.length)) || "index.html";
    if ((!only || only.has(rel)) && (await serveFile(req, res, root, rel))) return;
    break;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const APP = `${origin}/leadline/`;
const BASELINE = `${origin}/bench/baseline.html`;

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

// Installed in every page before its own scripts: records when the Contacts
// list first shows its rows with Search enabled, collects the app's save
// measures, and offers `__timed(action, done)`, which runs `action` and
// resolves with the milliseconds until `done()` holds after a DOM change
// (plus the layout it forces).
const pageHelpers = () => {
  window.__usable = null;
  // Main-thread tasks over 50 ms, to find the longest while the first
  // screen comes up.
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No long-task timing in this browser: the figure is left out.
  }
  const usable = () => {
    const search = document.getElementById("contacts-search");
    return !!search && !search.disabled && document.querySelectorAll("table.record-table tbody tr").length >= 100;
  };
  const watch = new MutationObserver(() => {
    if (window.__usable === null && usable()) {
      void document.body.offsetHeight;
      window.__usable = performance.now();
      watch.disconnect();
      console.log("bench: usable");
    }
  });
  watch.observe(document, { childList: true, subtree: true, attributes: true });
  window.__saves = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === "leadline-save") window.__saves.push(e.duration);
  }).observe({ type: "measure" });
  window.__timed = (action, done) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      let settled = false;
      const finish = () => {
        if (settled || !done()) return;
        settled = true;
        observer.disconnect();
        clearTimeout(timer);
        void document.body.offsetHeight;
        resolve(performance.now() - t0);
      };
      const observer = new MutationObserver(finish);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`no expected DOM change within 30 s (${done}) at ${location.hash}: ${document.querySelector("main, body")?.innerText.slice(0, 300)}`));
      }, 30_000);
      action();
      finish();
    });
};

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** A fresh context (empty cache) whose localStorage holds the seed. */
async function seededPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.addInitScript(pageHelpers);
  await page.goto(`${origin}/seed`);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, seed]);
  return { context, page };
}

async function coldStart(url) {
  const { context, page } = await seededPage();
  // Waited for by its console line: polling with waitForFunction would put
  // Playwright's own script (about 13 ms) into the page while it starts.
  const usable = page.waitForEvent("console", { predicate: (m) => m.text() === "bench: usable", timeout: 30_000 });
  await page.goto(url);
  await usable;
  const ms = await page.evaluate(() => window.__usable);
  // The app's own measures: when its code started, and how long reading the
  // stored pipeline took (the baseline has neither).
  const [started, load] = await page.evaluate(() =>
    ["leadline-start", "leadline-load"].map((name) => performance.getEntriesByName(name)[0]),
  ).then((entries) => entries.map((e) => (e ? [e.startTime, e.duration] : null)));
  // The longest task that began before the screen was usable (0: none over 50 ms).
  const longest = await page.evaluate(() =>
    Math.max(0, ...window.__longtasks.filter((t) => t.start < window.__usable).map((t) => t.duration)),
  );
  return { context, page, ms, started: started?.[0], load: load?.[1], longest };
}

// ---------------------------------------------------------------- scenarios

// Search: type a word a key at a time, then delete it a key at a time.
const searchSteps = [];
for (const word of ["hansen", "fjord"]) {
  for (let i = 1; i <= word.length; i++) searchSteps.push(word.slice(0, i));
  for (let i = word.length - 1; i >= 0; i--) searchSteps.push(word.slice(0, i));
}
const grouped = (n) => n.toLocaleString("en-US");
function expectedList(query) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = data.contacts.filter((c) => {
    const hay = `${c.name}\n${c.organisation ?? ""}\n${c.email ?? ""}`.toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
  const total = data.contacts.length;
  return {
    // The app groups thousands as English does ("10,000 contacts").
    count: found.length === total ? `${grouped(total)} contacts` : `${grouped(found.length)} of ${grouped(total)} contacts`,
    first: found.length ? found[found.length - 1].name : "",
  };
}

/**
 * Types the search words into the field `inputId` a key at a time and times
 * each keystroke until the page shows its answer: for "list", the Contacts
 * list's count and first row; for "everything", Search everything's list
 * with the newest matching contact first (hidden when there is nothing).
 */
async function keystrokeTimes(page, rounds, inputId, answer) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of searchSteps) {
      times.push(
        await page.evaluate(
          ([inputId, answer, q, want]) => {
            const input = document.getElementById(inputId);
            const shown =
              answer === "list"
                ? () =>
                    document.querySelector(".list-count")?.textContent === want.count &&
                    document.querySelector("table.record-table tbody tr td")?.textContent === want.first
                : () => {
                    const results = document.getElementById("search-everything-results");
                    return q.trim() === "" || want.first === ""
                      ? results.hidden
                      : !results.hidden && results.querySelector(".search-option .search-name")?.textContent === want.first;
                  };
            return window.__timed(() => {
              input.value = q;
              input.dispatchEvent(new Event("input", { bubbles: true }));
            }, shown);
          },
          [inputId, answer, q, expectedList(q)],
        ),
      );
    }
  }
  return times;
}

const searchTimes = (page, rounds) => keystrokeTimes(page, rounds, "contacts-search", "list");
const everythingTimes = (page, rounds) => keystrokeTimes(page, rounds, "search-everything", "everything");

/** Moves the first card of Needs analysis to Proposal and back, `moves` times. */
async function moveTimes(page, moves, pauseMs = 0) {
  const id = await page.evaluate(() => {
    // By the chosen option's words, as a person reads it (the values are stored names).
    const select = [...document.querySelectorAll('select[id^="board-stage-"]')].find(
      (s) => s.selectedOptions[0]?.textContent === "Needs analysis",
    );
    return select?.id.slice("board-stage-".length);
  });
  if (!id) throw new Error("no card in Needs analysis");
  const times = [];
  for (let k = 0; k < moves; k++) {
    const to = k % 2 ? "Needs analysis" : "Proposal";
    times.push(
      await page.evaluate(
        ([id, to]) =>
          window.__timed(
            () => {
              const select = document.getElementById(`board-stage-${id}`);
              select.value = [...select.options].find((o) => o.textContent === to).value;
              select.dispatchEvent(new Event("change", { bubbles: true }));
            },
            () => {
              const cards = document.querySelectorAll(`li[data-card="${id}"]`);
              return cards.length === 1 && cards[0].closest(".board-column")?.querySelector("h2")?.textContent === to;
            },
          ),
        [id, to],
      ),
    );
    if (pauseMs) await page.waitForTimeout(pauseMs);
  }
  return times;
}

/**
 * Opens the Funnel screen from the Contacts list `reps` + 1 times (the first
 * fetches its code). Done when the conversion funnel's table and the
 * forecast's heading are drawn, or with `complete` when the forecast's table
 * is drawn too (it follows the first frame).
 */
async function appFunnelTimes(page, reps, complete = false) {
  const first = [];
  const warm = [];
  for (let r = 0; r <= reps; r++) {
    await page.evaluate(() => (location.hash = "#/contacts"));
    await page.waitForFunction(() => !document.querySelector("table.funnel-table") && !!document.getElementById("contacts-search"));
    (r === 0 ? first : warm).push(
      await page.evaluate((complete) => {
        const captioned = (text) =>
          [...document.querySelectorAll("table")].some((t) => t.caption?.textContent === text && t.tBodies[0]?.rows.length > 0);
        return window.__timed(
          () => (location.hash = "#/funnel"),
          () =>
            !!document.getElementById("forecast-title") &&
            [...document.querySelectorAll("table")].some((t) => t.caption?.textContent === "Conversion funnel" && t.tBodies[0]?.rows.length === 5) &&
            (!complete || captioned("Weighted forecast")),
        );
      }, complete),
    );
  }
  return { first, warm };
}

async function baselineFunnelTimes(page, reps) {
  const times = [];
  for (let r = 0; r < reps; r++) {
    await page.evaluate(() => window.baseline.clearFunnel());
    times.push(
      await page.evaluate(() =>
        window.__timed(
          () => window.baseline.renderFunnel(),
          () =>
            !!document.getElementById("forecast-title") &&
            [...document.querySelectorAll("table")].some((t) => t.caption?.textContent === "Conversion funnel" && t.tBodies[0]?.rows.length === 5),
        ),
      ),
    );
  }
  return times;
}

const storedBytes = (page) =>
  page.evaluate(() => {
    let bytes = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      bytes += 2 * (k.length + localStorage.getItem(k).length);
    }
    return bytes;
  });

/** The most UTF-16 units one more key could still take: the room left. */
const freeUnits = (page) =>
  page.evaluate(() => {
    let lo = 0;
    let hi = 16 * 1024 * 1024;
    while (hi - lo > 1024) {
      const mid = (lo + hi) >> 1;
      try {
        localStorage.setItem("bench.room", "x".repeat(mid));
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    localStorage.removeItem("bench.room");
    return lo + "bench.room".length;
  });

/**
 * Runs `work` under the browser's CPU profiler, writes the profile to `file`
 * (open it in the browser's developer tools) and prints the functions that
 * took the most time of their own. Function names show when the module keeps
 * its name section (`wasm-opt -g`).
 */
async function profiled(page, file, work) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await work();
  const { profile } = await cdp.send("Profiler.stop");
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const name = byId.get(id).callFrame.functionName || "(anonymous)";
    self.set(name, (self.get(name) ?? 0) + (gaps[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile of the work (${file}), self time in ms of ${total.toFixed(0)}:`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(`${ms.toFixed(1).padStart(8)}  ${name.slice(0, 150)}`);
  }
}

/**
 * Runs `work` under the browser's tracing, writes the trace to `file` (open
 * it in the browser's performance panel) and prints the main thread's time
 * by kind: script, style, layout, paint, and the rest.
 */
async function traced(page, file, work) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
  const done = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
  await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" });
  await work();
  await cdp.send("Tracing.end");
  await done;
  writeFileSync(file, JSON.stringify({ traceEvents: events }));
  // Complete events on the renderer's main thread, by name (time of their own
  // is not split out: nested events count in their parents too).
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const byName = new Map();
  for (const e of events) {
    if (e.ph !== "X" || !main || e.pid !== main.pid || e.tid !== main.tid) continue;
    const v = byName.get(e.name) ?? { ms: 0, n: 0 };
    v.ms += (e.dur ?? 0) / 1000;
    v.n += 1;
    byName.set(e.name, v);
  }
  console.log(`\nTrace of the work (${file}), main thread, ms (count):`);
  for (const [name, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${v.ms.toFixed(1).padStart(8)}  ${name} (${v.n})`);
  }
}

// ---------------------------------------------------------------- run

console.log(`Leadline browser benchmark: ${facts.contacts} contacts (${facts.leads} leads), ${facts.opportunities} opportunities, ${facts.accounts} accounts, ${facts.history_entries} history entries`);
console.log(`Chromium ${browser.version()} headless, ${REPS} repetitions, times in ms (median, min-max)\n`);

const startApp = [];
const startBase = [];
const appStarted = [];
const appLoad = [];
const longestApp = [];
const longestBase = [];
for (let r = 0; r < REPS; r++) {
  // Interleaved, so load on the machine hits both alike.
  for (const [url, out] of [
    [`${APP}#/contacts`, startApp],
    [BASELINE, startBase],
  ]) {
    const { context, ms, started, load, longest } = await coldStart(url);
    out.push(ms);
    if (out === startApp) {
      appStarted.push(started);
      appLoad.push(load);
      longestApp.push(longest);
    } else {
      longestBase.push(longest);
    }
    await context.close();
  }
}

const app = await coldStart(`${APP}#/contacts`);
const appPage = app.page;
const bytesApp = await storedBytes(appPage);
const searchApp = await searchTimes(appPage, Math.max(1, REPS >> 1));
const everythingApp = await everythingTimes(appPage, Math.max(1, REPS >> 1));
await appPage.evaluate(() => (location.hash = "#/opportunities"));
await appPage.waitForFunction(() => document.querySelectorAll(".board-column").length >= 4 && !!document.querySelector('select[id^="board-stage-"]'));
const moveApp = await moveTimes(appPage, MOVES);
if (process.env.BENCH_PROFILE) {
  await profiled(appPage, process.env.BENCH_PROFILE, () => moveTimes(appPage, 20));
  // And one cold start, from the navigation to the usable list.
  const { context, page } = await seededPage();
  await profiled(page, process.env.BENCH_PROFILE.replace(/(\.cpuprofile)?$/, "-start.cpuprofile"), async () => {
    await page.goto(`${APP}#/contacts`);
    await page.waitForFunction(() => window.__usable !== null, null, { timeout: 30_000 });
  });
  await context.close();
}
if (process.env.BENCH_TRACE) await traced(appPage, process.env.BENCH_TRACE, () => moveTimes(appPage, 20));
await appPage.waitForTimeout(1000);
await appPage.evaluate(() => (window.__saves = []));
await moveTimes(appPage, REPS, 700);
await appPage.waitForTimeout(700);
const saveApp = await appPage.evaluate(() => window.__saves);
const funnelApp = await appFunnelTimes(appPage, REPS);
const funnelComplete = await appFunnelTimes(appPage, REPS, true);
const free = await freeUnits(appPage);
await app.context.close();

const base = await coldStart(BASELINE);
const basePage = base.page;
const searchBase = await searchTimes(basePage, Math.max(1, REPS >> 1));
await basePage.evaluate(() => window.baseline.showBoard());
const moveBase = await moveTimes(basePage, MOVES);
const funnelBase = await baselineFunnelTimes(basePage, REPS);
const saveBase = [];
for (let r = 0; r < REPS; r++) saveBase.push(await basePage.evaluate(() => window.baseline.save()));
const bytesBase = await storedBytes(basePage);
await base.context.close();
await browser.close();

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const row = (what, appTimes, baseTimes, target) => {
  const a = summary(appTimes);
  const b = summary(baseTimes);
  const ratio = a.median / b.median;
  const cells = [
    what.padEnd(38),
    `${fmt(a.median)} (${fmt(a.min)}-${fmt(a.max)})`.padEnd(22),
    `${fmt(b.median)} (${fmt(b.min)}-${fmt(b.max)})`.padEnd(22),
    `${ratio.toFixed(2)}x`.padEnd(8),
    target ?? "",
  ];
  console.log(cells.join(" "));
  return { app: a, baseline: b, ratio };
};
console.log(["figure".padEnd(38), "Leadline".padEnd(22), "plain-JS baseline".padEnd(22), "ratio".padEnd(8), "target"].join(" "));
const results = {};
const s = summary(startApp).median;
results.start = row("cold start to usable Contacts", startApp, startBase, `<= 500 ms and <= 3x: ${s <= 500 && s / median(startBase) <= 3 ? "met" : "MISSED"}`);
results.longest = row("  longest task before usable", longestApp, longestBase, `<= 200 ms: ${median(longestApp) <= 200 ? "met" : "MISSED"}`);
if (appStarted.every(Number.isFinite) && appLoad.every(Number.isFinite)) {
  const loaded = median(appStarted) + median(appLoad);
  console.log(
    `${"  of which: code started (wasm run)".padEnd(38)} ${fmt(median(appStarted))}\n` +
      `${"  reading the stored pipeline (steps)".padEnd(38)} ${fmt(median(appLoad))}\n` +
      `${"  screen code and first render".padEnd(38)} ${fmt(s - loaded)}`,
  );
}
const check = (xs) => (median(xs) <= 16 ? "met" : "MISSED");
results.search = row("search keystroke to updated list", searchApp, searchBase, `<= 16 ms: ${check(searchApp)}`);
{
  const e = summary(everythingApp);
  console.log(
    [
      "search everything keystroke".padEnd(38),
      `${fmt(e.median)} (${fmt(e.min)}-${fmt(e.max)})`.padEnd(22),
      "(no baseline)".padEnd(22),
      "".padEnd(8),
      `<= 16 ms: ${check(everythingApp)}`,
    ].join(" "),
  );
  results.everything = { app: e };
}
results.move = row("stage move to updated board", moveApp, moveBase, `<= 16 ms: ${check(moveApp)}`);
results.funnel = row("funnel screen render", funnelApp.warm, funnelBase, `<= 16 ms: ${check(funnelApp.warm)}`);
results.funnelComplete = row("funnel with the forecast drawn too", funnelComplete.warm, funnelBase, "");
results.funnelFirst = row("funnel, first visit (loads its code)", funnelApp.first, funnelBase, "");
results.save = row("save after a change (off the input)", saveApp, saveBase, "");
// One line per target of the performance work, from the figures above.
const verdict = (what, ok, figure) => console.log(`${ok ? "met   " : "MISSED"} ${what}: ${figure}`);
console.log("\nTargets (ratios to the plain-JS baseline in this run):");
verdict("cold start <= 1.5x the baseline", results.start.ratio <= 1.5, `${results.start.ratio.toFixed(2)}x`);
verdict("no task over 200 ms before Contacts is usable", results.longest.app.median <= 200, `longest ${fmt(results.longest.app.median)} ms (median of ${REPS})`);
verdict("stage move <= 2x the baseline", results.move.ratio <= 2, `${results.move.ratio.toFixed(2)}x`);
verdict("funnel with the forecast <= 2x the baseline", results.funnelComplete.ratio <= 2, `${results.funnelComplete.ratio.toFixed(2)}x`);
console.log(
  `This machine's speed (the baseline's medians): cold start ${fmt(results.start.baseline.median)} ms, ` +
    `search ${fmt(results.search.baseline.median)} ms, stage move ${fmt(results.move.baseline.median)} ms, ` +
    `funnel ${fmt(results.funnel.baseline.median)} ms, save ${fmt(results.save.baseline.median)} ms.\n`,
);
const mb = (b) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
const plainUnits = JSON.stringify(data).length;
console.log(
  `${"storage bytes used (2 x UTF-16 units)".padEnd(38)} ${mb(bytesApp).padEnd(22)} ${mb(bytesBase).padEnd(22)} ${(bytesApp / bytesBase).toFixed(2)}x`,
);
console.log(`\nStorage: the pipeline takes ${mb(bytesApp)}; plain JSON would take ${mb(2 * plainUnits)}, over the quota.`);
const quota = bytesApp + 2 * free;
console.log(`Capacity: this browser still had room for ${mb(2 * free)} (quota about ${mb(quota)}); ${facts.contacts} contacts with ${facts.opportunities} opportunities use ${((100 * bytesApp) / quota).toFixed(0)} % of it.`);
console.log(`Capacity: grown with the same mix, ${facts.capacity_contacts} contacts with ${facts.capacity_opportunities} opportunities fit in ${mb(facts.quota_bytes)} (${mb(facts.capacity_bytes)} stored; ${facts.capacity_contacts + 1000} do not).`);

// ---------------------------------------------------------------- Lighthouse

async function runLighthouse(url, preset) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility", "best-practices"] };
    const result = await lighthouse(url, flags, preset === "desktop" ? desktopConfig : undefined);
    const c = result.lhr.categories;
    const failing = Object.values(result.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
      .map((a) => {
        const item = a.details?.items?.[0];
        const detail = item?.description ?? item?.url ?? "";
        return detail ? `${a.id} (${String(detail).slice(0, 120)})` : a.id;
      });
    return {
      performance: Math.round(c.performance.score * 100),
      accessibility: Math.round(c.accessibility.score * 100),
      bestPractices: Math.round(c["best-practices"].score * 100),
      lcp: result.lhr.audits["largest-contentful-paint"].displayValue,
      tbt: result.lhr.audits["total-blocking-time"].displayValue,
      tbtMs: result.lhr.audits["total-blocking-time"].numericValue,
      failing,
    };
  } finally {
    await chrome.kill();
  }
}

if (process.env.BENCH_LIGHTHOUSE !== "0") {
  console.log("\nLighthouse 12.2.3 (Chromium headless, the release build's start page):");
  const mobile = [];
  for (const preset of ["mobile", "mobile", "mobile", "desktop"]) {
    const lh = await runLighthouse(APP, preset);
    if (preset === "mobile") mobile.push(lh);
    const ok = lh.performance >= 95 && lh.accessibility === 100 && lh.bestPractices === 100;
    console.log(
      `  ${preset.padEnd(8)} performance ${lh.performance}, accessibility ${lh.accessibility}, best practices ${lh.bestPractices}` +
        ` (LCP ${lh.lcp}, TBT ${lh.tbt}) targets 95/100/100: ${ok ? "met" : "MISSED"}` +
        (lh.failing.length ? `; failing audits: ${lh.failing.join(", ")}` : ""),
    );
  }
  const score = median(mobile.map((m) => m.performance));
  const tbt = median(mobile.map((m) => m.tbtMs));
  verdict("Lighthouse mobile performance >= 95 with TBT <= 200 ms (median of 3)", score >= 95 && tbt <= 200, `performance ${score}, TBT ${fmt(tbt)} ms`);
}
server.close();
