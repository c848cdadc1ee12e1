//! Why a sync did not finish, in words a user can act on. Nothing local
//! changes when a sync fails: what arrived before is merged whole, and the
//! rest comes the next time.

use crate::domain::DomainError;

/// What a transport could not do (no answer at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The browser is offline.
    Offline,
    /// Nothing answered at the address.
    Unreachable,
    /// The server answered, but not to this page: it does not allow this
    /// page's origin (CORS).
    OriginRefused,
    /// A long poll ran out of time (a normal end, not an error).
    TimedOut,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncError {
    #[error("this device is offline")]
    Offline,
    #[error("the server could not be reached; check the address")]
    Unreachable,
    #[error("the server does not accept connections from this page (its CORS settings)")]
    OriginRefused,
    #[error("the server refused the user name or password")]
    WrongPassword,
    #[error("this user may not read or write the database")]
    NotAllowed,
    #[error("the database does not exist on the server")]
    NoDatabase,
    #[error("the server has no room left")]
    ServerFull,
    #[error("the server answered with an error (HTTP {0})")]
    Server(u16),
    #[error("the server's answer could not be read")]
    BadAnswer,
    #[error("enter the password in Settings → Sync")]
    PasswordNeeded,
    #[error("the changes from the server could not be merged: {0}")]
    Merge(DomainError),
}

impl From<Failure> for SyncError {
    fn from(f: Failure) -> SyncError {
        match f {
            Failure::Offline => SyncError::Offline,
            Failure::Unreachable | Failure::TimedOut => SyncError::Unreachable,
            Failure::OriginRefused => SyncError::OriginRefused,
        }
    }
}

impl SyncError {
    /// The error an HTTP status means, if it is one.
    pub fn from_status(status: u16) -> Option<SyncError> {
        Some(match status {
            200..=299 => return None,
            401 => SyncError::WrongPassword,
            403 => SyncError::NotAllowed,
            404 => SyncError::NoDatabase,
            413 | 507 => SyncError::ServerFull,
            other => SyncError::Server(other),
        })
    }

    /// Whether trying again later may help by itself (the network), as
    /// opposed to something the user must change (a password, an address).
    pub fn is_passing(&self) -> bool {
        matches!(
            self,
            SyncError::Offline | SyncError::Unreachable | SyncError::Server(500..)
        )
    }
}
