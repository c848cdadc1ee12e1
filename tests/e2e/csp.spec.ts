import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { APP_KEY, started } from "./helpers";

// Contacts 1-10, leads 11-16, opportunities 17, 18 and 20, account 19.
const SEED = readFileSync("tests/fixtures/e2e/funnel.json", "utf8");

/** Collects policy violations (recorded by the page itself) and console errors. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = ((window as unknown as { violations?: string[] }).violations ??= []);
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
  return async () => [
    ...problems,
    ...(await page.evaluate(() => (window as unknown as { violations?: string[] }).violations ?? [])),
  ];
}

test("the page carries a strict Content-Security-Policy", async ({ page }) => {
  await page.goto("./");
  const csp = await page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? "",
  );
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toContain("object-src 'none'");
});

test("every screen and every kind of record runs under the policy with no violation or console error", async ({
  page,
}) => {
  const problems = await watch(page);
  await page.goto("./");
  await started(page);
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, SEED]);
  await page.reload();

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Today", "Contacts", "Leads", "Opportunities", "Accounts", "Funnel", "Settings"]) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
  }
  for (const [hash, name] of [
    ["#/contacts/1", /./],
    ["#/leads/11", /./],
    ["#/opportunities/17", /./],
    ["#/accounts/19", /./],
  ] as const) {
    await page.goto(`./${hash}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toHaveCount(0);
  }
  // A download goes through a blob: URL.
  await page.goto("./#/opportunities");
  await expect(page.getByRole("heading", { level: 1, name: "Opportunities" })).toBeVisible();
  await page.goto("./#/settings");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.json$/);

  expect(await problems()).toEqual([]);
});
