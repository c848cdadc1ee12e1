import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { axeViolations, failOnPageErrors, openWithData, expectChosen } from "./helpers";

// The Today seed, with an amount and an expected close date on its one deal.
function seed(): string {
  const doc = JSON.parse(readFileSync("tests/fixtures/e2e/today.json", "utf8"));
  const deal = doc.data.opportunities[0];
  deal.terms.amount = { minor: 1250000, currency: "NOK" };
  deal.terms.expected_close = "2026-11-27";
  return JSON.stringify(doc);
}

/** The board's stages, in order, in Norwegian. */
const NORWEGIAN_STAGES = ["Behovsanalyse", "Tilbud", "Forhandling", "Kontrakt", "Vunnet", "Tapt"];

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

  test("the contact import speaks Norwegian, with its row errors and duplicates", async ({ page }) => {
    await openWithData(page, seed(), "#/contacts/import");
    await expect(page.getByRole("heading", { level: 1, name: "Importer kontakter" })).toBeVisible();
    await expect(page.getByText("Filer på opptil 5 MB.")).toBeVisible();
    const file = page.getByLabel("Fil som skal importeres");

    // A file that cannot be read says why in Norwegian.
    await file.setInputFiles({
      name: "avkuttet.vcf",
      mimeType: "text/vcard",
      buffer: Buffer.from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Gra"),
    });
    await expect(page.getByRole("alert")).toHaveText(
      "Kort 2 har ingen END:VCARD-linje: filen kan være avkuttet.",
    );

    // Nora Berg of Fjordkraft Analyse AS is already in the seed (and the
    // file has nothing new for her, so merging her changes nothing).
    const csv =
      "Name;Company;Email;Status\r\n" +
      "Nora Berg;Fjordkraft Analyse AS;;\r\n" +
      "Kari Holm;Havbris AS;kari@example.com;Working - Contacted\r\n" +
      "Per Lund;;per@example;\r\n" +
      ";;ingen@example.com;\r\n";
    await file.setInputFiles({ name: "kontakter.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect(page.getByRole("heading", { level: 2, name: "Importerer kontakter.csv" })).toBeVisible();
    await expect(page.getByText("4 rader, skilt med semikolon, lest som UTF-8.")).toBeVisible();
    const company = page.getByLabel("Importer Company som");
    await expectChosen(company, "Organisasjon");

    const preview = page.getByRole("table", { name: "Første rader slik de blir importert" });
    await expect(preview.getByRole("columnheader", { name: "E-post" })).toBeVisible();
    await expect(preview.getByRole("row").filter({ hasText: "Kari Holm" })).toContainText(
      "Kontaktet kundeemne",
    );
    await expect(page.getByRole("heading", { name: "1 rad utelatt" })).toBeVisible();
    await expect(page.getByText("Rad 5, Navn: Navn må fylles ut")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Verdier utelatt" })).toBeVisible();
    await expect(
      page.getByText("Rad 4: E-post «per@example» utelatt (E-post må se ut som navn@eksempel.no)"),
    ).toBeVisible();
    await expect(page.getByLabel("Hopp over kontakter med utelatte verdier")).not.toBeChecked();
    await expect(page.getByRole("heading", { name: "1 mulig duplikat" })).toBeVisible();
    await expect(
      page.getByText("Rad 2, Nora Berg: samme navn og organisasjon som Nora Berg, som allerede finnes i Leadline"),
    ).toBeVisible();
    await expect(
      page.getByLabel("Rad 2", { exact: true }).getByRole("option", { name: "Slå sammen", selected: true }),
    ).toBeAttached();
    expect(await axeViolations(page), "#/contacts/import with a file").toEqual([]);

    await page.getByRole("button", { name: "Importer 2 kontakter og slå sammen 1" }).click();
    await expect(
      page.getByText("Importerte 2 nye kontakter fra kontakter.csv; 1 ble kundeemne."),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: "Se kontaktene dine" })).toBeVisible();
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
  // The board's stage selects offer the stages in Norwegian, the deal's own chosen.
  const stage = page.getByLabel("Fase for Nordlys rollout");
  await expectChosen(stage, "Behovsanalyse");
  await expect(stage.getByRole("option")).toHaveText(NORWEGIAN_STAGES);
  await stage.selectOption({ label: "Tilbud" });
  await expectChosen(page.getByLabel("Fase for Nordlys rollout"), "Tilbud");
  await page.getByRole("button", { name: "Angre" }).click();
  await expectChosen(page.getByLabel("Fase for Nordlys rollout"), "Behovsanalyse");
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

  // On one page, the board's stage selects follow a change of language.
  await page.goto("./#/opportunities");
  await expect(page.getByLabel("Stage of Nordlys rollout").getByRole("option")).toHaveText([
    "Needs analysis",
    "Proposal",
    "Negotiation",
    "Contract",
    "Won",
    "Lost",
  ]);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Language").selectOption({ label: "Norsk bokmål" });
  await page.getByRole("link", { name: "Salgsmuligheter" }).click();
  await expect(page.getByLabel("Fase for Nordlys rollout").getByRole("option")).toHaveText(NORWEGIAN_STAGES);
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
