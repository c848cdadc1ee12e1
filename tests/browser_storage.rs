//! The storage adapter on real localStorage in a real browser.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test browser_storage`
//!
//! Every test starts by removing Leadline's keys and the filler keys, so a
//! failed test does not spoil the next one.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{NaiveDate, Utc};
use leadline::domain::{sample, Pipeline, PipelineData};
use leadline::storage::{
    encode, encode_pretty, is_quota_error, to_json, LoadOutcome, LoadProblem, LocalStore,
    Persistence, SaveScheduler, StorageError, TabUpdate, UsageLevel, APP_KEY, KEY_PREFIX,
    QUARANTINE_PREFIX, QUOTA_ESTIMATE_BYTES,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen_test::*;
use web_sys::Storage;

wasm_bindgen_test_configure!(run_in_browser);

const FILL_PREFIX: &str = "zz-storage-test-fill.";
const OTHER_APP_KEY: &str = "otherapp.data";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sample {
    name: String,
    items: Vec<u32>,
    note: String,
}

fn sample(name: &str) -> Sample {
    Sample {
        name: name.into(),
        items: vec![1, 2, 3],
        note: "Bjørn Ærø 🚀 \"quoted\"".into(),
    }
}

fn storage() -> Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage in the test browser")
}

fn raw(key: &str) -> Option<String> {
    storage().get_item(key).expect("getItem")
}

fn put(key: &str, value: &str) {
    storage().set_item(key, value).expect("setItem");
}

fn all_keys() -> Vec<String> {
    let s = storage();
    (0..s.length().expect("length"))
        .filter_map(|i| s.key(i).expect("key"))
        .collect()
}

fn quarantine_keys() -> Vec<String> {
    all_keys()
        .into_iter()
        .filter(|k| k.starts_with(QUARANTINE_PREFIX))
        .collect()
}

/// Removes Leadline's keys, the filler and the other app's key.
fn clean() {
    let s = storage();
    for key in all_keys() {
        if key.starts_with(KEY_PREFIX) || key.starts_with(FILL_PREFIX) || key == OTHER_APP_KEY {
            s.remove_item(&key).expect("removeItem");
        }
    }
}

fn open() -> LocalStore {
    LocalStore::open().expect("open localStorage")
}

