//! Keeps syncing while sync is set up: a sync at start, then a long poll
//! that ends when the server changes (a sync follows) or a change is made
//! here (sent a moment later); offline it waits for the network and says
//! how many changes wait; after a failure it tries again later by itself
//! when the network was at fault, and waits for the user otherwise. One tab
//! of a browser syncs at a time (the tabs share one pipeline).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::fetch::{FetchTransport, Interrupter};
use crate::domain::{DomainError, Pipeline, PipelineData};
use crate::i18n::sync::status_line;
use crate::storage::sync_store::{save_sync_state, sync_password, sync_settings, sync_state};
use crate::sync::{LocalCopy, Replicator, SyncError, SyncState, SyncStatus};
use crate::ui::state::{now, AppState};
use crate::ui::SyncLine;

/// How long after a change here it is sent (changes made in a burst go
/// together). Shorter than the autosave's pause, so that a change is on
/// its way before the pipeline's save holds the page.
const SETTLE_MS: i32 = (crate::storage::DEFAULT_DELAY_MS / 3) as i32;
/// The longest wait between tries after the network failed.
const MAX_BACKOFF_MS: i32 = 60_000;

/// The Web Lock the syncing tab holds.
const LOCK: &str = "leadline-sync";

#[wasm_bindgen]
extern "C" {
    /// The browser's Web Locks (`navigator.locks`).
    type LockManager;
    #[wasm_bindgen(method)]
    fn request(
        this: &LockManager,
        name: &str,
        options: &Object,
        granted: &js_sys::Function,
    ) -> js_sys::Promise;
}

/// `navigator.locks`, where the browser has it (not on a page opened from
/// disk in every browser).
fn web_locks() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined()).then(|| locks.unchecked_into())
}

thread_local! {
    static RUNNING: RefCell<Option<Rc<Controller>>> = const { RefCell::new(None) };
}

struct Controller {
    state: AppState,
    line: SyncLine,
    status: RefCell<SyncStatus>,
    /// Settings changed or sync stopped: the loop starts over or ends.
    generation: Cell<u32>,
    stopped: Cell<bool>,
    /// A change was made here since the last sync.
    dirty: Cell<bool>,
    /// Changes made here since the last sync finished.
    waiting: Cell<u32>,
    /// The pipeline's change count after the replicator's last merge: that
    /// change came from the server and is not one to send.
    merged: Cell<u64>,
    /// Ends the current wait early.
    wake: RefCell<Option<js_sys::Function>>,
    interrupter: RefCell<Option<Interrupter>>,
    /// Owns the effect that follows the pipeline: a child of the app's
    /// owner (Sync now is pressed on a screen that goes away), dropped with
    /// the controller when sync stops.
    owner: Owner,
    /// Removes the listeners and the timer [`watch`] set up.
    unwatch: RefCell<Vec<Box<dyn FnOnce()>>>,
}

/// Starts syncing if it is set up and not running; if running, syncs now
/// with the settings as saved.
pub fn start(state: AppState, line: SyncLine) {
    let running = RUNNING.with(|r| r.borrow().clone());
    if let Some(c) = running {
        c.generation.set(c.generation.get() + 1);
        c.wake_up();
        return;
    }
    let c = Rc::new(Controller {
        state,
        line,
        status: RefCell::new(SyncStatus::Starting),
        generation: Cell::new(0),
        stopped: Cell::new(false),
        dirty: Cell::new(false),
        waiting: Cell::new(0),
        merged: Cell::new(u64::MAX),
        wake: RefCell::new(None),
        interrupter: RefCell::new(None),
        owner: line
            .owner
            .get_value()
            .map_or_else(Owner::new, |root| root.with(Owner::new)),
        unwatch: RefCell::new(Vec::new()),
    });
    RUNNING.with(|r| *r.borrow_mut() = Some(c.clone()));
    c.show(SyncStatus::Starting);
    state.keep_device();
    c.owner.with(|| watch(&c));
    leptos::task::spawn_local(c.run_alone());
}

/// Stops syncing (the settings are already forgotten).
pub fn stop() {
    if let Some(c) = RUNNING.with(|r| r.borrow_mut().take()) {
        c.stopped.set(true);
        c.wake_up();
        c.line.words.set(None);
        for remove in c.unwatch.take() {
            remove();
        }
    }
}

