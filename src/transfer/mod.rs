//! File formats for taking data in and out.

pub mod csv_export;
pub mod csv_import;
pub mod ics;
pub mod json;
pub mod text;
pub mod vcard;
