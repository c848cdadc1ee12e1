use leptos::prelude::*;

use super::app::CurrentRoute;
use crate::i18n::{labels, t, Text};
use crate::nav::{Route, Section};

/// The main navigation: one link per section, the current one marked.
#[component]
pub fn NavBar() -> impl IntoView {
    let CurrentRoute(route) = expect_context::<CurrentRoute>();
    let links = Section::ALL
        .into_iter()
        .map(|section| {
            let is_current = move || route.with(|r| r.section() == Some(section));
            view! {
                <li>
                    <a
                        href=Route::Section(section).to_hash()
                        aria-current=move || is_current().then_some("page")
                    >
                        {labels::section(section)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="nav-bar" aria-label=t(Text::MainNavigation)>
            <ul>{links}</ul>
        </nav>
    }
}
