import { expect, test, type Page } from "@playwright/test";

// One new contact taken all the way to a customer, by the names on the
// screens, and everything found again after a reload.

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

const heading = (page: Page, name: string) => page.getByRole("heading", { level: 1, name });
const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

test("a contact becomes a lead, a qualified lead, an opportunity and a customer", async ({ page }) => {
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name").fill("Ingrid Solberg");
  await form.getByLabel("Type").selectOption("Person");
  await form.getByLabel("Organisation").fill("Solberg Bygg AS");
  await form.getByLabel("Email").fill("ingrid@solbergbygg.no");
  await form.getByLabel("Source").selectOption("Referral");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(heading(page, "Ingrid Solberg")).toBeVisible();

  // Contact -> lead.
  await page.getByRole("button", { name: "Make lead" }).click();
  // Make lead opens the new lead, ready for its checklist.
  await expect(page).toHaveURL(/#\/leads\/[0-9a-z]+-\d+$/);
  await expect(page.getByRole("checkbox", { name: "Need" })).toBeFocused();
  const leadUrl = page.url();
  await expect(page.getByRole("button", { name: "Qualify", exact: true })).toBeDisabled();

  // The checklist: need, budget and timeline open the gate.
  await page.getByRole("checkbox", { name: "Need" }).check();
  await page.getByRole("checkbox", { name: "Budget" }).check();
  await page.getByRole("checkbox", { name: "Timeline" }).check();
  await expect(page.getByText("Score 80")).toBeVisible();
  await page.getByRole("button", { name: "Qualify", exact: true }).click();
  await expect(page.getByRole("button", { name: "Convert to opportunity" })).toBeEnabled();

  // Lead -> opportunity.
  await page.getByRole("button", { name: "Convert to opportunity" }).click();
  await expect(page).toHaveURL(/#\/opportunities\/[0-9a-z]+-\d+$/);
  const opportunityUrl = page.url();
  await page.getByLabel("Amount").fill("125,000");
  await page.getByLabel("Currency").selectOption("NOK");
  await page.getByLabel("Next step", { exact: true }).fill("Sign the contract");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("NOK 125,000.00").first()).toBeVisible();

  // Opportunity -> customer.
  await page.getByRole("button", { name: "Mark won" }).click();
  await page.getByRole("dialog", { name: "Mark won?" }).getByRole("button", { name: "Mark won" }).click();
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await page.getByRole("link", { name: "Solberg Bygg AS" }).first().click();
  await expect(page).toHaveURL(/#\/accounts\/[0-9a-z]+-\d+$/);
  const accountUrl = page.url();
  await expect(page.getByText("NOK 125,000.00").first()).toBeVisible();

  // Everything is there after a reload.
  await page.reload();
  await expect(page.getByRole("link", { name: "Ingrid Solberg" }).first()).toBeVisible();
  await expect(page.getByText("NOK 125,000.00").first()).toBeVisible();
  await page.goto(opportunityUrl);
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await page.goto(leadUrl);
  await expect(page.getByText("Converted").first()).toBeVisible();
  await mainNav(page).getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByRole("link", { name: "Solberg Bygg AS" })).toBeVisible();
  await mainNav(page).getByRole("link", { name: "Contacts" }).click();
  await page.getByRole("link", { name: "Ingrid Solberg" }).click();
  await expect(page.getByText("Customer:")).toBeVisible();
  expect(accountUrl).toMatch(/#\/accounts\/[0-9a-z]+-\d+$/);
});
