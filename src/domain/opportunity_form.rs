//! The opportunity form as typed: deal terms with amounts and dates as
//! text, checked into [`DealTerms`] all at once or a field at a time.

use super::error::{Field, FieldErrors, FieldProblem};
use super::money::{format_amount, parse_amount, Currency, NumberLocale};
use super::opportunity::{
    validate_opportunity_name, ContractStatus, DealTerms, Opportunity, PaymentTerms, Stage,
};
use super::time::{date_field, date_text};

/// The deal terms form as typed: amount and probability as text,
/// competitors comma-separated. Empty probability means "stage default".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DealTermsDraft {
    pub amount: String,
    pub currency: Currency,
    pub payment_terms: Option<PaymentTerms>,
    pub contract_status: ContractStatus,
    /// As typed (YYYY-MM-DD), empty for none.
    pub expected_close: String,
    pub probability: String,
    pub current_supplier: String,
    pub current_supplier_dismissed: bool,
    pub competitors: String,
    pub next_step: String,
    pub next_step_date: String,
}

impl DealTermsDraft {
    pub fn from_terms(t: &DealTerms, locale: NumberLocale) -> DealTermsDraft {
        DealTermsDraft {
            amount: t
                .amount
                .map(|m| format_amount(m, locale))
                .unwrap_or_default(),
            currency: t.currency,
            payment_terms: t.payment_terms.clone(),
            contract_status: t.contract_status,
            expected_close: date_text(t.expected_close),
            probability: t
                .probability_override
                .map(|p| p.to_string())
                .unwrap_or_default(),
            current_supplier: t.current_supplier.clone(),
            current_supplier_dismissed: t.current_supplier_dismissed,
            competitors: t.competitors.join(", "),
            next_step: t.next_step.clone(),
            next_step_date: date_text(t.next_step_date),
        }
    }

    /// Parses and checks the form; all problems at once, per field.
    pub fn validate(&self, locale: NumberLocale) -> Result<DealTerms, FieldErrors> {
        let mut errors = FieldErrors::new();
        let amount = if self.amount.trim().is_empty() {
            None
        } else {
            match parse_amount(&self.amount, self.currency, locale) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(Field::Amount, FieldProblem::Amount(e));
                    None
                }
            }
        };
        let p = self.probability.trim().trim_end_matches('%').trim_end();
        let probability_override = if p.is_empty() {
            None
        } else {
            match p.parse::<u32>() {
                Ok(n) if n <= 100 => u8::try_from(n).ok(),
                Ok(n) => {
                    errors.push(Field::Probability, FieldProblem::ProbabilityOutOfRange(n));
                    None
                }
                Err(_) => {
                    errors.push(Field::Probability, FieldProblem::ProbabilityNotWhole);
                    None
                }
            }
        };
        let terms = DealTerms {
            amount,
            currency: self.currency,
            payment_terms: self.payment_terms.clone(),
            contract_status: self.contract_status,
            expected_close: date_field(&mut errors, Field::ExpectedCloseDate, &self.expected_close),
            probability_override,
            current_supplier: self.current_supplier.clone(),
            current_supplier_dismissed: self.current_supplier_dismissed,
            competitors: self.competitors.split(',').map(str::to_owned).collect(),
            next_step: self.next_step.clone(),
            next_step_date: date_field(&mut errors, Field::NextStepDate, &self.next_step_date),
        };
        match terms.validate() {
            Ok(t) => errors.into_result(t),
            Err(more) => {
                errors.extend(&more);
                Err(errors)
            }
        }
    }
}

/// The opportunity form as typed: its name, the stage chosen and the deal
/// terms (see [`DealTermsDraft`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpportunityDraft {
    pub name: String,
    pub stage: Stage,
    pub terms: DealTermsDraft,
}

impl OpportunityDraft {
    /// The fields of the form, in the order they are shown.
    pub const FIELDS: [Field; 13] = [
        Field::Name,
        Field::Stage,
        Field::Amount,
        Field::Currency,
        Field::PaymentTerms,
        Field::ContractStatus,
        Field::ExpectedCloseDate,
        Field::Probability,
        Field::CurrentSupplier,
        Field::CurrentSupplierDismissed,
        Field::Competitors,
        Field::NextStep,
        Field::NextStepDate,
    ];

