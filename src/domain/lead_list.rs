//! The Leads list: search, filter by status and by follow-up, and order.

use chrono::NaiveDate;

use super::ids::LeadId;
use super::lead::{Lead, LeadStatusKind};
use super::pipeline::Pipeline;

crate::named::named_values! {
    /// Which leads the list shows by their next step.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum FollowUp {
        #[default]
        Any = "any",
        /// A next step dated today or earlier.
        Due = "due",
        /// A next step with a date.
        Planned = "planned",
        /// No next step date.
        Unplanned = "unplanned",
    }
}

impl FollowUp {
    pub fn label(self) -> &'static str {
        match self {
            FollowUp::Any => "Any next step",
            FollowUp::Due => "Due or overdue",
            FollowUp::Planned => "Has a next step date",
            FollowUp::Unplanned => "No next step date",
        }
    }

    fn keeps(self, lead: &Lead, today: NaiveDate) -> bool {
        match self {
            FollowUp::Any => true,
            FollowUp::Due => lead.next_step_date.is_some_and(|d| d <= today),
            FollowUp::Planned => lead.next_step_date.is_some(),
            FollowUp::Unplanned => lead.next_step_date.is_none(),
        }
    }
}

crate::named::named_values! {
    /// How the Leads list is ordered.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum LeadOrder {
        /// Oldest first, as they were made.
        #[default]
        Added = "added",
        /// The soonest next step date first; leads without one last.
        NextStep = "next_step",
        /// The highest checklist score first.
        Score = "score",
    }
}

impl LeadOrder {
    pub fn label(self) -> &'static str {
        match self {
            LeadOrder::Added => "Oldest first",
            LeadOrder::NextStep => "Next step date",
            LeadOrder::Score => "Score",
        }
    }
}

/// What the Leads list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadQuery {
    pub text: String,
    pub status: Option<LeadStatusKind>,
    pub follow_up: FollowUp,
    pub order: LeadOrder,
}

impl Pipeline {
    /// The leads `query` asks for, in its order. `today` decides what is due.
    pub fn lead_list(&self, query: &LeadQuery, today: NaiveDate) -> Vec<LeadId> {
        let mut found: Vec<&Lead> = self
            .search_leads(&query.text, query.status)
            .into_iter()
            .filter_map(|id| self.lead(id))
            .filter(|l| query.follow_up.keeps(l, today))
            .collect();
        match query.order {
            LeadOrder::Added => {}
            // Stable sorts: equal keys stay oldest first.
            LeadOrder::NextStep => {
                found.sort_by_key(|l| (l.next_step_date.is_none(), l.next_step_date))
            }
            LeadOrder::Score => found.sort_by_key(|l| std::cmp::Reverse(l.score())),
        }
        found.into_iter().map(|l| l.id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Criterion};
    use chrono::{DateTime, TimeZone, Utc};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap()
    }

    fn lead(p: &mut Pipeline, name: &str, date: &str) -> LeadId {
        let fields = ContactDraft {
            name: name.into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        let c = p.add_contact(fields, at(1)).unwrap();
        let l = p.make_lead(c, at(1)).unwrap();
        p.set_lead_next_step(l, "Call", date, at(1)).unwrap();
        l
    }

    #[test]
    fn leads_filter_and_sort_by_their_next_step() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        let mut p = Pipeline::new();
        let none = lead(&mut p, "None", "");
        let later = lead(&mut p, "Later", "2025-04-01");
        let overdue = lead(&mut p, "Overdue", "2025-03-18");
        let today_lead = lead(&mut p, "Today", "2025-03-20");
        p.set_criterion(later, Criterion::Need, true, at(2))
            .unwrap();
        let list = |follow_up, order| {
            let q = LeadQuery {
                follow_up,
                order,
                ..LeadQuery::default()
            };
            p.lead_list(&q, today)
        };
        assert_eq!(
            list(FollowUp::Any, LeadOrder::Added),
            vec![none, later, overdue, today_lead]
        );
        assert_eq!(
            list(FollowUp::Any, LeadOrder::NextStep),
            vec![overdue, today_lead, later, none]
        );
        assert_eq!(
            list(FollowUp::Due, LeadOrder::Added),
            vec![overdue, today_lead]
        );
        assert_eq!(
            list(FollowUp::Planned, LeadOrder::Added),
            vec![later, overdue, today_lead]
        );
        assert_eq!(list(FollowUp::Unplanned, LeadOrder::Added), vec![none]);
        assert_eq!(list(FollowUp::Any, LeadOrder::Score)[0], later);
        let q = LeadQuery {
            text: "over".into(),
            ..LeadQuery::default()
        };
        assert_eq!(p.lead_list(&q, today), vec![overdue]);
    }
}
