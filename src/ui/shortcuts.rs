//! Keyboard shortcuts: `n` opens New contact, `/` (and Ctrl+K anywhere)
//! goes to Search everything.
//! Ignored while typing in a field, with a modifier held, or with a dialog
//! open, so they never take a keystroke meant for something else.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::nav::{Route, Section};
use crate::ui::navigate::go_to;
use crate::ui::search_everything::SEARCH_EVERYTHING_ID;

/// Set by `n`; the Contacts screen opens its New contact form and clears it.
/// (From another screen, the form opens once Contacts has loaded.)
#[derive(Clone, Copy)]
pub struct NewContactRequest(pub RwSignal<bool>);

pub fn install() {
    let request = NewContactRequest(RwSignal::new(false));
    provide_context(request);
    // The app lives as long as the page, so the listener is never removed.
    let _listener = window_event_listener(leptos::ev::keydown, move |ev| {
        // Ctrl+K (Cmd+K) works even while typing, as in other web apps.
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            if focus_search_everything() {
                ev.prevent_default();
            }
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
            return;
        }
        if is_typing(&ev)
            || document()
                .query_selector("dialog[open]")
                .ok()
                .flatten()
                .is_some()
        {
            return;
        }
        match ev.key().as_str() {
            "/" if focus_search_everything() => ev.prevent_default(),
            "n" => {
                ev.prevent_default();
                request.0.set(true);
                go_to(&Route::Section(Section::Contacts));
            }
            _ => {}
        }
    });
}

/// Moves the focus to Search everything; false if it is not on the page.
fn focus_search_everything() -> bool {
    document()
        .get_element_by_id(SEARCH_EVERYTHING_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| el.focus().is_ok())
}

/// True when the key goes to a text field, a list box or editable content
/// (a field left focused inside a dialog that has just closed does not count).
fn is_typing(ev: &web_sys::KeyboardEvent) -> bool {
    let found =
        |el: &web_sys::Element, selector: &str| el.closest(selector).ok().flatten().is_some();
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            (matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || found(&el, "[contenteditable]"))
                && !found(&el, "dialog:not([open])")
        })
}
