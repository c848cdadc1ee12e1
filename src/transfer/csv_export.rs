//! Spreadsheets out: one CSV file per kind of record, RFC 4180 quoting.
//! The plain file keeps every value exactly as stored, for other programs;
//! the For Excel file also makes every cell a spreadsheet would run as a
//! formula plain text.

use crate::domain::time::format_date;
use crate::domain::{format_amount, NumberLocale, Pipeline};

crate::named::named_values! {
    /// The kinds of record that can be exported.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CsvKind {
        Contacts = "contacts",
        Leads = "leads",
        Opportunities = "opportunities",
        Accounts = "accounts",
    }
}

impl CsvKind {
    pub fn label(self) -> &'static str {
        match self {
            CsvKind::Contacts => "Contacts",
            CsvKind::Leads => "Leads",
            CsvKind::Opportunities => "Opportunities",
            CsvKind::Accounts => "Accounts",
        }
    }

    /// `contacts`, for the file name.
    pub fn slug(self) -> &'static str {
        match self {
            CsvKind::Contacts => "contacts",
            CsvKind::Leads => "leads",
            CsvKind::Opportunities => "opportunities",
            CsvKind::Accounts => "accounts",
        }
    }
}

/// A cell a spreadsheet would read as a formula (or as a command, via tab
/// and carriage return tricks) gets an apostrophe in front, which makes it
/// text in Excel, LibreOffice and Google Sheets. Text that already looks
/// guarded gets one more, so importing the file gives back the same text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether [`neutralise`] puts an apostrophe in front of this text: a
/// formula start, also behind apostrophes, so the guard can be told from
/// the user's own apostrophes when the file comes back.
pub(crate) fn needs_guard(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Writes the records of one kind. `for_excel`: a byte order mark and
/// semicolons, which Excel opens correctly in every region (including the
/// Nordic ones, where the comma is the decimal mark), and formula cells
/// neutralised.
pub fn export_csv(pipeline: &Pipeline, kind: CsvKind, for_excel: bool) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
    match kind {
        CsvKind::Contacts => {
            rows.push(
                [
                    "Name",
                    "Type",
                    "Organisation",
                    "Title",
                    "Email",
                    "Phone",
                    "Website",
                    "Source",
                    "Notes",
                    "Tags",
                    "Created",
                ]
                .map(String::from)
                .to_vec(),
            );
            for c in pipeline.contacts() {
                rows.push(vec![
                    c.name.clone(),
                    c.kind.label().to_owned(),
                    c.organisation.clone(),
                    c.title.clone(),
                    c.email.clone(),
                    c.phone.clone(),
                    c.website.clone(),
                    c.source.label().to_owned(),
                    c.notes.clone(),
                    c.tags.join(", "),
                    format_date(c.created_at.date_naive()),
                ]);
            }
        }
        CsvKind::Leads => {
            rows.push(
                [
                    "Name",
                    "Organisation",
                    "Email",
                    "Lead status",
                    "Score",
                    "Buying role",
                    "Interest",
                    "Need",
                    "Budget",
                    "Timeline",
                    "Authority",
                    "Created",
                ]
                .map(String::from)
                .to_vec(),
            );
            use crate::domain::Criterion;
            for l in pipeline.leads() {
                let c = pipeline.contact(l.contact);
                let checked = |k: Criterion| yes_no(l.checklist.is_checked(k));
                rows.push(vec![
                    c.map(|c| c.name.clone()).unwrap_or_default(),
                    c.map(|c| c.organisation_name().to_owned())
                        .unwrap_or_default(),
                    c.map(|c| c.email.clone()).unwrap_or_default(),
                    l.status.label().to_owned(),
                    l.score().to_string(),
                    l.buying_role.label().to_owned(),
                    l.interest.clone(),
                    checked(Criterion::Need),
                    checked(Criterion::Budget),
                    checked(Criterion::Timeline),
                    checked(Criterion::Authority),
                    format_date(l.created_at.date_naive()),
                ]);
            }
        }
        CsvKind::Opportunities => {
            rows.push(
                [
                    "Name",
                    "Contact",
                    "Stage",
                    "Amount",
                    "Currency",
                    "Probability",
                    "Expected close date",
                    "Next step",
                    "Next step date",
                    "Current supplier",
                    "Competitors",
                    "Created",
                ]
                .map(String::from)
                .to_vec(),
            );
            let date = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or_default();
            for o in pipeline.opportunities() {
                let t = &o.terms;
                rows.push(vec![
                    o.name.clone(),
                    pipeline
                        .contact(o.contact)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    o.stage().label().to_owned(),
                    // Plain digits and a point: every spreadsheet reads it.
                    t.amount
                        .map(|m| format_amount(m, NumberLocale::English).replace(',', ""))
                        .unwrap_or_default(),
                    t.currency.code().to_owned(),
                    o.probability().to_string(),
                    date(t.expected_close),
                    t.next_step.clone(),
                    date(t.next_step_date),
                    t.current_supplier.clone(),
                    t.competitors.join(", "),
                    format_date(o.created_at.date_naive()),
                ]);
            }
        }
        CsvKind::Accounts => {
            rows.push(
                [
                    "Name",
                    "Main contact",
                    "Contacts",
                    "Customer since",
                    "Won deals",
                    "Lifetime value",
                ]
                .map(String::from)
                .to_vec(),
            );
            for a in pipeline.accounts() {
                let value = pipeline
                    .lifetime_value(a.id)
                    .into_iter()
                    .map(|sum| match sum.money() {
                        Some(m) => format!(
                            "{} {}",
                            format_amount(m, NumberLocale::English).replace(',', ""),
                            m.currency.code()
                        ),
                        None => format!("too large to add up ({})", sum.currency.code()),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                rows.push(vec![
                    a.name.clone(),
                    pipeline
                        .contact(a.contact)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    a.contacts.len().to_string(),
                    format_date(a.customer_since),
                    a.won_deals.len().to_string(),
                    value,
                ]);
            }
        }
    }
    write_rows(&rows, for_excel)
}

fn write_rows(rows: &[Vec<String>], for_excel: bool) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(if for_excel { b';' } else { b',' })
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = if for_excel {
            writer.write_record(row.iter().map(|c| neutralise(c).into_owned()))
        } else {
            writer.write_record(row)
        };
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if for_excel {
        format!("\u{FEFF}{text}")
    } else {
        text
    }
}

/// `leadline-contacts-2026-11-27.csv`
pub fn csv_file_name(kind: CsvKind, today: chrono::NaiveDate) -> String {
    format!("leadline-{}-{}.csv", kind.slug(), format_date(today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{sample, ContactDraft};
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn cells_that_start_a_formula_are_neutralised() {
        for bad in ["=1+1", "+47 22", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("'=x"), "''=x");
        for fine in ["Ada", "1+1", "a=b", "", " =x", "'Quoted"] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn contacts_are_quoted_and_guarded_for_excel() {
        let mut p = Pipeline::new();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let fields = ContactDraft {
            name: "=HYPERLINK(\"http://evil\")".into(),
            organisation: "Smith, Jones & Co".into(),
            notes: "Line one\nline \"two\"".into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        p.add_contact(fields, now).unwrap();
        let text = export_csv(&p, CsvKind::Contacts, false);
        assert_eq!(
            text,
            "Name,Type,Organisation,Title,Email,Phone,Website,Source,Notes,Tags,Created\r\n\
             \"=HYPERLINK(\"\"http://evil\"\")\",Person,\"Smith, Jones & Co\",,,,,Other,\"Line one\nline \"\"two\"\"\",,2026-11-27\r\n"
        );
        let excel = export_csv(&p, CsvKind::Contacts, true);
        assert!(excel.starts_with("\u{FEFF}Name;Type;Organisation;"));
        assert!(excel.contains(";Smith, Jones & Co;"));
        assert!(excel.contains("\"'=HYPERLINK("), "{excel}");
    }

    #[test]
    fn every_kind_has_a_header_and_a_row_per_record() {
        let p = sample::generate(3, 40, 15, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        for (kind, n, header) in [
            (
                CsvKind::Contacts,
                p.contacts().len(),
                "Name,Type,Organisation",
            ),
            (
                CsvKind::Leads,
                p.leads().len(),
                "Name,Organisation,Email,Lead status",
            ),
            (
                CsvKind::Opportunities,
                p.opportunities().len(),
                "Name,Contact,Stage,Amount",
            ),
            (CsvKind::Accounts, p.accounts().len(), "Name,Main contact"),
        ] {
            let text = export_csv(&p, kind, false);
            assert!(text.starts_with(header), "{kind:?}");
            let records = ::csv::Reader::from_reader(text.as_bytes())
                .records()
                .count();
            assert_eq!(records, n, "{kind:?}");
            assert!(n > 0, "{kind:?}");
        }
    }
}
