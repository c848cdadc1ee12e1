// The plain-JavaScript baseline: reads and parses the same stored value as
// the app, renders the same first rows of the Contacts list, and offers the
// same search, stage move, funnel and save with no framework, for the
// benchmark to time beside the app. Its markup mirrors the app's where the
// benchmark looks (ids, classes, texts), so one set of checks fits both.

import { decodeStored, encodeStored } from "./codec.mjs";

const KEY = "leadline.pipeline";
const PAGE = 100;
const CARDS = 30;
const SOURCES = {
  website: "Website",
  referral: "Referral",
  event: "Event",
  cold_outreach: "Cold outreach",
  social_media: "Social media",
  partner: "Partner",
  advertising: "Advertising",
  other: "Other",
};
const STAGES = [
  ["needs_analysis", "Needs analysis", 20],
  ["proposal", "Proposal", 40],
  ["negotiation", "Negotiation", 60],
  ["contract", "Contract", 80],
  ["won", "Won", 100],
  ["lost", "Lost", 0],
];
const OPEN = STAGES.slice(0, 4).map((s) => s[0]);

const sourceLabel = (s) => (typeof s === "string" ? SOURCES[s] ?? s : s.custom);
const stageOf = (o) => (typeof o.status === "string" ? o.status : Object.keys(o.status)[0]);
const leadKind = (l) => (l.status === undefined ? "new" : typeof l.status === "string" ? l.status : Object.keys(l.status)[0]);

const data = decodeStored(localStorage.getItem(KEY) ?? '{"format":"leadline","data":{"contacts":[],"leads":[],"opportunities":[],"accounts":[]}}');
const contacts = data.contacts;

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
  return td;
}

function renderRows(list) {
  const tbody = document.querySelector("tbody");
  const rows = [];
  // Newest first, like the app's default order.
  for (let i = list.length - 1; i >= 0 && rows.length < PAGE; i--) {
    const c = list[i];
    const tr = document.createElement("tr");
    const a = document.createElement("a");
    a.href = `#/contacts/${c.id}`;
    a.textContent = c.name;
    cell(tr, "").append(a);
    cell(tr, c.organisation ?? "");
    cell(tr, c.email ?? "");
    cell(tr, sourceLabel(c.source));
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  const total = contacts.length;
  document.querySelector(".list-count").textContent =
    // Grouped as the app writes counts ("4,285 of 10,000 contacts").
    list.length === total
      ? `${total.toLocaleString("en-US")} contacts`
      : `${list.length.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} contacts`;
}

renderRows(contacts);
const search = document.getElementById("contacts-search");
search.disabled = false;

/** Contacts whose name, organisation or email hold every word, ignoring case. */
function searchContacts(query) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return contacts;
  return contacts.filter((c) => {
    const hay = `${c.name}\n${c.organisation ?? ""}\n${c.email ?? ""}`.toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}
search.addEventListener("input", () => renderRows(searchContacts(search.value)));

function card(o) {
  const li = document.createElement("li");
  li.dataset.card = String(o.id);
  const a = document.createElement("a");
  a.href = `#/opportunities/${o.id}`;
  a.textContent = o.name;
  const select = document.createElement("select");
  select.id = `board-stage-${o.id}`;
  for (const [, label] of STAGES) select.add(new Option(label, label));
  select.value = STAGES.find((s) => s[0] === stageOf(o))[1];
  select.addEventListener("change", () => moveCard(o, select.value));
  li.append(a, select);
  return li;
}

const columns = new Map();
function renderBoard() {
  const board = document.getElementById("board");
  const byStage = new Map(STAGES.map((s) => [s[0], []]));
  for (const o of data.opportunities) byStage.get(stageOf(o)).push(o);
  for (const [key, label] of STAGES) {
    const section = document.createElement("section");
    section.className = "board-column";
    const h2 = document.createElement("h2");
    h2.textContent = label;
    const count = document.createElement("p");
    const ul = document.createElement("ul");
    const list = byStage.get(key);
    ul.append(...list.slice(0, CARDS).map(card));
    section.append(h2, count, ul);
    board.append(section);
    columns.set(label, { key, list, count, ul });
    count.textContent = `${list.length} deals`;
  }
}

function moveCard(o, toLabel) {
  const from = columns.get(STAGES.find((s) => s[0] === stageOf(o))[1]);
  const to = columns.get(toLabel);
  from.list.splice(from.list.indexOf(o), 1);
  o.status = to.key;
  to.list.unshift(o);
  to.ul.prepend(document.querySelector(`li[data-card="${o.id}"]`));
  from.count.textContent = `${from.list.length} deals`;
  to.count.textContent = `${to.list.length} deals`;
}

function table(caption, head, rows) {
  const t = document.createElement("table");
  t.className = caption === "Conversion funnel" ? "funnel-table" : "";
  t.createCaption().textContent = caption;
  const tr = t.createTHead().insertRow();
  for (const h of head) tr.append(Object.assign(document.createElement("th"), { textContent: h }));
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const v of r) row.insertCell().textContent = String(v);
  }
  return t;
}

