//! Every stored schema ever shipped must still load. One test per fixture in
//! `tests/fixtures/storage/`; see `src/storage/migrate.rs` for how to add one.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use leadline::storage::envelope::revision_from_head;
use leadline::storage::{decode, peek_revision, LoadProblem, Loaded, Value, CURRENT_SCHEMA};
use serde::Deserialize;

const V1: &str = include_str!("fixtures/storage/v1-envelope.json");
/// The same document as stored by `encode`: data compressed and packed
/// (`"encoding":"lz4-u15"`). The packed form must keep loading too.
const V1_PACKED: &str = include_str!("fixtures/storage/v1-envelope-packed.json");

/// The fixture's own shape, read strictly: a missing field is an error
/// (an email may be `null` or absent).
#[derive(Debug, PartialEq, Deserialize)]
struct Contact {
    id: leadline::domain::ContactId,
    name: String,
    email: Option<String>,
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Payload {
    contacts: Vec<Contact>,
}

#[test]
fn v1_fixture_decodes_as_any_json() {
    let loaded: Loaded<Value> = match decode(V1) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("v1 fixture does not load: {problem:?}"),
    };
    assert_eq!(loaded.revision, 7);
    assert_eq!(loaded.stored_schema, 1);
    assert_eq!(loaded.saved_at.to_rfc3339(), "2025-01-15T10:30:00+00:00");
    let currency = loaded
        .data
        .get("settings")
        .and_then(|s| s.get("default_currency"))
        .and_then(Value::as_str);
    assert_eq!(currency, Some("NOK"));
}

#[test]
fn v1_fixture_decodes_into_types() {
    let loaded: Loaded<Payload> = match decode(V1) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("v1 fixture does not load: {problem:?}"),
    };
    assert_eq!(loaded.data.contacts.len(), 2);
    assert_eq!(loaded.data.contacts[1].name, "Bjørn Ærø 🚀");
    assert_eq!(loaded.data.contacts[1].email, None);
}

#[test]
fn v1_fixture_revision_can_be_peeked() {
    // Pretty-printed, so this goes through the full-scan fallback.
    assert_eq!(peek_revision(V1), Some(7));
}

