//! The pipeline's records as the stored format holds them, field by field.
//!
//! The rules every record follows (they are the stored format, unchanged
//! since schema 1):
//! - fields are written in the order listed in each writer;
//! - empty text, empty lists, `false` flags, absent options and default
//!   choices are omitted where the writer says so, and read back as that
//!   default when absent (or `null`, for options);
//! - choices are written by name (`"needs_analysis"`), choices that carry
//!   values as `{"name":{...}}`;
//! - times are Unix seconds, dates `"YYYY-MM-DD"`;
//! - unknown fields are skipped when reading.
//!
//! To add an optional field to a record: write it in the writer where it
//! belongs (e.g. `o.str_unless_empty("nickname", &c.nickname)`) and read it
//! in the reader's `match` (`"nickname" => nickname = text(r)?,`) with its
//! default set before the loop.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

use super::reader::{Kind, Reader};
use super::writer::{self, list, string, strings, Object};
use super::{CodecError, Stored};
use crate::domain::account::Account;
use crate::domain::contact::{Contact, ContactKind, Source};
use crate::domain::error::Field;
use crate::domain::history::{Event, History, HistoryEntry};
use crate::domain::ids::{AccountId, ContactId, LeadId, OpportunityId};
use crate::domain::lead::{
    BuyingRole, Checklist, Criterion, DisqualifyReason, Lead, LeadStatus, LeadStatusKind,
};
use crate::domain::money::{Currency, Money};
use crate::domain::opportunity::{
    ContractStatus, DealTerms, LostReason, Opportunity, OpportunityStatus, PaymentTerms, Stage,
};
use crate::domain::pipeline::{Pipeline, PipelineData};
use crate::domain::time::{format_date, parse_date};
use crate::i18n::Language;

// ---- names of choices -------------------------------------------------

pub(super) const CURRENCIES: &[(&str, Currency)] = &[
    ("NOK", Currency::NOK),
    ("SEK", Currency::SEK),
    ("DKK", Currency::DKK),
    ("EUR", Currency::EUR),
    ("USD", Currency::USD),
    ("GBP", Currency::GBP),
    ("CHF", Currency::CHF),
    ("JPY", Currency::JPY),
];

pub(super) const CONTACT_KINDS: &[(&str, ContactKind)] = &[
    ("person", ContactKind::Person),
    ("organisation", ContactKind::Organisation),
];

pub(super) const SOURCES: &[(&str, Source)] = &[
    ("website", Source::Website),
    ("referral", Source::Referral),
    ("event", Source::Event),
    ("cold_outreach", Source::ColdOutreach),
    ("social_media", Source::SocialMedia),
    ("partner", Source::Partner),
    ("advertising", Source::Advertising),
    ("other", Source::Other),
];

pub(super) const BUYING_ROLES: &[(&str, BuyingRole)] = &[
    ("decision_maker", BuyingRole::DecisionMaker),
    ("influencer", BuyingRole::Influencer),
    ("advisor", BuyingRole::Advisor),
    ("user", BuyingRole::User),
    ("gatekeeper", BuyingRole::Gatekeeper),
    ("unknown", BuyingRole::Unknown),
];

pub(super) const CRITERIA: &[(&str, Criterion)] = &[
    ("need", Criterion::Need),
    ("budget", Criterion::Budget),
    ("timeline", Criterion::Timeline),
    ("authority", Criterion::Authority),
];

pub(super) const DISQUALIFY_REASONS: &[(&str, DisqualifyReason)] = &[
    ("no_need", DisqualifyReason::NoNeed),
    ("no_budget", DisqualifyReason::NoBudget),
    ("no_authority", DisqualifyReason::NoAuthority),
    ("bad_timing", DisqualifyReason::BadTiming),
    ("unreachable", DisqualifyReason::Unreachable),
    ("chose_competitor", DisqualifyReason::ChoseCompetitor),
    ("other", DisqualifyReason::Other),
];

pub(super) const LEAD_STATUS_KINDS: &[(&str, LeadStatusKind)] = &[
    ("new", LeadStatusKind::New),
    ("contacted", LeadStatusKind::Contacted),
    ("qualified", LeadStatusKind::Qualified),
    ("disqualified", LeadStatusKind::Disqualified),
    ("converted", LeadStatusKind::Converted),
];

pub(super) const STAGES: &[(&str, Stage)] = &[
    ("needs_analysis", Stage::NeedsAnalysis),
    ("proposal", Stage::Proposal),
    ("negotiation", Stage::Negotiation),
    ("contract", Stage::Contract),
    ("won", Stage::Won),
    ("lost", Stage::Lost),
];

pub(super) const LOST_REASONS: &[(&str, LostReason)] = &[
    ("price", LostReason::Price),
    ("chose_competitor", LostReason::ChoseCompetitor),
    ("no_decision", LostReason::NoDecision),
    ("timing", LostReason::Timing),
    ("lost_contact", LostReason::LostContact),
    ("other", LostReason::Other),
];

pub(super) const PAYMENT_TERMS: &[(&str, PaymentTerms)] = &[
    ("due_on_receipt", PaymentTerms::DueOnReceipt),
    ("net_15", PaymentTerms::Net15),
    ("net_30", PaymentTerms::Net30),
    ("net_60", PaymentTerms::Net60),
    ("instalments", PaymentTerms::Instalments),
];

pub(super) const CONTRACT_STATUSES: &[(&str, ContractStatus)] = &[
    ("not_started", ContractStatus::NotStarted),
    ("drafted", ContractStatus::Drafted),
    ("sent", ContractStatus::Sent),
    ("signed", ContractStatus::Signed),
];

