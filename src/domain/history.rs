//! The append-only timeline every record keeps.
//!
//! A record's creation is its `created_at`; the history holds what happened
//! after that. The last entry's time is the record's "updated" time. Entries
//! can only be appended (by the domain), never edited or removed, so reports
//! can trust the dates they derive from it.

use serde::{Deserialize, Serialize};

use super::clock::Hlc;
use super::error::Field;
use super::ids::{ContactId, DeviceId, OpportunityId};
use super::stored::is_false;
use super::time::to_second;
use super::vocabulary::{Criterion, DisqualifyReason, LeadStatusKind, LostReason, Stage};
use chrono::{DateTime, Utc};

/// Something that happened to a record.
///
/// Stored tagged by the event name, e.g.
/// `{"at":1714557600,"event":{"stage_changed":{"from":"proposal","to":"negotiation"}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Fields edited in a form.
    Updated { fields: Vec<Field> },
    /// A free-text note the user added.
    Note { text: String },
    /// A lead moved between statuses (contacted, qualified, reopened, or back
    /// to contacted because a gate criterion was unticked).
    StatusChanged {
        from: LeadStatusKind,
        to: LeadStatusKind,
    },
    /// A lead was disqualified.
    Disqualified {
        from: LeadStatusKind,
        reason: DisqualifyReason,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// A checklist box was ticked or unticked.
    CriterionChanged {
        criterion: Criterion,
        #[serde(default, skip_serializing_if = "is_false")]
        checked: bool,
    },
    /// A lead became this opportunity.
    Converted { opportunity: OpportunityId },
    /// An open opportunity moved to another open stage.
    StageChanged { from: Stage, to: Stage },
    /// An opportunity was won, from stage `from`.
    Won { from: Stage },
    /// An opportunity was lost, from stage `from`.
    Lost { from: Stage, reason: LostReason },
    /// A closed opportunity was reopened at stage `to`.
    Reopened { to: Stage },
    /// An account gained a won deal.
    DealWon { opportunity: OpportunityId },
    /// A won deal of an account was reopened and no longer counts.
    DealReopened { opportunity: OpportunityId },
    /// A contact joined an account.
    ContactAdded { contact: ContactId },
    /// A contact left an account (it was deleted).
    ContactRemoved { contact: ContactId },
    /// The account's main contact changed.
    PrimaryContactChanged { contact: ContactId },
    /// A merge found `field` changed on `device` at the same time as here,
    /// and that change lost: its value (as stored JSON) is kept here so that
    /// nothing disappears silently.
    AlsoChanged {
        field: String,
        device: DeviceId,
        value: String,
    },
}

/// One line of a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "StoredEntry")]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub event: Event,
    /// The change clock's reading when it was recorded: unique across
    /// devices, so merging two copies of a timeline keeps each entry once.
    /// Entries from before clocks existed have none.
    pub id: Option<Hlc>,
}

/// How an entry is stored: its id's wall time as milliseconds after `at`
/// (nearly always under a second), so the tens of thousands of entries a
/// pipeline holds store a few digits each rather than thirteen:
/// `{"at":1714557600,"event":…,"id":[412,0,7]}`.
#[derive(Serialize, Deserialize)]
struct StoredEntry<E = Event> {
    #[serde(with = "chrono::serde::ts_seconds")]
    at: DateTime<Utc>,
    event: E,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<(i64, u32, DeviceId)>,
}

impl From<StoredEntry> for HistoryEntry {
    fn from(e: StoredEntry) -> HistoryEntry {
        let base = e.at.timestamp_millis();
        HistoryEntry {
            at: e.at,
            event: e.event,
            id: e.id.map(|(after, count, device)| Hlc {
                wall: base.saturating_add(after),
                count,
                device,
            }),
        }
    }
}

impl Serialize for HistoryEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let base = self.at.timestamp_millis();
        StoredEntry {
            at: self.at,
            event: &self.event,
            id: self
                .id
                .map(|h| (h.wall.saturating_sub(base), h.count, h.device)),
        }
        .serialize(s)
    }
}

