import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { APP_KEY, axeViolations, expectChosen } from "./helpers";

// A small pipeline to start from: three contacts whose qualified leads were
// converted to opportunities (Leads screens are built separately, so the
// data is put in storage the way the app stores it: a plain JSON envelope).
const SEED = readFileSync("tests/fixtures/opportunities/pipeline.json", "utf8");

const WEBSITE = "Analytical Engines: Website";
const COMPILER = "Navy Labs: Compiler";
const ORBITAL = "Orbital Mechanics: Trajectory tool";

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

/** Starts the app on `hash` with the seed pipeline stored. */
async function seeded(page: Page, hash: string) {
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, SEED]);
  await page.goto(`./${hash}`);
  await page.reload();
  if (hash === "#/opportunities") await showList(page);
}

/** The Opportunities screen opens on the board; these tests use the list. */
async function showList(page: Page) {
  await page.getByRole("button", { name: "List", exact: true }).click();
  await expect(opportunityList(page)).toBeVisible();
}

function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

function opportunityList(page: Page) {
  return page.getByRole("table", { name: "Opportunities" });
}

function listed(page: Page, name: string) {
  return opportunityList(page).getByRole("link", { name, exact: true });
}

function heading(page: Page, name: string) {
  return page.getByRole("heading", { level: 1, name, exact: true });
}

/** The figures at the top of the opportunity page (a description list). */
function summary(page: Page) {
  return page.getByRole("main").locator("dl").first();
}

async function openOpportunity(page: Page, name: string) {
  await seeded(page, "#/opportunities");
  await listed(page, name).click();
  await expect(heading(page, name)).toBeVisible();
}

async function save(page: Page, says = "Saved.") {
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: says })).toBeVisible();
}

