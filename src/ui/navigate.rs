//! Moving between screens from code (links do it themselves).

use crate::nav::Route;

/// Shows `route`, adding it to the browser history like a link would.
pub fn go_to(route: &Route) {
    let _ = leptos::prelude::window()
        .location()
        .set_hash(&route.to_hash());
}
