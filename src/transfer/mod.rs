//! File formats for taking data in and out.

pub mod json;
