//! Import and export files, read from fixtures in `tests/fixtures/transfer/`
//! the way a user's file would arrive: as bytes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use chrono::{DateTime, TimeZone, Utc};
use leadline::domain::import::{find_duplicates, plan_import, Incoming, LeadStart, Resolution};
use leadline::domain::{
    ContactDraft, ContactFields, ContactKind, DisqualifyReason, LeadStatus, Pipeline, Source,
};
use leadline::transfer::checked::{CheckedRows, RowProblem};
use leadline::transfer::csv_export::{export_csv, CsvKind};
use leadline::transfer::csv_import::{check_rows, read_csv};
use leadline::transfer::headers::Target;
use leadline::transfer::text::FileError;
use leadline::transfer::vcard::read_vcards;
use leadline::transfer::vcard_export::export_vcards;
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/transfer/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

fn csv(name: &str) -> CheckedRows {
    let table = read_csv(&fixture(name)).unwrap();
    check_rows(&table, &table.guess_mapping())
}

fn messages(problems: &[RowProblem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

fn names(rows: &CheckedRows) -> Vec<&str> {
    rows.records
        .iter()
        .map(|r| r.fields.name.as_str())
        .collect()
}

/// Imports every record as new, the way the Import button does.
fn import_all(p: &mut Pipeline, records: &[Incoming]) {
    let dups = find_duplicates(p, records);
    let plan = plan_import(records, &dups, |_| Resolution::KeepBoth, false);
    p.import_contacts(records, &plan, "test.csv", now())
        .unwrap();
}

#[test]
fn salesforce_export_rows_are_checked_one_by_one() {
    let rows = csv("salesforce-leads.csv");
    // A bad value is left out of its contact; a row with no name takes
    // its company's; nothing is left out whole.
    assert_eq!(messages(&rows.errors), Vec::<String>::new());
    assert_eq!(
        messages(&rows.warnings),
        [
            "Row 4: Email “alan@example” left out (Email must look like name@example.com)",
            "Row 6: Phone “phone me” left out (Phone can only contain digits, spaces and + - ( ) ., and an extension such as ext. 12)",
            "Row 6: Website “ftp://nasa.example.com” left out (Website must be a web address starting with http:// or https://)",
            "Row 6, Lead status: “Nurturing” has no match in Leadline; it is kept in Notes",
        ]
    );
    assert_eq!(
        names(&rows),
        [
            "Ada Lovelace",
            "Grace Hopper",
            "Alan Turing",
            "Nameless Ltd",
            "Katherine Johnson"
        ]
    );
    let incomplete: Vec<usize> = rows
        .records
        .iter()
        .filter(|r| r.incomplete)
        .map(|r| r.row)
        .collect();
    assert_eq!(incomplete, [4, 6]);
    let nameless = &rows.records[3].fields;
    assert_eq!(
        (nameless.kind, nameless.email.as_str()),
        (ContactKind::Organisation, "info@nameless.example.com")
    );
    let ada = &rows.records[0];
    assert_eq!(ada.row, 2);
    assert_eq!(ada.fields.organisation, "Analytical Engines");
    assert_eq!(ada.fields.website, "https://engines.example.com");
    assert_eq!(ada.fields.source, Source::Website);
    assert_eq!(ada.fields.notes, "Wants a demo, soon");
    assert_eq!(ada.lead, Some(LeadStart::New));
    assert_eq!(rows.records[1].fields.source, Source::Partner);
    assert_eq!(rows.records[1].lead, Some(LeadStart::Contacted));
}

#[test]
fn hubspot_lifecycle_and_lead_status_come_in_where_clear() {
    let rows = csv("hubspot-contacts.csv");
    assert!(rows.errors.is_empty(), "{:?}", rows.errors);
    assert_eq!(
        names(&rows),
        [
            "Margaret Hamilton",
            "Hedy Lamarr",
            "Radia Perlman",
            "Barbara Liskov"
        ]
    );
    let leads: Vec<_> = rows.records.iter().map(|r| r.lead).collect();
    assert_eq!(
        leads,
        [
            Some(LeadStart::Contacted),
            None,
            Some(LeadStart::New),
            Some(LeadStart::Disqualified(DisqualifyReason::BadTiming)),
        ]
    );
    assert_eq!(
        rows.records[1].fields.notes,
        "Lifecycle stage in the imported file: customer"
    );
    assert_eq!(rows.records[0].fields.title, "Director");
    assert_eq!(rows.records[0].fields.phone, "555-0101");
}

#[test]
fn nordic_excel_semicolons_with_a_bom() {
    let table = read_csv(&fixture("nordic-excel.csv")).unwrap();
    assert_eq!(table.delimiter, b';');
    assert_eq!(table.encoding, "UTF-8");
    assert_eq!(
        table.headers[0], "FirstName",
        "the BOM is not part of the header"
    );
    let rows = check_rows(&table, &table.guess_mapping());
    assert_eq!(names(&rows), ["Åse Bjørnstad", "Øyvind Lie"]);
    assert_eq!(rows.records[0].fields.phone, "+47 22 33 44 55");
}

#[test]
fn windows_1252_files_keep_their_letters() {
    let table = read_csv(&fixture("windows-1252.csv")).unwrap();
    assert_eq!(table.encoding, "Windows-1252");
    let rows = check_rows(&table, &table.guess_mapping());
    assert_eq!(names(&rows), ["Bjørn Ærø"]);
    assert_eq!(rows.records[0].fields.organisation, "Smørbrød AS");
    assert_eq!(rows.records[0].fields.notes, "Prices in €, “quoted”");
}

#[test]
fn the_user_can_change_the_mapping() {
    let table = read_csv(&fixture("hubspot-contacts.csv")).unwrap();
    let mut mapping = table.guess_mapping();
    // "Job Title" into Notes instead, and the lifecycle stage left out.
    mapping[5] = Target::Notes;
    mapping[6] = Target::Skip;
    let rows = check_rows(&table, &mapping);
    assert_eq!(rows.records[0].fields.title, "");
    assert_eq!(rows.records[0].fields.notes, "Director");
    assert_eq!(rows.records[2].lead, None, "lifecycle no longer read");
}

#[test]
fn broken_csv_files_are_refused_whole() {
    let refused = |name: &str| read_csv(&fixture(name)).unwrap_err();
    assert_eq!(
        refused("unclosed-quote.csv"),
        FileError::UnclosedQuote { row: 3 }
    );
    assert_eq!(
        refused("unclosed-quote.csv").to_string(),
        "Row 3 opens a quotation mark that is never closed, so the rest of the file cannot be read. Check that row in a spreadsheet program."
    );
    assert_eq!(refused("header-only.csv"), FileError::NoRows);
    assert_eq!(refused("empty.csv"), FileError::Empty);
}

#[test]
fn a_row_with_more_cells_than_the_header_is_an_error() {
    let rows = csv("extra-cells.csv");
    assert_eq!(
        messages(&rows.errors),
        ["Row 3, column 3: the row has 4 cells but the header names 2 columns"]
    );
    assert_eq!(names(&rows), ["Ada"]);
}

#[test]
fn vcard_3_cards_with_folding_and_groups() {
    let rows = read_vcards(&fixture("contacts-v3.vcf")).unwrap();
    assert_eq!(names(&rows), ["Ada Lovelace", "Grace Hopper", "Bad Email"]);
    let ada = &rows.records[0].fields;
    assert_eq!(ada.organisation, "Analytical Engines");
    assert_eq!(ada.title, "Mathematician");
    assert_eq!(ada.email, "ada@example.com");
    assert_eq!(ada.phone, "+44 20 7946 0001");
    assert_eq!(
        ada.notes,
        "Met at the Royal Society, 1843.\nWants the notes on the engine."
    );
    assert_eq!(rows.records[1].fields.email, "grace@example.com");
    assert_eq!(rows.records[2].fields.email, "");
    assert!(messages(&rows.warnings)[0].starts_with("Card 3: Email “"));
    assert!(rows.errors.is_empty());
}

#[test]
fn vcard_4_organisations_uris_and_categories() {
    let rows = read_vcards(&fixture("contacts-v4.vcf")).unwrap();
    assert!(rows.errors.is_empty(), "{:?}", rows.errors);
    let fjord = &rows.records[0].fields;
    assert_eq!(fjord.kind, ContactKind::Organisation);
    assert_eq!(fjord.phone, "+47-22-33-44-55");
    assert_eq!(rows.records[1].fields.name, "Margaret Hamilton");
    assert_eq!(rows.records[1].fields.tags, ["apollo", "software"]);
}

#[test]
fn vcard_2_1_plain_and_quoted_printable() {
    let rows = read_vcards(&fixture("contacts-v21.vcf")).unwrap();
    assert_eq!(names(&rows), ["Radia Perlman"]);
    assert_eq!(rows.records[0].fields.email, "radia@example.com");
    let rows = read_vcards(&fixture("contacts-v21-quoted-printable.vcf")).unwrap();
    assert_eq!(names(&rows), ["Ok Person", "Åse"]);
}

#[test]
fn broken_vcard_files_are_refused_whole() {
    assert_eq!(
        read_vcards(&fixture("truncated.vcf")).unwrap_err(),
        FileError::UnfinishedCard { card: 2 }
    );
    assert_eq!(
        read_vcards(&fixture("not-a-vcard.vcf")).unwrap_err(),
        FileError::NotVcard
    );
}

#[test]
fn an_import_is_one_step_and_undo_takes_it_all_back() {
    let mut p = Pipeline::new();
    let before = p.clone();
    let rows = csv("salesforce-leads.csv");
    import_all(&mut p, &rows.records);
    assert_eq!(p.contacts().len(), 5);
    assert_eq!(p.leads().len(), 3);
    let grace = p
        .contacts()
        .iter()
        .find(|c| c.name == "Grace Hopper")
        .unwrap();
    assert_eq!(
        p.lead_for_contact(grace.id).unwrap().status,
        LeadStatus::Contacted
    );
    assert_eq!(
        p.undo_label().unwrap().to_string(),
        "Imported 5 contacts from test.csv"
    );
    p.undo().unwrap();
    assert_eq!(p, before);
    assert!(!p.can_undo());
}

#[test]
fn one_bad_record_means_nothing_is_imported() {
    let mut p = Pipeline::new();
    let ok = csv("hubspot-contacts.csv").records;
    import_all(&mut p, &ok[..1]);
    let before = p.clone();
    let mut records = ok[1..].to_vec();
    // Not from the file reader: the pipeline checks every record again.
    records[1].fields = ContactFields {
        email: "not an email".into(),
        ..records[1].fields.clone()
    };
    let plan = plan_import(&records, &[], |_| Resolution::KeepBoth, false);
    assert!(p
        .import_contacts(&records, &plan, "bad.csv", now())
        .is_err());
    assert_eq!(p, before);
    assert_eq!(
        p.undo_label().unwrap().to_string(),
        "Imported 1 contact from test.csv"
    );
}

#[test]
fn duplicates_are_skipped_merged_or_kept() {
    let mut p = Pipeline::new();
    let existing = ContactDraft {
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        ..ContactDraft::default()
    }
    .validate()
    .unwrap();
    let ada = p.add_contact(existing, now()).unwrap();
    let rows = csv("salesforce-leads.csv");
    let dups = find_duplicates(&p, &rows.records);
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].index, 0);

    let mut skip = p.clone();
    let plan = plan_import(&rows.records, &dups, |_| Resolution::Skip, false);
    skip.import_contacts(&rows.records, &plan, "x.csv", now())
        .unwrap();
    assert_eq!(skip.contacts().len(), 5);
    assert_eq!(skip.contact(ada).unwrap().organisation, "");

    let mut merge = p.clone();
    let plan = plan_import(&rows.records, &dups, |_| Resolution::Merge, false);
    merge
        .import_contacts(&rows.records, &plan, "x.csv", now())
        .unwrap();
    assert_eq!(merge.contacts().len(), 5);
    let merged = merge.contact(ada).unwrap();
    assert_eq!(merged.organisation, "Analytical Engines");
    assert_eq!(merged.email, "ada@example.com");
    assert!(
        merge.lead_for_contact(ada).is_some(),
        "the file's lead came along"
    );

    let mut both = p.clone();
    let plan = plan_import(&rows.records, &dups, |_| Resolution::KeepBoth, false);
    both.import_contacts(&rows.records, &plan, "x.csv", now())
        .unwrap();
    assert_eq!(both.contacts().len(), 6);
}

