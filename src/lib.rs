//! Leadline: a private, browser-only sales pipeline.
//!
//! `domain` holds the pipeline's rules as plain Rust, `storage` the stored
//! format and the only code that touches localStorage, `transfer` the file
//! formats, `i18n` the words
//! on the screens in each language, `nav` the screens and their URLs, and `ui` the Leptos components.

pub mod domain;
pub mod i18n;
pub mod language;
mod named;
pub mod nav;
pub mod storage;
pub mod sync;
pub mod transfer;

#[cfg(target_arch = "wasm32")]
mod timing;
#[cfg(target_arch = "wasm32")]
pub mod ui;