pub(super) const FIELDS: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("type", Field::Type),
    ("organisation", Field::Organisation),
    ("title", Field::Title),
    ("email", Field::Email),
    ("phone", Field::Phone),
    ("website", Field::Website),
    ("source", Field::Source),
    ("notes", Field::Notes),
    ("tags", Field::Tags),
    ("buying_role", Field::BuyingRole),
    ("interest", Field::Interest),
    ("timeline_date", Field::TimelineDate),
    ("reason", Field::Reason),
    ("note", Field::Note),
    ("stage", Field::Stage),
    ("amount", Field::Amount),
    ("currency", Field::Currency),
    ("payment_terms", Field::PaymentTerms),
    ("contract_status", Field::ContractStatus),
    ("expected_close_date", Field::ExpectedCloseDate),
    ("probability", Field::Probability),
    ("current_supplier", Field::CurrentSupplier),
    (
        "current_supplier_dismissed",
        Field::CurrentSupplierDismissed,
    ),
    ("competitors", Field::Competitors),
    ("next_step", Field::NextStep),
    ("next_step_date", Field::NextStepDate),
    ("lost_reason", Field::LostReason),
];

/// The stored name of a choice.
fn name_of<T: PartialEq>(table: &[(&'static str, T)], value: &T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| v == value)
        .map_or("", |(name, _)| name)
}

/// The choice called `name`, or "unknown variant `x`, expected one of ...".
fn choice<T: Clone>(
    r: &Reader<'_>,
    at: usize,
    table: &[(&str, T)],
    name: &str,
) -> Result<T, CodecError> {
    match table.iter().find(|(n, _)| *n == name) {
        Some((_, value)) => Ok(value.clone()),
        None => {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            Err(unknown_variant(r, at, name, &names))
        }
    }
}

fn unknown_variant(r: &Reader<'_>, at: usize, name: &str, names: &[&str]) -> CodecError {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    r.error_at(
        at,
        format!(
            "unknown variant `{name}`, expected one of {}",
            names.join(", ")
        ),
    )
}

/// Reads a choice written by name.
fn read_choice<T: Clone>(r: &mut Reader<'_>, table: &[(&str, T)]) -> Result<T, CodecError> {
    let at = r.pos();
    let name = r.string()?;
    choice(r, at, table, &name)
}

fn write_choice<T: PartialEq>(out: &mut String, table: &[(&'static str, T)], value: &T) {
    string(out, name_of(table, value));
}

// ---- small values ---------------------------------------------------------

fn text(r: &mut Reader<'_>) -> Result<String, CodecError> {
    r.string().map(Cow::into_owned)
}

fn texts(r: &mut Reader<'_>) -> Result<Vec<String>, CodecError> {
    read_list(r, text)
}

fn read_list<T>(
    r: &mut Reader<'_>,
    mut item: impl FnMut(&mut Reader<'_>) -> Result<T, CodecError>,
) -> Result<Vec<T>, CodecError> {
    r.array()?;
    let mut items = Vec::new();
    while r.item()? {
        items.push(item(r)?);
    }
    Ok(items)
}

/// `None` for `null`, else the value.
fn option<T>(
    r: &mut Reader<'_>,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, CodecError>,
) -> Result<Option<T>, CodecError> {
    if r.null()? {
        Ok(None)
    } else {
        read(r).map(Some)
    }
}

/// A required field, or "missing field `name`" at its object.
fn need<T>(r: &Reader<'_>, at: usize, value: Option<T>, field: &str) -> Result<T, CodecError> {
    value.ok_or_else(|| r.error_at(at, format!("missing field `{field}`")))
}

/// Unix seconds.
fn time(r: &mut Reader<'_>) -> Result<DateTime<Utc>, CodecError> {
    let at = r.pos();
    let secs = r.i64()?;
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| r.error_at(at, format!("{secs} is not a valid time")))
}

fn write_time(out: &mut String, at: DateTime<Utc>) {
    writer::int(out, at.timestamp());
}

/// `"YYYY-MM-DD"`.
fn date(r: &mut Reader<'_>) -> Result<NaiveDate, CodecError> {
    let at = r.pos();
    let text = r.string()?;
    parse_date(&text)
        .ok_or_else(|| r.error_at(at, format!("\"{text}\" is not a date (YYYY-MM-DD)")))
}

fn write_date(out: &mut String, date: NaiveDate) {
    string(out, &format_date(date));
}

fn currency(r: &mut Reader<'_>) -> Result<Currency, CodecError> {
    read_choice(r, CURRENCIES)
}

fn write_currency(out: &mut String, currency: Currency) {
    string(out, currency.code());
}

fn write_ids(out: &mut String, ids: impl IntoIterator<Item = u64>) {
    out.push('[');
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        writer::uint(out, id);
    }
    out.push(']');
}

/// `"name"` for a plain choice, `{"custom":"text"}` for a custom one.
fn choice_or_custom<T: Clone>(
    r: &mut Reader<'_>,
    table: &[(&str, T)],
    custom: fn(String) -> T,
) -> Result<T, CodecError> {
    if r.peek_kind()? == Kind::String {
        return read_choice(r, table);
    }
    let at = r.pos();
    r.object()?;
    let mut value = None;
    while let Some(key) = r.key()? {
        if value.is_some() {
            return Err(r.error_at(at, "a choice has exactly one name"));
        }
        value = Some(match &*key {
            "custom" => custom(text(r)?),
            other => {
                // A plain choice written as `{"name":null}`.
                let plain = choice(r, at, table, other)?;
                if !r.null()? {
                    return Err(r.expected("null"));
                }
                plain
            }
        });
    }
    value.ok_or_else(|| r.error_at(at, "a choice needs a name"))
}

fn write_custom(out: &mut String, text: &str) {
    let mut o = Object::new(out);
    o.str("custom", text);
    o.end();
}

fn source(r: &mut Reader<'_>) -> Result<Source, CodecError> {
    choice_or_custom(r, SOURCES, Source::Custom)
}

fn write_source(out: &mut String, source: &Source) {
    match source {
        Source::Custom(text) => write_custom(out, text),
        other => write_choice(out, SOURCES, other),
    }
}

fn payment_terms(r: &mut Reader<'_>) -> Result<PaymentTerms, CodecError> {
    choice_or_custom(r, PAYMENT_TERMS, PaymentTerms::Custom)
}

fn write_payment_terms(out: &mut String, terms: &PaymentTerms) {
    match terms {
        PaymentTerms::Custom(text) => write_custom(out, text),
        other => write_choice(out, PAYMENT_TERMS, other),
    }
}

fn money(r: &mut Reader<'_>) -> Result<Money, CodecError> {
    let at = r.pos();
    let (mut minor, mut currency_) = (None, None);
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "minor" => minor = Some(r.i64()?),
            "currency" => currency_ = Some(currency(r)?),
            _ => r.skip()?,
        }
    }
    Ok(Money {
        minor: need(r, at, minor, "minor")?,
        currency: need(r, at, currency_, "currency")?,
    })
}

