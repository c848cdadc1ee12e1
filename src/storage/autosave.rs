//! Coalesced saving (wasm32 only): typing does not write on every keystroke.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget, VisibilityState, Window};

/// The delay from the first unsaved change to the save.
pub const DEFAULT_DELAY_MS: u32 = 300;

/// The name of the performance measure around each save: the benchmark
/// observes it to time saves, which run off the interaction path.
const SAVE_MEASURE: &str = "leadline-save";

struct Shared {
    save: RefCell<Box<dyn FnMut()>>,
    timer: Cell<Option<i32>>,
    delay_ms: i32,
    window: Option<Window>,
    fire: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl Shared {
    fn run_save(&self) {
        // A save that (indirectly) flushes again is not re-entered.
        if let Ok(mut save) = self.save.try_borrow_mut() {
            crate::timing::measured(SAVE_MEASURE, &mut *save);
        }
    }

    fn schedule(&self) {
        if self.timer.get().is_some() {
            return; // already due: this change is saved with it
        }
        let id = match (&self.window, &*self.fire.borrow()) {
            (Some(window), Some(fire)) => window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    fire.as_ref().unchecked_ref(),
                    self.delay_ms,
                )
                .ok(),
            _ => None,
        };
        match id {
            Some(id) => self.timer.set(Some(id)),
            None => self.run_save(), // no timers: save right away
        }
    }

    fn flush(&self) {
        if let Some(id) = self.timer.take() {
            if let Some(window) = &self.window {
                window.clear_timeout_with_handle(id);
            }
            self.run_save();
        }
    }
}

/// A registered event listener: target, event type, callback.
type Listener = (EventTarget, &'static str, Closure<dyn FnMut(Event)>);

/// Saves at most once per delay: [`schedule`](Self::schedule) after each
/// change, and the save runs `delay_ms` after the first unsaved change.
/// Pending changes are saved at once by [`flush`](Self::flush), when the page
/// is hidden (`visibilitychange`) or left (`pagehide`), and when the
/// scheduler is dropped.
///
/// The save itself is the closure given to [`new`](Self::new) (typically
/// `store.save(&pipeline, Utc::now())` plus showing any error), so the
/// scheduler knows nothing about the data.
pub struct SaveScheduler {
    shared: Rc<Shared>,
    listeners: Vec<Listener>,
}

impl SaveScheduler {
    /// A scheduler that runs `save` `delay_ms` after the first scheduled
    /// change (use [`DEFAULT_DELAY_MS`]).
    pub fn new(delay_ms: u32, save: impl FnMut() + 'static) -> Self {
        let window = web_sys::window();
        let shared = Rc::new_cyclic(|weak: &Weak<Shared>| {
            let weak = weak.clone();
            let fire = Closure::<dyn FnMut()>::new(move || {
                if let Some(shared) = weak.upgrade() {
                    shared.timer.set(None);
                    shared.run_save();
                }
            });
            Shared {
                save: RefCell::new(Box::new(save)),
                timer: Cell::new(None),
                delay_ms: i32::try_from(delay_ms).unwrap_or(i32::MAX),
                window: window.clone(),
                fire: RefCell::new(Some(fire)),
            }
        });

        let mut listeners: Vec<Listener> = Vec::new();
        if let Some(window) = window {
            if let Some(document) = window.document() {
                let weak = Rc::downgrade(&shared);
                let doc = document.clone();
                let on_visibility = Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
                    if doc.visibility_state() == VisibilityState::Hidden {
                        if let Some(shared) = weak.upgrade() {
                            shared.flush();
                        }
                    }
                });
                listeners.push((document.into(), "visibilitychange", on_visibility));
            }
            let weak = Rc::downgrade(&shared);
            let on_pagehide = Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
                if let Some(shared) = weak.upgrade() {
                    shared.flush();
                }
            });
            listeners.push((window.into(), "pagehide", on_pagehide));
        }
        listeners.retain(|(target, kind, listener)| {
            target
                .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref())
                .is_ok()
        });
        SaveScheduler { shared, listeners }
    }

    /// Notes a change: a save runs after the delay (unless one is already due).
    pub fn schedule(&self) {
        self.shared.schedule();
    }

    /// Saves a pending change now (nothing happens if none is pending).
    pub fn flush(&self) {
        self.shared.flush();
    }

    /// Whether a save is due.
    pub fn is_pending(&self) -> bool {
        self.shared.timer.get().is_some()
    }
}

impl Drop for SaveScheduler {
    fn drop(&mut self) {
        for (target, kind, listener) in &self.listeners {
            let _ =
                target.remove_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        }
        self.shared.flush();
        self.shared.fire.borrow_mut().take();
    }
}
