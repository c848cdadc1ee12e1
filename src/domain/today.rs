//! The Today screen's agenda: next steps due today or overdue, and leads
//! nobody has touched for a while.

use chrono::{DateTime, NaiveDate, Utc};

use super::ids::{LeadId, OpportunityId};
use super::lead::LeadStatusKind;
use super::pipeline::Pipeline;

/// A lead counts as untouched after this many days without any change.
pub const QUIET_DAYS: i64 = 14;

/// An open opportunity whose next step is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueStep {
    pub opportunity: OpportunityId,
    pub name: String,
    /// The next step's text (may be empty: a date alone is still a reminder).
    pub next_step: String,
    pub date: NaiveDate,
    /// Due before today (otherwise due today).
    pub overdue: bool,
}

/// An active lead (New, Contacted or Qualified) with no change for
/// [`QUIET_DAYS`] days or more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuietLead {
    pub lead: LeadId,
    /// The contact's name.
    pub name: String,
    pub status: LeadStatusKind,
    /// Whole days since the lead was last touched.
    pub days: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agenda {
    /// Oldest due date first.
    pub due: Vec<DueStep>,
    /// Longest untouched first.
    pub quiet_leads: Vec<QuietLead>,
}

impl Pipeline {
    /// What needs doing on `today` (`now` is the same moment as a time).
    pub fn agenda(&self, today: NaiveDate, now: DateTime<Utc>) -> Agenda {
        let mut due: Vec<DueStep> = self
            .opportunities()
            .iter()
            .filter(|o| o.is_open())
            .filter_map(|o| {
                let date = o.terms.next_step_date.filter(|d| *d <= today)?;
                Some(DueStep {
                    opportunity: o.id,
                    name: o.name.clone(),
                    next_step: o.terms.next_step.clone(),
                    date,
                    overdue: date < today,
                })
            })
            .collect();
        due.sort_by_key(|d| d.date);

        let mut quiet_leads: Vec<QuietLead> = self
            .leads()
            .iter()
            .filter(|l| l.status.kind().is_active())
            .filter_map(|l| {
                let touched = l.history.last_at().unwrap_or(l.created_at);
                let days = (now - touched).num_days();
                (days >= QUIET_DAYS).then(|| QuietLead {
                    lead: l.id,
                    name: self
                        .contact(l.contact)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    status: l.status.kind(),
                    days,
                })
            })
            .collect();
        // Quietest first.
        quiet_leads.sort_by_key(|q| std::cmp::Reverse(q.days));
        Agenda { due, quiet_leads }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Criterion, DealTerms, DisqualifyReason};
    use chrono::{Duration, TimeZone};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap()
    }

    fn contact(p: &mut Pipeline, name: &str, when: DateTime<Utc>) -> crate::domain::ContactId {
        let fields = ContactDraft {
            name: name.into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        p.add_contact(fields, when).unwrap()
    }

    /// An opportunity with its next step on `date` (or none).
    fn deal(p: &mut Pipeline, name: &str, date: Option<NaiveDate>) -> OpportunityId {
        let c = contact(p, name, at(1));
        let l = p.make_lead(c, at(1)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, at(1)).unwrap();
        }
        p.qualify(l, at(1)).unwrap();
        let o = p.convert_lead(l, name, at(1)).unwrap();
        let terms = DealTerms {
            next_step: format!("Call {name}"),
            next_step_date: date,
            ..DealTerms::default()
        };
        p.update_terms(o, terms, at(1)).unwrap();
        o
    }

    #[test]
    fn due_and_overdue_next_steps_of_open_deals_oldest_first() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        let mut p = Pipeline::new();
        let later = deal(&mut p, "Later", Some(today + Duration::days(1)));
        let due_today = deal(&mut p, "Today", Some(today));
        let overdue = deal(&mut p, "Overdue", Some(today - Duration::days(3)));
        let _none = deal(&mut p, "No date", None);
        let lost = deal(&mut p, "Lost", Some(today - Duration::days(5)));
        p.mark_lost(lost, crate::domain::LostReason::Price, "", today, at(2))
            .unwrap();

        let agenda = p.agenda(today, at(20));
        let due: Vec<(OpportunityId, bool)> = agenda
            .due
            .iter()
            .map(|d| (d.opportunity, d.overdue))
            .collect();
        assert_eq!(due, vec![(overdue, true), (due_today, false)]);
        assert_eq!(agenda.due[0].next_step, "Call Overdue");
        assert!(!due.iter().any(|(o, _)| *o == later));
    }

    #[test]
    fn leads_untouched_for_fourteen_days_longest_first() {
        let mut p = Pipeline::new();
        let old = contact(&mut p, "Old", at(1));
        let old = p.make_lead(old, at(1)).unwrap();
        let older = contact(&mut p, "Older", at(1));
        let older = p.make_lead(older, at(1)).unwrap();
        p.mark_contacted(old, at(3)).unwrap();
        let fresh = contact(&mut p, "Fresh", at(1));
        let fresh = p.make_lead(fresh, at(1)).unwrap();
        p.mark_contacted(fresh, at(10)).unwrap();
        let out = contact(&mut p, "Out", at(1));
        let out = p.make_lead(out, at(1)).unwrap();
        p.disqualify(out, DisqualifyReason::NoNeed, "", at(2))
            .unwrap();

        // 17 March: "Old" was touched 14 days ago, "Older" 16, "Fresh" 7.
        let agenda = p.agenda(NaiveDate::from_ymd_opt(2025, 3, 17).unwrap(), at(17));
        let quiet: Vec<(LeadId, i64, &str)> = agenda
            .quiet_leads
            .iter()
            .map(|q| (q.lead, q.days, q.name.as_str()))
            .collect();
        assert_eq!(quiet, vec![(older, 16, "Older"), (old, 14, "Old")]);
        assert_eq!(agenda.quiet_leads[1].status, LeadStatusKind::Contacted);
    }

    #[test]
    fn an_empty_pipeline_has_an_empty_agenda() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        assert_eq!(Pipeline::new().agenda(today, at(20)), Agenda::default());
    }
}
