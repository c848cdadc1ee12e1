import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { APP_KEY, addContact, contactCount, contactLink, downloadedText, failOnPageErrors, openContacts, openSettings, expectChosen, started } from "./helpers";

const seed = readFileSync("tests/fixtures/e2e/today.json", "utf8");

test.beforeEach(async ({ page }) => failOnPageErrors(page));

// A Salesforce lead export as Nordic Excel saves it: a byte order mark and semicolons.
const salesforceCsv =
  "\uFEFFFirstName;LastName;Company;Email;Phone;LeadSource;Status;Description\r\n" +
  "Ada;Lovelace;Analytical Engines;ADA@example.com;;Web;Open - Not Contacted;Met at the fair\r\n" +
  "Grace;Hopper;US Navy;grace@example.com;+1 555 0100;Partner Referral;Working - Contacted;Wants a demo\r\n" +
  "Alan;Turing;Bletchley Park;alan@example;;;;\r\n" +
  "Katherine;Johnson;NASA;katherine@example.com;;;;Orbit maths\r\n";

test("a Salesforce CSV comes in through the column mapping, and Undo takes it all back", async ({
  page,
}) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Ada Lovelace", email: "ada@example.com" });
  await openContacts(page);

  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
  await expect(page.getByText("Files up to 5 MB.")).toBeVisible();
  await page.getByLabel("File to import").setInputFiles({
    name: "salesforce.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(salesforceCsv, "utf8"),
  });

  await expect(page.getByText("4 rows, separated by semicolons, read as UTF-8.")).toBeVisible();
  await expectChosen(page.getByLabel("Import FirstName as"), "First name");
  await expectChosen(page.getByLabel("Import Company as"), "Organisation");
  await expectChosen(page.getByLabel("Import Status as"), "Lead status");

  const preview = page.getByRole("table", { name: "First rows as they will be imported" });
  const graceRow = preview.getByRole("row").filter({ hasText: "Grace Hopper" });
  await expect(graceRow).toContainText("+1 555 0100");
  await expect(graceRow).toContainText("Contacted lead");
  await page.getByLabel("Import Phone as").selectOption("Don't import");
  await expect(graceRow).not.toContainText("+1 555 0100");

  // A bad value is left out of its contact, not the contact, unless the user says so.
  await expect(
    page.getByText("Row 4: Email “alan@example” left out (Email must look like name@example.com)"),
  ).toBeVisible();
  await expect(
    page.getByText("Row 2, Ada Lovelace: same email as Ada Lovelace, already in Leadline"),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Import 3 contacts and merge 1" })).toBeVisible();
  await page.getByLabel("Skip contacts with values left out").check();
  await expect(page.getByRole("button", { name: "Import 2 contacts and merge 1" })).toBeVisible();
  await page.getByLabel("Row 2", { exact: true }).selectOption("Skip");
  await page.getByRole("button", { name: "Import 2 contacts", exact: true }).click();

  await expect(
    page.getByText("Imported 2 new contacts from salesforce.csv; 1 became a lead."),
  ).toBeVisible();
  await expect(page.getByText("Imported 2 contacts from salesforce.csv", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "See your contacts" }).click();
  await expect(contactCount(page)).toHaveText("3 contacts");
  await page.getByLabel("Search", { exact: true }).fill("hopper");
  await expect(contactLink(page, "Grace Hopper")).toBeVisible();
  await expect(page.getByRole("cell", { name: "US Navy" })).toBeVisible();
  await page.getByLabel("Search", { exact: true }).fill("NASA");
  await expect(contactLink(page, "Katherine Johnson")).toBeVisible();
  await page.getByLabel("Search", { exact: true }).fill("");
  await expect(contactLink(page, "Alan Turing")).toBeHidden();

  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Grace Hopper")).toBeHidden();
  await page.reload();
  await expect(contactCount(page)).toHaveText("1 contact");
});

test("a file that cannot be read imports nothing and says why", async ({ page }) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Margaret Hamilton" });
  await page.goto("./#/contacts/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
  const file = page.getByLabel("File to import");

  const badFiles = [
    {
      name: "broken.csv",
      text: 'Name,Email,Notes\nAda,ada@example.com,fine\nGrace,grace@example.com,"never closed\nAlan,alan@example.com,x\n',
      says: "Row 3 opens a quotation mark that is never closed",
    },
    {
      name: "cut-off.vcf",
      text: "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Gra",
      says: "Card 2 has no END:VCARD line: the file may be cut off.",
    },
    {
      name: "huge.csv",
      text: "Name\n" + "x".repeat(5 * 1024 * 1024),
      says: "too large: Leadline imports CSV and vCard files of up to 5 MB",
    },
  ];
  for (const bad of badFiles) {
    await file.setInputFiles({ name: bad.name, mimeType: "text/plain", buffer: Buffer.from(bad.text) });
    await expect(page.getByRole("alert")).toContainText(bad.says);
    await expect(page.getByRole("button", { name: /^Import \d+ contact/ })).toBeHidden();
  }

  // Settings' Import field sends address books here too; Cancel leaves everything as it was.
  await openSettings(page);
  await page.getByLabel("Import", { exact: true }).setInputFiles({
    name: "phone.vcf",
    mimeType: "text/vcard",
    buffer: Buffer.from("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Radia Perlman\r\nEND:VCARD\r\n"),
  });
  await expect(page.getByRole("heading", { level: 2, name: "Importing phone.vcf" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Import 1 contact" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();

  await openContacts(page);
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Margaret Hamilton")).toBeVisible();
});

test("contacts export as CSV for Excel with formulas made harmless, and next steps as a calendar", async ({
  page,
}) => {
  await page.goto("./");
  await started(page);
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, seed]);
  await page.goto("./#/contacts");
  await page.reload();
  await addContact(page, { name: '=HYPERLINK("http://example.com")' });
  await openSettings(page);

  await page.getByLabel("Records to export").selectOption("Contacts");
  await page.getByLabel("For Excel").check();
  const csvDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^leadline-contacts-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvText = await downloadedText(csv);
  expect(csvText.startsWith("\uFEFFName;Type;Organisation;Title;Email;Phone;Website;Source;Notes;Tags;Created\r\n")).toBe(true);
  expect(csvText).toContain('"\'=HYPERLINK(""http://example.com"")";Person;');

  // The plain file keeps every value exactly as stored, and says so.
  await page.getByLabel("For Excel").uncheck();
  await expect(page.getByText("Export CSV: every value exactly as stored")).toBeVisible();
  const plainDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const plainText = await downloadedText(await plainDownload);
  expect(plainText.startsWith("Name,Type,Organisation,")).toBe(true);
  expect(plainText).toContain('"=HYPERLINK(""http://example.com"")",Person,');
  expect(plainText).not.toContain("'");

  const icsDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export calendar" }).click();
  const ics = await icsDownload;
  expect(ics.suggestedFilename()).toMatch(/^leadline-\d{4}-\d{2}-\d{2}\.ics$/);
  const icsText = await downloadedText(ics);
  expect(icsText.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
  const unfolded = icsText.replace(/\r\n /g, "");
  expect(unfolded).toContain("DTSTART;VALUE=DATE:20250110");
  expect(unfolded).toContain("SUMMARY:Send proposal (Nordlys rollout)");
});
