//! Contacts: the people and organisations you have details for.

use super::clock::{Derived, Stamps};
use super::error::{Field, FieldErrors, FieldProblem};
use super::history::{Event, History};
use super::ids::ContactId;
use super::time::to_second;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stored::is_default;

crate::named::named_values! {
    /// Person or organisation.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum ContactKind {
        #[default]
        Person = "person",
        Organisation = "organisation",
    }
}

impl ContactKind {
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Person => "Person",
            ContactKind::Organisation => "Organisation",
        }
    }
}

/// The sales channel a contact came from. Users may add their own
/// (`Custom`), which serialize as `{"custom":"Podcast"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Website,
    Referral,
    Event,
    ColdOutreach,
    SocialMedia,
    Partner,
    Advertising,
    #[default]
    Other,
    Custom(String),
}

/// Longest name a user-defined source may have.
pub const MAX_SOURCE_CHARS: usize = 50;

impl Source {
    /// The built-in sources, in the order the spec lists them.
    pub const BUILT_IN: [Source; 8] = [
        Source::Website,
        Source::Referral,
        Source::Event,
        Source::ColdOutreach,
        Source::SocialMedia,
        Source::Partner,
        Source::Advertising,
        Source::Other,
    ];

    /// The English words on screen ("Cold outreach").
    pub fn label(&self) -> &str {
        match self {
            Source::Website => "Website",
            Source::Referral => "Referral",
            Source::Event => "Event",
            Source::ColdOutreach => "Cold outreach",
            Source::SocialMedia => "Social media",
            Source::Partner => "Partner",
            Source::Advertising => "Advertising",
            Source::Other => "Other",
            Source::Custom(name) => name,
        }
    }

    /// Reads a source from its label (any case); unknown text becomes a
    /// custom source named by the trimmed text.
    pub fn from_label(text: &str) -> Source {
        let t = text.trim();
        Source::BUILT_IN
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(t))
            .unwrap_or_else(|| Source::Custom(t.to_owned()))
    }

    pub fn is_custom(&self) -> bool {
        matches!(self, Source::Custom(_))
    }

    /// What a select's option holds: a built-in source's stored name
    /// (serde's, checked by a test), or `custom:` and the user's own name.
    pub fn option_value(&self) -> String {
        let name = match self {
            Source::Website => "website",
            Source::Referral => "referral",
            Source::Event => "event",
            Source::ColdOutreach => "cold_outreach",
            Source::SocialMedia => "social_media",
            Source::Partner => "partner",
            Source::Advertising => "advertising",
            Source::Other => "other",
            Source::Custom(name) => return format!("{CUSTOM_OPTION}{name}"),
        };
        name.to_owned()
    }

    /// The source an option stands for (see [`Source::option_value`]).
    pub fn from_option_value(value: &str) -> Source {
        match value.strip_prefix(CUSTOM_OPTION) {
            Some(name) => Source::Custom(name.to_owned()),
            None => Source::BUILT_IN
                .into_iter()
                .find(|s| s.option_value() == value)
                .unwrap_or_default(),
        }
    }
}

/// How an option names one of the user's own sources.
const CUSTOM_OPTION: &str = "custom:";

/// A person or organisation with contact details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: ContactKind,
    /// For a person: the firm they work for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Always `http://` or `https://`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
    #[serde(default)]
    pub source: Source,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "History::is_empty")]
    pub history: History,
    /// When each field last changed, and on which device.
    #[serde(default, skip_serializing_if = "Stamps::is_empty")]
    pub stamps: Stamps,
    /// What merge rules replaced (see `merge_rules.rs`).
    #[serde(default, skip_serializing_if = "Derived::is_empty")]
    pub derived: Derived,
}

impl Contact {
    pub(crate) fn new(id: ContactId, fields: ContactFields, now: DateTime<Utc>) -> Contact {
        Contact {
            id,
            name: fields.name,
            kind: fields.kind,
            organisation: fields.organisation,
            title: fields.title,
            email: fields.email,
            phone: fields.phone,
            website: fields.website,
            source: fields.source,
            notes: fields.notes,
            tags: fields.tags,
            created_at: to_second(now),
            history: History::new(),
            stamps: Stamps::default(),
            derived: Derived::default(),
        }
    }

