//! Compact JSON text out, escaped exactly as `serde_json` escapes it, so the
//! stored bytes stay what they were.

/// Appends `text` as a JSON string.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        run = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// Appends a whole number.
pub fn int(out: &mut String, n: i64) {
    out.push_str(&n.to_string());
}

/// Appends a whole number that is not negative.
pub fn uint(out: &mut String, n: u64) {
    out.push_str(&n.to_string());
}

/// Writes the fields of one object: `{` on creation, `,` between fields, `}`
/// on [`Object::end`].
pub struct Object<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Object<'o> {
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    /// Writes `"name":` and returns the text to write its value into.
    pub fn key(&mut self, name: &str) -> &mut String {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(',');
        }
        string(self.out, name);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, name: &str, value: &str) {
        string(self.key(name), value);
    }

    /// Writes the field unless `value` is empty (the stored format omits empty text).
    pub fn str_unless_empty(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.str(name, value);
        }
    }

    pub fn uint(&mut self, name: &str, value: u64) {
        uint(self.key(name), value);
    }

    pub fn int(&mut self, name: &str, value: i64) {
        int(self.key(name), value);
    }

    pub fn bool(&mut self, name: &str, value: bool) {
        self.key(name)
            .push_str(if value { "true" } else { "false" });
    }

    /// Writes `"name":true` only when `value` is true.
    pub fn flag(&mut self, name: &str, value: bool) {
        if value {
            self.bool(name, true);
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

/// Writes a list with `item` for each element.
pub fn list<T>(out: &mut String, items: &[T], mut item: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, value) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, value);
    }
    out.push(']');
}

/// A list of strings.
pub fn strings(out: &mut String, items: &[String]) {
    list(out, items, |out, s| string(out, s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        for text in [
            "plain",
            "quote \" and \\ backslash / slash",
            "line\nbreak\ttab\r\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "Bjørn Ærø 🚀 – \u{2028}",
            "",
        ] {
            let mut out = String::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap_or_default());
        }
    }

    #[test]
    fn objects_put_commas_between_fields_only() {
        let mut out = String::new();
        let mut o = Object::new(&mut out);
        o.uint("id", 7);
        o.str_unless_empty("note", "");
        o.flag("done", false);
        o.int("minor", -5);
        o.bool("ok", false);
        list(o.key("tags"), &["a".to_owned()], |out, s| string(out, s));
        o.end();
        assert_eq!(out, r#"{"id":7,"minor":-5,"ok":false,"tags":["a"]}"#);
        let mut empty = String::new();
        Object::new(&mut empty).end();
        assert_eq!(empty, "{}");
    }
}
