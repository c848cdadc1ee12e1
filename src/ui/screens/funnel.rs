//! The Funnel screen: conversion funnel, by source, drop-off, closing
//! figures and the weighted forecast. Every figure comes from
//! `crate::domain::reports`; this file only lays them out.
//!
//! The charts and tables are read-only and large (about a thousand nodes
//! with 10,000 contacts), so they are built straight through the DOM
//! (`markup`) rather than as reactive views. The top of the screen shows
//! within one frame: the sections below the funnel are laid out only from
//! the next frame on (see style/main.css), and the forecast, at the bottom,
//! is drawn then. A period change redraws only what depends on it.

mod markup;

use std::rc::Rc;
use std::time::Duration;

use chrono::NaiveDate;
use leptos::prelude::*;
use web_sys::Element;

use crate::domain::reports::{funnel_report, scale, weighted_forecast};
use crate::domain::time::{format_date, parse_date};
use crate::domain::{AverageDays, Funnel, Period, Pipeline};
use crate::i18n::{self, count, fill, labels, t, Text};
use crate::ui::state::{today, AppState};
use markup::{el, replace_children, svg, El};

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

/// What the screen shows for the chosen period, read from the pipeline in
/// one go.
struct FunnelSummary {
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
}

/// The weighted forecast: every open deal, whatever the period.
struct ForecastSummary {
    currencies: Vec<ForecastCurrency>,
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
        let report = funnel_report(p, period, today);
        let f = &report.funnel;
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
        let sources: Vec<SourceRow> = report
            .by_source
            .iter()
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
        let rate = report.win_rate;
        let won = rate.num;
        let lost = rate.den - rate.num;
        let days = |a: Option<AverageDays>, what: (Text, Text)| match a {
            Some(a) => format!("{} ({})", i18n::days(&a), plural(a.count, what.0, what.1)),
            None => "–".to_owned(),
        };
        let cohort = match period.bounds(today) {
            None => t(Text::ContactsAnyTime).to_owned(),
            Some((from, to)) => fill(
                Text::ContactsCreatedFromTo,
                &[&i18n::date(from), &i18n::date(to)],
            ),
        };
        FunnelSummary {
            cohort,
            funnel_desc: describe_funnel(f),
            steps,
            sources,
            sources_desc,
            disqualified: report
                .drop_off
                .disqualified
                .into_iter()
                .filter(|x| x.1 > 0)
                .map(|(r, n)| (labels::disqualify_reason(r), n))
                .collect(),
            lost: report
                .drop_off
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
            deal_sizes: report
                .average_deal_size
                .into_iter()
                .map(i18n::money)
                .collect(),
            lead_to_opportunity: days(
                report.lead_to_opportunity,
                (Text::OneOpportunity, Text::NOpportunities),
            ),
            opportunity_to_close: days(report.opportunity_to_close, (Text::OneDeal, Text::NDeals)),
        }
    }
}

impl ForecastSummary {
    fn of(p: &Pipeline) -> ForecastSummary {
        let forecast = weighted_forecast(p);
        let totals = forecast.weighted_totals();
        let mut currencies: Vec<ForecastCurrency> = Vec::new();
        for b in &forecast.buckets {
            let row = ForecastRow {
                month: b
                    .month
                    .map_or_else(|| t(Text::NoCloseDate).to_owned(), i18n::month),
                weighted: i18n::sum(b.weighted),
                total: i18n::sum(b.total),
                count: b.count,
                // A total too large for an amount draws as the longest bar.
                weighted_minor: b.weighted.money().map_or(i64::MAX, |m| m.minor),
            };
            match currencies.last_mut() {
                Some(c) if c.code == b.currency.code() => c.rows.push(row),
                _ => currencies.push(ForecastCurrency {
                    code: b.currency.code(),
                    rows: vec![row],
                    weighted_total: totals
                        .iter()
                        .find(|m| m.currency == b.currency)
                        .map(|m| i18n::sum(*m))
                        .unwrap_or_default(),
                }),
            }
        }
        ForecastSummary {
            currencies,
            without_amount: forecast.without_amount,
        }
    }
}

