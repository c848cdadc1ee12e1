// Shared by the specs: page error guards, seeding stored data, axe-core,
// finding the navigation, opening a screen, adding a contact through the
// form, reading a download.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { expect, type Download, type Locator, type Page } from "@playwright/test";

export const APP_KEY = "leadline.pipeline";
// Tests run from the project root (see playwright.config.ts). Evaluated
// through the DevTools protocol, which the app's CSP does not govern, so
// accessibility is checked on the page exactly as it ships.
const axeSource = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

export function failOnPageErrors(page: Page) {
  page.on("pageerror", (error) => {
    throw error;
  });
  page.on("dialog", (dialog) => {
    throw new Error(`unexpected browser dialog: ${dialog.message()}`);
  });
}

/**
 * Waits until the app has read what was stored and shows a screen. Data
 * written behind its back before then would race its own start-up read.
 */
export async function started(page: Page) {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

/** Stores `text` as the pipeline, as a previous visit would have, and opens `hash`. */
export async function openWithData(page: Page, text: string, hash = "") {
  await page.goto("./");
  await started(page);
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, text]);
  await page.goto(`./${hash}`);
  await page.reload();
}

/** axe-core's violations on the page as it is now, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the global axeSource defines
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  });
  return violations;
}

export type NewContact = { name: string; organisation?: string; email?: string };

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

export async function openContacts(page: Page) {
  await mainNav(page).getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
}

export async function openSettings(page: Page) {
  await mainNav(page).getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
}

/** Adds a contact the way a person does; ends on the new contact's page. */
export async function addContact(page: Page, contact: NewContact) {
  await page.getByRole("button", { name: "New contact" }).click();
  const form = page.getByRole("dialog", { name: "New contact" });
  await expect(form).toBeVisible();
  await form.getByLabel("Name", { exact: true }).fill(contact.name);
  if (contact.organisation) {
    await form.getByLabel("Organisation", { exact: true }).fill(contact.organisation);
  }
  if (contact.email) {
    await form.getByLabel("Email", { exact: true }).fill(contact.email);
  }
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: contact.name })).toBeVisible();
}

export function contactList(page: Page) {
  return page.getByRole("table", { name: "Contacts" });
}

export function contactLink(page: Page, name: string) {
  return contactList(page).getByRole("link", { name, exact: true });
}

export function contactCount(page: Page) {
  return page.getByRole("main").getByRole("status");
}

export async function downloadedText(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, "utf8");
}

/** A select shows `label` as its choice: the chosen option, as a person reads it. */
export async function expectChosen(select: Locator, label: string) {
  await expect(select.getByRole("option", { name: label, exact: true, selected: true })).toHaveCount(1);
}

/** Opens a deal from the Opportunities list. */
export async function openDeal(page: Page, name: string) {
  await mainNav(page).getByRole("link", { name: "Opportunities", exact: true }).click();
  await page.getByRole("button", { name: "List", exact: true }).click();
  await page.getByRole("table", { name: "Opportunities" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name, exact: true })).toBeVisible();
}

/** Sets the open deal's amount and saves it. */
export async function setAmount(page: Page, amount: string) {
  await page.getByLabel("Amount", { exact: true }).fill(amount);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
}

/** The names on the Contacts list, sorted. */
export async function contactNames(page: Page): Promise<string[]> {
  await openContacts(page);
  await expect(contactList(page)).toBeVisible();
  return (await contactList(page).getByRole("link").allTextContents()).sort();
}