/// Follows the pipeline's changes and the network, and keeps "2 minutes
/// ago" true.
fn watch(c: &Rc<Controller>) {
    let weak = Rc::downgrade(c);
    let state = c.state;
    Effect::new(move |first: Option<()>| {
        let changes = state.with(|p| p.changes());
        let Some(c) = weak.upgrade() else { return };
        if first.is_some() && changes != c.merged.get() {
            c.dirty.set(true);
            c.waiting.set(c.waiting.get() + 1);
            if let SyncStatus::Offline { .. } = *c.status.borrow() {
                c.refresh();
            }
            c.wake_up();
        }
    });
    let weak = Rc::downgrade(c);
    let online = window_event_listener(leptos::ev::online, move |_| {
        if let Some(c) = weak.upgrade() {
            c.wake_up();
        }
    });
    let weak = Rc::downgrade(c);
    let offline = window_event_listener(leptos::ev::offline, move |_| {
        if let Some(c) = weak.upgrade() {
            c.wake_up();
        }
    });
    let weak = Rc::downgrade(c);
    let tick = set_interval_with_handle(
        move || {
            if let Some(c) = weak.upgrade() {
                c.refresh();
            }
        },
        std::time::Duration::from_secs(20),
    )
    .ok();
    let mut unwatch = c.unwatch.borrow_mut();
    unwatch.push(Box::new(move || online.remove()));
    unwatch.push(Box::new(move || offline.remove()));
    if let Some(tick) = tick {
        unwatch.push(Box::new(move || tick.clear()));
    }
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl LocalCopy for Controller {
    fn read<R>(&self, f: impl FnOnce(&Pipeline) -> R) -> R {
        self.state.with_untracked(f)
    }

    fn merge(&self, other: &PipelineData) -> Result<(), DomainError> {
        let result = self
            .state
            .run(|p, now| p.merge_synced(other, now).map(|_| ()));
        self.merged.set(self.state.with_untracked(|p| p.changes()));
        result
    }

    fn save_state(&self, state: &SyncState) {
        // A state that cannot be kept costs a longer next sync, not data:
        // what the server lacks is found again.
        let _ = save_sync_state(state);
    }
}

impl Controller {
    fn show(&self, status: SyncStatus) {
        *self.status.borrow_mut() = status;
        self.refresh();
    }

    fn refresh(&self) {
        let mut status = self.status.borrow().clone();
        if let SyncStatus::Offline { .. } = status {
            status = SyncStatus::Offline {
                waiting: self.waiting.get(),
            };
        }
        let words = status_line(&status, now());
        if self.line.words.get_untracked().as_deref() != Some(words.as_str()) {
            self.line.words.set(Some(words));
        }
    }

    fn wake_up(&self) {
        if let Some(resolve) = self.wake.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
        if let Some(i) = self.interrupter.borrow().as_ref() {
            i.interrupt();
        }
    }

    /// Waits until woken, or `ms` milliseconds if given.
    async fn wait(&self, ms: Option<i32>) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let (Some(ms), Some(w)) = (ms, web_sys::window()) {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
            *self.wake.borrow_mut() = Some(resolve.unchecked_into());
        });
        let _ = JsFuture::from(promise).await;
        self.wake.borrow_mut().take();
    }

    fn ended(&self, generation: u32) -> bool {
        self.stopped.get() || self.generation.get() != generation
    }

    /// Runs the loop while this tab holds the sync lock: the tabs of a
    /// browser share one pipeline through storage, and two loops would
    /// fetch, merge and send everything twice. Another tab waits, saying
    /// so, and takes over when the one syncing closes or stops.
    async fn run_alone(self: Rc<Self>) {
        let Some(locks) = web_locks() else {
            return self.run().await;
        };
        for wait in [false, true] {
            let options = Object::new();
            let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::from_bool(!wait));
            let c = self.clone();
            // Held until the promise returned here settles: the loop's end.
            let granted = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
                future_to_promise(async move {
                    if lock.is_null() {
                        c.show(SyncStatus::InAnotherTab);
                        return Ok(JsValue::FALSE);
                    }
                    if !c.stopped.get() {
                        c.run().await;
                    }
                    Ok(JsValue::TRUE)
                })
            });
            let ran = JsFuture::from(locks.request(LOCK, &options, granted.unchecked_ref())).await;
            let taken = ran.ok().and_then(|v| v.as_bool()) == Some(false);
            if !taken || self.stopped.get() {
                return;
            }
        }
    }

    async fn run(self: Rc<Self>) {
        let mut backoff = 2_000;
        while !self.stopped.get() {
            let generation = self.generation.get();
            let Some(settings) = sync_settings() else {
                stop();
                return;
            };
            let Some(password) = sync_password(&settings) else {
                self.show(SyncStatus::Failed(SyncError::PasswordNeeded));
                self.wait(None).await;
                continue;
            };
            let Some(device) = self.state.with_untracked(|p| p.device()) else {
                return;
            };
            // New settings: what failed before is no longer the news.
            self.show(SyncStatus::Syncing);
            let transport = FetchTransport::new(settings.database_url(), &settings.user, &password);
            *self.interrupter.borrow_mut() = Some(transport.interrupter());
            let session = format!("{:x}", js_sys::Date::now() as u64);
            let mut replicator = Replicator::new(
                transport,
                settings.replication_id(&device.0.to_string()),
                session,
                sync_state(),
            );
            while !self.ended(generation) {
                if !online() {
                    self.show(SyncStatus::Offline { waiting: 0 });
                    self.wait(None).await;
                    continue;
                }
                // A retry keeps saying what failed until it succeeds.
                if !matches!(*self.status.borrow(), SyncStatus::Failed(_)) {
                    self.show(SyncStatus::Syncing);
                }
                self.dirty.set(false);
                let waiting = self.waiting.replace(0);
                match replicator.sync(self.as_ref()).await {
                    Ok(_) => {
                        backoff = 2_000;
                        self.show(SyncStatus::Synced(now()));
                    }
                    Err(e) => {
                        self.waiting.set(self.waiting.get() + waiting);
                        let passing = e.is_passing();
                        if !online() || e == SyncError::Offline {
                            self.show(SyncStatus::Offline { waiting: 0 });
                        } else {
                            self.show(SyncStatus::Failed(e));
                        }
                        // The network may come back by itself; a password
                        // or an address is the user's to change.
                        self.wait(passing.then_some(backoff)).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF_MS);
                        continue;
                    }
                }
                // Live: until the server changes or a change is made here.
                while !self.ended(generation) && !self.dirty.get() && online() {
                    match replicator.wait_for_change().await {
                        Ok(true) => break,
                        Ok(false) => {}
                        Err(_) => break,
                    }
                }
                if self.dirty.get() {
                    self.wait(Some(SETTLE_MS)).await;
                }
            }
        }
    }
}
