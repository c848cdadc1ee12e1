//! The stored format and the only code that touches localStorage.
//!
//! Everything except [`LocalStore`] and [`SaveScheduler`] is pure Rust and
//! tested natively; those two are the browser adapter (wasm32 only).
//!
//! - [`envelope`]: the versioned document under [`APP_KEY`], [`encode`],
//!   [`decode`], [`peek_revision`], [`LoadProblem`].
//! - [`packed`]: the compressed, JSON-safe text form of the stored data.
//! - [`fields`]: the data's top-level fields apart, as the packed form keeps
//!   them; [`parts`]: the pipeline read a part at a time.
//! - [`migrate`]: upgrading data stored by older versions.
//! - [`revision`]: the rules that stop two tabs clobbering each other.
//! - [`quarantine`]: where unreadable data is kept aside, and the rule.
//! - [`usage`]: bytes used and how close to full.
//! - [`quota`]: recognising "storage is full" across browsers.
//! - `local` (wasm32): [`LocalStore`], the localStorage adapter.
//! - `autosave` (wasm32): [`SaveScheduler`], coalesced saving.
//!
//! - [`json`]: JSON text in and out through serde_json, with errors that
//!   name the record and field.
//!
//! The store saves and loads any serde type: the pipeline (whose stored
//! fields are derived on the domain types, see `domain::stored`), or any
//! JSON ([`Value`]).

pub mod envelope;
pub mod error;
pub mod fields;
pub mod json;
pub mod migrate;
pub mod packed;
pub mod parts;
pub mod quarantine;
pub mod quota;
pub mod revision;
pub mod usage;

#[cfg(test)]
mod proptests;

#[cfg(target_arch = "wasm32")]
mod autosave;
#[cfg(target_arch = "wasm32")]
mod local;
#[cfg(target_arch = "wasm32")]
pub mod sync_store;

pub use envelope::{
    decode, decode_stored, encode, encode_pretty, pack, peek_revision, Envelope, LoadProblem,
    Loaded, Reading, APP_KEY, CURRENT_SCHEMA, FORMAT_NAME, KEY_PREFIX,
};
pub use error::StorageError;
pub use json::{from_json, to_json, JsonError, Located, Quick, Reader, Value};
pub use quarantine::{download_file_name, QuarantineEntry, QUARANTINE_PREFIX};
pub use quota::is_quota_error;
pub use revision::{decide_tab_change, decide_write, TabChange, WriteDecision};
pub use usage::{entry_bytes, usage_level, Usage, UsageLevel, QUOTA_ESTIMATE_BYTES};

#[cfg(target_arch = "wasm32")]
pub use autosave::{SaveScheduler, DEFAULT_DELAY_MS};
#[cfg(target_arch = "wasm32")]
pub use local::{LoadOutcome, LocalStore, Persistence, SaveReport, TabSubscription, TabUpdate};