    /// This draft with one field as `other` has it: a form saved a field
    /// at a time takes each change on its own, so one refused field never
    /// holds back another.
    pub fn with_field(&self, other: &OpportunityDraft, field: Field) -> OpportunityDraft {
        let mut out = self.clone();
        let (to, from) = (&mut out.terms, &other.terms);
        match field {
            Field::Name => out.name.clone_from(&other.name),
            Field::Stage => out.stage = other.stage,
            Field::Amount => to.amount.clone_from(&from.amount),
            Field::Currency => to.currency = from.currency,
            Field::PaymentTerms => to.payment_terms.clone_from(&from.payment_terms),
            Field::ContractStatus => to.contract_status = from.contract_status,
            Field::ExpectedCloseDate => to.expected_close.clone_from(&from.expected_close),
            Field::Probability => to.probability.clone_from(&from.probability),
            Field::CurrentSupplier => to.current_supplier.clone_from(&from.current_supplier),
            Field::CurrentSupplierDismissed => {
                to.current_supplier_dismissed = from.current_supplier_dismissed
            }
            Field::Competitors => to.competitors.clone_from(&from.competitors),
            Field::NextStep => to.next_step.clone_from(&from.next_step),
            Field::NextStepDate => to.next_step_date.clone_from(&from.next_step_date),
            _ => {}
        }
        out
    }
}

/// A checked opportunity form, ready for
/// [`Pipeline::edit_opportunity`](super::pipeline::Pipeline::edit_opportunity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpportunityEdit {
    pub name: String,
    pub stage: Stage,
    pub terms: DealTerms,
}

impl OpportunityDraft {
    /// The form filled with the opportunity as it stands.
    pub fn of(o: &Opportunity, locale: NumberLocale) -> OpportunityDraft {
        OpportunityDraft {
            name: o.name.clone(),
            stage: o.stage(),
            terms: DealTermsDraft::from_terms(&o.terms, locale),
        }
    }

