//! The localStorage adapter (wasm32 only). The only code that reads or
//! writes localStorage, and it does so through gloo-storage's
//! [`LocalStorage`]: the envelope is written by its `set` (serde_json), raw
//! text (a value that may not be ours, a quarantined copy) through
//! `LocalStorage::raw()`.

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use gloo_storage::errors::StorageError as GlooError;
use gloo_storage::{LocalStorage, Storage as _};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Storage, StorageEvent, Window};

use super::envelope::{
    decode_stored, pack, peek_revision, revision_from_head, LoadProblem, Loaded,
};
use super::envelope::{APP_KEY, KEY_PREFIX};
use super::error::StorageError;
use super::quarantine::{self, is_quarantine_key, QuarantineEntry};
use super::quota::is_quota_error;
use super::revision::{decide_tab_change, decide_write, fingerprint, TabChange, WriteDecision};
use super::usage::{entry_bytes, Usage, QUOTA_ESTIMATE_BYTES};

#[wasm_bindgen]
extern "C" {
    /// A `Storage` seen through a binding that keeps values as JS strings.
    type RawStorage;

    /// `Storage.getItem` returning the JS string itself, so a save can look
    /// at the first characters of a large value without copying all of it
    /// into wasm memory.
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item_js(this: &RawStorage, key: &str) -> Result<JsValue, JsValue>;
}

/// Characters read from the start of the stored value to find its revision.
const HEAD_UNITS: u32 = 96;

/// What [`LocalStore::load`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome<T> {
    /// Nothing is stored yet: start with an empty pipeline.
    Empty,
    /// The stored pipeline (upgraded if it was older).
    Loaded {
        /// The data.
        data: T,
        /// Its revision; the store now bases its saves on it.
        revision: u64,
        /// When it was saved.
        saved_at: DateTime<Utc>,
        /// The schema it was stored with.
        stored_schema: u32,
    },
    /// The stored value could not be loaded and was kept aside. Start with an
    /// empty pipeline and show `problem.user_message()` with a download of
    /// `key` ([`LocalStore::quarantined_value`]).
    Quarantined {
        /// Where the raw value is: a `leadline.quarantine.*` key, or
        /// [`APP_KEY`] itself when it could not be copied (`copy_failed`).
        key: String,
        /// Why it could not be loaded.
        problem: LoadProblem,
        /// Its length in bytes (UTF-8).
        raw_len: usize,
        /// Why the copy failed, if it did. Then saves are refused with
        /// [`StorageError::KeptAside`] until [`LocalStore::start_fresh`].
        copy_failed: Option<StorageError>,
    },
}

/// A completed save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveReport {
    /// The revision now stored.
    pub revision: u64,
    /// Bytes the pipeline entry takes (2 × UTF-16 units of key and value).
    pub bytes: u64,
}

/// A change made by another tab (see [`LocalStore::subscribe_other_tabs`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TabUpdate<T> {
    /// Another tab saved a newer pipeline. Show it, then call
    /// [`LocalStore::adopt_revision`] with its revision; until then saves
    /// from this tab report a conflict.
    Changed(Loaded<T>),
    /// Another tab stored something this tab cannot read (a newer Leadline,
    /// or damage). Saves from this tab will not overwrite it: they report a
    /// conflict or set it aside first. Suggest reloading.
    Unreadable(LoadProblem),
    /// The pipeline was erased in another tab (or site data was cleared).
    Removed,
}

/// Whether the browser agreed to keep this site's storage when space runs low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// Storage is persistent: the browser will not evict it on its own.
    Granted,
    /// The browser said no (it may decide by engagement or bookmarks).
    Denied,
    /// No `navigator.storage.persist` here (old browser, insecure context).
    Unsupported,
}

enum Stored {
    Empty,
    Revision(u64),
    Unreadable(String),
}

