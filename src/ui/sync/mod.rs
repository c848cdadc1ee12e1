//! Sync in the browser: Settings → Sync, the fetch transport and the loop
//! that keeps syncing. It all loads on demand (its own wasm chunk): a
//! page that does not sync never fetches it, and one that does fetches it
//! after the first screen is drawn.

mod controller;
mod fetch;
mod settings_form;

use leptos::prelude::*;

use super::screens::ScreenLoadError;
use super::state::AppState;
use super::SyncLine;

/// Settings → Sync.
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn sync_settings() -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <settings_form::SyncSettingsForm/> }.into_any())
}

/// Starts syncing (sync is set up).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)
)]
pub fn start_syncing(state: AppState, line: SyncLine) -> Result<(), ScreenLoadError> {
    controller::start(state, line);
    Ok(())
}
