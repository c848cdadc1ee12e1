//! What can go wrong when saving, in words a user can act on.

use thiserror::Error;

/// A save (or another storage operation) that did not happen.
///
/// Every variant means: nothing already stored was changed, and the data the
/// user is working on is still in memory. The `Display` text is meant to be
/// shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum StorageError {
    /// The browser refused the write because this site's storage is full
    /// (Chromium `QuotaExceededError`, Firefox `NS_ERROR_DOM_QUOTA_REACHED`,
    /// old WebKit code 22).
    #[error(
        "Your browser refused to save: its storage for this site is full. \
         Your changes are still open here; export them to a file now."
    )]
    QuotaExceeded,

    /// localStorage does not exist or may not be used (blocked by settings,
    /// some private windows, sandboxed frames).
    #[error(
        "This browser does not let Leadline save here (site storage is blocked, \
         or this is a private window that does not keep data). Your changes are \
         still open here; export them to a file to keep them."
    )]
    Unavailable,

    /// The stored pipeline changed since this tab loaded or last saved it:
    /// another tab (or another version of Leadline) saved in between.
    #[error(
        "Another tab saved changes to your pipeline after this tab loaded it \
         (saved version {stored}, this tab has version {base}). Nothing was \
         overwritten. Reload this tab to see the latest data."
    )]
    Conflict {
        /// The revision this tab based its changes on.
        base: u64,
        /// The revision found in storage (0 if unreadable).
        stored: u64,
    },

    /// Saved data that Leadline cannot read is still under the main key and
    /// could not be copied aside, so Leadline refuses to save over it.
    #[error(
        "Saved data that this version of Leadline cannot read is still stored in \
         this browser, and there was no room to set it aside, so Leadline will not \
         save over it. Download it in Settings, then choose to start fresh; until \
         then, export your changes to a file."
    )]
    KeptAside,

    /// The data could not be turned into JSON (a bug, not a user error).
    #[error("Leadline could not prepare your data for saving ({0}). Your changes are still open here; export them to a file.")]
    Serialize(String),

    /// Any other refusal by the browser, with the exception's name and message.
    #[error("Your browser refused to save ({name}: {message}). Your changes are still open here; export them to a file now.")]
    Browser {
        /// `DOMException.name` (or the JS error's name).
        name: String,
        /// The browser's own message.
        message: String,
    },
}
