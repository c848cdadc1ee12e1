import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";

// Each test serves its own copy of the release build with its own server
// process on a free port (a new origin, so no worker from another test), and
// stops that process to prove the service worker, not the network, delivers
// the app.
let dir: string;
let server: ChildProcess;
let base: string;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "leadline-offline-"));
  cpSync("dist", dir, { recursive: true });
  server = spawn("node", ["tests/e2e/static-server.mjs", dir, "/leadline/", "0"]);
  base = await new Promise<string>((found, fail) => {
    server.stdout?.on("data", (text: Buffer) => {
      const url = /http:\/\/\S+/.exec(text.toString())?.[0];
      if (url) found(url);
    });
    server.on("exit", () => fail(new Error("the test server stopped")));
  });
});

test.afterEach(async () => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function openControlled(browser: Browser, hash = ""): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (error) => {
    throw error;
  });
  await page.goto(base + hash);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The worker takes control once every file is in its cache.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

async function stopServer() {
  const exited = new Promise((done) => server.once("exit", done));
  server.kill();
  await exited;
}

test("once loaded, every screen opens with the server gone", async ({ browser }) => {
  const page = await openControlled(browser);
  await stopServer();
  await expect(page.request.get(base)).rejects.toThrow();

  for (const [label, slug] of [
    ["Contacts", "contacts"],
    ["Opportunities", "opportunities"],
    ["Funnel", "funnel"],
    ["Settings", "settings"],
  ]) {
    await page.goto(`${base}#/${slug}`);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
  }

  // A new tab on a deep URL, with nothing loaded yet, opens too.
  const other = await page.context().newPage();
  await other.goto(`${base}#/leads`);
  await expect(other.getByRole("heading", { level: 1, name: "Leads" })).toBeVisible();
  await page.context().close();
});

test("a new version is offered, and Reload switches to it and drops the old cache", async ({
  browser,
}) => {
  const page = await openControlled(browser, "#/contacts");
  await expect(page.getByText("A new version of Leadline is ready.")).toHaveCount(0);
  const before = await page.evaluate(() => caches.keys());
  expect(before).toHaveLength(1);

  // Publish a "new version": the worker's version changes, as it does when any file does.
  const swPath = join(dir, "sw.js");
  const sw = readFileSync(swPath, "utf8");
  const version = /const VERSION = "([0-9a-f]+)";/.exec(sw)?.[1];
  expect(version).toBeTruthy();
  writeFileSync(swPath, sw.replace(`"${version}"`, '"0000000000000000"'));

  await page.reload();
  const banner = page.getByRole("status").filter({ hasText: "A new version of Leadline is ready." });
  await expect(banner).toBeVisible();
  const reloaded = page.waitForEvent("load");
  await banner.getByRole("button", { name: "Reload" }).click();
  await reloaded;

  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await expect(page.getByText("A new version of Leadline is ready.")).toHaveCount(0);
  await expect
    .poll(() => page.evaluate(() => caches.keys()))
    .toEqual([expect.stringMatching(/ 0000000000000000$/)]);
  await page.context().close();
});
