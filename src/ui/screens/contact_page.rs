use crate::ui::form_dialog::{DialogRef, FormDialog};
use leptos::prelude::*;

use crate::domain::{Contact, ContactId, Pipeline, RecordRef};
use crate::i18n::{self, fill, labels, t, Text};
use crate::nav::{Route, Section};
use crate::transfer::vcard_export::{export_vcards, vcard_file_name};
use crate::ui::contact_form::ContactForm;
use crate::ui::download::download_text;
use crate::ui::errors;
use crate::ui::navigate::{go_to, go_to_and_focus, FIRST_CRITERION};
use crate::ui::state::{today, AppState};
use crate::ui::timeline::Timeline;

/// Only http(s), mailto and tel become links; anything else stays text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        .then(|| url.to_owned())
}

/// One line of the details list: a label, the text, and a link if it is one.
struct Detail {
    label: &'static str,
    text: String,
    href: Option<String>,
}

/// Everything the page shows of a contact, read from the pipeline in one go
/// so the page renders from plain data.
struct ContactSummary {
    name: String,
    details: Vec<Detail>,
    /// Link and "New · Score 30", or `None` when the contact is not a lead.
    lead: Option<(String, String)>,
    /// Link, name and stage of each opportunity.
    opportunities: Vec<(String, String, &'static str)>,
    /// Link and name of the account.
    account: Option<(String, String)>,
}

impl ContactSummary {
    fn of(p: &Pipeline, c: &Contact) -> ContactSummary {
        let mut details = Vec::new();
        let mut add = |label, text: &str, href: Option<String>| {
            if !text.is_empty() {
                details.push(Detail {
                    label,
                    text: text.to_owned(),
                    href,
                });
            }
        };
        add(t(Text::Type), labels::contact_kind(c.kind), None);
        add(t(Text::Organisation), &c.organisation, None);
        add(t(Text::Title), &c.title, None);
        add(
            t(Text::Email),
            &c.email,
            safe_href(&format!("mailto:{}", c.email)),
        );
        let tel: String = c.phone.chars().filter(|ch| !ch.is_whitespace()).collect();
        add(t(Text::Phone), &c.phone, safe_href(&format!("tel:{tel}")));
        add(t(Text::Website), &c.website, safe_href(&c.website));
        add(t(Text::Source), labels::source(&c.source), None);
        add(t(Text::Notes), &c.notes, None);
        add(t(Text::Added), &i18n::date(c.created_at.date_naive()), None);
        ContactSummary {
            name: c.name.clone(),
            details,
            lead: p.lead_for_contact(c.id).map(|lead| {
                (
                    Route::Record(Section::Leads, lead.id.0).to_hash(),
                    fill(
                        Text::StatusAndScore,
                        &[
                            labels::lead_status(lead.status.kind()),
                            &lead.checklist.score().to_string(),
                        ],
                    ),
                )
            }),
            opportunities: p
                .opportunities_for_contact(c.id)
                .map(|o| {
                    (
                        Route::Record(Section::Opportunities, o.id.0).to_hash(),
                        o.name.clone(),
                        labels::stage(o.status.stage()),
                    )
                })
                .collect(),
            account: p.account_for_contact(c.id).map(|a| {
                (
                    Route::Record(Section::Accounts, a.id.0).to_hash(),
                    a.name.clone(),
                )
            }),
        }
    }
}

#[component]
pub fn ContactPage(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    // An old address (#/contacts/12) names the record by its old number.
    let id = state.with_untracked(|p| p.contact(ContactId(id)).map_or(ContactId(id), |r| r.id));
    let (error, set_error) = signal(None::<String>);
    let dialog = DialogRef::new();
    let form_key = RwSignal::new(0_u32);

    let edit = move |_| {
        form_key.update(|k| *k += 1);
        dialog.open();
    };
    let close_form = move || {
        dialog.close();
    };
    let on_saved = Callback::new(move |_| close_form());
    let on_cancel = Callback::new(move |_| close_form());
    // The contact as a card for a phone or an address book.
    let export_vcard = move |_| {
        let Some((name, text)) = state.with_untracked(|p| {
            p.contact(id)
                .map(|c| (c.name.clone(), export_vcards(std::iter::once(c))))
        }) else {
            return;
        };
        let file = vcard_file_name(Some(&name), today());
        if let Err(e) = download_text(&file, "text/vcard", &text) {
            set_error.set(Some(e));
        }
    };
    let delete = move |_| match state.run(|p, now| p.delete_contact(id, now)) {
        Ok(()) => go_to(&Route::Section(Section::Contacts)),
        Err(e) => set_error.set(Some(errors::domain(&e))),
    };
    // The next thing to do with a new lead is its checklist.
    let make_lead = move |_| match state.run(|p, now| p.make_lead(id, now)) {
        Ok(lead) => go_to_and_focus(&Route::Record(Section::Leads, lead.0), FIRST_CRITERION),
        Err(e) => set_error.set(Some(errors::domain(&e))),
    };

    let page = move || {
        let Some(s) = state.with(|p| p.contact(id).map(|c| ContactSummary::of(p, c))) else {
            return view! {
                <h1 id="screen-title">{t(Text::ContactNotFound)}</h1>
                <p>
                    {t(Text::ContactGone)}
                    <a href="#/contacts">{t(Text::BackToContacts)}</a>
                </p>
            }
            .into_any();
        };
        let details = s
            .details
            .into_iter()
            .map(|d| {
                let value = match d.href {
                    Some(href) => {
                        // Web links open beside the app; mail and phone links hand over.
                        let target = href.starts_with("http").then_some("_blank");
                        view! { <a href=href rel="noopener noreferrer" target=target>{d.text}</a> }
                            .into_any()
                    }
                    None => d.text.into_any(),
                };
                view! { <dt>{d.label}</dt><dd>{value}</dd> }
            })
            .collect_view();
        let lead = match s.lead {
            Some((href, text)) => {
                view! { <p><a href=href>{t(Text::Lead)}</a>": " {text}</p> }.into_any()
            }
            None => view! {
                <p>{t(Text::NotALeadYet)}</p>
                <button type="button" on:click=make_lead>{t(Text::MakeLead)}</button>
            }
            .into_any(),
        };
        let opportunities = s
            .opportunities
            .into_iter()
            .map(|(href, name, stage)| view! { <li><a href=href>{name}</a>" · "{stage}</li> })
            .collect_view();
        let account = s
            .account
            .map(|(href, name)| view! { <p>{t(Text::CustomerColon)}<a href=href>{name}</a></p> });
        view! {
            <p class="breadcrumb"><a href="#/contacts">{t(Text::Contacts)}</a></p>
            <div class="screen-header">
                <h1 id="screen-title">{s.name}</h1>
                <div class="button-row">
                    <button type="button" on:click=edit>{t(Text::Edit)}</button>
                    <button type="button" on:click=export_vcard>{t(Text::ExportVcard)}</button>
                    <button type="button" class="danger" on:click=delete>{t(Text::Delete)}</button>
                </div>
            </div>
            <dl class="details">{details}</dl>
            <section aria-labelledby="lead-title">
                <h2 id="lead-title">{t(Text::Lead)}</h2>
                {lead}
            </section>
            <section aria-labelledby="opportunities-title">
                <h2 id="opportunities-title">{t(Text::Opportunities)}</h2>
                <ul>{opportunities}</ul>
                {account}
            </section>
            <Timeline record=RecordRef::Contact(id)/>
        }
        .into_any()
    };

    view! {
        <section class="screen contact-page" aria-labelledby="screen-title">
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {page}
            <FormDialog dialog title_id="edit-contact-title" title=t(Text::EditContact)>
                {move || {
                    form_key.track();
                    view! { <ContactForm editing=Some(id) on_saved on_cancel/> }
                }}
            </FormDialog>
        </section>
    }
}
