//! Funnel, forecast and searches over the sample data set: 10,000 contacts
//! (each a lead) with 4,000 opportunities, and ten times that.
//! Target (DESIGN.md §5): funnel and forecast over 10,000 records <= 5 ms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use leadline::domain::reports::{funnel_report, weighted_forecast, Period};
use leadline::domain::{sample, DeviceId, OpportunityId, Pipeline, Stage, OPEN_STAGES};
use leadline::storage::{decode_stored, encode};
use std::hint::black_box;

/// The first deal in Needs analysis: the card the board's move benches move.
fn first_needing_analysis(p: &Pipeline) -> OpportunityId {
    p.opportunities()
        .iter()
        .find(|o| o.stage() == Stage::NeedsAnalysis)
        .map(|o| o.id)
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2025, 6, 16).unwrap_or_default();
    for (contacts, opportunities) in [(10_000, 4_000), (100_000, 40_000)] {
        let p = sample::generate(1, contacts, opportunities, today);
        let mut g = c.benchmark_group(format!("{contacts} contacts"));
        // Everything the Funnel screen shows for a period, in one pass.
        g.bench_function(BenchmarkId::new("funnel report", "all time"), |b| {
            b.iter(|| funnel_report(black_box(&p), Period::AllTime, today))
        });
        g.bench_function(BenchmarkId::new("funnel report", "last 12 months"), |b| {
            b.iter(|| funnel_report(black_box(&p), Period::Last12Months, today))
        });
        g.bench_function("weighted forecast", |b| {
            b.iter(|| weighted_forecast(black_box(&p)))
        });
        for query in ["hansen", "nordlys data", "øystein", "zzz"] {
            g.bench_function(BenchmarkId::new("search", query), |b| {
                b.iter(|| black_box(&p).search_contacts(black_box(query)))
            });
            g.bench_function(BenchmarkId::new("search leads", query), |b| {
                b.iter(|| black_box(&p).search_leads(black_box(query), None))
            });
        }
        for query in ["nordlys", "zzz"] {
            g.bench_function(BenchmarkId::new("search opportunities", query), |b| {
                b.iter(|| black_box(&p).search_opportunities(black_box(query), &[]))
            });
            g.bench_function(BenchmarkId::new("search accounts", query), |b| {
                b.iter(|| black_box(&p).search_accounts(black_box(query)))
            });
        }
        g.bench_function("open opportunities", |b| {
            b.iter(|| black_box(&p).search_opportunities("", black_box(&OPEN_STAGES)))
        });
        // What a card moved on the board costs before the page redraws: the
        // command (with its undo step and change clocks), the board's list
        // and its columns.
        let all = p.search_opportunities("", &[]);
        g.bench_function("board", |b| b.iter(|| black_box(&p).board(&all, &[])));
        let id = first_needing_analysis(&p);
        g.bench_function("stage move command", |b| {
            b.iter_batched_ref(
                || p.clone(),
                |p| {
                    p.move_stage(id, Stage::Proposal, chrono::Utc::now())
                        .unwrap()
                },
                BatchSize::LargeInput,
            )
        });
        // The same move on a device (its fields get change clocks), of a deal
        // whose timeline already holds a hundred moves.
        let mut busy = sample::generate_on(Some(DeviceId(7)), 1, contacts, opportunities, today);
        let now = chrono::Utc::now();
        let deal = first_needing_analysis(&busy);
        for k in 0..100 {
            let to = [Stage::Proposal, Stage::NeedsAnalysis][k % 2];
            busy.move_stage(deal, to, now).unwrap();
        }
        g.bench_function("stage move command, on a device, busy deal", |b| {
            b.iter_batched_ref(
                || busy.clone(),
                |p| p.move_stage(deal, Stage::Proposal, now).unwrap(),
                BatchSize::LargeInput,
            )
        });
        g.finish();
    }
    // Reading the stored pipeline at start (the packed envelope, records
    // with their change clocks as made on a device).
    let p = sample::generate_on(Some(DeviceId(7)), 1, 10_000, 4_000, today);
    let stored = encode(&p, 1, chrono::DateTime::UNIX_EPOCH).unwrap();
    c.bench_function("10000 contacts/read the stored pipeline", |b| {
        b.iter(|| decode_stored::<Pipeline>(black_box(&stored)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
