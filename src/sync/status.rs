//! Where sync stands, as the header says it.

use chrono::{DateTime, Utc};

use super::SyncError;

#[derive(Clone, Debug, PartialEq)]
pub enum SyncStatus {
    /// Set up, nothing done yet (the first sync is about to start).
    Starting,
    Syncing,
    /// The last sync finished then.
    Synced(DateTime<Utc>),
    /// No network: this many local changes wait to be sent.
    Offline {
        waiting: u32,
    },
    Failed(SyncError),
    /// Another tab of this browser syncs the pipeline they share; this one
    /// takes over if that one closes.
    InAnotherTab,
}
