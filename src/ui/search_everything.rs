//! The search in the header: finds contacts, leads, opportunities and
//! accounts at once, grouped by kind, and opens one from the keyboard alone
//! (`/` or Ctrl+K to get there, arrow keys to choose, Enter to open).

use leptos::prelude::*;

use super::navigate::go_to;
use super::state::AppState;
use crate::domain::everything::{Detail, FoundEverywhere};
use crate::domain::{RecordKind, RecordRef};
use crate::i18n::{fill, labels, number, t, Text};
use crate::nav::{Route, Section};

/// How many records of each kind the list shows.
const PER_KIND: usize = 5;
/// The field's id, for the shortcuts.
pub const SEARCH_EVERYTHING_ID: &str = "search-everything";
const RESULTS_ID: &str = "search-everything-results";

fn option_id(i: usize) -> String {
    format!("search-everything-option-{i}")
}

fn group_title(kind: RecordKind) -> &'static str {
    labels::section(match kind {
        RecordKind::Contact => Section::Contacts,
        RecordKind::Lead => Section::Leads,
        RecordKind::Opportunity => Section::Opportunities,
        RecordKind::Account => Section::Accounts,
    })
}

fn detail_text(detail: &Detail) -> String {
    match detail {
        Detail::Text(text) => text.clone(),
        Detail::Status(status) => labels::lead_status(*status).to_owned(),
        Detail::Stage(stage) => labels::stage(*stage).to_owned(),
        Detail::Nothing => String::new(),
    }
}

/// The records in the order the list shows them.
fn in_order(found: &FoundEverywhere) -> Vec<RecordRef> {
    found
        .groups()
        .iter()
        .flat_map(|(_, list)| list.iter().map(|f| f.record))
        .collect()
}

#[component]
pub fn SearchEverything() -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0_usize);
    let found = Memo::new(move |_| {
        query.with(|q| {
            if q.trim().is_empty() {
                FoundEverywhere::default()
            } else {
                state.with(|p| p.search_everything(q, PER_KIND))
            }
        })
    });
    let records = Memo::new(move |_| found.with(in_order));
    let shown = move || open.get() && query.with(|q| !q.trim().is_empty());

    let choose = move |record: RecordRef| {
        open.set(false);
        query.set(String::new());
        go_to(&Route::of_record(record));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = records.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" => {
                let chosen = records.with(|r| r.get(active.get_untracked()).copied());
                if let Some(record) = chosen {
                    ev.prevent_default();
                    choose(record);
                }
            }
            "Escape" => {
                open.set(false);
            }
            _ => {}
        }
    };

    let list = move || {
        let mut index = 0;
        found.with(|f| {
            f.groups()
                .into_iter()
                .filter(|(_, list)| !list.is_empty())
                .map(|(kind, list)| {
                    let title_id = format!("search-everything-{}", kind.noun());
                    let labelled_by = title_id.clone();
                    let options = list
                        .iter()
                        .map(|item| {
                            let i = index;
                            index += 1;
                            let record = item.record;
                            let detail = detail_text(&item.detail);
                            view! {
                                <div
                                    role="option"
                                    id=option_id(i)
                                    class="search-option"
                                    aria-selected=move || (active.get() == i).to_string()
                                    // Chosen on press, before the field loses the focus.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(record);
                                    }
                                >
                                    <span class="search-name">{item.name.clone()}</span>
                                    {(!detail.is_empty()).then(|| view! { <span class="search-detail">{detail}</span> })}
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        <div role="group" aria-labelledby=labelled_by>
                            <div class="search-group-title" id=title_id role="presentation">
                                {group_title(kind)}
                            </div>
                            {options}
                        </div>
                    }
                })
                .collect_view()
        })
    };
    let announcement = move || {
        if !shown() {
            return String::new();
        }
        match records.with(Vec::len) {
            0 => fill(Text::NothingFound, &[&query.get()]),
            n => fill(Text::FoundCount, &[&number(n as u64)]),
        }
    };

    view! {
        <div class="search-everything">
            <input
                id=SEARCH_EVERYTHING_ID
                type="search"
                role="combobox"
                autocomplete="off"
                aria-label=t(Text::SearchEverything)
                aria-autocomplete="list"
                aria-controls=RESULTS_ID
                aria-expanded=move || shown().to_string()
                aria-activedescendant=move || {
                    (shown() && records.with(|r| !r.is_empty())).then(|| option_id(active.get()))
                }
                placeholder=t(Text::ContactSearchHint)
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                    open.set(true);
                }
                on:keydown=on_key
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
            />
            <div
                id=RESULTS_ID
                role="listbox"
                class="search-results"
                aria-label=t(Text::SearchResults)
                hidden=move || !shown() || records.with(Vec::is_empty)
            >
                {list}
            </div>
            <p class="visually-hidden" role="status">{announcement}</p>
        </div>
    }
}
