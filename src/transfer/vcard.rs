//! Address-book files as phones and desktop clients write them: vCard 2.1
//! (Android, Outlook), 3.0 (iOS, macOS, Gmail, Evolution) and 4.0 (RFC
//! 6350). Several cards per file, folded lines, quoted-printable text with
//! soft line breaks, `CHARSET=` in any property, escaped text, `tel:` URIs.
//! Properties Leadline does not import never stop the file.

use crate::domain::{ContactDraft, ContactKind, Source};

use super::checked::{add_lines, choose, Candidate, CheckedRows, RowUnit};
use super::text::{decode, FileError};

/// The physical lines joined where a property continues: a line starting
/// with a space or tab (folding), or a quoted-printable value ending in `=`
/// (a soft line break).
fn unfold(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for raw in bytes.split(|&b| b == b'\n') {
        // Some writers end lines with CR CR LF.
        let mut line = raw;
        while let Some(rest) = line.strip_suffix(b"\r") {
            line = rest;
        }
        let Some(last) = lines.last_mut() else {
            lines.push(line.to_vec());
            continue;
        };
        let soft_break = last.ends_with(b"=") && is_quoted_printable(last);
        if let Some(rest) = line.strip_prefix(b" ").or_else(|| line.strip_prefix(b"\t")) {
            if soft_break {
                last.pop();
            }
            last.extend_from_slice(rest);
        } else if soft_break {
            last.pop();
            last.extend_from_slice(line);
        } else {
            lines.push(line.to_vec());
        }
    }
    lines
}

/// Whether a property line's value is quoted-printable.
fn is_quoted_printable(line: &[u8]) -> bool {
    let head = &line[..head_end(line).unwrap_or(line.len())];
    head.to_ascii_uppercase()
        .windows(16)
        .any(|w| w == b"QUOTED-PRINTABLE")
}

/// Where the property's name and parameters end: the first colon outside
/// double quotes.
fn head_end(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    line.iter().position(|&b| {
        if b == b'"' {
            quoted = !quoted;
        }
        b == b':' && !quoted
    })
}

/// Splits at `sep` where it is not escaped with a backslash, and undoes
/// the escapes (`\n`, `\,`, `\;`, `\\`) in each part.
fn components(value: &str, sep: char) -> Vec<String> {
    parts(value, Some(sep))
}

/// Text with its escapes undone.
fn unescape(value: &str) -> String {
    parts(value, None).concat()
}

/// The parts of `value` between unescaped `sep`s (one part without one),
/// escapes undone, each trimmed.
fn parts(value: &str, sep: Option<char>) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let part = parts.last_mut();
        match (c, part) {
            ('\\', Some(part)) => match chars.next() {
                Some('n' | 'N') => part.push('\n'),
                Some(other) => part.push(other),
                None => {}
            },
            (c, _) if Some(c) == sep => parts.push(String::new()),
            (c, Some(part)) => part.push(c),
            (_, None) => {}
        }
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// How a value's bytes are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Plain,
    QuotedPrintable,
    Base64,
}

/// One property: `item1.TEL;TYPE=work,voice;PREF=1:+47 22 33 44 55`.
#[derive(Debug)]
struct Property {
    name: String,
    /// TYPE values and vCard 2.1's bare types (WORK, CELL), lower case.
    types: Vec<String>,
    value: String,
    uri: bool,
}

impl Property {
    fn has_type(&self, t: &str) -> bool {
        self.types.iter().any(|x| x == t)
    }

    /// Work first, then the preferred one, then the rest in order.
    fn rank(&self) -> u8 {
        if self.has_type("work") {
            0
        } else if self.has_type("pref") {
            1
        } else {
            2
        }
    }

    /// "Phone (home, cell)", for the notes.
    fn label(&self, what: &str) -> String {
        let types: Vec<&str> = self
            .types
            .iter()
            .map(String::as_str)
            .filter(|t| !matches!(*t, "pref" | "internet" | "voice" | "x400"))
            .collect();
        if types.is_empty() {
            what.to_owned()
        } else {
            format!("{what} ({})", types.join(", "))
        }
    }
}

