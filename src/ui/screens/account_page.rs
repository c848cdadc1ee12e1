use leptos::prelude::*;

#[component]
pub fn AccountPage(id: u64) -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Account " {id}</h1>
        </section>
    }
}
