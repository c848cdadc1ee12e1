//! The domain's named values (stages, reasons, roles …) in the language on
//! screen. The domain's own `label()` stays English: it is what stored data,
//! form values and tests use.

use super::{t, Text};
use crate::domain::contact_list::{ContactOrder, ContactStage};
use crate::domain::import::{DuplicateReason, LeadStart, Resolution};
use crate::domain::lead_list::{FollowUp, LeadOrder};
use crate::domain::reports::standing::Figure;
use crate::domain::{
    BuyingRole, ContactKind, ContractStatus, Criterion, DisqualifyReason, Field, FunnelStage,
    LeadStatusKind, LostReason, PaymentTerms, Period, Source, Stage, UndoAction, UndoLabel,
};
use crate::nav::Section;
use crate::transfer::csv_export::CsvKind;
use crate::transfer::headers::Target;

pub fn section(s: Section) -> &'static str {
    t(match s {
        Section::Today => Text::Today,
        Section::Contacts => Text::Contacts,
        Section::Leads => Text::Leads,
        Section::Opportunities => Text::Opportunities,
        Section::Accounts => Text::Accounts,
        Section::Funnel => Text::Funnel,
        Section::Settings => Text::Settings,
    })
}

/// A source; the user's own sources keep the name they were given.
pub fn source(s: &Source) -> &str {
    t(match s {
        Source::Website => Text::Website,
        Source::Referral => Text::Referral,
        Source::Event => Text::Event,
        Source::ColdOutreach => Text::ColdOutreach,
        Source::SocialMedia => Text::SocialMedia,
        Source::Partner => Text::Partner,
        Source::Advertising => Text::Advertising,
        Source::Other => Text::Other,
        Source::Custom(name) => return name,
    })
}

pub fn buying_role(r: BuyingRole) -> &'static str {
    t(match r {
        BuyingRole::DecisionMaker => Text::DecisionMaker,
        BuyingRole::Influencer => Text::Influencer,
        BuyingRole::Advisor => Text::Advisor,
        BuyingRole::User => Text::UserRole,
        BuyingRole::Gatekeeper => Text::Gatekeeper,
        BuyingRole::Unknown => Text::Unknown,
    })
}

pub fn criterion(c: Criterion) -> &'static str {
    t(match c {
        Criterion::Need => Text::Need,
        Criterion::Budget => Text::Budget,
        Criterion::Timeline => Text::Timeline,
        Criterion::Authority => Text::Authority,
    })
}

pub fn criterion_explained(c: Criterion) -> &'static str {
    t(match c {
        Criterion::Need => Text::NeedExplained,
        Criterion::Budget => Text::BudgetExplained,
        Criterion::Timeline => Text::TimelineExplained,
        Criterion::Authority => Text::AuthorityExplained,
    })
}

pub fn disqualify_reason(r: DisqualifyReason) -> &'static str {
    t(match r {
        DisqualifyReason::NoNeed => Text::NoNeed,
        DisqualifyReason::NoBudget => Text::NoBudget,
        DisqualifyReason::NoAuthority => Text::NoAuthority,
        DisqualifyReason::BadTiming => Text::BadTiming,
        DisqualifyReason::Unreachable => Text::Unreachable,
        DisqualifyReason::ChoseCompetitor => Text::ChoseCompetitor,
        DisqualifyReason::Other => Text::Other,
    })
}

pub fn lead_status(s: LeadStatusKind) -> &'static str {
    t(match s {
        LeadStatusKind::New => Text::StatusNew,
        LeadStatusKind::Contacted => Text::StatusContacted,
        LeadStatusKind::Qualified => Text::StatusQualified,
        LeadStatusKind::Disqualified => Text::StatusDisqualified,
        LeadStatusKind::Converted => Text::StatusConverted,
    })
}

pub fn contact_kind(k: ContactKind) -> &'static str {
    t(match k {
        ContactKind::Person => Text::Person,
        ContactKind::Organisation => Text::Organisation,
    })
}

pub fn stage(s: Stage) -> &'static str {
    t(match s {
        Stage::NeedsAnalysis => Text::NeedsAnalysis,
        Stage::Proposal => Text::Proposal,
        Stage::Negotiation => Text::Negotiation,
        Stage::Contract => Text::Contract,
        Stage::Won => Text::Won,
        Stage::Lost => Text::Lost,
    })
}

pub fn lost_reason(r: LostReason) -> &'static str {
    t(match r {
        LostReason::Price => Text::Price,
        LostReason::ChoseCompetitor => Text::ChoseCompetitor,
        LostReason::NoDecision => Text::NoDecision,
        LostReason::Timing => Text::Timing,
        LostReason::LostContact => Text::LostContact,
        LostReason::Other => Text::Other,
    })
}

