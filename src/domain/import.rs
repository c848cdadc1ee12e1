//! Bringing contacts in from another system's file: the rules that do not
//! depend on the file format. Duplicate detection, the merge rules and the
//! import plan live here; reading CSV or vCard lives in `transfer`.

use chrono::{DateTime, Utc};

use super::contact::{Contact, ContactFields, Source};
use super::error::DomainError;
use super::ids::{ContactId, LeadId};
use super::lead::{DisqualifyReason, Lead};
use super::pipeline::{Pipeline, Tx, UndoAction};

/// How an imported person starts out as a lead, when the file says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadStart {
    New,
    Contacted,
    Disqualified(DisqualifyReason),
}

/// One record read from a file, checked and ready to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The row (CSV) or card (vCard) number, as the user sees it.
    pub row: usize,
    pub fields: ContactFields,
    pub lead: Option<LeadStart>,
    /// Some of the record's values failed their field's check and were
    /// left out; the user may choose to skip such records instead.
    pub incomplete: bool,
}

/// Why two records look like the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateReason {
    SameEmail,
    SameNameAndOrganisation,
}

impl DuplicateReason {
    pub const ALL: [DuplicateReason; 2] = [
        DuplicateReason::SameEmail,
        DuplicateReason::SameNameAndOrganisation,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DuplicateReason::SameEmail => "same email",
            DuplicateReason::SameNameAndOrganisation => "same name and organisation",
        }
    }
}

/// What an incoming record duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DuplicateOf {
    /// A contact already in the pipeline.
    Existing(ContactId, String),
    /// An earlier record in the same file (its index in the incoming list).
    Earlier(usize),
}

/// An incoming record (by index) that looks like one we already have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub index: usize,
    pub of: DuplicateOf,
    pub reason: DuplicateReason,
}

crate::named::named_values! {
    /// What to do with a duplicate.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum Resolution {
        Skip = "skip",
        /// Fill what the existing record lacks; nothing it has is overwritten.
        #[default]
        Merge = "merge",
        KeepBoth = "keep_both",
    }
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Skip => "Skip",
            Resolution::Merge => "Merge",
            Resolution::KeepBoth => "Keep both",
        }
    }
}

use std::collections::HashMap;

fn email_key(f: &ContactFields) -> Option<String> {
    let e = f.email.trim();
    (!e.is_empty()).then(|| e.to_lowercase())
}

fn name_key(name: &str, organisation: &str) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}\u{1}{}", norm(name), norm(organisation)).to_lowercase()
}

fn contact_name_key(c: &Contact) -> String {
    name_key(&c.name, &c.organisation)
}

/// Finds every incoming record that has the email, or the name and
/// organisation, of an existing contact or of an earlier record in the file.
/// An existing contact wins over an earlier row.
pub fn find_duplicates(pipeline: &Pipeline, incoming: &[Incoming]) -> Vec<Duplicate> {
    let mut finder = DuplicateFinder::new(pipeline);
    finder.scan(incoming, incoming.len());
    finder.into_found()
}

/// [`find_duplicates`] a slice at a time, so a long file never holds up
/// the page: [`DuplicateFinder::scan`] until it has seen every record.
#[derive(Clone, Debug, Default)]
pub struct DuplicateFinder {
    by_email: HashMap<String, (ContactId, String)>,
    by_name: HashMap<String, (ContactId, String)>,
    seen_email: HashMap<String, usize>,
    seen_name: HashMap<String, usize>,
    found: Vec<Duplicate>,
    /// How many incoming records have been looked at.
    next: usize,
}

impl DuplicateFinder {
    pub fn new(pipeline: &Pipeline) -> DuplicateFinder {
        let mut finder = DuplicateFinder::default();
        for c in pipeline.contacts() {
            let who = || (c.id, c.name.clone());
            if let Some(k) = email_key(&c.fields()) {
                finder.by_email.entry(k).or_insert_with(who);
            }
            finder
                .by_name
                .entry(contact_name_key(c))
                .or_insert_with(who);
        }
        finder
    }

    /// How many records have been looked at.
    pub fn scanned(&self) -> usize {
        self.next
    }