const pct = (a, b) => (b ? `${Math.round((100 * a) / b)} %` : "–");

/** The funnel, by source and the weighted forecast, computed and drawn. */
function renderFunnel() {
  const contactSource = new Map(contacts.map((c) => [c.id, sourceLabel(c.source)]));
  const steps = [0, 0, 0, 0, 0];
  const bySource = new Map();
  const bump = (contact, step) => {
    const s = contactSource.get(contact);
    if (!bySource.has(s)) bySource.set(s, [0, 0, 0, 0, 0]);
    bySource.get(s)[step]++;
  };
  for (const c of contacts) bump(c.id, 0);
  steps[0] = contacts.length;
  for (const l of data.leads) {
    steps[1]++;
    bump(l.contact, 1);
    const k = leadKind(l);
    if (k === "qualified" || k === "converted") {
      steps[2]++;
      bump(l.contact, 2);
    }
  }
  for (const o of data.opportunities) {
    steps[3]++;
    bump(o.contact, 3);
  }
  for (const a of data.accounts) {
    steps[4]++;
    for (const c of a.contacts) bump(c, 4);
  }
  const names = ["Contacts", "Leads", "Qualified", "Opportunities", "Accounts"];
  const forecast = new Map();
  for (const o of data.opportunities) {
    if (!OPEN.includes(stageOf(o)) || !o.terms.amount) continue;
    const p = o.terms.probability_override ?? STAGES.find((s) => s[0] === stageOf(o))[2];
    const k = `${o.terms.currency} ${(o.terms.expected_close ?? "").slice(0, 7)}`;
    forecast.set(k, (forecast.get(k) ?? 0) + (o.terms.amount.minor * p) / 100);
  }
  const max = Math.max(1, steps[0]);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 100 50");
  steps.forEach((n, i) => {
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("y", String(i * 10));
    r.setAttribute("height", "8");
    r.setAttribute("width", String((100 * n) / max));
    svg.append(r);
  });
  const funnel = document.getElementById("funnel");
  const forecastTitle = Object.assign(document.createElement("h2"), {
    id: "forecast-title",
    textContent: "Weighted forecast",
  });
  funnel.replaceChildren(
    svg,
    table(
      "Conversion funnel",
      ["Step", "Reached", "From previous step", "From top"],
      steps.map((n, i) => [names[i], n, i ? pct(n, steps[i - 1]) : "–", pct(n, steps[0])]),
    ),
    table("By source", ["Source", ...names], [...bySource].map(([s, v]) => [s, ...v])),
    forecastTitle,
    table(
      "Weighted forecast",
      ["Currency and month", "Weighted amount"],
      [...forecast].sort().map(([k, v]) => [k, (v / 100).toFixed(2)]),
    ),
  );
}

let revision = JSON.parse(localStorage.getItem(KEY) ?? '{"revision":0}').revision ?? 0;

window.baseline = {
  showBoard: renderBoard,
  renderFunnel,
  clearFunnel: () => document.getElementById("funnel").replaceChildren(),
  /** Stores the data the way the app does; returns the milliseconds taken. */
  save() {
    const t0 = performance.now();
    revision += 1;
    localStorage.setItem(KEY, encodeStored(data, revision, new Date().toISOString()));
    return performance.now() - t0;
  },
};
