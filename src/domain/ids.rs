//! Record identifiers.
//!
//! Every record gets its number from one counter in the [`Pipeline`], so a
//! number is never reused, not even across kinds or after a delete.
//!
//! [`Pipeline`]: super::Pipeline

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The bare number, as used in URLs (`#/contacts/12`).
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// Identifies a [`Contact`](super::Contact).
    ContactId
);
id_type!(
    /// Identifies a [`Lead`](super::Lead).
    LeadId
);
id_type!(
    /// Identifies an [`Opportunity`](super::Opportunity).
    OpportunityId
);
id_type!(
    /// Identifies an [`Account`](super::Account).
    AccountId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_display_and_parse_as_numbers() {
        assert_eq!(OpportunityId(3).to_string(), "3");
        assert_eq!("42".parse::<AccountId>().unwrap(), AccountId(42));
        assert!("x".parse::<AccountId>().is_err());
    }
}
