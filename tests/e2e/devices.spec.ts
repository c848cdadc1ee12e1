// One pipeline on two devices, kept together with exported files: each
// browser context is a device with its own storage.
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  addContact,
  contactLink,
  contactNames,
  downloadedText,
  failOnPageErrors,
  openContacts,
  openDeal,
  openSettings,
  openWithData,
  setAmount,
} from "./helpers";

const SEED = readFileSync("tests/fixtures/opportunities/pipeline.json", "utf8");
const WEBSITE = "Analytical Engines: Website";

async function device(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  failOnPageErrors(page);
  await page.goto("./#/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await nameDevice(page, name);
  return page;
}

async function nameDevice(page: Page, name: string) {
  const field = page.getByLabel("Device name", { exact: true });
  await field.fill(name);
  await field.press("Enter");
  await field.blur();
  await expect(field).toHaveValue(name);
}

/** Settings → Export JSON, as the text of the file. */
async function exportFile(page: Page): Promise<string> {
  await openSettings(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  return downloadedText(await downloading);
}

/** Settings → Import of `text`, showing the preview. */
async function chooseFile(page: Page, name: string, text: string) {
  await openSettings(page);
  await page.getByLabel("Import", { exact: true }).setInputFiles({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text, "utf8"),
  });
  const preview = page.getByRole("region", { name: "Import preview" });
  await expect(preview).toBeVisible();
  return preview;
}

async function mergeFile(page: Page, name: string, text: string) {
  const preview = await chooseFile(page, name, text);
  await preview.getByRole("button", { name: "Merge with my pipeline" }).click();
  await expect(preview).toBeHidden();
}

test("two devices merge each other's exports: same lists, the newer amount, and what lost is told", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const phone = await device(browser, "Phone");
  await openWithData(phone, SEED, "#/settings");
  await nameDevice(phone, "Phone");
  const laptop = await device(browser, "Laptop");

  // The laptop starts from the phone's export.
  const first = await exportFile(phone);
  const preview = await chooseFile(laptop, "phone.json", first);
  await expect(preview).toContainText("Merging adds 3 contacts");
  await preview.getByRole("button", { name: "Merge with my pipeline" }).click();
  await expect(preview).toBeHidden();
  expect(await contactNames(laptop)).toEqual(await contactNames(phone));

  // Both change the same deal's amount, the laptop later; each adds a contact.
  await openDeal(phone, WEBSITE);
  await setAmount(phone, "12,000");
  await openContacts(phone);
  await addContact(phone, { name: "Mary Jackson" });
  await openDeal(laptop, WEBSITE);
  await setAmount(laptop, "15,000");
  await openContacts(laptop);
  await addContact(laptop, { name: "Alan Turing" });

  // The laptop's export merged on the phone, the phone's back on the laptop.
  const fromLaptop = await exportFile(laptop);
  const beforeMerge = await exportFile(phone);
  const onPhone = await chooseFile(phone, "laptop.json", fromLaptop);
  await expect(onPhone).toContainText("Merging adds 1 contact");
  await expect(onPhone).toContainText("1 value changed on both devices");
  await onPhone.getByRole("button", { name: "Merge with my pipeline" }).click();
  await expect(onPhone).toBeHidden();
  await mergeFile(laptop, "phone.json", await exportFile(phone));

  for (const page of [phone, laptop]) {
    expect(await contactNames(page)).toContain("Mary Jackson");
    expect(await contactNames(page)).toContain("Alan Turing");
    await openDeal(page, WEBSITE);
    await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("15,000.00");
    await expect(
      page.getByText("Also changed on Phone: Amount NOK 12,000.00, kept NOK 15,000.00"),
    ).toBeVisible();
  }
  expect(await contactNames(phone)).toEqual(await contactNames(laptop));

  // Undo takes the merge back on the phone: as it was before, after a reload too.
  await openSettings(phone);
  await phone.getByRole("button", { name: "Undo", exact: true }).click();
  await phone.reload();
  const after = JSON.parse(await exportFile(phone));
  const before = JSON.parse(beforeMerge);
  expect(after.data.contacts).toEqual(before.data.contacts);
  expect(after.data.opportunities).toEqual(before.data.opportunities);
  await openContacts(phone);
  await expect(contactLink(phone, "Alan Turing")).toBeHidden();
  await expect(contactLink(phone, "Mary Jackson")).toBeVisible();
});

test("a device is named in Settings, and a blank name is refused in words", async ({ browser }) => {
  const page = await device(browser, "Work laptop");
  await page.reload();
  await expect(page.getByLabel("Device name", { exact: true })).toHaveValue("Work laptop");
  const field = page.getByLabel("Device name", { exact: true });
  await field.fill("   ");
  await field.press("Enter");
  await expect(page.getByRole("alert")).toContainText("Device name");
  await page.reload();
  await expect(page.getByLabel("Device name", { exact: true })).toHaveValue("Work laptop");
});
