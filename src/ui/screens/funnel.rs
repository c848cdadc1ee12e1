//! The Funnel screen: conversion funnel, by source, drop-off, closing
//! figures and the weighted forecast. Every figure comes from
//! `crate::domain::reports`; this file only lays them out.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::reports::{
    average_days_lead_to_opportunity, average_days_opportunity_to_close, average_deal_size,
    drop_off, funnel, funnel_by_source, weighted_forecast, win_rate,
};
use crate::domain::time::{format_date, parse_date};
use crate::domain::{format_money, Funnel, NumberLocale, Period, Pipeline};
use crate::ui::state::{today, AppState};

/// Figures are written the English way for now.
const LOCALE: NumberLocale = NumberLocale::English;

/// The period select's value for "Custom".
const CUSTOM: &str = "custom";

/// Width of the charts' coordinate space; the SVGs scale to the screen.
const CHART_W: u64 = 360;

/// One step of the funnel, as text.
struct StepRow {
    label: &'static str,
    count: u32,
    from_previous: String,
    from_top: String,
}

/// One source's funnel, as text.
struct SourceRow {
    name: String,
    /// Each step's count and its share of the step before.
    steps: Vec<(u32, String)>,
    /// Accounts from contacts.
    overall: String,
}

/// One bar of a forecast chart.
struct ForecastRow {
    month: String,
    weighted: String,
    total: String,
    count: u32,
    /// For the bar's length (never compared across currencies).
    weighted_minor: i64,
}

/// The forecast of one currency.
struct ForecastCurrency {
    code: &'static str,
    rows: Vec<ForecastRow>,
    weighted_total: String,
}

