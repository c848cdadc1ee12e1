// The daily loop: nothing typed is lost, a new lead opens on its checklist,
// leads have next steps that Today and the calendar show.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { addContact, axeViolations, downloadedText, failOnPageErrors, mainNav, openSettings, openWithData } from "./helpers";

const SEED = readFileSync("tests/fixtures/opportunities/pipeline.json", "utf8");
const WEBSITE = "Analytical Engines: Website";

test.beforeEach(async ({ page }) => failOnPageErrors(page));

function summary(page: Page) {
  return page.getByRole("main").locator("dl").first();
}

/** Today's date where the browser is, as a date field writes it. */
async function localToday(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = new Date();
    const two = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  });
}

test("an amount typed and Mark won pressed at once wins the deal with that amount", async ({
  page,
}) => {
  await openWithData(page, SEED, "#/opportunities/3");
  await expect(page.getByRole("heading", { level: 1, name: WEBSITE })).toBeVisible();
  await page.getByLabel("Amount", { exact: true }).fill("42,000");
  await page.getByRole("button", { name: "Mark won" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark won?" });
  await dialog.getByRole("button", { name: "Mark won" }).click();
  await expect(dialog).toBeHidden();
  await expect(summary(page)).toContainText("Won on");
  await expect(summary(page)).toContainText("NOK 42,000.00");
});

test("an amount that is refused keeps Mark won from acting, and says why", async ({ page }) => {
  await openWithData(page, SEED, "#/opportunities/3");
  await page.getByLabel("Amount", { exact: true }).fill("lots");
  await page.getByRole("button", { name: "Mark won" }).click();
  await expect(page.getByRole("dialog", { name: "Mark won?" })).toBeHidden();
  await expect(page.getByRole("alert")).toHaveText(
    "Not done yet: a field below was not saved. Correct it (or put back what it had), then try again.",
  );
  await expect(page.getByLabel("Amount", { exact: true })).toBeFocused();
  await page.getByLabel("Amount", { exact: true }).fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert")).toBeHidden();
});

test("a next step typed stays through leaving, coming back and reloading", async ({ page }) => {
  await openWithData(page, SEED, "#/opportunities/3");
  const nextStep = page.getByLabel("Next step", { exact: true });
  await nextStep.fill("Send the proposal");
  // Straight to another screen, without pressing Save.
  await mainNav(page).getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await page.goBack();
  await expect(nextStep).toHaveValue("Send the proposal");

  // Typed and the tab reloaded while the field still has the focus.
  await nextStep.fill("Send the revised proposal");
  await expect(nextStep).toBeFocused();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: WEBSITE })).toBeVisible();
  await expect(nextStep).toHaveValue("Send the revised proposal");
});

