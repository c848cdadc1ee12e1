//! The app's state, provided once at the root: the pipeline, loaded once at
//! start (a step per task) and saved through one path, and what the user
//! must be told about storage.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::domain::{DomainError, Inconsistency, Pipeline, UndoLabel};
use crate::storage::parts::PipelineParts;
use crate::storage::{
    migrate, LoadOutcome, LoadProblem, Loaded, LocalStore, QuarantineEntry, Quick, Reading,
    SaveScheduler, StorageError, TabSubscription, TabUpdate, Usage, CURRENT_SCHEMA,
    DEFAULT_DELAY_MS,
};
use crate::ui::slices::Slices;

/// Something about the stored data the user needs to know, shown in the
/// banner at the top of every screen until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageNotice {
    /// The stored data could not be loaded and was kept aside under `key`.
    KeptAside { key: String, problem: LoadProblem },
    /// The stored data could not be loaded, and there was no room to copy
    /// it aside: it stays under the app's key, and nothing is saved over it
    /// until the user downloads it and starts fresh.
    CouldNotKeepAside { problem: LoadProblem },
    /// A save was refused because the browser's storage is full.
    QuotaFull,
    /// Another tab changed the pipeline; this tab now shows its version.
    UpdatedFromOtherTab { lost_local_change: bool },
    /// Another tab stored data this tab cannot read; nothing is overwritten.
    OtherTabUnreadable(LoadProblem),
    /// The pipeline was erased in another tab.
    ErasedInOtherTab,
    /// Saving failed for another reason (storage blocked, and so on).
    SaveFailed(StorageError),
    /// A save was refused because the records would not hold together.
    NotSavedInconsistent(Inconsistency),
}

/// The performance measure around reading and decoding the stored pipeline.
/// `sw-register.js` waits for it before installing the service worker.
const LOAD_MEASURE: &str = "leadline-load";

/// The stored-data side of the app: localStorage and the save scheduler.
/// Both hold browser objects, so they live in the local arena.
#[derive(Clone, Copy)]
struct Persistence {
    store: StoredValue<Option<LocalStore>, LocalStorage>,
    scheduler: StoredValue<Option<SaveScheduler>, LocalStorage>,
    tabs: StoredValue<Option<TabSubscription>, LocalStorage>,
}

/// The pipeline and everything that changes it. Components read it with
/// [`AppState::with`] and change it only through [`AppState::run`].
#[derive(Clone, Copy)]
pub struct AppState {
    pipeline: RwSignal<Pipeline>,
    /// True while the stored pipeline is read (see [`AppState::load`]).
    loading: RwSignal<bool>,
    /// The last change that can be undone, for the Undo bar.
    undo: RwSignal<Option<UndoLabel>>,
    notice: RwSignal<Option<StorageNotice>>,
    /// Bumped after each save, so the usage figure in Settings refreshes.
    saves: RwSignal<u64>,
    /// Counts every change of the pipeline, so long work done on a copy
    /// can tell whether the pipeline moved on meanwhile.
    changes: StoredValue<u64>,
    /// This copy adopted its device in this visit and has not stored it yet.
    device_unsaved: StoredValue<bool>,
    persistence: Persistence,
}

/// A copy of the pipeline for long work done a slice at a time (a big
/// import); [`AppState::adopt`] makes the finished copy the pipeline.
pub struct WorkCopy {
    pub pipeline: Pipeline,
    taken_at: u64,
}

/// Why a finished copy was not adopted; the pipeline is as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdoptRefused {
    /// The pipeline changed while the work ran (another tab, Undo).
    ChangedMeanwhile,
    /// The result does not fit in the browser's storage.
    TooLarge,
}

/// The current time, read in one place.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Today's date where the user is (due dates and close dates are local days).
pub fn today() -> chrono::NaiveDate {
    local_day(now())
}

/// The calendar day of `at` where the user is: won and lost deals are closed
/// on the local day of the change.
pub fn local_day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

