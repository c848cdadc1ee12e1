//! One file per screen; `Screen` picks the one for the current route.

mod account_page;
mod accounts;
mod board;
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
mod today;

use leptos::prelude::*;

use super::app::CurrentRoute;
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
// (people, deals, settings) becomes wasm fetched the first time one of its
// screens is shown, which keeps the first load small; a few large groups
// load in fewer requests than one file per screen and the code they share.
// `fallible`: a failed fetch is an error the screen shows, not a panic.
// `preload`: see `start_loading`. Without the `split` feature (tests,
// checks) they are plain functions.

/// Declares each screen that loads on demand: its group, its loader (which
/// also names its preload function) and the view it shows.
macro_rules! split_screens {
    ($($group:ident: fn $name:ident($($arg:ident: $ty:ty)?) preload $preload:ident => $view:expr;)*) => {$(
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))
        )]
        fn $name($($arg: $ty)?) -> Result<AnyView, ScreenLoadError> {
            Ok($view.into_any())
        }
    )*};
}

split_screens! {
    people: fn contacts_screen() preload preload_contacts_screen => contacts::ContactsScreen();
    people: fn contact_screen(id: u64) preload preload_contact_screen => view! { <contact_page::ContactPage id/> };
    people: fn leads_screen() preload preload_leads_screen => leads::LeadsScreen();
    people: fn lead_screen(id: u64) preload preload_lead_screen => view! { <lead_page::LeadPage id/> };
    people: fn accounts_screen() preload preload_accounts_screen => accounts::AccountsScreen();
    people: fn account_screen(id: u64) preload preload_account_screen => view! { <account_page::AccountPage id/> };
    deals: fn opportunities_screen() preload preload_opportunities_screen => opportunities::OpportunitiesScreen();
    deals: fn opportunity_screen(id: u64) preload preload_opportunity_screen => view! { <opportunity_page::OpportunityPage id/> };
    deals: fn funnel_screen() preload preload_funnel_screen => funnel::FunnelScreen();
    settings: fn settings_screen() preload preload_settings_screen => settings::SettingsScreen();
    settings: fn import_screen() preload preload_import_screen => import::ImportScreen();
}

/// Starts fetching the code of the screen for `route`, so that at start-up
/// its download overlaps the reading of the stored data.
#[cfg(feature = "split")]
pub fn start_loading(route: &Route) {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Waker};
    type Preload = Pin<Box<dyn Future<Output = Result<(), leptos::wasm_split::SplitLoaderError>>>>;
    let preload: Preload = match route {
        Route::Section(Section::Contacts) => Box::pin(preload_contacts_screen()),
        Route::Record(Section::Contacts, _) => Box::pin(preload_contact_screen()),
        Route::Section(Section::Leads) => Box::pin(preload_leads_screen()),
        Route::Record(Section::Leads, _) => Box::pin(preload_lead_screen()),
        Route::Section(Section::Opportunities) => Box::pin(preload_opportunities_screen()),
        Route::Record(Section::Opportunities, _) => Box::pin(preload_opportunity_screen()),
        Route::Section(Section::Accounts) => Box::pin(preload_accounts_screen()),
        Route::Record(Section::Accounts, _) => Box::pin(preload_account_screen()),
        Route::Section(Section::Funnel) => Box::pin(preload_funnel_screen()),
        Route::Section(Section::Settings) => Box::pin(preload_settings_screen()),
        Route::Import => Box::pin(preload_import_screen()),
        Route::Section(Section::Today) | Route::Record(_, _) | Route::NotFound(_) => return,
    };
    // The first poll issues the fetches. Dropping the future then is safe:
    // the loader keeps one download per chunk, which the screen's own load
    // joins when it is first shown.
    let mut preload = preload;
    let _ = preload
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
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
    move || match route.get() {
        Route::Section(Section::Today) => today::TodayScreen().into_any(),
        Route::Section(Section::Contacts) => on_demand(contacts_screen()),
        Route::Record(Section::Contacts, id) => on_demand(contact_screen(id)),
        Route::Section(Section::Leads) => on_demand(leads_screen()),
        Route::Record(Section::Leads, id) => on_demand(lead_screen(id)),
        Route::Section(Section::Opportunities) => on_demand(opportunities_screen()),
        Route::Record(Section::Opportunities, id) => on_demand(opportunity_screen(id)),
        Route::Section(Section::Accounts) => on_demand(accounts_screen()),
        Route::Record(Section::Accounts, id) => on_demand(account_screen(id)),
        Route::Section(Section::Funnel) => on_demand(funnel_screen()),
        Route::Section(Section::Settings) => on_demand(settings_screen()),
        Route::Import => on_demand(import_screen()),
        Route::Record(_, _) | Route::NotFound(_) => not_found::NotFoundScreen().into_any(),
    }
}
