// Sync across devices through a CouchDB-protocol server (pouchdb-server):
// each browser context is a device with its own storage.
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { Couch, PASSWORD, USER } from "./couch.mjs";
import {
  addContact,
  contactList,
  contactNames,
  failOnPageErrors,
  mainNav,
  openContacts,
  openDeal,
  openSettings,
  openWithData,
  setAmount,
} from "./helpers";

const SEED = readFileSync("tests/fixtures/opportunities/pipeline.json", "utf8");
const WEBSITE = "Analytical Engines: Website";
const DB = "leadline";
const COUCH_PORT = Number(process.env.E2E_COUCH_PORT ?? 5989);

let couch: Couch;
let origin: string;

test.beforeAll(async ({}, testInfo) => {
  origin = new URL(String(testInfo.project.use.baseURL)).origin;
  couch = await Couch.start(COUCH_PORT, origin, [DB, "spare"]);
});

test.afterAll(() => couch?.stop());

// Each test starts from an empty database.
test.beforeEach(async () => {
  await remake(DB);
});

// Devices close with their test: one still syncing would write into the
// next test's database.
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** Deletes the database and makes it again. */
async function remake(db: string) {
  await couch.call("DELETE", `/${db}`);
  // A device's write (its checkpoint) can make it again first; then it is
  // new and empty all the same.
  await couch.call("PUT", `/${db}`).catch(() => undefined);
  await expect.poll(async () => (await couch.call("GET", `/${db}`)).doc_count).toBe(0);
  await couch.secure(db);
}

async function device(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  failOnPageErrors(page);
  await page.goto("./#/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  return page;
}

/** The header's sync state. */
function syncState(page: Page) {
  return page.getByRole("banner").getByRole("status", { name: "Sync" });
}

/** Settings → Sync filled in and Sync now pressed. */
async function connect(
  page: Page,
  { server = couch.url, database = DB, user = USER, password = PASSWORD, remember = true } = {},
) {
  await openSettings(page);
  const sync = page.getByRole("region", { name: "Sync" });
  await sync.getByLabel("Server address").fill(server);
  await sync.getByLabel("Database").fill(database);
  await sync.getByLabel("User name").fill(user);
  await sync.getByLabel("Password", { exact: true }).fill(password);
  const box = sync.getByLabel("Remember the password on this device");
  if (remember) await box.check();
  else await box.uncheck();
  await sync.getByRole("button", { name: "Sync now" }).click();
}

async function synced(page: Page) {
  await expect(syncState(page)).toHaveText(/^Synced (just now|1 minute ago)$/, { timeout: 20_000 });
}

/** Requests the page sends to the sync server from now on. */
function serverRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(couch.url)) seen.push(r);
  });
  return seen;
}

test("a fresh app makes no request beyond its own site, and shows no sync state", async ({ browser }) => {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  failOnPageErrors(page);
  const elsewhere: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).origin !== origin) elsewhere.push(r.url());
  });
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await openContacts(page);
  await openSettings(page);
  await expect(page.getByRole("region", { name: "Sync" })).toContainText("Sync is not set up.");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(syncState(page)).toBeEmpty();
  expect(elsewhere).toEqual([]);
});

test("one device's pipeline reaches a second, and a change on the second reaches the first live", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const laptop = await device(browser);
  await openWithData(laptop, SEED, "#/settings");
  await connect(laptop);
  await synced(laptop);
  const names = await contactNames(laptop);
  expect(names.length).toBeGreaterThan(2);

  const phone = await device(browser);
  await connect(phone, { remember: false });
  await synced(phone);
  expect(await contactNames(phone)).toEqual(names);
  await openDeal(phone, WEBSITE);

  // The laptop shows its contacts; a contact added on the phone appears
  // there without anyone pressing anything.
  await openContacts(laptop);
  await openContacts(phone);
  await addContact(phone, { name: "Mary Jackson" });
  await expect(contactList(laptop).getByRole("link", { name: "Mary Jackson" })).toBeVisible({
    timeout: 15_000,
  });
  const { conflicted } = await couch.documents(DB);
  expect(conflicted).toEqual([]);
});

