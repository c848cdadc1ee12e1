//! A pipeline as CouchDB documents, and documents back as (a part of) a
//! pipeline that the domain's merge takes in.
//!
//! - `contact:<id>`, `lead:<id>`, `opportunity:<id>`, `account:<id>`: a
//!   record as stored, without its timeline; a deleted record is a deleted
//!   document whose body keeps the tombstone (`{"tombstone":…}`).
//! - `event:<record>:<hash>`: one timeline entry. Entries never change, so
//!   their documents never conflict; the hash of the entry names it, so
//!   two devices that hold the same entry write the same document.
//! - `settings`: the shared settings (default currency, language, the
//!   user's sources, sample data) with their stamps.
//! - `device:<id>`: a device's name; `merge:<hash>`: a merge a device made
//!   (they never change either).
//!
//! Every body is a JSON object whose `leadline` member says what it holds;
//! no member starts with `_` (CouchDB keeps those for itself). Bodies are
//! written with sorted keys (serde_json's map), so the same record always
//! has the same text, and the same revision id on every device.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::domain::ids::format_key;
use crate::domain::ids::parse_key;
use crate::domain::stored::{from_plain, to_plain};
use crate::domain::{Pipeline, Revision};
use crate::domain::{PipelineData, RecordKind};

use super::revs::{self, short_hash};

/// The kinds of records: the stored pipeline's list of each, and the
/// prefix of its documents' ids (also its tombstones' `kind`).
const KINDS: [(RecordKind, &str, &str); 4] = [
    (RecordKind::Contact, "contacts", "contact"),
    (RecordKind::Lead, "leads", "lead"),
    (RecordKind::Opportunity, "opportunities", "opportunity"),
    (RecordKind::Account, "accounts", "account"),
];

/// The prefix of a kind's documents' ids.
fn prefix_of(kind: RecordKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, ..)| *k == kind)
        .map_or("", |(.., p)| p)
}

/// The kind of record documents with this id prefix hold.
fn kind_of(prefix: &str) -> Option<RecordKind> {
    KINDS.iter().find(|(.., p)| *p == prefix).map(|(k, ..)| *k)
}

/// The stored pipeline's list for documents with this id prefix.
fn list_of(prefix: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(.., p)| *p == prefix)
        .map(|(_, list, _)| *list)
}

/// Members of the stored pipeline that are this copy's own and never sent.
const OWN: [&str; 4] = ["next_id", "device", "clock", "seen"];

/// What a document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A contact, lead, opportunity or account (or its tombstone): changes.
    Record,
    /// One timeline entry: never changes.
    Event,
    /// The shared settings: changes.
    Settings,
    /// A device's name: changes when renamed.
    Device,
    /// A merge a device made: never changes.
    Merge,
}

impl DocKind {
    /// What the document with id `id` holds; `None` for documents that are
    /// not Leadline's (a design document, another app's).
    pub fn of(id: &str) -> Option<DocKind> {
        let prefix = id.split(':').next().unwrap_or("");
        Some(match prefix {
            "event" => DocKind::Event,
            "settings" => DocKind::Settings,
            "device" => DocKind::Device,
            "merge" => DocKind::Merge,
            other => kind_of(other).map(|_| DocKind::Record)?,
        })
    }

    /// Whether documents of this kind are written once and never change.
    pub fn is_immutable(self) -> bool {
        matches!(self, DocKind::Event | DocKind::Merge)
    }
}

/// One document: its id, whether it is a deletion, and its body (without
/// CouchDB's `_` members).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Doc {
    pub id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    pub body: Value,
    /// What the body says, worked out once (see [`revs::digest`]).
    #[serde(skip)]
    digest: OnceCell<String>,
}

/// Documents are equal when they say the same.
impl PartialEq for Doc {
    fn eq(&self, other: &Doc) -> bool {
        self.id == other.id && self.deleted == other.deleted && self.body == other.body
    }
}

impl Doc {
    pub fn with(id: String, deleted: bool, body: Value) -> Doc {
        Doc {
            id,
            deleted,
            body,
            digest: OnceCell::new(),
        }
    }

    fn new(id: String, what: &str, mut body: Map<String, Value>) -> Doc {
        body.insert("leadline".into(), Value::String(what.into()));
        Doc::with(id, false, Value::Object(body))
    }

    /// What the body says, for telling whether it changed since it was
    /// last sent or received.
    pub fn digest(&self) -> &str {
        self.digest.get_or_init(|| revs::digest(self))
    }

