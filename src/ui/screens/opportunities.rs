use leptos::prelude::*;

use crate::domain::reports::standing::Counted;
use crate::domain::{Opportunity, OpportunityId, Revision, Stage, OPEN_STAGES};
use crate::i18n::{self, labels, list_count, t, Text};
use crate::nav::{Route, Section};
use crate::ui::record_list::{
    empty_text, figure_shown, ListRows, ListState, ListTools, RecordTable,
};
use crate::ui::state::{local_day, today, AppState};
use std::collections::HashSet;

use super::board::Board;

/// The stage filter's value for "any open stage".
const OPEN: &str = "open";

/// The stages a filter value stands for (none: every stage).
fn stages_for(filter: &str) -> Vec<Stage> {
    if filter == OPEN {
        return OPEN_STAGES.to_vec();
    }
    Stage::ALL
        .into_iter()
        .filter(|s| s.name() == filter)
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
        Row {
            href: Route::Record(Section::Opportunities, o.id.0).to_hash(),
            name: o.name.clone(),
            stage: labels::stage(o.stage()),
            amount: t.amount.map(i18n::money).unwrap_or_default(),
            probability: i18n::percent(o.probability()),
            expected_close: t.expected_close.map(i18n::date).unwrap_or_default(),
            next_step: i18n::next_step(&t.next_step, t.next_step_date),
        }
    }
}

#[component]
pub fn OpportunitiesScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = ListState::new();
    let stage_filter = RwSignal::new(String::new());
    // A figure of Today this list was opened for (`#/opportunities?figure=open-deals`):
    // the list shows exactly what it counts.
    let figure = Route::figure_in(&window().location().hash().unwrap_or_default());
    // The board (true, the default) or the list.
    let board = RwSignal::new(figure.is_none());
    let stages = Memo::new(move |_| stage_filter.with(|f| stages_for(f)));

    // The answer is kept through a change that cannot alter it (a card
    // moved on the board), so a move does not search every deal again.
    let searched = StoredValue::new(None::<(String, Vec<Stage>, Revision)>);
    let matches = Memo::new_owning(move |prev: Option<Vec<OpportunityId>>| {
        let q = list.query.get();
        let only = figure.and_then(|f| match state.with(|p| p.counted(f, today(), local_day)) {
            Counted::Opportunities(ids) => Some(ids.into_iter().collect::<HashSet<_>>()),
            Counted::Leads(_) => None,
        });
        stages.with(|stages| {
            state.with(|p| {
                let kept = only.is_none()
                    && searched.with_value(|s| {
                        s.as_ref()
                            .zip(prev.as_ref())
                            .is_some_and(|((sq, ss, seen), found)| {
                                *sq == q
                                    && ss == stages
                                    && p.opportunities_found_still(*seen, found, &q, stages)
                            })
                    });
                searched.set_value(Some((q.clone(), stages.clone(), p.revision())));
                match prev {
                    Some(found) if kept => (found, false),
                    prev => {
                        let mut ids = p.search_opportunities(&q, stages);
                        if let Some(only) = &only {
                            ids.retain(|id| only.contains(id));
                        }
                        let changed = prev.as_ref() != Some(&ids);
                        (ids, changed)
                    }
                }
            })
        })
    });
    let showing = figure_shown(figure, Route::Section(Section::Opportunities));

    let rows = move || {
        let limit = list.shown.get();
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
    // A memo: the number of deals changes far less often than the pipeline
    // (a move on the board leaves the count's words alone).
    let total = Memo::new(move |_| state.with(|p| p.opportunities().len()));
    let count_text = move || {
        let found = matches.with(Vec::len);
        list_count(
            found,
            total.get(),
            Text::OneOpportunity,
            Text::NOpportunities,
        )
    };
    let filters = move || {
        view! {
            <div class="field">
                <label for="opportunities-stage">{t(Text::FilterByStage)}</label>
                <select
                    id="opportunities-stage"
                    on:change=move |ev| {
                        list.restart();
                        stage_filter.set(event_target_value(&ev));
                    }
                >
                    <option value="">{t(Text::AllStages)}</option>
                    <option value=OPEN>{t(Text::OpenNotWonOrLost)}</option>
                    {Stage::ALL
                        .map(|s| view! { <option value=s.name()>{labels::stage(s)}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    };

    view! {
        <section class="screen opportunities" aria-labelledby="screen-title">
            <div class="screen-header">
                <h1 id="screen-title">{t(Text::Opportunities)}</h1>
                <div class="view-switch" role="group" aria-label=t(Text::View)>
                    <button
                        type="button"
                        aria-pressed=move || if board.get() { "true" } else { "false" }
                        on:click=move |_| board.set(true)
                    >
                        {t(Text::Board)}
                    </button>
                    <button
                        type="button"
                        aria-pressed=move || if board.get() { "false" } else { "true" }
                        on:click=move |_| board.set(false)
                    >
                        {t(Text::List)}
                    </button>
                </div>
            </div>
            {showing}
            <ListTools list id="opportunities" hint=t(Text::OpportunitySearchHint) count=count_text filters/>
            <Show when=move || board.get() fallback=move || view! {
            <ListRows
                list
                found=move || matches.with(Vec::len)
                empty=empty_text(
                    move || state.with(|p| p.opportunities().is_empty()),
                    Text::NoOpportunitiesYet,
                    Text::NoOpportunityMatches,
                )
            >
                <RecordTable
                    caption=t(Text::Opportunities)
                    class="opportunity-table"
                    columns=vec![
                        (t(Text::Name), ""),
                        (t(Text::Stage), ""),
                        (t(Text::Amount), "number"),
                        (t(Text::Probability), "number"),
                        (t(Text::ExpectedClose), ""),
                        (t(Text::NextStep), ""),
                    ]
                >
                    {rows}
                </RecordTable>
            </ListRows>
            }>
                <Board ids=matches stages/>
            </Show>
        </section>
    }
}