/// A chart: an SVG image named by its title and described by its text
/// equivalent, with `shapes` inside.
fn chart(class: &str, ids: (&str, &str), height: u64, text: (&str, &str), shapes: Vec<El>) -> El {
    let ((title_id, desc_id), (title, desc)) = (ids, text);
    svg("svg")
        .class(class)
        .attr("role", "img")
        .attr("aria-labelledby", &format!("{title_id} {desc_id}"))
        .attr("viewBox", &format!("0 0 {CHART_W} {height}"))
        .child(svg("title").attr("id", title_id).text(title))
        .child(svg("desc").attr("id", desc_id).text(desc))
        .children(shapes)
}

/// A line of chart text at (`x`, `y`).
fn chart_text(class: &str, x: u64, y: u64, text: &str) -> El {
    svg("text")
        .class(class)
        .attr("x", &x.to_string())
        .attr("y", &y.to_string())
        .text(text)
}

/// Horizontal bars of `height` as one path: (y, width) each; empty bars
/// draw nothing.
fn bars(class: &str, x: u64, height: u64, bars: impl IntoIterator<Item = (u64, u64)>) -> El {
    let d: String = bars
        .into_iter()
        .filter(|(_, w)| *w > 0)
        .map(|(y, w)| format!("M{x} {y}h{w}v{height}h-{w}z"))
        .collect();
    svg("path").class(class).attr("d", &d)
}

/// The funnel as centred trapezoids, one per step, with its words beside it.
fn funnel_chart(steps: &[StepRow], desc: &str) -> El {
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
    let mut shapes = Vec::with_capacity(steps.len() * 3);
    for (i, s) in steps.iter().enumerate() {
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
        shapes.push(
            svg("polygon")
                .class(&format!("funnel-step step-{i}"))
                .attr("points", &points),
        );
        shapes.push(chart_text("chart-label", 0, y + 18, s.label));
        shapes.push(chart_text("chart-figure", 0, y + 36, &figure));
    }
    chart(
        "chart funnel-chart",
        ("funnel-chart-title", "funnel-chart-desc"),
        height,
        (t(Text::FunnelChart), desc),
        shapes,
    )
}

/// Per source: five nested bars, Contacts (palest) to Accounts (darkest),
/// on one scale so sources compare.
fn sources_chart(sources: &[SourceRow], desc: &str) -> El {
    const ROW: u64 = 44;
    let max = u64::from(sources.iter().map(|s| s.steps[0].0).max().unwrap_or(0));
    let height = (ROW * sources.len() as u64).max(ROW);
    let y = |i: usize| ROW * i as u64;
    let mut shapes: Vec<El> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = format!(
                "{}: {} → {}",
                s.name,
                plural(s.steps[0].0, Text::OneContact, Text::NContacts),
                plural(s.steps[4].0, Text::OneAccount, Text::NAccounts)
            );
            chart_text("chart-label", 0, y(i) + 13, &label)
        })
        .collect();
    // One path per step, drawn palest first so the darker steps lie on top.
    shapes.extend((0..5).map(|k| {
        bars(
            &format!("funnel-step step-{k}"),
            0,
            18,
            sources.iter().enumerate().map(|(i, s)| {
                let w = scale(u64::from(s.steps[k].0), max, CHART_W);
                (y(i) + 18, w)
            }),
        )
    }));
    chart(
        "chart sources-chart",
        ("sources-chart-title", "sources-chart-desc"),
        height,
        (t(Text::SourcesChart), desc),
        shapes,
    )
}

