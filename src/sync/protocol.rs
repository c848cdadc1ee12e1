//! The CouchDB replication protocol's requests and answers, as serde types
//! and paths relative to the database's address.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::docs::Doc;
use super::revs::{self, Leaf};

/// How a request is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// One request to the database: `path` is relative to its address (empty
/// for the database itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Option<String>,
    /// A long poll: the server answers when something changes, so the
    /// transport gives up after a while of its own (servers that ignore
    /// `timeout` exist).
    pub long: bool,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            path: path.into(),
            body: None,
            long: false,
        }
    }

    pub fn send(method: Method, path: impl Into<String>, body: &impl Serialize) -> Request {
        Request {
            method,
            path: path.into(),
            body: serde_json::to_string(body).ok(),
            long: false,
        }
    }
}

/// A server's answer: its HTTP status and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// A page of `_changes?style=all_docs`.
#[derive(Debug, Deserialize)]
pub struct Changes {
    pub results: Vec<ChangeRow>,
    pub last_seq: Value,
}

#[derive(Debug, Deserialize)]
pub struct ChangeRow {
    pub id: String,
    pub changes: Vec<RevOnly>,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
pub struct RevOnly {
    pub rev: String,
}

/// `_changes` from `since`, at most `limit` rows, every leaf of each
/// document. `long`: wait for a change.
pub fn changes(since: &Value, limit: usize, long: bool) -> Request {
    let since = encode(&seq_text(since));
    let mut r = Request::get(format!(
        "_changes?style=all_docs&since={since}&limit={limit}{}",
        if long {
            "&feed=longpoll&timeout=25000"
        } else {
            ""
        }
    ));
    r.long = long;
    r
}

/// A sequence as the query string takes it (numbers as they are, strings
/// unquoted).
pub fn seq_text(seq: &Value) -> String {
    match seq {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What stays as it is in a query value or an id in a path: RFC 3986's
/// unreserved characters (CouchDB's opaque sequences hold `-` and base64).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query value or document id.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// `_revs_diff`: which of these revisions the server lacks.
pub fn revs_diff(wanted: &BTreeMap<String, Vec<String>>) -> Request {
    Request::send(Method::Post, "_revs_diff", wanted)
}

#[derive(Debug, Deserialize)]
pub struct RevsDiffEntry {
    #[serde(default)]
    pub missing: Vec<String>,
}

pub type RevsDiff = BTreeMap<String, RevsDiffEntry>;

/// `_bulk_get?revs=true` for exact revisions.
pub fn bulk_get(wanted: &[(String, String)]) -> Request {
    let docs: Vec<Value> = wanted
        .iter()
        .map(|(id, rev)| serde_json::json!({ "id": id, "rev": rev }))
        .collect();
    Request::send(
        Method::Post,
        "_bulk_get?revs=true",
        &serde_json::json!({ "docs": docs }),
    )
}

#[derive(Debug, Deserialize)]
pub struct BulkGet {
    pub results: Vec<BulkGetResult>,
}

#[derive(Debug, Deserialize)]
pub struct BulkGetResult {
    pub docs: Vec<BulkGetDoc>,
}

#[derive(Debug, Deserialize)]
pub struct BulkGetDoc {
    pub ok: Option<Map<String, Value>>,
}

/// A document as the server sent it: its revision and our [`Doc`].
pub fn from_server(mut fields: Map<String, Value>) -> Option<(String, Doc)> {
    let id = fields.remove("_id")?.as_str()?.to_owned();
    let rev = fields.remove("_rev")?.as_str()?.to_owned();
    let deleted = fields.remove("_deleted") == Some(Value::Bool(true));
    fields.retain(|k, _| !k.starts_with('_'));
    Some((rev, Doc::with(id, deleted, Value::Object(fields))))
}

/// A document as `_bulk_docs` with `new_edits: false` takes it.
pub fn to_server(doc: &Doc, rev: &str, parent: Option<&str>) -> Value {
    let mut fields = match &doc.body {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    fields.insert("_id".into(), Value::String(doc.id.clone()));
    fields.insert("_rev".into(), Value::String(rev.into()));
    fields.insert("_revisions".into(), revs::history(rev, parent));
    if doc.deleted {
        fields.insert("_deleted".into(), Value::Bool(true));
    }
    Value::Object(fields)
}

/// The revision that removes a losing leaf of a conflict.
pub fn leaf_deletion(id: &str, leaf: &Leaf) -> Value {
    let rev = revs::deletion(&leaf.rev);
    serde_json::json!({
        "_id": id,
        "_rev": rev,
        "_deleted": true,
        "_revisions": revs::history(&rev, Some(&leaf.rev)),
    })
}

/// `_bulk_docs` keeping the revisions as given.
pub fn bulk_docs(docs: Vec<Value>) -> Request {
    Request::send(
        Method::Post,
        "_bulk_docs",
        &serde_json::json!({ "new_edits": false, "docs": docs }),
    )
}

/// A row of `_bulk_docs`'s answer: with `new_edits: false` servers list
/// only the documents they refused (CouchDB) or none (PouchDB).
#[derive(Debug, Deserialize)]
pub struct BulkDocsRow {
    #[serde(default)]
    pub error: Option<String>,
}

/// A replication checkpoint as both sides keep it (`_local/<id>`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    #[serde(rename = "_rev", default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    pub session_id: String,
    pub last_seq: Value,
    #[serde(default)]
    pub history: Vec<CheckpointEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointEntry {
    pub session_id: String,
    pub recorded_seq: Value,
}

impl Checkpoint {
    /// The sequence to go on from, given this copy's own checkpoint: the
    /// last both recorded in the same session (the newest such), else the
    /// start.
    pub fn agreed(local: &Checkpoint, remote: &Checkpoint) -> Value {
        if local.session_id == remote.session_id && local.last_seq == remote.last_seq {
            return local.last_seq.clone();
        }
        for l in std::iter::once(&CheckpointEntry {
            session_id: local.session_id.clone(),
            recorded_seq: local.last_seq.clone(),
        })
        .chain(&local.history)
        {
            let found = remote
                .history
                .iter()
                .chain(std::iter::once(&CheckpointEntry {
                    session_id: remote.session_id.clone(),
                    recorded_seq: remote.last_seq.clone(),
                }))
                .any(|r| r.session_id == l.session_id && r.recorded_seq == l.recorded_seq);
            if found {
                return l.recorded_seq.clone();
            }
        }
        Value::from(0)
    }

    /// This checkpoint moved on to `seq` in `session`, its history keeping
    /// the last few sessions (CouchDB keeps 50; a few are enough to agree).
    pub fn advance(&mut self, session: &str, seq: Value) {
        if self.session_id != session {
            if !self.session_id.is_empty() {
                self.history.insert(
                    0,
                    CheckpointEntry {
                        session_id: self.session_id.clone(),
                        recorded_seq: self.last_seq.clone(),
                    },
                );
                self.history.truncate(5);
            }
            self.session_id = session.to_owned();
        }
        self.last_seq = seq;
    }
}

/// The path of a replication's checkpoint document.
pub fn checkpoint_path(replication_id: &str) -> String {
    format!("_local/{}", encode(replication_id))
}
