//! Timestamps are kept to the whole second and stored as Unix seconds.
//!
//! A number (`1714557600`) is less than half the size of an RFC 3339 string,
//! and every record and history entry has one: with tens of thousands of
//! records that decides whether the data fits in localStorage.

use chrono::{DateTime, Utc};

/// Drops the sub-second part, so a record reads back exactly as it was kept.
pub fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// `#[serde(with = "unix_seconds")]` for `DateTime<Utc>` fields.
pub mod unix_seconds {
    use chrono::{DateTime, Utc};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(at.timestamp())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let secs = i64::deserialize(d)?;
        DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| D::Error::custom(format!("{secs} is not a valid time")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn truncates_to_the_second() {
        let at = Utc.timestamp_opt(1_714_557_600, 123_456_789).unwrap();
        assert_eq!(to_second(at), Utc.timestamp_opt(1_714_557_600, 0).unwrap());
    }
}
