//! Bringing contacts in from another system's file: the rules that do not
//! depend on the file format. Duplicate detection, the merge rules and the
//! import plan live here; reading CSV or vCard lives in `transfer`.

use chrono::{DateTime, Utc};

use super::contact::{Contact, ContactFields, Source};
use super::error::DomainError;
use super::ids::{ContactId, LeadId};
use super::lead::{DisqualifyReason, Lead};
use super::pipeline::{Pipeline, UndoAction};

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
    use std::collections::HashMap;
    let mut by_email: HashMap<String, &Contact> = HashMap::new();
    let mut by_name: HashMap<String, &Contact> = HashMap::new();
    for c in pipeline.contacts() {
        if let Some(k) = email_key(&c.fields()) {
            by_email.entry(k).or_insert(c);
        }
        by_name.entry(contact_name_key(c)).or_insert(c);
    }
    let mut seen_email: HashMap<String, usize> = HashMap::new();
    let mut seen_name: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    for (index, record) in incoming.iter().enumerate() {
        let email = email_key(&record.fields);
        let name = name_key(&record.fields.name, &record.fields.organisation);
        let existing = email
            .as_ref()
            .and_then(|k| by_email.get(k))
            .map(|c| (*c, DuplicateReason::SameEmail))
            .or_else(|| {
                by_name
                    .get(&name)
                    .map(|c| (*c, DuplicateReason::SameNameAndOrganisation))
            });
        let earlier = email
            .as_ref()
            .and_then(|k| seen_email.get(k))
            .map(|i| (*i, DuplicateReason::SameEmail))
            .or_else(|| {
                seen_name
                    .get(&name)
                    .map(|i| (*i, DuplicateReason::SameNameAndOrganisation))
            });
        match (existing, earlier) {
            (Some((c, reason)), _) => found.push(Duplicate {
                index,
                of: DuplicateOf::Existing(c.id, c.name.clone()),
                reason,
            }),
            (None, Some((i, reason))) => found.push(Duplicate {
                index,
                of: DuplicateOf::Earlier(i),
                reason,
            }),
            (None, None) => {
                if let Some(k) = email {
                    seen_email.insert(k, index);
                }
                seen_name.insert(name, index);
            }
        }
    }
    found
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

/// One change an import makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned {
    Add(Incoming),
    /// Fill in an existing contact (see [`merge_fields`]).
    Merge(ContactId, Incoming),
}

/// Everything an import will do, decided before anything changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub steps: Vec<Planned>,
    pub skipped: usize,
}

impl ImportPlan {
    pub fn added(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s, Planned::Add(_)))
            .count()
    }

    pub fn merged(&self) -> usize {
        self.steps.len() - self.added()
    }
}

/// Turns the records and the chosen resolutions into a plan. `resolution`
/// gives the choice for the incoming record at an index; records that are
/// not duplicates are always added. A record merged into an earlier row of
/// the file is folded into that row before anything is applied.
pub fn plan_import(
    incoming: &[Incoming],
    duplicates: &[Duplicate],
    resolution: impl Fn(usize) -> Resolution,
) -> ImportPlan {
    use std::collections::HashMap;
    let dup: HashMap<usize, &Duplicate> = duplicates.iter().map(|d| (d.index, d)).collect();
    // Where each incoming index ended up in `steps`, to fold later rows in.
    let mut placed: HashMap<usize, usize> = HashMap::new();
    let mut plan = ImportPlan::default();
    for (i, record) in incoming.iter().enumerate() {
        let Some(d) = dup.get(&i) else {
            placed.insert(i, plan.steps.len());
            plan.steps.push(Planned::Add(record.clone()));
            continue;
        };
        match (resolution(i), &d.of) {
            (Resolution::Skip, _) => plan.skipped += 1,
            (Resolution::KeepBoth, _) => {
                placed.insert(i, plan.steps.len());
                plan.steps.push(Planned::Add(record.clone()));
            }
            (Resolution::Merge, DuplicateOf::Existing(id, _)) => {
                placed.insert(i, plan.steps.len());
                plan.steps.push(Planned::Merge(*id, record.clone()));
            }
            (Resolution::Merge, DuplicateOf::Earlier(j)) => match placed.get(j) {
                Some(&at) => {
                    let target = match &mut plan.steps[at] {
                        Planned::Add(r) | Planned::Merge(_, r) => r,
                    };
                    target.fields = merge_fields(&target.fields, &record.fields);
                    target.lead = target.lead.or(record.lead);
                    placed.insert(i, at);
                }
                // The earlier row was skipped: this one is skipped with it.
                None => plan.skipped += 1,
            },
        }
    }
    plan
}

/// What an applied import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub added: Vec<ContactId>,
    pub merged: Vec<ContactId>,
    pub leads: usize,
}

impl Pipeline {
    /// Applies an import plan (see [`plan_import`]) as one
    /// step that can be undone: every contact is checked again, and if any
    /// one is refused nothing changes. `what` names the file for Undo.
    pub fn import_contacts(
        &mut self,
        plan: &ImportPlan,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, DomainError> {
        self.run(|p, tx| {
            let mut out = ImportOutcome::default();
            for step in &plan.steps {
                let (id, record) = match step {
                    Planned::Add(record) => {
                        let fields = p.checked_fields(tx, &record.fields)?;
                        let id = ContactId(p.alloc_id()?);
                        p.insert(tx, Contact::new(id, fields, now));
                        out.added.push(id);
                        (id, record)
                    }
                    Planned::Merge(id, record) => {
                        let current = p.require::<Contact>(id.0)?.fields();
                        let fields =
                            p.checked_fields(tx, &merge_fields(&current, &record.fields))?;
                        p.touch::<Contact>(tx, id.0)?.apply(fields, now);
                        out.merged.push(*id);
                        (*id, record)
                    }
                };
                let Some(start) = record.lead else { continue };
                if p.leads_for_contact(id).any(|l| l.status.kind().is_active()) {
                    continue;
                }
                let mut lead = Lead::new(LeadId(p.alloc_id()?), id, now);
                match start {
                    LeadStart::New => {}
                    LeadStart::Contacted => lead.mark_contacted(now)?,
                    LeadStart::Disqualified(reason) => {
                        lead.disqualify(reason, "Status in the imported file", now)?
                    }
                }
                p.insert(tx, lead);
                out.leads += 1;
            }
            let n = out.added.len() + out.merged.len();
            let noun = if n == 1 { "contact" } else { "contacts" };
            tx.label(UndoAction::Import, format!("{n} {noun} from {what}"));
            Ok(out)
        })
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
        let merge_all = plan_import(&rows, &dups, |_| Resolution::Merge);
        assert_eq!(merge_all.added(), 1);
        assert_eq!(merge_all.merged(), 1);
        assert!(matches!(&merge_all.steps[0], Planned::Merge(id, _) if *id == ada));

        let skip_all = plan_import(&rows, &dups, |_| Resolution::Skip);
        assert_eq!((skip_all.added(), skip_all.skipped), (1, 2));

        let keep_all = plan_import(&rows, &dups, |_| Resolution::KeepBoth);
        assert_eq!(keep_all.added(), 3);
        assert_eq!(keep_all.merged(), 0);
    }
}
