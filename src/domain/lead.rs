//! Leads: contacts that may result in a sale, and their qualification.
//!
//! Status machine (anything not listed is refused with a message):
//!
//! | from                  | command            | to            |
//! |-----------------------|--------------------|---------------|
//! | New                   | `mark_contacted`   | Contacted     |
//! | New, Contacted        | `qualify` (gate)   | Qualified     |
//! | New, Contacted, Qualified | `disqualify`   | Disqualified  |
//! | Disqualified          | `reopen`           | Contacted     |
//! | Qualified             | untick Need/Budget/Timeline | Contacted |
//! | Qualified             | convert (pipeline) | Converted     |
//!
//! A reopened lead goes to Contacted: someone has looked at it and decided
//! about it, which is more than New means. Converted is final and read-only.

use serde::{Deserialize, Serialize};

pub use super::vocabulary::{Criterion, DisqualifyReason, LeadStatusKind};

use super::clock::{Derived, Stamps};
use super::contact::check_length;
use super::contact::MAX_NEXT_STEP_CHARS;
use super::error::{DomainError, Field, FieldErrors, LeadAction};
use super::history::{Event, History};
use super::ids::{ContactId, LeadId, OpportunityId};
use super::stored::{is_default, is_false};
use super::time::date_field;
use super::time::to_second;
use chrono::{DateTime, NaiveDate, Utc};

crate::named::named_values! {
    /// The part a lead plays in the buying decision.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum BuyingRole {
        DecisionMaker = "decision_maker",
        Influencer = "influencer",
        Advisor = "advisor",
        User = "user",
        Gatekeeper = "gatekeeper",
        #[default]
        Unknown = "unknown",
    }
}

impl BuyingRole {
    pub fn label(self) -> &'static str {
        match self {
            BuyingRole::DecisionMaker => "Decision maker",
            BuyingRole::Influencer => "Influencer",
            BuyingRole::Advisor => "Advisor",
            BuyingRole::User => "User",
            BuyingRole::Gatekeeper => "Gatekeeper",
            BuyingRole::Unknown => "Unknown",
        }
    }
}

/// The qualification checklist. All boxes start unticked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    #[serde(default, skip_serializing_if = "is_false")]
    pub need: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub budget: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub timeline: bool,
    /// Expected purchase date, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub authority: bool,
}

impl Checklist {
    pub fn is_checked(&self, c: Criterion) -> bool {
        match c {
            Criterion::Need => self.need,
            Criterion::Budget => self.budget,
            Criterion::Timeline => self.timeline,
            Criterion::Authority => self.authority,
        }
    }

    fn set(&mut self, c: Criterion, checked: bool) {
        match c {
            Criterion::Need => self.need = checked,
            Criterion::Budget => self.budget = checked,
            Criterion::Timeline => self.timeline = checked,
            Criterion::Authority => self.authority = checked,
        }
    }

    /// 0 to 100: Need 30, Budget 25, Timeline 25, Authority 20.
    pub fn score(&self) -> u8 {
        Criterion::ALL
            .into_iter()
            .filter(|&c| self.is_checked(c))
            .map(Criterion::points)
            .sum()
    }

    /// Need, Budget and Timeline are all ticked.
    pub fn gate_holds(&self) -> bool {
        self.need && self.budget && self.timeline
    }

    /// The gate criteria still unticked, in checklist order.
    pub fn missing_for_gate(&self) -> Vec<Criterion> {
        Criterion::ALL
            .into_iter()
            .filter(|&c| c.is_gate() && !self.is_checked(c))
            .collect()
    }

    /// Why the gate does not hold yet, in the words [`Lead::qualify`]
    /// refuses with; `None` once Need, Budget and Timeline are all ticked.
    pub fn gate_problem(&self) -> Option<DomainError> {
        let missing = self.missing_for_gate();
        if missing.is_empty() {
            return None;
        }
        Some(DomainError::GateNotMet { missing })
    }
}

/// Where a lead stands. Stored externally tagged:
/// `"new"`, `{"disqualified":{"reason":"no_budget","note":"…"}}`,
/// `{"converted":{"opportunity":42}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    #[default]
    New,
    Contacted,
    Qualified,
    Disqualified {
        reason: DisqualifyReason,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    Converted {
        opportunity: OpportunityId,
    },
}

