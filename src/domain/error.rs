//! What can go wrong, in words a user can read.
//!
//! [`DomainError`] is the refusal of a command: its `Display` text is meant to
//! be shown as is. [`FieldErrors`] is the refusal of a form: a list of
//! (field, message) so each message can sit under the field it is about.

use super::money::{Currency, MoneyError};
use super::vocabulary::{Criterion, LeadStatusKind, Stage};
use std::fmt;

/// The kinds of record, for messages and links.
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
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    #[default]
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
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum DomainError {
    #[error("There is no {} with number {id} (it may have been deleted)", kind.noun())]
    NotFound { kind: RecordKind, id: u64 },

    #[error("Need, Budget and Timeline must all be checked before a lead can be qualified (missing: {})", criteria(missing))]
    GateNotMet { missing: Vec<Criterion> },

    #[error("A lead that is {} cannot be {}", status.label(), action.past())]
    LeadStatus {
        status: LeadStatusKind,
        action: LeadAction,
    },

    #[error("This lead was converted to an opportunity and can no longer be changed")]
    LeadConverted,

    #[error("Only a qualified lead can be converted to an opportunity (this lead is {})", status.label())]
    NotQualified { status: LeadStatusKind },

    #[error("{contact} already has an active lead: work on that one, or disqualify it first")]
    LeadExists { contact: String },

    #[error("This opportunity is {}: reopen it before changing it", stage.label())]
    OpportunityClosed { stage: Stage },

    #[error("Use Mark won or Mark lost to close an opportunity")]
    CloseWithMarkWonOrLost,

    #[error("This opportunity is still open: only a won or lost opportunity can be reopened")]
    OpportunityNotClosed,

    #[error("An opportunity needs an amount above zero before it can be marked won")]
    AmountRequired,

    #[error("Probability must be a whole number from 0 to 100 (got {0})")]
    ProbabilityOutOfRange(u32),

    #[error("{contact} cannot be deleted: {reason}")]
    ContactInUse { contact: String, reason: InUse },

    #[error("{contact} cannot join “{account}”: they are already on the customer “{other}”")]
    OnOtherAccount {
        contact: String,
        account: String,
        other: String,
    },

    #[error("{contact} is not one of the contacts of “{account}”")]
    NotAccountContact { contact: String, account: String },

    #[error("There is no source “{0}”")]
    NoSuchSource(String),

    /// The app's state went away under a command (the page is closing).
    #[error("The page's state is no longer available; reload the page")]
    Gone,

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

    #[error("Sample data can only be added to an empty pipeline.")]
    SampleNeedsEmpty,

    #[error("There is no sample data to remove.")]
    NoSample,

    /// Record numbers are handed out once each; a pipeline whose next number
    /// is the largest there is can take no new record.
    #[error("This pipeline has used up its record numbers, so nothing new can be added; nothing was changed")]
    NumbersUsedUp,

    #[error("The data is inconsistent: {0}")]
    Integrity(Inconsistency),
}

fn criteria(list: &[Criterion]) -> String {
    let names: Vec<&str> = list.iter().map(|c| c.label()).collect();
    names.join(", ")
}

crate::named::named_values! {
    /// What was asked of a lead, for [`DomainError::LeadStatus`].
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum LeadAction {
        #[default]
        MarkContacted = "mark_contacted",
        Qualify = "qualify",
        Disqualify = "disqualify",
        Reopen = "reopen",
    }
}

impl LeadAction {
    /// "A lead that is New cannot be {…}".
    fn past(self) -> &'static str {
        match self {
            LeadAction::MarkContacted => "marked as contacted",
            LeadAction::Qualify => "qualified",
            LeadAction::Disqualify => "disqualified",
            LeadAction::Reopen => "reopened",
        }
    }
}

/// Why a contact cannot be deleted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum InUse {
    #[error("the won deal “{0}” is theirs")]
    WonDeal(String),
    #[error("they have the open opportunity “{0}” (mark it won or lost first)")]
    OpenOpportunity(String),
    #[error("they are the main contact of the customer “{0}”")]
    MainContact(String),
}

