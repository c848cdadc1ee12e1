//! The Contacts list: search, filters by source and by how far each contact
//! has come along the pipeline, and sort orders.

use super::contact::Source;
use super::ids::ContactId;
use super::lead::LeadStatusKind;
use super::pipeline::Pipeline;

crate::named::named_values! {
    /// The furthest step of the funnel a contact has reached.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum ContactStage {
        /// No lead yet.
        Contact = "contact",
        /// Has (or had) a lead that was never qualified.
        Lead = "lead",
        /// A lead of theirs was qualified.
        Qualified = "qualified",
        /// Has an opportunity.
        Opportunity = "opportunity",
        /// Is on an account: a customer.
        Customer = "customer",
    }
}

impl ContactStage {
    pub fn label(self) -> &'static str {
        match self {
            ContactStage::Contact => "Contact only",
            ContactStage::Lead => "Lead",
            ContactStage::Qualified => "Qualified lead",
            ContactStage::Opportunity => "Opportunity",
            ContactStage::Customer => "Customer",
        }
    }
}

crate::named::named_values! {
    /// How the Contacts list is ordered.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum ContactOrder {
        /// Most recently added first.
        #[default]
        Newest = "newest",
        /// By name, ignoring case.
        Name = "name",
        /// By organisation, ignoring case; contacts without one last.
        Organisation = "organisation",
    }
}

impl ContactOrder {
    pub fn label(self) -> &'static str {
        match self {
            ContactOrder::Newest => "Newest first",
            ContactOrder::Name => "Name",
            ContactOrder::Organisation => "Organisation",
        }
    }
}

impl Pipeline {
    /// Each contact's stage, in the order of [`Pipeline::contacts`]. One pass
    /// over each kind of record, so it stays fast with 10,000 contacts.
    pub fn contact_stages(&self) -> Vec<ContactStage> {
        let contacts = self.contacts();
        let mut stages = vec![ContactStage::Contact; contacts.len()];
        let mut raise = |id: ContactId, stage: ContactStage| {
            if let Ok(i) = contacts.binary_search_by_key(&id, |c| c.id) {
                stages[i] = stages[i].max(stage);
            }
        };
        for lead in self.leads() {
            let qualified = matches!(
                lead.status.kind(),
                LeadStatusKind::Qualified | LeadStatusKind::Converted
            );
            let stage = if qualified {
                ContactStage::Qualified
            } else {
                ContactStage::Lead
            };
            raise(lead.contact, stage);
        }
        for o in self.opportunities() {
            raise(o.contact, ContactStage::Opportunity);
        }
        for a in self.accounts() {
            for c in &a.contacts {
                raise(*c, ContactStage::Customer);
            }
        }
        stages
    }

