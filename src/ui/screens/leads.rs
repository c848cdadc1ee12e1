use leptos::prelude::*;

use crate::domain::lead_list::{FollowUp, LeadOrder, LeadQuery};
use crate::domain::reports::standing::Counted;
use crate::domain::LeadId;
use crate::domain::{BuyingRole, LeadStatusKind};
use crate::i18n::{self, fill, labels, list_count, t, Text};
use crate::nav::{Route, Section};
use crate::ui::record_list::{figure_shown, ListRows, ListState, ListTools};
use crate::ui::state::{local_day, today, AppState};
use std::collections::HashSet;

/// The buying role as a list shows it: "Unknown" alone would not say what.
fn role_text(role: BuyingRole) -> &'static str {
    match role {
        BuyingRole::Unknown => t(Text::RoleUnknown),
        role => labels::buying_role(role),
    }
}

#[component]
pub fn LeadsScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = ListState::new();
    let status_filter = RwSignal::new(String::new());
    let follow_up = RwSignal::new(FollowUp::default().name().to_owned());
    let order = RwSignal::new(LeadOrder::default().name().to_owned());

    // A figure of Today this list was opened for (`#/leads?figure=waiting`).
    let figure = Route::figure_in(&window().location().hash().unwrap_or_default());
    let counted = move || {
        let figure = figure?;
        match state.with(|p| p.counted(figure, today(), local_day)) {
            Counted::Leads(ids) => Some(ids.into_iter().collect::<HashSet<LeadId>>()),
            Counted::Opportunities(_) => None,
        }
    };
    let matches = Memo::new(move |_| {
        let only = counted();
        let query = LeadQuery {
            text: list.query.get(),
            // `""` for all, else a status's name.
            status: status_filter.with(|s| LeadStatusKind::from_name(s)),
            follow_up: follow_up
                .with(|f| FollowUp::from_name(f))
                .unwrap_or_default(),
            order: order.with(|o| LeadOrder::from_name(o)).unwrap_or_default(),
        };
        let mut ids = state.with(|p| p.lead_list(&query, today()));
        if let Some(only) = only {
            ids.retain(|id| only.contains(id));
        }
        ids
    });
    let showing = figure_shown(figure, Route::Section(Section::Leads));

    let rows = move || {
        let limit = list.shown.get();
        matches.with(|ids| {
            state.with(|p| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| p.lead(*id))
                    .map(|l| {
                        let href = Route::Record(Section::Leads, l.id.0).to_hash();
                        let (name, organisation) = p
                            .contact(l.contact)
                            .map(|c| (c.name.clone(), c.organisation.clone()))
                            .unwrap_or_default();
                        let kind = l.status.kind();
                        let next_step = l.next_step_date.map(|d| {
                            let text = match l.next_step.as_str() {
                                "" => i18n::date(d),
                                step => format!("{} · {step}", i18n::date(d)),
                            };
                            view! { <span class="lead-next-step">{text}</span> }
                        });
                        view! {
                            <li>
                                <a class="lead-name" href=href>{name}</a>
                                <span class="lead-org">{organisation}</span>
                                <span class=format!("lead-status status-{}", kind.name())>
                                    {labels::lead_status(kind)}
                                </span>
                                <span class="lead-score">{fill(Text::Score, &[&l.score().to_string()])}</span>
                                <span class="lead-role">{role_text(l.buying_role)}</span>
                                {next_step}
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let count_text = move || {
        let total = state.with(|p| p.leads().len());
        let found = matches.with(Vec::len);
        list_count(found, total, Text::OneLead, Text::NLeads)
    };
    let status_options = || {
        LeadStatusKind::ALL
            .into_iter()
            .map(|s| view! { <option value=s.name()>{labels::lead_status(s)}</option> })
            .collect_view()
    };
    let filters = move || {
        view! {
            <div class="field">
                <label for="leads-status">{t(Text::FilterByStatus)}</label>
                <select
                    id="leads-status"
                    on:change=move |ev| {
                        list.restart();
                        status_filter.set(event_target_value(&ev));
                    }
                >
                    <option value="">{t(Text::AllStatuses)}</option>
                    {status_options()}
                </select>
            </div>
            <div class="field">
                <label for="leads-follow-up">{t(Text::FilterByNextStep)}</label>
                <select id="leads-follow-up" bind:value=follow_up on:change=move |_| list.restart()>
                    {FollowUp::ALL
                        .map(|f| view! { <option value=f.name()>{labels::follow_up(f)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="leads-order">{t(Text::SortBy)}</label>
                <select id="leads-order" bind:value=order on:change=move |_| list.restart()>
                    {LeadOrder::ALL
                        .map(|o| view! { <option value=o.name()>{labels::lead_order(o)}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let empty = move || {
        if state.with(|p| p.leads().is_empty()) {
            view! {
                <p class="empty-state">
                    {t(Text::NoLeadsYetStart)}
                    <a href="#/contacts">{t(Text::Contacts)}</a>
                    {t(Text::NoLeadsYetEnd)}
                </p>
            }
            .into_any()
        } else {
            view! { <p class="empty-state">{t(Text::NoLeadMatches)}</p> }.into_any()
        }
    };

    view! {
        <section class="screen leads" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::Leads)}</h1>
            {showing}
            <ListTools list id="leads" hint=t(Text::NameOrOrganisation) count=count_text filters/>
            <ListRows list found=move || matches.with(Vec::len) empty>
                <ul class="lead-list" aria-label=t(Text::Leads)>{rows}</ul>
            </ListRows>
        </section>
    }
}