fn write_money(out: &mut String, money: &Money) {
    let mut o = Object::new(out);
    o.int("minor", money.minor);
    write_currency(o.key("currency"), money.currency);
    o.end();
}

/// How a choice that may carry values was written.
struct Tagged<'a> {
    name: Cow<'a, str>,
    /// `{"name":...}` rather than a bare `"name"`: a `}` is still to read.
    wrapped: bool,
    /// `{"name":{...}}`: the values' keys come next.
    values: bool,
}

/// Reads `"name"`, `{"name":null}` or the start of `{"name":{...}}`.
fn tagged<'a>(r: &mut Reader<'a>) -> Result<Tagged<'a>, CodecError> {
    if r.peek_kind()? == Kind::String {
        return Ok(Tagged {
            name: r.string()?,
            wrapped: false,
            values: false,
        });
    }
    let at = r.pos();
    r.object()?;
    let name = r
        .key()?
        .ok_or_else(|| r.error_at(at, "a choice needs a name"))?;
    let values = !r.null()?;
    if values {
        r.object()?;
    }
    Ok(Tagged {
        name,
        wrapped: true,
        values,
    })
}

/// After a [`tagged`] choice and its values: its closing `}`.
fn end_tagged(r: &mut Reader<'_>, tag: &Tagged<'_>, at: usize) -> Result<(), CodecError> {
    if tag.wrapped && r.key()?.is_some() {
        return Err(r.error_at(at, "a choice has exactly one name"));
    }
    Ok(())
}

/// Writes `{"name":{` and returns the values' object; close with
/// [`Object::end`] and a `}`.
fn open_tagged<'o>(out: &'o mut String, name: &str) -> Object<'o> {
    out.push('{');
    string(out, name);
    out.push(':');
    Object::new(out)
}

// ---- history --------------------------------------------------------------

fn history(r: &mut Reader<'_>) -> Result<History, CodecError> {
    read_list(r, |r| {
        let at = r.pos();
        let (mut when, mut event_) = (None, None);
        r.object()?;
        while let Some(key) = r.key()? {
            match &*key {
                "at" => when = Some(time(r)?),
                "event" => event_ = Some(event(r)?),
                _ => r.skip()?,
            }
        }
        Ok(HistoryEntry {
            at: need(r, at, when, "at")?,
            event: need(r, at, event_, "event")?,
        })
    })
    .map(History::from)
}

fn write_history(out: &mut String, history: &History) {
    list(out, history.entries(), |out, entry| {
        let mut o = Object::new(out);
        write_time(o.key("at"), entry.at);
        write_event(o.key("event"), &entry.event);
        o.end();
    });
}

