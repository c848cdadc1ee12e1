//! Sync across devices through any server that speaks CouchDB's
//! replication protocol (Apache CouchDB, PouchDB Server): the pipeline as
//! documents ([`docs`]), revision ids ([`revs`]), the protocol's requests
//! and answers ([`protocol`]) and the replicator ([`replicator`]), which
//! merges what arrives with the domain's rules. No browser code here: the
//! browser's `fetch` is one [`replicator::Transport`] (in `ui::sync`), and
//! the native tests use a server of their own.

pub mod docs;
pub mod error;
pub mod protocol;
pub mod replicator;
pub mod revs;
pub mod settings;
pub mod status;

#[cfg(test)]
mod tests;

pub use error::{Failure, SyncError};
pub use replicator::{LocalCopy, Replicator, SyncReport, SyncState, Transport};
pub use settings::{ServerAddress, SettingsProblem, SyncSettings};
pub use status::SyncStatus;
