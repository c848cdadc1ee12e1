//! Address-book files (vCard 3.0 and 4.0, RFC 6350): several cards per
//! file, folded lines, escaped text. vCard 2.1 cards are read when they use
//! plain text; quoted-printable or base64 text is refused with a message.

use crate::domain::import::Incoming;
use crate::domain::{ContactDraft, ContactKind};

use super::csv_import::{CheckedRows, RowColumn, RowMessage, RowProblem, RowUnit};
use super::text::{decode, FileError};

const CARD: RowUnit = RowUnit::Card;

/// Undoes line folding: a line starting with a space or tab continues the
/// one before.
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        match (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(line.to_owned()),
        }
    }
    lines
}

/// Undoes `\n`, `\,`, `\;` and `\\`.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Splits a structured value (N, ORG) at unescaped semicolons.
fn components(value: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in value.chars() {
        match c {
            ';' if !escaped => parts.push(String::new()),
            _ => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
        escaped = c == '\\' && !escaped;
    }
    parts
        .iter()
        .map(|p| unescape(p).trim().to_owned())
        .collect()
}

/// One property line: `item1.EMAIL;TYPE=work:ada@example.com`.
struct Property {
    name: String,
    params: String,
    value: String,
}

fn property(line: &str) -> Option<Property> {
    let (head, value) = line.split_once(':')?;
    let (name, params) = head.split_once(';').unwrap_or((head, ""));
    // Apple groups properties as "item1.EMAIL".
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    Some(Property {
        name,
        params: params.to_ascii_uppercase(),
        value: value.to_owned(),
    })
}

/// Reads every card. A file that is not vCard, or has a card cut off, is
/// refused whole; a card that fails the contact rules is listed as an error
/// and left out.
pub fn read_vcards(bytes: &[u8]) -> Result<CheckedRows, FileError> {
    let (text, _) = decode(bytes);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let lines = unfold(&text);
    let mut out = CheckedRows::default();
    let mut card: Option<Vec<Property>> = None;
    let mut number = 0;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        let upper = line.trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if card.is_some() {
                return Err(FileError::UnfinishedCard { card: number });
            }
            number += 1;
            card = Some(Vec::new());
        } else if upper == "END:VCARD" {
            let Some(props) = card.take() else {
                return Err(FileError::NotVcard);
            };
            read_card(number, &props, &mut out)?;
        } else if let Some(props) = card.as_mut() {
            if let Some(p) = property(line) {
                props.push(p);
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

fn read_card(number: usize, props: &[Property], out: &mut CheckedRows) -> Result<(), FileError> {
    let version = props
        .iter()
        .find(|p| p.name == "VERSION")
        .map(|p| p.value.trim().to_owned())
        .unwrap_or_default();
    let first = |name: &str| props.iter().find(|p| p.name == name);
    let text = |name: &str| -> Result<String, FileError> {
        let Some(p) = first(name) else {
            return Ok(String::new());
        };
        if p.params.contains("QUOTED-PRINTABLE") || p.params.contains("BASE64") {
            return Err(FileError::OldVcard {
                card: number,
                property: p.name.clone(),
            });
        }
        Ok(unescape(&p.value).trim().to_owned())
    };
    if version == "2.1" {
        // Only text fields matter; a photo may be encoded without harm.
        if let Some(p) = props.iter().find(|p| {
            p.name != "PHOTO"
                && p.name != "LOGO"
                && (p.params.contains("QUOTED-PRINTABLE") || p.params.contains("BASE64"))
        }) {
            return Err(FileError::OldVcard {
                card: number,
                property: p.name.clone(),
            });
        }
    }
    let mut name = text("FN")?;
    if name.is_empty() {
        if let Some(n) = first("N") {
            // N: family; given; additional; prefix; suffix
            let parts = components(&n.value);
            let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
            name = [get(3), get(1), get(2), get(0), get(4)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    let organisation = first("ORG")
        .map(|p| components(&p.value).into_iter().next().unwrap_or_default())
        .unwrap_or_default();
    let kind = match first("KIND").map(|p| p.value.trim().to_ascii_lowercase()) {
        Some(k) if k == "org" => ContactKind::Organisation,
        _ => ContactKind::Person,
    };
    let tel = text("TEL")?;
    let draft = ContactDraft {
        name,
        kind,
        organisation: if kind == ContactKind::Organisation {
            String::new()
        } else {
            organisation
        },
        title: text("TITLE")?,
        email: text("EMAIL")?,
        // vCard 4.0 writes "tel:+47..." as a URI.
        phone: tel.strip_prefix("tel:").unwrap_or(&tel).to_owned(),
        website: text("URL")?,
        notes: text("NOTE")?,
        tags: first("CATEGORIES")
            .map(|p| p.value.replace("\\,", " "))
            .unwrap_or_default(),
        ..ContactDraft::default()
    };
    match draft.validate() {
        Ok(fields) => out.records.push(Incoming {
            row: number,
            fields,
            lead: None,
        }),
        Err(errors) => out.errors.extend(errors.iter().map(|e| RowProblem {
            unit: CARD,
            row: number,
            column: RowColumn::Field(e.field),
            message: RowMessage::Field(e.clone()),
        })),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_and_escapes() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\n  Lovelace\r\nNOTE:one\\ntwo\\, three\\; four\r\nEND:VCARD\r\n";
        let rows = read_vcards(card.as_bytes()).unwrap();
        assert_eq!(rows.records[0].fields.name, "Ada Lovelace");
        assert_eq!(rows.records[0].fields.notes, "one\ntwo, three; four");
    }

    #[test]
    fn the_name_is_built_from_n_when_fn_is_missing() {
        let card = "BEGIN:VCARD\nVERSION:4.0\nN:Hopper;Grace;Brewster;Rear Admiral;\nTEL;VALUE=uri:tel:+1-555-0100\nEND:VCARD\n";
        let rows = read_vcards(card.as_bytes()).unwrap();
        assert_eq!(
            rows.records[0].fields.name,
            "Rear Admiral Grace Brewster Hopper"
        );
        assert_eq!(rows.records[0].fields.phone, "+1-555-0100");
    }
}
