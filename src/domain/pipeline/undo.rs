//! Undo: every command runs as one transaction that keeps the before-images
//! of the records it touches; undoing puts them back.

use super::*;

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
    Merge,
    AddSample,
    RemoveSample,
}

impl UndoAction {
    /// Every action, for tests that walk them all.
    pub const ALL: [UndoAction; 27] = [
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
        UndoAction::Merge,
        UndoAction::AddSample,
        UndoAction::RemoveSample,
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
            UndoAction::Merge => write!(f, "Merged {s}"),
            UndoAction::AddSample => f.write_str("Added sample data"),
            UndoAction::RemoveSample => f.write_str("Removed sample data"),
        }
    }
}

#[derive(Clone, Debug)]
pub(in crate::domain) enum Before {
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
pub(in crate::domain) struct Step {
    pub(super) label: UndoLabel,
    pub(super) before: Vec<Before>,
    pub(super) next_id: u64,
}

/// What a command collects while it runs: the before-images and its label.
pub(in crate::domain) struct Tx {
    pub(super) before: Vec<Before>,
    /// The records already in `before`: a set, so a command that touches
    /// 200,000 records stays linear.
    pub(super) saved: std::collections::HashSet<(RecordKind, u64)>,
    pub(super) next_id: u64,
    pub(super) label: Option<UndoLabel>,
    /// The wall time the command was given, for its change clock.
    pub(super) now: Option<DateTime<Utc>>,
}

impl Tx {
    fn new(next_id: u64) -> Tx {
        Tx {
            before: Vec::new(),
            saved: Default::default(),
            next_id,
            label: None,
            now: None,
        }
    }

    /// Tells the transaction the command's time (see [`Pipeline::run_at`]).
    pub(in crate::domain) fn at(&mut self, now: DateTime<Utc>) {
        self.now = Some(now);
    }

    pub(in crate::domain) fn label(&mut self, action: UndoAction, subject: impl Into<String>) {
        self.label = Some(UndoLabel::new(action, subject));
    }
}

impl Pipeline {
    /// How many changes commands and Undo have made: equal before and
    /// after a command that changed nothing.
    pub fn changes(&self) -> u64 {
        self.changes.count()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// What [`Pipeline::undo`] would revert.
    pub fn undo_label(&self) -> Option<&UndoLabel> {
        self.undo.back().map(|s| &s.label)
    }

    /// Reverts the last change and says what it was.
    pub fn undo(&mut self) -> Result<UndoLabel, DomainError> {
        self.undo_step(None)
    }

    /// [`Pipeline::undo`] at `now`: taking a change back is itself a change,
    /// newer than what it takes back (an undone delete wins over the
    /// tombstone another device may already hold).
    pub fn undo_at(&mut self, now: DateTime<Utc>) -> Result<UndoLabel, DomainError> {
        self.undo_step(Some(now))
    }

    fn undo_step(&mut self, now: Option<DateTime<Utc>>) -> Result<UndoLabel, DomainError> {
        let step = self.undo.pop_back().ok_or(DomainError::NothingToUndo)?;
        let mut current = self.images_of(&step.before);
        // On a device a number once handed out is never handed out again: a
        // record made and undone may already live on another device.
        let next_id = match self.data.device {
            Some(_) => step.next_id.max(self.data.next_id),
            None => step.next_id,
        };
        self.changes.record(&step.before);
        self.restore(step.before, next_id);
        self.stamp(&mut current, now);
        Ok(step.label)
    }

    /// Before-images of what `before` names, as it is now.
    fn images_of(&self, before: &[Before]) -> Vec<Before> {
        before
            .iter()
            .map(|b| match b {
                Before::Contact(id, _) => Before::Contact(*id, self.get(*id).cloned()),
                Before::Lead(id, _) => Before::Lead(*id, self.get(*id).cloned()),
                Before::Opportunity(id, _) => Before::Opportunity(*id, self.get(*id).cloned()),
                Before::Account(id, _) => Before::Account(*id, self.get(*id).cloned()),
                Before::CustomSources(_) => Before::CustomSources(self.data.custom_sources.clone()),
                Before::DefaultCurrency(_) => Before::DefaultCurrency(self.data.default_currency),
                Before::Language(_) => Before::Language(self.data.language),
                // Putting a whole pipeline back is not a change of its own.
                Before::Everything(_) => Before::Everything(Box::default()),
            })
            .collect()
    }

    /// Forgets every undo step (e.g. after loading another tab's changes).
    pub fn clear_undo(&mut self) {
        self.undo.clear();
    }

    pub(in crate::domain) fn run<T>(
        &mut self,
        command: impl FnOnce(&mut Pipeline, &mut Tx) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        self.run_tx(self.open_tx(), command)
    }

    /// [`Pipeline::run`] for a command given the time: its changes are
    /// stamped with a clock reading no earlier than `now`.
    pub(in crate::domain) fn run_at<T>(
        &mut self,
        now: DateTime<Utc>,
        command: impl FnOnce(&mut Pipeline, &mut Tx) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let mut tx = self.open_tx();
        tx.at(now);
        self.run_tx(tx, command)
    }

    fn run_tx<T>(
        &mut self,
        mut tx: Tx,
        command: impl FnOnce(&mut Pipeline, &mut Tx) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
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

    /// A transaction for a command that runs in slices (an import).
    pub(in crate::domain) fn open_tx(&self) -> Tx {
        Tx::new(self.data.next_id)
    }

    /// Takes back everything `tx` did so far; `tx` is left empty.
    pub(in crate::domain) fn roll_back(&mut self, tx: &mut Tx) {
        self.restore(std::mem::take(&mut tx.before), tx.next_id);
        tx.saved.clear();
    }

    pub(in crate::domain) fn commit(&mut self, mut tx: Tx) {
        // Records looked at but left as they were are not part of the step.
        tx.before.retain(|b| !self.is_unchanged(b));
        if tx.before.is_empty() && tx.next_id == self.data.next_id {
            return;
        }
        self.stamp(&mut tx.before, tx.now);
        let label = tx
            .label
            .unwrap_or_else(|| UndoLabel::new(UndoAction::UpdateContact, ""));
        self.changes.record(&tx.before);
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(Step {
            label,
            before: tx.before,
            next_id: tx.next_id,
        });
    }

    pub(in crate::domain) fn is_unchanged(&self, b: &Before) -> bool {
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

    pub(in crate::domain) fn restore(&mut self, before: Vec<Before>, next_id: u64) {
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
                    // The clock never goes back.
                    let clock = self.data.clock;
                    self.data = *d;
                    self.data.clock = self.data.clock.max(clock);
                    self.rebuild_index();
                }
            }
        }
        self.data.next_id = next_id;
    }

