//! The top-level fields of an object's JSON apart, and joined back. The
//! stored form keeps the fields of the data apart (see [`super::packed`]),
//! so that the app can read the pipeline's record lists one at a time
//! without first reading through all of its JSON.
//!
//! serde_json finds the fields (checking the JSON, without building any
//! value) and writes every name; this only puts them side by side.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::value::RawValue;

/// The top-level fields of the JSON object `json`, by name: each value's
/// JSON as it stands in `json`. An error if `json` is not an object.
pub fn fields_of(json: &str) -> Result<BTreeMap<Cow<'_, str>, &RawValue>, serde_json::Error> {
    serde_json::from_str(json)
}

/// The JSON object of `fields` (names and JSON values): what
/// [`fields_of`] took apart.
pub fn joined<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut object = String::from("{");
    for (name, json) in fields {
        if object.len() > 1 {
            object.push(',');
        }
        // A string's JSON cannot fail to be written.
        object.push_str(&serde_json::to_string(name).unwrap_or_default());
        object.push(':');
        object.push_str(json);
    }
    object.push('}');
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn back(json: &str) -> Value {
        let fields = fields_of(json).unwrap();
        let text = joined(fields.iter().map(|(n, v)| (n.as_ref(), v.get())));
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    #[test]
    fn an_object_is_taken_apart_and_joins_back_to_the_same_value() {
        let value = json!({"b": [1, 2], "a \"q\" ✓": {"x": null}, "c": "text"});
        let text = value.to_string();
        let fields = fields_of(&text).unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields["b"].get(), "[1,2]", "as it stands in the text");
        assert_eq!(back(&text), value);
        assert_eq!(joined([]), "{}");
    }

    #[test]
    fn anything_else_is_an_error() {
        for text in ["[1,2]", "\"text\"", "5", "null", "{\"a\":", ""] {
            assert!(fields_of(text).is_err(), "{text}");
        }
    }
}
