use leptos::prelude::*;

use crate::domain::{Account, AccountId, Pipeline};
use crate::i18n::{self, list_count, t, Text};
use crate::nav::{Route, Section};
use crate::ui::state::AppState;

/// How many rows the list shows before "Show more".
const PAGE: usize = 100;

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
            customer_since: i18n::date(a.customer_since),
            lifetime_value: p
                .lifetime_value(a.id)
                .into_iter()
                .map(i18n::money)
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
                    view! { <span class="muted">{t(Text::NothingWon)}</span> }.into_any()
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
        list_count(found, total, Text::OneAccount, Text::NAccounts)
    };

    view! {
        <section class="screen accounts" aria-labelledby="screen-title">
            <div class="screen-header">
                <h1 id="screen-title">{t(Text::Accounts)}</h1>
            </div>
            <div class="list-tools">
                <div class="field">
                    <label for="accounts-search">{t(Text::Search)}</label>
                    <input
                        id="accounts-search"
                        type="search"
                        placeholder=t(Text::CustomerOrContact)
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
                                    t(Text::NoAccountsYet)
                                } else {
                                    t(Text::NoAccountMatches)
                                }
                            }}
                        </p>
                    }
                }
            >
                <div class="table-scroll">
                    <table class="record-table account-table">
                        <caption class="visually-hidden">{t(Text::Accounts)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(Text::Name)}</th>
                                <th scope="col">{t(Text::MainContact)}</th>
                                <th scope="col">{t(Text::CustomerSince)}</th>
                                <th scope="col" class="number">{t(Text::LifetimeValue)}</th>
                                <th scope="col" class="number">{t(Text::WonDeals)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || { matches.with(Vec::len) > shown.get() }>
                <button type="button" class="quiet" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {t(Text::ShowMore)}
                </button>
            </Show>
        </section>
    }
}
