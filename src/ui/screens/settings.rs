use crate::ui::form_dialog::DialogRef;
use leptos::prelude::*;

use chrono::Local;

use crate::domain::Currency;
use crate::i18n::{self, fill, labels, t, Language, Text};
use crate::storage::{download_file_name, UsageLevel};
use crate::transfer::csv_export::{csv_file_name, export_csv, CsvKind};
use crate::transfer::ics::export_ics;
use crate::transfer::json::export_file_name;
use crate::transfer::vcard_export::{export_vcards, vcard_file_name};
use crate::ui::download::download_text;
use crate::ui::errors;
use crate::ui::state::AppState;
use crate::ui::state::{now, today};
use crate::ui::storage_banner::export_pipeline;

/// "1.4 MB" / "1,4 MB", "820 KB": storage figures for people.
fn human_bytes(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let mark = match i18n::language() {
            Language::En => '.',
            Language::Nb => ',',
        };
        format!("{}{mark}{} MB", bytes / MB, (bytes % MB) * 10 / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[component]
pub fn SettingsScreen() -> impl IntoView {
    view! {
        <section class="screen settings" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::Settings)}</h1>
            <Preferences/>
            {super::on_demand(crate::ui::sync::sync_settings())}
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
                    .map_err(|e| errors::domain(&e))
            });
        set_error.set(result.err());
    };
    let chosen_language = move || state.with(|p| p.language());
    let on_language = move |ev: leptos::ev::Event| {
        // "" is the browser's language.
        let choice = Language::from_name(&event_target_value(&ev));
        let result = state.run(|p, _| p.set_language(choice));
        set_error.set(result.err().map(|e| errors::domain(&e)));
    };
    let language_options = [None, Some(Language::En), Some(Language::Nb)]
        .into_iter()
        .map(|l| {
            let (value, text) = match l {
                None => ("", t(Text::LanguageAutomatic)),
                Some(l) => (l.code(), l.native_name()),
            };
            // Each language is named in itself, so its name carries its own lang.
            let lang = l.map(Language::code);
            view! {
                <option value=value lang=lang selected=move || chosen_language() == l>
                    {text}
                </option>
            }
        })
        .collect_view();
    let device_name = move || {
        state.with(|p| {
            p.device()
                .and_then(|d| p.device_name(d))
                .unwrap_or_default()
                .to_owned()
        })
    };
    let (name_error, set_name_error) = signal(None::<String>);
    let on_device_name = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        let result = state.run(|p, now| p.rename_device(&name, now));
        set_name_error.set(result.err().map(|e| errors::domain(&e)));
    };
    view! {
        <section class="settings-group" aria-labelledby="preferences-title">
            <h2 id="preferences-title">{t(Text::Preferences)}</h2>
            <div class="field">
                <label for="language">{t(Text::Language)}</label>
                <select id="language" on:change=on_language>{language_options}</select>
            </div>
            <div class="field">
                <label for="device-name">{t(Text::DeviceName)}</label>
                <input
                    id="device-name"
                    type="text"
                    autocomplete="off"
                    prop:value=device_name
                    on:change=on_device_name
                    aria-describedby="device-name-hint"
                    aria-invalid=move || name_error.get().map(|_| "true")
                />
                <p class="hint" id="device-name-hint">{t(Text::DeviceNameHint)}</p>
                {move || name_error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            </div>
            <div class="field">
                <label for="default-currency">{t(Text::DefaultCurrency)}</label>
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
                <p class="hint">{t(Text::DefaultCurrencyHint)}</p>
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
        Ok(()) => set_message.set(Some(t(Text::ExportReady).to_owned())),
        Err(e) => set_message.set(Some(e)),
    };
    view! {
        <section class="settings-group" aria-labelledby="data-title">
            <h2 id="data-title">{t(Text::YourData)}</h2>
            <p class="hint">{t(Text::YourDataHint)}</p>
            <StorageUsage/>
            <div class="button-row">
                <button type="button" on:click=export>{t(Text::ExportJson)}</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
            <ExportCsv/>
            <ExportVcard/>
            <ExportCalendar/>
            <super::settings_import::ImportJson/>
            <KeptAside/>
            <EraseAll/>
        </section>
    }
}

