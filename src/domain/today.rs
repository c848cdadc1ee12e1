//! The Today screen's agenda: next steps due today or overdue, and leads
//! nobody has touched for a while.

use chrono::{DateTime, NaiveDate, Utc};

use super::ids::{LeadId, OpportunityId};
use super::lead::LeadStatusKind;
use super::pipeline::Pipeline;

/// A lead counts as untouched after this many days without any change.
pub const QUIET_DAYS: i64 = 14;

/// How far ahead Today lists coming next steps.
pub const COMING_DAYS: i64 = 7;

/// The record a next step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOf {
    Opportunity(OpportunityId),
    Lead(LeadId),
}

/// A next step with a date, of an open opportunity or an active lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueStep {
    pub of: StepOf,
    /// The opportunity's name, or the lead's contact's name.
    pub name: String,
    /// The next step's text (may be empty: a date alone is still a reminder).
    pub next_step: String,
    pub date: NaiveDate,
    /// Due before today.
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
    /// Due today or overdue, oldest first.
    pub due: Vec<DueStep>,
    /// Due in the coming [`COMING_DAYS`] days, soonest first.
    pub coming: Vec<DueStep>,
    /// Longest untouched first.
    pub quiet_leads: Vec<QuietLead>,
}

impl Pipeline {
    /// What needs doing on `today` (`now` is the same moment as a time).
    pub fn agenda(&self, today: NaiveDate, now: DateTime<Utc>) -> Agenda {
        let step = |of, name: String, next_step: &str, date: NaiveDate| DueStep {
            of,
            name,
            next_step: next_step.to_owned(),
            date,
            overdue: date < today,
        };
        let deals = self
            .opportunities()
            .iter()
            .filter(|o| o.is_open())
            .filter_map(|o| {
                let date = o.terms.next_step_date?;
                Some(step(
                    StepOf::Opportunity(o.id),
                    o.name.clone(),
                    &o.terms.next_step,
                    date,
                ))
            });
        let leads = self
            .leads()
            .iter()
            .filter(|l| l.status.kind().is_active())
            .filter_map(|l| {
                let date = l.next_step_date?;
                let name = self
                    .contact(l.contact)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                Some(step(StepOf::Lead(l.id), name, &l.next_step, date))
            });
        let last = today + chrono::Days::new(COMING_DAYS.unsigned_abs());
        let (mut due, mut coming): (Vec<DueStep>, Vec<DueStep>) = deals
            .chain(leads)
            .filter(|d| d.date <= last)
            .partition(|d| d.date <= today);
        // A stable sort: on one day, deals before leads, each in record order.
        due.sort_by_key(|d| d.date);
        coming.sort_by_key(|d| d.date);

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
        Agenda {
            due,
            coming,
            quiet_leads,
        }
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
        let due: Vec<(StepOf, bool)> = agenda.due.iter().map(|d| (d.of, d.overdue)).collect();
        use StepOf::Opportunity as O;
        assert_eq!(due, vec![(O(overdue), true), (O(due_today), false)]);
        assert_eq!(agenda.due[0].next_step, "Call Overdue");
        let coming: Vec<StepOf> = agenda.coming.iter().map(|d| d.of).collect();
        assert_eq!(coming, vec![O(later)], "tomorrow is coming, not due");
    }

    #[test]
    fn leads_next_steps_join_the_deals_and_a_week_ahead_is_coming() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        let mut p = Pipeline::new();
        let deal_due = deal(&mut p, "Deal", Some(today - Duration::days(1)));
        let mut lead = |name: &str, date: NaiveDate| {
            let c = contact(&mut p, name, at(1));
            let l = p.make_lead(c, at(1)).unwrap();
            let date = crate::domain::time::format_date(date);
            assert!(p
                .set_lead_next_step(l, &format!("Call {name}"), &date, at(2))
                .unwrap());
            l
        };
        let overdue = lead("Overdue lead", today - Duration::days(2));
        let due_today = lead("Lead today", today);
        let in_a_week = lead("In a week", today + Duration::days(7));
        let _later = lead("Later", today + Duration::days(8));
        let closed = lead("Closed", today);
        p.disqualify(closed, DisqualifyReason::NoNeed, "", at(3))
            .unwrap();

        let agenda = p.agenda(today, at(20));
        let due: Vec<StepOf> = agenda.due.iter().map(|d| d.of).collect();
        assert_eq!(
            due,
            vec![
                StepOf::Lead(overdue),
                StepOf::Opportunity(deal_due),
                StepOf::Lead(due_today)
            ]
        );
        assert_eq!(agenda.due[0].name, "Overdue lead");
        assert_eq!(agenda.due[0].next_step, "Call Overdue lead");
        let coming: Vec<StepOf> = agenda.coming.iter().map(|d| d.of).collect();
        assert_eq!(coming, vec![StepOf::Lead(in_a_week)]);
    }

    #[test]
    fn a_lead_next_step_is_checked_like_a_form() {
        let mut p = Pipeline::new();
        let c = contact(&mut p, "Ada", at(1));
        let l = p.make_lead(c, at(1)).unwrap();
        let e = p
            .set_lead_next_step(l, "Call", "20261-12-24", at(2))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Please correct the form: Next step date must be a date from 1900 to 9999, written YYYY-MM-DD"
        );
        let long = "x".repeat(501);
        assert!(p.set_lead_next_step(l, &long, "", at(2)).is_err());
        assert!(p
            .set_lead_next_step(l, " Call back ", "2025-03-21", at(2))
            .unwrap());
        assert!(!p
            .set_lead_next_step(l, "Call back", "2025-03-21", at(3))
            .unwrap());
        assert_eq!(p.lead(l).unwrap().next_step, "Call back");
        p.undo().unwrap();
        assert_eq!(p.lead(l).unwrap().next_step_date, None);
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
