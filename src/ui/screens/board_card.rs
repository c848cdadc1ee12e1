//! A card of the pipeline board: what it shows, kept between redraws, and
//! how it is drawn.
//!
//! A card is drawn when it comes into view or its words change (a page of
//! "Show 30 more" draws thirty). So its elements are not made one by one:
//! the parts of a card are made once per language and copied, then its
//! words are filled in.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Money, Opportunity, OpportunityId, Stage};
use crate::i18n::{self, fill, labels, t, Language, Text};
use crate::nav::{Route, Section};

/// A card, as plain text. A card is made again only when what it shows
/// changed (see [`CardCache::card`]), so a redraw draws only those.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Card {
    pub id: OpportunityId,
    /// Told apart from every other card made: two versions of a card differ
    /// here first, before any of their words are compared.
    serial: u64,
    name: String,
    stage: Stage,
    amount: String,
    expected_close: Option<String>,
    next_step: Option<String>,
    overdue: bool,
    quiet: Option<i64>,
}

/// A card shared between redraws: an unchanged card is the same allocation
/// from one redraw to the next, so comparing and copying columns costs next
/// to nothing.
pub(super) type SharedCard = Arc<Card>;

/// What a card is drawn from, as it was: compared with the deal, it tells
/// whether the card must be formatted again.
struct Drawn {
    name: String,
    stage: Stage,
    amount: Option<Money>,
    expected_close: Option<NaiveDate>,
    next_step: String,
    next_step_date: Option<NaiveDate>,
    updated_at: DateTime<Utc>,
    card: SharedCard,
}

impl Drawn {
    fn shows(&self, o: &Opportunity) -> bool {
        let terms = &o.terms;
        self.stage == o.stage()
            && self.updated_at == o.updated_at()
            && self.amount == terms.amount
            && self.expected_close == terms.expected_close
            && self.next_step_date == terms.next_step_date
            && self.name == o.name
            && self.next_step == terms.next_step
    }
}

/// Cards as last drawn, by deal: a card is formatted again only when what
/// it shows of its deal changed (or the day or the language did), so a
/// move formats one card, not the board.
#[derive(Default)]
pub(super) struct CardCache {
    day: Option<(NaiveDate, Language)>,
    cards: HashMap<OpportunityId, Drawn>,
    serials: u64,
}

impl CardCache {
    pub fn card(&mut self, o: &Opportunity, today: NaiveDate, now: DateTime<Utc>) -> SharedCard {
        if let Some(drawn) = self.cards.get(&o.id).filter(|d| d.shows(o)) {
            return drawn.card.clone();
        }
        self.serials += 1;
        let card = Arc::new(Card::of(o, self.serials, today, now));
        let terms = &o.terms;
        self.cards.insert(
            o.id,
            Drawn {
                name: o.name.clone(),
                stage: o.stage(),
                amount: terms.amount,
                expected_close: terms.expected_close,
                next_step: terms.next_step.clone(),
                next_step_date: terms.next_step_date,
                updated_at: o.updated_at(),
                card: card.clone(),
            },
        );
        card
    }

    /// Forgets every card when the day or the language changed; says
    /// whether the cards drawn before still stand.
    pub fn start(&mut self, today: NaiveDate) -> bool {
        let key = (today, i18n::language());
        if self.day == Some(key) {
            return true;
        }
        self.cards.clear();
        self.day = Some(key);
        false
    }
}

impl Card {
    fn of(o: &Opportunity, serial: u64, today: NaiveDate, now: DateTime<Utc>) -> Card {
        let terms = &o.terms;
        let next_step = i18n::next_step(&terms.next_step, terms.next_step_date);
        Card {
            id: o.id,
            serial,
            name: o.name.clone(),
            stage: o.stage(),
            amount: terms
                .amount
                .map(i18n::money)
                .unwrap_or_else(|| t(Text::NoAmount).to_owned()),
            expected_close: terms.expected_close.map(i18n::date),
            next_step: (!next_step.is_empty()).then_some(next_step),
            overdue: o.next_step_overdue(today),
            quiet: o.quiet_days(now),
        }
    }

    /// Whether `other` shows the same but for the chosen stage (a card moved
    /// between open stages): then its element can be moved, not drawn again.
    /// Every field is named, so a field added to a card is compared too.
    fn same_but_stage(&self, other: &Card) -> bool {
        let Card {
            id,
            serial: _,
            name,
            stage,
            amount,
            expected_close,
            next_step,
            overdue,
            quiet,
        } = self;
        *id == other.id
            && stage.is_open() == other.stage.is_open()
            && *name == other.name
            && *amount == other.amount
            && *expected_close == other.expected_close
            && *next_step == other.next_step
            && *overdue == other.overdue
            && *quiet == other.quiet
    }
}

/// A card on the page: its element, and its stage select if it has one. The
/// board listens for the cards' events, so a card is only its elements.
pub(super) struct DrawnCard {
    pub card: SharedCard,
    pub li: web_sys::Element,
    select: Option<web_sys::HtmlSelectElement>,
    /// The language of its words (the stage select's options and label).
    language: Language,
}

impl DrawnCard {
    /// Draws `card`.
    pub fn new(card: &SharedCard) -> Option<DrawnCard> {
        let li = element("li", "board-card")?;
        if card.stage.is_open() {
            li.class_list().add_1("movable").ok()?;
        }
        li.set_attribute("data-card", &card.id.0.to_string()).ok()?;
        // What a card shows is inside one element that is skipped while out
        // of view (`content-visibility`, see the stylesheet), not the card
        // itself: taking out an element with that containment makes the
        // browser go over the whole page's counters, on every move.
        let body = element("div", "board-card-body")?;
        li.append_child(&body).ok()?;
        let language = i18n::language();
        let select = BLANKS.with_borrow_mut(|blanks| {
            if blanks.as_ref().map(|b| b.language) != Some(language) {
                *blanks = Blanks::make(language);
            }
            blanks.as_ref().and_then(|b| fill_card(&body, card, b))
        });
        Some(DrawnCard {
            card: card.clone(),
            li,
            select,
            language,
        })
    }

