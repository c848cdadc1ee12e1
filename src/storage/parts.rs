//! The stored pipeline read a part at a time: its four lists (contacts,
//! leads, opportunities, accounts) each in a step of its own, so that
//! reading 10,000 contacts never holds up the page for long. The rest of
//! the data is read by `PipelineData`'s own serde rules, so every rule of
//! the stored form stays in one place: the derives on the domain types.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::domain::{Pipeline, PipelineData};

use super::envelope::LoadProblem;
use super::json::{JsonError, Quick, Reader};

/// What `PipelineData` calls its lists, in the order they are read.
const LISTS: [&str; 4] = ["contacts", "leads", "opportunities", "accounts"];

fn in_packed(e: impl std::fmt::Display) -> LoadProblem {
    LoadProblem::Invalid {
        detail: format!("in the packed data: {e}"),
    }
}

/// A pipeline's data being read a part at a time: [`PipelineParts::split`],
/// then [`PipelineParts::read_next`] until it says done, then
/// [`PipelineParts::finish`].
pub struct PipelineParts<'a> {
    data: PipelineData,
    /// The lists not read yet, last first.
    lists: Vec<(&'static str, &'a RawValue)>,
}

impl<'a> PipelineParts<'a> {
    /// Finds the lists in the data's JSON (checked to be JSON, not read
    /// yet) and reads everything else.
    pub fn split(json: &'a str) -> Result<PipelineParts<'a>, LoadProblem> {
        // Borrowed: the lists are only found here, not copied or read.
        let fields: BTreeMap<Cow<'a, str>, &'a RawValue> =
            serde_json::from_str(json).map_err(in_packed)?;
        let mut rest = String::from("{");
        let mut lists = Vec::new();
        for (name, value) in &fields {
            match LISTS.iter().find(|list| **list == name.as_ref()) {
                Some(list) => lists.push((*list, *value)),
                None => {
                    if rest.len() > 1 {
                        rest.push(',');
                    }
                    rest.push_str(&serde_json::to_string(name).map_err(in_packed)?);
                    rest.push(':');
                    rest.push_str(value.get());
                }
            }
        }
        rest.push('}');
        let data: PipelineData = Quick::read(&rest).map_err(in_packed)?;
        // Read in the order of LISTS: popped from the end.
        lists.sort_by_key(|(name, _)| std::cmp::Reverse(LISTS.iter().position(|l| l == name)));
        Ok(PipelineParts { data, lists })
    }

    /// Reads the next list; says whether all are read.
    pub fn read_next(&mut self) -> Result<bool, LoadProblem> {
        let Some((name, raw)) = self.lists.pop() else {
            return Ok(true);
        };
        let list = |e: JsonError| in_packed(format!("{e} in {name}"));
        let d = &mut self.data;
        match name {
            "contacts" => d.contacts = Quick::read(raw.get()).map_err(list)?,
            "leads" => d.leads = Quick::read(raw.get()).map_err(list)?,
            "opportunities" => d.opportunities = Quick::read(raw.get()).map_err(list)?,
            _ => d.accounts = Quick::read(raw.get()).map_err(list)?,
        }
        Ok(self.lists.is_empty())
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
    use crate::storage::{decode_stored, encode};
    use chrono::{DateTime, NaiveDate};

    #[test]
    fn a_pipeline_read_in_parts_is_the_pipeline_read_whole() {
        let p = sample::generate(7, 300, 120, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        let json = serde_json::to_string(&p).unwrap();
        let mut parts = PipelineParts::split(&json).unwrap();
        let mut steps = 0;
        while !parts.read_next().unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 3, "one step per list");
        assert_eq!(parts.finish().unwrap(), p);
        let stored = encode(&p, 1, DateTime::UNIX_EPOCH).unwrap();
        assert_eq!(decode_stored::<Pipeline>(&stored).unwrap().data, p);
    }

    #[test]
    fn a_damaged_list_or_records_that_do_not_hold_together_are_refused() {
        let bad = r#"{"next_id":5,"contacts":[{"id":"x"}]}"#;
        let e = PipelineParts::split(bad).unwrap().finish().unwrap_err();
        assert!(e.to_string().contains("in contacts"), "{e}");
        // A lead whose contact is gone: each list reads, the whole does not.
        let p = sample::generate(3, 20, 5, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        let mut data = p.data().clone();
        let gone = data.leads[0].contact;
        data.contacts.retain(|c| c.id != gone);
        let json = serde_json::to_string(&data).unwrap();
        let e = PipelineParts::split(&json).unwrap().finish().unwrap_err();
        let LoadProblem::Invalid { detail } = e else {
            panic!("{e:?}")
        };
        assert!(detail.starts_with("in the packed data: "), "{detail}");
        assert!(!detail.contains(" in contacts"), "{detail}");
        assert!(PipelineParts::split("[1,2]").is_err());
    }
}
