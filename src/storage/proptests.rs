//! Properties of the stored format (serde derives through serde_json): any
//! pipeline reads back exactly as written, and no input, however damaged,
//! makes reading panic; a damaged record is named in the error.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;

use super::json::{from_json, Value};
use crate::domain::account::Account;
use crate::domain::contact::{Contact, ContactKind, Source};
use crate::domain::error::Field;
use crate::domain::history::{Event, History, HistoryEntry};
use crate::domain::ids::{AccountId, ContactId, LeadId, OpportunityId};
use crate::domain::lead::{
    BuyingRole, Checklist, Criterion, DisqualifyReason, Lead, LeadStatus, LeadStatusKind,
};
use crate::domain::money::{Currency, Money};
use crate::domain::opportunity::{
    ContractStatus, DealTerms, LostReason, Opportunity, OpportunityStatus, PaymentTerms, Stage,
};
use crate::domain::pipeline::{Pipeline, PipelineData};
use crate::domain::stored::to_json;
use crate::storage::envelope::{decode, encode};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Any text, including quotes, backslashes, control characters and
/// characters outside the Basic Multilingual Plane.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z\"\\\\/\u{0}-\u{1f}\u{7f}ø😀\u{2028}]{0,12}",
        Just(String::new()),
    ]
}

fn pick<T: Clone + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    (0..all.len()).prop_map(move |i| all[i].clone())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    // Years -9999 to 9999: the signed and padded forms too.
    (-3_650_000i32..3_600_000)
        .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default())
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (-50_000_000_000i64..50_000_000_000)
        .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![pick(&Source::BUILT_IN), text().prop_map(Source::Custom)]
}

fn event() -> impl Strategy<Value = Event> {
    let stage = || pick(&Stage::ALL);
    let status = || pick(&LeadStatusKind::ALL);
    prop_oneof![
        prop::collection::vec(pick(&Field::ALL), 0..4).prop_map(|fields| Event::Updated { fields }),
        text().prop_map(|text| Event::Note { text }),
        (status(), status()).prop_map(|(from, to)| Event::StatusChanged { from, to }),
        (status(), pick(&DisqualifyReason::ALL), text())
            .prop_map(|(from, reason, note)| Event::Disqualified { from, reason, note }),
        (pick(&Criterion::ALL), any::<bool>())
            .prop_map(|(criterion, checked)| Event::CriterionChanged { criterion, checked }),
        any::<u64>().prop_map(|id| Event::Converted {
            opportunity: OpportunityId(id)
        }),
        (stage(), stage()).prop_map(|(from, to)| Event::StageChanged { from, to }),
        stage().prop_map(|from| Event::Won { from }),
        (stage(), pick(&LostReason::ALL)).prop_map(|(from, reason)| Event::Lost { from, reason }),
        stage().prop_map(|to| Event::Reopened { to }),
        any::<u64>().prop_map(|id| Event::DealWon {
            opportunity: OpportunityId(id)
        }),
        any::<u64>().prop_map(|id| Event::DealReopened {
            opportunity: OpportunityId(id)
        }),
        any::<u64>().prop_map(|id| Event::ContactAdded {
            contact: ContactId(id)
        }),
        any::<u64>().prop_map(|id| Event::ContactRemoved {
            contact: ContactId(id)
        }),
        any::<u64>().prop_map(|id| Event::PrimaryContactChanged {
            contact: ContactId(id)
        }),
    ]
}

fn history() -> impl Strategy<Value = History> {
    prop::collection::vec((time(), event()), 0..4).prop_map(|entries| {
        History::from(
            entries
                .into_iter()
                .map(|(at, event)| HistoryEntry {
                    at,
                    event,
                    id: None,
                })
                .collect::<Vec<_>>(),
        )
    })
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        (
            any::<u64>(),
            text(),
            pick(&ContactKind::ALL),
            text(),
            text(),
        ),
        (text(), text(), text(), source(), text()),
        (prop::collection::vec(text(), 0..3), time(), history()),
    )
        .prop_map(
            |(
                (id, name, kind, organisation, title),
                (email, phone, website, source, notes),
                (tags, created_at, history),
            )| Contact {
                id: ContactId(id),
                name,
                kind,
                organisation,
                title,
                email,
                phone,
                website,
                source,
                notes,
                tags,
                created_at,
                history,
                stamps: Default::default(),
                derived: Default::default(),
            },
        )
}

