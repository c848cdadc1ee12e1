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
use crate::domain::{Funnel, Period, Pipeline};
use crate::i18n::{self, count, fill, labels, t, Text};
use crate::ui::state::{today, AppState};

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

fn plural(n: u32, one: Text, many: Text) -> String {
    count(n as usize, one, many)
}

fn describe_funnel(f: &Funnel) -> String {
    let c = f.counts().map(|n| n.to_string());
    let r = |i: usize| i18n::rate(&f.steps[i].from_previous);
    fill(
        Text::FunnelDescription,
        &[
            &plural(f.counts()[0], Text::OneContact, Text::NContacts),
            &c[1],
            &r(1),
            &c[2],
            &r(2),
            &c[3],
            &r(3),
            &c[4],
            &r(4),
            &i18n::rate(&f.steps[4].from_top),
        ],
    )
}

impl FunnelSummary {
    fn of(p: &Pipeline, period: Period, today: NaiveDate) -> FunnelSummary {
        let f = funnel(p, period, today);
        let steps = f
            .steps
            .iter()
            .map(|s| StepRow {
                label: labels::funnel_stage(s.stage),
                count: s.count,
                from_previous: i18n::rate(&s.from_previous),
                from_top: i18n::rate(&s.from_top),
            })
            .collect();
        let sources: Vec<SourceRow> = funnel_by_source(p, period, today)
            .into_iter()
            .filter(|s| s.funnel.steps[0].count > 0)
            .map(|s| SourceRow {
                name: labels::source(&s.source).to_owned(),
                steps: s
                    .funnel
                    .steps
                    .iter()
                    .map(|st| (st.count, i18n::rate(&st.from_previous)))
                    .collect(),
                overall: i18n::rate(&s.funnel.steps[4].from_top),
            })
            .collect();
        let sources_desc = if sources.is_empty() {
            t(Text::NoContactsInPeriod).to_owned()
        } else {
            sources
                .iter()
                .map(|s| {
                    let n = |i: usize| s.steps[i].0.to_string();
                    fill(
                        Text::SourceDescription,
                        &[&s.name, &n(0), &n(1), &n(2), &n(3), &n(4)],
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let drop = drop_off(p, period, today);
        let rate = win_rate(p, period, today);
        let won = rate.num;
        let lost = rate.den - rate.num;
        let days = |a: Option<crate::domain::AverageDays>, what: (Text, Text)| match a {
            Some(a) => format!("{} ({})", i18n::days(&a), plural(a.count, what.0, what.1)),
            None => "–".to_owned(),
        };
        let forecast = weighted_forecast(p);
        let totals = forecast.weighted_totals();
        let mut charts: Vec<ForecastCurrency> = Vec::new();
        for b in &forecast.buckets {
            let row = ForecastRow {
                month: b
                    .month
                    .map_or_else(|| t(Text::NoCloseDate).to_owned(), i18n::month),
                weighted: i18n::money(b.weighted),
                total: i18n::money(b.total),
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
                        .map(|m| i18n::money(*m))
                        .unwrap_or_default(),
                }),
            }
        }
        let cohort = match period.bounds(today) {
            None => t(Text::ContactsAnyTime).to_owned(),
            Some((from, to)) => fill(
                Text::ContactsCreatedFromTo,
                &[&i18n::date(from), &i18n::date(to)],
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
                .map(|(r, n)| (labels::disqualify_reason(r), n))
                .collect(),
            lost: drop
                .lost
                .into_iter()
                .filter(|x| x.1 > 0)
                .map(|(r, n)| (labels::lost_reason(r), n))
                .collect(),
            win_rate: if rate.den == 0 {
                t(Text::NoDealsClosed).to_owned()
            } else {
                fill(
                    Text::WinRateFigures,
                    &[&i18n::rate(&rate), &won.to_string(), &lost.to_string()],
                )
            },
            deal_sizes: average_deal_size(p, period, today)
                .into_iter()
                .map(i18n::money)
                .collect(),
            lead_to_opportunity: days(
                average_days_lead_to_opportunity(p, period, today),
                (Text::OneOpportunity, Text::NOpportunities),
            ),
            opportunity_to_close: days(
                average_days_opportunity_to_close(p, period, today),
                (Text::OneDeal, Text::NDeals),
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
            <title id="funnel-chart-title">{t(Text::FunnelChart)}</title>
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
                plural(s.steps[0].0, Text::OneContact, Text::NContacts),
                plural(s.steps[4].0, Text::OneAccount, Text::NAccounts)
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
            <title id="sources-chart-title">{t(Text::SourcesChart)}</title>
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
            fill(
                Text::ForecastDescription,
                &[
                    &r.month,
                    &r.weighted,
                    &r.total,
                    &plural(r.count, Text::OneDeal, Text::NDeals),
                ],
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
            <title id=title_id>{fill(Text::ForecastChart, &[c.code])}</title>
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
            <thead>
                <tr>
                    <th scope="col">{t(Text::Reason)}</th>
                    <th scope="col" class="num">{t(Text::Count)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn render(s: FunnelSummary) -> AnyView {
    if !s.has_contacts {
        return view! {
            <p class="empty-state">{t(Text::FunnelEmpty)}</p>
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
        view! { <p class="hint">{t(Text::NoContactsCreatedInPeriod)}</p> }.into_any()
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
                <li><span class="swatch step-0"></span>{t(Text::Contacts)}</li>
                <li><span class="swatch step-1"></span>{t(Text::Leads)}</li>
                <li><span class="swatch step-2"></span>{t(Text::FunnelQualified)}</li>
                <li><span class="swatch step-3"></span>{t(Text::Opportunities)}</li>
                <li><span class="swatch step-4"></span>{t(Text::Accounts)}</li>
            </ul>
            <div class="table-scroll" tabindex="0" role="region" aria-label=t(Text::BySourceTable)>
                <table class="funnel-table by-source">
                    <caption>
                        {t(Text::ConversionBySource)}
                        <span class="caption-note">{t(Text::BySourceNote)}</span>
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Text::Source)}</th>
                            <th scope="col" class="num">{t(Text::Contacts)}</th>
                            <th scope="col" class="num">{t(Text::Leads)}</th>
                            <th scope="col" class="num">{t(Text::FunnelQualified)}</th>
                            <th scope="col" class="num">{t(Text::Opportunities)}</th>
                            <th scope="col" class="num">{t(Text::Accounts)}</th>
                            <th scope="col" class="num">{t(Text::ContactToAccount)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let deal_sizes = if s.deal_sizes.is_empty() {
        t(Text::NothingWonDash).to_owned()
    } else {
        s.deal_sizes.join(", ")
    };
    let forecast = if s.forecast.is_empty() {
        view! { <p class="hint">{t(Text::NoOpenAmount)}</p> }.into_any()
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
                        <th scope="row">{t(Text::AllMonths)}</th>
                        <td></td>
                        <td></td>
                        <td class="num">{c.weighted_total}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {charts}
            <div class="table-scroll" tabindex="0" role="region" aria-label=t(Text::ForecastTable)>
                <table class="funnel-table">
                    <caption>{t(Text::WeightedForecast)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Text::Currency)}</th>
                            <th scope="col">{t(Text::ExpectedClose)}</th>
                            <th scope="col" class="num">{t(Text::OpenDeals)}</th>
                            <th scope="col" class="num">{t(Text::Amount)}</th>
                            <th scope="col" class="num">{t(Text::Weighted)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let without_amount = (s.without_amount > 0).then(|| {
        let text = plural(
            s.without_amount,
            Text::OneWithoutAmount,
            Text::NWithoutAmount,
        );
        view! { <p class="hint">{text}</p> }
    });
    view! {
        <p class="hint cohort">{s.cohort}</p>
        <section aria-labelledby="funnel-title">
            <h2 id="funnel-title">{t(Text::ConversionFunnel)}</h2>
            {chart}
            <div class="table-scroll" tabindex="0" role="region" aria-label=t(Text::FunnelTable)>
            <table class="funnel-table">
                <caption>{t(Text::ConversionFunnel)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Text::Step)}</th>
                        <th scope="col" class="num">{t(Text::Reached)}</th>
                        <th scope="col" class="num">{t(Text::FromPreviousStep)}</th>
                        <th scope="col" class="num">{t(Text::FromTop)}</th>
                    </tr>
                </thead>
                <tbody>{step_rows}</tbody>
            </table>
            </div>
        </section>
        <section aria-labelledby="sources-title">
            <h2 id="sources-title">{t(Text::BySource)}</h2>
            {sources}
        </section>
        <section aria-labelledby="drop-off-title">
            <h2 id="drop-off-title">{t(Text::DropOff)}</h2>
            <div class="funnel-columns">
                {reason_list(
                    t(Text::DisqualifyReasons),
                    t(Text::NoLeadsDisqualified),
                    s.disqualified,
                )}
                {reason_list(t(Text::LostReasons), t(Text::NoDealsLost), s.lost)}
            </div>
        </section>
        <section aria-labelledby="closing-title">
            <h2 id="closing-title">{t(Text::Closing)}</h2>
            <p class="hint">{t(Text::ClosingHint)}</p>
            <dl class="details funnel-figures">
                <dt>{t(Text::WinRate)}</dt>
                <dd>{s.win_rate}</dd>
                <dt>{t(Text::AverageDealSize)}</dt>
                <dd>{deal_sizes}</dd>
                <dt>{t(Text::DaysLeadToOpportunity)}</dt>
                <dd>{s.lead_to_opportunity}</dd>
                <dt>{t(Text::DaysOpportunityToClose)}</dt>
                <dd>{s.opportunity_to_close}</dd>
            </dl>
        </section>
        <section aria-labelledby="forecast-title">
            <h2 id="forecast-title">{t(Text::WeightedForecast)}</h2>
            <p class="hint">{t(Text::ForecastHint)}</p>
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
        .map(|(i, p)| view! { <option value=i.to_string()>{labels::period(p)}</option> })
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
                {date_input("funnel-from", t(Text::From), from)}
                {date_input("funnel-to", t(Text::To), to)}
            }
        })
    };
    let body = move || {
        let period = period();
        render(state.with(|p| FunnelSummary::of(p, period, today)))
    };
    view! {
        <section class="screen funnel-screen" aria-labelledby="screen-title">
            <h1 id="screen-title">{t(Text::Funnel)}</h1>
            <div class="list-tools">
                <div class="field">
                    <label for="funnel-period">{t(Text::Period)}</label>
                    <select
                        id="funnel-period"
                        prop:value=move || choice.get()
                        on:change=move |ev| choice.set(event_target_value(&ev))
                    >
                        {options}
                        <option value=CUSTOM>{t(Text::CustomTerms)}</option>
                    </select>
                </div>
                {custom}
            </div>
            {body}
        </section>
    }
}
