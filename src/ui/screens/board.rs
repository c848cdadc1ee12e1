//! The pipeline board: one column per stage. Cards move between columns by
//! dragging (mouse, pen or touch, with Pointer Events), with a stage select
//! per card, or with the Left and Right arrow keys on a focused card.
//! Moving to Won or Lost asks first, as the opportunity page does.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::ev::PointerEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board_card::{CardCache, SharedCard};
use super::board_list::CardLists;
use crate::domain::{BoardColumn, LiveBoard, OpportunityId, Pipeline, Stage};
use crate::i18n::{self, count, fill, labels, t, Text};
use crate::ui::close_deal::{LostDialog, MarkLostDialog, MarkWonDialog, WonDialog};
use crate::ui::errors;
use crate::ui::state::{local_day, now, AppState};

/// Cards a column shows before "Show N more" (and how many more each press).
const CARDS_SHOWN: usize = 30;

/// Pixels a pointer moves before a press becomes a drag (a shorter move is
/// a click).
const DRAG_THRESHOLD: i32 = 5;

fn stage_index(stage: Stage) -> usize {
    Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0)
}

/// A column, as plain text.
#[derive(Clone, PartialEq)]
struct Column {
    stage: Stage,
    count: usize,
    /// (total, weighted) per currency.
    totals: Vec<(String, String)>,
    cards: Vec<SharedCard>,
    hidden: usize,
}

impl Column {
    fn of(
        p: &Pipeline,
        c: &BoardColumn,
        limit: usize,
        cache: &mut CardCache,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Column {
        let cards = c
            .cards
            .iter()
            .take(limit)
            .filter_map(|id| p.opportunity(*id))
            .map(|o| cache.card(o, today, now))
            .collect();
        Column {
            stage: c.stage,
            count: c.cards.len(),
            totals: c
                .totals
                .iter()
                .map(|t| (i18n::sum(t.total), i18n::sum(t.weighted)))
                .collect(),
            cards,
            hidden: c.cards.len().saturating_sub(limit),
        }
    }
}

/// A press on a card that may become a drag.
struct Drag {
    id: OpportunityId,
    name: String,
    from: Stage,
    pointer: i32,
    x0: i32,
    y0: i32,
    moved: bool,
    card: web_sys::HtmlElement,
}

/// The column under the point, not counting the card being dragged.
fn column_at(x: i32, y: i32, dragged: &web_sys::Element) -> Option<Stage> {
    let hits = document().elements_from_point(x as f32, y as f32);
    for hit in hits.iter() {
        let Ok(el) = hit.dyn_into::<web_sys::Element>() else {
            continue;
        };
        if dragged.contains(Some(&el)) {
            continue;
        }
        if let Some(column) = el.closest(".board-column").ok().flatten() {
            let i: usize = column.get_attribute("data-stage")?.parse().ok()?;
            return Stage::ALL.get(i).copied();
        }
    }
    None
}

/// Puts a dragged card back in its place.
fn settle(card: &web_sys::HtmlElement) {
    let _ = card.style().remove_property("transform");
    let _ = card.class_list().remove_1("dragging");
}

/// Takes the focus off card `id` before it moves: removing the element
/// that holds the focus makes the browser lay out the page at once, in the
/// middle of the redraw. The focus returns to the card in its new column
/// ([`focus_card`]).
/// Says whether the card had the focus.
fn leave_card(id: OpportunityId) -> bool {
    let Some(active) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let inside = active
        .closest(&format!("[data-card='{}']", id.0))
        .ok()
        .flatten()
        .is_some();
    if inside {
        let _ = active.blur();
    }
    inside
}

/// Focuses the name of card `id` once the board shows it in the column of
/// `stage` (wherever it is when `None`): right after the redraw the change
/// set off, so that a key pressed at once lands on the card, or else in the
/// next frame.
fn focus_card(id: OpportunityId, stage: Option<Stage>) {
    let selector = match stage {
        Some(stage) => format!(
            ".board-column[data-stage='{}'] [data-card='{}'] a",
            stage_index(stage),
            id.0
        ),
        None => format!("[data-card='{}'] a", id.0),
    };
    let focus = move || {
        document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|el| el.focus())
            .is_some()
    };
    queue_microtask(move || {
        if !focus() {
            request_animation_frame(move || {
                focus();
            });
        }
    });
}

