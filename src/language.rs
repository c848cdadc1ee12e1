//! The languages Leadline speaks. Below both the domain (which stores the
//! user's choice) and `i18n` (which has the words).

crate::named::named_values! {
    /// A language the screens can be shown in.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum Language {
        #[default]
        En = "en",
        Nb = "nb",
    }
}

impl Language {
    /// The BCP 47 code, as in `<html lang>`: `"en"` or `"nb"` (its stored
    /// name).
    pub fn code(self) -> &'static str {
        self.name()
    }

    /// The language's own name for itself, the same in every language.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Nb => "Norsk bokmål",
        }
    }

    /// The first of the browser's languages (`navigator.languages`, most
    /// preferred first) that Leadline speaks: Norwegian in any written form
    /// (`nb`, `no`, `nn`, `nb-NO` …) reads as Bokmål; otherwise English.
    pub fn from_browser<'a>(tags: impl IntoIterator<Item = &'a str>) -> Language {
        for tag in tags {
            let primary = tag.split(['-', '_']).next().unwrap_or("");
            if primary.eq_ignore_ascii_case("en") {
                return Language::En;
            }
            if ["nb", "no", "nn"]
                .iter()
                .any(|n| primary.eq_ignore_ascii_case(n))
            {
                return Language::Nb;
            }
        }
        Language::En
    }
}
