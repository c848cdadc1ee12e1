//! Commands on contacts.

use super::*;

impl Pipeline {
    /// Fields are checked again (they may not come from a form), and a new
    /// custom source is added to the list of sources.
    pub(in crate::domain) fn checked_fields(
        &mut self,
        tx: &mut Tx,
        fields: &ContactFields,
    ) -> Result<ContactFields, DomainError> {
        let draft = ContactDraft {
            name: fields.name.clone(),
            kind: fields.kind,
            organisation: fields.organisation.clone(),
            title: fields.title.clone(),
            email: fields.email.clone(),
            phone: fields.phone.clone(),
            website: fields.website.clone(),
            source: fields.source.clone(),
            notes: fields.notes.clone(),
            tags: fields.tags.join(","),
        };
        let mut fields = draft.validate()?;
        if let Source::Custom(name) = &fields.source {
            match self.find_custom_source(name) {
                Some(i) => fields.source = Source::Custom(self.data.custom_sources[i].clone()),
                None => {
                    self.save_sources(tx);
                    self.data.custom_sources.push(name.clone());
                }
            }
        }
        Ok(fields)
    }

    pub fn add_contact(
        &mut self,
        fields: ContactFields,
        now: DateTime<Utc>,
    ) -> Result<ContactId, DomainError> {
        self.run_at(now, |p, tx| {
            let fields = p.checked_fields(tx, &fields)?;
            let id = ContactId(p.alloc_id()?);
            tx.label(UndoAction::AddContact, fields.name.clone());
            p.insert(tx, Contact::new(id, fields, now));
            Ok(id)
        })
    }

    /// Replaces a contact's fields. Returns whether anything changed.
    pub fn update_contact(
        &mut self,
        id: ContactId,
        fields: ContactFields,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.require::<Contact>(id.0)?;
        self.run_at(now, |p, tx| {
            let fields = p.checked_fields(tx, &fields)?;
            tx.label(UndoAction::UpdateContact, fields.name.clone());
            let c = p.touch::<Contact>(tx, id.0)?;
            Ok(!c.apply(fields, now).is_empty())
        })
    }

    /// Why a contact cannot be deleted, if it cannot.
    pub fn delete_blocker(&self, id: ContactId) -> Option<InUse> {
        for o in self.opportunities_for_contact(id) {
            match o.status {
                OpportunityStatus::Won { .. } => return Some(InUse::WonDeal(o.name.clone())),
                ref s if s.is_open() => return Some(InUse::OpenOpportunity(o.name.clone())),
                _ => {}
            }
        }
        self.data
            .accounts
            .iter()
            .find(|a| a.contact == id)
            .map(|a| InUse::MainContact(a.name.clone()))
    }

    /// Deletes a contact with its leads and lost opportunities, and takes it
    /// off any account. Refused (see [`Pipeline::delete_blocker`]) if it has
    /// an open opportunity or a won deal or is an account's main contact.
    pub fn delete_contact(&mut self, id: ContactId, now: DateTime<Utc>) -> Result<(), DomainError> {
        let contact = self.require::<Contact>(id.0)?;
        if let Some(reason) = self.delete_blocker(id) {
            return Err(DomainError::ContactInUse {
                contact: contact.name.clone(),
                reason,
            });
        }
        let name = contact.name.clone();
        let leads: Vec<u64> = self.leads_for_contact(id).map(|l| l.id.0).collect();
        let opportunities: Vec<u64> = self.opportunities_for_contact(id).map(|o| o.id.0).collect();
        let accounts: Vec<u64> = self
            .data
            .accounts
            .iter()
            .filter(|a| a.contacts.contains(&id))
            .map(|a| a.id.0)
            .collect();
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::DeleteContact, name);
            for a in accounts {
                p.touch::<Account>(tx, a)?.remove_contact(id, now);
            }
            for o in opportunities {
                p.remove::<Opportunity>(tx, o);
            }
            for l in leads {
                p.remove::<Lead>(tx, l);
            }
            p.remove::<Contact>(tx, id.0);
            Ok(())
        })
    }
}