/// Reads a property line; `None` for a line that is not one, or a value
/// Leadline does not read (base64 data such as a photo).
fn property(line: &[u8], fallback: &'static encoding_rs::Encoding) -> Option<Property> {
    let end = head_end(line)?;
    let head = String::from_utf8_lossy(&line[..end]);
    let mut parts = split_params(&head).into_iter();
    let name = parts.next()?;
    // Apple groups properties as "item1.EMAIL".
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(&name)
        .to_ascii_uppercase();
    let (mut types, mut uri) = (Vec::new(), false);
    let mut encoding = Encoding::Plain;
    let mut charset = None;
    for param in parts {
        let (key, value) = match param.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().trim_matches('"')),
            None => (String::new(), param.trim()),
        };
        let lower = value.to_ascii_lowercase();
        match (key.as_str(), lower.as_str()) {
            ("ENCODING" | "", "quoted-printable") => encoding = Encoding::QuotedPrintable,
            ("ENCODING" | "", "base64" | "b") => encoding = Encoding::Base64,
            ("ENCODING" | "", "8bit" | "7bit") => {}
            ("CHARSET", _) => charset = encoding_rs::Encoding::for_label(value.as_bytes()),
            ("VALUE", v) => uri = v == "uri",
            ("PREF", _) => types.push("pref".to_owned()),
            ("TYPE" | "", _) => types.extend(
                lower
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty()),
            ),
            _ => {}
        }
    }
    let raw = &line[end + 1..];
    let bytes = match encoding {
        Encoding::Base64 => return None,
        Encoding::QuotedPrintable => {
            quoted_printable::decode(raw, quoted_printable::ParseMode::Robust).ok()?
        }
        Encoding::Plain => raw.to_vec(),
    };
    let value = match (charset, std::str::from_utf8(&bytes)) {
        (Some(charset), _) => charset.decode_without_bom_handling(&bytes).0.into_owned(),
        (None, Ok(text)) => text.to_owned(),
        (None, Err(_)) => fallback.decode_without_bom_handling(&bytes).0.into_owned(),
    };
    Some(Property {
        name,
        types,
        // Quoted-printable text keeps the writer's CRLF line ends.
        value: value.replace("\r\n", "\n"),
        uri,
    })
}

/// Splits a property's head at semicolons outside double quotes.
fn split_params(head: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in head.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => parts.push(String::new()),
            _ => {}
        }
        if c != ';' || quoted {
            if let Some(last) = parts.last_mut() {
                last.push(c);
            }
        }
    }
    parts
}

/// A phone number from a TEL value: `tel:+1-418-656-9254;ext=102` is
/// "+1-418-656-9254 ext. 102".
fn phone_number(p: &Property) -> String {
    let value = unescape(&p.value);
    let value = value.trim();
    let is_uri = p.uri
        || value
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("tel:"));
    if !is_uri {
        return value.to_owned();
    }
    let number = value.get(4..).unwrap_or_default();
    let mut parts = number.split(';');
    let main = parts.next().unwrap_or_default().to_owned();
    match parts.find_map(|p| p.strip_prefix("ext=")) {
        Some(ext) => format!("{main} ext. {ext}"),
        None => main,
    }
}

/// Reads every card. A file that is not vCard, or has a card cut off, is
/// refused whole; a card with no name is listed as left out, and a value
/// that fails its field's check is left out of its contact.
pub fn read_vcards(bytes: &[u8]) -> Result<CheckedRows, FileError> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    // Values are decoded one by one, each in the character set it names;
    // a value that names none is UTF-8 if it can be, else Windows-1252.
    let bytes = match encoding {
        "UTF-16" => text.into_bytes(),
        _ => bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .to_vec(),
    };
    let fallback = encoding_rs::WINDOWS_1252;
    let mut out = CheckedRows::new(RowUnit::Card);
    let mut card: Option<Vec<Property>> = None;
    // Cards inside a card (vCard 2.1's AGENT) are skipped.
    let mut inner = 0;
    let mut number = 0;
    for line in unfold(&bytes) {
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.eq_ignore_ascii_case(b"BEGIN:VCARD") {
            if card.is_some() {
                inner += 1;
                continue;
            }
            number += 1;
            card = Some(Vec::new());
        } else if trimmed.eq_ignore_ascii_case(b"END:VCARD") {
            if inner > 0 {
                inner -= 1;
                continue;
            }
            let Some(props) = card.take() else {
                return Err(FileError::NotVcard);
            };
            read_card(number, &props, &mut out);
        } else if let Some(props) = card.as_mut() {
            if inner == 0 {
                props.extend(property(&line, fallback));
            }
        } else if number == 0 {
            return Err(FileError::NotVcard);
        }
    }
    if card.is_some() {
        return Err(FileError::UnfinishedCard { card: number });
    }
    if number == 0 {
        return Err(FileError::NotVcard);
    }
    Ok(out)
}

