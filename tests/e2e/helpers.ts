// Shared by the specs: page error guards, seeding stored data and axe-core.
import type { Page } from "@playwright/test";

export const APP_KEY = "leadline.pipeline";
// Tests run from the project root (see playwright.config.ts).
const axePath = "node_modules/axe-core/axe.min.js";

export function failOnPageErrors(page: Page) {
  page.on("pageerror", (error) => {
    throw error;
  });
  page.on("dialog", (dialog) => {
    throw new Error(`unexpected browser dialog: ${dialog.message()}`);
  });
}

/** Stores `text` as the pipeline, as a previous visit would have, and opens `hash`. */
export async function openWithData(page: Page, text: string, hash = "") {
  await page.goto("./");
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, text]);
  await page.goto(`./${hash}`);
  await page.reload();
}

/** axe-core's violations on the page as it is now, as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the script above defines
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  });
  return violations;
}
