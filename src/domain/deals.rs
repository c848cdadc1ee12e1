//! What the Opportunities and Accounts screens search: opportunities by
//! name, contact, organisation or customer and by stage; accounts by name or
//! by the people on them.

use super::ids::{AccountId, OpportunityId};
use super::opportunity::{Opportunity, Stage};
use super::pipeline::{Pipeline, Revision};
use super::search::{in_creation_order, Search};
use super::RecordKind;

impl Pipeline {
    /// Opportunities in one of `stages` (any stage when empty) whose name,
    /// contact's name or organisation, or customer's name contain every word
    /// of `query`, ignoring case, in the order they were made (oldest first).
    pub fn search_opportunities(&self, query: &str, stages: &[Stage]) -> Vec<OpportunityId> {
        let mut search = Search::new(query);
        let found = self
            .opportunities()
            .iter()
            .filter(|o| self.opportunity_matches(o, &mut search, stages))
            .map(|o| (o.created_at, o.id))
            .collect();
        in_creation_order(found)
    }

    /// Whether `found`, the answer of [`Pipeline::search_opportunities`] for
    /// `query` and `stages` when the pipeline was at `seen`, is still its
    /// answer: the one change since touched opportunities only (or, with no
    /// words to find, anything but opportunities), and none of them came
    /// into the answer or left it. `false`: search again. A list kept this
    /// way costs a few lookups per change, not a search of every deal.
    pub fn opportunities_found_still(
        &self,
        seen: Revision,
        found: &[OpportunityId],
        query: &str,
        stages: &[Stage],
    ) -> bool {
        let Some(touched) = self.changed_since(seen) else {
            return false;
        };
        let mut search = Search::new(query);
        touched.iter().all(|&(kind, id)| match kind {
            RecordKind::Opportunity => {
                let id = OpportunityId(id);
                let now = self
                    .opportunity(id)
                    .is_some_and(|o| self.opportunity_matches(o, &mut search, stages));
                now == found.contains(&id)
            }
            // Their names are searched too, but only when there are words.
            _ => search.is_empty(),
        })
    }

    fn opportunity_matches(&self, o: &Opportunity, search: &mut Search, stages: &[Stage]) -> bool {
        if !stages.is_empty() && !stages.contains(&o.stage()) {
            return false;
        }
        if search.is_empty() {
            return true;
        }
        let (contact, organisation) = self
            .contact(o.contact)
            .map_or(("", ""), |c| (c.name.as_str(), c.organisation.as_str()));
        let account = o
            .account
            .and_then(|a| self.account(a))
            .map_or("", |a| a.name.as_str());
        search.matches(&[&o.name, contact, organisation, account])
    }

    /// Accounts whose name or whose contacts' names contain every word of
    /// `query`, ignoring case, in the order they were made. An empty query
    /// matches all.
    pub fn search_accounts(&self, query: &str) -> Vec<AccountId> {
        let mut search = Search::new(query);
        let mut parts: Vec<&str> = Vec::new();
        let found = self
            .accounts()
            .iter()
            .filter(|a| {
                if search.is_empty() {
                    return true;
                }
                parts.clear();
                parts.push(&a.name);
                parts.extend(
                    a.contacts
                        .iter()
                        .filter_map(|c| self.contact(*c))
                        .map(|c| c.name.as_str()),
                );
                search.matches(&parts)
            })
            .map(|a| (a.created_at, a.id))
            .collect();
        in_creation_order(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{
        ContactDraft, ContactId, Criterion, Currency, DealTermsDraft, DomainError, Field,
        LostReason, Money, NumberLocale, OpportunityDraft, OpportunityId, Pipeline, RecordRef,
        Stage, UndoAction, OPEN_STAGES,
    };
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + s, 0).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn contact(p: &mut Pipeline, name: &str, org: &str) -> ContactId {
        let fields = ContactDraft {
            name: name.into(),
            organisation: org.into(),
            ..ContactDraft::default()
        }
        .validate()
        .unwrap();
        p.add_contact(fields, t(0)).unwrap()
    }

    /// A contact with a qualified lead converted to an opportunity.
    fn deal(p: &mut Pipeline, name: &str, org: &str, deal: &str) -> OpportunityId {
        let c = contact(p, name, org);
        let l = p.make_lead(c, t(1)).unwrap();
        for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
            p.set_criterion(l, k, true, t(2)).unwrap();
        }
        p.qualify(l, t(3)).unwrap();
        p.convert_lead(l, deal, t(4)).unwrap()
    }