/// The stored text read into a pipeline, a step per task: the header, the
/// unpacking, each list of records, then the checks.
async fn read_in_steps(raw: &str, slices: &mut Slices) -> Result<Loaded<Pipeline>, LoadProblem> {
    let mut reading = Reading::start(raw, CURRENT_SCHEMA)?;
    slices.yield_to_input().await;
    reading.unpack()?;
    let Some(unpacked) = reading.take_unpacked(migrate::SAME_LAYOUT_SINCE) else {
        // Older data is upgraded and read in one go.
        return reading.finish::<Pipeline, Quick>(
            migrate::STEPS,
            CURRENT_SCHEMA,
            migrate::SAME_LAYOUT_SINCE,
        );
    };
    slices.yield_to_input().await;
    let mut parts = PipelineParts::new(unpacked)?;
    loop {
        slices.yield_to_input().await;
        if parts.read_next()? {
            break;
        }
    }
    Ok(reading.loaded(parts.finish()?))
}

impl AppState {
    /// Provides the state to every component, then loads the stored
    /// pipeline once (see [`AppState::load`]) and wires saving and other
    /// tabs.
    pub fn provide() -> AppState {
        let (store, notice) = match LocalStore::open() {
            Ok(store) => (Some(store), None),
            Err(e) => (None, Some(StorageNotice::SaveFailed(e))),
        };
        let state = AppState {
            pipeline: RwSignal::new(Pipeline::new()),
            loading: RwSignal::new(store.is_some()),
            undo: RwSignal::new(None),
            notice: RwSignal::new(notice),
            saves: RwSignal::new(0),
            changes: StoredValue::new(0),
            device_unsaved: StoredValue::new(false),
            persistence: Persistence {
                store: StoredValue::new_local(store),
                scheduler: StoredValue::new_local(None),
                tabs: StoredValue::new_local(None),
            },
        };
        provide_context(state);
        if state.loading.get_untracked() {
            leptos::task::spawn_local(state.load());
        } else {
            state.start_saving();
        }
        // Ask the browser not to evict the data; its answer changes nothing here.
        leptos::task::spawn_local(async {
            let _ = LocalStore::request_persistence().await;
        });
        state
    }

    /// Reads the stored pipeline a step per task (the text, its header and
    /// unpacking, the records), so the page is drawn and answers input
    /// while a large pipeline is read. Nothing is saved before it is done.
    async fn load(self) {
        let measure = crate::timing::Measure::start(LOAD_MEASURE);
        // The frame of the app is drawn in a task of its own, before the
        // stored text is read and the screen drawn.
        let mut slices = Slices::new();
        slices.yield_to_input().await;
        let store = self.persistence.store;
        let raw = match store.with_value(|s| s.as_ref().map(LocalStore::read)) {
            Some(Ok(raw)) => raw,
            Some(Err(e)) => {
                self.notice.set(Some(StorageNotice::SaveFailed(e)));
                None
            }
            None => None,
        };
        let decoded = match raw.as_deref() {
            Some(raw) => {
                slices.yield_to_input().await;
                Some(read_in_steps(raw, &mut slices).await)
            }
            None => None,
        };
        let outcome = store
            .try_update_value(|s| s.as_mut().map(|s| s.loaded(raw.as_deref(), decoded)))
            .flatten();
        self.show_loaded(outcome);
        self.adopt_device();
        self.loading.set(false);
        self.start_saving();
        measure.end();
    }

    /// Gives this browser's copy of the pipeline its device, once: a random
    /// id and a name from the browser (see [`Pipeline::adopt_device`]). It
    /// is stored with the first change.
    fn adopt_device(&self) {
        if self.pipeline.with_untracked(|p| p.device().is_some()) {
            return;
        }
        // Random enough to keep a handful of devices apart; ids carry it.
        let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        let agent = window().navigator().user_agent().unwrap_or_default();
        let name = crate::domain::default_device_name(&agent);
        self.pipeline
            .update(|p| p.adopt_device(crate::domain::DeviceId::from_random(random), &name, now()));
        self.device_unsaved.set_value(true);
    }

    /// Stores the device this copy adopted, if it is not stored yet: sync
    /// names its replication by the device, which must outlive a reload
    /// even if nothing else changed.
    pub fn keep_device(&self) {
        if self.device_unsaved.get_value() {
            self.device_unsaved.set_value(false);
            self.schedule_save();
        }
    }

