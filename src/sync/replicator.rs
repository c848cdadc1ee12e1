//! The replicator: CouchDB's replication algorithm in both directions
//! between this copy and one database, over any [`Transport`].
//!
//! Pull: read the checkpoint (`_local/<replication id>`) on both sides and
//! go on from the last sequence both recorded; read `_changes` in batches
//! with every leaf (`style=all_docs`); ask `_bulk_get` for the revisions
//! this copy lacks; merge them with the domain's rules; record the
//! checkpoint on both sides. Push: the documents whose text changed since
//! they were last sent or received get a new revision (see
//! [`super::revs`]); `_revs_diff` says which the server lacks and
//! `_bulk_docs` with `new_edits: false` writes those. A conflict the server
//! holds is merged on pull and resolved on push: the merged document is
//! written after the winning leaf and the other leaves are deleted, so the
//! server ends with one leaf per document.
//!
//! An interrupted sync resumes from the last checkpoint: batches merged
//! before stay merged, and what the server already has is not sent again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::docs::{self, assemble, Doc, DocKind};
use super::error::{Failure, SyncError};
use super::protocol::{self as p, Checkpoint, Reply, Request};
use super::revs::{self, Leaf};
use crate::domain::{DomainError, Pipeline, PipelineData};

/// Rows of `_changes` read at a time.
pub const CHANGES_BATCH: usize = 2000;
/// Documents asked for or written in one request.
const DOCS_BATCH: usize = 500;

/// Sends a request to the database and returns the answer, or why there
/// was none.
pub trait Transport {
    fn send(&self, request: Request) -> impl Future<Output = Result<Reply, Failure>>;
}

/// The copy of the pipeline on this device, as the replicator sees it.
pub trait LocalCopy {
    /// Runs `f` on the pipeline as it is now.
    fn read<R>(&self, f: impl FnOnce(&Pipeline) -> R) -> R;
    /// Merges what arrived (see [`crate::domain::Pipeline::merge_synced`]).
    fn merge(&self, other: &PipelineData) -> Result<(), DomainError>;
    /// Keeps the replication's state (after each batch and at the end).
    fn save_state(&self, state: &SyncState);
}

/// What this copy knows of a document on the server: the revision it last
/// sent or received, what its text was then, and (for a record) how many
/// timeline entries it had sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known(pub String, pub String, #[serde(default)] pub usize);

/// A replication's state on this device, kept between syncs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// This copy's pull checkpoint (the server keeps its own copy).
    #[serde(default)]
    pub checkpoint: Checkpoint,
    /// Documents by id, except events (which never change).
    #[serde(default)]
    pub docs: BTreeMap<String, Known>,
    /// Documents with conflicting leaves on the server, to resolve on the
    /// next push.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub leaves: BTreeMap<String, Vec<Leaf>>,
    /// Events whose record has not arrived yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<Doc>,
    /// Send everything the server lacks (its database was new, or made
    /// again), not only what changed.
    #[serde(default)]
    pub reconcile: bool,
}

/// What one sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Documents received from the server.
    pub received: usize,
    /// Documents written to the server.
    pub sent: usize,
}

pub struct Replicator<T> {
    transport: T,
    replication_id: String,
    session: String,
    pub state: SyncState,
    /// The server's checkpoint document's revision.
    remote_rev: Option<String>,
    /// Rows of `_changes` read at a time.
    pub batch: usize,
    /// This copy's documents as last worked out.
    cache: docs::DocCache,
}

/// The answer's text as `T`, or the error its status means.
fn answer<T: serde::de::DeserializeOwned>(reply: Reply) -> Result<T, SyncError> {
    if let Some(e) = SyncError::from_status(reply.status) {
        return Err(e);
    }
    serde_json::from_str(&reply.body).map_err(|_| SyncError::BadAnswer)
}

