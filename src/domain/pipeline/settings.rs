//! Commands on the pipeline's settings: sources, default currency, language,
//! and replacing everything with an imported file.

use super::*;

impl Pipeline {
    /// Adds a source of the user's own.
    pub fn add_source(&mut self, name: &str) -> Result<Source, DomainError> {
        let source = Source::from_label(name);
        let Source::Custom(text) = &source else {
            return Err(DomainError::SourceExists(source.label().to_owned()));
        };
        let mut errors = FieldErrors::new();
        if text.is_empty() {
            errors.push(Field::Source, FieldProblem::Required);
        }
        crate::domain::contact::check_length(&mut errors, Field::Source, text, MAX_SOURCE_CHARS);
        errors.into_result(())?;
        if self.find_custom_source(text).is_some() {
            return Err(DomainError::SourceExists(text.clone()));
        }
        let text = text.clone();
        self.run(|p, tx| {
            p.save_sources(tx);
            p.data.custom_sources.push(text.clone());
            tx.label(UndoAction::AddSource, text.clone());
            Ok(Source::Custom(text))
        })
    }

    /// Removes a source of the user's own; refused while contacts use it.
    pub fn remove_source(&mut self, name: &str) -> Result<(), DomainError> {
        let i = self
            .find_custom_source(name.trim())
            .ok_or_else(|| DomainError::NoSuchSource(name.trim().to_owned()))?;
        let text = self.data.custom_sources[i].clone();
        let count = self
            .data
            .contacts
            .iter()
            .filter(|c| matches!(&c.source, Source::Custom(s) if *s == text))
            .count();
        if count > 0 {
            return Err(DomainError::SourceInUse { name: text, count });
        }
        self.run(|p, tx| {
            p.save_sources(tx);
            p.data.custom_sources.remove(i);
            tx.label(UndoAction::RemoveSource, text);
            Ok(())
        })
    }

    pub(in crate::domain) fn find_custom_source(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.data
            .custom_sources
            .iter()
            .position(|s| s.to_lowercase() == lower)
    }

    /// The currency new opportunities start in.
    pub fn set_default_currency(&mut self, currency: Currency) -> Result<(), DomainError> {
        self.run(|p, tx| {
            tx.before
                .push(Before::DefaultCurrency(p.data.default_currency));
            p.data.default_currency = currency;
            tx.label(UndoAction::SetDefaultCurrency, currency.code());
            Ok(())
        })
    }

    /// Chooses the language of the screens (`None`: follow the browser).
    pub fn set_language(&mut self, language: Option<Language>) -> Result<(), DomainError> {
        self.run(|p, tx| {
            tx.before.push(Before::Language(p.data.language));
            p.data.language = language;
            tx.label(
                UndoAction::SetLanguage,
                language.map_or("automatic", Language::code),
            );
            Ok(())
        })
    }

    /// Replaces everything with imported data, as one step that can be
    /// undone. The data is checked first (see [`Pipeline::from_data`]).
    pub fn import(&mut self, data: PipelineData, what: &str) -> Result<(), DomainError> {
        let mut incoming = Pipeline::from_data(data)?;
        incoming.data.keep_local(&self.data);
        self.run(|p, tx| {
            tx.before.push(Before::Everything(Box::new(p.data.clone())));
            p.data = incoming.data;
            p.rebuild_index();
            tx.label(UndoAction::Import, what);
            Ok(())
        })
    }
}