/// Every field any event has: one flat reader for all of them. `from`, `to`
/// and `reason` are kept as names (with where they were) because their type
/// depends on the event.
/// The names are borrowed from the text: tens of thousands of stage and
/// status changes load without a string each.
#[derive(Default)]
struct EventFields<'a> {
    fields: Option<Vec<Field>>,
    text: Option<String>,
    from: Option<(usize, Cow<'a, str>)>,
    to: Option<(usize, Cow<'a, str>)>,
    reason: Option<(usize, Cow<'a, str>)>,
    note: String,
    criterion: Option<Criterion>,
    checked: bool,
    opportunity: Option<OpportunityId>,
    contact: Option<ContactId>,
}

/// A name-valued field of event `ev` read as a choice from `table`.
fn event_choice<T: Clone>(
    r: &Reader<'_>,
    at: usize,
    ev: &str,
    value: Option<(usize, Cow<'_, str>)>,
    field: &str,
    table: &[(&str, T)],
) -> Result<T, CodecError> {
    let (pos, text) =
        value.ok_or_else(|| r.error_at(at, format!("missing field `{field}` in `{ev}`")))?;
    choice(r, pos, table, &text)
}

const EVENT_SHAPE: &str = "an event such as {\"note\":{\"text\":\"...\"}}";

fn event<'a>(r: &mut Reader<'a>) -> Result<Event, CodecError> {
    let start = r.pos();
    if r.peek_kind()? != Kind::Object {
        return Err(r.expected(EVENT_SHAPE));
    }
    r.object()?;
    let name = r
        .key()?
        .ok_or_else(|| r.error_at(start, "an event needs a name"))?;
    let at = r.pos();
    let mut f = EventFields::<'a>::default();
    if r.peek_kind()? != Kind::Object {
        return Err(r.expected(EVENT_SHAPE));
    }
    r.object()?;
    while let Some(key) = r.key()? {
        let here = r.pos();
        match &*key {
            "fields" => f.fields = Some(read_list(r, |r| read_choice(r, FIELDS))?),
            "text" => f.text = Some(text(r)?),
            "from" => f.from = Some((here, r.string()?)),
            "to" => f.to = Some((here, r.string()?)),
            "reason" => f.reason = Some((here, r.string()?)),
            "note" => f.note = text(r)?,
            "criterion" => f.criterion = Some(read_choice(r, CRITERIA)?),
            "checked" => f.checked = r.bool()?,
            "opportunity" => f.opportunity = Some(OpportunityId(r.u64()?)),
            "contact" => f.contact = Some(ContactId(r.u64()?)),
            _ => r.skip()?,
        }
    }
    if r.key()?.is_some() {
        return Err(r.error_at(start, "an event has exactly one name"));
    }
    let ev: &str = &name;
    let need_ = |field: &str| r.error_at(at, format!("missing field `{field}` in `{ev}`"));
    Ok(match &*name {
        "updated" => Event::Updated {
            fields: f.fields.ok_or_else(|| need_("fields"))?,
        },
        "note" => Event::Note {
            text: f.text.ok_or_else(|| need_("text"))?,
        },
        "status_changed" => Event::StatusChanged {
            from: event_choice(r, at, ev, f.from, "from", LEAD_STATUS_KINDS)?,
            to: event_choice(r, at, ev, f.to, "to", LEAD_STATUS_KINDS)?,
        },
        "disqualified" => Event::Disqualified {
            from: event_choice(r, at, ev, f.from, "from", LEAD_STATUS_KINDS)?,
            reason: event_choice(r, at, ev, f.reason, "reason", DISQUALIFY_REASONS)?,
            note: f.note,
        },
        "criterion_changed" => Event::CriterionChanged {
            criterion: f.criterion.ok_or_else(|| need_("criterion"))?,
            checked: f.checked,
        },
        "converted" => Event::Converted {
            opportunity: f.opportunity.ok_or_else(|| need_("opportunity"))?,
        },
        "stage_changed" => Event::StageChanged {
            from: event_choice(r, at, ev, f.from, "from", STAGES)?,
            to: event_choice(r, at, ev, f.to, "to", STAGES)?,
        },
        "won" => Event::Won {
            from: event_choice(r, at, ev, f.from, "from", STAGES)?,
        },
        "lost" => Event::Lost {
            from: event_choice(r, at, ev, f.from, "from", STAGES)?,
            reason: event_choice(r, at, ev, f.reason, "reason", LOST_REASONS)?,
        },
        "reopened" => Event::Reopened {
            to: event_choice(r, at, ev, f.to, "to", STAGES)?,
        },
        "deal_won" => Event::DealWon {
            opportunity: f.opportunity.ok_or_else(|| need_("opportunity"))?,
        },
        "deal_reopened" => Event::DealReopened {
            opportunity: f.opportunity.ok_or_else(|| need_("opportunity"))?,
        },
        "contact_added" => Event::ContactAdded {
            contact: f.contact.ok_or_else(|| need_("contact"))?,
        },
        "contact_removed" => Event::ContactRemoved {
            contact: f.contact.ok_or_else(|| need_("contact"))?,
        },
        "primary_contact_changed" => Event::PrimaryContactChanged {
            contact: f.contact.ok_or_else(|| need_("contact"))?,
        },
        other => return Err(r.error_at(start, format!("unknown event `{other}`"))),
    })
}

/// `{"event":{"field":"value"}` (the caller closes the outer object).
fn single_str(out: &mut String, event: &str, field: &str, value: &str) {
    let mut o = open_tagged(out, event);
    o.str(field, value);
    o.end();
}

fn single_id(out: &mut String, event: &str, field: &str, id: u64) {
    let mut o = open_tagged(out, event);
    o.uint(field, id);
    o.end();
}

fn write_event(out: &mut String, event: &Event) {
    let stage = |s: &Stage| name_of(STAGES, s);
    let status = |s: &LeadStatusKind| name_of(LEAD_STATUS_KINDS, s);
    match event {
        Event::Updated { fields } => {
            let mut o = open_tagged(out, "updated");
            list(o.key("fields"), fields, |out, f| {
                write_choice(out, FIELDS, f)
            });
            o.end();
        }
        Event::Note { text } => single_str(out, "note", "text", text),
        Event::StatusChanged { from, to } => {
            let mut o = open_tagged(out, "status_changed");
            o.str("from", status(from));
            o.str("to", status(to));
            o.end();
        }
        Event::Disqualified { from, reason, note } => {
            let mut o = open_tagged(out, "disqualified");
            o.str("from", status(from));
            o.str("reason", name_of(DISQUALIFY_REASONS, reason));
            o.str_unless_empty("note", note);
            o.end();
        }
        Event::CriterionChanged { criterion, checked } => {
            let mut o = open_tagged(out, "criterion_changed");
            o.str("criterion", name_of(CRITERIA, criterion));
            o.flag("checked", *checked);
            o.end();
        }
        Event::Converted { opportunity } => {
            single_id(out, "converted", "opportunity", opportunity.0)
        }
        Event::StageChanged { from, to } => {
            let mut o = open_tagged(out, "stage_changed");
            o.str("from", stage(from));
            o.str("to", stage(to));
            o.end();
        }
        Event::Won { from } => single_str(out, "won", "from", stage(from)),
        Event::Lost { from, reason } => {
            let mut o = open_tagged(out, "lost");
            o.str("from", stage(from));
            o.str("reason", name_of(LOST_REASONS, reason));
            o.end();
        }
        Event::Reopened { to } => single_str(out, "reopened", "to", stage(to)),
        Event::DealWon { opportunity } => single_id(out, "deal_won", "opportunity", opportunity.0),
        Event::DealReopened { opportunity } => {
            single_id(out, "deal_reopened", "opportunity", opportunity.0)
        }
        Event::ContactAdded { contact } => single_id(out, "contact_added", "contact", contact.0),
        Event::ContactRemoved { contact } => {
            single_id(out, "contact_removed", "contact", contact.0)
        }
        Event::PrimaryContactChanged { contact } => {
            single_id(out, "primary_contact_changed", "contact", contact.0)
        }
    }
    out.push('}');
}

// ---- records --------------------------------------------------------------

fn contact(r: &mut Reader<'_>) -> Result<Contact, CodecError> {
    let at = r.pos();
    let (mut id, mut name, mut created_at) = (None, None, None);
    let mut kind = ContactKind::default();
    let (mut organisation, mut title, mut email, mut phone, mut website, mut notes) =
        <_>::default();
    let mut source_ = Source::default();
    let mut tags = Vec::new();
    let mut history_ = History::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "id" => id = Some(ContactId(r.u64()?)),
            "name" => name = Some(text(r)?),
            "kind" => kind = read_choice(r, CONTACT_KINDS)?,
            "organisation" => organisation = text(r)?,
            "title" => title = text(r)?,
            "email" => email = text(r)?,
            "phone" => phone = text(r)?,
            "website" => website = text(r)?,
            "source" => source_ = source(r)?,
            "notes" => notes = text(r)?,
            "tags" => tags = texts(r)?,
            "created_at" => created_at = Some(time(r)?),
            "history" => history_ = history(r)?,
            _ => r.skip()?,
        }
    }
    Ok(Contact {
        id: need(r, at, id, "id")?,
        name: need(r, at, name, "name")?,
        kind,
        organisation,
        title,
        email,
        phone,
        website,
        source: source_,
        notes,
        tags,
        created_at: need(r, at, created_at, "created_at")?,
        history: history_,
    })
}

