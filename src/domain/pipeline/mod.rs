//! The pipeline: every record, and every change to them as one command.
//!
//! Each command takes `now` (and `today` where a date is recorded), checks
//! everything before it keeps anything, and either succeeds completely or
//! changes nothing. A successful command that changed something becomes an
//! undo step holding the previous versions of only the records it touched
//! (before-images), so undo stays cheap with tens of thousands of records.
//!
//! Records are kept in `Vec`s sorted by id (ids only grow, so new records go
//! at the end), which makes lookups a binary search and keeps the stored
//! order stable. References are never left dangling:
//! [`Pipeline::check_integrity`] states the rules and loading enforces them.
//!
//! Deleting a contact ([`Pipeline::delete_contact`]) is refused while the
//! contact has an open opportunity or a won deal, or is an account's main
//! contact; otherwise it removes the contact together with its leads and its
//! lost opportunities, and takes it off any account it was on.

use super::account::Account;
use super::clock::{Derived, Hlc, Stamps, Tombstone};
use super::contact::{Contact, ContactDraft, ContactFields, Source, MAX_SOURCE_CHARS};
use super::error::{
    DomainError, Field, FieldErrors, FieldProblem, InUse, Inconsistency, RecordKind,
};
use super::history::Event;
use super::history::History;
use super::ids::{tagged, AccountId, ContactId, DeviceId, LeadId, OpportunityId};
use super::lead::{
    BuyingRole, Criterion, DisqualifyReason, Lead, LeadStatus, LeadStatusKind, MAX_NOTE_CHARS,
};
use super::money::{Currency, Money};
use super::opportunity::{
    validate_opportunity_name, DealTerms, LostReason, Opportunity, OpportunityStatus, Stage,
    MAX_OPPORTUNITY_NAME_CHARS,
};
use super::opportunity_form::OpportunityEdit;
use crate::language::Language;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use super::search::{in_creation_order, Search};

mod accounts;
mod contacts;
mod devices;
mod integrity;
mod leads;
pub(in crate::domain) mod merge;
mod merge_facts;
mod merge_rules;
mod opportunities;
mod revision;
mod sample_data;
mod settings;
mod stamping;
mod undo;

pub use devices::{default_device_name, MAX_DEVICE_NAME_CHARS};
pub use merge::{Knowledge, MergeSummary};
pub use merge_facts::MergeFact;
use revision::Changes;
pub use revision::Revision;
pub use sample_data::{SampleIds, SampleRemoved};
pub(in crate::domain) use undo::Tx;
use undo::{Before, Step};
pub use undo::{UndoAction, UndoLabel, UNDO_DEPTH};

/// Points at any record, e.g. to add a note to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordRef {
    Contact(ContactId),
    Lead(LeadId),
    Opportunity(OpportunityId),
    Account(AccountId),
}

/// The pipeline's data without the undo history: exactly what is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineData {
    /// The number the next new record gets.
    pub next_id: u64,
    #[serde(default)]
    pub default_currency: Currency,
    /// The language the user chose; `None` follows the browser. Omitted
    /// when unset, so data from before the setting existed reads and writes
    /// back unchanged.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::stored::language"
    )]
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_sources: Vec<String>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub leads: Vec<Lead>,
    #[serde(default)]
    pub opportunities: Vec<Opportunity>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Which records are sample data, while it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<SampleIds>,
    /// This copy's device: its new records' ids carry it, and its changes
    /// are stamped with change clocks. `None` before the app adopted one
    /// (data from before devices, and pipelines made in tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
    /// The names of the devices this pipeline has met, for "Also changed on
    /// Laptop", each with the reading of when it was named.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub devices: BTreeMap<DeviceId, DeviceName>,
    /// The latest change clock reading this copy made or saw.
    #[serde(default, skip_serializing_if = "Hlc::is_zero")]
    pub clock: Hlc,
    /// Deleted records, so that no older copy brings them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<Tombstone>,
    /// When the shared settings (default currency, language) last
    /// changed.
    #[serde(default, skip_serializing_if = "Stamps::is_empty")]
    pub settings_stamps: Stamps,
    /// The newest reading of each device this copy has seen (its own, and
    /// through merges the others').
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<DeviceId, Hlc>,
    /// Every merge any device made, with what it had seen then: so a later
    /// merge can tell whether a change was made knowing another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<MergeMark>,
}

