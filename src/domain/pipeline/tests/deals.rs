//! Opportunities, accounts, notes, undo depth, whole imports and the stored
//! form.

use super::*;

#[test]
fn won_creates_an_account_and_later_wins_extend_it() {
    let (mut p, ada, _, o) = with_deal();
    let before = json(&p);
    let a = p.mark_won(o, day(5), t(30)).unwrap();
    let acc = p.account(a).unwrap();
    assert_eq!(acc.name, "Analytical AS");
    assert_eq!(acc.contact, ada);
    assert_eq!(acc.contacts, vec![ada]);
    assert_eq!(acc.customer_since, day(5));
    assert_eq!(acc.won_deals, vec![o]);
    assert_eq!(p.opportunity(o).unwrap().account, Some(a));
    assert_eq!(p.account_for_contact(ada).unwrap().id, a);
    assert_eq!(p.undo_label().unwrap().to_string(), "Marked Engine as won");

    // A colleague from the same organisation joins the same account.
    let bob = p
        .add_contact(person("Bob", "analytical as"), t(40))
        .unwrap();
    let lb = qualified_lead(&mut p, bob);
    let ob = p.convert_lead(lb, "Support", t(41)).unwrap();
    priced(&mut p, ob, 500, Currency::EUR);
    assert_eq!(p.mark_won(ob, day(6), t(42)).unwrap(), a);
    assert_eq!(p.account(a).unwrap().contacts, vec![ada, bob]);

    // Repeat business opened for the account.
    let or = p.open_opportunity_for_account(a, "Renewal", t(50)).unwrap();
    assert_eq!(p.opportunity(or).unwrap().contact, ada);
    assert_eq!(p.opportunities_for_account(a).count(), 3);
    priced(&mut p, or, 250_000, Currency::NOK);
    p.mark_won(or, day(7), t(51)).unwrap();
    assert_eq!(
        p.lifetime_value(a),
        vec![
            Money::new(1_250_000, Currency::NOK),
            Money::new(500, Currency::EUR)
        ]
    );
    assert_eq!(p.accounts().len(), 1);
    assert!(p.open_opportunity_for_account(a, " ", t(52)).is_err());
    assert!(p
        .open_opportunity_for_account(AccountId(999), "x", t(52))
        .is_err());
    p.check_integrity().unwrap();

    // Reopening a won deal takes it out of the lifetime value.
    assert_eq!(
        p.reopen_opportunity(or, t(60)).unwrap(),
        Stage::NeedsAnalysis
    );
    assert_eq!(
        p.lifetime_value(a),
        vec![
            Money::new(1_000_000, Currency::NOK),
            Money::new(500, Currency::EUR)
        ]
    );
    p.check_integrity().unwrap();
    for _ in 0..14 {
        p.undo().unwrap();
    }
    assert_eq!(json(&p), before);
}

#[test]
fn a_person_without_organisation_becomes_a_private_customer() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Grace", ""), t(0)).unwrap();
    let l = qualified_lead(&mut p, c);
    let o = p.convert_lead(l, "x", t(1)).unwrap();
    priced(&mut p, o, 100, Currency::NOK);
    let a = p.mark_won(o, day(1), t(2)).unwrap();
    assert_eq!(p.account(a).unwrap().name, "Grace");
    let mut f = p.contact(c).unwrap().fields();
    f.kind = ContactKind::Organisation;
    p.update_contact(c, f, t(3)).unwrap();
}

#[test]
fn refused_closing_changes_nothing() {
    let mut p = Pipeline::new();
    let c = p.add_contact(person("Ada", ""), t(0)).unwrap();
    let l = qualified_lead(&mut p, c);
    let o = p.convert_lead(l, "x", t(1)).unwrap();
    let before = json(&p);
    assert_eq!(
        p.mark_won(o, day(1), t(2)).unwrap_err(),
        DomainError::AmountRequired
    );
    assert_eq!(json(&p), before);
    assert_eq!(p.undo_label().unwrap().action, UndoAction::ConvertLead);
    assert_eq!(
        p.move_stage(o, Stage::Won, t(2)).unwrap_err(),
        DomainError::CloseWithMarkWonOrLost
    );
    assert_eq!(
        p.set_probability(o, Some(101), t(2))
            .unwrap_err()
            .to_string(),
        "Probability must be a whole number from 0 to 100 (got 101)"
    );
    assert_eq!(json(&p), before);
}

