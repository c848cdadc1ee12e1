//! Properties that must hold after any sequence of commands, and for any
//! amount of money.

use super::contact::{ContactDraft, ContactKind, Source};
use super::ids::ContactId;
use super::lead::{Criterion, DisqualifyReason, LeadStatus};
use super::money::{format_amount, format_money, parse_amount, Currency, Money, NumberLocale};
use super::opportunity::{DealTerms, LostReason, Stage};
use super::pipeline::{Pipeline, RecordRef};
use super::reports::{funnel_report, weighted_forecast, Period};
use super::sample;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub(super) enum Cmd {
    AddContact {
        name: u8,
        org: u8,
        source: u8,
        organisation: bool,
    },
    UpdateContact {
        pick: usize,
        title: u8,
    },
    DeleteContact {
        pick: usize,
    },
    MakeLead {
        pick: usize,
    },
    MarkContacted {
        pick: usize,
    },
    SetCriterion {
        pick: usize,
        criterion: u8,
        checked: bool,
    },
    Qualify {
        pick: usize,
    },
    Disqualify {
        pick: usize,
        reason: u8,
    },
    ReopenLead {
        pick: usize,
    },
    Convert {
        pick: usize,
    },
    OpenForAccount {
        pick: usize,
    },
    MoveStage {
        pick: usize,
        stage: u8,
    },
    SetAmount {
        pick: usize,
        minor: i64,
        currency: u8,
    },
    SetProbability {
        pick: usize,
        probability: Option<u8>,
    },
    MarkWon {
        pick: usize,
    },
    MarkLost {
        pick: usize,
        reason: u8,
    },
    ReopenOpportunity {
        pick: usize,
    },
    AddNote {
        pick: usize,
        target: u8,
    },
    JoinAccount {
        account: usize,
        contact: usize,
    },
    AddSource {
        name: u8,
    },
}

pub(super) fn cmd() -> impl Strategy<Value = Cmd> {
    // Mostly the newest records, so successive commands work on the same
    // lead or deal and reach deep states; sometimes any record.
    let p = prop_oneof![6 => Just(0usize), 2 => Just(1usize), 1 => any::<usize>()];
    let gate_first = prop_oneof![4 => 0u8..3, 1 => any::<u8>()];
    prop_oneof![
        3 => (any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(name, org, source, organisation)| Cmd::AddContact { name, org, source, organisation }),
        1 => (p.clone(), any::<u8>()).prop_map(|(pick, title)| Cmd::UpdateContact { pick, title }),
        1 => p.clone().prop_map(|pick| Cmd::DeleteContact { pick }),
        2 => p.clone().prop_map(|pick| Cmd::MakeLead { pick }),
        2 => p.clone().prop_map(|pick| Cmd::MarkContacted { pick }),
        8 => (p.clone(), gate_first, prop::bool::weighted(0.85)).prop_map(|(pick, criterion, checked)| Cmd::SetCriterion { pick, criterion, checked }),
        4 => p.clone().prop_map(|pick| Cmd::Qualify { pick }),
        1 => (p.clone(), any::<u8>()).prop_map(|(pick, reason)| Cmd::Disqualify { pick, reason }),
        1 => p.clone().prop_map(|pick| Cmd::ReopenLead { pick }),
        3 => p.clone().prop_map(|pick| Cmd::Convert { pick }),
        1 => p.clone().prop_map(|pick| Cmd::OpenForAccount { pick }),
        2 => (p.clone(), any::<u8>()).prop_map(|(pick, stage)| Cmd::MoveStage { pick, stage }),
        3 => (p.clone(), -5i64..2_000_000, any::<u8>()).prop_map(|(pick, minor, currency)| Cmd::SetAmount { pick, minor, currency }),
        1 => (p.clone(), proptest::option::of(0u8..=120)).prop_map(|(pick, probability)| Cmd::SetProbability { pick, probability }),
        3 => p.clone().prop_map(|pick| Cmd::MarkWon { pick }),
        2 => (p.clone(), any::<u8>()).prop_map(|(pick, reason)| Cmd::MarkLost { pick, reason }),
        2 => p.clone().prop_map(|pick| Cmd::ReopenOpportunity { pick }),
        1 => (p.clone(), any::<u8>()).prop_map(|(pick, target)| Cmd::AddNote { pick, target }),
        1 => (p.clone(), p).prop_map(|(account, contact)| Cmd::JoinAccount { account, contact }),
        1 => any::<u8>().prop_map(|name| Cmd::AddSource { name }),
    ]
}

const NAMES: [&str; 6] = ["Ada", "Grace", "Øystein", "Alan", "Mei", "Björn"];
const ORGS: [&str; 4] = ["", "Fjord AS", "fjord as", "Nova Labs"];

