//! Contacts out as vCard 4.0 (RFC 6350), for phones and address books:
//! CRLF lines folded at 75 bytes, text escaped, one card per contact.
//! The import reads these files back with nothing lost.

use crate::domain::{Contact, ContactKind, Source};

use super::content_line::{escape, push_line};
use super::vcard::SOURCE_PROPERTY;

/// Given and family name for N, as well as a single name field can say:
/// the last word is the family name.
fn name_parts(c: &Contact) -> (String, String) {
    if c.kind == ContactKind::Organisation {
        return (String::new(), String::new());
    }
    match c.name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_owned(), family.to_owned()),
        None => (c.name.trim().to_owned(), String::new()),
    }
}

/// One card per contact.
pub fn export_vcards<'a>(contacts: impl IntoIterator<Item = &'a Contact>) -> String {
    let mut out = String::new();
    for c in contacts {
        push_line(&mut out, "BEGIN:VCARD");
        push_line(&mut out, "VERSION:4.0");
        push_line(&mut out, "PRODID:-//Leadline//Leadline//EN");
        if c.kind == ContactKind::Organisation {
            push_line(&mut out, "KIND:org");
        }
        push_line(&mut out, &format!("FN:{}", escape(&c.name)));
        let (given, family) = name_parts(c);
        push_line(
            &mut out,
            &format!("N:{};{};;;", escape(&family), escape(&given)),
        );
        // A firm's card names the firm in ORG, unless it belongs to another.
        let organisation = match c.kind {
            ContactKind::Organisation if c.organisation.is_empty() => &c.name,
            _ => &c.organisation,
        };
        if !organisation.is_empty() {
            push_line(&mut out, &format!("ORG:{}", escape(organisation)));
        }
        let mut text = |name: &str, value: &str| {
            if !value.is_empty() {
                push_line(&mut out, &format!("{name}:{}", escape(value)));
            }
        };
        text("TITLE", &c.title);
        text("EMAIL", &c.email);
        // As written, with its spaces: a tel: URI could not keep them.
        text("TEL;VALUE=text", &c.phone);
        text("URL", &c.website);
        text("NOTE", &c.notes);
        if c.source != Source::Other {
            text(SOURCE_PROPERTY, c.source.label());
        }
        if !c.tags.is_empty() {
            let tags: Vec<String> = c.tags.iter().map(|t| escape(t)).collect();
            push_line(&mut out, &format!("CATEGORIES:{}", tags.join(",")));
        }
        push_line(
            &mut out,
            &format!("REV:{}", c.updated_at().format("%Y%m%dT%H%M%SZ")),
        );
        push_line(&mut out, "END:VCARD");
    }
    out
}

/// `leadline-contacts-2026-11-27.vcf`, or the contact's name for one.
pub fn vcard_file_name(one: Option<&str>, today: chrono::NaiveDate) -> String {
    let date = crate::domain::time::format_date(today);
    match one {
        Some(name) => {
            let safe: String = name
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            let safe = safe.trim_matches('-');
            let safe = if safe.is_empty() { "contact" } else { safe };
            format!("{safe}-{date}.vcf")
        }
        None => format!("leadline-contacts-{date}.vcf"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Pipeline};
    use crate::transfer::vcard::read_vcards;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_card_reads_back_as_the_contact() {
        let mut p = Pipeline::new();
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        let fields = ContactDraft {
            name: "Bjørn Åse-Ødegård".into(),
            organisation: "Fjord; Fisk, og Sønn".into(),
            title: "Daglig leder".into(),
            email: "bjorn@fjord.example.no".into(),
            phone: "+47 912 34 567 ext. 12".into(),
            website: "https://fjord.example.no".into(),
            source: Source::Referral,
            notes: "Line one\nline two \\ with a backslash and a very long line that goes past seventy-five bytes for sure".into(),
            tags: "nordic, fish".into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        let id = p.add_contact(fields.clone(), now).unwrap();
        let text = export_vcards(p.contact(id));
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"));
        let back = read_vcards(text.as_bytes()).unwrap();
        assert_eq!(back.errors, []);
        assert_eq!(back.warnings, []);
        assert_eq!(back.records[0].fields, fields);
    }

    #[test]
    fn file_names() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(
            vcard_file_name(None, day),
            "leadline-contacts-2026-12-03.vcf"
        );
        assert_eq!(
            vcard_file_name(Some("Ada Lovelace / Engines"), day),
            "Ada-Lovelace---Engines-2026-12-03.vcf"
        );
    }
}
