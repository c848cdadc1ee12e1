//! Importing contacts from a spreadsheet or an address book: choose what
//! each column is, see the first rows, the rows left out and the possible
//! duplicates, then import everything as one step that Undo takes back.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::domain::import::{
    plan_import, Duplicate, DuplicateFinder, DuplicateOf, ImportPlan, Resolution,
};
use crate::domain::DomainError;
use crate::i18n::{count, fill, labels, number, t, Text};
use crate::nav::{Route, Section};
use crate::transfer::checked::{CheckedRows, RowMessage, RowProblem, RowUnit};
use crate::transfer::csv_import::{check_some_rows, CsvReading, CsvTable};
use crate::transfer::headers::Target;
use crate::transfer::text::{check_size, detect_kind, FileError, FileKind};
use crate::transfer::vcard::read_vcards;
use crate::ui::download::{chosen_file, read_file_bytes};
use crate::ui::errors;
use crate::ui::pending_file;
use crate::ui::slices::Slices;
use crate::ui::state::{now, AdoptRefused, AppState};

/// How many rows the preview shows.
const PREVIEW_ROWS: usize = 5;
/// Columns shown before "Show more columns", and how many more each time.
const FIRST_COLUMNS: usize = 25;
const MORE_COLUMNS: usize = 100;
/// Rows searched for a column's first values.
const SAMPLE_ROWS: usize = 200;
/// Rows left out, and duplicates, listed one by one; the rest are counted.
const LISTED: usize = 100;

/// A file read and ready to check.
#[derive(Clone, Debug, PartialEq)]
enum Loaded {
    Csv { name: String, table: CsvTable },
    Vcard { name: String, rows: CheckedRows },
}

impl Loaded {
    fn name(&self) -> &str {
        match self {
            Loaded::Csv { name, .. } | Loaded::Vcard { name, .. } => name,
        }
    }
}

/// "Import 42 contacts and merge 3" / "Import 1 contact".
fn button_text(plan: &ImportPlan) -> String {
    let mut text = count(plan.added(), Text::ImportOneContact, Text::ImportNContacts);
    let merged = plan.merged();
    if merged > 0 {
        text.push_str(&fill(Text::ImportAndMerge, &[&number(merged as u64)]));
    }
    text
}

/// "Imported 2 new contacts from a.csv and merged 1 into existing ones; 1 became a lead."
fn done_text(added: usize, merged: usize, leads: usize, name: &str) -> String {
    let key = if added == 1 {
        Text::ImportedOneNew
    } else {
        Text::ImportedNNew
    };
    let mut text = fill(key, &[&number(added as u64), name]);
    if merged > 0 {
        text.push_str(&fill(Text::ImportedAndMerged, &[&number(merged as u64)]));
    }
    if leads > 0 {
        text.push_str(&count(leads, Text::ImportedOneLead, Text::ImportedNLeads));
    }
    text.push('.');
    text
}

/// Work that takes a while on a big file, for the progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Work {
    Reading,
    Checking,
    FindingDuplicates,
    Importing,
}

impl Work {
    fn words(self) -> &'static str {
        t(match self {
            Work::Reading => Text::WorkReadingFile,
            Work::Checking => Text::WorkCheckingRows,
            Work::FindingDuplicates => Text::WorkFindingDuplicates,
            Work::Importing => Text::WorkImporting,
        })
    }
}

/// How far the running work is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Progress {
    work: Work,
    percent: u64,
}

impl Progress {
    fn new(work: Work, done: u64, total: u64) -> Progress {
        Progress {
            work,
            percent: (done.saturating_mul(100) / total.max(1)).min(100),
        }
    }
}

/// The rows checked against the column choices, and their duplicates.
#[derive(Clone, Debug, Default, PartialEq)]
struct Checked {
    rows: CheckedRows,
    duplicates: Vec<Duplicate>,
}

/// Rows (or duplicates) handled between two looks at the clock.
const BATCH: usize = 256;

