//! The words of sync: Settings → Sync, the header's sync state and sync's
//! errors, in each language. Only the sync code (which loads on demand)
//! reads them, so they travel with it rather than in the first load.

use chrono::{DateTime, Utc};

use crate::i18n::language;
use crate::language::Language;
use crate::sync::{SettingsProblem, SyncError, SyncStatus};

/// A label or sentence of the Sync settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum SyncText {
    Sync,
    Intro,
    ServerAddress,
    Database,
    UserName,
    Password,
    Remember,
    SyncNow,
    StopSyncing,
    Stopped,
    NotSetUp,
    PasswordHint,
}

pub fn sync_text(key: SyncText) -> &'static str {
    use SyncText as S;
    match (language(), key) {
        (Language::En, S::Sync) => "Sync",
        (Language::En, S::Intro) => "Keep this pipeline the same on every device through your own CouchDB server (Apache CouchDB, or any server that speaks its replication protocol). Changes made offline are sent when the device is online again.",
        (Language::En, S::ServerAddress) => "Server address",
        (Language::En, S::Database) => "Database",
        (Language::En, S::UserName) => "User name",
        (Language::En, S::Password) => "Password",
        (Language::En, S::Remember) => "Remember the password on this device",
        (Language::En, S::SyncNow) => "Sync now",
        (Language::En, S::StopSyncing) => "Stop syncing",
        (Language::En, S::Stopped) => "Sync is off. Your pipeline stays on this device.",
        (Language::En, S::NotSetUp) => "Sync is not set up.",
        (Language::En, S::PasswordHint) => "Without it, the password is kept only while this tab is open.",
        (Language::Nb, S::Sync) => "Synkronisering",
        (Language::Nb, S::Intro) => "Hold denne salgstrakten lik på alle enhetene dine gjennom din egen CouchDB-server (Apache CouchDB, eller en annen server som kan replikeringsprotokollen). Endringer gjort uten nett sendes når enheten er på nett igjen.",
        (Language::Nb, S::ServerAddress) => "Serveradresse",
        (Language::Nb, S::Database) => "Database",
        (Language::Nb, S::UserName) => "Brukernavn",
        (Language::Nb, S::Password) => "Passord",
        (Language::Nb, S::Remember) => "Husk passordet på denne enheten",
        (Language::Nb, S::SyncNow) => "Synkroniser nå",
        (Language::Nb, S::StopSyncing) => "Stopp synkronisering",
        (Language::Nb, S::Stopped) => "Synkronisering er av. Salgstrakten blir værende på denne enheten.",
        (Language::Nb, S::NotSetUp) => "Synkronisering er ikke satt opp.",
        (Language::Nb, S::PasswordHint) => "Uten dette huskes passordet bare mens denne fanen er åpen.",
    }
}

/// Why sync failed, as the end of "Sync failed: …".
pub fn sync_error(e: &SyncError) -> String {
    let nb = language() == Language::Nb;
    let words = match e {
        SyncError::Offline if nb => "enheten er frakoblet",
        SyncError::Offline => "this device is offline",
        SyncError::Unreachable if nb => "fant ingen server på adressen; sjekk serveradressen",
        SyncError::Unreachable => "no server answered at that address; check the server address",
        SyncError::OriginRefused if nb => {
            "serveren tillater ikke tilkoblinger fra denne siden (CORS-innstillingene)"
        }
        SyncError::OriginRefused => {
            "the server does not accept connections from this page (its CORS settings)"
        }
        SyncError::WrongPassword if nb => "serveren godtok ikke brukernavnet eller passordet",
        SyncError::WrongPassword => "the server refused the user name or password",
        SyncError::NotAllowed if nb => "denne brukeren har ikke tilgang til databasen",
        SyncError::NotAllowed => "this user may not read or write the database",
        SyncError::NoDatabase if nb => "databasen finnes ikke på serveren",
        SyncError::NoDatabase => "the database does not exist on the server",
        SyncError::ServerFull if nb => "serveren har ikke mer plass",
        SyncError::ServerFull => "the server has no room left",
        SyncError::Server(code) if nb => {
            return format!("serveren svarte med en feil (HTTP {code})")
        }
        SyncError::Server(code) => {
            return format!("the server answered with an error (HTTP {code})")
        }
        SyncError::BadAnswer if nb => "serverens svar kunne ikke leses",
        SyncError::BadAnswer => "the server's answer could not be read",
        SyncError::PasswordNeeded if nb => {
            "skriv inn passordet under Innstillinger → Synkronisering"
        }
        SyncError::PasswordNeeded => "enter the password in Settings → Sync",
        SyncError::Merge(e) if nb => {
            return format!(
                "endringene fra serveren kunne ikke flettes: {}",
                super::errors::domain(e)
            )
        }
        SyncError::Merge(e) => {
            return format!(
                "the changes from the server could not be merged: {}",
                super::errors::domain(e)
            )
        }
    };
    words.to_owned()
}

