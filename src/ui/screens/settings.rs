use leptos::html;
use leptos::prelude::*;

use chrono::Local;

use crate::domain::time::format_date_time;
use crate::domain::Currency;
use crate::storage::{download_file_name, UsageLevel};
use crate::transfer::json::{check_import_size, read_json, ImportPreview};
use crate::ui::download::{chosen_file, download_text, read_file_text};
use crate::ui::state::AppState;
use crate::ui::storage_banner::export_pipeline;

/// "1.4 MB", "820 KB": storage figures for people.
fn human_bytes(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{}.{} MB", bytes / MB, (bytes % MB) * 10 / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[component]
pub fn SettingsScreen() -> impl IntoView {
    view! {
        <section class="screen settings" aria-labelledby="screen-title">
            <h1 id="screen-title">"Settings"</h1>
            <Preferences/>
            <YourData/>
        </section>
    }
}

#[component]
fn Preferences() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let current = move || state.with(|p| p.default_currency());
    let on_change = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        let result = code
            .parse::<Currency>()
            .map_err(|e| e.to_string())
            .and_then(|c| {
                state
                    .run(|p, _| p.set_default_currency(c))
                    .map_err(|e| e.to_string())
            });
        set_error.set(result.err());
    };
    view! {
        <section class="settings-group" aria-labelledby="preferences-title">
            <h2 id="preferences-title">"Preferences"</h2>
            <div class="field">
                <label for="default-currency">"Default currency"</label>
                <select id="default-currency" on:change=on_change>
                    {Currency::ALL
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.code() selected=move || current() == c>
                                    {c.code()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint">"New opportunities start in this currency."</p>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
        </section>
    }
}

#[component]
fn YourData() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (message, set_message) = signal(None::<String>);
    let export = move |_| match export_pipeline(state) {
        Ok(()) => set_message.set(Some("Export ready: check your downloads.".to_owned())),
        Err(e) => set_message.set(Some(e)),
    };
    view! {
        <section class="settings-group" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <p class="hint">
                "Everything you enter stays in this browser. Export a copy now and then."
            </p>
            <StorageUsage/>
            <div class="button-row">
                <button type="button" on:click=export>"Export JSON"</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
            <ImportJson/>
            <KeptAside/>
            <EraseAll/>
        </section>
    }
}

#[component]
fn StorageUsage() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || match state.usage() {
        Ok(usage) => {
            let percent = usage.percent();
            let warning = match usage.level {
                UsageLevel::Ok => None,
                UsageLevel::Warning70 => Some(
                    "Storage is over 70% full. Export a backup, and consider removing old records.",
                ),
                UsageLevel::Critical90 => Some(
                    "Storage is over 90% full: new changes may soon be refused. Export a backup now.",
                ),
            };
            view! {
                <div class="storage-usage">
                    <p id="storage-usage-text">
                        {format!(
                            "Storage used: {} of about {} ({percent}%)",
                            human_bytes(usage.app_bytes),
                            human_bytes(usage.limit_bytes),
                        )}
                    </p>
                    <meter
                        aria-labelledby="storage-usage-text"
                        min="0"
                        max="100"
                        low="70"
                        high="90"
                        optimum="0"
                        value=percent.to_string()
                    ></meter>
                    {warning.map(|w| view! { <p class="warning-text" role="alert">{w}</p> })}
                </div>
            }
            .into_any()
        }
        Err(e) => view! { <p class="error-text">{format!("Storage usage is unknown: {e}")}</p> }
            .into_any(),
    }
}

