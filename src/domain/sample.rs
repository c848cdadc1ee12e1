//! A deterministic, realistic data set for demos, tests and benchmarks.
//!
//! [`generate`] builds a pipeline through the ordinary commands (so every
//! rule and history entry is real) from a seed: the same seed, sizes and
//! day give the same data, byte for byte. Contacts are created over the two
//! years before `today`; every contact gets a lead; `opportunities` of the
//! leads are qualified and converted; of those 27 % are won (creating
//! about 1,000 accounts per 4,000 opportunities: a few wins add to an
//! existing account of the same firm), a fifth lost, and the rest spread over the open stages with expected close
//! dates ahead and some next steps overdue.

use super::contact::{ContactDraft, ContactKind, Source};
use super::ids::ContactId;
use super::lead::{BuyingRole, Criterion, DisqualifyReason};
use super::money::{Currency, Money};
use super::opportunity::{ContractStatus, DealTerms, LostReason, PaymentTerms, Stage, OPEN_STAGES};
use super::pipeline::Pipeline;
use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};

/// splitmix64: tiny, fast and good enough for test data (not for secrets).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks by weight: `items` are (weight, value).
    pub fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut r = self.below(total);
        for (w, v) in items {
            if r < *w {
                return v;
            }
            r -= w;
        }
        &items[items.len() - 1].1
    }
}

const FIRST_NAMES: [&str; 48] = [
    "Ada", "Ingrid", "Lars", "Kari", "Ole", "Sofie", "Emma", "Jonas", "Nora", "Henrik", "Maja",
    "Erik", "Sara", "Mats", "Linnea", "Jakob", "Astrid", "Magnus", "Hanna", "Oskar", "Frida",
    "Anders", "Ida", "Sindre", "Grace", "Alan", "Mei", "Ravi", "Fatima", "Lukas", "Chloé", "Mateo",
    "Aisha", "Tomás", "Yuki", "Björn", "Åse", "Øystein", "Marte", "Johan", "Elin", "Petter",
    "Camilla", "David", "Amira", "Noah", "Leah", "Tor",
];

const LAST_NAMES: [&str; 48] = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Eriksen",
    "Bakken",
    "Lund",
    "Strand",
    "Solberg",
    "Moen",
    "Dahl",
    "Lovelace",
    "Hopper",
    "Turing",
    "Svensson",
    "Lindqvist",
    "Nyström",
    "Sørensen",
    "Møller",
    "Schmidt",
    "Müller",
    "Rossi",
    "García",
    "Smith",
    "Brown",
    "Nakamura",
    "Patel",
    "Khan",
    "Novak",
    "Kowalski",
    "Dubois",
    "Jansen",
    "Virtanen",
    "Aalto",
    "Holm",
    "Vik",
    "Ødegård",
    "Rønning",
    "Fjeld",
];

const ORG_PREFIXES: [&str; 40] = [
    "Nordlys",
    "Fjord",
    "Bølge",
    "Polar",
    "Granitt",
    "Skog",
    "Havblikk",
    "Solvind",
    "Tinde",
    "Elv",
    "Nova",
    "Aurora",
    "Lynx",
    "Kvist",
    "Bjørk",
    "Viking",
    "Midnatt",
    "Sirius",
    "Isbre",
    "Fonn",
    "Blåbær",
    "Trollheim",
    "Vardø",
    "Kyst",
    "Storm",
    "Lys",
    "Delta",
    "Orion",
    "Atlas",
    "Vega",
    "Falk",
    "Ulv",
    "Rein",
    "Ørn",
    "Hval",
    "Måke",
    "Linde",
    "Eik",
    "Furu",
    "Alder",
];

const ORG_SUFFIXES: [&str; 30] = [
    "Data",
    "Consulting",
    "Design",
    "Bygg",
    "Energi",
    "Logistikk",
    "Media",
    "Helse",
    "Finans",
    "Systems",
    "Labs",
    "Software",
    "Analytics",
    "Studio",
    "Partners",
    "Marine",
    "Robotics",
    "Foods",
    "Retail",
    "Eiendom",
    "Transport",
    "Security",
    "Cloud",
    "Learning",
    "Travel",
    "Engineering",
    "Solutions",
    "Ventures",
    "Works",
    "Group",
];

const ORG_FORMS: [&str; 6] = ["AS", "ASA", "AB", "ApS", "GmbH", "Ltd"];

