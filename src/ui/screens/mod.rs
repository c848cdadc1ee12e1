//! One file per screen; `Screen` picks the one for the current route.

mod account_page;
mod accounts;
mod board;
mod board_card;
mod board_list;
mod contact_page;
mod contacts;
mod funnel;
mod import;
mod lead_page;
mod leads;
mod not_found;
mod opportunities;
mod opportunity_page;
mod settings;
mod settings_import;
mod today;

use leptos::prelude::*;

use super::app::CurrentRoute;
use super::state::AppState;
use crate::i18n::{t, Text};
use crate::nav::{Route, Section};

/// The code of a screen that loads on demand could not be fetched (offline,
/// or the site was updated since this page opened).
#[derive(Debug, Clone, Copy)]
pub struct ScreenLoadError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ScreenLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ScreenLoadError
    }
}

// The screens below are split points: in the release build each group
// (people, deals, settings, import) becomes wasm fetched the first time one
// of its screens is shown, which keeps the first load small; a few large
// groups load in fewer requests than one file per screen and the code they
// share. The import has its own, as the character sets of old address books
// are large.
// `fallible`: a failed fetch is an error the screen shows, not a panic.
// `preload`: see `start_loading`. Without the `split` feature (tests,
// checks) they are plain functions.

/// The screens that load on demand, in one table: the route each shows, its
/// group, its loader (which names its preload function too) and its view.
/// From it follow the loaders, [`split_screen`] and [`start_loading`].
macro_rules! split_screens {
    ($($route:pat => $group:ident: fn $name:ident($($arg:ident: $ty:ty)?) preload $preload:ident => $view:expr;)*) => {
        $(
            #[cfg_attr(
                feature = "split",
                leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))
            )]
            fn $name($($arg: $ty)?) -> Result<AnyView, ScreenLoadError> {
                Ok($view.into_any())
            }
        )*

        /// The screen for `route` if it loads on demand.
        fn split_screen(route: Route) -> Option<AnyView> {
            match route {
                $($route => Some(on_demand($name($($arg)?))),)*
                _ => None,
            }
        }

        /// Starts fetching the code of the screen for `route`, so that at
        /// start-up its download overlaps the reading of the stored data.
        #[cfg(feature = "split")]
        pub fn start_loading(route: &Route) {
            use std::future::Future;
            use std::pin::Pin;
            use std::task::{Context, Waker};
            type Preload = Pin<Box<dyn Future<Output = Result<(), leptos::wasm_split::SplitLoaderError>>>>;
            let mut preload: Preload = match route.clone() {
                $(
                    #[allow(unused_variables)]
                    $route => Box::pin($preload()),
                )*
                _ => return,
            };
            // The first poll issues the fetches. Dropping the future then is
            // safe: the loader keeps one download per chunk, which the
            // screen's own load joins when it is first shown.
            let _ = preload
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()));
        }
    };
}

split_screens! {
    Route::Section(Section::Contacts) => people: fn contacts_screen() preload preload_contacts_screen => contacts::ContactsScreen();
    Route::Record(Section::Contacts, id) => people: fn contact_screen(id: u64) preload preload_contact_screen => view! { <contact_page::ContactPage id/> };
    Route::Section(Section::Leads) => people: fn leads_screen() preload preload_leads_screen => leads::LeadsScreen();
    Route::Record(Section::Leads, id) => people: fn lead_screen(id: u64) preload preload_lead_screen => view! { <lead_page::LeadPage id/> };
    Route::Section(Section::Accounts) => people: fn accounts_screen() preload preload_accounts_screen => accounts::AccountsScreen();
    Route::Record(Section::Accounts, id) => people: fn account_screen(id: u64) preload preload_account_screen => view! { <account_page::AccountPage id/> };
    Route::Section(Section::Opportunities) => deals: fn opportunities_screen() preload preload_opportunities_screen => opportunities::OpportunitiesScreen();
    Route::Record(Section::Opportunities, id) => deals: fn opportunity_screen(id: u64) preload preload_opportunity_screen => view! { <opportunity_page::OpportunityPage id/> };
    Route::Section(Section::Funnel) => deals: fn funnel_screen() preload preload_funnel_screen => funnel::FunnelScreen();
    Route::Section(Section::Settings) => settings: fn settings_screen() preload preload_settings_screen => settings::SettingsScreen();
    Route::Import => import: fn import_screen() preload preload_import_screen => import::ImportScreen();
}

#[cfg(not(feature = "split"))]
pub fn start_loading(_route: &Route) {}

/// Shows a screen that loads on demand, with a loading line meanwhile.
#[cfg(feature = "split")]
fn on_demand(
    screen: impl std::future::Future<Output = Result<AnyView, ScreenLoadError>> + Send + 'static,
) -> AnyView {
    suspend_for(Box::pin(screen))
}

/// Not generic, so the loading view is built once for all screens.
#[cfg(feature = "split")]
type ScreenFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ScreenLoadError>> + Send>>;

#[cfg(feature = "split")]
fn suspend_for(screen: ScreenFuture) -> AnyView {
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">{t(Text::Loading)}</p> }>
            {Suspend::new(async move { loaded(screen.await) })}
        </Suspense>
    }
    .into_any()
}

#[cfg(not(feature = "split"))]
fn on_demand(screen: Result<AnyView, ScreenLoadError>) -> AnyView {
    loaded(screen)
}

fn loaded(screen: Result<AnyView, ScreenLoadError>) -> AnyView {
    screen.unwrap_or_else(|ScreenLoadError| {
        let reload = |_| {
            let _ = window().location().reload();
        };
        view! {
            <section class="screen" aria-labelledby="screen-title">
                <h1 id="screen-title">{t(Text::ScreenLoadFailed)}</h1>
                <p>{t(Text::ScreenLoadFailedHelp)}</p>
                <button type="button" on:click=reload>{t(Text::TryAgain)}</button>
            </section>
        }
        .into_any()
    })
}

#[component]
pub fn Screen() -> impl IntoView {
    let CurrentRoute(route) = expect_context::<CurrentRoute>();
    let state = expect_context::<AppState>();
    // No screen shows an empty pipeline while the stored one is read.
    let loading = Memo::new(move |_| state.loading());
    move || {
        if loading.get() {
            return view! { <p class="loading" role="status">{t(Text::ReadingYourData)}</p> }
                .into_any();
        }
        match route.get() {
            Route::Section(Section::Today) => today::TodayScreen().into_any(),
            route => split_screen(route).unwrap_or_else(|| not_found::NotFoundScreen().into_any()),
        }
    }
}
