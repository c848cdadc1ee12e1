//! Sync's settings and state on real localStorage and sessionStorage.
//!
//! Run as the other browser tests (see `browser_storage.rs`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use leadline::storage::sync_store::{
    forget_sync, save_sync_settings, save_sync_state, sync_is_set_up, sync_password, sync_settings,
    sync_state, SYNC_SETTINGS_KEY, SYNC_STATE_KEY,
};
use leadline::sync::{SyncSettings, SyncState};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local(key: &str) -> Option<String> {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

fn settings() -> SyncSettings {
    SyncSettings::check("https://couch.example.com", "leadline", "ada", "s3cret").unwrap()
}

#[wasm_bindgen_test]
fn a_password_not_remembered_never_reaches_local_storage() {
    forget_sync();
    assert!(!sync_is_set_up());
    save_sync_settings(&settings(), false).unwrap();
    assert!(sync_is_set_up());
    let stored = local(SYNC_SETTINGS_KEY).unwrap();
    assert!(!stored.contains("s3cret"), "{stored}");
    let read = sync_settings().unwrap();
    assert_eq!(read.password, None);
    assert_eq!(
        sync_password(&read).as_deref(),
        Some("s3cret"),
        "kept for this tab"
    );
    forget_sync();
}

#[wasm_bindgen_test]
fn a_remembered_password_is_kept_and_stop_syncing_forgets_everything() {
    forget_sync();
    save_sync_settings(&settings(), true).unwrap();
    let read = sync_settings().unwrap();
    assert_eq!(sync_password(&read).as_deref(), Some("s3cret"));
    let state = SyncState {
        reconcile: true,
        ..SyncState::default()
    };
    save_sync_state(&state).unwrap();
    assert_eq!(sync_state(), state);
    forget_sync();
    assert!(sync_settings().is_none());
    assert_eq!(local(SYNC_STATE_KEY), None);
    assert_eq!(sync_state(), SyncState::default());
}

#[wasm_bindgen_test]
fn damaged_sync_settings_read_as_not_set_up() {
    forget_sync();
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(SYNC_SETTINGS_KEY, "{not json")
        .unwrap();
    assert_eq!(sync_settings(), None);
    assert_eq!(sync_state(), SyncState::default());
    forget_sync();
}