/// Leadline's localStorage: one pipeline under [`APP_KEY`], quarantined
/// values under `leadline.quarantine.*`.
///
/// Holds no global state: the window's `Storage`, the revision the app's data
/// is based on, and whether the main key must be left alone.
pub struct LocalStore {
    storage: Storage,
    base: Rc<Cell<u64>>,
    /// The fingerprint of the stored text this tab found unreadable when it
    /// loaded (see [`decide_tab_change`]).
    unreadable: Rc<Cell<Option<u64>>>,
    kept_aside: bool,
}

impl LocalStore {
    /// Opens the window's localStorage, or [`StorageError::Unavailable`]
    /// when there is none or it is blocked.
    ///
    /// gloo-storage throws when localStorage is missing or blocked, so that
    /// is asked first, without it; every access after this goes through it.
    pub fn open() -> Result<Self, StorageError> {
        let available = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .is_some();
        if !available {
            return Err(StorageError::Unavailable);
        }
        Ok(LocalStore {
            storage: LocalStorage::raw(),
            base: Rc::new(Cell::new(0)),
            unreadable: Rc::new(Cell::new(None)),
            kept_aside: false,
        })
    }

    /// The revision the app's data is based on (0: nothing loaded or saved).
    pub fn base_revision(&self) -> u64 {
        self.base.get()
    }

    /// Whether saves are refused because unreadable data could not be copied
    /// aside and still sits under the main key.
    pub fn is_kept_aside(&self) -> bool {
        self.kept_aside
    }

    /// Loads the pipeline. Unreadable or newer-schema data is copied to a
    /// quarantine key (see [`super::quarantine`] for the rule); the main key
    /// is never changed by loading.
    pub fn load<T: DeserializeOwned>(&mut self) -> Result<LoadOutcome<T>, StorageError> {
        let raw = self.read()?;
        let decoded = raw.as_deref().map(decode_stored::<T>);
        self.loaded(raw.as_deref(), decoded)
    }

    /// The stored pipeline's text, for reading in steps (see
    /// [`super::envelope::Reading`]); then [`LocalStore::loaded`].
    pub fn read(&self) -> Result<Option<String>, StorageError> {
        self.get(APP_KEY)
    }

    /// What reading `raw` (from [`LocalStore::read`]) gave: bases the next
    /// save on its revision, or keeps unreadable data aside.
    pub fn loaded<T>(
        &mut self,
        raw: Option<&str>,
        decoded: Option<Result<Loaded<T>, LoadProblem>>,
    ) -> Result<LoadOutcome<T>, StorageError> {
        self.unreadable.set(None);
        let (Some(raw), Some(decoded)) = (raw, decoded) else {
            self.base.set(0);
            self.kept_aside = false;
            return Ok(LoadOutcome::Empty);
        };
        match decoded {
            Ok(loaded) => {
                self.base.set(loaded.revision);
                self.kept_aside = false;
                Ok(LoadOutcome::Loaded {
                    data: loaded.data,
                    revision: loaded.revision,
                    saved_at: loaded.saved_at,
                    stored_schema: loaded.stored_schema,
                })
            }
            Err(problem) => {
                self.unreadable.set(Some(fingerprint(raw)));
                let raw_len = raw.len();
                match self.keep_aside(raw, Utc::now()) {
                    Ok(key) => {
                        // The copy is confirmed: the main key is free. Base the
                        // next save on what is there now, so that anything
                        // another tab writes in between is still a conflict.
                        self.base.set(peek_revision(raw).unwrap_or(0));
                        self.kept_aside = false;
                        Ok(LoadOutcome::Quarantined {
                            key,
                            problem,
                            raw_len,
                            copy_failed: None,
                        })
                    }
                    Err(error) => {
                        self.kept_aside = true;
                        Ok(LoadOutcome::Quarantined {
                            key: APP_KEY.to_owned(),
                            problem,
                            raw_len,
                            copy_failed: Some(error),
                        })
                    }
                }
            }
        }
    }