test("two devices offline change the same deal; back online both keep the later amount and tell the other", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const laptop = await device(browser);
  await openWithData(laptop, SEED, "#/settings");
  await connect(laptop);
  await synced(laptop);
  const phone = await device(browser);
  await connect(phone);
  await synced(phone);

  // The screens' code is fetched while online (the service worker may not
  // have stored it yet).
  for (const page of [laptop, phone]) {
    await openDeal(page, WEBSITE);
    await openContacts(page);
  }
  await laptop.context().setOffline(true);
  await phone.context().setOffline(true);
  await expect(syncState(laptop)).toHaveText("Offline");
  await openDeal(laptop, WEBSITE);
  await setAmount(laptop, "12,000");
  await openContacts(laptop);
  await addContact(laptop, { name: "Alan Turing" });
  await expect(syncState(laptop)).toHaveText("Offline, 2 changes waiting");
  await openDeal(phone, WEBSITE);
  await setAmount(phone, "15,000");
  await openContacts(phone);
  await addContact(phone, { name: "Mary Jackson" });

  await laptop.context().setOffline(false);
  await synced(laptop);
  await openContacts(laptop);
  await phone.context().setOffline(false);
  await synced(phone);
  // The laptop hears of the phone's changes live.
  await expect(contactList(laptop).getByRole("link", { name: "Mary Jackson" })).toBeVisible({
    timeout: 15_000,
  });
  for (const page of [laptop, phone]) {
    expect(await contactNames(page)).toEqual(expect.arrayContaining(["Alan Turing", "Mary Jackson"]));
    await openDeal(page, WEBSITE);
    await expect(page.getByLabel("Amount", { exact: true })).toHaveValue("15,000.00", { timeout: 15_000 });
    await expect(page.getByText(/Also changed on .*: Amount NOK 12,000.00, kept NOK 15,000.00/)).toBeVisible();
  }
  expect(await contactNames(laptop)).toEqual(await contactNames(phone));
  await expect.poll(async () => (await couch.documents(DB)).conflicted, { timeout: 15_000 }).toEqual([]);
});

test("a sync cut off while writing resumes by itself and ends complete, with nothing twice", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const laptop = await device(browser);
  await openWithData(laptop, SEED, "#/settings");
  let cut = false;
  await laptop.route("**/_bulk_docs", async (route) => {
    if (cut) return route.continue();
    cut = true;
    await route.abort("connectionreset");
  });
  await connect(laptop);
  await expect(syncState(laptop)).toHaveText(/^Sync failed: no server answered/);
  await synced(laptop);
  const { ids, conflicted } = await couch.documents(DB);
  expect(conflicted).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);

  const phone = await device(browser);
  await connect(phone);
  await synced(phone);
  const names = await contactNames(phone);
  expect(names).toEqual(await contactNames(laptop));
  expect(new Set(names).size).toBe(names.length);
});

test("a database deleted and made again gets everything back from the device", async ({ browser }) => {
  test.setTimeout(90_000);
  const laptop = await device(browser);
  await openWithData(laptop, SEED, "#/settings");
  await connect(laptop);
  await synced(laptop);
  const before = (await couch.documents(DB)).ids;
  expect(before.length).toBeGreaterThan(10);

  await remake(DB);
  await laptop.getByRole("region", { name: "Sync" }).getByRole("button", { name: "Sync now" }).click();
  await synced(laptop);
  await expect.poll(async () => (await couch.documents(DB)).ids.sort()).toEqual(before.sort());
});

test("a wrong password, a missing database, a refused origin and no server are each said, and nothing local changes", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await device(browser);
  await openWithData(page, SEED, "#/settings");
  const names = await contactNames(page);
  const cases: [Parameters<typeof connect>[1], string][] = [
    [{ password: "wrong" }, "Sync failed: the server refused the user name or password"],
    [{ database: "missing" }, "Sync failed: the database does not exist on the server"],
    [{ server: "http://127.0.0.1:9" }, "Sync failed: no server answered at that address; check the server address"],
  ];
  for (const [settings, words] of cases) {
    await connect(page, settings);
    await expect(syncState(page)).toHaveText(words, { timeout: 20_000 });
    await expect(page.getByRole("region", { name: "Sync" })).toContainText(words);
  }
  await couch.allowOrigin("http://example.invalid");
  try {
    await connect(page);
    await expect(syncState(page)).toHaveText(
      "Sync failed: the server does not accept connections from this page (its CORS settings)",
      { timeout: 20_000 },
    );
  } finally {
    await couch.allowOrigin(origin);
  }
  // Settings that say nothing of a server are refused in words.
  await connect(page, { server: "http://couch.example.com", database: "Leads" });
  const sync = page.getByRole("region", { name: "Sync" });
  await expect(sync.getByRole("alert")).toContainText("The server address must start with https://");
  await expect(sync.getByRole("alert")).toContainText("A database name starts with a lower-case letter");

  await sync.getByRole("button", { name: "Stop syncing" }).click();
  await page.reload();
  expect(await contactNames(page)).toEqual(names);
  expect((await couch.documents(DB)).ids).toEqual([]);
});

