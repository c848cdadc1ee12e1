//! After a merge the pipeline's rules hold again, decided the same way on
//! every copy (a function of the merged data alone). A value a rule sets is
//! marked derived: it loses to the change it came from in a later merge,
//! where the rule decides again. What a rule changes is told on the
//! record's timeline.
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
use crate::domain::clock::Stamp;
use crate::domain::history::HistoryEntry;

pub(super) fn restore_rules(d: &mut PipelineData) {
    one_conversion_per_lead(d);
    gate_holds(d);
    one_active_lead_per_contact(d);
    won_deals_are_listed(d);
    main_contacts_are_listed(d);
    sources_are_listed(d);
}

/// A timeline entry a rule adds, named by the change that caused it so
/// every copy adds the same one.
fn note(history: &mut History, cause: Stamp, event: Event) {
    let at = cause
        .at
        .time()
        .map_or(DateTime::UNIX_EPOCH, crate::domain::time::to_second);
    if !history.iter().any(|e| e.at == at && e.event == event) {
        history.insert(HistoryEntry {
            at,
            event,
            id: Some(cause.at),
        });
    }
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
                l.status = LeadStatus::Converted {
                    opportunity: OpportunityId(kept),
                };
                l.stamps.derive("status");
                kept
            }
        };
        for other in opportunities.into_iter().filter(|o| *o != kept) {
            if let Some(o) = find_mut(&mut d.opportunities, other) {
                let cause = o.stamps.field("lead");
                o.lead = None;
                o.stamps.derive("lead");
                note(
                    &mut o.history,
                    cause,
                    Event::ConvertedElsewhere {
                        kept: OpportunityId(kept),
                    },
                );
            }
        }
    }
}

fn gate_holds(d: &mut PipelineData) {
    for l in &mut d.leads {
        if l.status.kind() == LeadStatusKind::Qualified && !l.checklist.gate_holds() {
            let cause = ["checklist.need", "checklist.budget", "checklist.timeline"]
                .into_iter()
                .map(|p| l.stamps.field(p))
                .max()
                .unwrap_or_default();
            l.status = LeadStatus::Contacted;
            l.stamps.derive("status");
            note(
                &mut l.history,
                cause,
                Event::StatusChanged {
                    from: LeadStatusKind::Qualified,
                    to: LeadStatusKind::Contacted,
                },
            );
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
            let cause = Stamp {
                at: l.stamps.born(),
                base: Hlc::ZERO,
            };
            l.status = LeadStatus::Disqualified {
                reason: DisqualifyReason::Other,
                note: String::new(),
            };
            l.stamps.derive("status");
            note(&mut l.history, cause, Event::DuplicateLead { kept });
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
            let stage = o.history.stage_before_last_close().unwrap_or(Stage::Contract);
            let cause = o.stamps.field("status");
            o.status = OpportunityStatus::open(stage).unwrap_or(OpportunityStatus::Contract);
            o.stamps.derive("status");
            note(&mut o.history, cause, Event::Reopened { to: stage });
        }
    }
    let won: BTreeMap<u64, (Option<AccountId>, Stamp)> = d
        .opportunities
        .iter()
        .filter(|o| matches!(o.status, OpportunityStatus::Won { .. }))
        .map(|o| (o.id.0, (o.account, o.stamps.field("status"))))
        .collect();
    let status_of = |id: u64, opportunities: &[Opportunity]| {
        position(opportunities, id).map(|i| opportunities[i].stamps.field("status"))
    };
    for a in &mut d.accounts {
        let listed_before = a.won_deals.clone();
        a.won_deals
            .retain(|o| won.get(&o.0).is_some_and(|(acc, _)| *acc == Some(a.id)));
        a.won_deals.dedup();
        for (id, (account, _)) in &won {
            if *account == Some(a.id) && !a.won_deals.contains(&OpportunityId(*id)) {
                a.won_deals.push(OpportunityId(*id));
            }
        }
        if a.won_deals != listed_before {
            a.stamps.derive("won_deals");
            for gone in listed_before.iter().filter(|o| !a.won_deals.contains(o)) {
                let cause = status_of(gone.0, &d.opportunities).unwrap_or_default();
                note(
                    &mut a.history,
                    cause,
                    Event::DealReopened { opportunity: *gone },
                );
            }
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
            a.stamps.derive("contacts");
        }
    }
}

fn sources_are_listed(d: &mut PipelineData) {
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for c in &d.contacts {
        if let Source::Custom(name) = &c.source {
            if !d.custom_sources.contains(name) {
                missing.insert(name.clone());
            }
        }
    }
    if !missing.is_empty() {
        d.custom_sources.extend(missing);
        d.settings_stamps.derive("custom_sources");
    }
}