/// An append-only list of entries, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct History(Vec<HistoryEntry>);

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry. Only the domain records history.
    pub(crate) fn record(&mut self, at: DateTime<Utc>, event: Event) {
        self.0.push(HistoryEntry {
            at: to_second(at),
            event,
            id: None,
        });
    }

    /// Adds `entry` where its time puts it (a merge's notes).
    pub(crate) fn insert(&mut self, entry: HistoryEntry) {
        let at = self
            .0
            .partition_point(|e| (e.at, e.id) <= (entry.at, entry.id));
        self.0.insert(at, entry);
    }

    /// Both timelines as one, each entry once (the same entry on two copies
    /// is the same time and event), in time order.
    pub(crate) fn union(&self, other: &History) -> History {
        if self == other {
            return self.clone();
        }
        let mut all: Vec<HistoryEntry> = self.0.iter().chain(&other.0).cloned().collect();
        all.sort_by(|a, b| {
            (a.at, a.id)
                .cmp(&(b.at, b.id))
                .then_with(|| format!("{:?}", a.event).cmp(&format!("{:?}", b.event)))
        });
        let mut out: Vec<HistoryEntry> = Vec::with_capacity(all.len());
        for entry in all {
            match out
                .iter_mut()
                .rev()
                .take_while(|e| e.at == entry.at)
                .find(|e| e.event == entry.event)
            {
                Some(same) => same.id = same.id.max(entry.id),
                None => out.push(entry),
            }
        }
        // Ids may have moved entries within a second; put them in order again.
        out.sort_by(|a, b| {
            (a.at, a.id)
                .cmp(&(b.at, b.id))
                .then_with(|| format!("{:?}", a.event).cmp(&format!("{:?}", b.event)))
        });
        History(out)
    }

    /// Gives the entries from `from` on that have no id one each.
    pub(crate) fn name_new(&mut self, from: usize, mut next: impl FnMut() -> Hlc) {
        for entry in self.0.iter_mut().skip(from) {
            if entry.id.is_none() {
                entry.id = Some(next());
            }
        }
    }

    pub fn entries(&self) -> &[HistoryEntry] {
        &self.0
    }

    pub fn iter(&self) -> std::slice::Iter<'_, HistoryEntry> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// When the last thing happened, if anything did.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.0.last().map(|e| e.at)
    }

    /// The first time an event matching `pred` happened.
    pub fn first_when(&self, pred: impl Fn(&Event) -> bool) -> Option<DateTime<Utc>> {
        self.0.iter().find(|e| pred(&e.event)).map(|e| e.at)
    }

    /// The first time a lead reached `status` (not counting New, which is
    /// where every lead starts at its `created_at`).
    pub fn reached_status(&self, status: LeadStatusKind) -> Option<DateTime<Utc>> {
        self.first_when(|e| match e {
            Event::StatusChanged { to, .. } => *to == status,
            Event::Disqualified { .. } => status == LeadStatusKind::Disqualified,
            Event::Converted { .. } => status == LeadStatusKind::Converted,
            _ => false,
        })
    }

    /// The first time an opportunity reached `stage` by a move (its first
    /// stage is reached at its `created_at`, which is not in the history).
    pub fn reached_stage(&self, stage: Stage) -> Option<DateTime<Utc>> {
        self.first_when(|e| match e {
            Event::StageChanged { to, .. } | Event::Reopened { to } => *to == stage,
            Event::Won { .. } => stage == Stage::Won,
            Event::Lost { .. } => stage == Stage::Lost,
            _ => false,
        })
    }

    /// The open stage an opportunity was in when it was last closed.
    pub fn stage_before_last_close(&self) -> Option<Stage> {
        self.0.iter().rev().find_map(|e| match e.event {
            Event::Won { from } | Event::Lost { from, .. } => Some(from),
            _ => None,
        })
    }
}

impl From<Vec<HistoryEntry>> for History {
    /// A history as stored: the entries in the order they happened.
    fn from(entries: Vec<HistoryEntry>) -> Self {
        History(entries)
    }
}

