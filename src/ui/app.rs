use leptos::prelude::*;

use super::nav_bar::NavBar;
use super::sample_data::SampleBanner;
use super::screens::Screen;
use super::search_everything::SearchEverything;
use super::state::AppState;
use super::storage_banner::StorageBanner;
use super::sync_state::{SyncLine, SyncState};
use super::undo_bar::UndoBar;
use super::update_banner::UpdateBanner;
use crate::i18n::{self, labels, t, Language, Text};
use crate::nav::Route;

/// The route currently shown, provided once at the root.
#[derive(Clone, Copy)]
pub struct CurrentRoute(pub ReadSignal<Route>);

pub(super) fn route_from_location() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::from_hash(&hash)
}

/// The browser's preferred languages, most preferred first.
fn browser_language() -> Language {
    let navigator = window().navigator();
    let tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .chain(navigator.language())
        .collect();
    Language::from_browser(tags.iter().map(String::as_str))
}

/// The app shell: header with the product name, navigation, and the screen
/// for the current URL, in the language chosen in Settings or else the
/// browser's.
#[component]
pub fn App() -> impl IntoView {
    let (route, set_route) = signal(route_from_location());
    let state = AppState::provide();
    let unsaved = super::unsaved::UnsavedEdits::provide();
    // The address of the screen shown.
    let shown = StoredValue::new(window().location().hash().unwrap_or_default());
    // The app lives as long as the page, so the listener is never removed.
    let _listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let location = window().location();
        let hash = location.hash().unwrap_or_default();
        if hash == shown.get_value() {
            return; // the address put back below
        }
        // What the screen shows is saved before it goes (Back, shortcuts).
        // If a field holds a value the form refused, the screen stays, and
        // so does its address.
        if !unsaved.save_all() {
            let _ = location.replace(&format!("#{}", shown.get_value().trim_start_matches('#')));
            return;
        }
        shown.set_value(hash);
        set_route.set(route_from_location());
    });
    provide_context(CurrentRoute(route));
    let sync_line = SyncLine::here();
    provide_context(sync_line);
    super::sync_state::start_when_loaded(state, sync_line);
    super::shortcuts::install();

    let wanted = move || {
        state
            .with(|p| p.language())
            .unwrap_or_else(browser_language)
    };
    let language = RwSignal::new(untrack(wanted));
    // Followed from an effect, so the app re-renders after the handler that
    // changed the language has finished: re-rendering inside it would
    // dispose signals the handler still uses.
    Effect::new(move |_| {
        let lang = wanted();
        if lang != language.get_untracked() {
            language.set(lang);
        }
    });

    Effect::new(move |_| {
        language.track();
        let title = match route.get().section() {
            Some(section) => labels::section(section),
            None => t(Text::PageNotFound),
        };
        document().set_title(&i18n::fill(Text::PageTitle, &[title]));
    });

    let main_ref = NodeRef::<leptos::html::Main>::new();
    // A hash link would be read as a route, so the skip link moves focus itself.
    let skip_to_content = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main_ref.get() {
            let _ = main.focus();
        }
    };

    // Words are read from a plain global, so a new language re-renders the
    // whole app once instead of every string listening for it.
    move || {
        let lang = language.get();
        i18n::set_language(lang);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
        view! {
            <header class="app-header">
                // Inside the banner landmark, so all content is in a landmark.
                <a class="skip-link" href="#/" on:click=skip_to_content>
                    {t(Text::SkipToContent)}
                </a>
                <a class="brand" href="#/today">"Leadline"</a>
                <SearchEverything/>
                <SyncState/>
                <NavBar/>
            </header>
            <UpdateBanner/>
            <StorageBanner/>
            <SampleBanner/>
            <main id="main" tabindex="-1" node_ref=main_ref>
                <Screen/>
            </main>
            <UndoBar/>
        }
    }
}