impl LeadStatus {
    pub fn kind(&self) -> LeadStatusKind {
        match self {
            LeadStatus::New => LeadStatusKind::New,
            LeadStatus::Contacted => LeadStatusKind::Contacted,
            LeadStatus::Qualified => LeadStatusKind::Qualified,
            LeadStatus::Disqualified { .. } => LeadStatusKind::Disqualified,
            LeadStatus::Converted { .. } => LeadStatusKind::Converted,
        }
    }

    pub fn label(&self) -> &'static str {
        self.kind().label()
    }
}

pub const MAX_INTEREST_CHARS: usize = 500;
pub const MAX_NOTE_CHARS: usize = 10_000;

/// A contact that may result in a sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: LeadId,
    pub contact: ContactId,
    #[serde(default, skip_serializing_if = "is_default")]
    pub buying_role: BuyingRole,
    /// What they might buy.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interest: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub checklist: Checklist,
    /// The follow-up ("Call back on Tuesday"), shown on Today when due.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub next_step: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_date: Option<NaiveDate>,
    /// Left out of the stored form while New.
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: LeadStatus,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "History::is_empty")]
    pub history: History,
    /// When each field last changed, and on which device.
    #[serde(default, skip_serializing_if = "Stamps::is_empty")]
    pub stamps: Stamps,
    /// What merge rules replaced (see `merge_rules.rs`).
    #[serde(default, skip_serializing_if = "Derived::is_empty")]
    pub derived: Derived,
}

impl Lead {
    pub(crate) fn new(id: LeadId, contact: ContactId, now: DateTime<Utc>) -> Lead {
        Lead {
            id,
            contact,
            buying_role: BuyingRole::Unknown,
            interest: String::new(),
            checklist: Checklist::default(),
            next_step: String::new(),
            next_step_date: None,
            status: LeadStatus::New,
            created_at: to_second(now),
            history: History::new(),
            stamps: Stamps::default(),
            derived: Derived::default(),
        }
    }

    pub fn score(&self) -> u8 {
        self.checklist.score()
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        self.history.last_at().unwrap_or(self.created_at)
    }

    /// The opportunity it became, if converted.
    pub fn opportunity(&self) -> Option<OpportunityId> {
        match self.status {
            LeadStatus::Converted { opportunity } => Some(opportunity),
            _ => None,
        }
    }

    /// Was it ever qualified (now, before converting, or before it was
    /// demoted or disqualified)? The funnel counts it as having got there.
    pub fn ever_qualified(&self) -> bool {
        matches!(
            self.status,
            LeadStatus::Qualified | LeadStatus::Converted { .. }
        ) || self.history.iter().any(|e| {
            matches!(
                e.event,
                Event::StatusChanged {
                    to: LeadStatusKind::Qualified,
                    ..
                }
            )
        })
    }

    fn refuse(&self, action: LeadAction) -> DomainError {
        match self.status {
            LeadStatus::Converted { .. } => DomainError::LeadConverted,
            _ => DomainError::LeadStatus {
                status: self.status.kind(),
                action,
            },
        }
    }

    fn writable(&self) -> Result<(), DomainError> {
        match self.status {
            LeadStatus::Converted { .. } => Err(DomainError::LeadConverted),
            _ => Ok(()),
        }
    }

    fn change_status(&mut self, to: LeadStatus, now: DateTime<Utc>) {
        let from = self.status.kind();
        let to_kind = to.kind();
        self.status = to;
        self.history
            .record(now, Event::StatusChanged { from, to: to_kind });
    }

    /// New -> Contacted.
    pub fn mark_contacted(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.status {
            LeadStatus::New => {
                self.change_status(LeadStatus::Contacted, now);
                Ok(())
            }
            _ => Err(self.refuse(LeadAction::MarkContacted)),
        }
    }

    /// New or Contacted -> Qualified, only while the gate holds.
    pub fn qualify(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.status {
            LeadStatus::New | LeadStatus::Contacted => {
                if let Some(problem) = self.checklist.gate_problem() {
                    return Err(problem);
                }
                self.change_status(LeadStatus::Qualified, now);
                Ok(())
            }
            _ => Err(self.refuse(LeadAction::Qualify)),
        }
    }

    /// New, Contacted or Qualified -> Disqualified, with a reason and an
    /// optional note.
    pub fn disqualify(
        &mut self,
        reason: DisqualifyReason,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        if !self.status.kind().is_active() {
            return Err(self.refuse(LeadAction::Disqualify));
        }
        let note = note.trim();
        let mut errors = FieldErrors::new();
        check_length(&mut errors, Field::Note, note, MAX_NOTE_CHARS);
        errors.into_result(())?;
        let from = self.status.kind();
        self.status = LeadStatus::Disqualified {
            reason,
            note: note.to_owned(),
        };
        self.history.record(
            now,
            Event::Disqualified {
                from,
                reason,
                note: note.to_owned(),
            },
        );
        Ok(())
    }

