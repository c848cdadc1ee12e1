use leptos::prelude::*;

#[component]
pub fn AccountsScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Accounts"</h1>
            <p class="empty-state">"No accounts yet. An account is created when an opportunity is won."</p>
        </section>
    }
}
