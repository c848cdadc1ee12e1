use leptos::prelude::*;

use crate::domain::{
    ContractStatus, Currency, DealTermsDraft, DomainError, Field, FieldErrors, NumberLocale,
    Opportunity, OpportunityDraft, OpportunityId, OpportunityStatus, PaymentTerms, Pipeline,
    RecordRef, Stage, OPEN_STAGES,
};
use crate::i18n::{self, fill, labels, t, Text};
use crate::nav::{Route, Section};
use crate::ui::close_deal::{LostDialog, MarkLostDialog, MarkWonDialog, WonDialog};
use crate::ui::errors;
use crate::ui::state::{local_day, AppState};
use crate::ui::text_field::{field_error, focus_first_invalid, TextField};
use crate::ui::timeline::Timeline;
use crate::ui::unsaved::UnsavedEdits;

/// Amounts are read and written the way the language on screen writes them.
fn locale() -> NumberLocale {
    i18n::language().number_locale()
}

/// The Payment terms choice that shows a text field for the user's own.
/// The option value of typed terms.
const CUSTOM_TERMS: &str = "custom";

/// Everything the page shows of an opportunity, read from the pipeline in
/// one go so the page renders from plain data.
#[derive(Clone, Debug, PartialEq)]
struct OpportunitySummary {
    name: String,
    stage: Stage,
    probability: u8,
    amount: Option<String>,
    weighted: Option<String>,
    /// "Won on …" or "Lost on …", with the reason and note of a lost deal.
    closed: Option<(String, Option<String>)>,
    /// Link and name.
    contact: Option<(String, String)>,
    lead: Option<String>,
    account: Option<(String, String)>,
    /// The form, filled with the opportunity as it stands.
    draft: OpportunityDraft,
}

impl OpportunitySummary {
    fn of(p: &Pipeline, o: &Opportunity) -> OpportunitySummary {
        let money = i18n::money;
        let closed = match &o.status {
            OpportunityStatus::Won { closed_on } => {
                Some((fill(Text::WonOnDate, &[&i18n::date(*closed_on)]), None))
            }
            OpportunityStatus::Lost {
                reason,
                note,
                closed_on,
            } => Some((
                fill(
                    Text::LostOnDate,
                    &[&i18n::date(*closed_on), labels::lost_reason(*reason)],
                ),
                (!note.is_empty()).then(|| note.clone()),
            )),
            _ => None,
        };
        OpportunitySummary {
            name: o.name.clone(),
            stage: o.stage(),
            probability: o.probability(),
            amount: o.terms.amount.map(money),
            weighted: o.weighted_amount().filter(|_| o.is_open()).map(money),
            closed,
            contact: p.contact(o.contact).map(|c| {
                (
                    Route::Record(Section::Contacts, c.id.0).to_hash(),
                    c.name.clone(),
                )
            }),
            lead: o.lead.map(|l| Route::Record(Section::Leads, l.0).to_hash()),
            account: o.account.and_then(|a| p.account(a)).map(|a| {
                (
                    Route::Record(Section::Accounts, a.id.0).to_hash(),
                    a.name.clone(),
                )
            }),
            draft: OpportunityDraft::of(o, locale()),
        }
    }
}

/// The Payment terms choice and the custom text, as the form shows them.
fn payment_choice(terms: &Option<PaymentTerms>) -> (String, String) {
    match terms {
        None => (String::new(), String::new()),
        Some(PaymentTerms::Custom(text)) => (CUSTOM_TERMS.to_owned(), text.clone()),
        Some(preset) => (preset.name().to_owned(), String::new()),
    }
}

/// The form field an input of the deal form edits, by the input's id.
fn field_of_input(id: &str) -> Option<Field> {
    Some(match id {
        "opportunity-name" => Field::Name,
        "opportunity-stage" => Field::Stage,
        "opportunity-amount" => Field::Amount,
        "opportunity-currency" => Field::Currency,
        "opportunity-payment-terms" | "opportunity-custom-terms" => Field::PaymentTerms,
        "opportunity-contract-status" => Field::ContractStatus,
        "opportunity-expected-close" => Field::ExpectedCloseDate,
        "opportunity-probability" => Field::Probability,
        "opportunity-current-supplier" => Field::CurrentSupplier,
        "opportunity-supplier-dismissed" => Field::CurrentSupplierDismissed,
        "opportunity-competitors" => Field::Competitors,
        "opportunity-next-step" => Field::NextStep,
        "opportunity-next-step-date" => Field::NextStepDate,
        _ => return None,
    })
}

