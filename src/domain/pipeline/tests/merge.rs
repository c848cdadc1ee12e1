//! Merging two devices' copies: each named conflict, and the rules that
//! hold afterwards.

use super::*;
use crate::domain::ids::DeviceId;
use crate::domain::opportunity::LostReason;

const PHONE: DeviceId = DeviceId(11);
const LAPTOP: DeviceId = DeviceId(22);

/// Ada with a priced deal, made on the phone, and the laptop's copy of it
/// (as if merged from the phone's export).
fn two_devices() -> (Pipeline, Pipeline, ContactId, LeadId, OpportunityId) {
    let mut phone = Pipeline::new();
    phone.adopt_device(PHONE, "Phone", t(0));
    let c = phone
        .add_contact(person("Ada Lovelace", "Analytical AS"), t(0))
        .unwrap();
    let l = qualified_lead(&mut phone, c);
    let o = phone.convert_lead(l, "Engine", t(13)).unwrap();
    priced(&mut phone, o, 1_000_000, Currency::NOK);
    let mut laptop = Pipeline::new();
    laptop.adopt_device(LAPTOP, "Laptop", t(0));
    laptop.merge(phone.data(), "phone.json", t(30)).unwrap();
    (phone, laptop, c, l, o)
}

/// Each merges the other's copy, as two exported files would; both must
/// end equal, and their rules hold.
fn exchange(a: &mut Pipeline, b: &mut Pipeline, at: i64) {
    let from_b = b.data().clone();
    a.merge(&from_b, "b.json", t(at)).unwrap();
    let from_a = a.data().clone();
    b.merge(&from_a, "a.json", t(at)).unwrap();
    assert_same(a, b);
}

/// Equal in everything shared (each keeps its own device and numbers).
fn assert_same(a: &Pipeline, b: &Pipeline) {
    let shared = crate::domain::pipeline::merge::shared_json;
    assert_eq!(shared(a), shared(b));
    a.check_integrity().unwrap();
    b.check_integrity().unwrap();
}

fn timeline(p: &Pipeline, r: RecordRef) -> Vec<String> {
    p.timeline(r).into_iter().map(|(_, line)| line).collect()
}

#[test]
fn an_export_merged_into_an_empty_device_is_the_same_pipeline() {
    let (phone, mut laptop, c, _, o) = two_devices();
    assert_eq!(laptop.contacts(), phone.contacts());
    assert_eq!(laptop.opportunity(o), phone.opportunity(o));
    assert_eq!(laptop.device_name(PHONE), Some("Phone"));
    // Merging again changes nothing and adds no undo step.
    let label = laptop.undo_label().cloned();
    let summary = laptop.merge(phone.data(), "phone.json", t(40)).unwrap();
    assert!(summary.is_empty());
    assert_eq!(laptop.undo_label().cloned(), label);
    // The laptop's own records never take the phone's numbers.
    let mine = laptop
        .add_contact(person("Grace Hopper", ""), t(41))
        .unwrap();
    assert_ne!(mine, c);
    assert_eq!(crate::domain::ids::tag_of(mine.0), LAPTOP.0);
}

#[test]
fn the_newer_change_of_a_field_wins_and_the_other_is_told() {
    let (mut phone, mut laptop, _, _, o) = two_devices();
    // The laptop's clock runs slow: its edit is still ordered after what it
    // has seen, and the phone's later edit (by wall time) wins.
    let mut terms = laptop.opportunity(o).unwrap().terms.clone();
    terms.amount = Some(Money::new(1_200_000, Currency::NOK));
    laptop.update_terms(o, terms, t(5)).unwrap();
    let mut terms = phone.opportunity(o).unwrap().terms.clone();
    terms.amount = Some(Money::new(1_500_000, Currency::NOK));
    terms.next_step = "Send contract".into();
    phone.update_terms(o, terms.clone(), t(100)).unwrap();
    // Different fields changed on each side both stay.
    phone.rename_opportunity(o, "Engine v2", t(101)).unwrap();
    exchange(&mut phone, &mut laptop, 200);
    let merged = laptop.opportunity(o).unwrap();
    assert_eq!(
        merged.terms.amount,
        Some(Money::new(1_500_000, Currency::NOK))
    );
    assert_eq!(merged.terms.next_step, "Send contract");
    assert_eq!(merged.name, "Engine v2");
    let lines = timeline(&laptop, RecordRef::Opportunity(o));
    assert!(
        lines.contains(
            &"Also changed on Laptop: Amount NOK 12,000.00, kept NOK 15,000.00".to_owned()
        ),
        "{lines:#?}"
    );
}

