//! Upgrading stored data written by older versions of Leadline.
//!
//! A migration step turns the `data` of an envelope from schema `N` into
//! schema `N + 1`, as untyped JSON ([`Value`]), before the data is
//! read into the current Rust types. Only the `data` part changes between
//! schemas: the envelope header (`format`, `schema`, `revision`, `saved_at`)
//! is frozen, so every version can recognise and count every other.
//!
//! # Adding a schema version (how to ship schema 2)
//!
//! 1. Before changing any stored type, save a real document of the current
//!    schema as a fixture: `tests/fixtures/storage/v1-envelope.json` already
//!    holds schema 1. Never edit an old fixture afterwards.
//! 2. Change the domain types, then write `fn v1_to_v2(data: Value) ->
//!    Result<Value, String>` in this file: it receives schema-1 `data` and
//!    returns schema-2 `data` (rename fields, fill defaults, split values...).
//!    Return `Err("plain words")` when the input cannot be upgraded; the text
//!    ends up in [`LoadProblem::MigrationFailed`](super::LoadProblem).
//! 3. Append it to [`STEPS`] (index 0 is 1→2, index 1 is 2→3, ...) and raise
//!    [`CURRENT_SCHEMA`](super::CURRENT_SCHEMA) to 2. The test
//!    `steps_match_current_schema` fails if the two disagree.
//! 4. Add a fixture test that decodes `v1-envelope.json` into the new types
//!    and checks the upgraded values, and save a `v2-envelope.json` fixture.
//!
//! Steps must be pure and must not assume anything beyond the schema they
//! upgrade from: a document may go through several steps in a row.

use super::json::Value;

/// One upgrade of the `data` value from schema `N` to `N + 1`.
pub type Step = fn(Value) -> Result<Value, String>;

/// The shipped upgrade chain: `STEPS[i]` turns schema `i + 1` into `i + 2`.
pub const STEPS: &[Step] = &[v1_to_v2, v2_to_v3];

/// The oldest schema whose data has the current layout. The app reads data
/// stored at it or later as it is, a list at a time, without the trip
/// through [`Value`] that upgrading takes.
pub const SAME_LAYOUT_SINCE: u32 = 2;

/// The record lists of a stored pipeline.
const LISTS: [&str; 4] = ["contacts", "leads", "opportunities", "accounts"];
/// Inside a record, the keys whose number is a record id…
const ID_KEYS: [&str; 5] = ["id", "contact", "lead", "account", "opportunity"];
/// …and those whose list of numbers are record ids.
const ID_LIST_KEYS: [&str; 2] = ["contacts", "won_deals"];

/// Schema 2 (devices): ids unique across devices. Each record numbered
/// before devices existed gets the tag its number and creation time give
/// (`crate::domain::ids::legacy_tag`), everywhere its number is used: in
/// references, account lists and timeline entries. Two copies of the same
/// old pipeline agree on every id; two unrelated ones do not collide.
fn v1_to_v2(mut data: Value) -> Result<Value, String> {
    use crate::domain::ids::{format_key, legacy_tag, tagged};
    // Anything else is not a pipeline, and reading it says so.
    let Some(map) = data.as_object_mut() else {
        return Ok(data);
    };
    let mut created = std::collections::HashMap::new();
    for list in LISTS {
        for record in map
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = record.get("id").and_then(Value::as_u64) {
                let at = record.get("created_at").and_then(Value::as_i64);
                created.insert(id, at.unwrap_or(0));
            }
        }
    }
    let rekey = |value: &mut Value| {
        let Some(number) = value.as_u64().and_then(|n| u32::try_from(n).ok()) else {
            return;
        };
        let at = created.get(&u64::from(number)).copied().unwrap_or(0);
        let tag = legacy_tag(u64::from(number), at);
        *value = Value::String(format_key(tagged(tag, number)));
    };
    for list in LISTS {
        for record in map
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            rekey_within(record, &rekey);
        }
    }
    Ok(data)
}

