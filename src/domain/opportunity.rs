//! Opportunities: qualified leads with a real chance of a sale.
//!
//! Open stages can be moved to any other open stage, forwards (skipping) or
//! backwards; every move is recorded. Closing is only by `mark_won` (needs
//! an amount above zero) or `mark_lost` (needs a reason). A closed
//! opportunity is read-only except for notes until it is reopened; reopening
//! puts it back in the open stage it was closed from (from history), or, if
//! the history does not say, Contract for a won deal and Needs analysis for a
//! lost one.

use serde::{Deserialize, Serialize};

pub use super::vocabulary::{LostReason, Stage, OPEN_STAGES};

use super::clock::{Derived, Stamps};
use super::contact::{check_length, MAX_NEXT_STEP_CHARS};
use super::error::{DomainError, Field, FieldErrors, FieldProblem};
use super::history::{Event, History};
use super::ids::{AccountId, ContactId, LeadId, OpportunityId};
use super::money::{Currency, Money, MoneyError};
use super::stored::{is_default, is_false};
use super::time::to_second;
use chrono::{DateTime, NaiveDate, Utc};

impl LostReason {
    /// The reason chosen in a form, by its stored name. Nothing chosen (or
    /// an unknown name) is refused under Lost reason: a lost deal needs one.
    pub fn from_choice(name: &str) -> Result<LostReason, FieldErrors> {
        match LostReason::from_name(name.trim()) {
            Some(reason) => Ok(reason),
            None => {
                let mut errors = FieldErrors::new();
                errors.push(Field::LostReason, FieldProblem::ChooseLostReason);
                Err(errors)
            }
        }
    }
}

/// Where an opportunity stands, with the data each state needs. Stored
/// externally tagged: `"proposal"`, `{"won":{"closed_on":"2025-03-01"}}`,
/// `{"lost":{"reason":"price","closed_on":"2025-03-01"}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    #[default]
    NeedsAnalysis,
    Proposal,
    Negotiation,
    Contract,
    Won {
        closed_on: NaiveDate,
    },
    Lost {
        reason: LostReason,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
        closed_on: NaiveDate,
    },
}

impl OpportunityStatus {
    /// The status for an open stage; `None` for Won and Lost, which carry
    /// data and are reached only by closing.
    pub fn open(stage: Stage) -> Option<OpportunityStatus> {
        match stage {
            Stage::NeedsAnalysis => Some(OpportunityStatus::NeedsAnalysis),
            Stage::Proposal => Some(OpportunityStatus::Proposal),
            Stage::Negotiation => Some(OpportunityStatus::Negotiation),
            Stage::Contract => Some(OpportunityStatus::Contract),
            Stage::Won | Stage::Lost => None,
        }
    }

    pub fn stage(&self) -> Stage {
        match self {
            OpportunityStatus::NeedsAnalysis => Stage::NeedsAnalysis,
            OpportunityStatus::Proposal => Stage::Proposal,
            OpportunityStatus::Negotiation => Stage::Negotiation,
            OpportunityStatus::Contract => Stage::Contract,
            OpportunityStatus::Won { .. } => Stage::Won,
            OpportunityStatus::Lost { .. } => Stage::Lost,
        }
    }

    pub fn is_open(&self) -> bool {
        self.stage().is_open()
    }

    pub fn closed_on(&self) -> Option<NaiveDate> {
        match self {
            OpportunityStatus::Won { closed_on } | OpportunityStatus::Lost { closed_on, .. } => {
                Some(*closed_on)
            }
            _ => None,
        }
    }
}

/// How the customer pays.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentTerms {
    DueOnReceipt,
    #[serde(rename = "net_15")]
    Net15,
    #[serde(rename = "net_30")]
    Net30,
    #[serde(rename = "net_60")]
    Net60,
    Instalments,
    /// Free text, stored as `{"custom":"50% up front"}`.
    Custom(String),
}

impl PaymentTerms {
    /// The fixed choices (Custom is typed).
    pub const PRESETS: [PaymentTerms; 5] = [
        PaymentTerms::DueOnReceipt,
        PaymentTerms::Net15,
        PaymentTerms::Net30,
        PaymentTerms::Net60,
        PaymentTerms::Instalments,
    ];

