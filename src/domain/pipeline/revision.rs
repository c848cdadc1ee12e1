//! Which copy of a pipeline a reader saw and how many changes it had then,
//! so that work kept from it (the board's columns) can ask what the next
//! change touched and redo only that.

use std::sync::atomic::{AtomicU64, Ordering};

use super::undo::Before;
use super::Pipeline;
use crate::domain::RecordKind;

/// Numbers each copy of a pipeline: two copies that went their own ways
/// may have counted the same number of changes.
static COPIES: AtomicU64 = AtomicU64::new(1);

/// A pipeline as a reader saw it (see [`Pipeline::changed_since`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    copy: u64,
    changes: u64,
}

/// How many changes commands and Undo have made, and what the last one
/// touched.
#[derive(Debug)]
pub(super) struct Changes {
    copy: u64,
    count: u64,
    /// The records the last change touched; `None` when it touched more
    /// than records (settings, or the whole pipeline put in place).
    last: Option<Vec<(RecordKind, u64)>>,
    /// The last change may also have changed what is not a record (a
    /// merge: settings, device names, merges made, tombstones), besides
    /// the records in `last`.
    beyond_records: bool,
}

impl Changes {
    pub(super) fn new() -> Changes {
        Changes {
            copy: COPIES.fetch_add(1, Ordering::Relaxed),
            count: 0,
            last: None,
            beyond_records: false,
        }
    }

    pub(super) fn count(&self) -> u64 {
        self.count
    }

    /// Counts a change that undo's before-images describe.
    pub(super) fn record(&mut self, before: &[Before]) {
        self.count += 1;
        self.beyond_records = false;
        self.last = before
            .iter()
            .map(|b| match b {
                Before::Contact(id, _) => Some((RecordKind::Contact, *id)),
                Before::Lead(id, _) => Some((RecordKind::Lead, *id)),
                Before::Opportunity(id, _) => Some((RecordKind::Opportunity, *id)),
                Before::Account(id, _) => Some((RecordKind::Account, *id)),
                Before::CustomSources(_)
                | Before::DefaultCurrency(_)
                | Before::Language(_)
                | Before::Everything(_) => None,
            })
            .collect();
    }

    /// Counts a change that touched no record.
    pub(super) fn record_other(&mut self) {
        self.count += 1;
        self.last = None;
    }

    /// Counts a merge that changed `records` and perhaps more.
    pub(super) fn record_merge(&mut self, records: Vec<(RecordKind, u64)>) {
        self.count += 1;
        self.last = Some(records);
        self.beyond_records = true;
    }
}

impl Clone for Changes {
    /// A copy goes its own way: its next change is not a change of the
    /// original, so it is a copy of its own.
    fn clone(&self) -> Changes {
        Changes {
            count: self.count,
            ..Changes::new()
        }
    }
}

impl Pipeline {
    /// This copy of the pipeline, as it is now.
    pub fn revision(&self) -> Revision {
        Revision {
            copy: self.changes.copy,
            changes: self.changes.count,
        }
    }

    /// The records changed since `seen`, when that is known: exactly one
    /// change (a command or Undo) was made since, on this same copy, and
    /// it touched records only. `None` means anything may have changed.
    pub fn changed_since(&self, seen: Revision) -> Option<&[(RecordKind, u64)]> {
        match self.records_changed_since(seen)? {
            (records, false) => Some(records),
            (_, true) => None,
        }
    }

    /// The records the one change since `seen` changed, when it is one
    /// change and that is known, and whether it may have changed more than
    /// records (a merge: settings, device names, tombstones, merges made).
    pub fn records_changed_since(&self, seen: Revision) -> Option<(&[(RecordKind, u64)], bool)> {
        let next = seen.changes.checked_add(1)?;
        if seen.copy != self.changes.copy || next != self.changes.count {
            return None;
        }
        let records = self.changes.last.as_deref()?;
        Some((records, self.changes.beyond_records))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactFields, Currency, Pipeline};
    use chrono::{TimeZone, Utc};

    fn person(name: &str) -> ContactFields {
        ContactFields {
            name: name.into(),
            ..ContactFields::default()
        }
    }

    #[test]
    fn one_change_later_the_records_it_touched_are_known() {
        let mut p = Pipeline::new();
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
        let seen = p.revision();
        let ada = p.add_contact(person("Ada"), now).unwrap();
        assert_eq!(
            p.changed_since(seen),
            Some(&[(RecordKind::Contact, ada.0)][..])
        );
        let after_add = p.revision();
        p.undo().unwrap();
        assert_eq!(
            p.changed_since(after_add),
            Some(&[(RecordKind::Contact, ada.0)][..]),
            "Undo touches what it puts back"
        );
        assert_eq!(p.changed_since(seen), None, "two changes since: not known");
    }

    #[test]
    fn a_copy_or_a_settings_change_tells_nothing() {
        let mut p = Pipeline::new();
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
        let seen = p.revision();
        let mut copy = p.clone();
        copy.add_contact(person("Ada"), now).unwrap();
        assert_eq!(
            copy.changed_since(seen),
            None,
            "a copy is not the pipeline seen"
        );
        p.add_contact(person("Bo"), now).unwrap();
        let seen = p.revision();
        p.set_default_currency(Currency::EUR).unwrap();
        assert_eq!(p.changed_since(seen), None);
        assert_eq!(
            p.changed_since(p.revision()),
            None,
            "nothing since: not a change"
        );
    }
}