/// Payment terms; custom terms keep the user's words.
pub fn payment_terms(p: &PaymentTerms) -> &str {
    t(match p {
        PaymentTerms::DueOnReceipt => Text::DueOnReceipt,
        PaymentTerms::Net15 => Text::Net15,
        PaymentTerms::Net30 => Text::Net30,
        PaymentTerms::Net60 => Text::Net60,
        PaymentTerms::Instalments => Text::Instalments,
        PaymentTerms::Custom(text) => return text,
    })
}

pub fn contract_status(c: ContractStatus) -> &'static str {
    t(match c {
        ContractStatus::NotStarted => Text::NotStarted,
        ContractStatus::Drafted => Text::Drafted,
        ContractStatus::Sent => Text::Sent,
        ContractStatus::Signed => Text::Signed,
    })
}

pub fn contact_stage(s: ContactStage) -> &'static str {
    t(match s {
        ContactStage::Contact => Text::ContactOnly,
        ContactStage::Lead => Text::Lead,
        ContactStage::Qualified => Text::QualifiedLead,
        ContactStage::Opportunity => Text::Opportunity,
        ContactStage::Customer => Text::Customer,
    })
}

pub fn contact_order(o: ContactOrder) -> &'static str {
    t(match o {
        ContactOrder::Newest => Text::NewestFirst,
        ContactOrder::Name => Text::Name,
        ContactOrder::Organisation => Text::Organisation,
    })
}

pub fn figure(f: Figure) -> &'static str {
    t(match f {
        Figure::OpenDeals => Text::FigureOpenDeals,
        Figure::ClosingThisMonth => Text::FigureClosingThisMonth,
        Figure::WaitingForQualification => Text::FigureWaiting,
        Figure::NewLeadsThisWeek => Text::FigureNewLeadsThisWeek,
        Figure::ClosedLast90Days => Text::FigureWinRate,
    })
}

pub fn follow_up(f: FollowUp) -> &'static str {
    t(match f {
        FollowUp::Any => Text::AnyNextStep,
        FollowUp::Due => Text::NextStepDueOrOverdue,
        FollowUp::Planned => Text::HasNextStepDate,
        FollowUp::Unplanned => Text::NoNextStepDate,
    })
}

pub fn lead_order(o: LeadOrder) -> &'static str {
    t(match o {
        LeadOrder::Added => Text::OldestFirst,
        LeadOrder::NextStep => Text::NextStepDate,
        LeadOrder::Score => Text::ScoreOrder,
    })
}

pub fn period(p: &Period) -> &'static str {
    t(match p {
        Period::AllTime => Text::AllTime,
        Period::ThisMonth => Text::ThisMonth,
        Period::ThisQuarter => Text::ThisQuarter,
        Period::ThisYear => Text::ThisYear,
        Period::Last12Months => Text::Last12Months,
        Period::Custom { .. } => Text::CustomTerms,
    })
}

pub fn funnel_stage(s: FunnelStage) -> &'static str {
    t(match s {
        FunnelStage::Contacts => Text::Contacts,
        FunnelStage::Leads => Text::Leads,
        FunnelStage::Qualified => Text::FunnelQualified,
        FunnelStage::Opportunities => Text::Opportunities,
        FunnelStage::Accounts => Text::Accounts,
    })
}

/// A form field's label, as on screen.
pub fn field(f: Field) -> &'static str {
    t(match f {
        Field::Name => Text::Name,
        Field::Type => Text::Type,
        Field::Organisation => Text::Organisation,
        Field::Title => Text::Title,
        Field::Email => Text::Email,
        Field::Phone => Text::Phone,
        Field::Website => Text::Website,
        Field::Source => Text::Source,
        Field::Notes => Text::Notes,
        Field::Tags => Text::Tags,
        Field::BuyingRole => Text::BuyingRole,
        Field::Interest => Text::Interest,
        Field::TimelineDate => Text::Timeline,
        Field::Reason => Text::Reason,
        Field::Note => Text::Note,
        Field::Stage => Text::Stage,
        Field::Amount => Text::Amount,
        Field::Currency => Text::Currency,
        Field::PaymentTerms => Text::PaymentTerms,
        Field::ContractStatus => Text::ContractStatus,
        Field::ExpectedCloseDate => Text::ExpectedCloseDate,
        Field::Probability => Text::Probability,
        Field::CurrentSupplier => Text::CurrentSupplier,
        Field::CurrentSupplierDismissed => Text::CurrentSupplierDismissed,
        Field::Competitors => Text::Competitors,
        Field::NextStep => Text::NextStep,
        Field::NextStepDate => Text::NextStepDate,
        Field::LostReason => Text::LostReason,
        Field::DeviceName => Text::DeviceName,
    })
}

