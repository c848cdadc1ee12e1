// Address books as people have them: real exports from other programs'
// test suites come in whole, the Undo bar names the step Undo takes back,
// and contacts go back out as vCard that another vCard library reads.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { addContact, contactCount, contactLink, downloadedText, failOnPageErrors, openContacts, openSettings } from "./helpers";

test.beforeEach(async ({ page }) => failOnPageErrors(page));

const REAL = "tests/fixtures/transfer/real";

async function chooseFile(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel("File to import").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
  await expect(page.getByRole("heading", { level: 2, name: `Importing ${name}` })).toBeVisible();
}

async function importReal(page: Page, file: string, button: string) {
  await page.goto("./#/contacts/import");
  await chooseFile(page, file, readFileSync(`${REAL}/${file}`));
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByRole("link", { name: "See your contacts" })).toBeVisible();
}

async function findContact(page: Page, name: string) {
  await openContacts(page);
  await page.getByLabel("Search", { exact: true }).fill(name);
  await expect(contactLink(page, name)).toBeVisible();
}

test("phone and desktop address books come in whole", async ({ page }) => {
  await page.goto("./#/contacts");

  // Android writes vCard 2.1 with quoted-printable text; two cards have no name at all.
  await page.goto("./#/contacts/import");
  await chooseFile(page, "ezvcard-android.vcf", readFileSync(`${REAL}/ezvcard-android.vcf`));
  await expect(page.getByRole("heading", { name: "2 cards left out" })).toBeVisible();
  await expect(page.getByText("Card 1, Name: Name is required")).toBeVisible();
  const preview = page.getByRole("table", { name: "First rows as they will be imported" });
  await expect(preview.getByRole("columnheader", { name: "Card" })).toBeVisible();
  await page.getByRole("button", { name: "Import 4 contacts", exact: true }).click();
  await expect(page.getByText("Imported 4 new contacts from ezvcard-android.vcf.")).toBeVisible();

  // A Nokia phone's quoted-printable UTF-8, a Japanese phone's Shift_JIS.
  await importReal(page, "eds-nokia-qp-utf8.vcf", "Import 1 contact");
  await importReal(page, "android-v21-japanese-shiftjis.vcf", "Import 1 contact");
  // Outlook 2007: the honorific and suffix in the name, the work phone preferred.
  await importReal(page, "ezvcard-outlook-2007.vcf", "Import 1 contact");

  // A German Outlook export in Windows-1252: its headers are recognised.
  await page.goto("./#/contacts/import");
  await chooseFile(page, "tine20-outlook2013-de.csv", readFileSync(`${REAL}/tine20-outlook2013-de.csv`));
  await expect(page.getByRole("combobox", { name: "Import Anrede as" })).toHaveValue("prefix");
  await page.getByRole("button", { name: "Show 67 more columns" }).click();
  await expect(page.getByRole("combobox", { name: "Import Telefon geschäftlich as" })).toHaveValue("phone");
  await expect(page.getByRole("combobox", { name: "Import Fax geschäftlich as" })).toHaveValue("skip");
  await expect(page.getByRole("combobox", { name: "Import Position as" })).toHaveValue("title");
  await page.getByRole("button", { name: "Import 2 contacts", exact: true }).click();
  await expect(page.getByText("Imported 2 new contacts from tine20-outlook2013-de.csv.")).toBeVisible();

  // Google's CSV: the work email wins, the others are kept in Notes, and a
  // phone written as a word is left out of the contact, not the contact.
  await page.goto("./#/contacts/import");
  await chooseFile(page, "roundcube-gmail.csv", readFileSync(`${REAL}/roundcube-gmail.csv`));
  await expect(page.getByRole("heading", { name: "Values left out" })).toBeVisible();
  await expect(page.getByText("Row 2: Phone “workphone” left out")).toBeVisible();
  await page.getByLabel("Skip contacts with values left out").check();
  await expect(page.getByRole("button", { name: "Import 0 contacts", exact: true })).toBeDisabled();
  await page.getByLabel("Skip contacts with values left out").uncheck();
  await page.getByRole("button", { name: "Import 1 contact", exact: true }).click();

  await openContacts(page);
  await expect(contactCount(page)).toHaveText("10 contacts");
  await findContact(page, "Michael Brüning");
  await findContact(page, "安藤 ロイド 1");
  await findContact(page, "Cornelius Weiß");
  await findContact(page, "Mr. Michael Angstadt Jr.");
  await contactLink(page, "Mr. Michael Angstadt Jr.").click();
  await expect(page.getByRole("link", { name: "(111) 555-1111" })).toBeVisible();
  await findContact(page, "Prefix Firstname Middle Lastname Suffix");
  await contactLink(page, "Prefix Firstname Middle Lastname Suffix").click();
  await expect(page.getByRole("link", { name: "work@email.pl" })).toBeVisible();
  await expect(page.getByText("Home: home@aaa.pl")).toBeVisible();
});

