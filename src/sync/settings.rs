//! Settings → Sync: where the server is and who the user is there, checked
//! before anything is sent.

use serde::{Deserialize, Serialize};

use super::protocol::encode;
use super::revs::short_hash;

/// What is wrong with the sync settings a user typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum SettingsProblem {
    #[error("enter the server's address, for example https://couch.example.com")]
    AddressMissing,
    #[error("the server address must start with https:// (http:// only for this computer: localhost or 127.0.0.1)")]
    AddressNotHttps,
    #[error("the server address is not a web address")]
    AddressInvalid,
    #[error("enter the database's name")]
    DatabaseMissing,
    #[error(
        "a database name starts with a lower-case letter and holds only a-z, 0-9 and _ $ ( ) + - /"
    )]
    DatabaseInvalid,
    #[error("enter the user name")]
    UserMissing,
    #[error("enter the password")]
    PasswordMissing,
}

/// A server's address: `https://…`, or `http://` to this computer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServerAddress(String);

impl ServerAddress {
    pub fn parse(text: &str) -> Result<ServerAddress, SettingsProblem> {
        let text = text.trim().trim_end_matches('/');
        if text.is_empty() {
            return Err(SettingsProblem::AddressMissing);
        }
        let lower = text.to_ascii_lowercase();
        let (scheme, rest) = lower
            .split_once("://")
            .ok_or(SettingsProblem::AddressInvalid)?;
        let host_port = rest.split('/').next().unwrap_or("");
        let host = match host_port.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host_port.rsplit_once(':').map_or(host_port, |(h, _)| h),
        };
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        if host.is_empty() || host.contains(char::is_whitespace) || text.contains('@') {
            return Err(SettingsProblem::AddressInvalid);
        }
        // The page's Content-Security-Policy allows these two over http.
        let loopback = matches!(host, "localhost" | "127.0.0.1");
        match scheme {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(SettingsProblem::AddressNotHttps),
            _ => return Err(SettingsProblem::AddressInvalid),
        }
        Ok(ServerAddress(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The settings a user saved (the password only if they asked for it to be
/// remembered on this device).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    pub server: ServerAddress,
    pub database: String,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl SyncSettings {
    /// Checks what the form holds; every problem, each once.
    pub fn check(
        server: &str,
        database: &str,
        user: &str,
        password: &str,
    ) -> Result<SyncSettings, Vec<SettingsProblem>> {
        let mut problems = Vec::new();
        let server = ServerAddress::parse(server)
            .map_err(|p| problems.push(p))
            .ok();
        let database = database.trim();
        if database.is_empty() {
            problems.push(SettingsProblem::DatabaseMissing);
        } else if !valid_database(database) {
            problems.push(SettingsProblem::DatabaseInvalid);
        }
        if user.trim().is_empty() {
            problems.push(SettingsProblem::UserMissing);
        }
        if password.is_empty() {
            problems.push(SettingsProblem::PasswordMissing);
        }
        match server {
            Some(server) if problems.is_empty() => Ok(SyncSettings {
                server,
                database: database.to_owned(),
                user: user.trim().to_owned(),
                password: Some(password.to_owned()),
            }),
            _ => Err(problems),
        }
    }

    /// The database's address.
    pub fn database_url(&self) -> String {
        format!("{}/{}", self.server.as_str(), encode(&self.database))
    }

    /// The replication's id: the same for this device and database every
    /// time, different for another device or database.
    pub fn replication_id(&self, device: &str) -> String {
        format!(
            "leadline-{}",
            short_hash(format!("{device}\n{}\n{}", self.database_url(), self.user).as_bytes())
        )
    }
}

/// CouchDB's rule for database names.
fn valid_database(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_this_computer() {
        for ok in [
            "https://couch.example.com",
            "https://couch.example.com:6984/",
            "http://localhost:5984",
            "http://127.0.0.1:5984",
            "HTTPS://Couch.Example.com/prefix",
        ] {
            assert!(ServerAddress::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            ServerAddress::parse("http://couch.example.com"),
            Err(SettingsProblem::AddressNotHttps)
        );
        assert_eq!(
            ServerAddress::parse("http://localhost.evil.com"),
            Err(SettingsProblem::AddressNotHttps)
        );
        assert_eq!(
            ServerAddress::parse("  "),
            Err(SettingsProblem::AddressMissing)
        );
        for bad in [
            "couch.example.com",
            "ftp://x.org",
            "https://",
            "https://a@b.com",
        ] {
            assert!(ServerAddress::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ServerAddress::parse("https://x.org/").map(|a| a.as_str().to_owned()),
            Ok("https://x.org".to_owned())
        );
    }

    #[test]
    fn the_form_is_checked_whole() {
        let s = SyncSettings::check("https://c.example", "leadline", "ada", "secret").unwrap();
        assert_eq!(s.database_url(), "https://c.example/leadline");
        assert_eq!(
            SyncSettings::check("http://c.example", "Leads", " ", ""),
            Err(vec![
                SettingsProblem::AddressNotHttps,
                SettingsProblem::DatabaseInvalid,
                SettingsProblem::UserMissing,
                SettingsProblem::PasswordMissing,
            ])
        );
        let with_slash =
            SyncSettings::check("https://c.example", "team/leads", "ada", "x").unwrap();
        assert_eq!(with_slash.database_url(), "https://c.example/team%2Fleads");
    }

    #[test]
    fn each_device_and_database_has_its_own_replication() {
        let a = SyncSettings::check("https://c.example", "leads", "ada", "x").unwrap();
        let b = SyncSettings::check("https://c.example", "other", "ada", "x").unwrap();
        assert_eq!(a.replication_id("k1"), a.replication_id("k1"));
        assert_ne!(a.replication_id("k1"), a.replication_id("k2"));
        assert_ne!(a.replication_id("k1"), b.replication_id("k1"));
    }
}
