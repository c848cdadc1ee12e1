//! Timestamps are kept to the whole second and stored as Unix seconds.
//!
//! A number (`1714557600`) is less than half the size of an RFC 3339 string,
//! and every record and history entry has one: with tens of thousands of
//! records that decides whether the data fits in localStorage. Dates and
//! times people read are formatted here too.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};

/// Drops the sub-second part, so a record reads back exactly as it was kept.
pub fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// Calendar dates are written `YYYY-MM-DD` (ISO 8601), by hand rather than
/// with chrono's format strings: its formatter and parser are large, and the
/// browser build ships every byte of them.
pub fn format_date(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, date);
    out
}

fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Outside four digits ISO 8601 wants a sign; such dates never come
        // from the forms, but must still read back.
        out.push(if year < 0 { '-' } else { '+' });
    }
    push_padded(out, year.unsigned_abs(), 4);
    out.push('-');
    push_padded(out, date.month(), 2);
    out.push('-');
    push_padded(out, date.day(), 2);
}

fn push_padded(out: &mut String, value: u32, width: usize) {
    let digits = value.to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Reads a `YYYY-MM-DD` date (what `<input type="date">` gives and what
/// [`format_date`] writes); anything else, or a day that does not exist, is
/// `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let mut parts = rest.split('-');
    let year = parse_digits(parts.next()?, 4, 6)?;
    let month = parse_digits(parts.next()?, 2, 2)?;
    let day = parse_digits(parts.next()?, 2, 2)?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(sign * i32::try_from(year).ok()?, month, day)
}

fn parse_digits(text: &str, min: usize, max: usize) -> Option<u32> {
    if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A UTC time as RFC 3339 with milliseconds: `2025-01-15T10:30:00.000Z`.
pub fn format_utc_millis(at: DateTime<Utc>) -> String {
    let mut out = format_utc_minutes(at, 'T');
    out.push(':');
    push_padded(&mut out, at.second(), 2);
    out.push('.');
    push_padded(&mut out, at.timestamp_subsec_millis().min(999), 3);
    out.push('Z');
    out
}

/// `YYYY-MM-DD HH:MM` of a time in the zone it carries, for people to read.
pub fn format_date_time<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    format_utc_minutes(at.naive_local().and_utc(), ' ')
}

fn format_utc_minutes(at: DateTime<Utc>, separator: char) -> String {
    let mut out = String::with_capacity(24);
    push_date(&mut out, at.date_naive());
    out.push(separator);
    push_padded(&mut out, at.hour(), 2);
    out.push(':');
    push_padded(&mut out, at.minute(), 2);
    out
}

/// Reads an RFC 3339 time such as `2025-01-15T10:30:00.000Z` or
/// `2025-01-15T11:30:00+01:00` (any fraction, `Z` or an offset).
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = text.split_at_checked(10)?;
    let date = parse_date(date)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, rest) = rest.split_at_checked(8)?;
    let mut fields = clock.split(':');
    let hour = parse_digits(fields.next()?, 2, 2)?;
    let minute = parse_digits(fields.next()?, 2, 2)?;
    let second = parse_digits(fields.next()?, 2, 2)?;
    let (nanos, zone) = match rest.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let mut nanos = 0u32;
            for (i, b) in fraction.bytes().take(digits).enumerate() {
                if i < 9 {
                    nanos = nanos * 10 + u32::from(b - b'0');
                }
            }
            (
                nanos * 10u32.pow(9 - digits.min(9) as u32),
                &fraction[digits..],
            )
        }
        None => (0, rest),
    };
    let offset_seconds = match zone {
        "Z" | "z" => 0,
        _ => {
            let (sign, hhmm) = match zone.as_bytes().first()? {
                b'+' => (1, &zone[1..]),
                b'-' => (-1, &zone[1..]),
                _ => return None,
            };
            let (hh, mm) = hhmm.split_once(':')?;
            let hh = parse_digits(hh, 2, 2)?;
            let mm = parse_digits(mm, 2, 2)?;
            if hh > 23 || mm > 59 {
                return None;
            }
            sign * i64::from(hh * 3600 + mm * 60)
        }
    };
    let local = date.and_hms_nano_opt(hour, minute, second, nanos)?;
    let utc = local.and_utc().timestamp() - offset_seconds;
    DateTime::from_timestamp(utc, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn truncates_to_the_second() {
        let at = Utc.timestamp_opt(1_714_557_600, 123_456_789).unwrap();
        assert_eq!(to_second(at), Utc.timestamp_opt(1_714_557_600, 0).unwrap());
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them_and_read_back() {
        let mut date = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        while date.year() < 2101 {
            let text = format_date(date);
            assert_eq!(text, date.to_string());
            assert_eq!(parse_date(&text), Some(date));
            date = date + chrono::Days::new(13);
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
