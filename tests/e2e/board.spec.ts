import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { APP_KEY, axeViolations, expectChosen } from "./helpers";

// The pipeline board on the Opportunities screen. The seed is the small
// pipeline of opportunities.spec.ts (three deals in Needs analysis, Proposal
// and Negotiation), with an overdue next step on the Orbital deal.
const SEED = readFileSync("tests/fixtures/opportunities/board.json", "utf8");

const WEBSITE = "Analytical Engines: Website";
const COMPILER = "Navy Labs: Compiler";
const ORBITAL = "Orbital Mechanics: Trajectory tool";
const STAGES = ["Needs analysis", "Proposal", "Negotiation", "Contract", "Won", "Lost"];

test.beforeEach(async ({ page }) => {
  page.on("pageerror", (error) => {
    throw error;
  });
});

/** Starts the app on the Opportunities screen with the seed stored. */
async function seeded(page: Page) {
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [APP_KEY, SEED]);
  await page.goto("./#/opportunities");
  await page.reload();
  await expect(column(page, "Needs analysis")).toBeVisible();
}

function column(page: Page, stage: string): Locator {
  return page.getByRole("region", { name: stage, exact: true });
}

function card(page: Page, stage: string, name: string): Locator {
  return column(page, stage)
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name, exact: true }) });
}

test("clicking a card's name opens the deal", async ({ page }) => {
  await seeded(page);
  await card(page, "Proposal", COMPILER).getByRole("link", { name: COMPILER }).click();
  await expect(page.getByRole("heading", { level: 1, name: COMPILER })).toBeVisible();
});

