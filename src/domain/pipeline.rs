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
use super::contact::{Contact, ContactDraft, ContactFields, Source, MAX_SOURCE_CHARS};
use super::error::{
    DomainError, Field, FieldErrors, FieldProblem, InUse, Inconsistency, RecordKind,
};
use super::history::Event;
use super::ids::{AccountId, ContactId, LeadId, OpportunityId};
use super::lead::{
    BuyingRole, Criterion, DisqualifyReason, Lead, LeadStatus, LeadStatusKind, MAX_NOTE_CHARS,
};
use super::money::{Currency, Money};
use super::opportunity::{
    validate_opportunity_name, DealTerms, LostReason, Opportunity, OpportunityEdit,
    OpportunityStatus, Stage, MAX_OPPORTUNITY_NAME_CHARS,
};
use crate::language::Language;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::fmt;

/// How many changes can be undone.
pub const UNDO_DEPTH: usize = 50;

/// What a change did, for the Undo button ("Undo: Deleted contact Ada").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UndoAction {
    AddContact,
    UpdateContact,
    DeleteContact,
    AddSource,
    RemoveSource,
    MakeLead,
    UpdateLead,
    ChangeChecklist,
    MarkContacted,
    Qualify,
    Disqualify,
    ReopenLead,
    ConvertLead,
    OpenOpportunity,
    MoveStage,
    UpdateOpportunity,
    MarkWon,
    MarkLost,
    ReopenOpportunity,
    UpdateAccount,
    AddNote,
    SetDefaultCurrency,
    SetLanguage,
    Import,
}

impl UndoAction {
    /// Every action, for tests that walk them all.
    pub const ALL: [UndoAction; 24] = [
        UndoAction::AddContact,
        UndoAction::UpdateContact,
        UndoAction::DeleteContact,
        UndoAction::AddSource,
        UndoAction::RemoveSource,
        UndoAction::MakeLead,
        UndoAction::UpdateLead,
        UndoAction::ChangeChecklist,
        UndoAction::MarkContacted,
        UndoAction::Qualify,
        UndoAction::Disqualify,
        UndoAction::ReopenLead,
        UndoAction::ConvertLead,
        UndoAction::OpenOpportunity,
        UndoAction::MoveStage,
        UndoAction::UpdateOpportunity,
        UndoAction::MarkWon,
        UndoAction::MarkLost,
        UndoAction::ReopenOpportunity,
        UndoAction::UpdateAccount,
        UndoAction::AddNote,
        UndoAction::SetDefaultCurrency,
        UndoAction::SetLanguage,
        UndoAction::Import,
    ];
}

/// The undo button's words: an action and the name of what it was done to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoLabel {
    pub action: UndoAction,
    pub subject: String,
}

impl UndoLabel {
    fn new(action: UndoAction, subject: impl Into<String>) -> UndoLabel {
        UndoLabel {
            action,
            subject: subject.into(),
        }
    }
}

impl fmt::Display for UndoLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.subject;
        match self.action {
            UndoAction::AddContact => write!(f, "Added contact {s}"),
            UndoAction::UpdateContact => write!(f, "Edited contact {s}"),
            UndoAction::DeleteContact => write!(f, "Deleted contact {s}"),
            UndoAction::AddSource => write!(f, "Added source {s}"),
            UndoAction::RemoveSource => write!(f, "Removed source {s}"),
            UndoAction::MakeLead => write!(f, "Made {s} a lead"),
            UndoAction::UpdateLead => write!(f, "Edited lead {s}"),
            UndoAction::ChangeChecklist => write!(f, "Changed the checklist of {s}"),
            UndoAction::MarkContacted => write!(f, "Marked {s} as contacted"),
            UndoAction::Qualify => write!(f, "Qualified {s}"),
            UndoAction::Disqualify => write!(f, "Disqualified {s}"),
            UndoAction::ReopenLead => write!(f, "Reopened lead {s}"),
            UndoAction::ConvertLead => write!(f, "Converted {s} to an opportunity"),
            UndoAction::OpenOpportunity => write!(f, "Opened opportunity {s}"),
            UndoAction::MoveStage => write!(f, "Moved {s}"),
            UndoAction::UpdateOpportunity => write!(f, "Edited opportunity {s}"),
            UndoAction::MarkWon => write!(f, "Marked {s} as won"),
            UndoAction::MarkLost => write!(f, "Marked {s} as lost"),
            UndoAction::ReopenOpportunity => write!(f, "Reopened opportunity {s}"),
            UndoAction::UpdateAccount => write!(f, "Edited account {s}"),
            UndoAction::AddNote => write!(f, "Added a note to {s}"),
            UndoAction::SetDefaultCurrency => write!(f, "Set the default currency to {s}"),
            UndoAction::SetLanguage => write!(f, "Set the language to {s}"),
            UndoAction::Import => write!(f, "Imported {s}"),
        }
    }
}

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

#[derive(Clone, Debug)]
pub(super) enum Before {
    Contact(u64, Option<Contact>),
    Lead(u64, Option<Lead>),
    Opportunity(u64, Option<Opportunity>),
    Account(u64, Option<Account>),
    CustomSources(Vec<String>),
    DefaultCurrency(Currency),
    Language(Option<Language>),
    Everything(Box<PipelineData>),
}

#[derive(Clone, Debug)]
struct Step {
    label: UndoLabel,
    before: Vec<Before>,
    next_id: u64,
}

/// What a command collects while it runs: the before-images and its label.
pub(super) struct Tx {
    before: Vec<Before>,
    next_id: u64,
    label: Option<UndoLabel>,
}