    /// Looks at up to `count` more records of `incoming` (always the same
    /// list); says whether every record has been seen.
    pub fn scan(&mut self, incoming: &[Incoming], count: usize) -> bool {
        let end = self.next.saturating_add(count).min(incoming.len());
        for (index, record) in incoming.iter().enumerate().take(end).skip(self.next) {
            self.look_at(index, record);
        }
        self.next = end;
        end == incoming.len()
    }

    fn look_at(&mut self, index: usize, record: &Incoming) {
        let email = email_key(&record.fields);
        let name = name_key(&record.fields.name, &record.fields.organisation);
        let existing = email
            .as_ref()
            .and_then(|k| self.by_email.get(k))
            .map(|c| (c, DuplicateReason::SameEmail))
            .or_else(|| {
                self.by_name
                    .get(&name)
                    .map(|c| (c, DuplicateReason::SameNameAndOrganisation))
            });
        let earlier = email
            .as_ref()
            .and_then(|k| self.seen_email.get(k))
            .map(|i| (*i, DuplicateReason::SameEmail))
            .or_else(|| {
                self.seen_name
                    .get(&name)
                    .map(|i| (*i, DuplicateReason::SameNameAndOrganisation))
            });
        match (existing, earlier) {
            (Some(((id, name), reason)), _) => self.found.push(Duplicate {
                index,
                of: DuplicateOf::Existing(*id, name.clone()),
                reason,
            }),
            (None, Some((i, reason))) => self.found.push(Duplicate {
                index,
                of: DuplicateOf::Earlier(i),
                reason,
            }),
            (None, None) => {
                if let Some(k) = email {
                    self.seen_email.insert(k, index);
                }
                self.seen_name.insert(name, index);
            }
        }
    }

    pub fn into_found(self) -> Vec<Duplicate> {
        self.found
    }
}

/// The merge rule: every field the kept record leaves empty is filled from
/// the other; notes are added below, tags joined. Nothing is overwritten.
pub fn merge_fields(kept: &ContactFields, other: &ContactFields) -> ContactFields {
    let mut out = kept.clone();
    let fill = |mine: &mut String, theirs: &String| {
        if mine.trim().is_empty() {
            mine.clone_from(theirs);
        }
    };
    fill(&mut out.organisation, &other.organisation);
    fill(&mut out.title, &other.title);
    fill(&mut out.email, &other.email);
    fill(&mut out.phone, &other.phone);
    fill(&mut out.website, &other.website);
    if out.source == Source::Other {
        out.source = other.source.clone();
    }
    let theirs = other.notes.trim();
    if !theirs.is_empty() && !out.notes.contains(theirs) {
        out.notes = if out.notes.trim().is_empty() {
            theirs.to_owned()
        } else {
            format!("{}\n\n{theirs}", out.notes.trim_end())
        };
    }
    for tag in &other.tags {
        if !out.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            out.tags.push(tag.clone());
        }
    }
    out
}

/// One change an import makes, naming incoming records by their index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned {
    /// Add the record as a new contact.
    Add { record: usize, folded: Vec<usize> },
    /// Fill in an existing contact (see [`merge_fields`]).
    Merge {
        into: ContactId,
        record: usize,
        folded: Vec<usize>,
    },
}

impl Planned {
    /// The record, then the later records of the file merged into it.
    fn records(&self) -> impl Iterator<Item = usize> + '_ {
        let (Planned::Add { record, folded } | Planned::Merge { record, folded, .. }) = self;
        std::iter::once(*record).chain(folded.iter().copied())
    }
}

/// Everything an import will do, decided before anything changes. It holds
/// decisions, not copies of the records, so it is cheap to remake each time
/// the user changes a choice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub steps: Vec<Planned>,
    pub skipped: usize,
}

impl ImportPlan {
    pub fn added(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Planned::Add { .. }))
            .count()
    }

    pub fn merged(&self) -> usize {
        self.steps.len() - self.added()
    }
}

