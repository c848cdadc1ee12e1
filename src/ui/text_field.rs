//! The form field every form uses: a label, the input, an optional hint, and
//! the field's refusal under it in the language on screen, tied to the input
//! for screen readers.

use leptos::prelude::*;

use crate::domain::{Field, FieldErrors};
use crate::i18n::errors;

/// What is wrong with `field`, in words, if anything.
pub fn field_error(errors: RwSignal<FieldErrors>, field: Field) -> Option<String> {
    errors.with(|e| e.get(field).map(|p| errors::field(field, p)))
}

/// One labelled text (or email, date …) field with its hint and its error.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    field: Field,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let error = move || field_error(errors, field);
    let hint_id = (!hint.is_empty()).then(|| format!("{id}-hint"));
    let described = hint_id.clone();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=input_type
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                bind:value=value
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=move || {
                    let ids: Vec<String> = described
                        .iter()
                        .cloned()
                        .chain(error().map(|_| format!("{id}-error")))
                        .collect();
                    (!ids.is_empty()).then(|| ids.join(" "))
                }
            />
            {hint_id.map(|hid| view! { <p class="hint" id=hid>{hint}</p> })}
            {move || error().map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
        </div>
    }
}

/// Moves focus to the first field marked invalid inside `scope` (a CSS
/// selector), once the error state has rendered, so keyboard and screen
/// reader users land on the problem.
pub fn focus_first_invalid(scope: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .query_selector(&format!("{scope} [aria-invalid='true']"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
