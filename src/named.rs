//! Named values: enums whose every value has a stored name.
//!
//! [`named_values!`] declares such an enum once, with each variant's stored
//! name beside it; from that one list follow `ALL` (every value, in order),
//! `name()` (the stored name: what the stored pipeline, exported files and a
//! select's option values hold), `from_name()`, and serde's `Serialize` and
//! `Deserialize` by that name. Its words on screen are in `i18n::labels`.
//!
//! A macro of ours rather than strum's derives: the lists are used as
//! constant arrays (sized and indexed by position in reports and on the
//! board), and serde then follows from the same names instead of a second
//! `rename_all` that a test would have to keep in step.

/// Declares a named value; see the module docs.
///
/// ```text
/// named_values! {
///     /// Where a deal stands.
///     #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
///     pub enum Stage {
///         NeedsAnalysis = "needs_analysis",
///         Proposal = "proposal",
///     }
/// }
/// ```
macro_rules! named_values {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $stored:literal,)+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: [$name; [$($stored),+].len()] = [$($name::$variant),+];

            /// The stored name.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $stored,)+
                }
            }

            /// The value stored as `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($stored => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Name;
                impl serde::de::Visitor<'_> for Name {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the name of a ", stringify!($name)))
                    }
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<$name, E> {
                        $name::from_name(name)
                            .ok_or_else(|| E::unknown_variant(name, &[$($stored),+]))
                    }
                }
                d.deserialize_str(Name)
            }
        }
    };
}
pub(crate) use named_values;

#[cfg(test)]
mod tests {
    use crate::domain::contact_list::{ContactOrder, ContactStage};
    use crate::domain::import::Resolution;
    use crate::domain::{
        BuyingRole, ContactKind, ContractStatus, Criterion, Currency, DisqualifyReason, Field,
        LeadAction, LeadStatusKind, LostReason, Stage,
    };
    use crate::language::Language;
    use crate::transfer::csv_export::CsvKind;
    use crate::transfer::headers::Target;

    /// Every value's name reads back as that value, names are unique, and
    /// serde writes and reads the same name.
    fn names_hold<T>(all: &[T], name: fn(T) -> &'static str, from: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        for (i, &value) in all.iter().enumerate() {
            let stored = name(value);
            assert_eq!(from(stored), Some(value));
            assert!(
                all[..i].iter().all(|&other| name(other) != stored),
                "{stored} twice"
            );
            let json = serde_json::to_string(&value).unwrap_or_default();
            assert_eq!(json, format!("\"{stored}\""));
            assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(value));
        }
        assert_eq!(from("no such name"), None);
        let error = serde_json::from_str::<T>("\"no such name\"").err();
        assert!(error.is_some_and(|e| e.to_string().contains("unknown variant")));
    }

    #[test]
    fn every_named_value_reads_back_by_its_name() {
        names_hold(&Stage::ALL, Stage::name, Stage::from_name);
        names_hold(&LostReason::ALL, LostReason::name, LostReason::from_name);
        names_hold(
            &ContractStatus::ALL,
            ContractStatus::name,
            ContractStatus::from_name,
        );
        names_hold(&BuyingRole::ALL, BuyingRole::name, BuyingRole::from_name);
        names_hold(&Criterion::ALL, Criterion::name, Criterion::from_name);
        names_hold(
            &DisqualifyReason::ALL,
            DisqualifyReason::name,
            DisqualifyReason::from_name,
        );
        names_hold(
            &LeadStatusKind::ALL,
            LeadStatusKind::name,
            LeadStatusKind::from_name,
        );
        names_hold(&ContactKind::ALL, ContactKind::name, ContactKind::from_name);
        names_hold(&Currency::ALL, Currency::name, Currency::from_name);
        names_hold(&Field::ALL, Field::name, Field::from_name);
        names_hold(&LeadAction::ALL, LeadAction::name, LeadAction::from_name);
        names_hold(&Language::ALL, Language::name, Language::from_name);
        names_hold(
            &ContactStage::ALL,
            ContactStage::name,
            ContactStage::from_name,
        );
        names_hold(
            &ContactOrder::ALL,
            ContactOrder::name,
            ContactOrder::from_name,
        );
        names_hold(&CsvKind::ALL, CsvKind::name, CsvKind::from_name);
        names_hold(&Target::ALL, Target::name, Target::from_name);
        names_hold(&Resolution::ALL, Resolution::name, Resolution::from_name);
    }

    #[test]
    fn sources_are_named_as_stored() {
        use crate::domain::Source;
        for source in Source::BUILT_IN {
            let json = serde_json::to_string(&source).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", source.option_value()));
            assert_eq!(Source::from_option_value(&source.option_value()), source);
        }
        // One of the user's own, even one named like a built-in.
        for name in ["Podcast", "website", "custom:x"] {
            let own = Source::Custom(name.into());
            assert_eq!(Source::from_option_value(&own.option_value()), own);
        }
    }

    #[test]
    fn payment_terms_are_named_as_stored() {
        use crate::domain::PaymentTerms;
        for preset in PaymentTerms::PRESETS {
            let json = serde_json::to_string(&preset).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", preset.name()));
            assert_eq!(PaymentTerms::preset(preset.name()), Some(preset));
        }
        let custom = serde_json::to_string(&PaymentTerms::Custom("x".into())).unwrap_or_default();
        assert_eq!(
            custom,
            format!("{{\"{}\":\"x\"}}", PaymentTerms::Custom("x".into()).name())
        );
    }
}
