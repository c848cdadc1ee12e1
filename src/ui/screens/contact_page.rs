use leptos::html;
use leptos::prelude::*;

use crate::domain::time::format_date;
use crate::domain::{ContactId, RecordRef};
use crate::nav::{Route, Section};
use crate::ui::contact_form::ContactForm;
use crate::ui::navigate::go_to;
use crate::ui::state::AppState;
use crate::ui::timeline::Timeline;

/// Only http(s), mailto and tel become links; anything else stays text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| url.to_owned())
}

#[component]
pub fn ContactPage(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = ContactId(id);
    let exists = move || state.with(|p| p.contact(id).is_some());
    view! {
        <Show
            when=exists
            fallback=|| {
                view! {
                    <section class="screen" aria-labelledby="screen-title">
                        <h1 id="screen-title">"Contact not found"</h1>
                        <p>
                            "This contact does not exist (it may have been deleted). "
                            <a href="#/contacts">"Back to Contacts"</a>
                        </p>
                    </section>
                }
            }
        >
            <ContactDetails id/>
        </Show>
    }
}

#[component]
fn ContactDetails(id: ContactId) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let dialog = NodeRef::<html::Dialog>::new();
    let form_key = RwSignal::new(0_u32);

    let field = move |f: fn(&crate::domain::Contact) -> String| {
        move || state.with(|p| p.contact(id).map(f).unwrap_or_default())
    };
    let name = field(|c| c.name.clone());

    let edit = move |_| {
        form_key.update(|k| *k += 1);
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close_form = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let on_saved = Callback::new(move |_| close_form());
    let on_cancel = Callback::new(move |_| close_form());

    let delete = move |_| match state.run(|p, now| p.delete_contact(id, now)) {
        Ok(()) => go_to(&Route::Section(Section::Contacts)),
        Err(e) => set_error.set(Some(e.to_string())),
    };
    let make_lead = move |_| match state.run(|p, now| p.make_lead(id, now)) {
        Ok(_) => set_error.set(None),
        Err(e) => set_error.set(Some(e.to_string())),
    };

    let detail_rows = move || {
        state
            .with(|p| {
                let Some(c) = p.contact(id) else {
                    return Vec::new();
                };
                let mut rows: Vec<(&'static str, AnyView)> =
                    vec![("Type", c.kind.label().into_any())];
                let text = |v: &String| v.clone().into_any();
                if !c.organisation.is_empty() {
                    rows.push(("Organisation", text(&c.organisation)));
                }
                if !c.title.is_empty() {
                    rows.push(("Title", text(&c.title)));
                }
                if !c.email.is_empty() {
                    let href = safe_href(&format!("mailto:{}", c.email));
                    rows.push((
                        "Email",
                        view! { <a href=href>{c.email.clone()}</a> }.into_any(),
                    ));
                }
                if !c.phone.is_empty() {
                    let tel: String = c.phone.chars().filter(|ch| !ch.is_whitespace()).collect();
                    let href = safe_href(&format!("tel:{tel}"));
                    rows.push((
                        "Phone",
                        view! { <a href=href>{c.phone.clone()}</a> }.into_any(),
                    ));
                }
                if !c.website.is_empty() {
                    let website = c.website.clone();
                    rows.push((
                        "Website",
                        match safe_href(&website) {
                            Some(href) => view! {
                                <a href=href rel="noopener noreferrer" target="_blank">{website}</a>
                            }
                            .into_any(),
                            None => website.into_any(),
                        },
                    ));
                }
                rows.push(("Source", c.source.label().to_owned().into_any()));
                if !c.notes.is_empty() {
                    rows.push((
                        "Notes",
                        view! { <span class="notes">{c.notes.clone()}</span> }.into_any(),
                    ));
                }
                rows.push(("Added", format_date(c.created_at.date_naive()).into_any()));
                rows
            })
            .into_iter()
            .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
            .collect_view()
    };

    let lead_section = move || {
        state.with(|p| match p.lead_for_contact(id) {
            Some(lead) => {
                let href = Route::Record(Section::Leads, lead.id.0).to_hash();
                let text = format!("{} · Score {}", lead.status.label(), lead.checklist.score());
                view! { <p><a href=href>"Lead"</a>": " {text}</p> }.into_any()
            }
            None => view! {
                <p>"Not a lead yet."</p>
                <button type="button" on:click=make_lead>"Make lead"</button>
            }
            .into_any(),
        })
    };

    let opportunities = move || {
        state.with(|p| {
            p.opportunities_for_contact(id)
                .map(|o| {
                    let href = Route::Record(Section::Opportunities, o.id.0).to_hash();
                    view! { <li><a href=href>{o.name.clone()}</a>" · "{o.status.stage().label()}</li> }
                })
                .collect_view()
        })
    };
    let account = move || {
        state.with(|p| {
            p.account_for_contact(id).map(|a| {
                let href = Route::Record(Section::Accounts, a.id.0).to_hash();
                view! { <p>"Customer: "<a href=href>{a.name.clone()}</a></p> }
            })
        })
    };

    view! {
        <section class="screen contact-page" aria-labelledby="screen-title">
            <p class="breadcrumb"><a href="#/contacts">"Contacts"</a></p>
            <div class="screen-header">
                <h1 id="screen-title">{name}</h1>
                <div class="button-row">
                    <button type="button" on:click=edit>"Edit"</button>
                    <button type="button" class="danger" on:click=delete>"Delete"</button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <dl class="details">{detail_rows}</dl>
            <section aria-labelledby="lead-title">
                <h2 id="lead-title">"Lead"</h2>
                {lead_section}
            </section>
            <section aria-labelledby="opportunities-title">
                <h2 id="opportunities-title">"Opportunities"</h2>
                <ul>{opportunities}</ul>
                {account}
            </section>
            <Timeline record=RecordRef::Contact(id)/>
            <dialog node_ref=dialog class="form-dialog" aria-labelledby="edit-contact-title">
                <h2 id="edit-contact-title">"Edit contact"</h2>
                {move || {
                    form_key.track();
                    view! { <ContactForm editing=Some(id) on_saved on_cancel/> }
                }}
            </dialog>
        </section>
    }
}
