//! Moving between screens from code (links do it themselves).

use std::cell::RefCell;

use crate::nav::Route;

/// The lead page's first checklist box (Need), where a new lead's work starts.
pub const FIRST_CRITERION: &str = "criterion-need";

thread_local! {
    /// The element the next screen should focus once it is drawn.
    static FOCUS_ON_ARRIVAL: RefCell<Option<&'static str>> = const { RefCell::new(None) };
}

/// Shows `route`, adding it to the browser history like a link would.
pub fn go_to(route: &Route) {
    let _ = leptos::prelude::window()
        .location()
        .set_hash(&route.to_hash());
}

/// Shows `route` and asks its screen to focus the element `id`: the next
/// thing to do there (a new lead's checklist).
pub fn go_to_and_focus(route: &Route, id: &'static str) {
    FOCUS_ON_ARRIVAL.with(|f| *f.borrow_mut() = Some(id));
    go_to(route);
}

/// The element a screen was asked to focus on arrival, once.
pub fn focus_on_arrival() -> Option<&'static str> {
    FOCUS_ON_ARRIVAL.with(|f| f.borrow_mut().take())
}
