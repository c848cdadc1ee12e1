//! Where the pipeline stands, for the top of Today: each figure counts
//! records that a list can show, so what Today says and what the list shows
//! are the same records by construction.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::{weighted_forecast, Rate};
use crate::domain::ids::{LeadId, OpportunityId};
use crate::domain::lead::LeadStatusKind;
use crate::domain::money::Sum;
use crate::domain::opportunity::OpportunityStatus;
use crate::domain::pipeline::Pipeline;

/// How far back the win rate on Today looks.
pub const WIN_RATE_DAYS: u64 = 90;

crate::named::named_values! {
    /// A figure on Today, named in the address of the list it counts
    /// (`#/leads?figure=waiting`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Figure {
        OpenDeals = "open-deals",
        ClosingThisMonth = "closing-this-month",
        WaitingForQualification = "waiting",
        NewLeadsThisWeek = "new-leads-this-week",
        ClosedLast90Days = "closed-last-90-days",
    }
}

impl Figure {
    pub fn label(self) -> &'static str {
        match self {
            Figure::OpenDeals => "Open deals",
            Figure::ClosingThisMonth => "Expected to close this month",
            Figure::WaitingForQualification => "Leads waiting for qualification",
            Figure::NewLeadsThisWeek => "New leads this week",
            Figure::ClosedLast90Days => "Win rate, last 90 days",
        }
    }
}

/// The records a figure counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Counted {
    Leads(Vec<LeadId>),
    Opportunities(Vec<OpportunityId>),
}

impl Counted {
    pub fn len(&self) -> usize {
        match self {
            Counted::Leads(ids) => ids.len(),
            Counted::Opportunities(ids) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The figures at the top of Today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub open_deals: usize,
    /// The open deals' weighted value, per currency (never added together).
    pub weighted: Vec<Sum>,
    pub closing_this_month: usize,
    pub waiting: usize,
    pub new_leads_this_week: usize,
    /// Won of won and lost, closed in the last [`WIN_RATE_DAYS`] days.
    pub win_rate: Rate,
}

/// The Monday of `day`'s week.
fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

impl Pipeline {
    /// The records `figure` counts on `today`. `day_of` gives the local day
    /// of a moment (leads are new by the day they were made where the user is).
    pub fn counted(
        &self,
        figure: Figure,
        today: NaiveDate,
        day_of: impl Fn(DateTime<Utc>) -> NaiveDate,
    ) -> Counted {
        let deals = |keep: &dyn Fn(&crate::domain::Opportunity) -> bool| {
            Counted::Opportunities(
                self.opportunities()
                    .iter()
                    .filter(|o| keep(o))
                    .map(|o| o.id)
                    .collect(),
            )
        };
        let leads = |keep: &dyn Fn(&crate::domain::Lead) -> bool| {
            Counted::Leads(
                self.leads()
                    .iter()
                    .filter(|l| keep(l))
                    .map(|l| l.id)
                    .collect(),
            )
        };
        let same_month = |d: NaiveDate| d.year() == today.year() && d.month() == today.month();
        let since = today - Days::new(WIN_RATE_DAYS - 1);
        let monday = week_start(today);
        match figure {
            Figure::OpenDeals => deals(&|o| o.is_open()),
            Figure::ClosingThisMonth => {
                deals(&|o| o.is_open() && o.terms.expected_close.is_some_and(same_month))
            }
            Figure::ClosedLast90Days => deals(&|o| {
                o.status
                    .closed_on()
                    .is_some_and(|d| (since..=today).contains(&d))
            }),
            Figure::WaitingForQualification => leads(&|l| {
                matches!(
                    l.status.kind(),
                    LeadStatusKind::New | LeadStatusKind::Contacted
                )
            }),
            Figure::NewLeadsThisWeek => {
                leads(&|l| (monday..=today).contains(&day_of(l.created_at)))
            }
        }
    }

    /// Where the pipeline stands on `today`.
    pub fn standing(
        &self,
        today: NaiveDate,
        day_of: impl Fn(DateTime<Utc>) -> NaiveDate + Copy,
    ) -> Standing {
        let count = |f| self.counted(f, today, day_of).len();
        let won = match self.counted(Figure::ClosedLast90Days, today, day_of) {
            Counted::Opportunities(ids) => {
                let won = ids
                    .iter()
                    .filter_map(|id| self.opportunity(*id))
                    .filter(|o| matches!(o.status, OpportunityStatus::Won { .. }))
                    .count();
                (won, ids.len())
            }
            Counted::Leads(_) => (0, 0),
        };
        let as_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Standing {
            open_deals: count(Figure::OpenDeals),
            weighted: weighted_forecast(self).weighted_totals(),
            closing_this_month: count(Figure::ClosingThisMonth),
            waiting: count(Figure::WaitingForQualification),
            new_leads_this_week: count(Figure::NewLeadsThisWeek),
            win_rate: Rate::new(as_u32(won.0), as_u32(won.1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;

    fn utc_day(at: DateTime<Utc>) -> NaiveDate {
        at.date_naive()
    }

    #[test]
    fn each_figure_is_the_number_of_records_it_counts() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let p = sample::generate(11, 300, 120, today);
        let s = p.standing(today, utc_day);
        let open: Vec<_> = p.opportunities().iter().filter(|o| o.is_open()).collect();
        assert_eq!(s.open_deals, open.len());
        assert!(s.open_deals > 0);
        assert_eq!(
            s.closing_this_month,
            open.iter()
                .filter(|o| o
                    .terms
                    .expected_close
                    .is_some_and(|d| d.month() == 12 && d.year() == 2026))
                .count()
        );
        assert_eq!(
            s.waiting,
            p.leads()
                .iter()
                .filter(|l| matches!(
                    l.status.kind(),
                    LeadStatusKind::New | LeadStatusKind::Contacted
                ))
                .count()
        );
        // Monday 30 November to Thursday 3 December.
        assert_eq!(
            s.new_leads_this_week,
            p.leads()
                .iter()
                .filter(|l| {
                    let d = l.created_at.date_naive();
                    d >= NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() && d <= today
                })
                .count()
        );
        let closed: Vec<_> = p
            .opportunities()
            .iter()
            .filter(|o| {
                o.status
                    .closed_on()
                    .is_some_and(|d| d > today - Days::new(90) && d <= today)
            })
            .collect();
        let won = closed
            .iter()
            .filter(|o| matches!(o.status, OpportunityStatus::Won { .. }))
            .count();
        assert_eq!(
            (s.win_rate.num as usize, s.win_rate.den as usize),
            (won, closed.len())
        );
        for f in Figure::ALL {
            let n = p.counted(f, today, utc_day).len();
            assert!(n <= p.leads().len().max(p.opportunities().len()), "{f:?}");
        }
    }

    #[test]
    fn an_empty_pipeline_stands_at_nothing() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let s = Pipeline::new().standing(today, utc_day);
        assert_eq!((s.open_deals, s.waiting, s.win_rate.den), (0, 0, 0));
        assert!(s.weighted.is_empty());
        assert_eq!(s.win_rate.percent_tenths(), None);
    }

    #[test]
    fn the_week_starts_on_monday() {
        let thursday = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(
            week_start(thursday),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(week_start(monday), monday);
    }
}
