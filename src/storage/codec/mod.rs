//! The JSON codec of the stored format: one writer, one pull reader, and a
//! hand-written reader and writer for every stored type.
//!
//! Hand-written rather than derived: derived code is generated anew for every
//! type and field, and the browser downloads all of it. Here each record is
//! one plain function that writes or reads its fields by name.
//!
//! - [`writer`]: JSON text out (compact, escaped as `serde_json` does).
//! - [`reader`]: [`Reader`], JSON text in, value by value.
//! - [`value`]: [`Value`], any JSON, for migrations and for data of no known type.
//! - [`records`]: the pipeline's records, field by field.
//!
//! Errors say what is wrong and where, as a path into the document
//! (`contacts[3].history[0].event`), found only once something failed.

pub mod reader;
pub mod records;
pub mod value;
pub mod writer;

#[cfg(test)]
mod proptests;

use std::fmt;

pub use reader::Reader;
pub use value::Value;

/// Something the stored format holds at its top level: written to and read
/// from JSON text.
pub trait Stored: Sized {
    /// Appends the compact JSON of `self` to `out`.
    fn write_json(&self, out: &mut String);
    /// Reads one value of this type at the reader's position.
    fn read_json(r: &mut Reader<'_>) -> Result<Self, CodecError>;
}

/// `value` as compact JSON text.
pub fn to_json<T: Stored>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Reads `text`, which must hold one `T` and nothing else.
pub fn from_json<T: Stored>(text: &str) -> Result<T, CodecError> {
    let mut r = Reader::new(text);
    let value = T::read_json(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// JSON that could not be read: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    /// What is wrong, e.g. "missing field `name`".
    pub message: String,
    /// Where, e.g. `contacts[3].name` (empty at the top level).
    pub path: String,
    /// Line and column (1-based, in characters) of the offending value.
    pub line: usize,
    pub column: usize,
    /// Whether the text is not JSON at all (rather than JSON of another shape).
    pub syntax: bool,
}

impl CodecError {
    pub(crate) fn new(message: String, text: &str, at: usize) -> Self {
        let at = floor_char_boundary(text, at.min(text.len()));
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        CodecError {
            message,
            path: path_at(text, at),
            line,
            column: before[line_start..].chars().count() + 1,
            syntax: false,
        }
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = (self.line, self.column);
        if self.path.is_empty() {
            write!(f, "{} at line {line} column {column}", self.message)
        } else {
            write!(
                f,
                "{} at {} (line {line} column {column})",
                self.message, self.path
            )
        }
    }
}

impl std::error::Error for CodecError {}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where byte `at` lies in the document, as `key.list[2].key`: a scan of the
/// text before it that only follows containers and keys. Run only to report
/// an error, so reading pays nothing for it.
fn path_at(text: &str, at: usize) -> String {
    enum Frame<'t> {
        Object(Option<&'t str>),
        Array(usize),
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < at {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = text.get(start..i.min(text.len()));
                    }
                    expect_key = false;
                }
            }
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => {
                path.push('[');
                path.push_str(&n.to_string());
                path.push(']');
            }
        }
    }
    path
}
