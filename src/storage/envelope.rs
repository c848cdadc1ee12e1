//! The stored document: a versioned envelope around the app's data.
//!
//! ```json
//! {"format":"leadline","schema":1,"revision":7,"saved_at":"2025-01-15T10:30:00.000Z","data":{...}}
//! ```
//!
//! - `format` is always `"leadline"`: it tells our data from another app's
//!   value that happens to sit under the same key.
//! - `schema` is the version of the `data` layout ([`CURRENT_SCHEMA`]). Older
//!   schemas are upgraded on load (see [`super::migrate`]); newer ones are
//!   never read, only kept aside.
//! - `revision` counts saves (1 for the first); tabs use it to detect that
//!   someone else saved in between (see [`super::revision`]).
//! - `saved_at` is the UTC time of the save (RFC 3339, milliseconds).
//!
//! The header fields, their order and their types are frozen for every future
//! schema: only `data` may change. [`encode`] always writes them first and in
//! this order, which lets [`peek_revision`] read the revision without parsing
//! the data.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::error::StorageError;
use super::migrate::{self, Step};

/// The localStorage key of the pipeline. Namespaced: several apps share one
/// origin on GitHub Pages.
pub const APP_KEY: &str = "leadline.pipeline";
/// Every key Leadline owns starts with this.
pub const KEY_PREFIX: &str = "leadline.";
/// The `format` value of our envelope.
pub const FORMAT_NAME: &str = "leadline";
/// The schema (data layout version) this build writes and reads.
pub const CURRENT_SCHEMA: u32 = 1;

/// A decoded envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    /// The data, upgraded to the current schema.
    pub data: T,
    /// The stored revision (saves so far).
    pub revision: u64,
    /// When it was saved.
    pub saved_at: DateTime<Utc>,
    /// The schema it was stored with (less than [`CURRENT_SCHEMA`] if it was
    /// upgraded while loading).
    pub stored_schema: u32,
}

/// Why a stored value could not be loaded. Each case is kept aside
/// (quarantined), never overwritten; [`LoadProblem::user_message`] says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    /// The text is not JSON at all (damaged or cut short).
    NotJson {
        /// The parser's message.
        detail: String,
    },
    /// Valid JSON, but not a Leadline envelope.
    WrongFormat {
        /// What is missing or wrong.
        detail: String,
    },
    /// Written by a newer Leadline with a schema this build cannot read.
    NewerSchema {
        /// The stored schema.
        found: u32,
        /// The newest schema this build reads.
        supported: u32,
    },
    /// The envelope is fine but the data does not fit the expected shape.
    Invalid {
        /// serde's message (field, line and column).
        detail: String,
    },
    /// Older data whose upgrade failed.
    MigrationFailed {
        /// The schema the failing step started from.
        from: u32,
        /// The schema it was producing.
        to: u32,
        /// What went wrong.
        detail: String,
    },
}

const KEPT: &str = "It has been kept aside untouched; you can download it below.";

impl LoadProblem {
    /// A plain-words explanation for the user.
    pub fn user_message(&self) -> String {
        match self {
            LoadProblem::NotJson { .. } => format!(
                "The saved pipeline could not be read: the stored text is damaged \
                 or incomplete. {KEPT}"
            ),
            LoadProblem::WrongFormat { .. } => format!(
                "The data stored under Leadline's name in this browser was not \
                 saved by Leadline, or its header is damaged. {KEPT}"
            ),
            LoadProblem::NewerSchema { found, supported } => format!(
                "The saved pipeline was written by a newer version of Leadline \
                 (format {found}; this version reads up to {supported}). {KEPT}"
            ),
            LoadProblem::Invalid { detail } => {
                format!("The saved pipeline is damaged and could not be opened ({detail}). {KEPT}")
            }
            LoadProblem::MigrationFailed { from, detail, .. } => format!(
                "The saved pipeline was written by an older version of Leadline \
                 (format {from}) and could not be upgraded ({detail}). {KEPT}"
            ),
        }
    }
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for LoadProblem {}

/// Formats a time the way envelopes and quarantine keys store it.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    format: &'static str,
    schema: u32,
    revision: u64,
    saved_at: String,
    data: &'a T,
}

/// Wraps `data` in a current-schema envelope with the given revision.
pub fn encode<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    encode_as(data, revision, now, false)
}

/// The same envelope, indented for people to read: the JSON export file.
pub fn encode_pretty<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    encode_as(data, revision, now, true)
}

fn encode_as<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
    pretty: bool,
) -> Result<String, StorageError> {
    let envelope = EnvelopeOut {
        format: FORMAT_NAME,
        schema: CURRENT_SCHEMA,
        revision,
        saved_at: format_time(now),
        data,
    };
    let text = if pretty {
        serde_json::to_string_pretty(&envelope)
    } else {
        serde_json::to_string(&envelope)
    };
    text.map_err(|e| StorageError::Serialize(e.to_string()))
}

