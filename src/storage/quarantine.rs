//! Data that could not be loaded is kept aside (quarantined), never lost.
//!
//! # The rule
//!
//! When the main key ([`APP_KEY`](super::APP_KEY)) holds something this
//! build cannot load (damaged text, another app's value, a newer schema, data
//! that does not fit), the store:
//!
//! 1. copies the raw text, byte for byte, to its own key
//!    `leadline.quarantine.<RFC 3339 UTC time>` (unless an existing
//!    quarantine key already holds exactly that text), then reads the copy
//!    back and compares it;
//! 2. only once the copy is confirmed, treats the main key as free: the app
//!    starts from an empty pipeline in memory and its next save writes a
//!    fresh envelope there. Quarantine keys are never written again by the
//!    app: they are only listed, read (for a download) and removed when the
//!    user explicitly discards one;
//! 3. if the copy cannot be made (storage full, blocked), the main key is
//!    left exactly as it is and every save is refused with
//!    [`StorageError::KeptAside`](super::StorageError::KeptAside) until the
//!    user, after being offered the download, explicitly starts fresh.
//!
//! A save also checks the main key: if something unreadable appeared there
//! after loading, it is copied aside the same way before anything is written.

use chrono::{DateTime, Utc};

use super::envelope::format_time;

/// Prefix of quarantine keys.
pub const QUARANTINE_PREFIX: &str = "leadline.quarantine.";

/// The quarantine key for a time, made unique against existing keys with a
/// `-2`, `-3`, ... suffix.
pub fn quarantine_key(now: DateTime<Utc>, exists: impl Fn(&str) -> bool) -> String {
    let base = format!("{QUARANTINE_PREFIX}{}", format_time(now));
    if !exists(&base) {
        return base;
    }
    (2u32..)
        .map(|n| format!("{base}-{n}"))
        .find(|key| !exists(key))
        .unwrap_or(base)
}

/// Whether a key is a quarantine key.
pub fn is_quarantine_key(key: &str) -> bool {
    key.starts_with(QUARANTINE_PREFIX)
}

/// When a quarantine key was created, if its name carries a valid time.
pub fn quarantined_at(key: &str) -> Option<DateTime<Utc>> {
    let stamp = key.strip_prefix(QUARANTINE_PREFIX)?;
    // Drop a uniqueness suffix ("-2") after the final "Z".
    let stamp = match stamp.rfind('Z') {
        Some(end) => &stamp[..=end],
        None => stamp,
    };
    crate::domain::time::parse_rfc3339(stamp)
}

/// A file name for downloading a quarantined value, safe on every OS:
/// `leadline-quarantine-2025-01-15T12-00-00.000Z.json`.
pub fn download_file_name(key: &str) -> String {
    let stamp = key.strip_prefix(QUARANTINE_PREFIX).unwrap_or(key);
    let safe: String = stamp
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("leadline-quarantine-{safe}.json")
}

/// One quarantined value, for the list in Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineEntry {
    /// Its localStorage key.
    pub key: String,
    /// When it was set aside (from the key name).
    pub quarantined_at: Option<DateTime<Utc>>,
    /// Its size in bytes (2 × UTF-16 units of key and value).
    pub bytes: u64,
}

/// Sorts entries oldest first (keys without a time last, by name).
pub fn sort_entries(entries: &mut [QuarantineEntry]) {
    let order =
        |a: &QuarantineEntry, b: &QuarantineEntry| match (a.quarantined_at, b.quarantined_at) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.key.cmp(&b.key)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.key.cmp(&b.key),
        };
    entries.sort_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn time(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 15, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn keys_are_named_by_time() {
        let key = quarantine_key(time(12), |_| false);
        assert_eq!(key, "leadline.quarantine.2025-01-15T12:00:00.000Z");
        assert!(is_quarantine_key(&key));
        assert!(!is_quarantine_key(super::super::APP_KEY));
        assert_eq!(quarantined_at(&key), Some(time(12)));
    }

    #[test]
    fn keys_never_collide() {
        let taken = [
            "leadline.quarantine.2025-01-15T12:00:00.000Z",
            "leadline.quarantine.2025-01-15T12:00:00.000Z-2",
        ];
        let key = quarantine_key(time(12), |k| taken.contains(&k));
        assert_eq!(key, "leadline.quarantine.2025-01-15T12:00:00.000Z-3");
        assert_eq!(quarantined_at(&key), Some(time(12)));
    }

    #[test]
    fn odd_keys_have_no_time() {
        assert_eq!(quarantined_at("leadline.quarantine.whenever"), None);
        assert_eq!(quarantined_at("other"), None);
    }

    #[test]
    fn download_names_are_file_safe() {
        assert_eq!(
            download_file_name("leadline.quarantine.2025-01-15T12:00:00.000Z-2"),
            "leadline-quarantine-2025-01-15T12-00-00.000Z-2.json"
        );
        assert_eq!(
            download_file_name("a/b\\c"),
            "leadline-quarantine-a-b-c.json"
        );
    }

    #[test]
    fn entries_sort_oldest_first() {
        let entry = |key: &str| QuarantineEntry {
            key: key.into(),
            quarantined_at: quarantined_at(key),
            bytes: 1,
        };
        let mut entries = vec![
            entry("leadline.quarantine.zzz"),
            entry("leadline.quarantine.2025-01-15T13:00:00.000Z"),
            entry("leadline.quarantine.2025-01-15T12:00:00.000Z-2"),
            entry("leadline.quarantine.2025-01-15T12:00:00.000Z"),
        ];
        sort_entries(&mut entries);
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "leadline.quarantine.2025-01-15T12:00:00.000Z",
                "leadline.quarantine.2025-01-15T12:00:00.000Z-2",
                "leadline.quarantine.2025-01-15T13:00:00.000Z",
                "leadline.quarantine.zzz",
            ]
        );
    }
}
