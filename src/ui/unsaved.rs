//! Edits are saved as they are made: each changed field is one step Undo
//! takes back. What is on screen but not saved yet (a field still being
//! typed in when the page is closed, or a value a form refused) is never
//! dropped without a word: leaving by a link, the Back button or a shortcut
//! first saves what can be saved and stays put if something was refused
//! (the app's address handler does the last two), and closing or reloading
//! the tab asks the browser to confirm.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Saves what a form shows; `false` when something on it was refused (the
/// form then shows why and focuses the field).
type SaveOnScreen = Rc<dyn Fn() -> bool>;

/// The forms on screen that save as they are edited, provided once at the root.
#[derive(Clone, Copy)]
pub struct UnsavedEdits {
    forms: StoredValue<Vec<(u64, SaveOnScreen)>, LocalStorage>,
    next: StoredValue<u64>,
}

impl UnsavedEdits {
    /// Provides the registry and listens for leaving by link, reload and close.
    pub fn provide() -> UnsavedEdits {
        let edits = UnsavedEdits {
            forms: StoredValue::new_local(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(edits);
        // The app lives as long as the page, so the listeners stay.
        let _leave = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if !edits.save_all() {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
        let _click = window_event_listener(leptos::ev::click, move |ev| {
            let to_screen = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href^='#']").ok().flatten())
                .is_some();
            if to_screen && !edits.save_all() {
                ev.prevent_default();
            }
        });
        edits
    }

    /// Saves every form on screen; `false` if any refused something.
    pub fn save_all(&self) -> bool {
        let forms = self.forms.with_value(|f| f.clone());
        // Every form gets its turn, even after one refused.
        let mut all_saved = true;
        for (_, save) in &forms {
            all_saved &= save();
        }
        all_saved
    }

    /// Registers the current screen's form until the screen goes. Leaving
    /// by the Back button or a shortcut saves it first (the app calls
    /// [`UnsavedEdits::save_all`] before it shows another screen).
    pub fn keep_while_shown(save: impl Fn() -> bool + 'static) {
        let Some(edits) = use_context::<UnsavedEdits>() else {
            return;
        };
        let save: SaveOnScreen = Rc::new(save);
        let key = edits.next.try_update_value(|n| {
            *n += 1;
            *n
        });
        let Some(key) = key else { return };
        edits.forms.update_value(|f| f.push((key, save)));
        // Only forgotten here: by now the form's own values may be gone.
        on_cleanup(move || {
            edits
                .forms
                .try_update_value(|f| f.retain(|(k, _)| *k != key));
        });
    }
}
