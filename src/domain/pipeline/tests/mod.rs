//! The pipeline's commands, each tested for what it keeps and what Undo
//! takes back.

use super::integrity::merge_sorted;
use super::*;
use crate::domain::contact::ContactKind;
use crate::domain::lead::LeadStatusKind;
use chrono::TimeZone;

fn t(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn person(name: &str, org: &str) -> ContactFields {
    ContactDraft {
        name: name.into(),
        organisation: org.into(),
        email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        ..ContactDraft::default()
    }
    .validate()
    .unwrap()
}

fn json(p: &Pipeline) -> String {
    crate::domain::stored::to_json(p)
}

fn qualified_lead(p: &mut Pipeline, c: ContactId) -> LeadId {
    let l = p.make_lead(c, t(10)).unwrap();
    for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        p.set_criterion(l, k, true, t(11)).unwrap();
    }
    p.qualify(l, t(12)).unwrap();
    l
}

fn priced(p: &mut Pipeline, o: OpportunityId, minor: i64, c: Currency) {
    let terms = DealTerms {
        amount: Some(Money::new(minor, c)),
        currency: c,
        ..DealTerms::default()
    };
    p.update_terms(o, terms, t(20)).unwrap();
}

/// Ada with a qualified lead converted to a priced opportunity.
fn with_deal() -> (Pipeline, ContactId, LeadId, OpportunityId) {
    let mut p = Pipeline::new();
    let c = p
        .add_contact(person("Ada Lovelace", "Analytical AS"), t(0))
        .unwrap();
    let l = qualified_lead(&mut p, c);
    let o = p.convert_lead(l, "Engine", t(13)).unwrap();
    priced(&mut p, o, 1_000_000, Currency::NOK);
    (p, c, l, o)
}