test("the Undo bar names the import Undo takes back, and an import that changes nothing adds no step", async ({
  page,
}) => {
  await page.goto("./#/contacts/import");
  const people = "Name,Email\nAda Lovelace,ada@example.com\nGrace Hopper,grace@example.com\nAlan Turing,alan@example.com\n";
  await chooseFile(page, "people.csv", Buffer.from(people));
  await page.getByRole("button", { name: "Import 3 contacts", exact: true }).click();
  await expect(page.getByText("Imported 3 contacts from people.csv", { exact: true })).toBeVisible();

  // Only merges: Ada gets a phone.
  await chooseFile(page, "phones.csv", Buffer.from("Name,Email,Phone\nAda Lovelace,ada@example.com,+44 20 7946 0001\n"));
  await page.getByRole("button", { name: "Import 0 contacts and merge 1" }).click();
  await expect(page.getByText("Imported 1 contact from phones.csv", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await openContacts(page);
  await expect(contactCount(page)).toHaveText("3 contacts");
  await contactLink(page, "Ada Lovelace").click();
  await expect(page.getByRole("link", { name: "+44 20 7946 0001" })).toBeHidden();

  // The same people again: nothing to change, so nothing to undo.
  await page.goto("./#/contacts/import");
  await chooseFile(page, "people.csv", Buffer.from(people));
  await page.getByRole("button", { name: "Import 0 contacts and merge 3" }).click();
  await expect(
    page.getByText("Nothing changed: every contact in people.csv is already in Leadline with these details."),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo", exact: true })).toBeHidden();
  await openContacts(page);
  await expect(contactCount(page)).toHaveText("3 contacts");
});

test("contacts go out as vCard 4.0 that another vCard reader reads, and come back whole", async ({
  page,
  browser,
}) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Bjørn Åse", organisation: "Fjord; Fisk, og Sønn", email: "bjorn@fjord.example.no" });
  const one = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export vCard" }).click();
  const card = await one;
  expect(card.suggestedFilename()).toMatch(/^Bj.rn-.se-\d{4}-\d{2}-\d{2}\.vcf$/);
  const read = JSON.parse(execFileSync("python3", ["tests/e2e/read_vcard.py", await card.path()], { encoding: "utf8" }));
  expect(read).toEqual([
    expect.objectContaining({
      version: "4.0",
      fn: "Bjørn Åse",
      org: "Fjord; Fisk, og Sønn",
      email: "bjorn@fjord.example.no",
    }),
  ]);

  await openContacts(page);
  await addContact(page, { name: "Grace Hopper", email: "grace@example.com" });
  await openSettings(page);
  const all = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export vCard" }).click();
  const file = await all;
  expect(file.suggestedFilename()).toMatch(/^leadline-contacts-\d{4}-\d{2}-\d{2}\.vcf$/);
  const text = await downloadedText(file);
  const names = JSON.parse(execFileSync("python3", ["tests/e2e/read_vcard.py", await file.path()], { encoding: "utf8" }))
    .map((c: { fn: string }) => c.fn)
    .sort();
  expect(names).toEqual(["Bjørn Åse", "Grace Hopper"]);

  // Another device (an empty browser) takes the file in.
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const phone = await other.newPage();
  failOnPageErrors(phone);
  await phone.goto("./#/contacts/import");
  await chooseFile(phone, "contacts.vcf", Buffer.from(text, "utf8"));
  await phone.getByRole("button", { name: "Import 2 contacts", exact: true }).click();
  await findContact(phone, "Bjørn Åse");
  await contactLink(phone, "Bjørn Åse").click();
  await expect(phone.getByText("Fjord; Fisk, og Sønn")).toBeVisible();
  await expect(phone.getByRole("link", { name: "bjorn@fjord.example.no" })).toBeVisible();
  await other.close();
});