    /// The Contacts list: contacts matching `query` (see
    /// [`Pipeline::search_contacts`]), of `source` and at `stage` when given,
    /// in `order`.
    pub fn contact_list(
        &self,
        query: &str,
        source: Option<&Source>,
        stage: Option<ContactStage>,
        order: ContactOrder,
    ) -> Vec<ContactId> {
        let mut ids = self.search_contacts(query);
        if source.is_some() || stage.is_some() {
            let stages = stage.map(|_| self.contact_stages());
            let contacts = self.contacts();
            ids.retain(|id| {
                let Ok(i) = contacts.binary_search_by_key(id, |c| c.id) else {
                    return false;
                };
                source.is_none_or(|s| &contacts[i].source == s)
                    && stages
                        .as_ref()
                        .zip(stage)
                        .is_none_or(|(all, wanted)| all[i] == wanted)
            });
        }
        match order {
            // Searches list contacts in the order they were made.
            ContactOrder::Newest => ids.reverse(),
            ContactOrder::Name => ids.sort_by_cached_key(|id| {
                self.contact(*id)
                    .map(|c| c.name.to_lowercase())
                    .unwrap_or_default()
            }),
            ContactOrder::Organisation => ids.sort_by_cached_key(|id| {
                let org = self
                    .contact(*id)
                    .map(|c| c.organisation.to_lowercase())
                    .unwrap_or_default();
                (org.is_empty(), org)
            }),
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Criterion, Currency, DealTerms, Money};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn at(s: i64) -> chrono::DateTime<Utc> {
        Utc.timestamp_opt(1_740_000_000 + s, 0).unwrap()
    }

    fn add(p: &mut Pipeline, name: &str, org: &str, source: Source) -> ContactId {
        let fields = ContactDraft {
            name: name.into(),
            organisation: org.into(),
            source,
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        p.add_contact(fields, at(0)).unwrap()
    }

    /// Five contacts, one at each stage.
    fn world() -> (Pipeline, [ContactId; 5]) {
        let mut p = Pipeline::new();
        let only = add(&mut p, "bodil", "Zeta AS", Source::Website);
        let lead = add(&mut p, "Åse", "", Source::Referral);
        let qualified = add(&mut p, "Carl", "alfa AS", Source::Website);
        let deal = add(&mut p, "Dina", "Beta AS", Source::Event);
        let customer = add(&mut p, "Anna", "Gamma AS", Source::Website);
        p.make_lead(lead, at(1)).unwrap();
        let qualify = |p: &mut Pipeline, c| {
            let l = p.make_lead(c, at(1)).unwrap();
            for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
                p.set_criterion(l, k, true, at(2)).unwrap();
            }
            p.qualify(l, at(3)).unwrap();
            l
        };
        qualify(&mut p, qualified);
        let l = qualify(&mut p, deal);
        p.convert_lead(l, "Deal", at(4)).unwrap();
        let l = qualify(&mut p, customer);
        let o = p.convert_lead(l, "Won deal", at(4)).unwrap();
        let terms = DealTerms {
            amount: Some(Money::new(10_000, Currency::NOK)),
            ..DealTerms::default()
        };
        p.update_terms(o, terms, at(5)).unwrap();
        p.mark_won(o, NaiveDate::from_ymd_opt(2025, 2, 20).unwrap(), at(6))
            .unwrap();
        (p, [only, lead, qualified, deal, customer])
    }

    #[test]
    fn each_contact_has_the_furthest_stage_it_reached() {
        let (p, _) = world();
        assert_eq!(p.contact_stages(), ContactStage::ALL.to_vec());
    }

    #[test]
    fn filters_by_stage_and_source_together_with_search() {
        let (p, [only, _, qualified, deal, customer]) = world();
        let list = |q: &str, s: Option<Source>, st: Option<ContactStage>| {
            p.contact_list(q, s.as_ref(), st, ContactOrder::Name)
        };
        assert_eq!(list("", None, Some(ContactStage::Opportunity)), vec![deal]);
        assert_eq!(list("", None, Some(ContactStage::Customer)), vec![customer]);
        assert_eq!(
            list("", Some(Source::Website), None),
            vec![customer, only, qualified]
        );
        assert_eq!(
            list("", Some(Source::Website), Some(ContactStage::Qualified)),
            vec![qualified]
        );
        assert_eq!(
            list("carl", Some(Source::Event), None),
            Vec::<ContactId>::new()
        );
    }

    #[test]
    fn sorts_newest_first_by_name_or_by_organisation() {
        let (p, [only, lead, qualified, deal, customer]) = world();
        let order = |o| p.contact_list("", None, None, o);
        assert_eq!(
            order(ContactOrder::Newest),
            vec![customer, deal, qualified, lead, only]
        );
        // Case is ignored; "Åse" sorts after the ASCII letters.
        assert_eq!(
            order(ContactOrder::Name),
            vec![customer, only, qualified, deal, lead]
        );
        // Contacts without an organisation come last.
        assert_eq!(
            order(ContactOrder::Organisation),
            vec![qualified, deal, customer, only, lead]
        );
    }
}