#[test]
fn the_language_is_a_stored_setting_that_can_be_undone() {
    use crate::domain::stored::{from_json, to_json};
    let mut p = Pipeline::new();
    let unset = to_json(p.data());
    assert!(!unset.contains("language"), "unset is not written: {unset}");
    assert_eq!(p.language(), None);

    p.set_language(Some(Language::Nb)).unwrap();
    assert_eq!(p.language(), Some(Language::Nb));
    let stored = to_json(p.data());
    assert!(stored.contains(r#""language":"nb""#), "{stored}");
    let back: PipelineData = from_json(&stored).unwrap();
    assert_eq!(back.language, Some(Language::Nb));
    assert_eq!(
        p.undo_label().map(|l| l.action),
        Some(UndoAction::SetLanguage)
    );

    // Choosing the same again is no change and no undo step.
    let steps = p.undo.len();
    p.set_language(Some(Language::Nb)).unwrap();
    assert_eq!(p.undo.len(), steps);

    p.undo().unwrap();
    assert_eq!(p.language(), None);
    assert_eq!(to_json(p.data()), unset);

    // A language this version does not speak follows the browser
    // instead of making the whole pipeline unreadable.
    let unknown = r#"{"next_id":1,"language":"de"}"#;
    let data: PipelineData = from_json(unknown).unwrap();
    assert_eq!(data.language, None);
}

#[test]
fn contacts_are_added_updated_and_undone() {
    let mut p = Pipeline::new();
    let empty = json(&p);
    let c = p.add_contact(person("Ada Lovelace", ""), t(0)).unwrap();
    assert_eq!(c, ContactId(1));
    assert_eq!(
        p.undo_label().unwrap().to_string(),
        "Added contact Ada Lovelace"
    );
    let before_edit = json(&p);
    let mut f = p.contact(c).unwrap().fields();
    assert!(!p.update_contact(c, f.clone(), t(1)).unwrap());
    assert_eq!(
        p.undo_label().unwrap().action,
        UndoAction::AddContact,
        "no-op makes no step"
    );
    f.title = "Countess".into();
    assert!(p.update_contact(c, f, t(2)).unwrap());
    assert_eq!(p.contact(c).unwrap().updated_at(), t(2));
    assert_eq!(p.undo().unwrap().to_string(), "Edited contact Ada Lovelace");
    assert_eq!(json(&p), before_edit);
    p.undo().unwrap();
    assert_eq!(json(&p), empty);
    assert_eq!(p.undo().unwrap_err(), DomainError::NothingToUndo);
}

#[test]
fn invalid_fields_are_refused_even_without_a_form() {
    let mut p = Pipeline::new();
    let bad = ContactFields {
        name: "  ".into(),
        website: "javascript:alert(1)".into(),
        ..ContactFields::default()
    };
    match p.add_contact(bad, t(0)).unwrap_err() {
        DomainError::Invalid(e) => {
            assert_eq!(e.message(Field::Name).as_deref(), Some("Name is required"));
            assert!(e.get(Field::Website).is_some());
        }
        other => panic!("{other}"),
    }
    assert!(p.contacts().is_empty());
    assert_eq!(p.next_id(), 1, "a refused command allocates nothing");
    assert!(!p.can_undo());
}

#[test]
fn custom_sources_are_registered_and_guarded() {
    let mut p = Pipeline::new();
    let mut f = person("Ada", "");
    f.source = Source::Custom("Podcast".into());
    let c = p.add_contact(f.clone(), t(0)).unwrap();
    assert_eq!(p.custom_sources(), ["Podcast".to_owned()]);
    f.source = Source::Custom("podcast".into());
    p.add_contact(f, t(1)).unwrap();
    assert_eq!(p.custom_sources().len(), 1, "matched ignoring case");
    assert_eq!(p.contacts()[1].source, Source::Custom("Podcast".into()));
    assert_eq!(
        p.remove_source("Podcast").unwrap_err().to_string(),
        "The source “Podcast” cannot be removed: 2 contact(s) use it"
    );
    assert!(matches!(
        p.add_source("podcast"),
        Err(DomainError::SourceExists(_))
    ));
    assert!(matches!(
        p.add_source("Referral"),
        Err(DomainError::SourceExists(_))
    ));
    p.add_source("Newsletter").unwrap();
    p.remove_source("newsletter").unwrap();
    p.undo().unwrap();
    assert_eq!(p.sources().len(), Source::BUILT_IN.len() + 2);
    p.undo().unwrap();
    p.undo().unwrap();
    p.undo().unwrap();
    assert!(
        p.custom_sources().is_empty(),
        "undo of the first add removes the source"
    );
    assert!(p.contact(c).is_none());
}

#[test]
fn one_active_lead_per_contact() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = p.make_lead(c, t(1)).unwrap();
    assert_eq!(
        p.make_lead(c, t(2)).unwrap_err().to_string(),
        "Ada already has an active lead: work on that one, or disqualify it first"
    );
    p.disqualify(l, DisqualifyReason::BadTiming, "", t(3))
        .unwrap();
    let l2 = p.make_lead(c, t(4)).unwrap();
    assert_eq!(p.lead_for_contact(c).unwrap().id, l2);
    assert_eq!(p.leads_for_contact(c).count(), 2);
    assert!(matches!(
        p.reopen_lead(l, t(5)),
        Err(DomainError::LeadExists { .. })
    ));
    assert!(matches!(
        p.make_lead(ContactId(99), t(5)),
        Err(DomainError::NotFound {
            kind: RecordKind::Contact,
            id: 99
        })
    ));
}

#[test]
fn lead_commands_delegate_and_record() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = p.make_lead(c, t(1)).unwrap();
    p.mark_contacted(l, t(2)).unwrap();
    assert_eq!(
        p.undo_label().unwrap().to_string(),
        "Marked Ada as contacted"
    );
    assert!(matches!(
        p.qualify(l, t(3)),
        Err(DomainError::GateNotMet { .. })
    ));
    assert_eq!(p.undo_label().unwrap().action, UndoAction::MarkContacted);
    p.update_lead(l, BuyingRole::DecisionMaker, "CRM", t(4))
        .unwrap();
    p.set_timeline_date(l, Some(day(30)), t(4)).unwrap();
    for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        p.set_criterion(l, k, true, t(5)).unwrap();
    }
    p.qualify(l, t(6)).unwrap();
    assert_eq!(p.lead(l).unwrap().score(), 80);
    p.set_criterion(l, Criterion::Timeline, false, t(7))
        .unwrap();
    assert_eq!(p.lead(l).unwrap().status, LeadStatus::Contacted);
    assert_eq!(
        p.undo().unwrap().to_string(),
        "Changed the checklist of Ada"
    );
    assert_eq!(p.lead(l).unwrap().status, LeadStatus::Qualified);
    p.disqualify(l, DisqualifyReason::NoBudget, "cut", t(8))
        .unwrap();
    p.reopen_lead(l, t(9)).unwrap();
    assert_eq!(p.lead(l).unwrap().status, LeadStatus::Contacted);
}