/// Turns the records and the chosen resolutions into a plan. `resolution`
/// gives the choice for the incoming record at an index; records that are
/// not duplicates are added, but for incomplete ones when
/// `skip_incomplete`. A record merged into an earlier row of the file is
/// folded into that row's step.
pub fn plan_import(
    incoming: &[Incoming],
    duplicates: &[Duplicate],
    resolution: impl Fn(usize) -> Resolution,
    skip_incomplete: bool,
) -> ImportPlan {
    let dup: HashMap<usize, &Duplicate> = duplicates.iter().map(|d| (d.index, d)).collect();
    // Where each incoming index ended up in `steps`, to fold later rows in.
    let mut placed: HashMap<usize, usize> = HashMap::new();
    let mut plan = ImportPlan::default();
    for (record, r) in incoming.iter().enumerate() {
        if skip_incomplete && r.incomplete {
            plan.skipped += 1;
            continue;
        }
        let add = Planned::Add {
            record,
            folded: Vec::new(),
        };
        let Some(d) = dup.get(&record) else {
            placed.insert(record, plan.steps.len());
            plan.steps.push(add);
            continue;
        };
        match (resolution(record), &d.of) {
            (Resolution::Skip, _) => plan.skipped += 1,
            (Resolution::KeepBoth, _) => {
                placed.insert(record, plan.steps.len());
                plan.steps.push(add);
            }
            (Resolution::Merge, DuplicateOf::Existing(id, _)) => {
                placed.insert(record, plan.steps.len());
                plan.steps.push(Planned::Merge {
                    into: *id,
                    record,
                    folded: Vec::new(),
                });
            }
            (Resolution::Merge, DuplicateOf::Earlier(j)) => {
                match placed.get(j).and_then(|&at| plan.steps.get_mut(at)) {
                    Some(Planned::Add { folded, .. } | Planned::Merge { folded, .. }) => {
                        folded.push(record);
                    }
                    // The earlier row was skipped: this one is skipped with it.
                    None => plan.skipped += 1,
                }
            }
        }
    }
    plan
}

/// The fields a planned step gives its contact: the record's, with the
/// later records merged into it (see [`merge_fields`]).
fn planned_fields(
    incoming: &[Incoming],
    step: &Planned,
) -> Option<(ContactFields, Option<LeadStart>)> {
    let mut records = step.records().map(|i| incoming.get(i));
    let first = records.next().flatten()?;
    let mut fields = first.fields.clone();
    let mut lead = first.lead;
    for r in records.flatten() {
        fields = merge_fields(&fields, &r.fields);
        lead = lead.or(r.lead);
    }
    Some((fields, lead))
}

/// What an applied import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub added: Vec<ContactId>,
    /// Existing contacts the import changed (filled in, or made a lead).
    pub merged: Vec<ContactId>,
    pub leads: usize,
}

impl ImportOutcome {
    /// Whether the import changed anything (and so is a step Undo takes back).
    pub fn changed(&self) -> bool {
        !self.added.is_empty() || !self.merged.is_empty()
    }
}

/// An import applied a slice at a time, so a long file never holds up the
/// page: [`Pipeline::start_import`], [`Pipeline::import_some`] until it
/// says done, then [`Pipeline::finish_import`], which makes the whole
/// import one step that Undo takes back.
pub struct ImportJob {
    tx: Tx,
    out: ImportOutcome,
    next: usize,
}

impl ImportJob {
    /// How many steps of the plan are done.
    pub fn done(&self) -> usize {
        self.next
    }
}

