use leptos::prelude::*;

use crate::domain::{Account, AccountId, Pipeline};
use crate::i18n::{self, list_count, t, Text};
use crate::nav::{Route, Section};
use crate::ui::record_list::{empty_text, ListRows, ListState, ListTools, RecordTable};
use crate::ui::state::AppState;

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
            lifetime_value: p.lifetime_value(a.id).into_iter().map(i18n::sum).collect(),
            won_deals: a.won_deals.len(),
        }
    }
}

#[component]
pub fn AccountsScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = ListState::new();

    let matches = Memo::new(move |_| list.query.with(|q| state.with(|p| p.search_accounts(q))));

    let rows = move || {
        let limit = list.shown.get();
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
            <ListTools list id="accounts" hint=t(Text::CustomerOrContact) count=count_text/>
            <ListRows
                list
                found=move || matches.with(Vec::len)
                empty=empty_text(
                    move || state.with(|p| p.accounts().is_empty()),
                    Text::NoAccountsYet,
                    Text::NoAccountMatches,
                )
            >
                <RecordTable
                    caption=t(Text::Accounts)
                    class="account-table"
                    columns=vec![
                        (t(Text::Name), ""),
                        (t(Text::MainContact), ""),
                        (t(Text::CustomerSince), ""),
                        (t(Text::LifetimeValue), "number"),
                        (t(Text::WonDeals), "number"),
                    ]
                >
                    {rows}
                </RecordTable>
            </ListRows>
        </section>
    }
}