#[test]
fn an_edit_made_after_seeing_the_other_is_not_a_conflict() {
    let (mut phone, mut laptop, c, _, _) = two_devices();
    let mut f = person("Ada Lovelace", "Analytical AS");
    f.title = "Countess".into();
    phone.update_contact(c, f.clone(), t(50)).unwrap();
    exchange(&mut phone, &mut laptop, 60);
    f.title = "Countess of Lovelace".into();
    laptop.update_contact(c, f, t(70)).unwrap();
    exchange(&mut phone, &mut laptop, 80);
    assert_eq!(phone.contact(c).unwrap().title, "Countess of Lovelace");
    let lines = timeline(&phone, RecordRef::Contact(c));
    assert!(
        !lines.iter().any(|l| l.starts_with("Also changed")),
        "{lines:#?}"
    );
}

#[test]
fn the_same_lead_converted_on_two_devices_keeps_both_opportunities() {
    let mut phone = Pipeline::new();
    phone.adopt_device(PHONE, "Phone", t(0));
    let c = phone.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = qualified_lead(&mut phone, c);
    let mut laptop = Pipeline::new();
    laptop.adopt_device(LAPTOP, "Laptop", t(0));
    laptop.merge(phone.data(), "phone.json", t(20)).unwrap();
    let on_phone = phone.convert_lead(l, "Engine", t(30)).unwrap();
    let on_laptop = laptop.convert_lead(l, "Engine (laptop)", t(31)).unwrap();
    exchange(&mut phone, &mut laptop, 40);
    assert_eq!(phone.opportunities().len(), 2);
    let kept = phone.lead(l).unwrap().opportunity().unwrap();
    assert!(kept == on_phone || kept == on_laptop);
    let other = if kept == on_phone {
        on_laptop
    } else {
        on_phone
    };
    assert_eq!(phone.opportunity(other).unwrap().lead, None);
    let lines = timeline(&phone, RecordRef::Opportunity(other));
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("The lead was also converted on another device")),
        "{lines:#?}"
    );
}

#[test]
fn won_on_one_device_and_lost_on_the_other_is_what_the_newer_says() {
    for won_last in [false, true] {
        let (mut phone, mut laptop, _, _, o) = two_devices();
        let (win_at, lose_at) = if won_last { (60, 50) } else { (50, 60) };
        phone.mark_won(o, day(20), t(win_at)).unwrap();
        laptop
            .mark_lost(o, LostReason::Price, "", day(20), t(lose_at))
            .unwrap();
        exchange(&mut phone, &mut laptop, 100);
        let merged = phone.opportunity(o).unwrap();
        let account = &phone.accounts()[0];
        if won_last {
            assert_eq!(merged.stage(), Stage::Won);
            assert_eq!(account.won_deals, vec![o]);
        } else {
            assert_eq!(merged.stage(), Stage::Lost);
            // The account the win made stays (a customer does not vanish),
            // without the deal.
            assert!(account.won_deals.is_empty());
        }
    }
}

#[test]
fn a_contact_deleted_on_one_device_comes_back_when_the_other_made_it_a_lead() {
    let mut phone = Pipeline::new();
    phone.adopt_device(PHONE, "Phone", t(0));
    let c = phone.add_contact(person("Ada", ""), t(0)).unwrap();
    let mut laptop = Pipeline::new();
    laptop.adopt_device(LAPTOP, "Laptop", t(0));
    laptop.merge(phone.data(), "phone.json", t(5)).unwrap();
    phone.delete_contact(c, t(50)).unwrap();
    let l = laptop.make_lead(c, t(40)).unwrap();
    exchange(&mut phone, &mut laptop, 60);
    assert!(phone.contact(c).is_some());
    assert_eq!(phone.lead(l).unwrap().contact, c);
    let lines = timeline(&phone, RecordRef::Contact(c));
    assert!(
        lines.contains(
            &"Deleted on Phone, and brought back because another record still uses it".to_owned()
        ),
        "{lines:#?}"
    );
}

