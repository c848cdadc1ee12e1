//! File formats for taking data in and out.

pub mod checked;
pub mod content_line;
pub mod csv_export;
pub mod csv_import;
pub mod headers;
pub mod ics;
pub mod json;
pub mod text;
pub mod vcard;
pub mod vcard_export;
