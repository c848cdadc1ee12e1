//! Funnel and reports, derived from the records and their histories.
//!
//! Which records a period selects:
//! - **Funnel, by source, drop-off**: the cohort of contacts *created* in
//!   the period, followed as far as they got (so the drop-off explains the
//!   funnel's losses).
//! - **Win rate, average deal size, days from opportunity to close**:
//!   opportunities *closed* in the period.
//! - **Days from lead to opportunity**: opportunities *created* in the period
//!   from a lead.
//! - **Weighted forecast**: every open opportunity (it looks ahead).
//!
//! Dates are taken in UTC. Rates are exact fractions ([`Rate`]); amounts are
//! never added across currencies.
//!
//! A contact *reached* a funnel step if it ever got there, even if it later
//! went back: a lead that was qualified and then disqualified (or demoted by
//! unticking a box) still counts as Qualified, a reopened won deal still
//! counts as Account. A contact counts for every step up to the furthest it
//! reached, so the counts never increase down the funnel (a repeat-business
//! opportunity opened without a lead still counts as Leads and Qualified).

use super::account::currency_index;
use super::contact::Source;
use super::history::Event;
use super::lead::{DisqualifyReason, LeadStatus};
use super::money::{div_round_half_away, Currency, Money, NumberLocale, Sum};
use super::opportunity::{LostReason, OpportunityStatus};
use super::pipeline::Pipeline;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use std::collections::BTreeMap;

pub mod standing;
use std::fmt;

/// Which dates a report looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Period {
    #[default]
    AllTime,
    ThisMonth,
    ThisQuarter,
    ThisYear,
    /// The 12 months up to and including today.
    Last12Months,
    /// From `from` to `to`, both included (empty if `from` is after `to`).
    Custom {
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl Period {
    pub const PRESETS: [Period; 5] = [
        Period::AllTime,
        Period::ThisMonth,
        Period::ThisQuarter,
        Period::ThisYear,
        Period::Last12Months,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            Period::AllTime => "All time",
            Period::ThisMonth => "This month",
            Period::ThisQuarter => "This quarter",
            Period::ThisYear => "This year",
            Period::Last12Months => "Last 12 months",
            Period::Custom { .. } => "Custom",
        }
    }

    /// First and last day included, or `None` for all time.
    pub fn bounds(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
        let month_end = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            ymd(ny, nm, 1).pred_opt().unwrap_or(today)
        };
        let (y, m) = (today.year(), today.month());
        match *self {
            Period::AllTime => None,
            Period::ThisMonth => Some((ymd(y, m, 1), month_end(y, m))),
            Period::ThisQuarter => {
                let first = (m - 1) / 3 * 3 + 1;
                Some((ymd(y, first, 1), month_end(y, first + 2)))
            }
            Period::ThisYear => Some((ymd(y, 1, 1), ymd(y, 12, 31))),
            Period::Last12Months => {
                let start = today
                    .checked_sub_months(Months::new(12))
                    .and_then(|d| d.succ_opt())
                    .unwrap_or(today);
                Some((start, today))
            }
            Period::Custom { from, to } => Some((from, to)),
        }
    }

    pub fn contains(&self, date: NaiveDate, today: NaiveDate) -> bool {
        self.date_filter(today)(date)
    }

    /// A test for dates, with the bounds worked out once.
    fn date_filter(&self, today: NaiveDate) -> impl Fn(NaiveDate) -> bool {
        let bounds = self.bounds(today);
        move |date| bounds.is_none_or(|(from, to)| from <= date && date <= to)
    }

    /// A test for timestamps (UTC dates), with the bounds worked out once:
    /// reports call it for every record.
    fn time_filter(&self, today: NaiveDate) -> impl Fn(DateTime<Utc>) -> bool {
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        let range = self.bounds(today).map(|(from, to)| {
            let lo = start(from).unwrap_or(i64::MIN);
            let hi = to.succ_opt().and_then(start).unwrap_or(i64::MAX);
            (lo, hi)
        });
        move |at: DateTime<Utc>| {
            range.is_none_or(|(lo, hi)| {
                let t = at.timestamp();
                lo <= t && t < hi
            })
        }
    }
}

/// An exact fraction such as "3 of 8". Kept as integers; turned into a
/// percentage only for display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rate {
    pub num: u32,
    pub den: u32,
}

impl Rate {
    pub fn new(num: u32, den: u32) -> Rate {
        Rate { num, den }
    }