/// One currency's weighted forecast as horizontal bars per month.
fn forecast_chart(index: usize, c: &ForecastCurrency) -> El {
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
    let mut shapes = Vec::with_capacity(c.rows.len() * 2 + 1);
    shapes.push(bars(
        "forecast-bar",
        BAR_X,
        20,
        c.rows.iter().enumerate().map(|(i, r)| {
            let w = scale(r.weighted_minor.max(0).unsigned_abs(), max, BAR_W).max(2);
            (ROW * i as u64 + 5, w)
        }),
    ));
    for (i, r) in c.rows.iter().enumerate() {
        let y = ROW * i as u64;
        shapes.push(chart_text("chart-label", 0, y + 19, &r.month));
        shapes.push(
            chart_text("chart-figure", CHART_W, y + 19, &r.weighted).attr("text-anchor", "end"),
        );
    }
    let (title_id, desc_id) = (
        format!("forecast-chart-title-{index}"),
        format!("forecast-chart-desc-{index}"),
    );
    chart(
        "chart forecast-chart",
        (&title_id, &desc_id),
        height,
        (&fill(Text::ForecastChart, &[c.code]), &desc),
        shapes,
    )
}

fn hint(text: &str) -> El {
    el("p").class("hint").text(text)
}

fn heading(id: &str, text: &str) -> El {
    el("h2").attr("id", id).text(text)
}

/// A section named by its heading.
fn section(title_id: &str, title: &str) -> El {
    el("section")
        .attr("aria-labelledby", title_id)
        .child(heading(title_id, title))
}

/// A table in its own focusable box, which scrolls when the table is wider
/// than the screen.
fn scroll_box(label: &str, table: El) -> El {
    el("div")
        .class("table-scroll")
        .attr("tabindex", "0")
        .attr("role", "region")
        .attr("aria-label", label)
        .child(table)
}

/// The head row: the first column is text, the others numbers.
fn table_head(columns: &[&str]) -> El {
    let cells = columns.iter().enumerate().map(|(i, c)| {
        let th = el("th").attr("scope", "col");
        if i == 0 { th } else { th.class("num") }.text(c)
    });
    el("thead").child(el("tr").children(cells))
}

/// A table: its caption, a head row of `columns`, then `rows`.
fn table(class: &str, caption: El, columns: &[&str], rows: impl IntoIterator<Item = El>) -> El {
    el("table")
        .class(class)
        .child(caption)
        .child(table_head(columns))
        .child(el("tbody").children(rows))
}

fn caption(text: &str) -> El {
    el("caption").text(text)
}

fn num(text: &str) -> El {
    el("td").class("num").text(text)
}

fn row_header(text: &str) -> El {
    el("th").attr("scope", "row").text(text)
}

