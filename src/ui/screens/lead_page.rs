use crate::ui::form_dialog::{DialogRef, FormDialog};
use leptos::prelude::*;

use crate::domain::time::{date_text, format_date, parse_date};
use crate::domain::{
    BuyingRole, Checklist, Criterion, DisqualifyReason, DomainError, Lead, LeadId, LeadStatus,
    LeadStatusKind, Pipeline, RecordRef,
};
use crate::i18n::{fill, labels, t, Text};
use crate::nav::{Route, Section};
use crate::ui::errors;
use crate::ui::navigate::{focus_on_arrival, go_to};
use crate::ui::state::AppState;
use crate::ui::timeline::Timeline;
use crate::ui::unsaved::UnsavedEdits;

/// Everything the page shows of a lead, read from the pipeline in one go so
/// the page renders from plain data.
#[derive(Clone, PartialEq)]
struct LeadSummary {
    name: String,
    contact_href: String,
    organisation: String,
    status: LeadStatusKind,
    /// Reason and note, when disqualified.
    disqualified: Option<(&'static str, String)>,
    /// Link and name of the opportunity it became, when converted.
    opportunity: Option<(String, String)>,
    checklist: Checklist,
    /// What keeps it from being qualified, in the domain's words.
    gate_problem: Option<String>,
    buying_role: BuyingRole,
    interest: String,
    /// The follow-up as the fields show it (the date as YYYY-MM-DD).
    next_step: (String, String),
}

impl LeadSummary {
    fn of(p: &Pipeline, l: &Lead) -> LeadSummary {
        let (name, organisation) = p
            .contact(l.contact)
            .map(|c| (c.name.clone(), c.organisation.clone()))
            .unwrap_or_default();
        LeadSummary {
            name,
            contact_href: Route::Record(Section::Contacts, l.contact.0).to_hash(),
            organisation,
            status: l.status.kind(),
            disqualified: match &l.status {
                LeadStatus::Disqualified { reason, note } => {
                    Some((labels::disqualify_reason(*reason), note.clone()))
                }
                _ => None,
            },
            opportunity: l.opportunity().map(|o| {
                (
                    Route::Record(Section::Opportunities, o.0).to_hash(),
                    p.opportunity(o).map(|o| o.name.clone()).unwrap_or_default(),
                )
            }),
            checklist: l.checklist.clone(),
            gate_problem: l.checklist.gate_problem().map(|e| errors::domain(&e)),
            buying_role: l.buying_role,
            interest: l.interest.clone(),
            next_step: (l.next_step.clone(), date_text(l.next_step_date)),
        }
    }
}

/// Moves focus to the element `id` once the change on screen has rendered,
/// e.g. to the status line after the button pressed has gone.
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// The id of a criterion's checkbox: `criterion-need`.
fn criterion_id(c: Criterion) -> String {
    format!("criterion-{}", c.name())
}

#[component]
pub fn LeadPage(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    // An old address (#/contacts/12) names the record by its old number.
    let id = state.with_untracked(|p| p.lead(LeadId(id)).map_or(LeadId(id), |r| r.id));
    // A refused status action, shown under the actions.
    let (error, set_error) = signal(None::<String>);
    // A refused edit of the checklist or details, shown under them.
    let (edit_error, set_edit_error) = signal(None::<String>);

    let summary = Memo::new(move |_| state.with(|p| p.lead(id).map(|l| LeadSummary::of(p, l))));
    if let Some(target) = focus_on_arrival() {
        focus_later(target);
    }
    // `None`: no such lead; `Some(converted)`. The page is rebuilt only when
    // this changes, so the form controls keep focus and unsaved typing.
    let shape = Memo::new(move |_| {
        summary.with(|s| s.as_ref().map(|s| s.status == LeadStatusKind::Converted))
    });
    // The checklist and buying role as stored, read by the controls.
    let checked =
        move |c: Criterion| summary.with(|s| s.as_ref().is_some_and(|s| s.checklist.is_checked(c)));
    let role = move || summary.with(|s| s.as_ref().map(|s| s.buying_role).unwrap_or_default());
    // Its own memo: the field is rewritten only when the stored text changes,
    // never because something else changed while someone is typing in it.
    let interest = Memo::new(move |_| {
        summary.with(|s| s.as_ref().map(|s| s.interest.clone()).unwrap_or_default())
    });

    // ----- status actions ----------------------------------------------------

    let done = move |result: Result<(), DomainError>| match result {
        Ok(()) => {
            set_error.set(None);
            focus_later("lead-status");
        }
        Err(e) => set_error.set(Some(errors::domain(&e))),
    };
    let mark_contacted = move |_| done(state.run(|p, now| p.mark_contacted(id, now)));
    let qualify = move |_| done(state.run(|p, now| p.qualify(id, now)));
    let reopen = move |_| done(state.run(|p, now| p.reopen_lead(id, now)));
    let convert = move |_| match state.run(|p, now| p.convert_lead(id, "", now)) {
        Ok(opportunity) => go_to(&Route::Record(Section::Opportunities, opportunity.0)),
        Err(e) => set_error.set(Some(errors::domain(&e))),
    };

    // ----- disqualify dialog ---------------------------------------------------

    let dialog = DialogRef::new();
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let reason_missing = RwSignal::new(false);
    let (dialog_error, set_dialog_error) = signal(None::<String>);
    let open_disqualify = move |_| {
        reason.set(String::new());
        note.set(String::new());
        reason_missing.set(false);
        set_dialog_error.set(None);
        dialog.open();
    };
    let close_dialog = move || {
        dialog.close();
    };
    let save_disqualify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = reason.with_untracked(|r| DisqualifyReason::from_name(r));
        let Some(chosen) = chosen else {
            reason_missing.set(true);
            focus_later("disqualify-reason");
            return;
        };
        reason_missing.set(false);
        let text = note.get_untracked();
        match state.run(|p, now| p.disqualify(id, chosen, &text, now)) {
            Ok(()) => {
                close_dialog();
                done(Ok(()));
            }
            Err(e) => set_dialog_error.set(Some(errors::domain(&e))),
        }
    };

