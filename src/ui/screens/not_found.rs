use leptos::prelude::*;

use crate::i18n::{t, Text};

#[component]
pub fn NotFoundScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::PageNotFound)}</h1>
            <p>{t(Text::NothingAtThisAddress)}<a href="#/today">{t(Text::GoToToday)}</a></p>
        </section>
    }
}
