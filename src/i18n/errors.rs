//! Refusals and failures in the language on screen: every error a user can
//! see is a typed value, and each gets its words here by an exhaustive
//! `match`, so a new variant does not build until it has words.
//!
//! The errors' own `Display` stays English (logs and tests read it); here
//! each kind gets its words from the string tables. Details that come from
//! the browser or from a damaged file are passed through as they are.

use crate::domain::{
    DomainError, Field, FieldProblem, InUse, Inconsistency, LeadAction, MoneyError, NumberLocale,
    RecordKind,
};
use crate::i18n::{fill, labels, number, t, Text};
use crate::storage::{LoadProblem, StorageError};
use crate::transfer::checked::{RowColumn, RowMessage, RowProblem, RowUnit};
use crate::transfer::json::TransferError;
use crate::transfer::text::FileError;

fn noun(kind: RecordKind) -> &'static str {
    t(match kind {
        RecordKind::Contact => Text::NounContact,
        RecordKind::Lead => Text::NounLead,
        RecordKind::Opportunity => Text::NounOpportunity,
        RecordKind::Account => Text::NounAccount,
    })
}

/// A refused command, for the user.
pub fn domain(e: &DomainError) -> String {
    match e {
        DomainError::NotFound { kind, id } => {
            fill(Text::ErrNotFound, &[noun(*kind), &id.to_string()])
        }
        DomainError::GateNotMet { missing } => {
            let names: Vec<&str> = missing.iter().map(|c| labels::criterion(*c)).collect();
            fill(Text::ErrGateNotMet, &[&names.join(", ")])
        }
        DomainError::LeadStatus { status, action } => fill(
            Text::ErrLeadStatus,
            &[labels::lead_status(*status), lead_action(*action)],
        ),
        DomainError::LeadConverted => t(Text::ErrLeadConverted).to_owned(),
        DomainError::NotQualified { status } => {
            fill(Text::ErrNotQualified, &[labels::lead_status(*status)])
        }
        DomainError::LeadExists { contact } => fill(Text::ErrLeadExists, &[contact]),
        DomainError::OpportunityClosed { stage } => {
            fill(Text::ErrOpportunityClosed, &[labels::stage(*stage)])
        }
        DomainError::CloseWithMarkWonOrLost => t(Text::ErrCloseWithMarkWonOrLost).to_owned(),
        DomainError::OpportunityNotClosed => t(Text::ErrOpportunityNotClosed).to_owned(),
        DomainError::AmountRequired => t(Text::ErrAmountRequired).to_owned(),
        DomainError::ProbabilityOutOfRange(n) => {
            fill(Text::ErrProbabilityOutOfRange, &[&n.to_string()])
        }
        DomainError::ContactInUse { contact, reason } => {
            fill(Text::ErrContactInUse, &[contact, &in_use(reason)])
        }
        DomainError::OnOtherAccount {
            contact,
            account,
            other,
        } => fill(Text::ErrOnOtherAccount, &[contact, account, other]),
        DomainError::NotAccountContact { contact, account } => {
            fill(Text::ErrNotAccountContact, &[contact, account])
        }
        DomainError::NoSuchSource(name) => fill(Text::ErrNoSuchSource, &[name]),
        DomainError::Gone => t(Text::ErrGone).to_owned(),
        DomainError::SourceExists(name) => fill(Text::ErrSourceExists, &[name]),
        DomainError::SourceInUse { name, count } => {
            fill(Text::ErrSourceInUse, &[name, &count.to_string()])
        }
        DomainError::Invalid(fields) => {
            let list: Vec<String> = fields.iter().map(|e| field(e.field, &e.problem)).collect();
            fill(Text::ErrInvalid, &[&list.join("; ")])
        }
        DomainError::Money(m) => money(m),
        DomainError::NothingToUndo => t(Text::ErrNothingToUndo).to_owned(),
        DomainError::SampleNeedsEmpty => t(Text::ErrSampleNeedsEmpty).to_owned(),
        DomainError::NoSample => t(Text::ErrNoSample).to_owned(),
        DomainError::NumbersUsedUp => t(Text::ErrNumbersUsedUp).to_owned(),
        DomainError::Integrity(problem) => fill(Text::ErrIntegrity, &[&inconsistency(problem)]),
    }
}

fn lead_action(action: LeadAction) -> &'static str {
    t(match action {
        LeadAction::MarkContacted => Text::ActionMarkContacted,
        LeadAction::Qualify => Text::ActionQualify,
        LeadAction::Disqualify => Text::ActionDisqualify,
        LeadAction::Reopen => Text::ActionReopen,
    })
}

