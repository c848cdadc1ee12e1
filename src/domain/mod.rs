//! The pipeline as plain Rust types and pure functions. No browser imports.
