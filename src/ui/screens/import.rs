//! Importing contacts from a spreadsheet or an address book: choose what
//! each column is, see the first rows, the rows left out and the possible
//! duplicates, then import everything as one step that Undo takes back.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::domain::import::{
    find_duplicates, plan_import, DuplicateOf, ImportPlan, LeadStart, Resolution,
};
use crate::nav::{Route, Section};
use crate::transfer::csv_import::{check_rows, read_csv, CheckedRows, CsvTable, Target};
use crate::transfer::text::{check_size, detect_kind, FileKind, SIZE_LIMIT_TEXT};
use crate::transfer::vcard::read_vcards;
use crate::ui::download::{chosen_file, read_file_bytes};
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
    match detect_kind(name, bytes).map_err(|e| e.to_string())? {
        FileKind::Json => Err(
            "This is a Leadline JSON export. Import it in Settings, where it replaces the whole pipeline."
                .to_owned(),
        ),
        FileKind::Csv => read_csv(bytes)
            .map(|table| Loaded::Csv {
                name: name.to_owned(),
                table,
            })
            .map_err(|e| e.to_string()),
        FileKind::Vcard => read_vcards(bytes)
            .map(|rows| Loaded::Vcard {
                name: name.to_owned(),
                rows,
            })
            .map_err(|e| e.to_string()),
    }
}

