//! What merges did to a record, read from the record as it is now (its
//! tombstone and the values the merge rules derived), so that every copy
//! tells the same story whichever merged first.

use super::*;
use crate::domain::ids::DeviceId;

/// One thing a merge did to a record, for its timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeFact {
    /// Deleted on `device`, and brought back because another device still
    /// used it (or changed it later).
    Restored { device: DeviceId },
    /// The lead was converted on two devices; it points at the other
    /// opportunity, and this one lost the link.
    ConvertedElsewhere,
    /// The contact was made a lead on two devices; this one was
    /// disqualified and the older one stays.
    DuplicateLead,
    /// Qualified on one device while a box was unticked on another.
    BackToContacted,
    /// Won on one device while the amount or customer went on another.
    ReopenedAt(Stage),
}

impl Pipeline {
    /// What merges did to `record`, with when, oldest first.
    pub fn merge_facts(&self, record: RecordRef) -> Vec<(DateTime<Utc>, MergeFact)> {
        let (kind, id, stamps, derived) = match record {
            RecordRef::Contact(id) => match self.contact(id) {
                Some(r) => (RecordKind::Contact, r.id.0, &r.stamps, &r.derived),
                None => return Vec::new(),
            },
            RecordRef::Lead(id) => match self.lead(id) {
                Some(r) => (RecordKind::Lead, r.id.0, &r.stamps, &r.derived),
                None => return Vec::new(),
            },
            RecordRef::Opportunity(id) => match self.opportunity(id) {
                Some(r) => (RecordKind::Opportunity, r.id.0, &r.stamps, &r.derived),
                None => return Vec::new(),
            },
            RecordRef::Account(id) => match self.account(id) {
                Some(r) => (RecordKind::Account, r.id.0, &r.stamps, &r.derived),
                None => return Vec::new(),
            },
        };
        let when = |at: Hlc| at.time().unwrap_or_default();
        let mut facts = Vec::new();
        if let Some(stone) = self.tombstone(kind, id) {
            // Deleted after it was made (an undone delete makes it anew).
            if stone.at > stamps.born() {
                facts.push((
                    when(stone.at),
                    MergeFact::Restored {
                        device: stone.at.device,
                    },
                ));
            }
        }
        let status = stamps.field("status");
        let by_rule = |path: &str| derived.contains_key(path);
        match record {
            RecordRef::Lead(id) if by_rule("status") => {
                let fact = match self.lead(id).map(|l| l.status.kind()) {
                    Some(LeadStatusKind::Disqualified) => Some(MergeFact::DuplicateLead),
                    Some(LeadStatusKind::Contacted) => Some(MergeFact::BackToContacted),
                    _ => None,
                };
                facts.extend(fact.map(|f| (when(status.at), f)));
            }
            RecordRef::Opportunity(id) => {
                let lead = stamps.field("lead");
                if by_rule("lead") && self.opportunity(id).is_some_and(|o| o.lead.is_none()) {
                    facts.push((when(lead.at), MergeFact::ConvertedElsewhere));
                }
                if let Some(o) = self
                    .opportunity(id)
                    .filter(|o| by_rule("status") && o.is_open())
                {
                    facts.push((when(status.at), MergeFact::ReopenedAt(o.stage())));
                }
            }
            _ => {}
        }
        facts.sort_by_key(|(at, _)| *at);
        facts
    }
}
