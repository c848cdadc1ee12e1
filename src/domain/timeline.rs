//! A record's history as lines a person reads ("Moved from Proposal to
//! Negotiation"), with the names of the records it mentions.

use chrono::{DateTime, Utc};

use super::history::{Event, History};
use super::ids::{ContactId, OpportunityId};
use super::pipeline::{Pipeline, RecordRef};

impl Pipeline {
    /// The record's timeline, oldest first, starting with its creation.
    /// Empty when the record does not exist.
    pub fn timeline(&self, record: RecordRef) -> Vec<(DateTime<Utc>, String)> {
        let (created_at, created, history): (_, &str, &History) = match record {
            RecordRef::Contact(id) => match self.contact(id) {
                Some(c) => (c.created_at, "Contact added", &c.history),
                None => return Vec::new(),
            },
            RecordRef::Lead(id) => match self.lead(id) {
                Some(l) => (l.created_at, "Became a lead", &l.history),
                None => return Vec::new(),
            },
            RecordRef::Opportunity(id) => match self.opportunity(id) {
                Some(o) => (o.created_at, "Opportunity opened", &o.history),
                None => return Vec::new(),
            },
            RecordRef::Account(id) => match self.account(id) {
                Some(a) => (a.created_at, "Became a customer", &a.history),
                None => return Vec::new(),
            },
        };
        std::iter::once((created_at, created.to_owned()))
            .chain(history.iter().map(|e| (e.at, self.describe(&e.event))))
            .collect()
    }

    fn named_contact(&self, id: ContactId) -> String {
        self.contact(id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("contact {id}"))
    }

    fn named_opportunity(&self, id: OpportunityId) -> String {
        self.opportunity(id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| format!("opportunity {id}"))
    }

    /// One event in plain words.
    pub fn describe(&self, event: &Event) -> String {
        match event {
            Event::Updated { fields } => {
                let names: Vec<&str> = fields.iter().map(|f| f.label()).collect();
                if names.is_empty() {
                    "Edited".to_owned()
                } else {
                    format!("Edited {}", names.join(", "))
                }
            }
            Event::Note { text } => format!("Note: {text}"),
            Event::StatusChanged { from, to } => {
                format!("Status changed from {} to {}", from.label(), to.label())
            }
            Event::Disqualified { reason, note, .. } if note.is_empty() => {
                format!("Disqualified: {}", reason.label())
            }
            Event::Disqualified { reason, note, .. } => {
                format!("Disqualified: {} ({note})", reason.label())
            }
            Event::CriterionChanged { criterion, checked } => format!(
                "{} {}",
                criterion.label(),
                if *checked { "checked" } else { "unchecked" }
            ),
            Event::Converted { opportunity } => format!(
                "Converted to the opportunity {}",
                self.named_opportunity(*opportunity)
            ),
            Event::StageChanged { from, to } => {
                format!("Moved from {} to {}", from.label(), to.label())
            }
            Event::Won { from } => format!("Won (from {})", from.label()),
            Event::Lost { from, reason } => {
                format!("Lost (from {}): {}", from.label(), reason.label())
            }
            Event::Reopened { to } => format!("Reopened at {}", to.label()),
            Event::DealWon { opportunity } => {
                format!("Won the deal {}", self.named_opportunity(*opportunity))
            }
            Event::DealReopened { opportunity } => format!(
                "The deal {} was reopened",
                self.named_opportunity(*opportunity)
            ),
            Event::ContactAdded { contact } => {
                format!("{} joined the account", self.named_contact(*contact))
            }
            Event::ContactRemoved { contact } => {
                format!("{} left the account", self.named_contact(*contact))
            }
            Event::PrimaryContactChanged { contact } => {
                format!("Main contact is now {}", self.named_contact(*contact))
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
