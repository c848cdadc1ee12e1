//! Stamping changes with change clocks, in one place: when a command
//! commits (or Undo puts records back), each record it touched is compared
//! with its before-image, and what differs is stamped.

use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::Value;

use super::*;

/// Parts of a record that are not fields: they never change (id, creation
/// time) or are merged in their own way (timeline, stamps).
const NOT_FIELDS: [&str; 5] = ["id", "history", "stamps", "derived", "created_at"];
/// Objects whose members change one by one: the deal terms and the
/// checklist (one device may set the amount while another ticks a box).
const NESTED: [&str; 2] = ["terms", "checklist"];

/// A record's fields by path (`name`, `terms.amount`), as stored. A field
/// left out when stored (empty, default) is absent.
pub(in crate::domain) fn fields<T: Serialize>(record: &T) -> BTreeMap<String, Value> {
    fields_of(crate::domain::stored::to_plain(record))
}

/// [`fields`] of a record already in its stored form.
pub(in crate::domain) fn fields_of(stored: Value) -> BTreeMap<String, Value> {
    let Value::Object(map) = stored else {
        return BTreeMap::new();
    };
    by_path(map, |value| match value {
        Value::Object(inner) => Ok(inner.into_iter().collect()),
        value => Err(value),
    })
}

/// [`fields_of`] a record's stored text, each value as its text: read
/// without building values, so the timeline (most of a busy record) is
/// passed over, not copied. Two versions of a record are written by the
/// same code, so equal values have equal text.
fn raw_fields(stored: &str) -> BTreeMap<String, &str> {
    // Read as the stored pipeline's parts are (`storage::parts`): one
    // reader for both in the build.
    type Members<'a> = BTreeMap<Cow<'a, str>, &'a RawValue>;
    let members = |text| {
        serde_json::from_str::<Members>(text).map(|map| {
            map.into_iter()
                .map(|(key, value)| (key.into_owned(), value.get()))
                .collect::<Vec<_>>()
        })
    };
    let Ok(map) = members(stored) else {
        return BTreeMap::new();
    };
    by_path(map, |value| members(value).map_err(|_| value))
}

/// A record's members by path: the parts that are not fields left out, the
/// members of a nested object named `outer.inner` (`open` gives them, or
/// the value back when it is not an object).
fn by_path<V>(
    members: impl IntoIterator<Item = (String, V)>,
    open: impl Fn(V) -> Result<Vec<(String, V)>, V>,
) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    for (key, value) in members {
        if NOT_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let value = if NESTED.contains(&key.as_str()) {
            match open(value) {
                Ok(inner) => {
                    for (member, v) in inner {
                        out.insert(format!("{key}.{member}"), v);
                    }
                    continue;
                }
                Err(value) => value,
            }
        } else {
            value
        };
        out.insert(key, value);
    }
    out
}

/// Sets the field at `path` of a stored record (`terms.amount` inside
/// `terms`); `null` removes it (the field's default).
pub(in crate::domain) fn set_path(record: &mut Value, path: &str, value: Value) {
    let Value::Object(map) = record else {
        return;
    };
    let (map, key) = match path.split_once('.') {
        Some((outer, inner)) => {
            let entry = map
                .entry(outer.to_owned())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            match entry {
                Value::Object(inner_map) => (inner_map, inner),
                _ => return,
            }
        }
        None => (map, path),
    };
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), value);
    }
}

/// The paths whose values differ between two versions of a record.
fn changed_paths<T: Record>(old: &mut T, new: &mut T) -> Vec<String> {
    let (old_text, new_text) = (fields_text(old), fields_text(new));
    differing(&raw_fields(&old_text), &raw_fields(&new_text))
}

/// A record's stored text without the parts that are not fields: its
/// timeline (most of a busy deal's text, and it grows with every move),
/// stamps and derived values are set aside while it is written, not copied.
fn fields_text<T: Record>(record: &mut T) -> String {
    let history = std::mem::take(record.history_mut());
    let stamps = std::mem::take(record.stamps_mut());
    let derived = std::mem::take(record.derived_mut());
    let text = serde_json::to_string(&*record).unwrap_or_default();
    *record.history_mut() = history;
    *record.stamps_mut() = stamps;
    *record.derived_mut() = derived;
    text
}

