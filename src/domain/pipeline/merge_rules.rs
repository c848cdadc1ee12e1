//! After a merge the pipeline's rules hold again, decided the same way on
//! every copy (a function of the merged data alone). A rule keeps the value
//! it replaces in the record's `derived`, and every merge puts those back
//! before merging, so what the rules make never depends on the order of
//! merging. The timeline tells what a rule changed from them
//! (`Pipeline::merge_facts`).
//!
//! - A lead converted on two devices points at the older opportunity
//!   (lowest id); the other opportunity stays, without a lead, and its
//!   timeline says why. An opportunity made from a lead keeps the lead
//!   converted (conversion is final).
//! - A qualified lead whose gate no longer holds (a box unticked on the
//!   other device) goes back to Contacted.
//! - A contact made a lead on two devices keeps the older lead active; the
//!   other is disqualified (reason Other).
//! - A deal won on one device and lost (or reopened) on the other is what
//!   its newest change says; the account lists exactly its won deals. A won
//!   deal that lost its amount or account goes back to its last open stage.
//! - An account's main contact is among its contacts; every custom source a
//!   contact uses is listed.

use super::merge::find_mut;
use super::*;

/// Keeps the value a rule is about to replace (the first time only: a
/// second rule on the same field keeps the user's value).
fn keep<T: Serialize>(derived: &mut Derived, path: &str, value: &T) {
    if !derived.contains_key(path) {
        derived.insert(path.to_owned(), crate::domain::stored::to_plain(value));
    }
}

pub(super) fn restore_rules(d: &mut PipelineData) {
    one_conversion_per_lead(d);
    gate_holds(d);
    one_active_lead_per_contact(d);
    won_deals_are_listed(d);
    main_contacts_are_listed(d);
    sources_are_listed(d);
}

fn one_conversion_per_lead(d: &mut PipelineData) {
    let mut pointing: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for o in &d.opportunities {
        if let Some(lead) = o.lead {
            pointing.entry(lead.0).or_default().push(o.id.0);
        }
    }
    for (lead, opportunities) in pointing {
        let Some(l) = find_mut(&mut d.leads, lead) else {
            continue;
        };
        let kept = match l.status {
            LeadStatus::Converted { opportunity } if opportunities.contains(&opportunity.0) => {
                opportunity.0
            }
            _ => {
                // Converted is final: the oldest opportunity made from it wins.
                let kept = opportunities[0];
                keep(&mut l.derived, "status", &l.status);
                l.status = LeadStatus::Converted {
                    opportunity: OpportunityId(kept),
                };
                kept
            }
        };
        for other in opportunities.into_iter().filter(|o| *o != kept) {
            if let Some(o) = find_mut(&mut d.opportunities, other) {
                keep(&mut o.derived, "lead", &o.lead);
                o.lead = None;
            }
        }
    }
}

fn gate_holds(d: &mut PipelineData) {
    for l in &mut d.leads {
        if l.status.kind() == LeadStatusKind::Qualified && !l.checklist.gate_holds() {
            keep(&mut l.derived, "status", &l.status);
            l.status = LeadStatus::Contacted;
        }
    }
}

fn one_active_lead_per_contact(d: &mut PipelineData) {
    let mut first: HashMap<ContactId, (Hlc, LeadId)> = HashMap::new();
    for l in d.leads.iter().filter(|l| l.status.kind().is_active()) {
        let key = (l.stamps.born(), l.id);
        let entry = first.entry(l.contact).or_insert(key);
        *entry = (*entry).min(key);
    }
    for l in &mut d.leads {
        let Some((_, kept)) = first.get(&l.contact).copied() else {
            continue;
        };
        if l.id != kept && l.status.kind().is_active() {
            keep(&mut l.derived, "status", &l.status);
            l.status = LeadStatus::Disqualified {
                reason: DisqualifyReason::Other,
                note: String::new(),
            };
        }
    }
}

fn won_deals_are_listed(d: &mut PipelineData) {
    // A won deal needs an amount and an account to count on.
    let accounts: BTreeSet<u64> = d.accounts.iter().map(|a| a.id.0).collect();
    for o in &mut d.opportunities {
        let won = matches!(o.status, OpportunityStatus::Won { .. });
        let counts = o.terms.amount.is_some_and(Money::is_positive)
            && o.account.is_some_and(|a| accounts.contains(&a.0));
        if won && !counts {
            let stage = o
                .history
                .stage_before_last_close()
                .unwrap_or(Stage::Contract);
            keep(&mut o.derived, "status", &o.status);
            o.status = OpportunityStatus::open(stage).unwrap_or(OpportunityStatus::Contract);
        }
    }
    let won: BTreeMap<u64, Option<AccountId>> = d
        .opportunities
        .iter()
        .filter(|o| matches!(o.status, OpportunityStatus::Won { .. }))
        .map(|o| (o.id.0, o.account))
        .collect();
    for a in &mut d.accounts {
        let listed_before = a.won_deals.clone();
        let mut seen = BTreeSet::new();
        a.won_deals
            .retain(|o| won.get(&o.0) == Some(&Some(a.id)) && seen.insert(*o));
        for (id, account) in &won {
            if *account == Some(a.id) && !a.won_deals.contains(&OpportunityId(*id)) {
                a.won_deals.push(OpportunityId(*id));
            }
        }
        if a.won_deals != listed_before {
            keep(&mut a.derived, "won_deals", &listed_before);
        }
    }
}

fn main_contacts_are_listed(d: &mut PipelineData) {
    for a in &mut d.accounts {
        let before = a.contacts.clone();
        let mut seen = BTreeSet::new();
        a.contacts.retain(|c| seen.insert(*c));
        if !a.contacts.contains(&a.contact) {
            a.contacts.insert(0, a.contact);
        }
        if a.contacts != before {
            keep(&mut a.derived, "contacts", &before);
        }
    }
}

fn sources_are_listed(d: &mut PipelineData) {
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for c in &mut d.contacts {
        if let Source::Custom(name) = &c.source {
            if d.custom_sources.contains(name) {
                continue;
            }
            // The same source spelt otherwise on the other device.
            let lower = name.to_lowercase();
            match d.custom_sources.iter().find(|s| s.to_lowercase() == lower) {
                Some(listed) => {
                    keep(&mut c.derived, "source", &c.source);
                    c.source = Source::Custom(listed.clone());
                }
                None => {
                    missing.insert(name.clone());
                }
            }
        }
    }
    // One spelling of each new source, the same on every copy.
    let mut seen = BTreeSet::new();
    missing.retain(|s| seen.insert(s.to_lowercase()));
    for c in &mut d.contacts {
        if let Source::Custom(name) = &c.source {
            let lower = name.to_lowercase();
            if let Some(listed) = missing.iter().find(|s| s.to_lowercase() == lower) {
                if listed != name {
                    let listed = Source::Custom(listed.clone());
                    keep(&mut c.derived, "source", &c.source);
                    c.source = listed;
                }
            }
        }
    }
    if !missing.is_empty() {
        d.custom_sources.extend(missing);
        d.custom_sources.sort_by_key(|s| s.to_lowercase());
    }
}