/// The records the CSV export offers.
pub fn csv_kind(k: CsvKind) -> &'static str {
    t(match k {
        CsvKind::Contacts => Text::Contacts,
        CsvKind::Leads => Text::Leads,
        CsvKind::Opportunities => Text::Opportunities,
        CsvKind::Accounts => Text::Accounts,
    })
}

/// What an imported column becomes.
pub fn import_target(target: Target) -> &'static str {
    t(match target {
        Target::Name => Text::Name,
        Target::Prefix => Text::NamePrefix,
        Target::FirstName => Text::FirstName,
        Target::MiddleName => Text::MiddleName,
        Target::LastName => Text::LastName,
        Target::Suffix => Text::NameSuffix,
        Target::Type => Text::Type,
        Target::Organisation => Text::Organisation,
        Target::Title => Text::Title,
        Target::Email => Text::Email,
        Target::Phone => Text::Phone,
        Target::Website => Text::Website,
        Target::Source => Text::Source,
        Target::Notes => Text::Notes,
        Target::Tags => Text::Tags,
        Target::LeadStatus => Text::LeadStatus,
        Target::LifecycleStage => Text::LifecycleStage,
        Target::Skip => Text::DontImport,
    })
}

pub fn resolution(r: Resolution) -> &'static str {
    t(match r {
        Resolution::Skip => Text::Skip,
        Resolution::Merge => Text::Merge,
        Resolution::KeepBoth => Text::KeepBoth,
    })
}

pub fn duplicate_reason(r: DuplicateReason) -> &'static str {
    t(match r {
        DuplicateReason::SameEmail => Text::SameEmail,
        DuplicateReason::SameNameAndOrganisation => Text::SameNameAndOrganisation,
    })
}

/// How an imported row starts as a lead; nothing when it stays a contact.
pub fn lead_start(lead: Option<LeadStart>) -> &'static str {
    match lead {
        None => "",
        Some(LeadStart::New) => t(Text::ImportNewLead),
        Some(LeadStart::Contacted) => t(Text::ImportContactedLead),
        Some(LeadStart::Disqualified(_)) => t(Text::ImportDisqualifiedLead),
    }
}

/// The undo button's words: "Deleted contact Ada" / "Slettet kontakten Ada".
pub fn undo_label(label: &UndoLabel) -> String {
    let key = match label.action {
        UndoAction::AddContact => Text::UndoAddContact,
        UndoAction::UpdateContact => Text::UndoUpdateContact,
        UndoAction::DeleteContact => Text::UndoDeleteContact,
        UndoAction::AddSource => Text::UndoAddSource,
        UndoAction::RemoveSource => Text::UndoRemoveSource,
        UndoAction::MakeLead => Text::UndoMakeLead,
        UndoAction::UpdateLead => Text::UndoUpdateLead,
        UndoAction::ChangeChecklist => Text::UndoChangeChecklist,
        UndoAction::MarkContacted => Text::UndoMarkContacted,
        UndoAction::Qualify => Text::UndoQualify,
        UndoAction::Disqualify => Text::UndoDisqualify,
        UndoAction::ReopenLead => Text::UndoReopenLead,
        UndoAction::ConvertLead => Text::UndoConvertLead,
        UndoAction::OpenOpportunity => Text::UndoOpenOpportunity,
        UndoAction::MoveStage => Text::UndoMoveStage,
        UndoAction::UpdateOpportunity => Text::UndoUpdateOpportunity,
        UndoAction::MarkWon => Text::UndoMarkWon,
        UndoAction::MarkLost => Text::UndoMarkLost,
        UndoAction::ReopenOpportunity => Text::UndoReopenOpportunity,
        UndoAction::UpdateAccount => Text::UndoUpdateAccount,
        UndoAction::AddNote => Text::UndoAddNote,
        UndoAction::SetDefaultCurrency => Text::UndoSetDefaultCurrency,
        UndoAction::SetLanguage => Text::UndoSetLanguage,
        UndoAction::Import => Text::UndoImport,
        UndoAction::Merge => Text::UndoMerge,
        UndoAction::AddSample => Text::UndoAddSample,
        UndoAction::RemoveSample => Text::UndoRemoveSample,
    };
    let subject = match label.action {
        // The subject is a language code, or "automatic".
        UndoAction::SetLanguage => match super::Language::from_name(&label.subject) {
            Some(l) => l.native_name(),
            None => t(Text::LanguageAutomatic),
        },
        _ => &label.subject,
    };
    super::fill(key, &[subject])
}

#[cfg(test)]
mod tests {
    // Native tests never change the language, so these read English: the
    // English table must say exactly what the domain and the spec say,
    // since people and tests find controls by these names.
    use super::*;

