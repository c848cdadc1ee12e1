//! The capacity target (DESIGN.md §5): 10,000 contacts, each a lead, and
//! 4,000 opportunities with their histories fit in one origin's localStorage
//! with room to spare. Run with `--nocapture` to see the figures.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use leadline::domain::{sample, Pipeline, PipelineData};
use leadline::storage::{decode, encode, entry_bytes, Loaded, APP_KEY, QUOTA_ESTIMATE_BYTES};

/// The stored pipeline may use at most this share of the quota, leaving the
/// rest for growth, quarantined copies and other apps on the same origin.
const MAX_PERCENT: u64 = 35;

#[test]
fn the_10k_pipeline_is_stored_in_at_most_35_percent_of_the_quota() {
    let today = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap_or_default();
    let now = Utc
        .with_ymd_and_hms(2025, 6, 2, 9, 30, 0)
        .single()
        .unwrap_or_default();
    let pipeline = sample::generate(42, 10_000, 4_000, today);
    let plain = leadline::storage::to_json(&pipeline).expect("serialises");

    let started = Instant::now();
    let text = match encode(&pipeline, 12, now) {
        Ok(text) => text,
        Err(error) => panic!("encode: {error}"),
    };
    let encoded_in = started.elapsed();

    let started = Instant::now();
    let loaded: Loaded<PipelineData> = match decode(&text) {
        Ok(loaded) => loaded,
        Err(problem) => panic!("decode: {problem:?}"),
    };
    let decoded_in = started.elapsed();
    assert_eq!(loaded.revision, 12);
    assert_eq!(loaded.saved_at, now);
    let reloaded = match Pipeline::try_from(loaded.data) {
        Ok(pipeline) => pipeline,
        Err(error) => panic!("stored data fails the integrity check: {error:?}"),
    };
    assert!(reloaded == pipeline, "the pipeline read back differs");

    let bytes = entry_bytes(APP_KEY, &text);
    let plain_bytes = 2 * plain.encode_utf16().count() as u64;
    let percent = bytes as f64 * 100.0 / QUOTA_ESTIMATE_BYTES as f64;
    eprintln!(
        "10,000 contacts / 4,000 opportunities: stored {} UTF-16 units = {bytes} bytes, \
         {percent:.1} % of the {QUOTA_ESTIMATE_BYTES}-byte quota (plain JSON data alone: \
         {} units, {:.1} %); encode {encoded_in:.0?}, decode {decoded_in:.0?} (this build)",
        bytes / 2,
        plain_bytes / 2,
        plain_bytes as f64 * 100.0 / QUOTA_ESTIMATE_BYTES as f64,
    );
    assert!(
        bytes * 100 <= QUOTA_ESTIMATE_BYTES * MAX_PERCENT,
        "{bytes} bytes is {percent:.1} % of the quota, over {MAX_PERCENT} %"
    );
}