impl<'a> IntoIterator for &'a History {
    type Item = &'a HistoryEntry;
    type IntoIter = std::slice::Iter<'a, HistoryEntry>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn entries_serialize_flat_and_compact() {
        let mut h = History::new();
        h.record(
            t(0),
            Event::StageChanged {
                from: Stage::Proposal,
                to: Stage::Negotiation,
            },
        );
        h.record(
            t(1),
            Event::CriterionChanged {
                criterion: Criterion::Budget,
                checked: false,
            },
        );
        let json = crate::domain::stored::to_json(&h);
        assert_eq!(
            json,
            r#"[{"at":1700000000,"event":{"stage_changed":{"from":"proposal","to":"negotiation"}}},{"at":1700000001,"event":{"criterion_changed":{"criterion":"budget"}}}]"#
        );
        assert_eq!(
            crate::domain::stored::from_json::<History>(&json).unwrap(),
            h
        );
    }

    #[test]
    fn finds_when_a_status_or_stage_was_reached() {
        let mut h = History::new();
        h.record(
            t(10),
            Event::StatusChanged {
                from: LeadStatusKind::New,
                to: LeadStatusKind::Contacted,
            },
        );
        h.record(
            t(20),
            Event::StatusChanged {
                from: LeadStatusKind::Contacted,
                to: LeadStatusKind::Qualified,
            },
        );
        h.record(
            t(30),
            Event::Converted {
                opportunity: OpportunityId(9),
            },
        );
        assert_eq!(h.reached_status(LeadStatusKind::Qualified), Some(t(20)));
        assert_eq!(h.reached_status(LeadStatusKind::Converted), Some(t(30)));
        assert_eq!(h.reached_status(LeadStatusKind::Disqualified), None);
        assert_eq!(h.last_at(), Some(t(30)));

        let mut o = History::new();
        o.record(
            t(1),
            Event::Won {
                from: Stage::Contract,
            },
        );
        o.record(
            t(2),
            Event::Reopened {
                to: Stage::Contract,
            },
        );
        o.record(
            t(3),
            Event::Lost {
                from: Stage::Negotiation,
                reason: LostReason::Price,
            },
        );
        assert_eq!(o.reached_stage(Stage::Won), Some(t(1)));
        assert_eq!(o.reached_stage(Stage::Contract), Some(t(2)));
        assert_eq!(o.stage_before_last_close(), Some(Stage::Negotiation));
    }

    #[test]
    fn every_event_reads_back_what_was_written() {
        let events = vec![
            Event::Updated {
                fields: vec![Field::Name, Field::Email],
            },
            Event::Note {
                text: "Called, \"busy\"".into(),
            },
            Event::StatusChanged {
                from: LeadStatusKind::New,
                to: LeadStatusKind::Contacted,
            },
            Event::Disqualified {
                from: LeadStatusKind::Contacted,
                reason: DisqualifyReason::NoBudget,
                note: "next year".into(),
            },
            Event::Disqualified {
                from: LeadStatusKind::New,
                reason: DisqualifyReason::Other,
                note: String::new(),
            },
            Event::CriterionChanged {
                criterion: Criterion::Need,
                checked: true,
            },
            Event::CriterionChanged {
                criterion: Criterion::Authority,
                checked: false,
            },
            Event::Converted {
                opportunity: OpportunityId(4),
            },
            Event::StageChanged {
                from: Stage::NeedsAnalysis,
                to: Stage::Contract,
            },
            Event::Won {
                from: Stage::Contract,
            },
            Event::Lost {
                from: Stage::Proposal,
                reason: LostReason::ChoseCompetitor,
            },
            Event::Reopened {
                to: Stage::Negotiation,
            },
            Event::DealWon {
                opportunity: OpportunityId(5),
            },
            Event::DealReopened {
                opportunity: OpportunityId(5),
            },
            Event::ContactAdded {
                contact: ContactId(2),
            },
            Event::ContactRemoved {
                contact: ContactId(3),
            },
            Event::PrimaryContactChanged {
                contact: ContactId(2),
            },
        ];
        for event in events {
            let json = crate::domain::stored::to_json(&event);
            assert_eq!(
                crate::domain::stored::from_json::<Event>(&json).unwrap(),
                event,
                "{json}"
            );
        }
    }

    #[test]
    fn damaged_events_are_errors_that_say_what_is_wrong() {
        let cases = [
            (
                r#"{"stage_changed":{"from":"proposal"}}"#,
                "missing field `to` at stage_changed",
            ),
            (
                r#"{"won":{"from":"sold"}}"#,
                "unknown variant `sold`, expected one of `needs_analysis`",
            ),
            (r#"{"teleported":{}}"#, "unknown variant `teleported`"),
            (r#"{}"#, "expected value"),
            (
                r#"{"note":{"text":"a"},"won":{"from":"proposal"}}"#,
                "expected value",
            ),
            (r#""note""#, "expected struct variant at note"),
            (
                r#"{"note":{"text":5}}"#,
                "invalid type: integer `5`, expected a string at note.text",
            ),
        ];
        for (json, expected) in cases {
            let err = crate::domain::stored::from_json::<Event>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{json}: {err}");
        }
    }
}