#[test]
fn opportunity_commands_and_their_undo() {
    let (mut p, _, _, o) = with_deal();
    let start = json(&p);
    let mut snapshots = vec![];
    let mut step = |p: &mut Pipeline, f: &dyn Fn(&mut Pipeline)| {
        snapshots.push(json(p));
        f(p);
    };
    step(&mut p, &|p| {
        assert!(p.move_stage(o, Stage::Negotiation, t(21)).unwrap())
    });
    step(&mut p, &|p| {
        assert!(p.set_probability(o, Some(55), t(22)).unwrap())
    });
    step(&mut p, &|p| {
        assert!(p.rename_opportunity(o, "Big engine", t(23)).unwrap())
    });
    step(&mut p, &|p| {
        p.add_note(RecordRef::Opportunity(o), "Call Tuesday", t(24))
            .unwrap()
    });
    step(&mut p, &|p| {
        p.mark_lost(o, LostReason::Price, "too dear", day(3), t(25))
            .unwrap()
    });
    step(&mut p, &|p| {
        p.add_note(RecordRef::Opportunity(o), "Closed, noted", t(26))
            .unwrap()
    });
    step(&mut p, &|p| {
        assert_eq!(p.reopen_opportunity(o, t(27)).unwrap(), Stage::Negotiation)
    });
    assert_eq!(p.opportunity(o).unwrap().probability(), 55);
    let labels = [
        "Reopened opportunity Big engine",
        "Added a note to Big engine",
        "Marked Big engine as lost",
        "Added a note to Big engine",
        "Edited opportunity Engine",
        "Edited opportunity Engine",
        "Moved Engine",
    ];
    for label in labels {
        assert_eq!(p.undo().unwrap().to_string(), label);
        assert_eq!(json(&p), snapshots.pop().unwrap());
    }
    assert_eq!(json(&p), start);
}

#[test]
fn delete_is_refused_while_a_deal_is_open_or_won() {
    let (mut p, ada, _, o) = with_deal();
    assert_eq!(
        p.delete_contact(ada, t(30)).unwrap_err().to_string(),
        "Ada Lovelace cannot be deleted: they have the open opportunity “Engine” (mark it won or lost first)"
    );
    p.mark_won(o, day(1), t(31)).unwrap();
    assert_eq!(
        p.delete_contact(ada, t(32)).unwrap_err().to_string(),
        "Ada Lovelace cannot be deleted: the won deal “Engine” is theirs"
    );
    p.reopen_opportunity(o, t(33)).unwrap();
    p.mark_lost(o, LostReason::Timing, "", day(2), t(34))
        .unwrap();
    assert_eq!(
        p.delete_contact(ada, t(35)).unwrap_err().to_string(),
        "Ada Lovelace cannot be deleted: they are the main contact of the customer “Analytical AS”"
    );
    assert!(p.delete_blocker(ada).is_some());
}

#[test]
fn delete_cascades_to_leads_and_lost_deals_and_undo_restores_all() {
    let (mut p, ada, l, o) = with_deal();
    // Ada also sits on Bob's account.
    let bob = p.add_contact(person("Bob", "Other AS"), t(40)).unwrap();
    let lb = qualified_lead(&mut p, bob);
    let ob = p.convert_lead(lb, "B", t(41)).unwrap();
    priced(&mut p, ob, 100, Currency::NOK);
    let acc = p.mark_won(ob, day(1), t(42)).unwrap();
    p.mark_lost(o, LostReason::Price, "", day(2), t(43))
        .unwrap();
    p.add_contact_to_account(acc, ada, t(44)).unwrap();
    let before = json(&p);

    p.delete_contact(ada, t(45)).unwrap();
    assert!(p.contact(ada).is_none());
    assert!(p.lead(l).is_none());
    assert!(p.opportunity(o).is_none());
    assert_eq!(p.account(acc).unwrap().contacts, vec![bob]);
    assert!(p.lead_for_contact(ada).is_none());
    p.check_integrity().unwrap();
    assert_eq!(
        p.undo().unwrap().to_string(),
        "Deleted contact Ada Lovelace"
    );
    assert_eq!(json(&p), before);
    assert_eq!(p.lead_for_contact(ada).unwrap().id, l, "index restored too");

    // A contact with only a lead goes with it.
    let c = p.add_contact(person("Cy", ""), t(50)).unwrap();
    let lc = p.make_lead(c, t(51)).unwrap();
    p.delete_contact(c, t(52)).unwrap();
    assert!(p.lead(lc).is_none());
    p.check_integrity().unwrap();
}

