//! Exact money: whole minor units (øre, cent) plus an ISO 4217 currency.
//!
//! There is no floating point anywhere in here. Amounts are parsed from and
//! formatted to text in two number styles:
//!
//! | style       | example       | decimal mark | thousands separator          |
//! |-------------|---------------|--------------|------------------------------|
//! | `English`   | `12,500.50`   | `.`          | `,` (or a space)             |
//! | `Norwegian` | `12 500,50`   | `,`          | a space (also U+00A0, U+202F, U+2009) or `.` |
//!
//! Parsing rules ([`parse_amount`]), in order:
//! 1. Surrounding spaces are ignored. Empty text is refused ("Enter an amount").
//! 2. One currency marker may come before or after the number: the ISO code
//!    (any case, e.g. `NOK`, `eur`) or its symbol (`kr`/`kr.` for NOK, SEK and
//!    DKK, `€`, `$`, `£`, `¥`). A marker of another currency is refused.
//! 3. In Norwegian style a trailing `,-` means "whole amount" (`1 500,-`).
//! 4. A leading minus is refused: amounts are never negative.
//! 5. The number is digits, at most one decimal mark and thousands
//!    separators. Separators must split the whole part into groups of three
//!    (`1 234 567`), all of one kind; anything else is refused.
//! 6. English: a comma is always a thousands separator, so `12,500` is twelve
//!    thousand five hundred and `12,5` is refused.
//!    Norwegian: a comma is always the decimal mark. A single `.` with no
//!    comma is read as a decimal mark (`12500.5`), except when exactly three
//!    digits follow it (`12.500`): that could mean either, so it is refused.
//! 7. More decimals than the currency has are refused (`JPY has no decimals`,
//!    `NOK has at most 2 decimals`), even if they are zeros.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

crate::named::named_values! {
    /// The currencies Leadline knows. Stored as their ISO 4217 code (`"NOK"`).
    #[allow(clippy::upper_case_acronyms)]
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Currency {
        #[default]
        NOK = "NOK",
        SEK = "SEK",
        DKK = "DKK",
        EUR = "EUR",
        USD = "USD",
        GBP = "GBP",
        CHF = "CHF",
        JPY = "JPY",
    }
}

impl Currency {
    /// The ISO 4217 code, e.g. `"NOK"`.
    pub fn code(self) -> &'static str {
        match self {
            Currency::NOK => "NOK",
            Currency::SEK => "SEK",
            Currency::DKK => "DKK",
            Currency::EUR => "EUR",
            Currency::USD => "USD",
            Currency::GBP => "GBP",
            Currency::CHF => "CHF",
            Currency::JPY => "JPY",
        }
    }

    /// How many digits the minor unit has: 0 for JPY, 2 for the others.
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::JPY => 0,
            _ => 2,
        }
    }

    /// The symbol people write in front of or after an amount, if any.
    pub fn symbol(self) -> Option<&'static str> {
        match self {
            Currency::NOK | Currency::SEK | Currency::DKK => Some("kr"),
            Currency::EUR => Some("€"),
            Currency::USD => Some("$"),
            Currency::GBP => Some("£"),
            Currency::JPY => Some("¥"),
            Currency::CHF => None,
        }
    }

    fn scale(self) -> i64 {
        10_i64.pow(self.minor_digits())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    /// Reads an ISO code in any case (`"nok"`, `" EUR "`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(t))
            .ok_or_else(|| MoneyError::UnknownCurrency { text: t.to_owned() })
    }
}

/// How numbers are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NumberLocale {
    /// `12,500.50`
    #[default]
    English,
    /// `12 500,50`
    Norwegian,
}

impl NumberLocale {
    fn grouping_hint(self) -> &'static str {
        match self {
            NumberLocale::English => {
                "a comma separates thousands in groups of three (write 12,500.50 or 12500.5)"
            }
            NumberLocale::Norwegian => {
                "a space separates thousands in groups of three and a comma marks decimals (write 12 500,50)"
            }
        }
    }
}

