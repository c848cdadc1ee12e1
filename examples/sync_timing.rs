// Times the replicator's local steps on the benchmark's data set (10,000
// contacts, 4,000 opportunities): the documents of the whole pipeline, the
// same after one change (remembered per record), merging a document this
// copy already has, and merging a contact added on another device (the
// live case, three times).
//
//   cargo run --release --example sync_timing
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use leadline::domain::sample::generate_on;
use leadline::domain::DeviceId;
use leadline::sync::docs::{assemble, DocCache};

fn main() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let mut p = generate_on(Some(DeviceId(7)), 1, 10_000, 4_000, day);
    let mut cache = DocCache::default();
    let t = Instant::now();
    let docs = cache.documents_of(&p);
    println!("documents, first time: {} in {:?}", docs.len(), t.elapsed());
    let Some(id) = p.contacts().first().map(|c| c.id) else {
        return;
    };
    let Some(mut fields) = p.contact(id).map(|c| c.fields()) else {
        return;
    };
    fields.name = "Renamed".into();
    let _ = p.update_contact(id, fields, Utc::now());
    let t = Instant::now();
    let docs = cache.documents_of(&p);
    println!(
        "documents after one change: {} in {:?}",
        docs.len(),
        t.elapsed()
    );
    let one: Vec<_> = docs
        .iter()
        .filter(|d| d.id.starts_with("contact:"))
        .take(1)
        .map(|d| (**d).clone())
        .collect();
    let Ok(part) = assemble(p.data(), &one) else {
        return;
    };
    let mut q = p.clone();
    let t = Instant::now();
    let _ = q.merge_synced(&part.data, Utc::now());
    println!("merging one document it has: {:?}", t.elapsed());

    // The live case: a contact added on another device arrives.
    let mut other = p.clone();
    let fields = leadline::domain::ContactFields {
        name: "Arrived".into(),
        ..Default::default()
    };
    let Ok(new) = other.add_contact(fields, Utc::now()) else {
        return;
    };
    let docs = cache.documents_of(&other);
    let key = format!("contact:{}", leadline::domain::ids::format_key(new.0));
    let arrived: Vec<_> = docs
        .iter()
        .filter(|d| d.id == key || d.record_of_event() == Some(key.as_str()))
        .map(|d| (**d).clone())
        .collect();
    let Ok(part) = assemble(p.data(), &arrived) else {
        return;
    };
    for _ in 0..3 {
        let mut q = p.clone();
        let t = Instant::now();
        let _ = q.merge_synced(&part.data, Utc::now());
        println!(
            "merging a new contact ({} documents): {:?}",
            arrived.len(),
            t.elapsed()
        );
    }
}