#[test]
fn accounts_membership_and_main_contact() {
    let (mut p, ada, _, o) = with_deal();
    let a = p.mark_won(o, day(1), t(30)).unwrap();
    let bob = p.add_contact(person("Bob", ""), t(31)).unwrap();
    assert!(p.set_primary_contact(a, bob, t(32)).is_err());
    assert!(p.add_contact_to_account(a, bob, t(33)).unwrap());
    assert!(!p.add_contact_to_account(a, bob, t(33)).unwrap());
    assert!(p.set_primary_contact(a, bob, t(34)).unwrap());
    assert_eq!(p.account(a).unwrap().contacts, vec![bob, ada]);
    let o2 = p.open_opportunity_for_account(a, "Renewal", t(35)).unwrap();
    assert_eq!(p.opportunity(o2).unwrap().contact, bob);
    p.check_integrity().unwrap();
}

#[test]
fn notes_go_into_history() {
    let (mut p, ada, _, o) = with_deal();
    p.add_note(RecordRef::Contact(ada), "  Likes tea ", t(30))
        .unwrap();
    assert_eq!(
        p.contact(ada)
            .unwrap()
            .history
            .entries()
            .last()
            .unwrap()
            .event,
        Event::Note {
            text: "Likes tea".into()
        }
    );
    assert_eq!(
        p.undo_label().unwrap().to_string(),
        "Added a note to Ada Lovelace"
    );
    let e = p
        .add_note(RecordRef::Opportunity(o), "   ", t(31))
        .unwrap_err();
    assert_eq!(e.to_string(), "Please correct the form: Write a note first");
    assert!(p
        .add_note(RecordRef::Account(AccountId(77)), "x", t(31))
        .is_err());
    let a = p.mark_won(o, day(1), t(32)).unwrap();
    p.add_note(RecordRef::Account(a), "Signed!", t(33)).unwrap();
}

#[test]
fn undo_keeps_the_last_fifty_steps() {
    let mut p = Pipeline::new();
    for i in 0..60 {
        p.add_contact(person(&format!("C{i}"), ""), t(i)).unwrap();
    }
    let mut n = 0;
    while p.undo().is_ok() {
        n += 1;
    }
    assert_eq!(n, UNDO_DEPTH);
    assert_eq!(p.contacts().len(), 10);
    assert!(!p.can_undo());
    assert!(p.undo_label().is_none());
}

#[test]
fn import_replaces_everything_as_one_undoable_step() {
    let (mut p, ..) = with_deal();
    let before = json(&p);
    let other = crate::domain::sample::generate(3, 50, 20, day(20));
    p.import(other.data().clone(), "backup.json").unwrap();
    assert_eq!(p.contacts().len(), 50);
    assert_eq!(p.undo_label().unwrap().to_string(), "Imported backup.json");
    p.undo().unwrap();
    assert_eq!(json(&p), before);
    let mut broken = other.data().clone();
    broken.leads[0].contact = ContactId(9_999);
    assert!(matches!(
        p.import(broken, "bad"),
        Err(DomainError::Integrity(_))
    ));
    assert_eq!(json(&p), before);
}

#[test]
fn records_stored_out_of_order_load_in_id_order() {
    let p = crate::domain::sample::generate(9, 60, 25, day(20));
    let mut data = p.data().clone();
    data.contacts.reverse();
    data.leads.swap(0, 7);
    data.opportunities.rotate_left(5);
    data.accounts.reverse();
    let back = Pipeline::from_data(data).unwrap();
    assert!(back == p);
    assert_eq!(json(&back), json(&p));
}