/// The thousands separator used when formatting Norwegian amounts: a
/// no-break space, so an amount never wraps across lines.
pub const NORWEGIAN_GROUP_SEPARATOR: char = '\u{a0}';

/// Why an amount could not be read or computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumIter, Default))]
pub enum MoneyError {
    #[error("Enter an amount")]
    #[cfg_attr(test, default)]
    Empty,
    #[error("“{text}” is not an amount: use digits with at most one decimal mark")]
    NotAnAmount { text: String },
    #[error("“{text}” is not an amount: {}", .locale.grouping_hint())]
    Grouping { text: String, locale: NumberLocale },
    #[error("“{text}” is ambiguous: use a space between thousands (12 500) and a comma for decimals (12,5)")]
    Ambiguous { text: String },
    #[error("An amount cannot be negative")]
    Negative,
    #[error("{}", decimals_message(*.currency))]
    TooManyDecimals { currency: Currency },
    #[error("“{text}” is too large")]
    TooLarge { text: String },
    #[error("The amount is too large to calculate")]
    Overflow,
    #[error("Cannot combine {left} and {right} amounts without an exchange rate")]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("The amount is written in {found}, but this one is in {expected}")]
    WrongCurrency { expected: Currency, found: String },
    #[error("“{text}” is not a currency Leadline knows (for example NOK, EUR or USD)")]
    UnknownCurrency { text: String },
}

fn decimals_message(currency: Currency) -> String {
    match currency.minor_digits() {
        0 => format!("{currency} has no decimals"),
        n => format!("{currency} has at most {n} decimals"),
    }
}

/// An exact amount: `minor` units (øre, cent; yen for JPY) of `currency`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// A total of amounts in one currency, added up wide enough never to
/// overflow. A total that does not fit an amount is shown as "too large to
/// add up", never as a wrong (cut-off) figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum {
    pub currency: Currency,
    pub minor: i128,
}

impl Sum {
    pub fn zero(currency: Currency) -> Sum {
        Sum { currency, minor: 0 }
    }

    /// Adds an amount of the sum's currency (the callers group by currency).
    pub fn add(&mut self, minor: i64) {
        self.minor += i128::from(minor);
    }

    pub fn plus(mut self, other: Sum) -> Sum {
        self.minor += other.minor;
        self
    }

    /// The total as an amount, or `None` when it is too large to be one.
    pub fn money(self) -> Option<Money> {
        i64::try_from(self.minor)
            .ok()
            .map(|minor| Money::new(minor, self.currency))
    }
}

/// A total equals an amount when it is exactly that amount.
impl PartialEq<Money> for Sum {
    fn eq(&self, m: &Money) -> bool {
        self.money() == Some(*m)
    }
}

impl From<Money> for Sum {
    fn from(m: Money) -> Sum {
        Sum {
            currency: m.currency,
            minor: i128::from(m.minor),
        }
    }
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// From whole major units (kroner, euro): `Money::major(12_500, NOK)`.
    pub fn major(units: i64, currency: Currency) -> Result<Self, MoneyError> {
        units
            .checked_mul(currency.scale())
            .map(|minor| Money { minor, currency })
            .ok_or(MoneyError::Overflow)
    }

