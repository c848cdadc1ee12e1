//! Merging two copies of a pipeline (another device's export, later a sync
//! server's documents) so that every copy ends the same whichever merges
//! first.
//!
//! - Records: field by field the newer change wins (change clocks, see
//!   [`crate::domain::clock`]); a change that lost to one made at the same
//!   time without knowing it is kept on the record's timeline ("Also
//!   changed on Laptop: …"). Timelines are the union of both.
//! - Deletes: a record whose tombstone is newer than every change it has is
//!   gone, unless a record that stays still uses it: then it comes back and
//!   its timeline says so (see [`Pipeline::merge_facts`]).
//! - Then the pipeline's rules are made to hold again, the same way on
//!   every copy (see `merge_rules.rs`).
//!
//! Everything here is a function of the two copies' data, symmetric in
//! them: only what belongs to this copy (its device and numbers) is taken
//! from `self`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::stamping::{fields, fields_of};
use super::*;
use crate::domain::clock::{Stamp, BORN};
use crate::domain::history::HistoryEntry;
use crate::domain::stored::{from_plain, to_plain};

/// Fields that change together: a merge takes all of a group from the same
/// side (an amount carries its currency, which must be the deal's).
const GROUPS: [&[&str]; 1] = [&["terms.amount", "terms.currency"]];

/// What merging a file would do (and, after a merge, what it did), for the
/// preview: records added, changed and removed, by kind, and how many
/// values lost to a change made at the same time on the other device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub added: [usize; 4],
    pub changed: [usize; 4],
    pub removed: [usize; 4],
    /// Records neither copy changed since they last met.
    pub unchanged: usize,
    /// Values that lost and are now told on a timeline.
    pub conflicts: usize,
}

/// Which changes a device had seen when it made another, from the merges
/// every device recorded ([`MergeMark`]).
pub struct Knowledge<'a> {
    /// Each device's merges, oldest first.
    marks: BTreeMap<DeviceId, Vec<&'a MergeMark>>,
}

impl<'a> Knowledge<'a> {
    pub fn new(marks: &'a [MergeMark]) -> Knowledge<'a> {
        let mut by_device: BTreeMap<DeviceId, Vec<&MergeMark>> = BTreeMap::new();
        for m in marks {
            by_device.entry(m.device).or_default().push(m);
        }
        for list in by_device.values_mut() {
            list.sort_by_key(|m| m.at);
        }
        Knowledge { marks: by_device }
    }

    /// Whether the change stamped `later` was made knowing the one stamped
    /// `earlier`: on the same device after it, or after a merge that
    /// brought it.
    pub fn saw(&self, later: Hlc, earlier: Hlc) -> bool {
        if earlier.is_zero() || later.device == earlier.device {
            return earlier <= later;
        }
        let Some(marks) = self.marks.get(&later.device) else {
            return false;
        };
        let before = marks.partition_point(|m| m.at <= later);
        marks[..before]
            .last()
            .and_then(|m| m.seen.get(&earlier.device))
            .is_some_and(|seen| *seen >= earlier)
    }
}

/// A merge's result: the merged data, what it did, and the records it
/// added, changed or removed.
struct Merged {
    data: PipelineData,
    summary: MergeSummary,
    touched: Vec<(RecordKind, u64)>,
}

impl MergeSummary {
    /// Whether merging would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added == [0; 4] && self.changed == [0; 4] && self.removed == [0; 4]
    }
}

impl Pipeline {
    /// The stored value of one field of a record (`terms.amount`), `null`
    /// when it is empty or the record does not exist.
    pub fn field_value(&self, record: RecordRef, path: &str) -> Value {
        let fields = match record {
            RecordRef::Contact(id) => self.contact(id).map(fields),
            RecordRef::Lead(id) => self.lead(id).map(fields),
            RecordRef::Opportunity(id) => self.opportunity(id).map(fields),
            RecordRef::Account(id) => self.account(id).map(fields),
        };
        fields
            .and_then(|mut f| f.remove(path))
            .unwrap_or(Value::Null)
    }