    /// Whether this element can show `card` by choosing another stage: the
    /// card differs only in its stage, in the language on screen.
    pub fn can_restage(&self, card: &Card) -> bool {
        self.language == i18n::language() && self.card.same_but_stage(card)
    }

    /// Shows `card`, which differs from the card drawn only in its stage.
    pub fn restage(&mut self, card: &SharedCard) {
        if let Some(select) = &self.select {
            select.set_value(card.stage.name());
        }
        self.card = card.clone();
    }

    /// Takes the card off the page.
    pub fn remove(self) {
        self.li.remove();
    }
}

/// The parts of a card made once per language, to be copied.
struct Blanks {
    language: Language,
    /// The name and amount.
    head: web_sys::DocumentFragment,
    /// An open deal's stage select (with every stage as an option) and drag
    /// grip.
    mover: web_sys::Element,
    /// A line under the amount (close date, next step).
    line: web_sys::Element,
    /// The line of marks, and each mark.
    flags: web_sys::Element,
    overdue: web_sys::Element,
    quiet: web_sys::Element,
}

thread_local! {
    static BLANKS: RefCell<Option<Blanks>> = const { RefCell::new(None) };
}

/// An element of `tag` with `class`.
fn element(tag: &str, class: &str) -> Option<web_sys::Element> {
    let el = document().create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    Some(el)
}

/// An element with its words.
fn worded(tag: &str, class: &str, words: &str) -> Option<web_sys::Element> {
    let el = element(tag, class)?;
    el.set_text_content(Some(words));
    Some(el)
}

impl Blanks {
    fn make(language: Language) -> Option<Blanks> {
        let head = document().create_document_fragment();
        let name = element("a", "board-card-name")?;
        name.set_attribute("draggable", "false").ok()?;
        head.append_child(&name).ok()?;
        let amount = element("p", "board-card-amount")?;
        head.append_child(&amount).ok()?;
        let mover = element("div", "board-move")?;
        let label = element("label", "visually-hidden")?;
        mover.append_child(&label).ok()?;
        let select = element("select", "")?;
        for s in Stage::ALL {
            let option =
                web_sys::HtmlOptionElement::new_with_text_and_value(labels::stage(s), s.name())
                    .ok()?;
            select.append_child(&option).ok()?;
        }
        mover.append_child(&select).ok()?;
        let grip = worded("span", "board-grip", "⠿")?;
        grip.set_attribute("aria-hidden", "true").ok()?;
        grip.set_attribute("title", t(Text::Drag)).ok()?;
        mover.append_child(&grip).ok()?;
        Some(Blanks {
            language,
            head,
            mover,
            line: element("p", "board-card-line")?,
            flags: element("p", "board-flags")?,
            overdue: worded("span", "flag flag-overdue", t(Text::NextStepOverdue))?,
            quiet: element("span", "flag flag-quiet")?,
        })
    }
}

/// A copy of `node` with everything in it.
fn copy<T: JsCast>(node: &web_sys::Node) -> Option<T> {
    node.clone_node_with_deep(true).ok()?.dyn_into().ok()
}

/// Fills a card's `body` from copies of the blanks; gives back its stage
/// select, if the deal is open.
fn fill_card(
    body: &web_sys::Element,
    c: &Card,
    blanks: &Blanks,
) -> Option<web_sys::HtmlSelectElement> {
    let parts: web_sys::DocumentFragment = copy(&blanks.head)?;
    let name = parts.first_element_child()?;
    name.set_attribute(
        "href",
        &Route::Record(Section::Opportunities, c.id.0).to_hash(),
    )
    .ok()?;
    name.set_text_content(Some(&c.name));
    let amount = name.next_element_sibling()?;
    amount.set_text_content(Some(&c.amount));
    let line = |words: String| -> Option<()> {
        let el: web_sys::Element = copy(&blanks.line)?;
        el.set_text_content(Some(&words));
        parts.append_child(&el).ok().map(|_| ())
    };
    if let Some(d) = &c.expected_close {
        line(fill(Text::Closes, &[d.as_str()]))?;
    }
    if let Some(s) = &c.next_step {
        line(fill(Text::NextColon, &[s.as_str()]))?;
    }
    if c.overdue || c.quiet.is_some() {
        let flags: web_sys::Element = copy(&blanks.flags)?;
        if c.overdue {
            flags
                .append_child(&copy::<web_sys::Node>(&blanks.overdue)?)
                .ok()?;
        }
        if let Some(days) = c.quiet {
            let quiet: web_sys::Element = copy(&blanks.quiet)?;
            quiet.set_text_content(Some(&fill(Text::NoActivityFor, &[&days.to_string()])));
            flags.append_child(&quiet).ok()?;
        }
        parts.append_child(&flags).ok()?;
    }
    body.append_child(&parts).ok()?;
    if !c.stage.is_open() {
        return None;
    }
    let mover: web_sys::Element = copy(&blanks.mover)?;
    let select_id = format!("board-stage-{}", c.id.0);
    let label = mover.first_element_child()?;
    label.set_attribute("for", &select_id).ok()?;
    label.set_text_content(Some(&fill(Text::StageOf, &[&c.name])));
    let select: web_sys::HtmlSelectElement = label.next_element_sibling()?.dyn_into().ok()?;
    select.set_id(&select_id);
    select.set_value(c.stage.name());
    body.append_child(&mover).ok()?;
    Some(select)
}
