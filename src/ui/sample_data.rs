//! Sample data: offered on an empty pipeline, marked by a banner while it is
//! shown, and taken out again with Remove sample data. The generator is
//! fetched only when asked for, with the Settings screen's code.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::errors;
use super::screens::ScreenLoadError;
use super::state::{today, AppState};
use crate::domain::{sample, Pipeline};
use crate::i18n::{fill, number, t, Text};

/// The sample is the same every time, dated around the day it is asked for.
const SAMPLE_SEED: u64 = 2026;
const SAMPLE_CONTACTS: usize = 60;
const SAMPLE_OPPORTUNITIES: usize = 24;

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_sample))
)]
fn sample_pipeline(today: NaiveDate) -> Result<Pipeline, ScreenLoadError> {
    Ok(sample::generate(
        SAMPLE_SEED,
        SAMPLE_CONTACTS,
        SAMPLE_OPPORTUNITIES,
        today,
    ))
}

#[cfg(feature = "split")]
async fn load_sample(today: NaiveDate) -> Result<Pipeline, ScreenLoadError> {
    sample_pipeline(today).await
}

#[cfg(not(feature = "split"))]
async fn load_sample(today: NaiveDate) -> Result<Pipeline, ScreenLoadError> {
    sample_pipeline(today)
}

/// "Try Leadline with sample data", for an empty pipeline.
#[component]
pub fn TrySampleData() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let busy = RwSignal::new(false);
    let try_it = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let added = match load_sample(today()).await {
                Ok(sample) => state
                    .run(|p, _| p.add_sample(sample))
                    .map_err(|e| errors::domain(&e)),
                Err(ScreenLoadError) => Err(t(Text::SampleFailed).to_owned()),
            };
            busy.set(false);
            set_error.set(added.err());
        });
    };
    view! {
        <p>
            <button type="button" on:click=try_it disabled=move || busy.get()>
                {t(Text::TrySampleData)}
            </button>
        </p>
        {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
    }
}

/// The banner on every screen while sample data is shown.
#[component]
pub fn SampleBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (message, set_message) = signal(None::<String>);
    let remove = move |_| match state.run(|p, _| p.remove_sample()) {
        Ok(done) if done.kept > 0 => {
            set_message.set(Some(fill(Text::SampleKept, &[&number(done.kept as u64)])))
        }
        Ok(_) => set_message.set(None),
        Err(e) => set_message.set(Some(errors::domain(&e))),
    };
    view! {
        {move || {
            state.with(Pipeline::has_sample).then(|| {
                view! {
                    <div class="sample-banner" role="region" aria-label=t(Text::RemoveSampleData)>
                        <p>{t(Text::SampleShown)}</p>
                        <button type="button" on:click=remove>{t(Text::RemoveSampleData)}</button>
                    </div>
                }
            })
        }}
        {move || message.get().map(|m| view! { <p class="sample-kept" role="status">{m}</p> })}
    }
}
