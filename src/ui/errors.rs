//! Refusals and failures in the language on screen.
//!
//! The errors' own `Display` stays English (logs and tests read it); here
//! each kind gets its words from the string tables. Details that come from
//! the browser or from a damaged file are passed through as they are.

use crate::domain::{
    Criterion, DomainError, LeadStatusKind, MoneyError, NumberLocale, RecordKind, Stage,
};
use crate::i18n::{fill, labels, t, Text};
use crate::storage::{LoadProblem, StorageError};
use crate::transfer::csv_import::{RowColumn, RowMessage, RowProblem, RowUnit};
use crate::transfer::json::TransferError;
use crate::transfer::text::FileError;

/// A refused command, for the user.
pub fn domain(e: &DomainError) -> String {
    match e {
        DomainError::NotFound { kind, id } => fill(
            Text::ErrNotFound,
            &[
                t(match kind {
                    RecordKind::Contact => Text::NounContact,
                    RecordKind::Lead => Text::NounLead,
                    RecordKind::Opportunity => Text::NounOpportunity,
                    RecordKind::Account => Text::NounAccount,
                }),
                &id.to_string(),
            ],
        ),
        DomainError::GateNotMet { missing } => {
            // The domain lists the missing criteria by their English labels.
            let names: Vec<&str> = missing
                .split(", ")
                .map(|m| {
                    Criterion::ALL
                        .into_iter()
                        .find(|c| c.label() == m)
                        .map_or(m, |c| labels::criterion(c))
                })
                .collect();
            fill(Text::ErrGateNotMet, &[&names.join(", ")])
        }
        DomainError::LeadStatus { status, action } => fill(
            Text::ErrLeadStatus,
            &[
                lead_status(status),
                match *action {
                    "marked as contacted" => t(Text::ActionMarkContacted),
                    "qualified" => t(Text::ActionQualify),
                    "disqualified" => t(Text::ActionDisqualify),
                    "reopened" => t(Text::ActionReopen),
                    other => other,
                },
            ],
        ),
        DomainError::LeadConverted => t(Text::ErrLeadConverted).to_owned(),
        DomainError::NotQualified { status } => fill(Text::ErrNotQualified, &[lead_status(status)]),
        DomainError::LeadExists { contact } => fill(Text::ErrLeadExists, &[contact]),
        DomainError::OpportunityClosed { status } => {
            let stage = Stage::ALL
                .into_iter()
                .find(|s| s.label() == *status)
                .map_or(*status, |s| labels::stage(s));
            fill(Text::ErrOpportunityClosed, &[stage])
        }
        DomainError::CloseWithMarkWonOrLost => t(Text::ErrCloseWithMarkWonOrLost).to_owned(),
        DomainError::OpportunityNotClosed => t(Text::ErrOpportunityNotClosed).to_owned(),
        DomainError::AmountRequired => t(Text::ErrAmountRequired).to_owned(),
        DomainError::ProbabilityOutOfRange(n) => {
            fill(Text::ErrProbabilityOutOfRange, &[&n.to_string()])
        }
        DomainError::ContactInUse { contact, reason } => {
            fill(Text::ErrContactInUse, &[contact, reason])
        }
        DomainError::SourceExists(name) => fill(Text::ErrSourceExists, &[name]),
        DomainError::SourceInUse { name, count } => {
            fill(Text::ErrSourceInUse, &[name, &count.to_string()])
        }
        DomainError::Invalid(fields) => {
            let list: Vec<String> = fields.iter().map(|v| message(&v.message)).collect();
            fill(Text::ErrInvalid, &[&list.join("; ")])
        }
        DomainError::Money(m) => money(m),
        DomainError::NothingToUndo => t(Text::ErrNothingToUndo).to_owned(),
        DomainError::Integrity(detail) => fill(Text::ErrIntegrity, &[detail]),
    }
}

fn lead_status(english: &str) -> &str {
    LeadStatusKind::ALL
        .into_iter()
        .find(|s| s.label() == english)
        .map_or(english, |s| labels::lead_status(s))
}

/// An amount that could not be read or computed.
pub fn money(e: &MoneyError) -> String {
    match e {
        MoneyError::Empty => t(Text::ErrEnterAmount).to_owned(),
        MoneyError::Negative => t(Text::ErrAmountNegative).to_owned(),
        MoneyError::Overflow => t(Text::ErrAmountOverflow).to_owned(),
        MoneyError::TooLarge { text } => fill(Text::ErrAmountTooLarge, &[text]),
        MoneyError::CurrencyMismatch { left, right } => {
            fill(Text::ErrCurrencyMismatch, &[left.code(), right.code()])
        }
        MoneyError::WrongCurrency { expected, found } => {
            fill(Text::ErrWrongCurrency, &[found, expected.code()])
        }
        MoneyError::NotAnAmount { text } => fill(Text::ErrNotAnAmount, &[text]),
        MoneyError::Grouping { text, locale } => {
            let hint = t(match locale {
                NumberLocale::English => Text::HintGroupingEnglish,
                NumberLocale::Norwegian => Text::HintGroupingNorwegian,
            });
            fill(Text::ErrGrouping, &[text, hint])
        }
        MoneyError::Ambiguous { text } => fill(Text::ErrAmbiguous, &[text]),
        MoneyError::TooManyDecimals { currency } => match currency.minor_digits() {
            0 => fill(Text::ErrNoDecimals, &[currency.code()]),
            n => fill(Text::ErrMaxDecimals, &[currency.code(), &n.to_string()]),
        },
        MoneyError::UnknownCurrency { text } => fill(Text::ErrUnknownCurrency, &[text]),
    }
}

