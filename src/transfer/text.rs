//! What every imported file goes through first: the size limit, telling the
//! formats apart, and turning bytes into text whatever program wrote them.

use thiserror::Error;

/// CSV and vCard files larger than this are refused before they are read.
pub const MAX_CONTACT_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// Why a CSV or vCard file cannot be imported. Nothing is imported then.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[cfg_attr(test, derive(strum::EnumIter))]
pub enum FileError {
    #[error("The file is {size} and too large: Leadline imports CSV and vCard files of up to 5 MB. Split it into smaller files.")]
    TooLarge { size: String },
    #[error("The file is empty.")]
    Empty,
    #[error("No header row was found: the first row of a CSV file must name its columns (for example Name, Email).")]
    NoHeader,
    #[error("The header row names columns but no rows follow it.")]
    NoRows,
    #[error("Row {row} opens a quotation mark that is never closed, so the rest of the file cannot be read. Check that row in a spreadsheet program.")]
    UnclosedQuote { row: usize },
    #[error("Row {row} could not be read: {detail}")]
    Unreadable { row: usize, detail: String },
    #[error("Row {row} has {columns} columns; Leadline reads files of up to {max} columns. Remove the columns you do not need and try again.")]
    TooManyColumns {
        row: usize,
        columns: usize,
        max: usize,
    },
    #[error("This is not a vCard file: it has no BEGIN:VCARD line.")]
    NotVcard,
    #[error("Card {card} has no END:VCARD line: the file may be cut off.")]
    UnfinishedCard { card: usize },
    #[error("This file type is not known: choose a .json, .csv or .vcf file.")]
    UnknownKind,
}

/// "6.2 MB"
fn megabytes(bytes: u64) -> String {
    // Rounded up, so a file just over the limit never reads as the limit.
    let tenths = (bytes * 10).div_ceil(1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Refuses a file by its size, before reading it.
pub fn check_size(bytes: u64) -> Result<(), FileError> {
    if bytes > MAX_CONTACT_FILE_BYTES {
        return Err(FileError::TooLarge {
            size: megabytes(bytes),
        });
    }
    Ok(())
}

/// The formats the Import field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Json,
    Csv,
    Vcard,
}

/// Tells the format by the file's first characters, then by its name.
pub fn detect_kind(name: &str, start: &[u8]) -> Result<FileKind, FileError> {
    let start = &start[..start.len().min(512)];
    let head = decode_unicode(start)
        .map(|(text, _)| text)
        .unwrap_or_else(|| String::from_utf8_lossy(start).into_owned());
    let head = head.trim_start();
    if head.starts_with('{') {
        return Ok(FileKind::Json);
    }
    if head
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
    {
        return Ok(FileKind::Vcard);
    }
    kind_by_name(name).ok_or(FileError::UnknownKind)
}

/// The format a file's name says, if it says one.
pub fn kind_by_name(name: &str) -> Option<FileKind> {
    let lower = name.to_lowercase();
    if lower.ends_with(".json") {
        Some(FileKind::Json)
    } else if lower.ends_with(".vcf") || lower.ends_with(".vcard") {
        Some(FileKind::Vcard)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
        Some(FileKind::Csv)
    } else {
        None
    }
}

/// Bytes to text: UTF-8 with or without a byte order mark, UTF-16 with
/// or without one (Excel's "Unicode text"), Shift_JIS (Japanese address
/// books), and otherwise Windows-1252, which older Excel and Outlook
/// write. Returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(unicode) = decode_unicode(bytes) {
        return unicode;
    }
    match shift_jis(bytes) {
        Some(text) => (text, "Shift_JIS"),
        None => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            "Windows-1252",
        ),
    }
}

