//! Leptos components: one file per screen or widget. Components call the
//! domain; they hold no business rules.

mod app;
mod close_deal;
mod contact_form;
mod download;
mod form_dialog;
use crate::i18n::errors;
mod nav_bar;
mod navigate;
mod pending_file;
mod record_list;
mod sample_data;
mod screens;
mod search_everything;
mod shortcuts;
mod slices;
mod state;
mod storage_banner;
mod sync;
mod sync_state;
mod text_field;
mod timeline;
mod undo_bar;
mod unsaved;
mod update_banner;

pub use app::{App, CurrentRoute};
pub use state::{AppState, StorageNotice};
pub use sync_state::SyncLine;

/// Mounts the app on the page's body. The only thing `main` calls.
pub fn mount() {
    console_error_panic_hook::set_once();
    // The start screen's code is fetched while the stored data is read.
    screens::start_loading(&app::route_from_location());
    // index.html shows a splash until the app can draw itself. The app draws
    // in a task after this one (the module's start and the first drawing
    // are two shorter tasks, not one), and if the browser has painted
    // nothing yet, after the next frame, so the splash is on screen first.
    // A page opened in a hidden tab has no frames: it does not wait for one.
    let hidden = leptos::prelude::document().visibility_state() == web_sys::VisibilityState::Hidden;
    // Leptos's executor is set up by the mount itself: before it, only
    // wasm-bindgen's runs futures.
    wasm_bindgen_futures::spawn_local(async move {
        if !hidden && !painted() {
            slices::next_frame().await;
        }
        slices::Slices::new().pause().await;
        draw();
    });
}

/// Whether the browser has painted the page's text yet (its first
/// contentful paint; a first paint may be the background alone).
fn painted() -> bool {
    leptos::prelude::window()
        .performance()
        .is_some_and(|p| p.get_entries_by_name("first-contentful-paint").length() > 0)
}

/// Replaces the splash with the app.
fn draw() {
    if let Some(splash) = leptos::prelude::document().get_element_by_id("splash") {
        splash.remove();
    }
    crate::timing::measured(START_MEASURE, || leptos::mount::mount_to_body(App));
}

/// The performance measure from mounting to the first screen drawn (or, for
/// a screen that loads on demand, its loading line).
const START_MEASURE: &str = "leadline-start";