    fn form(p: &Pipeline, id: OpportunityId) -> OpportunityDraft {
        OpportunityDraft::of(p.opportunity(id).unwrap(), NumberLocale::English)
    }

    fn save(p: &mut Pipeline, id: OpportunityId, draft: &OpportunityDraft, at: i64) -> bool {
        let edit = draft.validate(NumberLocale::English).unwrap();
        p.edit_opportunity(id, edit, t(at)).unwrap()
    }

    #[test]
    fn opportunities_are_found_by_name_contact_organisation_and_customer() {
        let mut p = Pipeline::new();
        let web = deal(&mut p, "Ada Lovelace", "Analytical Engines", "Website");
        let compiler = deal(&mut p, "Grace Hopper", "Navy Labs", "Compiler");
        let ids = |p: &Pipeline, q: &str| p.search_opportunities(q, &[]);
        assert_eq!(ids(&p, ""), vec![web, compiler]);
        assert_eq!(ids(&p, "  WEB "), vec![web]);
        assert_eq!(ids(&p, "grace"), vec![compiler]);
        assert_eq!(ids(&p, "navy compiler"), vec![compiler]);
        assert_eq!(ids(&p, "navy website"), Vec::<OpportunityId>::new());
        assert_eq!(ids(&p, "analytical"), vec![web]);

        let mut draft = form(&p, compiler);
        draft.terms.amount = "1,000".into();
        save(&mut p, compiler, &draft, 10);
        let account = p.mark_won(compiler, day(1), t(11)).unwrap();
        let renewal = p
            .open_opportunity_for_account(account, "Renewal", t(12))
            .unwrap();
        assert_eq!(ids(&p, "navy"), vec![compiler, renewal]);
        assert_eq!(ids(&p, "renewal labs"), vec![renewal]);
    }

    #[test]
    fn opportunities_are_filtered_by_stage() {
        let mut p = Pipeline::new();
        let a = deal(&mut p, "Ada", "", "A");
        let b = deal(&mut p, "Bo", "", "B");
        let c = deal(&mut p, "Cy", "", "C");
        p.move_stage(b, Stage::Negotiation, t(10)).unwrap();
        p.mark_lost(c, LostReason::Price, "", day(1), t(11))
            .unwrap();
        assert_eq!(p.search_opportunities("", &[Stage::Negotiation]), vec![b]);
        assert_eq!(p.search_opportunities("", &OPEN_STAGES), vec![a, b]);
        assert_eq!(p.search_opportunities("", &[Stage::Lost]), vec![c]);
        assert_eq!(
            p.search_opportunities("bo", &[Stage::NeedsAnalysis]),
            Vec::<OpportunityId>::new()
        );
    }

