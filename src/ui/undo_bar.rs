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
    // The words as a memo and the buttons kept while an offer stands: a
    // change (a card moved) rewrites one text, not the bar.
    let words = Memo::new(move |_| state.undo_offer().map(|label| labels::undo_label(&label)));
    view! {
        <div class="undo-bar" role="status" aria-live="polite">
            <Show when=move || words.with(Option::is_some)>
                <span class="undo-bar-text">{move || words.get().unwrap_or_default()}</span>
                <button type="button" on:click=undo>{t(Text::Undo)}</button>
                <button
                    type="button"
                    class="quiet"
                    aria-label=t(Text::Dismiss)
                    on:click=move |_| state.dismiss_undo()
                >
                    "×"
                </button>
            </Show>
            {move || error.get().map(|e| view! { <span class="error-text">{e}</span> })}
        </div>
    }
}