test("the list shows each deal's figures, searches and filters by stage", async ({ page }) => {
  await seeded(page, "#/opportunities");
  await expect(heading(page, "Opportunities")).toBeVisible();
  const count = page.getByRole("main").getByRole("status").first();
  await expect(count).toHaveText("3 opportunities");

  const compiler = opportunityList(page).getByRole("row").filter({ hasText: COMPILER });
  await expect(compiler.getByRole("cell")).toHaveText([
    COMPILER,
    "Proposal",
    "EUR 3,000.00",
    "40%",
    "2027-01-15",
    "Send the proposal · 2026-12-01",
  ]);
  const orbital = opportunityList(page).getByRole("row").filter({ hasText: ORBITAL });
  await expect(orbital.getByRole("cell").nth(3)).toHaveText("70%");

  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("grace");
  await expect(listed(page, COMPILER)).toBeVisible();
  await expect(listed(page, WEBSITE)).toBeHidden();
  await expect(count).toHaveText("1 of 3 opportunities");
  await search.fill("analytical");
  await expect(listed(page, WEBSITE)).toBeVisible();
  await expect(listed(page, COMPILER)).toBeHidden();
  await search.fill("nobody");
  await expect(page.getByText("No opportunity matches the search.")).toBeVisible();
  await search.fill("");

  const stage = page.getByLabel("Filter by stage");
  await stage.selectOption("Negotiation");
  await expect(listed(page, ORBITAL)).toBeVisible();
  await expect(listed(page, WEBSITE)).toBeHidden();
  await expect(count).toHaveText("1 of 3 opportunities");
  await stage.selectOption("Won");
  await expect(page.getByText("No opportunity matches the search.")).toBeVisible();
  await stage.selectOption({ label: "All stages" });
  await expect(count).toHaveText("3 opportunities");

  await listed(page, COMPILER).click();
  await expect(page).toHaveURL(/\/leadline\/#\/opportunities\/[0-9a-z]+-6$/);
  await expect(heading(page, COMPILER)).toBeVisible();
});

test("deal terms typed as people type them are saved and shown formatted after a reload", async ({
  page,
}) => {
  await openOpportunity(page, WEBSITE);
  await expect(summary(page)).toContainText("Not set");
  await expect(page.getByRole("link", { name: "Ada Lovelace" })).toHaveAttribute(
    "href",
    /^#\/contacts\/[0-9a-z]+-1$/,
  );
  await expect(page.getByRole("link", { name: "Lead it came from" })).toHaveAttribute(
    "href",
    /^#\/leads\/[0-9a-z]+-2$/,
  );

  await page.getByLabel("Amount", { exact: true }).fill("12,500.5");
  await page.getByLabel("Payment terms", { exact: true }).selectOption("Net 30");
  await page.getByLabel("Contract status", { exact: true }).selectOption("Drafted");
  await page.getByLabel("Expected close date", { exact: true }).fill("2027-03-31");
  await page.getByLabel("Current supplier", { exact: true }).fill("Babbage & Co");
  await page.getByLabel("Current supplier dismissed", { exact: true }).check();
  await page.getByLabel("Competitors", { exact: true }).fill("Difference Inc, Jacquard AS");
  await page.getByLabel("Next step", { exact: true }).fill("Demo of the engine");
  await page.getByLabel("Next step date", { exact: true }).fill("2026-12-10");
  await save(page);
  await expect(summary(page)).toContainText("NOK 12,500.50");
  await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("12,500.50");
  // Each field is saved as it changes: one step per field.
  await expect(page.getByText("Edited Amount", { exact: true })).toBeVisible();
  await expect(page.getByText("Edited Payment terms", { exact: true })).toBeVisible();

  await page.reload();
  await expect(heading(page, WEBSITE)).toBeVisible();
  await expect(summary(page)).toContainText("NOK 12,500.50");
  await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("12,500.50");
  await expectChosen(page.getByLabel("Payment terms", { exact: true }), "Net 30");
  await expectChosen(page.getByLabel("Contract status", { exact: true }), "Drafted");
  await expect(page.getByLabel("Expected close date", { exact: true })).toHaveValue("2027-03-31");
  await expect(page.getByLabel("Current supplier", { exact: true })).toHaveValue("Babbage & Co");
  await expect(page.getByLabel("Current supplier dismissed", { exact: true })).toBeChecked();
  await expect(page.getByLabel("Competitors", { exact: true })).toHaveValue(
    "Difference Inc, Jacquard AS",
  );
  await expect(page.getByLabel("Next step", { exact: true })).toHaveValue("Demo of the engine");
  await expect(page.getByLabel("Next step date", { exact: true })).toHaveValue("2026-12-10");

  await mainNav(page).getByRole("link", { name: "Opportunities", exact: true }).click();
  await showList(page);
  const row = opportunityList(page).getByRole("row").filter({ hasText: WEBSITE });
  await expect(row.getByRole("cell")).toHaveText([
    WEBSITE,
    "Needs analysis",
    "NOK 12,500.50",
    "20%",
    "2027-03-31",
    "Demo of the engine · 2026-12-10",
  ]);
});

test("an amount that cannot be read is refused under its field, the other fields save, and leaving asks first", async ({
  page,
}) => {
  await openOpportunity(page, WEBSITE);
  const amount = page.getByLabel("Amount", { exact: true });
  // Norwegian style, on a page that reads English amounts.
  await amount.fill("12 500,50");
  await page.getByLabel("Next step", { exact: true }).fill("Call back");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Not saved: correct the fields marked below.");
  await expect(
    page.getByText(
      "“12 500,50” is not an amount: a comma separates thousands in groups of three (write 12,500.50 or 12500.5)",
    ),
  ).toBeVisible();
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(amount).toBeFocused();

  await amount.fill("-5");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("An amount cannot be negative")).toBeVisible();

  // A link does not leave the refused amount behind.
  await page.getByRole("link", { name: "Opportunities", exact: true }).first().click();
  await expect(heading(page, WEBSITE)).toBeVisible();
  await expect(amount).toHaveValue("-5");
  await expect(amount).toBeFocused();
  // Nor does the Back button: the screen stays, and so does its address.
  const here = page.url();
  await page.goBack();
  await expect(page).toHaveURL(here);
  await expect(heading(page, WEBSITE)).toBeVisible();
  await expect(amount).toHaveValue("-5");

  // Reloading asks first; once the user agrees, the refused amount is gone
  // and the valid next step was saved as it was typed.
  const asked = new Promise<string>((resolve) =>
    page.once("dialog", async (dialog) => {
      resolve(dialog.type());
      await dialog.accept();
    }),
  );
  await page.reload();
  expect(await asked).toBe("beforeunload");
  await expect(heading(page, WEBSITE)).toBeVisible();
  await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Next step", { exact: true })).toHaveValue("Call back");
  await expect(summary(page)).toContainText("Not set");
});