    /// The percentage in tenths (625 = 62.5%), rounded half up; `None` when
    /// there is nothing to divide by.
    pub fn percent_tenths(&self) -> Option<u32> {
        (self.den > 0).then(|| {
            let n = u64::from(self.num) * 1000 + u64::from(self.den) / 2;
            u32::try_from(n / u64::from(self.den)).unwrap_or(u32::MAX)
        })
    }

    /// "62.5%" (English) or "62,5 %" (Norwegian); "–" when undefined.
    pub fn format(&self, locale: NumberLocale) -> String {
        match self.percent_tenths() {
            None => "–".to_owned(),
            Some(t) => match locale {
                NumberLocale::English => format!("{}.{}%", t / 10, t % 10),
                NumberLocale::Norwegian => format!("{},{}\u{a0}%", t / 10, t % 10),
            },
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(NumberLocale::English))
    }
}

/// The five funnel steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FunnelStage {
    Contacts,
    Leads,
    Qualified,
    Opportunities,
    Accounts,
}

impl FunnelStage {
    pub const ALL: [FunnelStage; 5] = [
        FunnelStage::Contacts,
        FunnelStage::Leads,
        FunnelStage::Qualified,
        FunnelStage::Opportunities,
        FunnelStage::Accounts,
    ];

    /// The row name in the "Conversion funnel" table.
    pub fn label(self) -> &'static str {
        match self {
            FunnelStage::Contacts => "Contacts",
            FunnelStage::Leads => "Leads",
            FunnelStage::Qualified => "Qualified",
            FunnelStage::Opportunities => "Opportunities",
            FunnelStage::Accounts => "Accounts",
        }
    }
}

/// One row of the funnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunnelStep {
    pub stage: FunnelStage,
    /// How many reached this step.
    pub count: u32,
    /// count / previous step's count (the first step: count / count).
    pub from_previous: Rate,
    /// count / first step's count.
    pub from_top: Rate,
}

/// Contacts -> Leads -> Qualified -> Opportunities -> Accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Funnel {
    pub steps: [FunnelStep; 5],
}

impl Funnel {
    /// A funnel from the count of each step.
    pub fn from_counts(counts: [u32; 5]) -> Funnel {
        let top = counts[0];
        let steps = std::array::from_fn(|i| FunnelStep {
            stage: FunnelStage::ALL[i],
            count: counts[i],
            from_previous: Rate::new(counts[i], counts[i.saturating_sub(1)]),
            from_top: Rate::new(counts[i], top),
        });
        Funnel { steps }
    }

    pub fn counts(&self) -> [u32; 5] {
        self.steps.map(|s| s.count)
    }

    pub fn step(&self, stage: FunnelStage) -> &FunnelStep {
        &self.steps[stage as usize]
    }
}

/// The funnel of the contacts from one source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFunnel {
    pub source: Source,
    pub funnel: Funnel,
}

/// The position of `source` in [`Pipeline::sources`]; an unknown custom
/// source counts as Other.
fn source_index(source: &Source, custom: &[String]) -> usize {
    let other = Source::BUILT_IN.len() - 1;
    match source {
        Source::Custom(name) => custom
            .iter()
            .position(|s| s == name)
            .map_or(other, |i| Source::BUILT_IN.len() + i),
        built_in => Source::BUILT_IN
            .iter()
            .position(|s| s == built_in)
            .unwrap_or(other),
    }
}

fn add_level(counts: &mut [u32; 5], level: u8) {
    for c in counts.iter_mut().take(usize::from(level) + 1) {
        *c += 1;
    }
}

/// The conversion funnel of the contacts created in `period`.
pub fn funnel(p: &Pipeline, period: Period, today: NaiveDate) -> Funnel {
    funnel_report(p, period, today).funnel
}

/// The funnel per source, for every source in [`Pipeline::sources`] order
/// (including those with no contacts). The counts add up to [`funnel`]'s.
pub fn funnel_by_source(p: &Pipeline, period: Period, today: NaiveDate) -> Vec<SourceFunnel> {
    funnel_report(p, period, today).by_source
}

/// Why leads and deals dropped out, counted, every reason listed (zeros
/// included) in the order of `ALL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropOff {
    pub disqualified: Vec<(DisqualifyReason, u32)>,
    pub lost: Vec<(LostReason, u32)>,
}

/// Currently disqualified leads and lost opportunities of the contacts
/// created in `period`.
pub fn drop_off(p: &Pipeline, period: Period, today: NaiveDate) -> DropOff {
    funnel_report(p, period, today).drop_off
}

/// Won / (won + lost) of the opportunities closed in `period`.
pub fn win_rate(p: &Pipeline, period: Period, today: NaiveDate) -> Rate {
    funnel_report(p, period, today).win_rate
}