    /// Saves `data` as the next revision.
    ///
    /// Refused with [`StorageError::Conflict`] if the stored revision is not
    /// the one this store is based on (another tab saved), with
    /// [`StorageError::QuotaExceeded`] when the browser is full, and with
    /// [`StorageError::KeptAside`] while unreadable data could not be copied
    /// aside. On any error the stored pipeline is unchanged (an unreadable
    /// value found in the main key may have been copied to a quarantine key).
    pub fn save<T: Serialize>(
        &mut self,
        data: &T,
        now: DateTime<Utc>,
    ) -> Result<SaveReport, StorageError> {
        if self.kept_aside {
            return Err(StorageError::KeptAside);
        }
        let stored = match self.stored()? {
            Stored::Empty => None,
            Stored::Revision(revision) => Some(revision),
            Stored::Unreadable(raw) => {
                self.keep_aside(&raw, now)?;
                None
            }
        };
        let base = self.base.get();
        let next_revision = match decide_write(base, stored) {
            WriteDecision::Write { next_revision } => next_revision,
            WriteDecision::Conflict { stored_revision } => {
                return Err(StorageError::Conflict {
                    base,
                    stored: stored_revision,
                })
            }
        };
        LocalStorage::set(APP_KEY, pack(data, next_revision, now)?).map_err(from_gloo)?;
        self.base.set(next_revision);
        // The unreadable text is gone from the key: seen again, it is news.
        self.unreadable.set(None);
        Ok(SaveReport {
            revision: next_revision,
            bytes: 2 * (APP_KEY.len() as u64 + self.stored_units()?),
        })
    }

    /// Bases the next save on `revision`: call it after showing data adopted
    /// from another tab ([`TabUpdate::Changed`]).
    pub fn adopt_revision(&mut self, revision: u64) {
        self.base.set(revision);
    }

    /// Bytes used by Leadline and by the whole origin.
    pub fn usage(&self) -> Result<Usage, StorageError> {
        let mut app_bytes = 0;
        let mut origin_bytes = 0;
        for key in self.keys()? {
            let value = self.get(&key)?.unwrap_or_default();
            let bytes = entry_bytes(&key, &value);
            origin_bytes += bytes;
            if key.starts_with(KEY_PREFIX) {
                app_bytes += bytes;
            }
        }
        Ok(Usage::new(app_bytes, origin_bytes, QUOTA_ESTIMATE_BYTES))
    }

    /// Removes every `leadline.*` key (the pipeline and quarantined values)
    /// and nothing else; returns how many. Ask the user first.
    pub fn erase_all(&mut self) -> Result<usize, StorageError> {
        let ours: Vec<String> = self
            .keys()?
            .into_iter()
            .filter(|key| key.starts_with(KEY_PREFIX))
            .collect();
        for key in &ours {
            LocalStorage::delete(key);
        }
        self.base.set(0);
        self.unreadable.set(None);
        self.kept_aside = false;
        Ok(ours.len())
    }

    /// Quarantined values, oldest first.
    pub fn quarantined(&self) -> Result<Vec<QuarantineEntry>, StorageError> {
        let mut entries = Vec::new();
        for key in self.keys()?.into_iter().filter(|k| is_quarantine_key(k)) {
            let value = self.get(&key)?.unwrap_or_default();
            entries.push(QuarantineEntry {
                quarantined_at: quarantine::quarantined_at(&key),
                bytes: entry_bytes(&key, &value),
                key,
            });
        }
        quarantine::sort_entries(&mut entries);
        Ok(entries)
    }

    /// The raw text of a quarantined value, for a download. Also accepts
    /// [`APP_KEY`] (for the [`LoadOutcome::Quarantined`] case where the copy
    /// failed); any other key gives `None`.
    pub fn quarantined_value(&self, key: &str) -> Result<Option<String>, StorageError> {
        if is_quarantine_key(key) || key == APP_KEY {
            self.get(key)
        } else {
            Ok(None)
        }
    }