test("custom payment terms are typed, and must say something", async ({ page }) => {
  await openOpportunity(page, COMPILER);
  await expectChosen(page.getByLabel("Payment terms", { exact: true }), "Net 30");
  await expect(page.getByLabel("Custom payment terms")).toBeHidden();
  await page.getByLabel("Payment terms", { exact: true }).selectOption("Custom");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Describe the payment terms")).toBeVisible();
  await expect(page.getByLabel("Custom payment terms")).toBeFocused();
  await page.getByLabel("Custom payment terms").fill("50% up front, rest on delivery");
  await save(page);
  await page.reload();
  await expectChosen(page.getByLabel("Payment terms", { exact: true }), "Custom");
  await expect(page.getByLabel("Custom payment terms")).toHaveValue(
    "50% up front, rest on delivery",
  );
});

test("probability follows the stage until it is overridden, and clearing it returns to the default", async ({
  page,
}) => {
  await openOpportunity(page, WEBSITE);
  const probability = page.getByLabel("Probability", { exact: true });
  const stage = page.getByLabel("Stage", { exact: true });
  await expect(probability).toHaveValue("");
  await expect(probability).toHaveAttribute("placeholder", "20");
  await expect(page.getByText("Using the stage default: 20%.")).toBeVisible();

  await stage.selectOption("Negotiation");
  await expect(page.getByText("Using the stage default: 60%.")).toBeVisible();
  await expect(probability).toHaveAttribute("placeholder", "60");
  await save(page);
  await expect(summary(page)).toContainText("Negotiation");
  await expect(summary(page)).toContainText("60%");
  await expect(page.getByText("Moved from Needs analysis to Negotiation")).toBeVisible();

  await probability.fill("75");
  await expect(page.getByText("Overrides the stage default (60%).")).toBeVisible();
  await save(page);
  await expect(summary(page)).toContainText("75%");

  await stage.selectOption("Contract");
  await save(page);
  await expect(summary(page)).toContainText("Contract");
  await expect(summary(page)).toContainText("75%");

  await probability.fill("120");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByText("Probability must be a whole number from 0 to 100 (got 120)"),
  ).toBeVisible();

  await probability.fill("");
  await save(page);
  await expect(summary(page)).toContainText("80%");
  await expect(page.getByText("Using the stage default: 80%.")).toBeVisible();
  await page.reload();
  await expect(summary(page)).toContainText("80%");
  await expect(page.getByLabel("Probability", { exact: true })).toHaveValue("");
});

test("each field saved is one change that Undo takes back", async ({ page }) => {
  await openOpportunity(page, WEBSITE);
  await page.getByLabel("Stage", { exact: true }).selectOption("Contract");
  await expect(summary(page)).toContainText("80%");
  await page.getByLabel("Amount", { exact: true }).fill("900");
  await save(page);
  await expect(summary(page)).toContainText("NOK 900.00");
  await expect(page.getByText(`Edited opportunity ${WEBSITE}`)).toBeVisible();
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  // The amount goes; the stage, saved as its own change, stays.
  await expect(summary(page)).toContainText("Not set");
  await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("");
  await expect(summary(page)).toContainText("Contract");
  await expectChosen(page.getByLabel("Stage", { exact: true }), "Contract");
});