    /// Every named value: the domain's own English words for it, and the
    /// words this table shows in the language on screen.
    fn all_words() -> Vec<(String, String)> {
        let mut words: Vec<(String, String)> = Vec::new();
        let mut add = |own: &str, shown: &str| words.push((own.to_owned(), shown.to_owned()));
        Section::ALL
            .into_iter()
            .for_each(|v| add(v.label(), section(v)));
        Source::BUILT_IN
            .iter()
            .for_each(|v| add(v.label(), source(v)));
        BuyingRole::ALL
            .into_iter()
            .for_each(|v| add(v.label(), buying_role(v)));
        Criterion::ALL
            .into_iter()
            .for_each(|v| add(v.label(), criterion(v)));
        Criterion::ALL
            .into_iter()
            .for_each(|v| add(v.explanation(), criterion_explained(v)));
        DisqualifyReason::ALL
            .into_iter()
            .for_each(|v| add(v.label(), disqualify_reason(v)));
        LeadStatusKind::ALL
            .into_iter()
            .for_each(|v| add(v.label(), lead_status(v)));
        ContactKind::ALL
            .into_iter()
            .for_each(|v| add(v.label(), contact_kind(v)));
        Stage::ALL
            .into_iter()
            .for_each(|v| add(v.label(), stage(v)));
        LostReason::ALL
            .into_iter()
            .for_each(|v| add(v.label(), lost_reason(v)));
        PaymentTerms::PRESETS
            .iter()
            .for_each(|v| add(v.label(), payment_terms(v)));
        ContractStatus::ALL
            .into_iter()
            .for_each(|v| add(v.label(), contract_status(v)));
        ContactStage::ALL
            .into_iter()
            .for_each(|v| add(v.label(), contact_stage(v)));
        ContactOrder::ALL
            .into_iter()
            .for_each(|v| add(v.label(), contact_order(v)));
        FollowUp::ALL
            .into_iter()
            .for_each(|v| add(v.label(), follow_up(v)));
        Figure::ALL
            .into_iter()
            .for_each(|v| add(v.label(), figure(v)));
        LeadOrder::ALL
            .into_iter()
            .for_each(|v| add(v.label(), lead_order(v)));
        Period::PRESETS
            .iter()
            .for_each(|v| add(v.label(), period(v)));
        FunnelStage::ALL
            .into_iter()
            .for_each(|v| add(v.label(), funnel_stage(v)));
        CsvKind::ALL
            .into_iter()
            .for_each(|v| add(v.label(), csv_kind(v)));
        Target::ALL
            .into_iter()
            .for_each(|v| add(v.label(), import_target(v)));
        Resolution::ALL
            .into_iter()
            .for_each(|v| add(v.label(), resolution(v)));
        DuplicateReason::ALL
            .into_iter()
            .for_each(|v| add(v.label(), duplicate_reason(v)));
        Field::ALL
            .into_iter()
            .for_each(|v| add(v.label(), field(v)));
        words
    }

    #[test]
    fn english_labels_are_the_domains_own_words() {
        for (own, shown) in all_words() {
            assert_eq!(shown, own);
        }
        assert_eq!(source(&Source::Custom("Podcast".into())), "Podcast");
    }

    #[test]
    fn english_undo_words_match_the_domains() {
        for action in UndoAction::ALL {
            if action == UndoAction::SetLanguage {
                continue; // its subject is a code, checked below
            }
            let label = UndoLabel {
                action,
                subject: "Ada".into(),
            };
            assert_eq!(undo_label(&label), label.to_string());
        }
        let language = UndoLabel {
            action: UndoAction::SetLanguage,
            subject: "nb".into(),
        };
        assert_eq!(undo_label(&language), "Set the language to Norsk bokmål");
    }

    #[test]
    fn every_named_value_has_norwegian_words() {
        let english: Vec<String> = all_words().into_iter().map(|(_, shown)| shown).collect();
        crate::i18n::set_language(crate::language::Language::Nb);
        let norwegian: Vec<String> = all_words().into_iter().map(|(_, shown)| shown).collect();
        crate::i18n::set_language(crate::language::Language::En);
        assert_eq!(english.len(), norwegian.len());
        let same: Vec<&str> = english
            .iter()
            .zip(&norwegian)
            .filter(|(en, nb)| en == nb)
            .map(|(en, _)| en.as_str())
            .collect();
        assert!(norwegian.iter().all(|w| !w.trim().is_empty()));
        // Norwegian writes these the same way (Type twice: the import column
        // and the form field).
        assert_eq!(same, ["Partner", "Person", "Type", "Type"]);
    }
}