    pub fn label(&self) -> &str {
        match self {
            PaymentTerms::DueOnReceipt => "Due on receipt",
            PaymentTerms::Net15 => "Net 15",
            PaymentTerms::Net30 => "Net 30",
            PaymentTerms::Net60 => "Net 60",
            PaymentTerms::Instalments => "Instalments",
            PaymentTerms::Custom(text) => text,
        }
    }

    /// The stored name (serde's, checked by a test): what a select's
    /// option holds. Custom terms are `"custom"`, their text kept apart.
    pub fn name(&self) -> &'static str {
        match self {
            PaymentTerms::DueOnReceipt => "due_on_receipt",
            PaymentTerms::Net15 => "net_15",
            PaymentTerms::Net30 => "net_30",
            PaymentTerms::Net60 => "net_60",
            PaymentTerms::Instalments => "instalments",
            PaymentTerms::Custom(_) => "custom",
        }
    }

    /// The preset stored as `name`.
    pub fn preset(name: &str) -> Option<PaymentTerms> {
        PaymentTerms::PRESETS.into_iter().find(|p| p.name() == name)
    }
}

crate::named::named_values! {
    /// How far the paperwork has come.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum ContractStatus {
        #[default]
        NotStarted = "not_started",
        Drafted = "drafted",
        Sent = "sent",
        Signed = "signed",
    }
}

impl ContractStatus {
    pub fn label(self) -> &'static str {
        match self {
            ContractStatus::NotStarted => "Not started",
            ContractStatus::Drafted => "Drafted",
            ContractStatus::Sent => "Sent",
            ContractStatus::Signed => "Signed",
        }
    }
}

pub const MAX_SUPPLIER_CHARS: usize = 200;
pub const MAX_COMPETITOR_CHARS: usize = 200;
pub const MAX_COMPETITORS: usize = 20;
pub const MAX_PAYMENT_TERMS_CHARS: usize = 100;

/// The commercial terms of a deal. When `amount` is set its currency is
/// `currency` (checked by [`DealTerms::validate`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealTerms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    #[serde(default)]
    pub currency: Currency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<PaymentTerms>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub contract_status: ContractStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_close: Option<NaiveDate>,
    /// Replaces the stage's default probability while the deal is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability_override: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub current_supplier: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub current_supplier_dismissed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competitors: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub next_step: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step_date: Option<NaiveDate>,
}

impl DealTerms {
    /// Empty terms in `currency`.
    pub fn in_currency(currency: Currency) -> DealTerms {
        DealTerms {
            currency,
            ..DealTerms::default()
        }
    }

    /// Checks the terms and returns them trimmed, with competitors
    /// de-duplicated; every problem is reported under its field.
    pub fn validate(&self) -> Result<DealTerms, FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(amount) = self.amount {
            if amount.currency != self.currency {
                errors.push(
                    Field::Amount,
                    FieldProblem::OtherCurrency {
                        amount: amount.currency,
                        deal: self.currency,
                    },
                );
            } else if amount.minor < 0 {
                errors.push(Field::Amount, FieldProblem::Amount(MoneyError::Negative));
            }
        }
        if let Some(p) = self.probability_override {
            if p > 100 {
                errors.push(
                    Field::Probability,
                    FieldProblem::ProbabilityOutOfRange(u32::from(p)),
                );
            }
        }
        let payment_terms = match &self.payment_terms {
            Some(PaymentTerms::Custom(text)) => {
                let t = text.trim();
                if t.is_empty() {
                    errors.push(Field::PaymentTerms, FieldProblem::DescribePaymentTerms);
                }
                check_length(&mut errors, Field::PaymentTerms, t, MAX_PAYMENT_TERMS_CHARS);
                Some(PaymentTerms::Custom(t.to_owned()))
            }
            other => other.clone(),
        };
        let current_supplier = self.current_supplier.trim();
        check_length(
            &mut errors,
            Field::CurrentSupplier,
            current_supplier,
            MAX_SUPPLIER_CHARS,
        );
        let next_step = self.next_step.trim();
        check_length(&mut errors, Field::NextStep, next_step, MAX_NEXT_STEP_CHARS);
        let mut competitors: Vec<String> = Vec::new();
        for c in self
            .competitors
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            if c.chars().count() > MAX_COMPETITOR_CHARS {
                errors.push(
                    Field::Competitors,
                    FieldProblem::CompetitorTooLong {
                        max: MAX_COMPETITOR_CHARS,
                    },
                );
            } else if !competitors
                .iter()
                .any(|k| k.to_lowercase() == c.to_lowercase())
            {
                competitors.push(c.to_owned());
            }
        }
        if competitors.len() > MAX_COMPETITORS {
            errors.push(
                Field::Competitors,
                FieldProblem::TooManyCompetitors {
                    max: MAX_COMPETITORS,
                },
            );
        }
        errors.into_result(DealTerms {
            amount: self.amount,
            currency: self.currency,
            payment_terms,
            contract_status: self.contract_status,
            expected_close: self.expected_close,
            probability_override: self.probability_override,
            current_supplier: current_supplier.to_owned(),
            current_supplier_dismissed: self.current_supplier_dismissed,
            competitors,
            next_step: next_step.to_owned(),
            next_step_date: self.next_step_date,
        })
    }
}

