//! Accounts: customers, created when an opportunity is won.

use super::clock::{Derived, Stamps};
use super::history::{Event, History};
use super::ids::{AccountId, ContactId, OpportunityId};
use super::money::{Currency, Sum};
use super::opportunity::{Opportunity, OpportunityStatus};
use super::time::to_second;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A customer: an organisation (or a person) that has bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    /// The organisation's name, or the person's for a private customer.
    pub name: String,
    /// The main contact. Always also in `contacts`.
    pub contact: ContactId,
    /// Everyone at the customer we deal with, main contact first.
    pub contacts: Vec<ContactId>,
    pub customer_since: NaiveDate,
    /// Won opportunities, in the order they were won. A reopened deal
    /// leaves this list (the account itself stays: it was a customer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub won_deals: Vec<OpportunityId>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "History::is_empty")]
    pub history: History,
    /// When each field last changed, and on which device.
    #[serde(default, skip_serializing_if = "Stamps::is_empty")]
    pub stamps: Stamps,
    /// What merge rules replaced (see `merge_rules.rs`).
    #[serde(default, skip_serializing_if = "Derived::is_empty")]
    pub derived: Derived,
}

impl Account {
    pub(crate) fn new(
        id: AccountId,
        name: String,
        contact: ContactId,
        customer_since: NaiveDate,
        now: DateTime<Utc>,
    ) -> Account {
        Account {
            id,
            name,
            contact,
            contacts: vec![contact],
            customer_since,
            won_deals: Vec::new(),
            created_at: to_second(now),
            history: History::new(),
            stamps: Stamps::default(),
            derived: Derived::default(),
        }
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        self.history.last_at().unwrap_or(self.created_at)
    }

    /// Sum of the won deals' amounts, one `Money` per currency (never added
    /// across currencies), in [`Currency::ALL`] order, leaving out
    /// currencies with nothing won. `opportunity` looks a deal up by id.
    pub fn lifetime_value<'a>(
        &self,
        opportunity: impl Fn(OpportunityId) -> Option<&'a Opportunity>,
    ) -> Vec<Sum> {
        let mut sums = Currency::ALL.map(Sum::zero);
        let mut seen = [false; Currency::ALL.len()];
        for id in &self.won_deals {
            let Some(o) = opportunity(*id) else { continue };
            if !matches!(o.status, OpportunityStatus::Won { .. }) {
                continue;
            }
            if let Some(amount) = o.terms.amount {
                let i = currency_index(amount.currency);
                sums[i].add(amount.minor);
                seen[i] = true;
            }
        }
        sums.into_iter()
            .zip(seen)
            .filter_map(|(sum, seen)| seen.then_some(sum))
            .collect()
    }

    pub(crate) fn add_won_deal(&mut self, opportunity: OpportunityId, now: DateTime<Utc>) {
        if !self.won_deals.contains(&opportunity) {
            self.won_deals.push(opportunity);
            self.history.record(now, Event::DealWon { opportunity });
        }
    }

    pub(crate) fn remove_won_deal(&mut self, opportunity: OpportunityId, now: DateTime<Utc>) {
        if let Some(i) = self.won_deals.iter().position(|d| *d == opportunity) {
            self.won_deals.remove(i);
            self.history
                .record(now, Event::DealReopened { opportunity });
        }
    }

    pub(crate) fn add_contact(&mut self, contact: ContactId, now: DateTime<Utc>) -> bool {
        if self.contacts.contains(&contact) {
            return false;
        }
        self.contacts.push(contact);
        self.history.record(now, Event::ContactAdded { contact });
        true
    }

    pub(crate) fn remove_contact(&mut self, contact: ContactId, now: DateTime<Utc>) {
        if let Some(i) = self.contacts.iter().position(|c| *c == contact) {
            self.contacts.remove(i);
            self.history.record(now, Event::ContactRemoved { contact });
        }
    }

    pub(crate) fn add_note(&mut self, text: String, now: DateTime<Utc>) {
        self.history.record(now, Event::Note { text });
    }
}

pub(crate) fn currency_index(c: Currency) -> usize {
    Currency::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lead::LeadStatusKind;
    use crate::domain::Money;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn won(id: u64, minor: i64, c: Currency) -> Opportunity {
        let mut o = Opportunity::new(OpportunityId(id), "Deal".into(), ContactId(1), c, t(0));
        o.terms.amount = Some(Money::new(minor, c));
        o.mark_won(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), t(1))
            .unwrap();
        o
    }

    fn acme() -> Account {
        Account::new(
            AccountId(5),
            "Acme".into(),
            ContactId(1),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            t(0),
        )
    }

    #[test]
    fn a_total_too_large_for_an_amount_is_not_cut_off() {
        let deals = [
            won(10, i64::MAX, Currency::NOK),
            won(11, i64::MAX, Currency::NOK),
        ];
        let mut a = acme();
        for d in &deals {
            a.add_won_deal(d.id, t(1));
        }
        let totals = a.lifetime_value(|id| deals.iter().find(|d| d.id == id));
        assert_eq!(totals.len(), 1);
        assert_eq!(
            totals[0].money(),
            None,
            "two of the largest amounts do not fit one"
        );
        assert_eq!(
            Sum::from(Money::new(i64::MAX, Currency::NOK)).money(),
            Some(Money::new(i64::MAX, Currency::NOK))
        );
    }

    #[test]
    fn lifetime_value_is_per_currency() {
        let deals = [
            won(10, 100_000, Currency::NOK),
            won(11, 5_000, Currency::EUR),
            won(12, 250_050, Currency::NOK),
            won(13, 7, Currency::JPY),
        ];
        let mut a = acme();
        for d in &deals {
            a.add_won_deal(d.id, t(2));
        }
        a.add_won_deal(deals[0].id, t(3)); // no duplicates
        let find = |id| deals.iter().find(|d| d.id == id);
        assert_eq!(
            a.lifetime_value(find),
            vec![
                Money::new(350_050, Currency::NOK),
                Money::new(5_000, Currency::EUR),
                Money::new(7, Currency::JPY)
            ]
        );
        a.remove_won_deal(OpportunityId(11), t(4));
        assert_eq!(a.lifetime_value(find).len(), 2);
        assert_eq!(
            a.won_deals,
            vec![OpportunityId(10), OpportunityId(12), OpportunityId(13)]
        );
        assert_eq!(a.history.len(), 5);
        assert!(a.history.reached_status(LeadStatusKind::New).is_none());
    }
}
