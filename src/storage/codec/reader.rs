//! A pull reader for JSON text: the caller asks for the value it expects
//! next, so nothing is built that is not kept.

use std::borrow::Cow;

use super::CodecError;

/// Containers nested deeper than this are refused rather than followed, so
/// hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

/// The value of a plain run of digits, if it fits in `u64`: ids, times and
/// amounts, read without the standard parser's generality (signs, other
/// radixes), which costs a tenth of the whole load.
fn digits_value(text: &str) -> Option<u64> {
    let mut n: u64 = 0;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    (!text.is_empty()).then_some(n)
}

/// Reads one JSON document from the start of `text`.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// Set after `{` or `[`: the next key or item needs no comma before it.
    fresh: bool,
    depth: usize,
}

/// The kind of value that comes next (see [`Reader::peek_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "a list",
            Kind::String => "a text",
            Kind::Number => "a number",
            Kind::Bool => "true or false",
            Kind::Null => "null",
        }
    }
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            fresh: false,
            depth: 0,
        }
    }

    /// A reader of the value that starts at byte `pos` of `text` (found by an
    /// earlier pass); errors still name their place in the whole text.
    pub fn starting_at(text: &'a str, pos: usize) -> Self {
        Reader {
            pos: pos.min(text.len()),
            ..Reader::new(text)
        }
    }

    /// The byte offset of the next value (after any whitespace).
    pub fn pos(&mut self) -> usize {
        self.ws();
        self.pos
    }

    /// An error about the value that starts at `at`.
    pub fn error_at(&self, at: usize, message: impl Into<String>) -> CodecError {
        CodecError::new(message.into(), self.text, at)
    }

    /// A syntax error at the current position.
    fn syntax(&self, message: &str) -> CodecError {
        let mut e = self.error_at(self.pos, message);
        e.syntax = true;
        e
    }

    // Inlined: the reader calls these for every token of the stored data,
    // and the release build (optimised for size) would not.
    #[inline(always)]
    fn ws(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        self.ws();
        self.text.as_bytes().get(self.pos).copied()
    }

    /// What comes next, or a syntax error at the end of the text or on a
    /// character no value starts with.
    pub fn peek_kind(&mut self) -> Result<Kind, CodecError> {
        Ok(match self.byte() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            None => return Err(self.syntax("the text ends too early")),
            Some(_) => return Err(self.syntax("unexpected character")),
        })
    }

    /// "invalid type: found a number, expected a text", at the next value.
    pub fn expected(&mut self, what: &str) -> CodecError {
        match self.peek_kind() {
            Ok(kind) => {
                let at = self.pos;
                self.error_at(
                    at,
                    format!("invalid type: found {}, expected {what}", kind.name()),
                )
            }
            Err(e) => e,
        }
    }

    #[inline(always)]
    fn eat(&mut self, b: u8) -> bool {
        if self.byte() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), CodecError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("unexpected character"))
        }
    }

    fn open(&mut self, b: u8, what: &str) -> Result<(), CodecError> {
        if self.byte() != Some(b) {
            return Err(self.expected(what));
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("the data is nested too deeply"));
        }
        self.pos += 1;
        self.depth += 1;
        self.fresh = true;
        Ok(())
    }

    /// Before the first or the next entry of a container: `None` at its end.
    fn next_entry(&mut self, close: u8) -> Result<Option<()>, CodecError> {
        let first = std::mem::replace(&mut self.fresh, false);
        if self.eat(close) {
            self.depth -= 1;
            return Ok(None);
        }
        if !first && !self.eat(b',') {
            return Err(self.syntax(if close == b'}' {
                "expected a comma or the end of the object"
            } else {
                "expected a comma or the end of the list"
            }));
        }
        Ok(Some(()))
    }

    /// Reads `{`. Then call [`Reader::key`] until it returns `None`.
    pub fn object(&mut self) -> Result<(), CodecError> {
        self.open(b'{', "an object")
    }

    /// The next key of the object being read (its value comes next), or
    /// `None` after its closing `}`.
    pub fn key(&mut self) -> Result<Option<Cow<'a, str>>, CodecError> {
        if self.next_entry(b'}')?.is_none() {
            return Ok(None);
        }
        if self.byte() != Some(b'"') {
            return Err(self.syntax("expected a field name in quotes"));
        }
        let key = self.string()?;
        if !self.eat(b':') {
            return Err(self.syntax("expected a colon after the field name"));
        }
        Ok(Some(key))
    }

    /// Reads `[`. Then call [`Reader::item`] before every item.
    pub fn array(&mut self) -> Result<(), CodecError> {
        self.open(b'[', "a list")
    }

    /// Whether another item of the list being read follows (`false` after
    /// its closing `]`).
    pub fn item(&mut self) -> Result<bool, CodecError> {
        Ok(self.next_entry(b']')?.is_some())
    }

    /// Consumes `null` if it comes next.
    pub fn null(&mut self) -> Result<bool, CodecError> {
        if self.byte() == Some(b'n') {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    pub fn bool(&mut self) -> Result<bool, CodecError> {
        match self.byte() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.expected("true or false")),
        }
    }

    /// The text of a number, checked against JSON's grammar.
    pub fn number_text(&mut self) -> Result<&'a str, CodecError> {
        if !matches!(self.byte(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("a number"));
        }
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos > from
        };
        let mut end = start;
        if bytes.get(end) == Some(&b'-') {
            end += 1;
        }
        let int_start = end;
        let mut ok = digits(&mut end);
        // No leading zeros ("01").
        ok &= !(bytes.get(int_start) == Some(&b'0') && end - int_start > 1);
        if ok && bytes.get(end) == Some(&b'.') {
            end += 1;
            ok = digits(&mut end);
        }
        if ok && matches!(bytes.get(end), Some(b'e' | b'E')) {
            end += 1;
            if matches!(bytes.get(end), Some(b'+' | b'-')) {
                end += 1;
            }
            ok = digits(&mut end);
        }
        if !ok {
            self.pos = end;
            return Err(self.syntax("invalid number"));
        }
        self.pos = end;
        Ok(&self.text[start..end])
    }

    /// A whole number that fits `i64`.
    pub fn i64(&mut self) -> Result<i64, CodecError> {
        let at = self.pos();
        let text = self.number_text()?;
        match digits_value(text).and_then(|n| i64::try_from(n).ok()) {
            Some(n) => Ok(n),
            None => text
                .parse()
                .map_err(|_| self.error_at(at, format!("{text} is not a whole number in range"))),
        }
    }

    /// A whole number that is not negative.
    pub fn u64(&mut self) -> Result<u64, CodecError> {
        let at = self.pos();
        let text = self.number_text()?;
        match digits_value(text) {
            Some(n) => Ok(n),
            None => text
                .parse()
                .map_err(|_| self.error_at(at, format!("{text} is not a whole number in range"))),
        }
    }

    /// A string, borrowed from the text when it has no escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, CodecError> {
        if self.byte() != Some(b'"') {
            return Err(self.expected("a text"));
        }
        self.pos += 1;
        let bytes = self.text.as_bytes();
        let start = self.pos;
        // Fast path: a run without escapes is borrowed as it is.
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
                }
                b'\\' => break,
                0..=0x1F => return Err(self.syntax("control character in a text")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            while let Some(&b) = bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.syntax("control character in a text")),
                None => return Err(self.syntax("the text ends inside a string")),
            }
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self) -> Result<char, CodecError> {
        let b = self.text.as_bytes().get(self.pos).copied();
        self.pos += 1;
        Ok(match b {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    // A surrogate pair: the low half must follow as \uDC00-\uDFFF.
                    if !self.text[self.pos..].starts_with("\\u") {
                        return Err(self.syntax("lone surrogate in a text"));
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.syntax("lone surrogate in a text"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                char::from_u32(code).ok_or_else(|| self.syntax("lone surrogate in a text"))?
            }
            _ => {
                self.pos -= 1;
                return Err(self.syntax("invalid escape in a text"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, CodecError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.syntax("invalid \\u escape in a text"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.syntax("invalid \\u escape in a text"))
    }

    /// Reads past the next value of any kind, checking its syntax.
    pub fn skip(&mut self) -> Result<(), CodecError> {
        match self.peek_kind()? {
            Kind::Object => {
                self.object()?;
                while self.key()?.is_some() {
                    self.skip()?;
                }
            }
            Kind::Array => {
                self.array()?;
                while self.item()? {
                    self.skip()?;
                }
            }
            Kind::String => {
                self.string()?;
            }
            Kind::Number => {
                self.number_text()?;
            }
            Kind::Bool => {
                self.bool()?;
            }
            Kind::Null => {
                self.null()?;
            }
        }
        Ok(())
    }

    /// Checks that nothing but whitespace follows the document.
    pub fn finish(&mut self) -> Result<(), CodecError> {
        if self.byte().is_some() {
            return Err(self.syntax("unexpected text after the end of the data"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{from_json, Value};
    use super::*;

    fn err(text: &str) -> CodecError {
        match from_json::<Value>(text) {
            Err(e) => e,
            Ok(v) => panic!("{text} read as {v:?}"),
        }
    }

    #[test]
    fn strings_unescape_every_form() {
        let text = r#""q\" b\\ s\/ \b\f\n\r\t \u00e6 \uD83D\uDE80 ø""#;
        assert_eq!(
            from_json::<Value>(text),
            Ok(Value::String("q\" b\\ s/ \u{8}\u{c}\n\r\t æ 🚀 ø".into()))
        );
        let mut r = Reader::new(r#""no escapes""#);
        assert!(matches!(r.string(), Ok(Cow::Borrowed("no escapes"))));
    }

    #[test]
    fn bad_strings_are_syntax_errors() {
        for text in [
            r#""\uD83D""#,
            r#""\uD83Dx""#,
            r#""\uDE80""#,
            r#""\uD83D\u0041""#,
            r#""\u12""#,
            r#""\x""#,
            "\"tab\there\"",
            r#""open"#,
            r#""\"#,
        ] {
            assert!(err(text).syntax, "{text}");
        }
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for ok in ["0", "-0", "12", "-3.25", "1e5", "1.5E-3", "2e+2"] {
            assert_eq!(from_json::<Value>(ok), Ok(Value::Number(ok.into())), "{ok}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "+1", "0x10", "1.2.3"] {
            assert!(from_json::<Value>(bad).is_err(), "{bad}");
        }
        let mut r = Reader::new("18446744073709551616");
        assert!(r.u64().unwrap_err().message.contains("not a whole number"));
        let mut r = Reader::new("-1");
        assert!(r.u64().is_err());
        let mut r = Reader::new("-9223372036854775808");
        assert_eq!(r.i64(), Ok(i64::MIN));
    }

    #[test]
    fn whole_numbers_read_as_the_standard_parser_reads_them() {
        let cases = [
            "0",
            "-0",
            "7",
            "1687058094",
            "-42",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "1.5",
            "1e3",
            "-1",
        ];
        for text in cases {
            let mut r = Reader::new(text);
            assert_eq!(r.u64().ok(), text.parse::<u64>().ok(), "u64 {text}");
            let mut r = Reader::new(text);
            assert_eq!(r.i64().ok(), text.parse::<i64>().ok(), "i64 {text}");
        }
    }

    #[test]
    fn structure_errors_say_what_and_where() {
        let e = err("{\"a\": [1, 2,, 3]}");
        assert!(e.syntax);
        assert_eq!(e.path, "a[2]");
        assert_eq!((e.line, e.column), (1, 13));
        let e = err("{\n  \"a\": 1\n  \"b\": 2\n}");
        assert!(e.message.contains("comma"), "{e}");
        assert_eq!(e.line, 3);
        assert!(err("[1] 2").message.contains("after the end"));
        assert!(err("").message.contains("ends too early"));
        assert!(err("{\"a\" 1}").message.contains("colon"));
        assert!(err("{1: 2}").message.contains("field name"));
        assert!(err("nul").syntax);
        assert!(err("[true, fals]").syntax);
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).message.contains("nested too deeply"));
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(from_json::<Value>(&fine).is_ok());
    }

    #[test]
    fn whitespace_is_allowed_between_all_tokens() {
        let text = " \n{ \"a\" :\t[ 1 , { } , [ ] ] ,\r\n \"b\" : null } \n";
        assert_eq!(
            from_json::<Value>(text),
            from_json::<Value>(r#"{"a":[1,{},[]],"b":null}"#)
        );
    }
}