#[component]
fn ExportCsv() -> impl IntoView {
    let state = expect_context::<AppState>();
    let kind = RwSignal::new(CsvKind::Contacts.name().to_owned());
    let for_excel = RwSignal::new(false);
    let (message, set_message) = signal(None::<String>);
    let export = move |_| {
        let kind = kind
            .with_untracked(|k| CsvKind::from_name(k))
            .unwrap_or(CsvKind::Contacts);
        let text = state.with_untracked(|p| export_csv(p, kind, for_excel.get_untracked()));
        let result = download_text(
            &csv_file_name(kind, today()),
            "text/csv;charset=utf-8",
            &text,
        );
        set_message.set(Some(match result {
            Ok(()) => fill(Text::CsvExported, &[labels::csv_kind(kind)]),
            Err(e) => e,
        }));
    };
    view! {
        <div class="export-csv">
            <h3>{t(Text::ExportCsv)}</h3>
            <div class="field">
                <label for="export-csv-kind">{t(Text::RecordsToExport)}</label>
                <select id="export-csv-kind" bind:value=kind>
                    {CsvKind::ALL
                        .map(|k| view! { <option value=k.name()>{labels::csv_kind(k)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="checkbox-field">
                <input
                    id="export-csv-excel"
                    type="checkbox"
                    bind:checked=for_excel
                    aria-describedby="export-csv-hint"
                />
                <label for="export-csv-excel">{t(Text::ForExcel)}</label>
            </div>
            // Says what the file will be, as the checkbox is now.
            <p class="hint" id="export-csv-hint">
                {move || t(if for_excel.get() { Text::ForExcelHint } else { Text::CsvPlainHint })}
            </p>
            <div class="button-row">
                <button type="button" on:click=export>{t(Text::ExportCsv)}</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        </div>
    }
}

#[component]
fn ExportVcard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (message, set_message) = signal(None::<String>);
    let export = move |_| {
        let text = state.with_untracked(|p| export_vcards(p.contacts()));
        let result = download_text(&vcard_file_name(None, today()), "text/vcard", &text);
        set_message.set(Some(match result {
            Ok(()) => t(Text::VcardExported).to_owned(),
            Err(e) => e,
        }));
    };
    view! {
        <div class="export-vcard">
            <h3>{t(Text::ExportVcard)}</h3>
            <p class="hint">{t(Text::VcardHint)}</p>
            <div class="button-row">
                <button type="button" on:click=export>{t(Text::ExportVcard)}</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        </div>
    }
}

#[component]
fn ExportCalendar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (message, set_message) = signal(None::<String>);
    let export = move |_| {
        let at = now();
        let text = state.with_untracked(|p| export_ics(p, at));
        let result = download_text(&export_file_name(at, "ics"), "text/calendar", &text);
        set_message.set(Some(match result {
            Ok(()) => t(Text::CalendarExported).to_owned(),
            Err(e) => e,
        }));
    };
    view! {
        <div class="export-calendar">
            <h3>{t(Text::ExportCalendar)}</h3>
            <p class="hint">{t(Text::CalendarHint)}</p>
            <div class="button-row">
                <button type="button" on:click=export>{t(Text::ExportCalendar)}</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        </div>
    }
}

#[component]
fn StorageUsage() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        match state.usage() {
        Ok(usage) => {
            let percent = usage.percent();
            let warning = match usage.level {
                UsageLevel::Ok => None,
                UsageLevel::Warning70 => Some(t(Text::StorageOver70)),
                UsageLevel::Critical90 => Some(t(Text::StorageOver90)),
            };
            view! {
                <div class="storage-usage">
                    <p id="storage-usage-text">
                        {fill(
                            Text::StorageUsed,
                            &[
                                &human_bytes(usage.app_bytes),
                                &human_bytes(usage.limit_bytes),
                                &i18n::percent(percent),
                            ],
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
        Err(e) => view! { <p class="error-text">{fill(Text::StorageUnknown, &[&errors::storage(&e)])}</p> }
            .into_any(),
    }
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
                                Ok(None) => Err(t(Text::NoLongerThere).to_owned()),
                                Err(e) => Err(errors::storage(&e)),
                            };
                            set_error.set(result.err());
                        }
                    };
                    let discard = move |_| {
                        set_error.set(
                            state
                                .discard_kept_aside(&key)
                                .err()
                                .map(|e| errors::storage(&e)),
                        );
                    };
                    let when = entry
                        .quarantined_at
                        .map(|at| i18n::date_time(&at.with_timezone(&Local)))
                        .unwrap_or_else(|| t(Text::UnknownTime).to_owned());
                    view! {
                        <li>
                            {fill(Text::KeptAsideAt, &[&when, &human_bytes(entry.bytes)])}
                            " "
                            <button type="button" on:click=download>{t(Text::Download)}</button>
                            " "
                            <button type="button" class="quiet" on:click=discard>{t(Text::Discard)}</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="kept-aside">
                    <h3>{t(Text::DataKeptAside)}</h3>
                    <p class="hint">{t(Text::DataKeptAsideHint)}</p>
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
    let dialog = DialogRef::new();
    let (message, set_message) = signal(None::<String>);
    let open = move |_| {
        dialog.open();
    };
    let close = move || {
        dialog.close();
    };
    let erase = move |_| {
        let result = state.erase_all();
        close();
        set_message.set(Some(match result {
            Ok(()) => t(Text::AllErased).to_owned(),
            Err(e) => fill(Text::NothingErased, &[&errors::storage(&e)]),
        }));
    };
    view! {
        <div class="erase-all">
            <h3>{t(Text::EraseAllData)}</h3>
            <button type="button" class="danger" on:click=open>{t(Text::EraseAllData)}</button>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
            <dialog node_ref=dialog.0 aria-labelledby="erase-title" aria-describedby="erase-text">
                <h2 id="erase-title">{t(Text::EraseAllQuestion)}</h2>
                <p id="erase-text">{t(Text::EraseAllExplained)}</p>
                <div class="button-row">
                    <button type="button" class="quiet" autofocus on:click=move |_| close()>
                        {t(Text::Cancel)}
                    </button>
                    <button type="button" class="danger" on:click=erase>
                        {t(Text::EraseEverything)}
                    </button>
                </div>
            </dialog>
        </div>
    }
}