pub(super) fn at(step: usize) -> DateTime<Utc> {
    Utc.timestamp_opt(1_735_689_600 + step as i64 * 3_600 * 7, 0)
        .single()
        .unwrap_or_default()
}

/// Counts from the newest record.
fn nth<T>(items: &[T], pick: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[items.len() - 1 - pick % items.len()])
}

/// Applies one command; `Ok` if it was accepted, `Err` if refused.
pub(super) fn apply(p: &mut Pipeline, c: &Cmd, step: usize) -> Result<(), String> {
    let now = at(step);
    let today: NaiveDate = now.date_naive();
    let none = || "nothing to pick".to_owned();
    let r = match c {
        Cmd::AddContact {
            name,
            org,
            source,
            organisation,
        } => {
            let mut sources = p.sources();
            sources.push(Source::Custom("Brand new".into()));
            let draft = ContactDraft {
                name: NAMES[*name as usize % NAMES.len()].to_owned(),
                kind: if *organisation {
                    ContactKind::Organisation
                } else {
                    ContactKind::Person
                },
                organisation: ORGS[*org as usize % ORGS.len()].to_owned(),
                source: sources[*source as usize % sources.len()].clone(),
                ..ContactDraft::default()
            };
            let fields = draft.validate().map_err(|e| e.to_string())?;
            p.add_contact(fields, now).map(drop)
        }
        Cmd::UpdateContact { pick, title } => {
            let id = nth(p.contacts(), *pick).ok_or_else(none)?.id;
            let mut f = p.contact(id).ok_or_else(none)?.fields();
            f.title = format!("T{}", title % 3);
            p.update_contact(id, f, now).map(drop)
        }
        Cmd::DeleteContact { pick } => {
            let id = nth(p.contacts(), *pick).ok_or_else(none)?.id;
            p.delete_contact(id, now)
        }
        Cmd::MakeLead { pick } => {
            let id = nth(p.contacts(), *pick).ok_or_else(none)?.id;
            p.make_lead(id, now).map(drop)
        }
        Cmd::MarkContacted { pick } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            p.mark_contacted(id, now)
        }
        Cmd::SetCriterion {
            pick,
            criterion,
            checked,
        } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            let c = Criterion::ALL[*criterion as usize % 4];
            p.set_criterion(id, c, *checked, now).map(drop)
        }
        Cmd::Qualify { pick } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            p.qualify(id, now)
        }
        Cmd::Disqualify { pick, reason } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            let r = DisqualifyReason::ALL[*reason as usize % DisqualifyReason::ALL.len()];
            p.disqualify(id, r, "", now)
        }
        Cmd::ReopenLead { pick } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            p.reopen_lead(id, now)
        }
        Cmd::Convert { pick } => {
            let id = nth(p.leads(), *pick).ok_or_else(none)?.id;
            p.convert_lead(id, "", now).map(drop)
        }
        Cmd::OpenForAccount { pick } => {
            let id = nth(p.accounts(), *pick).ok_or_else(none)?.id;
            p.open_opportunity_for_account(id, "Repeat", now).map(drop)
        }
        Cmd::MoveStage { pick, stage } => {
            let id = nth(p.opportunities(), *pick).ok_or_else(none)?.id;
            let s = Stage::ALL[*stage as usize % Stage::ALL.len()];
            p.move_stage(id, s, now).map(drop)
        }
        Cmd::SetAmount {
            pick,
            minor,
            currency,
        } => {
            let o = nth(p.opportunities(), *pick).ok_or_else(none)?;
            let id = o.id;
            let c = Currency::ALL[*currency as usize % Currency::ALL.len()];
            let terms = DealTerms {
                amount: Some(Money::new(*minor, c)),
                currency: c,
                expected_close: (minor % 3 != 0)
                    .then(|| today + chrono::Days::new((*minor % 90) as u64)),
                ..o.terms.clone()
            };
            p.update_terms(id, terms, now).map(drop)
        }
        Cmd::SetProbability { pick, probability } => {
            let id = nth(p.opportunities(), *pick).ok_or_else(none)?.id;
            p.set_probability(id, *probability, now).map(drop)
        }
        Cmd::MarkWon { pick } => {
            let id = nth(p.opportunities(), *pick).ok_or_else(none)?.id;
            p.mark_won(id, today, now).map(drop)
        }
        Cmd::MarkLost { pick, reason } => {
            let id = nth(p.opportunities(), *pick).ok_or_else(none)?.id;
            let r = LostReason::ALL[*reason as usize % LostReason::ALL.len()];
            p.mark_lost(id, r, "", today, now)
        }
        Cmd::ReopenOpportunity { pick } => {
            let id = nth(p.opportunities(), *pick).ok_or_else(none)?.id;
            p.reopen_opportunity(id, now).map(drop)
        }
        Cmd::AddNote { pick, target } => {
            let target = match target % 4 {
                0 => RecordRef::Contact(nth(p.contacts(), *pick).ok_or_else(none)?.id),
                1 => RecordRef::Lead(nth(p.leads(), *pick).ok_or_else(none)?.id),
                2 => RecordRef::Opportunity(nth(p.opportunities(), *pick).ok_or_else(none)?.id),
                _ => RecordRef::Account(nth(p.accounts(), *pick).ok_or_else(none)?.id),
            };
            p.add_note(target, "Spoke on the phone", now)
        }
        Cmd::JoinAccount { account, contact } => {
            let a = nth(p.accounts(), *account).ok_or_else(none)?.id;
            let c: ContactId = nth(p.contacts(), *contact).ok_or_else(none)?.id;
            p.add_contact_to_account(a, c, now).map(drop)
        }
        Cmd::AddSource { name } => p
            .add_source(["Podcast", "Fair", "podcast"][*name as usize % 3])
            .map(drop),
    };
    r.map_err(|e| e.to_string())
}

