//! Any JSON value, kept as written: what migrations work on, and what data
//! of no known type is read into.

use super::reader::{Kind, Reader};
use super::writer::{self, list};
use super::{CodecError, Stored};

/// A JSON value. Objects keep their fields in the order written; numbers
/// keep their text, so nothing is rounded on the way through. Two objects
/// are equal when they have the same fields, in any order (as in JSON).
#[derive(Debug, Clone, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| other.get(k) == Some(v))
            }
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Number(a), Value::Number(b)) | (Value::String(a), Value::String(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Null, Value::Null) => true,
            _ => false,
        }
    }
}

impl Value {
    /// The field `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The fields of an object, to change them.
    pub fn fields_mut(&mut self) -> Option<&mut Vec<(String, Value)>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// Removes and returns the field `key` of an object.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let fields = self.fields_mut()?;
        let index = fields.iter().position(|(k, _)| k == key)?;
        Some(fields.remove(index).1)
    }

    /// Sets the field `key` of an object (added at the end if new).
    pub fn insert(&mut self, key: &str, value: Value) {
        if let Some(fields) = self.fields_mut() {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, old)) => *old = value,
                None => fields.push((key.to_owned(), value)),
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Stored for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => writer::string(out, s),
            Value::Array(items) => list(out, items, |out, v| v.write_json(out)),
            Value::Object(fields) => {
                let mut o = writer::Object::new(out);
                for (k, v) in fields {
                    v.write_json(o.key(k));
                }
                o.end();
            }
        }
    }

    fn read_json(r: &mut Reader<'_>) -> Result<Self, CodecError> {
        Ok(match r.peek_kind()? {
            Kind::Null => {
                r.null()?;
                Value::Null
            }
            Kind::Bool => Value::Bool(r.bool()?),
            Kind::Number => Value::Number(r.number_text()?.to_owned()),
            Kind::String => Value::String(r.string()?.into_owned()),
            Kind::Array => {
                r.array()?;
                let mut items = Vec::new();
                while r.item()? {
                    items.push(Value::read_json(r)?);
                }
                Value::Array(items)
            }
            Kind::Object => {
                r.object()?;
                let mut fields = Vec::new();
                while let Some(key) = r.key()? {
                    let key = key.into_owned();
                    fields.push((key, Value::read_json(r)?));
                }
                Value::Object(fields)
            }
        })
    }
}