/// A merge a device made: when (by its clock), and the newest reading of
/// each device it had seen by then.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MergeMark {
    pub device: DeviceId,
    pub at: Hlc,
    pub seen: BTreeMap<DeviceId, Hlc>,
}

/// A device's name as the user gave it, and when it was given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceName {
    pub name: String,
    pub at: Hlc,
}

/// A pipeline is stored as its [`PipelineData`] (the undo history is not
/// kept).
impl serde::Serialize for Pipeline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data().serialize(s)
    }
}

/// Reading checks the data's integrity, so broken data is refused rather
/// than loaded.
impl<'de> serde::Deserialize<'de> for Pipeline {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = PipelineData::deserialize(d)?;
        Pipeline::from_data(data).map_err(serde::de::Error::custom)
    }
}

/// Lookups from a contact to its leads and opportunities, kept in step with
/// the records (a lead's or opportunity's contact never changes).
#[derive(Clone, Debug, Default)]
pub(super) struct Index {
    leads: HashMap<ContactId, Vec<LeadId>>,
    opportunities: HashMap<ContactId, Vec<OpportunityId>>,
}

fn index_add<K: Copy + Eq + std::hash::Hash, V: Ord + Copy>(
    map: &mut HashMap<K, Vec<V>>,
    k: K,
    v: V,
) {
    let list = map.entry(k).or_default();
    if let Err(i) = list.binary_search(&v) {
        list.insert(i, v);
    }
}

fn index_remove<K: Copy + Eq + std::hash::Hash, V: Ord + Copy>(
    map: &mut HashMap<K, Vec<V>>,
    k: K,
    v: V,
) {
    if let Some(list) = map.get_mut(&k) {
        if let Ok(i) = list.binary_search(&v) {
            list.remove(i);
        }
        if list.is_empty() {
            map.remove(&k);
        }
    }
}

/// A record kind the pipeline keeps in an id-sorted list.
pub(super) trait Record:
    Clone + PartialEq + Serialize + serde::de::DeserializeOwned
{
    const KIND: RecordKind;
    fn key(&self) -> u64;
    fn list(p: &Pipeline) -> &Vec<Self>;
    fn list_mut(p: &mut Pipeline) -> &mut Vec<Self>;
    fn before(id: u64, r: Option<Self>) -> Before;
    fn indexed(_index: &mut Index, _r: &Self, _add: bool) {}
    fn stamps(&self) -> &Stamps;
    fn stamps_mut(&mut self) -> &mut Stamps;
    fn history(&self) -> &History;
    fn history_mut(&mut self) -> &mut History;
    fn derived(&self) -> &Derived;
    fn derived_mut(&mut self) -> &mut Derived;
}

macro_rules! record_impl {
    ($t:ident, $kind:ident, $field:ident, $variant:ident) => {
        impl Record for $t {
            const KIND: RecordKind = RecordKind::$kind;
            fn key(&self) -> u64 {
                self.id.0
            }
            fn list(p: &Pipeline) -> &Vec<Self> {
                &p.data.$field
            }
            fn list_mut(p: &mut Pipeline) -> &mut Vec<Self> {
                &mut p.data.$field
            }
            fn before(id: u64, r: Option<Self>) -> Before {
                Before::$variant(id, r)
            }
            fn stamps(&self) -> &Stamps {
                &self.stamps
            }
            fn stamps_mut(&mut self) -> &mut Stamps {
                &mut self.stamps
            }
            fn history(&self) -> &History {
                &self.history
            }
            fn derived(&self) -> &Derived {
                &self.derived
            }
            fn derived_mut(&mut self) -> &mut Derived {
                &mut self.derived
            }
            fn history_mut(&mut self) -> &mut History {
                &mut self.history
            }
            record_impl!(@index $t);
        }
    };
    (@index Lead) => {
        fn indexed(index: &mut Index, r: &Self, add: bool) {
            if add {
                index_add(&mut index.leads, r.contact, r.id);
            } else {
                index_remove(&mut index.leads, r.contact, r.id);
            }
        }
    };
    (@index Opportunity) => {
        fn indexed(index: &mut Index, r: &Self, add: bool) {
            if add {
                index_add(&mut index.opportunities, r.contact, r.id);
            } else {
                index_remove(&mut index.opportunities, r.contact, r.id);
            }
        }
    };
    (@index $other:ident) => {};
}