    /// For an event, the id of the record it belongs to.
    pub fn record_of_event(&self) -> Option<&str> {
        self.body.get("of").and_then(Value::as_str)
    }
}

/// A record's key as ids show it (`12`, `k3f9-4`).
fn key_text(id: &Value) -> Option<String> {
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The documents of a whole pipeline, in id order.
pub fn documents(data: &PipelineData) -> Vec<Doc> {
    DocCache::default()
        .documents(data)
        .into_iter()
        .map(Rc::unwrap_or_clone)
        .collect()
}

/// The documents of a pipeline, remembered record by record: the next call
/// turns into documents only the records whose stored text changed (a
/// sync after one change reads 10,000 contacts' text, but builds and
/// hashes the documents of one).
#[derive(Default)]
pub struct DocCache {
    records: HashMap<String, Cached>,
    /// Tombstones, device names, merges and settings, as last worked out.
    shared: Vec<Rc<Doc>>,
    /// The pipeline's revision the cache holds.
    seen: Option<Revision>,
}

struct Cached {
    /// A hash of the record's stored text.
    text: u64,
    /// The record's document and its events' documents.
    docs: Vec<Rc<Doc>>,
}

/// A record's id, read from its stored text without reading the rest.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: Value,
}

fn text_hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl DocCache {
    /// The documents of `p`, in no particular order. After one command or
    /// one merge of what a sync brought (the usual cases in a live sync)
    /// only the records it changed are read again; after none, nothing;
    /// otherwise every record's stored text is compared.
    pub fn documents_of(&mut self, p: &Pipeline) -> Vec<Rc<Doc>> {
        if self.seen == Some(p.revision()) {
            // Nothing changed since (a sync woken by the server's echo of
            // this copy's own writes).
            return self.cached_documents();
        }
        let touched = self.seen.and_then(|seen| {
            p.records_changed_since(seen)
                .map(|(records, more)| (records.to_vec(), more))
        });
        self.seen = Some(p.revision());
        let Some((touched, more)) = touched else {
            return self.documents(p.data());
        };
        for (kind, id) in touched {
            let doc_id = format!("{}:{}", prefix_of(kind), format_key(id));
            self.shared.retain(|d| d.id != doc_id);
            let docs = match p.data().stored_record(kind, id) {
                Some(record) => record_docs(&doc_id, record),
                // Worked out with the other shared documents below.
                None if more => {
                    self.records.remove(&doc_id);
                    continue;
                }
                None => tombstone_doc(p.data(), kind, id, &doc_id)
                    .into_iter()
                    .collect(),
            };
            self.records.insert(doc_id, cached(0, docs));
        }
        if more {
            // A merge: settings, device names, merges and tombstones may
            // have changed, and they are few beside the records.
            self.shared = shared_of(p.data());
        }
        self.cached_documents()
    }

    fn cached_documents(&self) -> Vec<Rc<Doc>> {
        self.records
            .values()
            .flat_map(|c| c.docs.iter().cloned())
            .chain(self.shared.iter().cloned())
            .collect()
    }

    /// The documents of `data`, in id order (shared with the cache: an
    /// unchanged record's documents are not copied).
    fn documents(&mut self, data: &PipelineData) -> Vec<Rc<Doc>> {
        let Ok(text) = serde_json::to_string(data) else {
            return Vec::new();
        };
        let Ok(top) = serde_json::from_str::<BTreeMap<Cow<str>, &RawValue>>(&text) else {
            return Vec::new();
        };
        let mut docs = Vec::new();
        let mut living = BTreeSet::new();
        for (key, raw) in top {
            let Some((_, _, prefix)) = KINDS.iter().find(|(_, list, _)| *list == key) else {
                continue;
            };
            let records: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap_or_default();
            for record in records {
                let Some(key) = serde_json::from_str::<IdOnly>(record.get())
                    .ok()
                    .and_then(|r| key_text(&r.id))
                else {
                    continue;
                };
                let id = format!("{prefix}:{key}");
                let hash = text_hash(record.get());
                let made = match self.records.get(&id).filter(|c| c.text == hash) {
                    Some(c) => c.docs.clone(),
                    None => {
                        let value = serde_json::from_str(record.get()).unwrap_or(Value::Null);
                        let entry = cached(hash, record_docs(&id, value));
                        let made = entry.docs.clone();
                        self.records.insert(id.clone(), entry);
                        made
                    }
                };
                docs.extend(made);
                living.insert(id);
            }
        }
        self.records.retain(|id, _| living.contains(id));
        self.shared = shared_of(data);
        docs.extend(self.shared.iter().cloned());
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        docs
    }
}

