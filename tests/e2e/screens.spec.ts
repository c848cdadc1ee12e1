import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { axeViolations, failOnPageErrors, openWithData } from "./helpers";

const seed = readFileSync("tests/fixtures/e2e/today.json", "utf8");

test.beforeEach(async ({ page }) => failOnPageErrors(page));

test("Today lists overdue next steps and quiet leads, each a link to its record", async ({ page }) => {
  await openWithData(page, seed);
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  const due = page.getByRole("region", { name: "Next steps due" });
  await expect(due.getByRole("link", { name: "Nordlys rollout" })).toBeVisible();
  await expect(due).toContainText("Send proposal");
  await expect(due).toContainText("Overdue since 2025-01-10");
  const quiet = page.getByRole("region", { name: "Leads not touched for 14 days" });
  await expect(quiet.getByRole("link", { name: "Nora Berg" })).toBeVisible();
  await expect(quiet).toContainText("Contacted");

  await due.getByRole("link", { name: "Nordlys rollout" }).click();
  await expect(page).toHaveURL(/#\/opportunities\/[0-9a-z]+-\d+$/);
  await page.goBack();
  await quiet.getByRole("link", { name: "Nora Berg" }).click();
  await expect(page).toHaveURL(/#\/leads\/[0-9a-z]+-\d+$/);
});

test("an empty Today welcomes the user and says nothing is due", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByText("Welcome to Leadline.")).toBeVisible();
  await expect(page.getByText("No next steps are due today.")).toBeVisible();
  await page.getByRole("link", { name: "contact", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
});

test("a name written as markup is shown as text and never runs", async ({ page }) => {
  const name = "<img src=x onerror=alert(1)>";
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Website").fill("javascript:alert(1)");
  await form.getByRole("button", { name: "Save" }).click();
  // A website that is not http(s) is refused with a message, not stored.
  await expect(form.getByText(/http/i)).toBeVisible();
  await form.getByLabel("Website").fill("");
  await form.getByRole("button", { name: "Save" }).click();

  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("link", { name })).toBeVisible();
  expect(await page.locator("main img").count()).toBe(0);
});

test("n opens New contact from any screen, Escape closes it, / focuses Search", async ({ page }) => {
  await page.goto("./#/today");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.keyboard.press("n");
  const form = page.getByRole("dialog", { name: "New contact" });
  await expect(form).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  // Typing in the form is not taken as a shortcut.
  await form.getByLabel("Name").fill("n/n");
  await expect(form.getByLabel("Name")).toHaveValue("n/n");
  await page.keyboard.press("Escape");
  await expect(form).toBeHidden();

  await page.keyboard.press("/");
  await expect(page.getByRole("combobox", { name: "Search everything" })).toBeFocused();
  await page.keyboard.type("zzz");
  await expect(page.getByRole("combobox", { name: "Search everything" })).toHaveValue("zzz");
  await expect(page.getByText("Nothing matches “zzz”.")).toBeAttached();
});

test("every screen, and an open dialog, has no accessibility violations", async ({ page }) => {
  await openWithData(page, seed);
  const screens: [string, string][] = [
    ["#/today", "Today"],
    ["#/contacts", "Contacts"],
    ["#/contacts/1", "Nora Berg"],
    ["#/leads", "Leads"],
    ["#/opportunities", "Opportunities"],
    ["#/accounts", "Accounts"],
    ["#/funnel", "Funnel"],
    ["#/settings", "Settings"],
    ["#/contacts/import", "Import contacts"],
    ["#/nowhere", "Page not found"],
  ];
  for (const [hash, heading] of screens) {
    await page.goto(`./${hash}`);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    expect(await axeViolations(page), hash).toEqual([]);
  }
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact" }).click();
  await page.getByRole("dialog", { name: "New contact" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();
  expect(await axeViolations(page), "New contact dialog with errors").toEqual([]);

  // The import screen with a file read: columns, first rows, a value left
  // out, a row left out, a duplicate.
  await page.goto("./#/contacts/import");
  await page.getByLabel("File to import").setInputFiles({
    name: "people.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("Name,Organisation,Email,Status\nNora Berg,Fjordkraft Analyse AS,,Nurturing\nBad,,not-an-email,\nNew Person,,new@example.com,New\n,,nobody@example.com,\n"),
  });
  await expect(page.getByText("Row 3: Email “not-an-email” left out")).toBeVisible();
  await expect(page.getByText("Row 5, Name: Name is required")).toBeVisible();
  await expect(page.getByText("1 possible duplicate")).toBeVisible();
  expect(await axeViolations(page), "Import with a file read").toEqual([]);
});

test("deleting a contact can be undone, and the contact is back after a reload", async ({ page }) => {
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name").fill("Kari Holm");
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByRole("button", { name: "Save" }).click();
  // Field-level message, and nothing saved yet.
  await expect(form.getByText("Email must look like name@example.com")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Email").fill("kari@example.no");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kari Holm" })).toBeVisible();

  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Kari Holm" })).toBeHidden();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("link", { name: "Kari Holm" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: "Kari Holm" })).toBeVisible();
});

test("contacts can be filtered by stage and sorted", async ({ page }) => {
  await openWithData(page, seed, "#/contacts");
  const rows = page.getByRole("table", { name: "Contacts" }).getByRole("link");
  await expect(rows).toHaveText(["Ola Nordmann", "Nora Berg"]);
  await page.getByLabel("Sort by").selectOption("Name");
  await expect(rows).toHaveText(["Nora Berg", "Ola Nordmann"]);
  await page.getByLabel("Filter by stage").selectOption("Opportunity");
  await expect(rows).toHaveText(["Ola Nordmann"]);
  await expect(page.getByText("1 of 2 contacts")).toBeVisible();
  await page.getByLabel("Filter by stage").selectOption("Lead");
  await expect(rows).toHaveText(["Nora Berg"]);
  await page.getByLabel("Filter by stage").selectOption("Customer");
  await expect(page.getByText("No contact matches the search.")).toBeVisible();
});
