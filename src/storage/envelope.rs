//! The stored document: a versioned envelope around the app's data.
//!
//! What [`encode`] stores (the data compressed and packed as text):
//!
//! ```json
//! {"format":"leadline","schema":3,"revision":7,"saved_at":"2025-01-15T10:30:00.000Z","encoding":"lz4-parts-u15","data":"ࠀࢠ..."}
//! ```
//!
//! and what [`encode_pretty`] writes for people (the JSON export file), with
//! the data as plain JSON and no `encoding`:
//!
//! ```json
//! {"format":"leadline","schema":3,"revision":7,"saved_at":"2025-01-15T10:30:00.000Z","data":{...}}
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
//! - `encoding` (optional) says how `data` is stored. Absent (or `null`):
//!   `data` is the plain JSON value. `"lz4-parts-u15"` (written from schema
//!   3 on): `data` is a string holding the JSON of each top-level field of
//!   the data, compressed with LZ4 and packed 15 bits per character (layout
//!   and checks in [`super::packed`]); it makes the 10,000-contact pipeline
//!   about 9 times smaller, so it fits in localStorage, and lets the app read
//!   the record lists one at a time. `"lz4-u15"` (schemas 1 and 2): the same
//!   with the whole JSON in one block. [`decode`] reads every form at every
//!   schema; an unknown encoding is [`LoadProblem::WrongFormat`], so a new
//!   encoding must come with a new schema (older builds then report a newer
//!   version instead).
//!
//! The header fields, their order and their types are frozen for every future
//! schema: only `data` may change. [`encode`] always writes them first and in
//! this order, which lets [`peek_revision`] read the revision without parsing
//! the data.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::error::StorageError;
use super::fields;
use super::json::{to_json, DataOf, Located, Quick, Reader, Value};
use super::migrate::{self, Step};
use super::packed::{self, Part};

/// The localStorage key of the pipeline. Namespaced: several apps share one
/// origin on GitHub Pages.
pub const APP_KEY: &str = "leadline.pipeline";
/// Every key Leadline owns starts with this.
pub const KEY_PREFIX: &str = "leadline.";
/// The `format` value of our envelope.
pub const FORMAT_NAME: &str = "leadline";
/// The schema (data layout version) this build writes and reads.
pub const CURRENT_SCHEMA: u32 = 3;

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
#[cfg_attr(test, derive(strum::EnumIter))]
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
    /// The envelope is fine but the data does not fit the expected shape, or
    /// its packed form is damaged (see [`super::packed`]).
    Invalid {
        /// What is wrong and where: the record and field, line and column.
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
    crate::domain::time::format_utc_millis(time)
}

/// The stored document, ready to be written as JSON. Its fields are the
/// frozen header, in this order, then the data.
#[derive(Debug, Serialize)]
pub struct Envelope<D> {
    format: &'static str,
    schema: u32,
    revision: u64,
    saved_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    data: D,
}

impl<D> Envelope<D> {
    fn new(data: D, encoding: Option<&'static str>, revision: u64, now: DateTime<Utc>) -> Self {
        Envelope {
            format: FORMAT_NAME,
            schema: CURRENT_SCHEMA,
            revision,
            saved_at: format_time(now),
            encoding,
            data,
        }
    }
}

/// Wraps `data` in a current-schema envelope with the given revision, its
/// data compressed and packed (the stored form; see the module docs).
pub fn pack<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
) -> Result<Envelope<String>, StorageError> {
    let json = to_json(data)?;
    // Data that is not an object (none of the app's) is stored whole.
    let fields = fields::fields_of(&json).ok();
    let parts: Vec<(&str, &[u8])> = match &fields {
        Some(fields) => fields
            .iter()
            .map(|(name, value)| (name.as_ref(), value.get().as_bytes()))
            .collect(),
        None => vec![("", json.as_bytes())],
    };
    let packed = packed::compress_parts(&parts).ok_or_else(|| {
        StorageError::Serialize(format!(
            "the data is larger than the {} MiB that can be stored",
            packed::MAX_JSON_BYTES >> 20
        ))
    })?;
    Ok(Envelope::new(
        packed,
        Some(packed::PARTS_ENCODING),
        revision,
        now,
    ))
}

