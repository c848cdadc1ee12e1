//! What every contact file becomes once read: records to import, rows left
//! out with the reason, and notes on values that came in another way. The
//! one rule for a record whatever its format lives here: a value that fails
//! its field's check is left out, not the contact with it.

use crate::domain::import::{Incoming, LeadStart};
use crate::domain::{ContactDraft, ContactKind, Field, ValidationError};

use super::headers::Target;

/// One problem with one cell of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub unit: RowUnit,
    pub row: usize,
    pub column: RowColumn,
    pub message: RowMessage,
}

/// What a file's records are called: rows in a spreadsheet, cards in a
/// vCard file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RowUnit {
    #[default]
    Row,
    Card,
}

impl std::fmt::Display for RowUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RowUnit::Row => "Row",
            RowUnit::Card => "Card",
        })
    }
}

/// Where in a row the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowColumn {
    Field(Field),
    Target(Target),
    /// A cell past the last named column, counted from 1.
    Extra(usize),
}

impl std::fmt::Display for RowColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowColumn::Field(field) => f.write_str(field.label()),
            RowColumn::Target(target) => f.write_str(target.label()),
            RowColumn::Extra(n) => write!(f, "column {n}"),
        }
    }
}

/// What is wrong with the cell. Kept as data so the screen can say it in
/// the language on screen; `Display` is the English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowMessage {
    /// A field's own check, which left the row out.
    Field(ValidationError),
    /// A value that failed its field's check: the contact comes in without it.
    LeftOut {
        value: String,
        problem: ValidationError,
    },
    ExtraCells {
        cells: usize,
        columns: usize,
    },
    /// A status or stage with no meaning here, kept in the notes.
    NoMatch(String),
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (unit, row, column) = (self.unit, self.row, &self.column);
        match &self.message {
            RowMessage::Field(e) => write!(f, "{unit} {row}, {column}: {e}"),
            RowMessage::LeftOut { value, problem } => {
                write!(f, "{unit} {row}: {column} “{value}” left out ({problem})")
            }
            RowMessage::ExtraCells { cells, columns } => write!(
                f,
                "{unit} {row}, {column}: the row has {cells} cells but the header names {columns} columns"
            ),
            RowMessage::NoMatch(value) => write!(
                f,
                "{unit} {row}, {column}: “{value}” has no match in Leadline; it is kept in Notes"
            ),
        }
    }
}

/// Every row checked: what can be imported, rows left out for errors, and
/// notes about values that came in differently than written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckedRows {
    /// Rows or cards.
    pub unit: RowUnit,
    pub records: Vec<Incoming>,
    /// Rows with these problems are not imported.
    pub errors: Vec<RowProblem>,
    /// Rows with these are imported; the user is told how.
    pub warnings: Vec<RowProblem>,
}

impl CheckedRows {
    pub fn new(unit: RowUnit) -> CheckedRows {
        CheckedRows {
            unit,
            ..CheckedRows::default()
        }
    }

    /// Checks one record read from the file and keeps it, or lists why not.
    /// A contact with no name takes its organisation's name (it is then the
    /// organisation); a value that fails its field's check is left out and
    /// listed, and the contact comes in without it. Only a record with no
    /// usable name is left out.
    pub fn admit(
        &mut self,
        row: usize,
        mut draft: ContactDraft,
        lead: Option<LeadStart>,
        notes: Vec<RowProblem>,
    ) {
        if draft.name.trim().is_empty() && !draft.organisation.trim().is_empty() {
            draft.name = std::mem::take(&mut draft.organisation);
            draft.kind = ContactKind::Organisation;
        }
        let mut left_out = Vec::new();
        let fields = loop {
            let errors = match draft.validate() {
                Ok(fields) => break Some(fields),
                Err(errors) => errors,
            };
            let mut cleared = false;
            for e in errors.iter() {
                if let Some(value) = clear(&mut draft, e.field) {
                    cleared = true;
                    left_out.push(RowProblem {
                        unit: self.unit,
                        row,
                        column: RowColumn::Field(e.field),
                        message: RowMessage::LeftOut {
                            value,
                            problem: e.clone(),
                        },
                    });
                }
            }
            if !cleared {
                self.errors.extend(errors.iter().map(|e| RowProblem {
                    unit: self.unit,
                    row,
                    column: RowColumn::Field(e.field),
                    message: RowMessage::Field(e.clone()),
                }));
                break None;
            }
        };
        if let Some(fields) = fields {
            self.records.push(Incoming {
                row,
                fields,
                lead,
                incomplete: !left_out.is_empty(),
            });
            self.warnings.extend(left_out);
            self.warnings.extend(notes);
        }
    }
}

