use leptos::prelude::*;

#[component]
pub fn LeadPage(id: u64) -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Lead " {id}</h1>
        </section>
    }
}
