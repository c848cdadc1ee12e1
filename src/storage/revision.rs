//! Tab safety: two open tabs must never clobber each other.
//!
//! Every save stores `revision = previous + 1`. A tab remembers the revision
//! its in-memory data is based on (its *base*: what it loaded, adopted from
//! another tab, or last saved itself). The rules:
//!
//! - **Write** only if the stored revision is still the base (nobody else
//!   saved in between), or nothing is stored at all (first save, or the data
//!   was erased: there is nothing to overwrite). The new revision is base + 1.
//! - **Conflict** whenever anything else is stored: a newer revision (another
//!   tab saved) and also an older one (another tab erased and started again).
//!   The save is refused and nothing stored changes; the user reloads.
//! - A `storage` event from another tab is **adopted** when its revision is
//!   newer than the base, **ignored** when it is the same or older (our own
//!   write echoed back, or a stale one; a later save then reports the
//!   conflict), reported as **removed** when the key was deleted, and as
//!   **unreadable** when it holds something that is not an envelope.
//!
//! The check and the write are two localStorage calls; browsers do not lock
//! localStorage across tabs, so two saves within the same millisecond from two
//! tabs could still race. Coalesced saving (see `autosave`) keeps that window
//! tiny in practice.

use super::envelope::peek_revision;

/// What a save should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteDecision {
    /// Store with this revision.
    Write {
        /// `base + 1`.
        next_revision: u64,
    },
    /// Someone else changed the stored data; do not write.
    Conflict {
        /// What is stored now.
        stored_revision: u64,
    },
}

/// Decides a save: `base` is the revision our data is based on (0 if we
/// started from nothing), `stored` the revision stored now (`None` if the key
/// is empty).
pub fn decide_write(base: u64, stored: Option<u64>) -> WriteDecision {
    match stored {
        Some(stored_revision) if stored_revision != base => {
            WriteDecision::Conflict { stored_revision }
        }
        _ => WriteDecision::Write {
            next_revision: base.saturating_add(1),
        },
    }
}

/// What to do with a `storage` event for the main key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabChange {
    /// Another tab saved a newer revision: load it.
    Adopt {
        /// The new stored revision.
        revision: u64,
    },
    /// Same or older revision: our own write or a stale one.
    Ignore,
    /// The key was removed (erased in another tab, or storage cleared).
    Removed,
    /// Something that is not a Leadline envelope was stored.
    Unreadable,
}

/// Decides what a `storage` event's `newValue` means for a tab whose base
/// revision is `base` and that found the stored text with fingerprint
/// `known_unreadable` unreadable (and said so) when it loaded.
pub fn decide_tab_change(
    base: u64,
    known_unreadable: Option<u64>,
    new_value: Option<&str>,
) -> TabChange {
    match new_value {
        None => TabChange::Removed,
        Some(raw) => match peek_revision(raw) {
            Some(revision) if revision > base => TabChange::Adopt { revision },
            Some(_) => TabChange::Ignore,
            // The very text this tab already reported (the browser may tell
            // of a write late, after a reload): nothing new to say.
            None if known_unreadable.is_some_and(|known| known == fingerprint(raw)) => {
                TabChange::Ignore
            }
            None => TabChange::Unreadable,
        },
    }
}

/// A fingerprint of stored text, to know it again without keeping it.
pub fn fingerprint(raw: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    raw.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_save_into_empty_storage() {
        assert_eq!(
            decide_write(0, None),
            WriteDecision::Write { next_revision: 1 }
        );
    }

    #[test]
    fn save_on_top_of_our_own_revision() {
        assert_eq!(
            decide_write(7, Some(7)),
            WriteDecision::Write { next_revision: 8 }
        );
    }

    #[test]
    fn newer_stored_revision_is_a_conflict() {
        assert_eq!(
            decide_write(7, Some(8)),
            WriteDecision::Conflict { stored_revision: 8 }
        );
        assert_eq!(
            decide_write(0, Some(1)),
            WriteDecision::Conflict { stored_revision: 1 }
        );
    }

    #[test]
    fn older_stored_revision_is_a_conflict_too() {
        // Another tab erased everything and saved a fresh pipeline.
        assert_eq!(
            decide_write(7, Some(1)),
            WriteDecision::Conflict { stored_revision: 1 }
        );
    }

    #[test]
    fn erased_key_is_written_again() {
        assert_eq!(
            decide_write(7, None),
            WriteDecision::Write { next_revision: 8 }
        );
    }

    #[test]
    fn revision_never_overflows() {
        assert_eq!(
            decide_write(u64::MAX, Some(u64::MAX)),
            WriteDecision::Write {
                next_revision: u64::MAX
            }
        );
    }

    fn envelope(revision: u64) -> String {
        format!(
            r#"{{"format":"leadline","schema":1,"revision":{revision},"saved_at":"2025-01-01T00:00:00.000Z","data":{{}}}}"#
        )
    }

    #[test]
    fn tab_events() {
        assert_eq!(
            decide_tab_change(3, None, Some(&envelope(4))),
            TabChange::Adopt { revision: 4 }
        );
        assert_eq!(
            decide_tab_change(3, None, Some(&envelope(9))),
            TabChange::Adopt { revision: 9 }
        );
        assert_eq!(
            decide_tab_change(3, None, Some(&envelope(3))),
            TabChange::Ignore
        );
        assert_eq!(
            decide_tab_change(3, None, Some(&envelope(1))),
            TabChange::Ignore
        );
        assert_eq!(decide_tab_change(3, None, None), TabChange::Removed);
        assert_eq!(
            decide_tab_change(3, None, Some("{broken")),
            TabChange::Unreadable
        );
        // Text this tab already found unreadable is nothing new; other text is.
        let known = Some(fingerprint("{broken"));
        assert_eq!(
            decide_tab_change(3, known, Some("{broken")),
            TabChange::Ignore
        );
        assert_eq!(
            decide_tab_change(3, known, Some("{broken!")),
            TabChange::Unreadable
        );
        assert_eq!(decide_tab_change(3, known, None), TabChange::Removed);
        assert_eq!(
            decide_tab_change(3, None, Some(r#"{"format":"x"}"#)),
            TabChange::Unreadable
        );
    }
}