/// The average amount of the deals won in `period`, one per currency (in
/// [`Currency::ALL`] order), rounded half away from zero to a minor unit.
pub fn average_deal_size(p: &Pipeline, period: Period, today: NaiveDate) -> Vec<Money> {
    funnel_report(p, period, today).average_deal_size
}

/// An average number of days over `count` cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AverageDays {
    pub total_days: i64,
    pub count: u32,
}

impl AverageDays {
    /// The average in tenths of a day (125 = 12.5 days), half away from zero.
    pub fn tenths(&self) -> i64 {
        div_round_half_away(
            i128::from(self.total_days) * 10,
            i128::from(self.count.max(1)),
        )
    }

    /// The average rounded to whole days.
    pub fn days(&self) -> i64 {
        div_round_half_away(i128::from(self.total_days), i128::from(self.count.max(1)))
    }

    /// "18.3 days" (English) or "18,3 dager" (Norwegian), to a tenth of a
    /// day; "1.0 day" for exactly one.
    pub fn format(&self, locale: NumberLocale) -> String {
        let t = self.tenths();
        let sign = if t < 0 { "-" } else { "" };
        let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
        let one = t == 10;
        match locale {
            NumberLocale::English => {
                format!("{sign}{whole}.{tenth} {}", if one { "day" } else { "days" })
            }
            NumberLocale::Norwegian => {
                format!(
                    "{sign}{whole},{tenth} {}",
                    if one { "dag" } else { "dager" }
                )
            }
        }
    }
}

fn average(total_days: i64, count: u32) -> Option<AverageDays> {
    (count > 0).then_some(AverageDays { total_days, count })
}

/// Days from a lead's creation to its opportunity's, for opportunities
/// created from a lead in `period`.
pub fn average_days_lead_to_opportunity(
    p: &Pipeline,
    period: Period,
    today: NaiveDate,
) -> Option<AverageDays> {
    funnel_report(p, period, today).lead_to_opportunity
}

/// Days from an opportunity's creation to its close, for opportunities
/// closed (won or lost) in `period`.
pub fn average_days_opportunity_to_close(
    p: &Pipeline,
    period: Period,
    today: NaiveDate,
) -> Option<AverageDays> {
    funnel_report(p, period, today).opportunity_to_close
}

/// Everything the Funnel screen shows for one period, worked out in one
/// pass over the leads, one over the opportunities and one over the
/// contacts (the screen redraws them on every visit and period change).
/// [`funnel`], [`funnel_by_source`], [`drop_off`], [`win_rate`],
/// [`average_deal_size`] and the two averages of days each give one of its
/// figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelReport {
    pub funnel: Funnel,
    pub by_source: Vec<SourceFunnel>,
    pub drop_off: DropOff,
    pub win_rate: Rate,
    pub average_deal_size: Vec<Money>,
    pub lead_to_opportunity: Option<AverageDays>,
    pub opportunity_to_close: Option<AverageDays>,
}

/// The position of the record with key `id` in `list` (sorted by key).
/// Leads and opportunities mostly come in the order of the records they
/// point to, so the slot after the previous hit is tried before a search.
fn find_from<T, K: Ord>(
    list: &[T],
    hint: &mut usize,
    id: &K,
    key: impl Fn(&T) -> K,
) -> Option<usize> {
    let i = match list.get(*hint) {
        Some(x) if key(x) == *id => *hint,
        _ => list.binary_search_by_key(id, key).ok()?,
    };
    *hint = i + 1;
    Some(i)
}