record_impl!(Contact, Contact, contacts, Contact);
record_impl!(Lead, Lead, leads, Lead);
record_impl!(Opportunity, Opportunity, opportunities, Opportunity);
record_impl!(Account, Account, accounts, Account);

/// Puts records in id order, keeping the order of equal ids (stored lists
/// are already in order, which the standard sort finds in one pass).
fn sort_by_id<T: Record>(list: &mut [T]) {
    list.sort_by_key(T::key);
}

fn position<T: Record>(list: &[T], id: u64) -> Option<usize> {
    list.binary_search_by_key(&id, T::key).ok()
}

/// Every contact, lead, opportunity and account, and the commands that
/// change them.
///
/// Serialized as [`PipelineData`] (the undo history is not stored):
/// `{"next_id":…,"default_currency":"NOK","custom_sources":[…],"contacts":[…],
/// "leads":[…],"opportunities":[…],"accounts":[…]}`. Deserializing sorts each
/// list by id and runs [`Pipeline::check_integrity`], so broken data is
/// refused rather than loaded.
#[derive(Clone, Debug)]
pub struct Pipeline {
    data: PipelineData,
    undo: VecDeque<Step>,
    index: Index,
    /// Counts the changes made through commands and Undo, so the app saves
    /// only after a command that changed something, and says what the last
    /// one touched.
    changes: Changes,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}

impl PartialEq for Pipeline {
    /// Compares the data; the undo history does not count.
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl TryFrom<PipelineData> for Pipeline {
    type Error = DomainError;
    fn try_from(data: PipelineData) -> Result<Self, Self::Error> {
        Pipeline::from_data(data)
    }
}

impl From<Pipeline> for PipelineData {
    fn from(p: Pipeline) -> Self {
        p.data
    }
}

impl Pipeline {
    /// An empty pipeline; new records are numbered from 1.
    pub fn new() -> Pipeline {
        Pipeline {
            data: PipelineData {
                next_id: 1,
                ..PipelineData::default()
            },
            undo: VecDeque::new(),
            index: Index::default(),
            changes: Changes::new(),
        }
    }

    /// Builds a pipeline from stored data: sorts each list by id and checks
    /// integrity. Nothing is repaired silently.
    pub fn from_data(mut data: PipelineData) -> Result<Pipeline, DomainError> {
        sort_by_id(&mut data.contacts);
        sort_by_id(&mut data.leads);
        sort_by_id(&mut data.opportunities);
        sort_by_id(&mut data.accounts);
        let mut p = Pipeline {
            data,
            undo: VecDeque::new(),
            index: Index::default(),
            changes: Changes::new(),
        };
        p.rebuild_index();
        p.check_integrity()?;
        Ok(p)
    }

    /// The stored data (a copy-free view).
    pub fn data(&self) -> &PipelineData {
        &self.data
    }

    fn rebuild_index(&mut self) {
        // Sized once: growing the maps record by record rehashed them often.
        let mut index = Index {
            leads: HashMap::with_capacity(self.data.leads.len()),
            opportunities: HashMap::with_capacity(self.data.opportunities.len()),
        };
        for l in &self.data.leads {
            Lead::indexed(&mut index, l, true);
        }
        for o in &self.data.opportunities {
            Opportunity::indexed(&mut index, o, true);
        }
        self.index = index;
    }

    // ----- lookups ---------------------------------------------------------

    pub fn contacts(&self) -> &[Contact] {
        &self.data.contacts
    }
    pub fn leads(&self) -> &[Lead] {
        &self.data.leads
    }
    pub fn opportunities(&self) -> &[Opportunity] {
        &self.data.opportunities
    }
    pub fn accounts(&self) -> &[Account] {
        &self.data.accounts
    }
    pub fn custom_sources(&self) -> &[String] {
        &self.data.custom_sources
    }
    pub fn default_currency(&self) -> Currency {
        self.data.default_currency
    }
    /// The language the user chose, if any (`None`: the browser's).
    pub fn language(&self) -> Option<Language> {
        self.data.language
    }
    pub fn next_id(&self) -> u64 {
        self.data.next_id
    }

    /// Built-in sources followed by the user's own.
    pub fn sources(&self) -> Vec<Source> {
        Source::BUILT_IN
            .into_iter()
            .chain(
                self.data
                    .custom_sources
                    .iter()
                    .map(|s| Source::Custom(s.clone())),
            )
            .collect()
    }

