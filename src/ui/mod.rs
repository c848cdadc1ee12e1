//! Leptos components: one file per screen or widget. Components call the
//! domain; they hold no business rules.

mod app;
mod nav_bar;
mod screens;

pub use app::{App, CurrentRoute};

/// Mounts the app on the page's body. The only thing `main` calls.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
