//! One file per screen; `Screen` picks the one for the current route.

mod accounts;
mod contact_page;
mod contacts;
mod funnel;
mod leads;
mod not_found;
mod opportunities;
mod settings;
mod today;

use leptos::prelude::*;

use super::app::CurrentRoute;
use crate::nav::{Route, Section};

#[component]
pub fn Screen() -> impl IntoView {
    let CurrentRoute(route) = expect_context::<CurrentRoute>();
    move || match route.get() {
        Route::Section(Section::Today) => today::TodayScreen().into_any(),
        Route::Section(Section::Contacts) => contacts::ContactsScreen().into_any(),
        Route::Record(Section::Contacts, id) => {
            view! { <contact_page::ContactPage id/> }.into_any()
        }
        Route::Section(Section::Leads) | Route::Record(Section::Leads, _) => {
            leads::LeadsScreen().into_any()
        }
        Route::Section(Section::Opportunities) | Route::Record(Section::Opportunities, _) => {
            opportunities::OpportunitiesScreen().into_any()
        }
        Route::Section(Section::Accounts) | Route::Record(Section::Accounts, _) => {
            accounts::AccountsScreen().into_any()
        }
        Route::Section(Section::Funnel) => funnel::FunnelScreen().into_any(),
        Route::Section(Section::Settings) => settings::SettingsScreen().into_any(),
        Route::Record(_, _) | Route::NotFound(_) => not_found::NotFoundScreen().into_any(),
    }
}