fn in_use(reason: &InUse) -> String {
    match reason {
        InUse::WonDeal(name) => fill(Text::InUseWonDeal, &[name]),
        InUse::OpenOpportunity(name) => fill(Text::InUseOpenOpportunity, &[name]),
        InUse::MainContact(name) => fill(Text::InUseMainContact, &[name]),
    }
}

/// Records that do not hold together, naming the record.
pub fn inconsistency(problem: &Inconsistency) -> String {
    let n = |id: &u64| id.to_string();
    match problem {
        Inconsistency::Repeated { kind, id } => fill(Text::IncRepeated, &[noun(*kind), &n(id)]),
        Inconsistency::NumberTwice(id) => fill(Text::IncNumberTwice, &[&n(id)]),
        Inconsistency::NumberTooHigh { id, next } => {
            fill(Text::IncNumberTooHigh, &[&n(id), &n(next)])
        }
        Inconsistency::NextNumberZero => t(Text::IncNextNumberZero).to_owned(),
        Inconsistency::BlankSource(name) => fill(Text::IncBlankSource, &[name]),
        Inconsistency::SourceTwice(name) => fill(Text::IncSourceTwice, &[name]),
        Inconsistency::UnlistedSource { contact, name } => {
            fill(Text::IncUnlistedSource, &[&n(contact), name])
        }
        Inconsistency::Missing {
            kind,
            id,
            target_kind,
            target,
        } => fill(
            Text::IncMissing,
            &[noun(*kind), &n(id), noun(*target_kind), &n(target)],
        ),
        Inconsistency::NoPointBack {
            kind,
            id,
            target_kind,
            target,
        } => fill(
            Text::IncNoPointBack,
            &[noun(*kind), &n(id), noun(*target_kind), &n(target)],
        ),
        Inconsistency::TwoActiveLeads {
            contact,
            first,
            second,
        } => fill(
            Text::IncTwoActiveLeads,
            &[&n(contact), &n(first), &n(second)],
        ),
        Inconsistency::InvalidTerms {
            opportunity,
            errors,
        } => {
            let list: Vec<String> = errors.iter().map(|e| field(e.field, &e.problem)).collect();
            fill(Text::IncInvalidTerms, &[&n(opportunity), &list.join("; ")])
        }
        Inconsistency::WonWithoutAmount(id) => fill(Text::IncWonWithoutAmount, &[&n(id)]),
        Inconsistency::WonNotListed(id) => fill(Text::IncWonNotListed, &[&n(id)]),
        Inconsistency::MainContactMissing(id) => fill(Text::IncMainContactMissing, &[&n(id)]),
        Inconsistency::AccountContact { account, contact } => {
            fill(Text::IncAccountContact, &[&n(account), &n(contact)])
        }
        Inconsistency::AccountDeal { account, deal } => {
            fill(Text::IncAccountDeal, &[&n(account), &n(deal)])
        }
    }
}

/// What is wrong with one form field, in the language on screen.
pub fn field(field: Field, problem: &FieldProblem) -> String {
    let label = labels::field(field);
    match problem {
        FieldProblem::Required if field == Field::Source => t(Text::ErrSourceRequired).to_owned(),
        FieldProblem::Required => fill(Text::ErrRequired, &[label]),
        FieldProblem::TooLong { max, found } => fill(
            Text::ErrTooLong,
            &[label, &max.to_string(), &found.to_string()],
        ),
        FieldProblem::Email => t(Text::ErrEmail).to_owned(),
        FieldProblem::PhoneCharacters => t(Text::ErrPhoneChars).to_owned(),
        FieldProblem::PhoneLength => t(Text::ErrPhoneLength).to_owned(),
        FieldProblem::Website => t(Text::ErrWebsite).to_owned(),
        FieldProblem::TagTooLong { max } => fill(Text::ErrTagTooLong, &[&max.to_string()]),
        FieldProblem::TooManyTags { max } => fill(Text::ErrTooManyTags, &[&max.to_string()]),
        FieldProblem::CompetitorTooLong { max } => {
            fill(Text::ErrCompetitorTooLong, &[&max.to_string()])
        }
        FieldProblem::TooManyCompetitors { max } => {
            fill(Text::ErrTooManyCompetitors, &[&max.to_string()])
        }
        FieldProblem::ChooseLostReason => t(Text::ErrChooseLostReason).to_owned(),
        FieldProblem::DescribePaymentTerms => t(Text::ErrDescribeTerms).to_owned(),
        FieldProblem::WriteNote => t(Text::ErrWriteNote).to_owned(),
        FieldProblem::ProbabilityNotWhole => t(Text::ErrProbability).to_owned(),
        FieldProblem::Date => fill(Text::ErrDate, &[label]),
        FieldProblem::ProbabilityOutOfRange(n) => {
            fill(Text::ErrProbabilityOutOfRange, &[&n.to_string()])
        }
        FieldProblem::OtherCurrency { amount, deal } => {
            fill(Text::ErrOtherCurrency, &[amount.code(), deal.code()])
        }
        FieldProblem::Amount(e) => money(e),
        FieldProblem::CloseWithMarkWonOrLost => t(Text::ErrCloseWithMarkWonOrLost).to_owned(),
    }
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
    load_problem_then(p, Text::KeptNote)
}