fn lead() -> impl Strategy<Value = Lead> {
    let checklist = (any::<[bool; 4]>(), prop::option::of(date())).prop_map(
        |([need, budget, timeline, authority], timeline_date)| Checklist {
            need,
            budget,
            timeline,
            timeline_date,
            authority,
        },
    );
    let status = prop_oneof![
        Just(LeadStatus::New),
        Just(LeadStatus::Contacted),
        Just(LeadStatus::Qualified),
        (pick(&DisqualifyReason::ALL), text())
            .prop_map(|(reason, note)| LeadStatus::Disqualified { reason, note }),
        any::<u64>().prop_map(|id| LeadStatus::Converted {
            opportunity: OpportunityId(id)
        }),
    ];
    (
        (any::<u64>(), any::<u64>(), pick(&BuyingRole::ALL), text()),
        (checklist, status, time(), history()),
        (text(), proptest::option::of(date())),
    )
        .prop_map(
            |(
                (id, contact, buying_role, interest),
                (checklist, status, created_at, history),
                (next_step, next_step_date),
            )| {
                Lead {
                    id: LeadId(id),
                    contact: ContactId(contact),
                    buying_role,
                    interest,
                    checklist,
                    next_step,
                    next_step_date,
                    status,
                    created_at,
                    history,
                    stamps: Default::default(),
                    derived: Default::default(),
                }
            },
        )
}

fn terms() -> impl Strategy<Value = DealTerms> {
    let money = (any::<i64>(), pick(&Currency::ALL))
        .prop_map(|(minor, currency)| Money { minor, currency });
    let payment = prop_oneof![
        pick(&PaymentTerms::PRESETS),
        text().prop_map(PaymentTerms::Custom)
    ];
    (
        (
            prop::option::of(money),
            pick(&Currency::ALL),
            prop::option::of(payment),
            pick(&ContractStatus::ALL),
            prop::option::of(date()),
        ),
        (
            prop::option::of(any::<u8>()),
            text(),
            any::<bool>(),
            prop::collection::vec(text(), 0..3),
            text(),
            prop::option::of(date()),
        ),
    )
        .prop_map(
            |(
                (amount, currency, payment_terms, contract_status, expected_close),
                (
                    probability_override,
                    current_supplier,
                    current_supplier_dismissed,
                    competitors,
                    next_step,
                    next_step_date,
                ),
            )| DealTerms {
                amount,
                currency,
                payment_terms,
                contract_status,
                expected_close,
                probability_override,
                current_supplier,
                current_supplier_dismissed,
                competitors,
                next_step,
                next_step_date,
            },
        )
}

fn opportunity() -> impl Strategy<Value = Opportunity> {
    let status = prop_oneof![
        Just(OpportunityStatus::NeedsAnalysis),
        Just(OpportunityStatus::Proposal),
        Just(OpportunityStatus::Negotiation),
        Just(OpportunityStatus::Contract),
        date().prop_map(|closed_on| OpportunityStatus::Won { closed_on }),
        (pick(&LostReason::ALL), text(), date()).prop_map(|(reason, note, closed_on)| {
            OpportunityStatus::Lost {
                reason,
                note,
                closed_on,
            }
        }),
    ];
    (
        (any::<u64>(), text(), any::<u64>()),
        (
            prop::option::of(any::<u64>()),
            prop::option::of(any::<u64>()),
        ),
        (status, terms(), time(), history()),
    )
        .prop_map(
            |((id, name, contact), (lead, account), (status, terms, created_at, history))| {
                Opportunity {
                    id: OpportunityId(id),
                    name,
                    contact: ContactId(contact),
                    lead: lead.map(LeadId),
                    account: account.map(AccountId),
                    status,
                    terms,
                    created_at,
                    history,
                    stamps: Default::default(),
                    derived: Default::default(),
                }
            },
        )
}

fn account() -> impl Strategy<Value = Account> {
    (
        (any::<u64>(), text(), any::<u64>()),
        prop::collection::vec(any::<u64>(), 0..3),
        (date(), prop::collection::vec(any::<u64>(), 0..3)),
        (time(), history()),
    )
        .prop_map(
            |((id, name, contact), contacts, (customer_since, won), (created_at, history))| {
                Account {
                    id: AccountId(id),
                    name,
                    contact: ContactId(contact),
                    contacts: contacts.into_iter().map(ContactId).collect(),
                    customer_since,
                    won_deals: won.into_iter().map(OpportunityId).collect(),
                    created_at,
                    history,
                    stamps: Default::default(),
                    derived: Default::default(),
                }
            },
        )
}