test("after a full sync, a reload sends nothing again; Stop syncing keeps the pipeline", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await device(browser);
  await openWithData(page, SEED, "#/settings");
  await connect(page);
  await synced(page);
  const names = await contactNames(page);

  const sent = serverRequests(page);
  await page.reload();
  await synced(page);
  // A moment for anything that would follow.
  await page.waitForTimeout(1500);
  // The checkpoint moves on past this device's own writes; no document is
  // asked for or written again.
  const asked = sent
    .filter((r) => r.method() !== "GET" && !r.url().includes("/_local/"))
    .map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
  expect(asked).toEqual([]);
  expect(sent.filter((r) => r.url().includes("/_changes")).length).toBeGreaterThan(0);

  await openSettings(page);
  await page.getByRole("region", { name: "Sync" }).getByRole("button", { name: "Stop syncing" }).click();
  await expect(syncState(page)).toBeEmpty();
  await expect(page.getByRole("region", { name: "Sync" })).toContainText("Sync is off.");
  await page.reload();
  expect(await contactNames(page)).toEqual(names);
  await expect(syncState(page)).toBeEmpty();
});

test("settings typed but not used are used on leaving; refused ones keep the screen and say why", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const page = await device(browser);
  await openWithData(page, SEED, "#/settings");
  const sync = page.getByRole("region", { name: "Sync" });
  await sync.getByLabel("Server address").fill("http://couch.example.com");
  await mainNav(page).getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(sync.getByRole("alert")).toContainText("The server address must start with https://");
  await expect(sync.getByLabel("Server address")).toBeFocused();
  await expect(syncState(page)).toBeEmpty();

  await sync.getByLabel("Server address").fill(couch.url);
  await sync.getByLabel("Database").fill(DB);
  await sync.getByLabel("User name").fill(USER);
  await sync.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await openContacts(page);
  await synced(page);
  expect((await couch.documents(DB)).ids.length).toBeGreaterThan(10);
  await openSettings(page);
  await expect(sync.getByLabel("Database")).toHaveValue(DB);

  // Stopped: leaving with the fields as they are starts nothing again.
  await sync.getByRole("button", { name: "Stop syncing" }).click();
  await openContacts(page);
  await openSettings(page);
  await expect(sync).toContainText("Sync is not set up.");
});

test("of two tabs of one browser one syncs, the other says so, and takes over when the first is closed", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  contexts.push(context);
  const first = await context.newPage();
  failOnPageErrors(first);
  await openWithData(first, SEED, "#/settings");
  await connect(first);
  await synced(first);

  const second = await context.newPage();
  failOnPageErrors(second);
  const sent = serverRequests(second);
  await second.goto("./#/contacts");
  await expect(syncState(second)).toHaveText("Syncing in another tab", { timeout: 20_000 });
  // A change in the second tab is sent by the first.
  await addContact(second, { name: "Grace Hopper" });
  const onServer = async (name: string) => {
    const all = await couch.call("GET", `/${DB}/_all_docs?include_docs=true`);
    return all.rows.some((r: { doc: { record?: { name?: string } } }) => r.doc.record?.name === name);
  };
  await expect.poll(() => onServer("Grace Hopper"), { timeout: 20_000 }).toBe(true);
  expect(sent).toEqual([]);

  await first.close();
  await synced(second);
  expect(sent.length).toBeGreaterThan(0);
  await openContacts(second);
  await addContact(second, { name: "Katherine Johnson" });
  await expect.poll(() => onServer("Katherine Johnson"), { timeout: 20_000 }).toBe(true);
});
