//! Merging two devices' copies of 10,000 contacts (each a lead) and 4,000
//! opportunities that differ in 1,000 records. Target: <= 50 ms.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use leadline::domain::{sample, DeviceId, Money, Pipeline};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2025, 6, 16).unwrap_or_default();
    let start = Utc.with_ymd_and_hms(2025, 6, 16, 17, 0, 0).unwrap();
    let base = sample::generate(1, 10_000, 4_000, today);
    let mut phone = Pipeline::new();
    phone.adopt_device(DeviceId(11), "Phone", start);
    phone.merge(base.data(), "base", start).expect("merges");
    let mut laptop = Pipeline::new();
    laptop.adopt_device(DeviceId(22), "Laptop", start);
    laptop.merge(phone.data(), "phone", start).expect("merges");

    // 500 contacts edited on the phone, 400 others on the laptop, and 100
    // opportunities' amounts changed on both.
    let contacts: Vec<_> = phone.contacts().iter().map(|c| c.id).collect();
    for (i, id) in contacts.iter().enumerate().take(900) {
        let (p, at) = if i < 500 {
            (&mut phone, start + Duration::seconds(i as i64))
        } else {
            (&mut laptop, start + Duration::seconds(i as i64 + 7))
        };
        let mut f = p.contact(*id).expect("there").fields();
        f.title = format!("Title {i}");
        p.update_contact(*id, f, at).expect("edits");
    }
    let open: Vec<_> = phone
        .opportunities()
        .iter()
        .filter(|o| o.is_open())
        .map(|o| o.id)
        .take(100)
        .collect();
    for (i, id) in open.iter().enumerate() {
        for (p, minor) in [(&mut phone, 100_000), (&mut laptop, 200_000)] {
            let mut terms = p.opportunity(*id).expect("there").terms.clone();
            terms.amount = Some(Money::new(minor + i as i64, terms.currency));
            p.update_terms(*id, terms, start + Duration::seconds(1_000 + i as i64))
                .expect("prices");
        }
    }
    let summary = phone.merge_preview(laptop.data()).expect("previews");
    println!(
        "merging changes {} records here (the other copy differs in 500 more); {} values changed on both",
        summary.changed.iter().sum::<usize>(),
        summary.conflicts
    );

    let mut g = c.benchmark_group("merge 10,000 contacts");
    g.sample_size(20);
    g.bench_function("preview", |b| {
        b.iter(|| black_box(&phone).merge_preview(black_box(laptop.data())))
    });
    g.bench_function("merge (one undo step)", |b| {
        b.iter_batched(
            || phone.clone(),
            |mut p| p.merge(black_box(laptop.data()), "laptop.json", start),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