fn text(max: usize) -> impl Strategy<Value = String> {
    // Commas, semicolons, quotes, new lines, formula starters and letters
    // beyond ASCII: everything that makes CSV hard.
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('ø'),
            Just('€'),
            Just(' '),
            Just(','),
            Just(';'),
            Just('"'),
            Just('\''),
            Just('\n'),
            Just('='),
            Just('+'),
            Just('-'),
            Just('@'),
            Just('7'),
        ],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect::<String>().trim().to_owned())
}

fn contact() -> impl Strategy<Value = ContactDraft> {
    (
        text(30),
        text(20),
        text(20),
        text(60),
        proptest::bool::ANY,
        proptest::sample::select(vec!["", "ada@example.com", "x.y@firm.no"]),
        proptest::sample::select(vec!["", "+47 22 33 44 55", "555-0100"]),
        proptest::sample::select(vec![Source::Other, Source::Referral, Source::Website]),
    )
        .prop_map(
            |(name, organisation, title, notes, org, email, phone, source)| ContactDraft {
                name: format!("N{name}"),
                kind: if org {
                    ContactKind::Organisation
                } else {
                    ContactKind::Person
                },
                organisation,
                title,
                email: email.into(),
                phone: phone.into(),
                source,
                notes,
                ..ContactDraft::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn vcard_export_then_import_round_trips_contacts(
        drafts in proptest::collection::vec(contact(), 1..8),
        tags in proptest::collection::vec(text(12), 0..4),
    ) {
        let mut p = Pipeline::new();
        for d in &drafts {
            let tags = tags.iter().map(|t| t.replace(',', "")).collect::<Vec<_>>().join(",");
            p.add_contact(ContactDraft { tags, ..d.clone() }.validate().unwrap(), now()).unwrap();
        }
        let text = export_vcards(p.contacts());
        let rows = read_vcards(text.as_bytes()).unwrap();
        prop_assert!(rows.errors.is_empty(), "{:?}", rows.errors);
        prop_assert!(rows.warnings.is_empty(), "{:?}", rows.warnings);
        let back: Vec<ContactFields> = rows.records.into_iter().map(|r| r.fields).collect();
        let sent: Vec<ContactFields> = p.contacts().iter().map(|c| c.fields()).collect();
        prop_assert_eq!(back, sent);
    }

    #[test]
    fn csv_export_then_import_round_trips_contacts(
        drafts in proptest::collection::vec(contact(), 1..8),
        for_excel in proptest::bool::ANY,
    ) {
        let mut p = Pipeline::new();
        for d in &drafts {
            p.add_contact(d.validate().unwrap(), now()).unwrap();
        }
        let text = export_csv(&p, CsvKind::Contacts, for_excel);
        let table = read_csv(text.as_bytes()).unwrap();
        let rows = check_rows(&table, &table.guess_mapping());
        prop_assert!(rows.errors.is_empty(), "{:?}", rows.errors);
        let back: Vec<ContactFields> = rows.records.into_iter().map(|r| r.fields).collect();
        let sent: Vec<ContactFields> = p.contacts().iter().map(|c| c.fields()).collect();
        prop_assert_eq!(back, sent);
    }
}
