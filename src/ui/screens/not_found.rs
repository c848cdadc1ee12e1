use leptos::prelude::*;

#[component]
pub fn NotFoundScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Page not found"</h1>
            <p>"There is nothing at this address. "<a href="#/today">"Go to Today"</a></p>
        </section>
    }
}
