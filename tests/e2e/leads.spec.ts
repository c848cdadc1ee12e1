import { expect, test, type Page } from "@playwright/test";
import { axeViolations, expectChosen } from "./helpers";

// Leads: the list and the lead page, driven the way a person does, by role,
// label and text only (DESIGN.md chapter 2 names).

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

/** Adds a contact through the form and makes it a lead; ends on the lead page. */
async function newLead(page: Page, name: string, organisation: string) {
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact", exact: true }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Organisation", { exact: true }).fill(organisation);
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await page.getByRole("button", { name: "Make lead", exact: true }).click();
  // The new lead's page opens with its checklist in focus.
  await expect(page).toHaveURL(/\/leadline\/#\/leads\/[0-9a-z]+-\d+$/);
  await expect(page.getByRole("checkbox", { name: "Need" })).toBeFocused();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(status(page, "New")).toBeVisible();
}

function status(page: Page, label: string) {
  return page.getByText(new RegExp(`^Status: ${label} · Score \\d+$`));
}

function score(page: Page, n: number) {
  return page.getByRole("main").getByText(`Score ${n}`, { exact: true });
}

function box(page: Page, name: string) {
  return page.getByRole("checkbox", { name, exact: true });
}

const gateText = (missing: string) =>
  `Need, Budget and Timeline must all be checked before a lead can be qualified (missing: ${missing})`;

