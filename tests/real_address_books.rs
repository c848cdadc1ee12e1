//! Real address-book exports from other programs' public test suites
//! (`tests/fixtures/transfer/real/`, origins and licences in its README),
//! each checked against what a person reading the file expects
//! (`expected.json`, written by reading the files, not by running this
//! importer).
//!
//! A file comes in whole when every contact with a name comes in, and each
//! expected value is there: kept when it passes its field's check, or else
//! listed as left out (a phone written as a word). Only a contact with no
//! name at all may be left out.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use leadline::domain::{ContactDraft, ContactKind, Field, FieldProblem};
use leadline::transfer::checked::{CheckedRows, RowColumn, RowMessage};
use leadline::transfer::csv_import::{check_rows, read_csv};
use leadline::transfer::vcard::read_vcards;
use serde_json::Value;

fn folder() -> String {
    format!(
        "{}/tests/fixtures/transfer/real",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn read(file: &str) -> Result<CheckedRows, String> {
    let bytes = std::fs::read(format!("{}/{file}", folder())).map_err(|e| e.to_string())?;
    if file.ends_with(".csv") {
        let table = read_csv(&bytes).map_err(|e| e.to_string())?;
        Ok(check_rows(&table, &table.guess_mapping()))
    } else {
        read_vcards(&bytes).map_err(|e| e.to_string())
    }
}

/// Whether a value passes its field's own check.
fn valid(field: Field, value: &str) -> bool {
    let mut draft = ContactDraft {
        name: "x".into(),
        ..ContactDraft::default()
    };
    match field {
        Field::Email => draft.email = value.into(),
        Field::Phone => draft.phone = value.into(),
        _ => return true,
    }
    draft.validate().is_ok()
}

/// What is wrong with one file, if anything.
fn problems(entry: &Value) -> Vec<String> {
    let file = entry["file"].as_str().unwrap();
    let rows = match read(file) {
        Ok(rows) => rows,
        Err(e) => return vec![format!("refused: {e}")],
    };
    let mut out = Vec::new();
    let nameless = |m: &RowMessage| matches!(m, RowMessage::Field(e) if e.field == Field::Name && e.problem == FieldProblem::Required);
    for e in rows.errors.iter().filter(|e| !nameless(&e.message)) {
        out.push(format!("left out: {e}"));
    }
    // Every contact of the file in its order, by row: Some(index) if it came in.
    let mut units: Vec<(usize, Option<usize>)> = rows
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.row, Some(i)))
        .chain(rows.errors.iter().map(|e| (e.row, None)))
        .collect();
    units.sort();
    units.dedup_by_key(|u| u.0);
    let contacts = entry["contacts"].as_u64().unwrap() as usize;
    if units.len() != contacts {
        out.push(format!(
            "{} contacts read, {contacts} in the file",
            units.len()
        ));
    }
    for (n, expect) in entry["expect"].as_array().unwrap().iter().enumerate() {
        let Some(&(row, Some(index))) = units.get(n) else {
            if expect.get("name").is_some() {
                out.push(format!("contact {} did not come in", n + 1));
            }
            continue;
        };
        let got = &rows.records[index].fields;
        for (key, want) in expect.as_object().unwrap() {
            let want = want.as_str().unwrap();
            let (field, value) = match key.as_str() {
                "name" => (Field::Name, &got.name),
                "email" => (Field::Email, &got.email),
                "phone" => (Field::Phone, &got.phone),
                "title" => (Field::Title, &got.title),
                "organisation" if got.kind == ContactKind::Organisation => {
                    (Field::Organisation, &got.name)
                }
                "organisation" => (Field::Organisation, &got.organisation),
                _ => continue,
            };
            if valid(field, want) {
                if value != want {
                    out.push(format!(
                        "contact {}: {key} is “{value}”, not “{want}”",
                        n + 1
                    ));
                }
            } else {
                let listed = rows.warnings.iter().any(|w| {
                    w.row == row
                        && w.column == RowColumn::Field(field)
                        && matches!(&w.message, RowMessage::LeftOut { value, .. } if value == want)
                });
                if !value.is_empty() || !listed {
                    out.push(format!(
                        "contact {}: {key} “{want}” neither kept nor listed as left out",
                        n + 1
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn real_exports_come_in_whole() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/expected.json", folder())).unwrap(),
    )
    .unwrap();
    let files = expected["files"].as_array().unwrap();
    assert!(files.len() >= 20, "the corpus has at least 20 files");
    let mut failed = Vec::new();
    for entry in files {
        let found = problems(entry);
        if !found.is_empty() {
            failed.push(format!("{}:\n  {}", entry["file"], found.join("\n  ")));
        }
    }
    println!(
        "{} of {} real address-book files come in whole",
        files.len() - failed.len(),
        files.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