pub const MAX_OPPORTUNITY_NAME_CHARS: usize = 200;

/// Checks an opportunity name: required, trimmed, at most 200 characters.
pub fn validate_opportunity_name(name: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(Field::Name, FieldProblem::Required);
    }
    check_length(&mut errors, Field::Name, name, MAX_OPPORTUNITY_NAME_CHARS);
    errors.into_result(name.to_owned())
}

/// A potential sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: OpportunityId,
    pub name: String,
    pub contact: ContactId,
    /// The lead it was converted from (none for repeat business).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<LeadId>,
    /// The customer account it belongs to: set when opened for an account
    /// or once won.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    #[serde(default)]
    pub status: OpportunityStatus,
    #[serde(default)]
    pub terms: DealTerms,
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

impl Opportunity {
    pub(crate) fn new(
        id: OpportunityId,
        name: String,
        contact: ContactId,
        currency: Currency,
        now: DateTime<Utc>,
    ) -> Opportunity {
        Opportunity {
            id,
            name,
            contact,
            lead: None,
            account: None,
            status: OpportunityStatus::NeedsAnalysis,
            terms: DealTerms::in_currency(currency),
            created_at: to_second(now),
            history: History::new(),
            stamps: Stamps::default(),
            derived: Derived::default(),
        }
    }

    pub fn stage(&self) -> Stage {
        self.status.stage()
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        self.history.last_at().unwrap_or(self.created_at)
    }

    /// Win probability in percent: 100 once won, 0 once lost, otherwise the
    /// override if set, else the stage default.
    pub fn probability(&self) -> u8 {
        let stage = self.stage();
        if stage.is_open() {
            self.terms
                .probability_override
                .map_or(stage.default_probability(), |p| p.min(100))
        } else {
            stage.default_probability()
        }
    }

    /// Amount × probability, rounded half away from zero to a minor unit.
    pub fn weighted_amount(&self) -> Option<Money> {
        self.terms.amount.map(|a| a.percent(self.probability()))
    }

    fn closed_error(&self) -> DomainError {
        DomainError::OpportunityClosed {
            stage: self.stage(),
        }
    }

    fn writable(&self) -> Result<(), DomainError> {
        if self.is_open() {
            Ok(())
        } else {
            Err(self.closed_error())
        }
    }

    /// Moves an open opportunity to another open stage. Returns whether it
    /// moved (moving to the stage it is in changes nothing).
    pub fn move_to(&mut self, stage: Stage, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.writable()?;
        let status = OpportunityStatus::open(stage).ok_or(DomainError::CloseWithMarkWonOrLost)?;
        let from = self.stage();
        if from == stage {
            return Ok(false);
        }
        self.status = status;
        self.history
            .record(now, Event::StageChanged { from, to: stage });
        Ok(true)
    }