    pub fn contact(&self, id: ContactId) -> Option<&Contact> {
        self.get::<Contact>(id.0)
    }
    pub fn lead(&self, id: LeadId) -> Option<&Lead> {
        self.get::<Lead>(id.0)
    }
    pub fn opportunity(&self, id: OpportunityId) -> Option<&Opportunity> {
        self.get::<Opportunity>(id.0)
    }
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.get::<Account>(id.0)
    }

    fn get<T: Record>(&self, id: u64) -> Option<&T> {
        let list = T::list(self);
        match position(list, id) {
            Some(i) => Some(&list[i]),
            None => Self::by_old_number(list, id),
        }
    }

    /// A record stored before devices existed, by the plain number it had
    /// then (old addresses such as `#/contacts/12` keep working).
    fn by_old_number<T: Record>(list: &[T], number: u64) -> Option<&T> {
        use super::ids::{number_of, tag_of, LEGACY_TAG};
        if tag_of(number) != 0 {
            return None;
        }
        list.iter()
            .find(|r| tag_of(r.key()) & LEGACY_TAG != 0 && u64::from(number_of(r.key())) == number)
    }

    pub(super) fn require<T: Record>(&self, id: u64) -> Result<&T, DomainError> {
        self.get::<T>(id)
            .ok_or(DomainError::NotFound { kind: T::KIND, id })
    }

    /// All leads of a contact, oldest first (usually one; a contact may get
    /// a new lead after an earlier one was disqualified or converted).
    pub fn leads_for_contact(&self, contact: ContactId) -> impl Iterator<Item = &Lead> + '_ {
        self.index
            .leads
            .get(&contact)
            .into_iter()
            .flatten()
            .filter_map(|id| self.lead(*id))
    }

    /// The contact's newest lead.
    pub fn lead_for_contact(&self, contact: ContactId) -> Option<&Lead> {
        self.index
            .leads
            .get(&contact)
            .and_then(|ids| ids.last())
            .and_then(|id| self.lead(*id))
    }

    /// The contact's opportunities, oldest first.
    pub fn opportunities_for_contact(
        &self,
        contact: ContactId,
    ) -> impl Iterator<Item = &Opportunity> + '_ {
        self.index
            .opportunities
            .get(&contact)
            .into_iter()
            .flatten()
            .filter_map(|id| self.opportunity(*id))
    }

    /// The account the contact is on (as main contact or not), if any.
    pub fn account_for_contact(&self, contact: ContactId) -> Option<&Account> {
        self.data
            .accounts
            .iter()
            .find(|a| a.contacts.contains(&contact))
    }

    /// The opportunities belonging to an account, oldest first.
    pub fn opportunities_for_account(
        &self,
        account: AccountId,
    ) -> impl Iterator<Item = &Opportunity> + '_ {
        self.data
            .opportunities
            .iter()
            .filter(move |o| o.account == Some(account))
    }

    /// Lifetime value of an account, per currency (see
    /// [`Account::lifetime_value`]). Empty for an unknown account.
    pub fn lifetime_value(&self, account: AccountId) -> Vec<super::money::Sum> {
        self.account(account)
            .map(|a| a.lifetime_value(|id| self.opportunity(id)))
            .unwrap_or_default()
    }

    /// Contacts whose name, organisation or email contain every word of
    /// `query`, ignoring case, in the order they were made. An empty query
    /// matches all.
    pub fn search_contacts(&self, query: &str) -> Vec<ContactId> {
        let mut search = Search::new(query);
        in_creation_order(
            self.data
                .contacts
                .iter()
                .filter(|c| search.matches(&[&c.name, &c.organisation, &c.email]))
                .map(|c| (c.created_at, c.id))
                .collect(),
        )
    }

    /// Leads whose contact's name or organisation contain every word of
    /// `query`, ignoring case, in the order they were made, optionally only
    /// those in one status. An empty query matches all.
    pub fn search_leads(&self, query: &str, status: Option<LeadStatusKind>) -> Vec<LeadId> {
        let mut search = Search::new(query);
        in_creation_order(
            self.data
                .leads
                .iter()
                .filter(|l| status.is_none_or(|s| l.status.kind() == s))
                .filter(|l| {
                    search.is_empty()
                        || self
                            .contact(l.contact)
                            .is_some_and(|c| search.matches(&[&c.name, &c.organisation]))
                })
                .map(|l| (l.created_at, l.id))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests;