    /// Deletes one quarantined value, after the user asked to. Returns
    /// whether there was one; never touches any other key.
    pub fn discard_quarantined(&mut self, key: &str) -> Result<bool, StorageError> {
        if !is_quarantine_key(key) || self.get(key)?.is_none() {
            return Ok(false);
        }
        LocalStorage::delete(key);
        Ok(true)
    }

    /// The user chose to start fresh after being offered the download of the
    /// unreadable data that could not be copied aside: removes it from the
    /// main key and allows saving again. Does nothing otherwise.
    pub fn start_fresh(&mut self) -> Result<(), StorageError> {
        if self.kept_aside {
            LocalStorage::delete(APP_KEY);
            self.kept_aside = false;
            self.base.set(0);
            self.unreadable.set(None);
        }
        Ok(())
    }

    /// Calls `callback` when another tab changes the pipeline (the window's
    /// `storage` event for [`APP_KEY`]); the listener is removed when the
    /// returned handle is dropped. The store's base revision is read when an
    /// event arrives: newer revisions are delivered, same or older ignored.
    pub fn subscribe_other_tabs<T, F>(
        &self,
        mut callback: F,
    ) -> Result<TabSubscription, StorageError>
    where
        T: DeserializeOwned + 'static,
        F: FnMut(TabUpdate<T>) + 'static,
    {
        let window = web_sys::window().ok_or(StorageError::Unavailable)?;
        let base = Rc::clone(&self.base);
        let unreadable = Rc::clone(&self.unreadable);
        let storage = self.storage.clone();
        let listener = Closure::<dyn FnMut(StorageEvent)>::new(move |event: StorageEvent| {
            // Only localStorage (not sessionStorage), and only our key or a
            // clear() (key null).
            if let Some(area) = event.storage_area() {
                if !js_sys::Object::is(&area, &storage) {
                    return;
                }
            }
            if event.key().is_some_and(|key| key != APP_KEY) {
                return;
            }
            let new_value = event.new_value();
            match decide_tab_change(base.get(), unreadable.get(), new_value.as_deref()) {
                TabChange::Ignore => {}
                TabChange::Removed => callback(TabUpdate::Removed),
                TabChange::Adopt { .. } | TabChange::Unreadable => {
                    let raw = new_value.unwrap_or_default();
                    match decode_stored::<T>(&raw) {
                        Ok(loaded) => callback(TabUpdate::Changed(loaded)),
                        Err(problem) => callback(TabUpdate::Unreadable(problem)),
                    }
                }
            }
        });
        window
            .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
            .map_err(storage_error)?;
        Ok(TabSubscription { window, listener })
    }

