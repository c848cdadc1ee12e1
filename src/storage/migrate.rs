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
/// Empty while [`CURRENT_SCHEMA`](super::CURRENT_SCHEMA) is 1.
pub const STEPS: &[Step] = &[];

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
        assert_eq!(migrate(data.clone(), 1), Ok(data));
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
