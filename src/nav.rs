//! The screens and their URLs.
//!
//! Every screen lives behind a hash URL (`#/contacts/12`). The page itself is
//! always `index.html`, so a reload works wherever the site is served from: a
//! sub-path on GitHub Pages, any static host, or a file opened from disk.

use std::fmt;

crate::named::named_values! {
    /// The top-level sections, in navigation order, each named by the path
    /// segment after `#/` (`#/contacts`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Section {
        Today = "today",
        Contacts = "contacts",
        Leads = "leads",
        Opportunities = "opportunities",
        Accounts = "accounts",
        Funnel = "funnel",
        Settings = "settings",
    }
}

impl Section {
    /// The navigation label (also the screen's heading).
    pub fn label(self) -> &'static str {
        match self {
            Section::Today => "Today",
            Section::Contacts => "Contacts",
            Section::Leads => "Leads",
            Section::Opportunities => "Opportunities",
            Section::Accounts => "Accounts",
            Section::Funnel => "Funnel",
            Section::Settings => "Settings",
        }
    }

    /// Whether records of this section have their own pages (`#/contacts/12`).
    fn has_records(self) -> bool {
        matches!(
            self,
            Section::Contacts | Section::Leads | Section::Opportunities | Section::Accounts
        )
    }
}

/// The path segment of the import screen, under contacts.
const IMPORT: &str = "import";

/// Where the user is: a section, optionally one record in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Section(Section),
    /// One record's page, e.g. contact 12.
    Record(Section, u64),
    /// Importing contacts from a CSV or vCard file (`#/contacts/import`).
    Import,
    /// A URL that names nothing we know; shown as a plain "not found" screen.
    NotFound(String),
}

impl Default for Route {
    fn default() -> Self {
        Route::Section(Section::Today)
    }
}

impl Route {
    /// The page of one record.
    pub fn of_record(record: crate::domain::RecordRef) -> Route {
        use crate::domain::RecordRef as R;
        match record {
            R::Contact(id) => Route::Record(Section::Contacts, id.0),
            R::Lead(id) => Route::Record(Section::Leads, id.0),
            R::Opportunity(id) => Route::Record(Section::Opportunities, id.0),
            R::Account(id) => Route::Record(Section::Accounts, id.0),
        }
    }