    #[test]
    fn accounts_are_found_by_name_or_their_people() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada Lovelace", "Analytical Engines", "Website");
        let mut draft = form(&p, o);
        draft.terms.amount = "500".into();
        save(&mut p, o, &draft, 10);
        let a = p.mark_won(o, day(1), t(11)).unwrap();
        assert_eq!(p.search_accounts(""), vec![a]);
        assert_eq!(p.search_accounts("ENGINES"), vec![a]);
        assert_eq!(p.search_accounts("lovelace"), vec![a]);
        assert!(p.search_accounts("hopper").is_empty());
    }

    #[test]
    fn saving_the_form_is_one_change_that_undo_reverts() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada", "Analytical", "Website");
        let before = p.opportunity(o).unwrap().clone();
        let mut draft = form(&p, o);
        assert!(
            !save(&mut p, o, &draft, 10),
            "an unchanged form changes nothing"
        );
        assert_eq!(p.undo_label().unwrap().action, UndoAction::ConvertLead);

        draft.name = "Web shop".into();
        draft.stage = Stage::Negotiation;
        draft.terms = DealTermsDraft {
            amount: "12,500.50".into(),
            next_step: "Call".into(),
            ..draft.terms
        };
        assert!(save(&mut p, o, &draft, 10));
        let saved = p.opportunity(o).unwrap();
        assert_eq!(saved.name, "Web shop");
        assert_eq!(saved.stage(), Stage::Negotiation);
        assert_eq!(
            saved.terms.amount,
            Some(Money::new(1_250_050, Currency::NOK))
        );
        assert_eq!(saved.probability(), 60);
        assert_eq!(
            p.undo_label().unwrap().to_string(),
            "Edited opportunity Website"
        );
        let timeline = p.timeline(RecordRef::Opportunity(o));
        let lines: Vec<&str> = timeline.iter().map(|(_, s)| s.as_str()).collect();
        assert!(
            lines.contains(&"Moved from Needs analysis to Negotiation"),
            "{lines:?}"
        );
        p.undo().unwrap();
        assert_eq!(*p.opportunity(o).unwrap(), before);
    }

    #[test]
    fn a_refused_part_leaves_the_whole_form_unsaved() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada", "", "Website");
        let mut draft = form(&p, o);
        draft.terms.amount = "100".into();
        save(&mut p, o, &draft, 10);
        p.mark_won(o, day(1), t(11)).unwrap();
        let won = p.opportunity(o).unwrap().clone();
        draft.name = "Renamed".into();
        let edit = draft.validate(NumberLocale::English).unwrap();
        assert_eq!(
            p.edit_opportunity(o, edit, t(12)).unwrap_err(),
            DomainError::OpportunityClosed { stage: Stage::Won }
        );
        assert_eq!(*p.opportunity(o).unwrap(), won);
        assert_eq!(p.undo_label().unwrap().action, UndoAction::MarkWon);
    }

    #[test]
    fn probability_follows_the_stage_until_overridden() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada", "", "Website");
        let prob = |p: &Pipeline| p.opportunity(o).unwrap().probability();
        assert_eq!(prob(&p), 20);
        let mut draft = form(&p, o);
        draft.stage = Stage::Proposal;
        save(&mut p, o, &draft, 10);
        assert_eq!(prob(&p), 40);
        draft.terms.probability = "75".into();
        save(&mut p, o, &draft, 11);
        assert_eq!(prob(&p), 75);
        draft.stage = Stage::Contract;
        save(&mut p, o, &draft, 12);
        assert_eq!(prob(&p), 75, "an override outlasts a stage move");
        draft.terms.probability = " ".into();
        save(&mut p, o, &draft, 13);
        assert_eq!(prob(&p), 80, "clearing it returns to the stage default");
        assert_eq!(form(&p, o).terms.probability, "");
    }

    #[test]
    fn won_deals_make_a_customer_with_lifetime_value_per_currency() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada", "Analytical Engines", "Website");
        assert_eq!(
            p.mark_won(o, day(1), t(10)).unwrap_err(),
            DomainError::AmountRequired
        );
        let mut draft = form(&p, o);
        draft.terms.amount = "12,500.50".into();
        save(&mut p, o, &draft, 11);
        let a = p.mark_won(o, day(2), t(12)).unwrap();
        let account = p.account(a).unwrap();
        assert_eq!(account.name, "Analytical Engines");
        assert_eq!(account.customer_since, day(2));
        assert_eq!(account.won_deals, vec![o]);

        let again = p.open_opportunity_for_account(a, "Support", t(13)).unwrap();
        assert_eq!(p.opportunity(again).unwrap().account, Some(a));
        let mut draft = form(&p, again);
        draft.terms.currency = Currency::EUR;
        draft.terms.amount = "1,000".into();
        save(&mut p, again, &draft, 14);
        assert_eq!(p.mark_won(again, day(3), t(15)).unwrap(), a);
        assert_eq!(
            p.lifetime_value(a),
            vec![
                Money::new(1_250_050, Currency::NOK),
                Money::new(100_000, Currency::EUR)
            ]
        );

        p.reopen_opportunity(again, t(16)).unwrap();
        assert_eq!(
            p.lifetime_value(a),
            vec![Money::new(1_250_050, Currency::NOK)]
        );
        assert_eq!(p.opportunity(again).unwrap().stage(), Stage::NeedsAnalysis);
    }

    #[test]
    fn a_lost_deal_keeps_its_reason_and_note_and_can_be_reopened() {
        let mut p = Pipeline::new();
        let o = deal(&mut p, "Ada", "", "Website");
        p.move_stage(o, Stage::Proposal, t(10)).unwrap();
        let reason = LostReason::from_choice("price").unwrap();
        p.mark_lost(o, reason, " Too dear ", day(4), t(11)).unwrap();
        assert_eq!(
            LostReason::from_choice("")
                .unwrap_err()
                .message(Field::LostReason)
                .as_deref(),
            Some("Choose why the deal was lost")
        );
        let lost = p.opportunity(o).unwrap();
        assert_eq!(lost.stage(), Stage::Lost);
        assert_eq!(p.reopen_opportunity(o, t(12)).unwrap(), Stage::Proposal);
    }

    /// The pipeline the end-to-end tests of these screens start from
    /// (tests/e2e/opportunities.spec.ts) must load as stored data.
    #[test]
    fn the_end_to_end_seed_loads() {
        let raw = include_str!("../../tests/fixtures/opportunities/pipeline.json");
        let loaded = match crate::storage::decode::<Pipeline>(raw) {
            Ok(loaded) => loaded,
            Err(problem) => panic!("the seed does not load: {problem:?}"),
        };
        let p = loaded.data;
        assert_eq!(p.search_opportunities("", &[]).len(), 3);
        // Stored before devices: its old number still finds it.
        let navy = p.search_opportunities("navy", &[]);
        assert_eq!(navy.len(), 1);
        assert_eq!(p.opportunity(OpportunityId(6)).map(|o| o.id), Some(navy[0]));
        let probabilities: Vec<u8> = p.opportunities().iter().map(|o| o.probability()).collect();
        assert_eq!(probabilities, vec![20, 40, 70]);
        assert!(p.accounts().is_empty());
    }
}