fn pipeline_data() -> impl Strategy<Value = PipelineData> {
    (
        (
            any::<u64>(),
            pick(&Currency::ALL),
            prop::option::of(prop::sample::select(&crate::language::Language::ALL[..])),
            prop::collection::vec(text(), 0..3),
        ),
        prop::collection::vec(contact(), 0..4),
        prop::collection::vec(lead(), 0..4),
        prop::collection::vec(opportunity(), 0..4),
        prop::collection::vec(account(), 0..3),
    )
        .prop_map(
            |(
                (next_id, default_currency, language, custom_sources),
                contacts,
                leads,
                opportunities,
                accounts,
            )| {
                PipelineData {
                    next_id,
                    default_currency,
                    language,
                    custom_sources,
                    contacts,
                    leads,
                    opportunities,
                    accounts,
                    sample: (next_id % 3 == 0).then_some(crate::domain::SampleIds {
                        first: next_id / 2,
                        end: next_id,
                    }),
                    ..PipelineData::default()
                }
            },
        )
}

/// A valid stored pipeline of a few records, to damage.
fn stored_pipeline() -> String {
    let start = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    let p = crate::domain::sample::generate(3, 6, 4, start);
    to_json(&p)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_pipeline_reads_back_exactly_as_written(data in pipeline_data()) {
        let text = to_json(&data);
        // Valid JSON by another reader's judgement too.
        prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{}", text);
        let back: PipelineData = from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &data);
        prop_assert_eq!(to_json(&back), text);
    }

    #[test]
    fn any_text_reads_back_whatever_escapes_it_uses(s in any::<String>()) {
        // As serde_json writes it, and with every character escaped as \uXXXX
        // (surrogate pairs outside the Basic Multilingual Plane).
        let plain = serde_json::to_string(&s).unwrap_or_default();
        let escaped: String = std::iter::once("\"".to_owned())
            .chain(s.encode_utf16().map(|u| format!("\\u{u:04X}")))
            .chain(std::iter::once("\"".to_owned()))
            .collect();
        for text in [plain, escaped] {
            prop_assert_eq!(from_json::<Value>(&text), Ok(Value::String(s.clone())));
        }
    }

    #[test]
    fn any_bytes_are_an_error_or_a_value_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = from_json::<PipelineData>(&text);
        let _ = from_json::<Value>(&text);
        let _ = decode::<Pipeline>(&text);
    }

    #[test]
    fn a_cut_short_pipeline_is_always_an_error(cut in 0usize..10_000) {
        let text = stored_pipeline();
        let cut = text.floor_char_boundary(cut % text.len());
        prop_assert!(from_json::<Pipeline>(&text[..cut]).is_err());
        let stored = encode(&from_json::<Pipeline>(&text).map_err(|e| TestCaseError::fail(e.to_string()))?, 1, DateTime::UNIX_EPOCH)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let cut = stored.floor_char_boundary(cut % stored.len());
        prop_assert!(decode::<Pipeline>(&stored[..cut]).is_err());
    }

    #[test]
    fn a_damaged_field_is_named_in_the_error(data in pipeline_data(), pick in any::<usize>(), what in 0usize..3) {
        prop_assume!(!data.contacts.is_empty());
        let i = pick % data.contacts.len();
        let mut value: Value = serde_json::to_value(&data).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (field, bad) = [("email", Value::from(5)), ("created_at", Value::from("noon")), ("source", Value::from("radio"))][what].clone();
        value["contacts"][i][field] = bad;
        let error = from_json::<PipelineData>(&to_json(&value)).err();
        prop_assert_eq!(error.map(|e| e.path), Some(format!("contacts[{i}].{field}")));
    }

    #[test]
    fn a_changed_byte_is_an_error_or_a_pipeline_never_a_panic(at in 0usize..10_000, byte in any::<u8>()) {
        let mut bytes = stored_pipeline().into_bytes();
        let at = at % bytes.len();
        bytes[at] = byte;
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(p) = from_json::<Pipeline>(&text) {
            // Whatever was read is whole: it writes and reads back the same.
            prop_assert_eq!(from_json::<Pipeline>(&to_json(&p)).ok(), Some(p));
        }
    }
}

#[test]
fn stored_is_implemented_for_every_record_on_its_own() {
    // The per-record impls read what the pipeline writes for each record.
    let start = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    let p = crate::domain::sample::generate(5, 20, 10, start);
    fn same<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(items: &[T]) {
        for item in items {
            assert_eq!(from_json::<T>(&to_json(item)).as_ref(), Ok(item));
        }
    }
    same(p.contacts());
    same(p.leads());
    same(p.opportunities());
    same(p.accounts());
    assert!(!p.accounts().is_empty());
}