/// Reads an envelope at the current schema with the shipped migrations.
pub fn decode<T: DeserializeOwned>(raw: &str) -> Result<Loaded<T>, LoadProblem> {
    decode_with(raw, migrate::STEPS, CURRENT_SCHEMA)
}

#[derive(Deserialize)]
struct Full<T> {
    format: String,
    schema: u64,
    revision: u64,
    saved_at: DateTime<Utc>,
    data: T,
}

/// Records whether a field was present at all (even as `null`) without
/// keeping its value.
#[derive(Default)]
struct Seen(bool);

impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer)?;
        Ok(Seen(true))
    }
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    schema: Option<u64>,
    revision: Option<u64>,
    saved_at: Option<String>,
    #[serde(default)]
    data: Seen,
}

#[derive(Deserialize)]
struct DataValue {
    data: Value,
}

/// Reads an envelope whose data is upgraded with `steps` up to schema
/// `current`. [`decode`] is this with the shipped chain; tests use it with a
/// fake one.
pub fn decode_with<T: DeserializeOwned>(
    raw: &str,
    steps: &[Step],
    current: u32,
) -> Result<Loaded<T>, LoadProblem> {
    // Fast path, one pass: a current envelope whose data fits.
    let typed_error = match serde_json::from_str::<Full<T>>(raw) {
        Ok(full) if full.format == FORMAT_NAME && full.schema == u64::from(current) => {
            return Ok(Loaded {
                data: full.data,
                revision: full.revision,
                saved_at: full.saved_at,
                stored_schema: current,
            });
        }
        Ok(_) => None,
        Err(e) => Some(e),
    };

    // Slow path: find out what exactly is wrong, or upgrade older data.
    let header = serde_json::from_str::<Header>(raw).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            LoadProblem::NotJson {
                detail: e.to_string(),
            }
        } else {
            LoadProblem::WrongFormat {
                detail: e.to_string(),
            }
        }
    })?;
    let wrong = |detail: &str| LoadProblem::WrongFormat {
        detail: detail.to_owned(),
    };
    if header.format.as_deref() != Some(FORMAT_NAME) {
        return Err(wrong("the \"format\" is not \"leadline\""));
    }
    let schema = header.schema.ok_or_else(|| wrong("no \"schema\" number"))?;
    let schema = u32::try_from(schema).map_err(|_| wrong("the \"schema\" number is too large"))?;
    if schema == 0 {
        return Err(wrong("the \"schema\" number is 0"));
    }
    if schema > current {
        return Err(LoadProblem::NewerSchema {
            found: schema,
            supported: current,
        });
    }
    let revision = header
        .revision
        .ok_or_else(|| wrong("no \"revision\" number"))?;
    let saved_at = header
        .saved_at
        .as_deref()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .ok_or_else(|| wrong("no valid \"saved_at\" time"))?
        .with_timezone(&Utc);
    if !header.data.0 {
        return Err(wrong("no \"data\""));
    }

    let data = if schema == current {
        // The header is fine, so the typed pass failed on the data.
        let detail = typed_error.map_or_else(|| "unknown".to_owned(), |e| e.to_string());
        return Err(LoadProblem::Invalid { detail });
    } else {
        let value = serde_json::from_str::<DataValue>(raw)
            .map_err(|e| LoadProblem::Invalid {
                detail: e.to_string(),
            })?
            .data;
        let upgraded = migrate::migrate_with(steps, value, schema, current).map_err(|e| {
            LoadProblem::MigrationFailed {
                from: e.from,
                to: e.to,
                detail: e.detail,
            }
        })?;
        serde_json::from_value::<T>(upgraded).map_err(|e| LoadProblem::Invalid {
            detail: e.to_string(),
        })?
    };
    Ok(Loaded {
        data,
        revision,
        saved_at,
        stored_schema: schema,
    })
}

const HEAD_PREFIX: &str = "{\"format\":\"leadline\",\"schema\":";
const REVISION_FIELD: &str = ",\"revision\":";

/// Reads the revision from the first bytes of an envelope written by
/// [`encode`] (`{"format":"leadline","schema":N,"revision":R,`), or `None`
/// if the text does not start that way. Needs only the first ~70 characters.
pub fn revision_from_head(head: &str) -> Option<u64> {
    let rest = head.strip_prefix(HEAD_PREFIX)?;
    let schema_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if schema_len == 0 {
        return None;
    }
    let rest = rest[schema_len..].strip_prefix(REVISION_FIELD)?;
    let revision_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if revision_len == 0 || rest.as_bytes().get(revision_len) != Some(&b',') {
        return None;
    }
    rest[..revision_len].parse().ok()
}

