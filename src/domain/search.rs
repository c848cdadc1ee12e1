//! The one search every list uses: each word of the query, ignoring case,
//! must be found in one of a record's texts.

/// A search: its words, lower-cased, and a buffer reused across records so
/// searching 10,000 records allocates once.
pub struct Search {
    words: Vec<String>,
    hay: String,
}

impl Search {
    pub fn new(query: &str) -> Search {
        Search {
            words: query.split_whitespace().map(str::to_lowercase).collect(),
            hay: String::with_capacity(256),
        }
    }

    /// No words: everything matches.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word is in one of `parts`, ignoring case (ASCII text is
    /// lower-cased without per-character work).
    pub fn matches(&mut self, parts: &[&str]) -> bool {
        if self.words.is_empty() {
            return true;
        }
        self.hay.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.hay.push('\n');
            }
            if part.is_ascii() {
                self.hay
                    .extend(part.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                self.hay.extend(part.chars().flat_map(char::to_lowercase));
            }
        }
        let hay = &self.hay;
        self.words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// Records in the order they were made: by creation time, then by their
/// number on the device that made them (records made in the same second),
/// then by id. Ids carry their device, so on a pipeline kept on several
/// devices id order is not the order records were made in.
pub(crate) fn in_creation_order<I: Copy + Ord + Into<u64>>(
    found: Vec<(chrono::DateTime<chrono::Utc>, I)>,
) -> Vec<I> {
    // Plain numbers compare fastest (this runs on every change a list shows).
    let mut keyed: Vec<_> = found
        .into_iter()
        .map(|(at, id)| {
            let number = super::ids::number_of(id.into());
            (at.timestamp(), at.timestamp_subsec_nanos(), number, id)
        })
        .collect();
    // Ids are unique, so an unstable sort gives the one order there is.
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, _, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_be_found_in_some_part_ignoring_case() {
        let mut s = Search::new("  ÆRØ  fjord ");
        assert!(s.matches(&["Ærø Fjordkraft", ""]));
        assert!(s.matches(&["ærø", "Fjord AS"]));
        assert!(!s.matches(&["Ærø", "Bergen"]));
        // A word never spans two parts.
        assert!(!Search::new("ab").matches(&["a", "b"]));
        assert!(Search::new("").matches(&[]));
        assert!(Search::new(" ").is_empty());
    }
}
