import { expect, test, type Page } from "@playwright/test";
import { contactCount, failOnPageErrors, openContacts } from "./helpers";

test.beforeEach(async ({ page }) => failOnPageErrors(page));

/** A CSV of `rows` people, each with a name and an email. */
function peopleCsv(rows: number): Buffer {
  const lines = ["Name,Email"];
  for (let i = 0; i < rows; i++) lines.push(`P${i},p${i}@x.io`);
  return Buffer.from(lines.join("\n") + "\n", "utf8");
}

/**
 * Records, for every click, how long it waited before the page ran its
 * handlers (a busy page makes input wait) and every long task.
 */
async function watchResponsiveness(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { clickWaits: number[]; longTasks: number[] };
    w.clickWaits = [];
    w.longTasks = [];
    document.addEventListener(
      "pointerdown",
      (event) => w.clickWaits.push(performance.now() - event.timeStamp),
      { capture: true },
    );
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
  });
}

async function figures(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { clickWaits: number[]; longTasks: number[] };
    return { clickWaits: [...w.clickWaits], longTasks: [...w.longTasks] };
  });
}

async function openImport(page: Page) {
  await page.goto("./#/contacts");
  await openContacts(page);
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
}

test("a 200,000-row file shows its progress, answers clicks while it works, and comes in", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await watchResponsiveness(page);
  await openImport(page);
  const file = { name: "big.csv", mimeType: "text/csv", buffer: peopleCsv(200_000) };
  const progress = page.getByRole("progressbar");

  // While the file is read and checked, Cancel is answered at once.
  await page.getByLabel("File to import").setInputFiles(file);
  await expect(progress).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /(Reading the file|Checking rows)… \d+ %/ })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Import cancelled: nothing was imported.")).toBeVisible();
  await expect(progress).toBeHidden();
  const cancelWait = (await figures(page)).clickWaits.at(-1) ?? Infinity;
  expect(cancelWait, "the click on Cancel waited this long (ms)").toBeLessThan(200);

  // Again, to the end.
  const started = Date.now();
  await page.getByLabel("File to import").setInputFiles(file);
  const importButton = page.getByRole("button", { name: "Import 200,000 contacts" });
  await expect(importButton).toBeEnabled({ timeout: 120_000 });
  const checked = Date.now();
  await importButton.click();
  await expect(page.getByRole("status").filter({ hasText: /Importing… \d+ %/ })).toBeVisible();
  // A click while the import runs is answered too.
  await page.getByRole("heading", { level: 1, name: "Import contacts" }).click();
  const importWait = (await figures(page)).clickWaits.at(-1) ?? Infinity;
  await expect(page.getByText("Imported 200,000 new contacts from big.csv.")).toBeVisible({
    timeout: 180_000,
  });
  const imported = Date.now();
  const { longTasks } = await figures(page);
  console.log(
    `200,000 rows: read and checked in ${checked - started} ms, imported and saved in ${
      imported - checked
    } ms; a click during the import waited ${importWait.toFixed(0)} ms; longest task ${Math.max(
      ...longTasks,
    ).toFixed(0)} ms`,
  );
  expect(importWait, "the click during the import waited this long (ms)").toBeLessThan(200);

  // Saved: the contacts are there after a reload.
  await page.reload();
  await openContacts(page);
  await expect(contactCount(page)).toHaveText("200,000 contacts", { timeout: 60_000 });
});

test("a file with 10,000 columns is refused in words at once", async ({ page }) => {
  await openImport(page);
  const header = Array.from({ length: 10_000 }, (_, i) => `Column ${i + 1}`).join(",");
  const started = Date.now();
  await page.getByLabel("File to import").setInputFiles({
    name: "wide.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${header}\n${header}\n`, "utf8"),
  });
  await expect(page.getByRole("alert")).toHaveText(
    "Row 1 has 10,000 columns; Leadline reads files of up to 1,000 columns. Remove the columns you do not need and try again.",
  );
  console.log(`10,000 columns refused in ${Date.now() - started} ms`);
  // The screen still works: a good file comes in after it.
  await page.getByLabel("File to import").setInputFiles({
    name: "ok.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("Name,Email\nAda,ada@example.com\n", "utf8"),
  });
  await expect(page.getByRole("button", { name: "Import 1 contact" })).toBeVisible();
});

test("a wide file shows its first columns and more on request", async ({ page }) => {
  await openImport(page);
  const names = ["Name", "Email", ...Array.from({ length: 298 }, (_, i) => `Extra ${i + 1}`)];
  await page.getByLabel("File to import").setInputFiles({
    name: "wide.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${names.join(",")}\nAda,ada@example.com\n`, "utf8"),
  });
  await expect(page.getByText("Showing 25 of 300 columns.")).toBeVisible();
  await expect(page.getByLabel("Import Extra 23 as")).toBeVisible();
  await expect(page.getByLabel("Import Extra 24 as")).toHaveCount(0);
  await page.getByRole("button", { name: "Show 100 more columns" }).click();
  await expect(page.getByText("Showing 125 of 300 columns.")).toBeVisible();
  await page.getByRole("button", { name: "Show 100 more columns" }).click();
  await page.getByRole("button", { name: "Show 75 more columns" }).click();
  await expect(page.getByText(/Showing \d+ of 300 columns/)).toHaveCount(0);
  await page.getByLabel("Import Extra 298 as").selectOption("Notes");
  await page.getByRole("button", { name: "Import 1 contact" }).click();
  await expect(page.getByText("Imported 1 new contact from wide.csv.")).toBeVisible();
});