/// The Funnel screen's figures for `period`; see [`FunnelReport`].
pub fn funnel_report(p: &Pipeline, period: Period, today: NaiveDate) -> FunnelReport {
    let contacts = p.contacts();
    let leads = p.leads();
    let created_in = period.time_filter(today);
    let closed_in = period.date_filter(today);
    let mut level = vec![0u8; contacts.len()];
    let mut dq = [0u32; DisqualifyReason::ALL.len()];
    let mut lost_by = [0u32; LostReason::ALL.len()];

    let mut at = 0;
    for l in leads {
        let Some(i) = find_from(contacts, &mut at, &l.contact, |c| c.id) else {
            continue;
        };
        level[i] = level[i].max(if l.ever_qualified() { 2 } else { 1 });
        if let LeadStatus::Disqualified { reason, .. } = l.status {
            if created_in(contacts[i].created_at) {
                dq[reason as usize] += 1;
            }
        }
    }

    let (mut won, mut lost) = (0u32, 0u32);
    let mut sums = [0i128; Currency::ALL.len()];
    let mut won_with_amount = [0i128; Currency::ALL.len()];
    let (mut to_close_days, mut to_close) = (0i64, 0u32);
    let (mut from_lead_days, mut from_lead) = (0i64, 0u32);
    let (mut at, mut lead_at) = (0, 0);
    for o in p.opportunities() {
        if let Some(i) = find_from(contacts, &mut at, &o.contact, |c| c.id) {
            let ever_won = matches!(o.status, OpportunityStatus::Won { .. })
                || o.history
                    .iter()
                    .any(|e| matches!(e.event, Event::Won { .. }));
            level[i] = level[i].max(if ever_won { 4 } else { 3 });
            if let OpportunityStatus::Lost { reason, .. } = o.status {
                if created_in(contacts[i].created_at) {
                    lost_by[reason as usize] += 1;
                }
            }
        }
        if let Some(closed) = o.status.closed_on().filter(|d| closed_in(*d)) {
            to_close_days += (closed - o.created_at.date_naive()).num_days();
            to_close += 1;
            if matches!(o.status, OpportunityStatus::Won { .. }) {
                won += 1;
                if let Some(amount) = o.terms.amount {
                    let c = currency_index(amount.currency);
                    sums[c] += i128::from(amount.minor);
                    won_with_amount[c] += 1;
                }
            } else {
                lost += 1;
            }
        }
        if created_in(o.created_at) {
            let lead = o
                .lead
                .and_then(|id| find_from(leads, &mut lead_at, &id, |l| l.id));
            if let Some(l) = lead {
                let created = o.created_at.date_naive();
                from_lead_days += (created - leads[l].created_at.date_naive()).num_days();
                from_lead += 1;
            }
        }
    }

    let custom = p.custom_sources();
    let mut counts = [0u32; 5];
    let mut by_source = vec![[0u32; 5]; Source::BUILT_IN.len() + custom.len()];
    for (c, level) in contacts.iter().zip(level) {
        if created_in(c.created_at) {
            add_level(&mut counts, level);
            add_level(&mut by_source[source_index(&c.source, custom)], level);
        }
    }

    FunnelReport {
        funnel: Funnel::from_counts(counts),
        by_source: p
            .sources()
            .into_iter()
            .zip(by_source)
            .map(|(source, c)| SourceFunnel {
                source,
                funnel: Funnel::from_counts(c),
            })
            .collect(),
        drop_off: DropOff {
            disqualified: DisqualifyReason::ALL.into_iter().zip(dq).collect(),
            lost: LostReason::ALL.into_iter().zip(lost_by).collect(),
        },
        win_rate: Rate::new(won, won + lost),
        average_deal_size: Currency::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| won_with_amount[*i] > 0)
            .map(|(i, c)| Money::new(div_round_half_away(sums[i], won_with_amount[i]), c))
            .collect(),
        lead_to_opportunity: average(from_lead_days, from_lead),
        opportunity_to_close: average(to_close_days, to_close),
    }
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl fmt::Display for YearMonth {
    /// `2025-05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Open deals of one currency expected to close in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForecastBucket {
    pub currency: Currency,
    /// `None`: no expected close date ("Unscheduled").
    pub month: Option<YearMonth>,
    /// Sum of each deal's amount × probability (each rounded to a minor
    /// unit, half away from zero).
    pub weighted: Sum,
    /// Sum of the amounts, unweighted.
    pub total: Sum,
    pub count: u32,
}

/// The weighted forecast.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forecast {
    /// By currency ([`Currency::ALL`] order), then month, unscheduled last.
    pub buckets: Vec<ForecastBucket>,
    /// Open opportunities left out because they have no amount yet.
    pub without_amount: u32,
}

impl Forecast {
    /// The weighted sum per currency over all months.
    pub fn weighted_totals(&self) -> Vec<Sum> {
        let mut out: Vec<Sum> = Vec::new();
        for b in &self.buckets {
            match out.last_mut() {
                Some(m) if m.currency == b.currency => *m = m.plus(b.weighted),
                _ => out.push(b.weighted),
            }
        }
        out
    }
}

/// (currency index, unscheduled?, year, month): sorts in display order.
type BucketKey = (usize, bool, i32, u32);
/// (weighted, total, count).
type BucketSums = (Sum, Sum, u32);

