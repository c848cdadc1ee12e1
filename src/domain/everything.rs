//! The search in the header: contacts, leads, opportunities and accounts at
//! once, the first few of each kind.

use super::contact::Contact;
use super::error::RecordKind;
use super::pipeline::{Pipeline, RecordRef};
use super::search::Search;
use super::vocabulary::{LeadStatusKind, Stage};

/// One record found by the search in the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub record: RecordRef,
    /// The record's name.
    pub name: String,
    /// What else tells it apart.
    pub detail: Detail,
}

/// What tells a found record apart from others of the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// A contact's organisation and email, as typed.
    Text(String),
    Status(LeadStatusKind),
    Stage(Stage),
    Nothing,
}

/// What the search in the header found, by kind, the first few of each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoundEverywhere {
    pub contacts: Vec<Found>,
    pub leads: Vec<Found>,
    pub opportunities: Vec<Found>,
    pub accounts: Vec<Found>,
}

impl FoundEverywhere {
    pub fn is_empty(&self) -> bool {
        self.groups().iter().all(|(_, list)| list.is_empty())
    }

    /// The groups in the order they are shown.
    pub fn groups(&self) -> [(RecordKind, &[Found]); 4] {
        [
            (RecordKind::Contact, &self.contacts),
            (RecordKind::Lead, &self.leads),
            (RecordKind::Opportunity, &self.opportunities),
            (RecordKind::Account, &self.accounts),
        ]
    }
}

/// What a contact is found by.
fn contact_texts(c: &Contact) -> [&str; 3] {
    [&c.name, &c.organisation, &c.email]
}

/// Pushes `found` unless `list` already holds `limit` records.
fn keep(list: &mut Vec<Found>, limit: usize, found: impl FnOnce() -> Found) -> bool {
    if list.len() < limit {
        list.push(found());
    }
    list.len() < limit
}

impl Pipeline {
    /// Contacts, leads, opportunities and accounts whose name, organisation
    /// or email hold every word of `query`, newest first, at most `limit`
    /// of each kind. An empty query finds nothing.
    pub fn search_everything(&self, query: &str, limit: usize) -> FoundEverywhere {
        let mut search = Search::new(query);
        let mut out = FoundEverywhere::default();
        if search.is_empty() {
            return out;
        }
        for c in self.contacts().iter().rev() {
            if search.matches(&contact_texts(c)) {
                let detail = [c.organisation.as_str(), c.email.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let found = || Found {
                    record: RecordRef::Contact(c.id),
                    name: c.name.clone(),
                    detail: Detail::Text(detail),
                };
                if !keep(&mut out.contacts, limit, found) {
                    break;
                }
            }
        }
        for l in self.leads().iter().rev() {
            let Some(c) = self.contact(l.contact) else {
                continue;
            };
            if search.matches(&contact_texts(c)) {
                let found = || Found {
                    record: RecordRef::Lead(l.id),
                    name: c.name.clone(),
                    detail: Detail::Status(l.status.kind()),
                };
                if !keep(&mut out.leads, limit, found) {
                    break;
                }
            }
        }
        for o in self.opportunities().iter().rev() {
            let contact = self.contact(o.contact);
            let (person, firm) =
                contact.map_or(("", ""), |c| (c.name.as_str(), c.organisation.as_str()));
            if search.matches(&[&o.name, person, firm]) {
                let found = || Found {
                    record: RecordRef::Opportunity(o.id),
                    name: o.name.clone(),
                    detail: Detail::Stage(o.stage()),
                };
                if !keep(&mut out.opportunities, limit, found) {
                    break;
                }
            }
        }
        for a in self.accounts().iter().rev() {
            if search.matches(&[&a.name]) {
                let found = || Found {
                    record: RecordRef::Account(a.id),
                    name: a.name.clone(),
                    detail: Detail::Nothing,
                };
                if !keep(&mut out.accounts, limit, found) {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;
    use chrono::NaiveDate;

    #[test]
    fn finds_every_kind_by_name_organisation_and_email_newest_first() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let p = sample::generate(7, 400, 150, today);
        let word = p.contacts()[10]
            .name
            .split_whitespace()
            .last()
            .unwrap()
            .to_owned();
        let found = p.search_everything(&word, 5);
        let lower = word.to_lowercase();
        assert!(!found.contacts.is_empty());
        assert!(found.contacts.len() <= 5);
        for f in &found.contacts {
            let RecordRef::Contact(id) = f.record else {
                panic!("{f:?}")
            };
            let c = p.contact(id).unwrap();
            let hay = format!("{} {} {}", c.name, c.organisation, c.email).to_lowercase();
            assert!(hay.contains(&lower), "{hay}");
        }
        // Newest first: ids go down.
        let ids: Vec<u64> = found
            .contacts
            .iter()
            .map(|f| match f.record {
                RecordRef::Contact(id) => id.0,
                _ => 0,
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
        // Every lead of a contact found by that word is found too (up to the limit).
        let expected_leads = p
            .leads()
            .iter()
            .filter(|l| {
                let c = p.contact(l.contact).unwrap();
                format!("{}\n{}\n{}", c.name, c.organisation, c.email)
                    .to_lowercase()
                    .contains(&lower)
            })
            .count();
        assert_eq!(found.leads.len(), expected_leads.min(5));
        assert!(p.search_everything("   ", 5).is_empty());
        assert!(p.search_everything("zzzzqqq", 5).is_empty());
    }

    #[test]
    fn an_opportunity_is_found_by_its_contact_and_an_account_by_its_name() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let p = sample::generate(7, 60, 25, today);
        let o = &p.opportunities()[0];
        let person = p.contact(o.contact).unwrap().name.clone();
        let found = p.search_everything(&person, 50);
        assert!(found
            .opportunities
            .iter()
            .any(|f| f.record == RecordRef::Opportunity(o.id)));
        let a = &p.accounts()[0];
        let found = p.search_everything(&a.name, 50);
        assert!(found
            .accounts
            .iter()
            .any(|f| f.record == RecordRef::Account(a.id)));
        assert_eq!(
            found.groups().map(|(k, _)| k),
            [
                RecordKind::Contact,
                RecordKind::Lead,
                RecordKind::Opportunity,
                RecordKind::Account
            ]
        );
    }
}