fn expect_quarantined(outcome: LoadOutcome<Sample>) -> (String, LoadProblem, Option<StorageError>) {
    match outcome {
        LoadOutcome::Quarantined {
            key,
            problem,
            copy_failed,
            ..
        } => (key, problem, copy_failed),
        other => panic!("expected Quarantined, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn the_stored_envelope_is_json_that_gloo_storage_reads() {
    use gloo_storage::{LocalStorage, Storage as _};
    clean();
    let mut store = open();
    store.save(&sample("gloo"), Utc::now()).expect("save");
    let envelope: serde_json::Value = LocalStorage::get(APP_KEY).expect("the envelope is JSON");
    assert_eq!(envelope["format"], "leadline");
    assert_eq!(envelope["revision"], 1);
    assert_eq!(envelope["encoding"], "lz4-parts-u15");
    assert!(envelope["data"]
        .as_str()
        .is_some_and(|data| !data.is_empty()));
    clean();
}

#[wasm_bindgen_test]
fn save_and_load_round_trip() {
    clean();
    let mut store = open();
    assert_eq!(store.load::<Sample>(), Ok(LoadOutcome::Empty));
    let first = store.save(&sample("one"), Utc::now()).expect("first save");
    assert_eq!(first.revision, 1);
    let second = store.save(&sample("two"), Utc::now()).expect("second save");
    assert_eq!(second.revision, 2);
    let stored = raw(APP_KEY).expect("stored");
    assert_eq!(
        second.bytes,
        2 * (APP_KEY.len() + stored.encode_utf16().count()) as u64
    );
    // Stored packed, behind the frozen header.
    assert!(
        stored.starts_with(r#"{"format":"leadline","schema":3,"revision":2,"saved_at":""#),
        "{stored}"
    );
    assert!(
        stored.contains(r#"","encoding":"lz4-parts-u15","data":""#),
        "{stored}"
    );

    // A fresh store, as after a reload.
    let mut reloaded = open();
    match reloaded.load::<Sample>() {
        Ok(LoadOutcome::Loaded {
            data,
            revision,
            stored_schema,
            ..
        }) => {
            assert_eq!(data, sample("two"));
            assert_eq!(revision, 2);
            assert_eq!(stored_schema, 3);
        }
        other => panic!("expected Loaded, got {other:?}"),
    }
    assert_eq!(reloaded.base_revision(), 2);
    assert_eq!(
        reloaded
            .save(&sample("three"), Utc::now())
            .map(|r| r.revision),
        Ok(3)
    );

    let usage = reloaded.usage().expect("usage");
    assert!(usage.app_bytes >= second.bytes);
    assert!(usage.origin_bytes >= usage.app_bytes);
    assert_eq!(usage.level, UsageLevel::Ok);
    clean();
}

#[wasm_bindgen_test]
fn corrupted_value_is_quarantined_and_stays_readable() {
    clean();
    let garbage = r#"{"format":"leadline","schema":1,"revision":4,"saved_at":"2025-0"#;
    put(APP_KEY, garbage);

    let mut store = open();
    let (key, problem, copy_failed) = expect_quarantined(store.load::<Sample>().expect("load"));
    assert!(key.starts_with(QUARANTINE_PREFIX), "{key}");
    assert!(
        matches!(problem, LoadProblem::NotJson { .. }),
        "{problem:?}"
    );
    assert_eq!(copy_failed, None);
    // Loading never changes the main key; the copy is exact.
    assert_eq!(raw(APP_KEY).as_deref(), Some(garbage));
    assert_eq!(
        store.quarantined_value(&key).expect("read").as_deref(),
        Some(garbage)
    );

    // Loading again (a reload before any save) does not make a second copy.
    let (again, _, _) = expect_quarantined(open().load::<Sample>().expect("load"));
    assert_eq!(again, key);
    assert_eq!(quarantine_keys(), vec![key.clone()]);

    // Saving writes a fresh pipeline; the quarantined copy is untouched.
    let report = store
        .save(&sample("fresh"), Utc::now())
        .expect("save after quarantine");
    assert_eq!(report.revision, 1);
    assert_eq!(raw(&key).as_deref(), Some(garbage));
    let listed = store.quarantined().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key, key);
    assert!(listed[0].quarantined_at.is_some());

    // Only an explicit discard removes it, and only quarantine keys can be discarded.
    assert_eq!(store.discard_quarantined(APP_KEY), Ok(false));
    assert!(raw(APP_KEY).is_some());
    assert_eq!(store.discard_quarantined(&key), Ok(true));
    assert_eq!(raw(&key), None);
    assert_eq!(store.discard_quarantined(&key), Ok(false));
    clean();
}

#[wasm_bindgen_test]
fn newer_schema_is_quarantined_and_never_written_over() {
    clean();
    let newer = r#"{"format":"leadline","schema":4,"revision":9,"saved_at":"2030-01-01T00:00:00Z","data":{"future":true}}"#;
    put(APP_KEY, newer);

    let mut store = open();
    let (key, problem, copy_failed) = expect_quarantined(store.load::<Sample>().expect("load"));
    assert_eq!(
        problem,
        LoadProblem::NewerSchema {
            found: 4,
            supported: 3
        }
    );
    assert_eq!(
        problem.user_message(),
        "The saved pipeline was written by a newer version of Leadline (format 4; this \
         version reads up to 3). It has been kept aside untouched; you can download it below."
    );
    assert_eq!(copy_failed, None);
    assert_eq!(raw(APP_KEY).as_deref(), Some(newer));
    assert_eq!(raw(&key).as_deref(), Some(newer));

    let report = store.save(&sample("mine"), Utc::now()).expect("save");
    assert_eq!(report.revision, 10);
    assert_eq!(raw(&key).as_deref(), Some(newer));
    clean();
}

#[wasm_bindgen_test]
fn plain_data_envelopes_load_and_are_then_saved_packed() {
    clean();
    // As older test fixtures and the JSON export file hold it.
    for plain in [
        r#"{"format":"leadline","schema":1,"revision":4,"saved_at":"2025-01-01T00:00:00.000Z","data":{"name":"plain","items":[7],"note":"Bjørn 🚀"}}"#.to_owned(),
        encode_pretty(&sample("pretty"), 4, Utc::now()).expect("encode_pretty"),
    ] {
        put(APP_KEY, &plain);
        let mut store = open();
        match store.load::<Sample>() {
            Ok(LoadOutcome::Loaded { revision, data, .. }) => {
                assert_eq!(revision, 4);
                assert!(data.name == "plain" || data == sample("pretty"), "{data:?}");
            }
            other => panic!("expected Loaded, got {other:?}"),
        }
        assert_eq!(store.save(&sample("next"), Utc::now()).map(|r| r.revision), Ok(5));
        assert!(raw(APP_KEY).is_some_and(|text| text.contains(r#""encoding":"lz4-parts-u15""#)));
        assert!(quarantine_keys().is_empty());
        clean();
    }
}

#[wasm_bindgen_test]
fn damaged_packed_data_is_quarantined() {
    clean();
    let good = encode(&sample("x"), 3, Utc::now()).expect("encode");
    // Cut one character out of the packed data, keeping the JSON well formed.
    let cut = good.len() - r#""}"#.len() - 'ࠀ'.len_utf8();
    let mut damaged = good[..cut].to_owned();
    damaged.push_str(r#""}"#);
    put(APP_KEY, &damaged);
    let mut store = open();
    let (key, problem, copy_failed) = expect_quarantined(store.load::<Sample>().expect("load"));
    assert!(
        matches!(problem, LoadProblem::Invalid { .. }),
        "{problem:?}"
    );
    assert_eq!(copy_failed, None);
    assert_eq!(raw(&key).as_deref(), Some(damaged.as_str()));
    assert_eq!(raw(APP_KEY).as_deref(), Some(damaged.as_str()));
    // Its header is intact, so the next save continues its revisions.
    assert_eq!(
        store.save(&sample("y"), Utc::now()).map(|r| r.revision),
        Ok(4)
    );
    clean();
}

#[wasm_bindgen_test]
fn the_10k_sample_pipeline_fits_and_reads_back() {
    clean();
    let today = NaiveDate::from_ymd_opt(2025, 6, 2).expect("date");
    let pipeline = sample::generate(42, 10_000, 4_000, today);
    let mut store = open();
    let started = js_sys::Date::now();
    let report = store
        .save(&pipeline, Utc::now())
        .expect("save 10k into localStorage");
    let saved_ms = js_sys::Date::now() - started;
    let stored_units = raw(APP_KEY).expect("stored").encode_utf16().count() as u64;
    assert_eq!(report.bytes, 2 * (APP_KEY.len() as u64 + stored_units));

    let started = js_sys::Date::now();
    let outcome = open().load::<PipelineData>().expect("load");
    let loaded_ms = js_sys::Date::now() - started;
    match outcome {
        LoadOutcome::Loaded { data, revision, .. } => {
            assert_eq!(revision, 1);
            let reloaded = Pipeline::try_from(data).expect("integrity");
            assert!(reloaded == pipeline, "the pipeline read back differs");
        }
        other => panic!("expected Loaded, got {:?}", std::mem::discriminant(&other)),
    }
    console_log!(
        "10k/4k sample in localStorage: {} bytes ({:.1} % of {}; plain JSON {} units), \
         save {:.0} ms, load {:.0} ms (test build)",
        report.bytes,
        report.bytes as f64 * 100.0 / QUOTA_ESTIMATE_BYTES as f64,
        QUOTA_ESTIMATE_BYTES,
        to_json(&pipeline)
            .expect("serialises")
            .encode_utf16()
            .count(),
        saved_ms,
        loaded_ms
    );
    assert!(report.bytes * 100 <= QUOTA_ESTIMATE_BYTES * 35);
    clean();
    assert_eq!(raw(APP_KEY), None);
}

#[wasm_bindgen_test]
fn data_of_the_wrong_shape_is_quarantined() {
    clean();
    let other_shape = r#"{"format":"leadline","schema":1,"revision":2,"saved_at":"2025-01-01T00:00:00.000Z","data":{"name":5}}"#;
    put(APP_KEY, other_shape);
    let (key, problem, _) = expect_quarantined(open().load::<Sample>().expect("load"));
    assert!(
        matches!(problem, LoadProblem::Invalid { .. }),
        "{problem:?}"
    );
    assert_eq!(raw(&key).as_deref(), Some(other_shape));
    clean();
}

#[wasm_bindgen_test]
fn a_newer_revision_from_another_tab_is_not_clobbered() {
    clean();
    let mut tab_a = open();
    assert_eq!(tab_a.load::<Sample>(), Ok(LoadOutcome::Empty));
    tab_a.save(&sample("a1"), Utc::now()).expect("a1");

    // Tab B loads revision 1 and saves revision 2.
    let mut tab_b = open();
    assert!(matches!(
        tab_b.load::<Sample>(),
        Ok(LoadOutcome::Loaded { revision: 1, .. })
    ));
    tab_b.save(&sample("b2"), Utc::now()).expect("b2");
    let after_b = raw(APP_KEY);

    // Tab A still bases on revision 1: refused, B's data intact.
    assert_eq!(
        tab_a.save(&sample("a2"), Utc::now()),
        Err(StorageError::Conflict { base: 1, stored: 2 })
    );
    assert_eq!(raw(APP_KEY), after_b);

    // Some other tab writes revision 5 directly.
    let direct = encode(&sample("elsewhere"), 5, Utc::now()).expect("encode");
    put(APP_KEY, &direct);
    assert_eq!(
        tab_b.save(&sample("b3"), Utc::now()),
        Err(StorageError::Conflict { base: 2, stored: 5 })
    );
    assert_eq!(raw(APP_KEY).as_deref(), Some(direct.as_str()));

    // After adopting it, tab B may save again.
    tab_b.adopt_revision(5);
    assert_eq!(
        tab_b.save(&sample("b6"), Utc::now()).map(|r| r.revision),
        Ok(6)
    );
    clean();
}

#[wasm_bindgen_test]
fn an_unreadable_value_appearing_after_load_is_set_aside_before_saving() {
    clean();
    let mut store = open();
    assert_eq!(store.load::<Sample>(), Ok(LoadOutcome::Empty));
    put(APP_KEY, "written by something else");
    store.save(&sample("mine"), Utc::now()).expect("save");
    let kept = quarantine_keys();
    assert_eq!(kept.len(), 1);
    assert_eq!(raw(&kept[0]).as_deref(), Some("written by something else"));
    clean();
}

#[wasm_bindgen_test]
fn erase_all_removes_only_leadline_keys() {
    clean();
    put(OTHER_APP_KEY, "keep me");
    put("leadlinex", "not ours either");
    let mut store = open();
    store.save(&sample("x"), Utc::now()).expect("save");
    put(
        &format!("{QUARANTINE_PREFIX}2025-01-01T00:00:00.000Z"),
        "old",
    );
    assert_eq!(store.erase_all(), Ok(2));
    assert_eq!(raw(APP_KEY), None);
    assert!(quarantine_keys().is_empty());
    assert_eq!(raw(OTHER_APP_KEY).as_deref(), Some("keep me"));
    assert_eq!(raw("leadlinex").as_deref(), Some("not ours either"));
    assert_eq!(store.base_revision(), 0);
    storage().remove_item("leadlinex").expect("remove");
    clean();
}

/// Fills localStorage with filler values, from large to single characters,
/// until nothing more fits. Returns the number of filler keys.
fn fill_storage() -> usize {
    let s = storage();
    let mut count = 0;
    let mut size = 1 << 20;
    while size >= 1 {
        let chunk = "a".repeat(size);
        loop {
            let key = format!("{FILL_PREFIX}{count}");
            match s.set_item(&key, &chunk) {
                Ok(()) => count += 1,
                Err(error) => {
                    let name = js_sys::Reflect::get(&error, &"name".into())
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default();
                    let code = js_sys::Reflect::get(&error, &"code".into())
                        .ok()
                        .and_then(|v| v.as_f64())
                        .map(|c| c as u16);
                    assert!(
                        is_quota_error(&name, code),
                        "not a quota error: {name} {code:?}"
                    );
                    break;
                }
            }
        }
        size /= 4;
    }
    count
}

/// Text that does not compress: letters from a xorshift sequence.
fn noise(len: usize) -> String {
    let mut state: u32 = 0x9E37_79B9;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from(b'!' + (state % 90) as u8)
        })
        .collect()
}

fn used_units() -> u64 {
    all_keys()
        .iter()
        .map(|k| {
            (k.encode_utf16().count() + raw(k).unwrap_or_default().encode_utf16().count()) as u64
        })
        .sum()
}

#[wasm_bindgen_test]
fn a_full_storage_is_reported_as_quota_and_changes_nothing() {
    clean();
    let mut store = open();
    store
        .save(&sample("before"), Utc::now())
        .expect("save before filling");
    let before = raw(APP_KEY);

    let filler_keys = fill_storage();
    let units = used_units();
    console_log!(
        "Chromium localStorage quota: {} UTF-16 units = {} bytes ({:.3} MiB) in {} filler keys",
        units,
        units * 2,
        (units * 2) as f64 / 1024.0 / 1024.0,
        filler_keys
    );
    assert!(units * 2 >= 2 * 1024 * 1024, "suspiciously small quota");

    // Stored compressed: the growth must be incompressible to overflow.
    let mut bigger = sample("after");
    bigger.note = noise(10_000);
    assert_eq!(
        store.save(&bigger, Utc::now()),
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(raw(APP_KEY), before);
    assert_eq!(store.base_revision(), 1);

    // Unreadable data that cannot be copied aside (no room) stays where it is
    // and saves are refused until the user starts fresh.
    let same_length_garbage = "#".repeat(before.as_deref().map_or(0, |b| b.encode_utf16().count()));
    put(APP_KEY, &same_length_garbage);
    let mut after_reload = open();
    let (key, problem, copy_failed) =
        expect_quarantined(after_reload.load::<Sample>().expect("load"));
    assert_eq!(key, APP_KEY);
    assert!(matches!(problem, LoadProblem::NotJson { .. }));
    assert_eq!(copy_failed, Some(StorageError::QuotaExceeded));
    assert!(after_reload.is_kept_aside());
    assert_eq!(
        after_reload.save(&sample("tiny"), Utc::now()),
        Err(StorageError::KeptAside)
    );
    assert_eq!(raw(APP_KEY).as_deref(), Some(same_length_garbage.as_str()));
    assert_eq!(
        after_reload
            .quarantined_value(APP_KEY)
            .expect("read")
            .as_deref(),
        Some(same_length_garbage.as_str())
    );
    assert!(quarantine_keys().is_empty());
    after_reload.start_fresh().expect("start fresh");
    assert_eq!(raw(APP_KEY), None);
    assert_eq!(
        after_reload
            .save(&sample("tiny"), Utc::now())
            .map(|r| r.revision),
        Ok(1)
    );

    clean();
    assert!(all_keys().iter().all(|k| !k.starts_with(FILL_PREFIX)));
}

fn dispatch_storage_event(key: Option<&str>, new_value: Option<&str>, area: Option<&Storage>) {
    let init = web_sys::StorageEventInit::new();
    init.set_key(key);
    init.set_new_value(new_value);
    init.set_storage_area(area);
    let event =
        web_sys::StorageEvent::new_with_event_init_dict("storage", &init).expect("StorageEvent");
    web_sys::window()
        .expect("window")
        .dispatch_event(&event)
        .expect("dispatch");
}

#[wasm_bindgen_test]
fn other_tab_changes_are_delivered_until_unsubscribed() {
    clean();
    let mut store = open();
    store.save(&sample("one"), Utc::now()).expect("save");
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&seen);
    let subscription = store
        .subscribe_other_tabs(move |update: TabUpdate<Sample>| {
            sink.borrow_mut().push(match update {
                TabUpdate::Changed(loaded) => {
                    format!("changed {} {}", loaded.revision, loaded.data.name)
                }
                TabUpdate::Unreadable(problem) => {
                    format!("unreadable {problem:?}").chars().take(20).collect()
                }
                TabUpdate::Removed => "removed".into(),
            });
        })
        .expect("subscribe");

    let local = storage();
    let newer = encode(&sample("from B"), 2, Utc::now()).expect("encode");
    let same = encode(&sample("echo"), 1, Utc::now()).expect("encode");
    dispatch_storage_event(Some(APP_KEY), Some(&newer), Some(&local));
    dispatch_storage_event(Some(APP_KEY), Some(&same), Some(&local));
    dispatch_storage_event(Some(OTHER_APP_KEY), Some(&newer), Some(&local));
    let session = web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .expect("sessionStorage");
    dispatch_storage_event(Some(APP_KEY), Some(&newer), Some(&session));
    dispatch_storage_event(Some(APP_KEY), Some("{broken"), Some(&local));
    dispatch_storage_event(Some(APP_KEY), None, Some(&local));
    dispatch_storage_event(None, None, Some(&local)); // clear()
    assert_eq!(
        *seen.borrow(),
        vec![
            "changed 2 from B".to_string(),
            "unreadable NotJson {".to_string(),
            "removed".to_string(),
            "removed".to_string(),
        ]
    );

    // The base revision is read at event time: after adopting 2, 2 is old news.
    store.adopt_revision(2);
    dispatch_storage_event(Some(APP_KEY), Some(&newer), Some(&local));
    assert_eq!(seen.borrow().len(), 4);

    drop(subscription);
    let newest = encode(&sample("from C"), 3, Utc::now()).expect("encode");
    dispatch_storage_event(Some(APP_KEY), Some(&newest), Some(&local));
    assert_eq!(seen.borrow().len(), 4);
    clean();
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("sleep");
}

#[wasm_bindgen_test]
async fn autosave_coalesces_and_flushes() {
    let saves = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&saves);
    let scheduler = SaveScheduler::new(50, move || counter.set(counter.get() + 1));

    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    assert!(scheduler.is_pending());
    assert_eq!(saves.get(), 0);
    sleep(150).await;
    assert_eq!(saves.get(), 1, "three changes, one save");
    assert!(!scheduler.is_pending());

    scheduler.flush();
    assert_eq!(saves.get(), 1, "nothing pending, nothing saved");

    scheduler.schedule();
    scheduler.flush();
    assert_eq!(saves.get(), 2);
    sleep(100).await;
    assert_eq!(saves.get(), 2, "a flushed save does not run again");

    scheduler.schedule();
    let pagehide = web_sys::Event::new("pagehide").expect("event");
    web_sys::window()
        .expect("window")
        .dispatch_event(&pagehide)
        .expect("dispatch");
    assert_eq!(saves.get(), 3, "pagehide flushes");

    scheduler.schedule();
    drop(scheduler);
    assert_eq!(saves.get(), 4, "dropping flushes");
    sleep(100).await;
    assert_eq!(saves.get(), 4);
}

#[wasm_bindgen_test]
async fn autosave_saves_through_the_store() {
    clean();
    let store = Rc::new(RefCell::new(open()));
    let data = Rc::new(RefCell::new(sample("typing")));
    let errors = Rc::new(Cell::new(0u32));
    let (s, d, e) = (Rc::clone(&store), Rc::clone(&data), Rc::clone(&errors));
    let scheduler = SaveScheduler::new(30, move || {
        if s.borrow_mut().save(&*d.borrow(), Utc::now()).is_err() {
            e.set(e.get() + 1);
        }
    });
    for letter in ["t", "ty", "typ", "type"] {
        data.borrow_mut().name = letter.into();
        scheduler.schedule();
    }
    sleep(100).await;
    assert_eq!(errors.get(), 0);
    assert_eq!(store.borrow().base_revision(), 1);
    match open().load::<Sample>() {
        Ok(LoadOutcome::Loaded { data, .. }) => assert_eq!(data.name, "type"),
        other => panic!("expected Loaded, got {other:?}"),
    }
    drop(scheduler);
    clean();
}

#[wasm_bindgen_test]
async fn persistence_answer_agrees_with_the_browser() {
    let answer = LocalStore::request_persistence().await;
    console_log!("navigator.storage.persist(): {answer:?}");
    // The test page is served from 127.0.0.1, a secure context: the API is
    // there, and what it answered is what the browser now reports.
    let navigator = web_sys::window().expect("window").navigator();
    let persisted =
        wasm_bindgen_futures::JsFuture::from(navigator.storage().persisted().expect("persisted()"))
            .await
            .expect("persisted() resolves")
            .as_bool();
    match answer {
        Persistence::Granted => assert_eq!(persisted, Some(true)),
        Persistence::Denied => assert_eq!(persisted, Some(false)),
        Persistence::Unsupported => panic!("navigator.storage exists here"),
    }

    // Where the API is missing (old browsers, insecure pages) the answer
    // says so instead of failing.
    let hide = js_sys::Object::new();
    js_sys::Reflect::set(&hide, &"value".into(), &wasm_bindgen::JsValue::UNDEFINED).expect("set");
    js_sys::Reflect::set(&hide, &"configurable".into(), &true.into()).expect("set");
    js_sys::Reflect::define_property(&navigator, &"storage".into(), &hide).expect("hide");
    let without = LocalStore::request_persistence().await;
    js_sys::Reflect::delete_property(&navigator, &"storage".into()).expect("restore");
    assert_eq!(without, Persistence::Unsupported);
}