/// Amount × probability of every open opportunity, per currency and per
/// expected close month. Currencies are never added together.
pub fn weighted_forecast(p: &Pipeline) -> Forecast {
    // Key: (currency, unscheduled?, year, month) so the map comes out in
    // display order; values: (weighted, total, count).
    let mut map: BTreeMap<BucketKey, BucketSums> = BTreeMap::new();
    let mut without_amount = 0;
    for o in p.opportunities() {
        if !o.is_open() {
            continue;
        }
        let Some(amount) = o.terms.amount else {
            without_amount += 1;
            continue;
        };
        let key = match o.terms.expected_close {
            Some(d) => (currency_index(amount.currency), false, d.year(), d.month()),
            None => (currency_index(amount.currency), true, 0, 0),
        };
        let zero = Sum::zero(amount.currency);
        let e = map.entry(key).or_insert((zero, zero, 0));
        e.0.add(amount.percent(o.probability()).minor);
        e.1.add(amount.minor);
        e.2 += 1;
    }
    let buckets = map
        .into_iter()
        .map(|((c, unscheduled, year, month), (w, t, n))| {
            let currency = Currency::ALL[c];
            ForecastBucket {
                currency,
                month: (!unscheduled).then_some(YearMonth { year, month }),
                weighted: w,
                total: t,
                count: n,
            }
        })
        .collect();
    Forecast {
        buckets,
        without_amount,
    }
}