/// The property Leadline writes for the source, which vCard has no word for.
pub const SOURCE_PROPERTY: &str = "X-LEADLINE-SOURCE";

fn read_card(number: usize, props: &[Property], out: &mut CheckedRows) {
    let first = |name: &str| props.iter().find(|p| p.name == name);
    let all = |name: &'static str| props.iter().filter(move |p| p.name == name);
    let text = |name: &str| first(name).map(|p| unescape(&p.value)).unwrap_or_default();
    let mut name = text("FN");
    if name.is_empty() {
        if let Some(n) = first("N") {
            // N: family; given; additional; prefix; suffix
            let parts = components(&n.value, ';');
            let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
            name = [get(3), get(1), get(2), get(0), get(4)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    let organisation = first("ORG")
        .map(|p| {
            components(&p.value, ';')
                .into_iter()
                .next()
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let is_org = first("KIND").is_some_and(|p| p.value.trim().eq_ignore_ascii_case("org"))
        || first("X-ABSHOWAS").is_some_and(|p| p.value.trim().eq_ignore_ascii_case("company"));
    let kind = if is_org {
        ContactKind::Organisation
    } else {
        ContactKind::Person
    };
    let mut extras = Vec::new();
    let candidates = |name: &'static str, what: &str, value: fn(&Property) -> String| {
        all(name)
            .map(|p| Candidate {
                rank: p.rank(),
                value: value(p),
                label: p.label(what),
            })
            .collect::<Vec<_>>()
    };
    let email = choose(
        candidates("EMAIL", "Email", |p| unescape(&p.value)),
        &mut extras,
    );
    // Fax and pager numbers are kept in the notes, never the phone.
    let (not_phones, phones): (Vec<Candidate>, Vec<Candidate>) =
        candidates("TEL", "Phone", phone_number)
            .into_iter()
            .partition(|c| c.label.contains("fax") || c.label.contains("pager"));
    let phone = choose(phones, &mut extras);
    extras.extend(
        not_phones
            .into_iter()
            .map(|c| format!("{}: {}", c.label, c.value)),
    );
    let website = choose(
        candidates("URL", "Website", |p| unescape(&p.value)),
        &mut extras,
    );
    for adr in all("ADR") {
        // PO box; extended; street; locality; region; postal code; country
        let address = components(&adr.value, ';')
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if !address.is_empty() {
            extras.push(format!("{}: {address}", adr.label("Address")));
        }
    }
    let mut notes = all("NOTE")
        .map(|p| unescape(&p.value))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if !extras.is_empty() && !notes.is_empty() {
        notes.push_str("\n\n");
    }
    add_lines(&mut notes, &extras);
    let mut tags: Vec<String> = Vec::new();
    // A tag cannot hold a comma, so an escaped one separates tags too.
    for list in all("CATEGORIES").flat_map(|p| components(&p.value, ',')) {
        for tag in list.split(',').map(str::trim) {
            if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.to_owned());
            }
        }
    }
    let source = text(SOURCE_PROPERTY);
    let draft = ContactDraft {
        // A firm's card names the firm in ORG (or only there: see `admit`).
        organisation: if kind == ContactKind::Organisation && organisation == name {
            String::new()
        } else {
            organisation
        },
        name,
        kind,
        title: text("TITLE"),
        email,
        phone,
        website,
        source: if source.is_empty() {
            Source::Other
        } else {
            Source::from_label(&source)
        },
        notes,
        tags: tags.join(","),
    };
    out.admit(number, draft, None, Vec::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(card: &str) -> crate::domain::ContactFields {
        let rows = read_vcards(card.as_bytes()).unwrap();
        assert_eq!(rows.errors, [], "{card}");
        rows.records[0].fields.clone()
    }

    #[test]
    fn folded_lines_and_escapes() {
        let c = one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\n  Lovelace\r\nNOTE:one\\ntwo\\, three\\; four\r\nEND:VCARD\r\n");
        assert_eq!(c.name, "Ada Lovelace");
        assert_eq!(c.notes, "one\ntwo, three; four");
    }

    #[test]
    fn the_name_is_built_from_n_when_fn_is_missing() {
        let c = one("BEGIN:VCARD\nVERSION:4.0\nN:Hopper;Grace;Brewster;Rear Admiral;\nTEL;VALUE=uri:tel:+1-555-0100\nEND:VCARD\n");
        assert_eq!(c.name, "Rear Admiral Grace Brewster Hopper");
        assert_eq!(c.phone, "+1-555-0100");
    }

    #[test]
    fn quoted_printable_with_soft_line_breaks_and_charsets() {
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85se;Bj=C3=B8rn;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Bj=C3=B8rn =C3=85se\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:M=F8tt p=E5 messen, =\r\nvil ha tilbud=0D=0Ai mars\r\nLABEL;WORK;ENCODING=QUOTED-PRINTABLE:Storgata 1=0D=0A0155 Oslo\r\nTEL;WORK;VOICE:+47 22 33 44 55\r\nTEL;CELL:+47 912 34 567\r\nEND:VCARD\r\n";
        let rows = read_vcards(card).unwrap();
        let c = &rows.records[0].fields;
        assert_eq!(c.name, "Bjørn Åse");
        assert_eq!(
            c.notes,
            "Møtt på messen, vil ha tilbud\ni mars\n\nPhone (cell): +47 912 34 567"
        );
        assert_eq!(c.phone, "+47 22 33 44 55");
    }

    #[test]
    fn shift_jis_text_is_read_in_its_charset() {
        let (name, _, _) = encoding_rs::SHIFT_JIS.encode("山田太郎");
        let mut card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=SHIFT_JIS:".to_vec();
        card.extend_from_slice(&name);
        card.extend_from_slice(b"\r\nEND:VCARD\r\n");
        assert_eq!(
            read_vcards(&card).unwrap().records[0].fields.name,
            "山田太郎"
        );
    }

    #[test]
    fn tel_uris_keep_the_number_and_the_extension() {
        let c = one("BEGIN:VCARD\nVERSION:4.0\nFN:J. Doe\nTEL;VALUE=uri;TYPE=\"voice,home\":tel:+1-555-555-5555;ext=5555\nTEL;VALUE=uri;PREF=1;TYPE=\"voice,work\":tel:+1-418-656-9254;ext=102\nEND:VCARD\n");
        assert_eq!(c.phone, "+1-418-656-9254 ext. 102");
        assert_eq!(c.notes, "Phone (home): +1-555-555-5555 ext. 5555");
    }

    #[test]
    fn escaped_commas_and_semicolons_in_structured_values() {
        let c = one("BEGIN:VCARD\nVERSION:3.0\nFN:A\nORG:Smith\\, Jones & Co;Sales\nCATEGORIES:category1\\, category2,Friends\nADR;TYPE=work:;;1 Main St\\, Suite 2;Springfield;;12345;USA\nEND:VCARD\n");
        assert_eq!(c.organisation, "Smith, Jones & Co");
        assert_eq!(c.tags, ["category1", "category2", "Friends"]);
        assert_eq!(
            c.notes,
            "Address (work): 1 Main St, Suite 2, Springfield, 12345, USA"
        );
    }

    #[test]
    fn a_bad_value_leaves_the_value_out_not_the_card() {
        let rows = read_vcards(
            b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nTEL:Handy\nEMAIL:ada@example.com\nEND:VCARD\n",
        )
        .unwrap();
        assert_eq!(rows.records[0].fields.email, "ada@example.com");
        assert_eq!(rows.records[0].fields.phone, "");
        assert!(rows.warnings[0]
            .to_string()
            .starts_with("Card 1: Phone “Handy” left out"));
    }

    #[test]
    fn the_work_email_is_preferred_and_the_others_kept() {
        let c = one("BEGIN:VCARD\nVERSION:3.0\nFN:A\nitem1.EMAIL;type=INTERNET;type=HOME;type=pref:home@x.no\nEMAIL;TYPE=WORK:work@x.no\nEND:VCARD\n");
        assert_eq!(c.email, "work@x.no");
        assert_eq!(c.notes, "Email (home): home@x.no");
    }
}
