//! Writes the benchmark data set exactly as the app stores it, and finds how
//! many records fit in localStorage.
//!
//! ```text
//! cargo run --release --example bench_data -- <out.txt> [contacts] [opportunities]
//! ```
//!
//! `out.txt` receives the value the app keeps under `leadline.pipeline` (the
//! packed envelope from `storage::encode`), so the browser benchmark seeds
//! what the app itself would have saved. Standard output gets one JSON line
//! describing the data, its stored size and the capacity found by growing
//! the same mix (every contact a lead, 40 % of them opportunities) until the
//! stored value no longer fits in the quota.

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use leadline::domain::{sample, DeviceId, Pipeline, Stage};

/// The device the benchmark's records are made on.
const DEVICE: DeviceId = DeviceId(7);
use leadline::storage::{encode, entry_bytes, APP_KEY, QUOTA_ESTIMATE_BYTES};

/// The fixed day the data is generated for, so every run stores the same bytes.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 16).unwrap_or_default()
}

/// Bytes the stored value of a generated pipeline takes, or the reason it
/// could not be encoded.
fn stored(p: &Pipeline) -> Result<(String, u64), String> {
    let now = Utc
        .with_ymd_and_hms(2025, 6, 16, 16, 0, 0)
        .single()
        .unwrap_or_default();
    let text = encode(p, 1, now).map_err(|e| e.to_string())?;
    let bytes = entry_bytes(APP_KEY, &text);
    Ok((text, bytes))
}

/// Stored bytes for `contacts` contacts (40 % with opportunities). Data too
/// large to encode at all counts as not fitting.
fn bytes_for(contacts: usize) -> u64 {
    let p = sample::generate_on(Some(DEVICE), 1, contacts, contacts * 2 / 5, today());
    stored(&p).map_or(u64::MAX, |(_, bytes)| bytes)
}

/// The largest contact count (in steps of `step`, 40 % with opportunities)
/// whose stored value fits in the quota, found by bisection. Returns it and
/// the bytes it takes.
fn capacity(from: usize, step: usize) -> (usize, u64) {
    let (mut fits, mut fits_bytes) = (from, bytes_for(from));
    if fits_bytes > QUOTA_ESTIMATE_BYTES {
        return (0, fits_bytes);
    }
    // Double until it no longer fits, then bisect the gap.
    let mut over = from * 2;
    loop {
        let bytes = bytes_for(over);
        if bytes > QUOTA_ESTIMATE_BYTES {
            break;
        }
        (fits, fits_bytes) = (over, bytes);
        over *= 2;
    }
    while over - fits > step {
        let mid = (fits + over) / 2 / step * step;
        let bytes = bytes_for(mid);
        if bytes > QUOTA_ESTIMATE_BYTES {
            over = mid;
        } else {
            (fits, fits_bytes) = (mid, bytes);
        }
    }
    (fits, fits_bytes)
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .first()
        .ok_or("usage: bench_data <out.txt> [contacts] [opportunities]")?;
    let number = |i: usize, default: usize| -> Result<usize, String> {
        args.get(i).map_or(Ok(default), |s| {
            s.parse().map_err(|_| format!("not a count: {s}"))
        })
    };
    let (contacts, opportunities) = (number(1, 10_000)?, number(2, 4_000)?);

    let started = Instant::now();
    let p = sample::generate_on(Some(DEVICE), 1, contacts, opportunities, today());
    let generated_ms = started.elapsed().as_millis();
    let (text, bytes) = stored(&p)?;
    // The same records as stored before change clocks and device ids.
    let without = sample::generate(1, contacts, opportunities, today());
    let (_, bytes_without_clocks) = stored(&without)?;
    std::fs::write(out, &text).map_err(|e| format!("cannot write {out}: {e}"))?;

    let stages: Vec<String> = Stage::ALL
        .iter()
        .map(|s| {
            let n = p.opportunities().iter().filter(|o| o.stage() == *s).count();
            format!("\"{}\":{n}", s.label())
        })
        .collect();
    let currencies: BTreeSet<_> = p
        .opportunities()
        .iter()
        .map(|o| o.terms.currency.code())
        .collect();
    let sources: BTreeSet<_> = p.contacts().iter().map(|c| c.source.label()).collect();
    let history: usize = p.contacts().iter().map(|c| c.history.len()).sum::<usize>()
        + p.leads().iter().map(|l| l.history.len()).sum::<usize>()
        + p.opportunities()
            .iter()
            .map(|o| o.history.len())
            .sum::<usize>()
        + p.accounts().iter().map(|a| a.history.len()).sum::<usize>();
    let (capacity, capacity_bytes) = capacity(10_000, 1_000);

    println!(
        "{{\"contacts\":{},\"leads\":{},\"opportunities\":{},\"accounts\":{},\
         \"history_entries\":{history},\"stages\":{{{}}},\"currencies\":{},\"sources\":{},\
         \"stored_units\":{},\"stored_bytes\":{bytes},\"stored_bytes_without_clocks\":{bytes_without_clocks},\
         \"quota_bytes\":{QUOTA_ESTIMATE_BYTES},\
         \"capacity_contacts\":{capacity},\"capacity_opportunities\":{},\
         \"capacity_bytes\":{capacity_bytes},\"generated_ms\":{generated_ms}}}",
        p.contacts().len(),
        p.leads().len(),
        p.opportunities().len(),
        p.accounts().len(),
        stages.join(","),
        currencies.len(),
        sources.len(),
        text.encode_utf16().count(),
        capacity * 2 / 5,
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_data: {message}");
            ExitCode::FAILURE
        }
    }
}