    /// Closes as won on `today`. Needs an amount above zero.
    pub fn mark_won(&mut self, today: NaiveDate, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.writable()?;
        if !self.terms.amount.is_some_and(Money::is_positive) {
            return Err(DomainError::AmountRequired);
        }
        let from = self.stage();
        self.status = OpportunityStatus::Won { closed_on: today };
        self.history.record(now, Event::Won { from });
        Ok(())
    }

    /// Closes as lost on `today`, with a reason and an optional note.
    pub fn mark_lost(
        &mut self,
        reason: LostReason,
        note: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.writable()?;
        let note = note.trim();
        let mut errors = FieldErrors::new();
        check_length(&mut errors, Field::Note, note, super::lead::MAX_NOTE_CHARS);
        errors.into_result(())?;
        let from = self.stage();
        self.status = OpportunityStatus::Lost {
            reason,
            note: note.to_owned(),
            closed_on: today,
        };
        self.history.record(now, Event::Lost { from, reason });
        Ok(())
    }

    /// Reopens a won or lost opportunity; returns the stage it went back to.
    pub fn reopen(&mut self, now: DateTime<Utc>) -> Result<Stage, DomainError> {
        let fallback = match self.status {
            OpportunityStatus::Won { .. } => Stage::Contract,
            OpportunityStatus::Lost { .. } => Stage::NeedsAnalysis,
            _ => return Err(DomainError::OpportunityNotClosed),
        };
        let (stage, status) = self
            .history
            .stage_before_last_close()
            .and_then(|s| OpportunityStatus::open(s).map(|st| (s, st)))
            .unwrap_or((
                fallback,
                OpportunityStatus::open(fallback).unwrap_or_default(),
            ));
        self.status = status;
        self.history.record(now, Event::Reopened { to: stage });
        Ok(stage)
    }

    /// Replaces the terms of an open opportunity. Returns whether anything
    /// changed.
    pub fn set_terms(&mut self, terms: DealTerms, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.writable()?;
        let terms = terms.validate()?;
        let old = &self.terms;
        let mut fields = Vec::new();
        macro_rules! diff {
            ($f:ident, $field:expr) => {
                if old.$f != terms.$f {
                    fields.push($field);
                }
            };
        }
        diff!(amount, Field::Amount);
        diff!(currency, Field::Currency);
        diff!(payment_terms, Field::PaymentTerms);
        diff!(contract_status, Field::ContractStatus);
        diff!(expected_close, Field::ExpectedCloseDate);
        diff!(probability_override, Field::Probability);
        diff!(current_supplier, Field::CurrentSupplier);
        diff!(current_supplier_dismissed, Field::CurrentSupplierDismissed);
        diff!(competitors, Field::Competitors);
        diff!(next_step, Field::NextStep);
        diff!(next_step_date, Field::NextStepDate);
        if fields.is_empty() {
            return Ok(false);
        }
        self.terms = terms;
        self.history.record(now, Event::Updated { fields });
        Ok(true)
    }

