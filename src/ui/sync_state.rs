//! The header's sync state in words ("Synced 2 minutes ago"), announced
//! politely. Empty while sync is not set up.

use leptos::prelude::*;

use crate::i18n::{t, Text};

/// The sync state's words, set by the sync code (which loads on demand);
/// `None` while sync is not set up. Provided once at the root, with the
/// root's owner: what sync watches lives as long as the app, not as long
/// as the screen it was started from.
#[derive(Clone, Copy)]
pub struct SyncLine {
    pub words: RwSignal<Option<String>>,
    pub owner: StoredValue<Option<Owner>>,
}

impl SyncLine {
    /// Made where it is provided: it keeps the current owner.
    pub fn here() -> SyncLine {
        SyncLine {
            words: RwSignal::new(None),
            owner: StoredValue::new(Owner::current()),
        }
    }
}

#[component]
pub fn SyncState() -> impl IntoView {
    let line = expect_context::<SyncLine>();
    view! {
        <p class="sync-state" role="status" aria-live="polite" aria-label=t(Text::SyncStateLabel)>
            {move || line.words.get()}
        </p>
    }
}

/// Starts syncing once the stored pipeline is read, if sync is set up: the
/// sync code is fetched only then.
pub fn start_when_loaded(state: super::AppState, line: SyncLine) {
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if started.get_value() || state.loading() {
            return;
        }
        started.set_value(true);
        if !crate::storage::sync_store::sync_is_set_up() {
            return;
        }
        #[cfg(feature = "split")]
        leptos::task::spawn_local(async move {
            let _ = super::sync::start_syncing(state, line).await;
        });
        #[cfg(not(feature = "split"))]
        let _ = super::sync::start_syncing(state, line);
    });
}
