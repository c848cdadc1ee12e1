use leptos::prelude::*;

use super::download::download_text;
use super::errors;
use super::state::{now, AppState, StorageNotice};
use crate::i18n::{fill, t, Text};
use crate::storage::{download_file_name, APP_KEY};
use crate::transfer::json::{export_file_name, export_json};

/// Downloads the whole pipeline as a JSON export.
pub fn export_pipeline(state: AppState) -> Result<(), String> {
    let now = now();
    let text = state
        .with_untracked(|p| export_json(p, now))
        .map_err(|e| errors::transfer(&e))?;
    download_text(&export_file_name(now, "json"), "application/json", &text)
}

/// What happened to the stored data, in plain words, with what the user can
/// do about it. Shown above every screen.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let export = move |_| {
        if let Err(e) = export_pipeline(state) {
            set_error.set(Some(e));
        }
    };
    let dismiss = move |_| state.dismiss_notice();

    move || {
        let notice = state.notice()?;
        let download = move |key: String| {
            let result = match state.kept_aside_text(&key) {
                Ok(Some(raw)) => download_text(&download_file_name(&key), "application/json", &raw),
                Ok(None) => Err(t(Text::KeptAsideGone).to_owned()),
                Err(e) => Err(errors::storage(&e)),
            };
            if let Err(e) = result {
                set_error.set(Some(e));
            }
        };
        // Until it is resolved, data left in place keeps its banner.
        let dismissible = !matches!(notice, StorageNotice::CouldNotKeepAside { .. });
        let (message, action) = match notice {
            StorageNotice::KeptAside { key, problem } => (
                errors::load_problem(&problem),
                view! {
                    <button type="button" on:click=move |_| download(key.clone())>
                        {t(Text::DownloadKeptAside)}
                    </button>
                }
                .into_any(),
            ),
            StorageNotice::CouldNotKeepAside { problem } => {
                let start_fresh = move |_| {
                    if let Err(e) = state.start_fresh() {
                        set_error.set(Some(errors::storage(&e)));
                    }
                };
                (
                    errors::load_problem_then(&problem, Text::NotKeptNote),
                    view! {
                        <button type="button" on:click=move |_| download(APP_KEY.to_owned())>
                            {t(Text::DownloadKeptAside)}
                        </button>
                        <button type="button" class="quiet" on:click=start_fresh>
                            {t(Text::StartFresh)}
                        </button>
                    }
                    .into_any(),
                )
            }
            StorageNotice::QuotaFull => (
                t(Text::QuotaExceeded).to_owned(),
                view! { <button type="button" on:click=export>{t(Text::ExportJson)}</button> }
                    .into_any(),
            ),
            StorageNotice::UpdatedFromOtherTab { lost_local_change } => (
                t(if lost_local_change {
                    Text::OtherTabSavedSameMoment
                } else {
                    Text::OtherTabChanged
                })
                .to_owned(),
                ().into_any(),
            ),
            StorageNotice::OtherTabUnreadable(problem) => (
                fill(
                    Text::OtherTabUnreadable,
                    &[&errors::load_problem_then(&problem, Text::OtherTabNote)],
                ),
                ().into_any(),
            ),
            StorageNotice::ErasedInOtherTab => {
                (t(Text::ErasedInOtherTab).to_owned(), ().into_any())
            }
            StorageNotice::NotSavedInconsistent(problem) => (
                fill(
                    Text::NotSavedInconsistent,
                    &[&errors::inconsistency(&problem)],
                ),
                view! { <button type="button" on:click=export>{t(Text::ExportJson)}</button> }
                    .into_any(),
            ),
            StorageNotice::SaveFailed(e) => (
                fill(Text::ChangesNotSaved, &[&errors::storage(&e)]),
                view! { <button type="button" on:click=export>{t(Text::ExportJson)}</button> }
                    .into_any(),
            ),
        };
        Some(view! {
            <div class="storage-banner" role="alert">
                <p>{message}</p>
                <div class="storage-banner-actions">
                    {action}
                    {dismissible.then(|| view! {
                        <button type="button" class="quiet" on:click=dismiss>{t(Text::Dismiss)}</button>
                    })}
                </div>
                {move || error.get().map(|e| view! { <p class="error-text">{e}</p> })}
            </div>
        })
    }
}