/// A pipeline whose records do not hold together: what [`check_integrity`]
/// found, naming the record.
///
/// [`check_integrity`]: super::Pipeline::check_integrity
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumIter, Default))]
pub enum Inconsistency {
    #[error("{} {id} appears twice", kind.noun())]
    Repeated { kind: RecordKind, id: u64 },
    #[error("number {0} is used by two records")]
    NumberTwice(u64),
    #[error("record {id} is numbered at or above the next number {next}")]
    NumberTooHigh { id: u64, next: u64 },
    #[error("the next record number is 0")]
    #[cfg_attr(test, default)]
    NextNumberZero,
    #[error("the custom source “{0}” is blank or untrimmed")]
    BlankSource(String),
    #[error("the source “{0}” is listed twice")]
    SourceTwice(String),
    #[error("contact {contact} has the source “{name}”, which is not in the list of sources")]
    UnlistedSource { contact: u64, name: String },
    #[error("{} {id} points at {} {target}, which does not exist", kind.noun(), target_kind.noun())]
    Missing {
        kind: RecordKind,
        id: u64,
        target_kind: RecordKind,
        target: u64,
    },
    #[error("{} {id} points at {} {target}, which does not point back", kind.noun(), target_kind.noun())]
    NoPointBack {
        kind: RecordKind,
        id: u64,
        target_kind: RecordKind,
        target: u64,
    },
    #[error("contact {contact} has two active leads ({first} and {second})")]
    TwoActiveLeads {
        contact: u64,
        first: u64,
        second: u64,
    },
    #[error("opportunity {opportunity} has invalid terms: {errors}")]
    InvalidTerms {
        opportunity: u64,
        errors: FieldErrors,
    },
    #[error("opportunity {0} is won without an amount")]
    WonWithoutAmount(u64),
    #[error("won opportunity {0} is not among its account's won deals")]
    WonNotListed(u64),
    #[error("account {0}'s main contact is not among its contacts")]
    MainContactMissing(u64),
    #[error("account {account} lists contact {contact}, which does not exist or is listed twice")]
    AccountContact { account: u64, contact: u64 },
    #[error("account {account} lists won deal {deal}, which is not a won deal of this account")]
    AccountDeal { account: u64, deal: u64 },
}

// The error types' tests walk every variant (EnumIter), which needs a value
// for each field.
#[cfg(test)]
impl Default for InUse {
    fn default() -> Self {
        InUse::WonDeal(String::new())
    }
}

impl From<Inconsistency> for DomainError {
    fn from(problem: Inconsistency) -> Self {
        DomainError::Integrity(problem)
    }
}

impl From<FieldErrors> for DomainError {
    fn from(errors: FieldErrors) -> Self {
        DomainError::Invalid(errors)
    }
}

crate::named::named_values! {
    /// A form field, named by the label the user sees (see DESIGN.md chapter 2).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Field {
        Name = "name",
        Type = "type",
        Organisation = "organisation",
        Title = "title",
        Email = "email",
        Phone = "phone",
        Website = "website",
        Source = "source",
        Notes = "notes",
        Tags = "tags",
        BuyingRole = "buying_role",
        Interest = "interest",
        TimelineDate = "timeline_date",
        Reason = "reason",
        Note = "note",
        Stage = "stage",
        Amount = "amount",
        Currency = "currency",
        PaymentTerms = "payment_terms",
        ContractStatus = "contract_status",
        ExpectedCloseDate = "expected_close_date",
        Probability = "probability",
        CurrentSupplier = "current_supplier",
        CurrentSupplierDismissed = "current_supplier_dismissed",
        Competitors = "competitors",
        NextStep = "next_step",
        NextStepDate = "next_step_date",
        LostReason = "lost_reason",
        DeviceName = "device_name",
    }
}

impl Field {
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
            Field::DeviceName => "Device name",
        }
    }
}

/// Why a form field was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum FieldProblem {
    /// Left empty, but needed.
    Required,
    /// Longer than the field takes.
    TooLong { max: usize, found: usize },
    /// Not an email address.
    Email,
    /// A phone number with other characters than digits, spaces and + - ( ) .
    PhoneCharacters,
    /// A phone number too short, too long or without digits.
    PhoneLength,
    /// Not an http or https address.
    Website,
    /// One tag longer than a tag may be.
    TagTooLong { max: usize },
    /// More tags than a contact may have.
    TooManyTags { max: usize },
    /// One competitor's name longer than it may be.
    CompetitorTooLong { max: usize },
    /// More competitors than a deal may list.
    TooManyCompetitors { max: usize },
    /// No lost reason chosen.
    ChooseLostReason,
    /// Custom payment terms left empty.
    DescribePaymentTerms,
    /// An empty note.
    WriteNote,
    /// A date that is not YYYY-MM-DD from 1900 to 9999.
    Date,
    /// A probability that is not a whole number.
    ProbabilityNotWhole,
    /// A probability over 100.
    ProbabilityOutOfRange(u32),
    /// An amount in another currency than the deal's.
    OtherCurrency { amount: Currency, deal: Currency },
    /// An amount that could not be read.
    Amount(MoneyError),
    /// A closed stage chosen in a form: closing is by Mark won or Mark lost.
    CloseWithMarkWonOrLost,
}