/// What is wrong with the settings typed.
pub fn settings_problem(p: SettingsProblem) -> &'static str {
    use SettingsProblem as P;
    match (language(), p) {
        (Language::En, P::AddressMissing) => "Enter the server's address, for example https://couch.example.com.",
        (Language::En, P::AddressNotHttps) => "The server address must start with https:// (http:// only for this computer: localhost or 127.0.0.1).",
        (Language::En, P::AddressInvalid) => "The server address is not a web address, for example https://couch.example.com.",
        (Language::En, P::DatabaseMissing) => "Enter the database's name.",
        (Language::En, P::DatabaseInvalid) => "A database name starts with a lower-case letter and holds only a–z, 0–9 and _ $ ( ) + - /.",
        (Language::En, P::UserMissing) => "Enter the user name.",
        (Language::En, P::PasswordMissing) => "Enter the password.",
        (Language::Nb, P::AddressMissing) => "Skriv inn serverens adresse, for eksempel https://couch.example.com.",
        (Language::Nb, P::AddressNotHttps) => "Serveradressen må begynne med https:// (http:// bare for denne maskinen: localhost eller 127.0.0.1).",
        (Language::Nb, P::AddressInvalid) => "Serveradressen er ikke en nettadresse, for eksempel https://couch.example.com.",
        (Language::Nb, P::DatabaseMissing) => "Skriv inn navnet på databasen.",
        (Language::Nb, P::DatabaseInvalid) => "Et databasenavn begynner med en liten bokstav og har bare a–z, 0–9 og _ $ ( ) + - /.",
        (Language::Nb, P::UserMissing) => "Skriv inn brukernavnet.",
        (Language::Nb, P::PasswordMissing) => "Skriv inn passordet.",
    }
}

/// The header's words for where sync stands at `now`: "Synced 2 minutes
/// ago", "Syncing…", "Offline, 3 changes waiting", "Sync failed: …".
pub fn status_line(status: &SyncStatus, now: DateTime<Utc>) -> String {
    let nb = language() == Language::Nb;
    match status {
        SyncStatus::Starting | SyncStatus::Syncing if nb => "Synkroniserer…".into(),
        SyncStatus::Starting | SyncStatus::Syncing => "Syncing…".into(),
        SyncStatus::Synced(at) => {
            let minutes = (now - *at).num_minutes().max(0);
            match (nb, minutes) {
                (false, 0) => "Synced just now".into(),
                (false, 1) => "Synced 1 minute ago".into(),
                (false, m @ 2..=59) => format!("Synced {m} minutes ago"),
                (false, 60..=119) => "Synced 1 hour ago".into(),
                (false, m @ 120..=1439) => format!("Synced {} hours ago", m / 60),
                (false, m) if m < 2880 => "Synced 1 day ago".into(),
                (false, m) => format!("Synced {} days ago", m / 1440),
                (true, 0) => "Synkronisert nå nettopp".into(),
                (true, 1) => "Synkronisert for 1 minutt siden".into(),
                (true, m @ 2..=59) => format!("Synkronisert for {m} minutter siden"),
                (true, 60..=119) => "Synkronisert for 1 time siden".into(),
                (true, m @ 120..=1439) => format!("Synkronisert for {} timer siden", m / 60),
                (true, m) if m < 2880 => "Synkronisert for 1 dag siden".into(),
                (true, m) => format!("Synkronisert for {} dager siden", m / 1440),
            }
        }
        SyncStatus::Offline { waiting } => match (nb, waiting) {
            (false, 0) => "Offline".into(),
            (false, 1) => "Offline, 1 change waiting".into(),
            (false, n) => format!("Offline, {n} changes waiting"),
            (true, 0) => "Frakoblet".into(),
            (true, 1) => "Frakoblet, 1 endring venter".into(),
            (true, n) => format!("Frakoblet, {n} endringer venter"),
        },
        SyncStatus::InAnotherTab if nb => "Synkroniseres i en annen fane".into(),
        SyncStatus::InAnotherTab => "Syncing in another tab".into(),
        SyncStatus::Failed(e) if nb => format!("Synkronisering mislyktes: {}", sync_error(e)),
        SyncStatus::Failed(e) => format!("Sync failed: {}", sync_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::set_language;
    use chrono::TimeZone;
    use strum::IntoEnumIterator;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    #[test]
    fn the_header_says_where_sync_stands() {
        set_language(Language::En);
        let synced = SyncStatus::Synced(at(0));
        assert_eq!(status_line(&synced, at(0)), "Synced just now");
        assert_eq!(status_line(&synced, at(2)), "Synced 2 minutes ago");
        assert_eq!(status_line(&synced, at(61)), "Synced 1 hour ago");
        assert_eq!(status_line(&synced, at(60 * 30)), "Synced 1 day ago");
        assert_eq!(status_line(&synced, at(60 * 24 * 3)), "Synced 3 days ago");
        assert_eq!(status_line(&SyncStatus::Syncing, at(0)), "Syncing…");
        assert_eq!(
            status_line(&SyncStatus::InAnotherTab, at(0)),
            "Syncing in another tab"
        );
        assert_eq!(
            status_line(&SyncStatus::Offline { waiting: 3 }, at(0)),
            "Offline, 3 changes waiting"
        );
        assert_eq!(
            status_line(&SyncStatus::Failed(SyncError::WrongPassword), at(0)),
            "Sync failed: the server refused the user name or password"
        );
        set_language(Language::Nb);
        assert_eq!(
            status_line(&SyncStatus::Offline { waiting: 1 }, at(0)),
            "Frakoblet, 1 endring venter"
        );
        assert_eq!(
            status_line(&synced, at(5)),
            "Synkronisert for 5 minutter siden"
        );
        assert_eq!(
            status_line(&SyncStatus::InAnotherTab, at(0)),
            "Synkroniseres i en annen fane"
        );
        set_language(Language::En);
    }

    #[test]
    fn every_sync_word_is_there_in_every_language() {
        for lang in [Language::En, Language::Nb] {
            set_language(lang);
            for key in SyncText::iter() {
                assert!(!sync_text(key).is_empty(), "{key:?}");
            }
            for p in SettingsProblem::iter() {
                assert!(settings_problem(p).ends_with('.'), "{p:?}");
            }
        }
        set_language(Language::En);
    }
}
