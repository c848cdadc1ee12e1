//! Settings → Import of a Leadline JSON export: the preview, then either
//! Replace my pipeline with this file, or Merge with my pipeline (the same
//! pipeline kept on another device). Spreadsheets and address books go on to
//! the import screen.

use chrono::Local;
use leptos::html;
use leptos::prelude::*;

use crate::domain::MergeSummary;
use crate::i18n::{self, count, fill, t, Text};
use crate::nav::Route;
use crate::transfer::json::{check_import_size, read_json_bytes, ImportPreview};
use crate::transfer::text::{detect_kind, kind_by_name, FileKind};
use crate::ui::download::{chosen_file, read_file_bytes};
use crate::ui::errors;
use crate::ui::navigate::go_to;
use crate::ui::pending_file::hand_over;
use crate::ui::state::AppState;

/// "12 contacts, 9 leads, 4 opportunities and 1 account".
fn import_summary(p: &ImportPreview) -> String {
    let p = &p.pipeline;
    fill(
        Text::ImportSummary,
        &[
            &count(p.contacts().len(), Text::OneContact, Text::NContacts),
            &count(p.leads().len(), Text::OneLead, Text::NLeads),
            &count(
                p.opportunities().len(),
                Text::OneOpportunity,
                Text::NOpportunities,
            ),
            &count(p.accounts().len(), Text::OneAccount, Text::NAccounts),
        ],
    )
}

/// "2 contacts and 1 opportunity", or "nothing": the kinds counted.
fn records(counts: [usize; 4]) -> String {
    let words = [
        (Text::OneContact, Text::NContacts),
        (Text::OneLead, Text::NLeads),
        (Text::OneOpportunity, Text::NOpportunities),
        (Text::OneAccount, Text::NAccounts),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(words)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| count(*n, one, many))
        .collect();
    match parts.as_slice() {
        [] => t(Text::NothingCounted).to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => {
            let and = match i18n::language() {
                i18n::Language::En => "and",
                i18n::Language::Nb => "og",
            };
            format!("{} {and} {last}", rest.join(", "))
        }
    }
}

/// What a merge would do, in sentences.
fn merge_preview_text(name: &str, s: &MergeSummary) -> Vec<String> {
    if s.is_empty() {
        return vec![fill(Text::MergeNothingNew, &[name])];
    }
    let mut lines = vec![fill(
        Text::MergeWouldDo,
        &[
            &records(s.added),
            &records(s.changed),
            &count(s.unchanged, Text::OneRecord, Text::NRecords),
        ],
    )];
    if s.removed != [0; 4] {
        lines.push(fill(Text::MergeWouldRemove, &[&records(s.removed)]));
    }
    if s.conflicts > 0 {
        lines.push(fill(
            Text::MergeConflicts,
            &[&count(s.conflicts, Text::OneValue, Text::NValues)],
        ));
    }
    lines
}

#[component]
pub fn ImportJson() -> impl IntoView {
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
        let name = file.name();
        // Spreadsheets and address books are read on the import screen,
        // which checks their size and how their columns are read.
        if matches!(kind_by_name(&name), Some(FileKind::Csv | FileKind::Vcard)) {
            hand_over(file);
            go_to(&Route::Import);
            return;
        }
        if let Err(e) = check_import_size(file.size() as u64) {
            set_error.set(Some(errors::transfer(&e)));
            return;
        }
        leptos::task::spawn_local(async move {
            let checked = match read_file_bytes(&file).await {
                // No name to go by and not JSON: the import screen tells CSV
                // and vCard apart by content.
                Ok(bytes)
                    if kind_by_name(&name).is_none()
                        && detect_kind(&name, &bytes) != Ok(FileKind::Json) =>
                {
                    hand_over(file);
                    go_to(&Route::Import);
                    return;
                }
                Ok(bytes) => read_json_bytes(&bytes).map_err(|e| errors::transfer(&e)),
                Err(e) => Err(e),
            };
            match checked {
                Ok(p) => preview.set(Some((name, p))),
                Err(e) => set_error.set(Some(e)),
            }
        });
    };
    let clear_input = move || {
        if let Some(input) = input.get() {
            input.set_value("");
        }
    };
    let replace = move |_| {
        let Some((name, p)) = preview.get_untracked() else {
            return;
        };
        let summary = import_summary(&p);
        match state.run(|pipeline, _| pipeline.import(p.pipeline.into(), &name)) {
            Ok(()) => set_done.set(Some(fill(Text::ImportedFrom, &[&summary, &name]))),
            Err(e) => set_error.set(Some(errors::domain(&e))),
        }
        preview.set(None);
        clear_input();
    };
    let merge = move |_| {
        let Some((name, p)) = preview.get_untracked() else {
            return;
        };
        match state.run(|pipeline, now| pipeline.merge(p.pipeline.data(), &name, now)) {
            Ok(s) if s.is_empty() => set_done.set(Some(fill(Text::MergeNothingNew, &[&name]))),
            Ok(s) => set_done.set(Some(fill(
                Text::MergedFrom,
                &[&name, &records(s.added), &records(s.changed)],
            ))),
            Err(e) => set_error.set(Some(errors::domain(&e))),
        }
        preview.set(None);
        clear_input();
    };
    let cancel = move |_| {
        preview.set(None);
        clear_input();
    };
    // What merging would do, worked out once per chosen file.
    let merge_lines = Memo::new(move |_| {
        preview.with(|p| {
            p.as_ref().map(|(name, p)| {
                state.with_untracked(|mine| match mine.merge_preview(p.pipeline.data()) {
                    Ok(s) => merge_preview_text(name, &s),
                    Err(e) => vec![errors::domain(&e)],
                })
            })
        })
    });

    view! {
        <div class="import">
            <h3>{t(Text::Import)}</h3>
            <div class="field">
                <label for="import-file">{t(Text::Import)}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".json,.csv,.tsv,.txt,.vcf,application/json,text/csv,text/vcard"
                    node_ref=input
                    on:change=on_choose
                    aria-describedby="import-hint"
                />
                <p class="hint" id="import-hint">{t(Text::ImportHint)}</p>
            </div>
            {move || {
                preview
                    .with(|p| {
                        p.as_ref()
                            .map(|(name, p)| {
                                fill(
                                    Text::FileHolds,
                                    &[
                                        name,
                                        &import_summary(p),
                                        &i18n::date_time(&p.saved_at.with_timezone(&Local)),
                                    ],
                                )
                            })
                    })
                    .map(|text| {
                        view! {
                            <div class="import-preview" role="region" aria-label=t(Text::ImportPreview)>
                                <p>{text}</p>
                                {move || {
                                    merge_lines
                                        .get()
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|line| view! { <p>{line}</p> })
                                        .collect_view()
                                }}
                                <div class="button-row">
                                    <button type="button" on:click=merge>
                                        {t(Text::MergeWithMine)}
                                    </button>
                                    <button type="button" on:click=replace>
                                        {t(Text::ReplaceWithFile)}
                                    </button>
                                    <button type="button" class="quiet" on:click=cancel>
                                        {t(Text::Cancel)}
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