impl Tx {
    pub(super) fn label(&mut self, action: UndoAction, subject: impl Into<String>) {
        self.label = Some(UndoLabel::new(action, subject));
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
pub(super) trait Record: Clone + PartialEq {
    const KIND: RecordKind;
    fn key(&self) -> u64;
    fn list(p: &Pipeline) -> &Vec<Self>;
    fn list_mut(p: &mut Pipeline) -> &mut Vec<Self>;
    fn before(id: u64, r: Option<Self>) -> Before;
    fn is_before_of(b: &Before, id: u64) -> bool;
    fn indexed(_index: &mut Index, _r: &Self, _add: bool) {}
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
            fn is_before_of(b: &Before, id: u64) -> bool {
                matches!(b, Before::$variant(i, _) if *i == id)
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

/// Two lists in ascending order as one, in ascending order.
fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
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
        position(list, id).map(|i| &list[i])
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
    pub fn lifetime_value(&self, account: AccountId) -> Vec<Money> {
        self.account(account)
            .map(|a| a.lifetime_value(|id| self.opportunity(id)))
            .unwrap_or_default()
    }

    /// Contacts whose name, organisation or email contain every word of
    /// `query`, ignoring case, in id order. An empty query matches all.
    pub fn search_contacts(&self, query: &str) -> Vec<ContactId> {
        let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if terms.is_empty() {
            return self.data.contacts.iter().map(|c| c.id).collect();
        }
        // One buffer for all contacts: no allocation per contact.
        let mut hay = String::with_capacity(256);
        self.data
            .contacts
            .iter()
            .filter(|c| {
                hay.clear();
                for (i, part) in [&c.name, &c.organisation, &c.email].into_iter().enumerate() {
                    if i > 0 {
                        hay.push('\n');
                    }
                    if part.is_ascii() {
                        hay.extend(part.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                    } else {
                        hay.extend(part.chars().flat_map(char::to_lowercase));
                    }
                }
                terms.iter().all(|t| hay.contains(t.as_str()))
            })
            .map(|c| c.id)
            .collect()
    }

    /// Leads whose contact's name or organisation contain every word of
    /// `query`, ignoring case, in id order, optionally only those in one
    /// status. An empty query matches all.
    pub fn search_leads(&self, query: &str, status: Option<LeadStatusKind>) -> Vec<LeadId> {
        let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut hay = String::with_capacity(128);
        self.data
            .leads
            .iter()
            .filter(|l| status.is_none_or(|s| l.status.kind() == s))
            .filter(|l| {
                if terms.is_empty() {
                    return true;
                }
                let Some(c) = self.contact(l.contact) else {
                    return false;
                };
                hay.clear();
                push_lowercase(&mut hay, &c.name);
                hay.push('\n');
                push_lowercase(&mut hay, &c.organisation);
                terms.iter().all(|t| hay.contains(t.as_str()))
            })
            .map(|l| l.id)
            .collect()
    }

    // ----- undo ------------------------------------------------------------

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// What [`Pipeline::undo`] would revert.
    pub fn undo_label(&self) -> Option<&UndoLabel> {
        self.undo.back().map(|s| &s.label)
    }

    /// Reverts the last change and says what it was.
    pub fn undo(&mut self) -> Result<UndoLabel, DomainError> {
        let step = self.undo.pop_back().ok_or(DomainError::NothingToUndo)?;
        self.restore(step.before, step.next_id);
        Ok(step.label)
    }

    /// Forgets every undo step (e.g. after loading another tab's changes).
    pub fn clear_undo(&mut self) {
        self.undo.clear();
    }

    pub(super) fn run<T>(
        &mut self,
        command: impl FnOnce(&mut Pipeline, &mut Tx) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let mut tx = Tx {
            before: Vec::new(),
            next_id: self.data.next_id,
            label: None,
        };
        match command(self, &mut tx) {
            Ok(value) => {
                self.commit(tx);
                Ok(value)
            }
            Err(e) => {
                self.restore(tx.before, tx.next_id);
                Err(e)
            }
        }
    }

    fn commit(&mut self, mut tx: Tx) {
        // Records looked at but left as they were are not part of the step.
        tx.before.retain(|b| !self.is_unchanged(b));
        if tx.before.is_empty() && tx.next_id == self.data.next_id {
            return;
        }
        let label = tx
            .label
            .unwrap_or_else(|| UndoLabel::new(UndoAction::UpdateContact, ""));
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(Step {
            label,
            before: tx.before,
            next_id: tx.next_id,
        });
    }

    fn is_unchanged(&self, b: &Before) -> bool {
        fn same<T: Record>(p: &Pipeline, id: u64, r: &Option<T>) -> bool {
            p.get::<T>(id) == r.as_ref()
        }
        match b {
            Before::Contact(id, r) => same(self, *id, r),
            Before::Lead(id, r) => same(self, *id, r),
            Before::Opportunity(id, r) => same(self, *id, r),
            Before::Account(id, r) => same(self, *id, r),
            Before::CustomSources(s) => *s == self.data.custom_sources,
            Before::DefaultCurrency(c) => *c == self.data.default_currency,
            Before::Language(l) => *l == self.data.language,
            Before::Everything(d) => **d == self.data,
        }
    }

    fn restore(&mut self, before: Vec<Before>, next_id: u64) {
        for b in before.into_iter().rev() {
            match b {
                Before::Contact(id, r) => self.put::<Contact>(id, r),
                Before::Lead(id, r) => self.put::<Lead>(id, r),
                Before::Opportunity(id, r) => self.put::<Opportunity>(id, r),
                Before::Account(id, r) => self.put::<Account>(id, r),
                Before::CustomSources(s) => self.data.custom_sources = s,
                Before::DefaultCurrency(c) => self.data.default_currency = c,
                Before::Language(l) => self.data.language = l,
                Before::Everything(d) => {
                    self.data = *d;
                    self.rebuild_index();
                }
            }
        }
        self.data.next_id = next_id;
    }

    /// Makes the record with `id` be `r` (`None`: absent), keeping the list
    /// sorted and the index in step.
    fn put<T: Record>(&mut self, id: u64, r: Option<T>) {
        let list = T::list_mut(self);
        let found = list.binary_search_by_key(&id, T::key);
        let old = match (found, r) {
            (Ok(i), Some(r)) => {
                let old = std::mem::replace(&mut list[i], r.clone());
                T::indexed(&mut self.index, &old, false);
                T::indexed(&mut self.index, &r, true);
                return;
            }
            (Ok(i), None) => list.remove(i),
            (Err(i), Some(r)) => {
                list.insert(i, r.clone());
                T::indexed(&mut self.index, &r, true);
                return;
            }
            (Err(_), None) => return,
        };
        T::indexed(&mut self.index, &old, false);
    }

    fn save<T: Record>(&self, tx: &mut Tx, id: u64) {
        if !tx.before.iter().any(|b| T::is_before_of(b, id)) {
            tx.before.push(T::before(id, self.get::<T>(id).cloned()));
        }
    }

    /// The record, for changing; its before-image is kept for undo.
    pub(super) fn touch<T: Record>(&mut self, tx: &mut Tx, id: u64) -> Result<&mut T, DomainError> {
        let i = position(T::list(self), id).ok_or(DomainError::NotFound { kind: T::KIND, id })?;
        self.save::<T>(tx, id);
        Ok(&mut T::list_mut(self)[i])
    }

    pub(super) fn insert<T: Record>(&mut self, tx: &mut Tx, r: T) {
        let id = r.key();
        self.save::<T>(tx, id);
        self.put(id, Some(r));
    }

    fn remove<T: Record>(&mut self, tx: &mut Tx, id: u64) {
        self.save::<T>(tx, id);
        self.put::<T>(id, None);
    }

    pub(super) fn alloc_id(&mut self) -> u64 {
        let id = self.data.next_id;
        self.data.next_id += 1;
        id
    }

    fn save_sources(&self, tx: &mut Tx) {
        if !tx
            .before
            .iter()
            .any(|b| matches!(b, Before::CustomSources(_)))
        {
            tx.before
                .push(Before::CustomSources(self.data.custom_sources.clone()));
        }
    }

    fn contact_name(&self, id: ContactId) -> String {
        self.contact(id).map(|c| c.name.clone()).unwrap_or_default()
    }

    // ----- sources and settings ---------------------------------------------

    /// Adds a source of the user's own.
    pub fn add_source(&mut self, name: &str) -> Result<Source, DomainError> {
        let source = Source::from_label(name);
        let Source::Custom(text) = &source else {
            return Err(DomainError::SourceExists(source.label().to_owned()));
        };
        let mut errors = FieldErrors::new();
        if text.is_empty() {
            errors.push(Field::Source, FieldProblem::Required);
        }
        super::contact::check_length(&mut errors, Field::Source, text, MAX_SOURCE_CHARS);
        errors.into_result(())?;
        if self.find_custom_source(text).is_some() {
            return Err(DomainError::SourceExists(text.clone()));
        }
        let text = text.clone();
        self.run(|p, tx| {
            p.save_sources(tx);
            p.data.custom_sources.push(text.clone());
            tx.label(UndoAction::AddSource, text.clone());
            Ok(Source::Custom(text))
        })
    }

    /// Removes a source of the user's own; refused while contacts use it.
    pub fn remove_source(&mut self, name: &str) -> Result<(), DomainError> {
        let i = self
            .find_custom_source(name.trim())
            .ok_or_else(|| DomainError::NoSuchSource(name.trim().to_owned()))?;
        let text = self.data.custom_sources[i].clone();
        let count = self
            .data
            .contacts
            .iter()
            .filter(|c| matches!(&c.source, Source::Custom(s) if *s == text))
            .count();
        if count > 0 {
            return Err(DomainError::SourceInUse { name: text, count });
        }
        self.run(|p, tx| {
            p.save_sources(tx);
            p.data.custom_sources.remove(i);
            tx.label(UndoAction::RemoveSource, text);
            Ok(())
        })
    }

    fn find_custom_source(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.data
            .custom_sources
            .iter()
            .position(|s| s.to_lowercase() == lower)
    }

    /// The currency new opportunities start in.
    pub fn set_default_currency(&mut self, currency: Currency) -> Result<(), DomainError> {
        self.run(|p, tx| {
            tx.before
                .push(Before::DefaultCurrency(p.data.default_currency));
            p.data.default_currency = currency;
            tx.label(UndoAction::SetDefaultCurrency, currency.code());
            Ok(())
        })
    }

    /// Chooses the language of the screens (`None`: follow the browser).
    pub fn set_language(&mut self, language: Option<Language>) -> Result<(), DomainError> {
        self.run(|p, tx| {
            tx.before.push(Before::Language(p.data.language));
            p.data.language = language;
            tx.label(
                UndoAction::SetLanguage,
                language.map_or("automatic", Language::code),
            );
            Ok(())
        })
    }

    /// Replaces everything with imported data, as one step that can be
    /// undone. The data is checked first (see [`Pipeline::from_data`]).
    pub fn import(&mut self, data: PipelineData, what: &str) -> Result<(), DomainError> {
        let incoming = Pipeline::from_data(data)?;
        self.run(|p, tx| {
            tx.before.push(Before::Everything(Box::new(p.data.clone())));
            p.data = incoming.data;
            p.rebuild_index();
            tx.label(UndoAction::Import, what);
            Ok(())
        })
    }

    // ----- contacts --------------------------------------------------------

    /// Fields are checked again (they may not come from a form), and a new
    /// custom source is added to the list of sources.
    pub(super) fn checked_fields(
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
        self.run(|p, tx| {
            let fields = p.checked_fields(tx, &fields)?;
            let id = ContactId(p.alloc_id());
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
        self.run(|p, tx| {
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
        self.run(|p, tx| {
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

    // ----- leads -----------------------------------------------------------

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
        self.run(|p, tx| {
            let id = LeadId(p.alloc_id());
            tx.label(UndoAction::MakeLead, name);
            p.insert(tx, Lead::new(id, contact, now));
            Ok(id)
        })
    }

    /// Runs `change` on a lead as one undoable command labelled with the
    /// lead's contact name.
    fn lead_command<T>(
        &mut self,
        id: LeadId,
        action: UndoAction,
        change: impl FnOnce(&mut Lead) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let contact = self.require::<Lead>(id.0)?.contact;
        let name = self.contact_name(contact);
        self.run(|p, tx| {
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
        self.lead_command(id, UndoAction::UpdateLead, |l| {
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
        self.lead_command(id, UndoAction::ChangeChecklist, |l| {
            l.set_criterion(criterion, checked, now)
        })
    }

    pub fn set_timeline_date(
        &mut self,
        id: LeadId,
        date: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.lead_command(id, UndoAction::ChangeChecklist, |l| {
            l.set_timeline_date(date, now)
        })
    }

    pub fn mark_contacted(&mut self, id: LeadId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.lead_command(id, UndoAction::MarkContacted, |l| l.mark_contacted(now))
    }

    pub fn qualify(&mut self, id: LeadId, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.lead_command(id, UndoAction::Qualify, |l| l.qualify(now))
    }

    pub fn disqualify(
        &mut self,
        id: LeadId,
        reason: DisqualifyReason,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        self.lead_command(id, UndoAction::Disqualify, |l| {
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
        self.lead_command(id, UndoAction::ReopenLead, |l| l.reopen(now))
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
        self.run(|p, tx| {
            let oid = OpportunityId(p.alloc_id());
            tx.label(UndoAction::ConvertLead, contact_name);
            p.touch::<Lead>(tx, id.0)?.mark_converted(oid, now)?;
            let mut o = Opportunity::new(oid, name, contact, currency, now);
            o.lead = Some(id);
            o.account = account;
            p.insert(tx, o);
            Ok(oid)
        })
    }

    // ----- opportunities ---------------------------------------------------

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
        self.run(|p, tx| {
            let id = OpportunityId(p.alloc_id());
            tx.label(UndoAction::OpenOpportunity, name.clone());
            let mut o = Opportunity::new(id, name, contact, currency, now);
            o.account = Some(account);
            p.insert(tx, o);
            Ok(id)
        })
    }

    fn opportunity_command<T>(
        &mut self,
        id: OpportunityId,
        action: UndoAction,
        change: impl FnOnce(&mut Opportunity) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let name = self.require::<Opportunity>(id.0)?.name.clone();
        self.run(|p, tx| {
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
        self.opportunity_command(id, UndoAction::MoveStage, |o| o.move_to(stage, now))
    }

    /// Replaces the deal terms of an open opportunity.
    pub fn update_terms(
        &mut self,
        id: OpportunityId,
        terms: DealTerms,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        self.opportunity_command(id, UndoAction::UpdateOpportunity, |o| {
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
        self.opportunity_command(id, UndoAction::UpdateOpportunity, |o| {
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
        self.opportunity_command(id, UndoAction::UpdateOpportunity, |o| {
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
        self.opportunity_command(id, UndoAction::UpdateOpportunity, |o| o.rename(name, now))
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
        self.run(|p, tx| {
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
                    let a = AccountId(p.alloc_id());
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
        self.opportunity_command(id, UndoAction::MarkLost, |o| {
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
        self.run(|p, tx| {
            tx.label(UndoAction::ReopenOpportunity, name);
            let stage = p.touch::<Opportunity>(tx, id.0)?.reopen(now)?;
            if let (true, Some(a)) = (was_won, account) {
                p.touch::<Account>(tx, a.0)?.remove_won_deal(id, now);
            }
            Ok(stage)
        })
    }

    // ----- accounts --------------------------------------------------------

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
        self.run(|p, tx| {
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
        self.run(|p, tx| {
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

    // ----- notes -----------------------------------------------------------

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
        super::contact::check_length(&mut errors, Field::Note, text, MAX_NOTE_CHARS);
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
        self.run(|p, tx| {
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

    // ----- integrity -------------------------------------------------------

    /// Checks every rule that links records together. Any failure names the
    /// records involved.
    ///
    /// - each list is sorted by id without duplicates; ids are unique across
    ///   kinds and below `next_id`;
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
    fn inconsistency(&self) -> Option<Inconsistency> {
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
        if let Some(&max) = all_ids.last() {
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

/// Appends `text` in lower case (ASCII without per-char work).
fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::ContactKind;
    use crate::domain::lead::LeadStatusKind;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn person(name: &str, org: &str) -> ContactFields {
        ContactDraft {
            name: name.into(),
            organisation: org.into(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn json(p: &Pipeline) -> String {
        crate::domain::stored::to_json(p)
    }

    fn qualified_lead(p: &mut Pipeline, c: ContactId) -> LeadId {
        let l = p.make_lead(c, t(10)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, t(11)).unwrap();
        }
        p.qualify(l, t(12)).unwrap();
        l
    }

    fn priced(p: &mut Pipeline, o: OpportunityId, minor: i64, c: Currency) {
        let terms = DealTerms {
            amount: Some(Money::new(minor, c)),
            currency: c,
            ..DealTerms::default()
        };
        p.update_terms(o, terms, t(20)).unwrap();
    }

    /// Ada with a qualified lead converted to a priced opportunity.
    fn with_deal() -> (Pipeline, ContactId, LeadId, OpportunityId) {
        let mut p = Pipeline::new();
        let c = p
            .add_contact(person("Ada Lovelace", "Analytical AS"), t(0))
            .unwrap();
        let l = qualified_lead(&mut p, c);
        let o = p.convert_lead(l, "Engine", t(13)).unwrap();
        priced(&mut p, o, 1_000_000, Currency::NOK);
        (p, c, l, o)
    }

    #[test]
    fn the_language_is_a_stored_setting_that_can_be_undone() {
        use crate::domain::stored::{from_json, to_json};
        let mut p = Pipeline::new();
        let unset = to_json(p.data());
        assert!(!unset.contains("language"), "unset is not written: {unset}");
        assert_eq!(p.language(), None);

        p.set_language(Some(Language::Nb)).unwrap();
        assert_eq!(p.language(), Some(Language::Nb));
        let stored = to_json(p.data());
        assert!(stored.contains(r#""language":"nb""#), "{stored}");
        let back: PipelineData = from_json(&stored).unwrap();
        assert_eq!(back.language, Some(Language::Nb));
        assert_eq!(
            p.undo_label().map(|l| l.action),
            Some(UndoAction::SetLanguage)
        );

        // Choosing the same again is no change and no undo step.
        let steps = p.undo.len();
        p.set_language(Some(Language::Nb)).unwrap();
        assert_eq!(p.undo.len(), steps);

        p.undo().unwrap();
        assert_eq!(p.language(), None);
        assert_eq!(to_json(p.data()), unset);

        // A language this version does not speak follows the browser
        // instead of making the whole pipeline unreadable.
        let unknown = r#"{"next_id":1,"language":"de"}"#;
        let data: PipelineData = from_json(unknown).unwrap();
        assert_eq!(data.language, None);
    }

    #[test]
    fn contacts_are_added_updated_and_undone() {
        let mut p = Pipeline::new();
        let empty = json(&p);
        let c = p.add_contact(person("Ada Lovelace", ""), t(0)).unwrap();
        assert_eq!(c, ContactId(1));
        assert_eq!(
            p.undo_label().unwrap().to_string(),
            "Added contact Ada Lovelace"
        );
        let before_edit = json(&p);
        let mut f = p.contact(c).unwrap().fields();
        assert!(!p.update_contact(c, f.clone(), t(1)).unwrap());
        assert_eq!(
            p.undo_label().unwrap().action,
            UndoAction::AddContact,
            "no-op makes no step"
        );
        f.title = "Countess".into();
        assert!(p.update_contact(c, f, t(2)).unwrap());
        assert_eq!(p.contact(c).unwrap().updated_at(), t(2));
        assert_eq!(p.undo().unwrap().to_string(), "Edited contact Ada Lovelace");
        assert_eq!(json(&p), before_edit);
        p.undo().unwrap();
        assert_eq!(json(&p), empty);
        assert_eq!(p.undo().unwrap_err(), DomainError::NothingToUndo);
    }

    #[test]
    fn invalid_fields_are_refused_even_without_a_form() {
        let mut p = Pipeline::new();
        let bad = ContactFields {
            name: "  ".into(),
            website: "javascript:alert(1)".into(),
            ..ContactFields::default()
        };
        match p.add_contact(bad, t(0)).unwrap_err() {
            DomainError::Invalid(e) => {
                assert_eq!(e.message(Field::Name).as_deref(), Some("Name is required"));
                assert!(e.get(Field::Website).is_some());
            }
            other => panic!("{other}"),
        }
        assert!(p.contacts().is_empty());
        assert_eq!(p.next_id(), 1, "a refused command allocates nothing");
        assert!(!p.can_undo());
    }

    #[test]
    fn custom_sources_are_registered_and_guarded() {
        let mut p = Pipeline::new();
        let mut f = person("Ada", "");
        f.source = Source::Custom("Podcast".into());
        let c = p.add_contact(f.clone(), t(0)).unwrap();
        assert_eq!(p.custom_sources(), ["Podcast".to_owned()]);
        f.source = Source::Custom("podcast".into());
        p.add_contact(f, t(1)).unwrap();
        assert_eq!(p.custom_sources().len(), 1, "matched ignoring case");
        assert_eq!(p.contacts()[1].source, Source::Custom("Podcast".into()));
        assert_eq!(
            p.remove_source("Podcast").unwrap_err().to_string(),
            "The source “Podcast” cannot be removed: 2 contact(s) use it"
        );
        assert!(matches!(
            p.add_source("podcast"),
            Err(DomainError::SourceExists(_))
        ));
        assert!(matches!(
            p.add_source("Referral"),
            Err(DomainError::SourceExists(_))
        ));
        p.add_source("Newsletter").unwrap();
        p.remove_source("newsletter").unwrap();
        p.undo().unwrap();
        assert_eq!(p.sources().len(), Source::BUILT_IN.len() + 2);
        p.undo().unwrap();
        p.undo().unwrap();
        p.undo().unwrap();
        assert!(
            p.custom_sources().is_empty(),
            "undo of the first add removes the source"
        );
        assert!(p.contact(c).is_none());
    }

    #[test]
    fn one_active_lead_per_contact() {
        let mut p = Pipeline::new();
        let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
        let l = p.make_lead(c, t(1)).unwrap();
        assert_eq!(
            p.make_lead(c, t(2)).unwrap_err().to_string(),
            "Ada already has an active lead: work on that one, or disqualify it first"
        );
        p.disqualify(l, DisqualifyReason::BadTiming, "", t(3))
            .unwrap();
        let l2 = p.make_lead(c, t(4)).unwrap();
        assert_eq!(p.lead_for_contact(c).unwrap().id, l2);
        assert_eq!(p.leads_for_contact(c).count(), 2);
        assert!(matches!(
            p.reopen_lead(l, t(5)),
            Err(DomainError::LeadExists { .. })
        ));
        assert!(matches!(
            p.make_lead(ContactId(99), t(5)),
            Err(DomainError::NotFound {
                kind: RecordKind::Contact,
                id: 99
            })
        ));
    }

    #[test]
    fn lead_commands_delegate_and_record() {
        let mut p = Pipeline::new();
        let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
        let l = p.make_lead(c, t(1)).unwrap();
        p.mark_contacted(l, t(2)).unwrap();
        assert_eq!(
            p.undo_label().unwrap().to_string(),
            "Marked Ada as contacted"
        );
        assert!(matches!(
            p.qualify(l, t(3)),
            Err(DomainError::GateNotMet { .. })
        ));
        assert_eq!(p.undo_label().unwrap().action, UndoAction::MarkContacted);
        p.update_lead(l, BuyingRole::DecisionMaker, "CRM", t(4))
            .unwrap();
        p.set_timeline_date(l, Some(day(30)), t(4)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, t(5)).unwrap();
        }
        p.qualify(l, t(6)).unwrap();
        assert_eq!(p.lead(l).unwrap().score(), 80);
        p.set_criterion(l, Criterion::Timeline, false, t(7))
            .unwrap();
        assert_eq!(p.lead(l).unwrap().status, LeadStatus::Contacted);
        assert_eq!(
            p.undo().unwrap().to_string(),
            "Changed the checklist of Ada"
        );
        assert_eq!(p.lead(l).unwrap().status, LeadStatus::Qualified);
        p.disqualify(l, DisqualifyReason::NoBudget, "cut", t(8))
            .unwrap();
        p.reopen_lead(l, t(9)).unwrap();
        assert_eq!(p.lead(l).unwrap().status, LeadStatus::Contacted);
    }

    #[test]
    fn convert_only_a_qualified_lead_and_link_both_ways() {
        let mut p = Pipeline::new();
        let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
        let l = p.make_lead(c, t(1)).unwrap();
        assert_eq!(
            p.convert_lead(l, "", t(2)).unwrap_err().to_string(),
            "Only a qualified lead can be converted to an opportunity (this lead is New)"
        );
        p.mark_contacted(l, t(2)).unwrap();
        assert!(matches!(
            p.convert_lead(l, "", t(2)),
            Err(DomainError::NotQualified { .. })
        ));
        p.disqualify(l, DisqualifyReason::Other, "", t(2)).unwrap();
        assert!(matches!(
            p.convert_lead(l, "", t(2)),
            Err(DomainError::NotQualified { .. })
        ));
        p.reopen_lead(l, t(3)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, t(4)).unwrap();
        }
        p.qualify(l, t(5)).unwrap();
        p.update_lead(l, BuyingRole::Advisor, "Website", t(5))
            .unwrap();
        p.set_default_currency(Currency::EUR).unwrap();
        let before = json(&p);
        let o = p.convert_lead(l, "  ", t(6)).unwrap();
        let opp = p.opportunity(o).unwrap();
        assert_eq!(opp.name, "Ada: Website");
        assert_eq!(opp.lead, Some(l));
        assert_eq!(opp.contact, c);
        assert_eq!(opp.stage(), Stage::NeedsAnalysis);
        assert_eq!(opp.terms.currency, Currency::EUR);
        assert_eq!(p.lead(l).unwrap().opportunity(), Some(o));
        assert_eq!(p.opportunities_for_contact(c).count(), 1);
        p.check_integrity().unwrap();

        // The converted lead is read-only.
        let frozen = json(&p);
        assert_eq!(
            p.convert_lead(l, "", t(7)).unwrap_err(),
            DomainError::LeadConverted
        );
        assert_eq!(
            p.set_criterion(l, Criterion::Need, false, t(7))
                .unwrap_err(),
            DomainError::LeadConverted
        );
        assert!(p.update_lead(l, BuyingRole::User, "", t(7)).is_err());
        assert!(p.disqualify(l, DisqualifyReason::Other, "", t(7)).is_err());
        assert!(p.add_note(RecordRef::Lead(l), "hi", t(7)).is_err());
        assert_eq!(json(&p), frozen);

        assert_eq!(
            p.undo().unwrap().to_string(),
            "Converted Ada to an opportunity"
        );
        assert_eq!(json(&p), before);
        assert!(p.convert_lead(l, &"x".repeat(201), t(8)).is_err());
    }

    #[test]
    fn won_creates_an_account_and_later_wins_extend_it() {
        let (mut p, ada, _, o) = with_deal();
        let before = json(&p);
        let a = p.mark_won(o, day(5), t(30)).unwrap();
        let acc = p.account(a).unwrap();
        assert_eq!(acc.name, "Analytical AS");
        assert_eq!(acc.contact, ada);
        assert_eq!(acc.contacts, vec![ada]);
        assert_eq!(acc.customer_since, day(5));
        assert_eq!(acc.won_deals, vec![o]);
        assert_eq!(p.opportunity(o).unwrap().account, Some(a));
        assert_eq!(p.account_for_contact(ada).unwrap().id, a);
        assert_eq!(p.undo_label().unwrap().to_string(), "Marked Engine as won");

        // A colleague from the same organisation joins the same account.
        let bob = p
            .add_contact(person("Bob", "analytical as"), t(40))
            .unwrap();
        let lb = qualified_lead(&mut p, bob);
        let ob = p.convert_lead(lb, "Support", t(41)).unwrap();
        priced(&mut p, ob, 500, Currency::EUR);
        assert_eq!(p.mark_won(ob, day(6), t(42)).unwrap(), a);
        assert_eq!(p.account(a).unwrap().contacts, vec![ada, bob]);

        // Repeat business opened for the account.
        let or = p.open_opportunity_for_account(a, "Renewal", t(50)).unwrap();
        assert_eq!(p.opportunity(or).unwrap().contact, ada);
        assert_eq!(p.opportunities_for_account(a).count(), 3);
        priced(&mut p, or, 250_000, Currency::NOK);
        p.mark_won(or, day(7), t(51)).unwrap();
        assert_eq!(
            p.lifetime_value(a),
            vec![
                Money::new(1_250_000, Currency::NOK),
                Money::new(500, Currency::EUR)
            ]
        );
        assert_eq!(p.accounts().len(), 1);
        assert!(p.open_opportunity_for_account(a, " ", t(52)).is_err());
        assert!(p
            .open_opportunity_for_account(AccountId(999), "x", t(52))
            .is_err());
        p.check_integrity().unwrap();

        // Reopening a won deal takes it out of the lifetime value.
        assert_eq!(
            p.reopen_opportunity(or, t(60)).unwrap(),
            Stage::NeedsAnalysis
        );
        assert_eq!(
            p.lifetime_value(a),
            vec![
                Money::new(1_000_000, Currency::NOK),
                Money::new(500, Currency::EUR)
            ]
        );
        p.check_integrity().unwrap();
        for _ in 0..14 {
            p.undo().unwrap();
        }
        assert_eq!(json(&p), before);
    }

    #[test]
    fn a_person_without_organisation_becomes_a_private_customer() {
        let mut p = Pipeline::new();
        let c = p.add_contact(person("Grace", ""), t(0)).unwrap();
        let l = qualified_lead(&mut p, c);
        let o = p.convert_lead(l, "x", t(1)).unwrap();
        priced(&mut p, o, 100, Currency::NOK);
        let a = p.mark_won(o, day(1), t(2)).unwrap();
        assert_eq!(p.account(a).unwrap().name, "Grace");
        let mut f = p.contact(c).unwrap().fields();
        f.kind = ContactKind::Organisation;
        p.update_contact(c, f, t(3)).unwrap();
    }

    #[test]
    fn refused_closing_changes_nothing() {
        let mut p = Pipeline::new();
        let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
        let l = qualified_lead(&mut p, c);
        let o = p.convert_lead(l, "x", t(1)).unwrap();
        let before = json(&p);
        assert_eq!(
            p.mark_won(o, day(1), t(2)).unwrap_err(),
            DomainError::AmountRequired
        );
        assert_eq!(json(&p), before);
        assert_eq!(p.undo_label().unwrap().action, UndoAction::ConvertLead);
        assert_eq!(
            p.move_stage(o, Stage::Won, t(2)).unwrap_err(),
            DomainError::CloseWithMarkWonOrLost
        );
        assert_eq!(
            p.set_probability(o, Some(101), t(2))
                .unwrap_err()
                .to_string(),
            "Probability must be a whole number from 0 to 100 (got 101)"
        );
        assert_eq!(json(&p), before);
    }

    #[test]
    fn opportunity_commands_and_their_undo() {
        let (mut p, _, _, o) = with_deal();
        let start = json(&p);
        let mut snapshots = vec![];
        let mut step = |p: &mut Pipeline, f: &dyn Fn(&mut Pipeline)| {
            snapshots.push(json(p));
            f(p);
        };
        step(&mut p, &|p| {
            assert!(p.move_stage(o, Stage::Negotiation, t(21)).unwrap())
        });
        step(&mut p, &|p| {
            assert!(p.set_probability(o, Some(55), t(22)).unwrap())
        });
        step(&mut p, &|p| {
            assert!(p.rename_opportunity(o, "Big engine", t(23)).unwrap())
        });
        step(&mut p, &|p| {
            p.add_note(RecordRef::Opportunity(o), "Call Tuesday", t(24))
                .unwrap()
        });
        step(&mut p, &|p| {
            p.mark_lost(o, LostReason::Price, "too dear", day(3), t(25))
                .unwrap()
        });
        step(&mut p, &|p| {
            p.add_note(RecordRef::Opportunity(o), "Closed, noted", t(26))
                .unwrap()
        });
        step(&mut p, &|p| {
            assert_eq!(p.reopen_opportunity(o, t(27)).unwrap(), Stage::Negotiation)
        });
        assert_eq!(p.opportunity(o).unwrap().probability(), 55);
        let labels = [
            "Reopened opportunity Big engine",
            "Added a note to Big engine",
            "Marked Big engine as lost",
            "Added a note to Big engine",
            "Edited opportunity Engine",
            "Edited opportunity Engine",
            "Moved Engine",
        ];
        for label in labels {
            assert_eq!(p.undo().unwrap().to_string(), label);
            assert_eq!(json(&p), snapshots.pop().unwrap());
        }
        assert_eq!(json(&p), start);
    }

    #[test]
    fn delete_is_refused_while_a_deal_is_open_or_won() {
        let (mut p, ada, _, o) = with_deal();
        assert_eq!(
            p.delete_contact(ada, t(30)).unwrap_err().to_string(),
            "Ada Lovelace cannot be deleted: they have the open opportunity “Engine” (mark it won or lost first)"
        );
        p.mark_won(o, day(1), t(31)).unwrap();
        assert_eq!(
            p.delete_contact(ada, t(32)).unwrap_err().to_string(),
            "Ada Lovelace cannot be deleted: the won deal “Engine” is theirs"
        );
        p.reopen_opportunity(o, t(33)).unwrap();
        p.mark_lost(o, LostReason::Timing, "", day(2), t(34))
            .unwrap();
        assert_eq!(
            p.delete_contact(ada, t(35)).unwrap_err().to_string(),
            "Ada Lovelace cannot be deleted: they are the main contact of the customer “Analytical AS”"
        );
        assert!(p.delete_blocker(ada).is_some());
    }

    #[test]
    fn delete_cascades_to_leads_and_lost_deals_and_undo_restores_all() {
        let (mut p, ada, l, o) = with_deal();
        // Ada also sits on Bob's account.
        let bob = p.add_contact(person("Bob", "Other AS"), t(40)).unwrap();
        let lb = qualified_lead(&mut p, bob);
        let ob = p.convert_lead(lb, "B", t(41)).unwrap();
        priced(&mut p, ob, 100, Currency::NOK);
        let acc = p.mark_won(ob, day(1), t(42)).unwrap();
        p.mark_lost(o, LostReason::Price, "", day(2), t(43))
            .unwrap();
        p.add_contact_to_account(acc, ada, t(44)).unwrap();
        let before = json(&p);

        p.delete_contact(ada, t(45)).unwrap();
        assert!(p.contact(ada).is_none());
        assert!(p.lead(l).is_none());
        assert!(p.opportunity(o).is_none());
        assert_eq!(p.account(acc).unwrap().contacts, vec![bob]);
        assert!(p.lead_for_contact(ada).is_none());
        p.check_integrity().unwrap();
        assert_eq!(
            p.undo().unwrap().to_string(),
            "Deleted contact Ada Lovelace"
        );
        assert_eq!(json(&p), before);
        assert_eq!(p.lead_for_contact(ada).unwrap().id, l, "index restored too");

        // A contact with only a lead goes with it.
        let c = p.add_contact(person("Cy", ""), t(50)).unwrap();
        let lc = p.make_lead(c, t(51)).unwrap();
        p.delete_contact(c, t(52)).unwrap();
        assert!(p.lead(lc).is_none());
        p.check_integrity().unwrap();
    }

    #[test]
    fn accounts_membership_and_main_contact() {
        let (mut p, ada, _, o) = with_deal();
        let a = p.mark_won(o, day(1), t(30)).unwrap();
        let bob = p.add_contact(person("Bob", ""), t(31)).unwrap();
        assert!(p.set_primary_contact(a, bob, t(32)).is_err());
        assert!(p.add_contact_to_account(a, bob, t(33)).unwrap());
        assert!(!p.add_contact_to_account(a, bob, t(33)).unwrap());
        assert!(p.set_primary_contact(a, bob, t(34)).unwrap());
        assert_eq!(p.account(a).unwrap().contacts, vec![bob, ada]);
        let o2 = p.open_opportunity_for_account(a, "Renewal", t(35)).unwrap();
        assert_eq!(p.opportunity(o2).unwrap().contact, bob);
        p.check_integrity().unwrap();
    }

    #[test]
    fn notes_go_into_history() {
        let (mut p, ada, _, o) = with_deal();
        p.add_note(RecordRef::Contact(ada), "  Likes tea ", t(30))
            .unwrap();
        assert_eq!(
            p.contact(ada)
                .unwrap()
                .history
                .entries()
                .last()
                .unwrap()
                .event,
            Event::Note {
                text: "Likes tea".into()
            }
        );
        assert_eq!(
            p.undo_label().unwrap().to_string(),
            "Added a note to Ada Lovelace"
        );
        let e = p
            .add_note(RecordRef::Opportunity(o), "   ", t(31))
            .unwrap_err();
        assert_eq!(e.to_string(), "Please correct the form: Write a note first");
        assert!(p
            .add_note(RecordRef::Account(AccountId(77)), "x", t(31))
            .is_err());
        let a = p.mark_won(o, day(1), t(32)).unwrap();
        p.add_note(RecordRef::Account(a), "Signed!", t(33)).unwrap();
    }

    #[test]
    fn undo_keeps_the_last_fifty_steps() {
        let mut p = Pipeline::new();
        for i in 0..60 {
            p.add_contact(person(&format!("C{i}"), ""), t(i)).unwrap();
        }
        let mut n = 0;
        while p.undo().is_ok() {
            n += 1;
        }
        assert_eq!(n, UNDO_DEPTH);
        assert_eq!(p.contacts().len(), 10);
        assert!(!p.can_undo());
        assert!(p.undo_label().is_none());
    }

    #[test]
    fn import_replaces_everything_as_one_undoable_step() {
        let (mut p, ..) = with_deal();
        let before = json(&p);
        let other = crate::domain::sample::generate(3, 50, 20, day(20));
        p.import(other.data().clone(), "backup.json").unwrap();
        assert_eq!(p.contacts().len(), 50);
        assert_eq!(p.undo_label().unwrap().to_string(), "Imported backup.json");
        p.undo().unwrap();
        assert_eq!(json(&p), before);
        let mut broken = other.data().clone();
        broken.leads[0].contact = ContactId(9_999);
        assert!(matches!(
            p.import(broken, "bad"),
            Err(DomainError::Integrity(_))
        ));
        assert_eq!(json(&p), before);
    }

    #[test]
    fn records_stored_out_of_order_load_in_id_order() {
        let p = crate::domain::sample::generate(9, 60, 25, day(20));
        let mut data = p.data().clone();
        data.contacts.reverse();
        data.leads.swap(0, 7);
        data.opportunities.rotate_left(5);
        data.accounts.reverse();
        let back = Pipeline::from_data(data).unwrap();
        assert!(back == p);
        assert_eq!(json(&back), json(&p));
    }

    #[test]
    fn stored_form_round_trips_and_broken_data_is_refused() {
        let p = crate::domain::sample::generate(5, 200, 80, day(20));
        let text = json(&p);
        let back: Pipeline = crate::domain::stored::from_json(&text).unwrap();
        assert!(back == p);
        assert_eq!(json(&back), text);
        for c in p.contacts() {
            let mine: Vec<LeadId> = p.leads_for_contact(c.id).map(|l| l.id).collect();
            let theirs: Vec<LeadId> = back.leads_for_contact(c.id).map(|l| l.id).collect();
            assert_eq!(mine, theirs);
        }

        type Breakage = Box<dyn Fn(&mut PipelineData)>;
        let breakages: Vec<(&str, Breakage)> = vec![
            (
                "dangling lead",
                Box::new(|d| d.leads[0].contact = ContactId(1_000_000)),
            ),
            (
                "duplicate id",
                Box::new(|d| {
                    let c = d.contacts[0].clone();
                    d.contacts.push(c);
                }),
            ),
            (
                "id clash across kinds",
                Box::new(|d| d.leads[0].id = LeadId(d.contacts[0].id.0)),
            ),
            ("next id too low", Box::new(|d| d.next_id = 2)),
            (
                "unregistered source",
                Box::new(|d| d.custom_sources.clear()),
            ),
            (
                "one-way conversion",
                Box::new(|d| {
                    let i = d
                        .opportunities
                        .iter()
                        .position(|o| o.lead.is_some())
                        .unwrap();
                    d.opportunities[i].lead = None;
                }),
            ),
            (
                "won not on account",
                Box::new(|d| {
                    for a in &mut d.accounts {
                        a.won_deals.clear();
                    }
                }),
            ),
            (
                "main contact missing",
                Box::new(|d| d.accounts[0].contacts.clear()),
            ),
            (
                "probability",
                Box::new(|d| d.opportunities[0].terms.probability_override = Some(200)),
            ),
            (
                "two active leads",
                Box::new(|d| {
                    let c = d.leads[0].contact;
                    let mut extra = d.leads[0].clone();
                    extra.id = LeadId(d.next_id);
                    extra.status = LeadStatus::New;
                    d.next_id += 1;
                    d.leads.push(extra);
                    let first = d.leads.iter_mut().find(|l| l.contact == c).unwrap();
                    first.status = LeadStatus::Contacted;
                }),
            ),
        ];
        for (what, breakage) in breakages {
            let mut d = p.data().clone();
            breakage(&mut d);
            let err = Pipeline::from_data(d.clone()).err();
            assert!(
                matches!(err, Some(DomainError::Integrity(_))),
                "{what}: {err:?}"
            );
            let text = crate::domain::stored::to_json(&d);
            assert!(
                crate::domain::stored::from_json::<Pipeline>(&text).is_err(),
                "{what}"
            );
        }
    }

    #[test]
    fn an_id_used_by_two_kinds_of_record_is_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let p = super::super::sample::generate(3, 40, 10, today);
        let mut checked = 0;
        for clash in [0, 5, 39] {
            let mut data = p.data().clone();
            let id = data.contacts[clash].id.0;
            // Still in order among the leads, so only the clash is wrong.
            let lead = data.leads.iter().position(|l| l.id.0 > id).unwrap_or(0);
            if lead > 0 && data.leads[lead - 1].id.0 >= id {
                continue;
            }
            data.leads[lead].id = LeadId(id);
            let message = match Pipeline::from_data(data) {
                Err(DomainError::Integrity(m)) => m,
                other => panic!("{other:?}"),
            };
            assert_eq!(message, Inconsistency::NumberTwice(id));
            checked += 1;
        }
        assert!(checked > 0);
        assert_eq!(
            merge_sorted(&[1, 4, 9], &[2, 4, 10, 11]),
            [1, 2, 4, 4, 9, 10, 11]
        );
        assert_eq!(merge_sorted(&[], &[3]), [3]);
    }

    #[test]
    fn search_matches_name_organisation_and_email_ignoring_case() {
        let mut p = Pipeline::new();
        let ada = p
            .add_contact(person("Ada Lovelace", "Analytical Engines AS"), t(0))
            .unwrap();
        let oy = p
            .add_contact(person("Øystein Ødegård", "Fjord Data"), t(1))
            .unwrap();
        let mut f = person("Grace Hopper", "");
        f.email = "grace@navy.mil".into();
        let grace = p.add_contact(f, t(2)).unwrap();
        assert_eq!(p.search_contacts("ada"), vec![ada]);
        assert_eq!(p.search_contacts("ENGINES"), vec![ada]);
        assert_eq!(p.search_contacts("navy.MIL"), vec![grace]);
        assert_eq!(p.search_contacts("ødegÅrd"), vec![oy]);
        assert_eq!(p.search_contacts("ØDEGÅRD"), vec![oy]);
        assert_eq!(p.search_contacts("lovelace analytical"), vec![ada]);
        assert_eq!(p.search_contacts("lovelace fjord"), vec![]);
        assert_eq!(p.search_contacts("  "), vec![ada, oy, grace]);
        assert_eq!(p.search_contacts("a").len(), 3);
    }

    #[test]
    fn lookups_of_missing_records_say_so() {
        let mut p = Pipeline::new();
        assert_eq!(
            p.mark_contacted(LeadId(4), t(0)).unwrap_err().to_string(),
            "There is no lead with number 4 (it may have been deleted)"
        );
        assert!(p
            .move_stage(OpportunityId(4), Stage::Proposal, t(0))
            .is_err());
        assert!(p
            .update_contact(ContactId(4), ContactFields::default(), t(0))
            .is_err());
        assert!(p.delete_contact(ContactId(4), t(0)).is_err());
        assert!(p.lifetime_value(AccountId(4)).is_empty());
        assert!(!p.can_undo());
        assert_eq!(LeadStatusKind::ALL.len(), 5);
    }

    #[test]
    fn leads_are_found_by_contact_name_or_organisation_and_status() {
        let mut p = Pipeline::new();
        let ada = p
            .add_contact(person("Ada Lovelace", "Analytical Engines"), t(0))
            .unwrap();
        let oy = p
            .add_contact(person("Øystein Ødegård", "Fjord AS"), t(0))
            .unwrap();
        let grace = p.add_contact(person("Grace Hopper", "Navy"), t(0)).unwrap();
        let _not_a_lead = p.add_contact(person("Alan Turing", "Bletchley"), t(0));
        let la = p.make_lead(ada, t(1)).unwrap();
        let lo = p.make_lead(oy, t(1)).unwrap();
        let lg = qualified_lead(&mut p, grace);
        p.mark_contacted(lo, t(2)).unwrap();

        assert_eq!(p.search_leads("", None), vec![la, lo, lg]);
        assert_eq!(p.search_leads("  ", None), vec![la, lo, lg]);
        assert_eq!(p.search_leads("ENGINES", None), vec![la]);
        assert_eq!(p.search_leads("ødegÅrd fjord", None), vec![lo]);
        assert_eq!(p.search_leads("turing", None), vec![], "not a lead");
        assert_eq!(
            p.search_leads("hopper@", None),
            vec![],
            "email is not searched"
        );
        assert_eq!(p.search_leads("a", Some(LeadStatusKind::New)), vec![la]);
        assert_eq!(
            p.search_leads("", Some(LeadStatusKind::Qualified)),
            vec![lg]
        );
        assert_eq!(p.search_leads("navy", Some(LeadStatusKind::New)), vec![]);
        p.disqualify(la, DisqualifyReason::NoNeed, "", t(3))
            .unwrap();
        assert_eq!(
            p.search_leads("", Some(LeadStatusKind::Disqualified)),
            vec![la]
        );
        let o = p.convert_lead(lg, "", t(4)).unwrap();
        assert_eq!(
            p.search_leads("grace", Some(LeadStatusKind::Converted)),
            vec![lg]
        );
        assert_eq!(p.lead(lg).unwrap().opportunity(), Some(o));
    }
}
