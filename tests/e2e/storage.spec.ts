import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import {
  APP_KEY,
  addContact,
  contactCount,
  contactLink,
  contactList,
  downloadedText,
  failOnPageErrors,
  openContacts,
  openSettings,
  started,
} from "./helpers";

// Where the app keeps what it cannot read (src/storage/quarantine.rs).
const QUARANTINE_PREFIX = "leadline.quarantine.";

const KEPT = "It has been kept aside untouched; you can download it below.";

test.beforeEach(async ({ page }) => {
  failOnPageErrors(page);
});

async function stored(page: Page, key: string): Promise<string | null> {
  return page.evaluate((k) => window.localStorage.getItem(k), key);
}

/** Every kept-aside value, by key. */
async function keptAside(page: Page): Promise<Record<string, string>> {
  return page.evaluate((prefix) => {
    const found: Record<string, string> = {};
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (key !== null && key.startsWith(prefix)) {
        found[key] = window.localStorage.getItem(key) ?? "";
      }
    }
    return found;
  }, QUARANTINE_PREFIX);
}

/** Puts `raw` under the app's key, as an older tab, another app or a
 * damaged disk might, then reloads so the app opens it. */
async function storeAndReload(page: Page, raw: string) {
  await started(page);
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, raw]);
  await page.reload();
}

test("a contact entered is still there after a reload, in the list and in search", async ({
  page,
}) => {
  await page.goto("./#/contacts");
  await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();

  await addContact(page, {
    name: "Ada Lovelace",
    organisation: "Analytical Engines Ltd",
    email: "ada@example.com",
  });
  await expect(page).toHaveURL(/\/leadline\/#\/contacts\/[0-9a-z]+-\d+$/);
  await expect(page.getByText("Analytical Engines Ltd")).toBeVisible();
  await expect(page.getByRole("link", { name: "ada@example.com" })).toBeVisible();

  await openContacts(page);
  await addContact(page, { name: "Grace Hopper", organisation: "Navy", email: "grace@example.com" });
  await openContacts(page);
  await page.reload();

  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  await expect(contactCount(page)).toHaveText("2 contacts");
  await expect(contactLink(page, "Ada Lovelace")).toBeVisible();
  await expect(contactList(page).getByRole("cell", { name: "Analytical Engines Ltd" })).toBeVisible();
  await expect(contactList(page).getByRole("cell", { name: "ada@example.com" })).toBeVisible();
  await expect(contactLink(page, "Grace Hopper")).toBeVisible();

  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("analytical");
  await expect(contactLink(page, "Ada Lovelace")).toBeVisible();
  await expect(contactLink(page, "Grace Hopper")).toBeHidden();
  await expect(contactCount(page)).toHaveText("1 of 2 contacts");

  await search.fill("grace@example");
  await expect(contactLink(page, "Grace Hopper")).toBeVisible();
  await expect(contactLink(page, "Ada Lovelace")).toBeHidden();

  await search.fill("nobody by that name");
  await expect(page.getByText("No contact matches the search.")).toBeVisible();

  await search.fill("");
  await contactLink(page, "Ada Lovelace").click();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await expect(page.getByText("Analytical Engines Ltd")).toBeVisible();
});

test("a change made in one tab shows in another open tab without a reload", async ({
  context,
  page,
}) => {
  const tabA = page;
  const tabB = await context.newPage();
  failOnPageErrors(tabB);
  await tabA.goto("./#/contacts");
  await tabB.goto("./#/contacts");
  await expect(tabB.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();
  // Anything set on the window is lost by a reload: this proves there is none.
  await tabB.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  // The person switches to tab A and works there; tab B stays open behind it.
  await tabA.bringToFront();
  await addContact(tabA, { name: "Katherine Johnson", organisation: "NASA" });

  await tabB.bringToFront();
  await expect(contactLink(tabB, "Katherine Johnson")).toBeVisible();
  await expect(contactCount(tabB)).toHaveText("1 contact");
  await expect(tabB.getByRole("alert")).toContainText(
    "Another tab changed your pipeline. This tab now shows the change.",
  );
  expect(
    await tabB.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
  ).toBe(true);

  // And back the other way: tab B's own change reaches tab A, and nothing
  // either tab did is lost.
  await tabB.getByRole("alert").getByRole("button", { name: "Dismiss" }).click();
  await expect(tabB.getByRole("alert")).toBeHidden();
  await addContact(tabB, { name: "Dorothy Vaughan", organisation: "NASA" });
  await tabA.bringToFront();
  await openContacts(tabA);
  await expect(contactLink(tabA, "Dorothy Vaughan")).toBeVisible();
  await expect(contactLink(tabA, "Katherine Johnson")).toBeVisible();
  await expect(tabA.getByRole("alert")).toContainText("Another tab changed your pipeline.");
  await expect(tabB.getByText("your last change here was not kept")).toBeHidden();

  await tabA.reload();
  await expect(contactCount(tabA)).toHaveText("2 contacts");
  await expect(contactLink(tabA, "Dorothy Vaughan")).toBeVisible();
  await expect(contactLink(tabA, "Katherine Johnson")).toBeVisible();

  // Something tab B cannot read lands in storage (a newer version in tab
  // A, say): tab B says so in plain words and does not save over it.
  const newer = '{"format":"leadline","schema":99,"revision":9,"data":{}}';
  await tabA.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, newer]);
  await tabB.bringToFront();
  await expect(tabB.getByRole("alert")).toContainText(
    "Another tab stored data this version cannot read. Nothing here will overwrite it",
  );
  await expect(tabB.getByRole("alert")).toContainText("It stays as the other tab left it.");
  await expect(tabB.getByRole("alert")).not.toContainText("kept aside");
  await openContacts(tabB);
  await addContact(tabB, { name: "Mary Jackson" });
  await tabB.waitForTimeout(1_000);
  expect(await stored(tabB, APP_KEY)).toBe(newer);
});

