//! Where sync keeps its settings and its replication state: two keys of
//! their own beside the pipeline's (so "Erase all data" and the storage
//! figure include them), and the password for this tab only in
//! sessionStorage unless the user asked for it to be remembered.

use gloo_storage::{LocalStorage, SessionStorage, Storage as _};

use super::local::from_gloo;
use super::StorageError;
use crate::sync::{SyncSettings, SyncState};

/// The server, database and user (and the password, if remembered).
pub const SYNC_SETTINGS_KEY: &str = "leadline.sync";
/// What the replicator knows of the server (checkpoint, revisions).
pub const SYNC_STATE_KEY: &str = "leadline.sync-state";
/// The password for this tab (sessionStorage).
const SESSION_PASSWORD_KEY: &str = "leadline.sync-password";

/// The saved settings, if sync is set up (unreadable settings: not set up).
pub fn sync_settings() -> Option<SyncSettings> {
    LocalStorage::get(SYNC_SETTINGS_KEY).ok()
}

/// Whether sync is set up, without reading the settings.
pub fn sync_is_set_up() -> bool {
    LocalStorage::raw()
        .get_item(SYNC_SETTINGS_KEY)
        .ok()
        .flatten()
        .is_some()
}

/// Saves the settings; the password goes to localStorage only if
/// `remember`, else to this tab's sessionStorage.
pub fn save_sync_settings(settings: &SyncSettings, remember: bool) -> Result<(), StorageError> {
    let mut stored = settings.clone();
    if !remember {
        if let Some(password) = stored.password.take() {
            SessionStorage::set(SESSION_PASSWORD_KEY, password).map_err(from_gloo)?;
        }
    } else {
        SessionStorage::delete(SESSION_PASSWORD_KEY);
    }
    LocalStorage::set(SYNC_SETTINGS_KEY, &stored).map_err(from_gloo)
}

/// The password: remembered, or given in this tab.
pub fn sync_password(settings: &SyncSettings) -> Option<String> {
    settings
        .password
        .clone()
        .or_else(|| SessionStorage::get(SESSION_PASSWORD_KEY).ok())
}

pub fn sync_state() -> SyncState {
    LocalStorage::get(SYNC_STATE_KEY).unwrap_or_default()
}

pub fn save_sync_state(state: &SyncState) -> Result<(), StorageError> {
    LocalStorage::set(SYNC_STATE_KEY, state).map_err(from_gloo)
}

/// Forgets the server: settings, password and replication state. The
/// pipeline stays.
pub fn forget_sync() {
    LocalStorage::delete(SYNC_SETTINGS_KEY);
    LocalStorage::delete(SYNC_STATE_KEY);
    SessionStorage::delete(SESSION_PASSWORD_KEY);
}