    pub fn is_positive(self) -> bool {
        self.minor > 0
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `prob` percent of this amount, in whole minor units, rounded half away
    /// from zero (NOK 0.05 at 50% is NOK 0.03). `prob` above 100 counts as
    /// 100: a probability never exceeds certainty. Cannot overflow, because
    /// the result is never larger than the amount.
    pub fn percent(self, prob: u8) -> Money {
        let p = i128::from(prob.min(100));
        Money::new(
            div_round_half_away(i128::from(self.minor) * p, 100),
            self.currency,
        )
    }
}

/// `n / d` rounded half away from zero. `d` must be positive. The result is
/// clamped into `i64`, which only matters for sums beyond 92 quadrillion.
pub(crate) fn div_round_half_away(n: i128, d: i128) -> i64 {
    let q = n / d;
    let r = n % d;
    let q = if r.abs() * 2 >= d { q + n.signum() } else { q };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

impl fmt::Display for Money {
    /// English style with the code: `NOK 12,500.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_money(*self, NumberLocale::English))
    }
}

/// The number alone: `12,500.50` (English) or `12 500,50` (Norwegian, with
/// [`NORWEGIAN_GROUP_SEPARATOR`]).
pub fn format_amount(money: Money, locale: NumberLocale) -> String {
    let (group, decimal) = match locale {
        NumberLocale::English => (',', '.'),
        NumberLocale::Norwegian => (NORWEGIAN_GROUP_SEPARATOR, ','),
    };
    let digits = money.currency.minor_digits() as usize;
    let abs = money.minor.unsigned_abs();
    let scale = 10_u64.pow(digits as u32);
    let whole = (abs / scale).to_string();
    let mut out = String::with_capacity(whole.len() * 4 / 3 + digits + 2);
    if money.minor < 0 {
        out.push('-');
    }
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(ch);
    }
    if digits > 0 {
        out.push(decimal);
        out.push_str(&format!("{:0width$}", abs % scale, width = digits));
    }
    out
}

/// The amount with its currency: `NOK 12,500.00` (English), or as CLDR's
/// Norwegian Bokmål writes it, the symbol first and a no-break space:
/// `kr 12 500,00` for NOK, `€ 1 250,00`, `£ 10,00`, and the code for the
/// others (`SEK 100,00`: "kr" alone would read as Norwegian kroner).
pub fn format_money(money: Money, locale: NumberLocale) -> String {
    let (marker, space) = match (locale, money.currency) {
        (NumberLocale::English, c) => (c.code(), ' '),
        (NumberLocale::Norwegian, Currency::NOK) => ("kr", NORWEGIAN_GROUP_SEPARATOR),
        (NumberLocale::Norwegian, Currency::EUR) => ("€", NORWEGIAN_GROUP_SEPARATOR),
        (NumberLocale::Norwegian, Currency::GBP) => ("£", NORWEGIAN_GROUP_SEPARATOR),
        (NumberLocale::Norwegian, c) => (c.code(), NORWEGIAN_GROUP_SEPARATOR),
    };
    let mut out = String::from(marker);
    out.push(space);
    out.push_str(&format_amount(money, locale));
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t')
}

fn is_marker_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '€' | '$' | '£' | '¥')
}

/// Checks a currency marker (code or symbol) against the expected currency.
fn check_marker(marker: &str, currency: Currency, original: &str) -> Result<(), MoneyError> {
    let bare = marker.strip_suffix('.').unwrap_or(marker);
    if bare.eq_ignore_ascii_case(currency.code())
        || currency
            .symbol()
            .is_some_and(|s| s.eq_ignore_ascii_case(bare))
    {
        return Ok(());
    }
    let known = Currency::ALL.iter().any(|c| {
        c.code().eq_ignore_ascii_case(bare)
            || c.symbol().is_some_and(|s| s.eq_ignore_ascii_case(bare))
    });
    if known {
        Err(MoneyError::WrongCurrency {
            expected: currency,
            found: bare.to_owned(),
        })
    } else {
        Err(MoneyError::NotAnAmount {
            text: original.to_owned(),
        })
    }
}