/// Everything the screen shows, read from the pipeline in one go.
struct FunnelSummary {
    has_contacts: bool,
    cohort: String,
    steps: Vec<StepRow>,
    funnel_desc: String,
    sources: Vec<SourceRow>,
    sources_desc: String,
    disqualified: Vec<(&'static str, u32)>,
    lost: Vec<(&'static str, u32)>,
    win_rate: String,
    deal_sizes: Vec<String>,
    lead_to_opportunity: String,
    opportunity_to_close: String,
    forecast: Vec<ForecastCurrency>,
    without_amount: u32,
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn describe_funnel(f: &Funnel) -> String {
    let c = f.counts();
    let r = |i: usize| f.steps[i].from_previous.format(LOCALE);
    format!(
        "Of {}, {} became leads ({}), {} were qualified ({} of leads), {} became opportunities ({} of qualified) and {} became accounts ({} of opportunities); {} of contacts became accounts.",
        plural(c[0], "contact", "contacts"),
        c[1],
        r(1),
        c[2],
        r(2),
        c[3],
        r(3),
        c[4],
        r(4),
        f.steps[4].from_top.format(LOCALE),
    )
}

impl FunnelSummary {
    fn of(p: &Pipeline, period: Period, today: NaiveDate) -> FunnelSummary {
        let f = funnel(p, period, today);
        let steps = f
            .steps
            .iter()
            .map(|s| StepRow {
                label: s.stage.label(),
                count: s.count,
                from_previous: s.from_previous.format(LOCALE),
                from_top: s.from_top.format(LOCALE),
            })
            .collect();
        let sources: Vec<SourceRow> = funnel_by_source(p, period, today)
            .into_iter()
            .filter(|s| s.funnel.steps[0].count > 0)
            .map(|s| SourceRow {
                name: s.source.label().to_owned(),
                steps: s
                    .funnel
                    .steps
                    .iter()
                    .map(|st| (st.count, st.from_previous.format(LOCALE)))
                    .collect(),
                overall: s.funnel.steps[4].from_top.format(LOCALE),
            })
            .collect();
        let sources_desc =
            if sources.is_empty() {
                "No contacts in this period.".to_owned()
            } else {
                sources
                    .iter()
                    .map(|s| {
                        format!(
                        "{}: {} contacts, {} leads, {} qualified, {} opportunities, {} accounts.",
                        s.name, s.steps[0].0, s.steps[1].0, s.steps[2].0, s.steps[3].0, s.steps[4].0
                    )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
        let drop = drop_off(p, period, today);
        let rate = win_rate(p, period, today);
        let won = rate.num;
        let lost = rate.den - rate.num;
        let days = |a: Option<crate::domain::AverageDays>, what: (&str, &str)| match a {
            Some(a) => format!("{} ({})", a.format(LOCALE), plural(a.count, what.0, what.1)),
            None => "–".to_owned(),
        };
        let forecast = weighted_forecast(p);
        let totals = forecast.weighted_totals();
        let mut charts: Vec<ForecastCurrency> = Vec::new();
        for b in &forecast.buckets {
            let row = ForecastRow {
                month: b
                    .month
                    .map_or_else(|| "No close date".to_owned(), |m| m.to_string()),
                weighted: format_money(b.weighted, LOCALE),
                total: format_money(b.total, LOCALE),
                count: b.count,
                weighted_minor: b.weighted.minor,
            };
            match charts.last_mut() {
                Some(c) if c.code == b.currency.code() => c.rows.push(row),
                _ => charts.push(ForecastCurrency {
                    code: b.currency.code(),
                    rows: vec![row],
                    weighted_total: totals
                        .iter()
                        .find(|m| m.currency == b.currency)
                        .map(|m| format_money(*m, LOCALE))
                        .unwrap_or_default(),
                }),
            }
        }
        let cohort = match period.bounds(today) {
            None => "Contacts created at any time".to_owned(),
            Some((from, to)) => format!(
                "Contacts created from {} to {}",
                format_date(from),
                format_date(to)
            ),
        };
        FunnelSummary {
            has_contacts: !p.contacts().is_empty(),
            cohort,
            funnel_desc: describe_funnel(&f),
            steps,
            sources,
            sources_desc,
            disqualified: drop
                .disqualified
                .into_iter()
                .filter(|x| x.1 > 0)
                .map(|(r, n)| (r.label(), n))
                .collect(),
            lost: drop
                .lost
                .into_iter()
                .filter(|x| x.1 > 0)
                .map(|(r, n)| (r.label(), n))
                .collect(),
            win_rate: if rate.den == 0 {
                "– (no deals closed)".to_owned()
            } else {
                format!("{} ({won} won, {lost} lost)", rate.format(LOCALE))
            },
            deal_sizes: average_deal_size(p, period, today)
                .into_iter()
                .map(|m| format_money(m, LOCALE))
                .collect(),
            lead_to_opportunity: days(
                average_days_lead_to_opportunity(p, period, today),
                ("opportunity", "opportunities"),
            ),
            opportunity_to_close: days(
                average_days_opportunity_to_close(p, period, today),
                ("deal", "deals"),
            ),
            forecast: charts,
            without_amount: forecast.without_amount,
        }
    }
}

/// `part` of `whole` as a length out of `full` (0 when there is no whole).
fn scale(part: u64, whole: u64, full: u64) -> u64 {
    (part.min(whole) * full).checked_div(whole).unwrap_or(0)
}

/// The funnel as centred trapezoids, one per step, with its words beside it.
fn funnel_chart(steps: &[StepRow], desc: String) -> impl IntoView {
    const ROW: u64 = 48;
    const BAR_X: u64 = 128;
    let bar_w = CHART_W - BAR_X;
    let top = u64::from(steps.first().map_or(0, |s| s.count));
    let widths: Vec<u64> = steps
        .iter()
        .map(|s| {
            let w = scale(u64::from(s.count), top, bar_w);
            if s.count > 0 {
                w.max(3)
            } else {
                0
            }
        })
        .collect();
    let height = ROW * steps.len() as u64;
    let centre = BAR_X + bar_w / 2;
    let shapes = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = ROW * i as u64;
            let w_top = widths[i];
            let w_bottom = widths.get(i + 1).copied().unwrap_or(w_top).min(w_top);
            let bottom = y + ROW - 6;
            let points = format!(
                "{},{y} {},{y} {},{bottom} {},{bottom}",
                centre - w_top / 2,
                centre + w_top / 2,
                centre + w_bottom / 2,
                centre - w_bottom / 2,
            );
            let figure = if i == 0 {
                s.count.to_string()
            } else {
                format!("{} · {}", s.count, s.from_previous)
            };
            view! {
                <g>
                    <polygon class=format!("funnel-step step-{i}") points=points></polygon>
                    <text class="chart-label" x="0" y=y + 18>{s.label}</text>
                    <text class="chart-figure" x="0" y=y + 36>{figure}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart funnel-chart"
            role="img"
            aria-labelledby="funnel-chart-title funnel-chart-desc"
            viewBox=format!("0 0 {CHART_W} {height}")
        >
            <title id="funnel-chart-title">"Conversion funnel chart"</title>
            <desc id="funnel-chart-desc">{desc}</desc>
            {shapes}
        </svg>
    }
}

/// Per source: five nested bars, Contacts (palest) to Accounts (darkest),
/// on one scale so sources compare.
fn sources_chart(sources: &[SourceRow], desc: String) -> impl IntoView {
    const ROW: u64 = 44;
    let max = sources.iter().map(|s| s.steps[0].0).max().unwrap_or(0);
    let height = (ROW * sources.len() as u64).max(ROW);
    let rows = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = ROW * i as u64;
            let bars = s
                .steps
                .iter()
                .enumerate()
                .map(|(k, (count, _))| {
                    let w = scale(u64::from(*count), u64::from(max), CHART_W);
                    view! {
                        <rect class=format!("funnel-step step-{k}") x="0" y=y + 18 width=w height="18"></rect>
                    }
                })
                .collect_view();
            let label = format!(
                "{}: {} → {}",
                s.name,
                plural(s.steps[0].0, "contact", "contacts"),
                plural(s.steps[4].0, "account", "accounts")
            );
            view! {
                <g>
                    <text class="chart-label" x="0" y=y + 13>{label}</text>
                    {bars}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart sources-chart"
            role="img"
            aria-labelledby="sources-chart-title sources-chart-desc"
            viewBox=format!("0 0 {CHART_W} {height}")
        >
            <title id="sources-chart-title">"Conversion by source chart"</title>
            <desc id="sources-chart-desc">{desc}</desc>
            {rows}
        </svg>
    }
}

/// One currency's weighted forecast as horizontal bars per month.
fn forecast_chart(index: usize, c: &ForecastCurrency) -> impl IntoView {
    const ROW: u64 = 30;
    const BAR_X: u64 = 96;
    const BAR_W: u64 = 150;
    let max = c
        .rows
        .iter()
        .map(|r| r.weighted_minor.max(0).unsigned_abs())
        .max()
        .unwrap_or(0);
    let height = ROW * c.rows.len() as u64;
    let title_id = format!("forecast-chart-title-{index}");
    let desc_id = format!("forecast-chart-desc-{index}");
    let labelled_by = format!("{title_id} {desc_id}");
    let desc = c
        .rows
        .iter()
        .map(|r| {
            format!(
                "{}: {} weighted, of {} in {}.",
                r.month,
                r.weighted,
                r.total,
                plural(r.count, "deal", "deals")
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let bars = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = ROW * i as u64;
            let w = scale(r.weighted_minor.max(0).unsigned_abs(), max, BAR_W).max(2);
            view! {
                <g>
                    <text class="chart-label" x="0" y=y + 19>{r.month.clone()}</text>
                    <rect class="forecast-bar" x=BAR_X y=y + 5 width=w height="20"></rect>
                    <text class="chart-figure" x=CHART_W y=y + 19 text-anchor="end">{r.weighted.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart forecast-chart"
            role="img"
            aria-labelledby=labelled_by
            viewBox=format!("0 0 {CHART_W} {height}")
        >
            <title id=title_id>{format!("Weighted forecast in {} by expected close month", c.code)}</title>
            <desc id=desc_id>{desc}</desc>
            {bars}
        </svg>
    }
}

fn reason_list(
    caption: &'static str,
    none: &'static str,
    rows: Vec<(&'static str, u32)>,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="hint">{none}</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|(reason, n)| view! { <tr><th scope="row">{reason}</th><td class="num">{n}</td></tr> })
        .collect_view();
    view! {
        <table class="funnel-table">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">"Reason"</th><th scope="col" class="num">"Count"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn render(s: FunnelSummary) -> AnyView {
    if !s.has_contacts {
        return view! {
            <p class="empty-state">"The conversion funnel appears once there are contacts."</p>
        }
        .into_any();
    }
    let chart = funnel_chart(&s.steps, s.funnel_desc);
    let step_rows = s
        .steps
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.label}</th>
                    <td class="num">{r.count}</td>
                    <td class="num">{r.from_previous}</td>
                    <td class="num">{r.from_top}</td>
                </tr>
            }
        })
        .collect_view();
    let sources = if s.sources.is_empty() {
        view! { <p class="hint">"No contacts were created in this period."</p> }.into_any()
    } else {
        let chart = sources_chart(&s.sources, s.sources_desc);
        let rows = s
            .sources
            .into_iter()
            .map(|r| {
                let cells = r
                    .steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (count, rate))| {
                        let rate = (i > 0).then(|| view! { " " <span class="rate">{rate}</span> });
                        view! { <td class="num">{count}{rate}</td> }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{r.name}</th>
                        {cells}
                        <td class="num">{r.overall}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {chart}
            <ul class="funnel-legend" aria-hidden="true">
                <li><span class="swatch step-0"></span>"Contacts"</li>
                <li><span class="swatch step-1"></span>"Leads"</li>
                <li><span class="swatch step-2"></span>"Qualified"</li>
                <li><span class="swatch step-3"></span>"Opportunities"</li>
                <li><span class="swatch step-4"></span>"Accounts"</li>
            </ul>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Conversion by source, table">
                <table class="funnel-table by-source">
                    <caption>
                        "Conversion by source"
                        <span class="caption-note">
                            "Each step: how many reached it, and the share of the step before."
                        </span>
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Source"</th>
                            <th scope="col" class="num">"Contacts"</th>
                            <th scope="col" class="num">"Leads"</th>
                            <th scope="col" class="num">"Qualified"</th>
                            <th scope="col" class="num">"Opportunities"</th>
                            <th scope="col" class="num">"Accounts"</th>
                            <th scope="col" class="num">"Contact to account"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let deal_sizes = if s.deal_sizes.is_empty() {
        "– (nothing won)".to_owned()
    } else {
        s.deal_sizes.join(", ")
    };
    let forecast = if s.forecast.is_empty() {
        view! { <p class="hint">"No open opportunity has an amount yet."</p> }.into_any()
    } else {
        let charts = s
            .forecast
            .iter()
            .enumerate()
            .map(|(i, c)| forecast_chart(i, c))
            .collect_view();
        let rows = s
            .forecast
            .into_iter()
            .map(|c| {
                let code = c.code;
                let months = c
                    .rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td>{code}</td>
                                <th scope="row">{r.month}</th>
                                <td class="num">{r.count}</td>
                                <td class="num">{r.total}</td>
                                <td class="num">{r.weighted}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    {months}
                    <tr class="total">
                        <td>{code}</td>
                        <th scope="row">"All months"</th>
                        <td></td>
                        <td></td>
                        <td class="num">{c.weighted_total}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {charts}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Weighted forecast, table">
                <table class="funnel-table">
                    <caption>"Weighted forecast"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Currency"</th>
                            <th scope="col">"Expected close"</th>
                            <th scope="col" class="num">"Open deals"</th>
                            <th scope="col" class="num">"Amount"</th>
                            <th scope="col" class="num">"Weighted"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let without_amount = (s.without_amount > 0).then(|| {
        let text = if s.without_amount == 1 {
            "1 open opportunity has no amount yet and is left out.".to_owned()
        } else {
            format!(
                "{} open opportunities have no amount yet and are left out.",
                s.without_amount
            )
        };
        view! { <p class="hint">{text}</p> }
    });
    view! {
        <p class="hint cohort">{s.cohort}</p>
        <section aria-labelledby="funnel-title">
            <h2 id="funnel-title">"Conversion funnel"</h2>
            {chart}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Conversion funnel, table">
            <table class="funnel-table">
                <caption>"Conversion funnel"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Step"</th>
                        <th scope="col" class="num">"Reached"</th>
                        <th scope="col" class="num">"From previous step"</th>
                        <th scope="col" class="num">"From top"</th>
                    </tr>
                </thead>
                <tbody>{step_rows}</tbody>
            </table>
            </div>
        </section>
        <section aria-labelledby="sources-title">
            <h2 id="sources-title">"By source"</h2>
            {sources}
        </section>
        <section aria-labelledby="drop-off-title">
            <h2 id="drop-off-title">"Drop-off"</h2>
            <div class="funnel-columns">
                {reason_list("Disqualify reasons", "No leads were disqualified.", s.disqualified)}
                {reason_list("Lost reasons", "No deals were lost.", s.lost)}
            </div>
        </section>
        <section aria-labelledby="closing-title">
            <h2 id="closing-title">"Closing"</h2>
            <p class="hint">"Deals closed in the period; days to opportunity for opportunities opened in it."</p>
            <dl class="details funnel-figures">
                <dt>"Win rate"</dt>
                <dd>{s.win_rate}</dd>
                <dt>"Average deal size"</dt>
                <dd>{deal_sizes}</dd>
                <dt>"Average days, lead to opportunity"</dt>
                <dd>{s.lead_to_opportunity}</dd>
                <dt>"Average days, opportunity to close"</dt>
                <dd>{s.opportunity_to_close}</dd>
            </dl>
        </section>
        <section aria-labelledby="forecast-title">
            <h2 id="forecast-title">"Weighted forecast"</h2>
            <p class="hint">
                "Every open opportunity: amount × probability, per currency and expected close month."
            </p>
            {forecast}
            {without_amount}
        </section>
    }
    .into_any()
}

#[component]
pub fn FunnelScreen() -> impl IntoView {
    let state = expect_context::<AppState>();
    let today = today();
    let (default_from, default_to) = Period::Last12Months.bounds(today).unwrap_or((today, today));
    // The select's value: a preset's index in `Period::PRESETS`, or CUSTOM.
    let choice = RwSignal::new("0".to_owned());
    let from = RwSignal::new(default_from);
    let to = RwSignal::new(default_to);
    let period = move || {
        let c = choice.get();
        if c == CUSTOM {
            Period::Custom {
                from: from.get(),
                to: to.get(),
            }
        } else {
            c.parse::<usize>()
                .ok()
                .and_then(|i| Period::PRESETS.get(i).copied())
                .unwrap_or_default()
        }
    };
    let options = Period::PRESETS
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <option value=i.to_string()>{p.label()}</option> })
        .collect_view();
    let date_input = move |id: &'static str, label: &'static str, date: RwSignal<NaiveDate>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="date"
                    prop:value=move || format_date(date.get())
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            date.set(d);
                        }
                    }
                />
            </div>
        }
    };
    let custom = move || {
        (choice.get() == CUSTOM).then(|| {
            view! {
                {date_input("funnel-from", "From", from)}
                {date_input("funnel-to", "To", to)}
            }
        })
    };
    let body = move || {
        let period = period();
        render(state.with(|p| FunnelSummary::of(p, period, today)))
    };
    view! {
        <section class="screen funnel-screen" aria-labelledby="screen-title">
            <h1 id="screen-title">"Funnel"</h1>
            <div class="list-tools">
                <div class="field">
                    <label for="funnel-period">"Period"</label>
                    <select
                        id="funnel-period"
                        prop:value=move || choice.get()
                        on:change=move |ev| choice.set(event_target_value(&ev))
                    >
                        {options}
                        <option value=CUSTOM>"Custom"</option>
                    </select>
                </div>
                {custom}
            </div>
            {body}
        </section>
    }
}