const TITLES: [&str; 10] = [
    "CEO",
    "CTO",
    "CFO",
    "Head of Sales",
    "Marketing Manager",
    "Procurement Lead",
    "IT Manager",
    "Founder",
    "Operations Director",
    "Product Owner",
];

const INTERESTS: [&str; 16] = [
    "Website redesign",
    "CRM rollout",
    "Cloud migration",
    "Annual support contract",
    "Security audit",
    "Mobile app",
    "Data warehouse",
    "Staff training",
    "Brand refresh",
    "E-commerce shop",
    "Office network",
    "Consulting days",
    "Accounting integration",
    "Design system",
    "Hosting",
    "Analytics dashboard",
];

const COMPETITORS: [&str; 8] = [
    "Acme AS",
    "Initech",
    "Globex",
    "Umbrella Consulting",
    "Hooli",
    "Soylent",
    "Stark Digital",
    "Wayne Systems",
];

const NEXT_STEPS: [&str; 8] = [
    "Send proposal",
    "Follow-up call",
    "Demo for the team",
    "Send contract",
    "Meet the CFO",
    "Workshop",
    "Reference call",
    "Price negotiation",
];

const CUSTOM_SOURCES: [&str; 2] = ["Podcast", "Newsletter"];

fn ascii_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'æ' => out.push_str("ae"),
            'ø' | 'ö' => out.push('o'),
            'å' | 'ä' | 'á' => out.push('a'),
            'é' => out.push('e'),
            'ü' => out.push('u'),
            'í' => out.push('i'),
            _ => {}
        }
    }
    out
}

/// The deterministic data set. `opportunities` is capped at `contacts`.
/// Works for any size, including zero.
pub fn generate(seed: u64, contacts: usize, opportunities: usize, today: NaiveDate) -> Pipeline {
    generate_on(None, seed, contacts, opportunities, today)
}

