//! Settings → Sync: the server, database, user and password; Sync now and
//! Stop syncing; where sync stands. Like every form, what is typed is not
//! dropped on leaving: settings changed but not yet used are used then (as
//! Sync now would), and if they are refused the screen stays and says why.

use leptos::prelude::*;

use crate::i18n::sync::{settings_problem, sync_text, SyncText};
use crate::storage::sync_store::{forget_sync, save_sync_settings, sync_password, sync_settings};
use crate::sync::{SettingsProblem, SyncSettings};
use crate::ui::errors;
use crate::ui::state::AppState;
use crate::ui::text_field::focus_first_invalid;
use crate::ui::unsaved::UnsavedEdits;
use crate::ui::SyncLine;

#[component]
pub fn SyncSettingsForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let line = expect_context::<SyncLine>();
    let saved = sync_settings();
    let set_up = RwSignal::new(saved.is_some());
    let server = RwSignal::new(
        saved
            .as_ref()
            .map(|s| s.server.as_str().to_owned())
            .unwrap_or_default(),
    );
    let database = RwSignal::new(
        saved
            .as_ref()
            .map(|s| s.database.clone())
            .unwrap_or_default(),
    );
    let user = RwSignal::new(saved.as_ref().map(|s| s.user.clone()).unwrap_or_default());
    let password = RwSignal::new(saved.as_ref().and_then(sync_password).unwrap_or_default());
    let remember = RwSignal::new(saved.as_ref().is_some_and(|s| s.password.is_some()));
    let problems = RwSignal::new(Vec::<String>::new());
    // The fields a problem is in.
    let invalid = RwSignal::new(Vec::<&'static str>::new());
    let stopped = RwSignal::new(false);
    let shown = move || {
        (
            server.get_untracked(),
            database.get_untracked(),
            user.get_untracked(),
            password.get_untracked(),
            remember.get_untracked(),
        )
    };
    // What the fields said when they were last used (or stopped): leaving
    // with anything else uses it.
    let in_use = StoredValue::new(shown());

    // Uses the settings shown; `false` when they are refused (each problem
    // said on the form).
    let apply = move || -> bool {
        let checked = SyncSettings::check(
            &server.get_untracked(),
            &database.get_untracked(),
            &user.get_untracked(),
            &password.get_untracked(),
        );
        match checked {
            Err(found) => {
                invalid.set(found.iter().map(|p| field_of(*p)).collect());
                focus_first_invalid(".sync-settings");
                problems.set(
                    found
                        .into_iter()
                        .map(|p| settings_problem(p).to_owned())
                        .collect(),
                );
                false
            }
            Ok(settings) => match save_sync_settings(&settings, remember.get_untracked()) {
                Err(e) => {
                    problems.set(vec![errors::storage(&e)]);
                    false
                }
                Ok(()) => {
                    problems.set(Vec::new());
                    invalid.set(Vec::new());
                    stopped.set(false);
                    set_up.set(true);
                    in_use.set_value(shown());
                    super::controller::start(state, line);
                    true
                }
            },
        }
    };
    let sync_now = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let stop_syncing = move |_| {
        forget_sync();
        super::controller::stop();
        set_up.set(false);
        stopped.set(true);
        password.set(String::new());
        problems.set(Vec::new());
        invalid.set(Vec::new());
        in_use.set_value(shown());
    };
    UnsavedEdits::keep_while_shown(move || in_use.with_value(|used| *used == shown()) || apply());

    let field = move |id: &'static str,
                      label: SyncText,
                      kind: &'static str,
                      auto: &'static str,
                      value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{sync_text(label)}</label>
                <input
                    id=id
                    type=kind
                    autocomplete=auto
                    spellcheck="false"
                    aria-invalid=move || invalid.with(|i| i.contains(&id)).then_some("true")
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    view! {
        <section class="settings-group sync-settings" aria-labelledby="sync-title">
            <h2 id="sync-title">{sync_text(SyncText::Sync)}</h2>
            <p class="hint">{sync_text(SyncText::Intro)}</p>
            <form on:submit=sync_now novalidate>
                {field("sync-server", SyncText::ServerAddress, "url", "url", server)}
                {field("sync-database", SyncText::Database, "text", "off", database)}
                {field("sync-user", SyncText::UserName, "text", "username", user)}
                {field("sync-password", SyncText::Password, "password", "current-password", password)}
                <div class="checkbox-field">
                    <input
                        id="sync-remember"
                        type="checkbox"
                        aria-describedby="sync-remember-hint"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    <label for="sync-remember">{sync_text(SyncText::Remember)}</label>
                </div>
                <p class="hint" id="sync-remember-hint">{sync_text(SyncText::PasswordHint)}</p>
                {move || {
                    let found = problems.get();
                    (!found.is_empty())
                        .then(|| {
                            view! {
                                <ul class="error-text" role="alert">
                                    {found.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            }
                        })
                }}
                <div class="button-row">
                    <button type="submit">{sync_text(SyncText::SyncNow)}</button>
                    <Show when=move || set_up.get()>
                        <button type="button" on:click=stop_syncing>{sync_text(SyncText::StopSyncing)}</button>
                    </Show>
                </div>
            </form>
            <p class="sync-settings-state">
                {move || match line.words.get() {
                    Some(words) if set_up.get() => words,
                    _ if stopped.get() => sync_text(SyncText::Stopped).to_owned(),
                    _ => sync_text(SyncText::NotSetUp).to_owned(),
                }}
            </p>
        </section>
    }
}

/// The field a problem is in.
fn field_of(problem: SettingsProblem) -> &'static str {
    use SettingsProblem as P;
    match problem {
        P::AddressMissing | P::AddressNotHttps | P::AddressInvalid => "sync-server",
        P::DatabaseMissing | P::DatabaseInvalid => "sync-database",
        P::UserMissing => "sync-user",
        P::PasswordMissing => "sync-password",
    }
}
