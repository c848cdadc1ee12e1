//! A record's history as lines a person reads ("Moved from Proposal to
//! Negotiation"), with the names of the records it mentions, in the
//! language on screen.

use chrono::{DateTime, Utc};

use super::{fill, labels, t, Text};
use crate::domain::history::{Event, History};
use crate::domain::ids::{ContactId, OpportunityId};
use crate::domain::pipeline::{MergeFact, Pipeline, RecordRef};

impl Pipeline {
    /// The record's timeline, oldest first, starting with its creation, in
    /// the language on screen. Empty when the record does not exist.
    pub fn timeline(&self, record: RecordRef) -> Vec<(DateTime<Utc>, String)> {
        let (created_at, created, history): (_, Text, &History) = match record {
            RecordRef::Contact(id) => match self.contact(id) {
                Some(c) => (c.created_at, Text::ContactAdded, &c.history),
                None => return Vec::new(),
            },
            RecordRef::Lead(id) => match self.lead(id) {
                Some(l) => (l.created_at, Text::BecameLead, &l.history),
                None => return Vec::new(),
            },
            RecordRef::Opportunity(id) => match self.opportunity(id) {
                Some(o) => (o.created_at, Text::OpportunityOpened, &o.history),
                None => return Vec::new(),
            },
            RecordRef::Account(id) => match self.account(id) {
                Some(a) => (a.created_at, Text::BecameCustomer, &a.history),
                None => return Vec::new(),
            },
        };
        let mut lines: Vec<(DateTime<Utc>, String)> =
            std::iter::once((created_at, t(created).to_owned()))
                .chain(history.iter().map(|e| {
                    let line = match &e.event {
                        Event::AlsoChanged {
                            field,
                            device,
                            value,
                        } => self.describe_also_changed(record, field, *device, value),
                        event => self.describe(event),
                    };
                    (e.at, line)
                }))
                .collect();
        let facts = self.merge_facts(record);
        if !facts.is_empty() {
            for (at, fact) in facts {
                lines.push((at, self.describe_fact(&fact)));
            }
            // Stable: lines of the same second keep their order.
            lines.sort_by_key(|(at, _)| *at);
        }
        lines
    }

    fn named_contact(&self, id: ContactId) -> String {
        self.contact(id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| fill(Text::ContactNumbered, &[&id.to_string()]))
    }

    fn named_opportunity(&self, id: OpportunityId) -> String {
        self.opportunity(id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| fill(Text::OpportunityNumbered, &[&id.to_string()]))
    }

    /// What a merge did, in plain words.
    fn describe_fact(&self, fact: &MergeFact) -> String {
        match fact {
            MergeFact::Restored { device } => {
                fill(Text::RestoredAfterDelete, &[&self.device_called(*device)])
            }
            MergeFact::ConvertedElsewhere => t(Text::ConvertedElsewhere).to_owned(),
            MergeFact::DuplicateLead => t(Text::DuplicateLeadEntry).to_owned(),
            MergeFact::BackToContacted => t(Text::BackToContactedEntry).to_owned(),
            MergeFact::ReopenedAt(stage) => {
                fill(Text::ReopenedAfterMerge, &[labels::stage(*stage)])
            }
        }
    }

    /// One event in plain words.
    pub fn describe(&self, event: &Event) -> String {
        match event {
            Event::Updated { fields } => {
                let names: Vec<&str> = fields.iter().map(|f| labels::field(*f)).collect();
                if names.is_empty() {
                    t(Text::Edited).to_owned()
                } else {
                    fill(Text::EditedFields, &[&names.join(", ")])
                }
            }
            Event::Note { text } => fill(Text::NoteEntry, &[text]),
            Event::StatusChanged { from, to } => fill(
                Text::StatusChanged,
                &[labels::lead_status(*from), labels::lead_status(*to)],
            ),
            Event::Disqualified { reason, note, .. } if note.is_empty() => fill(
                Text::DisqualifiedBecause,
                &[labels::disqualify_reason(*reason)],
            ),
            Event::Disqualified { reason, note, .. } => fill(
                Text::DisqualifiedBecauseNote,
                &[labels::disqualify_reason(*reason), note],
            ),
            Event::CriterionChanged { criterion, checked } => fill(
                if *checked {
                    Text::CriterionChecked
                } else {
                    Text::CriterionUnchecked
                },
                &[labels::criterion(*criterion)],
            ),
            Event::Converted { opportunity } => {
                fill(Text::ConvertedTo, &[&self.named_opportunity(*opportunity)])
            }
            Event::StageChanged { from, to } => fill(
                Text::MovedFromTo,
                &[labels::stage(*from), labels::stage(*to)],
            ),
            Event::Won { from } => fill(Text::WonFrom, &[labels::stage(*from)]),
            Event::Lost { from, reason } => fill(
                Text::LostFrom,
                &[labels::stage(*from), labels::lost_reason(*reason)],
            ),
            Event::Reopened { to } => fill(Text::ReopenedAt, &[labels::stage(*to)]),
            Event::DealWon { opportunity } => {
                fill(Text::WonTheDeal, &[&self.named_opportunity(*opportunity)])
            }
            Event::DealReopened { opportunity } => {
                fill(Text::DealReopened, &[&self.named_opportunity(*opportunity)])
            }
            Event::ContactAdded { contact } => {
                fill(Text::JoinedAccount, &[&self.named_contact(*contact)])
            }
            Event::ContactRemoved { contact } => {
                fill(Text::LeftAccount, &[&self.named_contact(*contact)])
            }
            Event::PrimaryContactChanged { contact } => {
                fill(Text::MainContactNow, &[&self.named_contact(*contact)])
            }
            // Told with the record's current value by `timeline`.
            Event::AlsoChanged { field, value, .. } => {
                format!("{}: {}", super::conflict::field_label(field), value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Criterion};
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, h, 0, 0).unwrap()
    }

    #[test]
    fn a_lead_timeline_reads_in_order_with_names() {
        let mut p = Pipeline::new();
        let fields = ContactDraft {
            name: "Ada Lovelace".into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        let contact = p.add_contact(fields, at(8)).unwrap();
        let lead = p.make_lead(contact, at(9)).unwrap();
        p.mark_contacted(lead, at(10)).unwrap();
        p.set_criterion(lead, Criterion::Need, true, at(11))
            .unwrap();

        let lines: Vec<String> = p
            .timeline(RecordRef::Lead(lead))
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        assert_eq!(
            lines,
            [
                "Became a lead",
                "Status changed from New to Contacted",
                "Need checked"
            ]
        );
        let contact_lines = p.timeline(RecordRef::Contact(contact));
        assert_eq!(contact_lines[0], (at(8), "Contact added".to_owned()));
    }

    #[test]
    fn a_missing_record_has_no_timeline() {
        let p = Pipeline::new();
        assert!(p.timeline(RecordRef::Contact(ContactId(9))).is_empty());
    }
}
