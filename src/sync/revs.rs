//! Revision ids: `<generation>-<md5>` as CouchDB writes them, made from the
//! parent revision and the document's text, so that two devices that write
//! the same document after the same parent give it the same revision (and
//! a conflict both resolve alike does not become a new one).

use md5::{Digest, Md5};

use super::docs::Doc;

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A short name for a text (documents named by what they hold).
pub fn short_hash(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes)[..8])
}

/// A revision id split into its generation and hash.
pub fn parse(rev: &str) -> Option<(u64, &str)> {
    let (generation, hash) = rev.split_once('-')?;
    Some((generation.parse().ok()?, hash))
}

/// What a document's body says, for telling whether it changed since it
/// was last sent or received (the body alone: not its revision). Read it
/// through [`Doc::digest`], which works it out once.
pub(super) fn digest(doc: &Doc) -> String {
    let text = doc.body.to_string();
    let mut h = Md5::new();
    h.update([u8::from(doc.deleted)]);
    h.update(text.as_bytes());
    hex(&h.finalize()[..8])
}

/// The revision `doc` gets as the child of `parent` (none: a new document).
pub fn next(parent: Option<&str>, doc: &Doc) -> String {
    let generation = parent.and_then(parse).map_or(0, |(g, _)| g) + 1;
    let mut h = Md5::new();
    h.update(parent.unwrap_or("").as_bytes());
    h.update([u8::from(doc.deleted)]);
    h.update(doc.body.to_string().as_bytes());
    format!("{generation}-{}", hex(&h.finalize()))
}

/// The revision that deletes the conflicting leaf `leaf`.
pub fn deletion(leaf: &str) -> String {
    let generation = parse(leaf).map_or(0, |(g, _)| g) + 1;
    let mut h = Md5::new();
    h.update(leaf.as_bytes());
    h.update(b"deleted");
    format!("{generation}-{}", hex(&h.finalize()))
}

/// The `_revisions` member for `rev` written after `parent`.
pub fn history(rev: &str, parent: Option<&str>) -> serde_json::Value {
    let (start, hash) = parse(rev).unwrap_or((1, rev));
    let mut ids = vec![hash.to_owned()];
    if let Some((_, parent_hash)) = parent.and_then(parse) {
        ids.push(parent_hash.to_owned());
    }
    serde_json::json!({ "start": start, "ids": ids })
}

/// A leaf of a document's revision tree.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Leaf {
    pub rev: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// The leaf CouchDB shows as the document (its "winner"): a living one
/// before a deleted one, then the highest generation, then the highest
/// revision id. Every device picks the same.
pub fn winner(leaves: &[Leaf]) -> Option<&Leaf> {
    leaves.iter().max_by(|a, b| {
        let key = |l: &Leaf| {
            (
                !l.deleted,
                parse(&l.rev).map_or(0, |(g, _)| g),
                l.rev.clone(),
            )
        };
        key(a).cmp(&key(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(name: &str) -> Doc {
        Doc::with(
            "contact:1".into(),
            false,
            json!({ "leadline": "record", "record": { "name": name } }),
        )
    }

    #[test]
    fn the_same_body_after_the_same_parent_has_the_same_revision() {
        let first = next(None, &doc("Ada"));
        assert!(first.starts_with("1-") && first.len() == 34, "{first}");
        assert_eq!(next(None, &doc("Ada")), first);
        let second = next(Some(&first), &doc("Ada L"));
        assert!(second.starts_with("2-"));
        assert_ne!(next(Some(&first), &doc("Ada M")), second);
        assert_ne!(
            next(None, &doc("Ada L")),
            second,
            "the parent is part of it"
        );
    }

    #[test]
    fn the_winner_is_couchdbs() {
        let leaf = |rev: &str, deleted| Leaf {
            rev: rev.into(),
            deleted,
        };
        let leaves = [leaf("2-aa", false), leaf("2-cc", false), leaf("3-bb", true)];
        assert_eq!(winner(&leaves).map(|l| l.rev.as_str()), Some("2-cc"));
        let leaves = [leaf("2-aa", false), leaf("3-00", false)];
        assert_eq!(winner(&leaves).map(|l| l.rev.as_str()), Some("3-00"));
    }

    #[test]
    fn revisions_name_the_parent() {
        let h = history("3-abc", Some("2-def"));
        assert_eq!(h, json!({ "start": 3, "ids": ["abc", "def"] }));
        assert_eq!(
            history("1-abc", None),
            json!({ "start": 1, "ids": ["abc"] })
        );
    }
}