impl<T: Transport> Replicator<T> {
    /// A replicator for the replication `replication_id` (this device and
    /// this database), running as session `session` (new each run).
    pub fn new(transport: T, replication_id: String, session: String, state: SyncState) -> Self {
        Replicator {
            transport,
            replication_id,
            session,
            state,
            remote_rev: None,
            batch: CHANGES_BATCH,
            cache: docs::DocCache::default(),
        }
    }

    async fn send(&self, request: Request) -> Result<Reply, SyncError> {
        Ok(self.transport.send(request).await?)
    }

    /// One sync: both directions, until this copy and the server hold the
    /// same.
    pub async fn sync(&mut self, local: &impl LocalCopy) -> Result<SyncReport, SyncError> {
        // The database itself first: a wrong password or a missing
        // database is said before anything else is asked.
        let _: Value = answer(self.send(Request::get("")).await?)?;
        self.read_checkpoint().await?;
        let received = self.pull(local).await?;
        if received > 0 {
            // What arrived is this copy's now, whatever becomes of the push.
            local.save_state(&self.state);
        }
        let sent = self.push(local).await?;
        local.save_state(&self.state);
        Ok(SyncReport { received, sent })
    }

    /// Waits for the server to change after the checkpoint (a long poll);
    /// `true` if something changed, `false` if the wait ran out.
    pub async fn wait_for_change(&self) -> Result<bool, SyncError> {
        let request = p::changes(&self.state.checkpoint.last_seq, 1, true);
        match self.transport.send(request).await {
            Ok(reply) => {
                let changes: p::Changes = answer(reply)?;
                Ok(!changes.results.is_empty())
            }
            Err(Failure::TimedOut) => Ok(false),
            Err(f) => Err(f.into()),
        }
    }

    async fn read_checkpoint(&mut self) -> Result<(), SyncError> {
        let path = p::checkpoint_path(&self.replication_id);
        let reply = self.send(Request::get(path)).await?;
        let remote: Option<Checkpoint> = match reply.status {
            404 => None,
            _ => Some(answer(reply)?),
        };
        self.remote_rev = remote.as_ref().and_then(|c| c.rev.clone());
        let had_progress = !self.state.docs.is_empty()
            || (self.state.checkpoint.last_seq != 0 && !self.state.checkpoint.last_seq.is_null());
        let since = match &remote {
            Some(remote) => Checkpoint::agreed(&self.state.checkpoint, remote),
            None => Value::from(0),
        };
        if since == 0 && had_progress {
            // The server no longer has what this copy sent (its database
            // was made again, or its checkpoint lost): start over, and
            // send whatever it lacks.
            self.state.reconcile = true;
            self.state.leaves.clear();
        }
        if since != self.state.checkpoint.last_seq {
            self.state.checkpoint.last_seq = since;
        }
        Ok(())
    }

    async fn write_checkpoint(&mut self, seq: Value) -> Result<(), SyncError> {
        self.state.checkpoint.advance(&self.session, seq);
        let mut remote = self.state.checkpoint.clone();
        remote.rev = self.remote_rev.clone();
        let path = p::checkpoint_path(&self.replication_id);
        let reply = self
            .send(Request::send(p::Method::Put, path, &remote))
            .await?;
        #[derive(Deserialize)]
        struct Saved {
            rev: Option<String>,
        }
        let saved: Saved = answer(reply)?;
        self.remote_rev = saved.rev;
        Ok(())
    }