    /// Renames an open opportunity. Returns whether the name changed.
    pub fn rename(&mut self, name: &str, now: DateTime<Utc>) -> Result<bool, DomainError> {
        self.writable()?;
        let name = validate_opportunity_name(name)?;
        if name == self.name {
            return Ok(false);
        }
        self.name = name;
        self.history.record(
            now,
            Event::Updated {
                fields: vec![Field::Name],
            },
        );
        Ok(true)
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

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn opp() -> Opportunity {
        Opportunity::new(
            OpportunityId(3),
            "Website".into(),
            ContactId(1),
            Currency::NOK,
            t(0),
        )
    }

    fn priced() -> Opportunity {
        let mut o = opp();
        let terms = DealTerms {
            amount: Some(Money::new(1_000_000, Currency::NOK)),
            ..o.terms.clone()
        };
        o.set_terms(terms, t(1)).unwrap();
        o
    }

    #[test]
    fn stages_have_labels_and_default_probabilities() {
        let probs: Vec<u8> = Stage::ALL.iter().map(|s| s.default_probability()).collect();
        assert_eq!(probs, vec![20, 40, 60, 80, 100, 0]);
        assert_eq!(Stage::NeedsAnalysis.label(), "Needs analysis");
        assert!(OPEN_STAGES.iter().all(|s| s.is_open()));
        assert!(!Stage::Won.is_open() && !Stage::Lost.is_open());
    }

    #[test]
    fn any_open_stage_to_any_other_forwards_or_backwards() {
        for from in OPEN_STAGES {
            for to in OPEN_STAGES {
                let mut o = opp();
                o.move_to(from, t(1)).unwrap();
                let n = o.history.len();
                let moved = o.move_to(to, t(2)).unwrap();
                assert_eq!(moved, from != to);
                assert_eq!(o.stage(), to);
                if moved {
                    assert_eq!(
                        o.history.entries()[n].event,
                        Event::StageChanged { from, to }
                    );
                } else {
                    assert_eq!(o.history.len(), n);
                }
            }
        }
    }

    #[test]
    fn closing_is_only_by_mark_won_or_lost() {
        let mut o = priced();
        for s in [Stage::Won, Stage::Lost] {
            assert_eq!(
                o.move_to(s, t(2)).unwrap_err(),
                DomainError::CloseWithMarkWonOrLost
            );
        }
        assert!(o.is_open());
    }

    #[test]
    fn won_needs_a_positive_amount() {
        let mut o = opp();
        assert_eq!(
            o.mark_won(day(1), t(1)).unwrap_err(),
            DomainError::AmountRequired
        );
        let mut zero = o.terms.clone();
        zero.amount = Some(Money::zero(Currency::NOK));
        o.set_terms(zero, t(1)).unwrap();
        assert_eq!(
            o.mark_won(day(1), t(2)).unwrap_err(),
            DomainError::AmountRequired
        );
        let mut o = priced();
        o.move_to(Stage::Negotiation, t(2)).unwrap();
        o.mark_won(day(5), t(3)).unwrap();
        assert_eq!(o.status, OpportunityStatus::Won { closed_on: day(5) });
        assert_eq!(o.probability(), 100);
        assert_eq!(o.history.reached_stage(Stage::Won), Some(t(3)));
    }

    #[test]
    fn closed_opportunities_are_read_only_until_reopened() {
        let mut won = priced();
        won.mark_won(day(1), t(2)).unwrap();
        let mut lost = priced();
        lost.mark_lost(LostReason::Price, "too dear", day(1), t(2))
            .unwrap();
        for o in [&mut won, &mut lost] {
            let before = o.clone();
            assert!(o.move_to(Stage::Proposal, t(3)).is_err());
            assert!(o.mark_won(day(2), t(3)).is_err());
            assert!(o.mark_lost(LostReason::Other, "", day(2), t(3)).is_err());
            assert!(o.set_terms(DealTerms::default(), t(3)).is_err());
            assert!(o.rename("x", t(3)).is_err());
            assert_eq!(*o, before);
        }
        assert_eq!(
            won.move_to(Stage::Proposal, t(3)).unwrap_err().to_string(),
            "This opportunity is Won: reopen it before changing it"
        );
    }

    #[test]
    fn reopen_returns_to_the_stage_it_was_closed_from() {
        let mut o = priced();
        o.move_to(Stage::Proposal, t(2)).unwrap();
        o.mark_lost(LostReason::Timing, "", day(1), t(3)).unwrap();
        assert_eq!(o.probability(), 0);
        assert_eq!(o.reopen(t(4)).unwrap(), Stage::Proposal);
        assert_eq!(o.status, OpportunityStatus::Proposal);
        o.move_to(Stage::Contract, t(5)).unwrap();
        o.mark_won(day(2), t(6)).unwrap();
        assert_eq!(o.reopen(t(7)).unwrap(), Stage::Contract);
        assert_eq!(
            o.reopen(t(8)).unwrap_err(),
            DomainError::OpportunityNotClosed
        );
    }

    #[test]
    fn reopen_without_history_uses_documented_fallbacks() {
        let mut o = opp();
        o.status = OpportunityStatus::Won { closed_on: day(1) };
        assert_eq!(o.reopen(t(1)).unwrap(), Stage::Contract);
        let mut o = opp();
        o.status = OpportunityStatus::Lost {
            reason: LostReason::Price,
            note: String::new(),
            closed_on: day(1),
        };
        assert_eq!(o.reopen(t(1)).unwrap(), Stage::NeedsAnalysis);
    }

    #[test]
    fn probability_and_weighted_amount() {
        let mut o = priced();
        assert_eq!(o.probability(), 20);
        assert_eq!(
            o.weighted_amount(),
            Some(Money::new(200_000, Currency::NOK))
        );
        o.move_to(Stage::Contract, t(2)).unwrap();
        assert_eq!(o.probability(), 80);
        let mut terms = o.terms.clone();
        terms.probability_override = Some(35);
        o.set_terms(terms.clone(), t(3)).unwrap();
        assert_eq!(o.probability(), 35);
        terms.probability_override = Some(101);
        let e = o.set_terms(terms, t(4)).unwrap_err();
        assert!(e
            .to_string()
            .contains("Probability must be a whole number from 0 to 100 (got 101)"));
        assert_eq!(o.probability(), 35);
        o.mark_lost(LostReason::Price, "", day(3), t(5)).unwrap();
        assert_eq!(o.weighted_amount(), Some(Money::zero(Currency::NOK)));
        assert_eq!(opp().weighted_amount(), None);
    }

    #[test]
    fn terms_are_validated_per_field() {
        let bad = DealTerms {
            amount: Some(Money::new(100, Currency::EUR)),
            currency: Currency::NOK,
            payment_terms: Some(PaymentTerms::Custom("  ".into())),
            current_supplier: "s".repeat(201),
            next_step: "n".repeat(501),
            competitors: vec!["c".repeat(201)],
            ..DealTerms::default()
        };
        let e = bad.validate().unwrap_err();
        for f in [
            Field::Amount,
            Field::PaymentTerms,
            Field::CurrentSupplier,
            Field::NextStep,
            Field::Competitors,
        ] {
            assert!(e.get(f).is_some(), "{f:?}");
        }
        let neg = DealTerms {
            amount: Some(Money::new(-1, Currency::NOK)),
            ..DealTerms::default()
        };
        assert_eq!(
            neg.validate()
                .unwrap_err()
                .message(Field::Amount)
                .as_deref(),
            Some("An amount cannot be negative")
        );
        let ok = DealTerms {
            competitors: vec![" Acme ".into(), "acme".into(), "".into(), "Initech".into()],
            ..DealTerms::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            ok.competitors,
            vec!["Acme".to_owned(), "Initech".to_owned()]
        );
    }

    #[test]
    fn lost_reason_must_be_chosen() {
        assert_eq!(
            LostReason::from_choice("chose_competitor"),
            Ok(LostReason::ChoseCompetitor)
        );
        for r in LostReason::ALL {
            assert_eq!(LostReason::from_choice(r.name()), Ok(r));
        }
        for nothing in ["", "  ", "Bad luck"] {
            assert_eq!(
                LostReason::from_choice(nothing)
                    .unwrap_err()
                    .message(Field::LostReason)
                    .as_deref(),
                Some("Choose why the deal was lost")
            );
        }
    }

    #[test]
    fn stored_form_is_compact_and_tagged_by_stage() {
        let mut o = priced();
        o.mark_lost(LostReason::Price, "", day(9), t(2)).unwrap();
        use crate::domain::stored::{from_json, to_json};
        let json = to_json(&o);
        assert!(
            json.contains(r#""status":{"lost":{"reason":"price","closed_on":"2025-03-09"}}"#),
            "{json}"
        );
        assert!(
            json.contains(
                r#""terms":{"amount":{"minor":1000000,"currency":"NOK"},"currency":"NOK"}"#
            ),
            "{json}"
        );
        let back: Opportunity = from_json(&json).unwrap();
        assert_eq!(back, o);
        assert_eq!(to_json(&PaymentTerms::Net15), "\"net_15\"");
    }
}
