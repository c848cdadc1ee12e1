//! The pipeline board: one column per stage with its deals and their sums,
//! and the marks a card shows when a deal needs attention.

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

use super::error::RecordKind;
use super::ids::OpportunityId;
use super::money::{Currency, Sum};
use super::opportunity::{Opportunity, Stage};
use super::pipeline::{Pipeline, Revision};
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
        LiveBoard::new(self, ids, stages).columns
    }
}

/// How [`LiveBoard::keep_up`] followed the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Nothing changed since.
    Same,
    /// Only the deals the last change touched were placed again.
    Updated,
    /// Made afresh.
    Remade,
}

/// A card that went from one column to another in the last
/// [`LiveBoard::keep_up`]; an end is `None` where the deal was not, or is
/// no longer, on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CardMove {
    from: Option<CardEnd>,
    to: Option<CardEnd>,
}

/// Where a moved card left or came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CardEnd {
    column: usize,
    place: usize,
    /// The cards in the column right after it left or came in.
    cards: usize,
}

/// What one deal adds to its column: (currency, amount, weighted amount).
type Share = Option<(usize, i64, i64)>;

fn share(o: &Opportunity) -> Share {
    o.terms.amount.map(|a| {
        (
            currency_index(a.currency),
            a.minor,
            a.percent(o.probability()).minor,
        )
    })
}

/// Sums of one currency in a column, with how many deals add to them (a
/// currency no deal of the column has any more is not shown).
#[derive(Clone, Copy, Debug)]
struct Tally {
    total: Sum,
    weighted: Sum,
    deals: usize,
}

/// The board kept up to date one change at a time: a moved or edited deal
/// changes its own columns' cards and sums, not the whole board
/// ([`Pipeline::board`] is a new one's columns).
#[derive(Clone, Debug)]
pub struct LiveBoard {
    /// The pipeline as the board last followed it.
    seen: Revision,
    ids: Vec<OpportunityId>,
    stages: Vec<Stage>,
    /// Where each deal is in `ids`: cards keep that order.
    order: HashMap<OpportunityId, usize>,
    /// The column each shown deal is in and what it adds there.
    placed: HashMap<OpportunityId, (usize, Share)>,
    /// One per shown stage, in pipeline order.
    columns: Vec<BoardColumn>,
    tallies: Vec<[Option<Tally>; Currency::ALL.len()]>,
    /// The columns (by index) the last [`LiveBoard::keep_up`] changed or
    /// that hold a deal it saw change; `None` after the board was remade.
    changed: Option<Vec<usize>>,
    /// The cards the last [`LiveBoard::keep_up`] moved between columns.
    moved: Vec<CardMove>,
}

