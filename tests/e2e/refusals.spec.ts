// Every kind of refusal a form can give, in the language on screen: the
// words come from the error's type, so Norwegian never leaks English.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { failOnPageErrors, openWithData } from "./helpers";

// Nora Berg (contact 1) has a contacted lead (2) with nothing ticked;
// "Nordlys rollout" (5) is an open deal in NOK without an amount.
const seed = readFileSync("tests/fixtures/e2e/today.json", "utf8");

type Words = {
  locale: string;
  newContact: string;
  name: string;
  email: string;
  save: string;
  nameTooLong: string;
  badEmail: string;
  qualify: string;
  gateUnmet: string;
  amount: string;
  notAnAmount: (text: string) => string;
  markWon: string;
  markWonQuestion: string;
  amountRequired: string;
  markLost: string;
  noLostReason: string;
};

const english: Words = {
  locale: "en-GB",
  newContact: "New contact",
  name: "Name",
  email: "Email",
  save: "Save",
  nameTooLong: "Name can be at most 200 characters (this one has 201)",
  badEmail: "Email must look like name@example.com",
  qualify: "Qualify",
  gateUnmet:
    "Need, Budget and Timeline must all be checked before a lead can be qualified (missing: Need, Budget, Timeline)",
  amount: "Amount",
  notAnAmount: (text) => `“${text}” is not an amount: use digits with at most one decimal mark`,
  markWon: "Mark won",
  markWonQuestion: "Mark won?",
  amountRequired: "An opportunity needs an amount above zero before it can be marked won",
  markLost: "Mark lost",
  noLostReason: "Choose why the deal was lost",
};

const norwegian: Words = {
  locale: "nb-NO",
  newContact: "Ny kontakt",
  name: "Navn",
  email: "E-post",
  save: "Lagre",
  nameTooLong: "Navn kan være høyst 200 tegn (dette har 201)",
  badEmail: "E-post må se ut som navn@eksempel.no",
  qualify: "Kvalifiser",
  gateUnmet:
    "Behov, Budsjett og Tidsramme må alle være krysset av før et kundeemne kan kvalifiseres (mangler: Behov, Budsjett, Tidsramme)",
  amount: "Beløp",
  notAnAmount: (text) => `«${text}» er ikke et beløp: bruk sifre og høyst ett desimaltegn`,
  markWon: "Merk som vunnet",
  markWonQuestion: "Merke som vunnet?",
  amountRequired: "En salgsmulighet må ha et beløp over null før den kan merkes som vunnet",
  markLost: "Merk som tapt",
  noLostReason: "Velg hvorfor avtalen ble tapt",
};

/** The page shows none of the other language's refusals. */
async function noneOf(page: Page, other: Words, amountText: string) {
  const main = page.getByRole("main");
  for (const words of [
    other.nameTooLong,
    other.badEmail,
    other.gateUnmet,
    other.notAnAmount(amountText),
    other.amountRequired,
    other.noLostReason,
  ]) {
    await expect(main.getByText(words, { exact: false })).toHaveCount(0);
  }
}

async function contactFormRefusals(page: Page, w: Words, other: Words) {
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: w.newContact }).click();
  const form = page.getByRole("dialog", { name: w.newContact });
  await form.getByLabel(w.name, { exact: true }).fill("x".repeat(201));
  await form.getByLabel(w.email, { exact: true }).fill("ada@");
  await form.getByRole("button", { name: w.save, exact: true }).click();
  await expect(form.getByText(w.nameTooLong)).toBeVisible();
  await expect(form.getByText(w.badEmail)).toBeVisible();
  await expect(form.getByText(other.nameTooLong)).toHaveCount(0);
  await expect(form.getByText(other.badEmail)).toHaveCount(0);
  await page.keyboard.press("Escape");
}

async function leadRefusal(page: Page, w: Words) {
  await page.goto("./#/leads/2");
  const qualify = page.getByRole("button", { name: w.qualify, exact: true });
  await expect(qualify).toBeDisabled();
  await expect(qualify).toHaveAccessibleDescription(w.gateUnmet);
}

async function dealRefusals(page: Page, w: Words, amountText: string) {
  await page.goto("./#/opportunities/5");
  const amount = page.getByLabel(w.amount, { exact: true });
  await amount.fill(amountText);
  await page.getByRole("button", { name: w.save, exact: true }).click();
  await expect(page.getByText(w.notAnAmount(amountText))).toBeVisible();
  await amount.fill("");
  await page.getByRole("button", { name: w.save, exact: true }).click();

  await page.getByRole("button", { name: w.markWon, exact: true }).click();
  const won = page.getByRole("dialog", { name: w.markWonQuestion });
  await won.getByRole("button", { name: w.markWon, exact: true }).click();
  await expect(won.getByRole("alert")).toHaveText(w.amountRequired);
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: w.markLost, exact: true }).click();
  const lost = page.getByRole("dialog", { name: w.markLost });
  await lost.getByRole("button", { name: w.markLost, exact: true }).click();
  await expect(lost.getByRole("alert")).toHaveText(w.noLostReason);
  await page.keyboard.press("Escape");
}

test.beforeEach(async ({ page }) => failOnPageErrors(page));

for (const [w, other] of [
  [norwegian, english],
  [english, norwegian],
] as const) {
  test.describe(`in ${w.locale}`, () => {
    test.use({ locale: w.locale });

    test("every refusal a form gives is in the language on screen", async ({ page }) => {
      await openWithData(page, seed);
      await contactFormRefusals(page, w, other);
      await leadRefusal(page, w);
      await noneOf(page, other, "abc");
      await dealRefusals(page, w, "abc");
      await noneOf(page, other, "abc");
    });
  });
}

test.describe("in nb-NO", () => {
  test.use({ locale: "nb-NO" });

  test("an ambiguous amount is explained in Norwegian", async ({ page }) => {
    await openWithData(page, seed, "#/opportunities/5");
    await page.getByLabel("Beløp", { exact: true }).fill("12.500");
    await page.getByRole("button", { name: "Lagre", exact: true }).click();
    await expect(
      page.getByText(
        "«12.500» er tvetydig: bruk mellomrom mellom tusener (12 500) og komma for desimaler (12,5)",
      ),
    ).toBeVisible();
    await expect(page.getByText(/is ambiguous/)).toHaveCount(0);
  });
});