/// Reads an amount typed by a user. See the module documentation for the
/// exact rules; everything they do not allow is refused with a message.
pub fn parse_amount(
    text: &str,
    currency: Currency,
    locale: NumberLocale,
) -> Result<Money, MoneyError> {
    let original = text.trim_matches(is_space);
    if original.is_empty() {
        return Err(MoneyError::Empty);
    }
    let not_amount = || MoneyError::NotAnAmount {
        text: original.to_owned(),
    };
    let mut body = original;
    let negative_at_start = body.starts_with(['-', '−']);
    if negative_at_start {
        body = &body[body.chars().next().map_or(0, char::len_utf8)..];
    }

    // Currency marker before the number ("kr 12 500", "NOK12500", "€5").
    let prefix_len: usize = body
        .chars()
        .take_while(|&c| is_marker_char(c))
        .map(char::len_utf8)
        .sum();
    if prefix_len > 0 {
        let mut marker_end = prefix_len;
        if body[prefix_len..].starts_with('.') {
            marker_end += 1; // "kr."
        }
        check_marker(&body[..marker_end], currency, original)?;
        body = body[marker_end..].trim_start_matches(is_space);
    }
    // Currency marker after the number ("12 500 kr", "12,500.00 USD").
    let suffix_start = body
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_marker_char(c) || c == '.')
        .last()
        .map(|(i, _)| i);
    if let Some(start) = suffix_start {
        let marker = &body[start..];
        // A trailing "." alone belongs to the number ("12."), not a marker.
        if marker.chars().any(|c| c != '.') {
            let marker = marker.trim_start_matches('.');
            let start = body.len() - marker.len();
            if prefix_len > 0 {
                return Err(not_amount());
            }
            check_marker(marker, currency, original)?;
            body = body[..start].trim_end_matches(is_space);
        }
    }
    if negative_at_start || body.starts_with(['-', '−']) {
        // "-0" is zero, not a negative amount.
        let unsigned = body.trim_start_matches(['-', '−']);
        return match parse_amount(unsigned, currency, locale) {
            Ok(zero) if zero.minor == 0 => Ok(zero),
            _ => Err(MoneyError::Negative),
        };
    }
    if locale == NumberLocale::Norwegian {
        if let Some(whole) = body.strip_suffix(",-").or_else(|| body.strip_suffix(",–")) {
            body = whole;
        }
    }
    if body.is_empty() {
        return Err(not_amount());
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space(c))
    {
        return Err(not_amount());
    }

    // Decide which character is the decimal mark.
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let decimal_mark = match locale {
        NumberLocale::English => Some('.'),
        NumberLocale::Norwegian if commas > 0 => Some(','),
        NumberLocale::Norwegian if dots == 1 => {
            let after = body.rsplit('.').next().unwrap_or("");
            if !after.bytes().all(|b| b.is_ascii_digit()) {
                None // "1.234 567": a separator, and the grouping check explains
            } else if after.len() == 3 {
                return Err(MoneyError::Ambiguous {
                    text: original.to_owned(),
                });
            } else {
                Some('.')
            }
        }
        NumberLocale::Norwegian => None,
    };
    let (whole, fraction) = match decimal_mark {
        Some(mark) => {
            let mut parts = body.splitn(3, mark);
            let whole = parts.next().unwrap_or("");
            let fraction = parts.next();
            if parts.next().is_some() {
                return Err(not_amount());
            }
            (whole, fraction)
        }
        None => (body, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_amount());
        }
    }
    let whole_digits = group_digits(whole, locale).ok_or_else(|| MoneyError::Grouping {
        text: original.to_owned(),
        locale,
    })?;
    if whole_digits.is_empty() && fraction.is_none() {
        return Err(not_amount());
    }

    let digits = currency.minor_digits() as usize;
    let fraction = fraction.unwrap_or("");
    if fraction.len() > digits {
        return Err(MoneyError::TooManyDecimals { currency });
    }
    let too_large = || MoneyError::TooLarge {
        text: original.to_owned(),
    };
    let mut minor: i64 = 0;
    for b in whole_digits.bytes().chain(fraction.bytes()) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    for _ in fraction.len()..digits {
        minor = minor.checked_mul(10).ok_or_else(too_large)?;
    }
    Ok(Money::new(minor, currency))
}

