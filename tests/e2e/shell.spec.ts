import { expect, test } from "@playwright/test";

const sections = [
  ["Today", "today"],
  ["Contacts", "contacts"],
  ["Leads", "leads"],
  ["Opportunities", "opportunities"],
  ["Accounts", "accounts"],
  ["Funnel", "funnel"],
  ["Settings", "settings"],
] as const;

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

test("the start page shows the product name and the Today screen", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByRole("link", { name: "Leadline" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await expect(page).toHaveTitle("Today · Leadline");
});

test("while the app's code arrives, the page says what Leadline is; then the app replaces it", async ({ page }) => {
  // A slow network: the WebAssembly arrives a second late.
  await page.route(/_bg\.wasm$/, async (route) => {
    await new Promise((done) => setTimeout(done, 1000));
    await route.continue();
  });
  await page.goto("./");
  await expect(page.getByText("A private sales pipeline that lives in your browser", { exact: false })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await expect(page.getByText("A private sales pipeline that lives in your browser", { exact: false })).toHaveCount(0);
  // The splash was on screen before the app drew: the first text painted came first.
  const painted = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
  const drawn = await page.evaluate(() => performance.getEntriesByName("leadline-start")[0]?.startTime ?? -1);
  expect(painted).toBeGreaterThan(0);
  expect(drawn).toBeGreaterThan(painted);
});

test("the service worker is installed once the app has read its data, not while it starts", async ({ page }) => {
  // Its first install downloads every file again; the start must not wait behind it.
  await page.route(/_bg\.wasm$/, async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  const registered = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined);
  await page.goto("./");
  await expect(page.getByText("A private sales pipeline that lives in your browser", { exact: false })).toBeVisible();
  // The registration script has run by now (it is deferred), and waits.
  await page.waitForTimeout(700);
  expect(await registered()).toBe(false);
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await expect.poll(registered, { timeout: 10_000 }).toBe(true);
});

test("the app's WebAssembly is downloaded once: the preload is what is compiled", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("_bg.wasm")) requests.push(request.url());
  });
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  expect(requests).toHaveLength(1);
});

test("the app starts where a server sends its WebAssembly with a generic type", async ({ page }) => {
  // Compiling while the bytes arrive needs the type application/wasm; with
  // application/octet-stream the app takes the plain path.
  let sent = 0;
  await page.route(/_bg\.wasm$/, async (route) => {
    sent += 1;
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  await page.goto("./#/contacts");
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
  expect(sent).toBeGreaterThan(0);
});

test("every screen is reached by its navigation link and has its own URL", async ({ page }) => {
  await page.goto("./");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [label, slug] of sections) {
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/leadline/#/${slug}$`));
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
  }
});

test("a reload on a deep URL under the sub-path shows the same screen", async ({ page }) => {
  for (const [label, slug] of sections) {
    await page.goto(`./#/${slug}`);
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/leadline/#/${slug}$`));
  }
});

test("the back button returns to the previous screen", async ({ page }) => {
  await page.goto("./#/contacts");
  await page.getByRole("link", { name: "Funnel", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Funnel" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Contacts" })).toBeVisible();
});

test("an unknown address says so and links back", async ({ page }) => {
  await page.goto("./#/no-such-screen");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to Today" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
});

test("the skip link moves focus to the screen", async ({ page }) => {
  await page.goto("./#/leads");
  await expect(page.getByRole("heading", { level: 1, name: "Leads" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  await expect(page).toHaveURL(/#\/leads$/);
});

test("the app is installable from the sub-path: its manifest and icons load there", async ({ page }) => {
  await page.goto("./");
  const href = await page.evaluate(
    () => (document.querySelector('link[rel="manifest"]') as HTMLLinkElement | null)?.href ?? "",
  );
  expect(href).toMatch(/\/leadline\/manifest\.webmanifest$/);
  const response = await page.request.get(href);
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: "Leadline", start_url: "./", scope: "./", display: "standalone" });
  const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(manifest.icons.some((icon: { purpose?: string }) => icon.purpose === "maskable")).toBe(true);
  for (const icon of manifest.icons) {
    const image = await page.request.get(new URL(icon.src, href).href);
    expect(image.ok(), icon.src).toBe(true);
    expect(image.headers()["content-type"]).toBe(icon.type);
  }
});
