use leptos::prelude::*;

#[component]
pub fn LeadsScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Leads"</h1>
            <p class="empty-state">"No leads yet."</p>
        </section>
    }
}
