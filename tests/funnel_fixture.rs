//! The Funnel end-to-end test's seed, `tests/fixtures/e2e/funnel.json`, is
//! built here through the real pipeline commands, and checked to give the
//! numbers `tests/e2e/funnel.spec.ts` expects.
//!
//! To write the fixture again after a change to the stored format:
//! `LEADLINE_WRITE_FUNNEL_FIXTURE=1 cargo test --test funnel_fixture`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use leadline::domain::reports::{
    average_days_lead_to_opportunity, average_days_opportunity_to_close, average_deal_size,
    drop_off, funnel, funnel_by_source, weighted_forecast, win_rate,
};
use leadline::domain::{
    ContactDraft, ContactId, Criterion, Currency, DealTerms, DisqualifyReason, LeadId, LostReason,
    Money, NumberLocale, OpportunityId, Period, Pipeline, Source, Stage,
};
use leadline::storage::{decode, Loaded};

const FIXTURE: &str = include_str!("fixtures/e2e/funnel.json");
const PATH: &str = "tests/fixtures/e2e/funnel.json";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real day")
}

fn at(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(10, 0, 0).expect("a real time"))
}

fn contact(p: &mut Pipeline, name: &str, source: Source, on: NaiveDate) -> ContactId {
    let fields = ContactDraft {
        name: name.into(),
        source,
        ..ContactDraft::default()
    }
    .validate()
    .expect("valid contact");
    p.add_contact(fields, at(on)).expect("contact added")
}

fn qualified_lead(
    p: &mut Pipeline,
    c: ContactId,
    on: NaiveDate,
    qualified_on: NaiveDate,
) -> LeadId {
    let l = p.make_lead(c, at(on)).expect("lead");
    p.mark_contacted(l, at(on)).expect("contacted");
    for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        p.set_criterion(l, k, true, at(qualified_on))
            .expect("criterion");
    }
    p.qualify(l, at(qualified_on)).expect("qualified");
    l
}

fn opportunity(
    p: &mut Pipeline,
    l: LeadId,
    name: &str,
    on: NaiveDate,
    amount: Money,
    expected_close: NaiveDate,
) -> OpportunityId {
    let o = p.convert_lead(l, name, at(on)).expect("converted");
    let terms = DealTerms {
        amount: Some(amount),
        currency: amount.currency,
        expected_close: Some(expected_close),
        ..DealTerms::default()
    };
    p.update_terms(o, terms, at(on)).expect("terms");
    o
}

/// Ten contacts (six from Website, four from Referral) in two batches
/// (March and September 2025), six leads, four qualified, three
/// opportunities: one won (NOK 120,000.00), one lost (Price), one open
/// (Proposal, 40% of EUR 50,000.00, expected to close in January 2026).
/// One lead is disqualified (No budget).
fn scenario() -> Pipeline {
    let mut p = Pipeline::new();
    let march = d(2025, 3, 10);
    let september = d(2025, 9, 15);
    let w1 = contact(&mut p, "Wenche Aas", Source::Website, march);
    let w2 = contact(&mut p, "Willy Berg", Source::Website, march);
    let w3 = contact(&mut p, "Wilma Dahl", Source::Website, march);
    let _w4 = contact(&mut p, "Wiktor Eide", Source::Website, march);
    let r1 = contact(&mut p, "Rita Fjeld", Source::Referral, march);
    let r2 = contact(&mut p, "Rune Gran", Source::Referral, march);
    let w5 = contact(&mut p, "Wanda Hauge", Source::Website, september);
    let _w6 = contact(&mut p, "Werner Iversen", Source::Website, september);
    let _r3 = contact(&mut p, "Randi Jensen", Source::Referral, september);
    let _r4 = contact(&mut p, "Roar Kvam", Source::Referral, september);

    let lw1 = qualified_lead(&mut p, w1, d(2025, 3, 12), d(2025, 3, 20));
    let lr1 = qualified_lead(&mut p, r1, d(2025, 3, 12), d(2025, 3, 20));
    let _lr2 = qualified_lead(&mut p, r2, d(2025, 3, 12), d(2025, 3, 25));
    let lw2 = p.make_lead(w2, at(d(2025, 3, 12))).expect("lead");
    p.disqualify(
        lw2,
        DisqualifyReason::NoBudget,
        "Next year, maybe",
        at(d(2025, 3, 18)),
    )
    .expect("disqualified");
    let lw3 = p.make_lead(w3, at(d(2025, 3, 12))).expect("lead");
    p.mark_contacted(lw3, at(d(2025, 3, 14)))
        .expect("contacted");
    let lw5 = qualified_lead(&mut p, w5, d(2025, 9, 16), d(2025, 9, 22));

    let lost = opportunity(
        &mut p,
        lw1,
        "Aas web shop",
        d(2025, 4, 1),
        Money::new(8_000_000, Currency::NOK),
        d(2025, 5, 31),
    );
    p.mark_lost(
        lost,
        LostReason::Price,
        "",
        d(2025, 5, 20),
        at(d(2025, 5, 20)),
    )
    .expect("lost");
    let won = opportunity(
        &mut p,
        lr1,
        "Fjeld rollout",
        d(2025, 4, 1),
        Money::new(12_000_000, Currency::NOK),
        d(2025, 5, 31),
    );
    p.mark_won(won, d(2025, 5, 15), at(d(2025, 5, 15)))
        .expect("won");
    let open = opportunity(
        &mut p,
        lw5,
        "Hauge migration",
        d(2025, 10, 1),
        Money::new(5_000_000, Currency::EUR),
        d(2026, 1, 30),
    );
    p.move_stage(open, Stage::Proposal, at(d(2025, 10, 2)))
        .expect("proposal");
    p
}