/// [`generate`] as made on `device`: every record carries its device's ids
/// and change clocks, as records made in the app do (for the benchmarks'
/// stored bytes).
pub fn generate_on(
    device: Option<crate::domain::DeviceId>,
    seed: u64,
    contacts: usize,
    opportunities: usize,
    today: NaiveDate,
) -> Pipeline {
    let mut rng = SplitMix64::new(seed ^ 0x5EED_1EAD_11AE_0001);
    let mut p = Pipeline::new();
    let end = Utc.from_utc_datetime(&today.and_hms_opt(16, 0, 0).unwrap_or_default());
    let days_back = 730u64;
    if let Some(device) = device {
        p.adopt_device(
            device,
            "Benchmark",
            end - Duration::days(days_back as i64 + 1),
        );
    }
    for s in CUSTOM_SOURCES {
        // Cannot fail on an empty pipeline with distinct names.
        let _ = p.add_source(s);
    }

    // Creation times, oldest first, so numbers grow with time.
    let mut offsets: Vec<u64> = (0..contacts)
        .map(|_| rng.below(days_back * 86_400))
        .collect();
    offsets.sort_unstable_by(|a, b| b.cmp(a));

    // Which contacts go all the way to an opportunity.
    let mut order: Vec<usize> = (0..contacts).collect();
    let wanted = opportunities.min(contacts);
    for i in 0..wanted {
        let j = i + rng.below((contacts - i) as u64) as usize;
        order.swap(i, j);
    }
    let mut gets_opportunity = vec![false; contacts];
    for &i in &order[..wanted] {
        gets_opportunity[i] = true;
    }

    let sources: [(u64, Source); 10] = [
        (20, Source::Website),
        (18, Source::Referral),
        (10, Source::Event),
        (14, Source::ColdOutreach),
        (10, Source::SocialMedia),
        (8, Source::Partner),
        (8, Source::Advertising),
        (5, Source::Other),
        (4, Source::Custom(CUSTOM_SOURCES[0].to_owned())),
        (3, Source::Custom(CUSTOM_SOURCES[1].to_owned())),
    ];
    let currencies: [(u64, Currency); 8] = [
        (55, Currency::NOK),
        (12, Currency::SEK),
        (6, Currency::DKK),
        (12, Currency::EUR),
        (8, Currency::USD),
        (4, Currency::GBP),
        (2, Currency::CHF),
        (1, Currency::JPY),
    ];

    for (i, offset) in offsets.iter().enumerate() {
        let created = end - Duration::seconds(*offset as i64);
        let mut t = created;
        let mut step = |rng: &mut SplitMix64, max_hours: u64| {
            t = (t + Duration::minutes(5 + rng.below(max_hours * 60) as i64)).min(end);
            t
        };

        let Some(contact) = add_contact(&mut p, &mut rng, &sources, created) else {
            continue;
        };
        let Ok(lead) = p.make_lead(contact, step(&mut rng, 2)) else {
            continue;
        };
        if rng.chance(70) {
            let role = *rng.pick(&BuyingRole::ALL);
            let interest = *rng.pick(&INTERESTS);
            let _ = p.update_lead(lead, role, interest, step(&mut rng, 24));
        }

        if !gets_opportunity[i] {
            // New 25%, Contacted 30%, Qualified 15%, Disqualified 30%.
            let fate = rng.below(100);
            if fate < 25 {
                continue;
            }
            let _ = p.mark_contacted(lead, step(&mut rng, 72));
            let ticks = rng.below(3);
            for c in Criterion::ALL.iter().take(ticks as usize) {
                let _ = p.set_criterion(lead, *c, true, step(&mut rng, 48));
            }
            if fate < 55 {
                continue;
            }
            if fate < 70 || rng.chance(15) {
                qualify(&mut p, &mut rng, lead, &mut step);
            }
            if fate >= 70 {
                let reason = *rng.pick(&DisqualifyReason::ALL);
                let note = if rng.chance(30) {
                    "Revisit next year"
                } else {
                    ""
                };
                let _ = p.disqualify(lead, reason, note, step(&mut rng, 240));
            }
            continue;
        }

        let _ = p.mark_contacted(lead, step(&mut rng, 48));
        qualify(&mut p, &mut rng, lead, &mut step);
        let converted_at = step(&mut rng, 72);
        let Ok(opp) = p.convert_lead(lead, "", converted_at) else {
            continue;
        };
        let currency = *rng.weighted(&currencies);
        let whole = match currency {
            Currency::JPY => 100_000 + rng.below(5_000) as i64 * 1_000,
            _ => 5_000 + rng.below(400) as i64 * 500,
        };
        let amount = Money::major(whole, currency).ok();
        let fate = rng.below(100);
        let open = fate >= 47;
        let expected_close = if open {
            today.checked_add_days(Days::new(rng.below(180)))
        } else {
            converted_at
                .date_naive()
                .checked_add_days(Days::new(rng.below(60)))
        };
        let terms = DealTerms {
            amount: if open && rng.chance(8) { None } else { amount },
            currency,
            payment_terms: Some(rng.pick(&PaymentTerms::PRESETS).clone()),
            contract_status: *rng.pick(&ContractStatus::ALL),
            expected_close,
            probability_override: if rng.chance(10) {
                Some(rng.below(101) as u8)
            } else {
                None
            },
            current_supplier: if rng.chance(30) {
                rng.pick(&COMPETITORS).to_string()
            } else {
                String::new()
            },
            current_supplier_dismissed: rng.chance(10),
            competitors: if rng.chance(40) {
                vec![rng.pick(&COMPETITORS).to_string()]
            } else {
                Vec::new()
            },
            next_step: if open {
                rng.pick(&NEXT_STEPS).to_string()
            } else {
                String::new()
            },
            next_step_date: if open {
                // Some overdue, some due today, most ahead.
                let d = rng.below(40) as i64 - 10;
                today.checked_add_signed(Duration::days(d))
            } else {
                None
            },
        };
        let _ = p.update_terms(opp, terms, step(&mut rng, 24));
        let target = *rng.pick(&OPEN_STAGES);
        for s in OPEN_STAGES {
            if s > target {
                break;
            }
            if s != Stage::NeedsAnalysis && rng.chance(70) {
                let _ = p.move_stage(opp, s, step(&mut rng, 240));
            }
        }
        let _ = p.move_stage(opp, target, step(&mut rng, 120));
        if fate < 27 {
            let at = step(&mut rng, 240);
            let _ = p.mark_won(opp, at.date_naive(), at);
        } else if fate < 47 {
            let at = step(&mut rng, 240);
            let reason = *rng.pick(&LostReason::ALL);
            let _ = p.mark_lost(opp, reason, "", at.date_naive(), at);
        }
    }
    p.clear_undo();
    match device {
        Some(device) => as_entered_live(p, device),
        None => p,
    }
}

