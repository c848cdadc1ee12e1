//! Importing contacts from a spreadsheet or an address book: choose what
//! each column is, see the first rows, the rows left out and the possible
//! duplicates, then import everything as one step that Undo takes back.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::domain::import::{find_duplicates, plan_import, DuplicateOf, ImportPlan, Resolution};
use crate::i18n::{count, fill, labels, t, Text};
use crate::nav::{Route, Section};
use crate::transfer::csv_import::{check_rows, read_csv, CheckedRows, CsvTable, Target};
use crate::transfer::text::{check_size, detect_kind, FileKind};
use crate::transfer::vcard::read_vcards;
use crate::ui::download::{chosen_file, read_file_bytes};
use crate::ui::errors;
use crate::ui::pending_file;
use crate::ui::state::AppState;

/// How many rows the preview shows.
const PREVIEW_ROWS: usize = 5;

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

fn read_file(name: &str, bytes: &[u8]) -> Result<Loaded, String> {
    match detect_kind(name, bytes).map_err(|e| errors::file(&e))? {
        FileKind::Json => Err(t(Text::ImportJsonInSettings).to_owned()),
        FileKind::Csv => read_csv(bytes)
            .map(|table| Loaded::Csv {
                name: name.to_owned(),
                table,
            })
            .map_err(|e| errors::file(&e)),
        FileKind::Vcard => read_vcards(bytes)
            .map(|rows| Loaded::Vcard {
                name: name.to_owned(),
                rows,
            })
            .map_err(|e| errors::file(&e)),
    }
}

