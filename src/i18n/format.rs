//! Numbers, money and dates in the language on screen.
//!
//! English keeps the forms the app has always shown (ISO dates such as
//! `2026-11-27`, `NOK 12,500.00`, `60%`); Norwegian follows CLDR `nb`
//! (`27. nov. 2026`, `kr 12 500,00`, `60 %`), with no-break spaces so a
//! value never wraps across lines.

use super::{language, Language};
use crate::domain::time::{format_date, format_date_time};
use crate::domain::{format_money, AverageDays, Money, NumberLocale, Rate, Sum, YearMonth};
use chrono::{Datelike, NaiveDate, TimeZone, Timelike};

const NBSP: char = '\u{a0}';

const MONTHS_NB: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

impl Language {
    /// How this language writes numbers (also how amounts are read).
    pub fn number_locale(self) -> NumberLocale {
        match self {
            Language::En => NumberLocale::English,
            Language::Nb => NumberLocale::Norwegian,
        }
    }
}

/// `NOK 12,500.00` / `kr 12 500,00`.
pub fn money(m: Money) -> String {
    format_money(m, language().number_locale())
}

/// A total: as an amount, or "too large to add up (NOK)" rather than a
/// wrong figure.
pub fn sum(s: Sum) -> String {
    s.money().map_or_else(
        || super::fill(super::Text::TooLargeToAddUp, &[s.currency.code()]),
        money,
    )
}

/// A whole number: `12,500` / `12 500`.
pub fn number(n: u64) -> String {
    number_in(language(), n)
}

fn number_in(language: Language, n: u64) -> String {
    let group = match language {
        Language::En => ',',
        Language::Nb => NBSP,
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(ch);
    }
    out
}

/// A whole percentage such as a probability: `60%` / `60 %`.
pub fn percent(p: impl Into<u64>) -> String {
    percent_in(language(), p.into())
}

fn percent_in(language: Language, p: u64) -> String {
    let mut out = p.to_string();
    if language == Language::Nb {
        out.push(NBSP);
    }
    out.push('%');
    out
}

/// A conversion rate to a tenth: `62.5%` / `62,5 %`.
pub fn rate(r: &Rate) -> String {
    r.format(language().number_locale())
}

/// An average number of days: `18.3 days` / `18,3 dager`.
pub fn days(a: &AverageDays) -> String {
    a.format(language().number_locale())
}

/// A deal's next step with its date after it: "Send proposal · 2026-11-27"
/// (either alone when the other is missing; empty when both are).
pub fn next_step(step: &str, on: Option<NaiveDate>) -> String {
    let mut text = step.to_owned();
    if let Some(d) = on {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&date(d));
    }
    text
}

/// A calendar date: `2026-11-27` / `27. nov. 2026`.
pub fn date(d: NaiveDate) -> String {
    date_in(language(), d)
}

fn date_in(language: Language, d: NaiveDate) -> String {
    match language {
        Language::En => format_date(d),
        Language::Nb => {
            let name = MONTHS_NB[d.month0() as usize];
            let mut out = d.day().to_string();
            out.push('.');
            out.push(NBSP);
            // CLDR's short names: the first three letters and a full stop,
            // except "mai", which is short already.
            out.push_str(&name[..3]);
            if name.len() > 3 {
                out.push('.');
            }
            out.push(NBSP);
            out.push_str(&d.year().to_string());
            out
        }
    }
}

/// A moment in the zone it carries: `2026-11-27 10:30` / `27. nov. 2026, 10:30`.
pub fn date_time<Tz: TimeZone>(at: &chrono::DateTime<Tz>) -> String {
    date_time_in(language(), at)
}

fn date_time_in<Tz: TimeZone>(language: Language, at: &chrono::DateTime<Tz>) -> String {
    match language {
        Language::En => format_date_time(at),
        Language::Nb => {
            let local = at.naive_local();
            let mut out = date_in(language, local.date());
            out.push_str(", ");
            push_two(&mut out, local.hour());
            out.push(':');
            push_two(&mut out, local.minute());
            out
        }
    }
}

fn push_two(out: &mut String, v: u32) {
    if v < 10 {
        out.push('0');
    }
    out.push_str(&v.to_string());
}

/// A month of the forecast: `2026-01` / `januar 2026`.
pub fn month(ym: YearMonth) -> String {
    month_in(language(), ym)
}

fn month_in(language: Language, ym: YearMonth) -> String {
    match language {
        Language::En => ym.to_string(),
        Language::Nb => {
            let name = MONTHS_NB
                .get(ym.month.wrapping_sub(1) as usize)
                .copied()
                .unwrap_or("");
            let mut out = name.to_owned();
            out.push(' ');
            out.push_str(&ym.year.to_string());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use chrono::Utc;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_norwegian_use_cldr_short_month_names() {
        assert_eq!(
            date_in(Language::Nb, d(2026, 11, 27)),
            "27.\u{a0}nov.\u{a0}2026"
        );
        assert_eq!(
            date_in(Language::Nb, d(2026, 5, 1)),
            "1.\u{a0}mai\u{a0}2026"
        );
        assert_eq!(
            date_in(Language::Nb, d(2026, 6, 9)),
            "9.\u{a0}jun.\u{a0}2026"
        );
        assert_eq!(
            date_in(Language::Nb, d(2026, 3, 9)),
            "9.\u{a0}mar.\u{a0}2026"
        );
        assert_eq!(
            date_in(Language::Nb, d(2027, 12, 31)),
            "31.\u{a0}des.\u{a0}2027"
        );
        assert_eq!(
            date_in(Language::Nb, d(2027, 9, 30)),
            "30.\u{a0}sep.\u{a0}2027"
        );
        assert_eq!(date_in(Language::En, d(2026, 11, 27)), "2026-11-27");
    }

    #[test]
    fn times_carry_hours_and_minutes() {
        let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 7, 0).unwrap();
        assert_eq!(
            date_time_in(Language::Nb, &at),
            "5.\u{a0}jan.\u{a0}2026, 09:07"
        );
        assert_eq!(date_time_in(Language::En, &at), "2026-01-05 09:07");
        let late = Utc.with_ymd_and_hms(2026, 8, 15, 23, 45, 0).unwrap();
        assert_eq!(
            date_time_in(Language::Nb, &late),
            "15.\u{a0}aug.\u{a0}2026, 23:45"
        );
    }

    #[test]
    fn months_of_the_forecast() {
        let ym = YearMonth::of(d(2026, 1, 31));
        assert_eq!(month_in(Language::Nb, ym), "januar 2026");
        assert_eq!(month_in(Language::En, ym), "2026-01");
    }

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(number_in(Language::En, 12_500), "12,500");
        assert_eq!(number_in(Language::Nb, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(number_in(Language::Nb, 999), "999");
        assert_eq!(percent_in(Language::En, 60), "60%");
        assert_eq!(percent_in(Language::Nb, 60), "60\u{a0}%");
    }

    #[test]
    fn money_per_language() {
        let m = Money::new(1_250_000, Currency::NOK);
        assert_eq!(
            format_money(m, Language::En.number_locale()),
            "NOK 12,500.00"
        );
        assert_eq!(
            format_money(m, Language::Nb.number_locale()),
            "kr\u{a0}12\u{a0}500,00"
        );
    }
}