fn reason_list(title: &str, none: &str, rows: &[(&'static str, u32)]) -> El {
    if rows.is_empty() {
        return hint(none);
    }
    let rows = rows.iter().map(|(reason, n)| {
        el("tr")
            .child(row_header(reason))
            .child(num(&n.to_string()))
    });
    table(
        "funnel-table",
        caption(title),
        &[t(Text::Reason), t(Text::Count)],
        rows,
    )
}

fn funnel_section(s: &FunnelSummary) -> El {
    let rows = s.steps.iter().map(|r| {
        el("tr")
            .child(row_header(r.label))
            .child(num(&r.count.to_string()))
            .child(num(&r.from_previous))
            .child(num(&r.from_top))
    });
    let table = table(
        "funnel-table",
        caption(t(Text::ConversionFunnel)),
        &[
            t(Text::Step),
            t(Text::Reached),
            t(Text::FromPreviousStep),
            t(Text::FromTop),
        ],
        rows,
    );
    section("funnel-title", t(Text::ConversionFunnel))
        .child(funnel_chart(&s.steps, &s.funnel_desc))
        .child(scroll_box(t(Text::FunnelTable), table))
}

fn sources_section(s: &FunnelSummary) -> El {
    let section = section("sources-title", t(Text::BySource));
    if s.sources.is_empty() {
        return section.child(hint(t(Text::NoContactsCreatedInPeriod)));
    }
    let legend = [
        Text::Contacts,
        Text::Leads,
        Text::FunnelQualified,
        Text::Opportunities,
        Text::Accounts,
    ]
    .into_iter()
    .enumerate()
    .map(|(k, name)| {
        el("li")
            .child(el("span").class(&format!("swatch step-{k}")))
            .text(t(name))
    });
    let rows = s.sources.iter().map(|r| {
        let cells = r.steps.iter().enumerate().map(|(i, (count, rate))| {
            let cell = num(&count.to_string());
            if i == 0 {
                cell
            } else {
                cell.text(" ").child(el("span").class("rate").text(rate))
            }
        });
        el("tr")
            .child(row_header(&r.name))
            .children(cells)
            .child(num(&r.overall))
    });
    let table = table(
        "funnel-table by-source",
        caption(t(Text::ConversionBySource))
            .child(el("span").class("caption-note").text(t(Text::BySourceNote))),
        &[
            t(Text::Source),
            t(Text::Contacts),
            t(Text::Leads),
            t(Text::FunnelQualified),
            t(Text::Opportunities),
            t(Text::Accounts),
            t(Text::ContactToAccount),
        ],
        rows,
    );
    section
        .child(sources_chart(&s.sources, &s.sources_desc))
        .child(
            el("ul")
                .class("funnel-legend")
                .attr("aria-hidden", "true")
                .children(legend),
        )
        .child(scroll_box(t(Text::BySourceTable), table))
}

fn closing_section(s: &FunnelSummary) -> El {
    let deal_sizes = if s.deal_sizes.is_empty() {
        t(Text::NothingWonDash).to_owned()
    } else {
        s.deal_sizes.join(", ")
    };
    let figures = [
        (Text::WinRate, s.win_rate.as_str()),
        (Text::AverageDealSize, deal_sizes.as_str()),
        (Text::DaysLeadToOpportunity, s.lead_to_opportunity.as_str()),
        (
            Text::DaysOpportunityToClose,
            s.opportunity_to_close.as_str(),
        ),
    ];
    let list = figures.into_iter().fold(
        el("dl").class("details funnel-figures"),
        |dl, (term, value)| dl.child(el("dt").text(t(term))).child(el("dd").text(value)),
    );
    section("closing-title", t(Text::Closing))
        .child(hint(t(Text::ClosingHint)))
        .child(list)
}

/// Everything that depends on the period, in screen order.
fn report(s: &FunnelSummary) -> Vec<El> {
    let drop_off = el("div")
        .class("funnel-columns")
        .child(reason_list(
            t(Text::DisqualifyReasons),
            t(Text::NoLeadsDisqualified),
            &s.disqualified,
        ))
        .child(reason_list(
            t(Text::LostReasons),
            t(Text::NoDealsLost),
            &s.lost,
        ));
    vec![
        el("p").class("hint cohort").text(&s.cohort),
        funnel_section(s),
        sources_section(s),
        section("drop-off-title", t(Text::DropOff)).child(drop_off),
        closing_section(s),
    ]
}

/// The forecast's heading and hint, then (once `f` is there) its charts,
/// table and the count of deals left out.
fn forecast_section(f: Option<&ForecastSummary>) -> El {
    let section =
        section("forecast-title", t(Text::WeightedForecast)).child(hint(t(Text::ForecastHint)));
    let Some(f) = f else {
        return section;
    };
    let section = if f.currencies.is_empty() {
        section.child(hint(t(Text::NoOpenAmount)))
    } else {
        let charts = f
            .currencies
            .iter()
            .enumerate()
            .map(|(i, c)| forecast_chart(i, c));
        let rows = f.currencies.iter().flat_map(|c| {
            let months = c.rows.iter().map(|r| {
                el("tr")
                    .child(el("td").text(c.code))
                    .child(row_header(&r.month))
                    .child(num(&r.count.to_string()))
                    .child(num(&r.total))
                    .child(num(&r.weighted))
            });
            let total = el("tr")
                .class("total")
                .child(el("td").text(c.code))
                .child(row_header(t(Text::AllMonths)))
                .child(el("td"))
                .child(el("td"))
                .child(num(&c.weighted_total));
            months.chain([total])
        });
        let table = table(
            "funnel-table",
            caption(t(Text::WeightedForecast)),
            &[
                t(Text::Currency),
                t(Text::ExpectedClose),
                t(Text::OpenDeals),
                t(Text::Amount),
                t(Text::Weighted),
            ],
            rows,
        );
        section
            .children(charts)
            .child(scroll_box(t(Text::ForecastTable), table))
    };
    if f.without_amount == 0 {
        return section;
    }
    section.child(hint(&plural(
        f.without_amount,
        Text::OneWithoutAmount,
        Text::NWithoutAmount,
    )))
}

/// Fills the period's part of the screen (a directive: runs whenever the
/// summary changes).
fn draw_report(el: Element, s: Rc<FunnelSummary>) {
    replace_children(&el, report(&s));
}

/// Fills the forecast's part of the screen.
fn draw_forecast(el: Element, f: Option<Rc<ForecastSummary>>) {
    replace_children(&el, [forecast_section(f.as_deref())]);
}

/// What a report was made from: the pipeline's revision, the period, the
/// day and the language of its words.
type ReportKey = (u64, Option<Period>, NaiveDate, i18n::Language);

/// Where the last value made under a key is kept.
type Kept<T> = std::thread::LocalKey<std::cell::RefCell<Option<(ReportKey, Rc<T>)>>>;

thread_local! {
    /// The last report and forecast made, kept while the screen is away:
    /// coming back to an unchanged pipeline draws them without counting
    /// every record again.
    static LAST_REPORT: std::cell::RefCell<Option<(ReportKey, Rc<FunnelSummary>)>> =
        const { std::cell::RefCell::new(None) };
    static LAST_FORECAST: std::cell::RefCell<Option<(ReportKey, Rc<ForecastSummary>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The value kept under `key` in `slot`, or a new one made by `make`.
fn kept<T>(slot: &'static Kept<T>, key: ReportKey, make: impl FnOnce() -> T) -> Rc<T> {
    slot.with_borrow_mut(|last| match last {
        Some((k, value)) if *k == key => value.clone(),
        _ => {
            let value = Rc::new(make());
            *last = Some((key, value.clone()));
            value
        }
    })
}

/// The value kept under `key`, if there is one.
fn kept_already<T>(slot: &'static Kept<T>, key: ReportKey) -> Option<Rc<T>> {
    slot.with_borrow(|last| {
        last.as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, value)| value.clone())
    })
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
    let has_contacts = Memo::new(move |_| state.with(|p| !p.contacts().is_empty()));
    // Set once the first frame has been painted.
    let painted = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                // The screen may have been left already.
                let _ = painted.try_set(true);
            },
            Duration::ZERO,
        );
    });
    let report = move || {
        let period = period();
        let key = (state.revision(), Some(period), today, i18n::language());
        let summary =
            state.with(|p| kept(&LAST_REPORT, key, || FunnelSummary::of(p, period, today)));
        view! {
            <div class="funnel-report" class:painted=move || painted.get() use:draw_report=summary></div>
        }
    };
    let forecast = move || {
        let key = (state.revision(), None, today, i18n::language());
        // A forecast kept from an earlier visit is drawn at once; a new one
        // is counted after the first frame.
        let summary = match kept_already(&LAST_FORECAST, key) {
            Some(kept) => Some(kept),
            None => painted
                .get()
                .then(|| state.with(|p| kept(&LAST_FORECAST, key, || ForecastSummary::of(p)))),
        };
        view! { <div class="funnel-forecast" use:draw_forecast=summary></div> }
    };
    let body = move || {
        if has_contacts.get() {
            view! { {report} {forecast} }.into_any()
        } else {
            view! { <p class="empty-state">{t(Text::FunnelEmpty)}</p> }.into_any()
        }
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