#[cfg(test)]
mod kept_proptests {
    use crate::domain::proptests::{apply, cmd};
    use crate::domain::{sample, Stage, OPEN_STAGES};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// A search answer said to be still the answer after a change
        /// (a command or Undo) is what searching again finds; and a deal
        /// moved between stages on an unfiltered list keeps the answer.
        #[test]
        fn an_answer_kept_after_a_change_is_the_answer(
            seed in any::<u64>(),
            size in 2usize..14,
            query in prop::sample::select(vec!["", "a", "an e", "zz"]),
            open_only in any::<bool>(),
            steps in prop::collection::vec((cmd(), prop::bool::weighted(0.2)), 1..60),
        ) {
            let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
            let mut p = sample::generate(seed, size, size, start);
            let stages: Vec<Stage> = if open_only { OPEN_STAGES.to_vec() } else { Vec::new() };
            let mut found = p.search_opportunities(query, &stages);
            for (i, (c, undo)) in steps.iter().enumerate() {
                let seen = p.revision();
                let _ = apply(&mut p, c, i);
                if *undo {
                    let _ = p.undo();
                }
                let again = p.search_opportunities(query, &stages);
                if p.opportunities_found_still(seen, &found, query, &stages) {
                    prop_assert_eq!(&found, &again, "after {:?}", c);
                }
                found = again;
            }
        }
    }

    #[test]
    fn a_stage_move_keeps_the_answer_of_an_unfiltered_list() {
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
        let mut p = sample::generate(7, 40, 40, start);
        let found = p.search_opportunities("", &[]);
        let open = p.search_opportunities("", &OPEN_STAGES);
        let (deal, from) = p
            .opportunities()
            .iter()
            .find(|o| o.stage().is_open() && o.stage() != Stage::Negotiation)
            .map(|o| (o.id, o.stage()))
            .unwrap();
        let was_there = p.search_opportunities("", &[from]);
        let later = p.opportunity(deal).unwrap().updated_at() + chrono::Duration::hours(1);
        let seen = p.revision();
        assert!(p.move_stage(deal, Stage::Negotiation, later).unwrap());
        assert!(p.opportunities_found_still(seen, &found, "", &[]));
        assert!(p.opportunities_found_still(seen, &open, "", &OPEN_STAGES));
        assert!(
            !p.opportunities_found_still(seen, &was_there, "", &[from]),
            "it left the list of its old stage"
        );
        assert!(
            !p.opportunities_found_still(p.revision(), &found[1..], "", &[]),
            "a list that was wrong is searched again"
        );
    }
}