#[component]
pub fn ImportScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loaded = RwSignal::new(None::<Loaded>);
    let mapping = RwSignal::new(Vec::<Target>::new());
    let checked = RwSignal::new(None::<Checked>);
    let choices = RwSignal::new(HashMap::<usize, Resolution>::new());
    let skip_incomplete = RwSignal::new(false);
    let progress = RwSignal::new(None::<Progress>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    // The running job's number: a job stops when a newer one starts, when
    // the user cancels, or when the screen is left.
    let job = StoredValue::new(0_u64);
    let next_job = move || {
        job.update_value(|n| *n += 1);
        job.get_value()
    };
    let still = move |mine: u64| job.try_get_value() == Some(mine);
    let show = move |work: Work, done: usize, total: usize| {
        progress.set(Some(Progress::new(work, done as u64, total as u64)));
    };

    let open = move |name: String, bytes: Vec<u8>| {
        let mine = next_job();
        done.set(None);
        error.set(None);
        choices.set(HashMap::new());
        checked.set(None);
        loaded.set(None);
        let file = match detect_kind(&name, &bytes) {
            Err(e) => return error.set(Some(errors::file(&e))),
            Ok(FileKind::Json) => return error.set(Some(t(Text::ImportJsonInSettings).to_owned())),
            Ok(FileKind::Vcard) => read_vcards(&bytes).map(|rows| Loaded::Vcard {
                name: name.clone(),
                rows,
            }),
            Ok(FileKind::Csv) => {
                leptos::task::spawn_local(async move {
                    let mut slices = Slices::new();
                    let read: Result<Option<CsvTable>, FileError> = async {
                        let mut reading = CsvReading::start(&bytes)?;
                        while !reading.read_some(BATCH)? {
                            if slices.due() {
                                let (at, of) = reading.progress();
                                progress.set(Some(Progress::new(Work::Reading, at, of)));
                                slices.pause().await;
                                if !still(mine) {
                                    return Ok(None);
                                }
                            }
                        }
                        reading.finish().map(Some)
                    }
                    .await;
                    match read {
                        Ok(Some(table)) => {
                            mapping.set(table.guess_mapping());
                            loaded.set(Some(Loaded::Csv { name, table }));
                        }
                        Ok(None) => {}
                        Err(e) => {
                            progress.set(None);
                            error.set(Some(errors::file(&e)));
                        }
                    }
                });
                return;
            }
        };
        match file {
            Ok(file) => loaded.set(Some(file)),
            Err(e) => error.set(Some(errors::file(&e))),
        }
    };
    let load = move |file: web_sys::File| {
        if let Err(e) = check_size(file.size() as u64) {
            loaded.set(None);
            error.set(Some(errors::file(&e)));
            return;
        }
        leptos::task::spawn_local(async move {
            match read_file_bytes(&file).await {
                Ok(bytes) => open(file.name(), bytes),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // A file chosen with Settings' Import field comes with the visit.
    if let Some(file) = pending_file::take() {
        load(file);
    }
    let on_choose = move |_| {
        if let Some(file) = input.get().as_ref().and_then(chosen_file) {
            load(file);
        }
    };

    // Every row is checked again, a slice at a time, whenever the file or
    // a column's choice changes.
    let check = move |mine: u64, map: Vec<Target>| async move {
        let mut slices = Slices::new();
        let mut rows = loaded
            .with_untracked(|f| match f {
                Some(Loaded::Vcard { rows, .. }) => Some(rows.clone()),
                _ => None,
            })
            .unwrap_or_else(|| CheckedRows::new(RowUnit::Row));
        let total = loaded.with_untracked(|f| match f {
            Some(Loaded::Csv { table, .. }) => table.rows.len(),
            _ => 0,
        });
        let mut at = 0;
        while at < total {
            let end = at.saturating_add(BATCH).min(total);
            loaded.with_untracked(|f| {
                if let Some(Loaded::Csv { table, .. }) = f {
                    check_some_rows(table, &map, at..end, &mut rows);
                }
            });
            at = end;
            if slices.due() {
                show(Work::Checking, at, total);
                slices.pause().await;
                if !still(mine) {
                    return;
                }
            }
        }
        let mut finder = state.with_untracked(DuplicateFinder::new);
        while !finder.scan(&rows.records, BATCH) {
            if slices.due() {
                show(
                    Work::FindingDuplicates,
                    finder.scanned(),
                    rows.records.len(),
                );
                slices.pause().await;
                if !still(mine) {
                    return;
                }
            }
        }
        progress.set(None);
        checked.set(Some(Checked {
            rows,
            duplicates: finder.into_found(),
        }));
    };
    Effect::new(move |_| {
        let map = mapping.get();
        if loaded.with(Option::is_some) {
            let mine = next_job();
            checked.set(None);
            leptos::task::spawn_local(check(mine, map));
        }
    });

    let plan = Memo::new(move |_| {
        checked.with(|c| {
            c.as_ref().map(|c| {
                choices.with(|ch| {
                    plan_import(
                        &c.rows.records,
                        &c.duplicates,
                        |i| ch.get(&c.rows.records[i].row).copied().unwrap_or_default(),
                        skip_incomplete.get(),
                    )
                })
            })
        })
    });

    let clear = move || {
        next_job();
        loaded.set(None);
        checked.set(None);
        if let Some(input) = input.get() {
            input.set_value("");
        }
    };
    let cancel = move |_| {
        if progress.get_untracked().is_some() {
            progress.set(None);
            done.set(Some(t(Text::ImportCancelled).to_owned()));
        }
        clear();
    };
    let apply = move |_| {
        let Some(name) = loaded.with_untracked(|f| f.as_ref().map(|f| f.name().to_owned())) else {
            return;
        };
        let Some(plan) = plan.get_untracked() else {
            return;
        };
        let mine = next_job();
        leptos::task::spawn_local(async move {
            let mut copy = state.work_copy();
            let now = now();
            let mut import = copy.pipeline.start_import();
            let mut slices = Slices::new();
            loop {
                let step = checked.with_untracked(|c| match c {
                    Some(c) => {
                        copy.pipeline
                            .import_some(&mut import, &c.rows.records, &plan, BATCH, now)
                    }
                    None => Err(DomainError::Gone),
                });
                match step {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => {
                        progress.set(None);
                        error.set(Some(fill(Text::NothingImported, &[&errors::domain(&e)])));
                        return;
                    }
                }
                if slices.due() {
                    show(Work::Importing, import.done(), plan.steps.len());
                    slices.pause().await;
                    if !still(mine) {
                        return;
                    }
                }
            }
            let out = copy.pipeline.finish_import(import, &name);
            progress.set(None);
            if !out.changed() {
                // Nothing to take back: the Undo bar would name an earlier step.
                state.dismiss_undo();
                error.set(None);
                done.set(Some(fill(Text::ImportChangedNothing, &[&name])));
                clear();
                return;
            }
            match state.adopt(copy) {
                Ok(()) => {
                    let text = done_text(out.added.len(), out.merged.len(), out.leads, &name);
                    error.set(None);
                    done.set(Some(text));
                    clear();
                }
                Err(refused) => error.set(Some(
                    t(match refused {
                        AdoptRefused::ChangedMeanwhile => Text::ImportChangedMeanwhile,
                        AdoptRefused::TooLarge => Text::ImportTooLargeForStorage,
                    })
                    .to_owned(),
                )),
            }
        });
    };
    let working = move || progress.with(Option::is_some);

    view! {
        <section class="screen import-contacts" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::ImportContacts)}</h1>
            <p>{t(Text::ImportContactsIntro)}</p>
            <div class="field">
                <label for="import-contacts-file">{t(Text::FileToImport)}</label>
                <input
                    id="import-contacts-file"
                    type="file"
                    accept=".csv,.tsv,.txt,.vcf,text/csv,text/vcard"
                    node_ref=input
                    on:change=on_choose
                    aria-describedby="import-contacts-hint"
                />
                <p class="hint" id="import-contacts-hint">{t(Text::ImportFileHint)}</p>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || {
                done.get()
                    .map(|m| {
                        view! {
                            <p role="status">
                                {m} " "
                                <a href=Route::Section(Section::Contacts).to_hash()>
                                    {t(Text::SeeYourContacts)}
                                </a>
                            </p>
                        }
                    })
            }}
            <Show when=working>
                <div class="work-progress">
                    <progress
                        max="100"
                        value=move || progress.with(|p| p.map_or(0, |p| p.percent))
                        aria-labelledby="work-progress-text"
                    ></progress>
                    <p id="work-progress-text" role="status">
                        {move || {
                            progress
                                .get()
                                .map(|p| fill(Text::WorkProgress, &[p.work.words(), &p.percent.to_string()]))
                        }}
                    </p>
                    <button type="button" class="quiet" on:click=cancel>
                        {t(Text::Cancel)}
                    </button>
                </div>
            </Show>
            {move || {
                loaded
                    .with(|f| f.as_ref().map(|f| f.name().to_owned()))
                    .map(|name| {
                        view! {
                            <h2 class="import-file-name">{fill(Text::ImportingFile, &[&name])}</h2>
                            <ColumnMapping loaded mapping/>
                            <Preview checked/>
                            <Problems checked skip_incomplete/>
                            <Duplicates checked choices/>
                            <div class="button-row">
                                <button
                                    type="button"
                                    on:click=apply
                                    disabled=move || {
                                        working() || plan.with(|p| p.as_ref().is_none_or(|p| p.steps.is_empty()))
                                    }
                                >
                                    {move || plan.with(|p| p.as_ref().map(button_text))}
                                </button>
                                <Show when=move || !working()>
                                    <button type="button" class="quiet" on:click=cancel>
                                        {t(Text::Cancel)}
                                    </button>
                                </Show>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// One row per column of the file: its header, its first values, and what
/// it is imported as.
#[component]
fn ColumnMapping(
    loaded: RwSignal<Option<Loaded>>,
    mapping: RwSignal<Vec<Target>>,
) -> impl IntoView {
    let shown_columns = RwSignal::new(FIRST_COLUMNS);
    move || {
        let shown_count = shown_columns.get();
        loaded.with(|file| {
            let Some(Loaded::Csv { table, .. }) = file else {
                return None;
            };
            let width = table.headers.len();
            let rows = table
                .headers
                .iter()
                .enumerate()
                .take(shown_count)
                .map(|(i, header)| {
                    let samples = table
                        .rows
                        .iter()
                        .take(SAMPLE_ROWS)
                        .filter_map(|(_, cells)| cells.get(i))
                        .filter(|c| !c.trim().is_empty())
                        .take(2)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let shown = if header.is_empty() {
                        fill(Text::ColumnN, &[&(i + 1).to_string()])
                    } else {
                        header.clone()
                    };
                    let on_change = move |ev: leptos::ev::Event| {
                        let target = Target::from_name(&event_target_value(&ev)).unwrap_or(Target::Skip);
                        mapping.update(|m| {
                            if let Some(slot) = m.get_mut(i) {
                                *slot = target;
                            }
                        });
                    };
                    let current = move || mapping.with(|m| m.get(i).copied().unwrap_or(Target::Skip));
                    view! {
                        <tr>
                            <th scope="row">{shown.clone()}</th>
                            <td class="import-samples">{samples}</td>
                            <td>
                                <select aria-label=fill(Text::ImportColumnAs, &[&shown]) on:change=on_change>
                                    {Target::ALL
                                        .map(|target| {
                                            view! {
                                                <option value=target.name() selected=move || current() == target>
                                                    {labels::import_target(target)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let delimiter = t(match table.delimiter {
                b';' => Text::Semicolons,
                b'\t' => Text::Tabs,
                _ => Text::Commas,
            });
            let summary = fill(
                Text::CsvSummary,
                &[
                    &count(table.rows.len(), Text::OneRow, Text::NRows),
                    delimiter,
                    table.encoding,
                ],
            );
            // A wide file shows its first columns, and more on request.
            let more = (width > shown_count).then(|| {
                let next = (width - shown_count).min(MORE_COLUMNS);
                view! {
                    <p class="hint">
                        {fill(Text::ColumnsShown, &[&number(shown_count as u64), &number(width as u64)])}
                        " "
                        <button type="button" class="quiet" on:click=move |_| shown_columns.update(|n| *n += next)>
                            {fill(Text::ShowMoreColumns, &[&number(next as u64)])}
                        </button>
                    </p>
                }
            });
            Some(view! {
                <section class="import-columns" aria-labelledby="import-columns-title">
                    <h3 id="import-columns-title">{t(Text::Columns)}</h3>
                    <p class="hint">{summary}</p>
                    <div class="table-scroll">
                        <table class="record-table">
                            <caption class="visually-hidden">{t(Text::ColumnsInTheFile)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Text::ColumnInTheFile)}</th>
                                    <th scope="col">{t(Text::FirstValues)}</th>
                                    <th scope="col">{t(Text::ImportAs)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {more}
                    <p class="hint">{t(Text::ImportLeadHint)}</p>
                </section>
            })
        })
    }
}

/// The first rows as they will be imported.
#[component]
fn Preview(checked: RwSignal<Option<Checked>>) -> impl IntoView {
    let rows = move || {
        checked.with(|c| {
            c.iter()
                .flat_map(|c| &c.rows.records)
                .take(PREVIEW_ROWS)
                .map(|r| {
                    let f = &r.fields;
                    view! {
                        <tr>
                            <td>{r.row}</td>
                            <td>{f.name.clone()}</td>
                            <td>{f.organisation.clone()}</td>
                            <td>{f.title.clone()}</td>
                            <td>{f.email.clone()}</td>
                            <td>{f.phone.clone()}</td>
                            <td>{labels::lead_start(r.lead)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let unit = move || {
        let unit = checked.with(|c| c.as_ref().map_or(RowUnit::Row, |c| c.rows.unit));
        t(unit_word(unit))
    };
    view! {
        <section class="import-preview-rows" aria-labelledby="import-preview-title">
            <h3 id="import-preview-title">{t(Text::FirstRows)}</h3>
            <div class="table-scroll">
                <table class="record-table">
                    <caption class="visually-hidden">{t(Text::FirstRowsCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{unit}</th>
                            <th scope="col">{t(Text::Name)}</th>
                            <th scope="col">{t(Text::Organisation)}</th>
                            <th scope="col">{t(Text::Title)}</th>
                            <th scope="col">{t(Text::Email)}</th>
                            <th scope="col">{t(Text::Phone)}</th>
                            <th scope="col">{t(Text::Lead)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// "Row" or "Card".
fn unit_word(unit: RowUnit) -> Text {
    match unit {
        RowUnit::Row => Text::Row,
        RowUnit::Card => Text::Card,
    }
}

/// Rows left out for errors, values left out of the contacts that come in
/// (with the choice to skip those contacts), and values that came in
/// another way.
#[component]
fn Problems(checked: RwSignal<Option<Checked>>, skip_incomplete: RwSignal<bool>) -> impl IntoView {
    move || {
        checked.with(|c| {
            let c = &c.as_ref()?.rows;
            let errors = (!c.errors.is_empty()).then(|| {
                let items = listed(c.errors.iter());
                let rows = {
                    let mut r: Vec<usize> = c.errors.iter().map(|e| e.row).collect();
                    r.dedup();
                    r.len()
                };
                view! {
                    <section class="import-errors" aria-labelledby="import-errors-title">
                        <h3 id="import-errors-title">
                            {match c.unit {
                                RowUnit::Row => count(rows, Text::OneRowLeftOut, Text::NRowsLeftOut),
                                RowUnit::Card => count(rows, Text::OneCardLeftOut, Text::NCardsLeftOut),
                            }}
                        </h3>
                        <p class="hint">{t(Text::RowsLeftOutHint)}</p>
                        <ul>{items}</ul>
                    </section>
                }
            });
            let is_left_out = |w: &&RowProblem| matches!(w.message, RowMessage::LeftOut { .. });
            let left_out = c.warnings.iter().any(|w| is_left_out(&w)).then(|| {
                let items = listed(c.warnings.iter().filter(is_left_out));
                view! {
                    <section class="import-left-out" aria-labelledby="import-left-out-title">
                        <h3 id="import-left-out-title">{t(Text::ValuesLeftOut)}</h3>
                        <p class="hint">{t(Text::ValuesLeftOutHint)}</p>
                        <ul>{items}</ul>
                        <div class="checkbox-field">
                            <input id="import-skip-incomplete" type="checkbox" bind:checked=skip_incomplete/>
                            <label for="import-skip-incomplete">{t(Text::SkipIncomplete)}</label>
                        </div>
                    </section>
                }
            });
            let notes = c.warnings.iter().any(|w| !is_left_out(&w)).then(|| {
                let items = listed(c.warnings.iter().filter(|w| !is_left_out(w)));
                view! {
                    <section class="import-warnings" aria-labelledby="import-warnings-title">
                        <h3 id="import-warnings-title">{t(Text::ImportedWithNote)}</h3>
                        <ul>{items}</ul>
                    </section>
                }
            });
            Some((errors, left_out, notes))
        })
    }
}

/// The first problems, one per line, then how many more there are.
fn listed<'a>(problems: impl Iterator<Item = &'a RowProblem>) -> impl IntoView {
    let problems: Vec<&RowProblem> = problems.collect();
    let more = problems.len().saturating_sub(LISTED);
    let items = problems
        .iter()
        .take(LISTED)
        .map(|e| view! { <li>{errors::row_problem(e)}</li> })
        .collect_view();
    (
        items,
        (more > 0).then(|| view! { <li>{fill(Text::AndNMore, &[&number(more as u64)])}</li> }),
    )
}

/// Possible duplicates, each with Skip, Merge or Keep both, and one choice
/// for all of them.
#[component]
fn Duplicates(
    checked: RwSignal<Option<Checked>>,
    choices: RwSignal<HashMap<usize, Resolution>>,
) -> impl IntoView {
    let options = move |current: Box<dyn Fn() -> Option<Resolution> + Send + Sync>| {
        let current = std::sync::Arc::new(current);
        Resolution::ALL
            .map(|r| {
                let current = current.clone();
                view! {
                    <option value=r.name() selected=move || current() == Some(r)>
                        {labels::resolution(r)}
                    </option>
                }
            })
            .collect_view()
    };
    let resolution_of = |name: &str| Resolution::from_name(name).unwrap_or_default();
    move || {
        let (rows, n) = checked.with(|c| {
            let c = c.as_ref()?;
            let rows: Vec<usize> = c
                .duplicates
                .iter()
                .map(|d| c.rows.records[d.index].row)
                .collect();
            Some((rows, c.duplicates.len()))
        })?;
        if n == 0 {
            return None;
        }
        let set_all = {
            let rows = rows.clone();
            move |ev: leptos::ev::Event| {
                let label = event_target_value(&ev);
                if label.is_empty() {
                    return;
                }
                let r = resolution_of(&label);
                choices.update(|ch| {
                    for row in &rows {
                        ch.insert(*row, r);
                    }
                });
            }
        };
        let items = checked.with(|c| {
            let c = c.as_ref()?;
            let records = &c.rows.records;
            let card = c.rows.unit == RowUnit::Card;
            let more = n.saturating_sub(LISTED);
            let items = c
                .duplicates
                .iter()
                .take(LISTED)
                .map(|d| {
                    let record = &records[d.index];
                    let row = record.row;
                    let of = match &d.of {
                        DuplicateOf::Existing(_, name) => fill(Text::DuplicateOfExisting, &[name]),
                        DuplicateOf::Earlier(j) => fill(
                            if card { Text::DuplicateOfEarlierCard } else { Text::DuplicateOfEarlier },
                            &[&records[*j].row.to_string()],
                        ),
                    };
                    let text = fill(
                        if card { Text::DuplicateLineCard } else { Text::DuplicateLine },
                        &[
                            &row.to_string(),
                            &record.fields.name,
                            labels::duplicate_reason(d.reason),
                            &of,
                        ],
                    );
                    let on_change = move |ev: leptos::ev::Event| {
                        let r = resolution_of(&event_target_value(&ev));
                        choices.update(|ch| {
                            ch.insert(row, r);
                        });
                    };
                    let current =
                        move || Some(choices.with(|ch| ch.get(&row).copied().unwrap_or_default()));
                    view! {
                        <li>
                            <span>{text}</span>
                            " "
                            <select
                                aria-label=fill(if card { Text::CardN } else { Text::RowN }, &[&row.to_string()])
                                on:change=on_change
                            >
                                {options(Box::new(current))}
                            </select>
                        </li>
                    }
                })
                .collect_view();
            let more = (more > 0)
                .then(|| view! { <li>{fill(Text::AndNMore, &[&number(more as u64)])}</li> });
            Some((items, more))
        });
        Some(view! {
            <section class="import-duplicates" aria-labelledby="import-duplicates-title">
                <h3 id="import-duplicates-title">
                    {count(n, Text::OnePossibleDuplicate, Text::NPossibleDuplicates)}
                </h3>
                <p class="hint">{t(Text::DuplicatesHint)}</p>
                <div class="field">
                    <label for="import-duplicates-all">{t(Text::ForAllDuplicates)}</label>
                    <select id="import-duplicates-all" on:change=set_all>
                        <option value="">{t(Text::ChoosePerRow)}</option>
                        {options(Box::new(|| None))}
                    </select>
                </div>
                <ul>{items}</ul>
            </section>
        })
    }
}