#[derive(Deserialize)]
struct Peek {
    format: Option<String>,
    revision: Option<u64>,
}

/// The revision of a stored envelope without reading its data: `None` if the
/// text is not a Leadline envelope with a revision.
///
/// Envelopes written by [`encode`] are read from their first characters; any
/// other layout falls back to a serde pass that skips the data without
/// building it (`IgnoredAny`).
pub fn peek_revision(raw: &str) -> Option<u64> {
    if raw.trim_end().ends_with('}') {
        if let Some(revision) = revision_from_head(raw) {
            return Some(revision);
        }
    }
    let peek = serde_json::from_str::<Peek>(raw).ok()?;
    if peek.format.as_deref() == Some(FORMAT_NAME) {
        peek.revision
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        count: u32,
    }

    fn sample() -> Sample {
        Sample {
            name: "Ada \"Countess\" Lovelace ✓ 🚀".into(),
            count: 3,
        }
    }

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 15, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn encode_writes_the_frozen_header_in_order() {
        let text = encode(&sample(), 7, noon()).unwrap();
        assert!(text.starts_with(
            r#"{"format":"leadline","schema":1,"revision":7,"saved_at":"2025-01-15T12:00:00.000Z","data":{"#
        ));
    }

    #[test]
    fn round_trip() {
        let text = encode(&sample(), 42, noon()).unwrap();
        let loaded: Loaded<Sample> = decode(&text).unwrap();
        assert_eq!(loaded.data, sample());
        assert_eq!(loaded.revision, 42);
        assert_eq!(loaded.saved_at, noon());
        assert_eq!(loaded.stored_schema, CURRENT_SCHEMA);
    }

    #[test]
    fn header_may_come_in_any_order_and_with_an_offset() {
        let text = r#"{"data":{"name":"x","count":1},"revision":2,"saved_at":"2025-01-15T13:00:00+01:00","schema":1,"format":"leadline","extra":true}"#;
        let loaded: Loaded<Sample> = decode(text).unwrap();
        assert_eq!(loaded.revision, 2);
        assert_eq!(loaded.saved_at, noon());
    }

    #[test]
    fn encode_reports_unserialisable_data() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        assert!(matches!(
            encode(&map, 1, noon()),
            Err(StorageError::Serialize(_))
        ));
    }

    #[test]
    fn not_json() {
        for raw in [
            "",
            "{",
            "{\"format\":\"leadline\",",
            "not json",
            "{\"a\":1}}",
        ] {
            let problem = decode::<Sample>(raw).unwrap_err();
            assert!(
                matches!(problem, LoadProblem::NotJson { .. }),
                "{raw}: {problem:?}"
            );
        }
    }

    #[test]
    fn wrong_format() {
        let cases = [
            json!([1, 2]),
            json!("leadline"),
            json!(null),
            json!({"todos": []}),
            json!({"format": "otherapp", "schema": 1, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": 7}),
            json!({"format": "leadline", "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 0, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": "1", "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 1, "revision": 1, "saved_at": "yesterday", "data": {}}),
            json!({"format": "leadline", "schema": 1, "revision": 1, "saved_at": "2025-01-15T12:00:00Z"}),
        ];
        for case in cases {
            let problem = decode::<Sample>(&case.to_string()).unwrap_err();
            assert!(
                matches!(problem, LoadProblem::WrongFormat { .. }),
                "{case}: {problem:?}"
            );
        }
    }

    #[test]
    fn newer_schema() {
        let raw = json!({"format": "leadline", "schema": 3, "revision": 9, "saved_at": "2030-01-01T00:00:00Z", "data": {"totally": "different"}});
        let problem = decode::<Sample>(&raw.to_string()).unwrap_err();
        assert_eq!(
            problem,
            LoadProblem::NewerSchema {
                found: 3,
                supported: 1
            }
        );
        assert_eq!(
            problem.user_message(),
            "The saved pipeline was written by a newer version of Leadline (format 3; \
             this version reads up to 1). It has been kept aside untouched; you can \
             download it below."
        );
        // Even when the newer data happens to fit our type.
        let raw = json!({"format": "leadline", "schema": 2, "revision": 9, "saved_at": "2030-01-01T00:00:00Z", "data": {"name": "x", "count": 1}});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::NewerSchema { found: 2, .. })
        ));
    }

    #[test]
    fn invalid_data_carries_serdes_message() {
        let raw = json!({"format": "leadline", "schema": 1, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {"name": "x", "count": "three"}});
        match decode::<Sample>(&raw.to_string()) {
            Err(LoadProblem::Invalid { detail }) => {
                assert!(detail.contains("invalid type"), "{detail}")
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let raw = json!({"format": "leadline", "schema": 1, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": null});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::Invalid { .. })
        ));
    }

    // A fake history for decode_with: v1 `{"name"}`, v2 `{"full_name"}`, v3 adds `tags`.
    fn v1_to_v2(mut data: Value) -> Result<Value, String> {
        let object = data.as_object_mut().ok_or("data is not an object")?;
        let name = object.remove("name").ok_or("the name is missing")?;
        object.insert("full_name".into(), name);
        Ok(data)
    }

    fn v2_to_v3(mut data: Value) -> Result<Value, String> {
        let object = data.as_object_mut().ok_or("data is not an object")?;
        object.entry("tags").or_insert_with(|| json!([]));
        Ok(data)
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct V3 {
        full_name: String,
        tags: Vec<String>,
    }

    const CHAIN: &[Step] = &[v1_to_v2, v2_to_v3];

    #[test]
    fn older_schema_is_upgraded_through_the_chain() {
        let raw = json!({"format": "leadline", "schema": 1, "revision": 4, "saved_at": "2025-01-15T12:00:00Z", "data": {"name": "Ada"}});
        let loaded: Loaded<V3> = decode_with(&raw.to_string(), CHAIN, 3).unwrap();
        assert_eq!(
            loaded.data,
            V3 {
                full_name: "Ada".into(),
                tags: vec![]
            }
        );
        assert_eq!((loaded.revision, loaded.stored_schema), (4, 1));
        assert_eq!(loaded.saved_at, noon());
    }

    #[test]
    fn migration_failure() {
        let raw = json!({"format": "leadline", "schema": 1, "revision": 4, "saved_at": "2025-01-15T12:00:00Z", "data": {"nom": "Ada"}});
        let problem = decode_with::<V3>(&raw.to_string(), CHAIN, 3).unwrap_err();
        assert_eq!(
            problem,
            LoadProblem::MigrationFailed {
                from: 1,
                to: 2,
                detail: "the name is missing".into()
            }
        );
        assert!(problem
            .user_message()
            .contains("older version of Leadline (format 1)"));
    }

    #[test]
    fn upgraded_data_that_does_not_fit_is_invalid() {
        let raw = json!({"format": "leadline", "schema": 2, "revision": 4, "saved_at": "2025-01-15T12:00:00Z", "data": {"full_name": 5}});
        assert!(matches!(
            decode_with::<V3>(&raw.to_string(), CHAIN, 3),
            Err(LoadProblem::Invalid { .. })
        ));
    }

    #[test]
    fn every_problem_has_a_plain_message() {
        let problems = [
            LoadProblem::NotJson { detail: "x".into() },
            LoadProblem::WrongFormat { detail: "x".into() },
            LoadProblem::NewerSchema {
                found: 2,
                supported: 1,
            },
            LoadProblem::Invalid { detail: "x".into() },
            LoadProblem::MigrationFailed {
                from: 1,
                to: 2,
                detail: "x".into(),
            },
        ];
        for problem in problems {
            let message = problem.user_message();
            assert!(message.ends_with(KEPT), "{message}");
            assert_eq!(problem.to_string(), message);
        }
    }

    #[test]
    fn peek_reads_our_own_envelopes_from_the_head() {
        let text = encode(&sample(), 123_456, noon()).unwrap();
        assert_eq!(revision_from_head(&text[..60]), Some(123_456));
        assert_eq!(peek_revision(&text), Some(123_456));
    }

    #[test]
    fn peek_falls_back_to_a_full_scan() {
        let text = r#"{ "revision": 5, "format": "leadline", "schema": 9, "data": {"deep": [[[{"revision": 99}]]]} }"#;
        assert_eq!(revision_from_head(text), None);
        assert_eq!(peek_revision(text), Some(5));
    }

    #[test]
    fn peek_rejects_what_is_not_ours() {
        assert_eq!(peek_revision(""), None);
        assert_eq!(peek_revision("garbage"), None);
        assert_eq!(peek_revision(r#"{"format":"other","revision":3}"#), None);
        assert_eq!(peek_revision(r#"{"format":"leadline"}"#), None);
        assert_eq!(
            peek_revision(r#"{"format":"leadline","revision":"3"}"#),
            None
        );
        // Our prefix, but cut short: not trusted.
        assert_eq!(
            peek_revision(r#"{"format":"leadline","schema":1,"revision":3,"saved_at":"#),
            None
        );
        assert_eq!(
            revision_from_head(r#"{"format":"leadline","schema":1,"revision":3"#),
            None
        );
        assert_eq!(
            revision_from_head(r#"{"format":"leadline","schema":,"revision":3,"#),
            None
        );
    }
}