const damaged = [
  ["cut short", '{"format":"leadline","schema":1,'],
  ["not JSON at all", "not json"],
] as const;

for (const [what, garbage] of damaged) {
  test(`stored data that is ${what} is kept aside, explained and offered as a download`, async ({
    page,
  }) => {
    await page.goto("./#/contacts");
    await storeAndReload(page, garbage);

    const banner = page.getByRole("alert");
    await expect(banner).toContainText(
      `The saved pipeline could not be read: the stored text is damaged or incomplete. ${KEPT}`,
    );
    await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();

    // Opening the app copied it aside and wrote nothing over it.
    expect(Object.values(await keptAside(page))).toEqual([garbage]);
    expect(await stored(page, APP_KEY)).toBe(garbage);

    const downloading = page.waitForEvent("download");
    await banner.getByRole("button", { name: "Download the kept-aside data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^leadline-quarantine-[\w.-]+\.json$/);
    expect(await downloadedText(download)).toBe(garbage);

    // Carrying on: the new contact is saved and the kept-aside copy stays as it was.
    await addContact(page, { name: "Mary Jackson" });
    await expect
      .poll(() => stored(page, APP_KEY))
      .toMatch(/^\{"format":"leadline","schema":3,"revision":1,/);
    expect(Object.values(await keptAside(page))).toEqual([garbage]);

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Mary Jackson" })).toBeVisible();
    await expect(page.getByRole("alert")).toBeHidden();
    expect(Object.values(await keptAside(page))).toEqual([garbage]);

    // Settings still lists it, and it can be downloaded from there.
    await openSettings(page);
    const keptList = page.getByRole("listitem").filter({ hasText: "Kept aside" });
    await expect(keptList).toHaveCount(1);
    const again = page.waitForEvent("download");
    await keptList.getByRole("button", { name: "Download" }).click();
    expect(await downloadedText(await again)).toBe(garbage);
  });
}

test("data saved by a newer version is kept aside and the message says so", async ({ page }) => {
  const newer = JSON.stringify({
    format: "leadline",
    schema: 99,
    revision: 5,
    saved_at: "2031-03-01T09:00:00.000Z",
    encoding: "zstd-future",
    data: "packed by a future version",
  });
  await page.goto("./#/contacts");
  await storeAndReload(page, newer);

  const banner = page.getByRole("alert");
  await expect(banner).toContainText(
    `The saved pipeline was written by a newer version of Leadline (format 99; this version reads up to 3). ${KEPT}`,
  );
  expect(Object.values(await keptAside(page))).toEqual([newer]);
  expect(await stored(page, APP_KEY)).toBe(newer);

  const downloading = page.waitForEvent("download");
  await banner.getByRole("button", { name: "Download the kept-aside data" }).click();
  expect(await downloadedText(await downloading)).toBe(newer);

  await addContact(page, { name: "Annie Easley" });
  await expect.poll(() => stored(page, APP_KEY)).toMatch(/^\{"format":"leadline","schema":3,/);
  expect(Object.values(await keptAside(page))).toEqual([newer]);
});

test("an exported file brings everything back after erasing, and the import can be undone", async ({
  page,
}) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Hedy Lamarr", organisation: "Frequency Hopping Inc" });
  await openContacts(page);
  await addContact(page, { name: "Alan Turing", email: "alan@example.com" });

  await openSettings(page);
  const exporting = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  const exported = await exporting;
  await expect(page.getByText("Export ready: check your downloads.")).toBeVisible();
  const fileName = exported.suggestedFilename();
  expect(fileName).toMatch(/^leadline-\d{4}-\d{2}-\d{2}\.json$/);
  const exportText = await downloadedText(exported);
  const exportDoc = JSON.parse(exportText);
  expect(exportDoc).toMatchObject({ format: "leadline", schema: 3 });
  expect(exportDoc.data.contacts.map((c: { name: string }) => c.name).sort()).toEqual([
    "Alan Turing",
    "Hedy Lamarr",
  ]);

  await page.getByRole("button", { name: "Erase all data" }).click();
  const confirm = page.getByRole("dialog", { name: "Erase all data?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Erase everything" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("All data in this browser was erased.")).toBeVisible();

  await openContacts(page);
  await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();

  await openSettings(page);
  await page.getByLabel("Import", { exact: true }).setInputFiles({
    name: fileName,
    mimeType: "application/json",
    buffer: Buffer.from(exportText, "utf8"),
  });
  const preview = page.getByRole("region", { name: "Import preview" });
  await expect(preview).toContainText(
    `${fileName} holds 2 contacts, 0 leads, 0 opportunities and 0 accounts, saved `,
  );
  await preview.getByRole("button", { name: "Replace my pipeline with this file" }).click();
  await expect(preview).toBeHidden();
  await expect(
    page.getByText(
      `Imported 2 contacts, 0 leads, 0 opportunities and 0 accounts from ${fileName}.`,
    ),
  ).toBeVisible();

  await openContacts(page);
  await expect(contactCount(page)).toHaveText("2 contacts");
  await expect(contactLink(page, "Hedy Lamarr")).toBeVisible();
  await expect(contactList(page).getByRole("cell", { name: "Frequency Hopping Inc" })).toBeVisible();
  await expect(contactLink(page, "Alan Turing")).toBeVisible();
  await expect(contactList(page).getByRole("cell", { name: "alan@example.com" })).toBeVisible();

  await expect(page.getByText(`Imported ${fileName}`, { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No contacts yet. Add your first with New contact.")).toBeVisible();
});

test("a file that is not a Leadline export is refused and changes nothing", async ({ page }) => {
  await page.goto("./#/contacts");
  await addContact(page, { name: "Margaret Hamilton", organisation: "Apollo" });
  await openSettings(page);

  const badFiles = [
    {
      name: "contacts.json",
      text: "name,email\nMallory,mallory@example.com\n",
      says: "This file is not a Leadline export: it is not valid JSON",
    },
    {
      name: "other-crm.json",
      text: JSON.stringify({ contacts: [{ name: "Mallory" }] }),
      says: "This file is not a Leadline export",
    },
    {
      name: "future.json",
      text: JSON.stringify({
        format: "leadline",
        schema: 99,
        revision: 1,
        saved_at: "2031-03-01T09:00:00.000Z",
        data: { contacts: [{ name: "Mallory" }] },
      }),
      says: "This file was exported by a newer version of Leadline (format 99; this version reads up to 3). Update Leadline to import it.",
    },
  ];
  const importInput = page.getByLabel("Import", { exact: true });
  for (const file of badFiles) {
    await importInput.setInputFiles({
      name: file.name,
      mimeType: "application/json",
      buffer: Buffer.from(file.text, "utf8"),
    });
    await expect(page.getByRole("alert")).toContainText(file.says);
    await expect(page.getByRole("region", { name: "Import preview" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Replace my pipeline with this file" })).toBeHidden();
  }

  await openContacts(page);
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Margaret Hamilton")).toBeVisible();
  await expect(contactLink(page, "Mallory")).toBeHidden();
  await page.reload();
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Margaret Hamilton")).toBeVisible();
});

test("damaged data too large to copy aside stays where it is, and nothing saves over it", async ({
  page,
}) => {
  test.setTimeout(60_000);
  // About 6 MB of UTF-16: more than half of Chromium's quota, so no copy fits.
  const garbage = `{"damaged":"${"x".repeat(3_000_000)}`;
  await page.goto("./#/contacts");
  await storeAndReload(page, garbage);

  const banner = page.getByRole("alert");
  await expect(banner).toContainText("There was no room to set it aside, so it stays where it is, untouched");
  expect(Object.keys(await keptAside(page))).toEqual([]);

  // A change is kept on screen but not saved, and the app says so.
  await addContact(page, { name: "Dorothy Vaughan" });
  await expect(page.getByRole("alert")).toContainText("will not save over it");
  await page.reload();
  expect((await stored(page, APP_KEY)) === garbage).toBe(true);

  // The original can still be downloaded, byte for byte.
  const downloading = page.waitForEvent("download");
  await page
    .getByRole("alert")
    .getByRole("button", { name: "Download the kept-aside data" })
    .click();
  expect((await downloadedText(await downloading)) === garbage).toBe(true);

  // Starting fresh, once downloaded, frees the key and saving works again.
  await page.getByRole("alert").getByRole("button", { name: "Start fresh" }).click();
  await expect(page.getByRole("alert")).toBeHidden();
  await page.goto("./#/contacts");
  await addContact(page, { name: "Mary Jackson" });
  await expect
    .poll(() => stored(page, APP_KEY))
    .toMatch(/^\{"format":"leadline","schema":3,"revision":1,/);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Mary Jackson" })).toBeVisible();
});

test("a pipeline stored by the previous version opens, and the next save stores it in parts", async ({
  page,
}) => {
  // Schema 2 as the app stored it: the data's JSON in one compressed block.
  const previous = readFileSync("tests/fixtures/storage/v2-pipeline-packed.json", "utf8");
  expect(previous).toMatch(/^\{"format":"leadline","schema":2,.*"encoding":"lz4-u15"/);
  await page.goto("./#/contacts");
  await storeAndReload(page, previous);
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Ada Lovelace")).toBeVisible();
  await expect(page.getByRole("alert")).toBeHidden();

  await addContact(page, { name: "Katherine Johnson" });
  await expect
    .poll(() => stored(page, APP_KEY))
    .toMatch(/^\{"format":"leadline","schema":3,"revision":4,.*"encoding":"lz4-parts-u15"/);
  expect(Object.values(await keptAside(page))).toEqual([]);
  await page.reload();
  await openContacts(page);
  await expect(contactCount(page)).toHaveText("2 contacts");
  await expect(contactLink(page, "Ada Lovelace")).toBeVisible();
  await expect(contactLink(page, "Katherine Johnson")).toBeVisible();
});

test("a device whose record numbers are used up refuses new records and loses nothing", async ({
  page,
}) => {
  // As a damaged or crafted store could have it: the device's last number.
  const usedUp = JSON.stringify({
    format: "leadline",
    schema: 2,
    revision: 1,
    saved_at: "2026-01-01T09:00:00.000Z",
    data: {
      next_id: 4294967296,
      device: 7,
      contacts: [{ id: "7-4294967295", name: "Hedy Lamarr", created_at: 1767258000 }],
    },
  });
  await page.goto("./#/contacts");
  await storeAndReload(page, usedUp);
  await expect(contactCount(page)).toHaveText("1 contact");

  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await form.getByLabel("Name", { exact: true }).fill("Alan Turing");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "This pipeline has used up its record numbers, so nothing new can be added; nothing was changed",
  );
  await page.keyboard.press("Escape");

  await page.reload();
  await expect(contactCount(page)).toHaveText("1 contact");
  await expect(contactLink(page, "Hedy Lamarr")).toBeVisible();
  // Its own export still works, and says the same.
  await openSettings(page);
  const again = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  expect(await downloadedText(await again)).toContain('"next_id": 4294967296');
});

test("a right-to-left override in a name does not reverse the app's own words", async ({
  page,
}) => {
  const name = "Evil \u202Etxt.exe";
  await page.goto("./#/contacts");
  await addContact(page, { name });
  await page.getByRole("button", { name: "Make lead" }).click();
  const bar = page.getByRole("status").filter({ hasText: "a lead" });
  await expect(bar).toContainText("Made");
  // Where "lead" is drawn: its first letter left of its last, as it reads.
  const order = await bar.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      const at = text.lastIndexOf("lead");
      if (at < 0) continue;
      const x = (i: number) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect().left;
      };
      return { l: x(at), d: x(at + 3) };
    }
    return null;
  });
  expect(order).not.toBeNull();
  expect(order!.l).toBeLessThan(order!.d);
});
