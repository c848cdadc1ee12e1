//! The pipeline as plain Rust types and pure functions. No browser imports.
//!
//! contact -> lead -> opportunity -> account, as specified in DESIGN.md
//! chapter 1. Nothing here reads the clock: every command takes `now` (and
//! `today` where a date is kept), so behaviour is deterministic and tested
//! natively.
//!
//! - [`ids`]: record identifiers.
//! - [`error`]: [`DomainError`] (refused commands) and [`FieldErrors`]
//!   (refused forms).
//! - [`money`]: exact amounts, currencies, parsing and formatting.
//! - [`contact`], [`lead`], [`opportunity`], [`account`]: the records and
//!   their own rules.
//! - [`import`]: duplicates, merging and the plan for importing contacts.
//! - [`history`]: the append-only timeline every record keeps.
//! - [`pipeline`]: [`Pipeline`], all records and every command, with undo.
//! - [`deals`]: what the Opportunities and Accounts screens search and
//!   show.
//! - [`reports`]: funnel, drop-off, win rate, cycle times, forecast.
//! - [`sample`]: a deterministic realistic data set for demos and benchmarks.

pub mod account;
pub mod board;
pub mod clock;
pub mod contact;
pub mod contact_list;
pub mod deals;
pub mod error;
pub mod everything;
pub mod history;
pub mod ids;
pub mod import;
pub mod lead;
pub mod lead_list;
pub mod money;
pub mod opportunity;
pub mod opportunity_form;
pub mod pipeline;
pub mod reports;
// Demo data for tests and benchmarks, not part of the app (see Cargo.toml).
pub mod sample;
pub mod search;
pub(crate) mod stored;
pub mod time;
pub mod today;
pub mod vocabulary;

#[cfg(test)]
mod merge_proptests;
#[cfg(test)]
mod proptests;

pub use account::Account;
pub use board::{BoardColumn, CurrencyTotal, Kept, LiveBoard};
pub use contact::{
    is_valid_email, normalise_website, Contact, ContactDraft, ContactFields, ContactKind, Source,
};
pub use error::{
    DomainError, Field, FieldErrors, FieldProblem, InUse, Inconsistency, LeadAction, RecordKind,
    ValidationError,
};
pub use history::{Event, History, HistoryEntry};
pub use ids::{AccountId, ContactId, DeviceId, LeadId, OpportunityId};
pub use lead::{
    BuyingRole, Checklist, Criterion, DisqualifyReason, Lead, LeadStatus, LeadStatusKind,
};
pub use money::{
    format_amount, format_money, parse_amount, Currency, Money, MoneyError, NumberLocale, Sum,
};
pub use opportunity::{
    ContractStatus, DealTerms, LostReason, Opportunity, OpportunityStatus, PaymentTerms, Stage,
    OPEN_STAGES,
};
pub use opportunity_form::{DealTermsDraft, OpportunityDraft, OpportunityEdit};
pub use pipeline::{
    default_device_name, MergeFact, MergeSummary, Pipeline, PipelineData, RecordRef, Revision,
    SampleIds, SampleRemoved, UndoAction, UndoLabel, UNDO_DEPTH,
};
pub use reports::{
    AverageDays, DropOff, Forecast, ForecastBucket, Funnel, FunnelReport, FunnelStage, FunnelStep,
    Period, Rate, SourceFunnel, YearMonth,
};
