//! Merging copies of one pipeline that went their own ways, on devices with
//! skewed clocks: every order of merging ends in the same pipeline, merging
//! again changes nothing, no timeline entry is lost, and the rules hold.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::ids::DeviceId;
use super::pipeline::Pipeline;
use super::proptests::{apply, at, cmd, Cmd};

/// A copy's own commands, and how far its clock is off (in steps of seven
/// hours, either way).
type Work = (Vec<Cmd>, i64);

fn work() -> impl Strategy<Value = Work> {
    (prop::collection::vec(cmd(), 0..24), -3i64..=3)
}

/// The pipeline on a new device, with `base` merged in and `work` done.
fn device(n: u32, base: &Pipeline, (cmds, skew): &Work, from: usize) -> Pipeline {
    let mut p = Pipeline::new();
    p.adopt_device(DeviceId(n), &format!("Device {n}"), at(from));
    p.merge(base.data(), "base", at(from))
        .expect("the base merges");
    for (i, c) in cmds.iter().enumerate() {
        let step = (from + i) as i64 + skew;
        let _ = apply(&mut p, c, step.max(0) as usize);
    }
    p
}

use super::pipeline::merge::shared_json as shared;

/// Every timeline entry of every record, as (record, time, event).
fn entries(p: &Pipeline) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |id: u64, h: &super::History| {
        for e in h {
            out.insert(format!("{id} {} {:?}", e.at.timestamp(), e.event));
        }
    };
    for r in p.contacts() {
        add(r.id.0, &r.history);
    }
    for r in p.leads() {
        add(r.id.0, &r.history);
    }
    for r in p.opportunities() {
        add(r.id.0, &r.history);
    }
    for r in p.accounts() {
        add(r.id.0, &r.history);
    }
    out
}

/// `first` merged with each of `rest` in turn.
fn merged_in_order(first: &Pipeline, rest: &[&Pipeline]) -> Result<Pipeline, TestCaseError> {
    let mut p = first.clone();
    for other in rest {
        let r = p.merge(other.data(), "copy", at(500));
        prop_assert!(r.is_ok(), "merge refused: {:?}", r);
    }
    Ok(p)
}

fn check(copies: &[&Pipeline]) -> Result<(), TestCaseError> {
    let orders: Vec<Vec<usize>> = match copies.len() {
        2 => vec![vec![0, 1], vec![1, 0]],
        _ => vec![
            vec![0, 1, 2],
            vec![0, 2, 1],
            vec![1, 0, 2],
            vec![1, 2, 0],
            vec![2, 0, 1],
            vec![2, 1, 0],
        ],
    };
    let mut results = Vec::new();
    for order in &orders {
        let rest: Vec<&Pipeline> = order[1..].iter().map(|i| copies[*i]).collect();
        let p = merged_in_order(copies[order[0]], &rest)?;
        prop_assert!(p.check_integrity().is_ok(), "{:?}", p.check_integrity());
        results.push(p);
    }
    let first = shared(&results[0]);
    for (order, p) in orders.iter().zip(&results).skip(1) {
        prop_assert_eq!(&shared(p), &first, "merged in the order {:?}", order);
    }
    // Merging any copy again changes nothing.
    for copy in copies {
        let mut again = results[0].clone();
        again
            .merge(copy.data(), "again", at(600))
            .expect("merges again");
        prop_assert_eq!(shared(&again), first.clone());
    }
    // No timeline entry of a record that stays is lost.
    let all = entries(&results[0]);
    for copy in copies {
        for e in entries(copy) {
            let id: u64 = e
                .split(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let stays = results[0].data().contacts.iter().any(|r| r.id.0 == id)
                || results[0].leads().iter().any(|r| r.id.0 == id)
                || results[0].opportunities().iter().any(|r| r.id.0 == id)
                || results[0].accounts().iter().any(|r| r.id.0 == id);
            prop_assert!(!stays || all.contains(&e), "lost: {}", e);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn two_copies_end_equal_whichever_merges_first(
        base in prop::collection::vec(cmd(), 0..16),
        a in work(),
        b in work(),
    ) {
        let mut start = Pipeline::new();
        start.adopt_device(DeviceId(1), "Start", at(0));
        for (i, c) in base.iter().enumerate() {
            let _ = apply(&mut start, c, i);
        }
        let from = base.len() + 1;
        let a = device(2, &start, &a, from);
        let b = device(3, &start, &b, from);
        check(&[&a, &b])?;
    }

    #[test]
    fn three_copies_end_equal_in_every_order(
        base in prop::collection::vec(cmd(), 0..16),
        a in work(),
        b in work(),
        c in work(),
    ) {
        let mut start = Pipeline::new();
        start.adopt_device(DeviceId(1), "Start", at(0));
        for (i, cmd) in base.iter().enumerate() {
            let _ = apply(&mut start, cmd, i);
        }
        let from = base.len() + 1;
        let a = device(2, &start, &a, from);
        let b = device(3, &start, &b, from);
        let c = device(4, &start, &c, from);
        check(&[&a, &b, &c])?;
    }
}
