//! Offers to reload into a newer version of the app once the service worker
//! has it ready. The worker itself is handled by `sw-register.js` (release
//! builds only); this widget only shows the offer and passes the answer back,
//! through window events, so the first-load wasm needs no service-worker API.

use leptos::prelude::*;

use crate::i18n::{t, Text};

/// Set on `<html>` by `sw-register.js` when a new version waits, in case that
/// happens before the app is mounted.
const READY_ATTR: &str = "data-update-ready";
const READY_EVENT: &str = "leadline:update-ready";
const APPLY_EVENT: &str = "leadline:update-apply";

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let already = document()
        .document_element()
        .is_some_and(|root| root.has_attribute(READY_ATTR));
    let (ready, set_ready) = signal(already);
    // The app lives as long as the page, so the listener is never removed.
    let _listener = window_event_listener(
        leptos::ev::Custom::<web_sys::Event>::new(READY_EVENT),
        move |_| set_ready.set(true),
    );
    let reload = move |_| {
        if let Ok(event) = web_sys::Event::new(APPLY_EVENT) {
            let _ = window().dispatch_event(&event);
        }
    };
    move || {
        ready.get().then(|| {
            view! {
                <div class="update-banner" role="status">
                    <p>{t(Text::NewVersionReady)}</p>
                    <button type="button" on:click=reload>{t(Text::Reload)}</button>
                </div>
            }
        })
    }
}