    /// When it last changed: the last history entry, or its creation.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.history.last_at().unwrap_or(self.created_at)
    }

    /// The organisation it belongs to: its own name for an organisation,
    /// the firm for a person (empty if none).
    pub fn organisation_name(&self) -> &str {
        match self.kind {
            ContactKind::Organisation => &self.name,
            ContactKind::Person => &self.organisation,
        }
    }

    /// The fields as they stand, e.g. to fill an edit form.
    pub fn fields(&self) -> ContactFields {
        ContactFields {
            name: self.name.clone(),
            kind: self.kind,
            organisation: self.organisation.clone(),
            title: self.title.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            website: self.website.clone(),
            source: self.source.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
        }
    }

    /// Replaces the fields; records which ones changed. Returns them.
    pub(crate) fn apply(&mut self, fields: ContactFields, now: DateTime<Utc>) -> Vec<Field> {
        let mut changed = Vec::new();
        macro_rules! set {
            ($f:ident, $field:expr) => {
                if self.$f != fields.$f {
                    self.$f = fields.$f;
                    changed.push($field);
                }
            };
        }
        set!(name, Field::Name);
        set!(kind, Field::Type);
        set!(organisation, Field::Organisation);
        set!(title, Field::Title);
        set!(email, Field::Email);
        set!(phone, Field::Phone);
        set!(website, Field::Website);
        set!(source, Field::Source);
        set!(notes, Field::Notes);
        set!(tags, Field::Tags);
        if !changed.is_empty() {
            self.history.record(
                now,
                Event::Updated {
                    fields: changed.clone(),
                },
            );
        }
        changed
    }
}

/// A contact's fields after validation: trimmed, checked, normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFields {
    pub name: String,
    pub kind: ContactKind,
    pub organisation: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub source: Source,
    pub notes: String,
    pub tags: Vec<String>,
}

impl ContactFields {
    /// Just a name, everything else empty (handy in tests and imports).
    pub fn named(name: &str) -> Result<ContactFields, FieldErrors> {
        ContactDraft {
            name: name.to_owned(),
            ..ContactDraft::default()
        }
        .validate()
    }
}

/// The contact form as typed. `tags` is comma-separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactDraft {
    pub name: String,
    pub kind: ContactKind,
    pub organisation: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub source: Source,
    pub notes: String,
    pub tags: String,
}

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_ORGANISATION_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 10_000;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_WEBSITE_CHARS: usize = 2_000;
pub const MAX_TAG_CHARS: usize = 50;
pub const MAX_TAGS: usize = 20;
/// A next step, of an opportunity or a lead.
pub const MAX_NEXT_STEP_CHARS: usize = 500;

impl ContactDraft {
    /// A form filled from an existing contact.
    pub fn from_contact(c: &Contact) -> ContactDraft {
        ContactDraft {
            name: c.name.clone(),
            kind: c.kind,
            organisation: c.organisation.clone(),
            title: c.title.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            website: c.website.clone(),
            source: c.source.clone(),
            notes: c.notes.clone(),
            tags: c.tags.join(", "),
        }
    }

    /// Checks every field and returns all problems at once.
    pub fn validate(&self) -> Result<ContactFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(Field::Name, FieldProblem::Required);
        }
        check_length(&mut errors, Field::Name, name, MAX_NAME_CHARS);
        let organisation = self.organisation.trim();
        check_length(
            &mut errors,
            Field::Organisation,
            organisation,
            MAX_ORGANISATION_CHARS,
        );
        let title = self.title.trim();
        check_length(&mut errors, Field::Title, title, MAX_TITLE_CHARS);
        let notes = self.notes.trim();
        check_length(&mut errors, Field::Notes, notes, MAX_NOTES_CHARS);

        let email = self.email.trim();
        if !email.is_empty() && !is_valid_email(email) {
            errors.push(Field::Email, FieldProblem::Email);
        }
        let phone = self.phone.trim();
        if !phone.is_empty() {
            let (number, extension) = split_extension(phone);
            if !number
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
                || extension.is_some_and(|e| e.is_empty())
            {
                errors.push(Field::Phone, FieldProblem::PhoneCharacters);
            }
            let len = phone.chars().count();
            if !(3..=40).contains(&len) || !phone.chars().any(|c| c.is_ascii_digit()) {
                errors.push(Field::Phone, FieldProblem::PhoneLength);
            }
        }
        let website = match normalise_website(&self.website) {
            Ok(w) => w,
            Err(problem) => {
                errors.push(Field::Website, problem);
                String::new()
            }
        };
        let source = match &self.source {
            Source::Custom(text) => {
                let source = Source::from_label(text);
                if let Source::Custom(t) = &source {
                    if t.is_empty() {
                        errors.push(Field::Source, FieldProblem::Required);
                    }
                    check_length(&mut errors, Field::Source, t, MAX_SOURCE_CHARS);
                }
                source
            }
            other => other.clone(),
        };
        let tags = parse_tags(&self.tags, &mut errors);

        errors.into_result(ContactFields {
            name: name.to_owned(),
            kind: self.kind,
            organisation: organisation.to_owned(),
            title: title.to_owned(),
            email: email.to_owned(),
            phone: phone.to_owned(),
            website,
            source,
            notes: notes.to_owned(),
            tags,
        })
    }
}

