use leptos::prelude::*;

#[component]
pub fn OpportunityPage(id: u64) -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Opportunity " {id}</h1>
        </section>
    }
}
