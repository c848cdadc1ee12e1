//! Which column of a contact spreadsheet means what. Address books and
//! CRMs name their columns in their own words and languages: Google
//! Contacts, Outlook (desktop and outlook.com), Apple Contacts through CSV
//! tools, Thunderbird, Windows Live Mail, LinkedIn, HubSpot, Salesforce and
//! Pipedrive, in English, German and Norwegian.

crate::named::named_values! {
    /// What a column is imported as.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Target {
        Name = "name",
        Prefix = "prefix",
        FirstName = "first_name",
        MiddleName = "middle_name",
        LastName = "last_name",
        Suffix = "suffix",
        Type = "type",
        Organisation = "organisation",
        Title = "title",
        Email = "email",
        Phone = "phone",
        Website = "website",
        Source = "source",
        Notes = "notes",
        Tags = "tags",
        LeadStatus = "lead_status",
        LifecycleStage = "lifecycle_stage",
        Skip = "skip",
    }
}

impl Target {
    /// The words in the "Import as" choice, and the column in row errors.
    pub fn label(self) -> &'static str {
        match self {
            Target::Name => "Name",
            Target::Prefix => "Name prefix (Dr., Mrs.)",
            Target::FirstName => "First name",
            Target::MiddleName => "Middle name",
            Target::LastName => "Last name",
            Target::Suffix => "Name suffix (Jr.)",
            Target::Type => "Type",
            Target::Organisation => "Organisation",
            Target::Title => "Title",
            Target::Email => "Email",
            Target::Phone => "Phone",
            Target::Website => "Website",
            Target::Source => "Source",
            Target::Notes => "Notes",
            Target::Tags => "Tags",
            Target::LeadStatus => "Lead status",
            Target::LifecycleStage => "Lifecycle stage",
            Target::Skip => "Don't import",
        }
    }

    /// Whether a file may have several columns of this kind: the best
    /// value is the contact's, the others are kept in its notes.
    pub fn takes_several(self) -> bool {
        matches!(
            self,
            Target::Email | Target::Phone | Target::Website | Target::Notes | Target::Tags
        )
    }

    /// Recognises a column header. Anything else is not imported until the
    /// user says what it is.
    pub fn for_header(header: &str) -> Target {
        let s = squash(header);
        if let Some(target) = by_name(&s) {
            return target;
        }
        // The columns that say what kind the value next to them is
        // ("E-mail 1 - Type"), or how to show it, are not values.
        let describes = ["type", "label", "typ", "anzeige"]
            .iter()
            .any(|w| s.ends_with(w))
            || ["display", "angezeigt"].iter().any(|w| s.contains(w));
        if describes || s.contains("fax") || s.contains("pager") {
            return Target::Skip;
        }
        if ["email", "epost", "mailadress"]
            .iter()
            .any(|w| s.contains(w))
        {
            Target::Email
        } else if ["phone", "telefon", "mobil", "handy"]
            .iter()
            .any(|w| s.contains(w))
            || s.starts_with("tel")
        {
            Target::Phone
        } else if [
            "website",
            "webpage",
            "webseite",
            "webside",
            "homepage",
            "nettside",
            "hjemmeside",
        ]
        .iter()
        .any(|w| s.contains(w))
            || s.ends_with("url")
        {
            Target::Website
        } else {
            Target::Skip
        }
    }
}

/// Headers known by their whole name (letters and digits, lower case).
fn by_name(s: &str) -> Option<Target> {
    Some(match s {
        "name" | "fullname" | "contactname" | "contact" | "displayname" | "personname"
        | "anzeigename" | "vollständigername" | "visningsnavn" | "navn" | "fulltnavn" => {
            Target::Name
        }
        "nameprefix" | "prefix" | "honorific" | "salutation" | "anrede" | "tiltale"
        | "tiltaleform" => Target::Prefix,
        "firstname" | "givenname" | "forename" | "personfirstname" | "vorname" | "fornavn" => {
            Target::FirstName
        }
        "middlename" | "additionalname" | "zweitervorname" | "weiterevornamen" | "mellomnavn" => {
            Target::MiddleName
        }
        "lastname" | "surname" | "familyname" | "personlastname" | "nachname" | "etternavn" => {
            Target::LastName
        }
        "namesuffix" | "suffix" | "namenszusatz" => Target::Suffix,
        "type" | "contacttype" => Target::Type,
        "organisation" | "organization" | "company" | "companyname" | "companyaccount"
        | "account" | "accountname" | "organizationname" | "organization1name"
        | "personorganization" | "firma" | "firmenname" | "unternehmen" | "organisasjon"
        | "bedrift" | "firmanavn" => Target::Organisation,
        "title" | "jobtitle" | "position" | "organizationtitle" | "organization1title"
        | "persontitle" | "personjobtitle" | "arbeitstitel" | "berufsbezeichnung" | "titel"
        | "tittel" | "stilling" | "stillingstittel" | "jobbtittel" => Target::Title,
        "source" | "leadsource" | "originalsource" | "personsource" | "quelle" | "kilde" => {
            Target::Source
        }
        "notes" | "note" | "description" | "comments" | "personnotes" | "notizen"
        | "anmerkungen" | "bemerkungen" | "notater" | "notat" | "merknader" => Target::Notes,
        "tags" | "labels" | "groupmembership" | "categories" | "personlabel" | "kategorien"
        | "kategorie" | "kategorier" | "etiketter" => Target::Tags,
        "status" | "leadstatus" => Target::LeadStatus,
        "lifecyclestage" | "lifecycle" => Target::LifecycleStage,
        _ => return None,
    })
}

