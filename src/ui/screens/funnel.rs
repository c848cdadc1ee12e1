use leptos::prelude::*;

#[component]
pub fn FunnelScreen() -> impl IntoView {
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Funnel"</h1>
            <p class="empty-state">"The conversion funnel appears once there are contacts."</p>
        </section>
    }
}