/// A cache entry: the documents shared, each digest worked out once.
fn cached(text: u64, docs: Vec<Doc>) -> Cached {
    for d in docs.iter().filter(|d| !d.id.starts_with("event:")) {
        d.digest();
    }
    Cached {
        text,
        docs: docs.into_iter().map(Rc::new).collect(),
    }
}

/// The deleted document a record's tombstone makes, if it has one.
fn tombstone_doc(data: &PipelineData, kind: RecordKind, id: u64, doc_id: &str) -> Option<Doc> {
    let stone = data
        .tombstones
        .iter()
        .find(|t| t.kind == kind && t.id == id)?;
    let mut doc = Doc::new(
        doc_id.to_owned(),
        "record",
        single("tombstone", to_plain(stone)),
    );
    doc.deleted = true;
    Some(doc)
}

/// A record's document and its timeline entries' documents, from its
/// stored value.
fn record_docs(id: &str, record: Value) -> Vec<Doc> {
    let Value::Object(mut record) = record else {
        return Vec::new();
    };
    let mut docs = Vec::new();
    if let Some(Value::Array(history)) = record.remove("history") {
        for entry in history {
            docs.push(event_doc(id, entry));
        }
    }
    docs.push(Doc::new(
        id.to_owned(),
        "record",
        single("record", Value::Object(record)),
    ));
    docs
}

/// The documents of what is not a record, from `data` directly.
fn shared_of(data: &PipelineData) -> Vec<Rc<Doc>> {
    let Ok(Value::Object(mut all)) = serde_json::to_value(data.without_records()) else {
        return Vec::new();
    };
    for (_, list, _) in KINDS {
        all.remove(list);
    }
    // A tombstone whose record came back is not a document of its own.
    let living = data
        .tombstones
        .iter()
        .filter(|t| data.stored_record(t.kind, t.id).is_some())
        .map(|t| format!("{}:{}", prefix_of(t.kind), format_key(t.id)))
        .collect();
    shared_docs(all, &living).into_iter().map(Rc::new).collect()
}

/// The documents of what is not in the lists of records: tombstones,
/// device names, merges and the shared settings.
fn shared_docs(mut all: Map<String, Value>, living: &BTreeSet<String>) -> Vec<Doc> {
    let mut docs = Vec::new();
    if let Some(Value::Array(stones)) = all.remove("tombstones") {
        for stone in stones {
            let kind = stone.get("kind").and_then(Value::as_str).unwrap_or("");
            let Some(key) = stone.get("id").and_then(key_text) else {
                continue;
            };
            let id = format!("{kind}:{key}");
            if living.contains(&id) {
                continue;
            }
            let mut doc = Doc::new(id, "record", single("tombstone", stone));
            doc.deleted = true;
            docs.push(doc);
        }
    }
    if let Some(Value::Object(devices)) = all.remove("devices") {
        for (device, name) in devices {
            let mut body = single("name", name);
            body.insert("device".into(), Value::String(device.clone()));
            docs.push(Doc::new(format!("device:{device}"), "device", body));
        }
    }
    if let Some(Value::Array(marks)) = all.remove("merges") {
        for mark in marks {
            let id = format!("merge:{}", short_hash(mark.to_string().as_bytes()));
            docs.push(Doc::new(id, "merge", single("mark", mark)));
        }
    }
    for own in OWN {
        all.remove(own);
    }
    docs.push(Doc::new("settings".into(), "settings", all));
    docs
}

fn single(name: &str, value: Value) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(name.into(), value);
    m
}

fn event_doc(record: &str, entry: Value) -> Doc {
    let id = format!(
        "event:{record}:{}",
        short_hash(entry.to_string().as_bytes())
    );
    let mut body = single("entry", entry);
    body.insert("of".into(), Value::String(record.into()));
    Doc::new(id, "event", body)
}

/// Documents that do not make a pipeline (a record that is not one).
#[derive(Debug)]
pub struct NotAPipeline;

