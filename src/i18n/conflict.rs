//! Timeline lines a merge adds, in words: a value that lost to a change
//! made at the same time on another device ("Also changed on Laptop:
//! Amount NOK 12 000.00, kept NOK 15 000.00"), and a record brought back.

use serde_json::Value;

use super::{fill, format, labels, t, Text};
use crate::domain::ids::DeviceId;
use crate::domain::opportunity::{ContractStatus, OpportunityStatus, PaymentTerms};
use crate::domain::pipeline::{Pipeline, RecordRef};
use crate::domain::{BuyingRole, ContactKind, Criterion, Field, LeadStatus, Money, Source};

impl Pipeline {
    /// A device by the name it was given, or "another device".
    pub fn device_called(&self, device: DeviceId) -> String {
        self.device_name(device)
            .filter(|n| !n.is_empty())
            .map_or_else(|| t(Text::AnotherDevice).to_owned(), str::to_owned)
    }

    /// "Also changed on Laptop: Amount NOK 12 000.00, kept NOK 15 000.00".
    pub(super) fn describe_also_changed(
        &self,
        record: RecordRef,
        field: &str,
        device: DeviceId,
        value: &str,
    ) -> String {
        let lost = serde_json::from_str(value).unwrap_or(Value::Null);
        let kept = self.field_value(record, field);
        fill(
            Text::AlsoChangedOn,
            &[
                &self.device_called(device),
                &field_label(field),
                &shown(field, &lost),
                &shown(field, &kept),
            ],
        )
    }
}

/// The label of a field by its stored path, as the forms call it.
pub fn field_label(path: &str) -> String {
    let field = match path {
        "name" => Field::Name,
        "kind" => Field::Type,
        "organisation" => Field::Organisation,
        "title" => Field::Title,
        "email" => Field::Email,
        "phone" => Field::Phone,
        "website" => Field::Website,
        "source" => Field::Source,
        "notes" => Field::Notes,
        "tags" => Field::Tags,
        "buying_role" => Field::BuyingRole,
        "interest" => Field::Interest,
        "next_step" | "terms.next_step" => Field::NextStep,
        "next_step_date" | "terms.next_step_date" => Field::NextStepDate,
        "checklist.timeline_date" => Field::TimelineDate,
        "terms.amount" => Field::Amount,
        "terms.currency" => Field::Currency,
        "terms.payment_terms" => Field::PaymentTerms,
        "terms.contract_status" => Field::ContractStatus,
        "terms.expected_close" => Field::ExpectedCloseDate,
        "terms.probability_override" => Field::Probability,
        "terms.current_supplier" => Field::CurrentSupplier,
        "terms.current_supplier_dismissed" => Field::CurrentSupplierDismissed,
        "terms.competitors" => Field::Competitors,
        "checklist.need" => return labels::criterion(Criterion::Need).to_owned(),
        "checklist.budget" => return labels::criterion(Criterion::Budget).to_owned(),
        "checklist.timeline" => return labels::criterion(Criterion::Timeline).to_owned(),
        "checklist.authority" => return labels::criterion(Criterion::Authority).to_owned(),
        "status" => return t(Text::StatusField).to_owned(),
        "contact" => return t(Text::MainContact).to_owned(),
        "contacts" => return t(Text::ContactsField).to_owned(),
        "customer_since" => return t(Text::CustomerSince).to_owned(),
        "won_deals" => return t(Text::WonDeals).to_owned(),
        other => return other.to_owned(),
    };
    labels::field(field).to_owned()
}

/// A stored value as the screens show it.
pub fn shown(path: &str, value: &Value) -> String {
    fn read<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
        crate::domain::stored::from_plain(value)
    }
    let typed = match path {
        // A box left unticked is not stored.
        "checklist.need"
        | "checklist.budget"
        | "checklist.timeline"
        | "checklist.authority"
        | "terms.current_supplier_dismissed"
            if value.is_null() =>
        {
            Some(t(Text::NoValue).to_owned())
        }
        _ if value.is_null() => Some(t(Text::EmptyValue).to_owned()),
        "terms.amount" => read::<Money>(value).map(format::money),
        "kind" => read::<ContactKind>(value).map(|k| labels::contact_kind(k).to_owned()),
        "source" => read::<Source>(value).map(|s| labels::source(&s).to_owned()),
        "buying_role" => read::<BuyingRole>(value).map(|r| labels::buying_role(r).to_owned()),
        "terms.payment_terms" => {
            read::<PaymentTerms>(value).map(|p| labels::payment_terms(&p).to_owned())
        }
        "terms.contract_status" => {
            read::<ContractStatus>(value).map(|c| labels::contract_status(c).to_owned())
        }
        "status" => read::<OpportunityStatus>(value)
            .map(|s| labels::stage(s.stage()).to_owned())
            .or_else(|| {
                read::<LeadStatus>(value).map(|s| labels::lead_status(s.kind()).to_owned())
            }),
        _ => None,
    };
    typed.unwrap_or_else(|| match value {
        Value::Bool(true) => t(Text::YesValue).to_owned(),
        Value::Bool(false) => t(Text::NoValue).to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| shown("", v))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    })
}
