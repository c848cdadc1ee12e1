//! Commands on leads.

use super::*;

impl Pipeline {
    /// Makes a lead of a contact. Refused while the contact has an active
    /// (New, Contacted or Qualified) lead.
    pub fn make_lead(
        &mut self,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<LeadId, DomainError> {
        let c = self.require::<Contact>(contact.0)?;
        if self
            .leads_for_contact(contact)
            .any(|l| l.status.kind().is_active())
        {
            return Err(DomainError::LeadExists {
                contact: c.name.clone(),
            });
        }
        let name = c.name.clone();
        self.run_at(now, |p, tx| {
            let id = LeadId(p.alloc_id()?);
            tx.label(UndoAction::MakeLead, name);
            p.insert(tx, Lead::new(id, contact, now));
            Ok(id)
        })
    }

    /// Runs `change` on a lead as one undoable command labelled with the
    /// lead's contact name.
    pub(in crate::domain) fn lead_command<T>(
        &mut self,
        id: LeadId,
        now: DateTime<Utc>,
        action: UndoAction,
        change: impl FnOnce(&mut Lead) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let contact = self.require::<Lead>(id.0)?.contact;
        let name = self.contact_name(contact);
        self.run_at(now, |p, tx| {
            tx.label(action, name);
            change(p.touch::<Lead>(tx, id.0)?)
        })
    }

    /// Edits buying role and interest. Returns whether anything changed.
    pub fn update_lead(
        &mut self,
        id: LeadId,
        buying_role: BuyingRole,
        interest: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.lead_command(id, now, UndoAction::UpdateLead, |l| {
            l.update_details(buying_role, interest, now)
        })
    }

    /// Ticks or unticks a checklist box (see [`Lead::set_criterion`]).
    pub fn set_criterion(
        &mut self,
        id: LeadId,
        criterion: Criterion,
        checked: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.lead_command(id, now, UndoAction::ChangeChecklist, |l| {
            l.set_criterion(criterion, checked, now)
        })
    }

    /// Sets a lead's follow-up: text and date (YYYY-MM-DD), both may be empty.
    pub fn set_lead_next_step(
        &mut self,
        id: LeadId,
        text: &str,
        date: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.lead_command(id, now, UndoAction::UpdateLead, |l| {
            l.set_next_step(text, date, now)
        })
    }

    pub fn set_timeline_date(
        &mut self,
        id: LeadId,
        date: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.lead_command(id, now, UndoAction::ChangeChecklist, |l| {
            l.set_timeline_date(date, now)
        })
    }

    pub fn mark_contacted(&mut self, id: LeadId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.lead_command(id, now, UndoAction::MarkContacted, |l| {
            l.mark_contacted(now)
        })
    }

    pub fn qualify(&mut self, id: LeadId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.lead_command(id, now, UndoAction::Qualify, |l| l.qualify(now))
    }

    pub fn disqualify(
        &mut self,
        id: LeadId,
        reason: DisqualifyReason,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.lead_command(id, now, UndoAction::Disqualify, |l| {
            l.disqualify(reason, note, now)
        })
    }

    /// Disqualified -> Contacted. Refused if the contact meanwhile got
    /// another active lead.
    pub fn reopen_lead(&mut self, id: LeadId, now: DateTime<Utc>) -> Result<(), DomainError> {
        let contact = self.require::<Lead>(id.0)?.contact;
        if self
            .leads_for_contact(contact)
            .any(|l| l.id != id && l.status.kind().is_active())
        {
            return Err(DomainError::LeadExists {
                contact: self.contact_name(contact),
            });
        }
        self.lead_command(id, now, UndoAction::ReopenLead, |l| l.reopen(now))
    }

    /// Turns a qualified lead into an opportunity in Needs analysis, in the
    /// default currency. A blank `name` becomes "<contact>: <interest>" (or
    /// the contact's name). The lead becomes Converted, pointing at the
    /// opportunity, which points back. If the contact is on an account, the
    /// opportunity belongs to that account.
    pub fn convert_lead(
        &mut self,
        id: LeadId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OpportunityId, DomainError> {
        let lead = self.require::<Lead>(id.0)?;
        match lead.status {
            LeadStatus::Qualified => {}
            LeadStatus::Converted { .. } => return Err(DomainError::LeadConverted),
            ref s => {
                return Err(DomainError::NotQualified { status: s.kind() });
            }
        }
        let contact = lead.contact;
        let contact_name = self.contact_name(contact);
        let name = if name.trim().is_empty() {
            let default = if lead.interest.is_empty() {
                contact_name.clone()
            } else {
                format!("{contact_name}: {}", lead.interest)
            };
            default.chars().take(MAX_OPPORTUNITY_NAME_CHARS).collect()
        } else {
            validate_opportunity_name(name)?
        };
        let account = self.account_for_contact(contact).map(|a| a.id);
        let currency = self.data.default_currency;
        self.run_at(now, |p, tx| {
            let oid = OpportunityId(p.alloc_id()?);
            tx.label(UndoAction::ConvertLead, contact_name);
            p.touch::<Lead>(tx, id.0)?.mark_converted(oid, now)?;
            let mut o = Opportunity::new(oid, name, contact, currency, now);
            o.lead = Some(id);
            o.account = account;
            p.insert(tx, o);
            Ok(oid)
        })
    }
}
