//! The Mark won and Mark lost dialogs, shared by the board and the
//! opportunity page. A screen opens one, runs the domain command when it is
//! confirmed and says what happened; the dialog keeps what was typed and
//! shows why the command was refused.

use crate::ui::form_dialog::DialogRef;
use leptos::prelude::*;

use crate::domain::{DomainError, Field, FieldErrors, LostReason};
use crate::i18n::{labels, t, Text};
use crate::ui::errors;

/// Mark won: a confirmation; the domain says if the amount is missing.
#[derive(Clone, Copy)]
pub struct WonDialog {
    node: DialogRef,
    error: RwSignal<Option<String>>,
}

impl WonDialog {
    pub fn new() -> Self {
        WonDialog {
            node: DialogRef::new(),
            error: RwSignal::new(None),
        }
    }

    pub fn open(self) {
        self.error.set(None);
        self.node.open();
    }

    pub fn close(self) {
        self.node.close();
    }

    /// The deal could not be won: the dialog stays open and says why.
    pub fn refused(self, e: &DomainError) {
        self.error.set(Some(errors::domain(e)));
    }
}

/// Mark lost: asks the reason (required) and a note.
#[derive(Clone, Copy)]
pub struct LostDialog {
    node: DialogRef,
    reason: RwSignal<String>,
    note: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    failure: RwSignal<Option<String>>,
}

impl LostDialog {
    pub fn new() -> Self {
        LostDialog {
            node: DialogRef::new(),
            reason: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            errors: RwSignal::new(FieldErrors::new()),
            failure: RwSignal::new(None),
        }
    }

    /// Opens the dialog empty.
    pub fn open(self) {
        self.reason.set(String::new());
        self.note.set(String::new());
        self.errors.set(FieldErrors::new());
        self.failure.set(None);
        self.node.open();
    }

    pub fn close(self) {
        self.node.close();
    }

    /// The reason chosen and the note, or `None` (and the error shown) when
    /// no reason is chosen.
    pub fn answer(self) -> Option<(LostReason, String)> {
        match self.reason.with_untracked(|r| LostReason::from_choice(r)) {
            Ok(reason) => Some((reason, self.note.get_untracked())),
            Err(e) => {
                self.errors.set(e);
                None
            }
        }
    }

    /// The deal could not be lost: field errors go by their fields, anything
    /// else above the buttons.
    pub fn refused(self, e: DomainError) {
        match e {
            DomainError::Invalid(fields) => self.errors.set(fields),
            e => self.failure.set(Some(errors::domain(&e))),
        }
    }

    fn error(self, field: Field) -> Option<String> {
        self.errors
            .with(|e| e.get(field).map(|p| errors::field(field, p)))
    }
}

/// `subject` names the deal where several are in view; `on_close` runs
/// however the dialog closes (confirmed, cancelled or Escape).
#[component]
pub fn MarkWonDialog(
    dialog: WonDialog,
    on_confirm: Callback<()>,
    #[prop(optional, into)] subject: MaybeProp<String>,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <dialog
            node_ref=dialog.node.0
            aria-labelledby="won-title"
            aria-describedby="won-text"
            on:close=move |_| {
                if let Some(f) = on_close {
                    f.run(());
                }
            }
        >
            <h2 id="won-title">{t(Text::MarkWonQuestion)}</h2>
            <p id="won-text">
                {move || subject.get().map(|name| format!("{name}: "))}
                {t(Text::MarkWonExplained)}
            </p>
            {move || dialog.error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" on:click=move |_| on_confirm.run(())>{t(Text::MarkWon)}</button>
                <button type="button" class="quiet" autofocus on:click=move |_| dialog.close()>
                    {t(Text::Cancel)}
                </button>
            </div>
        </dialog>
    }
}

/// See [`MarkWonDialog`] for `subject` and `on_close`.
#[component]
pub fn MarkLostDialog(
    dialog: LostDialog,
    on_confirm: Callback<()>,
    #[prop(optional, into)] subject: MaybeProp<String>,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let reason_options = LostReason::ALL
        .into_iter()
        .map(|r| view! { <option value=r.name()>{labels::lost_reason(r)}</option> })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_confirm.run(());
    };
    view! {
        <dialog
            node_ref=dialog.node.0
            aria-labelledby="lost-title"
            on:close=move |_| {
                if let Some(f) = on_close {
                    f.run(());
                }
            }
        >
            <h2 id="lost-title">{t(Text::MarkLost)}</h2>
            {move || subject.get().map(|name| view! { <p>{name}</p> })}
            <form class="deal-form" on:submit=submit novalidate>
                <div class="field">
                    <label for="lost-reason">{t(Text::LostReason)}</label>
                    <select
                        id="lost-reason"
                        bind:value=dialog.reason
                        aria-invalid=move || dialog.error(Field::LostReason).map(|_| "true")
                        aria-describedby=move || dialog.error(Field::LostReason).map(|_| "lost-reason-error")
                    >
                        <option value="">{t(Text::ChooseReason)}</option>
                        {reason_options}
                    </select>
                    {move || {
                        dialog
                            .error(Field::LostReason)
                            .map(|e| view! { <p class="field-error" id="lost-reason-error" role="alert">{e}</p> })
                    }}
                </div>
                <div class="field">
                    <label for="lost-note">{t(Text::Note)}</label>
                    <textarea id="lost-note" rows="3" bind:value=dialog.note></textarea>
                    {move || {
                        dialog.error(Field::Note).map(|e| view! { <p class="field-error" role="alert">{e}</p> })
                    }}
                </div>
                {move || dialog.failure.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                <div class="button-row">
                    <button type="submit" class="danger">{t(Text::MarkLost)}</button>
                    <button type="button" class="quiet" on:click=move |_| dialog.close()>
                        {t(Text::Cancel)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