    /// Disqualified -> Contacted.
    pub fn reopen(&mut self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.status {
            LeadStatus::Disqualified { .. } => {
                self.change_status(LeadStatus::Contacted, now);
                Ok(())
            }
            _ => Err(self.refuse(LeadAction::Reopen)),
        }
    }

    /// Ticks or unticks a box. Unticking Need, Budget or Timeline on a
    /// Qualified lead moves it back to Contacted, because a lead is Qualified
    /// only while the gate holds. Returns whether anything changed.
    pub fn set_criterion(
        &mut self,
        criterion: Criterion,
        checked: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.writable()?;
        if self.checklist.is_checked(criterion) == checked {
            return Ok(false);
        }
        self.checklist.set(criterion, checked);
        self.history
            .record(now, Event::CriterionChanged { criterion, checked });
        if self.status == LeadStatus::Qualified && !self.checklist.gate_holds() {
            self.change_status(LeadStatus::Contacted, now);
        }
        Ok(true)
    }

    /// Sets or clears the expected purchase date. Returns whether it changed.
    pub fn set_timeline_date(
        &mut self,
        date: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.writable()?;
        if self.checklist.timeline_date == date {
            return Ok(false);
        }
        self.checklist.timeline_date = date;
        self.history.record(
            now,
            Event::Updated {
                fields: vec![Field::TimelineDate],
            },
        );
        Ok(true)
    }

    /// Edits the buying role and interest. Returns whether anything changed.
    pub fn update_details(
        &mut self,
        buying_role: BuyingRole,
        interest: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.writable()?;
        let interest = interest.trim();
        let mut errors = FieldErrors::new();
        check_length(&mut errors, Field::Interest, interest, MAX_INTEREST_CHARS);
        errors.into_result(())?;
        let mut fields = Vec::new();
        if self.buying_role != buying_role {
            self.buying_role = buying_role;
            fields.push(Field::BuyingRole);
        }
        if self.interest != interest {
            self.interest = interest.to_owned();
            fields.push(Field::Interest);
        }
        let changed = !fields.is_empty();
        if changed {
            self.history.record(now, Event::Updated { fields });
        }
        Ok(changed)
    }

    /// Sets the follow-up. Both empty clears it. Returns whether anything
    /// changed.
    pub fn set_next_step(
        &mut self,
        text: &str,
        date: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.writable()?;
        let text = text.trim();
        let mut errors = FieldErrors::new();
        check_length(&mut errors, Field::NextStep, text, MAX_NEXT_STEP_CHARS);
        let date = date_field(&mut errors, Field::NextStepDate, date);
        errors.into_result(())?;
        let mut fields = Vec::new();
        if self.next_step != text {
            self.next_step = text.to_owned();
            fields.push(Field::NextStep);
        }
        if self.next_step_date != date {
            self.next_step_date = date;
            fields.push(Field::NextStepDate);
        }
        let changed = !fields.is_empty();
        if changed {
            self.history.record(now, Event::Updated { fields });
        }
        Ok(changed)
    }

    /// Qualified -> Converted. Only the pipeline calls this, because it must
    /// create the opportunity at the same time.
    pub(crate) fn mark_converted(
        &mut self,
        opportunity: OpportunityId,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        match self.status {
            LeadStatus::Qualified => {
                self.status = LeadStatus::Converted { opportunity };
                self.history.record(now, Event::Converted { opportunity });
                Ok(())
            }
            LeadStatus::Converted { .. } => Err(DomainError::LeadConverted),
            _ => Err(DomainError::NotQualified {
                status: self.status.kind(),
            }),
        }
    }