test("a lead is qualified through its checklist and converted to an opportunity", async ({
  page,
}) => {
  await newLead(page, "Ada Lovelace", "Analytical Engines");
  const qualify = page.getByRole("button", { name: "Qualify", exact: true });

  await expect(score(page, 0)).toBeVisible();
  await expect(qualify).toBeDisabled();
  await expect(page.getByText(gateText("Need, Budget, Timeline"))).toBeVisible();
  await expect(qualify).toHaveAccessibleDescription(gateText("Need, Budget, Timeline"));
  await expect(page.getByRole("button", { name: "Convert to opportunity", exact: true })).toHaveCount(0);

  // Each box says what ticking it claims.
  await expect(box(page, "Need")).toHaveAccessibleDescription(
    "Has a requirement for the product or service. 30 points.",
  );
  await expect(box(page, "Authority")).toHaveAccessibleDescription(/Not essential, but a strong signal/);

  await page.getByRole("button", { name: "Mark contacted", exact: true }).click();
  await expect(status(page, "Contacted")).toBeVisible();
  await expect(status(page, "Contacted")).toBeFocused();
  await expect(page.getByRole("button", { name: "Mark contacted", exact: true })).toHaveCount(0);

  await box(page, "Need").check();
  await expect(score(page, 30)).toBeVisible();
  await expect(box(page, "Need")).toBeFocused();
  await box(page, "Budget").check();
  await expect(score(page, 55)).toBeVisible();
  await expect(page.getByText(gateText("Timeline"))).toBeVisible();
  await expect(qualify).toBeDisabled();

  // Authority adds to the score but is not needed to qualify.
  await box(page, "Authority").check();
  await expect(score(page, 75)).toBeVisible();
  await expect(qualify).toBeDisabled();

  await box(page, "Timeline").check();
  await expect(score(page, 100)).toBeVisible();
  await expect(page.getByText(/must all be checked/)).toHaveCount(0);
  await expect(qualify).toBeEnabled();
  await page.getByLabel("Expected purchase date (optional)").fill("2031-09-30");
  await page.getByLabel("Expected purchase date (optional)").blur();

  await page.getByLabel("Buying role").selectOption("Decision maker");
  const interest = page.getByLabel("Interest", { exact: true });
  await interest.fill("Difference engine maintenance");
  await interest.press("Tab");
  await expect(page.getByRole("list").getByText("Edited Interest")).toBeVisible();

  await qualify.click();
  await expect(status(page, "Qualified")).toBeVisible();
  await expect(page.getByRole("button", { name: "Qualify", exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Convert to opportunity", exact: true }).click();
  await expect(page).toHaveURL(/\/leadline\/#\/opportunities\/[0-9a-z]+-\d+$/);
  const opportunityUrl = page.url();

  // The converted lead is read-only and points at its opportunity.
  await page.goBack();
  await expect(page).toHaveURL(/\/leadline\/#\/leads\/[0-9a-z]+-\d+$/);
  await expect(status(page, "Converted")).toBeVisible();
  const link = page.getByRole("link", { name: "Ada Lovelace: Difference engine maintenance" });
  await expect(link).toBeVisible();
  await expect(box(page, "Need")).toBeDisabled();
  await expect(page.getByLabel("Interest", { exact: true })).toBeDisabled();
  for (const name of ["Qualify", "Disqualify", "Mark contacted", "Reopen", "Convert to opportunity"]) {
    await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
  }

  // Everything is still there after a reload.
  await page.reload();
  await expect(status(page, "Converted")).toBeVisible();
  await expect(score(page, 100)).toBeVisible();
  for (const name of ["Need", "Budget", "Timeline", "Authority"]) {
    await expect(box(page, name)).toBeChecked();
  }
  await expectChosen(page.getByLabel("Buying role"), "Decision maker");
  await expect(page.getByLabel("Interest", { exact: true })).toHaveValue(
    "Difference engine maintenance",
  );
  await expect(page.getByLabel("Expected purchase date (optional)")).toHaveValue("2031-09-30");
  await link.click();
  expect(page.url()).toBe(opportunityUrl);
});

test("a lead is disqualified with a reason and a note, then reopened", async ({ page }) => {
  await newLead(page, "Grace Hopper", "Navy");

  // Cancel changes nothing.
  await page.getByRole("button", { name: "Disqualify", exact: true }).click();
  let dialog = page.getByRole("dialog", { name: "Disqualify lead" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(status(page, "New")).toBeVisible();

  await page.getByRole("button", { name: "Disqualify", exact: true }).click();
  dialog = page.getByRole("dialog", { name: "Disqualify lead" });
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog.getByText("Choose why the lead is disqualified")).toBeVisible();
  await expect(dialog.getByLabel("Reason")).toBeFocused();
  await dialog.getByLabel("Reason").selectOption("No budget");
  await dialog.getByLabel("Note").fill("Budget frozen until next year <b>really</b>");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect(status(page, "Disqualified")).toBeVisible();
  await expect(page.getByText("Reason: No budget")).toBeVisible();
  // User text stays text.
  await expect(page.getByText("Budget frozen until next year <b>really</b>", { exact: true })).toBeVisible();
  await expect(
    page.getByText("Disqualified: No budget (Budget frozen until next year <b>really</b>)"),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Qualify", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Disqualify", exact: true })).toHaveCount(0);

  await page.reload();
  await expect(status(page, "Disqualified")).toBeVisible();
  await expect(page.getByText("Reason: No budget")).toBeVisible();

  await page.getByRole("button", { name: "Reopen", exact: true }).click();
  await expect(status(page, "Contacted")).toBeVisible();
  await expect(page.getByText("Reason: No budget")).toHaveCount(0);
  await expect(page.getByText("Status changed from Disqualified to Contacted")).toBeVisible();

  await page.reload();
  await expect(status(page, "Contacted")).toBeVisible();
  await expect(page.getByRole("button", { name: "Disqualify", exact: true })).toBeVisible();
});

test("unticking a gate item on a qualified lead returns it to Contacted", async ({ page }) => {
  await newLead(page, "Katherine Johnson", "NASA");
  for (const name of ["Need", "Budget", "Timeline"]) {
    await box(page, name).check();
  }
  await expect(score(page, 80)).toBeVisible();
  await page.getByRole("button", { name: "Qualify", exact: true }).click();
  await expect(status(page, "Qualified")).toBeVisible();

  await box(page, "Budget").uncheck();
  await expect(status(page, "Contacted")).toBeVisible();
  await expect(score(page, 55)).toBeVisible();
  await expect(page.getByRole("button", { name: "Qualify", exact: true })).toBeDisabled();
  await expect(page.getByText(gateText("Budget"))).toBeVisible();
  await expect(page.getByText("Status changed from Qualified to Contacted")).toBeVisible();

  // Undo puts the box and the status back.
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(status(page, "Qualified")).toBeVisible();
  await expect(box(page, "Budget")).toBeChecked();
  await box(page, "Budget").uncheck();
  await expect(status(page, "Contacted")).toBeVisible();

  await page.reload();
  await expect(status(page, "Contacted")).toBeVisible();
  await expect(box(page, "Budget")).not.toBeChecked();
  await expect(box(page, "Need")).toBeChecked();
  await expect(score(page, 55)).toBeVisible();
});

test("the leads list finds leads by name or organisation and filters by status", async ({
  page,
}) => {
  await page.goto("./#/leads");
  await expect(page.getByText("No leads yet.")).toBeVisible();

  await newLead(page, "Dorothy Vaughan", "Langley Research");
  await page.getByRole("button", { name: "Mark contacted", exact: true }).click();
  await expect(status(page, "Contacted")).toBeVisible();
  await page.getByLabel("Buying role").selectOption("Influencer");
  await expect(page.getByText("Edited Buying role")).toBeVisible();
  await newLead(page, "Mary Jackson", "Wind Tunnel Group");

  await mainNav(page).getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Leads" })).toBeVisible();
  const list = page.getByRole("list", { name: "Leads" });
  const count = page.getByRole("main").getByRole("status");
  await expect(count).toHaveText("2 leads");
  const dorothy = list.getByRole("listitem").filter({ hasText: "Dorothy Vaughan" });
  await expect(dorothy).toContainText("Langley Research");
  await expect(dorothy).toContainText("Contacted");
  await expect(dorothy).toContainText("Score 0");
  await expect(dorothy).toContainText("Influencer");
  await expect(list.getByRole("listitem").filter({ hasText: "Mary Jackson" })).toContainText(
    "Role unknown",
  );

  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("wind tunnel");
  await expect(list.getByRole("link", { name: "Mary Jackson" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Dorothy Vaughan" })).toBeHidden();
  await expect(count).toHaveText("1 of 2 leads");
  await search.fill("nobody");
  await expect(page.getByText("No lead matches the search.")).toBeVisible();
  await search.fill("");

  const filter = page.getByLabel("Filter by status");
  await filter.selectOption("Contacted");
  await expect(count).toHaveText("1 of 2 leads");
  await expect(list.getByRole("link", { name: "Dorothy Vaughan" })).toBeVisible();
  await filter.selectOption("Qualified");
  await expect(page.getByText("No lead matches the search.")).toBeVisible();
  await filter.selectOption("All statuses");
  await expect(count).toHaveText("2 leads");

  await list.getByRole("link", { name: "Dorothy Vaughan" }).click();
  await expect(page).toHaveURL(/\/leadline\/#\/leads\/[0-9a-z]+-\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dorothy Vaughan" })).toBeVisible();
  await page.getByRole("link", { name: "Dorothy Vaughan" }).click();
  await expect(page).toHaveURL(/\/leadline\/#\/contacts\/[0-9a-z]+-\d+$/);

  await page.goto("./#/leads/987654");
  await expect(page.getByRole("heading", { level: 1, name: "Lead not found" })).toBeVisible();
});

/** A name with no place to break, as pasted from somewhere. */
const LONG_NAME = "Lewis-Research-Center-Propulsion-Systems-Division-Cleveland-Ohio";

/** How wide the page is: on a phone, nothing may be wider than the screen. */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`lead screens pass axe-core in ${colorScheme} mode on a phone and a desktop`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 360, height: 740 });
    await newLead(page, "Annie Easley", LONG_NAME);
    await box(page, "Need").check();
    await expect(score(page, 30)).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    await page.getByRole("button", { name: "Disqualify", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Disqualify lead" });
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog.getByText("Choose why the lead is disqualified")).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByLabel("Reason").selectOption("Unreachable");
    await dialog.getByLabel("Note").fill(LONG_NAME);
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(status(page, "Disqualified")).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);

    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await axeViolations(page)).toEqual([]);
    await mainNav(page).getByRole("link", { name: "Leads", exact: true }).click();
    await expect(page.getByRole("list", { name: "Leads" })).toContainText("Annie Easley");
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  });
}
