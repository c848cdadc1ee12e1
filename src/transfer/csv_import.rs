//! Reading a spreadsheet of contacts: the delimiter, the header row, which
//! column means what (see `headers`), and
//! every row checked with the same rules as the contact form.

use crate::domain::import::LeadStart;
use crate::domain::{ContactDraft, ContactKind, DisqualifyReason, Source};

use super::checked::{
    add_lines, choose, Candidate, CheckedRows, RowColumn, RowMessage, RowProblem, RowUnit,
};
use super::headers::{guess_mapping, kind_columns, preference, squash, Target};
use super::text::{decode, FileError};

/// A spreadsheet as read: the header and the rows after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvTable {
    pub delimiter: u8,
    pub encoding: &'static str,
    pub headers: Vec<String>,
    /// For each column, the column that says what kind its value is
    /// (see [`kind_columns`]); found once, used for every row.
    pub kinds: Vec<Option<usize>>,
    /// (row number as a spreadsheet shows it, cells)
    pub rows: Vec<(usize, Vec<String>)>,
}

impl CsvTable {
    /// The mapping the columns get before the user changes anything.
    pub fn guess_mapping(&self) -> Vec<Target> {
        guess_mapping(&self.headers)
    }
}

/// Counts a delimiter outside quotes on the first lines of the text.
fn pick_delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text.lines().take(10).collect();
    let count = |d: char| -> Vec<usize> {
        sample
            .iter()
            .map(|l| {
                let mut quoted = false;
                l.chars()
                    .filter(|&c| {
                        if c == '"' {
                            quoted = !quoted;
                        }
                        c == d && !quoted
                    })
                    .count()
            })
            .collect()
    };
    // The delimiter appears most on the first line and on most lines alike.
    [b',', b';', b'\t']
        .into_iter()
        .map(|d| {
            let counts = count(d as char);
            let first = counts.first().copied().unwrap_or(0);
            let same = counts.iter().filter(|&&n| n == first).count();
            (d, if first == 0 { 0 } else { first * same })
        })
        .fold((b',', 0), |best, x| if x.1 > best.1 { x } else { best })
        .0
}

/// The row where a quotation mark opens and never closes, if any. Quotes
/// count only at the start of a cell (RFC 4180), as the reader treats them.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(PartialEq)]
    enum At {
        CellStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let d = delimiter as char;
    let (mut at, mut row, mut opened) = (At::CellStart, 1, 1);
    for c in text.chars() {
        at = match (at, c) {
            (At::Quoted, '"') => At::QuoteInQuoted,
            (At::Quoted, _) => At::Quoted,
            (At::QuoteInQuoted, '"') => At::Quoted,
            (At::CellStart, '"') => {
                opened = row;
                At::Quoted
            }
            (_, '\n') => {
                row += 1;
                At::CellStart
            }
            (_, c) if c == d || c == '\r' => At::CellStart,
            _ => At::Plain,
        };
    }
    (at == At::Quoted).then_some(opened)
}

/// The most columns a file may have. No address book export comes near
/// it, and choosing what each of thousands of columns is would be endless.
pub const MAX_COLUMNS: usize = 1_000;

/// Reads a whole CSV file. Lines before the header (titles some reports
/// put on top) are left out; the header is the row among the first ten
/// that names the most known columns.
pub fn read_csv(bytes: &[u8]) -> Result<CsvTable, FileError> {
    let mut reading = CsvReading::start(bytes)?;
    while !reading.read_some(usize::MAX)? {}
    reading.finish()
}

/// A CSV file read a slice of rows at a time ([`CsvReading::read_some`]),
/// so a long file never holds up the page.
pub struct CsvReading {
    reader: ::csv::Reader<std::io::Cursor<Vec<u8>>>,
    delimiter: u8,
    encoding: &'static str,
    total_bytes: u64,
    /// Written for Excel (a byte order mark and semicolons, as our For
    /// Excel export): formula guards are taken off the cells.
    guarded: bool,
    records: Vec<(usize, Vec<String>)>,
    /// The line (counted from 1, in the whole file) that starts at byte
    /// `counted` of the body.
    line: usize,
    counted: usize,
}

