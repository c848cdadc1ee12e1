//! The JSON export file: the same versioned envelope the app stores, indented
//! for people to read. Importing reads it with the same decoder, so every
//! schema the app can load can also be imported, and nothing is lost on the
//! way out and back in.

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::domain::{Pipeline, RecordKind, ValidationError};
use crate::storage::{decode, encode_pretty, LoadProblem};

/// Files larger than this are refused before they are read.
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// Why an export could not be written or a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum TransferError {
    #[error("The file is {size_mb} MB; Leadline imports files of up to {limit_mb} MB.")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error("This file is not a Leadline export: {0}")]
    NotAnExport(String),
    #[error("This file was exported by a newer version of Leadline (format {found}; this version reads up to {supported}). Update Leadline to import it.")]
    NewerSchema { found: u32, supported: u32 },
    #[error("This Leadline export is damaged and cannot be imported: {0}")]
    Damaged(String),
    #[error("The export could not be written: {0}")]
    Export(String),
    #[error("{} {id} in the file: {problem}", kind.noun())]
    TooLong {
        kind: RecordKind,
        id: u64,
        problem: ValidationError,
    },
}

impl From<LoadProblem> for TransferError {
    fn from(problem: LoadProblem) -> Self {
        match problem {
            LoadProblem::NotJson { detail } => {
                TransferError::NotAnExport(format!("it is not valid JSON ({detail})"))
            }
            LoadProblem::WrongFormat { detail } => TransferError::NotAnExport(detail),
            LoadProblem::NewerSchema { found, supported } => {
                TransferError::NewerSchema { found, supported }
            }
            LoadProblem::Invalid { detail } => TransferError::Damaged(detail),
            LoadProblem::MigrationFailed { from, detail, .. } => TransferError::Damaged(format!(
                "it was written by an older version (format {from}) and could not be upgraded: {detail}"
            )),
        }
    }
}

/// What an import file holds, checked in full and ready to apply.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub pipeline: Pipeline,
    pub saved_at: DateTime<Utc>,
}

impl ImportPreview {
    /// "12 contacts, 9 leads, 4 opportunities and 1 account".
    pub fn summary(&self) -> String {
        let p = &self.pipeline;
        let part =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {} and {}",
            part(p.contacts().len(), "contact", "contacts"),
            part(p.leads().len(), "lead", "leads"),
            part(p.opportunities().len(), "opportunity", "opportunities"),
            part(p.accounts().len(), "account", "accounts"),
        )
    }
}

/// The whole pipeline as an indented JSON document.
pub fn export_json(pipeline: &Pipeline, now: DateTime<Utc>) -> Result<String, TransferError> {
    encode_pretty(pipeline, 0, now).map_err(|e| TransferError::Export(e.to_string()))
}

/// `leadline-2026-11-27.json`
pub fn export_file_name(now: DateTime<Utc>, extension: &str) -> String {
    format!(
        "leadline-{}.{extension}",
        crate::domain::time::format_date(now.date_naive())
    )
}

/// Refuses a file by its size before reading it.
pub fn check_import_size(bytes: u64) -> Result<(), TransferError> {
    if bytes > MAX_IMPORT_BYTES {
        return Err(TransferError::TooLarge {
            size_mb: bytes.div_ceil(1024 * 1024),
            limit_mb: MAX_IMPORT_BYTES / (1024 * 1024),
        });
    }
    Ok(())
}

/// Reads an export file's bytes: UTF-8, or UTF-16 with or without a byte
/// order mark (as some editors save), then [`read_json`].
pub fn read_json_bytes(bytes: &[u8]) -> Result<ImportPreview, TransferError> {
    check_import_size(bytes.len() as u64)?;
    // JSON is Unicode; anything else reads as UTF-8 with its faults marked.
    let text = super::text::decode_unicode(bytes)
        .map(|(text, _)| text)
        .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned());
    read_json(&text)
}