/// "Import 42 contacts and merge 3" / "Import 1 contact".
fn button_text(plan: &ImportPlan) -> String {
    let mut text = count(plan.added(), Text::ImportOneContact, Text::ImportNContacts);
    let merged = plan.merged();
    if merged > 0 {
        text.push_str(&fill(Text::ImportAndMerge, &[&merged.to_string()]));
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
    let mut text = fill(key, &[&added.to_string(), name]);
    if merged > 0 {
        text.push_str(&fill(Text::ImportedAndMerged, &[&merged.to_string()]));
    }
    if leads > 0 {
        text.push_str(&count(leads, Text::ImportedOneLead, Text::ImportedNLeads));
    }
    text.push('.');
    text
}

#[component]
pub fn ImportScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loaded = RwSignal::new(None::<Loaded>);
    let mapping = RwSignal::new(Vec::<Target>::new());
    let choices = RwSignal::new(HashMap::<usize, Resolution>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();

    let open = move |name: String, bytes: Vec<u8>| {
        done.set(None);
        choices.set(HashMap::new());
        match read_file(&name, &bytes) {
            Ok(file) => {
                if let Loaded::Csv { table, .. } = &file {
                    mapping.set(table.guess_mapping());
                }
                error.set(None);
                loaded.set(Some(file));
            }
            Err(e) => {
                loaded.set(None);
                error.set(Some(e));
            }
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

    let checked = Memo::new(move |_| {
        loaded.with(|file| match file {
            None => CheckedRows::default(),
            Some(Loaded::Csv { table, .. }) => mapping.with(|m| check_rows(table, m)),
            Some(Loaded::Vcard { rows, .. }) => rows.clone(),
        })
    });
    let duplicates =
        Memo::new(move |_| checked.with(|c| state.with(|p| find_duplicates(p, &c.records))));
    let plan = Memo::new(move |_| {
        checked.with(|c| {
            duplicates.with(|d| {
                choices.with(|ch| {
                    plan_import(&c.records, d, |i| {
                        ch.get(&c.records[i].row).copied().unwrap_or_default()
                    })
                })
            })
        })
    });

    let clear = move || {
        loaded.set(None);
        if let Some(input) = input.get() {
            input.set_value("");
        }
    };
    let apply = move |_| {
        let Some(name) = loaded.with_untracked(|f| f.as_ref().map(|f| f.name().to_owned())) else {
            return;
        };
        let plan: ImportPlan = plan.get_untracked();
        match state.run(|p, now| p.import_contacts(&plan, &name, now)) {
            Ok(out) => {
                let text = done_text(out.added.len(), out.merged.len(), out.leads, &name);
                error.set(None);
                done.set(Some(text));
                clear();
            }
            Err(e) => error.set(Some(fill(Text::NothingImported, &[&errors::domain(&e)]))),
        }
    };

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
            {move || {
                loaded
                    .with(|f| f.as_ref().map(|f| f.name().to_owned()))
                    .map(|name| {
                        view! {
                            <h2 class="import-file-name">{fill(Text::ImportingFile, &[&name])}</h2>
                            <ColumnMapping loaded mapping/>
                            <Preview checked/>
                            <Problems checked/>
                            <Duplicates checked duplicates choices/>
                            <div class="button-row">
                                <button
                                    type="button"
                                    on:click=apply
                                    disabled=move || plan.with(|p| p.steps.is_empty())
                                >
                                    {move || plan.with(button_text)}
                                </button>
                                <button type="button" class="quiet" on:click=move |_| clear()>
                                    {t(Text::Cancel)}
                                </button>
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
    move || {
        loaded.with(|file| {
            let Some(Loaded::Csv { table, .. }) = file else {
                return None;
            };
            let rows = table
                .headers
                .iter()
                .enumerate()
                .map(|(i, header)| {
                    let samples = table
                        .rows
                        .iter()
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
                    <p class="hint">{t(Text::ImportLeadHint)}</p>
                </section>
            })
        })
    }
}

/// The first rows as they will be imported.
#[component]
fn Preview(checked: Memo<CheckedRows>) -> impl IntoView {
    let rows = move || {
        checked.with(|c| {
            c.records
                .iter()
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
    view! {
        <section class="import-preview-rows" aria-labelledby="import-preview-title">
            <h3 id="import-preview-title">{t(Text::FirstRows)}</h3>
            <div class="table-scroll">
                <table class="record-table">
                    <caption class="visually-hidden">{t(Text::FirstRowsCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Text::Row)}</th>
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

/// Rows left out for errors, and values that came in another way.
#[component]
fn Problems(checked: Memo<CheckedRows>) -> impl IntoView {
    move || {
        checked.with(|c| {
            let errors = (!c.errors.is_empty()).then(|| {
                let items = c
                    .errors
                    .iter()
                    .map(|e| view! { <li>{errors::row_problem(e)}</li> })
                    .collect_view();
                let rows = {
                    let mut r: Vec<usize> = c.errors.iter().map(|e| e.row).collect();
                    r.dedup();
                    r.len()
                };
                view! {
                    <section class="import-errors" aria-labelledby="import-errors-title">
                        <h3 id="import-errors-title">
                            {count(rows, Text::OneRowLeftOut, Text::NRowsLeftOut)}
                        </h3>
                        <p class="hint">{t(Text::RowsLeftOutHint)}</p>
                        <ul>{items}</ul>
                    </section>
                }
            });
            let warnings = (!c.warnings.is_empty()).then(|| {
                let items = c
                    .warnings
                    .iter()
                    .map(|e| view! { <li>{errors::row_problem(e)}</li> })
                    .collect_view();
                view! {
                    <section class="import-warnings" aria-labelledby="import-warnings-title">
                        <h3 id="import-warnings-title">{t(Text::ImportedWithNote)}</h3>
                        <ul>{items}</ul>
                    </section>
                }
            });
            (errors, warnings)
        })
    }
}

/// Possible duplicates, each with Skip, Merge or Keep both, and one choice
/// for all of them.
#[component]
fn Duplicates(
    checked: Memo<CheckedRows>,
    duplicates: Memo<Vec<crate::domain::import::Duplicate>>,
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
        let list = duplicates.get();
        if list.is_empty() {
            return None;
        }
        let rows: Vec<usize> =
            checked.with(|c| list.iter().map(|d| c.records[d.index].row).collect());
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
            list.iter()
                .map(|d| {
                    let record = &c.records[d.index];
                    let row = record.row;
                    let of = match &d.of {
                        DuplicateOf::Existing(_, name) => fill(Text::DuplicateOfExisting, &[name]),
                        DuplicateOf::Earlier(j) => {
                            fill(Text::DuplicateOfEarlier, &[&c.records[*j].row.to_string()])
                        }
                    };
                    let text = fill(
                        Text::DuplicateLine,
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
                            <select aria-label=fill(Text::RowN, &[&row.to_string()]) on:change=on_change>
                                {options(Box::new(current))}
                            </select>
                        </li>
                    }
                })
                .collect_view()
        });
        let n = list.len();
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