/// The stored form as text: [`pack`], written as JSON.
pub fn encode<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    to_json(&pack(data, revision, now)?)
}

/// The same envelope with plain, indented data for people to read: the JSON
/// export file.
pub fn encode_pretty<T: Serialize>(
    data: &T,
    revision: u64,
    now: DateTime<Utc>,
) -> Result<String, StorageError> {
    serde_json::to_string_pretty(&Envelope::new(data, None, revision, now))
        .map_err(|e| StorageError::Serialize(e.to_string()))
}

/// Reads an envelope at the current schema with the shipped migrations;
/// an error names the record and field (for files people import).
pub fn decode<T: DeserializeOwned>(raw: &str) -> Result<Loaded<T>, LoadProblem> {
    Reading::start(raw, CURRENT_SCHEMA)?.finish::<T, Located>(
        migrate::STEPS,
        CURRENT_SCHEMA,
        migrate::SAME_LAYOUT_SINCE,
    )
}

/// [`decode`] for the app's own stored data, read by serde_json alone
/// (see [`Quick`]).
pub fn decode_stored<T: DeserializeOwned>(raw: &str) -> Result<Loaded<T>, LoadProblem> {
    Reading::start(raw, CURRENT_SCHEMA)?.finish::<T, Quick>(
        migrate::STEPS,
        CURRENT_SCHEMA,
        migrate::SAME_LAYOUT_SINCE,
    )
}

/// A header field as it stands in the text, whatever its type: a field of
/// the wrong type is reported as missing, not as damage. `null` stays a value.
fn raw_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// The envelope's fields in any order, none of them read yet: `data` is only
/// checked to be JSON, not built.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow, default, deserialize_with = "raw_field")]
    format: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_field")]
    schema: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_field")]
    revision: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_field")]
    saved_at: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_field")]
    encoding: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "raw_field")]
    data: Option<&'a RawValue>,
}

/// Text borrowed from the document where it has no escapes (a packed
/// payload never has any).
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

fn field<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>) -> Option<T> {
    raw.and_then(|raw| serde_json::from_str(raw.get()).ok())
}

/// Reads the header: `Ok(None)` for JSON that is not an object of fields.
fn header_of(raw: &str) -> Result<Option<Header<'_>>, serde_json::Error> {
    match serde_json::from_str::<Header>(raw) {
        Ok(header) => Ok(Some(header)),
        Err(e) if e.is_data() => Ok(None),
        Err(e) => Err(e),
    }
}

/// How packed `data` is stored.
#[derive(Clone, Copy)]
enum Encoding {
    /// `"lz4-u15"`: one block.
    Packed,
    /// `"lz4-parts-u15"`: a part per top-level field.
    Parts,
}

/// The data of an envelope being read.
enum Data<'a> {
    /// Plain JSON, where the header pass found it.
    Plain(&'a RawValue),
    /// Packed text, not unpacked yet, and its encoding.
    Packed(Cow<'a, str>, Encoding),
    /// Packed data unpacked.
    Unpacked(Unpacked),
}

/// Packed data unpacked: its JSON whole, or its top-level fields apart.
#[derive(Debug)]
pub enum Unpacked {
    Json(String),
    Fields(Vec<Part>),
}

impl Unpacked {
    /// The data's JSON, its fields joined back if they are apart.
    fn into_json(self) -> String {
        match self {
            Unpacked::Json(json) => json,
            Unpacked::Fields(parts) => {
                fields::joined(parts.iter().map(|p| (p.name.as_str(), p.json.as_str())))
            }
        }
    }
}

/// An envelope read in steps: [`Reading::start`] (the header), then
/// [`Reading::unpack`], then [`Reading::finish`]. Each step is a fraction of
/// the work, so the app can let the browser paint and answer input between
/// them while it reads a large pipeline. [`decode`] takes all steps at once.
pub struct Reading<'a> {
    raw: &'a str,
    schema: u32,
    revision: u64,
    saved_at: DateTime<Utc>,
    data: Data<'a>,
}

