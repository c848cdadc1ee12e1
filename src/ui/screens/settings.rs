use leptos::prelude::*;

#[component]
pub fn SettingsScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Settings"</h1>
            <p class="empty-state">"Settings for currency, language and your data."</p>
        </section>
    }
}