    /// Wires the save scheduler and other tabs' changes, once loaded.
    fn start_saving(&self) {
        let state = *self;
        let scheduler = SaveScheduler::new(DEFAULT_DELAY_MS, move || state.save_now());
        self.persistence.scheduler.set_value(Some(scheduler));
        self.listen_to_other_tabs();
    }

    /// Whether the stored pipeline is still being read.
    pub fn loading(&self) -> bool {
        self.loading.get()
    }

    /// Reads the pipeline (tracked: the caller re-runs when it changes).
    pub fn with<R>(&self, f: impl FnOnce(&Pipeline) -> R) -> R {
        self.pipeline.with(f)
    }

    /// Reads the pipeline without subscribing to changes.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Pipeline) -> R) -> R {
        self.pipeline.with_untracked(f)
    }

    /// Runs one domain command. On success the screens update, the change can
    /// be undone, and a save is scheduled; on error nothing changed.
    pub fn run<T>(
        &self,
        command: impl FnOnce(&mut Pipeline, DateTime<Utc>) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        if self.loading.get_untracked() {
            // Nothing is changed before the stored pipeline is there.
            return Err(DomainError::Gone);
        }
        let now = now();
        // A command that changed nothing (a form saved as it was) neither
        // redraws nor saves.
        let mut changed = false;
        let result = self
            .pipeline
            .try_maybe_update(|p| {
                let before = p.changes();
                let result = command(p, now);
                changed = p.changes() != before;
                if changed {
                    self.bump();
                }
                (changed, result)
            })
            .unwrap_or(Err(DomainError::Gone));
        if changed {
            self.changed();
        }
        result
    }

    /// A copy of the pipeline to work on a slice at a time.
    pub fn work_copy(&self) -> WorkCopy {
        WorkCopy {
            pipeline: self.pipeline.get_untracked(),
            taken_at: self.changes.get_value(),
        }
    }

    /// Makes the finished copy the pipeline and saves it at once. Refused,
    /// with nothing changed, if the pipeline changed since the copy was
    /// taken or if the result would not fit in storage.
    pub fn adopt(&self, copy: WorkCopy) -> Result<(), AdoptRefused> {
        if copy.taken_at != self.changes.get_value() {
            return Err(AdoptRefused::ChangedMeanwhile);
        }
        self.bump();
        let before = self
            .pipeline
            .try_update(|p| std::mem::replace(p, copy.pipeline));
        match self.write() {
            Some(Err(StorageError::QuotaExceeded)) => {
                if let Some(before) = before {
                    self.bump();
                    self.pipeline.set(before);
                }
                Err(AdoptRefused::TooLarge)
            }
            saved => {
                if let Some(saved) = saved {
                    self.after_save(saved);
                }
                // Written just now: a second save of the same data would
                // cost as much again (200,000 contacts take most of a second).
                self.shown_changed();
                Ok(())
            }
        }
    }

    /// Undoes the last change.
    pub fn undo(&self) -> Result<UndoLabel, DomainError> {
        let result = self
            .pipeline
            .try_maybe_update(|p| {
                let result = p.undo_at(now());
                if result.is_ok() {
                    self.bump();
                }
                (result.is_ok(), result)
            })
            .unwrap_or(Err(DomainError::Gone));
        if result.is_ok() {
            self.undo.set(None);
            self.schedule_save();
        }
        result
    }

    /// The pipeline's revision: it moves with every change, so work made
    /// from the pipeline can be kept until it does.
    pub fn revision(&self) -> u64 {
        self.changes.get_value()
    }

    /// Moves the revision on. Called before the pipeline's readers are told
    /// of a change, so none of them sees a new pipeline under an old revision.
    fn bump(&self) {
        self.changes.update_value(|n| *n += 1);
    }

    /// The change the Undo bar offers to undo, if any.
    pub fn undo_offer(&self) -> Option<UndoLabel> {
        self.undo.get()
    }

    /// Hides the Undo bar (the change stays undoable from the history).
    pub fn dismiss_undo(&self) {
        self.undo.set(None);
    }

    fn changed(&self) {
        self.shown_changed();
        self.schedule_save();
    }

    /// Offers to undo the change (counting it, before anyone sees the new
    /// pipeline, and saving it are the caller's).
    fn shown_changed(&self) {
        self.undo
            .set(self.pipeline.with_untracked(|p| p.undo_label().cloned()));
    }

    fn schedule_save(&self) {
        self.persistence.scheduler.with_value(|scheduler| {
            if let Some(scheduler) = scheduler {
                scheduler.schedule();
            }
        });
    }

    /// Writes the pipeline now (the scheduler calls this after a pause in
    /// changes, and when the page is hidden or closed).
    fn save_now(&self) {
        if let Some(saved) = self.write() {
            self.after_save(saved);
        }
    }

    /// Writes the pipeline to storage. A pipeline that would not load again
    /// is never written: the last good value stays, the user is told, and
    /// the answer is `None` (nothing was tried).
    fn write(&self) -> Option<Result<(), StorageError>> {
        let pipeline = self.pipeline;
        if let Err(DomainError::Integrity(problem)) =
            pipeline.with_untracked(Pipeline::check_integrity)
        {
            self.notice
                .set(Some(StorageNotice::NotSavedInconsistent(problem)));
            return None;
        }
        let saved = self
            .persistence
            .store
            .try_update_value(|store| match store {
                Some(store) => pipeline
                    .with_untracked(|p| store.save(p, now()))
                    .map(|_| ()),
                None => Err(StorageError::Unavailable),
            })
            .unwrap_or(Err(StorageError::Unavailable));
        Some(saved)
    }

    /// Tells the user what a write did.
    fn after_save(&self, saved: Result<(), StorageError>) {
        match saved {
            Ok(()) => {
                self.device_unsaved.set_value(false);
                // A full-storage warning goes once a save succeeds again.
                if self.notice.get_untracked() == Some(StorageNotice::QuotaFull) {
                    self.notice.set(None);
                }
                self.saves.update(|n| *n += 1);
            }
            Err(StorageError::QuotaExceeded) => self.notice.set(Some(StorageNotice::QuotaFull)),
            // Already explained by the kept-aside notice.
            Err(StorageError::KeptAside) => {}
            Err(StorageError::Conflict { .. }) => self.reload_after_conflict(),
            Err(e) => self.notice.set(Some(StorageNotice::SaveFailed(e))),
        }
    }

    /// Another tab saved first: show its data rather than write over it.
    fn reload_after_conflict(&self) {
        let loaded = self
            .persistence
            .store
            .try_update_value(|store| store.as_mut().map(|s| s.load::<Pipeline>()))
            .flatten();
        if self.show_loaded(loaded) {
            self.undo.set(None);
            self.notice.set(Some(StorageNotice::UpdatedFromOtherTab {
                lost_local_change: true,
            }));
        }
    }

    /// Shows what reading the stored pipeline gave: the pipeline, or what
    /// the user must be told about it. Says whether a pipeline was read.
    fn show_loaded(&self, outcome: Option<Result<LoadOutcome<Pipeline>, StorageError>>) -> bool {
        match outcome {
            Some(Ok(LoadOutcome::Loaded { data, .. })) => {
                self.bump();
                self.pipeline.set(data);
                return true;
            }
            Some(Ok(LoadOutcome::Quarantined {
                key,
                problem,
                copy_failed,
                ..
            })) => self
                .notice
                .set(Some(kept_aside_notice(key, problem, copy_failed))),
            Some(Err(e)) => self.notice.set(Some(StorageNotice::SaveFailed(e))),
            Some(Ok(LoadOutcome::Empty)) | None => {}
        }
        false
    }

    fn listen_to_other_tabs(&self) {
        let state = *self;
        let subscription = self.persistence.store.with_value(|store| {
            store.as_ref().map(|s| {
                s.subscribe_other_tabs::<Pipeline, _>(move |update| state.on_other_tab(update))
            })
        });
        if let Some(Ok(subscription)) = subscription {
            self.persistence.tabs.set_value(Some(subscription));
        }
    }

    fn on_other_tab(&self, update: TabUpdate<Pipeline>) {
        let pending = self
            .persistence
            .scheduler
            .with_value(|s| s.as_ref().is_some_and(|s| s.is_pending()));
        match update {
            TabUpdate::Changed(loaded) => {
                self.persistence.store.update_value(|store| {
                    if let Some(store) = store {
                        store.adopt_revision(loaded.revision);
                    }
                });
                self.bump();
                self.pipeline.set(loaded.data);
                self.undo.set(None);
                // Say what happened, without hiding a notice that still
                // matters (data kept aside, a lost change, a failed save).
                let replaceable = self.notice.with_untracked(|notice| {
                    matches!(
                        notice,
                        None | Some(
                            StorageNotice::UpdatedFromOtherTab {
                                lost_local_change: false
                            } | StorageNotice::ErasedInOtherTab
                        )
                    )
                });
                if pending || replaceable {
                    self.notice.set(Some(StorageNotice::UpdatedFromOtherTab {
                        lost_local_change: pending,
                    }));
                }
            }
            TabUpdate::Unreadable(problem) => self
                .notice
                .set(Some(StorageNotice::OtherTabUnreadable(problem))),
            TabUpdate::Removed => {
                self.persistence.store.update_value(|store| {
                    if let Some(store) = store {
                        store.adopt_revision(0);
                    }
                });
                self.bump();
                self.pipeline.set(Pipeline::new());
                self.undo.set(None);
                self.notice.set(Some(StorageNotice::ErasedInOtherTab));
            }
        }
    }

    /// The current storage notice, if any.
    pub fn notice(&self) -> Option<StorageNotice> {
        self.notice.get()
    }

    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// After the unreadable data that could not be copied aside has been
    /// offered for download: removes it and saves what is on screen.
    pub fn start_fresh(&self) -> Result<(), StorageError> {
        self.persistence
            .store
            .try_update_value(|store| store.as_mut().map(LocalStore::start_fresh))
            .flatten()
            .unwrap_or(Err(StorageError::Unavailable))?;
        self.notice.set(None);
        self.save_now();
        Ok(())
    }

    /// Space used in this browser's storage (refreshes after each save).
    pub fn usage(&self) -> Result<Usage, StorageError> {
        self.saves.track();
        self.persistence
            .store
            .with_value(|store| store.as_ref().map(|s| s.usage()))
            .unwrap_or(Err(StorageError::Unavailable))
    }

    /// The raw text kept aside under `key`, for download.
    pub fn kept_aside_text(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.persistence
            .store
            .with_value(|store| store.as_ref().map(|s| s.quarantined_value(key)))
            .unwrap_or(Err(StorageError::Unavailable))
    }

    /// Stored values that could not be loaded, oldest first.
    pub fn kept_aside(&self) -> Result<Vec<QuarantineEntry>, StorageError> {
        self.saves.track();
        self.persistence
            .store
            .with_value(|store| store.as_ref().map(|s| s.quarantined()))
            .unwrap_or(Err(StorageError::Unavailable))
    }

    /// Deletes one kept-aside value, at the user's explicit request.
    pub fn discard_kept_aside(&self, key: &str) -> Result<(), StorageError> {
        self.persistence
            .store
            .try_update_value(|store| match store {
                Some(store) => store.discard_quarantined(key).map(|_| ()),
                None => Err(StorageError::Unavailable),
            })
            .unwrap_or(Err(StorageError::Unavailable))?;
        self.saves.update(|n| *n += 1);
        Ok(())
    }

    /// Erases every record and everything kept aside. Cannot be undone.
    pub fn erase_all(&self) -> Result<(), StorageError> {
        self.persistence
            .store
            .try_update_value(|store| match store {
                Some(store) => store.erase_all().map(|_| ()),
                None => Err(StorageError::Unavailable),
            })
            .unwrap_or(Err(StorageError::Unavailable))?;
        self.bump();
        self.pipeline.set(Pipeline::new());
        self.undo.set(None);
        self.notice.set(None);
        self.saves.update(|n| *n += 1);
        Ok(())
    }
}

/// What to tell the user about stored data that could not be loaded: kept
/// aside under `key`, or, when the copy failed, left where it is.
fn kept_aside_notice(
    key: String,
    problem: LoadProblem,
    copy_failed: Option<StorageError>,
) -> StorageNotice {
    match copy_failed {
        None => StorageNotice::KeptAside { key, problem },
        Some(_) => StorageNotice::CouldNotKeepAside { problem },
    }
}
