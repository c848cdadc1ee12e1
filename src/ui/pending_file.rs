//! A file chosen on one screen and read on another: Settings' Import field
//! hands a CSV or vCard file to the import screen, which loads on demand and
//! does all the reading, so that code stays out of the first load.

use std::cell::RefCell;

thread_local! {
    static PENDING: RefCell<Option<web_sys::File>> = const { RefCell::new(None) };
}

/// Keeps a chosen file for the next screen.
pub fn hand_over(file: web_sys::File) {
    PENDING.with(|p| *p.borrow_mut() = Some(file));
}

/// The file handed over, once.
pub fn take() -> Option<web_sys::File> {
    PENDING.with(|p| p.borrow_mut().take())
}