/// The change clocks the records would carry had each change been made at
/// the time it is dated (as in the app, where the clock follows the wall
/// time): the generator tells each contact's story in one go, so its own
/// clock runs years ahead of the dates.
fn as_entered_live(p: Pipeline, device: crate::domain::DeviceId) -> Pipeline {
    use crate::domain::clock::{Hlc, Stamp, Stamps};
    use crate::domain::history::History;
    let reading = |at: DateTime<Utc>, count: u32| Hlc {
        wall: at.timestamp_millis(),
        count,
        device,
    };
    let restamp = |created: DateTime<Utc>, history: &mut History, stamps: &mut Stamps| {
        let mut count = 0;
        let mut last = created;
        let mut entries: Vec<_> = history.iter().cloned().collect();
        for e in &mut entries {
            count = if e.at == last { count + 1 } else { 0 };
            last = e.at;
            e.id = Some(reading(e.at, count));
        }
        *history = History::from(entries);
        let changed = reading(last, count);
        let born = reading(created, 0);
        let mut fresh = Stamps::default();
        fresh.set_born(born);
        for (path, _) in stamps
            .iter()
            .filter(|(p, _)| *p != crate::domain::clock::BORN)
        {
            fresh.put(path, Stamp::new(changed));
        }
        *stamps = fresh;
        changed
    };
    let mut data = p.data().clone();
    let mut clock = Hlc::ZERO;
    for c in &mut data.contacts {
        clock = clock.max(restamp(c.created_at, &mut c.history, &mut c.stamps));
    }
    for l in &mut data.leads {
        clock = clock.max(restamp(l.created_at, &mut l.history, &mut l.stamps));
    }
    for o in &mut data.opportunities {
        clock = clock.max(restamp(o.created_at, &mut o.history, &mut o.stamps));
    }
    for a in &mut data.accounts {
        clock = clock.max(restamp(a.created_at, &mut a.history, &mut a.stamps));
    }
    data.clock = clock;
    Pipeline::from_data(data).unwrap_or(p)
}

fn qualify(
    p: &mut Pipeline,
    rng: &mut SplitMix64,
    lead: super::ids::LeadId,
    step: &mut impl FnMut(&mut SplitMix64, u64) -> DateTime<Utc>,
) {
    for c in [Criterion::Need, Criterion::Budget, Criterion::Timeline] {
        let _ = p.set_criterion(lead, c, true, step(rng, 48));
    }
    if rng.chance(50) {
        let _ = p.set_criterion(lead, Criterion::Authority, true, step(rng, 48));
    }
    let _ = p.qualify(lead, step(rng, 24));
}