    /// Brings in what changed on the server since the checkpoint; returns
    /// how many documents arrived.
    ///
    /// A page is merged as soon as it can be: one that holds a record
    /// whose partner (a lead's opportunity, say) is on a later page is
    /// held and merged with the pages after it, and the checkpoint moves
    /// only past what was merged.
    async fn pull(&mut self, local: &impl LocalCopy) -> Result<usize, SyncError> {
        let mut received = 0;
        let mut held: Vec<Arrived> = Vec::new();
        let mut since = self.state.checkpoint.last_seq.clone();
        loop {
            let page: p::Changes = answer(self.send(p::changes(&since, self.batch, false)).await?)?;
            let rows = page.results.len();
            let wanted = local.read(|p| self.missing(p.data(), &page.results));
            let conflicted: BTreeSet<&str> = page
                .results
                .iter()
                .filter(|r| r.changes.len() > 1)
                .map(|r| r.id.as_str())
                .collect();
            for chunk in wanted.chunks(DOCS_BATCH) {
                let got: p::BulkGet = answer(self.send(p::bulk_get(chunk)).await?)?;
                for doc in got.results.into_iter().flat_map(|r| r.docs) {
                    if let Some((rev, doc)) = doc.ok.and_then(p::from_server) {
                        let conflict = conflicted.contains(doc.id.as_str());
                        held.push(Arrived { rev, doc, conflict });
                        received += 1;
                    }
                }
            }
            since = page.last_seq.clone();
            let merged = match self.take_in(local, &held) {
                Ok(()) => true,
                // A later page may hold what completes it.
                Err(SyncError::Merge(_)) if rows == self.batch => false,
                Err(e) => return Err(e),
            };
            if merged {
                held.clear();
                if since != self.state.checkpoint.last_seq {
                    self.write_checkpoint(since.clone()).await?;
                }
            }
            if rows < self.batch {
                return Ok(received);
            }
            if merged {
                // Kept between pages, so that a long first sync cut off
                // resumes here (the last page's state is kept at the end of
                // the sync).
                local.save_state(&self.state);
            }
        }
    }

    /// The revisions of `rows` this copy lacks (a conflict: every leaf).
    fn missing(&self, data: &PipelineData, rows: &[p::ChangeRow]) -> Vec<(String, String)> {
        let mut wanted = Vec::new();
        for row in rows {
            let Some(kind) = DocKind::of(&row.id) else {
                continue;
            };
            let conflict = row.changes.len() > 1;
            for leaf in &row.changes {
                let have = match kind {
                    DocKind::Event => docs::has_event(data, &row.id),
                    _ => {
                        !conflict
                            && self
                                .state
                                .docs
                                .get(&row.id)
                                .is_some_and(|k| k.0 == leaf.rev)
                    }
                };
                if !have {
                    wanted.push((row.id.clone(), leaf.rev.clone()));
                }
            }
        }
        wanted
    }

    /// Merges what arrived into this copy, and notes what the server now
    /// holds. Nothing is noted if the merge is refused.
    fn take_in(&mut self, local: &impl LocalCopy, arrived: &[Arrived]) -> Result<(), SyncError> {
        if arrived.is_empty() && self.state.waiting.is_empty() {
            return Ok(());
        }
        let docs: Vec<Doc> = self
            .state
            .waiting
            .iter()
            .chain(arrived.iter().map(|a| &a.doc))
            .cloned()
            .collect();
        let assembled = local
            .read(|p| assemble(p.data(), &docs))
            .map_err(|_| SyncError::BadAnswer)?;
        local.merge(&assembled.data).map_err(SyncError::Merge)?;
        self.state.waiting = assembled.waiting;
        for a in arrived {
            let id = &a.doc.id;
            if a.conflict {
                let leaves = self.state.leaves.entry(id.clone()).or_default();
                if !leaves.iter().any(|l| l.rev == a.rev) {
                    leaves.push(Leaf {
                        rev: a.rev.clone(),
                        deleted: a.doc.deleted,
                    });
                }
                continue;
            }
            if DocKind::of(id) == Some(DocKind::Event) {
                continue;
            }
            let events = self.state.docs.get(id).map_or(0, |k| k.2);
            let known = Known(a.rev.clone(), a.doc.digest().to_owned(), events);
            self.state.docs.insert(id.clone(), known);
        }
        Ok(())
    }