/// One of several values of a kind a record has (emails, phones, web
/// addresses), with how much it is preferred (see
/// [`super::headers::preference`]) and the words the file used for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub rank: u8,
    pub value: String,
    pub label: String,
}

/// The preferred value (the lowest rank, the first in the file among
/// equals); every other different value is kept as a line for the notes,
/// "Home Phone: 555 0100", so nothing the file holds is lost.
pub fn choose(mut candidates: Vec<Candidate>, extras: &mut Vec<String>) -> String {
    candidates.retain(|c| !c.value.trim().is_empty());
    // Stable: equals keep the file's order.
    candidates.sort_by_key(|c| c.rank);
    let mut chosen: Option<String> = None;
    let mut seen: Vec<String> = Vec::new();
    for c in candidates {
        let value = c.value.trim().to_owned();
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&value)) {
            continue;
        }
        seen.push(value.clone());
        if chosen.is_none() {
            chosen = Some(value);
        } else {
            extras.push(format!("{}: {value}", c.label.trim()));
        }
    }
    chosen.unwrap_or_default()
}

/// Adds lines to the notes, after what is there.
pub fn add_lines(notes: &mut String, lines: &[String]) {
    for line in lines {
        if !notes.is_empty() && !notes.ends_with('\n') {
            notes.push('\n');
        }
        notes.push_str(line);
    }
}

/// Empties an optional field whose value failed its check and returns the
/// value; `None` for the name, which a contact cannot do without.
fn clear(draft: &mut ContactDraft, field: Field) -> Option<String> {
    let slot = match field {
        Field::Organisation => &mut draft.organisation,
        Field::Title => &mut draft.title,
        Field::Email => &mut draft.email,
        Field::Phone => &mut draft.phone,
        Field::Website => &mut draft.website,
        Field::Notes => &mut draft.notes,
        Field::Tags => &mut draft.tags,
        Field::Source => {
            let value = draft.source.label().to_owned();
            draft.source = crate::domain::Source::Other;
            return Some(value);
        }
        _ => return None,
    };
    let value = std::mem::take(slot);
    (!value.trim().is_empty()).then(|| shorten(value.trim()))
}

/// A value as quoted in a message: long ones are cut.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 60;
    if value.chars().count() <= SHOWN {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(SHOWN).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, phone: &str, email: &str) -> ContactDraft {
        ContactDraft {
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
            ..ContactDraft::default()
        }
    }

    #[test]
    fn a_bad_optional_value_is_left_out_not_the_contact() {
        let mut rows = CheckedRows::new(RowUnit::Row);
        rows.admit(12, draft("Ada", "Handy", "not an email"), None, vec![]);
        assert_eq!(rows.records.len(), 1);
        assert!(rows.records[0].incomplete);
        assert_eq!(rows.records[0].fields.phone, "");
        assert_eq!(rows.records[0].fields.email, "");
        let said: Vec<String> = rows.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 2);
        assert!(said
            .iter()
            .any(|s| s.starts_with("Row 12: Phone “Handy” left out (")));
        assert!(said
            .iter()
            .any(|s| s.starts_with("Row 12: Email “not an email” left out (")));
        assert!(rows.errors.is_empty());
    }

    #[test]
    fn only_a_record_with_no_name_is_left_out() {
        let mut rows = CheckedRows::new(RowUnit::Card);
        rows.admit(3, draft("", "555 0100", ""), None, vec![]);
        assert!(rows.records.is_empty());
        assert_eq!(rows.errors[0].to_string(), "Card 3, Name: Name is required");
        let mut company = draft("", "", "");
        company.organisation = "Acme AS".into();
        rows.admit(4, company, None, vec![]);
        let acme = &rows.records[0].fields;
        assert_eq!(
            (acme.name.as_str(), acme.kind, acme.organisation.as_str()),
            ("Acme AS", ContactKind::Organisation, "")
        );
        assert!(!rows.records[0].incomplete);
    }
}