#[test]
fn v1_packed_fixture_decodes_to_the_same_data() {
    let plain: Loaded<Value> = match decode(V1) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("v1 fixture does not load: {problem:?}"),
    };
    let packed: Loaded<Value> = match decode(V1_PACKED) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("packed v1 fixture does not load: {problem:?}"),
    };
    assert_eq!(packed, plain);
    let typed: Loaded<Payload> = match decode(V1_PACKED) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("packed v1 fixture does not load: {problem:?}"),
    };
    assert_eq!(typed.data.contacts[1].name, "Bjørn Ærø 🚀");
    assert!(V1_PACKED.contains(r#""encoding":"lz4-u15","data":""#));
    // Written by `encode`, so its revision is read from the first characters.
    assert_eq!(revision_from_head(V1_PACKED), Some(7));
    assert_eq!(peek_revision(V1_PACKED), Some(7));
}

#[test]
fn current_schema_is_covered_by_a_fixture() {
    // When CURRENT_SCHEMA goes up, add `v{N}-pipeline.json` and a test here.
    assert_eq!(CURRENT_SCHEMA, 3);
}

#[test]
fn a_fixture_with_the_wrong_shape_is_invalid_not_a_panic() {
    // The generic v1 fixture is not a pipeline: its contacts lack
    // `created_at`, and the message says which record.
    match decode::<leadline::domain::Pipeline>(V1) {
        Err(LoadProblem::Invalid { detail }) => {
            assert!(detail.contains("missing field"), "{detail}");
            assert!(detail.contains("contacts[0]"), "{detail}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// A real pipeline as schema 1 stores it (written by `encode_pretty`): every
/// lead status, every stage, accounts and histories. It must always load.
const V1_PIPELINE: &str = include_str!("fixtures/storage/v1-pipeline.json");

#[test]
fn v1_pipeline_fixture_loads_every_kind_of_record() {
    use leadline::domain::{LeadStatusKind, Pipeline, Stage};
    let loaded: Loaded<Pipeline> = match decode(V1_PIPELINE) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("v1 pipeline fixture does not load: {problem}"),
    };
    let p = &loaded.data;
    assert_eq!(loaded.revision, 12);
    assert_eq!((p.contacts().len(), p.opportunities().len()), (24, 10));
    assert!(!p.accounts().is_empty());
    for kind in [
        LeadStatusKind::New,
        LeadStatusKind::Contacted,
        LeadStatusKind::Qualified,
        LeadStatusKind::Disqualified,
        LeadStatusKind::Converted,
    ] {
        assert!(
            p.leads().iter().any(|l| l.status.kind() == kind),
            "no {kind:?} lead"
        );
    }
    for stage in [
        Stage::NeedsAnalysis,
        Stage::Proposal,
        Stage::Negotiation,
        Stage::Contract,
        Stage::Won,
        Stage::Lost,
    ] {
        assert!(
            p.opportunities().iter().any(|o| o.status.stage() == stage),
            "no {stage:?}"
        );
    }
}

/// Schema 1 had no devices: every record, its old number (in old
/// addresses such as `#/contacts/12`) and every reference come through the
/// upgrade to ids unique across devices.
#[test]
fn v1_pipeline_fixture_keeps_every_record_and_its_old_address() {
    use leadline::domain::{AccountId, ContactId, LeadId, OpportunityId, Pipeline};
    use leadline::nav::{Route, Section};
    let loaded: Loaded<Pipeline> = decode(V1_PIPELINE).expect("loads");
    let p = &loaded.data;
    let raw: Value = serde_json::from_str(V1_PIPELINE).expect("json");
    let records = |list: &str| raw["data"][list].as_array().cloned().unwrap_or_default();
    let old_number = |r: &Value| r["id"].as_u64().expect("a number");
    assert_eq!(p.contacts().len(), records("contacts").len());
    assert_eq!(p.leads().len(), records("leads").len());
    assert_eq!(p.opportunities().len(), records("opportunities").len());
    assert_eq!(p.accounts().len(), records("accounts").len());
    for r in records("contacts") {
        let n = old_number(&r);
        let Route::Record(Section::Contacts, id) = Route::from_hash(&format!("#/contacts/{n}"))
        else {
            panic!("#/contacts/{n} is not a contact's page");
        };
        let c = p.contact(ContactId(id)).expect("the old address opens it");
        assert_eq!(c.name, r["name"].as_str().unwrap_or_default());
        assert_ne!(c.id.0, n, "it has an id unique across devices");
    }
    for r in records("leads") {
        let l = p
            .lead(LeadId(old_number(&r)))
            .expect("lead by its old number");
        let contact = p
            .contact(ContactId(r["contact"].as_u64().unwrap()))
            .unwrap();
        assert_eq!(l.contact, contact.id, "the reference follows the record");
    }
    for r in records("opportunities") {
        let o = p
            .opportunity(OpportunityId(old_number(&r)))
            .expect("by its old number");
        assert_eq!(o.name, r["name"].as_str().unwrap_or_default());
    }
    for r in records("accounts") {
        let a = p
            .account(AccountId(old_number(&r)))
            .expect("by its old number");
        assert_eq!(
            a.contacts.len(),
            r["contacts"].as_array().map_or(0, Vec::len)
        );
    }
    p.check_integrity().expect("the rules hold");
}

/// A pipeline as schema 2 stores it: two devices, change clocks, a
/// tombstone, a merge and a value that lost to the other device.
const V2_PIPELINE: &str = include_str!("fixtures/storage/v2-pipeline.json");

#[test]
fn v2_pipeline_fixture_loads_devices_clocks_and_tombstones() {
    use leadline::domain::{DeviceId, Pipeline, RecordRef};
    let loaded: Loaded<Pipeline> = decode(V2_PIPELINE).expect("loads");
    let p = &loaded.data;
    assert_eq!(loaded.stored_schema, 2);
    assert_eq!(p.device(), Some(DeviceId(22)));
    assert_eq!(p.device_name(DeviceId(11)), Some("Phone"));
    assert!(!p.data().tombstones.is_empty());
    assert!(!p.data().merges.is_empty());
    let o = &p.opportunities()[0];
    let lines: Vec<String> = p
        .timeline(RecordRef::Opportunity(o.id))
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Also changed on Laptop")),
        "{lines:?}"
    );
    // Field names and shapes are the stored format: if this fails, a change
    // altered what is stored and needs a new schema version and migration.
    // Schema 3 changed only the packing: the data is written as it was.
    let written =
        leadline::storage::encode_pretty(p, loaded.revision, loaded.saved_at).expect("writes");
    assert_eq!(written, V3_PIPELINE);
    assert_eq!(
        V2_PIPELINE.replacen("\"schema\": 2,", "\"schema\": 3,", 1),
        V3_PIPELINE
    );
}

/// Schema 2 as the app stored it: the data's JSON in one LZ4 block
/// (`"lz4-u15"`), what every browser holds before its first save at
/// schema 3.
const V2_PIPELINE_PACKED: &str = include_str!("fixtures/storage/v2-pipeline-packed.json");
/// The same pipeline at schema 3, plain (the export) and as the app stores
/// it: a part per field of the data, its JSON in blocks (`"lz4-parts-u15"`).
const V3_PIPELINE: &str = include_str!("fixtures/storage/v3-pipeline.json");
const V3_PIPELINE_PACKED: &str = include_str!("fixtures/storage/v3-pipeline-packed.json");

/// What the app's start reads: the envelope unpacked, the data taken out
/// as it is, the lists read one at a time.
fn read_as_the_app_does(raw: &str) -> (leadline::domain::Pipeline, &'static str) {
    use leadline::storage::envelope::Unpacked;
    use leadline::storage::{migrate, parts::PipelineParts, Reading};
    let mut reading = Reading::start(raw, CURRENT_SCHEMA).expect("header");
    reading.unpack().expect("unpacks");
    let unpacked = reading
        .take_unpacked(migrate::SAME_LAYOUT_SINCE)
        .expect("read as it is");
    let form = match &unpacked {
        Unpacked::Json(_) => "one JSON text",
        Unpacked::Fields(_) => "fields apart",
    };
    (
        PipelineParts::new(unpacked)
            .expect("reads")
            .finish()
            .expect("holds together"),
        form,
    )
}

#[test]
fn v2_packed_and_v3_fixtures_load_the_same_pipeline() {
    use leadline::domain::Pipeline;
    let plain: Loaded<Pipeline> = decode(V2_PIPELINE).expect("v2 loads");
    for (name, raw, schema, form) in [
        ("v2 packed", V2_PIPELINE_PACKED, 2, "one JSON text"),
        ("v3 plain", V3_PIPELINE, 3, ""),
        ("v3 packed", V3_PIPELINE_PACKED, 3, "fields apart"),
    ] {
        let loaded: Loaded<Pipeline> = decode(raw).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(loaded.data, plain.data, "{name}");
        assert_eq!(
            (loaded.revision, loaded.stored_schema),
            (3, schema),
            "{name}"
        );
        if !form.is_empty() {
            assert_eq!(
                read_as_the_app_does(raw),
                (plain.data.clone(), form),
                "{name}"
            );
        }
        assert_eq!(peek_revision(raw), Some(3), "{name}");
    }
    assert!(V2_PIPELINE_PACKED.contains(r#""schema":2,"#));
    assert!(V2_PIPELINE_PACKED.contains(r#""encoding":"lz4-u15","data":""#));
    // What the app stores today, byte for byte: a change of the packing
    // needs a new schema.
    let stored =
        leadline::storage::encode(&plain.data, plain.revision, plain.saved_at).expect("stores");
    assert_eq!(stored, V3_PIPELINE_PACKED);
}

#[test]
fn schema_2_data_is_schema_3_data_unchanged() {
    // Why the app reads schema 2 as it is (`SAME_LAYOUT_SINCE`): the step
    // to schema 3 changes nothing in the data.
    use leadline::storage::migrate;
    let envelope: Value = serde_json::from_str(V2_PIPELINE).expect("JSON");
    let data = envelope["data"].clone();
    assert_eq!(migrate::SAME_LAYOUT_SINCE, 2);
    assert_eq!(migrate::migrate(data.clone(), 2), Ok(data));
}

/// The data the end-to-end tests seed into localStorage must load, and must
/// give the Today screen what those tests expect.
#[test]
fn e2e_seed_data_loads_with_an_overdue_step_and_a_quiet_lead() {
    let seed = include_str!("fixtures/e2e/today.json");
    let loaded: Loaded<leadline::domain::Pipeline> = decode(seed).expect("seed loads");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let agenda = loaded
        .data
        .agenda(today, loaded.saved_at + chrono::Duration::days(30));
    assert_eq!(agenda.due.len(), 1);
    assert_eq!(
        (agenda.due[0].name.as_str(), agenda.due[0].overdue),
        ("Nordlys rollout", true)
    );
    assert_eq!(agenda.quiet_leads.len(), 1);
    assert_eq!(agenda.quiet_leads[0].name, "Nora Berg");
}
