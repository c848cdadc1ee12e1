use crate::ui::form_dialog::{DialogRef, FormDialog};
use leptos::prelude::*;

use crate::domain::{
    Account, AccountId, DomainError, Field, OpportunityStatus, Pipeline, RecordRef,
};
use crate::i18n::{self, labels, t, Text};
use crate::nav::{Route, Section};
use crate::ui::errors;
use crate::ui::navigate::go_to;
use crate::ui::state::AppState;
use crate::ui::timeline::Timeline;

/// A won deal: link, name, amount and the day it was won.
struct WonDeal {
    href: String,
    name: String,
    amount: String,
    closed_on: String,
}

/// Everything the page shows of an account, read from the pipeline in one
/// go so the page renders from plain data.
struct AccountSummary {
    name: String,
    customer_since: String,
    /// One amount per currency: currencies are never added together.
    lifetime_value: Vec<String>,
    /// Link, name and whether it is the main contact.
    contacts: Vec<(String, String, bool)>,
    won_deals: Vec<WonDeal>,
    /// Link, name and stage of the account's other opportunities.
    other_deals: Vec<(String, String, &'static str)>,
}

impl AccountSummary {
    fn of(p: &Pipeline, a: &Account) -> AccountSummary {
        let deal_href = |id: u64| Route::Record(Section::Opportunities, id).to_hash();
        AccountSummary {
            name: a.name.clone(),
            customer_since: i18n::date(a.customer_since),
            lifetime_value: p.lifetime_value(a.id).into_iter().map(i18n::sum).collect(),
            contacts: a
                .contacts
                .iter()
                .filter_map(|id| p.contact(*id))
                .map(|c| {
                    (
                        Route::Record(Section::Contacts, c.id.0).to_hash(),
                        c.name.clone(),
                        c.id == a.contact,
                    )
                })
                .collect(),
            won_deals: a
                .won_deals
                .iter()
                .filter_map(|id| p.opportunity(*id))
                .map(|o| WonDeal {
                    href: deal_href(o.id.0),
                    name: o.name.clone(),
                    amount: o.terms.amount.map(i18n::money).unwrap_or_default(),
                    closed_on: o.status.closed_on().map(i18n::date).unwrap_or_default(),
                })
                .collect(),
            other_deals: p
                .opportunities_for_account(a.id)
                .filter(|o| {
                    !(matches!(o.status, OpportunityStatus::Won { .. })
                        && a.won_deals.contains(&o.id))
                })
                .map(|o| (deal_href(o.id.0), o.name.clone(), labels::stage(o.stage())))
                .collect(),
        }
    }
}

#[component]
pub fn AccountPage(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    // An old address (#/contacts/12) names the record by its old number.
    let id = state.with_untracked(|p| p.account(AccountId(id)).map_or(AccountId(id), |r| r.id));
    let dialog = DialogRef::new();
    let name = RwSignal::new(String::new());
    let (name_error, set_name_error) = signal(None::<String>);
    let (failure, set_failure) = signal(None::<String>);

    let open_form = move |_| {
        name.set(String::new());
        set_name_error.set(None);
        set_failure.set(None);
        dialog.open();
    };
    let close_form = move || {
        dialog.close();
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked();
        match state.run(|p, now| p.open_opportunity_for_account(id, &typed, now)) {
            Ok(opportunity) => {
                close_form();
                go_to(&Route::Record(Section::Opportunities, opportunity.0));
            }
            Err(DomainError::Invalid(e)) => {
                set_name_error.set(e.get(Field::Name).map(|p| errors::field(Field::Name, p)));
            }
            Err(e) => set_failure.set(Some(errors::domain(&e))),
        }
    };

    let page = move || {
        let Some(s) = state.with(|p| p.account(id).map(|a| AccountSummary::of(p, a))) else {
            return view! {
                <h1 id="screen-title">{t(Text::AccountNotFound)}</h1>
                <p>
                    {t(Text::AccountGone)}
                    <a href="#/accounts">{t(Text::BackToAccounts)}</a>
                </p>
            }
            .into_any();
        };
        let lifetime_value = if s.lifetime_value.is_empty() {
            view! { <dd>{t(Text::NothingWonYet)}</dd> }.into_any()
        } else {
            s.lifetime_value
                .into_iter()
                .map(|m| view! { <dd class="number">{m}</dd> })
                .collect_view()
                .into_any()
        };
        let contacts = s
            .contacts
            .into_iter()
            .map(|(href, name, main)| {
                view! {
                    <li>
                        <a href=href>{name}</a>
                        {main.then(|| t(Text::MainContactMark))}
                    </li>
                }
            })
            .collect_view();
        let won_deals = if s.won_deals.is_empty() {
            view! { <p class="empty-state">{t(Text::NoWonDeals)}</p> }.into_any()
        } else {
            let rows = s
                .won_deals
                .into_iter()
                .map(|d| {
                    view! {
                        <tr>
                            <td><a href=d.href>{d.name}</a></td>
                            <td class="number">{d.amount}</td>
                            <td class="date">{d.closed_on}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-scroll">
                    <table class="record-table">
                        <caption class="visually-hidden">{t(Text::WonDeals)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(Text::Deal)}</th>
                                <th scope="col" class="number">{t(Text::Amount)}</th>
                                <th scope="col">{t(Text::WonOn)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        let other_deals = (!s.other_deals.is_empty()).then(|| {
            let items = s
                .other_deals
                .into_iter()
                .map(|(href, name, stage)| view! { <li><a href=href>{name}</a>" · "{stage}</li> })
                .collect_view();
            view! {
                <section aria-labelledby="other-deals-title">
                    <h2 id="other-deals-title">{t(Text::OtherOpportunities)}</h2>
                    <ul>{items}</ul>
                </section>
            }
        });
        view! {
            <p class="breadcrumb"><a href="#/accounts">{t(Text::Accounts)}</a></p>
            <div class="screen-header">
                <h1 id="screen-title">{s.name}</h1>
                <div class="button-row">
                    <button type="button" on:click=open_form>{t(Text::NewOpportunity)}</button>
                </div>
            </div>
            <dl class="details">
                <dt>{t(Text::CustomerSince)}</dt>
                <dd>{s.customer_since}</dd>
                <dt>{t(Text::LifetimeValue)}</dt>
                {lifetime_value}
            </dl>
            <section aria-labelledby="account-contacts-title">
                <h2 id="account-contacts-title">{t(Text::Contacts)}</h2>
                <ul>{contacts}</ul>
            </section>
            <section aria-labelledby="won-deals-title">
                <h2 id="won-deals-title">{t(Text::WonDeals)}</h2>
                {won_deals}
            </section>
            {other_deals}
            <Timeline record=RecordRef::Account(id)/>
        }
        .into_any()
    };

    view! {
        <section class="screen account-page" aria-labelledby="screen-title">
            {page}
            <FormDialog dialog title_id="new-opportunity-title" title=t(Text::NewOpportunity)>
                <form class="deal-form" on:submit=create novalidate>
                    <div class="field">
                        <label for="new-opportunity-name">{t(Text::Name)}</label>
                        <input
                            id="new-opportunity-name"
                            type="text"
                            bind:value=name
                            aria-invalid=move || name_error.get().is_some().then_some("true")
                            aria-describedby=move || {
                                name_error.get().is_some().then_some("new-opportunity-name-error")
                            }
                        />
                        {move || {
                            name_error
                                .get()
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="new-opportunity-name-error" role="alert">
                                            {e}
                                        </p>
                                    }
                                })
                        }}
                    </div>
                    {move || failure.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                    <div class="button-row">
                        <button type="submit">{t(Text::Save)}</button>
                        <button type="button" class="quiet" on:click=move |_| close_form()>
                            {t(Text::Cancel)}
                        </button>
                    </div>
                </form>
            </FormDialog>
        </section>
    }
}