/// Rewrites every id a record holds, at any depth (statuses and timeline
/// entries hold ids too).
fn rekey_within(value: &mut Value, rekey: &impl Fn(&mut Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if ID_KEYS.contains(&key.as_str()) && child.is_u64() {
                    rekey(child);
                } else if ID_LIST_KEYS.contains(&key.as_str()) {
                    for item in child.as_array_mut().into_iter().flatten() {
                        rekey(item);
                    }
                } else {
                    rekey_within(child, rekey);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rekey_within(item, rekey);
            }
        }
        _ => {}
    }
}

/// Schema 3 (packed in parts): only how the data is packed changed, so that
/// the app can read the record lists one at a time (see
/// `super::packed`); the data itself is the same.
fn v2_to_v3(data: Value) -> Result<Value, String> {
    Ok(data)
}

/// An upgrade that could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationError {
    /// The schema the failing step started from.
    pub from: u32,
    /// The schema the failing step was producing.
    pub to: u32,
    /// What went wrong, in words.
    pub detail: String,
}

/// Runs `steps` on `data` stored at schema `from` until it reaches `target`.
///
/// `steps[i]` must upgrade schema `i + 1` to `i + 2`. `from == target` returns
/// the data unchanged; `from == 0`, `from > target` or a missing step is an
/// error (never a panic).
pub fn migrate_with(
    steps: &[Step],
    mut data: Value,
    from: u32,
    target: u32,
) -> Result<Value, MigrationError> {
    if from == 0 || from > target {
        return Err(MigrationError {
            from,
            to: target,
            detail: format!("cannot upgrade from format {from} to format {target}"),
        });
    }
    // Every step must exist before any runs.
    if let Some(missing) = (from..target).find(|schema| step_index(*schema, steps).is_none()) {
        return Err(MigrationError {
            from: missing,
            to: missing + 1,
            detail: format!("no upgrade from format {missing} is known"),
        });
    }
    for schema in from..target {
        let step = step_index(schema, steps).ok_or_else(|| MigrationError {
            from: schema,
            to: schema + 1,
            detail: format!("no upgrade from format {schema} is known"),
        })?;
        data = step(data).map_err(|detail| MigrationError {
            from: schema,
            to: schema + 1,
            detail,
        })?;
    }
    Ok(data)
}

fn step_index(schema: u32, steps: &[Step]) -> Option<&Step> {
    usize::try_from(schema.checked_sub(1)?)
        .ok()
        .and_then(|index| steps.get(index))
}