/// The digits of the whole part, with thousands separators checked and
/// removed; `None` if the separators are not in groups of three of one kind.
fn group_digits(whole: &str, locale: NumberLocale) -> Option<String> {
    let is_group = |c: char| match locale {
        NumberLocale::English => c == ',' || is_space(c),
        NumberLocale::Norwegian => c == '.' || is_space(c),
    };
    let mut kind: Option<bool> = None; // Some(true) = space-like separators
    let mut digits = String::with_capacity(whole.len());
    let mut group_len = 0usize;
    let mut groups = 0usize;
    for c in whole.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            group_len += 1;
        } else if is_group(c) {
            let space = is_space(c);
            if *kind.get_or_insert(space) != space {
                return None;
            }
            let first_ok = groups == 0 && (1..=3).contains(&group_len);
            if !(first_ok || (groups > 0 && group_len == 3)) {
                return None;
            }
            groups += 1;
            group_len = 0;
        } else {
            return None;
        }
    }
    if groups > 0 && group_len != 3 {
        return None;
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Currency::*;
    use NumberLocale::*;

    fn ok(text: &str, c: Currency, l: NumberLocale) -> i64 {
        match parse_amount(text, c, l) {
            Ok(m) => {
                assert_eq!(m.currency, c);
                m.minor
            }
            Err(e) => panic!("{text:?} in {l:?} should parse, got: {e}"),
        }
    }

    fn refused(text: &str, c: Currency, l: NumberLocale) -> String {
        match parse_amount(text, c, l) {
            Ok(m) => panic!("{text:?} in {l:?} should be refused, got {m:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn currency_codes_and_digits() {
        assert_eq!("nok".parse::<Currency>().unwrap(), NOK);
        assert_eq!(" Eur ".parse::<Currency>().unwrap(), EUR);
        assert_eq!(JPY.minor_digits(), 0);
        assert_eq!(GBP.minor_digits(), 2);
        assert_eq!(
            "XYZ".parse::<Currency>().unwrap_err().to_string(),
            "“XYZ” is not a currency Leadline knows (for example NOK, EUR or USD)"
        );
    }

    #[test]
    fn english_accepts_commas_as_thousands_and_dot_as_decimal() {
        assert_eq!(ok("12,500.50", USD, English), 1_250_050);
        assert_eq!(ok("12500", USD, English), 1_250_000);
        assert_eq!(ok("12500.5", USD, English), 1_250_050);
        assert_eq!(ok("12,500", USD, English), 1_250_000);
        assert_eq!(ok("1,234,567.89", USD, English), 123_456_789);
        assert_eq!(ok(" 12 500.50 ", USD, English), 1_250_050);
        assert_eq!(ok(".5", USD, English), 50);
        assert_eq!(ok("0", USD, English), 0);
        assert_eq!(ok("$12.5", USD, English), 1_250);
        assert_eq!(ok("USD 12,500.00", USD, English), 1_250_000);
        assert_eq!(ok("12,500.00 usd", USD, English), 1_250_000);
        assert_eq!(ok("NOK 12,500.00", NOK, English), 1_250_000);
    }

    #[test]
    fn english_refuses_comma_decimals_and_bad_groups() {
        assert!(refused("12,5", USD, English).contains("groups of three"));
        assert!(refused("1,23,456", USD, English).contains("groups of three"));
        assert!(refused("12 500,50", USD, English).contains("groups of three"));
        assert!(refused(",500", USD, English).contains("groups of three"));
        assert!(refused("12,500 000", USD, English).contains("groups of three"));
        assert_eq!(
            refused("12.5.0", USD, English),
            "“12.5.0” is not an amount: use digits with at most one decimal mark"
        );
        assert_eq!(
            refused("12.500", USD, English),
            "USD has at most 2 decimals"
        );
        assert_eq!(
            refused("12.", USD, English),
            "“12.” is not an amount: use digits with at most one decimal mark"
        );
    }

    #[test]
    fn norwegian_accepts_comma_decimals_and_space_or_dot_groups() {
        assert_eq!(ok("12 500,50", NOK, Norwegian), 1_250_050);
        assert_eq!(ok("12\u{a0}500,50", NOK, Norwegian), 1_250_050);
        assert_eq!(ok("12\u{202f}500,50", NOK, Norwegian), 1_250_050);
        assert_eq!(ok("1.234.567,5", NOK, Norwegian), 123_456_750);
        assert_eq!(ok("1.234,5", NOK, Norwegian), 123_450);
        assert_eq!(ok("12500", NOK, Norwegian), 1_250_000);
        assert_eq!(ok("12500,5", NOK, Norwegian), 1_250_050);
        assert_eq!(ok("12500.5", NOK, Norwegian), 1_250_050);
        assert_eq!(ok("12.50", NOK, Norwegian), 1_250);
        assert_eq!(ok("1.234.567", NOK, Norwegian), 123_456_700);
        assert_eq!(ok("kr 12 500,00", NOK, Norwegian), 1_250_000);
        assert_eq!(ok("kr. 12 500", NOK, Norwegian), 1_250_000);
        assert_eq!(ok("12 500 kr", SEK, Norwegian), 1_250_000);
        assert_eq!(ok("1 500,-", NOK, Norwegian), 150_000);
        assert_eq!(ok("NOK 1 500", NOK, Norwegian), 150_000);
    }

    #[test]
    fn norwegian_refuses_ambiguous_and_malformed_text() {
        assert!(refused("12.500", NOK, Norwegian).contains("ambiguous"));
        assert_eq!(
            refused("12,500", NOK, Norwegian),
            "NOK has at most 2 decimals"
        );
        assert_eq!(
            refused("12,5,0", NOK, Norwegian),
            "“12,5,0” is not an amount: use digits with at most one decimal mark"
        );
        assert!(refused("12 50,00", NOK, Norwegian).contains("groups of three"));
        assert!(refused("1.234 567", NOK, Norwegian).contains("groups of three"));
        assert!(refused("12  500", NOK, Norwegian).contains("groups of three"));
    }

    #[test]
    fn refuses_negative_empty_letters_and_wrong_currency() {
        assert_eq!(
            refused("-5", NOK, Norwegian),
            "An amount cannot be negative"
        );
        assert_eq!(
            refused("kr -5", NOK, Norwegian),
            "An amount cannot be negative"
        );
        assert_eq!(refused("−5", NOK, English), "An amount cannot be negative");
        assert_eq!(
            refused("-0.01", NOK, English),
            "An amount cannot be negative"
        );
        // Minus zero is zero.
        for zero in ["-0", "−0,00", "kr -0"] {
            assert_eq!(
                parse_amount(zero, NOK, Norwegian),
                Ok(Money::new(0, NOK)),
                "{zero}"
            );
        }
        assert_eq!(refused("-", NOK, English), "An amount cannot be negative");
        assert_eq!(refused("   ", NOK, English), "Enter an amount");
        assert!(refused("12abc", NOK, English).contains("not an amount"));
        assert!(refused("1e5", NOK, English).contains("not an amount"));
        assert!(refused("+5", NOK, English).contains("not an amount"));
        assert_eq!(
            refused("€ 12,00", NOK, Norwegian),
            "The amount is written in €, but this one is in NOK"
        );
        assert_eq!(
            refused("EUR 5", NOK, English),
            "The amount is written in EUR, but this one is in NOK"
        );
        assert!(refused("kr 5 kr", NOK, Norwegian).contains("not an amount"));
        assert!(refused("99999999999999999999", NOK, English).contains("too large"));
    }

    #[test]
    fn jpy_has_no_decimals() {
        assert_eq!(ok("12,500", JPY, English), 12_500);
        assert_eq!(ok("¥12,500", JPY, English), 12_500);
        assert_eq!(refused("12,500.5", JPY, English), "JPY has no decimals");
        assert_eq!(refused("100,00", JPY, Norwegian), "JPY has no decimals");
    }

    #[test]
    fn formats_both_styles() {
        let m = Money::new(1_250_050, NOK);
        assert_eq!(format_amount(m, English), "12,500.50");
        assert_eq!(format_amount(m, Norwegian), "12\u{a0}500,50");
        assert_eq!(format_money(m, English), "NOK 12,500.50");
        assert_eq!(format_money(m, Norwegian), "kr\u{a0}12\u{a0}500,50");
        assert_eq!(format_money(Money::new(5, EUR), Norwegian), "€\u{a0}0,05");
        assert_eq!(
            format_money(Money::new(125_000, EUR), Norwegian),
            "€\u{a0}1\u{a0}250,00"
        );
        assert_eq!(
            format_money(Money::new(100, SEK), Norwegian),
            "SEK\u{a0}1,00"
        );
        assert_eq!(
            format_money(Money::new(12_500, JPY), Norwegian),
            "JPY\u{a0}12\u{a0}500"
        );
        assert_eq!(format_money(Money::new(12_500, JPY), English), "JPY 12,500");
        assert_eq!(
            format_money(Money::new(1_234_567, JPY), English),
            "JPY 1,234,567"
        );
        assert_eq!(format_amount(Money::new(100, USD), English), "1.00");
        assert_eq!(
            format_amount(Money::new(-123_456, USD), English),
            "-1,234.56"
        );
        assert_eq!(format_amount(Money::new(99_900, USD), English), "999.00");
        assert_eq!(Money::new(1_250_000, NOK).to_string(), "NOK 12,500.00");
        assert_eq!(
            format_amount(Money::new(i64::MIN, USD), English),
            "-92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn formatted_amounts_parse_back() {
        for minor in [0, 1, 99, 100, 123_456_789, i64::MAX] {
            for c in [NOK, JPY] {
                for l in [English, Norwegian] {
                    let m = Money::new(minor, c);
                    assert_eq!(parse_amount(&format_amount(m, l), c, l), Ok(m));
                    assert_eq!(parse_amount(&format_money(m, l), c, l), Ok(m));
                }
            }
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Money::new(150, NOK);
        assert_eq!(a.checked_add(Money::new(50, NOK)), Ok(Money::new(200, NOK)));
        assert_eq!(
            a.checked_sub(Money::new(200, NOK)),
            Ok(Money::new(-50, NOK))
        );
        assert_eq!(
            a.checked_add(Money::new(1, EUR)).unwrap_err().to_string(),
            "Cannot combine NOK and EUR amounts without an exchange rate"
        );
        assert_eq!(
            Money::new(i64::MAX, NOK).checked_add(Money::new(1, NOK)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::new(i64::MIN, NOK).checked_sub(Money::new(1, NOK)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Money::major(12_500, NOK), Ok(Money::new(1_250_000, NOK)));
        assert_eq!(Money::major(12_500, JPY), Ok(Money::new(12_500, JPY)));
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(Money::new(5, NOK).percent(50).minor, 3); // 2.5 -> 3
        assert_eq!(Money::new(-5, NOK).percent(50).minor, -3);
        assert_eq!(Money::new(4, NOK).percent(50).minor, 2);
        assert_eq!(Money::new(1_000_000, NOK).percent(20).minor, 200_000);
        assert_eq!(Money::new(333, NOK).percent(40).minor, 133); // 133.2
        assert_eq!(Money::new(1, NOK).percent(49).minor, 0); // 0.49
        assert_eq!(Money::new(100, NOK).percent(250).minor, 100);
        assert_eq!(Money::new(i64::MAX, NOK).percent(100).minor, i64::MAX);
        assert_eq!(Money::new(i64::MAX, NOK).percent(99).currency, NOK);
    }

    #[test]
    fn money_serializes_compactly() {
        assert_eq!(
            crate::domain::stored::to_json(&Money::new(1250, SEK)),
            r#"{"minor":1250,"currency":"SEK"}"#
        );
    }
}
