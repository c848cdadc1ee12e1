// What several end-to-end specs do the same way: find the navigation,
// open a screen, add a contact through the form, read a download.
import { readFile } from "node:fs/promises";
import { expect, type Download, type Page } from "@playwright/test";

export function failOnPageErrors(page: Page) {
  page.on("pageerror", (error) => {
    throw error;
  });
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
