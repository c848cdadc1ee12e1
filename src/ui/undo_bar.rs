use leptos::prelude::*;

use super::state::AppState;
use crate::i18n::{labels, t, Text};

/// After a change, says what was done and offers to undo it.
#[component]
pub fn UndoBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let undo = move |_| match state.undo() {
        Ok(_) => set_error.set(None),
        Err(e) => set_error.set(Some(super::errors::domain(&e))),
    };
    // The buttons are drawn when an offer appears and kept while offers
    // follow one another; only the words change (a card moved on the board
    // rewrites one text, not the bar).
    let offered = Memo::new(move |_| state.undo_offer().is_some());
    view! {
        <div class="undo-bar" role="status" aria-live="polite">
            {move || {
                offered
                    .get()
                    .then(|| {
                        view! {
                            <span class="undo-bar-text">
                                {move || {
                                    state
                                        .undo_offer()
                                        .map(|label| labels::undo_label(&label))
                                        .unwrap_or_default()
                                }}
                            </span>
                            <button type="button" on:click=undo>{t(Text::Undo)}</button>
                            <button
                                type="button"
                                class="quiet"
                                aria-label=t(Text::Dismiss)
                                on:click=move |_| state.dismiss_undo()
                            >
                                "×"
                            </button>
                        }
                    })
            }}
            {move || error.get().map(|e| view! { <span class="error-text">{e}</span> })}
        </div>
    }
}