    /// Asks the browser to keep this site's storage even when space runs low
    /// (`navigator.storage.persist()`). Safe to call anywhere; resolves to
    /// [`Persistence::Unsupported`] where the API is missing.
    pub async fn request_persistence() -> Persistence {
        let Some(window) = web_sys::window() else {
            return Persistence::Unsupported;
        };
        let navigator = window.navigator();
        let has_storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage"))
            .map(|value| value.is_object())
            .unwrap_or(false);
        if !has_storage {
            return Persistence::Unsupported;
        }
        let Ok(promise) = navigator.storage().persist() else {
            return Persistence::Unsupported;
        };
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(granted) if granted.as_bool() == Some(true) => Persistence::Granted,
            Ok(_) => Persistence::Denied,
            Err(_) => Persistence::Unsupported,
        }
    }

    // ---- private helpers ----

    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage.get_item(key).map_err(storage_error)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let length = LocalStorage::length();
        let mut keys = Vec::new();
        for index in 0..length {
            if let Some(key) = self.storage.key(index).map_err(storage_error)? {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    /// The main key's value as a JS string, not copied into wasm memory.
    fn stored_js(&self) -> Result<Option<js_sys::JsString>, StorageError> {
        let value = self
            .storage
            .unchecked_ref::<RawStorage>()
            .get_item_js(APP_KEY)
            .map_err(storage_error)?;
        Ok(value.dyn_into::<js_sys::JsString>().ok())
    }

    /// UTF-16 units the main key's value takes.
    fn stored_units(&self) -> Result<u64, StorageError> {
        Ok(self.stored_js()?.map_or(0, |text| u64::from(text.length())))
    }

    /// What the main key holds, reading only its first characters when it is
    /// one of our envelopes.
    fn stored(&self) -> Result<Stored, StorageError> {
        let value = self.stored_js()?;
        let Some(text) = value else {
            return Ok(Stored::Empty);
        };
        let length = text.length();
        if length > 0 && text.char_code_at(length - 1) == f64::from(u32::from('}')) {
            let head = String::from(text.slice(0, length.min(HEAD_UNITS)));
            if let Some(revision) = revision_from_head(&head) {
                return Ok(Stored::Revision(revision));
            }
        }
        let raw = String::from(text);
        Ok(match peek_revision(&raw) {
            Some(revision) => Stored::Revision(revision),
            None => Stored::Unreadable(raw),
        })
    }

    /// Copies `raw` to a quarantine key (or finds an existing copy), reads it
    /// back to confirm, and returns the key.
    fn keep_aside(&self, raw: &str, now: DateTime<Utc>) -> Result<String, StorageError> {
        for key in self.keys()?.into_iter().filter(|k| is_quarantine_key(k)) {
            if self.get(&key)?.as_deref() == Some(raw) {
                return Ok(key);
            }
        }
        let existing = self.keys()?;
        let key = quarantine::quarantine_key(now, |candidate| {
            existing.iter().any(|taken| taken == candidate)
        });
        self.storage.set_item(&key, raw).map_err(storage_error)?;
        if self.get(&key)?.as_deref() == Some(raw) {
            Ok(key)
        } else {
            LocalStorage::delete(&key);
            Err(StorageError::Browser {
                name: "CopyNotConfirmed".into(),
                message: "the copy read back differs from the original".into(),
            })
        }
    }
}

/// Keeps a `storage` listener registered; dropping it removes the listener.
pub struct TabSubscription {
    window: Window,
    listener: Closure<dyn FnMut(StorageEvent)>,
}

impl Drop for TabSubscription {
    fn drop(&mut self) {
        let _ = self
            .window
            .remove_event_listener_with_callback("storage", self.listener.as_ref().unchecked_ref());
    }
}

/// Maps gloo-storage's error to a [`StorageError`]: the browser's refusal
/// by its name (gloo keeps no `code`; every browser that still throws a
/// legacy quota code also names it, see [`is_quota_error`]).
pub(super) fn from_gloo(error: GlooError) -> StorageError {
    match error {
        GlooError::JsError(error) if is_quota_error(&error.name, None) => {
            StorageError::QuotaExceeded
        }
        GlooError::JsError(error) if error.name == "SecurityError" => StorageError::Unavailable,
        GlooError::JsError(error) => StorageError::Browser {
            name: error.name,
            message: error.message,
        },
        GlooError::SerdeError(error) => StorageError::Serialize(error.to_string()),
        GlooError::KeyNotFound(key) => StorageError::Browser {
            name: "NotFound".into(),
            message: key,
        },
    }
}

/// Maps a JS exception from localStorage to a [`StorageError`], reading
/// `name` and `code` generically (DOMException or not).
fn storage_error(error: JsValue) -> StorageError {
    let field = |name: &str| js_sys::Reflect::get(&error, &JsValue::from_str(name)).ok();
    let name = field("name")
        .and_then(|value| value.as_string())
        .unwrap_or_default();
    let code = field("code")
        .and_then(|value| value.as_f64())
        .filter(|code| code.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(code))
        .map(|code| code as u16);
    if is_quota_error(&name, code) {
        return StorageError::QuotaExceeded;
    }
    if name == "SecurityError" {
        return StorageError::Unavailable;
    }
    let message = field("message")
        .and_then(|value| value.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_default();
    StorageError::Browser {
        name: if name.is_empty() {
            "Error".into()
        } else {
            name
        },
        message,
    }
}
