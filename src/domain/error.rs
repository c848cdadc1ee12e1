//! What can go wrong, in words a user can read.
//!
//! [`DomainError`] is the refusal of a command: its `Display` text is meant to
//! be shown as is. [`FieldErrors`] is the refusal of a form: a list of
//! (field, message) so each message can sit under the field it is about.

use super::money::MoneyError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of record, for messages and links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Contact,
    Lead,
    Opportunity,
    Account,
}

impl RecordKind {
    /// Lower-case English noun, for use inside a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Contact => "contact",
            RecordKind::Lead => "lead",
            RecordKind::Opportunity => "opportunity",
            RecordKind::Account => "account",
        }
    }
}

/// A command the pipeline refused. The text is for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("There is no {} with number {id} (it may have been deleted)", kind.noun())]
    NotFound { kind: RecordKind, id: u64 },

    #[error("Need, Budget and Timeline must all be checked before a lead can be qualified (missing: {missing})")]
    GateNotMet { missing: String },

    #[error("A lead that is {status} cannot be {action}")]
    LeadStatus {
        status: &'static str,
        action: &'static str,
    },

    #[error("This lead was converted to an opportunity and can no longer be changed")]
    LeadConverted,

    #[error("Only a qualified lead can be converted to an opportunity (this lead is {status})")]
    NotQualified { status: &'static str },

    #[error("{contact} already has an active lead: work on that one, or disqualify it first")]
    LeadExists { contact: String },

    #[error("This opportunity is {status}: reopen it before changing it")]
    OpportunityClosed { status: &'static str },

    #[error("Use Mark won or Mark lost to close an opportunity")]
    CloseWithMarkWonOrLost,

    #[error("This opportunity is still open: only a won or lost opportunity can be reopened")]
    OpportunityNotClosed,

    #[error("An opportunity needs an amount above zero before it can be marked won")]
    AmountRequired,

    #[error("Probability must be a whole number from 0 to 100 (got {0})")]
    ProbabilityOutOfRange(u32),

    #[error("{contact} cannot be deleted: {reason}")]
    ContactInUse { contact: String, reason: String },

    #[error("The source “{0}” already exists")]
    SourceExists(String),

    #[error("The source “{name}” cannot be removed: {count} contact(s) use it")]
    SourceInUse { name: String, count: usize },

    #[error("Please correct the form: {0}")]
    Invalid(FieldErrors),

    #[error("{0}")]
    Money(#[from] MoneyError),

    #[error("There is nothing to undo")]
    NothingToUndo,

    #[error("The data is inconsistent: {0}")]
    Integrity(String),
}

impl From<FieldErrors> for DomainError {
    fn from(errors: FieldErrors) -> Self {
        DomainError::Invalid(errors)
    }
}

/// A form field, named by the label the user sees (see DESIGN.md chapter 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Type,
    Organisation,
    Title,
    Email,
    Phone,
    Website,
    Source,
    Notes,
    Tags,
    BuyingRole,
    Interest,
    TimelineDate,
    Reason,
    Note,
    Stage,
    Amount,
    Currency,
    PaymentTerms,
    ContractStatus,
    ExpectedCloseDate,
    Probability,
    CurrentSupplier,
    CurrentSupplierDismissed,
    Competitors,
    NextStep,
    NextStepDate,
    LostReason,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 28] = [
        Field::Name,
        Field::Type,
        Field::Organisation,
        Field::Title,
        Field::Email,
        Field::Phone,
        Field::Website,
        Field::Source,
        Field::Notes,
        Field::Tags,
        Field::BuyingRole,
        Field::Interest,
        Field::TimelineDate,
        Field::Reason,
        Field::Note,
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
        Field::LostReason,
    ];

    /// The form label in English, exactly as on screen.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Type => "Type",
            Field::Organisation => "Organisation",
            Field::Title => "Title",
            Field::Email => "Email",
            Field::Phone => "Phone",
            Field::Website => "Website",
            Field::Source => "Source",
            Field::Notes => "Notes",
            Field::Tags => "Tags",
            Field::BuyingRole => "Buying role",
            Field::Interest => "Interest",
            Field::TimelineDate => "Timeline",
            Field::Reason => "Reason",
            Field::Note => "Note",
            Field::Stage => "Stage",
            Field::Amount => "Amount",
            Field::Currency => "Currency",
            Field::PaymentTerms => "Payment terms",
            Field::ContractStatus => "Contract status",
            Field::ExpectedCloseDate => "Expected close date",
            Field::Probability => "Probability",
            Field::CurrentSupplier => "Current supplier",
            Field::CurrentSupplierDismissed => "Current supplier dismissed",
            Field::Competitors => "Competitors",
            Field::NextStep => "Next step",
            Field::NextStepDate => "Next step date",
            Field::LostReason => "Lost reason",
        }
    }
}

/// One message about one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    pub field: Field,
    pub message: String,
}

/// All the problems found in a form, in field order, at most one per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<ValidationError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message; a second message for the same field is dropped so the
    /// form shows the first (most basic) problem.
    pub fn push(&mut self, field: Field, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push(ValidationError {
                field,
                message: message.into(),
            });
        }
    }

    /// The message to show under `field`, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ValidationError> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was pushed, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_first_message_per_field_and_join_for_display() {
        let mut errors = FieldErrors::new();
        errors.push(Field::Name, "Name is required");
        errors.push(Field::Name, "second message is dropped");
        errors.push(Field::Email, "Email must look like name@example.com");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors.get(Field::Name), Some("Name is required"));
        assert_eq!(errors.get(Field::Phone), None);
        assert_eq!(
            DomainError::from(errors).to_string(),
            "Please correct the form: Name is required; Email must look like name@example.com"
        );
    }

    #[test]
    fn gate_message_names_what_is_missing() {
        let e = DomainError::GateNotMet {
            missing: "Budget".into(),
        };
        assert_eq!(
            e.to_string(),
            "Need, Budget and Timeline must all be checked before a lead can be qualified (missing: Budget)"
        );
    }

    #[test]
    fn labels_match_the_screens() {
        assert_eq!(Field::ExpectedCloseDate.label(), "Expected close date");
        assert_eq!(Field::BuyingRole.label(), "Buying role");
    }
}