fn write_contact(out: &mut String, c: &Contact) {
    let mut o = Object::new(out);
    o.uint("id", c.id.0);
    o.str("name", &c.name);
    if c.kind != ContactKind::Person {
        write_choice(o.key("kind"), CONTACT_KINDS, &c.kind);
    }
    o.str_unless_empty("organisation", &c.organisation);
    o.str_unless_empty("title", &c.title);
    o.str_unless_empty("email", &c.email);
    o.str_unless_empty("phone", &c.phone);
    o.str_unless_empty("website", &c.website);
    write_source(o.key("source"), &c.source);
    o.str_unless_empty("notes", &c.notes);
    if !c.tags.is_empty() {
        strings(o.key("tags"), &c.tags);
    }
    write_time(o.key("created_at"), c.created_at);
    if !c.history.is_empty() {
        write_history(o.key("history"), &c.history);
    }
    o.end();
}

fn checklist(r: &mut Reader<'_>) -> Result<Checklist, CodecError> {
    let mut c = Checklist::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "need" => c.need = r.bool()?,
            "budget" => c.budget = r.bool()?,
            "timeline" => c.timeline = r.bool()?,
            "timeline_date" => c.timeline_date = option(r, date)?,
            "authority" => c.authority = r.bool()?,
            _ => r.skip()?,
        }
    }
    Ok(c)
}

fn write_checklist(out: &mut String, c: &Checklist) {
    let mut o = Object::new(out);
    o.flag("need", c.need);
    o.flag("budget", c.budget);
    o.flag("timeline", c.timeline);
    if let Some(d) = c.timeline_date {
        write_date(o.key("timeline_date"), d);
    }
    o.flag("authority", c.authority);
    o.end();
}

fn lead_status(r: &mut Reader<'_>) -> Result<LeadStatus, CodecError> {
    let at = r.pos();
    let tag = tagged(r)?;
    let (mut reason, mut note, mut opportunity) = (None, String::new(), None);
    if tag.values {
        while let Some(key) = r.key()? {
            match &*key {
                "reason" => reason = Some(read_choice(r, DISQUALIFY_REASONS)?),
                "note" => note = text(r)?,
                "opportunity" => opportunity = Some(OpportunityId(r.u64()?)),
                _ => r.skip()?,
            }
        }
    }
    let status = match &*tag.name {
        "new" => LeadStatus::New,
        "contacted" => LeadStatus::Contacted,
        "qualified" => LeadStatus::Qualified,
        "disqualified" => LeadStatus::Disqualified {
            reason: need(r, at, reason, "reason")?,
            note,
        },
        "converted" => LeadStatus::Converted {
            opportunity: need(r, at, opportunity, "opportunity")?,
        },
        other => {
            let names = ["new", "contacted", "qualified", "disqualified", "converted"];
            return Err(unknown_variant(r, at, other, &names));
        }
    };
    end_tagged(r, &tag, at)?;
    Ok(status)
}

fn write_lead_status(out: &mut String, status: &LeadStatus) {
    match status {
        LeadStatus::New => string(out, "new"),
        LeadStatus::Contacted => string(out, "contacted"),
        LeadStatus::Qualified => string(out, "qualified"),
        LeadStatus::Disqualified { reason, note } => {
            let mut o = open_tagged(out, "disqualified");
            o.str("reason", name_of(DISQUALIFY_REASONS, reason));
            o.str_unless_empty("note", note);
            o.end();
            out.push('}');
        }
        LeadStatus::Converted { opportunity } => {
            single_id(out, "converted", "opportunity", opportunity.0);
            out.push('}');
        }
    }
}

fn lead(r: &mut Reader<'_>) -> Result<Lead, CodecError> {
    let at = r.pos();
    let (mut id, mut contact_, mut created_at) = (None, None, None);
    let mut buying_role = BuyingRole::default();
    let mut interest = String::new();
    let mut checklist_ = Checklist::default();
    let mut status = LeadStatus::default();
    let mut history_ = History::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "id" => id = Some(LeadId(r.u64()?)),
            "contact" => contact_ = Some(ContactId(r.u64()?)),
            "buying_role" => buying_role = read_choice(r, BUYING_ROLES)?,
            "interest" => interest = text(r)?,
            "checklist" => checklist_ = checklist(r)?,
            "status" => status = lead_status(r)?,
            "created_at" => created_at = Some(time(r)?),
            "history" => history_ = history(r)?,
            _ => r.skip()?,
        }
    }
    Ok(Lead {
        id: need(r, at, id, "id")?,
        contact: need(r, at, contact_, "contact")?,
        buying_role,
        interest,
        checklist: checklist_,
        status,
        created_at: need(r, at, created_at, "created_at")?,
        history: history_,
    })
}