/// A column's list of cards, as the board keeps it.
#[derive(Clone, Copy)]
struct CardList {
    lists: StoredValue<CardLists, LocalStorage>,
    column: RwSignal<Option<Column>>,
    index: usize,
}

/// Hands a column's list, once on the page, to the board's [`CardLists`]
/// (a directive): it is filled with the column's cards, and let go with it.
fn card_list(ul: web_sys::Element, list: CardList) {
    let CardList {
        lists,
        column,
        index,
    } = list;
    let cards = column.with_untracked(|c| c.as_ref().map(|c| c.cards.clone()).unwrap_or_default());
    lists.update_value(|lists| lists.attach(index, ul, &cards));
    on_cleanup(move || {
        lists.try_update_value(|lists| lists.detach(index));
    });
}

#[component]
pub fn Board(
    /// The deals to show (the search's matches).
    ids: Memo<Vec<OpportunityId>>,
    /// The columns to show (every stage when empty).
    stages: Memo<Vec<Stage>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let limits = RwSignal::new([CARDS_SHOWN; Stage::ALL.len()]);
    let announce = RwSignal::new(String::new());
    let drop_target = RwSignal::new(None::<Stage>);
    let drag = StoredValue::new_local(None::<Drag>);
    let suppress_click = StoredValue::new(false);
    // The deal a Won or Lost dialog is about.
    let pending = RwSignal::new(None::<(OpportunityId, String)>);

    let won = WonDialog::new();
    let confirm_won = Callback::new(move |()| {
        let Some((id, name)) = pending.get_untracked() else {
            return;
        };
        match state.run(|p, now| p.mark_won(id, local_day(now), now)) {
            Ok(account) => {
                won.close();
                let customer = state
                    .with_untracked(|p| p.account(account).map(|a| a.name.clone()))
                    .unwrap_or_default();
                announce.set(fill(Text::MarkedNamedWon, &[&name, &customer]));
                focus_card(id, Some(Stage::Won));
            }
            Err(e) => won.refused(&e),
        }
    });

    let lost = LostDialog::new();
    let confirm_lost = Callback::new(move |()| {
        let Some((id, name)) = pending.get_untracked() else {
            return;
        };
        let Some((reason, note)) = lost.answer() else {
            return;
        };
        match state.run(|p, now| p.mark_lost(id, reason, &note, local_day(now), now)) {
            Ok(()) => {
                lost.close();
                announce.set(fill(
                    Text::MarkedNamedLost,
                    &[&name, labels::lost_reason(reason)],
                ));
                focus_card(id, Some(Stage::Lost));
            }
            Err(e) => lost.refused(e),
        }
    });

    // A dialog closed: the stage select of its deal shows the stage the deal
    // is in (cancelling leaves the card where it was).
    let restore_select = Callback::new(move |()| {
        let Some((id, _)) = pending.get_untracked() else {
            return;
        };
        let Some(stage) = state.with_untracked(|p| p.opportunity(id).map(|o| o.stage())) else {
            return;
        };
        if let Some(select) = document()
            .get_element_by_id(&format!("board-stage-{}", id.0))
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value(stage.name());
        }
    });
    let deal_name = Signal::derive(move || pending.with(|p| p.as_ref().map(|(_, n)| n.clone())));

    // Every way of moving a card ends here.
    let move_card = move |id: OpportunityId, name: String, to: Stage| match to {
        Stage::Won => {
            pending.set(Some((id, name)));
            won.open();
        }
        Stage::Lost => {
            pending.set(Some((id, name)));
            lost.open();
        }
        _ => {
            let had_focus = leave_card(id);
            let moved = match state.run(|p, now| p.move_stage(id, to, now)) {
                Ok(moved) => moved,
                Err(e) => {
                    announce.set(errors::domain(&e));
                    false
                }
            };
            if moved {
                announce.set(fill(Text::MovedNamedTo, &[&name, labels::stage(to)]));
            }
            // The focus follows the card only if it was in it (a key or the
            // stage select): focusing lays out the page, which a drag with
            // the mouse need not wait for.
            if had_focus {
                focus_card(id, moved.then_some(to));
            }
        }
    };

    let end_drag = move |ev: &PointerEvent, drop: bool| {
        let Some(d) = drag.try_update_value(|d| d.take()).flatten() else {
            return;
        };
        if d.pointer != ev.pointer_id() {
            drag.set_value(Some(d));
            return;
        }
        settle(&d.card);
        let _ = d.card.release_pointer_capture(d.pointer);
        drop_target.set(None);
        if !d.moved {
            return;
        }
        suppress_click.set_value(true);
        if drop {
            if let Some(to) = column_at(ev.client_x(), ev.client_y(), &d.card) {
                if to != d.from {
                    move_card(d.id, d.name, to);
                }
            }
        }
    };

    // The card under an event, with what its handlers need: the cards carry
    // no handlers of their own (the board listens for them all), so drawing
    // or dropping a card costs only its elements.
    let card_of =
        move |ev: &web_sys::Event| -> Option<(web_sys::HtmlElement, OpportunityId, String, Stage)> {
            let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
            let card = target
                .closest(".board-card")
                .ok()
                .flatten()?
                .dyn_into::<web_sys::HtmlElement>()
                .ok()?;
            let id = OpportunityId(card.get_attribute("data-card")?.parse().ok()?);
            let (name, stage) =
                state.with_untracked(|p| p.opportunity(id).map(|o| (o.name.clone(), o.stage())))?;
            Some((card, id, name, stage))
        };
    let on_down = move |ev: PointerEvent| {
        suppress_click.set_value(false);
        if ev.button() != 0 || !ev.is_primary() {
            return;
        }
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if target
            .closest("select, button, label")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
        // On touch, only the grip drags: elsewhere a swipe scrolls.
        if ev.pointer_type() == "touch" && target.closest(".board-grip").ok().flatten().is_none() {
            return;
        }
        let Some((card, id, name, stage)) = card_of(&ev) else {
            return;
        };
        if !stage.is_open() {
            return;
        }
        // The pointer is captured only once the press becomes a drag: a
        // captured press sends its click to the card, not to its link.
        drag.set_value(Some(Drag {
            id,
            name,
            from: stage,
            pointer: ev.pointer_id(),
            x0: ev.client_x(),
            y0: ev.client_y(),
            moved: false,
            card,
        }));
    };
    let on_move = move |ev: PointerEvent| {
        let over = drag
            .try_update_value(|d| {
                let d = d.as_mut().filter(|d| d.pointer == ev.pointer_id())?;
                let (dx, dy) = (ev.client_x() - d.x0, ev.client_y() - d.y0);
                if !d.moved && dx * dx + dy * dy < DRAG_THRESHOLD * DRAG_THRESHOLD {
                    return None;
                }
                if !d.moved {
                    let _ = d.card.set_pointer_capture(d.pointer);
                }
                d.moved = true;
                let _ = d
                    .card
                    .style()
                    .set_property("transform", &format!("translate({dx}px, {dy}px)"));
                let _ = d.card.class_list().add_1("dragging");
                Some(column_at(ev.client_x(), ev.client_y(), &d.card))
            })
            .flatten();
        if let Some(over) = over {
            if drop_target.get_untracked() != over {
                drop_target.set(over);
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
            return;
        }
        let in_select = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.tag_name() == "SELECT");
        let forward = match ev.key().as_str() {
            "ArrowRight" => true,
            "ArrowLeft" => false,
            _ => return,
        };
        if in_select {
            return;
        }
        let Some((_, id, name, stage)) = card_of(&ev) else {
            return;
        };
        if !stage.is_open() {
            return;
        }
        ev.prevent_default();
        match stage.neighbour(forward) {
            Some(to) => move_card(id, name, to),
            None => announce.set(fill(Text::AlreadyFirstColumn, &[&name])),
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let label = event_target_value(&ev);
        if let (Some(to), Some((_, id, name, _))) = (Stage::from_name(&label), card_of(&ev)) {
            move_card(id, name, to);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if suppress_click.get_value() {
            suppress_click.set_value(false);
            ev.prevent_default();
        }
    };

    // The board as plain data, a signal per column, set only when its column
    // changed: a move wakes the two columns it touched, and the others are
    // not even looked at. The board is kept from one change to the next: a
    // change the pipeline can name (a moved or edited deal) updates only
    // that deal's columns.
    let column_data: [RwSignal<Option<Column>>; Stage::ALL.len()] =
        std::array::from_fn(|_| RwSignal::new(None));
    let shown = RwSignal::new(Vec::<Stage>::new());
    let cache = StoredValue::new_local(CardCache::default());
    let lists = StoredValue::new_local(CardLists::default());
    let live = StoredValue::new_local(None::<LiveBoard>);
    // The limits the columns were last drawn with.
    let drawn_limits = StoredValue::new(None::<[usize; Stage::ALL.len()]>);
    let draw = RenderEffect::new(move |_| {
        let mut shown_limits = limits.get();
        let now = now();
        let today = local_day(now);
        let same_limits = drawn_limits.get_value() == Some(shown_limits);
        stages.with(|st| {
            ids.with(|ids| {
                state.with(|p| {
                    live.update_value(|live| match live {
                        Some(board) => {
                            board.keep_up(p, ids, st);
                        }
                        None => *live = Some(LiveBoard::new(p, ids, st)),
                    });
                    live.with_value(|live| {
                        let Some(board) = live else {
                            return;
                        };
                        // A card moved between columns leaves the other
                        // shown cards where they are (those columns are
                        // among the changed ones).
                        let mut by_column: Vec<usize> = board
                            .columns()
                            .iter()
                            .map(|c| shown_limits[stage_index(c.stage)])
                            .collect();
                        board.keep_shown(&mut by_column);
                        for (c, limit) in board.columns().iter().zip(by_column) {
                            shown_limits[stage_index(c.stage)] = limit;
                        }
                        if limits.with_untracked(|l| *l != shown_limits) {
                            // Not a change to follow: this is that change.
                            limits.update_untracked(|l| *l = shown_limits);
                        }
                        drawn_limits.set_value(Some(shown_limits));
                        let mut new_cards = Vec::new();
                        cache.update_value(|cache| {
                            let same_day = cache.start(today);
                            // Columns the change left alone stay as drawn.
                            let changed =
                                board.changed_columns().filter(|_| same_day && same_limits);
                            for (i, c) in board.columns().iter().enumerate() {
                                if changed.is_some_and(|changed| !changed.contains(&i)) {
                                    continue;
                                }
                                let Some(slot) = column_data.get(stage_index(c.stage)) else {
                                    continue;
                                };
                                let limit = shown_limits[stage_index(c.stage)];
                                let column = Column::of(p, c, limit, cache, today, now);
                                let (same, same_cards) = slot.with_untracked(|old| {
                                    let old = old.as_ref();
                                    (
                                        old == Some(&column),
                                        old.is_some_and(|o| o.cards == column.cards),
                                    )
                                });
                                if !same_cards {
                                    new_cards.push((stage_index(c.stage), column.cards.clone()));
                                }
                                if !same {
                                    slot.set(Some(column));
                                }
                            }
                        });
                        if !new_cards.is_empty() {
                            lists.update_value(|lists| lists.show(&new_cards));
                        }
                        let stages: Vec<Stage> = board.columns().iter().map(|c| c.stage).collect();
                        if shown.with_untracked(|s| *s != stages) {
                            shown.set(stages);
                        }
                    })
                })
            })
        })
    });
    // Kept for the board's life (an effect stops when dropped).
    StoredValue::new_local(draw);

    let column_view = move |stage: Stage| {
        let column = column_data[stage_index(stage)];
        // Each part of a column reads its own memo, so a moved card changes
        // text in place and nothing is drawn again that stayed the same.
        let part =
            move |f: fn(&Column) -> _| Memo::new(move |_| column.with(|c| c.as_ref().map(f)));
        let count_text = part(|c| count(c.count, Text::OneDeal, Text::NDeals));
        let totals = Memo::new(move |_| {
            column.with(|c| c.as_ref().map(|c| c.totals.clone()).unwrap_or_default())
        });
        let more = Memo::new(move |_| {
            column.with(|c| c.as_ref().map_or(0, |c| c.hidden.min(CARDS_SHOWN)))
        });
        let index = stage_index(stage);
        let title_id = format!("board-column-{index}");
        let (region_label, heading_id) = (title_id.clone(), title_id.clone());
        let label = labels::stage(stage);
        // One line per currency, whose text changes in place when a card
        // comes or goes.
        let money_list = move |weighted: bool| {
            let line = move |i: usize| {
                totals.with(|t| {
                    t.get(i)
                        .map(|(total, w)| if weighted { w.clone() } else { total.clone() })
                        .unwrap_or_default()
                })
            };
            view! {
                <ul class="money-list">
                    <For
                        each=move || 0..totals.with(Vec::len)
                        key=|i: &usize| *i
                        children=move |i| view! { <li>{move || line(i)}</li> }
                    />
                </ul>
            }
        };
        let more_button = move || {
            let shown = more.get();
            (shown > 0).then(|| {
                view! {
                    <button
                        type="button"
                        class="quiet"
                        on:click=move |_| {
                            limits.update(|l| {
                                if let Some(limit) = l.get_mut(index) {
                                    *limit += CARDS_SHOWN;
                                }
                            })
                        }
                    >
                        {fill(Text::ShowNMore, &[&shown.to_string()])}
                        <span class="visually-hidden">{fill(Text::InColumn, &[label])}</span>
                    </button>
                }
            })
        };
        view! {
            <section
                class="board-column"
                class:drop-target=move || drop_target.get() == Some(stage)
                data-stage=index.to_string()
                aria-labelledby=region_label
            >
                <div class="board-column-head">
                    <h2 id=heading_id>{label}</h2>
                    <p class="board-count">{move || count_text.get()}</p>
                    <dl class="board-sums" hidden=move || totals.with(Vec::is_empty)>
                        <dt>{t(Text::Total)}</dt>
                        <dd>{money_list(false)}</dd>
                        <dt>{t(Text::Weighted)}</dt>
                        <dd>{money_list(true)}</dd>
                    </dl>
                </div>
                <ul
                    class="board-cards"
                    aria-labelledby=title_id
                    use:card_list=CardList { lists, column, index }
                ></ul>
                {more_button}
            </section>
        }
    };

    let columns = move || {
        view! {
            <For
                each=move || shown.get()
                key=|s: &Stage| *s
                children=column_view
            />
        }
    };

    view! {
        <p class="hint board-hint" id="board-hint">
            {t(Text::BoardHint)}
        </p>
        <div
            class="board"
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=move |ev| end_drag(&ev, true)
            on:pointercancel=move |ev| end_drag(&ev, false)
            on:keydown=on_key
            on:change=on_change
            on:click=on_click
            on:dragstart=|ev| ev.prevent_default()
        >
            {columns}
        </div>
        <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
        <MarkWonDialog dialog=won on_confirm=confirm_won subject=deal_name on_close=restore_select/>
        <MarkLostDialog dialog=lost on_confirm=confirm_lost subject=deal_name on_close=restore_select/>
    }
}
