//! How much of the origin's localStorage is used.
//!
//! Browsers count localStorage in UTF-16 code units of keys plus values;
//! Chromium's limit is 10 MiB of UTF-16 per origin, i.e. 5,242,880 code
//! units (measured by `tests/browser_storage.rs`, see
//! [`QUOTA_ESTIMATE_BYTES`]). Firefox allows 5 MiB counted the same way.
//! We report bytes as 2 × code units so figures compare with that limit.

/// Estimated localStorage limit per origin, in bytes of UTF-16.
///
/// Measured in headless Chromium 156 (Debian) by filling storage with ASCII
/// until `setItem` throws (`a_full_storage_is_reported_as_quota_and_changes_nothing`
/// in `tests/browser_storage.rs` prints the figure): 5,242,862 UTF-16 code
/// units of keys plus values stored and the next 25-unit entry refused, i.e.
/// a limit of 5,242,880 units = 10 MiB counted as UTF-16 (ASCII is not
/// counted as 1 byte). Firefox and Safari stop at about half of that, so on
/// them the warning levels below come late; the quota error itself is always
/// handled.
pub const QUOTA_ESTIMATE_BYTES: u64 = 10 * 1024 * 1024;

/// UTF-16 code units in a string (what `String.length` is in JavaScript).
pub fn utf16_units(text: &str) -> u64 {
    text.chars().map(|c| c.len_utf16() as u64).sum()
}

/// Bytes a stored entry takes: 2 × UTF-16 code units of key and value.
pub fn entry_bytes(key: &str, value: &str) -> u64 {
    2 * (utf16_units(key) + utf16_units(value))
}

/// How close storage is to full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UsageLevel {
    /// Below 70 %.
    Ok,
    /// 70 % or more: suggest exporting and tidying up.
    Warning70,
    /// 90 % or more: saves may soon be refused.
    Critical90,
}

/// The level for `used` out of `limit` bytes. A zero limit counts as full.
pub fn usage_level(used: u64, limit: u64) -> UsageLevel {
    // used / limit >= 0.9  <=>  10 * used >= 9 * limit (no floats, no overflow).
    let used = u128::from(used);
    let limit = u128::from(limit);
    if used * 10 >= limit * 9 {
        UsageLevel::Critical90
    } else if used * 10 >= limit * 7 {
        UsageLevel::Warning70
    } else {
        UsageLevel::Ok
    }
}

/// A storage usage report for Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Bytes of Leadline's own keys (`leadline.*`), including quarantined data.
    pub app_bytes: u64,
    /// Bytes of every key of this origin (other apps on the same site count
    /// against the same limit).
    pub origin_bytes: u64,
    /// The limit used for the level: [`QUOTA_ESTIMATE_BYTES`].
    pub limit_bytes: u64,
    /// `origin_bytes` against `limit_bytes`.
    pub level: UsageLevel,
}

impl Usage {
    /// Builds a report from byte counts.
    pub fn new(app_bytes: u64, origin_bytes: u64, limit_bytes: u64) -> Self {
        Usage {
            app_bytes,
            origin_bytes,
            limit_bytes,
            level: usage_level(origin_bytes, limit_bytes),
        }
    }

    /// Whole percent of the limit used by the origin (may exceed 100 if the
    /// estimate is low for this browser).
    pub fn percent(&self) -> u64 {
        if self.limit_bytes == 0 {
            return 100;
        }
        let percent = u128::from(self.origin_bytes) * 100 / u128::from(self.limit_bytes);
        u64::try_from(percent).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_count_utf16_units_twice() {
        assert_eq!(entry_bytes("", ""), 0);
        assert_eq!(entry_bytes("ab", "cde"), 10);
        // 'ø' is 2 UTF-8 bytes but 1 UTF-16 unit; '🚀' is 4 UTF-8 bytes, 2 units.
        assert_eq!(utf16_units("ø"), 1);
        assert_eq!(utf16_units("🚀"), 2);
        assert_eq!(entry_bytes("k", "ø🚀"), 2 * (1 + 3));
    }

    #[test]
    fn levels() {
        let limit = 1000;
        assert_eq!(usage_level(0, limit), UsageLevel::Ok);
        assert_eq!(usage_level(699, limit), UsageLevel::Ok);
        assert_eq!(usage_level(700, limit), UsageLevel::Warning70);
        assert_eq!(usage_level(899, limit), UsageLevel::Warning70);
        assert_eq!(usage_level(900, limit), UsageLevel::Critical90);
        assert_eq!(usage_level(5000, limit), UsageLevel::Critical90);
        assert_eq!(usage_level(0, 0), UsageLevel::Critical90);
        assert_eq!(usage_level(u64::MAX, u64::MAX), UsageLevel::Critical90);
        assert!(UsageLevel::Ok < UsageLevel::Warning70);
    }

    #[test]
    fn report() {
        let usage = Usage::new(100, 7_500_000, QUOTA_ESTIMATE_BYTES);
        assert_eq!(usage.level, UsageLevel::Warning70);
        assert_eq!(usage.percent(), 71);
        assert_eq!(Usage::new(0, 0, 0).percent(), 100);
    }
}
