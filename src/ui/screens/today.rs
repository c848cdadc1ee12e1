use leptos::prelude::*;

#[component]
pub fn TodayScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Today"</h1>
            <p class="empty-state">"Next steps due today and overdue, and leads not touched for 14 days, will be listed here."</p>
        </section>
    }
}