/// Headers that hold a title of address ("Dr.") when the file also has a
/// job title column: Outlook's "Title", German "Titel", Norwegian "Tittel".
fn may_be_honorific(header: &str) -> bool {
    matches!(squash(header).as_str(), "title" | "titel" | "tittel")
}

/// The mapping the columns get before the user changes anything.
pub fn guess_mapping(headers: &[String]) -> Vec<Target> {
    let guessed: Vec<Target> = headers.iter().map(|h| Target::for_header(h)).collect();
    let job_titles = guessed.iter().filter(|t| **t == Target::Title).count();
    let mut used = Vec::new();
    guessed
        .into_iter()
        .zip(headers)
        .map(|(t, header)| {
            if t == Target::Title && job_titles > 1 && may_be_honorific(header) {
                return Target::Prefix;
            }
            // A second name or organisation column would only lose to the first.
            if t != Target::Skip && !t.takes_several() && used.contains(&t) {
                return Target::Skip;
            }
            used.push(t);
            t
        })
        .collect()
}

/// How much a value is preferred when a contact has several of a kind,
/// from the words of its column or its type: work first, then the one
/// marked primary or preferred, then the rest in the file's order.
pub fn preference(words: &str) -> u8 {
    let s = squash(words);
    let work = [
        "work",
        "business",
        "office",
        "dienstlich",
        "geschäftlich",
        "geschaeftlich",
        "arbeit",
        "arbeid",
        "jobb",
    ];
    let primary = ["primary", "primär", "pref"];
    if work.iter().any(|w| s.contains(w)) {
        0
    } else if primary.iter().any(|w| s.contains(w)) || words.trim_start().starts_with('*') {
        1
    } else {
        2
    }
}

/// For each column, the column that says what kind its value is (Google's
/// "Phone 1 - Type" beside "Phone 1 - Value"), if there is one.
pub fn kind_columns(headers: &[String]) -> Vec<Option<usize>> {
    let by_header: std::collections::HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    headers
        .iter()
        .map(|h| {
            let lower = h.trim().to_lowercase();
            let stem = lower.strip_suffix(" - value")?;
            [" - type", " - label"]
                .iter()
                .find_map(|end| by_header.get(&format!("{stem}{end}")).copied())
        })
        .collect()
}