fn json(p: &Pipeline) -> String {
    crate::domain::stored::to_json(p)
}

/// What must hold of the Funnel screen's figures for any data and period.
fn check_report(p: &Pipeline, period: Period, today: NaiveDate) -> Result<(), TestCaseError> {
    let r = funnel_report(p, period, today);
    let counts = r.funnel.counts();
    prop_assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    prop_assert!(counts[0] as usize <= p.contacts().len());
    for (i, total) in counts.iter().enumerate() {
        let sum: u32 = r.by_source.iter().map(|s| s.funnel.steps[i].count).sum();
        prop_assert_eq!(sum, *total);
    }
    let closed = p
        .opportunities()
        .iter()
        .filter(|o| {
            o.status
                .closed_on()
                .is_some_and(|d| period.contains(d, today))
        })
        .count();
    prop_assert_eq!(r.win_rate.den as usize, closed);
    prop_assert_eq!(
        r.opportunity_to_close.map_or(0, |a| a.count) as usize,
        closed
    );
    Ok(())
}

fn check_invariants(p: &Pipeline, today: NaiveDate) -> Result<(), TestCaseError> {
    prop_assert!(p.check_integrity().is_ok(), "{:?}", p.check_integrity());
    for l in p.leads() {
        if l.status == LeadStatus::Qualified {
            prop_assert!(
                l.checklist.gate_holds(),
                "qualified lead {} fails the gate",
                l.id
            );
        }
        if let LeadStatus::Converted { opportunity } = l.status {
            let o = p.opportunity(opportunity);
            prop_assert!(o.is_some_and(|o| o.lead == Some(l.id)), "lead {}", l.id);
        }
    }
    for period in [Period::AllTime, Period::ThisMonth] {
        check_report(p, period, today)?;
    }
    let forecast = weighted_forecast(p);
    for b in &forecast.buckets {
        prop_assert!(b.weighted.minor <= b.total.minor);
        prop_assert_eq!(b.weighted.currency, b.total.currency);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_command_sequence_keeps_every_invariant(
        seed in any::<u64>(),
        size in 0usize..12,
        cmds in prop::collection::vec(cmd(), 1..80),
    ) {
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
        let mut p = sample::generate(seed, size, size / 2, start);
        for (i, c) in cmds.iter().enumerate() {
            let before = json(&p);
            if apply(&mut p, c, i).is_err() {
                prop_assert_eq!(&json(&p), &before, "a refused {:?} changed data", c);
            }
            check_invariants(&p, at(i).date_naive())?;
        }
        let text = json(&p);
        let back: Pipeline = crate::domain::stored::from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(back == p);
        prop_assert_eq!(json(&back), text);
    }

    #[test]
    fn commands_near_the_last_record_number_never_break_integrity(
        seed in any::<u64>(),
        left in 0u64..6,
        cmds in prop::collection::vec(cmd(), 1..40),
    ) {
        // A pipeline (as an import could bring) whose numbers are nearly
        // used up: commands that need a number are refused, never wrap.
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
        let mut data = sample::generate(seed, 4, 2, start).data().clone();
        data.next_id = u64::MAX - left;
        let mut p = Pipeline::from_data(data).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (i, c) in cmds.iter().enumerate() {
            let before = json(&p);
            if apply(&mut p, c, i).is_err() {
                prop_assert_eq!(&json(&p), &before, "a refused {:?} changed data", c);
            }
            check_invariants(&p, at(i).date_naive())?;
            prop_assert!(p.next_id() >= u64::MAX - left);
        }
        // And it saves and loads as it is.
        let back: Pipeline = crate::domain::stored::from_json(&json(&p)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(back == p);
    }

    #[test]
    fn undo_returns_to_exactly_every_earlier_state(
        seed in any::<u64>(),
        size in 0usize..8,
        cmds in prop::collection::vec(cmd(), 1..45),
    ) {
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
        let mut p = sample::generate(seed, size, size / 2, start);
        let mut states = vec![json(&p)];
        for (i, c) in cmds.iter().enumerate() {
            let before = json(&p);
            let accepted = apply(&mut p, c, i).is_ok();
            let after = json(&p);
            if accepted && after != before {
                states.push(after);
            } else {
                prop_assert_eq!(after, before);
            }
        }
        states.pop();
        while let Some(expected) = states.pop() {
            prop_assert!(p.undo().is_ok());
            prop_assert_eq!(json(&p), expected);
            prop_assert!(p.check_integrity().is_ok());
        }
        prop_assert!(!p.can_undo());
    }

    #[test]
    fn the_funnel_report_holds_together_for_every_period(
        seed in any::<u64>(),
        contacts in 0usize..400,
        share in 0usize..=100,
        from in 0u64..800,
        days in 0u64..400,
    ) {
        let today = NaiveDate::from_ymd_opt(2025, 6, 16).unwrap_or_default();
        let p = sample::generate(seed, contacts, contacts * share / 100, today);
        let start = today - chrono::Days::new(from);
        let custom = Period::Custom { from: start, to: start + chrono::Days::new(days) };
        for period in Period::PRESETS.into_iter().chain([custom]) {
            check_report(&p, period, today)?;
        }
    }

    #[test]
    fn money_arithmetic_never_loses_a_minor_unit(
        parts in prop::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 0..50),
        c in 0usize..8,
    ) {
        let currency = Currency::ALL[c];
        let mut total = Money::zero(currency);
        for m in &parts {
            total = total.checked_add(Money::new(*m, currency)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(i128::from(total.minor), parts.iter().map(|m| i128::from(*m)).sum::<i128>());
        let mut back = total;
        for m in parts.iter().rev() {
            back = back.checked_sub(Money::new(*m, currency)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(back, Money::zero(currency));
    }

    #[test]
    fn percent_rounds_to_the_nearest_minor_unit(minor in any::<i64>(), p in 0u8..=100) {
        let exact = i128::from(minor) * i128::from(p);
        let got = i128::from(Money::new(minor, Currency::NOK).percent(p).minor) * 100;
        prop_assert!((got - exact).abs() <= 50, "{minor} at {p}%");
        prop_assert!(got.abs() <= i128::from(minor).abs() * 100);
    }

    #[test]
    fn formatted_money_parses_back_exactly(minor in 0i64..=i64::MAX, c in 0usize..8) {
        let m = Money::new(minor, Currency::ALL[c]);
        for locale in [NumberLocale::English, NumberLocale::Norwegian] {
            prop_assert_eq!(parse_amount(&format_amount(m, locale), m.currency, locale), Ok(m));
            prop_assert_eq!(parse_amount(&format_money(m, locale), m.currency, locale), Ok(m));
        }
    }

    #[test]
    fn parsing_never_panics_and_never_yields_negative(text in "[0-9 ,.\\-kKrR€$\u{a0}]{0,16}", c in 0usize..8) {
        for locale in [NumberLocale::English, NumberLocale::Norwegian] {
            if let Ok(m) = parse_amount(&text, Currency::ALL[c], locale) {
                prop_assert!(m.minor >= 0);
            }
        }
    }
}

/// The command generator must reach deep states (conversions, wins, losses,
/// deletes), or the properties above would prove little.
#[test]
fn random_commands_reach_every_kind_of_change() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default();
    let mut accepted = std::collections::HashMap::<String, usize>::new();
    for run in 0..40 {
        let mut p = sample::generate(run, 4, 2, start);
        let cmds = prop::collection::vec(cmd(), 60)
            .new_tree(&mut runner)
            .map(|t| t.current())
            .unwrap_or_default();
        for (i, c) in cmds.iter().enumerate() {
            if apply(&mut p, c, i).is_ok() {
                let name = format!("{c:?}");
                let kind = name.split([' ', '{']).next().unwrap_or("").to_owned();
                *accepted.entry(kind).or_default() += 1;
            }
        }
    }
    for kind in [
        "AddContact",
        "DeleteContact",
        "MakeLead",
        "Qualify",
        "Disqualify",
        "ReopenLead",
        "Convert",
        "MoveStage",
        "MarkWon",
        "MarkLost",
        "ReopenOpportunity",
        "OpenForAccount",
        "JoinAccount",
    ] {
        assert!(
            accepted.get(kind).copied().unwrap_or(0) >= 3,
            "{kind}: {accepted:?}"
        );
    }
}