/// The form's text, one signal per field, so typing touches nothing else.
#[derive(Clone, Copy)]
struct Inputs {
    name: RwSignal<String>,
    stage: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    payment_terms: RwSignal<String>,
    custom_terms: RwSignal<String>,
    contract_status: RwSignal<String>,
    expected_close: RwSignal<String>,
    probability: RwSignal<String>,
    current_supplier: RwSignal<String>,
    current_supplier_dismissed: RwSignal<bool>,
    competitors: RwSignal<String>,
    next_step: RwSignal<String>,
    next_step_date: RwSignal<String>,
}

impl Inputs {
    fn new(d: &OpportunityDraft) -> Inputs {
        let t = &d.terms;
        let text = |s: &str| RwSignal::new(s.to_owned());
        let (payment_terms, custom_terms) = payment_choice(&t.payment_terms);
        Inputs {
            name: text(&d.name),
            stage: text(d.stage.name()),
            amount: text(&t.amount),
            currency: text(t.currency.code()),
            payment_terms: RwSignal::new(payment_terms),
            custom_terms: RwSignal::new(custom_terms),
            contract_status: text(t.contract_status.name()),
            expected_close: text(&t.expected_close),
            probability: text(&t.probability),
            current_supplier: text(&t.current_supplier),
            current_supplier_dismissed: RwSignal::new(t.current_supplier_dismissed),
            competitors: text(&t.competitors),
            next_step: text(&t.next_step),
            next_step_date: text(&t.next_step_date),
        }
    }

    /// Shows `field` as `d` has it.
    fn show(&self, d: &OpportunityDraft, field: Field) {
        let t = &d.terms;
        let set = |signal: RwSignal<String>, value: &str| {
            if signal.with_untracked(|v| v != value) {
                signal.set(value.to_owned());
            }
        };
        match field {
            Field::Name => set(self.name, &d.name),
            Field::Stage => set(self.stage, d.stage.name()),
            Field::Amount => set(self.amount, &t.amount),
            Field::Currency => set(self.currency, t.currency.code()),
            Field::PaymentTerms => {
                let (choice, custom) = payment_choice(&t.payment_terms);
                set(self.payment_terms, &choice);
                set(self.custom_terms, &custom);
            }
            Field::ContractStatus => set(self.contract_status, t.contract_status.name()),
            Field::ExpectedCloseDate => set(self.expected_close, &t.expected_close),
            Field::Probability => set(self.probability, &t.probability),
            Field::CurrentSupplier => set(self.current_supplier, &t.current_supplier),
            Field::CurrentSupplierDismissed
                if self.current_supplier_dismissed.get_untracked()
                    != t.current_supplier_dismissed =>
            {
                self.current_supplier_dismissed
                    .set(t.current_supplier_dismissed);
            }
            Field::Competitors => set(self.competitors, &t.competitors),
            Field::NextStep => set(self.next_step, &t.next_step),
            Field::NextStepDate => set(self.next_step_date, &t.next_step_date),
            _ => {}
        }
    }

    /// The selected stage (the opportunity's own if the choice is unknown).
    fn stage(&self, fallback: Stage) -> Stage {
        self.stage
            .with(|name| Stage::from_name(name))
            .unwrap_or(fallback)
    }

    /// The form as typed, for the domain to check.
    fn draft(&self, old: &OpportunityDraft) -> OpportunityDraft {
        let payment_terms = self
            .payment_terms
            .with_untracked(|choice| match choice.as_str() {
                "" => None,
                CUSTOM_TERMS => Some(PaymentTerms::Custom(self.custom_terms.get_untracked())),
                name => PaymentTerms::preset(name).or_else(|| old.terms.payment_terms.clone()),
            });
        let contract_status = self
            .contract_status
            .with_untracked(|name| ContractStatus::from_name(name))
            .unwrap_or(old.terms.contract_status);
        OpportunityDraft {
            name: self.name.get_untracked(),
            stage: untrack(|| self.stage(old.stage)),
            terms: DealTermsDraft {
                amount: self.amount.get_untracked(),
                currency: self
                    .currency
                    .with_untracked(|c| c.parse::<Currency>())
                    .unwrap_or(old.terms.currency),
                payment_terms,
                contract_status,
                expected_close: self.expected_close.get_untracked(),
                probability: self.probability.get_untracked(),
                current_supplier: self.current_supplier.get_untracked(),
                current_supplier_dismissed: self.current_supplier_dismissed.get_untracked(),
                competitors: self.competitors.get_untracked(),
                next_step: self.next_step.get_untracked(),
                next_step_date: self.next_step_date.get_untracked(),
            },
        }
    }
}

