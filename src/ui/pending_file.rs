//! A file chosen on one screen and read on another: Settings' Import field
//! hands a CSV or vCard file to the import screen, which loads on demand.

use std::cell::RefCell;

thread_local! {
    static PENDING: RefCell<Option<(String, Vec<u8>)>> = const { RefCell::new(None) };
}

/// Keeps a file's name and bytes for the next screen.
pub fn hand_over(name: String, bytes: Vec<u8>) {
    PENDING.with(|p| *p.borrow_mut() = Some((name, bytes)));
}

/// The file handed over, once.
pub fn take() -> Option<(String, Vec<u8>)> {
    PENDING.with(|p| p.borrow_mut().take())
}