    /// Reads a `location.hash` value such as `#/contacts/12`.
    /// An empty hash is the start screen; anything unknown is `NotFound`.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return Route::default();
        }
        let mut parts = path.split('/');
        let section = parts.next().and_then(Section::from_name);
        let record = parts.next();
        let extra = parts.next();
        match (section, record, extra) {
            (Some(section), None, None) => Route::Section(section),
            (Some(Section::Contacts), Some(IMPORT), None) => Route::Import,
            (Some(section), Some(id), None) if section.has_records() => {
                match crate::domain::ids::parse_key(id) {
                    Some(id) => Route::Record(section, id),
                    None => Route::NotFound(path.to_owned()),
                }
            }
            _ => Route::NotFound(path.to_owned()),
        }
    }

    /// The hash for this route, always starting with `#/`.
    pub fn to_hash(&self) -> String {
        self.to_string()
    }

    /// This list's address narrowed to the records a figure on Today counts:
    /// `#/leads?figure=waiting`.
    pub fn with_figure(&self, figure: crate::domain::reports::standing::Figure) -> String {
        format!("{self}?figure={}", figure.name())
    }

    /// The figure named in an address, if any (see [`Route::with_figure`]).
    pub fn figure_in(hash: &str) -> Option<crate::domain::reports::standing::Figure> {
        let (_, query) = hash.split_once('?')?;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("figure="))
            .and_then(crate::domain::reports::standing::Figure::from_name)
    }

    /// The section whose navigation link is current for this route.
    pub fn section(&self) -> Option<Section> {
        match self {
            Route::Section(s) | Route::Record(s, _) => Some(*s),
            Route::Import => Some(Section::Contacts),
            Route::NotFound(_) => None,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Section(s) => write!(f, "#/{}", s.name()),
            Route::Record(s, id) => {
                write!(f, "#/{}/{}", s.name(), crate::domain::ids::format_key(*id))
            }
            Route::Import => write!(f, "#/contacts/{IMPORT}"),
            Route::NotFound(path) => write!(f, "#/{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hash_opens_today() {
        assert_eq!(Route::from_hash(""), Route::Section(Section::Today));
        assert_eq!(Route::from_hash("#"), Route::Section(Section::Today));
        assert_eq!(Route::from_hash("#/"), Route::Section(Section::Today));
    }

    #[test]
    fn every_section_round_trips_through_its_hash() {
        for section in Section::ALL {
            let route = Route::Section(section);
            assert_eq!(Route::from_hash(&route.to_hash()), route);
        }
    }

    #[test]
    fn record_pages_parse_for_record_sections_only() {
        assert_eq!(
            Route::from_hash("#/contacts/12"),
            Route::Record(Section::Contacts, 12)
        );
        assert_eq!(
            Route::from_hash("#/opportunities/7/"),
            Route::Record(Section::Opportunities, 7)
        );
        let tagged = crate::domain::ids::tagged(1_234_567, 8);
        assert_eq!(
            Route::from_hash("#/contacts/qglj-8"),
            Route::Record(Section::Contacts, tagged)
        );
        assert_eq!(
            Route::Record(Section::Contacts, tagged).to_hash(),
            "#/contacts/qglj-8"
        );
        assert_eq!(
            Route::from_hash("#/funnel/3"),
            Route::NotFound("funnel/3".into())
        );
        assert_eq!(
            Route::from_hash("#/contacts/abc"),
            Route::NotFound("contacts/abc".into())
        );
    }

    #[test]
    fn unknown_or_hostile_paths_are_not_found() {
        assert_eq!(
            Route::from_hash("#/nowhere"),
            Route::NotFound("nowhere".into())
        );
        assert!(matches!(
            Route::from_hash("#/contacts/1/2"),
            Route::NotFound(_)
        ));
        assert!(matches!(
            Route::from_hash("#/<script>alert(1)</script>"),
            Route::NotFound(_)
        ));
    }

    #[test]
    fn the_import_screen_sits_under_contacts() {
        assert_eq!(Route::from_hash("#/contacts/import"), Route::Import);
        assert_eq!(Route::from_hash(&Route::Import.to_hash()), Route::Import);
        assert_eq!(Route::Import.section(), Some(Section::Contacts));
        assert!(matches!(
            Route::from_hash("#/leads/import"),
            Route::NotFound(_)
        ));
    }

    #[test]
    fn query_suffix_is_ignored() {
        assert_eq!(
            Route::from_hash("#/leads?status=new"),
            Route::Section(Section::Leads)
        );
    }

    #[test]
    fn section_of_a_record_is_its_list() {
        assert_eq!(
            Route::Record(Section::Leads, 1).section(),
            Some(Section::Leads)
        );
        assert_eq!(Route::NotFound("x".into()).section(), None);
    }

    #[test]
    fn a_list_address_may_name_a_figure_of_today() {
        use crate::domain::reports::standing::Figure;
        let leads = Route::Section(Section::Leads);
        let hash = leads.with_figure(Figure::WaitingForQualification);
        assert_eq!(hash, "#/leads?figure=waiting");
        assert_eq!(Route::from_hash(&hash), leads);
        assert_eq!(
            Route::figure_in(&hash),
            Some(Figure::WaitingForQualification)
        );
        for f in Figure::ALL {
            assert_eq!(Route::figure_in(&leads.with_figure(f)), Some(f));
        }
        assert_eq!(Route::figure_in("#/leads"), None);
        assert_eq!(Route::figure_in("#/leads?figure=nonsense"), None);
    }
}