test("Mark lost needs a reason; a lost deal can be reopened", async ({ page }) => {
  await openOpportunity(page, COMPILER);
  await page.getByRole("button", { name: "Mark lost" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark lost" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Mark lost" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Choose why the deal was lost");
  await expect(dialog.getByLabel("Lost reason")).toHaveAttribute("aria-invalid", "true");

  await dialog.getByLabel("Lost reason").selectOption("Chose competitor");
  await dialog.getByLabel("Note").fill("They went with a cheaper compiler");
  await dialog.getByRole("button", { name: "Mark lost" }).click();
  await expect(dialog).toBeHidden();
  await expect(summary(page)).toContainText("Lost reason: Chose competitor");
  await expect(summary(page)).toContainText("They went with a cheaper compiler");
  await expect(summary(page)).toContainText("0%");
  await expect(page.getByText("Lost (from Proposal): Chose competitor")).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark won" })).toBeHidden();
  await expect(page.getByLabel("Amount", { exact: true })).toBeDisabled();

  await page.reload();
  await expect(summary(page)).toContainText("Lost reason: Chose competitor");
  await page.getByRole("button", { name: "Reopen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reopened at Proposal." })).toBeVisible();
  await expect(summary(page)).toContainText("Proposal");
  await expect(summary(page)).toContainText("40%");
  await expect(page.getByLabel("Amount", { exact: true })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Mark lost" })).toBeVisible();
});

test("Mark won needs an amount, then makes a customer whose account lists the deal and its lifetime value", async ({
  page,
}) => {
  await openOpportunity(page, WEBSITE);
  await page.getByRole("button", { name: "Mark won" }).click();
  const confirm = page.getByRole("dialog", { name: "Mark won?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Mark won" }).click();
  await expect(confirm.getByRole("alert")).toHaveText(
    "An opportunity needs an amount above zero before it can be marked won",
  );
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();

  await page.getByLabel("Amount", { exact: true }).fill("12,500.50");
  await save(page);
  await page.getByRole("button", { name: "Mark won" }).click();
  await confirm.getByRole("button", { name: "Mark won" }).click();
  await expect(confirm).toBeHidden();
  await expect(
    page.getByRole("status").filter({ hasText: "Marked won. Analytical Engines Ltd is a customer." }),
  ).toBeVisible();
  await expect(summary(page)).toContainText("Won on ");
  await expect(summary(page)).toContainText("100%");
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();

  await page.getByRole("link", { name: "Analytical Engines Ltd" }).click();
  await expect(heading(page, "Analytical Engines Ltd")).toBeVisible();
  const won = page.getByRole("table", { name: "Won deals" });
  await expect(won.getByRole("link", { name: WEBSITE })).toBeVisible();
  await expect(won.getByRole("cell", { name: "NOK 12,500.50" })).toBeVisible();
  await expect(page.getByRole("main").locator("dl")).toContainText("Lifetime value");
  await expect(page.getByRole("main").locator("dl")).toContainText("NOK 12,500.50");
  await expect(page.getByRole("link", { name: "Ada Lovelace" })).toBeVisible();

  await page.reload();
  await mainNav(page).getByRole("link", { name: "Accounts", exact: true }).click();
  const accounts = page.getByRole("table", { name: "Accounts" });
  const row = accounts.getByRole("row").filter({ hasText: "Analytical Engines Ltd" });
  await expect(row.getByRole("cell").nth(1)).toHaveText("Ada Lovelace");
  await expect(row.getByRole("cell").nth(3)).toHaveText("NOK 12,500.50");
  await expect(row.getByRole("cell").nth(4)).toHaveText("1");
  await page.getByRole("searchbox", { name: "Search" }).fill("lovelace");
  await expect(row).toBeVisible();
  await page.getByRole("searchbox", { name: "Search" }).fill("hopper");
  await expect(page.getByText("No account matches the search.")).toBeVisible();
});

test("New opportunity from an account; lifetime value is kept per currency; Reopen takes a deal off it", async ({
  page,
}) => {
  // Win the compiler deal (EUR 3,000.00) so Navy Labs becomes a customer.
  await openOpportunity(page, COMPILER);
  await page.getByRole("button", { name: "Mark won" }).click();
  await page.getByRole("dialog", { name: "Mark won?" }).getByRole("button", { name: "Mark won" }).click();
  await page.getByRole("link", { name: "Navy Labs" }).click();
  await expect(heading(page, "Navy Labs")).toBeVisible();

  await page.getByRole("button", { name: "New opportunity" }).click();
  const form = page.getByRole("dialog", { name: "New opportunity" });
  await expect(form).toBeVisible();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText("Name is required");
  await form.getByLabel("Name").fill("Navy Labs: Support contract");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toBeHidden();
  await expect(heading(page, "Navy Labs: Support contract")).toBeVisible();
  await expect(page).toHaveURL(/#\/opportunities\/[0-9a-z]+-\d+$/);
  await expect(summary(page)).toContainText("Needs analysis");
  await expect(page.getByRole("link", { name: "Navy Labs" })).toBeVisible();

  await page.getByLabel("Currency", { exact: true }).selectOption("NOK");
  await page.getByLabel("Amount", { exact: true }).fill("50000");
  await save(page);
  await page.getByRole("button", { name: "Mark won" }).click();
  await page.getByRole("dialog", { name: "Mark won?" }).getByRole("button", { name: "Mark won" }).click();
  await expect(summary(page)).toContainText("Won on ");

  await page.getByRole("link", { name: "Navy Labs" }).click();
  const details = page.getByRole("main").locator("dl");
  await expect(details).toContainText("NOK 50,000.00");
  await expect(details).toContainText("EUR 3,000.00");
  const won = page.getByRole("table", { name: "Won deals" });
  await expect(won.getByRole("row")).toHaveCount(3);

  await mainNav(page).getByRole("link", { name: "Accounts", exact: true }).click();
  const row = page.getByRole("table", { name: "Accounts" }).getByRole("row").filter({
    hasText: "Navy Labs",
  });
  await expect(row.getByRole("listitem")).toHaveText(["NOK 50,000.00", "EUR 3,000.00"]);

  // Reopening the support deal takes it off the customer's lifetime value.
  await row.getByRole("link", { name: "Navy Labs" }).click();
  await won.getByRole("link", { name: "Navy Labs: Support contract" }).click();
  await page.getByRole("button", { name: "Reopen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reopened at Needs analysis." })).toBeVisible();
  await page.getByRole("link", { name: "Navy Labs" }).click();
  await expect(details).not.toContainText("NOK 50,000.00");
  await expect(details).toContainText("EUR 3,000.00");
  await expect(
    page.getByRole("region", { name: "Other opportunities" }).getByRole("link", {
      name: "Navy Labs: Support contract",
    }),
  ).toBeVisible();
});

test("an opportunity or account that does not exist says so", async ({ page }) => {
  await seeded(page, "#/opportunities/999");
  await expect(heading(page, "Opportunity not found")).toBeVisible();
  await page.getByRole("link", { name: "Back to Opportunities" }).click();
  await expect(heading(page, "Opportunities")).toBeVisible();
  await page.goto("./#/accounts/999");
  await expect(heading(page, "Account not found")).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to Accounts" })).toBeVisible();
});

test("user text is shown as text, never as markup", async ({ page }) => {
  await openOpportunity(page, WEBSITE);
  const hostile = '<img src=x onerror="document.title=1">';
  await page.getByLabel("Name", { exact: true }).fill(hostile);
  await page.getByLabel("Next step", { exact: true }).fill("<b>bold</b>");
  await save(page);
  await expect(heading(page, hostile)).toBeVisible();
  await expect(page.getByRole("main").locator("img")).toHaveCount(0);
  await mainNav(page).getByRole("link", { name: "Opportunities", exact: true }).click();
  await showList(page);
  await expect(listed(page, hostile)).toBeVisible();
  await expect(opportunityList(page).getByText("<b>bold</b>")).toBeVisible();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the screens and dialogs have no accessibility violations (axe-core, ${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await seeded(page, "#/opportunities");
    await listed(page, COMPILER).click();
    await page.getByRole("button", { name: "Mark won" }).click();
    const confirm = page.getByRole("dialog", { name: "Mark won?" });
    expect(await axeViolations(page), "Mark won dialog").toEqual([]);
    await confirm.getByRole("button", { name: "Mark won" }).click();
    await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
    // The customer the win made, by the address its link gives.
    const customer = await page.getByRole("link", { name: "Navy Labs", exact: true }).first().getAttribute("href");
    const screens = [
      ["#/opportunities", "Opportunities"],
      ["#/opportunities/3", WEBSITE],
      ["#/opportunities/6", COMPILER],
      ["#/accounts", "Accounts"],
      [customer ?? "", "Navy Labs"],
    ];
    for (const [hash, title] of screens) {
      await page.goto(`./${hash}`);
      await expect(heading(page, title)).toBeVisible();
      expect(await axeViolations(page), `${title} at ${hash}`).toEqual([]);
    }

    // With messages showing: a refused amount, and a lost reason not chosen.
    await page.goto("./#/opportunities/3");
    await page.getByLabel("Amount", { exact: true }).fill("lots");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    expect(await axeViolations(page), "refused amount").toEqual([]);
    await page.getByLabel("Amount", { exact: true }).fill("");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("alert")).toBeHidden();
    await page.getByRole("button", { name: "Mark lost" }).click();
    const lost = page.getByRole("dialog", { name: "Mark lost" });
    await lost.getByRole("button", { name: "Mark lost" }).click();
    await expect(lost.getByRole("alert")).toBeVisible();
    expect(await axeViolations(page), "Mark lost dialog").toEqual([]);
  });
}
