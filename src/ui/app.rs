use leptos::prelude::*;

use super::nav_bar::NavBar;
use super::screens::Screen;
use super::state::AppState;
use super::storage_banner::StorageBanner;
use super::undo_bar::UndoBar;
use super::update_banner::UpdateBanner;
use crate::nav::Route;

/// The route currently shown, provided once at the root.
#[derive(Clone, Copy)]
pub struct CurrentRoute(pub ReadSignal<Route>);

fn route_from_location() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::from_hash(&hash)
}

/// The app shell: header with the product name, navigation, and the screen
/// for the current URL.
#[component]
pub fn App() -> impl IntoView {
    let (route, set_route) = signal(route_from_location());
    // The app lives as long as the page, so the listener is never removed.
    let _listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(route_from_location());
    });
    provide_context(CurrentRoute(route));
    AppState::provide();
    super::shortcuts::install();

    Effect::new(move |_| {
        let title = match route.get().section() {
            Some(section) => format!("{} · Leadline", section.label()),
            None => "Not found · Leadline".to_owned(),
        };
        document().set_title(&title);
    });

    let main_ref = NodeRef::<leptos::html::Main>::new();
    // A hash link would be read as a route, so the skip link moves focus itself.
    let skip_to_content = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main_ref.get() {
            let _ = main.focus();
        }
    };

    view! {
        <header class="app-header">
            // Inside the banner landmark, so all content is in a landmark.
            <a class="skip-link" href="#/" on:click=skip_to_content>"Skip to content"</a>
            <a class="brand" href="#/today">"Leadline"</a>
            <NavBar/>
        </header>
        <UpdateBanner/>
        <StorageBanner/>
        <main id="main" tabindex="-1" node_ref=main_ref>
            <Screen/>
        </main>
        <UndoBar/>
    }
}