/// Refuses `text` under `field` when it is longer than `max` characters.
pub(crate) fn check_length(errors: &mut FieldErrors, field: Field, text: &str, max: usize) {
    let found = text.chars().count();
    if found > max {
        errors.push(field, FieldProblem::TooLong { max, found });
    }
}

fn parse_tags(text: &str, errors: &mut FieldErrors) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_CHARS {
            errors.push(Field::Tags, FieldProblem::TagTooLong { max: MAX_TAG_CHARS });
        } else if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        errors.push(Field::Tags, FieldProblem::TooManyTags { max: MAX_TAGS });
    }
    tags
}

/// A simple, sane email check: one `@`, something before it, a domain with
/// a dot after it, no spaces. Deliverability is not our business.
/// A phone number and its extension, if it has one written as people and
/// address books write it: "555 0100 ext. 12", "555 0100 x12". `Some("")`:
/// an extension word with no digits after it.
pub fn split_extension(phone: &str) -> (&str, Option<&str>) {
    let lower = phone.to_ascii_lowercase();
    for word in [" ext.", " ext", " x"] {
        if let Some(at) = lower.rfind(word) {
            let digits = phone[at + word.len()..].trim_start();
            if digits.chars().all(|c| c.is_ascii_digit()) {
                return (phone[..at].trim_end(), Some(digits));
            }
        }
    }
    (phone, None)
}