    pub(crate) fn add_note(&mut self, text: String, now: DateTime<Utc>) {
        self.history.record(now, Event::Note { text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn lead() -> Lead {
        Lead::new(LeadId(2), ContactId(1), t(0))
    }

    fn gated() -> Lead {
        let mut l = lead();
        for c in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            l.set_criterion(c, true, t(1)).unwrap();
        }
        l
    }

    fn in_status(kind: LeadStatusKind) -> Lead {
        let mut l = gated();
        match kind {
            LeadStatusKind::New => {}
            LeadStatusKind::Contacted => l.mark_contacted(t(2)).unwrap(),
            LeadStatusKind::Qualified => l.qualify(t(2)).unwrap(),
            LeadStatusKind::Disqualified => {
                l.disqualify(DisqualifyReason::NoBudget, "", t(2)).unwrap()
            }
            LeadStatusKind::Converted => {
                l.qualify(t(2)).unwrap();
                l.mark_converted(OpportunityId(9), t(3)).unwrap();
            }
        }
        assert_eq!(l.status.kind(), kind);
        l
    }

    #[test]
    fn score_weights_add_up() {
        let mut c = Checklist::default();
        assert_eq!(c.score(), 0);
        c.need = true;
        assert_eq!(c.score(), 30);
        c.budget = true;
        c.timeline = true;
        assert_eq!(c.score(), 80);
        assert!(c.gate_holds());
        c.authority = true;
        assert_eq!(c.score(), 100);
        c.budget = false;
        assert_eq!(c.missing_for_gate(), vec![Criterion::Budget]);
        assert!(!c.gate_holds());
    }

    #[test]
    fn every_allowed_transition() {
        let mut l = gated();
        l.mark_contacted(t(2)).unwrap();
        assert_eq!(l.status, LeadStatus::Contacted);
        l.qualify(t(3)).unwrap();
        assert_eq!(l.status, LeadStatus::Qualified);
        l.disqualify(DisqualifyReason::BadTiming, " next year ", t(4))
            .unwrap();
        assert_eq!(
            l.status,
            LeadStatus::Disqualified {
                reason: DisqualifyReason::BadTiming,
                note: "next year".into()
            }
        );
        l.reopen(t(5)).unwrap();
        assert_eq!(l.status, LeadStatus::Contacted);
        // New -> Qualified directly, New -> Disqualified.
        in_status(LeadStatusKind::New).qualify(t(6)).unwrap();
        in_status(LeadStatusKind::New)
            .disqualify(DisqualifyReason::Unreachable, "", t(6))
            .unwrap();
        in_status(LeadStatusKind::Contacted)
            .disqualify(DisqualifyReason::NoNeed, "", t(6))
            .unwrap();
        let mut q = in_status(LeadStatusKind::Qualified);
        q.mark_converted(OpportunityId(5), t(7)).unwrap();
        assert_eq!(q.opportunity(), Some(OpportunityId(5)));
    }

    #[test]
    fn every_refused_transition() {
        use LeadStatusKind::*;
        let cases: [(LeadStatusKind, &[&str]); 5] = [
            (New, &["reopen"]),
            (Contacted, &["contacted", "reopen"]),
            (Qualified, &["contacted", "qualify", "reopen"]),
            (
                Disqualified,
                &["contacted", "qualify", "disqualify", "convert"],
            ),
            (
                Converted,
                &[
                    "contacted",
                    "qualify",
                    "disqualify",
                    "reopen",
                    "convert",
                    "criterion",
                    "details",
                    "date",
                ],
            ),
        ];
        for (kind, actions) in cases {
            for &action in actions {
                let mut l = in_status(kind);
                let before = l.clone();
                let r = match action {
                    "contacted" => l.mark_contacted(t(9)),
                    "qualify" => l.qualify(t(9)),
                    "disqualify" => l.disqualify(DisqualifyReason::Other, "", t(9)),
                    "reopen" => l.reopen(t(9)),
                    "convert" => l.mark_converted(OpportunityId(7), t(9)),
                    "criterion" => l.set_criterion(Criterion::Need, false, t(9)).map(|_| ()),
                    "details" => l.update_details(BuyingRole::User, "x", t(9)).map(|_| ()),
                    "date" => l.set_timeline_date(None, t(9)).map(|_| ()),
                    _ => unreachable!(),
                };
                assert!(r.is_err(), "{action} from {kind:?} should be refused");
                assert_eq!(l, before, "a refused {action} must change nothing");
            }
        }
        let mut q = in_status(Qualified);
        assert_eq!(
            q.mark_contacted(t(9)).unwrap_err().to_string(),
            "A lead that is Qualified cannot be marked as contacted"
        );
        let mut c = in_status(Converted);
        assert_eq!(
            c.qualify(t(9)).unwrap_err().to_string(),
            "This lead was converted to an opportunity and can no longer be changed"
        );
        let mut d = in_status(Disqualified);
        assert_eq!(
            d.mark_converted(OpportunityId(1), t(9))
                .unwrap_err()
                .to_string(),
            "Only a qualified lead can be converted to an opportunity (this lead is Disqualified)"
        );
    }

    #[test]
    fn qualify_requires_the_gate_but_not_authority() {
        let mut l = lead();
        l.set_criterion(Criterion::Need, true, t(1)).unwrap();
        l.set_criterion(Criterion::Authority, true, t(1)).unwrap();
        assert_eq!(
            l.qualify(t(2)).unwrap_err().to_string(),
            "Need, Budget and Timeline must all be checked before a lead can be qualified (missing: Budget, Timeline)"
        );
        assert_eq!(l.status, LeadStatus::New);
        l.set_criterion(Criterion::Budget, true, t(3)).unwrap();
        l.set_criterion(Criterion::Timeline, true, t(3)).unwrap();
        l.set_criterion(Criterion::Authority, false, t(3)).unwrap();
        l.qualify(t(4)).unwrap();
        assert!(l.ever_qualified());
    }

    #[test]
    fn gate_problem_is_the_message_qualify_refuses_with() {
        let mut l = lead();
        assert_eq!(
            l.checklist.gate_problem().unwrap().to_string(),
            "Need, Budget and Timeline must all be checked before a lead can be qualified (missing: Need, Budget, Timeline)"
        );
        l.set_criterion(Criterion::Budget, true, t(1)).unwrap();
        let problem = l.checklist.gate_problem().unwrap();
        assert_eq!(l.qualify(t(2)).unwrap_err(), problem);
        assert!(problem.to_string().ends_with("(missing: Need, Timeline)"));
        l.set_criterion(Criterion::Need, true, t(3)).unwrap();
        l.set_criterion(Criterion::Timeline, true, t(3)).unwrap();
        assert_eq!(l.checklist.gate_problem(), None, "Authority is not needed");
    }

    #[test]
    fn unticking_a_gate_item_demotes_a_qualified_lead_with_history() {
        let mut l = in_status(LeadStatusKind::Qualified);
        // Authority is not part of the gate: no demotion.
        l.set_criterion(Criterion::Authority, true, t(5)).unwrap();
        l.set_criterion(Criterion::Authority, false, t(5)).unwrap();
        assert_eq!(l.status, LeadStatus::Qualified);
        let n = l.history.len();
        assert!(l.set_criterion(Criterion::Budget, false, t(6)).unwrap());
        assert_eq!(l.status, LeadStatus::Contacted);
        let tail: Vec<&Event> = l.history.iter().skip(n).map(|e| &e.event).collect();
        assert_eq!(
            tail,
            vec![
                &Event::CriterionChanged {
                    criterion: Criterion::Budget,
                    checked: false
                },
                &Event::StatusChanged {
                    from: LeadStatusKind::Qualified,
                    to: LeadStatusKind::Contacted
                }
            ]
        );
        assert!(l.ever_qualified(), "it did reach Qualified once");
        // Setting a box to what it already is records nothing.
        assert!(!l.set_criterion(Criterion::Budget, false, t(7)).unwrap());
        assert_eq!(l.history.len(), n + 2);
    }

    #[test]
    fn details_are_validated_and_recorded() {
        let mut l = lead();
        assert!(l
            .update_details(BuyingRole::Advisor, " CRM ", t(1))
            .unwrap());
        assert!(!l.update_details(BuyingRole::Advisor, "CRM", t(2)).unwrap());
        assert_eq!(l.updated_at(), t(1));
        let e = l
            .update_details(BuyingRole::Advisor, &"x".repeat(501), t(3))
            .unwrap_err();
        assert!(e.to_string().contains("Interest can be at most 500"));
        let date = NaiveDate::from_ymd_opt(2025, 6, 1);
        assert!(l.set_timeline_date(date, t(4)).unwrap());
        assert_eq!(l.checklist.timeline_date, date);
    }

    #[test]
    fn status_serializes_tagged_by_kind() {
        use crate::domain::stored::{from_json, to_json};
        let l = in_status(LeadStatusKind::Disqualified);
        assert_eq!(
            to_json(&l.status),
            r#"{"disqualified":{"reason":"no_budget"}}"#
        );
        let c = LeadStatus::Converted {
            opportunity: OpportunityId(4),
        };
        assert_eq!(to_json(&c), r#"{"converted":{"opportunity":4}}"#);
        let fresh = to_json(&lead());
        assert_eq!(fresh, r#"{"id":2,"contact":1,"created_at":1700000000}"#);
        assert_eq!(from_json::<Lead>(&fresh).unwrap(), lead());
    }
}
