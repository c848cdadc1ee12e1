//! Component tests for the app shell, in a real browser.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use leadline::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the browser deliver queued events (hashchange) and Leptos re-render.
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .expect("window")
        .document()
        .expect("document")
}

fn heading() -> String {
    document()
        .query_selector("h1")
        .ok()
        .flatten()
        .and_then(|h| h.text_content())
        .unwrap_or_default()
}

fn nav_labels() -> Vec<String> {
    let links = document()
        .query_selector_all("nav[aria-label='Main'] a")
        .expect("query");
    (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

#[wasm_bindgen_test]
async fn shell_shows_navigation_and_follows_the_url() {
    let location = web_sys::window().expect("window").location();
    location.set_hash("").expect("reset hash");
    leptos::mount::mount_to_body(App);
    // The stored pipeline is read in a task of its own.
    next_tick().await;

    assert_eq!(
        nav_labels(),
        [
            "Today",
            "Contacts",
            "Leads",
            "Opportunities",
            "Accounts",
            "Funnel",
            "Settings"
        ]
    );
    assert_eq!(heading(), "Today");

    location.set_hash("#/opportunities").expect("set hash");
    next_tick().await;
    assert_eq!(heading(), "Opportunities");
    let current = document()
        .query_selector("nav a[aria-current='page']")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|a| a.inner_text());
    assert_eq!(current.as_deref(), Some("Opportunities"));

    location
        .set_hash("#/contacts/not-a-number")
        .expect("set hash");
    next_tick().await;
    assert_eq!(heading(), "Page not found");
    location.set_hash("").expect("reset hash");
}
