import { expect, test } from "@playwright/test";

// The failed fetches are made by routing; a service worker would answer first.
test.use({ serviceWorkers: "block" });

// Screens other than the start page are wasm chunks fetched when first shown.
const chunk = /\/(split|chunk)_[^/]*\.wasm$/;

test("the start page loads no screen chunk; a screen's chunk comes when it is opened", async ({
  page,
}) => {
  const fetched: string[] = [];
  page.on("request", (request) => {
    if (chunk.test(new URL(request.url()).pathname)) fetched.push(request.url());
  });
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(fetched).toEqual([]);

  await page.getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("button", { name: "New contact" })).toBeVisible();
  expect(fetched.some((url) => /split_people/.test(url))).toBe(true);
});

test("opened at a screen's address, the app fetches that screen's code while it reads the stored data", async ({
  page,
}) => {
  await page.goto("./#/opportunities");
  await expect(page.getByRole("heading", { level: 1, name: "Opportunities" })).toBeVisible();
  // The app's own measure of reading the stored pipeline, and when the
  // screen's code was asked for.
  const [loadEnd, fetchStart] = await page.evaluate(() => {
    const load = performance.getEntriesByName("leadline-load")[0];
    const code = performance
      .getEntriesByType("resource")
      .find((e) => /\/split_deals[^/]*\.wasm$/.test(new URL(e.name).pathname));
    return [load ? load.startTime + load.duration : null, code ? code.startTime : null];
  });
  expect(loadEnd).not.toBeNull();
  expect(fetchStart).not.toBeNull();
  expect(fetchStart!).toBeLessThanOrEqual(loadEnd!);
});

test("a screen that cannot be fetched says so, the rest keeps working, and Try again loads it", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("./#/contacts");
  await page.getByRole("button", { name: "New contact" }).click();
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();

  // The site is offline (or was updated) just as the user opens Settings.
  await page.route(/split_settings[^/]*\.wasm$/, (route) => route.abort());
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "This screen could not be loaded" }),
  ).toBeVisible();
  await expect(page.getByText("Your data is safe.")).toBeVisible();

  // The app did not stop: other screens and the saved contact are still there.
  await page.getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("link", { name: "Ada Lovelace" })).toBeVisible();

  // Still offline on the way back; then the connection returns and Try
  // again brings the screen.
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "This screen could not be loaded" }),
  ).toBeVisible();
  await page.unroute(/split_settings[^/]*\.wasm$/);
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Export JSON" })).toBeVisible();
  expect(errors).toEqual([]);
});