impl Pipeline {
    /// Applies an import plan (see [`plan_import`]) as one step that can be
    /// undone: every contact is checked again, and if any one is refused
    /// nothing changes. `what` names the file for Undo.
    pub fn import_contacts(
        &mut self,
        incoming: &[Incoming],
        plan: &ImportPlan,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, DomainError> {
        let mut job = self.start_import();
        self.import_some(&mut job, incoming, plan, usize::MAX, now)?;
        Ok(self.finish_import(job, what))
    }

    pub fn start_import(&self) -> ImportJob {
        ImportJob {
            tx: self.open_tx(),
            out: ImportOutcome::default(),
            next: 0,
        }
    }

    /// Applies up to `count` more steps; says whether the plan is done. If a
    /// step is refused, everything the job did is taken back and the job is
    /// spent.
    pub fn import_some(
        &mut self,
        job: &mut ImportJob,
        incoming: &[Incoming],
        plan: &ImportPlan,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        let end = job.next.saturating_add(count).min(plan.steps.len());
        for step in plan.steps.iter().take(end).skip(job.next) {
            if let Err(e) = self.import_step(job, incoming, step, now) {
                self.roll_back(&mut job.tx);
                job.next = plan.steps.len();
                return Err(e);
            }
        }
        job.next = end;
        Ok(end == plan.steps.len())
    }

    /// Ends the import as one undoable step named after `what`.
    pub fn finish_import(&mut self, mut job: ImportJob, what: &str) -> ImportOutcome {
        let out = job.out;
        let n = out.added.len() + out.merged.len();
        let noun = if n == 1 { "contact" } else { "contacts" };
        job.tx
            .label(UndoAction::Import, format!("{n} {noun} from {what}"));
        self.commit(job.tx);
        out
    }

    fn import_step(
        &mut self,
        job: &mut ImportJob,
        incoming: &[Incoming],
        step: &Planned,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let tx = &mut job.tx;
        let (planned, lead) = planned_fields(incoming, step).ok_or(DomainError::Gone)?;
        let id = match step {
            Planned::Add { .. } => {
                let fields = self.checked_fields(tx, &planned)?;
                let id = ContactId(self.alloc_id()?);
                self.insert(tx, Contact::new(id, fields, now));
                job.out.added.push(id);
                id
            }
            Planned::Merge { into, .. } => {
                let current = self.require::<Contact>(into.0)?.fields();
                let merged = merge_fields(&current, &planned);
                // A contact the file has nothing new for is left as it is,
                // and not counted: an import of what is already here
                // changes nothing and adds no step to undo.
                if merged != current {
                    let fields = self.checked_fields(tx, &merged)?;
                    self.touch::<Contact>(tx, into.0)?.apply(fields, now);
                    job.out.merged.push(*into);
                }
                *into
            }
        };
        let Some(start) = lead else { return Ok(()) };
        if self
            .leads_for_contact(id)
            .any(|l| l.status.kind().is_active())
        {
            return Ok(());
        }
        if matches!(step, Planned::Merge { .. }) && job.out.merged.last() != Some(&id) {
            job.out.merged.push(id);
        }
        let mut lead = Lead::new(LeadId(self.alloc_id()?), id, now);
        match start {
            LeadStart::New => {}
            LeadStart::Contacted => lead.mark_contacted(now)?,
            LeadStart::Disqualified(reason) => {
                lead.disqualify(reason, "Status in the imported file", now)?
            }
        }
        self.insert(tx, lead);
        job.out.leads += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ContactDraft;
    use chrono::{TimeZone, Utc};

    fn fields(name: &str, org: &str, email: &str) -> ContactFields {
        ContactDraft {
            name: name.into(),
            organisation: org.into(),
            email: email.into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn incoming(rows: &[(&str, &str, &str)]) -> Vec<Incoming> {
        rows.iter()
            .enumerate()
            .map(|(i, (n, o, e))| Incoming {
                row: i + 2,
                fields: fields(n, o, e),
                lead: None,
                incomplete: false,
            })
            .collect()
    }

    fn pipeline_with_ada() -> (Pipeline, ContactId) {
        let mut p = Pipeline::new();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let mut ada = fields("Ada Lovelace", "Analytical Engines", "ada@example.com");
        ada.phone = "+44 20 1234".into();
        let id = p.add_contact(ada, now).unwrap();
        (p, id)
    }

    #[test]
    fn duplicates_are_found_by_email_or_by_name_and_organisation() {
        let (p, ada) = pipeline_with_ada();
        let rows = incoming(&[
            ("A. Lovelace", "", "ADA@example.com"),
            ("ada  lovelace", "Analytical engines", ""),
            ("Grace Hopper", "Navy", "grace@example.com"),
            ("Grace Hopper", "Navy", ""),
            ("Grace Hopper", "Harvard", ""),
        ]);
        let found = find_duplicates(&p, &rows);
        assert_eq!(
            found,
            vec![
                Duplicate {
                    index: 0,
                    of: DuplicateOf::Existing(ada, "Ada Lovelace".into()),
                    reason: DuplicateReason::SameEmail
                },
                Duplicate {
                    index: 1,
                    of: DuplicateOf::Existing(ada, "Ada Lovelace".into()),
                    reason: DuplicateReason::SameNameAndOrganisation
                },
                Duplicate {
                    index: 3,
                    of: DuplicateOf::Earlier(2),
                    reason: DuplicateReason::SameNameAndOrganisation
                },
            ]
        );
    }

    #[test]
    fn merging_fills_gaps_and_never_overwrites() {
        let mut kept = fields("Ada", "", "ada@example.com");
        kept.notes = "Met at the fair".into();
        let mut other = fields("Ada L", "Engines", "other@example.com");
        other.notes = "Wants a demo".into();
        other.phone = "12345".into();
        let merged = merge_fields(&kept, &other);
        assert_eq!(merged.name, "Ada");
        assert_eq!(merged.email, "ada@example.com");
        assert_eq!(merged.organisation, "Engines");
        assert_eq!(merged.phone, "12345");
        assert_eq!(merged.notes, "Met at the fair\n\nWants a demo");
    }

    #[test]
    fn the_plan_follows_each_choice() {
        let (p, ada) = pipeline_with_ada();
        let rows = incoming(&[
            ("Ada Lovelace", "", "ada@example.com"),
            ("Grace Hopper", "Navy", "grace@example.com"),
            ("Grace Hopper", "Navy", ""),
        ]);
        let dups = find_duplicates(&p, &rows);
        let merge_all = plan_import(&rows, &dups, |_| Resolution::Merge, false);
        assert_eq!(merge_all.added(), 1);
        assert_eq!(merge_all.merged(), 1);
        assert!(matches!(&merge_all.steps[0], Planned::Merge { into, .. } if *into == ada));

        let skip_all = plan_import(&rows, &dups, |_| Resolution::Skip, false);
        assert_eq!((skip_all.added(), skip_all.skipped), (1, 2));

        let keep_all = plan_import(&rows, &dups, |_| Resolution::KeepBoth, false);
        assert_eq!(keep_all.added(), 3);
        assert_eq!(keep_all.merged(), 0);
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
    }

    fn many(n: usize) -> Vec<Incoming> {
        let rows: Vec<(String, String, String)> = (0..n)
            .map(|i| {
                // Every fifth row repeats an earlier one's email.
                let e = if i % 5 == 4 { i - 1 } else { i };
                (format!("P{i}"), String::new(), format!("p{e}@example.com"))
            })
            .collect();
        let refs: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        incoming(&refs)
    }

    #[test]
    fn a_row_merged_into_an_earlier_row_comes_in_as_one_contact() {
        let mut rows = incoming(&[
            ("Grace Hopper", "Navy", "grace@example.com"),
            ("Grace Hopper", "Navy", ""),
        ]);
        rows[1].fields.phone = "555".into();
        let mut p = Pipeline::new();
        let dups = find_duplicates(&p, &rows);
        let plan = plan_import(&rows, &dups, |_| Resolution::Merge, false);
        assert_eq!(plan.added(), 1);
        let out = p.import_contacts(&rows, &plan, "a.csv", now()).unwrap();
        let grace = p.contact(out.added[0]).unwrap();
        assert_eq!(
            (grace.email.as_str(), grace.phone.as_str()),
            ("grace@example.com", "555")
        );
        assert_eq!(p.contacts().len(), 1);
    }

    #[test]
    fn an_import_of_what_is_already_here_changes_nothing_and_adds_no_step() {
        let (mut p, ada) = pipeline_with_ada();
        let first = incoming(&[("Grace Hopper", "Navy", "grace@example.com")]);
        let plan = plan_import(&first, &[], |_| Resolution::KeepBoth, false);
        p.import_contacts(&first, &plan, "first.csv", now())
            .unwrap();
        let before = p.clone();
        // The same people again, with nothing new: merged into themselves.
        let again = incoming(&[
            ("Ada Lovelace", "Analytical Engines", "ada@example.com"),
            ("Grace Hopper", "Navy", "grace@example.com"),
        ]);
        let dups = find_duplicates(&p, &again);
        let plan = plan_import(&again, &dups, |_| Resolution::Merge, false);
        assert_eq!(plan.merged(), 2);
        let out = p
            .import_contacts(&again, &plan, "again.csv", now())
            .unwrap();
        assert!(!out.changed());
        assert_eq!(p, before, "no step was added");
        assert_eq!(
            p.undo_label().map(ToString::to_string).as_deref(),
            Some("Imported 1 contact from first.csv")
        );

        // One with something new: only that one counts, and Undo takes back
        // this import alone.
        let mut news = again.clone();
        news[0].fields.title = "Countess".into();
        let dups = find_duplicates(&p, &news);
        let plan = plan_import(&news, &dups, |_| Resolution::Merge, false);
        let out = p.import_contacts(&news, &plan, "news.csv", now()).unwrap();
        assert_eq!((out.added.len(), out.merged.as_slice()), (0, &[ada][..]));
        assert_eq!(
            p.undo_label().map(ToString::to_string).as_deref(),
            Some("Imported 1 contact from news.csv")
        );
        p.undo().unwrap();
        assert_eq!(p.contacts(), before.contacts());
    }

    #[test]
    fn incomplete_records_can_be_skipped() {
        let mut rows = incoming(&[("A", "", ""), ("B", "", ""), ("C", "", "")]);
        rows[1].incomplete = true;
        let all = plan_import(&rows, &[], |_| Resolution::Merge, false);
        assert_eq!((all.added(), all.skipped), (3, 0));
        let complete = plan_import(&rows, &[], |_| Resolution::Merge, true);
        assert_eq!((complete.added(), complete.skipped), (2, 1));
    }

    #[test]
    fn finding_duplicates_a_slice_at_a_time_finds_the_same() {
        let (p, _) = pipeline_with_ada();
        let rows = many(1_000);
        let mut finder = DuplicateFinder::new(&p);
        while !finder.scan(&rows, 37) {}
        assert_eq!(finder.scanned(), rows.len());
        let found = finder.into_found();
        assert_eq!(found.len(), 200);
        assert_eq!(found, find_duplicates(&p, &rows));
    }

    #[test]
    fn an_import_in_slices_ends_where_one_in_a_go_does_and_undoes_as_one_step() {
        let (start, _) = pipeline_with_ada();
        let rows = many(1_000);
        let dups = find_duplicates(&start, &rows);
        let plan = plan_import(&rows, &dups, |_| Resolution::Merge, false);

        let mut whole = start.clone();
        let whole_out = whole.import_contacts(&rows, &plan, "a.csv", now()).unwrap();

        let mut sliced = start.clone();
        let mut job = sliced.start_import();
        let mut slices = 0;
        while !sliced
            .import_some(&mut job, &rows, &plan, 64, now())
            .unwrap()
        {
            slices += 1;
            assert_eq!(job.done(), slices * 64);
        }
        let sliced_out = sliced.finish_import(job, "a.csv");
        assert_eq!(sliced_out, whole_out);
        assert_eq!(sliced, whole);
        assert_eq!(sliced.contacts().len(), 801);

        sliced.undo().unwrap();
        assert_eq!(sliced.contacts(), start.contacts());
    }

    #[test]
    fn a_refused_record_in_a_later_slice_takes_back_the_earlier_slices() {
        let (start, _) = pipeline_with_ada();
        let mut rows = many(300);
        // Not from a file reader: the pipeline checks every record again.
        rows[250].fields.email = "not an email".into();
        let plan = plan_import(&rows, &[], |_| Resolution::KeepBoth, false);
        let mut p = start.clone();
        let mut job = p.start_import();
        let mut result = Ok(false);
        while result == Ok(false) {
            result = p.import_some(&mut job, &rows, &plan, 100, now());
        }
        assert!(result.is_err());
        assert_eq!(p, start);
    }
}