/// Lower case, letters and digits only: "Phone Number" -> "phonenumber".
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(headers: &[&str]) -> Vec<Target> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        guess_mapping(&headers)
    }

    #[test]
    fn salesforce_and_hubspot_headers_map_themselves() {
        use Target::*;
        assert_eq!(
            mapped(&[
                "FirstName",
                "LastName",
                "Company",
                "Title",
                "Email",
                "Phone",
                "Website",
                "LeadSource",
                "Status",
                "Description",
                "Rating",
            ]),
            [
                FirstName,
                LastName,
                Organisation,
                Title,
                Email,
                Phone,
                Website,
                Source,
                LeadStatus,
                Notes,
                Skip
            ]
        );
        assert_eq!(
            mapped(&[
                "First Name",
                "Last Name",
                "Email",
                "Phone Number",
                "Mobile Phone Number",
                "Company Name",
                "Job Title",
                "Lifecycle Stage",
                "Lead Status",
            ]),
            [
                FirstName,
                LastName,
                Email,
                Phone,
                Phone,
                Organisation,
                Title,
                LifecycleStage,
                LeadStatus
            ]
        );
    }

    #[test]
    fn outlooks_title_is_an_honorific_beside_a_job_title() {
        use Target::*;
        assert_eq!(
            mapped(&[
                "Title",
                "First Name",
                "Middle Name",
                "Last Name",
                "Suffix",
                "Company",
                "Job Title",
                "Business Phone",
                "Business Fax",
                "Mobile Phone",
                "E-mail Address",
                "E-mail Display Name",
                "E-mail 2 Address",
                "Web Page",
                "Categories",
            ]),
            [
                Prefix,
                FirstName,
                MiddleName,
                LastName,
                Suffix,
                Organisation,
                Title,
                Phone,
                Skip,
                Phone,
                Email,
                Skip,
                Email,
                Website,
                Tags
            ]
        );
    }

    #[test]
    fn google_contacts_columns_and_their_kinds() {
        use Target::*;
        let headers = [
            "Name",
            "Given Name",
            "Given Name Yomi",
            "Name Prefix",
            "Group Membership",
            "E-mail 1 - Type",
            "E-mail 1 - Value",
            "Phone 1 - Type",
            "Phone 1 - Value",
            "Organization 1 - Name",
            "Organization 1 - Yomi Name",
            "Organization 1 - Title",
            "Website 1 - Type",
            "Website 1 - Value",
        ];
        assert_eq!(
            mapped(&headers),
            [
                Name,
                FirstName,
                Skip,
                Prefix,
                Tags,
                Skip,
                Email,
                Skip,
                Phone,
                Organisation,
                Skip,
                Title,
                Skip,
                Website
            ]
        );
        let owned: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let kinds = kind_columns(&owned);
        assert_eq!(
            (kinds[6], kinds[8], kinds[13], kinds[1]),
            (Some(5), Some(7), Some(12), None)
        );
    }

    #[test]
    fn german_and_norwegian_headers() {
        use Target::*;
        assert_eq!(
            mapped(&[
                "Vorname",
                "Nachname",
                "Anzeigename",
                "Spitzname",
                "Primäre E-Mail-Adresse",
                "Sekundäre E-Mail-Adresse",
                "Tel. dienstlich",
                "Tel. privat",
                "Fax-Nummer",
                "Mobil-Tel.-Nr.",
                "Arbeitstitel",
                "Organisation",
                "Webseite 1",
                "Notizen",
            ]),
            [
                FirstName,
                LastName,
                Name,
                Skip,
                Email,
                Email,
                Phone,
                Phone,
                Skip,
                Phone,
                Title,
                Organisation,
                Website,
                Notes
            ]
        );
        assert_eq!(
            mapped(&[
                "Fornavn",
                "Etternavn",
                "E-postadresse",
                "Mobiltelefon",
                "Firma",
                "Stilling",
                "Tittel",
                "Notater"
            ]),
            [
                FirstName,
                LastName,
                Email,
                Phone,
                Organisation,
                Title,
                Prefix,
                Notes
            ]
        );
    }

    #[test]
    fn linkedin_pipedrive_and_thunderbird_headers() {
        use Target::*;
        assert_eq!(
            mapped(&[
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On"
            ]),
            [
                FirstName,
                LastName,
                Website,
                Email,
                Organisation,
                Title,
                Skip
            ]
        );
        assert_eq!(
            mapped(&[
                "Person - Name",
                "Person - Organization",
                "Person - Email - Work",
                "Person - Email - Home",
                "Person - Phone - Mobile",
                "Person - Label",
            ]),
            [Name, Organisation, Email, Email, Phone, Tags]
        );
        assert_eq!(
            mapped(&[
                "First Name",
                "Last Name",
                "Display Name",
                "Nickname",
                "Primary Email",
                "Secondary Email",
                "Screen Name",
                "Work Phone",
                "Fax Number",
                "Pager Number",
                "Mobile Number",
                "Job Title",
                "Organization",
                "Web Page 1",
            ]),
            [
                FirstName,
                LastName,
                Name,
                Skip,
                Email,
                Email,
                Skip,
                Phone,
                Skip,
                Skip,
                Phone,
                Title,
                Organisation,
                Website
            ]
        );
    }

    #[test]
    fn work_values_come_first_then_primary_ones() {
        assert_eq!(preference("Business Phone"), 0);
        assert_eq!(preference("Tel. dienstlich"), 0);
        assert_eq!(preference("* Work"), 0);
        assert_eq!(preference("Primary Email"), 1);
        assert_eq!(preference("* Other"), 1);
        assert_eq!(preference("Home Phone"), 2);
        assert_eq!(preference("Mobile"), 2);
    }
}