impl CsvReading {
    /// Decodes the text and finds its delimiter; refuses a file that is
    /// empty or has a quotation mark that never closes.
    pub fn start(bytes: &[u8]) -> Result<CsvReading, FileError> {
        let (text, encoding) = decode(bytes);
        if text.trim().is_empty() {
            return Err(FileError::Empty);
        }
        // Excel understands a first line "sep=;" naming the delimiter.
        let (mut delimiter, body, skipped) = match text.lines().next() {
            Some(l) if l.len() == 5 && l.to_ascii_lowercase().starts_with("sep=") => {
                (l.as_bytes()[4], &text[l.len()..], 1)
            }
            _ => (0, &text[..], 0),
        };
        let trimmed = body.trim_start_matches(['\r', '\n']);
        // Rows are numbered by the line they start on, as a text editor
        // counts them (and a spreadsheet, while no cell holds a line break).
        let skipped = skipped + body[..body.len() - trimmed.len()].matches('\n').count();
        let body = trimmed;
        if delimiter == 0 {
            delimiter = pick_delimiter(body);
        }
        if let Some(row) = unclosed_quote(body, delimiter) {
            return Err(FileError::UnclosedQuote { row: row + skipped });
        }
        let reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(body.as_bytes().to_vec()));
        Ok(CsvReading {
            reader,
            delimiter,
            encoding,
            total_bytes: body.len() as u64,
            guarded: bytes.starts_with(b"\xEF\xBB\xBF") && delimiter == b';',
            records: Vec::new(),
            line: skipped + 1,
            counted: 0,
        })
    }

    /// Reads up to `count` more rows; says whether the file is done.
    pub fn read_some(&mut self, count: usize) -> Result<bool, FileError> {
        let mut record = ::csv::StringRecord::new();
        for _ in 0..count {
            let at = self.reader.position().byte();
            let more = match self.reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    return Err(FileError::Unreadable {
                        row: self.line_at(at),
                        detail: e.to_string(),
                    })
                }
            };
            if !more {
                return Ok(true);
            }
            let row = self.line_at(at);
            if record.len() > MAX_COLUMNS {
                return Err(FileError::TooManyColumns {
                    row,
                    columns: record.len(),
                    max: MAX_COLUMNS,
                });
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            self.records
                .push((row, record.iter().map(str::to_owned).collect()));
        }
        Ok(false)
    }

    /// The line of the record that starts at or after byte `at` (the csv
    /// reader's own line count skips blank lines, so lines are counted here).
    fn line_at(&mut self, at: u64) -> usize {
        let body = self.reader.get_ref().get_ref();
        let mut start = usize::try_from(at).unwrap_or(body.len()).min(body.len());
        while matches!(body.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted {
            self.line += body[self.counted..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.counted = start;
        }
        self.line
    }

    /// How far the reading is: (bytes read, bytes in all).
    pub fn progress(&self) -> (u64, u64) {
        (self.reader.position().byte(), self.total_bytes)
    }

    /// The rows read, split into the header and the rows after it.
    pub fn finish(self) -> Result<CsvTable, FileError> {
        let mut records = self.records;
        let known = |cells: &[String]| {
            cells
                .iter()
                .filter(|h| Target::for_header(h) != Target::Skip)
                .count()
        };
        let header_at = records
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, (_, cells))| (i, known(cells)))
            .fold((0, 0), |best, x| if x.1 > best.1 { x } else { best })
            .0;
        if records.is_empty() {
            return Err(FileError::NoHeader);
        }
        let mut rows = records.split_off(header_at + 1);
        let headers: Vec<String> = records
            .pop()
            .map(|(_, cells)| cells.into_iter().map(|c| c.trim().to_owned()).collect())
            .ok_or(FileError::NoHeader)?;
        if headers.iter().all(|h| h.is_empty()) {
            return Err(FileError::NoHeader);
        }
        if rows.is_empty() {
            return Err(FileError::NoRows);
        }
        for (_, cells) in rows.iter_mut().filter(|_| self.guarded) {
            for cell in cells.iter_mut() {
                if let Some(plain) = unguard(cell) {
                    *cell = plain;
                }
            }
        }
        Ok(CsvTable {
            delimiter: self.delimiter,
            encoding: self.encoding,
            kinds: kind_columns(&headers),
            headers,
            rows,
        })
    }
}

/// Takes off the apostrophe our For Excel export puts before a cell that a
/// spreadsheet would run as a formula, so a round trip keeps the text.
/// `None`: the cell stays as it is.
fn unguard(cell: &str) -> Option<String> {
    match cell.strip_prefix('\'') {
        Some(rest) if super::csv_export::needs_guard(rest) => Some(rest.to_owned()),
        _ => None,
    }
}