pub fn is_valid_email(email: &str) -> bool {
    if email.chars().count() > MAX_EMAIL_CHARS
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
        || email.contains(['<', '>', '"', ',', ';'])
    {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

/// Checks a website and returns it in stored form. Empty stays empty. Only
/// `http://` and `https://` are allowed; a bare domain (`example.com`) gets
/// `https://` in front. Anything else (`javascript:`, `ftp:`, text with
/// spaces) is refused, because the website becomes a link.
pub fn normalise_website(text: &str) -> Result<String, FieldProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let refuse = || FieldProblem::Website;
    let found = t.chars().count();
    if found > MAX_WEBSITE_CHARS {
        return Err(FieldProblem::TooLong {
            max: MAX_WEBSITE_CHARS,
            found,
        });
    }
    if t.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`\\".contains(c))
    {
        return Err(refuse());
    }
    let lower = t.to_ascii_lowercase();
    let (url, rest) = if lower.starts_with("https://") || lower.starts_with("http://") {
        let scheme_len = lower.find("://").map_or(0, |i| i + 3);
        (t.to_owned(), &t[scheme_len..])
    } else {
        // No scheme: only a bare host is accepted, never "something:".
        let host_end = t.find(['/', '?', '#']).unwrap_or(t.len());
        if t.contains(':') && t[..host_end].contains(':') {
            return Err(refuse());
        }
        (format!("https://{t}"), t)
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let host_ok =
        host == "localhost" || (host.contains('.') && host.split('.').all(|l| !l.is_empty()));
    if host_ok {
        Ok(url)
    } else {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> ContactDraft {
        ContactDraft {
            name: name.into(),
            ..ContactDraft::default()
        }
    }

    #[test]
    fn a_valid_form_is_trimmed_and_normalised() {
        let d = ContactDraft {
            name: "  Ada Lovelace ".into(),
            kind: ContactKind::Person,
            organisation: " Analytical Engines AS".into(),
            title: "CTO".into(),
            email: " ada@analytical.no ".into(),
            phone: "+47 (912) 34-567".into(),
            website: "analytical.no".into(),
            source: Source::Custom(" cold OUTREACH ".into()),
            notes: "Met at Oslo Innovation Week".into(),
            tags: "vip, Oslo ,, VIP".into(),
        };
        let f = d.validate().unwrap();
        assert_eq!(f.name, "Ada Lovelace");
        assert_eq!(f.organisation, "Analytical Engines AS");
        assert_eq!(f.email, "ada@analytical.no");
        assert_eq!(f.website, "https://analytical.no");
        assert_eq!(f.source, Source::ColdOutreach);
        assert_eq!(f.tags, vec!["vip".to_owned(), "Oslo".to_owned()]);
    }

    #[test]
    fn name_is_required_and_limited() {
        let e = draft("   ").validate().unwrap_err();
        assert_eq!(e.message(Field::Name).as_deref(), Some("Name is required"));
        let e = draft(&"x".repeat(201)).validate().unwrap_err();
        assert_eq!(
            e.message(Field::Name).as_deref(),
            Some("Name can be at most 200 characters (this one has 201)")
        );
        assert!(draft(&"ø".repeat(200)).validate().is_ok());
    }

    #[test]
    fn every_problem_is_reported_under_its_field() {
        let d = ContactDraft {
            name: String::new(),
            email: "ada@".into(),
            phone: "call me".into(),
            website: "javascript:alert(1)".into(),
            title: "t".repeat(201),
            organisation: "o".repeat(201),
            notes: "n".repeat(10_001),
            source: Source::Custom("  ".into()),
            tags: "x".repeat(51),
            ..ContactDraft::default()
        };
        let e = d.validate().unwrap_err();
        for f in [
            Field::Name,
            Field::Email,
            Field::Phone,
            Field::Website,
            Field::Title,
            Field::Organisation,
            Field::Notes,
            Field::Source,
            Field::Tags,
        ] {
            assert!(e.get(f).is_some(), "no error for {f:?}: {e}");
        }
        assert_eq!(
            e.message(Field::Website).as_deref(),
            Some("Website must be a web address starting with http:// or https://")
        );
    }

    #[test]
    fn email_rules() {
        for ok in [
            "a@b.no",
            "ada.lovelace+crm@mail.example.co.uk",
            "ÆØÅ@example.no",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "ada@@example.com",
            "ada @example.com",
            "ada@example..com",
            "ada@.example.com",
            "a@b.no,c@d.no",
            "<a@b.no>",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn website_rules() {
        assert_eq!(normalise_website("https://x.no").unwrap(), "https://x.no");
        assert_eq!(
            normalise_website("HTTP://x.no/a?b=1").unwrap(),
            "HTTP://x.no/a?b=1"
        );
        assert_eq!(
            normalise_website("www.x.no/path").unwrap(),
            "https://www.x.no/path"
        );
        assert_eq!(
            normalise_website("http://localhost:8080").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(normalise_website("").unwrap(), "");
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT://x.no",
            "ftp://x.no",
            "data:text/html,hi",
            "mailto:a@b.no",
            "x",
            "https://",
            "https://nodot",
            "http://a b.no",
            "//x.no",
            "vbscript:x",
            "https://x.no/\"onmouseover=",
        ] {
            assert!(normalise_website(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_rules() {
        let phone = |p: &str| {
            ContactDraft {
                phone: p.into(),
                ..draft("A")
            }
            .validate()
        };
        assert!(phone("+47 912 34 567").is_ok());
        assert!(phone("(555) 123-4567").is_ok());
        assert!(phone("112").is_ok());
        assert!(phone("12").is_err());
        assert!(phone(&"1".repeat(41)).is_err());
        assert!(phone("+- ()").is_err());
        assert!(phone("12a45").is_err());
        assert!(phone("+1-418-656-9254 ext. 102").is_ok());
        assert!(phone("555 0100 x12").is_ok());
        assert!(phone("555 0100 ext.").is_err());
        assert!(phone("Handy").is_err());
        assert_eq!(split_extension("555 0100 EXT 7"), ("555 0100", Some("7")));
        assert_eq!(split_extension("555 0100"), ("555 0100", None));
    }

    #[test]
    fn sources_have_the_spec_words_and_stable_json() {
        assert_eq!(Source::ColdOutreach.label(), "Cold outreach");
        assert_eq!(Source::SocialMedia.label(), "Social media");
        assert_eq!(Source::from_label("social MEDIA"), Source::SocialMedia);
        assert_eq!(
            Source::from_label(" Podcast "),
            Source::Custom("Podcast".into())
        );
        assert_eq!(
            crate::domain::stored::to_json(&Source::ColdOutreach),
            "\"cold_outreach\""
        );
        assert_eq!(
            crate::domain::stored::to_json(&Source::Custom("Podcast".into())),
            r#"{"custom":"Podcast"}"#
        );
    }

    #[test]
    fn apply_records_only_changed_fields() {
        use chrono::TimeZone;
        let t0 = Utc.timestamp_opt(1_700_000_000, 0).unwrap();
        let t1 = Utc.timestamp_opt(1_700_000_100, 0).unwrap();
        let mut c = Contact::new(ContactId(1), ContactFields::named("Ada").unwrap(), t0);
        assert_eq!(c.updated_at(), t0);
        let mut f = c.fields();
        assert!(c.apply(f.clone(), t1).is_empty());
        assert!(c.history.is_empty());
        f.email = "ada@x.no".into();
        f.kind = ContactKind::Organisation;
        assert_eq!(c.apply(f, t1), vec![Field::Type, Field::Email]);
        assert_eq!(c.updated_at(), t1);
        assert_eq!(c.organisation_name(), "Ada");
        let json = crate::domain::stored::to_json(&c);
        assert_eq!(
            json,
            r#"{"id":1,"name":"Ada","kind":"organisation","email":"ada@x.no","source":"other","created_at":1700000000,"history":[{"at":1700000100,"event":{"updated":{"fields":["type","email"]}}}]}"#
        );
        assert_eq!(
            crate::domain::stored::from_json::<Contact>(&json).unwrap(),
            c
        );
    }
}
