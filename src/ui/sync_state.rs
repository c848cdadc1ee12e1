//! The header's sync state in words ("Synced 2 minutes ago"), announced
//! politely. Empty while sync is not set up.

use leptos::prelude::*;

/// The sync state's words, set by the sync code (which loads on demand);
/// `None` while sync is not set up. Provided once at the root.
#[derive(Clone, Copy)]
pub struct SyncLine(pub RwSignal<Option<String>>);

#[component]
pub fn SyncState() -> impl IntoView {
    let line = expect_context::<SyncLine>();
    view! {
        <p class="sync-state" role="status" aria-live="polite" aria-label="Sync">
            {move || line.0.get()}
        </p>
    }
}

/// Starts syncing once the stored pipeline is read, if sync is set up: the
/// sync code is fetched only then.
pub fn start_when_loaded(state: super::AppState, line: SyncLine) {
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || state.loading() {
            return started.unwrap_or(false);
        }
        if !crate::storage::sync_store::sync_is_set_up() {
            return false;
        }
        #[cfg(feature = "split")]
        leptos::task::spawn_local(async move {
            let _ = super::sync::start_syncing(state, line).await;
        });
        #[cfg(not(feature = "split"))]
        let _ = super::sync::start_syncing(state, line);
        true
    });
}