test("a deal edited in another tab is drawn again in its place on the open board", async ({
  context,
  page,
}) => {
  await seeded(page);
  for (const name of [COMPILER, ORBITAL]) {
    await page.getByLabel(`Stage of ${name}`, { exact: true }).selectOption({ label: "Needs analysis" });
    await expect(card(page, "Needs analysis", name)).toBeVisible();
  }
  const needs = column(page, "Needs analysis");
  const order = await needs.getByRole("link").allTextContents();
  expect(order).toHaveLength(3);

  // Another tab changes the next step of each card in turn, the first too.
  const other = await context.newPage();
  for (const [i, name] of order.entries()) {
    const href = await card(page, "Needs analysis", name).getByRole("link").getAttribute("href");
    await other.goto(`./${href}`);
    await other.getByLabel("Next step", { exact: true }).fill(`Call back ${i}`);
    await other.getByRole("button", { name: "Save", exact: true }).click();
    await expect(other.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(card(page, "Needs analysis", name)).toContainText(`Call back ${i}`);
    await expect(needs.getByRole("link")).toHaveText(order);
  }
});

/** Presses on `from`, moves the mouse in steps to the middle of `to`, releases. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error("not on screen");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 80), { steps: 10 });
  await page.mouse.up();
}

test("the board is the default view: a column per stage with its count and sums per currency", async ({
  page,
}) => {
  await seeded(page);
  await expect(page.getByRole("button", { name: "Board" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "List" })).toHaveAttribute("aria-pressed", "false");
  for (const stage of STAGES) {
    await expect(column(page, stage).getByRole("heading", { name: stage })).toBeVisible();
  }
  await expect(column(page, "Needs analysis")).toContainText("1 deal");
  await expect(column(page, "Contract")).toContainText("0 deals");
  // EUR 3,000.00 at 40%.
  const proposal = column(page, "Proposal");
  await expect(proposal).toContainText("TotalEUR 3,000.00");
  await expect(proposal).toContainText("WeightedEUR 1,200.00");
  // NOK 40,000.00 at an overridden 70%.
  const negotiation = column(page, "Negotiation");
  await expect(negotiation).toContainText("NOK 40,000.00");
  await expect(negotiation).toContainText("NOK 28,000.00");

  const compiler = card(page, "Proposal", COMPILER);
  await expect(compiler).toContainText("EUR 3,000.00");
  await expect(compiler).toContainText("Closes 2027-01-15");
  await expect(compiler).toContainText("Next: Send the proposal · 2099-12-01");
  await expect(compiler.getByRole("link", { name: COMPILER })).toHaveAttribute(
    "href",
    /^#\/opportunities\/[0-9a-z]+-6$/,
  );
  const orbital = card(page, "Negotiation", ORBITAL);
  await expect(orbital.getByText("Next step overdue")).toBeVisible();
  await expect(compiler.getByText("Next step overdue")).toHaveCount(0);
  // The seed was stored weeks before any run of this test.
  await expect(orbital.getByText(/^No activity for \d+ days$/)).toBeVisible();

  await page.getByRole("button", { name: "List" }).click();
  await expect(page.getByRole("button", { name: "List" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("table", { name: "Opportunities" })).toBeVisible();
  await expect(column(page, "Proposal")).toBeHidden();
  await page.getByRole("button", { name: "Board" }).click();
  await expect(column(page, "Proposal")).toBeVisible();

  // Search narrows the board too.
  await page.getByRole("searchbox", { name: "Search" }).fill("grace");
  await expect(card(page, "Proposal", COMPILER)).toBeVisible();
  await expect(column(page, "Negotiation")).toContainText("0 deals");
});

test("a card dragged with the mouse moves to the other column and stays there after a reload", async ({
  page,
}) => {
  await seeded(page);
  const website = card(page, "Needs analysis", WEBSITE);
  await drag(page, website.getByText("No amount"), column(page, "Contract"));
  await expect(card(page, "Contract", WEBSITE)).toBeVisible();
  await expect(column(page, "Needs analysis")).toContainText("0 deals");
  await expect(column(page, "Contract")).toContainText("1 deal");
  await expect(page.getByText(`Moved ${WEBSITE} to Contract.`)).toBeAttached();
  await expect(page).toHaveURL(/#\/opportunities$/);

  // Sums follow the card.
  await drag(page, card(page, "Proposal", COMPILER).getByText("EUR 3,000.00"), column(page, "Negotiation"));
  await expect(card(page, "Negotiation", COMPILER)).toBeVisible();
  await expect(column(page, "Negotiation")).toContainText("EUR 1,800.00");
  await expect(column(page, "Proposal")).not.toContainText("EUR");

  await page.reload();
  await expect(card(page, "Contract", WEBSITE)).toBeVisible();
  await expect(card(page, "Negotiation", COMPILER)).toBeVisible();
  await expect(column(page, "Needs analysis")).toContainText("0 deals");
});

test("a card moves by keyboard, with the arrow keys or its stage select, and stays after a reload", async ({
  page,
}) => {
  await seeded(page);
  await card(page, "Proposal", COMPILER).getByRole("link", { name: COMPILER }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(card(page, "Negotiation", COMPILER)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: `Moved ${COMPILER} to Negotiation.` })).toBeAttached();
  // Focus follows the card, so it can keep moving.
  await expect(card(page, "Negotiation", COMPILER).getByRole("link", { name: COMPILER })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(card(page, "Contract", COMPILER)).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await expect(card(page, "Negotiation", COMPILER)).toBeVisible();

  await page.getByLabel(`Stage of ${WEBSITE}`).selectOption("Proposal");
  await expect(card(page, "Proposal", WEBSITE)).toBeVisible();
  await expectChosen(page.getByLabel(`Stage of ${WEBSITE}`), "Proposal");

  await page.reload();
  await expect(card(page, "Negotiation", COMPILER)).toBeVisible();
  await expect(card(page, "Proposal", WEBSITE)).toBeVisible();
  await expect(column(page, "Negotiation")).toContainText("2 deals");
});

test("Undo takes a move back", async ({ page }) => {
  await seeded(page);
  await page.getByLabel(`Stage of ${ORBITAL}`).selectOption("Needs analysis");
  await expect(card(page, "Needs analysis", ORBITAL)).toBeVisible();
  await expect(column(page, "Needs analysis")).toContainText("2 deals");
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(card(page, "Negotiation", ORBITAL)).toBeVisible();
  await expect(column(page, "Needs analysis")).toContainText("1 deal");
  await page.reload();
  await expect(card(page, "Negotiation", ORBITAL)).toBeVisible();
});

test("dropping on Lost asks for a reason; cancelling leaves the card where it was", async ({
  page,
}) => {
  await seeded(page);
  const compiler = card(page, "Proposal", COMPILER);
  await drag(page, compiler.getByText("EUR 3,000.00"), column(page, "Lost"));
  const dialog = page.getByRole("dialog", { name: "Mark lost" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(card(page, "Proposal", COMPILER)).toBeVisible();
  await expect(column(page, "Lost")).toContainText("0 deals");

  await page.getByLabel(`Stage of ${COMPILER}`).selectOption("Lost");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Mark lost" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Choose why the deal was lost");
  await dialog.getByLabel("Lost reason").selectOption("Price");
  await dialog.getByRole("button", { name: "Mark lost" }).click();
  await expect(dialog).toBeHidden();
  await expect(card(page, "Lost", COMPILER)).toBeVisible();
  await expect(column(page, "Lost")).toContainText("1 deal");
  await expect(column(page, "Proposal")).toContainText("0 deals");
  // A closed deal has no stage select: it is reopened on its page.
  await expect(page.getByLabel(`Stage of ${COMPILER}`)).toHaveCount(0);

  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(card(page, "Proposal", COMPILER)).toBeVisible();
});

test("dropping on Won asks to confirm, and needs an amount", async ({ page }) => {
  await seeded(page);
  await drag(page, card(page, "Needs analysis", WEBSITE).getByText("No amount"), column(page, "Won"));
  const confirm = page.getByRole("dialog", { name: "Mark won?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Mark won" }).click();
  await expect(confirm.getByRole("alert")).toHaveText(
    "An opportunity needs an amount above zero before it can be marked won",
  );
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(card(page, "Needs analysis", WEBSITE)).toBeVisible();
  await expectChosen(page.getByLabel(`Stage of ${WEBSITE}`), "Needs analysis");

  await drag(page, card(page, "Negotiation", ORBITAL).getByText("NOK 40,000.00"), column(page, "Won"));
  await confirm.getByRole("button", { name: "Mark won" }).click();
  await expect(confirm).toBeHidden();
  await expect(card(page, "Won", ORBITAL)).toBeVisible();
  await expect(column(page, "Won")).toContainText("NOK 40,000.00");
  await page.reload();
  await expect(card(page, "Won", ORBITAL)).toBeVisible();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the board and its dialogs have no accessibility violations (axe-core, ${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await seeded(page);
    expect(await axeViolations(page), "board").toEqual([]);
    await page.getByLabel(`Stage of ${COMPILER}`).selectOption("Lost");
    await expect(page.getByRole("dialog", { name: "Mark lost" })).toBeVisible();
    expect(await axeViolations(page), "Lost dialog").toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByLabel(`Stage of ${COMPILER}`).selectOption("Won");
    await expect(page.getByRole("dialog", { name: "Mark won?" })).toBeVisible();
    expect(await axeViolations(page), "Won dialog").toEqual([]);
  });
}

/** A stored pipeline with `n` open opportunities spread over the open stages. */
function bigPipeline(n: number): string {
  const contacts = [];
  const opportunities = [];
  const stages = ["needs_analysis", "proposal", "negotiation", "contract"];
  let id = 1;
  for (let i = 0; i < n; i++) {
    const c = id++;
    const o = id++;
    const currency = i % 3 ? "NOK" : "EUR";
    contacts.push({ id: c, name: `Person ${i}`, organisation: `Firm ${i}`, created_at: 1793610000 + i });
    opportunities.push({
      id: o,
      name: `Deal ${i}`,
      contact: c,
      status: stages[i % 4],
      terms: {
        amount: { minor: 100000 + i, currency },
        currency,
        next_step: "Call",
        next_step_date: "2025-01-01",
      },
      created_at: 1793610000 + i,
    });
  }
  return JSON.stringify({
    format: "leadline",
    schema: 1,
    revision: 1,
    saved_at: "2026-11-02T09:00:00.000Z",
    data: { next_id: id, default_currency: "NOK", contacts, leads: [], opportunities },
  });
}

test("with 4,000 opportunities a column shows its first cards, and moves land in the right column", async ({
  page,
}) => {
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  await page.evaluate(([key, value]) => window.localStorage.setItem(key, value), [
    APP_KEY,
    bigPipeline(4000),
  ]);
  await page.goto("./#/opportunities");
  await page.reload();
  const proposal = column(page, "Proposal");
  await expect(proposal).toContainText("1,000 deals");
  await expect(proposal.getByRole("link")).toHaveCount(30);
  await proposal.getByRole("button", { name: "Show 30 more in Proposal" }).click();
  await expect(proposal.getByRole("link")).toHaveCount(60);

  // From the change to the updated DOM (laid out), moving one card back and
  // forth. The times are printed as a figure, not asserted: speed is for the
  // benchmark, and a shared machine would make a limit here flaky.
  const deal0 = page.getByLabel("Stage of Deal 0", { exact: true });
  await expectChosen(deal0, "Needs analysis");
  const needs = column(page, "Needs analysis");
  const proposalBefore = await proposal.getByRole("link").allTextContents();
  const needsBefore = await needs.getByRole("link").allTextContents();
  const selectId = (await deal0.getAttribute("id")) ?? "";
  const times: number[] = [];
  for (let k = 0; k < 11; k++) {
    times.push(
      await page.evaluate(async ([id, to]) => {
        // "Deal 0", the first card of Needs analysis.
        const select = document.getElementById(id) as HTMLSelectElement;
        const t0 = performance.now();
        select.value = to;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        await new Promise((r) => setTimeout(r, 0));
        void document.body.offsetHeight;
        return performance.now() - t0;
        // The options' values are the stages' stored names.
      }, [selectId, k % 2 ? "needs_analysis" : "proposal"]),
    );
  }
  times.sort((a, b) => a - b);
  console.log(`board move at 4,000 opportunities, ms: ${times.map((t) => t.toFixed(1)).join(" ")}`);
  await expect(proposal).toContainText("1,001 deals");
  await expect(card(page, "Proposal", "Deal 0")).toBeVisible();
  // The other cards stay where they were: Proposal shows the moved card
  // beside its 60, and Needs analysis does not pull a hidden card into view.
  await expect(proposal.getByRole("link")).toHaveCount(61);
  await expect(needs).toContainText("999 deals");
  await expect(needs.getByRole("link")).toHaveCount(29);
  await expect(needs.getByRole("button", { name: "Show 30 more in Needs analysis" })).toBeVisible();
  // In the same order as before the moves.
  const others = (names: string[]) => names.filter((n) => n !== "Deal 0");
  expect(others(await proposal.getByRole("link").allTextContents())).toEqual(proposalBefore);
  expect(await needs.getByRole("link").allTextContents()).toEqual(others(needsBefore));
});
