//! What every list screen (Contacts, Leads, Opportunities, Accounts) shows
//! around its rows: a Search field with the screen's filters, the count, the
//! text when nothing is there or nothing matches, and Show more.

use leptos::prelude::*;

use crate::domain::reports::standing::Figure;
use crate::i18n::{fill, labels, t, Text};
use crate::nav::Route;

/// How many rows a list shows before "Show more".
pub const PAGE: usize = 100;

/// A list's search words and how many rows it shows.
#[derive(Clone, Copy)]
pub struct ListState {
    pub query: RwSignal<String>,
    pub shown: RwSignal<usize>,
}

impl ListState {
    pub fn new() -> ListState {
        ListState {
            query: RwSignal::new(String::new()),
            shown: RwSignal::new(PAGE),
        }
    }

    /// After a filter changes the list starts again at its first page.
    pub fn restart(&self) {
        self.shown.set(PAGE);
    }
}

/// The Search field (`{id}-search`), the screen's own `filters` after it, and
/// the count ("3 of 12 contacts"), announced as it changes.
#[component]
pub fn ListTools(
    list: ListState,
    /// The list's name in ids: `contacts` gives `contacts-search`.
    id: &'static str,
    /// What Search looks in, as its placeholder.
    hint: &'static str,
    #[prop(into)] count: Signal<String>,
    #[prop(optional, into)] filters: Option<ViewFn>,
) -> impl IntoView {
    let search_id = format!("{id}-search");
    view! {
        <div class="list-tools">
            <div class="field">
                <label for=search_id.clone()>{t(Text::Search)}</label>
                <input
                    id=search_id
                    type="search"
                    placeholder=hint
                    on:input=move |ev| {
                        list.restart();
                        list.query.set(event_target_value(&ev));
                    }
                />
            </div>
            {filters.map(|f| f.run())}
        </div>
        <p class="list-count" role="status">{move || count.get()}</p>
    }
}

/// The rows (`children`) while any match, else `empty`; then Show more while
/// more match than are shown.
#[component]
pub fn ListRows(
    list: ListState,
    /// How many records match.
    #[prop(into)]
    found: Signal<usize>,
    /// Said when nothing is there, or nothing matches.
    #[prop(into)]
    empty: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <Show when=move || { found.get() > 0 } fallback=move || empty.run()>
            {children()}
        </Show>
        <Show when=move || { found.get() > list.shown.get() }>
            <button type="button" class="quiet" on:click=move |_| list.shown.update(|n| *n += PAGE)>
                {t(Text::ShowMore)}
            </button>
        </Show>
    }
}

/// A list as a table, captioned for screen readers: `columns` are the
/// headings with their cell class (`""` or `"number"`), `children` the rows.
#[component]
pub fn RecordTable(
    caption: &'static str,
    /// The table's own class beside `record-table`.
    #[prop(optional)]
    class: &'static str,
    columns: Vec<(&'static str, &'static str)>,
    children: Children,
) -> impl IntoView {
    let headings = columns
        .into_iter()
        .map(|(text, class)| view! { <th scope="col" class=(!class.is_empty()).then_some(class)>{text}</th> })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class=format!("record-table {class}")>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// The empty-list text: `none` when there are no records at all, else
/// `no_match`.
pub fn empty_text(
    none_at_all: impl Fn() -> bool + Copy + Send + Sync + 'static,
    none: Text,
    no_match: Text,
) -> ViewFn {
    ViewFn::from(move || {
        let text = move || if none_at_all() { t(none) } else { t(no_match) };
        view! { <p class="empty-state">{text}</p> }
    })
}

/// The list was opened from a figure on Today (`?figure=…`): it says so,
/// with a link to the whole list.
pub fn figure_shown(figure: Option<Figure>, all: Route) -> impl IntoView {
    figure.map(|f| {
        view! {
            <p class="figure-filter" role="status">
                {fill(Text::ShowingFigure, &[labels::figure(f)])} " "
                <a href=all.to_hash()>{t(Text::ShowAll)}</a>
            </p>
        }
    })
}
