//! The pipeline board: one column per stage with its deals and their sums,
//! and the marks a card shows when a deal needs attention.

use chrono::{DateTime, NaiveDate, Utc};

use super::ids::OpportunityId;
use super::money::{Currency, Sum};
use super::opportunity::{Opportunity, Stage};
use super::pipeline::Pipeline;
use super::today::QUIET_DAYS;

/// Sums of one currency in a column. Currencies are never added together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrencyTotal {
    /// The amounts, unweighted.
    pub total: Sum,
    /// Each amount × its probability (rounded per deal, as the forecast does).
    pub weighted: Sum,
}

/// One stage's column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardColumn {
    pub stage: Stage,
    /// The deals in this stage, in the order they were given.
    pub cards: Vec<OpportunityId>,
    /// Per currency, in [`Currency::ALL`] order; deals without an amount
    /// count in `cards` only.
    pub totals: Vec<CurrencyTotal>,
}

impl Opportunity {
    /// Whether the next step of an open deal was due before `today`.
    pub fn next_step_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.terms.next_step_date.is_some_and(|d| d < today)
    }

    /// Whole days since an open deal last changed, when that is
    /// [`QUIET_DAYS`] or more (a closed deal is never quiet).
    pub fn quiet_days(&self, now: DateTime<Utc>) -> Option<i64> {
        if !self.is_open() {
            return None;
        }
        let days = (now - self.updated_at()).num_days();
        (days >= QUIET_DAYS).then_some(days)
    }
}

fn currency_index(c: Currency) -> usize {
    Currency::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

impl Pipeline {
    /// The board over `ids` (unknown ids are skipped): one column for each of
    /// `stages` (every stage when empty), in pipeline order, each with its
    /// deals in the order of `ids` and its sums per currency.
    pub fn board(&self, ids: &[OpportunityId], stages: &[Stage]) -> Vec<BoardColumn> {
        let shown: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| stages.is_empty() || stages.contains(s))
            .collect();
        // (total, weighted) per stage and currency, wide enough not to overflow.
        let mut sums = vec![[None::<(Sum, Sum)>; Currency::ALL.len()]; Stage::ALL.len()];
        let mut cards: Vec<Vec<OpportunityId>> = vec![Vec::new(); Stage::ALL.len()];
        for o in ids.iter().filter_map(|id| self.opportunity(*id)) {
            let s = o.stage();
            if !shown.contains(&s) {
                continue;
            }
            let si = Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
            cards[si].push(o.id);
            if let Some(amount) = o.terms.amount {
                let slot = &mut sums[si][currency_index(amount.currency)];
                let zero = Sum::zero(amount.currency);
                let (t, w) = slot.get_or_insert((zero, zero));
                t.add(amount.minor);
                w.add(amount.percent(o.probability()).minor);
            }
        }
        Stage::ALL
            .into_iter()
            .zip(cards)
            .zip(sums)
            .filter(|((s, _), _)| shown.contains(s))
            .map(|((stage, cards), sums)| BoardColumn {
                stage,
                cards,
                totals: sums
                    .into_iter()
                    .flatten()
                    .map(|(total, weighted)| CurrencyTotal { total, weighted })
                    .collect(),
            })
            .collect()
    }
}