#[test]
fn stored_form_round_trips_and_broken_data_is_refused() {
    let p = crate::domain::sample::generate(5, 200, 80, day(20));
    let text = json(&p);
    let back: Pipeline = crate::domain::stored::from_json(&text).unwrap();
    assert!(back == p);
    assert_eq!(json(&back), text);
    for c in p.contacts() {
        let mine: Vec<LeadId> = p.leads_for_contact(c.id).map(|l| l.id).collect();
        let theirs: Vec<LeadId> = back.leads_for_contact(c.id).map(|l| l.id).collect();
        assert_eq!(mine, theirs);
    }

    type Breakage = Box<dyn Fn(&mut PipelineData)>;
    let breakages: Vec<(&str, Breakage)> = vec![
        (
            "dangling lead",
            Box::new(|d| d.leads[0].contact = ContactId(1_000_000)),
        ),
        (
            "duplicate id",
            Box::new(|d| {
                let c = d.contacts[0].clone();
                d.contacts.push(c);
            }),
        ),
        (
            "id clash across kinds",
            Box::new(|d| d.leads[0].id = LeadId(d.contacts[0].id.0)),
        ),
        ("next id too low", Box::new(|d| d.next_id = 2)),
        (
            "unregistered source",
            Box::new(|d| d.custom_sources.clear()),
        ),
        (
            "one-way conversion",
            Box::new(|d| {
                let i = d
                    .opportunities
                    .iter()
                    .position(|o| o.lead.is_some())
                    .unwrap();
                d.opportunities[i].lead = None;
            }),
        ),
        (
            "won not on account",
            Box::new(|d| {
                for a in &mut d.accounts {
                    a.won_deals.clear();
                }
            }),
        ),
        (
            "main contact missing",
            Box::new(|d| d.accounts[0].contacts.clear()),
        ),
        (
            "probability",
            Box::new(|d| d.opportunities[0].terms.probability_override = Some(200)),
        ),
        (
            "two active leads",
            Box::new(|d| {
                let c = d.leads[0].contact;
                let mut extra = d.leads[0].clone();
                extra.id = LeadId(d.next_id);
                extra.status = LeadStatus::New;
                d.next_id += 1;
                d.leads.push(extra);
                let first = d.leads.iter_mut().find(|l| l.contact == c).unwrap();
                first.status = LeadStatus::Contacted;
            }),
        ),
    ];
    for (what, breakage) in breakages {
        let mut d = p.data().clone();
        breakage(&mut d);
        let err = Pipeline::from_data(d.clone()).err();
        assert!(
            matches!(err, Some(DomainError::Integrity(_))),
            "{what}: {err:?}"
        );
        let text = crate::domain::stored::to_json(&d);
        assert!(
            crate::domain::stored::from_json::<Pipeline>(&text).is_err(),
            "{what}"
        );
    }
}