    /// Makes the record with `id` be `r` (`None`: absent), keeping the list
    /// sorted and the index in step.
    pub(in crate::domain) fn put<T: Record>(&mut self, id: u64, r: Option<T>) {
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

    pub(in crate::domain) fn save<T: Record>(&self, tx: &mut Tx, id: u64) {
        if tx.saved.insert((T::KIND, id)) {
            tx.before.push(T::before(id, self.get::<T>(id).cloned()));
        }
    }

    /// The record, for changing; its before-image is kept for undo.
    pub(in crate::domain) fn touch<T: Record>(
        &mut self,
        tx: &mut Tx,
        id: u64,
    ) -> Result<&mut T, DomainError> {
        let i = position(T::list(self), id).ok_or(DomainError::NotFound { kind: T::KIND, id })?;
        self.save::<T>(tx, id);
        Ok(&mut T::list_mut(self)[i])
    }

    pub(in crate::domain) fn insert<T: Record>(&mut self, tx: &mut Tx, r: T) {
        let id = r.key();
        self.save::<T>(tx, id);
        self.put(id, Some(r));
    }

    pub(in crate::domain) fn remove<T: Record>(&mut self, tx: &mut Tx, id: u64) {
        self.save::<T>(tx, id);
        self.put::<T>(id, None);
    }

    /// The next record number. Refused (and the command with it) when the
    /// numbers are used up, rather than wrapping to 0 and breaking the
    /// pipeline's integrity.
    pub(in crate::domain) fn alloc_id(&mut self) -> Result<u64, DomainError> {
        let number = self.data.next_id;
        let next = number.checked_add(1).ok_or(DomainError::NumbersUsedUp)?;
        let id = match self.data.device {
            // A device's own numbers are the lower half of its ids.
            Some(device) => tagged(
                device.0,
                u32::try_from(number).map_err(|_| DomainError::NumbersUsedUp)?,
            ),
            None => number,
        };
        self.data.next_id = next;
        Ok(id)
    }

    pub(in crate::domain) fn save_sources(&self, tx: &mut Tx) {
        if !tx
            .before
            .iter()
            .any(|b| matches!(b, Before::CustomSources(_)))
        {
            tx.before
                .push(Before::CustomSources(self.data.custom_sources.clone()));
        }
    }

    pub(in crate::domain) fn contact_name(&self, id: ContactId) -> String {
        self.contact(id).map(|c| c.name.clone()).unwrap_or_default()
    }
}
