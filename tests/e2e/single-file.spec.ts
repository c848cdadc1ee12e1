import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "@playwright/test";
import { APP_KEY } from "./helpers";

// Written by scripts/single-file.sh, which the test command runs first.
const FILE = resolve("dist-single/leadline.html");

test("the single HTML file runs from disk and keeps what is added", async ({ browser }) => {
  expect(existsSync(FILE), `${FILE} is missing: run scripts/single-file.sh`).toBe(true);
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  // Nothing but the file itself may be fetched.
  page.on("request", (r) => {
    if (r.url() !== pathToFileURL(FILE).href && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
      problems.push(`fetched ${r.url()}`);
  });

  await page.goto(`${pathToFileURL(FILE).href}#/contacts`);
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name").fill("Kari Fjeld");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kari Fjeld" })).toBeVisible();

  await page.goto(`${pathToFileURL(FILE).href}#/contacts`);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Kari Fjeld" })).toBeVisible();
  // Saved under the same key, in the same envelope, as by the hosted app.
  expect(await page.evaluate((key) => localStorage.getItem(key), APP_KEY)).toContain('"format":"leadline"');
  expect(problems).toEqual([]);
  await context.close();
});