/// [`decode`] for text that is Unicode (UTF-8 or UTF-16), which is all a
/// JSON file or a file's first characters need: without the tables of the
/// older character sets, so the screens that only need this stay small.
pub fn decode_unicode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Some((String::from_utf8_lossy(rest).into_owned(), "UTF-8"));
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some((utf16(rest, true), "UTF-16"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some((utf16(rest, false), "UTF-16"));
    }
    if let Some(le) = utf16_without_bom(bytes) {
        return Some((utf16(bytes, le), "UTF-16"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some((text.to_owned(), "UTF-8")),
        // A cut-off last character (e.g. only the start of a file) is still UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            Some((String::from_utf8_lossy(bytes).into_owned(), "UTF-8"))
        }
        Err(_) => None,
    }
}

/// The text, if the bytes are Shift_JIS: they decode without a fault and
/// hold kana, which Japanese text nearly always has and Windows-1252 text
/// read as Shift_JIS nearly never does (its accented capitals become
/// half-width katakana, not these).
fn shift_jis(bytes: &[u8]) -> Option<String> {
    let text = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)?;
    text.chars()
        .any(|c| matches!(c, '\u{3041}'..='\u{30FA}'))
        .then(|| text.into_owned())
}

/// UTF-16 with no byte order mark, told by its zero bytes: text in Latin
/// letters has a zero in every second byte, which UTF-8 and Windows-1252
/// text never has. `Some(true)` is little-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros_at = |odd: usize| head.chunks_exact(2).filter(|c| c[odd] == 0).count();
    let (odd, even) = (zeros_at(1), zeros_at(0));
    // Most pairs have their zero on one side and hardly any on the other.
    if odd * 10 >= pairs * 6 && even * 10 <= pairs {
        Some(true)
    } else if even * 10 >= pairs * 6 && odd * 10 <= pairs {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("Åse;Bø".as_bytes()), ("Åse;Bø".into(), "UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Åse".as_bytes());
        assert_eq!(decode(&bom), ("Åse".into(), "UTF-8"));
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        // "Bjørn – €5" as Windows-1252.
        let bytes = [b'B', b'j', 0xF8, b'r', b'n', b' ', 0x96, b' ', 0x80, b'5'];
        assert_eq!(decode(&bytes), ("Bjørn – €5".into(), "Windows-1252"));
    }

    #[test]
    fn shift_jis_is_told_by_its_kana() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("名無しの権兵衛,a@b.jp");
        assert_eq!(
            decode(&bytes),
            ("名無しの権兵衛,a@b.jp".into(), "Shift_JIS")
        );
        // German in Windows-1252 stays German, though Shift_JIS could read it.
        let bytes = encoding_rs::WINDOWS_1252.encode("Müller;Öztürk;Weiß").0;
        assert_eq!(
            decode(&bytes),
            ("Müller;Öztürk;Weiß".into(), "Windows-1252")
        );
    }

    #[test]
    fn utf16_with_a_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Ås".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes), ("Ås".into(), "UTF-16"));
    }

    #[test]
    fn utf16_without_a_bom_is_told_by_its_zero_bytes() {
        let text = "Name,Email\nÅse Bø,ase@example.no\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le), (text.into(), "UTF-16"));
        assert_eq!(decode(&be), (text.into(), "UTF-16"));
        // Plain text with a stray zero byte stays what it is.
        assert_eq!(decode(b"Name,Email\0\n").1, "UTF-8");
    }

    #[test]
    fn size_limit_is_stated() {
        assert!(check_size(MAX_CONTACT_FILE_BYTES).is_ok());
        assert_eq!(
            check_size(6_500_000).unwrap_err().to_string(),
            "The file is 6.2 MB and too large: Leadline imports CSV and vCard files of up to 5 MB. Split it into smaller files."
        );
    }

    #[test]
    fn kinds_by_content_then_name() {
        assert_eq!(
            detect_kind("x.txt", b"  {\"format\"").unwrap(),
            FileKind::Json
        );
        assert_eq!(
            detect_kind("x", b"begin:vcard\r\n").unwrap(),
            FileKind::Vcard
        );
        assert_eq!(
            detect_kind("Leads.CSV", b"Name,Email").unwrap(),
            FileKind::Csv
        );
        assert_eq!(detect_kind("a.vcf", b"").unwrap(), FileKind::Vcard);
        assert_eq!(
            detect_kind("a.pdf", b"%PDF").unwrap_err(),
            FileError::UnknownKind
        );
    }
}