fn generated() -> String {
    let text =
        leadline::storage::encode_pretty(&scenario(), 1, at(d(2025, 10, 2))).expect("encodes");
    format!("{text}\n")
}

#[test]
fn funnel_fixture_is_what_the_domain_writes() {
    let text = generated();
    if std::env::var_os("LEADLINE_WRITE_FUNNEL_FIXTURE").is_some() {
        std::fs::write(PATH, &text).expect("fixture written");
        return;
    }
    assert_eq!(
        FIXTURE, text,
        "re-run with LEADLINE_WRITE_FUNNEL_FIXTURE=1 to write {PATH}"
    );
}

fn loaded() -> Pipeline {
    let loaded: Loaded<Pipeline> = match decode(FIXTURE) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("the funnel fixture does not load: {problem:?}"),
    };
    loaded.data
}

fn rates(p: &Pipeline, period: Period) -> Vec<(u32, String, String)> {
    funnel(p, period, d(2026, 1, 1))
        .steps
        .iter()
        .map(|s| {
            (
                s.count,
                s.from_previous.format(NumberLocale::English),
                s.from_top.format(NumberLocale::English),
            )
        })
        .collect()
}

/// The numbers `tests/e2e/funnel.spec.ts` checks on screen.
#[test]
fn funnel_fixture_gives_the_numbers_the_e2e_test_expects() {
    let p = loaded();
    let today = d(2026, 1, 1);
    let s = |n: u32, a: &str, b: &str| (n, a.to_owned(), b.to_owned());
    assert_eq!(
        rates(&p, Period::AllTime),
        vec![
            s(10, "100.0%", "100.0%"),
            s(6, "60.0%", "60.0%"),
            s(4, "66.7%", "40.0%"),
            s(3, "75.0%", "30.0%"),
            s(1, "33.3%", "10.0%"),
        ]
    );
    let september = Period::Custom {
        from: d(2025, 9, 1),
        to: d(2025, 9, 30),
    };
    assert_eq!(
        rates(&p, september),
        vec![
            s(4, "100.0%", "100.0%"),
            s(1, "25.0%", "25.0%"),
            s(1, "100.0%", "25.0%"),
            s(1, "100.0%", "25.0%"),
            s(0, "0.0%", "0.0%"),
        ]
    );
    let by = funnel_by_source(&p, Period::AllTime, today);
    let counts = |src: Source| {
        by.iter()
            .find(|f| f.source == src)
            .map(|f| f.funnel.counts())
            .expect("source listed")
    };
    assert_eq!(counts(Source::Website), [6, 4, 2, 2, 0]);
    assert_eq!(counts(Source::Referral), [4, 2, 2, 1, 1]);
    let website = &by
        .iter()
        .find(|f| f.source == Source::Website)
        .expect("w")
        .funnel;
    let referral = &by
        .iter()
        .find(|f| f.source == Source::Referral)
        .expect("r")
        .funnel;
    let prev = |f: &leadline::domain::Funnel| {
        f.steps
            .iter()
            .map(|s| s.from_previous.format(NumberLocale::English))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        prev(website),
        ["100.0%", "66.7%", "50.0%", "100.0%", "0.0%"]
    );
    assert_eq!(
        prev(referral),
        ["100.0%", "50.0%", "100.0%", "50.0%", "100.0%"]
    );
    assert_eq!(
        website.steps[4].from_top.format(NumberLocale::English),
        "0.0%"
    );
    assert_eq!(
        referral.steps[4].from_top.format(NumberLocale::English),
        "25.0%"
    );
    assert!(by
        .iter()
        .filter(|f| f.source != Source::Website && f.source != Source::Referral)
        .all(|f| f.funnel.counts() == [0; 5]));

    let drop = drop_off(&p, Period::AllTime, today);
    assert_eq!(
        drop.disqualified
            .iter()
            .filter(|x| x.1 > 0)
            .copied()
            .collect::<Vec<_>>(),
        vec![(DisqualifyReason::NoBudget, 1)]
    );
    assert_eq!(
        drop.lost
            .iter()
            .filter(|x| x.1 > 0)
            .copied()
            .collect::<Vec<_>>(),
        vec![(LostReason::Price, 1)]
    );
    assert_eq!(win_rate(&p, Period::AllTime, today).to_string(), "50.0%");
    assert_eq!(
        average_deal_size(&p, Period::AllTime, today),
        vec![Money::new(12_000_000, Currency::NOK)]
    );
    // 20 + 20 + 15 days over three opportunities.
    let l2o = average_days_lead_to_opportunity(&p, Period::AllTime, today).expect("some");
    assert_eq!((l2o.total_days, l2o.count, l2o.tenths()), (55, 3, 183));
    // 49 (lost, Apr 1 -> May 20) + 44 (won, Apr 1 -> May 15) days.
    let o2c = average_days_opportunity_to_close(&p, Period::AllTime, today).expect("some");
    assert_eq!((o2c.total_days, o2c.count, o2c.tenths()), (93, 2, 465));
    let forecast = weighted_forecast(&p);
    assert_eq!(forecast.buckets.len(), 1);
    assert_eq!(
        forecast.buckets[0].weighted,
        Money::new(2_000_000, Currency::EUR)
    );
    assert_eq!(
        forecast.buckets[0].month.map(|m| m.to_string()).as_deref(),
        Some("2026-01")
    );
}
