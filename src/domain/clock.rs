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
//! [`BORN`]) and of each field's last change. Whether a change was made
//! knowing another is told by the merges each device records
//! (`pipeline::merge::Knowledge`), not by the stamps.

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

/// When a field changed: stored as the reading's three numbers,
/// `[wall, count, device]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stamp {
    pub at: Hlc,
}

impl Stamp {
    pub fn new(at: Hlc) -> Stamp {
        Stamp { at }
    }
}

/// The name under which a record's creation (or return) is stamped.
pub const BORN: &str = "*";

/// The values a merge rule replaced in a record (see `merge_rules.rs`), as
/// stored, by field path: a merge puts them back before the rules decide
/// again, so what the rules make never depends on the order of merging.
pub type Derived = BTreeMap<String, serde_json::Value>;

/// A record's stamps, by field path (`name`, `terms.amount`, [`BORN`]), in
/// path order. Stored as a JSON object (`{"*":[10,0,3],"name":[20,1,4]}`);
/// kept as a short sorted list rather than a tree, since every record has
/// one and all of them are read at every start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamps(Vec<(Box<str>, Stamp)>);

impl Stamps {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, path: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(p, _)| p.as_ref().cmp(path))
    }

    fn get(&self, path: &str) -> Option<Stamp> {
        self.find(path).ok().map(|i| self.0[i].1)
    }

    /// When the record was made (or last brought back).
    pub fn born(&self) -> Hlc {
        self.get(BORN).map_or(Hlc::ZERO, |s| s.at)
    }

    /// The field's stamp; a field never changed since the record was made
    /// has the record's.
    pub fn field(&self, path: &str) -> Stamp {
        self.get(path).unwrap_or(Stamp::new(self.born()))
    }

    /// Stamps `path` as changed at `at`.
    pub fn set(&mut self, path: &str, at: Hlc) {
        self.put(path, Stamp::new(at));
    }

    /// Whether `path` has a stamp of its own.
    pub fn has(&self, path: &str) -> bool {
        self.find(path).is_ok()
    }

    /// Stamps the record as made (or brought back) at `at`.
    pub fn set_born(&mut self, at: Hlc) {
        self.put(BORN, Stamp::new(at));
    }

    /// Puts `stamp` on `path` as it is (a merge taking the other copy's).
    pub fn put(&mut self, path: &str, stamp: Stamp) {
        match self.find(path) {
            Ok(i) => self.0[i].1 = stamp,
            Err(i) => self.0.insert(i, (path.into(), stamp)),
        }
    }

    /// Every reading among the stamps.
    pub fn readings(&self) -> impl Iterator<Item = Hlc> + '_ {
        self.0.iter().map(|(_, s)| s.at)
    }

    /// The latest reading on the record.
    pub fn newest(&self) -> Hlc {
        self.readings().max().unwrap_or(Hlc::ZERO)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Stamp)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl Serialize for Stamps {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Stamps {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Stamps, D::Error> {
        struct Paths;
        impl<'de> serde::de::Visitor<'de> for Paths {
            type Value = Stamps;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("change clocks by field")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Stamps, A::Error> {
                let mut list: Vec<(Box<str>, Stamp)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((path, stamp)) = map.next_entry::<Path, Stamp>()? {
                    list.push((path.0, stamp));
                }
                // Written in order; a repeated path keeps its last stamp, as
                // a JSON object's reader would.
                if !list.is_sorted_by(|a, b| a.0 < b.0) {
                    list.sort_by(|a, b| a.0.cmp(&b.0));
                    let mut kept: Vec<(Box<str>, Stamp)> = Vec::with_capacity(list.len());
                    for (path, stamp) in list {
                        match kept.last_mut() {
                            Some(last) if last.0 == path => last.1 = stamp,
                            _ => kept.push((path, stamp)),
                        }
                    }
                    list = kept;
                }
                Ok(Stamps(list))
            }
        }
        d.deserialize_map(Paths)
    }
}

/// A field path read straight into its own allocation.
struct Path(Box<str>);

impl<'de> Deserialize<'de> for Path {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Path, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Path;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field path")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Path, E> {
                Ok(Path(v.into()))
            }
        }
        d.deserialize_str(Text)
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
        assert_eq!(s.field("name"), Stamp::new(t2));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"*":[10,0,3],"name":[20,1,4]}"#);
        assert_eq!(serde_json::from_str::<Stamps>(&json).unwrap(), s);
        assert_eq!(s.newest(), t2);
        // Out of order and repeated (a file written by hand): in path
        // order, the last of a path kept, written back in order.
        let read: Stamps =
            serde_json::from_str(r#"{"name":[1,0,3],"*":[10,0,3],"name":[20,1,4]}"#).unwrap();
        assert_eq!(read, s);
        assert_eq!(serde_json::to_string(&read).unwrap(), json);
        assert!(serde_json::from_str::<Stamps>(r#"{"name":[1,0]}"#).is_err());
    }
}
