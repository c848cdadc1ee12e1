//! Sample data on an empty pipeline, and taking exactly it out again.

use super::*;

/// The records that are sample data: the ids `first..end`. Records the
/// user adds later get higher numbers, so they are never taken for sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleIds {
    pub first: u64,
    pub end: u64,
}

impl SampleIds {
    /// Sample records are numbered without a device (or, stored before
    /// devices existed, carry an old record's tag), so no record a device
    /// makes is ever taken for one.
    fn holds(&self, id: u64) -> bool {
        use crate::domain::ids::{number_of, tag_of, LEGACY_TAG};
        let untagged = tag_of(id) == 0 || tag_of(id) & LEGACY_TAG != 0;
        untagged && (self.first..self.end).contains(&u64::from(number_of(id)))
    }
}

/// What Remove sample data did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SampleRemoved {
    pub removed: usize,
    /// Sample records kept because the user's own records use them (a
    /// deal opened for a sample customer, say).
    pub kept: usize,
}

impl Pipeline {
    /// Whether sample data is shown.
    pub fn has_sample(&self) -> bool {
        self.data.sample.is_some()
    }

    /// Whether there is no contact, lead, opportunity or account.
    pub fn has_no_records(&self) -> bool {
        let d = &self.data;
        d.contacts.is_empty()
            && d.leads.is_empty()
            && d.opportunities.is_empty()
            && d.accounts.is_empty()
    }

    /// Puts `sample` (a pipeline made by the sample generator) into this
    /// empty pipeline, as one step that can be undone. Settings stay.
    pub fn add_sample(&mut self, sample: Pipeline) -> Result<(), DomainError> {
        if !self.has_no_records() {
            return Err(DomainError::SampleNeedsEmpty);
        }
        let mut data = Pipeline::from_data(sample.data)?.data;
        self.run(|p, tx| {
            tx.before.push(Before::Everything(Box::new(p.data.clone())));
            let first = data
                .contacts
                .iter()
                .map(|c| c.id.0)
                .min()
                .unwrap_or(data.next_id);
            data.sample = Some(SampleIds {
                first,
                end: data.next_id,
            });
            data.keep_local(&p.data);
            data.tombstones = p.data.tombstones.clone();
            data.settings_stamps = p.data.settings_stamps.clone();
            data.default_currency = p.data.default_currency;
            data.language = p.data.language;
            for source in &p.data.custom_sources {
                if !data.custom_sources.contains(source) {
                    data.custom_sources.push(source.clone());
                }
            }
            p.data = data;
            p.rebuild_index();
            tx.label(UndoAction::AddSample, "");
            Ok(())
        })
    }

    /// Takes the sample records out, and nothing the user added: a sample
    /// record one of the user's own records uses stays (with what it uses).
    pub fn remove_sample(&mut self) -> Result<SampleRemoved, DomainError> {
        let Some(sample) = self.data.sample else {
            return Err(DomainError::NoSample);
        };
        let keep = self.sample_in_use(sample);
        self.run(|p, tx| {
            tx.before.push(Before::Everything(Box::new(p.data.clone())));
            let gone = |id: u64| sample.holds(id) && !keep.contains(&id);
            // Tombstones, so that no copy that merged the sample brings it back.
            if p.data.device.is_some() {
                let removed: Vec<(RecordKind, u64)> = (p
                    .data
                    .contacts
                    .iter()
                    .map(|c| (RecordKind::Contact, c.id.0)))
                .chain(p.data.leads.iter().map(|l| (RecordKind::Lead, l.id.0)))
                .chain(
                    p.data
                        .opportunities
                        .iter()
                        .map(|o| (RecordKind::Opportunity, o.id.0)),
                )
                .chain(
                    p.data
                        .accounts
                        .iter()
                        .map(|a| (RecordKind::Account, a.id.0)),
                )
                .filter(|(_, id)| gone(*id))
                .collect();
                let at = p.tick(None);
                for (kind, id) in removed {
                    p.bury(kind, id, at, None);
                }
            }
            let before = p.data.contacts.len()
                + p.data.leads.len()
                + p.data.opportunities.len()
                + p.data.accounts.len();
            p.data.contacts.retain(|c| !gone(c.id.0));
            p.data.leads.retain(|l| !gone(l.id.0));
            p.data.opportunities.retain(|o| !gone(o.id.0));
            p.data.accounts.retain(|a| !gone(a.id.0));
            p.data.sample = None;
            p.rebuild_index();
            let after = p.data.contacts.len()
                + p.data.leads.len()
                + p.data.opportunities.len()
                + p.data.accounts.len();
            tx.label(UndoAction::RemoveSample, "");
            Ok(SampleRemoved {
                removed: before - after,
                kept: keep.len(),
            })
        })
    }

    /// The sample records that records staying behind point at, followed
    /// until nothing more is needed.
    fn sample_in_use(&self, sample: SampleIds) -> std::collections::HashSet<u64> {
        let mut keep = std::collections::HashSet::new();
        loop {
            let stays = |id: u64| !sample.holds(id) || keep.contains(&id);
            let mut needed: Vec<u64> = Vec::new();
            for l in self.data.leads.iter().filter(|l| stays(l.id.0)) {
                needed.push(l.contact.0);
                needed.extend(l.opportunity().map(|o| o.0));
            }
            for o in self.data.opportunities.iter().filter(|o| stays(o.id.0)) {
                needed.push(o.contact.0);
                needed.extend(o.lead.map(|l| l.0));
                needed.extend(o.account.map(|a| a.0));
            }
            for a in self.data.accounts.iter().filter(|a| stays(a.id.0)) {
                needed.push(a.contact.0);
                needed.extend(a.contacts.iter().map(|c| c.0));
                needed.extend(a.won_deals.iter().map(|o| o.0));
            }
            let before = keep.len();
            keep.extend(needed.into_iter().filter(|id| sample.holds(*id)));
            if keep.len() == before {
                return keep;
            }
        }
    }
}