/// What [`assemble`] makes of some documents: the copy they describe, and
/// the events whose record is neither among them nor in this copy yet
/// (kept for a later batch).
pub struct Assembled {
    pub data: PipelineData,
    pub waiting: Vec<Doc>,
}

/// The copy of the pipeline that `docs` describe, for the domain's merge
/// into `local`. An event whose record did not come with it joins the
/// local record (the merge takes the union of timelines).
pub fn assemble(local: &PipelineData, docs: &[Doc]) -> Result<Assembled, NotAPipeline> {
    let mut records: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut events: BTreeMap<&str, Vec<&Doc>> = BTreeMap::new();
    let mut out = Map::new();
    let mut lists: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut stones = Vec::new();
    let mut devices = Map::new();
    let mut marks = Vec::new();
    for doc in docs {
        let body = |name: &str| doc.body.get(name).cloned();
        match DocKind::of(&doc.id) {
            Some(DocKind::Record) if doc.deleted => stones.extend(body("tombstone")),
            Some(DocKind::Record) => {
                if let Some(Value::Object(r)) = body("record") {
                    records.insert(&doc.id, r);
                }
            }
            Some(DocKind::Event) => {
                if let Some(of) = doc.record_of_event() {
                    events.entry(of).or_default().push(doc);
                }
            }
            Some(DocKind::Settings) => {
                if let Value::Object(settings) = &doc.body {
                    for (k, v) in settings {
                        if k != "leadline" && !OWN.contains(&k.as_str()) {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            Some(DocKind::Device) => {
                if let (Some(Value::String(d)), Some(name)) = (body("device"), body("name")) {
                    devices.insert(d, name);
                }
            }
            Some(DocKind::Merge) => marks.extend(body("mark")),
            None => {}
        }
    }
    let mut waiting = Vec::new();
    for (of, list) in events {
        if !records.contains_key(of) {
            if let Some(r) = local_record(local, of) {
                records.insert(of, r);
            }
        }
        let record = records.get_mut(of);
        let Some(record) = record else {
            waiting.extend(list.into_iter().cloned());
            continue;
        };
        let history = record
            .entry("history")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(h) = history {
            h.extend(list.iter().filter_map(|d| d.body.get("entry").cloned()));
        }
    }
    for (id, record) in records {
        let prefix = id.split(':').next().unwrap_or("");
        if let Some(list) = list_of(prefix) {
            lists.entry(list).or_default().push(Value::Object(record));
        }
    }
    for (list, records) in lists {
        out.insert(list.into(), Value::Array(records));
    }
    out.insert("tombstones".into(), Value::Array(stones));
    out.insert("devices".into(), Value::Object(devices));
    out.insert("merges".into(), Value::Array(marks));
    out.insert("next_id".into(), Value::from(0));
    // Read through the stored text, as the domain reads its own values
    // (see `domain::stored::from_plain`): no second reader for every type.
    let settings_came = docs
        .iter()
        .any(|d| DocKind::of(&d.id) == Some(DocKind::Settings));
    let mut data: PipelineData = from_plain(&Value::Object(out)).ok_or(NotAPipeline)?;
    if !settings_came {
        // No news of the settings: this copy's, so that the merge does not
        // weigh them against defaults.
        data.default_currency = local.default_currency;
        data.language = local.language;
        data.custom_sources = local.custom_sources.clone();
        data.settings_stamps = local.settings_stamps.clone();
        data.sample = local.sample;
    }
    // Timelines are stored oldest first; entries from two sources are put
    // back in order (the merge keeps each entry once).
    data.tidy();
    data.seen = data.readings();
    data.clock = data.seen.values().copied().max().unwrap_or_default();
    Ok(Assembled { data, waiting })
}

/// A record of the local copy as stored, timeline included.
fn local_record(local: &PipelineData, id: &str) -> Option<Map<String, Value>> {
    let (prefix, key) = id.split_once(':')?;
    match local.stored_record(kind_of(prefix)?, parse_key(key)?)? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Whether this copy already holds the event document `id`.
pub fn has_event(local: &PipelineData, id: &str) -> bool {
    let Some(rest) = id.strip_prefix("event:") else {
        return false;
    };
    let Some((record, hash)) = rest.rsplit_once(':') else {
        return false;
    };
    let Some(Value::Array(history)) =
        local_record(local, record).and_then(|mut r| r.remove("history"))
    else {
        return false;
    };
    history
        .iter()
        .any(|entry| short_hash(entry.to_string().as_bytes()) == hash)
}