fn lead_text(lead: Option<LeadStart>) -> &'static str {
    match lead {
        None => "",
        Some(LeadStart::New) => "New lead",
        Some(LeadStart::Contacted) => "Contacted lead",
        Some(LeadStart::Disqualified(_)) => "Disqualified lead",
    }
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
            error.set(Some(e.to_string()));
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
                let mut text = format!(
                    "Imported {} new {} from {name}",
                    out.added.len(),
                    if out.added.len() == 1 {
                        "contact"
                    } else {
                        "contacts"
                    }
                );
                if !out.merged.is_empty() {
                    text.push_str(&format!(
                        " and merged {} into existing ones",
                        out.merged.len()
                    ));
                }
                if out.leads > 0 {
                    text.push_str(&format!(
                        "; {} became {}",
                        out.leads,
                        if out.leads == 1 { "a lead" } else { "leads" }
                    ));
                }
                text.push('.');
                error.set(None);
                done.set(Some(text));
                clear();
            }
            Err(e) => error.set(Some(format!("Nothing was imported: {e}"))),
        }
    };

    view! {
        <section class="screen import-contacts" aria-labelledby="screen-title">
            <h1 id="screen-title">"Import contacts"</h1>
            <p>
                "Bring contacts in from a spreadsheet (.csv, for example a Salesforce or HubSpot export) or from an address book (.vcf, vCard 3.0 or 4.0)."
            </p>
            <div class="field">
                <label for="import-contacts-file">"File to import"</label>
                <input
                    id="import-contacts-file"
                    type="file"
                    accept=".csv,.tsv,.txt,.vcf,text/csv,text/vcard"
                    node_ref=input
                    on:change=on_choose
                    aria-describedby="import-contacts-hint"
                />
                <p class="hint" id="import-contacts-hint">
                    {SIZE_LIMIT_TEXT}
                    " Nothing changes until you press the import button, and Undo takes the whole import back."
                </p>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || {
                done.get()
                    .map(|m| {
                        view! {
                            <p role="status">
                                {m} " "
                                <a href=Route::Section(Section::Contacts).to_hash()>"See your contacts"</a>
                            </p>
                        }
                    })
            }}
            {move || {
                loaded
                    .with(|f| f.as_ref().map(|f| f.name().to_owned()))
                    .map(|name| {
                        view! {
                            <h2 class="import-file-name">{format!("Importing {name}")}</h2>
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
                                    {move || plan.with(ImportPlan::button_text)}
                                </button>
                                <button type="button" class="quiet" on:click=move |_| clear()>
                                    "Cancel"
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
                        format!("Column {}", i + 1)
                    } else {
                        header.clone()
                    };
                    let on_change = move |ev: leptos::ev::Event| {
                        let target = Target::from_label(&event_target_value(&ev));
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
                                <select aria-label=format!("Import {shown} as") on:change=on_change>
                                    {Target::ALL
                                        .map(|t| {
                                            view! {
                                                <option value=t.label() selected=move || current() == t>
                                                    {t.label()}
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
            let summary = format!(
                "{} rows, separated by {}, read as {}.",
                table.rows.len(),
                table.delimiter_name(),
                table.encoding
            );
            Some(view! {
                <section class="import-columns" aria-labelledby="import-columns-title">
                    <h3 id="import-columns-title">"Columns"</h3>
                    <p class="hint">{summary}</p>
                    <div class="table-scroll">
                        <table class="record-table">
                            <caption class="visually-hidden">"Columns in the file"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Column in the file"</th>
                                    <th scope="col">"First values"</th>
                                    <th scope="col">"Import as"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p class="hint">
                        "Lead status and Lifecycle stage make a lead where the meaning is clear: new, open or lead (a new lead), working or contacted (a contacted lead), unqualified or bad timing (a disqualified lead). Customers, qualified leads and open deals from another system come in as contacts with the value in Notes: Leadline qualifies leads by their checklist and makes accounts only from won opportunities."
                    </p>
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
                            <td>{lead_text(r.lead)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="import-preview-rows" aria-labelledby="import-preview-title">
            <h3 id="import-preview-title">"First rows"</h3>
            <div class="table-scroll">
                <table class="record-table">
                    <caption class="visually-hidden">"First rows as they will be imported"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Row"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Organisation"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Phone"</th>
                            <th scope="col">"Lead"</th>
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
                    .map(|e| view! { <li>{e.to_string()}</li> })
                    .collect_view();
                let rows = {
                    let mut r: Vec<usize> = c.errors.iter().map(|e| e.row).collect();
                    r.dedup();
                    r.len()
                };
                view! {
                    <section class="import-errors" aria-labelledby="import-errors-title">
                        <h3 id="import-errors-title">
                            {format!("{rows} {} left out", if rows == 1 { "row" } else { "rows" })}
                        </h3>
                        <p class="hint">
                            "These are not imported. Correct them in the file and import it again, or import the rest now."
                        </p>
                        <ul>{items}</ul>
                    </section>
                }
            });
            let warnings = (!c.warnings.is_empty()).then(|| {
                let items = c
                    .warnings
                    .iter()
                    .map(|e| view! { <li>{e.to_string()}</li> })
                    .collect_view();
                view! {
                    <section class="import-warnings" aria-labelledby="import-warnings-title">
                        <h3 id="import-warnings-title">"Imported with a note"</h3>
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
                    <option value=r.label() selected=move || current() == Some(r)>
                        {r.label()}
                    </option>
                }
            })
            .collect_view()
    };
    let from_label = |label: &str| {
        Resolution::ALL
            .into_iter()
            .find(|r| r.label() == label)
            .unwrap_or_default()
    };
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
                let r = from_label(&label);
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
                        DuplicateOf::Existing(_, name) => format!("{name}, already in Leadline"),
                        DuplicateOf::Earlier(j) => {
                            format!("row {} of this file", c.records[*j].row)
                        }
                    };
                    let text = format!(
                        "Row {row}, {}: {} as {of}",
                        record.fields.name,
                        d.reason.label()
                    );
                    let on_change = move |ev: leptos::ev::Event| {
                        let r = from_label(&event_target_value(&ev));
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
                            <select aria-label=format!("Row {row}") on:change=on_change>
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
                    {format!("{n} possible {}", if n == 1 { "duplicate" } else { "duplicates" })}
                </h3>
                <p class="hint">
                    "Merge fills in what the contact lacks and never overwrites; Skip leaves the row out; Keep both adds it as a new contact."
                </p>
                <div class="field">
                    <label for="import-duplicates-all">"For all duplicates"</label>
                    <select id="import-duplicates-all" on:change=set_all>
                        <option value="">"Choose per row"</option>
                        {options(Box::new(|| None))}
                    </select>
                </div>
                <ul>{items}</ul>
            </section>
        })
    }
}
