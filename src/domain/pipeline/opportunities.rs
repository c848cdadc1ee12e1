//! Commands on opportunities.

use super::*;

impl Pipeline {
    /// Opens a new opportunity for an existing customer (repeat business),
    /// with the account's main contact, in the default currency.
    pub fn open_opportunity_for_account(
        &mut self,
        account: AccountId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<OpportunityId, DomainError> {
        let contact = self.require::<Account>(account.0)?.contact;
        let name = validate_opportunity_name(name)?;
        let currency = self.data.default_currency;
        self.run_at(now, |p, tx| {
            let id = OpportunityId(p.alloc_id()?);
            tx.label(UndoAction::OpenOpportunity, name.clone());
            let mut o = Opportunity::new(id, name, contact, currency, now);
            o.account = Some(account);
            p.insert(tx, o);
            Ok(id)
        })
    }

    pub(in crate::domain) fn opportunity_command<T>(
        &mut self,
        id: OpportunityId,
        now: DateTime<Utc>,
        action: UndoAction,
        change: impl FnOnce(&mut Opportunity) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let name = self.require::<Opportunity>(id.0)?.name.clone();
        self.run_at(now, |p, tx| {
            tx.label(action, name);
            change(p.touch::<Opportunity>(tx, id.0)?)
        })
    }

    /// Moves an open opportunity to another open stage.
    pub fn move_stage(
        &mut self,
        id: OpportunityId,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.opportunity_command(id, now, UndoAction::MoveStage, |o| o.move_to(stage, now))
    }

    /// Replaces the deal terms of an open opportunity.
    pub fn update_terms(
        &mut self,
        id: OpportunityId,
        terms: DealTerms,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.opportunity_command(id, now, UndoAction::UpdateOpportunity, |o| {
            o.set_terms(terms, now)
        })
    }

    /// Saves the opportunity form as one change (one Undo step): renames,
    /// moves to another open stage and replaces the deal terms. If any part
    /// is refused, nothing changes. Returns whether anything changed.
    pub fn edit_opportunity(
        &mut self,
        id: OpportunityId,
        edit: OpportunityEdit,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.opportunity_command(id, now, UndoAction::UpdateOpportunity, |o| {
            let renamed = o.rename(&edit.name, now)?;
            let moved = o.move_to(edit.stage, now)?;
            let changed = o.set_terms(edit.terms, now)?;
            Ok(renamed | moved | changed)
        })
    }

    /// Sets (or with `None` clears) the probability override.
    pub fn set_probability(
        &mut self,
        id: OpportunityId,
        probability: Option<u8>,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        if let Some(p) = probability.filter(|p| *p > 100) {
            return Err(DomainError::ProbabilityOutOfRange(u32::from(p)));
        }
        self.opportunity_command(id, now, UndoAction::UpdateOpportunity, |o| {
            let mut terms = o.terms.clone();
            terms.probability_override = probability;
            o.set_terms(terms, now)
        })
    }

    pub fn rename_opportunity(
        &mut self,
        id: OpportunityId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.opportunity_command(id, now, UndoAction::UpdateOpportunity, |o| {
            o.rename(name, now)
        })
    }

    /// Closes as won on `today` (needs an amount above zero) and makes the
    /// contact a customer. The account is, in order: the one the
    /// opportunity already belongs to; the one the contact is on; one with
    /// the contact's organisation name (ignoring case), which the contact
    /// then joins; or a new account named after the organisation (or the
    /// person), customer since `today`. Returns the account.
    pub fn mark_won(
        &mut self,
        id: OpportunityId,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<AccountId, DomainError> {
        let o = self.require::<Opportunity>(id.0)?;
        let (name, contact, linked) = (o.name.clone(), o.contact, o.account);
        let c = self.require::<Contact>(contact.0)?;
        let organisation = c.organisation_name().trim().to_owned();
        let account_name = if organisation.is_empty() {
            c.name.clone()
        } else {
            organisation.clone()
        };
        let existing = linked
            .or_else(|| self.account_for_contact(contact).map(|a| a.id))
            .or_else(|| {
                if organisation.is_empty() {
                    return None;
                }
                let lower = organisation.to_lowercase();
                self.data
                    .accounts
                    .iter()
                    .find(|a| a.name.len() == organisation.len() && a.name.to_lowercase() == lower)
                    .map(|a| a.id)
            });
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::MarkWon, name);
            p.touch::<Opportunity>(tx, id.0)?.mark_won(today, now)?;
            let account = match existing {
                Some(a) => {
                    let acc = p.touch::<Account>(tx, a.0)?;
                    acc.add_contact(contact, now);
                    acc.add_won_deal(id, now);
                    a
                }
                None => {
                    let a = AccountId(p.alloc_id()?);
                    let mut acc = Account::new(a, account_name, contact, today, now);
                    acc.add_won_deal(id, now);
                    p.insert(tx, acc);
                    a
                }
            };
            p.touch::<Opportunity>(tx, id.0)?.account = Some(account);
            Ok(account)
        })
    }

    pub fn mark_lost(
        &mut self,
        id: OpportunityId,
        reason: LostReason,
        note: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.opportunity_command(id, now, UndoAction::MarkLost, |o| {
            o.mark_lost(reason, note, today, now)
        })
    }

    /// Reopens a won or lost opportunity (see [`Opportunity::reopen`]). A
    /// reopened won deal leaves its account's won deals, so the lifetime
    /// value no longer includes it; the account itself stays.
    pub fn reopen_opportunity(
        &mut self,
        id: OpportunityId,
        now: DateTime<Utc>,
    ) -> Result<Stage, DomainError> {
        let o = self.require::<Opportunity>(id.0)?;
        let was_won = matches!(o.status, OpportunityStatus::Won { .. });
        let account = o.account;
        let name = o.name.clone();
        self.run_at(now, |p, tx| {
            tx.label(UndoAction::ReopenOpportunity, name);
            let stage = p.touch::<Opportunity>(tx, id.0)?.reopen(now)?;
            if let (true, Some(a)) = (was_won, account) {
                p.touch::<Account>(tx, a.0)?.remove_won_deal(id, now);
            }
            Ok(stage)
        })
    }
}