test("a lead's next step due today is on Today and in the calendar file, and the list sorts by it", async ({
  page,
}) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Grace Hopper" });
  await page.getByRole("button", { name: "Make lead" }).click();
  await expect(page.getByRole("checkbox", { name: "Need" })).toBeFocused();
  const today = await localToday(page);
  await page.getByLabel("Next step", { exact: true }).fill("Call about the compiler");
  await page.getByLabel("Next step date", { exact: true }).fill(today);
  await expect(page.getByText("Edited Next step date")).toBeVisible();

  await mainNav(page).getByRole("link", { name: "Today" }).click();
  const due = page.getByRole("region", { name: "Next steps due" });
  const item = due.getByRole("listitem").filter({ hasText: "Grace Hopper" });
  await expect(item).toContainText("Call about the compiler");
  await expect(item).toContainText("Due today");
  await item.getByRole("link", { name: "Grace Hopper" }).click();
  await expect(page).toHaveURL(/#\/leads\/[0-9a-z]+-\d+$/);

  await openSettings(page);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export calendar" }).click();
  const ics = (await downloadedText(await download)).replace(/\r\n /g, "");
  expect(ics).toContain(`DTSTART;VALUE=DATE:${today.replace(/-/g, "")}`);
  expect(ics).toContain("SUMMARY:Call about the compiler (Grace Hopper)");

  await mainNav(page).getByRole("link", { name: "Contacts" }).click();
  await addContact(page, { name: "Alan Turing" });
  await page.getByRole("button", { name: "Make lead" }).click();
  await mainNav(page).getByRole("link", { name: "Leads" }).click();
  await page.getByLabel("Filter by next step").selectOption("Due or overdue");
  const list = page.getByRole("list", { name: "Leads" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list.getByRole("listitem")).toContainText("Grace Hopper");
  await page.getByLabel("Filter by next step").selectOption("Any next step");
  await page.getByLabel("Sort by").selectOption("Next step date");
  await expect(list.getByRole("listitem").first()).toContainText("Grace Hopper");
});

test("search everything finds every kind of record and opens one from the keyboard", async ({
  page,
}) => {
  await openWithData(page, SEED, "#/today");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.keyboard.press("Control+k");
  const search = page.getByRole("combobox", { name: "Search everything" });
  await expect(search).toBeFocused();
  await page.keyboard.type("navy");
  const results = page.getByRole("listbox", { name: "Search results" });
  await expect(results.getByRole("group", { name: "Contacts" }).getByRole("option")).toHaveText([
    /Grace Hopper/,
  ]);
  await expect(results.getByRole("group", { name: "Leads" }).getByRole("option")).toHaveText([
    /Grace Hopper/,
  ]);
  await expect(
    results.getByRole("group", { name: "Opportunities" }).getByRole("option"),
  ).toHaveText([/Navy Labs: Compiler/]);
  await expect(page.getByText("3 found; use the arrow keys to choose and Enter to open.")).toBeAttached();

  // Down twice: the opportunity; Enter opens it.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(search).toHaveAttribute("aria-activedescendant", "search-everything-option-2");
  await expect(results.getByRole("option", { selected: true })).toContainText("Navy Labs: Compiler");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Navy Labs: Compiler" })).toBeVisible();
  await expect(search).toHaveValue("");

  // "/" gets there too, from anywhere but a text field.
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await page.keyboard.type("lovelace");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
});

test("Today's figures are links, and each list shows as many records as its figure says", async ({
  page,
}) => {
  const seed = readFileSync("tests/fixtures/e2e/today.json", "utf8");
  await openWithData(page, seed, "#/today");
  const standing = page.getByRole("region", { name: "Where the pipeline stands" });
  await expect(standing).toBeVisible();
  const figures: [string, string][] = [
    ["Open deals", "Opportunities"],
    ["Expected to close this month", "Opportunities"],
    ["Leads waiting for qualification", "Leads"],
    ["New leads this week", "Leads"],
  ];
  for (const [label, list] of figures) {
    const link = standing.getByRole("link", { name: new RegExp(label) });
    const value = Number((await link.locator(".figure-value").textContent())?.replace(/\D/g, ""));
    await link.click();
    await expect(page.getByRole("heading", { level: 1, name: list })).toBeVisible();
    await expect(page.getByText(`Showing: ${label}.`)).toBeVisible();
    const count = page.getByRole("main").getByRole("status").filter({ hasText: /\d+ (of \d+ )?(leads?|opportunit)/ });
    const shown = Number((await count.textContent())?.match(/\d[\d,]*/)?.[0].replace(/,/g, ""));
    expect(shown, label).toBe(value);
    await page.goBack();
    await expect(standing).toBeVisible();
  }
  // The win rate says how many were won of how many closed, and its list shows those closed.
  const winRate = standing.getByRole("link", { name: /Win rate, last 90 days/ });
  const closed = (await winRate.textContent())?.match(/won of (\d+) closed/)?.[1];
  await winRate.click();
  if (closed) {
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: /opportunit/ })).toContainText(
      `${closed} of`,
    );
  }
  await expect(page.getByText("Showing: Win rate, last 90 days.")).toBeVisible();
  await page.getByRole("link", { name: "Show all" }).click();
  await expect(page.getByText("Showing: Win rate, last 90 days.")).toHaveCount(0);
});

test("sample data comes in on an empty pipeline and goes out without the user's own records", async ({
  page,
}) => {
  await page.goto("./#/today");
  await page.getByRole("button", { name: "Try Leadline with sample data" }).click();
  const banner = page.getByRole("region", { name: "Remove sample data" });
  await expect(banner).toContainText("You are looking at sample data");
  await expect(page.getByRole("region", { name: "Where the pipeline stands" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Try Leadline with sample data" })).toBeHidden();
  expect(await axeViolations(page), "Today with sample data").toEqual([]);
  // The search list, open.
  await page.getByRole("combobox", { name: "Search everything" }).fill("a");
  await expect(page.getByRole("listbox", { name: "Search results" })).toBeVisible();
  expect(await axeViolations(page), "Search everything, open").toEqual([]);
  await page.keyboard.press("Escape");

  await mainNav(page).getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("main").getByRole("status").first()).toHaveText("60 contacts");
  await addContact(page, { name: "My Own Client" });
  // Still sample data after a reload.
  await page.reload();
  await expect(banner).toBeVisible();

  await banner.getByRole("button", { name: "Remove sample data" }).click();
  await expect(banner).toBeHidden();
  await mainNav(page).getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("main").getByRole("status").first()).toHaveText("1 contact");
  await expect(page.getByRole("link", { name: "My Own Client" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("main").getByRole("status").first()).toHaveText("1 contact");
});