fn write_lead(out: &mut String, l: &Lead) {
    let mut o = Object::new(out);
    o.uint("id", l.id.0);
    o.uint("contact", l.contact.0);
    if l.buying_role != BuyingRole::Unknown {
        write_choice(o.key("buying_role"), BUYING_ROLES, &l.buying_role);
    }
    o.str_unless_empty("interest", &l.interest);
    if l.checklist != Checklist::default() {
        write_checklist(o.key("checklist"), &l.checklist);
    }
    if l.status != LeadStatus::New {
        write_lead_status(o.key("status"), &l.status);
    }
    write_time(o.key("created_at"), l.created_at);
    if !l.history.is_empty() {
        write_history(o.key("history"), &l.history);
    }
    o.end();
}

fn opportunity_status(r: &mut Reader<'_>) -> Result<OpportunityStatus, CodecError> {
    let at = r.pos();
    let tag = tagged(r)?;
    let (mut closed_on, mut reason, mut note) = (None, None, String::new());
    if tag.values {
        while let Some(key) = r.key()? {
            match &*key {
                "closed_on" => closed_on = Some(date(r)?),
                "reason" => reason = Some(read_choice(r, LOST_REASONS)?),
                "note" => note = text(r)?,
                _ => r.skip()?,
            }
        }
    }
    let status = match &*tag.name {
        "needs_analysis" => OpportunityStatus::NeedsAnalysis,
        "proposal" => OpportunityStatus::Proposal,
        "negotiation" => OpportunityStatus::Negotiation,
        "contract" => OpportunityStatus::Contract,
        "won" => OpportunityStatus::Won {
            closed_on: need(r, at, closed_on, "closed_on")?,
        },
        "lost" => OpportunityStatus::Lost {
            reason: need(r, at, reason, "reason")?,
            note,
            closed_on: need(r, at, closed_on, "closed_on")?,
        },
        other => {
            let names: Vec<&str> = STAGES.iter().map(|(n, _)| *n).collect();
            return Err(unknown_variant(r, at, other, &names));
        }
    };
    end_tagged(r, &tag, at)?;
    Ok(status)
}

fn write_opportunity_status(out: &mut String, status: &OpportunityStatus) {
    match status {
        OpportunityStatus::NeedsAnalysis => string(out, "needs_analysis"),
        OpportunityStatus::Proposal => string(out, "proposal"),
        OpportunityStatus::Negotiation => string(out, "negotiation"),
        OpportunityStatus::Contract => string(out, "contract"),
        OpportunityStatus::Won { closed_on } => {
            let mut o = open_tagged(out, "won");
            write_date(o.key("closed_on"), *closed_on);
            o.end();
            out.push('}');
        }
        OpportunityStatus::Lost {
            reason,
            note,
            closed_on,
        } => {
            let mut o = open_tagged(out, "lost");
            o.str("reason", name_of(LOST_REASONS, reason));
            o.str_unless_empty("note", note);
            write_date(o.key("closed_on"), *closed_on);
            o.end();
            out.push('}');
        }
    }
}

fn deal_terms(r: &mut Reader<'_>) -> Result<DealTerms, CodecError> {
    let mut t = DealTerms::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "amount" => t.amount = option(r, money)?,
            "currency" => t.currency = currency(r)?,
            "payment_terms" => t.payment_terms = option(r, payment_terms)?,
            "contract_status" => t.contract_status = read_choice(r, CONTRACT_STATUSES)?,
            "expected_close" => t.expected_close = option(r, date)?,
            "probability_override" => {
                t.probability_override = option(r, |r| {
                    let at = r.pos();
                    let n = r.u64()?;
                    u8::try_from(n)
                        .map_err(|_| r.error_at(at, format!("{n} is too large for a probability")))
                })?
            }
            "current_supplier" => t.current_supplier = text(r)?,
            "current_supplier_dismissed" => t.current_supplier_dismissed = r.bool()?,
            "competitors" => t.competitors = texts(r)?,
            "next_step" => t.next_step = text(r)?,
            "next_step_date" => t.next_step_date = option(r, date)?,
            _ => r.skip()?,
        }
    }
    Ok(t)
}

fn write_deal_terms(out: &mut String, t: &DealTerms) {
    let mut o = Object::new(out);
    if let Some(amount) = &t.amount {
        write_money(o.key("amount"), amount);
    }
    write_currency(o.key("currency"), t.currency);
    if let Some(terms) = &t.payment_terms {
        write_payment_terms(o.key("payment_terms"), terms);
    }
    if t.contract_status != ContractStatus::NotStarted {
        write_choice(
            o.key("contract_status"),
            CONTRACT_STATUSES,
            &t.contract_status,
        );
    }
    if let Some(d) = t.expected_close {
        write_date(o.key("expected_close"), d);
    }
    if let Some(p) = t.probability_override {
        o.uint("probability_override", u64::from(p));
    }
    o.str_unless_empty("current_supplier", &t.current_supplier);
    o.flag("current_supplier_dismissed", t.current_supplier_dismissed);
    if !t.competitors.is_empty() {
        strings(o.key("competitors"), &t.competitors);
    }
    o.str_unless_empty("next_step", &t.next_step);
    if let Some(d) = t.next_step_date {
        write_date(o.key("next_step_date"), d);
    }
    o.end();
}

