//! The stored pipeline read a part at a time: its four lists (contacts,
//! leads, opportunities, accounts) each in a step of its own, so that
//! reading 10,000 contacts never holds up the page for long. The rest of
//! the data is read by `PipelineData`'s own serde rules, so every rule of
//! the stored form stays in one place: the derives on the domain types.

use std::borrow::Cow;

use crate::domain::{Pipeline, PipelineData};

use super::envelope::{LoadProblem, Unpacked};
use super::fields;
use super::json::{JsonError, Quick, Reader};

/// What `PipelineData` calls its lists, in the order they are read. The
/// first lists read run before the browser has optimised the reading code
/// (an optimised function replaces the plain one only from its next call),
/// and contacts, read last, cost the most per byte in the plain code.
const LISTS: [&str; 4] = ["accounts", "opportunities", "leads", "contacts"];

fn in_packed(e: impl std::fmt::Display) -> LoadProblem {
    LoadProblem::Invalid {
        detail: format!("in the packed data: {e}"),
    }
}

/// A pipeline's data being read a part at a time: [`PipelineParts::new`],
/// then [`PipelineParts::read_next`] until it says done, then
/// [`PipelineParts::finish`].
pub struct PipelineParts {
    data: PipelineData,
    /// The JSON of each list (in the order of [`LISTS`]) not read yet.
    lists: [Option<String>; 4],
}

impl PipelineParts {
    /// Reads everything but the lists of unpacked data, whose fields are
    /// apart (stored in parts) or still to be found in its JSON (stored in
    /// one block, before schema 3).
    pub fn new(unpacked: Unpacked) -> Result<PipelineParts, LoadProblem> {
        match unpacked {
            Unpacked::Fields(parts) => {
                Self::from_fields(parts.into_iter().map(|p| (Cow::Owned(p.name), p.json)))
            }
            // A pass through all of the JSON to find the lists.
            Unpacked::Json(json) => Self::from_fields(
                fields::fields_of(&json)
                    .map_err(in_packed)?
                    .into_iter()
                    .map(|(name, value)| (name, value.get().to_owned())),
            ),
        }
    }

    /// Sets the lists aside and reads the other fields.
    fn from_fields<'a>(
        fields: impl Iterator<Item = (Cow<'a, str>, String)>,
    ) -> Result<PipelineParts, LoadProblem> {
        let mut rest = Vec::new();
        let mut lists = [None, None, None, None];
        for (name, json) in fields {
            match LISTS.iter().position(|list| *list == name.as_ref()) {
                Some(at) => lists[at] = Some(json),
                None => rest.push((name, json)),
            }
        }
        let rest = fields::joined(rest.iter().map(|(n, j)| (n.as_ref(), j.as_str())));
        let data: PipelineData = Quick::read(&rest).map_err(in_packed)?;
        Ok(PipelineParts { data, lists })
    }

    /// Reads the next list; says whether all are read.
    pub fn read_next(&mut self) -> Result<bool, LoadProblem> {
        let Some(at) = self.lists.iter().position(Option::is_some) else {
            return Ok(true);
        };
        let (name, json) = (LISTS[at], self.lists[at].take().unwrap_or_default());
        let list = |e: JsonError| in_packed(format!("{e} in {name}"));
        let d = &mut self.data;
        match name {
            "contacts" => d.contacts = Quick::read(&json).map_err(list)?,
            "leads" => d.leads = Quick::read(&json).map_err(list)?,
            "opportunities" => d.opportunities = Quick::read(&json).map_err(list)?,
            _ => d.accounts = Quick::read(&json).map_err(list)?,
        }
        Ok(self.lists.iter().all(Option::is_none))
    }

    /// The pipeline, its records checked to hold together.
    pub fn finish(mut self) -> Result<Pipeline, LoadProblem> {
        while !self.read_next()? {}
        Pipeline::from_data(self.data).map_err(in_packed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample;
    use crate::storage::{decode_stored, encode, Reading, CURRENT_SCHEMA};
    use chrono::{DateTime, NaiveDate};

    fn read_in_steps(unpacked: Unpacked) -> (usize, Pipeline) {
        let mut parts = PipelineParts::new(unpacked).unwrap();
        let mut steps = 0;
        while !parts.read_next().unwrap() {
            steps += 1;
        }
        (steps, parts.finish().unwrap())
    }

    #[test]
    fn a_pipeline_read_in_parts_is_the_pipeline_read_whole() {
        let p = sample::generate(7, 300, 120, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        // As stored now: the fields apart.
        let stored = encode(&p, 1, DateTime::UNIX_EPOCH).unwrap();
        let mut reading = Reading::start(&stored, CURRENT_SCHEMA).unwrap();
        reading.unpack().unwrap();
        let unpacked = reading.take_unpacked(CURRENT_SCHEMA).unwrap();
        assert!(
            matches!(&unpacked, Unpacked::Fields(f) if f.len() > 4),
            "{unpacked:?}"
        );
        assert_eq!(read_in_steps(unpacked), (3, p.clone()), "one step per list");
        // As stored before schema 3: one JSON text. Parts in blocks take
        // about as much room.
        let json = serde_json::to_string(&p).unwrap();
        let units = |text: &str| text.encode_utf16().count();
        let one_block = crate::storage::packed::compress(json.as_bytes()).unwrap();
        assert!(
            units(&stored) < units(&one_block) * 102 / 100,
            "{} units in parts against {} in one block",
            units(&stored),
            units(&one_block)
        );
        assert_eq!(read_in_steps(Unpacked::Json(json)), (3, p.clone()));
        assert_eq!(decode_stored::<Pipeline>(&stored).unwrap().data, p);
    }

    #[test]
    fn a_damaged_list_or_records_that_do_not_hold_together_are_refused() {
        let bad = r#"{"next_id":5,"contacts":[{"id":"x"}]}"#;
        let e = PipelineParts::new(Unpacked::Json(bad.to_owned()))
            .unwrap()
            .finish()
            .unwrap_err();
        assert!(e.to_string().contains("in contacts"), "{e}");
        // A lead whose contact is gone: each list reads, the whole does not.
        let p = sample::generate(3, 20, 5, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        let mut data = p.data().clone();
        let gone = data.leads[0].contact;
        data.contacts.retain(|c| c.id != gone);
        let json = serde_json::to_string(&data).unwrap();
        let e = PipelineParts::new(Unpacked::Json(json))
            .unwrap()
            .finish()
            .unwrap_err();
        let LoadProblem::Invalid { detail } = e else {
            panic!("{e:?}")
        };
        assert!(detail.starts_with("in the packed data: "), "{detail}");
        assert!(!detail.contains(" in contacts"), "{detail}");
        assert!(PipelineParts::new(Unpacked::Json("[1,2]".to_owned())).is_err());
    }
}
