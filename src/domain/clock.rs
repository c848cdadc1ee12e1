//! Change clocks: when, and on which device, each field last changed.
//!
//! A hybrid logical clock ([`Hlc`]) reading is the wall time in
//! milliseconds, a counter and the device. A device's next reading is later
//! than both its wall clock and every reading it has seen (its own and, after
//! a merge, the other devices'), so a device whose clock runs minutes slow
//! still orders its own changes after the ones it has seen, and no two
//! readings are ever equal.
//!
//! Every record keeps [`Stamps`]: the reading of its creation (under
//! [`BORN`]) and of each field's last change, with the reading of the value
//! that change replaced, so a merge can tell a change made after seeing the
//! other value from one made at the same time without knowing it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::RecordKind;
use super::ids::DeviceId;

/// A hybrid logical clock reading; later readings compare greater.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(from = "(i64, u32, DeviceId)", into = "(i64, u32, DeviceId)")]
pub struct Hlc {
    /// Milliseconds since 1970 (the later of the wall clock and what was seen).
    pub wall: i64,
    /// Orders readings within one millisecond.
    pub count: u32,
    pub device: DeviceId,
}

impl From<(i64, u32, DeviceId)> for Hlc {
    fn from((wall, count, device): (i64, u32, DeviceId)) -> Hlc {
        Hlc {
            wall,
            count,
            device,
        }
    }
}

impl From<Hlc> for (i64, u32, DeviceId) {
    fn from(h: Hlc) -> Self {
        (h.wall, h.count, h.device)
    }
}

impl Hlc {
    /// Before every real reading: data from before clocks existed.
    pub const ZERO: Hlc = Hlc {
        wall: 0,
        count: 0,
        device: DeviceId(0),
    };

    pub fn is_zero(&self) -> bool {
        *self == Hlc::ZERO
    }

    /// The reading after `self` on `device` at wall time `now` (`None`:
    /// the wall clock is not known, so only the counter moves).
    pub fn next(self, device: DeviceId, now: Option<DateTime<Utc>>) -> Hlc {
        let wall = now.map_or(self.wall, |t| t.timestamp_millis());
        if wall > self.wall {
            Hlc {
                wall,
                count: 0,
                device,
            }
        } else {
            Hlc {
                wall: self.wall,
                count: self.count.saturating_add(1),
                device,
            }
        }
    }

    /// The reading's time, for messages.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.wall)
    }
}

/// When a field changed, and the reading of the value it replaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub at: Hlc,
    /// The reading of the value this change replaced.
    pub base: Hlc,
}

impl Stamp {
    /// A change's stamp: made at `at`, replacing the value of `base`.
    pub fn new(at: Hlc, base: Hlc) -> Stamp {
        Stamp { at, base }
    }
}

/// Stored as the reading's three numbers while `base` is zero (most
/// fields), else as six: `[wall, count, device]` or
/// `[wall, count, device, base wall, base count, base device]`.
impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let at = [
            self.at.wall,
            i64::from(self.at.count),
            i64::from(self.at.device.0),
        ];
        if self.base.is_zero() {
            at.serialize(s)
        } else {
            let b = &self.base;
            [
                at[0],
                at[1],
                at[2],
                b.wall,
                i64::from(b.count),
                i64::from(b.device.0),
            ]
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = Vec::<i64>::deserialize(d)?;
        let reading = |w: i64, c: i64, dev: i64| -> Result<Hlc, D::Error> {
            Ok(Hlc {
                wall: w,
                count: u32::try_from(c).map_err(serde::de::Error::custom)?,
                device: DeviceId(u32::try_from(dev).map_err(serde::de::Error::custom)?),
            })
        };
        match n.as_slice() {
            [w, c, dev] => Ok(Stamp::new(reading(*w, *c, *dev)?, Hlc::ZERO)),
            [w, c, dev, bw, bc, bd] => {
                Ok(Stamp::new(reading(*w, *c, *dev)?, reading(*bw, *bc, *bd)?))
            }
            _ => Err(serde::de::Error::invalid_length(n.len(), &"3 or 6 numbers")),
        }
    }
}

