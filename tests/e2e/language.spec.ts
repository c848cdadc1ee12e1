import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { axeViolations, failOnPageErrors, openWithData } from "./helpers";

// The Today seed, with an amount and an expected close date on its one deal.
function seed(): string {
  const doc = JSON.parse(readFileSync("tests/fixtures/e2e/today.json", "utf8"));
  const deal = doc.data.opportunities[0];
  deal.terms.amount = { minor: 1250000, currency: "NOK" };
  deal.terms.expected_close = "2026-11-27";
  return JSON.stringify(doc);
}

async function navNames(page: Page): Promise<string[]> {
  return page.getByRole("navigation", { name: /.+/ }).getByRole("link").allInnerTexts();
}

test.beforeEach(async ({ page }) => failOnPageErrors(page));

test.describe("a browser set to Norwegian", () => {
  test.use({ locale: "nb-NO" });

  test("opens in Norwegian Bokmål", async ({ page }) => {
    await page.goto("./");
    expect(await navNames(page)).toEqual([
      "I dag",
      "Kontakter",
      "Kundeemner",
      "Salgsmuligheter",
      "Kunder",
      "Salgstrakt",
      "Innstillinger",
    ]);
    await expect(page.getByRole("heading", { level: 1, name: "I dag" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "nb");
    await expect(page).toHaveTitle("I dag · Leadline");
  });

  test("every screen has no accessibility violations in Norwegian", async ({ page }) => {
    await openWithData(page, seed());
    const screens: [string, string][] = [
      ["#/today", "I dag"],
      ["#/contacts", "Kontakter"],
      ["#/contacts/1", "Nora Berg"],
      ["#/leads", "Kundeemner"],
      ["#/leads/2", "Nora Berg"],
      ["#/opportunities", "Salgsmuligheter"],
      ["#/opportunities/5", "Nordlys rollout"],
      ["#/accounts", "Kunder"],
      ["#/funnel", "Salgstrakt"],
      ["#/settings", "Innstillinger"],
      ["#/nowhere", "Fant ikke siden"],
    ];
    for (const [hash, heading] of screens) {
      await page.goto(`./${hash}`);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      expect(await axeViolations(page), hash).toEqual([]);
    }
    await page.goto("./#/contacts");
    await page.getByRole("button", { name: "Ny kontakt" }).click();
    const form = page.getByRole("dialog", { name: "Ny kontakt" });
    await form.getByRole("button", { name: "Lagre" }).click();
    await expect(form.getByText("Navn må fylles ut")).toBeVisible();
    expect(await axeViolations(page), "Ny kontakt with errors").toEqual([]);
  });
});

test("Settings → Language switches to Norwegian words, numbers and dates, and back", async ({ page }) => {
  await openWithData(page, seed(), "#/opportunities/5");
  await expect(page.getByRole("heading", { level: 1, name: "Nordlys rollout" })).toBeVisible();
  await expect(page.getByText("NOK 12,500.00", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Language").selectOption({ label: "Norsk bokmål" });

  // The whole app speaks Norwegian at once.
  await expect(page.getByRole("heading", { level: 1, name: "Innstillinger" })).toBeVisible();
  await expect(page.getByLabel("Språk")).toHaveValue("nb");
  await expect(page.getByRole("link", { name: "Kundeemner" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  await expect(page.getByRole("button", { name: "Angre" })).toBeVisible();
  await expect(page.getByText("Satte språket til Norsk bokmål")).toBeVisible();

  await page.getByRole("link", { name: "Salgsmuligheter" }).click();
  await page.getByRole("button", { name: "Liste" }).click();
  const row = page.getByRole("row", { name: /Nordlys rollout/ });
  await expect(row).toContainText("Behovsanalyse");
  await expect(row).toContainText("kr 12 500,00");
  await expect(row).toContainText("20 %");
  await expect(row).toContainText("27. nov. 2026");

  await row.getByRole("link", { name: "Nordlys rollout" }).click();
  await expect(page.getByText("kr 12 500,00", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Beløp", { exact: true })).toHaveValue(/^12\s500,00$/);
  await expect(page.getByRole("button", { name: "Merk som vunnet" })).toBeVisible();
  await expect(page.getByLabel("Forventet avslutningsdato")).toHaveValue("2026-11-27");

  // The choice is stored with the pipeline: a reload keeps it.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Nordlys rollout" })).toBeVisible();
  await expect(page.getByText("kr 12 500,00", { exact: true })).toBeVisible();
  await expect(page).toHaveTitle("Salgsmuligheter · Leadline");

  await page.getByRole("link", { name: "Innstillinger" }).click();
  await page.getByLabel("Språk").selectOption({ label: "English" });
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("./#/opportunities/5");
  await expect(page.getByRole("heading", { level: 1, name: "Nordlys rollout" })).toBeVisible();
  await expect(page.getByText("NOK 12,500.00", { exact: true })).toBeVisible();
});

test("the Norwegian amount field reads Norwegian numbers", async ({ page }) => {
  await openWithData(page, seed(), "#/settings");
  await page.getByLabel("Language").selectOption({ label: "Norsk bokmål" });
  await page.goto("./#/opportunities/5");
  const amount = page.getByLabel("Beløp", { exact: true });
  await amount.fill("40 000,50");
  await page.getByRole("button", { name: "Lagre" }).click();
  await expect(page.getByRole("status").getByText("Lagret.")).toBeVisible();
  await expect(page.getByText("kr 40 000,50", { exact: true })).toBeVisible();
  await expect(page.getByText("kr 8 000,10", { exact: true })).toBeVisible();
});