/// Upgrades `data` stored at schema `from` to the current schema with [`STEPS`].
pub fn migrate(data: Value, from: u32) -> Result<Value, MigrationError> {
    migrate_with(STEPS, data, from, super::CURRENT_SCHEMA)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or(Value::Null)
    }

    // A fake history: v1 stored `{"name": "..."}`, v2 renamed it to
    // `full_name`, v3 added `tags` (default empty).
    fn v1_to_v2(mut data: Value) -> Result<Value, String> {
        let fields = data.as_object_mut().ok_or("data is not an object")?;
        let name = fields.remove("name").ok_or("the name is missing")?;
        fields.insert("full_name".into(), name);
        Ok(data)
    }

    fn v2_to_v3(mut data: Value) -> Result<Value, String> {
        let fields = data.as_object_mut().ok_or("data is not an object")?;
        fields
            .entry("tags")
            .or_insert_with(|| Value::Array(Vec::new()));
        Ok(data)
    }

    const CHAIN: &[Step] = &[v1_to_v2, v2_to_v3];

    #[test]
    fn steps_match_current_schema() {
        assert_eq!(STEPS.len() + 1, super::super::CURRENT_SCHEMA as usize);
    }

    #[test]
    fn current_schema_passes_through_unchanged() {
        let data = v(r#"{"anything": [1, 2, 3]}"#);
        assert_eq!(
            migrate(data.clone(), super::super::CURRENT_SCHEMA),
            Ok(data)
        );
    }

    #[test]
    fn schema_1_ids_get_tags_everywhere_they_are_used() {
        use crate::domain::ids::{format_key, legacy_tag, tagged};
        let key = |n: u32, at: i64| Value::String(format_key(tagged(legacy_tag(n.into(), at), n)));
        let data = v(r#"{"next_id": 5,
            "contacts": [{"id": 1, "name": "Ada", "created_at": 100}],
            "leads": [{"id": 2, "contact": 1, "created_at": 200,
                       "status": {"converted": {"opportunity": 3}},
                       "history": [{"at": 250, "event": {"converted": {"opportunity": 3}}}]}],
            "opportunities": [{"id": 3, "name": "Deal", "contact": 1, "lead": 2, "account": 4,
                               "created_at": 300, "terms": {"amount": {"minor": 100, "currency": "NOK"}}}],
            "accounts": [{"id": 4, "contact": 1, "contacts": [1, 9], "won_deals": [3], "created_at": 400,
                          "history": [{"at": 401, "event": {"contact_removed": {"contact": 9}}}]}]}"#);
        let up = migrate(data, 1).unwrap();
        let (c1, l2, o3, a4) = (key(1, 100), key(2, 200), key(3, 300), key(4, 400));
        assert_eq!(up["contacts"][0]["id"], c1);
        assert_eq!(up["leads"][0]["id"], l2);
        assert_eq!(up["leads"][0]["contact"], c1);
        assert_eq!(up["leads"][0]["status"]["converted"]["opportunity"], o3);
        assert_eq!(
            up["leads"][0]["history"][0]["event"]["converted"]["opportunity"],
            o3
        );
        assert_eq!(
            up["leads"][0]["history"][0]["at"],
            v("250"),
            "times stay numbers"
        );
        assert_eq!(up["opportunities"][0]["lead"], l2);
        assert_eq!(up["opportunities"][0]["account"], a4);
        assert_eq!(up["opportunities"][0]["terms"]["amount"]["minor"], v("100"));
        assert_eq!(up["accounts"][0]["contacts"][0], c1);
        // A contact deleted long ago keeps a tag of its own too.
        assert_eq!(up["accounts"][0]["contacts"][1], key(9, 0));
        assert_eq!(
            up["accounts"][0]["history"][0]["event"]["contact_removed"]["contact"],
            key(9, 0)
        );
        assert_eq!(up["accounts"][0]["won_deals"][0], o3);
        assert_eq!(up["next_id"], v("5"));
    }

    #[test]
    fn chain_runs_every_step_in_order() {
        let upgraded = migrate_with(CHAIN, v(r#"{"name": "Ada"}"#), 1, 3);
        assert_eq!(upgraded, Ok(v(r#"{"full_name": "Ada", "tags": []}"#)));
    }

    #[test]
    fn chain_starts_at_the_stored_schema() {
        let upgraded = migrate_with(CHAIN, v(r#"{"full_name": "Ada", "tags": ["x"]}"#), 2, 3);
        assert_eq!(upgraded, Ok(v(r#"{"full_name": "Ada", "tags": ["x"]}"#)));
        let same = migrate_with(CHAIN, v(r#"{"full_name": "Ada"}"#), 3, 3);
        assert_eq!(same, Ok(v(r#"{"full_name": "Ada"}"#)));
    }

    #[test]
    fn a_failing_step_names_where_it_stopped() {
        let err = migrate_with(CHAIN, v(r#"{"no_name": true}"#), 1, 3).unwrap_err();
        assert_eq!((err.from, err.to), (1, 2));
        assert_eq!(err.detail, "the name is missing");
        let err = migrate_with(CHAIN, v("[1]"), 2, 3).unwrap_err();
        assert_eq!((err.from, err.to), (2, 3));
    }

    #[test]
    fn missing_steps_and_bad_ranges_are_errors_not_panics() {
        let err = migrate_with(CHAIN, v(r#"{"name": "Ada"}"#), 1, 4).unwrap_err();
        assert_eq!((err.from, err.to), (3, 4));
        assert!(migrate_with(CHAIN, v("{}"), 0, 3).is_err());
        assert!(migrate_with(CHAIN, v("{}"), 4, 3).is_err());
        assert!(migrate_with(&[], v("{}"), 1, 2).is_err());
    }
}