impl<'a> Reading<'a> {
    /// Reads and checks the header: a header pass that checks the data is
    /// JSON without building it.
    pub fn start(raw: &'a str, current: u32) -> Result<Reading<'a>, LoadProblem> {
        let wrong = |detail: &str| LoadProblem::WrongFormat {
            detail: detail.to_owned(),
        };
        let header = header_of(raw)
            .map_err(|e| LoadProblem::NotJson {
                detail: e.to_string(),
            })?
            .ok_or_else(|| wrong("the text is JSON but not a Leadline document"))?;
        let invalid = |detail: String| LoadProblem::Invalid { detail };
        if field::<Cow<str>>(header.format).as_deref() != Some(FORMAT_NAME) {
            return Err(wrong("the \"format\" is not \"leadline\""));
        }
        let schema: u64 = field(header.schema).ok_or_else(|| wrong("no \"schema\" number"))?;
        let schema =
            u32::try_from(schema).map_err(|_| wrong("the \"schema\" number is too large"))?;
        if schema == 0 {
            return Err(wrong("the \"schema\" number is 0"));
        }
        if schema > current {
            return Err(LoadProblem::NewerSchema {
                found: schema,
                supported: current,
            });
        }
        let revision: u64 =
            field(header.revision).ok_or_else(|| wrong("no \"revision\" number"))?;
        let saved_at = field::<Cow<str>>(header.saved_at)
            .as_deref()
            .and_then(crate::domain::time::parse_rfc3339)
            .ok_or_else(|| wrong("no valid \"saved_at\" time"))?;
        let data = header.data.ok_or_else(|| wrong("no \"data\""))?;
        let data = match header.encoding.map(RawValue::get) {
            None | Some("null") => Data::Plain(data),
            Some(_) => {
                let Some(name) = field::<Cow<str>>(header.encoding) else {
                    return Err(wrong("the \"encoding\" is not a name"));
                };
                let encoding = match name.as_ref() {
                    packed::ENCODING => Encoding::Packed,
                    packed::PARTS_ENCODING => Encoding::Parts,
                    _ => return Err(wrong(&format!("the \"encoding\" \"{name}\" is unknown"))),
                };
                let Some(Text(text)) = field(Some(data)) else {
                    return Err(invalid(format!(
                        "the data is not text although its encoding is \"{name}\""
                    )));
                };
                Data::Packed(text, encoding)
            }
        };
        Ok(Reading {
            raw,
            schema,
            revision,
            saved_at,
            data,
        })
    }

    /// Unpacks packed data into its JSON or its fields (nothing to do for
    /// plain data).
    pub fn unpack(&mut self) -> Result<(), LoadProblem> {
        let invalid = |detail: String| LoadProblem::Invalid { detail };
        let unpacked = match &self.data {
            Data::Packed(text, Encoding::Parts) => {
                let mut parts = packed::decompress_parts(text).map_err(|e| invalid(e.0))?;
                // One unnamed part is the whole data (not an object).
                match parts.as_slice() {
                    [whole] if whole.name.is_empty() => Unpacked::Json(parts.swap_remove(0).json),
                    _ => Unpacked::Fields(parts),
                }
            }
            Data::Packed(text, _) => {
                let bytes = packed::decompress(text).map_err(|e| invalid(e.0))?;
                Unpacked::Json(
                    String::from_utf8(bytes)
                        .map_err(|e| invalid(format!("the packed data is not text ({e})")))?,
                )
            }
            Data::Plain(_) | Data::Unpacked(_) => return Ok(()),
        };
        self.data = Data::Unpacked(unpacked);
        Ok(())
    }

    /// The unpacked data, taken out to be read a part at a time (see
    /// [`super::parts`]) if it was stored at schema `same_layout_since` or
    /// later, whose data has the current layout; `None` for data that needs
    /// upgrading or was not packed, which [`Reading::finish`] reads.
    pub fn take_unpacked(&mut self, same_layout_since: u32) -> Option<Unpacked> {
        if self.schema < same_layout_since {
            return None;
        }
        match std::mem::replace(&mut self.data, Data::Unpacked(Unpacked::Fields(Vec::new()))) {
            Data::Unpacked(unpacked) => Some(unpacked),
            other => {
                self.data = other;
                None
            }
        }
    }

    /// What was read, with this envelope's revision and times.
    pub fn loaded<T>(&self, data: T) -> Loaded<T> {
        Loaded {
            data,
            revision: self.revision,
            saved_at: self.saved_at,
            stored_schema: self.schema,
        }
    }

    /// Reads the data into `T` with the reader `R`, upgrading data older
    /// than `same_layout_since` with `steps` up to schema `current` first.
    pub fn finish<T: DeserializeOwned, R: Reader>(
        mut self,
        steps: &[Step],
        current: u32,
        same_layout_since: u32,
    ) -> Result<Loaded<T>, LoadProblem> {
        let as_is = self.schema >= same_layout_since;
        self.unpack()?;
        let invalid = |detail: String| LoadProblem::Invalid { detail };
        let data = match self.data {
            Data::Unpacked(unpacked) => {
                let json = unpacked.into_json();
                let in_packed = |e| invalid(format!("in the packed data: {e}"));
                if as_is {
                    R::read::<T>(&json).map_err(in_packed)?
                } else {
                    let value = R::read::<Value>(&json).map_err(in_packed)?;
                    upgrade::<T, R>(steps, value, self.schema, current)?
                }
            }
            // Read from the top, so an error names `data.…` and the file's own
            // line and column.
            Data::Plain(_) if as_is => {
                R::read::<DataOf<T>>(self.raw)
                    .map_err(|e| invalid(e.to_string()))?
                    .data
            }
            Data::Plain(data) => {
                let value = R::read::<Value>(data.get()).map_err(|e| invalid(e.to_string()))?;
                upgrade::<T, R>(steps, value, self.schema, current)?
            }
            Data::Packed(..) => return Err(invalid("the data was not unpacked".to_owned())),
        };
        Ok(Loaded {
            data,
            revision: self.revision,
            saved_at: self.saved_at,
            stored_schema: self.schema,
        })
    }
}

/// Reads an envelope whose data is upgraded with `steps` up to schema
/// `current`. [`decode`] is this with the shipped chain; tests use it with a
/// fake one.
pub fn decode_with<T: DeserializeOwned>(
    raw: &str,
    steps: &[Step],
    current: u32,
) -> Result<Loaded<T>, LoadProblem> {
    Reading::start(raw, current)?.finish::<T, Located>(steps, current, current)
}

/// Upgrades older data and reads it into `T`.
fn upgrade<T: DeserializeOwned, R: Reader>(
    steps: &[Step],
    value: Value,
    schema: u32,
    current: u32,
) -> Result<T, LoadProblem> {
    let upgraded = migrate::migrate_with(steps, value, schema, current).map_err(|e| {
        LoadProblem::MigrationFailed {
            from: e.from,
            to: e.to,
            detail: e.detail,
        }
    })?;
    // Through text, as stored data is read: one reader, and errors located.
    let invalid = |detail: String| LoadProblem::Invalid { detail };
    let text = to_json(&upgraded).map_err(|e| invalid(e.to_string()))?;
    R::read::<T>(&text).map_err(|e| invalid(e.to_string()))
}

const HEAD_PREFIX: &str = "{\"format\":\"leadline\",\"schema\":";
const REVISION_FIELD: &str = ",\"revision\":";

/// Reads the revision from the first bytes of an envelope written by
/// [`encode`] (`{"format":"leadline","schema":N,"revision":R,`), or `None`
/// if the text does not start that way. Needs only the first ~70 characters,
/// so a tab can check for a newer save without copying the whole value.
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

/// The revision of a stored envelope without reading its data: `None` if the
/// text is not a Leadline envelope with a revision.
///
/// Envelopes written by [`encode`] are read from their first characters; any
/// other layout falls back to the header pass, which skips the data without
/// building it.
pub fn peek_revision(raw: &str) -> Option<u64> {
    if raw.trim_end().ends_with('}') {
        if let Some(revision) = revision_from_head(raw) {
            return Some(revision);
        }
    }
    let header = header_of(raw).ok()??;
    if field::<Cow<str>>(header.format).as_deref() == Some(FORMAT_NAME) {
        field(header.revision)
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

    /// A list of samples.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Samples(Vec<Sample>);

    fn v(text: &str) -> Value {
        Quick::read(text).unwrap_or(Value::Null)
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
            r#"{"format":"leadline","schema":3,"revision":7,"saved_at":"2025-01-15T12:00:00.000Z","encoding":"lz4-parts-u15","data":""#
        ));
        assert!(text.ends_with("\"}"));
        let pretty = encode_pretty(&sample(), 7, noon()).unwrap();
        let plain: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(plain["data"]["name"], sample().name);
        assert_eq!(plain.get("encoding"), None);
        let keys: Vec<&str> = ["format", "schema", "revision", "saved_at", "data"].to_vec();
        let found: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| pretty.contains(&format!("\"{k}\"")))
            .collect();
        assert_eq!(found, keys);
    }

    fn packed_envelope(data: &str) -> String {
        format!(
            r#"{{"format":"leadline","schema":2,"revision":3,"saved_at":"2025-01-15T12:00:00.000Z","encoding":"lz4-u15","data":"{data}"}}"#
        )
    }

    fn packed_data_of(text: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["data"].as_str().unwrap_or_default().to_owned()
    }

    #[test]
    fn the_stored_form_is_packed_and_reads_back() {
        let big = Samples(
            (0..500)
                .map(|i| Sample {
                    name: format!("Contact {i} Ærø 🚀 \"q\""),
                    count: i,
                })
                .collect(),
        );
        let text = encode(&big, 9, noon()).unwrap();
        let plain = to_json(&big).unwrap();
        assert!(
            text.encode_utf16().count() * 3 < plain.encode_utf16().count(),
            "{} vs {}",
            text.encode_utf16().count(),
            plain.encode_utf16().count()
        );
        // Only the packing alphabet inside the data string: nothing escaped.
        let data = packed_data_of(&text);
        assert!(data.chars().all(|c| ('\u{0800}'..='\u{87FF}').contains(&c)));
        assert!(text.contains(&data));
        let loaded: Loaded<Samples> = decode(&text).unwrap();
        assert_eq!(loaded.data, big);
        assert_eq!((loaded.revision, loaded.saved_at), (9, noon()));
        assert_eq!(peek_revision(&text), Some(9));
        assert_eq!(revision_from_head(&text[..96]), Some(9));
    }

    #[test]
    fn plain_data_still_loads_compact_or_pretty() {
        let compact = r#"{"format":"leadline","schema":2,"revision":2,"saved_at":"2025-01-15T12:00:00.000Z","data":{"name":"Ada","count":3}}"#;
        let loaded: Loaded<Sample> = decode(compact).unwrap();
        assert_eq!(loaded.data.name, "Ada");
        let pretty = encode_pretty(&sample(), 5, noon()).unwrap();
        assert_eq!(decode::<Sample>(&pretty).unwrap().data, sample());
        let with_null = r#"{"format":"leadline","schema":2,"revision":2,"saved_at":"2025-01-15T12:00:00.000Z","encoding":null,"data":{"name":"Ada","count":3}}"#;
        assert_eq!(decode::<Sample>(with_null).unwrap().data.count, 3);
    }

    #[test]
    fn an_unknown_or_odd_encoding_is_the_wrong_format() {
        let doc = |encoding: &str| {
            format!(
                r#"{{"format":"leadline","schema":2,"revision":1,"saved_at":"2025-01-15T12:00:00Z","encoding":{encoding},"data":"x"}}"#
            )
        };
        for (encoding, says) in [
            (r#""zip""#, r#"the "encoding" "zip" is unknown"#),
            ("7", r#"the "encoding" is not a name"#),
            (r#"{"name":"lz4-u15"}"#, r#"the "encoding" is not a name"#),
        ] {
            match decode::<Value>(&doc(encoding)) {
                Err(LoadProblem::WrongFormat { detail }) => assert_eq!(detail, says),
                other => panic!("{encoding}: {other:?}"),
            }
        }
    }

    #[test]
    fn plain_data_of_any_json_type_loads() {
        let doc = |data: &str| {
            format!(
                r#"{{"format":"leadline","schema":2,"revision":1,"saved_at":"2025-01-15T12:00:00Z","data":{data}}}"#
            )
        };
        let data = |text: &str| decode::<Value>(&doc(text)).map(|l| l.data);
        assert_eq!(data(r#""a \"b\"""#), Ok(json!("a \"b\"")));
        assert_eq!(data("[1,2]"), Ok(json!([1, 2])));
        assert_eq!(data("null"), Ok(Value::Null));
        assert_eq!(data("true"), Ok(json!(true)));
        assert_eq!(data("-4"), Ok(json!(-4)));
        assert_eq!(data("1.5e3"), Ok(json!(1500.0)));
        assert_eq!(data(r#"{"a":[1,"x"]}"#), Ok(v(r#"{"a":[1,"x"]}"#)));
        // Packed and plain decode to the same value; what is not an object
        // is packed whole.
        for value in [
            v(r#"{"name": "x", "list": [1, 2, 3], "nested": {"ok": true}}"#),
            json!([1, {"a": 2}]),
            json!("text"),
            Value::Null,
            json!({}),
        ] {
            let packed = encode(&value, 1, noon()).unwrap();
            assert_eq!(decode::<Value>(&packed).unwrap().data, value);
        }
    }

    #[test]
    fn damaged_packed_data_is_invalid_never_a_panic() {
        let good = encode(&sample(), 3, noon()).unwrap();
        let data = packed_data_of(&good);
        let chars: Vec<char> = data.chars().collect();
        let middle = chars.len() / 2;
        let mut flipped = chars.clone();
        flipped[middle] = char::from_u32(u32::from(flipped[middle]) ^ 0x10).unwrap_or('x');
        let cases = [
            ("a foreign character", data.replacen(chars[middle], "A", 1)),
            (
                "an escaped character",
                data.replacen(chars[middle], "\\n", 1),
            ),
            ("truncated", chars[..chars.len() - 1].iter().collect()),
            ("one unit more", format!("{data}\u{0800}")),
            ("a changed unit", flipped.iter().collect()),
            ("wrong length", {
                let mut wrong = chars.clone();
                wrong[1] = char::from_u32(u32::from(wrong[1]) + 1).unwrap_or('x');
                wrong.iter().collect()
            }),
            ("empty", String::new()),
            ("not packed", "plain text".into()),
            (
                "packed JSON cut short",
                packed::compress(b"{\"name\":\"x\",").unwrap_or_default(),
            ),
        ];
        for (what, damaged) in cases {
            let problem = decode::<Sample>(&packed_envelope(&damaged)).unwrap_err();
            assert!(
                matches!(problem, LoadProblem::Invalid { .. }),
                "{what}: {problem:?}"
            );
            assert!(problem.user_message().contains("damaged"), "{what}");
        }
        // Packed JSON that is fine but of the wrong shape.
        let other = packed::compress(br#"{"name":5}"#).unwrap_or_default();
        assert!(matches!(
            decode::<Sample>(&packed_envelope(&other)),
            Err(LoadProblem::Invalid { .. })
        ));
        // The packed encoding with plain data.
        let raw = json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "encoding": "lz4-u15", "data": {"name": "x", "count": 1}});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::Invalid { .. })
        ));
        // The damaged text is still one of ours: its revision can be read.
        assert_eq!(peek_revision(&packed_envelope("A")), Some(3));
    }

    #[test]
    fn an_unknown_encoding_is_the_wrong_format() {
        for encoding in [json!("zstd"), json!(5), json!({"name": "lz4-u15"})] {
            let raw = json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "encoding": encoding, "data": "ࠀࠀ"});
            let problem = decode::<Sample>(&raw.to_string()).unwrap_err();
            assert!(
                matches!(problem, LoadProblem::WrongFormat { .. }),
                "{encoding}: {problem:?}"
            );
        }
        // A newer schema is reported as such whatever its encoding.
        let raw = json!({"format": "leadline", "schema": 4, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "encoding": "zstd", "data": "x"});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::NewerSchema { found: 4, .. })
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
        let text = r#"{"data":{"name":"x","count":1},"revision":2,"saved_at":"2025-01-15T13:00:00+01:00","schema":2,"format":"leadline","extra":true}"#;
        let loaded: Loaded<Sample> = decode(text).unwrap();
        assert_eq!(loaded.revision, 2);
        assert_eq!(loaded.saved_at, noon());
    }

    #[test]
    fn encode_reports_data_too_large_to_store() {
        let huge = Value::String("x".repeat(packed::MAX_JSON_BYTES + 1));
        match encode(&huge, 1, noon()) {
            Err(StorageError::Serialize(message)) => {
                assert!(message.contains("larger"), "{message}")
            }
            other => panic!("expected an error, got {other:?}"),
        }
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
            json!({"format": "otherapp", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": 7}),
            json!({"format": "leadline", "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 0, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": "1", "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 2, "saved_at": "2025-01-15T12:00:00Z", "data": {}}),
            json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "yesterday", "data": {}}),
            json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z"}),
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
        let raw = json!({"format": "leadline", "schema": 4, "revision": 9, "saved_at": "2030-01-01T00:00:00Z", "data": {"totally": "different"}});
        let problem = decode::<Sample>(&raw.to_string()).unwrap_err();
        assert_eq!(
            problem,
            LoadProblem::NewerSchema {
                found: 4,
                supported: 3
            }
        );
        assert_eq!(
            problem.user_message(),
            "The saved pipeline was written by a newer version of Leadline (format 4; \
             this version reads up to 3). It has been kept aside untouched; you can \
             download it below."
        );
        // Even when the newer data happens to fit our type.
        let raw = json!({"format": "leadline", "schema": 4, "revision": 9, "saved_at": "2030-01-01T00:00:00Z", "data": {"name": "x", "count": 1}});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::NewerSchema { found: 4, .. })
        ));
    }

    #[test]
    fn invalid_data_says_what_is_wrong_and_where() {
        let raw = json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": {"name": "x", "count": "three"}});
        match decode::<Sample>(&raw.to_string()) {
            Err(LoadProblem::Invalid { detail }) => {
                assert!(detail.contains("invalid type"), "{detail}");
                assert!(detail.contains("data.count"), "{detail}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let raw = json!({"format": "leadline", "schema": 2, "revision": 1, "saved_at": "2025-01-15T12:00:00Z", "data": null});
        assert!(matches!(
            decode::<Sample>(&raw.to_string()),
            Err(LoadProblem::Invalid { .. })
        ));
    }

    // A fake history for decode_with: v1 `{"name"}`, v2 `{"full_name"}`, v3 adds `tags`.
    fn v1_to_v2(mut data: Value) -> Result<Value, String> {
        let fields = data.as_object_mut().ok_or("the data is not an object")?;
        let name = fields.remove("name").ok_or("the name is missing")?;
        fields.insert("full_name".into(), name);
        Ok(data)
    }

    fn add_tags(mut data: Value) -> Result<Value, String> {
        if data.get("tags").is_none() {
            if let Some(fields) = data.as_object_mut() {
                fields.insert("tags".into(), json!([]));
            }
        }
        Ok(data)
    }

    /// Strict: every field must be there and of the right type.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct V3 {
        full_name: String,
        tags: Vec<String>,
    }

    const CHAIN: &[Step] = &[v1_to_v2, add_tags];

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
    fn packed_older_schema_is_upgraded_too() {
        // Written at the current schema (3), which a fake third step
        // upgrades.
        let text = encode(&v(r#"{"full_name":"Ada"}"#), 4, noon()).unwrap();
        let loaded: Loaded<V3> = decode_with(&text, &[v1_to_v2, add_tags, add_tags], 4).unwrap();
        assert_eq!(loaded.data.full_name, "Ada");
        assert_eq!((loaded.revision, loaded.stored_schema), (4, 3));
        let damaged = packed_envelope("ࠀ");
        assert!(matches!(
            decode_with::<V3>(&damaged, CHAIN, 3),
            Err(LoadProblem::Invalid { .. })
        ));
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
                found: 3,
                supported: 2,
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
            peek_revision(r#"{"format":"leadline","schema":2,"revision":3,"saved_at":"#),
            None
        );
        assert_eq!(
            revision_from_head(r#"{"format":"leadline","schema":2,"revision":3"#),
            None
        );
        assert_eq!(
            revision_from_head(r#"{"format":"leadline","schema":,"revision":3,"#),
            None
        );
    }
}
