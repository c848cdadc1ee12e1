use leptos::prelude::*;

use super::errors;
use super::state::AppState;
use super::text_field::{field_error, focus_first_invalid, TextField};
use super::unsaved::UnsavedEdits;
use crate::domain::{
    Contact, ContactDraft, ContactId, ContactKind, DomainError, Field, FieldErrors, Source,
};
use crate::i18n::{labels, t, Text};

/// The form's text, one signal per field, so typing touches nothing else.
#[derive(Clone, Copy)]
struct Inputs {
    name: RwSignal<String>,
    kind: RwSignal<String>,
    organisation: RwSignal<String>,
    title: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    website: RwSignal<String>,
    source: RwSignal<String>,
    notes: RwSignal<String>,
}

impl Inputs {
    fn new(contact: Option<&Contact>) -> Inputs {
        let text = |f: fn(&Contact) -> String| RwSignal::new(contact.map(f).unwrap_or_default());
        Inputs {
            name: text(|c| c.name.clone()),
            kind: text(|c| c.kind.name().to_owned()),
            organisation: text(|c| c.organisation.clone()),
            title: text(|c| c.title.clone()),
            email: text(|c| c.email.clone()),
            phone: text(|c| c.phone.clone()),
            website: text(|c| c.website.clone()),
            source: RwSignal::new(
                contact
                    .map(|c| c.source.option_value())
                    .unwrap_or_else(|| Source::Other.option_value()),
            ),
            notes: text(|c| c.notes.clone()),
        }
    }

    fn draft(&self, tags: String) -> ContactDraft {
        ContactDraft {
            name: self.name.get_untracked(),
            kind: self
                .kind
                .with_untracked(|k| ContactKind::from_name(k))
                .unwrap_or_default(),
            organisation: self.organisation.get_untracked(),
            title: self.title.get_untracked(),
            email: self.email.get_untracked(),
            phone: self.phone.get_untracked(),
            website: self.website.get_untracked(),
            source: self.source.with_untracked(|v| Source::from_option_value(v)),
            notes: self.notes.get_untracked(),
            tags,
        }
    }
}

/// New contact and edit contact. Saves through the domain and reports each
/// refused field under that field.
#[component]
pub fn ContactForm(
    /// The contact being edited; `None` for a new one.
    editing: Option<ContactId>,
    /// Called with the saved contact's id.
    on_saved: Callback<ContactId>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (inputs, tags, sources) = state.with_untracked(|p| {
        let contact = editing.and_then(|id| p.contact(id));
        (
            Inputs::new(contact),
            contact.map(|c| c.tags.join(", ")).unwrap_or_default(),
            p.sources(),
        )
    });
    let errors = RwSignal::new(FieldErrors::new());
    let (failure, set_failure) = signal(None::<String>);
    let (status, set_status) = signal(None::<&'static str>);
    let tags = StoredValue::new(tags);

    // Checks the form and saves it: a new contact is added, an edited one
    // updated. `Some(id)` once saved.
    let save = move || -> Option<ContactId> {
        let fields = match inputs.draft(tags.get_value()).validate() {
            Ok(fields) => fields,
            Err(e) => {
                errors.set(e);
                set_status.set(Some(t(Text::NotSavedCorrect)));
                focus_first_invalid(".contact-form");
                return None;
            }
        };
        errors.set(FieldErrors::new());
        let saved = state.run(|p, now| match editing {
            Some(id) => p.update_contact(id, fields, now).map(|_| id),
            None => p.add_contact(fields, now),
        });
        match saved {
            Ok(id) => {
                set_status.set(Some(t(Text::Saved)));
                Some(id)
            }
            Err(DomainError::Invalid(e)) => {
                errors.set(e);
                None
            }
            Err(e) => {
                set_failure.set(Some(errors::domain(&e)));
                None
            }
        }
    };
    // An existing contact is saved as it is edited, like every edit form.
    let editing_existing = editing.is_some();
    if editing_existing {
        // A contact deleted meanwhile has nothing left to save.
        let gone =
            move || editing.is_some_and(|id| state.with_untracked(|p| p.contact(id).is_none()));
        UnsavedEdits::keep_while_shown(move || gone() || save().is_some());
    }
    let on_change = move |_| {
        if editing_existing {
            save();
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(id) = save() {
            on_saved.run(id);
        }
    };

    let source_options = sources
        .into_iter()
        .map(|s| {
            let text = labels::source(&s).to_owned();
            view! { <option value=s.option_value()>{text}</option> }
        })
        .collect_view();

    view! {
        <form class="contact-form" on:submit=submit on:change=on_change novalidate>
            {editing_existing.then(|| view! { <p class="hint">{t(Text::SavedAsYouGo)}</p> })}
            <TextField id="contact-name" label=t(Text::Name) field=Field::Name value=inputs.name errors autocomplete="name"/>
            <div class="field">
                <label for="contact-type">{t(Text::Type)}</label>
                <select id="contact-type" bind:value=inputs.kind>
                    <option value=ContactKind::Person.name()>{t(Text::Person)}</option>
                    <option value=ContactKind::Organisation.name()>
                        {t(Text::Organisation)}
                    </option>
                </select>
            </div>
            <TextField id="contact-organisation" label=t(Text::Organisation) field=Field::Organisation value=inputs.organisation errors autocomplete="organization"/>
            <TextField id="contact-title" label=t(Text::Title) field=Field::Title value=inputs.title errors autocomplete="organization-title"/>
            <TextField id="contact-email" label=t(Text::Email) field=Field::Email value=inputs.email errors input_type="email" autocomplete="email"/>
            <TextField id="contact-phone" label=t(Text::Phone) field=Field::Phone value=inputs.phone errors input_type="tel" autocomplete="tel"/>
            <TextField id="contact-website" label=t(Text::Website) field=Field::Website value=inputs.website errors input_type="url" autocomplete="url"/>
            <div class="field">
                <label for="contact-source">{t(Text::Source)}</label>
                <select id="contact-source" bind:value=inputs.source>{source_options}</select>
            </div>
            <div class="field">
                <label for="contact-notes">{t(Text::Notes)}</label>
                <textarea id="contact-notes" rows="3" bind:value=inputs.notes></textarea>
                {move || {
                    field_error(errors, Field::Notes).map(|e| view! { <p class="field-error">{e}</p> })
                }}
            </div>
            {move || failure.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <p class="form-status" role="status">{move || editing_existing.then(|| status.get()).flatten()}</p>
            <div class="button-row">
                <button type="submit">{t(if editing_existing { Text::Done } else { Text::Save })}</button>
                {(!editing_existing).then(|| view! {
                    <button type="button" class="quiet" on:click=move |_| on_cancel.run(())>
                        {t(Text::Cancel)}
                    </button>
                })}
            </div>
        </form>
    }
}
