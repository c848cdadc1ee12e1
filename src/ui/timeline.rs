use leptos::prelude::*;

use super::state::AppState;
use crate::domain::time::format_utc_millis;
use crate::domain::RecordRef;
use crate::i18n::{date_time, t, Text};

/// A record's history, newest first.
#[component]
pub fn Timeline(record: RecordRef) -> impl IntoView {
    let state = expect_context::<AppState>();
    let entries = move || {
        state.with(|p| {
            p.timeline(record)
                .into_iter()
                .rev()
                .map(|(at, text)| {
                    let local = at.with_timezone(&chrono::Local);
                    view! {
                        <li>
                            <time datetime=format_utc_millis(at)>{date_time(&local)}
                            </time>
                            " "
                            <span>{text}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t(Text::History)}</h2>
            <ol>{entries}</ol>
        </section>
    }
}