// ---- the stored form of each record ----------------------------------------

const CONTACT: &str = r#"{"id":1,"name":"Ada","created_at":1700000000}"#;

fn pipeline_with(contact: &str) -> String {
    format!(r#"{{"next_id":9,"contacts":[{CONTACT},{contact}]}}"#)
}

fn error(text: &str) -> String {
    match from_json::<PipelineData>(text) {
        Err(e) => e.to_string(),
        Ok(data) => panic!("{text} read as {data:?}"),
    }
}

#[test]
fn absent_fields_take_their_defaults() {
    let data: PipelineData = from_json(&pipeline_with(
        r#"{"id":2,"name":"Bo","created_at":1,"unknown":{"deep":[1,{"x":null}]}}"#,
    ))
    .unwrap_or_default();
    assert_eq!(data.default_currency, Currency::NOK);
    assert!(data.leads.is_empty() && data.custom_sources.is_empty());
    let bo = &data.contacts[1];
    assert_eq!((bo.kind, &bo.source), (ContactKind::Person, &Source::Other));
    assert!(bo.history.is_empty() && bo.tags.is_empty());
    // Written back without the unknown field and without the defaults.
    assert_eq!(
        to_json(&data),
        format!(
            r#"{{"next_id":9,"default_currency":"NOK","contacts":[{},{}],"leads":[],"opportunities":[],"accounts":[]}}"#,
            r#"{"id":1,"name":"Ada","source":"other","created_at":1700000000}"#,
            r#"{"id":2,"name":"Bo","source":"other","created_at":1}"#
        )
    );
}

#[test]
fn options_read_null_as_absent() {
    let text = r#"{"id":3,"name":"Deal","contact":1,"lead":null,"account":null,"status":"proposal","terms":{"amount":null,"payment_terms":null,"expected_close":null,"probability_override":null,"next_step_date":null},"created_at":5}"#;
    let o: Opportunity = from_json(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((o.lead, o.account, o.terms.amount), (None, None, None));
    assert_eq!(o.status, OpportunityStatus::Proposal);
}

#[test]
fn choices_read_in_both_forms() {
    let lead = r#"{"id":4,"contact":1,"status":{"qualified":null},"created_at":5}"#;
    let lead: Lead = from_json(lead).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lead.status, LeadStatus::Qualified);
    assert_eq!(
        from_json::<PaymentTerms>(r#"{"custom":"50 % up front"}"#),
        Ok(PaymentTerms::Custom("50 % up front".into()))
    );
    assert_eq!(
        from_json::<Source>(r#"{"referral":null}"#),
        Ok(Source::Referral)
    );
}

#[test]
fn errors_name_the_record_and_the_field() {
    let e = error(&pipeline_with(r#"{"id":2,"name":"Bo"}"#));
    assert!(
        e.starts_with("missing field `created_at` at contacts[1]"),
        "{e}"
    );
    let e = error(&pipeline_with(
        r#"{"id":2,"name":"Bo","created_at":1,"source":"radio"}"#,
    ));
    assert!(
        e.starts_with("unknown variant `radio`, expected one of `website`"),
        "{e}"
    );
    assert!(e.contains("at contacts[1].source"), "{e}");
    let e = error(&pipeline_with(r#"{"id":"2","name":"Bo","created_at":1}"#));
    assert!(
        e.starts_with("“2” is not a record id at contacts[1].id"),
        "{e}"
    );
    let e = error(&pipeline_with(
        r#"{"id":2,"name":"Bo","created_at":1,"history":[{"at":1,"event":{"won":{}}}]}"#,
    ));
    assert!(
        e.contains("missing field `from` at contacts[1].history[0].event.won"),
        "{e}"
    );
    let e = error(r#"{"contacts":[]}"#);
    assert!(
        e.starts_with("missing field `next_id` at line 1 column 1"),
        "{e}"
    );
    let text = r#"{"next_id":1,"opportunities":[{"id":1,"name":"x","contact":1,"status":{"won":{"closed_on":"9 March"}},"created_at":1}]}"#;
    let e = error(text);
    assert!(e.contains("input contains invalid characters"), "{e}");
    assert!(e.contains("opportunities[0].status.won.closed_on"), "{e}");
}

#[test]
fn integrity_errors_come_from_the_domain() {
    let text = r#"{"next_id":5,"leads":[{"id":1,"contact":99,"created_at":1}]}"#;
    assert!(from_json::<PipelineData>(text).is_ok());
    assert!(from_json::<Pipeline>(text).is_err());
}