/// The name under which a record's creation (or return) is stamped.
pub const BORN: &str = "*";

/// The values a merge rule replaced in a record (see `merge_rules.rs`), as
/// stored, by field path: a merge puts them back before the rules decide
/// again, so what the rules make never depends on the order of merging.
pub type Derived = BTreeMap<String, serde_json::Value>;

/// A record's stamps, by field path (`name`, `terms.amount`, [`BORN`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stamps(BTreeMap<String, Stamp>);

impl Stamps {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// When the record was made (or last brought back).
    pub fn born(&self) -> Hlc {
        self.0.get(BORN).map_or(Hlc::ZERO, |s| s.at)
    }

    /// The field's stamp; a field never changed since the record was made
    /// has the record's.
    pub fn field(&self, path: &str) -> Stamp {
        self.0
            .get(path)
            .copied()
            .unwrap_or(Stamp::new(self.born(), Hlc::ZERO))
    }

    /// Stamps `path` as changed at `at`, replacing the value it had.
    pub fn set(&mut self, path: &str, at: Hlc) {
        let base = self.field(path).at;
        self.0.insert(path.to_owned(), Stamp::new(at, base));
    }

    /// Whether `path` has a stamp of its own.
    pub fn has(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    /// Stamps the record as made (or brought back) at `at`.
    pub fn set_born(&mut self, at: Hlc) {
        self.0.insert(BORN.to_owned(), Stamp::new(at, Hlc::ZERO));
    }

    /// Puts `stamp` on `path` as it is (a merge taking the other copy's).
    pub fn put(&mut self, path: &str, stamp: Stamp) {
        self.0.insert(path.to_owned(), stamp);
    }

    /// The latest reading on the record.
    pub fn newest(&self) -> Hlc {
        self.0.values().map(|s| s.at).max().unwrap_or(Hlc::ZERO)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Stamp)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// What a deleted record leaves behind, so that an older copy that still
/// holds the record cannot bring it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub kind: RecordKind,
    #[serde(with = "super::ids::key_serde")]
    pub id: u64,
    pub at: Hlc,
    /// The record as it was deleted (as stored), so that if another device
    /// still uses it and a merge brings it back, it comes back whole
    /// whichever copy is merged first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(ms: i64) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(ms).unwrap()
    }

    #[test]
    fn a_reading_is_after_the_wall_clock_and_after_what_was_seen() {
        let phone = DeviceId(7);
        let first = Hlc::ZERO.next(phone, Some(at(1_000)));
        assert_eq!((first.wall, first.count), (1_000, 0));
        // The same millisecond, and a wall clock that went back: the counter
        // moves, so the reading is still later.
        let second = first.next(phone, Some(at(1_000)));
        let third = second.next(phone, Some(at(400)));
        assert!(first < second && second < third);
        assert_eq!((third.wall, third.count), (1_000, 2));
        // Without a wall clock only the counter moves.
        assert!(third.next(phone, None) > third);
    }

    #[test]
    fn readings_order_by_time_then_counter_then_device() {
        let a = Hlc {
            wall: 5,
            count: 0,
            device: DeviceId(9),
        };
        let b = Hlc {
            wall: 5,
            count: 1,
            device: DeviceId(1),
        };
        let c = Hlc {
            wall: 5,
            count: 1,
            device: DeviceId(2),
        };
        assert!(a < b && b < c);
    }

    #[test]
    fn stamps_are_stored_compactly_and_read_back() {
        let mut s = Stamps::default();
        let t1 = Hlc {
            wall: 10,
            count: 0,
            device: DeviceId(3),
        };
        let t2 = Hlc {
            wall: 20,
            count: 1,
            device: DeviceId(4),
        };
        s.set_born(t1);
        s.set("name", t2);
        assert_eq!(
            s.field("email").at,
            t1,
            "an unchanged field has the record's"
        );
        assert_eq!(s.field("name"), Stamp::new(t2, t1));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"*":[10,0,3],"name":[20,1,4,10,0,3]}"#);
        assert_eq!(serde_json::from_str::<Stamps>(&json).unwrap(), s);
        assert_eq!(s.newest(), t2);
    }
}
