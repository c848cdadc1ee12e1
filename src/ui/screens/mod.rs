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

// The screens below are split points: in the release build each becomes a
// wasm chunk fetched the first time it is shown, which keeps the first load
// small. `fallible`: a failed fetch is an error the screen shows, not a panic.
// Without the `split` feature (tests, checks) they are plain functions.

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(contacts_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn contacts_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(contacts::ContactsScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(contact_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn contact_screen(id: u64) -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <contact_page::ContactPage id/> }.into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(settings_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn settings_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(settings::SettingsScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(leads_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn leads_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(leads::LeadsScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(lead_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn lead_screen(id: u64) -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <lead_page::LeadPage id/> }.into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(opportunities_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn opportunities_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(opportunities::OpportunitiesScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(opportunity_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn opportunity_screen(id: u64) -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <opportunity_page::OpportunityPage id/> }.into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(accounts_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn accounts_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(accounts::AccountsScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(account_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn account_screen(id: u64) -> Result<AnyView, ScreenLoadError> {
    Ok(view! { <account_page::AccountPage id/> }.into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(funnel_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn funnel_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(funnel::FunnelScreen().into_any())
}

#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(import_screen, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn import_screen() -> Result<AnyView, ScreenLoadError> {
    Ok(import::ImportScreen().into_any())
}

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
