//! Timestamps are kept to the whole second and stored as Unix seconds.
//!
//! A number (`1714557600`) is less than half the size of an RFC 3339 string,
//! and every record and history entry has one: with tens of thousands of
//! records that decides whether the data fits in localStorage. Dates and
//! times are written and read by chrono; the forms the app uses are named
//! here, once.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, TimeZone, Utc};

use super::error::{Field, FieldErrors, FieldProblem};

/// Drops the sub-second part, so a record reads back exactly as it was kept.
pub fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// A calendar date as `YYYY-MM-DD` (ISO 8601, chrono's `Display`): what
/// `<input type="date">` gives and the stored form holds.
pub fn format_date(date: NaiveDate) -> String {
    date.to_string()
}

/// Reads a `YYYY-MM-DD` date (surrounding spaces allowed) with chrono's
/// `FromStr`; anything else, or a day that does not exist, is `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // Exactly four, two and two digits: chrono alone would also take
    // `2025-1-1` or a two-digit year.
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| text.parse().ok())
        .flatten()
        .filter(|d: &NaiveDate| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
}

/// The years a date field takes: a typo such as 20261 or 0202 is refused
/// rather than stored as a date no one meant.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 9999;

/// A date as a date field shows it; empty for none.
pub fn date_text(date: Option<NaiveDate>) -> String {
    date.map(format_date).unwrap_or_default()
}

/// A date field's text read: empty is no date; anything else must be a
/// date from 1900 to 9999, or the field is refused (never silently blank).
pub fn date_field(errors: &mut FieldErrors, field: Field, text: &str) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    let date = parse_date(text);
    if date.is_none() {
        errors.push(field, FieldProblem::Date);
    }
    date
}

/// A UTC time as RFC 3339 with milliseconds: `2025-01-15T10:30:00.000Z`.
pub fn format_utc_millis(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `YYYY-MM-DD HH:MM` of a time in the zone it carries, for people to read.
pub fn format_date_time<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    at.naive_local().format("%Y-%m-%d %H:%M").to_string()
}

/// Reads an RFC 3339 time such as `2025-01-15T10:30:00.000Z` or
/// `2025-01-15T11:30:00+01:00` (any fraction, `Z` or an offset).
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn truncates_to_the_second() {
        let at = Utc.timestamp_opt(1_714_557_600, 123_456_789).unwrap();
        assert_eq!(to_second(at), Utc.timestamp_opt(1_714_557_600, 0).unwrap());
    }

    #[test]
    fn dates_read_back_as_they_are_written() {
        let mut date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        while date.year() < 2101 {
            let text = format_date(date);
            assert_eq!(text, date.to_string());
            assert_eq!(parse_date(&text), Some(date));
            date = date + chrono::Days::new(13);
        }
    }

    #[test]
    fn takes_the_years_1900_to_9999_only() {
        assert_eq!(
            parse_date("9999-12-31"),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
        assert_eq!(
            parse_date("1900-01-01"),
            NaiveDate::from_ymd_opt(1900, 1, 1)
        );
        for typo in ["1899-12-31", "0202-01-01", "20261-12-24", "+20261-12-24"] {
            assert_eq!(parse_date(typo), None, "{typo}");
        }
    }

    #[test]
    fn refuses_text_that_is_not_a_real_day() {
        for bad in [
            "",
            "2025",
            "2025-02-30",
            "2025-13-01",
            "2025-1-01",
            "25-01-01",
            "2025-01-01x",
            "2025/01/01",
            "2025-01-01-01",
            "abcd-ef-gh",
            "2025-00-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_date(" 2024-02-29 "),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn utc_times_round_trip_with_milliseconds() {
        let at = Utc.timestamp_opt(1_736_937_000, 123_000_000).unwrap();
        let text = format_utc_millis(at);
        assert_eq!(text, "2025-01-15T10:30:00.123Z");
        assert_eq!(
            text,
            at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        );
        assert_eq!(parse_rfc3339(&text), Some(at));
    }

    #[test]
    fn reads_offsets_fractions_and_refuses_nonsense() {
        let noon = Utc.timestamp_opt(1_736_942_400, 0).unwrap();
        assert_eq!(parse_rfc3339("2025-01-15T12:00:00Z"), Some(noon));
        assert_eq!(parse_rfc3339("2025-01-15T13:00:00+01:00"), Some(noon));
        assert_eq!(parse_rfc3339("2025-01-15T07:30:00-04:30"), Some(noon));
        assert_eq!(
            parse_rfc3339("2025-01-15T12:00:00.5Z"),
            Utc.timestamp_opt(1_736_942_400, 500_000_000).single()
        );
        for bad in [
            "",
            "2025-01-15",
            "2025-01-15T12:00Z",
            "2025-01-15T25:00:00Z",
            "2025-01-15T12:00:00",
            "2025-01-15T12:00:00.Z",
            "2025-01-15T12:00:00+1:00",
            "2025-01-15T12:00:00+24:00",
            "yesterday",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_time_for_people_uses_the_zone_it_is_given() {
        let at = Utc.timestamp_opt(1_736_942_400, 0).unwrap();
        assert_eq!(format_date_time(&at), "2025-01-15 12:00");
        let oslo = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            format_date_time(&at.with_timezone(&oslo)),
            "2025-01-15 13:00"
        );
    }
}
