//! JSON text in and out, through serde_json, with errors that say where.
//!
//! Files people import are read through `serde_path_to_error`, so an error
//! names the record and field that is wrong (`contacts[3].email`); the
//! app's own stored data is read by serde_json alone ([`Quick`]).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::StorageError;

/// Any JSON: for migrations and for data of no known type.
pub use serde_json::Value;

/// JSON that could not be read: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong, e.g. "missing field `name`".
    pub message: String,
    /// Where, e.g. `contacts[3].name` (empty at the top level).
    pub path: String,
    /// Line and column (1-based) of the offending value.
    pub line: usize,
    pub column: usize,
}

impl JsonError {
    fn new(error: &serde_json::Error, path: String) -> Self {
        let (mut line, mut column) = (error.line(), error.column());
        let text = error.to_string();
        let position = format!(" at line {line} column {column}");
        let mut message = text.strip_suffix(&position).unwrap_or(&text).to_owned();
        if message == "recursion limit exceeded" {
            message = "it is nested too deeply to be pipeline data".to_owned();
        }
        // A rule about the data as a whole (records that do not hold
        // together) names its records itself: where the data ends says nothing.
        let whole =
            crate::domain::DomainError::Integrity(crate::domain::Inconsistency::NextNumberZero)
                .to_string();
        let prefix = whole.split(':').next().unwrap_or_default();
        if (path.is_empty() || path == "data") && message.starts_with(prefix) {
            (line, column) = (0, 0);
        }
        let path = if line == 0 && path == "data" {
            String::new()
        } else {
            path
        };
        JsonError {
            message,
            path,
            line,
            column,
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = (self.line, self.column);
        // serde_json knows no position for some shape errors (line 0).
        match (self.path.is_empty(), line) {
            (true, 0) => write!(f, "{}", self.message),
            (true, _) => write!(f, "{} at line {line} column {column}", self.message),
            (false, 0) => write!(f, "{} at {}", self.message, self.path),
            (false, _) => write!(
                f,
                "{} at {} (line {line} column {column})",
                self.message, self.path
            ),
        }
    }
}

impl std::error::Error for JsonError {}

/// `value` as compact JSON text.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(|e| StorageError::Serialize(e.to_string()))
}

/// Reads `text`, which must hold one `T` and nothing else; an error names
/// the record and field (see [`Located`]).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    Located::read(text)
}

/// How JSON text becomes a value: the same serde_json reading, with or
/// without keeping track of where in the data it is.
pub trait Reader {
    fn read<T: DeserializeOwned>(text: &str) -> Result<T, JsonError>;
}

/// serde_json alone, for the app's own stored data: the fastest (keeping
/// track of the path made the start with 10,000 contacts a third slower),
/// and without a second reader of every type in the first download. An
/// error says the line and column.
pub struct Quick;

impl Reader for Quick {
    fn read<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError::new(&e, String::new()))
    }
}

/// Through `serde_path_to_error`, for files people edit and import: an
/// error also names the record and field (`contacts[3].email`).
pub struct Located;

impl Reader for Located {
    fn read<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|error| {
            let path = error.path().to_string();
            let path = if path == "." { String::new() } else { path };
            JsonError::new(error.inner(), path)
        })?;
        de.end().map_err(|e| JsonError::new(&e, String::new()))?;
        Ok(value)
    }
}

/// The `data` of a plain envelope, to locate an error in it from the start of
/// the whole text (so the path starts with `data.` and lines are the file's).
#[derive(Deserialize)]
pub(crate) struct DataOf<T> {
    pub data: T,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_reader_s_limit_says_so_in_words() {
        let deep = format!("{}{}", "[".repeat(1_000), "]".repeat(1_000));
        let e = from_json::<Value>(&deep).unwrap_err();
        assert_eq!(e.message, "it is nested too deeply to be pipeline data");
    }
}