fn opportunity(r: &mut Reader<'_>) -> Result<Opportunity, CodecError> {
    let at = r.pos();
    let (mut id, mut name, mut contact_, mut created_at) = (None, None, None, None);
    let (mut lead_, mut account_) = (None, None);
    let mut status = OpportunityStatus::default();
    let mut terms = DealTerms::default();
    let mut history_ = History::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "id" => id = Some(OpportunityId(r.u64()?)),
            "name" => name = Some(text(r)?),
            "contact" => contact_ = Some(ContactId(r.u64()?)),
            "lead" => lead_ = option(r, |r| r.u64().map(LeadId))?,
            "account" => account_ = option(r, |r| r.u64().map(AccountId))?,
            "status" => status = opportunity_status(r)?,
            "terms" => terms = deal_terms(r)?,
            "created_at" => created_at = Some(time(r)?),
            "history" => history_ = history(r)?,
            _ => r.skip()?,
        }
    }
    Ok(Opportunity {
        id: need(r, at, id, "id")?,
        name: need(r, at, name, "name")?,
        contact: need(r, at, contact_, "contact")?,
        lead: lead_,
        account: account_,
        status,
        terms,
        created_at: need(r, at, created_at, "created_at")?,
        history: history_,
    })
}

fn write_opportunity(out: &mut String, op: &Opportunity) {
    let mut o = Object::new(out);
    o.uint("id", op.id.0);
    o.str("name", &op.name);
    o.uint("contact", op.contact.0);
    if let Some(lead) = op.lead {
        o.uint("lead", lead.0);
    }
    if let Some(account) = op.account {
        o.uint("account", account.0);
    }
    write_opportunity_status(o.key("status"), &op.status);
    write_deal_terms(o.key("terms"), &op.terms);
    write_time(o.key("created_at"), op.created_at);
    if !op.history.is_empty() {
        write_history(o.key("history"), &op.history);
    }
    o.end();
}

fn account(r: &mut Reader<'_>) -> Result<Account, CodecError> {
    let at = r.pos();
    let (mut id, mut name, mut contact_, mut contacts) = (None, None, None, None);
    let (mut customer_since, mut created_at) = (None, None);
    let mut won_deals = Vec::new();
    let mut history_ = History::default();
    r.object()?;
    while let Some(key) = r.key()? {
        match &*key {
            "id" => id = Some(AccountId(r.u64()?)),
            "name" => name = Some(text(r)?),
            "contact" => contact_ = Some(ContactId(r.u64()?)),
            "contacts" => contacts = Some(read_list(r, |r| r.u64().map(ContactId))?),
            "customer_since" => customer_since = Some(date(r)?),
            "won_deals" => won_deals = read_list(r, |r| r.u64().map(OpportunityId))?,
            "created_at" => created_at = Some(time(r)?),
            "history" => history_ = history(r)?,
            _ => r.skip()?,
        }
    }
    Ok(Account {
        id: need(r, at, id, "id")?,
        name: need(r, at, name, "name")?,
        contact: need(r, at, contact_, "contact")?,
        contacts: need(r, at, contacts, "contacts")?,
        customer_since: need(r, at, customer_since, "customer_since")?,
        won_deals,
        created_at: need(r, at, created_at, "created_at")?,
        history: history_,
    })
}

fn write_account(out: &mut String, a: &Account) {
    let mut o = Object::new(out);
    o.uint("id", a.id.0);
    o.str("name", &a.name);
    o.uint("contact", a.contact.0);
    write_ids(o.key("contacts"), a.contacts.iter().map(|c| c.0));
    write_date(o.key("customer_since"), a.customer_since);
    if !a.won_deals.is_empty() {
        write_ids(o.key("won_deals"), a.won_deals.iter().map(|d| d.0));
    }
    write_time(o.key("created_at"), a.created_at);
    if !a.history.is_empty() {
        write_history(o.key("history"), &a.history);
    }
    o.end();
}

// ---- the pipeline -----------------------------------------------------------

impl Stored for PipelineData {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.uint("next_id", self.next_id);
        write_currency(o.key("default_currency"), self.default_currency);
        if let Some(language) = self.language {
            o.str("language", language.code());
        }
        if !self.custom_sources.is_empty() {
            strings(o.key("custom_sources"), &self.custom_sources);
        }
        list(o.key("contacts"), &self.contacts, write_contact);
        list(o.key("leads"), &self.leads, write_lead);
        list(
            o.key("opportunities"),
            &self.opportunities,
            write_opportunity,
        );
        list(o.key("accounts"), &self.accounts, write_account);
        o.end();
    }

    fn read_json(r: &mut Reader<'_>) -> Result<Self, CodecError> {
        let at = r.pos();
        let mut next_id = None;
        let mut d = PipelineData::default();
        r.object()?;
        while let Some(key) = r.key()? {
            match &*key {
                "next_id" => next_id = Some(r.u64()?),
                "default_currency" => d.default_currency = currency(r)?,
                // A language this version does not speak follows the browser
                // instead of making the whole pipeline unreadable.
                "language" => d.language = Language::from_code(&text(r)?),
                "custom_sources" => d.custom_sources = texts(r)?,
                "contacts" => d.contacts = read_list(r, contact)?,
                "leads" => d.leads = read_list(r, lead)?,
                "opportunities" => d.opportunities = read_list(r, opportunity)?,
                "accounts" => d.accounts = read_list(r, account)?,
                _ => r.skip()?,
            }
        }
        d.next_id = need(r, at, next_id, "next_id")?;
        Ok(d)
    }
}

/// Stored as its [`PipelineData`] (the undo history is not kept). Reading
/// checks the data's integrity, so broken data is refused rather than loaded.
impl Stored for Pipeline {
    fn write_json(&self, out: &mut String) {
        self.data().write_json(out);
    }

