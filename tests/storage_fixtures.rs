//! Every stored schema ever shipped must still load. One test per fixture in
//! `tests/fixtures/storage/`; see `src/storage/migrate.rs` for how to add one.
#![cfg(not(target_arch = "wasm32"))]

use leadline::storage::{decode, peek_revision, LoadProblem, Loaded, CURRENT_SCHEMA};
use serde::Deserialize;
use serde_json::Value;

const V1: &str = include_str!("fixtures/storage/v1-envelope.json");

#[derive(Debug, Deserialize, PartialEq)]
struct Contact {
    id: u64,
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
    assert_eq!(loaded.data["settings"]["default_currency"], "NOK");
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
fn current_schema_is_covered_by_a_fixture() {
    // When CURRENT_SCHEMA goes up, add `v{N}-envelope.json` and a test here.
    assert_eq!(CURRENT_SCHEMA, 1);
}

#[test]
fn a_fixture_with_the_wrong_shape_is_invalid_not_a_panic() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        contacts: Vec<u32>,
    }
    assert!(matches!(
        decode::<Wrong>(V1),
        Err(LoadProblem::Invalid { .. })
    ));
}