/// The paths whose values differ between two records' fields (or that only
/// one of them has).
fn differing<V: PartialEq>(old: &BTreeMap<String, V>, new: &BTreeMap<String, V>) -> Vec<String> {
    let mut paths: Vec<String> = old
        .iter()
        .filter(|(k, v)| new.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    paths.extend(new.keys().filter(|k| !old.contains_key(*k)).cloned());
    paths
}

impl Pipeline {
    /// The next change clock reading of this copy.
    pub(in crate::domain) fn tick(&mut self, now: Option<DateTime<Utc>>) -> Hlc {
        let device = self.data.device.unwrap_or_default();
        self.data.clock = self.data.clock.next(device, now);
        self.data.clock
    }

    /// Stamps what changed since `before` (a command's before-images).
    /// Only a copy with a device keeps clocks: one without is the only copy.
    pub(super) fn stamp(&mut self, before: &mut [Before], now: Option<DateTime<Utc>>) {
        if self.data.device.is_none() {
            return;
        }
        for b in before {
            match b {
                Before::Contact(id, old) => self.stamp_record::<Contact>(*id, old.as_mut(), now),
                Before::Lead(id, old) => self.stamp_record::<Lead>(*id, old.as_mut(), now),
                Before::Opportunity(id, old) => {
                    self.stamp_record::<Opportunity>(*id, old.as_mut(), now)
                }
                Before::Account(id, old) => self.stamp_record::<Account>(*id, old.as_mut(), now),
                // Merges unite the sources of both copies, by no clock.
                Before::CustomSources(_) => {}
                Before::DefaultCurrency(_) => self.stamp_setting("default_currency", now),
                Before::Language(_) => self.stamp_setting("language", now),
                // A whole pipeline put in place (a file, sample data, a
                // merge) brings its own stamps.
                Before::Everything(_) => {}
            }
        }
    }

    fn stamp_setting(&mut self, path: &str, now: Option<DateTime<Utc>>) {
        let at = self.tick(now);
        self.data.settings_stamps.set(path, at);
    }

    fn stamp_record<T: Record>(
        &mut self,
        id: u64,
        old: Option<&mut T>,
        now: Option<DateTime<Utc>>,
    ) {
        let Some(i) = position(T::list(self), id) else {
            if let Some(old) = old {
                let at = self.tick(now);
                self.bury(
                    T::KIND,
                    id,
                    at,
                    Some(crate::domain::stored::to_plain(&*old)),
                );
            }
            return;
        };
        let new = &mut T::list_mut(self)[i];
        let made = old.is_none();
        let (paths, first_new_entry) = match old {
            Some(old) => {
                let entries = old.history().len();
                (changed_paths(old, new), entries)
            }
            None => (Vec::new(), 0),
        };
        let at = self.tick(now);
        let mut clock = at;
        let device = self.data.device.unwrap_or_default();
        let record = &mut T::list_mut(self)[i];
        if made {
            // Made, or brought back by Undo: newer than any tombstone.
            record.stamps_mut().set_born(at);
        }
        for path in &paths {
            record.stamps_mut().set(path, at);
            // The user's own value now, not a merge rule's.
            record.derived_mut().remove(path);
        }
        record.history_mut().name_new(first_new_entry, || {
            clock = clock.next(device, None);
            clock
        });
        self.data.clock = clock;
    }

    /// Leaves a tombstone for a deleted record (replacing an older one).
    pub(in crate::domain) fn bury(
        &mut self,
        kind: RecordKind,
        id: u64,
        at: Hlc,
        record: Option<Value>,
    ) {
        let stones = &mut self.data.tombstones;
        match stones.binary_search_by_key(&(kind, id), |t| (t.kind, t.id)) {
            Ok(i) => {
                stones[i].at = stones[i].at.max(at);
                if record.is_some() {
                    stones[i].record = record;
                }
            }
            Err(i) => stones.insert(
                i,
                Tombstone {
                    kind,
                    id,
                    at,
                    record,
                },
            ),
        }
    }

    /// The tombstone of a record, if it was deleted somewhere.
    pub fn tombstone(&self, kind: RecordKind, id: u64) -> Option<&Tombstone> {
        let stones = &self.data.tombstones;
        stones
            .binary_search_by_key(&(kind, id), |t| (t.kind, t.id))
            .ok()
            .map(|i| &stones[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;

    /// What the stored values say differs, as `fields` builds them.
    fn paths_by_value<T: Serialize>(old: &T, new: &T) -> Vec<String> {
        differing(&fields(old), &fields(new))
    }

    #[test]
    fn changed_paths_read_from_text_are_those_of_the_values() {
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
        let p = sample::generate(3, 30, 30, start);
        let deals = p.opportunities();
        let leads = p.leads();
        let mut compared = 0;
        for (i, a) in deals.iter().enumerate() {
            for b in deals.iter().skip(i).take(5) {
                let paths = changed_paths(&mut a.clone(), &mut b.clone());
                assert_eq!(paths, paths_by_value(a, b));
                assert_eq!(paths.is_empty(), std::ptr::eq(a, b));
                compared += 1;
            }
        }
        for pair in leads.windows(2) {
            assert_eq!(
                changed_paths(&mut pair[0].clone(), &mut pair[1].clone()),
                paths_by_value(&pair[0], &pair[1])
            );
        }
        assert!(compared > 100);
        let one = &deals[0];
        let mut moved = one.clone();
        moved.terms.next_step = "Call back".into();
        assert_eq!(
            changed_paths(&mut one.clone(), &mut moved),
            vec!["terms.next_step".to_owned()]
        );
    }
}