/// A message about one form field. The domain writes these in English; the
/// ones people meet every day have words in each language.
pub fn message(m: &str) -> String {
    let key = match m {
        "Name is required" => Text::ErrNameRequired,
        "Email must look like name@example.com" => Text::ErrEmail,
        "Phone can only contain digits, spaces and + - ( ) ." => Text::ErrPhoneChars,
        "Phone must be 3 to 40 characters with digits" => Text::ErrPhoneLength,
        "Website must be a web address starting with http:// or https://" => Text::ErrWebsite,
        "Source name is required" => Text::ErrSourceRequired,
        "Choose why the deal was lost" => Text::ErrChooseLostReason,
        "Describe the payment terms" => Text::ErrDescribeTerms,
        "Write a note first" => Text::ErrWriteNote,
        "Probability must be a whole number from 0 to 100" => Text::ErrProbability,
        "Enter an amount" => Text::ErrEnterAmount,
        "An amount cannot be negative" => Text::ErrAmountNegative,
        _ => return m.to_owned(),
    };
    t(key).to_owned()
}

/// A save or another storage operation that did not happen.
pub fn storage(e: &StorageError) -> String {
    match e {
        StorageError::QuotaExceeded => t(Text::QuotaExceeded).to_owned(),
        StorageError::Unavailable => t(Text::StorageUnavailable).to_owned(),
        StorageError::Conflict { base, stored } => fill(
            Text::StorageConflict,
            &[&stored.to_string(), &base.to_string()],
        ),
        StorageError::KeptAside => t(Text::StorageKeptAside).to_owned(),
        StorageError::Serialize(detail) => fill(Text::StorageSerialize, &[detail]),
        StorageError::Browser { name, message } => fill(Text::StorageBrowser, &[name, message]),
    }
}

/// Stored data that could not be opened and was kept aside.
pub fn load_problem(p: &LoadProblem) -> String {
    let kept = t(Text::KeptNote);
    match p {
        LoadProblem::NotJson { .. } => fill(Text::LoadNotJson, &[kept]),
        LoadProblem::WrongFormat { .. } => fill(Text::LoadWrongFormat, &[kept]),
        LoadProblem::NewerSchema { found, supported } => fill(
            Text::LoadNewerSchema,
            &[&found.to_string(), &supported.to_string(), kept],
        ),
        LoadProblem::Invalid { detail } => fill(Text::LoadInvalid, &[detail, kept]),
        LoadProblem::MigrationFailed { from, detail, .. } => fill(
            Text::LoadMigrationFailed,
            &[&from.to_string(), detail, kept],
        ),
    }
}

/// An export that could not be written or a file that cannot be imported.
pub fn transfer(e: &TransferError) -> String {
    match e {
        TransferError::TooLarge { size_mb, limit_mb } => fill(
            Text::ImportTooLarge,
            &[&size_mb.to_string(), &limit_mb.to_string()],
        ),
        TransferError::NotAnExport(detail) => fill(Text::NotAnExport, &[detail]),
        TransferError::NewerSchema { found, supported } => fill(
            Text::ExportNewerSchema,
            &[&found.to_string(), &supported.to_string()],
        ),
        TransferError::Damaged(detail) => fill(Text::ExportDamaged, &[detail]),
        TransferError::Export(detail) => fill(Text::ExportFailed, &[detail]),
    }
}

/// A CSV or vCard file that cannot be imported at all.
pub fn file(e: &FileError) -> String {
    match e {
        FileError::TooLarge { size } => fill(Text::FileTooLarge, &[size]),
        FileError::Empty => t(Text::FileEmpty).to_owned(),
        FileError::NoHeader => t(Text::FileNoHeader).to_owned(),
        FileError::NoRows => t(Text::FileNoRows).to_owned(),
        FileError::UnclosedQuote { row } => fill(Text::FileUnclosedQuote, &[&row.to_string()]),
        // The detail comes from the CSV reader and is passed through.
        FileError::Unreadable { row, detail } => {
            fill(Text::FileRowUnreadable, &[&row.to_string(), detail])
        }
        FileError::NotVcard => t(Text::FileNotVcard).to_owned(),
        FileError::UnfinishedCard { card } => fill(Text::FileUnfinishedCard, &[&card.to_string()]),
        FileError::OldVcard { card, property } => {
            fill(Text::FileOldVcard, &[&card.to_string(), property])
        }
        FileError::UnknownKind => t(Text::FileUnknownKind).to_owned(),
    }
}

/// One row left out or imported with a note: "Row 4, Email: …".
pub fn row_problem(p: &RowProblem) -> String {
    let unit = t(match p.unit {
        RowUnit::Row => Text::Row,
        RowUnit::Card => Text::Card,
    });
    let column = match &p.column {
        RowColumn::Field(f) => labels::field(*f).to_owned(),
        RowColumn::Target(target) => labels::import_target(*target).to_owned(),
        RowColumn::Extra(n) => fill(Text::ColumnNInRow, &[&n.to_string()]),
    };
    let text = match &p.message {
        RowMessage::Field(m) => message(m),
        RowMessage::ExtraCells { cells, columns } => fill(
            Text::RowExtraCells,
            &[&cells.to_string(), &columns.to_string()],
        ),
        RowMessage::NoMatch(value) => fill(Text::RowNoMatch, &[value]),
    };
    fill(
        Text::RowProblem,
        &[unit, &p.row.to_string(), &column, &text],
    )
}