#[test]
fn convert_only_a_qualified_lead_and_link_both_ways() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = p.make_lead(c, t(1)).unwrap();
    assert_eq!(
        p.convert_lead(l, "", t(2)).unwrap_err().to_string(),
        "Only a qualified lead can be converted to an opportunity (this lead is New)"
    );
    p.mark_contacted(l, t(2)).unwrap();
    assert!(matches!(
        p.convert_lead(l, "", t(2)),
        Err(DomainError::NotQualified { .. })
    ));
    p.disqualify(l, DisqualifyReason::Other, "", t(2)).unwrap();
    assert!(matches!(
        p.convert_lead(l, "", t(2)),
        Err(DomainError::NotQualified { .. })
    ));
    p.reopen_lead(l, t(3)).unwrap();
    for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        p.set_criterion(l, k, true, t(4)).unwrap();
    }
    p.qualify(l, t(5)).unwrap();
    p.update_lead(l, BuyingRole::Advisor, "Website", t(5))
        .unwrap();
    p.set_default_currency(Currency::EUR).unwrap();
    let before = json(&p);
    let o = p.convert_lead(l, "  ", t(6)).unwrap();
    let opp = p.opportunity(o).unwrap();
    assert_eq!(opp.name, "Ada: Website");
    assert_eq!(opp.lead, Some(l));
    assert_eq!(opp.contact, c);
    assert_eq!(opp.stage(), Stage::NeedsAnalysis);
    assert_eq!(opp.terms.currency, Currency::EUR);
    assert_eq!(p.lead(l).unwrap().opportunity(), Some(o));
    assert_eq!(p.opportunities_for_contact(c).count(), 1);
    p.check_integrity().unwrap();

    // The converted lead is read-only.
    let frozen = json(&p);
    assert_eq!(
        p.convert_lead(l, "", t(7)).unwrap_err(),
        DomainError::LeadConverted
    );
    assert_eq!(
        p.set_criterion(l, Criterion::Need, false, t(7))
            .unwrap_err(),
        DomainError::LeadConverted
    );
    assert!(p.update_lead(l, BuyingRole::User, "", t(7)).is_err());
    assert!(p.disqualify(l, DisqualifyReason::Other, "", t(7)).is_err());
    assert!(p.add_note(RecordRef::Lead(l), "hi", t(7)).is_err());
    assert_eq!(json(&p), frozen);

    assert_eq!(
        p.undo().unwrap().to_string(),
        "Converted Ada to an opportunity"
    );
    assert_eq!(json(&p), before);
    assert!(p.convert_lead(l, &"x".repeat(201), t(8)).is_err());
}

mod deals;
mod merge;

#[test]
fn only_a_command_that_changes_something_counts_as_a_change() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Ada", "Engines"), t(1)).unwrap();
    let after_add = p.changes();
    assert_eq!(after_add, 1);
    // The same fields again, and a refused edit: nothing changed.
    assert!(!p.update_contact(c, person("Ada", "Engines"), t(2)).unwrap());
    let mut refused = person("Ada", "Engines");
    refused.name = String::new();
    assert!(p.update_contact(c, refused, t(2)).is_err());
    assert_eq!(p.changes(), after_add);
    assert!(p
        .update_contact(c, person("Ada L", "Engines"), t(3))
        .unwrap());
    assert_eq!(p.changes(), after_add + 1);
    p.undo().unwrap();
    assert_eq!(p.changes(), after_add + 2, "Undo is a change too");
}

#[test]
fn sample_data_fills_an_empty_pipeline_and_comes_out_without_the_users_records() {
    let today = day(20);
    let mut p = Pipeline::new();
    p.set_default_currency(Currency::EUR).unwrap();
    let sample = crate::domain::sample::generate(3, 60, 24, today);
    let sample_contacts = sample.contacts().len();
    p.add_sample(sample.clone()).unwrap();
    assert!(p.has_sample());
    assert_eq!(p.contacts().len(), sample_contacts);
    assert_eq!(p.default_currency(), Currency::EUR, "settings stay");
    assert_eq!(p.undo_label().unwrap().to_string(), "Added sample data");
    assert_eq!(
        p.add_sample(sample.clone()),
        Err(DomainError::SampleNeedsEmpty)
    );

    // The user's own work: a contact, and a deal for a sample customer.
    let own = p
        .add_contact(person("My Own Client", "Mine AS"), t(100))
        .unwrap();
    let customer = p.accounts()[0].id;
    let customer_contact = p.accounts()[0].contact;
    let deal = p
        .open_opportunity_for_account(customer, "Repeat order", t(101))
        .unwrap();

    let removed = p.remove_sample().unwrap();
    p.check_integrity().unwrap();
    assert!(!p.has_sample());
    assert!(p.contact(own).is_some());
    assert!(p.opportunity(deal).is_some());
    assert!(p.account(customer).is_some(), "the deal's customer stays");
    assert!(p.contact(customer_contact).is_some());
    let left = p.contacts().len() + p.leads().len() + p.opportunities().len() + p.accounts().len();
    assert_eq!(
        left,
        removed.kept + 2,
        "the sample records in use, the own contact and deal"
    );
    assert!(removed.removed > 100);
    assert!(p.contacts().len() < 10);
    assert_eq!(p.remove_sample(), Err(DomainError::NoSample));

    // Undo puts the sample back; undo again takes it out as it came.
    p.undo().unwrap();
    assert!(p.has_sample());
    assert_eq!(p.contacts().len(), sample_contacts + 1);
}

#[test]
fn sample_data_alone_comes_out_whole() {
    let mut p = Pipeline::new();
    p.add_sample(crate::domain::sample::generate(4, 60, 24, day(20)))
        .unwrap();
    let own = p.add_contact(person("Mine", ""), t(5)).unwrap();
    let removed = p.remove_sample().unwrap();
    assert_eq!(removed.kept, 0);
    assert_eq!(p.contacts().len(), 1);
    assert!(p.contact(own).is_some());
    assert!(p.leads().is_empty() && p.opportunities().is_empty() && p.accounts().is_empty());
    p.check_integrity().unwrap();
}