/// `<option>`s for (value, text) pairs, with the value `current` selected.
/// Values stay the domain's English labels; the text is in the language on
/// screen.
fn options(choices: &[(&str, &str)], current: &str) -> impl IntoView {
    choices
        .iter()
        .map(|&(value, text)| {
            let selected = value == current;
            view! { <option value=value.to_owned() selected=selected>{text.to_owned()}</option> }
        })
        .collect_view()
}

#[component]
pub fn OpportunityPage(id: u64) -> impl IntoView {
    let state = expect_context::<AppState>();
    // An old address (#/contacts/12) names the record by its old number.
    let id = state.with_untracked(|p| {
        p.opportunity(OpportunityId(id))
            .map_or(OpportunityId(id), |r| r.id)
    });
    let errors = RwSignal::new(FieldErrors::new());
    let (status, set_status) = signal(None::<String>);
    let (failure, set_failure) = signal(None::<String>);
    let report = move |result: Result<String, DomainError>| match result {
        Ok(done) => {
            set_failure.set(None);
            set_status.set(Some(done));
        }
        Err(e) => {
            set_status.set(None);
            set_failure.set(Some(errors::domain(&e)));
        }
    };

    let summary =
        Memo::new(move |_| state.with(|p| p.opportunity(id).map(|o| OpportunitySummary::of(p, o))));
    // The form as stored: what each field shows unless the user's own typing
    // was refused.
    let saved = Memo::new(move |_| summary.with(|s| s.as_ref().map(|s| s.draft.clone())));
    // `None`: no such opportunity; else whether it is open, and the stage it
    // closed in. The form is rebuilt only when this changes, so saving a
    // field keeps the focus where the user is.
    let shape = Memo::new(move |_| {
        summary
            .with(|s| s.as_ref().map(|s| (s.stage.is_open(), s.stage)))
            .map(|(open, stage)| (open, (!open).then_some(stage)))
    });
    // The fields' text lives as long as the page: a form rebuilt (after
    // Reopen) shows it again, and the page's last save can still read it.
    let inputs = Inputs::new(&saved.get_untracked().unwrap_or_default());

    // Saves one field as typed. Each is checked on its own, so a refused
    // field never holds back the others; it stays on screen with its error.
    let save_field = move |field: Field| -> bool {
        let Some(Some(stored)) = saved.try_get_untracked() else {
            return true;
        };
        let typed = inputs.draft(&stored);
        let candidate = stored.with_field(&typed, field);
        if candidate == stored {
            errors.update(|e| e.remove(field));
            if errors.with_untracked(FieldErrors::is_empty) {
                set_failure.set(None);
            }
            return true;
        }
        let refused = match candidate.validate(locale()) {
            Ok(edit) => match state.run(|p, now| p.edit_opportunity(id, edit, now)) {
                Ok(_) => None,
                Err(DomainError::Invalid(e)) => Some(e),
                Err(e) => {
                    report(Err(e));
                    return false;
                }
            },
            Err(e) => Some(e),
        };
        match refused {
            None => {
                errors.update(|e| e.remove(field));
                // The saved field in its tidy form ("42,000.00").
                if let Some(Some(now)) = saved.try_get_untracked() {
                    inputs.show(&now, field);
                }
                set_status.set(Some(t(Text::Saved).to_owned()));
                if errors.with_untracked(FieldErrors::is_empty) {
                    set_failure.set(None);
                }
                true
            }
            Some(problems) => {
                errors.update(|e| {
                    e.remove(field);
                    e.extend(&problems);
                });
                set_status.set(None);
                set_failure.set(Some(t(Text::NotSavedCorrect).to_owned()));
                false
            }
        }
    };
    // Saves every field that differs from what is stored; `false` if any
    // was refused (then the first refused field gets the focus).
    let save_all = move || {
        // Every field gets its turn, even after one was refused.
        let mut all_saved = true;
        for field in OpportunityDraft::FIELDS {
            all_saved &= save_field(field);
        }
        if !all_saved {
            focus_first_invalid(".deal-form");
        }
        all_saved
    };
    UnsavedEdits::keep_while_shown(save_all);
    // What changed elsewhere (Undo, another tab) is shown in the fields that
    // still show the old stored value; a field with the user's own typing
    // (refused, or not saved yet because it still has the focus) keeps it.
    let shown = StoredValue::new(saved.get_untracked().unwrap_or_default());
    Effect::new(move |_| {
        saved.with(|d| {
            let Some(d) = d else { return };
            let before = shown.get_value();
            let typed = inputs.draft(&before);
            for field in OpportunityDraft::FIELDS {
                let untouched = before.with_field(&typed, field) == before;
                if untouched && errors.with_untracked(|e| e.get(field).is_none()) {
                    inputs.show(d, field);
                }
            }
            shown.set_value(d.clone());
        });
    });
    // Actions act on what is on screen: it is saved first, or they wait.
    let act = move |action: &dyn Fn()| {
        if save_all() {
            action();
        } else {
            set_failure.set(Some(t(Text::SaveBeforeActing).to_owned()));
        }
    };

    let won = WonDialog::new();
    let open_won = move |_| act(&|| won.open());
    let confirm_won =
        Callback::new(
            move |()| match state.run(|p, now| p.mark_won(id, local_day(now), now)) {
                Ok(account) => {
                    won.close();
                    let customer = state
                        .with_untracked(|p| p.account(account).map(|a| a.name.clone()))
                        .unwrap_or_default();
                    report(Ok(fill(Text::MarkedWon, &[&customer])));
                }
                Err(e) => won.refused(&e),
            },
        );

    let lost = LostDialog::new();
    let open_lost = move |_| act(&|| lost.open());
    let confirm_lost = Callback::new(move |()| {
        let Some((reason, note)) = lost.answer() else {
            return;
        };
        match state.run(|p, now| p.mark_lost(id, reason, &note, local_day(now), now)) {
            Ok(()) => {
                lost.close();
                report(Ok(fill(Text::MarkedLost, &[labels::lost_reason(reason)])));
            }
            Err(e) => lost.refused(e),
        }
    });

    let reopen = move |_| {
        report(
            state
                .run(|p, now| p.reopen_opportunity(id, now))
                .map(|stage| fill(Text::ReopenedAtStage, &[labels::stage(stage)])),
        );
    };

    // Mark won, Mark lost or Reopen: redrawn only when the deal opens or
    // closes, so a field saved as the pointer goes down on a button does
    // not replace the button under it.
    let actions = move || {
        let (is_open, _) = shape.get()?;
        Some(if is_open {
            view! {
                <button type="button" on:click=open_won>{t(Text::MarkWon)}</button>
                <button type="button" class="danger" on:click=open_lost>{t(Text::MarkLost)}</button>
            }
            .into_any()
        } else {
            view! { <button type="button" on:click=reopen>{t(Text::Reopen)}</button> }.into_any()
        })
    };
    let name = move || summary.with(|s| s.as_ref().map(|s| s.name.clone()));
    // The stage, amounts and links: redrawn with every change.
    let details = move || {
        let s = summary.get()?;
        let closed = s.closed.map(|(text, note)| {
            view! {
                <dt>{t(Text::Closed)}</dt>
                <dd>{text}</dd>
                {note.map(|n| view! { <dt>{t(Text::Note)}</dt><dd class="notes">{n}</dd> })}
            }
        });
        let contact = s.contact.map(
            |(href, name)| view! { <dt>{t(Text::Contact)}</dt><dd><a href=href>{name}</a></dd> },
        );
        let lead = s
            .lead
            .map(|href| view! { <dt>{t(Text::Lead)}</dt><dd><a href=href>{t(Text::LeadItCameFrom)}</a></dd> });
        let account = s.account.map(
            |(href, name)| view! { <dt>{t(Text::Customer)}</dt><dd><a href=href>{name}</a></dd> },
        );
        Some(view! {
            <dt>{t(Text::Stage)}</dt>
            <dd>{labels::stage(s.stage)}</dd>
            <dt>{t(Text::Probability)}</dt>
            <dd>{i18n::percent(s.probability)}</dd>
            <dt>{t(Text::Amount)}</dt>
            <dd>{s.amount.unwrap_or_else(|| t(Text::NotSet).to_owned())}</dd>
            {s.weighted.map(|w| view! { <dt>{t(Text::WeightedAmount)}</dt><dd>{w}</dd> })}
            {closed}
            {contact}
            {lead}
            {account}
        })
    };

    let page = move || {
        let Some((is_open, closed_stage)) = shape.get() else {
            return view! {
                <h1 id="screen-title">{t(Text::OpportunityNotFound)}</h1>
                <p>
                    {t(Text::OpportunityGone)}
                    <a href="#/opportunities">{t(Text::BackToOpportunities)}</a>
                </p>
            }
            .into_any();
        };
        let Some(stored) = saved.get_untracked() else {
            return ().into_any();
        };
        errors.set(FieldErrors::new());
        for field in OpportunityDraft::FIELDS {
            inputs.show(&stored, field);
        }
        shown.set_value(stored.clone());
        let current_stage = closed_stage.unwrap_or(stored.stage);
        let on_change = move |ev: leptos::ev::Event| {
            let field = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| field_of_input(&el.id()));
            if let Some(field) = field {
                save_field(field);
            }
        };
        // Fields save as they change; Save (or Enter) saves the one still
        // being typed in.
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if save_all() {
                report(Ok(t(Text::Saved).to_owned()));
            }
        };

        // The stages the select offers: the open ones, plus the closed one it is in.
        let stage_choices: Vec<(&str, &str)> = OPEN_STAGES
            .into_iter()
            .chain((!is_open).then_some(current_stage))
            .map(|s| (s.name(), labels::stage(s)))
            .collect();
        let stage_default = move || inputs.stage(current_stage).default_probability();
        let probability_hint = move || {
            let default = stage_default();
            if !is_open {
                fill(
                    Text::ClosedDealsCountAs,
                    &[&i18n::percent(current_stage.default_probability())],
                )
            } else if inputs.probability.with(|p| p.trim().is_empty()) {
                fill(Text::UsingStageDefault, &[&i18n::percent(default)])
            } else {
                fill(Text::OverridesStageDefault, &[&i18n::percent(default)])
            }
        };
        let probability_error = move || field_error(errors, Field::Probability);
        let payment_choice = inputs.payment_terms.get_untracked();
        let payment_choices = PaymentTerms::PRESETS
            .iter()
            .map(|p| (p.name(), labels::payment_terms(p)))
            .chain([(CUSTOM_TERMS, t(Text::CustomTerms))])
            .collect::<Vec<_>>();
        let custom_terms = move || {
            (inputs.payment_terms.get() == CUSTOM_TERMS).then(|| {
                view! {
                    <TextField
                        id="opportunity-custom-terms"
                        label=t(Text::CustomPaymentTerms)
                        field=Field::PaymentTerms
                        value=inputs.custom_terms
                        errors
                    />
                }
            })
        };
        let payment_error = move || {
            (inputs.payment_terms.get() != CUSTOM_TERMS)
                .then(|| field_error(errors, Field::PaymentTerms))
                .flatten()
        };

        view! {
            <p class="breadcrumb"><a href="#/opportunities">{t(Text::Opportunities)}</a></p>
            <div class="screen-header">
                <h1 id="screen-title">{name}</h1>
                <div class="button-row">{actions}</div>
            </div>
            // Below the buttons: a line that appears as a field is saved (the
            // pointer already on a button) must not move the button away.
            {move || failure.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <p class="form-status" role="status">{move || status.get()}</p>
            <dl class="details deal-summary">{details}</dl>
            <form
                class="deal-form"
                on:submit=submit
                on:change=on_change
                novalidate
                aria-labelledby="deal-terms-title"
            >
                <h2 id="deal-terms-title">{t(Text::DealTerms)}</h2>
                {if is_open {
                    view! { <p class="hint">{t(Text::SavedAsYouGo)}</p> }
                } else {
                    view! { <p class="hint">{t(Text::ClosedReopenToChange)}</p> }
                }}
                <fieldset disabled=!is_open>
                    <legend class="visually-hidden">{t(Text::DealTerms)}</legend>
                    <div class="deal-grid">
                        <TextField id="opportunity-name" label=t(Text::Name) field=Field::Name value=inputs.name errors/>
                        <div class="field">
                            <label for="opportunity-stage">{t(Text::Stage)}</label>
                            <select
                                id="opportunity-stage"
                                on:change=move |ev| inputs.stage.set(event_target_value(&ev))
                                aria-invalid=move || field_error(errors, Field::Stage).map(|_| "true")
                            >
                                {options(&stage_choices, current_stage.name())}
                            </select>
                            {move || field_error(errors, Field::Stage).map(|e| view! { <p class="field-error">{e}</p> })}
                        </div>
                        <TextField
                            id="opportunity-amount"
                            label=t(Text::Amount)
                            field=Field::Amount
                            value=inputs.amount
                            errors
                            inputmode="decimal"
                            hint=t(Text::AmountExample)
                        />
                        <div class="field">
                            <label for="opportunity-currency">{t(Text::Currency)}</label>
                            <select
                                id="opportunity-currency"
                                on:change=move |ev| inputs.currency.set(event_target_value(&ev))
                            >
                                {options(&Currency::ALL.map(|c| (c.code(), c.code())), &inputs.currency.get_untracked())}
                            </select>
                            {move || field_error(errors, Field::Currency).map(|e| view! { <p class="field-error">{e}</p> })}
                        </div>
                        <div class="field">
                            <label for="opportunity-payment-terms">{t(Text::PaymentTerms)}</label>
                            <select
                                id="opportunity-payment-terms"
                                on:change=move |ev| inputs.payment_terms.set(event_target_value(&ev))
                            >
                                <option value="" selected=payment_choice.is_empty()>{t(Text::NotSet)}</option>
                                {options(&payment_choices, &payment_choice)}
                            </select>
                            {payment_error}
                        </div>
                        {custom_terms}
                        <div class="field">
                            <label for="opportunity-contract-status">{t(Text::ContractStatus)}</label>
                            <select
                                id="opportunity-contract-status"
                                on:change=move |ev| inputs.contract_status.set(event_target_value(&ev))
                            >
                                {options(
                                    &ContractStatus::ALL.map(|c| (c.name(), labels::contract_status(c))),
                                    &inputs.contract_status.get_untracked(),
                                )}
                            </select>
                        </div>
                        <TextField
                            id="opportunity-expected-close"
                            label=t(Text::ExpectedCloseDate)
                            field=Field::ExpectedCloseDate
                            value=inputs.expected_close
                            errors
                            input_type="date"
                        />
                        <div class="field">
                            <label for="opportunity-probability">{t(Text::Probability)}</label>
                            <div class="with-unit">
                                <input
                                    id="opportunity-probability"
                                    type="text"
                                    inputmode="numeric"
                                    size="4"
                                    bind:value=inputs.probability
                                    placeholder=move || stage_default().to_string()
                                    aria-invalid=move || probability_error().is_some().then_some("true")
                                    aria-describedby=move || {
                                        if probability_error().is_some() {
                                            "opportunity-probability-hint opportunity-probability-error"
                                        } else {
                                            "opportunity-probability-hint"
                                        }
                                    }
                                />
                                <span aria-hidden="true">"%"</span>
                            </div>
                            <p class="hint" id="opportunity-probability-hint">{probability_hint}</p>
                            {move || {
                                probability_error()
                                    .map(|e| view! { <p class="field-error" id="opportunity-probability-error">{e}</p> })
                            }}
                        </div>
                        <TextField
                            id="opportunity-current-supplier"
                            label=t(Text::CurrentSupplier)
                            field=Field::CurrentSupplier
                            value=inputs.current_supplier
                            errors
                        />
                        <div class="field checkbox-field">
                            <input
                                id="opportunity-supplier-dismissed"
                                type="checkbox"
                                bind:checked=inputs.current_supplier_dismissed
                            />
                            <label for="opportunity-supplier-dismissed">
                                {t(Text::CurrentSupplierDismissed)}
                            </label>
                        </div>
                        <TextField
                            id="opportunity-competitors"
                            label=t(Text::Competitors)
                            field=Field::Competitors
                            value=inputs.competitors
                            errors
                            hint=t(Text::SeparateWithCommas)
                        />
                        <TextField
                            id="opportunity-next-step"
                            label=t(Text::NextStep)
                            field=Field::NextStep
                            value=inputs.next_step
                            errors
                        />
                        <TextField
                            id="opportunity-next-step-date"
                            label=t(Text::NextStepDate)
                            field=Field::NextStepDate
                            value=inputs.next_step_date
                            errors
                            input_type="date"
                        />
                    </div>
                    <div class="button-row">
                        <button type="submit">{t(Text::Save)}</button>
                    </div>
                </fieldset>
            </form>
            <Timeline record=RecordRef::Opportunity(id)/>
        }
        .into_any()
    };

    view! {
        <section class="screen opportunity-page" aria-labelledby="screen-title">
            {page}
            <MarkWonDialog dialog=won on_confirm=confirm_won/>
            <MarkLostDialog dialog=lost on_confirm=confirm_lost/>
        </section>
    }
}