impl Stage {
    /// The column before (`forward` false) or after this stage on the board
    /// (the open stages, then Won and Lost); none at either end.
    pub fn neighbour(self, forward: bool) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        if forward {
            Stage::ALL.get(i + 1).copied()
        } else {
            i.checked_sub(1).map(|j| Stage::ALL[j])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactDraft, Criterion, DealTerms, LostReason, Money};
    use chrono::{Duration, TimeZone};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, day, 9, 0, 0).unwrap()
    }

    fn deal(p: &mut Pipeline, name: &str, amount: Option<Money>) -> OpportunityId {
        let fields = ContactDraft {
            name: name.into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        let c = p.add_contact(fields, at(1)).unwrap();
        let l = p.make_lead(c, at(1)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, at(1)).unwrap();
        }
        p.qualify(l, at(1)).unwrap();
        let o = p.convert_lead(l, name, at(1)).unwrap();
        if let Some(a) = amount {
            let terms = DealTerms {
                amount: Some(a),
                currency: a.currency,
                ..DealTerms::default()
            };
            p.update_terms(o, terms, at(1)).unwrap();
        }
        o
    }

    fn all(p: &Pipeline) -> Vec<OpportunityId> {
        p.opportunities().iter().map(|o| o.id).collect()
    }

    #[test]
    fn columns_sum_amounts_and_weighted_amounts_per_currency() {
        let mut p = Pipeline::new();
        let a = deal(&mut p, "A", Some(Money::new(100_000, Currency::NOK)));
        let b = deal(&mut p, "B", Some(Money::new(50_001, Currency::NOK)));
        let c = deal(&mut p, "C", Some(Money::new(30_000, Currency::EUR)));
        let d = deal(&mut p, "D", None);
        p.move_stage(c, Stage::Proposal, at(2)).unwrap();
        p.mark_lost(d, LostReason::Price, "", at(2).date_naive(), at(2))
            .unwrap();

        let board = p.board(&all(&p), &[]);
        assert_eq!(
            board.iter().map(|c| c.stage).collect::<Vec<_>>(),
            Stage::ALL.to_vec()
        );
        let needs = &board[0];
        assert_eq!(needs.cards, vec![a, b]);
        // 20% of NOK 1,500.01 is 300.002: each deal rounds (200.00 + 100.00).
        assert_eq!(
            needs.totals,
            vec![CurrencyTotal {
                total: Money::new(150_001, Currency::NOK).into(),
                weighted: Money::new(30_000, Currency::NOK).into(),
            }]
        );
        assert_eq!(board[1].cards, vec![c]);
        assert_eq!(
            board[1].totals[0].weighted,
            Money::new(12_000, Currency::EUR)
        );
        // A lost deal without an amount counts but adds no sum.
        assert_eq!(board[5].cards, vec![d]);
        assert!(board[5].totals.is_empty());
        assert!(board[2].cards.is_empty());
    }

    #[test]
    fn currencies_are_kept_apart_in_one_column() {
        let mut p = Pipeline::new();
        deal(&mut p, "A", Some(Money::new(500, Currency::EUR)));
        deal(&mut p, "B", Some(Money::new(700, Currency::NOK)));
        deal(&mut p, "C", Some(Money::new(300, Currency::EUR)));
        let board = p.board(&all(&p), &[]);
        let totals: Vec<Option<Money>> = board[0].totals.iter().map(|t| t.total.money()).collect();
        assert_eq!(
            totals,
            vec![
                Some(Money::new(700, Currency::NOK)),
                Some(Money::new(800, Currency::EUR))
            ]
        );
    }

    #[test]
    fn only_the_given_deals_and_stages_are_shown() {
        let mut p = Pipeline::new();
        let a = deal(&mut p, "A", None);
        let b = deal(&mut p, "B", None);
        p.move_stage(b, Stage::Contract, at(2)).unwrap();
        let board = p.board(&[b, OpportunityId(999)], &[Stage::Contract, Stage::Won]);
        assert_eq!(board.len(), 2);
        assert_eq!(board[0].stage, Stage::Contract);
        assert_eq!(board[0].cards, vec![b]);
        assert!(!board.iter().any(|c| c.cards.contains(&a)));
    }

    #[test]
    fn overdue_next_steps_and_quiet_deals_are_marked_while_open() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "A", Some(Money::new(100, Currency::NOK)));
        let today = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        let mut terms = p.opportunity(o).unwrap().terms.clone();
        terms.next_step_date = Some(today - Duration::days(1));
        p.update_terms(o, terms, at(2)).unwrap();
        let deal = p.opportunity(o).unwrap();
        assert!(deal.next_step_overdue(today));
        assert!(!deal.next_step_overdue(today - Duration::days(1)));
        // Last touched on 2 March: quiet from the 16th.
        assert_eq!(deal.quiet_days(at(15)), None);
        assert_eq!(deal.quiet_days(at(16)), Some(14));

        p.mark_won(o, today, at(20)).unwrap();
        let deal = p.opportunity(o).unwrap();
        assert!(!deal.next_step_overdue(today));
        assert_eq!(deal.quiet_days(at(31)), None);
    }

    #[test]
    fn neighbouring_columns() {
        assert_eq!(Stage::Proposal.neighbour(true), Some(Stage::Negotiation));
        assert_eq!(Stage::Proposal.neighbour(false), Some(Stage::NeedsAnalysis));
        assert_eq!(Stage::NeedsAnalysis.neighbour(false), None);
        assert_eq!(Stage::Contract.neighbour(true), Some(Stage::Won));
        assert_eq!(Stage::Lost.neighbour(true), None);
    }
}
