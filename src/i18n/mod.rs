//! The words on the screens, in English and Norwegian Bokmål, and numbers,
//! money and dates written the way each language writes them.
//!
//! Pure Rust: tested natively, no browser imports.
//!
//! # Adding a string
//!
//! 1. Add a variant to the `texts!` list in `keys.rs` (e.g. `ExportCsv`).
//! 2. Add its words, `Text::ExportCsv => "Export CSV",`, to the `match` in
//!    `en.rs` and in `nb.rs`, at the same place as in `keys.rs`; the build
//!    fails until both have it.
//! 3. Show it with `t(Text::ExportCsv)`. Words with values use numbered
//!    placeholders, `"Score {0}"`, filled in by [`fill`]; both languages
//!    must use the same placeholders (a test checks).
//!
//! Names of things the user entered are never translated.

pub mod conflict;
mod en;
pub mod errors;
mod format;
pub mod labels;
mod nb;
pub mod sync;
mod timeline;

pub use format::{date, date_time, days, money, month, next_step, number, percent, rate, sum};

use std::cell::Cell;

pub use crate::language::Language;

thread_local! {
    // The language on screen. A plain value rather than a signal: reading a
    // word costs one load, and a change re-renders the whole app anyway.
    // Per thread, so native tests in both languages run side by side (the
    // browser has one thread).
    static CURRENT: Cell<Language> = const { Cell::new(Language::En) };
}

/// Sets the language every later [`t`] call reads.
pub fn set_language(language: Language) {
    CURRENT.with(|current| current.set(language));
}

/// The language on screen.
pub fn language() -> Language {
    CURRENT.with(Cell::get)
}

/// The words for `key` in the language on screen.
pub fn t(key: Text) -> &'static str {
    text_in(language(), key)
}

/// The words for `key` in `language`.
pub fn text_in(language: Language, key: Text) -> &'static str {
    match language {
        Language::En => en::text(key),
        Language::Nb => nb::text(key),
    }
}

/// The words for `key` with `{0}`, `{1}` … replaced by `args`.
pub fn fill(key: Text, args: &[&str]) -> String {
    fill_template(t(key), args)
}

fn fill_template(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, after[..close].parse::<usize>().ok()?)))
        {
            Some((close, n)) => {
                push_isolated(&mut out, args.get(n).copied().unwrap_or(""));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// First strong isolate and pop directional isolate (Unicode's bidi
/// algorithm): text between them cannot reorder what is around it.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Appends a value to a sentence; text that can change direction (a
/// right-to-left letter or a bidi control, as in a name like
/// "\u{202E}txt.exe") is isolated, so our own words around it keep their
/// order. Other text is appended as it is.
fn push_isolated(out: &mut String, value: &str) {
    if value.chars().any(changes_direction) {
        out.push(FSI);
        out.push_str(value);
        out.push(PDI);
    } else {
        out.push_str(value);
    }
}

/// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko …) and the
/// bidi formatting characters.
fn changes_direction(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}'
        | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}')
}

/// "12 contacts", with `one` for exactly one and `many` otherwise.
pub fn count(n: usize, one: Text, many: Text) -> String {
    fill(if n == 1 { one } else { many }, &[&number(n as u64)])
}

/// A list's count: "12 contacts", or "3 of 12 contacts" while searching.
pub fn list_count(found: usize, total: usize, one: Text, many: Text) -> String {
    let all = count(total, one, many);
    if found == total {
        all
    } else {
        fill(Text::FoundOf, &[&number(found as u64), &all])
    }
}

macro_rules! texts {
    ($($key:ident),* $(,)?) => {
        /// One variant per string on the screens.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text {
            $($key),*
        }

        impl Text {
            /// Every key, so tests can walk them all.
            pub const ALL: &'static [Text] = &[$(Text::$key),*];
        }
    };
}

