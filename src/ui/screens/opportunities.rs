use leptos::prelude::*;

#[component]
pub fn OpportunitiesScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Opportunities"</h1>
            <p class="empty-state">"No opportunities yet."</p>
        </section>
    }
}