/// `part` of `whole` as a length out of `full`, for a chart's bars (0 when
/// there is no whole). Worked out wide, so amounts up to the largest an
/// Amount field takes (`i64::MAX` minor units) never overflow.
pub fn scale(part: u64, whole: u64, full: u64) -> u64 {
    let wide = u128::from(part.min(whole)) * u128::from(full);
    wide.checked_div(u128::from(whole))
        .and_then(|length| u64::try_from(length).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::ContactDraft;
    use crate::domain::ids::{ContactId, LeadId, OpportunityId};
    use crate::domain::lead::Criterion;
    use crate::domain::opportunity::{DealTerms, Stage};
    use chrono::{DateTime, TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(date: NaiveDate) -> DateTime<Utc> {
        Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).unwrap())
    }

    #[test]
    fn periods_cover_the_right_days() {
        let today = d(2025, 5, 15);
        assert_eq!(
            Period::ThisMonth.bounds(today),
            Some((d(2025, 5, 1), d(2025, 5, 31)))
        );
        assert_eq!(
            Period::ThisQuarter.bounds(today),
            Some((d(2025, 4, 1), d(2025, 6, 30)))
        );
        assert_eq!(
            Period::ThisQuarter.bounds(d(2025, 12, 31)),
            Some((d(2025, 10, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            Period::ThisYear.bounds(today),
            Some((d(2025, 1, 1), d(2025, 12, 31)))
        );
        assert_eq!(
            Period::Last12Months.bounds(today),
            Some((d(2024, 5, 16), today))
        );
        assert_eq!(
            Period::Last12Months.bounds(d(2024, 2, 29)),
            Some((d(2023, 3, 1), d(2024, 2, 29)))
        );
        assert_eq!(
            Period::ThisMonth.bounds(d(2024, 2, 10)).unwrap().1,
            d(2024, 2, 29)
        );
        assert!(Period::AllTime.contains(d(1990, 1, 1), today));
        assert!(Period::ThisMonth.contains(d(2025, 5, 1), today));
        assert!(!Period::ThisMonth.contains(d(2025, 4, 30), today));
        let custom = Period::Custom {
            from: d(2025, 1, 10),
            to: d(2025, 1, 20),
        };
        assert!(custom.contains(d(2025, 1, 10), today) && custom.contains(d(2025, 1, 20), today));
        assert!(!custom.contains(d(2025, 1, 21), today));
        let backwards = Period::Custom {
            from: d(2025, 2, 1),
            to: d(2025, 1, 1),
        };
        assert!(!backwards.contains(d(2025, 1, 15), today));
        for period in Period::PRESETS.into_iter().chain([custom, backwards]) {
            let f = period.time_filter(today);
            for offset in -800..400 {
                let date = today + chrono::Duration::days(offset);
                for (h, m, s) in [(0, 0, 0), (23, 59, 59)] {
                    let t = date.and_hms_opt(h, m, s).unwrap().and_utc();
                    assert_eq!(f(t), period.contains(date, today), "{period:?} {t}");
                }
            }
        }
    }

    #[test]
    fn rates_are_exact_and_format_per_locale() {
        let r = Rate::new(5, 8);
        assert_eq!(r.percent_tenths(), Some(625));
        assert_eq!(r.to_string(), "62.5%");
        assert_eq!(r.format(NumberLocale::Norwegian), "62,5\u{a0}%");
        assert_eq!(Rate::new(1, 3).percent_tenths(), Some(333));
        assert_eq!(Rate::new(2, 3).percent_tenths(), Some(667));
        assert_eq!(Rate::new(0, 0).percent_tenths(), None);
        assert_eq!(Rate::new(0, 0).to_string(), "–");
    }

    struct World {
        p: Pipeline,
    }

    impl World {
        fn contact(&mut self, name: &str, org: &str, source: Source, on: NaiveDate) -> ContactId {
            let f = ContactDraft {
                name: name.into(),
                organisation: org.into(),
                source,
                ..ContactDraft::default()
            }
            .validate()
            .unwrap();
            self.p.add_contact(f, at(on)).unwrap()
        }
        fn qualified(&mut self, c: ContactId, on: NaiveDate) -> LeadId {
            let l = self.p.make_lead(c, at(on)).unwrap();
            for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
                self.p.set_criterion(l, k, true, at(on)).unwrap();
            }
            self.p.qualify(l, at(on)).unwrap();
            l
        }
        fn opp(&mut self, c: ContactId, on: NaiveDate, minor: i64, cur: Currency) -> OpportunityId {
            let l = self.qualified(c, on);
            let o = self.p.convert_lead(l, "", at(on)).unwrap();
            let terms = DealTerms {
                amount: Some(Money::new(minor, cur)),
                currency: cur,
                ..DealTerms::default()
            };
            self.p.update_terms(o, terms, at(on)).unwrap();
            o
        }
    }

    fn world() -> (World, NaiveDate) {
        let mut w = World { p: Pipeline::new() };
        let jan = d(2025, 1, 10);
        let may = d(2025, 5, 2);
        let a = w.contact("A", "", Source::Website, jan); // contact only
        let _ = a;
        let b = w.contact("B", "", Source::Website, jan); // lead, disqualified
        let lb = w.p.make_lead(b, at(jan)).unwrap();
        w.p.disqualify(lb, DisqualifyReason::NoBudget, "", at(jan))
            .unwrap();
        let c = w.contact("C", "", Source::Referral, jan); // qualified then demoted
        let lc = w.qualified(c, jan);
        w.p.set_criterion(lc, Criterion::Need, false, at(jan))
            .unwrap();
        let dd = w.contact("D", "", Source::Referral, may); // won, NOK
        let od = w.opp(dd, may, 1_000_000, Currency::NOK);
        w.p.mark_won(od, d(2025, 5, 12), at(d(2025, 5, 12)))
            .unwrap();
        let e = w.contact("E", "", Source::Event, may); // lost
        let oe = w.opp(e, may, 500_000, Currency::EUR);
        w.p.mark_lost(
            oe,
            LostReason::Price,
            "",
            d(2025, 5, 20),
            at(d(2025, 5, 20)),
        )
        .unwrap();
        let f = w.contact("F", "", Source::Event, may); // won then reopened
        let of = w.opp(f, may, 300_000, Currency::NOK);
        w.p.mark_won(of, d(2025, 5, 3), at(d(2025, 5, 3))).unwrap();
        w.p.reopen_opportunity(of, at(d(2025, 5, 4))).unwrap();
        (w, d(2025, 5, 31))
    }

    #[test]
    fn funnel_counts_ever_reached_and_rates() {
        let (w, today) = world();
        let f = funnel(&w.p, Period::AllTime, today);
        assert_eq!(f.counts(), [6, 5, 4, 3, 2]);
        assert_eq!(f.step(FunnelStage::Leads).from_previous, Rate::new(5, 6));
        assert_eq!(f.step(FunnelStage::Accounts).from_previous, Rate::new(2, 3));
        assert_eq!(f.step(FunnelStage::Accounts).from_top, Rate::new(2, 6));
        assert_eq!(f.steps[0].from_previous, Rate::new(6, 6));
        let may = funnel(&w.p, Period::ThisMonth, today);
        assert_eq!(may.counts(), [3, 3, 3, 3, 2]);
        let empty = funnel(&w.p, Period::ThisMonth, d(2026, 1, 1));
        assert_eq!(empty.counts(), [0; 5]);
        assert_eq!(empty.steps[1].from_previous.percent_tenths(), None);
    }

    #[test]
    fn funnel_by_source_adds_up() {
        let (mut w, today) = world();
        w.p.add_source("Podcast").unwrap();
        let _ = w.contact("G", "", Source::Custom("Podcast".into()), today);
        let by = funnel_by_source(&w.p, Period::AllTime, today);
        assert_eq!(by.len(), Source::BUILT_IN.len() + 1);
        let get = |s: Source| by.iter().find(|x| x.source == s).unwrap().funnel.counts();
        assert_eq!(get(Source::Website), [2, 1, 0, 0, 0]);
        assert_eq!(get(Source::Referral), [2, 2, 2, 1, 1]);
        assert_eq!(get(Source::Event), [2, 2, 2, 2, 1]);
        assert_eq!(get(Source::Custom("Podcast".into())), [1, 0, 0, 0, 0]);
        let total = funnel(&w.p, Period::AllTime, today).counts();
        for (i, t) in total.iter().enumerate() {
            assert_eq!(by.iter().map(|s| s.funnel.steps[i].count).sum::<u32>(), *t);
        }
    }

    #[test]
    fn drop_off_win_rate_and_averages() {
        let (w, today) = world();
        let drop = drop_off(&w.p, Period::AllTime, today);
        assert_eq!(
            drop.disqualified[DisqualifyReason::NoBudget as usize],
            (DisqualifyReason::NoBudget, 1)
        );
        assert_eq!(drop.disqualified.iter().map(|x| x.1).sum::<u32>(), 1);
        assert_eq!(
            drop.lost,
            LostReason::ALL
                .iter()
                .map(|r| (*r, u32::from(*r == LostReason::Price)))
                .collect::<Vec<_>>()
        );
        assert_eq!(win_rate(&w.p, Period::AllTime, today), Rate::new(1, 2));
        assert_eq!(
            win_rate(&w.p, Period::ThisYear, d(2026, 1, 1)),
            Rate::new(0, 0)
        );
        assert_eq!(
            average_deal_size(&w.p, Period::AllTime, today),
            vec![Money::new(1_000_000, Currency::NOK)]
        );
        let l2o = average_days_lead_to_opportunity(&w.p, Period::AllTime, today).unwrap();
        assert_eq!((l2o.total_days, l2o.count), (0, 3));
        let o2c = average_days_opportunity_to_close(&w.p, Period::AllTime, today).unwrap();
        // D: May 2 -> May 12 (10 days), E: May 2 -> May 20 (18 days).
        assert_eq!(
            (o2c.total_days, o2c.count, o2c.tenths(), o2c.days()),
            (28, 2, 140, 14)
        );
        assert_eq!(
            average_days_opportunity_to_close(&w.p, Period::ThisMonth, d(2026, 1, 1)),
            None
        );
        assert_eq!(o2c.format(NumberLocale::English), "14.0 days");
        assert_eq!(o2c.format(NumberLocale::Norwegian), "14,0 dager");
        let one = AverageDays {
            total_days: 2,
            count: 2,
        };
        assert_eq!(one.format(NumberLocale::English), "1.0 day");
        let odd = AverageDays {
            total_days: -55,
            count: 3,
        };
        assert_eq!(odd.format(NumberLocale::English), "-18.3 days");
    }

    #[test]
    fn the_funnel_report_has_every_figure_in_one_pass() {
        let (mut w, today) = world();
        // A's lead comes after every other lead: found by search, not in order.
        let a = w.p.contacts()[0].id;
        w.p.make_lead(a, at(today)).unwrap();
        let r = funnel_report(&w.p, Period::AllTime, today);
        assert_eq!(r.funnel.counts(), [6, 6, 4, 3, 2]);
        let get = |s: Source| {
            r.by_source
                .iter()
                .find(|x| x.source == s)
                .unwrap()
                .funnel
                .counts()
        };
        assert_eq!(get(Source::Website), [2, 2, 0, 0, 0]);
        assert_eq!(get(Source::Referral), [2, 2, 2, 1, 1]);
        assert_eq!(get(Source::Event), [2, 2, 2, 2, 1]);
        assert_eq!(r.by_source.len(), Source::BUILT_IN.len());
        assert_eq!(
            r.drop_off.disqualified[DisqualifyReason::NoBudget as usize].1,
            1
        );
        assert_eq!(r.drop_off.lost[LostReason::Price as usize].1, 1);
        assert_eq!(r.win_rate, Rate::new(1, 2));
        assert_eq!(
            r.average_deal_size,
            vec![Money::new(1_000_000, Currency::NOK)]
        );
        let l2o = r.lead_to_opportunity.unwrap();
        assert_eq!((l2o.total_days, l2o.count), (0, 3));
        let o2c = r.opportunity_to_close.unwrap();
        assert_eq!((o2c.total_days, o2c.count), (28, 2));
        let may = funnel_report(&w.p, Period::ThisMonth, today);
        assert_eq!(may.funnel.counts(), [3, 3, 3, 3, 2]);
        assert_eq!(
            may.drop_off.disqualified.iter().map(|x| x.1).sum::<u32>(),
            0
        );
        let later = funnel_report(&w.p, Period::ThisMonth, d(2026, 1, 1));
        assert_eq!(later.funnel.counts(), [0; 5]);
        assert_eq!(later.win_rate, Rate::new(0, 0));
        assert_eq!(later.opportunity_to_close, None);
        assert!(later.average_deal_size.is_empty());
    }

    #[test]
    fn forecast_per_currency_and_month() {
        let mut w = World { p: Pipeline::new() };
        let on = d(2025, 5, 1);
        let add = |w: &mut World, minor, cur, close: Option<NaiveDate>, stage| {
            let c = w.contact("X", "", Source::Other, on);
            let o = w.opp(c, on, minor, cur);
            let mut t = w.p.opportunity(o).unwrap().terms.clone();
            t.expected_close = close;
            w.p.update_terms(o, t, at(on)).unwrap();
            w.p.move_stage(o, stage, at(on)).unwrap();
            o
        };
        add(
            &mut w,
            100_000,
            Currency::NOK,
            Some(d(2025, 6, 3)),
            Stage::Proposal,
        ); // 40%
        add(
            &mut w,
            5,
            Currency::NOK,
            Some(d(2025, 6, 30)),
            Stage::Negotiation,
        ); // 3 (half up)
        add(
            &mut w,
            200_000,
            Currency::NOK,
            Some(d(2025, 7, 1)),
            Stage::Contract,
        ); // 80%
        add(&mut w, 999, Currency::EUR, None, Stage::NeedsAnalysis); // 199.8 -> 200
        let won = add(
            &mut w,
            50,
            Currency::NOK,
            Some(d(2025, 6, 1)),
            Stage::Contract,
        );
        w.p.mark_won(won, on, at(on)).unwrap();
        let c = w.contact("Y", "", Source::Other, on);
        let l = w.qualified(c, on);
        w.p.convert_lead(l, "no amount", at(on)).unwrap();

        let f = weighted_forecast(&w.p);
        let jun = Some(YearMonth {
            year: 2025,
            month: 6,
        });
        let jul = Some(YearMonth {
            year: 2025,
            month: 7,
        });
        let got: Vec<(Currency, Option<YearMonth>, i128, i128, u32)> = f
            .buckets
            .iter()
            .map(|b| {
                (
                    b.currency,
                    b.month,
                    b.weighted.minor,
                    b.total.minor,
                    b.count,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Currency::NOK, jun, 40_000 + 3, 100_005, 2),
                (Currency::NOK, jul, 160_000, 200_000, 1),
                (Currency::EUR, None, 200, 999, 1),
            ]
        );
        assert_eq!(f.without_amount, 1);
        assert_eq!(
            f.weighted_totals(),
            vec![
                Money::new(200_003, Currency::NOK),
                Money::new(200, Currency::EUR)
            ]
        );
        assert_eq!(
            YearMonth {
                year: 2025,
                month: 6
            }
            .to_string(),
            "2025-06"
        );
    }

    #[test]
    fn repeat_business_without_lead_still_keeps_the_funnel_monotonic() {
        let (mut w, today) = world();
        let acc = w.p.accounts()[0].id;
        let extra = w.contact("H", "", Source::Partner, today);
        w.p.add_contact_to_account(acc, extra, at(today)).unwrap();
        w.p.set_primary_contact(acc, extra, at(today)).unwrap();
        w.p.open_opportunity_for_account(acc, "Renewal", at(today))
            .unwrap();
        let f = funnel(&w.p, Period::AllTime, today);
        let c = f.counts();
        assert!(c.windows(2).all(|x| x[0] >= x[1]), "{c:?}");
        assert_eq!(c, [7, 6, 5, 4, 2]);
    }

    #[test]
    fn bars_scale_without_overflow_up_to_the_largest_amount() {
        use crate::domain::money::{parse_amount, Currency, NumberLocale};
        let largest = parse_amount(&i64::MAX.to_string(), Currency::JPY, NumberLocale::English)
            .map(|m| m.minor.unsigned_abs())
            .unwrap_or(0);
        assert_eq!(largest, i64::MAX.unsigned_abs());
        assert_eq!(scale(largest, largest, 600), 600);
        assert_eq!(scale(largest / 2, largest, 600), 299);
        assert_eq!(scale(1, largest, 600), 0);
        assert_eq!(scale(5, 0, 600), 0);
        assert_eq!(scale(7, 5, 600), 600);
    }
}