#[test]
fn a_delete_wins_over_an_older_copy_and_undo_of_the_delete_wins_over_the_delete() {
    let (mut phone, mut laptop, _, _, _) = two_devices();
    let c = phone.add_contact(person("Grace", ""), t(40)).unwrap();
    exchange(&mut phone, &mut laptop, 45);
    phone.delete_contact(c, t(50)).unwrap();
    exchange(&mut phone, &mut laptop, 55);
    assert!(
        laptop.contact(c).is_none(),
        "the older copy does not bring it back"
    );
    assert!(laptop.tombstone(RecordKind::Contact, c.0).is_some());
    phone.undo_at(t(60)).unwrap();
    exchange(&mut phone, &mut laptop, 65);
    assert!(laptop.contact(c).is_some(), "Undo is newer than the delete");
}

#[test]
fn a_criterion_unticked_while_the_other_device_qualified_sends_the_lead_back() {
    let mut phone = Pipeline::new();
    phone.adopt_device(PHONE, "Phone", t(0));
    let c = phone.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = phone.make_lead(c, t(1)).unwrap();
    for k in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        phone.set_criterion(l, k, true, t(2)).unwrap();
    }
    let mut laptop = Pipeline::new();
    laptop.adopt_device(LAPTOP, "Laptop", t(0));
    laptop.merge(phone.data(), "phone.json", t(3)).unwrap();
    phone.qualify(l, t(10)).unwrap();
    laptop
        .set_criterion(l, Criterion::Budget, false, t(11))
        .unwrap();
    exchange(&mut phone, &mut laptop, 20);
    let lead = phone.lead(l).unwrap();
    assert!(!lead.checklist.budget);
    assert_eq!(lead.status.kind(), LeadStatusKind::Contacted);
    let lines = timeline(&phone, RecordRef::Lead(l));
    assert!(
        lines.contains(
            &"Back to Contacted: a box of the checklist was unticked on another device".to_owned()
        ),
        "{lines:#?}"
    );
    // Ticked again later, the lead can be qualified again.
    phone
        .set_criterion(l, Criterion::Budget, true, t(30))
        .unwrap();
    phone.qualify(l, t(31)).unwrap();
    exchange(&mut phone, &mut laptop, 40);
    assert_eq!(
        laptop.lead(l).unwrap().status.kind(),
        LeadStatusKind::Qualified
    );
}

#[test]
fn a_contact_made_a_lead_on_both_devices_keeps_one_active_lead() {
    let mut phone = Pipeline::new();
    phone.adopt_device(PHONE, "Phone", t(0));
    let c = phone.add_contact(person("Ada", ""), t(0)).unwrap();
    let mut laptop = Pipeline::new();
    laptop.adopt_device(LAPTOP, "Laptop", t(0));
    laptop.merge(phone.data(), "phone.json", t(3)).unwrap();
    let first = phone.make_lead(c, t(10)).unwrap();
    let second = laptop.make_lead(c, t(11)).unwrap();
    exchange(&mut phone, &mut laptop, 20);
    assert!(phone.lead(first).unwrap().status.kind().is_active());
    assert_eq!(
        phone.lead(second).unwrap().status.kind(),
        LeadStatusKind::Disqualified
    );
}

#[test]
fn undo_after_a_merge_restores_the_pipeline_as_it_was() {
    let (mut phone, mut laptop, c, _, _) = two_devices();
    let before = laptop.data().clone();
    phone.add_contact(person("Grace", ""), t(40)).unwrap();
    phone.delete_contact(c, t(41)).unwrap_err(); // in use by a deal
    let summary = laptop.merge_preview(phone.data()).unwrap();
    assert_eq!(summary.added[0], 1);
    laptop.merge(phone.data(), "phone.json", t(50)).unwrap();
    assert_eq!(
        laptop.undo_label().unwrap().to_string(),
        "Merged phone.json"
    );
    laptop.undo_at(t(51)).unwrap();
    let mut after = laptop.data().clone();
    after.clock = before.clock;
    assert_eq!(after, before);
}

#[test]
fn a_copy_from_before_devices_merges_with_its_migrated_twin() {
    // The same schema-1 file opened on two devices gets the same ids on
    // both, so merging it changes nothing.
    let raw = include_str!("../../../../tests/fixtures/storage/v1-pipeline.json");
    let mut a = crate::storage::decode::<Pipeline>(raw).unwrap().data;
    let mut b = crate::storage::decode::<Pipeline>(raw).unwrap().data;
    a.adopt_device(PHONE, "Phone", t(0));
    b.adopt_device(LAPTOP, "Laptop", t(0));
    let summary = a.merge_preview(b.data()).unwrap();
    assert!(summary.is_empty(), "{summary:?}");
    exchange(&mut a, &mut b, 10);
}