    /// Parses and checks the whole form; every problem at once, per field.
    /// The stage must be an open one: closing is by Mark won or Mark lost.
    pub fn validate(&self, locale: NumberLocale) -> Result<OpportunityEdit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = validate_opportunity_name(&self.name).unwrap_or_else(|e| {
            errors.extend(&e);
            String::new()
        });
        if !self.stage.is_open() {
            errors.push(Field::Stage, FieldProblem::CloseWithMarkWonOrLost);
        }
        let terms = self.terms.validate(locale).unwrap_or_else(|e| {
            errors.extend(&e);
            DealTerms::default()
        });
        errors.into_result(OpportunityEdit {
            name,
            stage: self.stage,
            terms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ContactId, OpportunityId};
    use crate::domain::money::Money;
    use chrono::{DateTime, TimeZone, Utc};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn priced() -> Opportunity {
        let mut o = Opportunity::new(
            OpportunityId(3),
            "Website".into(),
            ContactId(1),
            Currency::NOK,
            t(0),
        );
        let terms = DealTerms {
            amount: Some(Money::new(1_000_000, Currency::NOK)),
            ..o.terms.clone()
        };
        o.set_terms(terms, t(1)).unwrap();
        o
    }

    #[test]
    fn terms_draft_parses_text() {
        let d = DealTermsDraft {
            amount: "12 500,50".into(),
            currency: Currency::NOK,
            probability: "45 %".into(),
            competitors: "Acme, Initech".into(),
            ..DealTermsDraft::default()
        };
        let t = d.validate(NumberLocale::Norwegian).unwrap();
        assert_eq!(t.amount, Some(Money::new(1_250_050, Currency::NOK)));
        assert_eq!(t.probability_override, Some(45));
        assert_eq!(t.competitors.len(), 2);
        let back = DealTermsDraft::from_terms(&t, NumberLocale::Norwegian);
        assert_eq!(back.validate(NumberLocale::Norwegian).unwrap(), t);

        let bad = DealTermsDraft {
            amount: "12,5,0".into(),
            probability: "120".into(),
            ..DealTermsDraft::default()
        };
        let e = bad.validate(NumberLocale::Norwegian).unwrap_err();
        assert_eq!(
            e.message(Field::Amount).as_deref(),
            Some("“12,5,0” is not an amount: use digits with at most one decimal mark")
        );
        assert_eq!(
            e.message(Field::Probability).as_deref(),
            Some("Probability must be a whole number from 0 to 100 (got 120)")
        );
        let e = DealTermsDraft {
            probability: "lots".into(),
            ..DealTermsDraft::default()
        }
        .validate(NumberLocale::English)
        .unwrap_err();
        assert!(e.get(Field::Probability).is_some());
    }

    #[test]
    fn a_draft_takes_each_form_field_on_its_own() {
        let saved = OpportunityDraft::of(&priced(), NumberLocale::English);
        let typed = OpportunityDraft {
            name: "Web shop".into(),
            stage: Stage::Proposal,
            terms: DealTermsDraft {
                amount: "5".into(),
                currency: Currency::EUR,
                payment_terms: Some(PaymentTerms::Custom("On delivery".into())),
                contract_status: ContractStatus::Sent,
                expected_close: "2026-01-31".into(),
                probability: "55".into(),
                current_supplier: "Acme".into(),
                current_supplier_dismissed: true,
                competitors: "Initech".into(),
                next_step: "Call".into(),
                next_step_date: "2026-01-02".into(),
            },
        };
        let mut all = saved.clone();
        for field in OpportunityDraft::FIELDS {
            let one = saved.with_field(&typed, field);
            assert_ne!(one, saved, "{field:?} is taken");
            assert_eq!(one.with_field(&saved, field), saved, "{field:?} alone");
            all = all.with_field(&typed, field);
        }
        assert_eq!(all, typed, "every field of the form is one of FIELDS");
    }

    #[test]
    fn opportunity_draft_checks_name_stage_and_terms_together() {
        let mut o = priced();
        o.terms.probability_override = Some(35);
        let draft = OpportunityDraft::of(&o, NumberLocale::English);
        assert_eq!(draft.name, "Website");
        assert_eq!(draft.stage, Stage::NeedsAnalysis);
        assert_eq!(draft.terms.amount, "10,000.00");
        assert_eq!(draft.terms.probability, "35");
        let edit = draft.validate(NumberLocale::English).unwrap();
        assert_eq!(edit.name, "Website");
        assert_eq!(edit.terms, o.terms);

        let typed = OpportunityDraft {
            name: "  Web shop ".into(),
            stage: Stage::Proposal,
            terms: DealTermsDraft {
                amount: "12,500.50".into(),
                probability: String::new(),
                ..draft.terms.clone()
            },
        };
        let edit = typed.validate(NumberLocale::English).unwrap();
        assert_eq!(edit.name, "Web shop");
        assert_eq!(edit.stage, Stage::Proposal);
        assert_eq!(
            edit.terms.amount,
            Some(Money::new(1_250_050, Currency::NOK))
        );
        assert_eq!(edit.terms.probability_override, None);

        let bad = OpportunityDraft {
            name: " ".into(),
            stage: Stage::Won,
            terms: DealTermsDraft {
                amount: "12 500,50".into(),
                probability: "150".into(),
                ..DealTermsDraft::default()
            },
        };
        let e = bad.validate(NumberLocale::English).unwrap_err();
        assert_eq!(e.message(Field::Name).as_deref(), Some("Name is required"));
        assert_eq!(
            e.message(Field::Stage).as_deref(),
            Some("Use Mark won or Mark lost to close an opportunity")
        );
        assert_eq!(
            e.message(Field::Amount).as_deref(),
            Some("“12 500,50” is not an amount: a comma separates thousands in groups of three (write 12,500.50 or 12500.5)")
        );
        assert!(e.get(Field::Probability).is_some());
    }
}
