//! The cards in the board's columns, kept up by hand rather than by a keyed
//! list per column: a card moved to another column is the same element,
//! moved, as a person moves a card, and only a card whose words changed is
//! drawn again. A keyed list cannot hand its elements to another list, so a
//! move used to draw the card anew in one column and remove it from the
//! other.

use std::collections::{HashMap, HashSet};

use super::board_card::{DrawnCard, SharedCard};
use crate::domain::OpportunityId;

/// The cards shown in one column's list.
struct Listed {
    ul: web_sys::Element,
    cards: Vec<DrawnCard>,
}

/// The cards of every column on the page, by the column's stage (its place
/// in `Stage::ALL`).
#[derive(Default)]
pub(super) struct CardLists {
    columns: HashMap<usize, Listed>,
}

impl CardLists {
    /// Column `column`'s list is on the page: it shows `cards`.
    pub fn attach(&mut self, column: usize, ul: web_sys::Element, cards: &[SharedCard]) {
        ul.set_text_content(None);
        self.columns.insert(
            column,
            Listed {
                ul,
                cards: Vec::new(),
            },
        );
        self.show(&[(column, cards.to_vec())]);
    }

    /// Column `column`'s list left the page (with its cards).
    pub fn detach(&mut self, column: usize) {
        self.columns.remove(&column);
    }

    /// Shows each column's new cards, in order. A card that goes from one
    /// of these columns to another is moved; one that changed only its
    /// stage keeps its element; one on no list any more is taken off.
    pub fn show(&mut self, lists: &[(usize, Vec<SharedCard>)]) {
        let mut loose: HashMap<OpportunityId, DrawnCard> = HashMap::new();
        for (column, cards) in lists {
            let Some(listed) = self.columns.get_mut(column) else {
                continue;
            };
            let staying: HashSet<OpportunityId> = cards.iter().map(|c| c.id).collect();
            for drawn in listed.cards.drain(..) {
                // Out first, so that the cards that stay are in order.
                if !staying.contains(&drawn.card.id) {
                    drawn.li.remove();
                }
                loose.insert(drawn.card.id, drawn);
            }
        }
        let wanted: HashSet<OpportunityId> = lists
            .iter()
            .flat_map(|(_, cards)| cards.iter().map(|c| c.id))
            .collect();
        let gone: Vec<OpportunityId> = loose
            .keys()
            .filter(|id| !wanted.contains(id))
            .copied()
            .collect();
        for id in gone {
            if let Some(drawn) = loose.remove(&id) {
                drawn.remove();
            }
        }
        for (column, cards) in lists {
            let Some(listed) = self.columns.get_mut(column) else {
                continue;
            };
            // Where the next card goes: before the first node not yet put.
            let mut next: Option<web_sys::Node> = listed.ul.first_child();
            for card in cards {
                let drawn = match loose.remove(&card.id) {
                    Some(drawn) if drawn.card == *card => Some(drawn),
                    Some(mut drawn) if drawn.can_restage(card) => {
                        drawn.restage(card);
                        Some(drawn)
                    }
                    Some(old) => {
                        // Drawn again in its place: the next card goes where
                        // it was.
                        let was: &web_sys::Node = &old.li;
                        if next.as_ref() == Some(was) {
                            next = was.next_sibling();
                        }
                        old.remove();
                        DrawnCard::new(card)
                    }
                    None => DrawnCard::new(card),
                };
                let Some(drawn) = drawn else {
                    continue;
                };
                let li: &web_sys::Node = &drawn.li;
                if next.as_ref() == Some(li) {
                    next = li.next_sibling();
                } else {
                    let _ = listed.ul.insert_before(li, next.as_ref());
                }
                listed.cards.push(drawn);
            }
        }
        // Cards of a column whose list is not on the page.
        for drawn in loose.into_values() {
            drawn.remove();
        }
    }
}
