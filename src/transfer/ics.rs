//! The calendar file (iCalendar, RFC 5545): each open opportunity's next
//! step and expected close date, and each active lead's next step, as an
//! all-day event, for any calendar app.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::domain::time::format_date;
use crate::domain::Pipeline;

use super::content_line::{escape, push_line};

fn compact_date(d: NaiveDate) -> String {
    format_date(d).replace('-', "")
}

/// One all-day event on `date`.
fn push_event(
    out: &mut String,
    stamp: &str,
    uid: &str,
    date: NaiveDate,
    summary: &str,
    about: &str,
) {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{uid}@leadline"));
    push_line(out, &format!("DTSTAMP:{stamp}"));
    push_line(out, &format!("DTSTART;VALUE=DATE:{}", compact_date(date)));
    push_line(out, &format!("DTEND;VALUE=DATE:{}", compact_date(next)));
    push_line(out, &format!("SUMMARY:{}", escape(summary)));
    push_line(out, &format!("DESCRIPTION:{}", escape(about)));
    push_line(out, "TRANSP:TRANSPARENT");
    push_line(out, "END:VEVENT");
}

/// The whole calendar. UIDs stay the same for the same record, so
/// importing a newer file updates events instead of doubling them.
pub fn export_ics(pipeline: &Pipeline, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Leadline//Sales pipeline//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Leadline",
    ] {
        push_line(&mut out, line);
    }
    let name_of = |id| {
        pipeline
            .contact(id)
            .map(|c| c.name.as_str())
            .unwrap_or_default()
    };
    let step_text = |text: &str| match text.trim() {
        "" => "Next step".to_owned(),
        text => text.to_owned(),
    };
    for o in pipeline.opportunities().iter().filter(|o| o.is_open()) {
        let about = format!("Opportunity: {}\nContact: {}", o.name, name_of(o.contact));
        let uid = |kind: &str| format!("opportunity-{}-{kind}", o.id.0);
        if let Some(date) = o.terms.next_step_date {
            let summary = format!("{} ({})", step_text(&o.terms.next_step), o.name);
            push_event(&mut out, &stamp, &uid("next-step"), date, &summary, &about);
        }
        if let Some(date) = o.terms.expected_close {
            let summary = format!("Expected close: {}", o.name);
            push_event(&mut out, &stamp, &uid("close"), date, &summary, &about);
        }
    }
    for l in pipeline
        .leads()
        .iter()
        .filter(|l| l.status.kind().is_active())
    {
        let Some(date) = l.next_step_date else {
            continue;
        };
        let name = name_of(l.contact);
        let summary = format!("{} ({name})", step_text(&l.next_step));
        let about = format!("Lead: {name}");
        let uid = format!("lead-{}-next-step", l.id.0);
        push_event(&mut out, &stamp, &uid, date, &summary, &about);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
    }

    #[test]
    fn a_lead_next_step_is_an_event_too() {
        let mut p = crate::domain::Pipeline::new();
        let fields = crate::domain::ContactDraft {
            name: "Ada, Countess".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let c = p.add_contact(fields, now()).unwrap();
        let l = p.make_lead(c, now()).unwrap();
        p.set_lead_next_step(l, "Call back", "2026-12-01", now())
            .unwrap();
        let text = export_ics(&p, now());
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("UID:lead-{}-next-step@leadline", l.0)));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202"));
        assert!(unfolded.contains("SUMMARY:Call back (Ada\\, Countess)"));
        p.disqualify(l, crate::domain::DisqualifyReason::NoNeed, "", now())
            .unwrap();
        assert!(
            !export_ics(&p, now()).contains("VEVENT"),
            "a closed lead has no follow-up"
        );
    }

    #[test]
    fn next_steps_and_close_dates_become_all_day_events() {
        let p = sample::generate(5, 60, 25, now().date_naive());
        let text = export_ics(&p, now());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        let with_step = p
            .opportunities()
            .iter()
            .find(|o| o.is_open() && o.terms.next_step_date.is_some())
            .expect("the sample has a next step");
        let date = with_step.terms.next_step_date.unwrap();
        let uid = format!("UID:opportunity-{}-next-step@leadline", with_step.id.0);
        let unfolded = text.replace("\r\n ", "");
        let event = unfolded
            .split("BEGIN:VEVENT")
            .find(|e| e.contains(&uid))
            .unwrap();
        assert!(event.contains(&format!("DTSTART;VALUE=DATE:{}", compact_date(date))));
        assert!(event.contains(&escape(with_step.terms.next_step.trim())));
        assert!(event.contains("DTSTAMP:20261127T093000Z"));
        let open_with_dates: usize = p
            .opportunities()
            .iter()
            .filter(|o| o.is_open())
            .map(|o| {
                usize::from(o.terms.next_step_date.is_some())
                    + usize::from(o.terms.expected_close.is_some())
            })
            .sum();
        let leads_with_steps = p
            .leads()
            .iter()
            .filter(|l| l.status.kind().is_active() && l.next_step_date.is_some())
            .count();
        assert_eq!(
            text.matches("BEGIN:VEVENT").count(),
            open_with_dates + leads_with_steps
        );
        // The same data gives the same UIDs.
        assert_eq!(export_ics(&p, now()), text);
    }
}