include!("keys.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_amount_errors_are_the_domains_own_words() {
        use crate::domain::{Currency, MoneyError, NumberLocale};
        let en = |key, args: &[&str]| fill_template(text_in(Language::En, key), args);
        let text = "12.500,5".to_owned();
        let cases = [
            (
                MoneyError::NotAnAmount { text: text.clone() },
                en(Text::ErrNotAnAmount, &[&text]),
            ),
            (
                MoneyError::Grouping {
                    text: text.clone(),
                    locale: NumberLocale::English,
                },
                en(
                    Text::ErrGrouping,
                    &[&text, text_in(Language::En, Text::HintGroupingEnglish)],
                ),
            ),
            (
                MoneyError::Grouping {
                    text: text.clone(),
                    locale: NumberLocale::Norwegian,
                },
                en(
                    Text::ErrGrouping,
                    &[&text, text_in(Language::En, Text::HintGroupingNorwegian)],
                ),
            ),
            (
                MoneyError::Ambiguous { text: text.clone() },
                en(Text::ErrAmbiguous, &[&text]),
            ),
            (
                MoneyError::TooManyDecimals {
                    currency: Currency::JPY,
                },
                en(Text::ErrNoDecimals, &["JPY"]),
            ),
            (
                MoneyError::TooManyDecimals {
                    currency: Currency::NOK,
                },
                en(Text::ErrMaxDecimals, &["NOK", "2"]),
            ),
            (
                MoneyError::UnknownCurrency { text: text.clone() },
                en(Text::ErrUnknownCurrency, &[&text]),
            ),
        ];
        for (error, words) in cases {
            assert_eq!(error.to_string(), words);
        }
    }

    fn placeholders(s: &str) -> Vec<String> {
        let mut found: Vec<String> = s
            .match_indices('{')
            .filter_map(|(i, _)| {
                let rest = &s[i + 1..];
                let close = rest.find('}')?;
                rest[..close].parse::<usize>().ok().map(|n| n.to_string())
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_key_has_words_in_both_languages_with_the_same_placeholders() {
        for &key in Text::ALL {
            let en = text_in(Language::En, key);
            let nb = text_in(Language::Nb, key);
            assert!(!en.trim().is_empty(), "{key:?} has no English words");
            assert!(!nb.trim().is_empty(), "{key:?} has no Norwegian words");
            assert_eq!(
                placeholders(en),
                placeholders(nb),
                "{key:?} has different placeholders: {en:?} / {nb:?}"
            );
        }
    }

    #[test]
    fn no_two_keys_share_the_same_english_and_norwegian_words() {
        let mut seen = std::collections::HashMap::new();
        for &key in Text::ALL {
            let pair = (text_in(Language::En, key), text_in(Language::Nb, key));
            if let Some(other) = seen.insert(pair, key) {
                panic!("{other:?} and {key:?} are the same words: keep one key");
            }
        }
    }

    #[test]
    fn the_browser_language_picks_norwegian_for_every_norwegian_tag() {
        for tag in [
            "nb", "no", "nn", "nb-NO", "nn-NO", "no-NO", "NB-no", "nb_NO",
        ] {
            assert_eq!(Language::from_browser([tag]), Language::Nb, "{tag}");
        }
        for tag in ["en", "en-US", "de-DE", "sv-SE", "", "nbx"] {
            assert_eq!(Language::from_browser([tag]), Language::En, "{tag}");
        }
        assert_eq!(Language::from_browser(["de-DE", "nb-NO"]), Language::Nb);
        assert_eq!(Language::from_browser(["en-GB", "nb-NO"]), Language::En);
        assert_eq!(Language::from_browser([]), Language::En);
    }

    #[test]
    fn codes_read_back() {
        for l in Language::ALL {
            assert_eq!(Language::from_name(l.code()), Some(l));
        }
        assert_eq!(Language::from_name("de"), None);
    }

    #[test]
    fn placeholders_are_filled_in_order_of_their_numbers() {
        assert_eq!(fill_template("{1} før {0}", &["a", "b"]), "b før a");
        assert_eq!(fill_template("Score {0}", &["80"]), "Score 80");
        assert_eq!(fill_template("{x} {0", &["a"]), "{x} {0");
    }

    #[test]
    fn text_that_can_change_direction_is_isolated_in_our_sentences() {
        // A right-to-left override in a name must not reverse our words.
        let name = "Evil \u{202E}txt.exe";
        assert_eq!(
            fill_template("Marked {0} as lost", &[name]),
            "Marked \u{2068}Evil \u{202E}txt.exe\u{2069} as lost"
        );
        assert_eq!(
            fill_template("{0} kontakter", &["שלום"]),
            "\u{2068}שלום\u{2069} kontakter"
        );
        // Everything else is left as it is.
        assert_eq!(
            fill_template("Added {0}", &["Ærø Ådne 🚀"]),
            "Added Ærø Ådne 🚀"
        );
    }

    #[test]
    fn each_language_has_its_own_words() {
        assert_eq!(text_in(Language::En, Text::Contacts), "Contacts");
        assert_eq!(text_in(Language::Nb, Text::Contacts), "Kontakter");
        assert_eq!(text_in(Language::Nb, Text::Leads), "Kundeemner");
    }
}