    /// Sends what the server lacks; returns how many documents were written.
    async fn push(&mut self, local: &impl LocalCopy) -> Result<usize, SyncError> {
        let all = local.read(|p| self.cache.documents_of(p));
        let plan = self.plan(&all);
        let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for out in &plan.docs {
            wanted
                .entry(out.doc.id.clone())
                .or_default()
                .push(out.rev.clone());
        }
        let mut missing: BTreeSet<(String, String)> = BTreeSet::new();
        let ids: Vec<&String> = wanted.keys().collect();
        for chunk in ids.chunks(DOCS_BATCH * 2) {
            let part: BTreeMap<String, Vec<String>> = chunk
                .iter()
                .map(|id| ((*id).clone(), wanted[*id].clone()))
                .collect();
            let diff: p::RevsDiff = answer(self.send(p::revs_diff(&part)).await?)?;
            for (id, entry) in diff {
                missing.extend(entry.missing.into_iter().map(|rev| (id.clone(), rev)));
            }
        }
        let mut writes: Vec<Value> = plan
            .docs
            .iter()
            .filter(|o| missing.contains(&(o.doc.id.clone(), o.rev.clone())))
            .map(|o| p::to_server(&o.doc, &o.rev, o.parent.as_deref()))
            .collect();
        writes.extend(plan.deletions);
        let sent = writes.len();
        for chunk in writes.chunks(DOCS_BATCH) {
            let rows: Vec<p::BulkDocsRow> = answer(self.send(p::bulk_docs(chunk.to_vec())).await?)?;
            if rows.iter().any(|r| r.error.is_some()) {
                return Err(SyncError::NotAllowed);
            }
        }
        for out in plan.docs {
            if out.doc.id.starts_with("event:") {
                continue;
            }
            self.state.leaves.remove(&out.doc.id);
            let digest = out.doc.digest().to_owned();
            self.state
                .docs
                .insert(out.doc.id, Known(out.rev, digest, out.events));
        }
        self.state.reconcile = false;
        Ok(sent)
    }

    /// The documents to offer the server, with their revisions, and the
    /// deletions of conflicts' losing leaves.
    fn plan(&self, all: &[std::rc::Rc<Doc>]) -> Plan {
        // Keyed by borrowed ids: tens of thousands of events, each a copy
        // of its record's id, took a quarter of a second in the browser.
        let mut events_of: HashMap<&str, Vec<&Doc>> = HashMap::with_capacity(all.len() / 2);
        for d in all {
            if let Some(of) = d.record_of_event() {
                events_of.entry(of).or_default().push(d);
            }
        }
        let mut plan = Plan::default();
        for doc in all
            .iter()
            .filter(|d| DocKind::of(&d.id) != Some(DocKind::Event))
        {
            let events = events_of
                .get(doc.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let known = self.state.docs.get(&doc.id);
            let (rev, parent) = if let Some(leaves) = self.state.leaves.get(&doc.id) {
                let win = revs::winner(leaves).map(|l| l.rev.clone());
                for leaf in leaves {
                    if Some(&leaf.rev) != win.as_ref() && !leaf.deleted {
                        plan.deletions.push(p::leaf_deletion(&doc.id, leaf));
                    }
                }
                (revs::next(win.as_deref(), doc), win)
            } else {
                match known {
                    None => (revs::next(None, doc), None),
                    Some(k) if k.1 != doc.digest() => {
                        (revs::next(Some(&k.0), doc), Some(k.0.clone()))
                    }
                    Some(k) if self.state.reconcile => (k.0.clone(), None),
                    Some(k) if k.2 != events.len() => (k.0.clone(), None),
                    Some(_) => continue,
                }
            };
            for e in events {
                let rev = revs::next(None, e);
                plan.docs.push(Outgoing {
                    doc: (*e).clone(),
                    rev,
                    parent: None,
                    events: 0,
                });
            }
            plan.docs.push(Outgoing {
                doc: Doc::clone(doc),
                rev,
                parent,
                events: events.len(),
            });
        }
        plan
    }
}

/// A document revision that arrived, and whether it is one of several
/// leaves.
struct Arrived {
    rev: String,
    doc: Doc,
    conflict: bool,
}

#[derive(Default)]
struct Plan {
    docs: Vec<Outgoing>,
    deletions: Vec<Value>,
}

struct Outgoing {
    doc: Doc,
    rev: String,
    parent: Option<String>,
    events: usize,
}
