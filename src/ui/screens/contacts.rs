use leptos::prelude::*;

#[component]
pub fn ContactsScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Contacts"</h1>
            <p class="empty-state">"No contacts yet."</p>
        </section>
    }
}