/// Reads and checks a whole export file. Nothing is applied here: the caller
/// shows the preview and then imports it as one undoable step.
pub fn read_json(text: &str) -> Result<ImportPreview, TransferError> {
    check_import_size(text.len() as u64)?;
    let loaded = decode::<Pipeline>(text)?;
    if let Some((kind, id, problem)) = loaded.data.text_too_long() {
        return Err(TransferError::TooLong { kind, id, problem });
    }
    Ok(ImportPreview {
        pipeline: loaded.data,
        saved_at: loaded.saved_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;
    use crate::storage::CURRENT_SCHEMA;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
    }

    fn sample_pipeline() -> Pipeline {
        sample::generate(7, 60, 25, now().date_naive())
    }

    #[test]
    fn export_then_import_round_trips_every_record() {
        let pipeline = sample_pipeline();
        let text = export_json(&pipeline, now()).unwrap();
        let preview = read_json(&text).unwrap();
        assert_eq!(preview.pipeline, pipeline);
        assert_eq!(preview.saved_at, now());
        assert_eq!(
            crate::domain::stored::to_json(&preview.pipeline),
            crate::domain::stored::to_json(&pipeline)
        );
    }

    #[test]
    fn export_is_indented_and_names_its_format() {
        let text = export_json(&Pipeline::new(), now()).unwrap();
        assert!(text.starts_with("{\n"));
        assert!(text.contains("\"format\": \"leadline\""));
        assert!(text.contains(&format!("\"schema\": {CURRENT_SCHEMA}")));
    }

    #[test]
    fn summary_counts_what_the_file_holds() {
        let preview = read_json(&export_json(&Pipeline::new(), now()).unwrap()).unwrap();
        assert_eq!(
            preview.summary(),
            "0 contacts, 0 leads, 0 opportunities and 0 accounts"
        );
    }

    #[test]
    fn a_file_that_is_not_json_is_refused_in_plain_words() {
        let err = read_json("name,email\nAda,ada@example.com").unwrap_err();
        assert!(matches!(err, TransferError::NotAnExport(_)));
        assert!(err
            .to_string()
            .starts_with("This file is not a Leadline export"));
    }

    #[test]
    fn json_from_another_program_is_refused() {
        let err = read_json(r#"{"contacts": []}"#).unwrap_err();
        assert!(matches!(err, TransferError::NotAnExport(_)), "{err:?}");
    }

    #[test]
    fn a_newer_export_is_refused_with_the_versions() {
        let text = r#"{"format":"leadline","schema":99,"revision":0,"saved_at":"2026-11-27T09:30:00.000Z","data":{}}"#;
        let err = read_json(text).unwrap_err();
        assert_eq!(
            err,
            TransferError::NewerSchema {
                found: 99,
                supported: CURRENT_SCHEMA
            }
        );
        assert!(err.to_string().contains("newer version"));
    }

    #[test]
    fn an_export_with_a_dangling_link_is_refused_whole() {
        let pipeline = sample_pipeline();
        let text = export_json(&pipeline, now()).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Point the first lead at a contact that does not exist.
        doc["data"]["leads"][0]["contact"] = serde_json::json!(999_999);
        let lead = doc["data"]["leads"][0]["id"].clone();
        let err = read_json(&serde_json::to_string_pretty(&doc).unwrap()).unwrap_err();
        assert!(matches!(err, TransferError::Damaged(_)), "{err:?}");
        // The message names the records, not where the data ends.
        assert_eq!(
            err.to_string(),
            format!("This Leadline export is damaged and cannot be imported: The data is inconsistent: lead {lead} points at contact 999999, which does not exist")
        );
    }

    #[test]
    fn texts_longer_than_the_forms_take_are_refused_naming_the_record() {
        let text = export_json(&sample_pipeline(), now()).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let id = doc["data"]["contacts"][2]["id"].clone();
        doc["data"]["contacts"][2]["name"] = serde_json::json!("N".repeat(201));
        let err = read_json(&doc.to_string()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "contact {id} in the file: Name can be at most 200 characters (this one has 201)"
            )
        );
        doc["data"]["contacts"][2]["name"] = serde_json::json!("N".repeat(200));
        assert!(read_json(&doc.to_string()).is_ok());
    }

    #[test]
    fn an_export_saved_as_utf16_without_a_byte_order_mark_imports() {
        let pipeline = sample_pipeline();
        let text = export_json(&pipeline, now()).unwrap();
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(read_json_bytes(&bytes).unwrap().pipeline, pipeline);
    }

    #[test]
    fn deep_nesting_is_skipped_or_refused_in_a_line() {
        let text = export_json(&Pipeline::new(), now()).unwrap();
        let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        // Where Leadline reads no field, the nesting is passed over.
        let extra = text.replacen(
            "\"next_id\"",
            &format!("\"extra\": {deep},\n    \"next_id\""),
            1,
        );
        assert!(read_json(&extra).is_ok());
        // Where it reads one, the message is one short line.
        let contacts = text.replacen("\"contacts\": []", &format!("\"contacts\": {deep}"), 1);
        let err = read_json(&contacts).unwrap_err().to_string();
        assert!(err.len() < 160, "{err}");
        assert!(
            err.ends_with("at data.contacts[0][0] (line 9 column 19)"),
            "{err}"
        );
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        assert!(check_import_size(MAX_IMPORT_BYTES).is_ok());
        let err = check_import_size(MAX_IMPORT_BYTES + 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The file is 21 MB; Leadline imports files of up to 20 MB."
        );
    }

    #[test]
    fn file_names_carry_the_date() {
        assert_eq!(export_file_name(now(), "json"), "leadline-2026-11-27.json");
    }
}
