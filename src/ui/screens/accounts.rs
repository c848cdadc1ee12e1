use leptos::prelude::*;

use crate::domain::time::format_date;
use crate::domain::{format_money, Account, AccountId, NumberLocale, Pipeline};
use crate::nav::{Route, Section};
use crate::ui::state::AppState;

/// How many rows the list shows before "Show more".
const PAGE: usize = 100;

/// Amounts are written the English way for now.
const LOCALE: NumberLocale = NumberLocale::English;

/// One row of the list, as plain text.
struct Row {
    href: String,
    name: String,
    contact: String,
    customer_since: String,
    /// One amount per currency: currencies are never added together.
    lifetime_value: Vec<String>,
    won_deals: usize,
}

impl Row {
    fn of(p: &Pipeline, a: &Account) -> Row {
        Row {
            href: Route::Record(Section::Accounts, a.id.0).to_hash(),
            name: a.name.clone(),
            contact: p
                .contact(a.contact)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            customer_since: format_date(a.customer_since),
            lifetime_value: p
                .lifetime_value(a.id)
                .into_iter()
                .map(|m| format_money(m, LOCALE))
                .collect(),
            won_deals: a.won_deals.len(),
        }
    }
}

#[component]
pub fn AccountsScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let shown = RwSignal::new(PAGE);

    let matches = Memo::new(move |_| {
        let q = query.get();
        state.with(|p| p.search_accounts(&q))
    });

    let rows = move || {
        let limit = shown.get();
        let rows: Vec<Row> = matches.with(|ids: &Vec<AccountId>| {
            state.with(|p| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| p.account(*id))
                    .map(|a| Row::of(p, a))
                    .collect()
            })
        });
        rows.into_iter()
            .map(|r| {
                let value = if r.lifetime_value.is_empty() {
                    view! { <span class="muted">"Nothing won"</span> }.into_any()
                } else {
                    let amounts = r
                        .lifetime_value
                        .into_iter()
                        .map(|m| view! { <li>{m}</li> })
                        .collect_view();
                    view! { <ul class="money-list">{amounts}</ul> }.into_any()
                };
                view! {
                    <tr>
                        <td><a href=r.href>{r.name}</a></td>
                        <td>{r.contact}</td>
                        <td class="date">{r.customer_since}</td>
                        <td class="number">{value}</td>
                        <td class="number">{r.won_deals}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let count_text = move || {
        let total = state.with(|p| p.accounts().len());
        let found = matches.with(Vec::len);
        let noun = if total == 1 { "account" } else { "accounts" };
        if found == total {
            format!("{total} {noun}")
        } else {
            format!("{found} of {total} {noun}")
        }
    };

    view! {
        <section class="screen accounts" aria-labelledby="screen-title">
            <div class="screen-header">
                <h1 id="screen-title">"Accounts"</h1>
            </div>
            <div class="list-tools">
                <div class="field">
                    <label for="accounts-search">"Search"</label>
                    <input
                        id="accounts-search"
                        type="search"
                        placeholder="Customer or contact"
                        on:input=move |ev| {
                            shown.set(PAGE);
                            query.set(event_target_value(&ev));
                        }
                    />
                </div>
            </div>
            <p class="list-count" role="status">{count_text}</p>
            <Show
                when=move || !matches.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty-state">
                            {move || {
                                if state.with(|p| p.accounts().is_empty()) {
                                    "No accounts yet. An account is created when an opportunity is won."
                                } else {
                                    "No account matches the search."
                                }
                            }}
                        </p>
                    }
                }
            >
                <div class="table-scroll">
                    <table class="record-table account-table">
                        <caption class="visually-hidden">"Accounts"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Main contact"</th>
                                <th scope="col">"Customer since"</th>
                                <th scope="col" class="number">"Lifetime value"</th>
                                <th scope="col" class="number">"Won deals"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || { matches.with(Vec::len) > shown.get() }>
                <button type="button" class="quiet" on:click=move |_| shown.update(|n| *n += PAGE)>
                    "Show more"
                </button>
            </Show>
        </section>
    }
}