fn add_contact(
    p: &mut Pipeline,
    rng: &mut SplitMix64,
    sources: &[(u64, Source)],
    at: DateTime<Utc>,
) -> Option<ContactId> {
    let org = format!(
        "{} {} {}",
        rng.pick(&ORG_PREFIXES),
        rng.pick(&ORG_SUFFIXES),
        rng.pick(&ORG_FORMS)
    );
    let domain = format!(
        "{}.{}",
        ascii_slug(org.rsplit_once(' ').map_or(org.as_str(), |x| x.0)),
        *rng.pick(&["no", "se", "dk", "com", "eu"])
    );
    let draft = if rng.chance(15) {
        ContactDraft {
            name: org,
            kind: ContactKind::Organisation,
            email: format!("post@{domain}"),
            website: format!("https://www.{domain}"),
            phone: format!(
                "+47 {} {:02} {:03}",
                20 + rng.below(80),
                rng.below(100),
                rng.below(1000)
            ),
            source: rng.weighted(sources).clone(),
            ..ContactDraft::default()
        }
    } else {
        let first = rng.pick(&FIRST_NAMES);
        let last = rng.pick(&LAST_NAMES);
        let employed = rng.chance(80);
        ContactDraft {
            name: format!("{first} {last}"),
            kind: ContactKind::Person,
            organisation: if employed { org } else { String::new() },
            title: if employed && rng.chance(50) {
                rng.pick(&TITLES).to_string()
            } else {
                String::new()
            },
            email: if employed {
                format!("{}.{}@{domain}", ascii_slug(first), ascii_slug(last))
            } else {
                format!("{}{}@mail.no", ascii_slug(first), rng.below(1000))
            },
            phone: if rng.chance(70) {
                format!(
                    "+47 9{:02} {:02} {:03}",
                    rng.below(100),
                    rng.below(100),
                    rng.below(1000)
                )
            } else {
                String::new()
            },
            source: rng.weighted(sources).clone(),
            tags: if rng.chance(10) {
                "vip".into()
            } else {
                String::new()
            },
            notes: if rng.chance(5) {
                "Met at a conference; prefers email.".into()
            } else {
                String::new()
            },
            ..ContactDraft::default()
        }
    };
    let fields = draft.validate().ok()?;
    p.add_contact(fields, at).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lead::LeadStatusKind;
    use crate::domain::opportunity::OpportunityStatus;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 16).unwrap()
    }

    #[test]
    fn splitmix_is_deterministic() {
        let mut a = SplitMix64::new(1);
        let mut b = SplitMix64::new(1);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn same_seed_same_data_and_it_is_consistent() {
        let a = generate(7, 300, 120, today());
        let b = generate(7, 300, 120, today());
        assert_eq!(
            crate::domain::stored::to_json(&a),
            crate::domain::stored::to_json(&b)
        );
        assert_ne!(a, generate(8, 300, 120, today()));
        a.check_integrity().unwrap();
        assert_eq!(a.contacts().len(), 300);
        assert_eq!(a.leads().len(), 300);
        assert_eq!(a.opportunities().len(), 120);
        assert!(!a.can_undo());
        let end = Utc.from_utc_datetime(&today().and_hms_opt(16, 0, 0).unwrap());
        for c in a.contacts() {
            assert!(c.created_at <= end && c.updated_at() <= end);
        }
        for o in a.opportunities() {
            let times: Vec<_> = o.history.iter().map(|e| e.at).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "history in order");
        }
        assert!(generate(1, 0, 10, today()).contacts().is_empty());
    }

    #[test]
    fn covers_every_status_stage_and_several_currencies() {
        let p = generate(42, 2_000, 800, today());
        for kind in LeadStatusKind::ALL {
            assert!(
                p.leads().iter().any(|l| l.status.kind() == kind),
                "{kind:?}"
            );
        }
        for stage in Stage::ALL {
            assert!(
                p.opportunities().iter().any(|o| o.stage() == stage),
                "{stage:?}"
            );
        }
        let currencies: std::collections::BTreeSet<_> =
            p.opportunities().iter().map(|o| o.terms.currency).collect();
        assert!(currencies.len() >= 5);
        let won = p
            .opportunities()
            .iter()
            .filter(|o| matches!(o.status, OpportunityStatus::Won { .. }))
            .count();
        assert!((150..=260).contains(&won), "won {won}");
        assert!(
            p.accounts().len() >= won * 8 / 10,
            "accounts {}",
            p.accounts().len()
        );
        assert!(p.contacts().iter().any(|c| c.source.is_custom()));
    }
}

#[cfg(test)]
mod size {
    use super::*;

    /// Guards the size of the stored form for the capacity scenario (10,000
    /// contacts, each a lead, 4,000 opportunities, with histories). The
    /// plain JSON is about 10 million UTF-16 units, twice localStorage's
    /// 5,242,880: it fits only if storage compresses it (deflate takes it to
    /// about 1.1 MB). This test stops the format from quietly growing.
    #[test]
    fn stored_form_of_the_capacity_scenario_stays_bounded() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 16).unwrap();
        let p = generate(1, 10_000, 4_000, today);
        let json = crate::domain::stored::to_json(&p);
        let units = json.encode_utf16().count();
        if std::env::var("DUMP_SAMPLE").is_ok() {
            let _ = std::fs::write("/tmp/sample.json", &json);
        }
        eprintln!(
            "stored size: {units} UTF-16 units, {} accounts",
            p.accounts().len()
        );
        // The benchmark's data set: every contact a lead, about 1,000
        // customers, every stage in use.
        assert_eq!(p.leads().len(), 10_000);
        assert_eq!(p.opportunities().len(), 4_000);
        assert!((1_000..=1_100).contains(&p.accounts().len()));
        for stage in Stage::ALL {
            let n = p
                .opportunities()
                .iter()
                .filter(|o| o.stage() == stage)
                .count();
            assert!(n >= 400, "{stage:?}: {n}");
        }
        assert!(units < 10_500_000, "{units} UTF-16 units");
        let back: Pipeline = crate::domain::stored::from_json(&json).unwrap();
        assert!(back == p);
    }
}