/// Stored data that could not be opened, and `note` on what became of it.
pub fn load_problem_then(p: &LoadProblem, note: Text) -> String {
    let kept = t(note);
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
        TransferError::TooLong { kind, id, problem } => {
            let mut what = noun(*kind).to_owned();
            // At the start of the sentence.
            if let Some(first) = what.get(..1) {
                what = first.to_uppercase() + &what[1..];
            }
            fill(
                Text::ExportTextTooLong,
                &[
                    &what,
                    &id.to_string(),
                    &field(problem.field, &problem.problem),
                ],
            )
        }
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
        FileError::UnknownKind => t(Text::FileUnknownKind).to_owned(),
        FileError::TooManyColumns { row, columns, max } => fill(
            Text::FileTooManyColumns,
            &[
                &row.to_string(),
                &number(*columns as u64),
                &number(*max as u64),
            ],
        ),
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
        RowMessage::LeftOut { value, problem } => {
            return fill(
                Text::RowValueLeftOut,
                &[
                    unit,
                    &p.row.to_string(),
                    &column,
                    value,
                    &field(problem.field, &problem.problem),
                ],
            )
        }
        RowMessage::Field(e) => field(e.field, &e.problem),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Field, FieldErrors};
    use crate::i18n::{set_language, Language};
    use strum::IntoEnumIterator;

    /// The words in English and in Norwegian.
    fn both(words: impl Fn() -> String) -> (String, String) {
        set_language(Language::En);
        let en = words();
        set_language(Language::Nb);
        let nb = words();
        set_language(Language::En);
        (en, nb)
    }

    /// Words in both languages that differ, and the Norwegian has none of
    /// the English sentence's own words left in it.
    fn check(what: &str, words: impl Fn() -> String) {
        let (en, nb) = both(words);
        assert!(
            !en.trim().is_empty() && !nb.trim().is_empty(),
            "{what}: no words"
        );
        assert_ne!(en, nb, "{what}: the same in both languages");
        for english in [
            " the ",
            " must ",
            " cannot ",
            " is ",
            " already ",
            " which ",
        ] {
            assert!(
                !nb.contains(english),
                "{what}: English in the Norwegian: {nb}"
            );
        }
    }

    #[test]
    fn every_refused_command_has_words_in_both_languages() {
        for e in DomainError::iter() {
            check(&format!("{e:?}"), || domain(&e));
        }
        for e in Inconsistency::iter() {
            check(&format!("{e:?}"), || inconsistency(&e));
        }
        for e in InUse::iter() {
            let e = DomainError::ContactInUse {
                contact: "Ada".into(),
                reason: e,
            };
            check(&format!("{e:?}"), || domain(&e));
        }
    }

    #[test]
    fn every_field_problem_has_words_in_both_languages() {
        for p in FieldProblem::iter() {
            for f in Field::ALL {
                check(&format!("{f:?} {p:?}"), || field(f, &p));
            }
        }
        for e in MoneyError::iter() {
            check(&format!("{e:?}"), || money(&e));
        }
        let p = FieldProblem::OtherCurrency {
            amount: Currency::EUR,
            deal: Currency::NOK,
        };
        let mut errors = FieldErrors::new();
        errors.push(Field::Amount, p);
        check("a form", || domain(&DomainError::Invalid(errors.clone())));
    }

    #[test]
    fn every_storage_and_file_error_has_words_in_both_languages() {
        for e in StorageError::iter() {
            check(&format!("{e:?}"), || storage(&e));
        }
        for e in LoadProblem::iter() {
            check(&format!("{e:?}"), || load_problem(&e));
        }
        for e in TransferError::iter() {
            check(&format!("{e:?}"), || transfer(&e));
        }
        for e in FileError::iter() {
            check(&format!("{e:?}"), || file(&e));
        }
    }
}
