use crate::ui::form_dialog::{DialogRef, FormDialog};
use leptos::prelude::*;

use crate::domain::contact_list::{ContactOrder, ContactStage};
use crate::domain::{ContactId, Source};
use crate::i18n::{labels, list_count, t, Text};
use crate::nav::{Route, Section};
use crate::ui::contact_form::ContactForm;
use crate::ui::navigate::go_to;
use crate::ui::record_list::{empty_text, ListRows, ListState, ListTools, RecordTable};
use crate::ui::shortcuts::NewContactRequest;
use crate::ui::state::AppState;

#[component]
pub fn ContactsScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = ListState::new();
    let source_filter = RwSignal::new(String::new());
    let dialog = DialogRef::new();
    let form_key = RwSignal::new(0_u32);

    let stage_filter = RwSignal::new(String::new());
    let order = RwSignal::new(ContactOrder::default().name().to_owned());

    let matches = Memo::new(move |_| {
        let q = list.query.get();
        let source = source_filter.with(|s| (!s.is_empty()).then(|| Source::from_option_value(s)));
        let stage = stage_filter.with(|s| ContactStage::from_name(s));
        let order = order.with(|o| ContactOrder::from_name(o).unwrap_or_default());
        state.with(|p| p.contact_list(&q, source.as_ref(), stage, order))
    });

    let open_form = move || {
        form_key.update(|k| *k += 1);
        dialog.open();
    };
    // The `n` shortcut, pressed here or on another screen.
    let NewContactRequest(requested) = expect_context::<NewContactRequest>();
    Effect::new(move |_| {
        if requested.get() {
            requested.set(false);
            open_when_shown(dialog, open_form, 30);
        }
    });
    let close_form = move || {
        dialog.close();
    };
    let on_saved = Callback::new(move |id: ContactId| {
        close_form();
        go_to(&Route::Record(Section::Contacts, id.0));
    });
    let on_cancel = Callback::new(move |_| close_form());

    let rows = move || {
        let limit = list.shown.get();
        matches.with(|ids| {
            state.with(|p| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| p.contact(*id))
                    .map(|c| {
                        let href = Route::Record(Section::Contacts, c.id.0).to_hash();
                        view! {
                            <tr>
                                <td><a href=href>{c.name.clone()}</a></td>
                                <td>{c.organisation.clone()}</td>
                                <td>{c.email.clone()}</td>
                                <td>{labels::source(&c.source).to_owned()}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let count_text = move || {
        let total = state.with(|p| p.contacts().len());
        let found = matches.with(Vec::len);
        list_count(found, total, Text::OneContact, Text::NContacts)
    };
    let source_options = move || {
        state.with(|p| {
            p.sources()
                .into_iter()
                .map(|s| {
                    let text = labels::source(&s).to_owned();
                    view! { <option value=s.option_value()>{text}</option> }
                })
                .collect_view()
        })
    };

    let filters = move || {
        view! {
            <div class="field">
                <label for="contacts-stage">{t(Text::FilterByStage)}</label>
                <select id="contacts-stage" bind:value=stage_filter>
                    <option value="">{t(Text::AllStages)}</option>
                    {ContactStage::ALL
                        .map(|s| view! { <option value=s.name()>{labels::contact_stage(s)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="contacts-order">{t(Text::SortBy)}</label>
                <select id="contacts-order" bind:value=order>
                    {ContactOrder::ALL
                        .map(|o| view! { <option value=o.name()>{labels::contact_order(o)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="contacts-source">{t(Text::FilterBySource)}</label>
                <select id="contacts-source" bind:value=source_filter>
                    <option value="">{t(Text::AllSources)}</option>
                    {source_options}
                </select>
            </div>
        }
    };

    view! {
        <section class="screen contacts" aria-labelledby="screen-title">
            <div class="screen-header">
                <h1 id="screen-title">{t(Text::Contacts)}</h1>
                <div class="button-row">
                    <a class="button quiet" href=Route::Import.to_hash()>{t(Text::Import)}</a>
                    <button type="button" on:click=move |_| open_form()>{t(Text::NewContact)}</button>
                </div>
            </div>
            <ListTools list id="contacts" hint=t(Text::ContactSearchHint) count=count_text filters/>
            <ListRows
                list
                found=move || matches.with(Vec::len)
                empty=empty_text(
                    move || state.with(|p| p.contacts().is_empty()),
                    Text::NoContactsYet,
                    Text::NoContactMatches,
                )
            >
                <RecordTable
                    caption=t(Text::Contacts)
                    columns=vec![
                        (t(Text::Name), ""),
                        (t(Text::Organisation), ""),
                        (t(Text::Email), ""),
                        (t(Text::Source), ""),
                    ]
                >
                    {rows}
                </RecordTable>
            </ListRows>
            <FormDialog dialog title_id="new-contact-title" title=t(Text::NewContact)>
                {move || {
                    form_key.track();
                    view! { <ContactForm editing=None on_saved on_cancel/> }
                }}
            </FormDialog>
        </section>
    }
}

/// Runs `open` once the dialog is in the document.
fn open_when_shown(dialog: DialogRef, open: impl Fn() + 'static, frames_left: u32) {
    if dialog.is_shown_on_page() {
        open();
    } else if frames_left > 0 {
        request_animation_frame(move || open_when_shown(dialog, open, frames_left - 1));
    }
}
