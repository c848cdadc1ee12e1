//! Commands on accounts, and notes on any record.

use super::*;

impl Pipeline {
    /// Adds a contact to a customer's contacts.
    pub fn add_contact_to_account(
        &mut self,
        account: AccountId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        let c = self.require::<Contact>(contact.0)?;
        let name = self.require::<Account>(account.0)?.name.clone();
        if let Some(other) = self.account_for_contact(contact) {
            if other.id != account {
                return Err(DomainError::OnOtherAccount {
                    contact: c.name.clone(),
                    account: name,
                    other: other.name.clone(),
                });
            }
        }
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::UpdateAccount, name);
            Ok(p.touch::<Account>(tx, account.0)?.add_contact(contact, now))
        })
    }

    /// Makes one of the account's contacts its main contact.
    pub fn set_primary_contact(
        &mut self,
        account: AccountId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        let a = self.require::<Account>(account.0)?;
        if !a.contacts.contains(&contact) {
            return Err(DomainError::NotAccountContact {
                contact: self.contact_name(contact),
                account: a.name.clone(),
            });
        }
        if a.contact == contact {
            return Ok(false);
        }
        let name = a.name.clone();
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::UpdateAccount, name);
            let acc = p.touch::<Account>(tx, account.0)?;
            acc.contact = contact;
            if let Some(i) = acc.contacts.iter().position(|c| *c == contact) {
                let c = acc.contacts.remove(i);
                acc.contacts.insert(0, c);
            }
            acc.history
                .record(now, Event::PrimaryContactChanged { contact });
            Ok(true)
        })
    }

    /// Adds a note to any record's history. Refused on a converted lead
    /// (read-only); allowed on closed opportunities.
    pub fn add_note(
        &mut self,
        target: RecordRef,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let text = text.trim();
        let mut errors = FieldErrors::new();
        if text.is_empty() {
            errors.push(Field::Note, FieldProblem::WriteNote);
        }
        crate::domain::contact::check_length(&mut errors, Field::Note, text, MAX_NOTE_CHARS);
        errors.into_result(())?;
        let text = text.to_owned();
        let subject = match target {
            RecordRef::Contact(id) => self.require::<Contact>(id.0)?.name.clone(),
            RecordRef::Lead(id) => {
                let l = self.require::<Lead>(id.0)?;
                if matches!(l.status, LeadStatus::Converted { .. }) {
                    return Err(DomainError::LeadConverted);
                }
                self.contact_name(l.contact)
            }
            RecordRef::Opportunity(id) => self.require::<Opportunity>(id.0)?.name.clone(),
            RecordRef::Account(id) => self.require::<Account>(id.0)?.name.clone(),
        };
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::AddNote, subject);
            match target {
                RecordRef::Contact(id) => p
                    .touch::<Contact>(tx, id.0)?
                    .history
                    .record(now, Event::Note { text }),
                RecordRef::Lead(id) => p.touch::<Lead>(tx, id.0)?.add_note(text, now),
                RecordRef::Opportunity(id) => p.touch::<Opportunity>(tx, id.0)?.add_note(text, now),
                RecordRef::Account(id) => p.touch::<Account>(tx, id.0)?.add_note(text, now),
            }
            Ok(())
        })
    }
}