/// How a status or lifecycle stage from another system comes in.
enum Meaning {
    Lead(LeadStart),
    /// A contact only; the value is kept in the notes.
    Note,
    /// A contact only, nothing to note (e.g. "subscriber").
    Nothing,
    Unknown,
}

/// Salesforce lead statuses and HubSpot lead statuses.
fn lead_status(value: &str) -> Meaning {
    match squash(value).as_str() {
        "new" | "open" | "opennotcontacted" | "notcontacted" => Meaning::Lead(LeadStart::New),
        "contacted" | "workingcontacted" | "working" | "attemptedtocontact" | "inprogress"
        | "connected" => Meaning::Lead(LeadStart::Contacted),
        "unqualified" | "disqualified" | "closednotconverted" => {
            Meaning::Lead(LeadStart::Disqualified(DisqualifyReason::Other))
        }
        "badtiming" => Meaning::Lead(LeadStart::Disqualified(DisqualifyReason::BadTiming)),
        // Qualification needs the checklist, and a converted lead needs its
        // opportunity: neither is in the file.
        "qualified" | "closedconverted" | "converted" | "opendeal" => Meaning::Note,
        _ => Meaning::Unknown,
    }
}

/// HubSpot lifecycle stages.
fn lifecycle(value: &str) -> Meaning {
    match squash(value).as_str() {
        "lead" | "marketingqualifiedlead" | "mql" | "salesqualifiedlead" | "sql" => {
            Meaning::Lead(LeadStart::New)
        }
        "subscriber" | "other" => Meaning::Nothing,
        // Accounts come only from won opportunities, with their amounts.
        "opportunity" | "customer" | "evangelist" => Meaning::Note,
        _ => Meaning::Unknown,
    }
}

/// Sales channels other systems use, where the meaning is ours.
fn source(value: &str) -> Source {
    match squash(value).as_str() {
        "web" | "webform" | "organicsearch" | "directtraffic" => Source::Website,
        "employeereferral" | "externalreferral" | "referrals" | "wordofmouth" => Source::Referral,
        "partnerreferral" | "partnerreferal" => Source::Partner,
        "tradeshow" | "seminar" | "webinar" | "offline" => Source::Event,
        "coldcall" | "phoneinquiry" | "emailmarketing" => Source::ColdOutreach,
        "socialmedia" | "paidsocial" => Source::SocialMedia,
        "advertisement" | "paidsearch" => Source::Advertising,
        _ => Source::from_label(value),
    }
}

/// The unit used in messages about CSV rows.
const ROW: RowUnit = RowUnit::Row;

/// Checks every row against the mapping. `mapping[i]` is what column `i`
/// is imported as.
pub fn check_rows(table: &CsvTable, mapping: &[Target]) -> CheckedRows {
    let mut out = CheckedRows::new(ROW);
    check_some_rows(table, mapping, 0..table.rows.len(), &mut out);
    out
}

/// Google Contacts puts several values in one cell: "a@x.no ::: b@y.no".
fn values_in(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::").map(str::trim).filter(|v| !v.is_empty())
}

/// Tags from every tags column: Google's ":::" and Outlook's ";" lists
/// alike. Google's own groups ("* myContacts", "* starred") are not tags.
fn tags_in<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut tags: Vec<&str> = Vec::new();
    for tag in cells.flat_map(|c| c.split([';', ',']).flat_map(values_in)) {
        if !tag.starts_with('*') && !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag);
        }
    }
    tags.join(",")
}

