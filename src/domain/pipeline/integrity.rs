//! The rules every pipeline keeps, checked on load and after imports.

use super::*;
use crate::domain::ids::{number_of, tag_of};

/// Two lists in ascending order as one, in ascending order.
pub(in crate::domain) fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if x <= y {
            out.push(x);
            i += 1;
        } else {
            out.push(y);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Pipeline {
    /// The first text longer than its form takes, in a record read from a
    /// file: the forms' limits hold for imports too (a longer name would
    /// make every later edit of the record fail). Not checked on load, so
    /// data stored before the rule still opens.
    pub fn text_too_long(&self) -> Option<(RecordKind, u64, super::super::error::ValidationError)> {
        use super::super::contact::{
            check_length, MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_NOTES_CHARS, MAX_ORGANISATION_CHARS,
            MAX_TITLE_CHARS, MAX_WEBSITE_CHARS,
        };
        use super::super::lead::MAX_INTEREST_CHARS;
        use super::super::opportunity::MAX_OPPORTUNITY_NAME_CHARS;
        let first = |kind: RecordKind, id: u64, texts: &[(Field, &str, usize)]| {
            let mut errors = FieldErrors::default();
            for (field, text, max) in texts {
                check_length(&mut errors, *field, text, *max);
            }
            let found = errors.iter().next().map(|e| (kind, id, e.clone()));
            found
        };
        let contacts = self.data.contacts.iter().find_map(|c| {
            first(
                RecordKind::Contact,
                c.id.0,
                &[
                    (Field::Name, &c.name, MAX_NAME_CHARS),
                    (Field::Organisation, &c.organisation, MAX_ORGANISATION_CHARS),
                    (Field::Title, &c.title, MAX_TITLE_CHARS),
                    (Field::Email, &c.email, MAX_EMAIL_CHARS),
                    (Field::Website, &c.website, MAX_WEBSITE_CHARS),
                    (Field::Notes, &c.notes, MAX_NOTES_CHARS),
                ],
            )
        });
        contacts
            .or_else(|| {
                self.data.leads.iter().find_map(|l| {
                    first(
                        RecordKind::Lead,
                        l.id.0,
                        &[(Field::Interest, &l.interest, MAX_INTEREST_CHARS)],
                    )
                })
            })
            .or_else(|| {
                self.data.opportunities.iter().find_map(|o| {
                    first(
                        RecordKind::Opportunity,
                        o.id.0,
                        &[(Field::Name, &o.name, MAX_OPPORTUNITY_NAME_CHARS)],
                    )
                })
            })
    }

    /// Checks every rule that links records together. Any failure names the
    /// records involved.
    ///
    /// - each list is sorted by id without duplicates; ids are unique across
    ///   kinds, and this copy's own numbers are below `next_id`;
    /// - custom sources are unique and non-empty, and every custom source a
    ///   contact uses is among them;
    /// - a lead's contact exists; a contact has at most one active lead;
    /// - a converted lead points at an opportunity that points back, and an
    ///   opportunity's lead is converted and points back;
    /// - an opportunity's contact and account exist; its terms are valid;
    ///   a won opportunity has an amount above zero and is among its
    ///   account's won deals;
    /// - an account's main contact is among its contacts, all of which
    ///   exist, once; its won deals exist, are won and point back.
    pub fn check_integrity(&self) -> Result<(), DomainError> {
        self.inconsistency().map_or(Ok(()), |p| Err(p.into()))
    }

    /// The first rule of [`Pipeline::check_integrity`] the data breaks.
    pub(in crate::domain) fn inconsistency(&self) -> Option<Inconsistency> {
        use Inconsistency as I;
        use RecordKind as K;
        let d = &self.data;
        /// The list's ids, checked to be in order with no repeats.
        fn sorted<T: Record>(list: &[T]) -> Result<Vec<u64>, Inconsistency> {
            if let Some(w) = list.windows(2).find(|w| w[0].key() >= w[1].key()) {
                return Err(Inconsistency::Repeated {
                    kind: T::KIND,
                    id: w[1].key(),
                });
            }
            Ok(list.iter().map(T::key).collect())
        }
        // Each list is in order already, so merging them keeps all the ids in
        // order in one pass (loading 10,000 records spent more time sorting
        // them again than checking them).
        let lists = (|| {
            Ok::<_, Inconsistency>([
                sorted(&d.contacts)?,
                sorted(&d.leads)?,
                sorted(&d.opportunities)?,
                sorted(&d.accounts)?,
            ])
        })();
        let all_ids = match lists {
            Ok([contacts, rest @ ..]) => rest
                .iter()
                .fold(contacts, |all, ids| merge_sorted(&all, ids)),
            Err(problem) => return Some(problem),
        };
        if let Some(w) = all_ids.windows(2).find(|w| w[0] == w[1]) {
            return Some(I::NumberTwice(w[0]));
        }
        // Only this copy's own numbers count: the device's tagged ones, or
        // the untagged ones of a copy without a device.
        let own_tag = d.device.map_or(0, |device| device.0);
        let own = all_ids
            .iter()
            .filter(|id| tag_of(**id) == own_tag)
            .map(|id| u64::from(number_of(*id)))
            .max();
        if let Some(max) = own {
            if max >= d.next_id {
                return Some(I::NumberTooHigh {
                    id: max,
                    next: d.next_id,
                });
            }
        }
        if d.next_id == 0 {
            return Some(I::NextNumberZero);
        }

        for (i, s) in d.custom_sources.iter().enumerate() {
            if s.trim().is_empty() || s.trim() != s {
                return Some(I::BlankSource(s.clone()));
            }
            if !Source::from_label(s).is_custom()
                || d.custom_sources[..i]
                    .iter()
                    .any(|o| o.to_lowercase() == s.to_lowercase())
            {
                return Some(I::SourceTwice(s.clone()));
            }
        }
        for c in &d.contacts {
            if let Source::Custom(s) = &c.source {
                if !d.custom_sources.contains(s) {
                    return Some(I::UnlistedSource {
                        contact: c.id.0,
                        name: s.clone(),
                    });
                }
            }
        }

        let missing = |kind, id, target_kind, target| I::Missing {
            kind,
            id,
            target_kind,
            target,
        };
        let no_point_back = |kind, id, target_kind, target| I::NoPointBack {
            kind,
            id,
            target_kind,
            target,
        };
        let mut active: HashMap<ContactId, LeadId> = HashMap::new();
        for l in &d.leads {
            if self.contact(l.contact).is_none() {
                return Some(missing(K::Lead, l.id.0, K::Contact, l.contact.0));
            }
            if l.status.kind().is_active() {
                if let Some(other) = active.insert(l.contact, l.id) {
                    return Some(I::TwoActiveLeads {
                        contact: l.contact.0,
                        first: other.0,
                        second: l.id.0,
                    });
                }
            }
            if let LeadStatus::Converted { opportunity } = l.status {
                match self.opportunity(opportunity) {
                    Some(o) if o.lead == Some(l.id) && o.contact == l.contact => {}
                    _ => {
                        return Some(no_point_back(
                            K::Lead,
                            l.id.0,
                            K::Opportunity,
                            opportunity.0,
                        ))
                    }
                }
            }
        }

        for o in &d.opportunities {
            if self.contact(o.contact).is_none() {
                return Some(missing(K::Opportunity, o.id.0, K::Contact, o.contact.0));
            }
            if let Some(lid) = o.lead {
                match self.lead(lid) {
                    Some(l) if l.opportunity() == Some(o.id) => {}
                    _ => return Some(no_point_back(K::Opportunity, o.id.0, K::Lead, lid.0)),
                }
            }
            if let Some(aid) = o.account {
                if self.account(aid).is_none() {
                    return Some(missing(K::Opportunity, o.id.0, K::Account, aid.0));
                }
            }
            if let Err(errors) = o.terms.validate() {
                return Some(I::InvalidTerms {
                    opportunity: o.id.0,
                    errors,
                });
            }
            if matches!(o.status, OpportunityStatus::Won { .. }) {
                if !o.terms.amount.is_some_and(Money::is_positive) {
                    return Some(I::WonWithoutAmount(o.id.0));
                }
                let listed = o
                    .account
                    .and_then(|a| self.account(a))
                    .is_some_and(|a| a.won_deals.contains(&o.id));
                if !listed {
                    return Some(I::WonNotListed(o.id.0));
                }
            }
        }

        for a in &d.accounts {
            if !a.contacts.contains(&a.contact) {
                return Some(I::MainContactMissing(a.id.0));
            }
            for (i, c) in a.contacts.iter().enumerate() {
                if self.contact(*c).is_none() || a.contacts[..i].contains(c) {
                    return Some(I::AccountContact {
                        account: a.id.0,
                        contact: c.0,
                    });
                }
            }
            for (i, oid) in a.won_deals.iter().enumerate() {
                let ok = self.opportunity(*oid).is_some_and(|o| {
                    matches!(o.status, OpportunityStatus::Won { .. }) && o.account == Some(a.id)
                });
                if !ok || a.won_deals[..i].contains(oid) {
                    return Some(I::AccountDeal {
                        account: a.id.0,
                        deal: oid.0,
                    });
                }
            }
        }
        None
    }
}
