use leptos::prelude::*;

use super::download::download_text;
use super::state::{now, AppState, StorageNotice};
use crate::storage::download_file_name;
use crate::transfer::json::{export_file_name, export_json};

/// Downloads the whole pipeline as a JSON export.
pub fn export_pipeline(state: AppState) -> Result<(), String> {
    let now = now();
    let text = state
        .with_untracked(|p| export_json(p, now))
        .map_err(|e| e.to_string())?;
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
        let (message, action) = match notice {
            StorageNotice::KeptAside { key, message } => {
                let download = move |_| {
                    let result = match state.kept_aside_text(&key) {
                        Ok(Some(raw)) => {
                            download_text(&download_file_name(&key), "application/json", &raw)
                        }
                        Ok(None) => Err("The kept-aside data is no longer there".to_owned()),
                        Err(e) => Err(e.to_string()),
                    };
                    if let Err(e) = result {
                        set_error.set(Some(e));
                    }
                };
                (
                    message,
                    view! {
                        <button type="button" on:click=download>
                            "Download the kept-aside data"
                        </button>
                    }
                    .into_any(),
                )
            }
            StorageNotice::QuotaFull => (
                "Your browser refused to save: its storage for this site is full. \
                 Your changes are still open here; export them to a file now."
                    .to_owned(),
                view! { <button type="button" on:click=export>"Export JSON"</button> }.into_any(),
            ),
            StorageNotice::UpdatedFromOtherTab { lost_local_change } => (
                if lost_local_change {
                    "Another tab saved changes at the same moment. This tab now shows them; \
                     your last change here was not kept."
                } else {
                    "Another tab changed your pipeline. This tab now shows the change."
                }
                .to_owned(),
                ().into_any(),
            ),
            StorageNotice::OtherTabUnreadable(message) => (
                format!("Another tab stored data this version cannot read. Nothing here will overwrite it; reload the page. {message}"),
                ().into_any(),
            ),
            StorageNotice::ErasedInOtherTab => (
                "All data was erased in another tab.".to_owned(),
                ().into_any(),
            ),
            StorageNotice::SaveFailed(message) => (
                format!("Your changes could not be saved: {message}"),
                view! { <button type="button" on:click=export>"Export JSON"</button> }.into_any(),
            ),
        };
        Some(view! {
            <div class="storage-banner" role="alert">
                <p>{message}</p>
                <div class="storage-banner-actions">
                    {action}
                    <button type="button" class="quiet" on:click=dismiss>"Dismiss"</button>
                </div>
                {move || error.get().map(|e| view! { <p class="error-text">{e}</p> })}
            </div>
        })
    }
}
