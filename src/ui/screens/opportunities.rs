use leptos::prelude::*;

use crate::domain::time::format_date;
use crate::domain::{format_money, NumberLocale, Opportunity, OpportunityId, Stage, OPEN_STAGES};
use crate::nav::{Route, Section};
use crate::ui::state::AppState;

use super::board::Board;

/// How many rows the list shows before "Show more".
const PAGE: usize = 100;

/// Amounts are written the English way for now.
const LOCALE: NumberLocale = NumberLocale::English;

/// The stage filter's value for "any open stage".
const OPEN: &str = "open";

/// The stages a filter value stands for (none: every stage).
fn stages_for(filter: &str) -> Vec<Stage> {
    if filter == OPEN {
        return OPEN_STAGES.to_vec();
    }
    Stage::ALL
        .into_iter()
        .filter(|s| s.label() == filter)
        .collect()
}

/// One row of the list, as plain text.
struct Row {
    href: String,
    name: String,
    stage: &'static str,
    amount: String,
    probability: String,
    expected_close: String,
    next_step: String,
}

impl Row {
    fn of(o: &Opportunity) -> Row {
        let t = &o.terms;
        let mut next_step = t.next_step.clone();
        if let Some(date) = t.next_step_date {
            if !next_step.is_empty() {
                next_step.push_str(" · ");
            }
            next_step.push_str(&format_date(date));
        }
        Row {
            href: Route::Record(Section::Opportunities, o.id.0).to_hash(),
            name: o.name.clone(),
            stage: o.stage().label(),
            amount: t
                .amount
                .map(|m| format_money(m, LOCALE))
                .unwrap_or_default(),
            probability: format!("{}%", o.probability()),
            expected_close: t.expected_close.map(format_date).unwrap_or_default(),
            next_step,
        }
    }
}

#[component]
pub fn OpportunitiesScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let stage_filter = RwSignal::new(String::new());
    let shown = RwSignal::new(PAGE);
    // The board (true, the default) or the list.
    let board = RwSignal::new(true);
    let stages = Memo::new(move |_| stage_filter.with(|f| stages_for(f)));

    let matches = Memo::new(move |_| {
        let q = query.get();
        stages.with(|stages| state.with(|p| p.search_opportunities(&q, stages)))
    });

    let rows = move || {
        let limit = shown.get();
        let rows: Vec<Row> = matches.with(|ids: &Vec<OpportunityId>| {
            state.with(|p| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| p.opportunity(*id))
                    .map(Row::of)
                    .collect()
            })
        });
        rows.into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td><a href=r.href>{r.name}</a></td>
                        <td>{r.stage}</td>
                        <td class="number">{r.amount}</td>
                        <td class="number">{r.probability}</td>
                        <td class="date">{r.expected_close}</td>
                        <td>{r.next_step}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let count_text = move || {
        let total = state.with(|p| p.opportunities().len());
        let found = matches.with(Vec::len);
        let noun = if total == 1 {
            "opportunity"
        } else {
            "opportunities"
        };
        if found == total {
            format!("{total} {noun}")
        } else {
            format!("{found} of {total} {noun}")
        }
    };
    let stage_options = Stage::ALL
        .into_iter()
        .map(|s| view! { <option value=s.label()>{s.label()}</option> })
        .collect_view();

    view! {
        <section class="screen opportunities" aria-labelledby="screen-title">
            <div class="screen-header">
                <h1 id="screen-title">"Opportunities"</h1>
                <div class="view-switch" role="group" aria-label="View">
                    <button
                        type="button"
                        aria-pressed=move || if board.get() { "true" } else { "false" }
                        on:click=move |_| board.set(true)
                    >
                        "Board"
                    </button>
                    <button
                        type="button"
                        aria-pressed=move || if board.get() { "false" } else { "true" }
                        on:click=move |_| board.set(false)
                    >
                        "List"
                    </button>
                </div>
            </div>
            <div class="list-tools">
                <div class="field">
                    <label for="opportunities-search">"Search"</label>
                    <input
                        id="opportunities-search"
                        type="search"
                        placeholder="Deal, contact or organisation"
                        on:input=move |ev| {
                            shown.set(PAGE);
                            query.set(event_target_value(&ev));
                        }
                    />
                </div>
                <div class="field">
                    <label for="opportunities-stage">"Filter by stage"</label>
                    <select
                        id="opportunities-stage"
                        on:change=move |ev| {
                            shown.set(PAGE);
                            stage_filter.set(event_target_value(&ev));
                        }
                    >
                        <option value="">"All stages"</option>
                        <option value=OPEN>"Open (not won or lost)"</option>
                        {stage_options}
                    </select>
                </div>
            </div>
            <p class="list-count" role="status">{count_text}</p>
            <Show when=move || board.get() fallback=move || view! {
            <Show
                when=move || !matches.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <p class="empty-state">
                            {move || {
                                if state.with(|p| p.opportunities().is_empty()) {
                                    "No opportunities yet. Convert a qualified lead, or open one from an account."
                                } else {
                                    "No opportunity matches the search."
                                }
                            }}
                        </p>
                    }
                }
            >
                <div class="table-scroll">
                    <table class="record-table opportunity-table">
                        <caption class="visually-hidden">"Opportunities"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Stage"</th>
                                <th scope="col" class="number">"Amount"</th>
                                <th scope="col" class="number">"Probability"</th>
                                <th scope="col">"Expected close"</th>
                                <th scope="col">"Next step"</th>
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
            }>
                <Board ids=matches stages/>
            </Show>
        </section>
    }
}