    // ----- edits ---------------------------------------------------------------

    let edited = move |result: Result<bool, DomainError>| match result {
        Ok(_) => {
            set_edit_error.set(None);
            true
        }
        Err(e) => {
            set_edit_error.set(Some(match e {
                DomainError::Invalid(fields) => {
                    let first = fields
                        .iter()
                        .next()
                        .map(|f| errors::field(f.field, &f.problem));
                    first.unwrap_or_else(|| errors::domain(&DomainError::Invalid(fields)))
                }
                e => errors::domain(&e),
            }));
            false
        }
    };
    let save_date = move |ev: leptos::ev::Event| {
        let date = parse_date(&event_target_value(&ev));
        edited(state.run(|p, now| p.set_timeline_date(id, date, now)));
    };
    let save_role = move |ev: leptos::ev::Event| {
        let chosen = BuyingRole::from_name(&event_target_value(&ev)).unwrap_or_default();
        let text = interest.get_untracked();
        edited(state.run(|p, now| p.update_lead(id, chosen, &text, now)));
    };
    // The follow-up as stored, and as typed: a refused date stays on screen.
    let stored_step = Memo::new(move |_| {
        summary.with(|s| s.as_ref().map(|s| s.next_step.clone()).unwrap_or_default())
    });
    let step_text = RwSignal::new(stored_step.get_untracked().0);
    let step_date = RwSignal::new(stored_step.get_untracked().1);
    Effect::new(move |_| {
        let (text, date) = stored_step.get();
        step_text.set(text);
        step_date.set(date);
    });
    let save_step = move |_| {
        let (text, date) = (step_text.get_untracked(), step_date.get_untracked());
        edited(state.run(|p, now| p.set_lead_next_step(id, &text, &date, now)));
    };
    let save_interest = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let current = untrack(role);
        edited(state.run(|p, now| p.update_lead(id, current, &text, now)));
    };
    // Typing not yet saved (the field still has the focus) is saved when
    // the page goes or the tab closes.
    let interest_typed = RwSignal::new(None::<String>);
    UnsavedEdits::keep_while_shown(move || {
        // A lead gone meanwhile (Undo) has nothing left to save.
        if state.with_untracked(|p| p.lead(id).is_none()) {
            return true;
        }
        let mut saved = true;
        if let (Some(Some(text)), Some(stored)) = (
            interest_typed.try_get_untracked(),
            interest.try_get_untracked(),
        ) {
            if text != stored {
                let current = untrack(role);
                saved &= edited(state.run(|p, now| p.update_lead(id, current, &text, now)));
            }
        }
        if let Some(stored) = stored_step.try_get_untracked() {
            let typed = (step_text.get_untracked(), step_date.get_untracked());
            if typed != stored {
                saved &=
                    edited(state.run(|p, now| p.set_lead_next_step(id, &typed.0, &typed.1, now)));
            }
        }
        saved
    });

    // ----- the page --------------------------------------------------------------

    // Name, status, score and actions: rebuilt from the summary on each change.
    let overview = move || {
        let Some(s) = summary.get() else {
            return ().into_any();
        };
        let contact = if s.organisation.is_empty() {
            view! { <a href=s.contact_href>{s.name.clone()}</a> }.into_any()
        } else {
            view! { <a href=s.contact_href>{s.name.clone()}</a>" · "{s.organisation} }.into_any()
        };
        let status_class = format!(
            "lead-status status-{}",
            s.status.label().to_ascii_lowercase()
        );
        let disqualified = s.disqualified.map(|(reason, note)| {
            let note = (!note.is_empty()).then(|| view! { <p class="lead-note">{note}</p> });
            view! { <p>{t(Text::ReasonColon)}{reason}</p>{note} }
        });
        let converted = s.opportunity.map(|(href, name)| {
            view! {
                <p class="lead-converted">
                    {t(Text::ConvertedToStart)} <a href=href>{name}</a>
                    {t(Text::ConvertedToEnd)}
                </p>
            }
        });
        view! {
            <h1 id="screen-title">{s.name}</h1>
            <p class="lead-contact">{t(Text::ContactColon)} {contact}</p>
            <p class="lead-summary" id="lead-status" tabindex="-1">
                {t(Text::StatusColon)} <span class=status_class>{labels::lead_status(s.status)}</span>
                " · "
                <span class="lead-score">
                    {fill(Text::Score, &[&s.checklist.score().to_string()])}
                </span>
            </p>
            {disqualified}
            {converted}
        }
        .into_any()
    };
    // The actions and why Qualify waits: redrawn only when the status or the
    // gate changes, so a field saved as the pointer goes down on a button
    // does not replace the button under it.
    let gate = Memo::new(move |_| {
        summary.with(|s| s.as_ref().map(|s| (s.status, s.gate_problem.clone())))
    });
    let actions = move || {
        let (status, gate) = gate.get()?;
        let blocked = gate.is_some();
        let qualify_button = move || {
            view! {
                <button
                    type="button"
                    disabled=blocked
                    aria-describedby=blocked.then_some("qualify-help")
                    on:click=qualify
                >
                    {t(Text::Qualify)}
                </button>
            }
        };
        let disqualify_button = || view! { <button type="button" class="quiet" on:click=open_disqualify>{t(Text::Disqualify)}</button> };
        let buttons = match status {
            LeadStatusKind::New => view! {
                <button type="button" on:click=mark_contacted>{t(Text::MarkContacted)}</button>
                {qualify_button()}
                {disqualify_button()}
            }
            .into_any(),
            LeadStatusKind::Contacted => {
                view! { {qualify_button()} {disqualify_button()} }.into_any()
            }
            LeadStatusKind::Qualified => view! {
                <button type="button" on:click=convert>{t(Text::ConvertToOpportunity)}</button>
                {disqualify_button()}
            }
            .into_any(),
            LeadStatusKind::Disqualified => {
                view! { <button type="button" on:click=reopen>{t(Text::Reopen)}</button> }
                    .into_any()
            }
            LeadStatusKind::Converted => ().into_any(),
        };
        let help = gate
            .filter(|_| matches!(status, LeadStatusKind::New | LeadStatusKind::Contacted))
            .map(|text| view! { <p class="hint qualify-help" id="qualify-help">{text}</p> });
        Some(view! {
            <div class="button-row lead-actions">{buttons}</div>
            {help}
        })
    };

    let criteria = move || {
        Criterion::ALL
            .into_iter()
            .map(|c| {
                let input_id = criterion_id(c);
                let hint_id = format!("{input_id}-hint");
                let toggle = move |ev: leptos::ev::Event| {
                    let checked = event_target_checked(&ev);
                    if !edited(state.run(|p, now| p.set_criterion(id, c, checked, now))) {
                        // Refused: show the box as the pipeline has it.
                        event_target::<web_sys::HtmlInputElement>(&ev).set_checked(!checked);
                    }
                };
                let date = (c == Criterion::Timeline).then(|| {
                    view! {
                        <div class="field timeline-date">
                            <label for="timeline-date">{t(Text::ExpectedPurchaseDate)}</label>
                            <input
                                id="timeline-date"
                                type="date"
                                prop:value=move || {
                                    summary
                                        .with(|s| s.as_ref().and_then(|s| s.checklist.timeline_date))
                                        .map(format_date)
                                        .unwrap_or_default()
                                }
                                on:change=save_date
                            />
                        </div>
                    }
                });
                view! {
                    <div class="criterion">
                        <input
                            type="checkbox"
                            id=input_id.clone()
                            aria-describedby=hint_id.clone()
                            prop:checked=move || checked(c)
                            on:change=toggle
                        />
                        <label for=input_id>{labels::criterion(c)}</label>
                        <p class="hint" id=hint_id>
                            {labels::criterion_explained(c)} " "
                            {fill(Text::Points, &[&c.points().to_string()])}
                        </p>
                        {date}
                    </div>
                }
            })
            .collect_view()
    };

    let role_options = move || {
        let initial = untrack(role);
        BuyingRole::ALL
            .into_iter()
            .map(|r| {
                view! {
                    <option value=r.name() selected=r == initial>
                        {labels::buying_role(r)}
                    </option>
                }
            })
            .collect_view()
    };

    let page = move || {
        let Some(converted) = shape.get() else {
            return view! {
                <h1 id="screen-title">{t(Text::LeadNotFound)}</h1>
                <p>
                    {t(Text::LeadGone)}
                    <a href="#/leads">{t(Text::BackToLeads)}</a>
                </p>
            }
            .into_any();
        };
        view! {
            <p class="breadcrumb"><a href="#/leads">{t(Text::Leads)}</a></p>
            {overview}
            {actions}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <div class="lead-columns">
                <fieldset class="lead-checklist" disabled=converted>
                    <legend>{t(Text::Qualification)}</legend>
                    {(!converted)
                        .then(|| view! { <p class="hint">{t(Text::SavedAsYouGo)}</p> })}
                    {criteria()}
                </fieldset>
                <fieldset class="lead-details" disabled=converted>
                    <legend>{t(Text::Details)}</legend>
                    <div class="field">
                        <label for="lead-role">{t(Text::BuyingRole)}</label>
                        <select
                            id="lead-role"
                            prop:value=move || role().name()
                            on:change=save_role
                        >
                            {role_options()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="lead-interest">{t(Text::Interest)}</label>
                        <input
                            id="lead-interest"
                            type="text"
                            maxlength="500"
                            placeholder=t(Text::InterestHint)
                            prop:value=move || interest.get()
                            on:input=move |ev| interest_typed.set(Some(event_target_value(&ev)))
                            on:change=save_interest
                        />
                    </div>
                    <div class="field">
                        <label for="lead-next-step">{t(Text::NextStep)}</label>
                        <input
                            id="lead-next-step"
                            type="text"
                            maxlength="500"
                            bind:value=step_text
                            on:change=save_step
                        />
                    </div>
                    <div class="field">
                        <label for="lead-next-step-date">{t(Text::NextStepDate)}</label>
                        <input
                            id="lead-next-step-date"
                            type="date"
                            min="1900-01-01"
                            max="9999-12-31"
                            bind:value=step_date
                            on:change=save_step
                        />
                    </div>
                </fieldset>
            </div>
            {move || {
                edit_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })
            }}
            <Timeline record=RecordRef::Lead(id)/>
        }
        .into_any()
    };

    let reason_options = DisqualifyReason::ALL
        .into_iter()
        .map(|r| view! { <option value=r.name()>{labels::disqualify_reason(r)}</option> })
        .collect_view();

    view! {
        <section class="screen lead-page" aria-labelledby="screen-title">
            {page}
            <FormDialog dialog title_id="disqualify-title" title=t(Text::DisqualifyLead)>
                <form on:submit=save_disqualify novalidate>
                    <div class="field">
                        <label for="disqualify-reason">{t(Text::Reason)}</label>
                        <select
                            id="disqualify-reason"
                            bind:value=reason
                            aria-invalid=move || reason_missing.get().then_some("true")
                            aria-describedby=move || {
                                reason_missing.get().then_some("disqualify-reason-error")
                            }
                        >
                            <option value="">{t(Text::ChooseReason)}</option>
                            {reason_options}
                        </select>
                        {move || {
                            reason_missing
                                .get()
                                .then(|| {
                                    view! {
                                        <p class="field-error" id="disqualify-reason-error">
                                            {t(Text::ChooseWhyDisqualified)}
                                        </p>
                                    }
                                })
                        }}
                    </div>
                    <div class="field">
                        <label for="disqualify-note">{t(Text::Note)}</label>
                        <textarea id="disqualify-note" rows="3" maxlength="10000" bind:value=note></textarea>
                    </div>
                    {move || {
                        dialog_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })
                    }}
                    <div class="button-row">
                        <button type="submit">{t(Text::Save)}</button>
                        <button type="button" class="quiet" on:click=move |_| close_dialog()>
                            {t(Text::Cancel)}
                        </button>
                    </div>
                </form>
            </FormDialog>
        </section>
    }
}