    fn read_json(r: &mut Reader<'_>) -> Result<Self, CodecError> {
        let at = r.pos();
        let data = PipelineData::read_json(r)?;
        Pipeline::from_data(data).map_err(|e| r.error_at(at, e.to_string()))
    }
}

/// Each record on its own, for tests and tools that look at one record's
/// JSON (the app itself only stores whole pipelines).
macro_rules! stored {
    ($($t:ty => $write:ident, $read:ident;)*) => {$(
        impl Stored for $t {
            fn write_json(&self, out: &mut String) {
                $write(out, self)
            }
            fn read_json(r: &mut Reader<'_>) -> Result<Self, CodecError> {
                $read(r)
            }
        }
    )*};
}

stored! {
    Contact => write_contact, contact;
    Lead => write_lead, lead;
    Opportunity => write_opportunity, opportunity;
    Account => write_account, account;
    History => write_history, history;
    Event => write_event, event;
    Source => write_source, source;
    PaymentTerms => write_payment_terms, payment_terms;
    Money => write_money, money;
    LeadStatus => write_lead_status, lead_status;
    OpportunityStatus => write_opportunity_status, opportunity_status;
    Checklist => write_checklist, checklist;
    DealTerms => write_deal_terms, deal_terms;
}

#[cfg(test)]
mod tests {
    use super::super::{from_json, to_json};
    use super::*;

    const CONTACT: &str = r#"{"id":1,"name":"Ada","created_at":1700000000}"#;

    fn pipeline_with(contact: &str) -> String {
        format!(r#"{{"next_id":9,"contacts":[{CONTACT},{contact}]}}"#)
    }

    fn error(text: &str) -> String {
        match from_json::<PipelineData>(text) {
            Err(e) => e.to_string(),
            Ok(data) => panic!("{text} read as {data:?}"),
        }
    }

    #[test]
    fn absent_fields_take_their_defaults() {
        let data: PipelineData = from_json(&pipeline_with(
            r#"{"id":2,"name":"Bo","created_at":1,"unknown":{"deep":[1,{"x":null}]}}"#,
        ))
        .unwrap_or_default();
        assert_eq!(data.default_currency, Currency::NOK);
        assert!(data.leads.is_empty() && data.custom_sources.is_empty());
        let bo = &data.contacts[1];
        assert_eq!((bo.kind, &bo.source), (ContactKind::Person, &Source::Other));
        assert!(bo.history.is_empty() && bo.tags.is_empty());
        // Written back without the unknown field and without the defaults.
        assert_eq!(
            to_json(&data),
            format!(
                r#"{{"next_id":9,"default_currency":"NOK","contacts":[{},{}],"leads":[],"opportunities":[],"accounts":[]}}"#,
                r#"{"id":1,"name":"Ada","source":"other","created_at":1700000000}"#,
                r#"{"id":2,"name":"Bo","source":"other","created_at":1}"#
            )
        );
    }

    #[test]
    fn options_read_null_as_absent() {
        let text = r#"{"id":3,"name":"Deal","contact":1,"lead":null,"account":null,"status":"proposal","terms":{"amount":null,"payment_terms":null,"expected_close":null,"probability_override":null,"next_step_date":null},"created_at":5}"#;
        let o: Opportunity = from_json(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((o.lead, o.account, o.terms.amount), (None, None, None));
        assert_eq!(o.status, OpportunityStatus::Proposal);
    }

    #[test]
    fn choices_read_in_both_forms() {
        let lead = r#"{"id":4,"contact":1,"status":{"qualified":null},"created_at":5}"#;
        let lead: Lead = from_json(lead).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lead.status, LeadStatus::Qualified);
        assert_eq!(
            from_json::<PaymentTerms>(r#"{"custom":"50 % up front"}"#),
            Ok(PaymentTerms::Custom("50 % up front".into()))
        );
        assert_eq!(
            from_json::<Source>(r#"{"referral":null}"#),
            Ok(Source::Referral)
        );
    }

    #[test]
    fn errors_name_the_record_and_the_field() {
        let e = error(&pipeline_with(r#"{"id":2,"name":"Bo"}"#));
        assert!(
            e.starts_with("missing field `created_at` at contacts[1]"),
            "{e}"
        );
        let e = error(&pipeline_with(
            r#"{"id":2,"name":"Bo","created_at":1,"source":"radio"}"#,
        ));
        assert!(
            e.starts_with("unknown variant `radio`, expected one of `website`"),
            "{e}"
        );
        assert!(e.contains("at contacts[1].source"), "{e}");
        let e = error(&pipeline_with(r#"{"id":"2","name":"Bo","created_at":1}"#));
        assert!(
            e.starts_with("invalid type: found a text, expected a number at contacts[1].id"),
            "{e}"
        );
        let e = error(&pipeline_with(
            r#"{"id":2,"name":"Bo","created_at":1,"history":[{"at":1,"event":{"won":{}}}]}"#,
        ));
        assert!(
            e.contains("missing field `from` in `won` at contacts[1].history[0].event.won"),
            "{e}"
        );
        let e = error(r#"{"contacts":[]}"#);
        assert!(
            e.starts_with("missing field `next_id` at line 1 column 1"),
            "{e}"
        );
        let text = r#"{"next_id":1,"opportunities":[{"id":1,"name":"x","contact":1,"status":{"won":{"closed_on":"9 March"}},"created_at":1}]}"#;
        let e = error(text);
        assert!(e.contains("\"9 March\" is not a date (YYYY-MM-DD)"), "{e}");
        assert!(e.contains("opportunities[0].status.won.closed_on"), "{e}");
    }

    #[test]
    fn integrity_errors_come_from_the_domain() {
        let text = r#"{"next_id":5,"leads":[{"id":1,"contact":99,"created_at":1}]}"#;
        assert!(from_json::<PipelineData>(text).is_ok());
        assert!(from_json::<Pipeline>(text).is_err());
    }
}