#[test]
fn an_id_used_by_two_kinds_of_record_is_named() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let p = crate::domain::sample::generate(3, 40, 10, today);
    let mut checked = 0;
    for clash in [0, 5, 39] {
        let mut data = p.data().clone();
        let id = data.contacts[clash].id.0;
        // Still in order among the leads, so only the clash is wrong.
        let lead = data.leads.iter().position(|l| l.id.0 > id).unwrap_or(0);
        if lead > 0 && data.leads[lead - 1].id.0 >= id {
            continue;
        }
        data.leads[lead].id = LeadId(id);
        let message = match Pipeline::from_data(data) {
            Err(DomainError::Integrity(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(message, Inconsistency::NumberTwice(id));
        checked += 1;
    }
    assert!(checked > 0);
    assert_eq!(
        merge_sorted(&[1, 4, 9], &[2, 4, 10, 11]),
        [1, 2, 4, 4, 9, 10, 11]
    );
    assert_eq!(merge_sorted(&[], &[3]), [3]);
}

#[test]
fn search_matches_name_organisation_and_email_ignoring_case() {
    let mut p = Pipeline::new();
    let ada = p
        .add_contact(person("Ada Lovelace", "Analytical Engines AS"), t(0))
        .unwrap();
    let oy = p
        .add_contact(person("Øystein Ødegård", "Fjord Data"), t(1))
        .unwrap();
    let mut f = person("Grace Hopper", "");
    f.email = "grace@navy.mil".into();
    let grace = p.add_contact(f, t(2)).unwrap();
    assert_eq!(p.search_contacts("ada"), vec![ada]);
    assert_eq!(p.search_contacts("ENGINES"), vec![ada]);
    assert_eq!(p.search_contacts("navy.MIL"), vec![grace]);
    assert_eq!(p.search_contacts("ødegÅrd"), vec![oy]);
    assert_eq!(p.search_contacts("ØDEGÅRD"), vec![oy]);
    assert_eq!(p.search_contacts("lovelace analytical"), vec![ada]);
    assert_eq!(p.search_contacts("lovelace fjord"), vec![]);
    assert_eq!(p.search_contacts("  "), vec![ada, oy, grace]);
    assert_eq!(p.search_contacts("a").len(), 3);
}

#[test]
fn lookups_of_missing_records_say_so() {
    let mut p = Pipeline::new();
    assert_eq!(
        p.mark_contacted(LeadId(4), t(0)).unwrap_err().to_string(),
        "There is no lead with number 4 (it may have been deleted)"
    );
    assert!(p
        .move_stage(OpportunityId(4), Stage::Proposal, t(0))
        .is_err());
    assert!(p
        .update_contact(ContactId(4), ContactFields::default(), t(0))
        .is_err());
    assert!(p.delete_contact(ContactId(4), t(0)).is_err());
    assert!(p.lifetime_value(AccountId(4)).is_empty());
    assert!(!p.can_undo());
    assert_eq!(LeadStatusKind::ALL.len(), 5);
}

#[test]
fn leads_are_found_by_contact_name_or_organisation_and_status() {
    let mut p = Pipeline::new();
    let ada = p
        .add_contact(person("Ada Lovelace", "Analytical Engines"), t(0))
        .unwrap();
    let oy = p
        .add_contact(person("Øystein Ødegård", "Fjord AS"), t(0))
        .unwrap();
    let grace = p.add_contact(person("Grace Hopper", "Navy"), t(0)).unwrap();
    let _not_a_lead = p.add_contact(person("Alan Turing", "Bletchley"), t(0));
    let la = p.make_lead(ada, t(1)).unwrap();
    let lo = p.make_lead(oy, t(1)).unwrap();
    let lg = qualified_lead(&mut p, grace);
    p.mark_contacted(lo, t(2)).unwrap();

    assert_eq!(p.search_leads("", None), vec![la, lo, lg]);
    assert_eq!(p.search_leads("  ", None), vec![la, lo, lg]);
    assert_eq!(p.search_leads("ENGINES", None), vec![la]);
    assert_eq!(p.search_leads("ødegÅrd fjord", None), vec![lo]);
    assert_eq!(p.search_leads("turing", None), vec![], "not a lead");
    assert_eq!(
        p.search_leads("hopper@", None),
        vec![],
        "email is not searched"
    );
    assert_eq!(p.search_leads("a", Some(LeadStatusKind::New)), vec![la]);
    assert_eq!(
        p.search_leads("", Some(LeadStatusKind::Qualified)),
        vec![lg]
    );
    assert_eq!(p.search_leads("navy", Some(LeadStatusKind::New)), vec![]);
    p.disqualify(la, DisqualifyReason::NoNeed, "", t(3))
        .unwrap();
    assert_eq!(
        p.search_leads("", Some(LeadStatusKind::Disqualified)),
        vec![la]
    );
    let o = p.convert_lead(lg, "", t(4)).unwrap();
    assert_eq!(
        p.search_leads("grace", Some(LeadStatusKind::Converted)),
        vec![lg]
    );
    assert_eq!(p.lead(lg).unwrap().opportunity(), Some(o));
}

#[test]
fn the_last_record_number_is_refused_never_wrapped() {
    let mut data = Pipeline::new().data().clone();
    data.next_id = u64::MAX - 1;
    let mut p = Pipeline::from_data(data).unwrap();
    // One number is left: the contact gets it.
    let ada = p.add_contact(person("Ada", ""), t(1)).unwrap();
    assert_eq!(ada.0, u64::MAX - 1);
    assert_eq!(p.next_id(), u64::MAX);
    // None is left: refused, nothing changed, and the pipeline still holds.
    let before = json(&p);
    assert_eq!(
        p.add_contact(person("Bo", ""), t(2)),
        Err(DomainError::NumbersUsedUp)
    );
    assert_eq!(
        p.make_lead(ada, t(3)).err(),
        Some(DomainError::NumbersUsedUp)
    );
    assert_eq!(json(&p), before);
    assert!(p.check_integrity().is_ok());
    let back: Pipeline = crate::domain::stored::from_json(&json(&p)).unwrap();
    assert!(back == p);
}
