//! The rules the stored form of every record follows, for serde's attributes
//! on the domain types (the stored format since schema 1):
//! - fields are written in the order the struct declares them;
//! - empty text, empty lists, `false` flags, absent options and default
//!   choices are left out, and read back as that default when absent (options
//!   also from `null`);
//! - choices are written by their snake_case name (`"needs_analysis"`),
//!   choices that carry values as `{"name":{...}}`;
//! - times are Unix seconds (`chrono::serde::ts_seconds`), dates `"YYYY-MM-DD"`;
//! - unknown fields are skipped when reading.
//!
//! The derives sit on the domain types themselves rather than on a copy of
//! them in `storage`: a new field is then one line with its attribute, and
//! the stored names cannot drift from the types. Serde is no browser import.

use serde::{Deserialize, Deserializer};

use crate::language::Language;

/// Whether `value` is its type's default, which the stored form leaves out.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Flags are stored only when set.
pub(crate) fn is_false(flag: &bool) -> bool {
    !flag
}

/// Reads the chosen language; a code this version does not speak follows
/// the browser instead of making the whole pipeline unreadable.
pub(crate) fn language<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Language>, D::Error> {
    let code = Option::<String>::deserialize(d)?;
    Ok(code.as_deref().and_then(Language::from_name))
}

/// A record's stored form as a JSON value (to compare and merge it field
/// by field). Written as text and read back: the code that writes and reads
/// stored text is in every build already, where a direct conversion would
/// add its own for every record type.
pub(crate) fn to_plain<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// A record from its stored form as a JSON value (see [`to_plain`]).
pub(crate) fn from_plain<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    serde_json::from_str(&value.to_string()).ok()
}

/// The stored JSON of one value, for tests of the stored form.
#[cfg(test)]
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
pub(crate) use crate::storage::from_json;
