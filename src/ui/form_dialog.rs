//! The modal dialog the forms open (New contact, Edit contact, New
//! opportunity, Disqualify lead, Mark won, Mark lost, Erase all data).

use leptos::html;
use leptos::prelude::*;

/// A modal dialog on the page, opened and closed by the screen that has it.
#[derive(Clone, Copy)]
pub struct DialogRef(pub NodeRef<html::Dialog>);

impl DialogRef {
    pub fn new() -> DialogRef {
        DialogRef(NodeRef::new())
    }

    /// Shows it as a modal (focus moves in; Escape closes it).
    pub fn open(&self) {
        if let Some(d) = self.0.get() {
            let _ = d.show_modal();
        }
    }

    pub fn close(&self) {
        if let Some(d) = self.0.get() {
            d.close();
        }
    }

    /// Whether it is in the document yet (a screen that has just loaded may
    /// not be, and a detached dialog cannot open).
    pub fn is_shown_on_page(&self) -> bool {
        self.0.get_untracked().is_some_and(|d| d.is_connected())
    }
}

/// A form's dialog, named by its heading (`title_id`).
#[component]
pub fn FormDialog(
    dialog: DialogRef,
    title_id: &'static str,
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <dialog node_ref=dialog.0 class="form-dialog" aria-labelledby=title_id>
            <h2 id=title_id>{title}</h2>
            {children()}
        </dialog>
    }
}