    /// What [`Pipeline::merge`] with `other` would do, changing nothing.
    pub fn merge_preview(&self, other: &PipelineData) -> Result<MergeSummary, DomainError> {
        let merged = Pipeline::from_data(merged(&self.data, other))?;
        Ok(summary(&self.data, &merged.data).0)
    }

    /// Merges `other` (another copy of this pipeline) into this one, as one
    /// step that Undo takes back. Refused, with nothing changed, if the
    /// result would break the pipeline's rules.
    pub fn merge(
        &mut self,
        other: &PipelineData,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<MergeSummary, DomainError> {
        let Some(Merged { data, summary, .. }) = self.merged_with(other, now)? else {
            return Ok(MergeSummary::default());
        };
        self.run_at(now, |p, tx| {
            tx.before.push(Before::Everything(Box::new(p.data.clone())));
            p.data = data;
            p.rebuild_index();
            tx.label(UndoAction::Merge, what);
            Ok(summary)
        })
    }

    /// Merges what a sync server sent (a part of another copy: the records
    /// that changed there, see `crate::sync`) by the same rules as
    /// [`Pipeline::merge`], but as no Undo step: changes arriving from other
    /// devices are not this device's to take back, and Undo keeps offering
    /// the user's own last change.
    pub fn merge_synced(
        &mut self,
        other: &PipelineData,
        now: DateTime<Utc>,
    ) -> Result<MergeSummary, DomainError> {
        // Another device's merge mark alone (its answer to a change sent
        // from here) is the usual arrival of a live sync: kept without
        // merging every record to find that nothing else changed.
        let merged = if self.brings_only_marks(other) {
            None
        } else {
            self.merged_with(other, now)?
        };
        let Some(Merged {
            data,
            summary,
            touched,
        }) = merged
        else {
            // Merges alone change nothing, but are kept: every device then
            // knows the same merges, and later merges decide alike.
            let marks = all_marks(&self.data, other);
            if marks != self.data.merges {
                self.data.merges = marks;
                self.changes.record_merge(Vec::new());
            }
            return Ok(MergeSummary::default());
        };
        self.data = data;
        self.rebuild_index();
        // Which records changed is known, so readers of the documents (sync)
        // redo only those.
        self.changes.record_merge(touched);
        Ok(summary)
    }

    /// Whether `other` holds nothing but merge marks (no record, tombstone,
    /// newer device name or other settings than this copy's).
    fn brings_only_marks(&self, other: &PipelineData) -> bool {
        let d = &self.data;
        other.contacts.is_empty()
            && other.leads.is_empty()
            && other.opportunities.is_empty()
            && other.accounts.is_empty()
            && other.tombstones.is_empty()
            && other.default_currency == d.default_currency
            && other.language == d.language
            && other.custom_sources == d.custom_sources
            && other.settings_stamps == d.settings_stamps
            && other.sample == d.sample
            && other.devices.iter().all(|(device, name)| {
                d.devices
                    .get(device)
                    .is_some_and(|n| (name.at, &name.name) <= (n.at, &n.name))
            })
    }

    /// The merge of `other` into this copy, with the merge mark recorded,
    /// and the records it changed; `None` when it would change nothing.
    fn merged_with(
        &mut self,
        other: &PipelineData,
        now: DateTime<Utc>,
    ) -> Result<Option<Merged>, DomainError> {
        let mut merged = Pipeline::from_data(merged(&self.data, other))?;
        let (summary, touched) = summary(&self.data, &merged.data);
        if summary.is_empty() && same_content(&merged.data, &self.data) {
            return Ok(None);
        }
        if let Some(device) = self.data.device {
            // Recorded so later merges know what this device's next changes
            // were made knowing.
            let at = self.tick(Some(now));
            let seen = &mut merged.data.seen;
            for (d, reading) in other.seen.iter().chain(&self.data.seen) {
                let entry = seen.entry(*d).or_insert(*reading);
                *entry = (*entry).max(*reading);
            }
            if let Some(theirs) = other.device {
                let entry = seen.entry(theirs).or_insert(other.clock);
                *entry = (*entry).max(other.clock);
            }
            seen.insert(device, at);
            let mark = MergeMark {
                device,
                at,
                seen: seen.clone(),
            };
            merged.data.merges.push(mark);
            merged.data.clock = merged.data.clock.max(at);
        }
        Ok(Some(Merged {
            data: merged.data,
            summary,
            touched,
        }))
    }
}

/// What every copy of a pipeline shares once all have merged (each keeps
/// its own device, numbers, clock and record of its merges), as stored:
/// the tests' measure of "the copies are equal".
#[cfg(test)]
pub(in crate::domain) fn shared_json(p: &Pipeline) -> String {
    let d = PipelineData {
        device: None,
        next_id: 0,
        clock: Hlc::ZERO,
        seen: BTreeMap::new(),
        merges: Vec::new(),
        ..p.data.clone()
    };
    crate::domain::stored::to_json(&d)
}

/// Whether two copies hold the same records and settings (what merges
/// record about themselves aside).
fn same_content(a: &PipelineData, b: &PipelineData) -> bool {
    // Compared in place, not as two copies without those (each the size
    // of the pipeline); written out so that a new member is not forgotten.
    let PipelineData {
        next_id,
        default_currency,
        language,
        custom_sources,
        contacts,
        leads,
        opportunities,
        accounts,
        sample,
        device,
        devices,
        clock: _,
        tombstones,
        settings_stamps,
        seen: _,
        merges: _,
    } = a;
    *next_id == b.next_id
        && *default_currency == b.default_currency
        && *language == b.language
        && *custom_sources == b.custom_sources
        && *contacts == b.contacts
        && *leads == b.leads
        && *opportunities == b.opportunities
        && *accounts == b.accounts
        && *sample == b.sample
        && *device == b.device
        && *devices == b.devices
        && *tombstones == b.tombstones
        && *settings_stamps == b.settings_stamps
}

/// Both copies' merges, each once, in order.
fn all_marks(a: &PipelineData, b: &PipelineData) -> Vec<MergeMark> {
    let mut merges: Vec<MergeMark> = a.merges.iter().chain(&b.merges).cloned().collect();
    merges.sort();
    merges.dedup();
    merges
}

/// The two copies as one. `a` is this copy: its device and numbers stay.
pub(in crate::domain) fn merged(a: &PipelineData, b: &PipelineData) -> PipelineData {
    let merges = all_marks(a, b);
    let k = Knowledge::new(&merges);
    let mut out = PipelineData {
        next_id: a.next_id,
        device: a.device,
        clock: a.clock.max(b.clock),
        seen: a.seen.clone(),
        contacts: every_version(&a.contacts, &b.contacts, a, b, &k),
        leads: every_version(&a.leads, &b.leads, a, b, &k),
        opportunities: every_version(&a.opportunities, &b.opportunities, a, b, &k),
        accounts: every_version(&a.accounts, &b.accounts, a, b, &k),
        tombstones: merge_tombstones(&a.tombstones, &b.tombstones),
        devices: a.devices.clone(),
        sample: match (a.sample, b.sample) {
            (Some(x), Some(y)) => Some(SampleIds {
                first: x.first.min(y.first),
                end: x.end.max(y.end),
            }),
            (x, y) => x.or(y),
        },
        ..PipelineData::default()
    };
    for (device, name) in &b.devices {
        let newer = out
            .devices
            .get(device)
            .is_none_or(|n| (n.at, &n.name) < (name.at, &name.name));
        if newer {
            out.devices.insert(*device, name.clone());
        }
    }
    merge_settings(&mut out, a, b);
    settle_deletions(&mut out);
    super::merge_rules::restore_rules(&mut out);
    out.merges = merges;
    out
}

fn merge_settings(out: &mut PipelineData, a: &PipelineData, b: &PipelineData) {
    let (sa, sb) = (&a.settings_stamps, &b.settings_stamps);
    let mut stamps = Stamps::default();
    macro_rules! setting {
        ($field:ident) => {{
            let path = stringify!($field);
            let (ta, tb) = (sa.field(path), sb.field(path));
            let a_wins = match ta.at.cmp(&tb.at) {
                std::cmp::Ordering::Equal => {
                    serde_json::to_string(&a.$field).ok() >= serde_json::to_string(&b.$field).ok()
                }
                order => order.is_gt(),
            };
            let (value, stamp) = if a_wins {
                (a.$field.clone(), ta)
            } else {
                (b.$field.clone(), tb)
            };
            out.$field = value;
            if !stamp.at.is_zero() {
                stamps.put(path, stamp);
            }
        }};
    }
    setting!(default_currency);
    setting!(language);
    out.settings_stamps = stamps;
    out.custom_sources = merge_sources(&a.custom_sources, &b.custom_sources);
}

/// The user's own sources of both copies: the list as it is when both have
/// the same, else every source of either once (the first spelling in
/// Unicode order), in alphabetical order, so that every order of merging
/// ends with the same list. A source removed on one device stays while the
/// other still lists it.
fn merge_sources(a: &[String], b: &[String]) -> Vec<String> {
    if a == b {
        return a.to_vec();
    }
    let mut by_lower: BTreeMap<String, &String> = BTreeMap::new();
    for s in a.iter().chain(b) {
        let entry = by_lower.entry(s.to_lowercase()).or_insert(s);
        if s < *entry {
            *entry = s;
        }
    }
    by_lower.into_values().cloned().collect()
}

/// Both copies' tombstones, the later of two for the same record. The
/// records they hold are merged with the lists (see [`every_version`]) and
/// put back by [`settle_deletions`].
fn merge_tombstones(a: &[Tombstone], b: &[Tombstone]) -> Vec<Tombstone> {
    let mut all: BTreeMap<(RecordKind, u64), Hlc> = BTreeMap::new();
    for t in a.iter().chain(b) {
        let at = all.entry((t.kind, t.id)).or_insert(t.at);
        *at = (*at).max(t.at);
    }
    all.into_iter()
        .map(|((kind, id), at)| Tombstone {
            kind,
            id,
            at,
            record: None,
        })
        .collect()
}

/// The deleted records of one kind a copy still holds in its tombstones.
fn graves<T: Record>(stones: &[Tombstone]) -> Vec<T> {
    let mut out: Vec<T> = stones
        .iter()
        .filter(|t| t.kind == T::KIND)
        .filter_map(|t| from_plain(t.record.as_ref()?))
        .collect();
    out.sort_by_key(T::key);
    out
}

/// Every version of every record of one kind both copies hold, living or
/// deleted, merged into one per id.
fn every_version<T: Record>(
    a_list: &[T],
    b_list: &[T],
    a: &PipelineData,
    b: &PipelineData,
    k: &Knowledge,
) -> Vec<T> {
    // Most lists hold nothing a rule derived and have no graves: they are
    // merged as they are, without a copy.
    let changed = |list: &[T]| -> Option<Vec<T>> {
        list.iter()
            .any(|r| !r.derived().is_empty())
            .then(|| list.iter().map(as_changed).collect())
    };
    let all = |list: &[T], graves: Vec<T>| -> Option<Vec<T>> {
        let fixed = changed(list);
        if graves.is_empty() {
            return fixed;
        }
        let graves = changed(&graves).unwrap_or(graves);
        Some(merge_lists(fixed.as_deref().unwrap_or(list), &graves, k))
    };
    let a_all = all(a_list, graves::<T>(&a.tombstones));
    let b_all = all(b_list, graves::<T>(&b.tombstones));
    merge_lists(
        a_all.as_deref().unwrap_or(a_list),
        b_all.as_deref().unwrap_or(b_list),
        k,
    )
}

/// Two id-sorted lists as one: a record on one side only is taken as it
/// is, one on both is merged field by field.
fn merge_lists<T: Record>(a: &[T], b: &[T], k: &Knowledge) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.key() == y.key() => {
                out.push(merge_record(x, y, k));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.key() < y.key() => {
                out.push(x.clone());
                i += 1;
            }
            (Some(x), None) => {
                out.push(x.clone());
                i += 1;
            }
            (_, Some(y)) => {
                out.push(y.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The fields that change together with `path` (itself alone for most).
fn group_of(path: &str) -> Vec<String> {
    GROUPS.iter().find(|g| g.contains(&path)).map_or_else(
        || vec![path.to_owned()],
        |g| g.iter().map(|p| (*p).to_owned()).collect(),
    )
}

/// Which of two stamps of the same field wins; `None` when they are the
/// same change (then the values are compared).
fn newer(x: Stamp, y: Stamp) -> Option<bool> {
    match x.at.cmp(&y.at) {
        std::cmp::Ordering::Equal => None,
        order => Some(order.is_gt()),
    }
}

/// The record with what merge rules replaced put back: merging works on
/// what people changed, and the rules decide again afterwards.
fn as_changed<T: Record>(r: &T) -> T {
    if r.derived().is_empty() {
        return r.clone();
    }
    let mut value = to_plain(r);
    for (path, original) in r.derived() {
        super::stamping::set_path(&mut value, path, original.clone());
    }
    if let Value::Object(map) = &mut value {
        map.remove("derived");
    }
    from_plain(&value).unwrap_or_else(|| r.clone())
}

/// One record from two versions of it.
pub(in crate::domain) fn merge_record<T: Record>(x: &T, y: &T, k: &Knowledge) -> T {
    if x == y {
        return x.clone();
    }
    // Converted directly: merging runs on a screen of its own, so the
    // conversion's code is not part of the first load.
    let plain = |r: &T| serde_json::to_value(r).unwrap_or(Value::Null);
    let (px, py) = (plain(x), plain(y));
    let created = created_in(&px).min(created_in(&py));
    let id = px.get("id").cloned();
    let (fx, fy) = (fields_of(px), fields_of(py));
    let (sx, sy) = (x.stamps(), y.stamps());
    let born = sx.born().max(sy.born());
    let mut stamps = Stamps::default();
    if !born.is_zero() {
        stamps.set_born(born);
    }
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    let mut notes: Vec<HistoryEntry> = Vec::new();
    let mut paths: BTreeSet<String> = fx.keys().chain(fy.keys()).cloned().collect();
    paths.extend(
        sx.iter()
            .chain(sy.iter())
            .map(|(p, _)| p.to_owned())
            .filter(|p| p != BORN),
    );
    let mut done: BTreeSet<String> = BTreeSet::new();
    for path in &paths {
        if done.contains(path) {
            continue;
        }
        let group = group_of(path);
        done.extend(group.iter().cloned());
        let stamp_in = |s: &Stamps| group.iter().map(|p| s.field(p)).max().unwrap_or_default();
        let (tx, ty) = (stamp_in(sx), stamp_in(sy));
        let pick = |f: &BTreeMap<String, Value>| -> Vec<Option<Value>> {
            group.iter().map(|p| f.get(p).cloned()).collect()
        };
        let (vx, vy) = (pick(&fx), pick(&fy));
        let x_wins = newer(tx, ty)
            .unwrap_or_else(|| serde_json::to_string(&vx).ok() >= serde_json::to_string(&vy).ok());
        let (won, lost, won_stamps, t_won, t_lost) = if x_wins {
            (&vx, &vy, sx, tx, ty)
        } else {
            (&vy, &vx, sy, ty, tx)
        };
        for (p, v) in group.iter().zip(won) {
            if let Some(v) = v {
                values.insert(p.clone(), v.clone());
            }
            let stamp = won_stamps.field(p);
            if won_stamps.has(p) || stamp.at != born {
                stamps.put(p, stamp);
            }
        }
        // A change the winning one was made without knowing: it is told on
        // the timeline (whatever its value, so that every copy tells the
        // same, whichever merged first).
        let concurrent =
            t_won.at != t_lost.at && !t_lost.at.is_zero() && !k.saw(t_won.at, t_lost.at);
        if concurrent {
            let value = lost[0].clone().unwrap_or(Value::Null);
            notes.push(HistoryEntry {
                at: t_lost
                    .at
                    .time()
                    .map_or(created, super::super::time::to_second),
                event: Event::AlsoChanged {
                    field: group[0].clone(),
                    device: t_lost.at.device,
                    value: value.to_string(),
                },
                id: Some(t_lost.at),
            });
        }
    }
    let mut history = x.history().union(y.history());
    for note in notes {
        if !history
            .iter()
            .any(|e| e.at == note.at && e.event == note.event)
        {
            history.insert(note);
        }
    }
    build((x, y), (id, created), values, history, stamps)
}

/// A stored record's creation time.
fn created_in(stored: &Value) -> DateTime<Utc> {
    stored
        .get("created_at")
        .and_then(Value::as_i64)
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_default()
}

/// The merged record from its parts; if they do not make a record (they
/// always should), the version with the newest change.
fn build<T: Record>(
    (x, y): (&T, &T),
    (id, created): (Option<Value>, DateTime<Utc>),
    values: BTreeMap<String, Value>,
    history: History,
    stamps: Stamps,
) -> T {
    let fallback = || {
        if x.stamps().newest() >= y.stamps().newest() {
            x.clone()
        } else {
            y.clone()
        }
    };
    let mut object = Map::new();
    if let Some(id) = id {
        object.insert("id".into(), id);
    }
    object.insert("created_at".into(), Value::from(created.timestamp()));
    for (path, value) in values {
        match path.split_once('.') {
            Some((outer, inner)) => {
                let entry = object
                    .entry(outer.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(members) = entry {
                    members.insert(inner.to_owned(), value);
                }
            }
            None => {
                object.insert(path, value);
            }
        }
    }
    let (Ok(history), Ok(stamps)) = (
        serde_json::to_value(&history),
        serde_json::to_value(&stamps),
    ) else {
        return fallback();
    };
    object.insert("history".into(), history);
    object.insert("stamps".into(), stamps);
    serde_json::from_value(Value::Object(object)).unwrap_or_else(|_| fallback())
}

/// Removes the records whose tombstone is newer than every change they
/// have, except those a staying record still uses: those come back, and
/// their timelines say so.
fn settle_deletions(d: &mut PipelineData) {
    if d.tombstones.is_empty() {
        return;
    }
    let stones: BTreeMap<(RecordKind, u64), Hlc> = d
        .tombstones
        .iter()
        .map(|t| ((t.kind, t.id), t.at))
        .collect();
    let mut dead: BTreeSet<(RecordKind, u64)> = BTreeSet::new();
    let mut consider = |kind: RecordKind, id: u64, stamps: &Stamps| {
        if stones
            .get(&(kind, id))
            .is_some_and(|at| *at >= stamps.newest())
        {
            dead.insert((kind, id));
        }
    };
    for r in &d.contacts {
        consider(RecordKind::Contact, r.id.0, &r.stamps);
    }
    for r in &d.leads {
        consider(RecordKind::Lead, r.id.0, &r.stamps);
    }
    for r in &d.opportunities {
        consider(RecordKind::Opportunity, r.id.0, &r.stamps);
    }
    for r in &d.accounts {
        consider(RecordKind::Account, r.id.0, &r.stamps);
    }
    if dead.is_empty() {
        return;
    }
    // Bring back what staying records use, until nothing more is needed.
    loop {
        let stays = |kind: RecordKind, id: u64| !dead.contains(&(kind, id));
        let mut needed: Vec<(RecordKind, u64)> = Vec::new();
        for l in d.leads.iter().filter(|l| stays(RecordKind::Lead, l.id.0)) {
            needed.push((RecordKind::Contact, l.contact.0));
            needed.extend(l.opportunity().map(|o| (RecordKind::Opportunity, o.0)));
        }
        for o in d
            .opportunities
            .iter()
            .filter(|o| stays(RecordKind::Opportunity, o.id.0))
        {
            needed.push((RecordKind::Contact, o.contact.0));
            needed.extend(o.lead.map(|l| (RecordKind::Lead, l.0)));
            needed.extend(o.account.map(|a| (RecordKind::Account, a.0)));
        }
        for a in d
            .accounts
            .iter()
            .filter(|a| stays(RecordKind::Account, a.id.0))
        {
            needed.push((RecordKind::Contact, a.contact.0));
            needed.extend(a.contacts.iter().map(|c| (RecordKind::Contact, c.0)));
            needed.extend(a.won_deals.iter().map(|o| (RecordKind::Opportunity, o.0)));
        }
        let before = dead.len();
        for key in needed {
            dead.remove(&key);
        }
        if dead.len() == before {
            break;
        }
    }
    let mut bodies: BTreeMap<(RecordKind, u64), Value> = BTreeMap::new();
    bury_dead(&mut d.contacts, &dead, &mut bodies);
    bury_dead(&mut d.leads, &dead, &mut bodies);
    bury_dead(&mut d.opportunities, &dead, &mut bodies);
    bury_dead(&mut d.accounts, &dead, &mut bodies);
    for t in &mut d.tombstones {
        t.record = bodies.remove(&(t.kind, t.id));
    }
}

/// Takes the dead records out of `list`, keeping each (as stored) for its
/// tombstone.
fn bury_dead<T: Record>(
    list: &mut Vec<T>,
    dead: &BTreeSet<(RecordKind, u64)>,
    bodies: &mut BTreeMap<(RecordKind, u64), Value>,
) {
    list.retain(|r| {
        let key = (T::KIND, r.key());
        if !dead.contains(&key) {
            return true;
        }
        bodies.insert(key, to_plain(r));
        false
    });
}

pub(super) fn find_mut<T: Record>(list: &mut [T], id: u64) -> Option<&mut T> {
    let i = list.binary_search_by_key(&id, T::key).ok()?;
    Some(&mut list[i])
}

/// Counts what changes from `before` to `after`, by kind, and lists the
/// records added, changed or removed.
fn summary(before: &PipelineData, after: &PipelineData) -> (MergeSummary, Vec<(RecordKind, u64)>) {
    let mut s = MergeSummary::default();
    let mut touched = Vec::new();
    count(&mut s, &mut touched, 0, &before.contacts, &after.contacts);
    count(&mut s, &mut touched, 1, &before.leads, &after.leads);
    count(
        &mut s,
        &mut touched,
        2,
        &before.opportunities,
        &after.opportunities,
    );
    count(&mut s, &mut touched, 3, &before.accounts, &after.accounts);
    (s, touched)
}

fn count<T: Record>(
    s: &mut MergeSummary,
    touched: &mut Vec<(RecordKind, u64)>,
    kind: usize,
    before: &[T],
    after: &[T],
) {
    let conflicts = |r: &T| {
        r.history()
            .iter()
            .filter(|e| matches!(e.event, Event::AlsoChanged { .. }))
            .count()
    };
    for r in after {
        match position(before, r.key()) {
            None => {
                s.added[kind] += 1;
                s.conflicts += conflicts(r);
                touched.push((T::KIND, r.key()));
            }
            Some(i) if before[i] != *r => {
                s.changed[kind] += 1;
                touched.push((T::KIND, r.key()));
                s.conflicts += conflicts(r).saturating_sub(conflicts(&before[i]));
            }
            Some(_) => s.unchanged += 1,
        }
    }
    for r in before.iter().filter(|r| position(after, r.key()).is_none()) {
        s.removed[kind] += 1;
        touched.push((T::KIND, r.key()));
    }
}
