//! Record identifiers, unique across devices without any coordination.
//!
//! An id is a 64-bit number: the upper half names where the record was
//! made, the lower half counts. A device (one browser's copy of the
//! pipeline) has a random [`DeviceId`] below 2³¹ and numbers its own
//! records 1, 2, 3…, so two devices never hand out the same id. Records
//! made before devices existed were numbered 1, 2, 3… with nothing above;
//! the schema step that introduced devices gave each a tag of its own with
//! the top bit set, derived from its number and creation time, so two
//! copies of the same old pipeline agree and two unrelated ones do not
//! collide (see `storage::migrate`).
//!
//! In URLs and stored JSON an id with a tag is written `tag-number` with
//! the tag in base 36 (`#/contacts/kf12oi-12`); an id without one is a
//! plain number, which old addresses (`#/contacts/12`) use.

use std::fmt;

/// The lower half of an id: the record's number on its device.
const NUMBER_BITS: u32 = 32;
/// The tag bit that marks a record numbered before devices existed.
pub const LEGACY_TAG: u32 = 1 << 31;

/// One browser's copy of the pipeline, chosen at random once.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct DeviceId(pub u32);

impl DeviceId {
    /// A device id from any random number: below 2³¹ and never 0, so it
    /// cannot be mistaken for an old record's tag or for no device.
    pub fn from_random(random: u32) -> DeviceId {
        match random & (LEGACY_TAG - 1) {
            0 => DeviceId(1),
            n => DeviceId(n),
        }
    }
}

/// The id numbered `number` on the device with `tag` (0: no tag).
pub fn tagged(tag: u32, number: u32) -> u64 {
    (u64::from(tag) << NUMBER_BITS) | u64::from(number)
}

/// The tag of an id (0 for an untagged number).
pub fn tag_of(id: u64) -> u32 {
    (id >> NUMBER_BITS) as u32
}

/// The number of an id on its device.
pub fn number_of(id: u64) -> u32 {
    id as u32
}

/// The tag an old record gets: the top bit, and 31 bits of a hash of its
/// number and creation time (FNV-1a, written out so it never changes).
pub fn legacy_tag(number: u64, created_at: i64) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in number
        .to_le_bytes()
        .into_iter()
        .chain(created_at.to_le_bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    LEGACY_TAG | ((hash ^ (hash >> 32)) as u32 & (LEGACY_TAG - 1))
}

/// Writes an id as URLs and stored data show it.
pub fn format_key(id: u64) -> String {
    match tag_of(id) {
        0 => id.to_string(),
        tag => format!("{}-{}", base36(tag), number_of(id)),
    }
}

/// Reads an id written by [`format_key`]; `None` for anything else.
pub fn parse_key(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.split_once('-') {
        None => s.parse::<u32>().ok().map(u64::from),
        Some((tag, number)) => {
            if tag.len() > 7 || !number.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let tag = u32::from_str_radix(tag, 36).ok().filter(|t| *t != 0)?;
            Some(tagged(tag, number.parse().ok()?))
        }
    }
}

fn base36(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit(n % 36, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// Stored ids: a tagged id is a string (JavaScript numbers cannot hold 64
/// bits), an untagged one a plain number as before.
pub(crate) mod key_serde {
    use serde::{de, Deserializer, Serializer};

    // Not inlined: every id field of every record would carry a copy.
    #[inline(never)]
    pub fn serialize<S: Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
        if super::tag_of(*id) == 0 {
            s.serialize_u64(*id)
        } else {
            s.serialize_str(&super::format_key(*id))
        }
    }

    #[inline(never)]
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        struct Key;
        impl de::Visitor<'_> for Key {
            type Value = u64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a record id")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
                Ok(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
                // Only a tagged id is stored as text.
                super::parse_key(v)
                    .filter(|id| super::tag_of(*id) != 0)
                    .ok_or_else(|| E::custom(format!("“{v}” is not a record id")))
            }
        }
        d.deserialize_any(Key)
    }
}

/// Text that is not a record id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a record id")]
pub struct NotAnId(pub String);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(#[serde(with = "key_serde")] pub u64);

        impl $name {
            /// The bare number, as kept in lists and routes.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&format_key(self.0))
            }
        }

        impl std::str::FromStr for $name {
            type Err = NotAnId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_key(s).map($name).ok_or_else(|| NotAnId(s.to_owned()))
            }
        }
    };
}

id_type!(
    /// Identifies a [`Contact`](super::Contact).
    ContactId
);
id_type!(
    /// Identifies a [`Lead`](super::Lead).
    LeadId
);
id_type!(
    /// Identifies an [`Opportunity`](super::Opportunity).
    OpportunityId
);
id_type!(
    /// Identifies an [`Account`](super::Account).
    AccountId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_ids_display_and_parse_as_numbers() {
        assert_eq!(OpportunityId(3).to_string(), "3");
        assert_eq!("42".parse::<AccountId>().unwrap(), AccountId(42));
        assert!("x".parse::<AccountId>().is_err());
        assert_eq!(
            serde_json::to_string(&ContactId(7)).unwrap(),
            "7",
            "old ids stay numbers in stored data"
        );
    }

    #[test]
    fn tagged_ids_are_short_strings_that_read_back() {
        let device = DeviceId::from_random(u32::MAX);
        let id = ContactId(tagged(device.0, 12));
        let text = id.to_string();
        assert_eq!(text, "zik0zj-12");
        assert_eq!(text.parse::<ContactId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"zik0zj-12\"");
        assert_eq!(serde_json::from_str::<ContactId>(&json).unwrap(), id);
        assert_eq!(tag_of(id.0), device.0);
        assert_eq!(number_of(id.0), 12);
    }

    #[test]
    fn device_ids_are_never_zero_nor_legacy() {
        for random in [0, 1, LEGACY_TAG, u32::MAX, 12345] {
            let d = DeviceId::from_random(random);
            assert!(d.0 != 0 && d.0 < LEGACY_TAG, "{random} gave {d:?}");
        }
    }

    #[test]
    fn legacy_tags_depend_on_number_and_creation_time() {
        let a = legacy_tag(12, 1_700_000_000);
        assert_eq!(a, legacy_tag(12, 1_700_000_000), "the same record agrees");
        assert_ne!(a, legacy_tag(12, 1_700_000_001));
        assert_ne!(a, legacy_tag(13, 1_700_000_000));
        assert!(a & LEGACY_TAG != 0);
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in [
            "",
            "-",
            "a-",
            "-1",
            "0-1",
            "zzzzzzzzz-1",
            "a-1x",
            "1.5",
            "99999999999",
        ] {
            assert_eq!(parse_key(bad), None, "{bad}");
        }
    }
}