/// A stand-in for tests that walk every variant of an error holding one.
#[cfg(test)]
impl Default for ValidationError {
    fn default() -> Self {
        ValidationError {
            field: Field::Name,
            problem: FieldProblem::TooLong {
                max: 200,
                found: 201,
            },
        }
    }
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    pub field: Field,
    pub problem: FieldProblem,
}

/// In English, for logs and tests; the screens put it in words through
/// `ui::errors`.
impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.field.label();
        match &self.problem {
            FieldProblem::Required if self.field == Field::Source => {
                f.write_str("Source name is required")
            }
            FieldProblem::Required => write!(f, "{label} is required"),
            FieldProblem::TooLong { max, found } => write!(
                f,
                "{label} can be at most {max} characters (this one has {found})"
            ),
            FieldProblem::Email => f.write_str("Email must look like name@example.com"),
            FieldProblem::Date => {
                write!(
                    f,
                    "{label} must be a date from 1900 to 9999, written YYYY-MM-DD"
                )
            }
            FieldProblem::PhoneCharacters => {
                f.write_str("Phone can only contain digits, spaces and + - ( ) ., and an extension such as ext. 12")
            }
            FieldProblem::PhoneLength => {
                f.write_str("Phone must be 3 to 40 characters with digits")
            }
            FieldProblem::Website => {
                f.write_str("Website must be a web address starting with http:// or https://")
            }
            FieldProblem::TagTooLong { max } => {
                write!(f, "A tag can be at most {max} characters")
            }
            FieldProblem::TooManyTags { max } => {
                write!(f, "A contact can have at most {max} tags")
            }
            FieldProblem::CompetitorTooLong { max } => {
                write!(f, "A competitor's name can be at most {max} characters")
            }
            FieldProblem::TooManyCompetitors { max } => {
                write!(f, "List at most {max} competitors")
            }
            FieldProblem::ChooseLostReason => f.write_str("Choose why the deal was lost"),
            FieldProblem::DescribePaymentTerms => f.write_str("Describe the payment terms"),
            FieldProblem::WriteNote => f.write_str("Write a note first"),
            FieldProblem::ProbabilityNotWhole => {
                f.write_str("Probability must be a whole number from 0 to 100")
            }
            FieldProblem::ProbabilityOutOfRange(n) => {
                write!(f, "{}", DomainError::ProbabilityOutOfRange(*n))
            }
            FieldProblem::OtherCurrency { amount, deal } => {
                write!(f, "The amount is in {amount}, but the deal is in {deal}")
            }
            FieldProblem::Amount(e) => write!(f, "{e}"),
            FieldProblem::CloseWithMarkWonOrLost => {
                write!(f, "{}", DomainError::CloseWithMarkWonOrLost)
            }
        }
    }
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
    pub fn push(&mut self, field: Field, problem: FieldProblem) {
        if self.get(field).is_none() {
            self.0.push(ValidationError { field, problem });
        }
    }

    /// Adds every problem of `other` (keeping the first per field).
    pub fn extend(&mut self, other: &FieldErrors) {
        for e in other.iter() {
            self.push(e.field, e.problem.clone());
        }
    }

    /// Forgets the problem with `field` (it was put right).
    pub fn remove(&mut self, field: Field) {
        self.0.retain(|e| e.field != field);
    }

    /// The problem to show under `field`, if any.
    pub fn get(&self, field: Field) -> Option<&FieldProblem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    /// The problem with `field` in English (for logs and tests).
    pub fn message(&self, field: Field) -> Option<String> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(ValidationError::to_string)
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
            write!(f, "{e}")?;
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
        errors.push(Field::Name, FieldProblem::Required);
        errors.push(Field::Name, FieldProblem::TooLong { max: 1, found: 2 });
        errors.push(Field::Email, FieldProblem::Email);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors.get(Field::Name), Some(&FieldProblem::Required));
        assert_eq!(
            errors.message(Field::Name).as_deref(),
            Some("Name is required")
        );
        assert_eq!(errors.get(Field::Phone), None);
        assert_eq!(
            DomainError::from(errors).to_string(),
            "Please correct the form: Name is required; Email must look like name@example.com"
        );
    }

    #[test]
    fn gate_message_names_what_is_missing() {
        let e = DomainError::GateNotMet {
            missing: vec![Criterion::Budget],
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