/// [`check_rows`] for the rows at `range` (indices into `table.rows`),
/// adding to `out`: long files are checked a slice at a time.
pub fn check_some_rows(
    table: &CsvTable,
    mapping: &[Target],
    range: std::ops::Range<usize>,
    out: &mut CheckedRows,
) {
    let width = table.headers.len();
    for (row, cells) in table.rows.get(range).unwrap_or_default() {
        let row = *row;
        let extra = cells.iter().skip(width).any(|c| !c.trim().is_empty());
        if extra {
            out.errors.push(RowProblem {
                unit: ROW,
                row,
                column: RowColumn::Extra(width + 1),
                message: RowMessage::ExtraCells {
                    cells: cells.len(),
                    columns: width,
                },
            });
            continue;
        }
        // (column, cell) of every non-empty cell imported as `t`.
        let columns = |t: Target| {
            mapping
                .iter()
                .zip(cells)
                .enumerate()
                .filter(move |(_, (m, c))| **m == t && !c.trim().is_empty())
                .map(|(i, (_, c))| (i, c.trim()))
        };
        let first = |t: Target| {
            columns(t)
                .flat_map(|(_, c)| values_in(c))
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let mut extras = Vec::new();
        // The preferred of several values, by the words of each value's
        // column or of the column beside it that says its kind.
        let mut best = |t: Target| {
            let mut candidates = Vec::new();
            for (i, cell) in columns(t) {
                let kind = table
                    .kinds
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|k| cells.get(k))
                    .map(|k| k.trim())
                    .filter(|k| !k.is_empty());
                let header = table.headers.get(i).map_or("", String::as_str);
                let mut kinds_in_cell = kind.into_iter().flat_map(values_in);
                for value in values_in(cell) {
                    let kind = kinds_in_cell.next();
                    candidates.push(Candidate {
                        rank: preference(kind.unwrap_or(header)),
                        value: value.to_owned(),
                        label: kind
                            .map_or(header, |k| k.trim_start_matches(['*', ' ']))
                            .to_owned(),
                    });
                }
            }
            choose(candidates, &mut extras)
        };
        let email = best(Target::Email);
        let phone = best(Target::Phone);
        let website = best(Target::Website);
        let mut name = first(Target::Name);
        if name.is_empty() {
            name = [
                Target::Prefix,
                Target::FirstName,
                Target::MiddleName,
                Target::LastName,
                Target::Suffix,
            ]
            .map(first)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        }
        let mut notes = columns(Target::Notes)
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut warnings = Vec::new();
        let note = |notes: &mut String, label: &str, value: &str| {
            if !notes.is_empty() {
                notes.push_str("\n\n");
            }
            notes.push_str(&format!("{label} in the imported file: {value}"));
        };
        let kind = match first(Target::Type) {
            t if t.eq_ignore_ascii_case("organisation")
                || t.eq_ignore_ascii_case("organization")
                || t.eq_ignore_ascii_case("company") =>
            {
                ContactKind::Organisation
            }
            _ => ContactKind::Person,
        };
        let mut lead = None;
        let mut read_meaning = |target: Target, meaning: fn(&str) -> Meaning| {
            let value = first(target);
            if value.is_empty() {
                return;
            }
            match meaning(&value) {
                Meaning::Lead(start) => {
                    // An explicit lead status wins over "lead" as a stage.
                    if lead.is_none() || target == Target::LeadStatus {
                        lead = Some(start);
                    }
                }
                Meaning::Nothing => {}
                Meaning::Note => note(&mut notes, target.label(), &value),
                Meaning::Unknown => {
                    note(&mut notes, target.label(), &value);
                    warnings.push(RowProblem {
                        unit: ROW,
                        row,
                        column: RowColumn::Target(target),
                        message: RowMessage::NoMatch(value.clone()),
                    });
                }
            }
        };
        read_meaning(Target::LifecycleStage, lifecycle);
        read_meaning(Target::LeadStatus, lead_status);
        if !extras.is_empty() && !notes.is_empty() {
            notes.push_str("\n\n");
        }
        add_lines(&mut notes, &extras);
        let source_text = first(Target::Source);
        let draft = ContactDraft {
            name,
            kind,
            organisation: first(Target::Organisation),
            title: first(Target::Title),
            email,
            phone,
            website,
            source: if source_text.is_empty() {
                Source::Other
            } else {
                // A custom source is checked (length) by validate.
                source(&source_text)
            },
            notes,
            tags: tags_in(columns(Target::Tags).map(|(_, c)| c)),
        };
        out.admit(row, draft, lead, warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> CsvTable {
        read_csv(text.as_bytes()).unwrap()
    }

    #[test]
    fn semicolons_tabs_and_commas_are_told_apart() {
        assert_eq!(table("Name;Email\nÅse;a@b.no\n").delimiter, b';');
        assert_eq!(table("Name\tEmail\nA\ta@b.no\n").delimiter, b'\t');
        assert_eq!(table("Name,Email\n\"Smith; J\",a@b.no\n").delimiter, b',');
        assert_eq!(table("sep=;\nName;Email\nA;a@b.no").delimiter, b';');
    }

    #[test]
    fn the_header_row_may_follow_report_titles() {
        let t = table("Leads report\nRun 2026-11-27\nFirstName,LastName,Email\nAda,L,a@b.no\n");
        assert_eq!(t.headers, ["FirstName", "LastName", "Email"]);
        assert_eq!(
            t.rows,
            vec![(4, vec!["Ada".into(), "L".into(), "a@b.no".into()])]
        );
    }

    #[test]
    fn statuses_become_leads_only_where_the_meaning_is_clear() {
        let t = table("Name,Status,Lifecycle Stage\nA,Working - Contacted,\nB,,lead\nC,Qualified,\nD,,customer\nE,Nurturing,\nF,Closed - Not Converted,lead\n");
        let checked = check_rows(&t, &t.guess_mapping());
        let leads: Vec<_> = checked.records.iter().map(|r| r.lead).collect();
        assert_eq!(
            leads,
            [
                Some(LeadStart::Contacted),
                Some(LeadStart::New),
                None,
                None,
                None,
                Some(LeadStart::Disqualified(DisqualifyReason::Other))
            ]
        );
        assert_eq!(
            checked.records[2].fields.notes,
            "Lead status in the imported file: Qualified"
        );
        assert_eq!(
            checked.records[3].fields.notes,
            "Lifecycle stage in the imported file: customer"
        );
        assert_eq!(
            checked
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["Row 6, Lead status: “Nurturing” has no match in Leadline; it is kept in Notes"]
        );
    }

    #[test]
    fn formula_guards_are_taken_off_on_the_way_in() {
        let t = table("\u{FEFF}Name;Phone\n'=Ada;'+47 22 33 44 55\n'Quoted;1\n");
        assert_eq!(t.rows[0].1, ["=Ada", "+47 22 33 44 55"]);
        assert_eq!(t.rows[1].1, ["'Quoted", "1"]);
        // Other files are taken as they are: the apostrophe is the writer's.
        let t = table("Name,Phone\n'=Ada,1\n");
        assert_eq!(t.rows[0].1, ["'=Ada", "1"]);
    }

    #[test]
    fn reading_a_slice_at_a_time_reads_the_same_table() {
        let mut text = String::from("Report\nName,Email\n");
        for i in 0..1_000 {
            text.push_str(&format!("P{i},p{i}@example.com\n\n"));
        }
        let mut reading = CsvReading::start(text.as_bytes()).unwrap();
        let mut last = 0;
        while !reading.read_some(7).unwrap() {
            let (at, of) = reading.progress();
            assert!(
                at >= last && at <= of,
                "progress moves forward within the file"
            );
            last = at;
        }
        assert_eq!(reading.finish().unwrap(), table(&text));
        assert_eq!(table(&text).rows.len(), 1_000);
        assert_eq!(
            table(&text).rows[999].0,
            2_000 + 2 - 1,
            "row numbers count blank lines"
        );
    }

    #[test]
    fn a_file_wider_than_the_column_limit_is_refused_in_words() {
        let header = vec!["C"; MAX_COLUMNS + 1].join(",");
        let text = format!("Name,Email\nAda,a@b.no\n{header}\n");
        let e = read_csv(text.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Row 3 has 1001 columns; Leadline reads files of up to 1000 columns. Remove the columns you do not need and try again."
        );
        let wide = vec!["C"; MAX_COLUMNS].join(",");
        assert_eq!(
            table(&format!("{wide}\n{wide}\n")).headers.len(),
            MAX_COLUMNS
        );
    }

    #[test]
    fn checking_a_slice_at_a_time_checks_the_same() {
        let mut text = String::from("Name,Email\n");
        for i in 0..300 {
            let email = if i % 7 == 0 {
                "not an email".to_owned()
            } else {
                format!("p{i}@example.com")
            };
            text.push_str(&format!("P{i},{email}\n"));
        }
        let t = table(&text);
        let mapping = t.guess_mapping();
        let mut sliced = CheckedRows::new(RowUnit::Row);
        for start in (0..t.rows.len()).step_by(32) {
            check_some_rows(
                &t,
                &mapping,
                start..(start + 32).min(t.rows.len()),
                &mut sliced,
            );
        }
        assert_eq!(sliced, check_rows(&t, &mapping));
        // A bad email is left out of its contact, not the contact.
        assert_eq!((sliced.warnings.len(), sliced.errors.len()), (43, 0));
    }
}