#[component]
fn ImportJson() -> impl IntoView {
    let state = expect_context::<AppState>();
    let input = NodeRef::<html::Input>::new();
    let preview = RwSignal::new_local(None::<(String, ImportPreview)>);
    let (error, set_error) = signal(None::<String>);
    let (done, set_done) = signal(None::<String>);

    let on_choose = move |_| {
        set_error.set(None);
        set_done.set(None);
        preview.set(None);
        let Some(file) = input.get().as_ref().and_then(chosen_file) else {
            return;
        };
        if let Err(e) = check_import_size(file.size() as u64) {
            set_error.set(Some(e.to_string()));
            return;
        }
        leptos::task::spawn_local(async move {
            let checked = read_file_text(&file)
                .await
                .and_then(|text| read_json(&text).map_err(|e| e.to_string()));
            match checked {
                Ok(p) => preview.set(Some((file.name(), p))),
                Err(e) => set_error.set(Some(e)),
            }
        });
    };
    let clear_input = move || {
        if let Some(input) = input.get() {
            input.set_value("");
        }
    };
    let apply = move |_| {
        let Some((name, p)) = preview.get_untracked() else {
            return;
        };
        let summary = p.summary();
        match state.run(|pipeline, _| pipeline.import(p.pipeline.into(), &name)) {
            Ok(()) => set_done.set(Some(format!("Imported {summary} from {name}."))),
            Err(e) => set_error.set(Some(e.to_string())),
        }
        preview.set(None);
        clear_input();
    };
    let cancel = move |_| {
        preview.set(None);
        clear_input();
    };

    view! {
        <div class="import">
            <h3>"Import a JSON export"</h3>
            <div class="field">
                <label for="import-file">"Import"</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".json,application/json"
                    node_ref=input
                    on:change=on_choose
                    aria-describedby="import-hint"
                />
                <p class="hint" id="import-hint">
                    "The whole file is checked before anything changes. Importing replaces the pipeline in this browser, and can be undone."
                </p>
            </div>
            {move || {
                preview
                    .with(|p| {
                        p.as_ref()
                            .map(|(name, p)| {
                                format!(
                                    "{name} holds {}, saved {}.",
                                    p.summary(),
                                    format_date_time(&p.saved_at.with_timezone(&Local)),
                                )
                            })
                    })
                    .map(|text| {
                        view! {
                            <div class="import-preview" role="region" aria-label="Import preview">
                                <p>{text}</p>
                                <div class="button-row">
                                    <button type="button" on:click=apply>
                                        "Replace my pipeline with this file"
                                    </button>
                                    <button type="button" class="quiet" on:click=cancel>
                                        "Cancel"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
        </div>
    }
}

#[component]
fn KeptAside() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    move || {
        let entries = state.kept_aside().unwrap_or_default();
        (!entries.is_empty()).then(|| {
            let rows = entries
                .into_iter()
                .map(|entry| {
                    let key = entry.key.clone();
                    let download = {
                        let key = key.clone();
                        move |_| {
                            let result = match state.kept_aside_text(&key) {
                                Ok(Some(raw)) => download_text(
                                    &download_file_name(&key),
                                    "application/json",
                                    &raw,
                                ),
                                Ok(None) => Err("It is no longer there".to_owned()),
                                Err(e) => Err(e.to_string()),
                            };
                            set_error.set(result.err());
                        }
                    };
                    let discard = move |_| {
                        set_error.set(state.discard_kept_aside(&key).err().map(|e| e.to_string()));
                    };
                    let when = entry
                        .quarantined_at
                        .map(|t| format_date_time(&t.with_timezone(&Local)))
                        .unwrap_or_else(|| "unknown time".to_owned());
                    view! {
                        <li>
                            {format!("Kept aside {when} ({})", human_bytes(entry.bytes))}
                            " "
                            <button type="button" on:click=download>"Download"</button>
                            " "
                            <button type="button" class="quiet" on:click=discard>"Discard"</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="kept-aside">
                    <h3>"Data kept aside"</h3>
                    <p class="hint">
                        "Stored data that could not be opened is kept here untouched. Download it before you discard it."
                    </p>
                    <ul>{rows}</ul>
                    {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                </div>
            }
        })
    }
}

#[component]
fn EraseAll() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog = NodeRef::<html::Dialog>::new();
    let (message, set_message) = signal(None::<String>);
    let open = move |_| {
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let erase = move |_| {
        let result = state.erase_all();
        close();
        set_message.set(Some(match result {
            Ok(()) => "All data in this browser was erased.".to_owned(),
            Err(e) => format!("Nothing was erased: {e}"),
        }));
    };
    view! {
        <div class="erase-all">
            <h3>"Erase all data"</h3>
            <button type="button" class="danger" on:click=open>"Erase all data"</button>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
            <dialog node_ref=dialog aria-labelledby="erase-title" aria-describedby="erase-text">
                <h2 id="erase-title">"Erase all data?"</h2>
                <p id="erase-text">
                    "This deletes every contact, lead, opportunity and account stored in this browser. It cannot be undone. Export JSON first if you may want them back."
                </p>
                <div class="button-row">
                    <button type="button" class="quiet" autofocus on:click=move |_| close()>
                        "Cancel"
                    </button>
                    <button type="button" class="danger" on:click=erase>
                        "Erase everything"
                    </button>
                </div>
            </dialog>
        </div>
    }
}
