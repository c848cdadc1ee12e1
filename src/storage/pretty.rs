//! Indents compact JSON exactly as `serde_json::to_string_pretty` would.
//!
//! The export file is the compact text the app already writes for storage,
//! re-indented: one writer per record in the browser bundle instead of two.

/// Re-indents JSON text that has no whitespace between tokens (what
/// `serde_json::to_string` writes) with two spaces per level.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_serde_json_pretty_output() {
        let value = json!({
            "name": "Ada \"the\" Countess: {of} [Lovelace], \\o/",
            "empty_object": {},
            "empty_list": [],
            "nested": {"list": [1, 2.5, -3, {"deep": [true, false, null]}], "text": "a,b:c"},
            "unicode": "Kundeemne – Ærlig ø å 😀",
            "escapes": "line\nbreak\ttab\u{1}",
        });
        let compact = serde_json::to_string(&value).unwrap();
        assert_eq!(
            indent(&compact),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn scalars_stay_as_they_are() {
        for text in ["1", "\"x\"", "null", "[]", "{}"] {
            assert_eq!(indent(text), text);
        }
    }
}