impl LiveBoard {
    pub fn new(p: &Pipeline, ids: &[OpportunityId], stages: &[Stage]) -> LiveBoard {
        let shown: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| stages.is_empty() || stages.contains(s))
            .collect();
        let mut board = LiveBoard {
            seen: p.revision(),
            ids: ids.to_vec(),
            stages: stages.to_vec(),
            order: ids.iter().enumerate().map(|(i, id)| (*id, i)).collect(),
            placed: HashMap::new(),
            columns: shown
                .iter()
                .map(|&stage| BoardColumn {
                    stage,
                    cards: Vec::new(),
                    totals: Vec::new(),
                })
                .collect(),
            tallies: vec![[None; Currency::ALL.len()]; shown.len()],
            changed: None,
            moved: Vec::new(),
        };
        for o in ids.iter().filter_map(|id| p.opportunity(*id)) {
            if let Some(column) = board.column_of(o.stage()) {
                board.columns[column].cards.push(o.id);
                board.add(o.id, column, share(o));
            }
        }
        for column in 0..board.columns.len() {
            board.total(column);
        }
        board
    }

    /// Brings the board up to date with `p` showing `ids` in `stages`: by
    /// the deals the pipeline's last change touched when it can name them,
    /// else (or when other deals or stages are shown) made afresh.
    pub fn keep_up(&mut self, p: &Pipeline, ids: &[OpportunityId], stages: &[Stage]) -> Kept {
        if self.ids != ids || self.stages != stages {
            *self = LiveBoard::new(p, ids, stages);
            return Kept::Remade;
        }
        let now = p.revision();
        self.moved.clear();
        if self.seen == now {
            self.changed = Some(Vec::new());
            return Kept::Same;
        }
        let kept = match p.changed_since(self.seen) {
            Some(changed) => {
                let deals = changed
                    .iter()
                    .filter(|(kind, _)| *kind == RecordKind::Opportunity)
                    .map(|(_, id)| OpportunityId(*id));
                self.update(p, deals);
                Kept::Updated
            }
            None => {
                *self = LiveBoard::new(p, ids, stages);
                Kept::Remade
            }
        };
        self.seen = now;
        kept
    }

    pub fn columns(&self) -> &[BoardColumn] {
        &self.columns
    }

    /// The columns, by index in [`LiveBoard::columns`], that the last
    /// [`LiveBoard::keep_up`] changed (cards, sums) or that hold a deal
    /// it saw change (a card to draw again); the others are as they were.
    /// `None`: the board was made anew, any column may differ.
    pub fn changed_columns(&self) -> Option<&[usize]> {
        self.changed.as_deref()
    }

    /// Keeps each column showing the cards it showed across the last
    /// [`LiveBoard::keep_up`]. `limits` holds, by column, how many cards
    /// each shows at most. A card moved out of a column's shown cards does
    /// not pull a hidden one into view, and one moved in among them does not
    /// push the last one out of view: the board changes where the user is
    /// looking, and only there.
    pub fn keep_shown(&self, limits: &mut [usize]) {
        for m in &self.moved {
            if let Some(end) = m.from {
                if let Some(limit) = limits.get_mut(end.column) {
                    // It had cards out of view (one more than it holds now).
                    if end.place < *limit && end.cards >= *limit {
                        *limit -= 1;
                    }
                }
            }
            if let Some(end) = m.to {
                if let Some(limit) = limits.get_mut(end.column) {
                    if end.place < *limit && end.cards > *limit {
                        *limit += 1;
                    }
                }
            }
        }
    }

    /// Brings the board up to date after the deals `changed` changed (moved,
    /// edited, deleted or put back); other deals are as they were.
    fn update(&mut self, p: &Pipeline, changed: impl IntoIterator<Item = OpportunityId>) {
        let mut touched = Vec::new();
        let mut shown = Vec::new();
        for id in changed {
            let Some(&position) = self.order.get(&id) else {
                continue;
            };
            let now = p
                .opportunity(id)
                .and_then(|o| Some((self.column_of(o.stage())?, share(o))));
            let was = self.placed.get(&id).copied();
            // Its card is drawn again where it is, even if it stays.
            shown.extend(was.iter().chain(now.iter()).map(|(column, _)| *column));
            if now == was {
                continue;
            }
            let mut moved = CardMove {
                from: None,
                to: None,
            };
            if let Some((column, share)) = was {
                let cards = &mut self.columns[column].cards;
                if let Ok(place) = cards.binary_search_by_key(&position, |c| self.order[c]) {
                    cards.remove(place);
                    moved.from = Some(CardEnd {
                        column,
                        place,
                        cards: cards.len(),
                    });
                }
                self.remove(id, column, share);
                touched.push(column);
            }
            if let Some((column, share)) = now {
                let cards = &mut self.columns[column].cards;
                let place = cards
                    .binary_search_by_key(&position, |c| self.order[c])
                    .unwrap_or_else(|i| i);
                cards.insert(place, id);
                moved.to = Some(CardEnd {
                    column,
                    place,
                    cards: cards.len(),
                });
                self.add(id, column, share);
                touched.push(column);
            }
            // A deal edited in its column (its amount) did not move.
            if moved.from.map(|e| e.column) != moved.to.map(|e| e.column) {
                self.moved.push(moved);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for &column in &touched {
            self.total(column);
        }
        shown.extend(touched);
        shown.sort_unstable();
        shown.dedup();
        self.changed = Some(shown);
    }

    fn column_of(&self, stage: Stage) -> Option<usize> {
        self.columns.iter().position(|c| c.stage == stage)
    }

    fn add(&mut self, id: OpportunityId, column: usize, share: Share) {
        self.placed.insert(id, (column, share));
        if let Some((currency, amount, weighted)) = share {
            let zero = Sum::zero(Currency::ALL[currency]);
            let tally = self.tallies[column][currency].get_or_insert(Tally {
                total: zero,
                weighted: zero,
                deals: 0,
            });
            tally.total.add(amount);
            tally.weighted.add(weighted);
            tally.deals += 1;
        }
    }

    fn remove(&mut self, id: OpportunityId, column: usize, share: Share) {
        self.placed.remove(&id);
        if let Some((currency, amount, weighted)) = share {
            let slot = &mut self.tallies[column][currency];
            if let Some(tally) = slot {
                // Sums are exact (i128), so taking a deal's share out leaves
                // what adding the others gives.
                tally.total.minor -= i128::from(amount);
                tally.weighted.minor -= i128::from(weighted);
                tally.deals -= 1;
                if tally.deals == 0 {
                    *slot = None;
                }
            }
        }
    }

    /// A column's totals from its tallies, in [`Currency::ALL`] order.
    fn total(&mut self, column: usize) {
        self.columns[column].totals = self.tallies[column]
            .iter()
            .flatten()
            .map(|t| CurrencyTotal {
                total: t.total,
                weighted: t.weighted,
            })
            .collect();
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
    fn a_moved_card_leaves_the_other_shown_cards_where_they_are() {
        let mut p = Pipeline::new();
        let needs: Vec<_> = (0..4)
            .map(|i| deal(&mut p, &format!("N{i}"), None))
            .collect();
        let proposal: Vec<_> = (0..4)
            .map(|i| deal(&mut p, &format!("P{i}"), None))
            .collect();
        for id in &proposal {
            p.move_stage(*id, Stage::Proposal, at(2)).unwrap();
        }
        let ids = all(&p);
        let mut live = LiveBoard::new(&p, &ids, &[]);
        // Two cards shown in each column; the others are out of view.
        let mut limits = vec![2; Stage::ALL.len()];
        p.move_stage(needs[0], Stage::Proposal, at(3)).unwrap();
        assert_eq!(live.keep_up(&p, &ids, &[]), Kept::Updated);
        live.keep_shown(&mut limits);
        let shown = |live: &LiveBoard, limits: &[usize], k: usize| {
            live.columns()[k]
                .cards
                .iter()
                .take(limits[k])
                .copied()
                .collect::<Vec<_>>()
        };
        // N1 stays; N2 does not come into view. The moved card lands first in
        // Proposal, and P1 stays in view.
        assert_eq!(shown(&live, &limits, 0), vec![needs[1]]);
        assert_eq!(
            shown(&live, &limits, 1),
            vec![needs[0], proposal[0], proposal[1]]
        );
        // Moved back, each column shows what it showed at first.
        p.move_stage(needs[0], Stage::NeedsAnalysis, at(4)).unwrap();
        live.keep_up(&p, &ids, &[]);
        live.keep_shown(&mut limits);
        assert_eq!(shown(&live, &limits, 0), vec![needs[0], needs[1]]);
        assert_eq!(shown(&live, &limits, 1), vec![proposal[0], proposal[1]]);
        // A column with every card in view just loses or gains one.
        let mut roomy = vec![10; Stage::ALL.len()];
        p.move_stage(needs[3], Stage::Proposal, at(5)).unwrap();
        live.keep_up(&p, &ids, &[]);
        live.keep_shown(&mut roomy);
        assert_eq!(roomy, vec![10; Stage::ALL.len()]);
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

#[cfg(test)]
mod live_proptests {
    use super::*;
    use crate::domain::proptests::{apply, cmd};
    use crate::domain::{sample, OPEN_STAGES};
    use proptest::prelude::*;
    use std::collections::HashSet;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// A board kept up to date change by change (commands and Undo)
        /// shows what a board made afresh shows.
        #[test]
        fn a_live_board_equals_a_new_one_after_every_change(
            seed in any::<u64>(),
            size in 2usize..14,
            open_only in any::<bool>(),
            steps in prop::collection::vec((cmd(), prop::bool::weighted(0.2)), 1..60),
        ) {
            let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
            let mut p = sample::generate(seed, size, size, start);
            let stages: Vec<Stage> = if open_only { OPEN_STAGES.to_vec() } else { Vec::new() };
            let ids = p.search_opportunities("", &[]);
            let mut live = LiveBoard::new(&p, &ids, &stages);
            for (i, (c, undo)) in steps.iter().enumerate() {
                let seen = p.revision();
                let before = p.clone();
                let columns_before = live.columns().to_vec();
                let _ = apply(&mut p, c, i);
                if *undo {
                    // Undo right after (or instead of) a change.
                    let _ = p.undo();
                }
                let kept = live.keep_up(&p, &ids, &stages);
                prop_assert_eq!(live.columns(), &p.board(&ids, &stages)[..], "after {:?}", c);
                // Each column keeps showing what it showed, less what left:
                // nothing still there goes out of view, and nothing that was
                // out of view comes in unless it was moved there.
                let limits_before: Vec<usize> = (0..live.columns().len()).map(|k| 1 + (i + k) % 4).collect();
                let mut limits = limits_before.clone();
                live.keep_shown(&mut limits);
                let followed = kept == Kept::Updated;
                for (k, column) in live.columns().iter().enumerate().filter(|_| followed) {
                    let old = columns_before.get(k).map(|c| c.cards.as_slice()).unwrap_or_default();
                    let shown_before: HashSet<_> = old.iter().take(limits_before[k]).collect();
                    let shown: HashSet<_> = column.cards.iter().take(limits[k]).collect();
                    for id in &shown_before {
                        if column.cards.contains(id) {
                            prop_assert!(shown.contains(id), "{:?} went out of view in column {} after {:?}", id, k, c);
                        }
                    }
                    for id in &shown {
                        prop_assert!(shown_before.contains(id) || !old.contains(id), "{:?} came into view in column {} after {:?}", id, k, c);
                    }
                }
                if p.changed_since(seen).is_some() {
                    prop_assert_eq!(kept, Kept::Updated, "one change by {:?} is followed", c);
                }
                // What it says it left alone is as it was, and holds no
                // deal that changed (whose card must be drawn again).
                if let Some(changed) = live.changed_columns() {
                    for (k, column) in live.columns().iter().enumerate() {
                        if changed.contains(&k) {
                            continue;
                        }
                        prop_assert_eq!(Some(column), columns_before.get(k), "column {} after {:?}", k, c);
                        for id in &column.cards {
                            prop_assert_eq!(p.opportunity(*id), before.opportunity(*id), "a deal in column {} after {:?}", k, c);
                        }
                    }
                }
            }
        }
    }
}
