import { readFileSync } from "node:fs";
import { expect, test, type Locator } from "@playwright/test";
import { axeViolations, failOnPageErrors, openWithData } from "./helpers";

// Written by the real domain: see tests/funnel_fixture.rs, which also checks
// the numbers below. Ten contacts (six Website, four Referral; six created
// in March 2025, four in September 2025), six leads, four qualified, three
// opportunities, one won, one lost.
const SEED = readFileSync("tests/fixtures/e2e/funnel.json", "utf8");

/** Each body row of `table` as its cells' text, the row header first. */
async function rows(table: Locator): Promise<string[][]> {
  return table
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll("th, td")).map((c) => (c.textContent ?? "").replace(/\s+/g, " ").trim()),
      ),
    );
}

test.beforeEach(async ({ page }) => failOnPageErrors(page));

test("the funnel shows every step's count and rates, per source, and follows the period", async ({
  page,
}, testInfo) => {
  await openWithData(page, SEED, "#/funnel");
  await expect(page.getByRole("heading", { level: 1, name: "Funnel" })).toBeVisible();

  const funnel = page.getByRole("table", { name: "Conversion funnel" });
  await expect(funnel).toBeVisible();
  expect(await rows(funnel)).toEqual([
    ["Contacts", "10", "100.0%", "100.0%"],
    ["Leads", "6", "60.0%", "60.0%"],
    ["Qualified", "4", "66.7%", "40.0%"],
    ["Opportunities", "3", "75.0%", "30.0%"],
    ["Accounts", "1", "33.3%", "10.0%"],
  ]);
  await expect(funnel.getByRole("columnheader")).toHaveText([
    "Step",
    "Reached",
    "From previous step",
    "From top",
  ]);

  const chart = page.getByRole("img", { name: "Conversion funnel chart" });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(/Of 10 contacts, 6 became leads \(60\.0%\)/);

  const bySource = page.getByRole("table", { name: /Conversion by source/ });
  expect(await rows(bySource)).toEqual([
    ["Website", "6", "4 66.7%", "2 50.0%", "2 100.0%", "0 0.0%", "0.0%"],
    ["Referral", "4", "2 50.0%", "2 100.0%", "1 50.0%", "1 100.0%", "25.0%"],
  ]);
  await expect(page.getByRole("img", { name: /Conversion by source chart/ })).toHaveAccessibleName(
    /Website: 6 contacts, 4 leads, 2 qualified, 2 opportunities, 0 accounts\./,
  );

  const disqualified = page.getByRole("table", { name: "Disqualify reasons" });
  expect(await rows(disqualified)).toEqual([["No budget", "1"]]);
  const lost = page.getByRole("table", { name: "Lost reasons" });
  expect(await rows(lost)).toEqual([["Price", "1"]]);

  const closing = page.getByRole("region", { name: "Closing" });
  await expect(closing).toContainText("Win rate50.0% (1 won, 1 lost)");
  await expect(closing).toContainText("NOK 120,000.00");
  await expect(closing).toContainText("18.3 days (3 opportunities)");
  await expect(closing).toContainText("46.5 days (2 deals)");

  // Drawn just after the first frame, below the fold.
  const forecast = page.getByRole("table", { name: "Weighted forecast" });
  await expect(forecast).toBeVisible();
  expect(await rows(forecast)).toEqual([
    ["EUR", "2026-01", "1", "EUR 50,000.00", "EUR 20,000.00"],
    ["EUR", "All months", "", "", "EUR 20,000.00"],
  ]);
  await expect(page.getByRole("img", { name: /Weighted forecast in EUR by expected close month/ })).toHaveAccessibleName(
    /2026-01: EUR 20,000\.00 weighted, of EUR 50,000\.00 in 1 deal\./,
  );

  expect(await axeViolations(page), "Funnel, all time").toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("funnel.png"), fullPage: true });

  // September 2025 only: the four contacts created then.
  await page.getByLabel("Period").selectOption("Custom");
  await page.getByLabel("From").fill("2025-09-01");
  await page.getByLabel("To").fill("2025-09-30");
  await expect(page.getByText("Contacts created from 2025-09-01 to 2025-09-30")).toBeVisible();
  await expect
    .poll(() => rows(funnel))
    .toEqual([
      ["Contacts", "4", "100.0%", "100.0%"],
      ["Leads", "1", "25.0%", "25.0%"],
      ["Qualified", "1", "100.0%", "25.0%"],
      ["Opportunities", "1", "100.0%", "25.0%"],
      ["Accounts", "0", "0.0%", "0.0%"],
    ]);
  expect(await rows(bySource)).toEqual([
    ["Website", "2", "1 50.0%", "1 100.0%", "1 100.0%", "0 0.0%", "0.0%"],
    ["Referral", "2", "0 0.0%", "0 –", "0 –", "0 –", "0.0%"],
  ]);
  await expect(page.getByText("No leads were disqualified.")).toBeVisible();
  await expect(closing).toContainText("Win rate– (no deals closed)");
  // The forecast looks ahead at every open deal, whatever the period.
  expect(await rows(forecast)).toHaveLength(2);
  expect(await axeViolations(page), "Funnel, custom period").toEqual([]);

  // Back to all time.
  await page.getByLabel("Period").selectOption("All time");
  await expect(page.getByLabel("From")).toHaveCount(0);
  await expect(funnel.locator("tbody tr").first()).toContainText("10");
});

test("a source named like markup is shown as text in the funnel's chart and table", async ({ page }) => {
  const name = '<img src=x onerror="document.title=1">';
  const seed = JSON.parse(SEED);
  seed.data.custom_sources = [name];
  seed.data.contacts[0].source = { custom: name };
  await openWithData(page, JSON.stringify(seed), "#/funnel");

  const bySource = page.getByRole("table", { name: /Conversion by source/ });
  await expect(bySource.getByRole("rowheader", { name, exact: true })).toBeVisible();
  expect((await rows(bySource)).map((r) => r[0])).toEqual(["Website", "Referral", name]);
  await expect(page.getByRole("img", { name: /Conversion by source chart/ })).toContainText(`${name}: 1 contact →`);
  await expect(page.getByRole("table", { name: "Weighted forecast" })).toBeVisible();
  expect(await page.locator("main img").count()).toBe(0);
  expect(await page.title()).not.toBe("1");
});

test("an empty pipeline says the funnel appears once there are contacts", async ({ page }) => {
  await page.goto("./#/funnel");
  await expect(page.getByText("The conversion funnel appears once there are contacts.")).toBeVisible();
  expect(await axeViolations(page), "empty Funnel").toEqual([]);
});

test("on a 360 px phone in dark mode the funnel fits the screen and stays accessible", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ colorScheme: "dark" });
  await openWithData(page, SEED, "#/funnel");
  await expect(page.getByRole("table", { name: "Conversion funnel" })).toBeVisible();
  // Only the wide tables scroll, inside their own focusable box.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(360);
  expect(await axeViolations(page), "Funnel, phone, dark").toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("funnel-phone-dark.png"), fullPage: true });
});
