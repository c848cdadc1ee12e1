//! The compact forms of an envelope's `data`: compressed, then packed into
//! JSON-safe text.
//!
//! localStorage counts UTF-16 code units, so the 10,000-contact pipeline
//! (about 10 million units of JSON) would not fit in Chromium's 5,242,880.
//! Compressed and packed it takes about 1.15 million (22 % of that).
//!
//! # Two forms
//!
//! The data's JSON (UTF-8) is compressed with LZ4 (`lz4_flex`, pure Rust,
//! about 4 KB gzip of wasm) into the **payload**, which is written as text.
//!
//! `"lz4-parts-u15"` ([`PARTS_ENCODING`], written from schema 3 on): each
//! top-level field of the data is a **part** of its own, its JSON cut into
//! LZ4 blocks of at most [`BLOCK_BYTES`]. A reader finds the record lists
//! without reading through the whole JSON first, and reads each in a step
//! of its own. Each block is decompressed by a call of its own: the
//! browser's optimising compiler takes over a function after it has run a
//! while, but only from its next call on, never inside a running one.
//!
//! | bytes | what |
//! | --- | --- |
//! | 4 | number of parts, u32 little-endian |
//! | then per part: | |
//! | 4 | length of its name |
//! | n | its name, UTF-8 (empty: the part is the whole data, and the only part) |
//! | 4 | length of its JSON |
//! | then per block (`ceil(length / BLOCK_BYTES)` of them): | |
//! | 4 | length of the LZ4 block |
//! | 4 | Adler-32 of the LZ4 block |
//! | k | the LZ4 block; every block but the last decompresses to [`BLOCK_BYTES`] |
//!
//! `"lz4-u15"` ([`ENCODING`], schemas 1 and 2, still read): the whole JSON as
//! one LZ4 block.
//!
//! | bytes | what |
//! | --- | --- |
//! | 0..4 | length of the JSON, u32 little-endian (at most [`MAX_JSON_BYTES`]) |
//! | 4..8 | Adler-32 of the LZ4 block, u32 little-endian |
//! | 8.. | the LZ4 block |
//!
//! Either payload is then written as text, 15 bits per UTF-16 code unit, each
//! unit being `U+0800 + value` (so U+0800..=U+87FF: never a quote, backslash,
//! control character or surrogate, hence never escaped by JSON and always
//! one UTF-16 unit):
//!
//! - units 0 and 1: the payload's length in bytes (high 15 bits, low 15 bits);
//! - then the payload's bits, most significant first, 15 per unit; the last
//!   unit is padded with zero bits. The unit count must be exactly
//!   `2 + ceil(8 * length / 15)`.
//!
//! Every check failing (a unit out of range, a wrong count, non-zero padding,
//! a wrong checksum, a claimed size over the limit, an LZ4 error, a JSON
//! length that differs, bytes left over) is a [`Damaged`] error, never a
//! panic.

use std::fmt;

/// The `encoding` name of the single-block form (schemas 1 and 2).
pub const ENCODING: &str = "lz4-u15";
/// The `encoding` name of the form in parts (schema 3 on).
pub const PARTS_ENCODING: &str = "lz4-parts-u15";
/// The most JSON one block of a part holds. LZ4 looks back 64 KiB at most,
/// so each block only loses its first stretch of history: the 10,000-contact
/// pipeline takes 0.6 % more room than in one block (2.4 % with blocks of
/// 128 KiB).
pub const BLOCK_BYTES: usize = 512 * 1024;

/// The largest JSON size a payload may claim: a bound on what decoding
/// allocates, far above any pipeline that fits in localStorage.
pub const MAX_JSON_BYTES: usize = 64 * 1024 * 1024;

/// The first code unit of the alphabet.
const BASE: u32 = 0x0800;
/// Bits carried by one code unit.
const BITS: u32 = 15;
const MASK: u32 = (1 << BITS) - 1;
/// Units holding the payload's length.
const LEN_UNITS: usize = 2;

/// Why packed data could not be read, in words for the detail of a
/// `LoadProblem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged(pub String);

impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn damaged(detail: impl Into<String>) -> Damaged {
    Damaged(detail.into())
}

/// Compresses `json` as one block and packs it as text (`"lz4-u15"`, as
/// schemas 1 and 2 stored it; the app now writes [`compress_parts`]).
/// `None` if it is larger than [`MAX_JSON_BYTES`] (such data could never be
/// read back).
pub fn compress(json: &[u8]) -> Option<String> {
    if json.len() > MAX_JSON_BYTES {
        return None;
    }
    let block = lz4_flex::block::compress(json);
    let mut payload = Vec::with_capacity(8 + block.len());
    push_block(&mut payload, json.len(), &block)?;
    pack(&payload)
}

/// Unpacks and decompresses text written by [`compress`] back to the JSON.
pub fn decompress(text: &str) -> Result<Vec<u8>, Damaged> {
    let payload = unpack(text)?;
    let mut rest = Cursor(&payload);
    let size = rest.word()?;
    if size > MAX_JSON_BYTES {
        return Err(damaged(format!(
            "the packed data claims {size} bytes, more than the {MAX_JSON_BYTES} allowed"
        )));
    }
    let checksum = rest.word()?;
    let mut json = vec![0_u8; size];
    decompress_block(rest.0, checksum, &mut json)?;
    Ok(json)
}

/// Decompresses one LZ4 block, which must pass its checksum and fill `out`
/// exactly.
fn decompress_block(block: &[u8], checksum: usize, out: &mut [u8]) -> Result<(), Damaged> {
    if usize::try_from(adler32(block)).ok() != Some(checksum) {
        return Err(damaged("the packed data fails its checksum"));
    }
    let written = lz4_flex::block::decompress_into(block, out)
        .map_err(|e| damaged(format!("the packed data does not decompress ({e})")))?;
    if written != out.len() {
        return Err(damaged(format!(
            "the packed data decompresses to {written} bytes instead of {}",
            out.len()
        )));
    }
    Ok(())
}

/// One part of data in parts: a top-level field's name (empty for the
/// whole data) and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub json: String,
}

/// Compresses `parts` (name and JSON) block by block and packs them as text.
/// `None` if their JSON is larger than [`MAX_JSON_BYTES`] in all.
pub fn compress_parts(parts: &[(&str, &[u8])]) -> Option<String> {
    let total: usize = parts.iter().map(|(_, json)| json.len()).sum();
    if total > MAX_JSON_BYTES {
        return None;
    }
    let mut payload = Vec::with_capacity(total / 4);
    push_word(&mut payload, parts.len())?;
    for (name, json) in parts {
        push_word(&mut payload, name.len())?;
        payload.extend_from_slice(name.as_bytes());
        push_word(&mut payload, json.len())?;
        for piece in json.chunks(BLOCK_BYTES) {
            let block = lz4_flex::block::compress(piece);
            push_block(&mut payload, block.len(), &block)?;
        }
    }
    pack(&payload)
}

/// Writes `n` as a u32 little-endian word (what [`Cursor::word`] reads);
/// `None` if it does not fit.
fn push_word(payload: &mut Vec<u8>, n: usize) -> Option<()> {
    payload.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

/// Writes an LZ4 block as both forms frame it: a word (the JSON's length in
/// the single-block form, the block's own in parts), its Adler-32, then the
/// block.
fn push_block(payload: &mut Vec<u8>, lead: usize, block: &[u8]) -> Option<()> {
    push_word(payload, lead)?;
    payload.extend_from_slice(&adler32(block).to_le_bytes());
    payload.extend_from_slice(block);
    Some(())
}

/// Unpacks and decompresses text written by [`compress_parts`] back to its
/// parts.
pub fn decompress_parts(text: &str) -> Result<Vec<Part>, Damaged> {
    let payload = unpack(text)?;
    let mut rest = Cursor(&payload);
    let count = rest.word()?;
    let mut parts = Vec::new();
    let mut total: usize = 0;
    for _ in 0..count {
        let name_len = rest.word()?;
        let name = std::str::from_utf8(rest.take(name_len)?)
            .map_err(|_| damaged("a part of the packed data has a name that is not text"))?
            .to_owned();
        let size = rest.word()?;
        total = total.saturating_add(size);
        if total > MAX_JSON_BYTES {
            return Err(damaged(format!(
                "the packed data claims more than the {MAX_JSON_BYTES} bytes allowed"
            )));
        }
        let mut json = vec![0_u8; size];
        for piece in json.chunks_mut(BLOCK_BYTES) {
            let block_len = rest.word()?;
            let checksum = rest.word()?;
            decompress_block(rest.take(block_len)?, checksum, piece)?;
        }
        let json = String::from_utf8(json)
            .map_err(|e| damaged(format!("the packed data is not text ({e})")))?;
        parts.push(Part { name, json });
    }
    if !rest.0.is_empty() {
        return Err(damaged("the packed data has bytes after its last part"));
    }
    if count != 1 && parts.iter().any(|part| part.name.is_empty()) {
        return Err(damaged("a part of the packed data has no name"));
    }
    Ok(parts)
}

/// The payload not read yet.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Damaged> {
        let (taken, rest) = self
            .0
            .split_at_checked(n)
            .ok_or_else(|| damaged("the packed data ends early"))?;
        self.0 = rest;
        Ok(taken)
    }

    fn word(&mut self) -> Result<usize, Damaged> {
        let bytes = <[u8; 4]>::try_from(self.take(4)?)
            .map_err(|_| damaged("the packed data ends early"))?;
        Ok(usize::try_from(u32::from_le_bytes(bytes)).unwrap_or(usize::MAX))
    }
}

/// Writes `bytes` as text: a two-unit length, then 15 bits per unit. `None`
/// if the length does not fit in 30 bits.
pub fn pack(bytes: &[u8]) -> Option<String> {
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|len| *len <= MASK << BITS | MASK)?;
    let units = LEN_UNITS + (bytes.len() * 8).div_ceil(BITS as usize);
    // Every unit is 3 bytes of UTF-8.
    let mut text = String::with_capacity(3 * units);
    push_unit(&mut text, len >> BITS);
    push_unit(&mut text, len & MASK);
    let mut acc: u32 = 0;
    let mut held: u32 = 0;
    for &byte in bytes {
        acc = (acc << 8) | u32::from(byte);
        held += 8;
        if held >= BITS {
            held -= BITS;
            push_unit(&mut text, (acc >> held) & MASK);
        }
    }
    if held > 0 {
        push_unit(&mut text, (acc << (BITS - held)) & MASK);
    }
    Some(text)
}

fn push_unit(text: &mut String, value: u32) {
    // BASE + 15 bits stays in U+0800..=U+87FF, below the surrogates.
    if let Some(c) = char::from_u32(BASE + (value & MASK)) {
        text.push(c);
    }
}

/// Reads text written by [`pack`] back to bytes.
pub fn unpack(text: &str) -> Result<Vec<u8>, Damaged> {
    unpack_fast(text).map_or_else(|| unpack_checked(text), Ok)
}

/// The common case, several times faster: every unit of good packed text is
/// one three-byte UTF-8 sequence, so the text is read three bytes at a time
/// without decoding characters. Anything unexpected gives `None`, and
/// [`unpack_checked`] then names the problem.
fn unpack_fast(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(3) || bytes.len() < 3 * LEN_UNITS {
        return None;
    }
    let (head, body) = bytes.split_at(3 * LEN_UNITS);
    let len = usize::try_from(unit_of(&head[..3])? << BITS | unit_of(&head[3..])?).ok()?;
    if body.len() / 3 != len.checked_mul(8)?.div_ceil(BITS as usize) {
        return None;
    }
    // Every unit gives one or two whole bytes; the padding may add one more,
    // which must be zero like the bits left over. A call per run of units,
    // so the browser's optimising compiler takes over after the first few
    // (see the module docs). The first run is read apart: with two calls in
    // the code, wasm-opt keeps `read` a function of its own instead of
    // inlining it into this loop (which would run as one call).
    let mut out = vec![0_u8; len + 1];
    let mut bits = Bits::default();
    let (first, rest) = body.split_at(body.len().min(3 * RUN_UNITS));
    bits.read(first, &mut out)?;
    for run in rest.chunks(3 * RUN_UNITS) {
        bits.read(run, &mut out)?;
    }
    if bits.acc != 0 || bits.written < len || out.pop() != Some(0) {
        return None;
    }
    Some(out)
}

/// Units read by one call of [`Bits::read`].
const RUN_UNITS: usize = 16 * 1024;

/// Where [`unpack_fast`] is: bits read but not written yet, bytes written.
#[derive(Clone, Copy, Default)]
struct Bits {
    acc: u32,
    held: u32,
    written: usize,
}

impl Bits {
    /// Reads whole units (three bytes of UTF-8 each) into `out`. Written by
    /// index: a push per byte is a call in the size-optimised build.
    #[inline(never)]
    fn read(&mut self, units: &[u8], out: &mut [u8]) -> Option<()> {
        let Bits {
            mut acc,
            mut held,
            mut written,
        } = *self;
        for c in units.chunks_exact(3) {
            acc = (acc << BITS) | unit_of(c)?;
            held += BITS - 8;
            *out.get_mut(written)? = (acc >> held) as u8;
            written += 1;
            if held >= 8 {
                held -= 8;
                *out.get_mut(written)? = (acc >> held) as u8;
                written += 1;
            }
            acc &= (1 << held) - 1;
        }
        *self = Bits { acc, held, written };
        Some(())
    }
}

/// The value of one unit from its three bytes of UTF-8. In valid UTF-8 a
/// lead byte 0xE0..=0xEF is followed by its two continuation bytes, so
/// chunks of three stay aligned on characters. Inlined: it runs for every
/// unit, and the browser first runs the code without inlining calls.
#[inline(always)]
fn unit_of(c: &[u8]) -> Option<u32> {
    let [lead, b1, b2] = *c else { return None };
    if lead & 0xF0 != 0xE0 {
        return None;
    }
    let code = u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
    code.checked_sub(BASE).filter(|value| *value <= MASK)
}

/// Reads packed text a character at a time, naming the first problem.
fn unpack_checked(text: &str) -> Result<Vec<u8>, Damaged> {
    let mut units = text.chars().map(|c| {
        let code = u32::from(c);
        code.checked_sub(BASE)
            .filter(|value| *value <= MASK)
            .ok_or_else(|| {
                damaged(format!(
                    "the packed data holds a foreign character U+{code:04X}"
                ))
            })
    });
    let mut next = |what: &str| {
        units
            .next()
            .unwrap_or_else(|| Err(damaged(format!("the packed data ends {what}"))))
    };
    let high = next("before its length")?;
    let low = next("before its length")?;
    let len = usize::try_from(high << BITS | low).unwrap_or(usize::MAX);
    let expected = (len.saturating_mul(8)).div_ceil(BITS as usize);
    let available = text.chars().count().saturating_sub(LEN_UNITS);
    if available != expected {
        return Err(damaged(format!(
            "the packed data has {available} units for {len} bytes (expected {expected})"
        )));
    }
    let mut bytes = Vec::with_capacity(len);
    let mut acc: u32 = 0;
    let mut held: u32 = 0;
    while bytes.len() < len {
        acc = (acc << BITS) | next("early")?;
        held += BITS;
        while held >= 8 && bytes.len() < len {
            held -= 8;
            bytes.push(((acc >> held) & 0xFF) as u8);
        }
        // Keep only the bits not yet used (at most 7 + 15 fit in u32).
        acc &= (1 << held) - 1;
    }
    if acc != 0 {
        return Err(damaged("the packed data has stray padding bits"));
    }
    Ok(bytes)
}

/// Adler-32 (RFC 1950): a fast check that the stored block is the one
/// written.
fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    // The largest run whose sums cannot overflow u32 before the modulo.
    const RUN: usize = 5_552;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(RUN) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn units(text: &str) -> usize {
        text.encode_utf16().count()
    }

    fn bytes_of(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 151 + 7) as u8).collect()
    }

    #[test]
    fn adler32_matches_the_reference_values() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        // Long enough to wrap the modulo several times.
        let long = vec![0xFF_u8; 100_000];
        let (mut a, mut b) = (1u64, 0u64);
        for &byte in &long {
            a = (a + u64::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        assert_eq!(u64::from(adler32(&long)), (b << 16) | a);
    }

    #[test]
    fn every_length_round_trips_with_the_exact_unit_count() {
        // Covers every remainder of 8 * len modulo 15, twice over.
        for len in 0..=64 {
            for bytes in [bytes_of(len), vec![0; len], vec![0xFF; len]] {
                let text = pack(&bytes).unwrap_or_default();
                assert_eq!(units(&text), 2 + (len * 8).div_ceil(15), "len {len}");
                assert_eq!(unpack(&text), Ok(bytes), "len {len}");
            }
        }
    }

    #[test]
    fn the_text_needs_no_json_escaping() {
        let text = pack(&bytes_of(1000)).unwrap_or_default();
        assert!(text.chars().all(|c| ('\u{0800}'..='\u{87FF}').contains(&c)));
        let json = serde_json::to_string(&text).unwrap_or_default();
        assert_eq!(json.len(), text.len() + 2, "nothing was escaped");
        assert_eq!(units(&json), units(&text) + 2);
    }

    #[test]
    fn damaged_text_is_an_error() {
        let text = pack(&bytes_of(40)).unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        let cases: Vec<String> = vec![
            String::new(),
            chars[..1].iter().collect(),
            chars[..chars.len() - 1].iter().collect(),
            format!("{text}\u{0800}"),
            format!("{text}a"),
            text.replacen(chars[5], "\"", 1),
            text.replacen(chars[5], "\u{9000}", 1),
            text.replacen(chars[5], "\u{07FF}", 1),
            text.replacen(chars[5], "🚀", 1),
            // Length says 42 bytes: one unit short. (41 would fit the same
            // 22 units, reading zero padding; the checksum catches that.)
            format!("{}{}", chars[0], char::from_u32(0x0800 + 42).unwrap_or('x'))
                + &chars[2..].iter().collect::<String>(),
        ];
        for case in cases {
            assert!(unpack(&case).is_err(), "{case:?}");
        }
        // Padding bits must be zero: 1 byte uses 8 of the 15 bits.
        let one = pack(&[0xAB]).unwrap_or_default();
        let mut tampered: Vec<char> = one.chars().collect();
        tampered[2] = char::from_u32(u32::from(tampered[2]) | 1).unwrap_or('x');
        assert!(unpack(&tampered.iter().collect::<String>()).is_err());
    }

    #[test]
    fn compress_round_trips() {
        for json in [
            &b""[..],
            b"{}",
            br#"{"a":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
        ] {
            let text = compress(json).unwrap_or_default();
            assert_eq!(decompress(&text).as_deref(), Ok(json));
        }
    }

    fn packed_with(size: u32, block: &[u8], checksum: Option<u32>) -> String {
        let mut payload = size.to_le_bytes().to_vec();
        payload.extend_from_slice(&checksum.unwrap_or_else(|| adler32(block)).to_le_bytes());
        payload.extend_from_slice(block);
        pack(&payload).unwrap_or_default()
    }

    #[test]
    fn damaged_payloads_are_errors() {
        let json = br#"{"name":"Ada Lovelace","notes":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#;
        let block = lz4_flex::block::compress(json);
        let size = json.len() as u32;
        assert_eq!(
            decompress(&packed_with(size, &block, None)).as_deref(),
            Ok(&json[..])
        );
        let mut flipped = block.clone();
        flipped[3] ^= 0x20;
        let mut longer = block.clone();
        longer.extend_from_slice(b"garbage");
        let cases = [
            ("checksum", packed_with(size, &block, Some(12345))),
            ("flipped", {
                let mut payload = size.to_le_bytes().to_vec();
                payload.extend_from_slice(&adler32(&block).to_le_bytes());
                payload.extend_from_slice(&flipped);
                pack(&payload).unwrap_or_default()
            }),
            ("too big a claim", packed_with(u32::MAX, &block, None)),
            (
                "just over the limit",
                packed_with(64 * 1024 * 1024 + 1, &block, None),
            ),
            ("size too small", packed_with(size - 1, &block, None)),
            ("size too large", packed_with(size + 1, &block, None)),
            ("garbage after the block", packed_with(size, &longer, None)),
            (
                "truncated block",
                packed_with(size, &block[..block.len() - 4], None),
            ),
            ("no frame", pack(&[1, 2, 3]).unwrap_or_default()),
            ("not packed", "{}".to_owned()),
        ];
        for (what, text) in cases {
            assert!(decompress(&text).is_err(), "{what}");
        }
    }

    fn parts_of(parts: &[(&str, Vec<u8>)]) -> String {
        let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, j)| (*n, j.as_slice())).collect();
        compress_parts(&borrowed).unwrap_or_default()
    }

    /// JSON-like text of `len` bytes that compresses.
    fn text_of(len: usize) -> Vec<u8> {
        (0..len).map(|i| b"{\"name\":\"Ada\"},"[i % 15]).collect()
    }

    #[test]
    fn parts_round_trip_across_block_boundaries() {
        let sizes = [
            0,
            1,
            BLOCK_BYTES - 1,
            BLOCK_BYTES,
            BLOCK_BYTES + 1,
            3 * BLOCK_BYTES + 5,
        ];
        let parts: Vec<(&str, Vec<u8>)> = sizes
            .iter()
            .zip(["a", "b", "contacts", "leads", "d \"q\" ✓", "e"])
            .map(|(size, name)| (name, text_of(*size)))
            .collect();
        let text = parts_of(&parts);
        let back = decompress_parts(&text).unwrap();
        assert_eq!(back.len(), parts.len());
        for (part, (name, json)) in back.iter().zip(&parts) {
            assert_eq!(
                (part.name.as_str(), part.json.as_bytes()),
                (*name, json.as_slice())
            );
        }
        // The whole data as one unnamed part.
        let whole = parts_of(&[("", b"[1,2]".to_vec())]);
        assert_eq!(decompress_parts(&whole).unwrap()[0].json, "[1,2]");
        assert_eq!(decompress_parts(&parts_of(&[])), Ok(Vec::new()));
    }

    /// A payload of one part, written by hand: `name`, `size`, then blocks
    /// of (LZ4 bytes, checksum or the right one).
    fn payload_with(
        count: u32,
        name: &[u8],
        size: u32,
        blocks: &[(&[u8], Option<u32>)],
    ) -> Vec<u8> {
        let mut payload = count.to_le_bytes().to_vec();
        payload.extend_from_slice(&(name.len() as u32).to_le_bytes());
        payload.extend_from_slice(name);
        payload.extend_from_slice(&size.to_le_bytes());
        for (block, checksum) in blocks {
            payload.extend_from_slice(&(block.len() as u32).to_le_bytes());
            payload.extend_from_slice(&checksum.unwrap_or_else(|| adler32(block)).to_le_bytes());
            payload.extend_from_slice(block);
        }
        payload
    }

    #[test]
    fn damaged_parts_are_errors() {
        let json = br#"{"name":"Ada Lovelace","notes":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#;
        let block = lz4_flex::block::compress(json);
        let size = json.len() as u32;
        let good = payload_with(1, b"contacts", size, &[(&block, None)]);
        assert_eq!(
            decompress_parts(&pack(&good).unwrap_or_default()).map(|p| p[0].json.clone()),
            Ok(String::from_utf8_lossy(json).into_owned())
        );
        let not_text = lz4_flex::block::compress(&[0xFF, 0xFE, b'a']);
        let mut after = good.clone();
        after.push(0);
        let mut two_unnamed = payload_with(2, b"", size, &[(&block, None)]);
        two_unnamed.extend_from_slice(&good[4..]);
        let cases = [
            (
                "checksum",
                payload_with(1, b"contacts", size, &[(&block, Some(7))]),
            ),
            (
                "size too small",
                payload_with(1, b"contacts", size - 1, &[(&block, None)]),
            ),
            (
                "size too large",
                payload_with(1, b"contacts", size + 1, &[(&block, None)]),
            ),
            ("a block missing", payload_with(1, b"contacts", size, &[])),
            (
                "more parts than there are",
                payload_with(2, b"contacts", size, &[(&block, None)]),
            ),
            (
                "over the limit",
                payload_with(1, b"x", u32::MAX, &[(&block, None)]),
            ),
            (
                "a name that is not text",
                payload_with(1, &[0xFF], size, &[(&block, None)]),
            ),
            (
                "JSON that is not text",
                payload_with(1, b"x", 3, &[(&not_text, None)]),
            ),
            ("cut short", good[..good.len() - 3].to_vec()),
            ("bytes after the last part", after),
            ("an unnamed part beside others", two_unnamed),
            ("no count", vec![1, 0]),
        ];
        for (what, payload) in cases {
            let problem = decompress_parts(&pack(&payload).unwrap_or_default());
            assert!(problem.is_err(), "{what}: {problem:?}");
        }
        assert!(decompress_parts("not packed").is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let text = pack(&bytes).unwrap_or_default();
            prop_assert_eq!(units(&text), 2 + (bytes.len() * 8).div_ceil(15));
            prop_assert_eq!(unpack(&text), Ok(bytes.clone()));
            let compressed = compress(&bytes).unwrap_or_default();
            prop_assert_eq!(decompress(&compressed), Ok(bytes));
        }

        #[test]
        fn any_block_is_an_error_or_exact_never_a_panic(
            block in proptest::collection::vec(any::<u8>(), 0..300),
            size in 0u32..5000,
        ) {
            if let Ok(json) = decompress(&packed_with(size, &block, None)) {
                prop_assert_eq!(json.len(), size as usize);
            }
        }

        #[test]
        fn the_fast_reader_agrees_with_the_checked_one(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            at in any::<prop::sample::Index>(),
            with in prop_oneof![Just('\u{07FF}'), Just('\u{0800}'), Just('\u{87FF}'), Just('\u{8800}'), Just('a'), Just('\u{1F600}'), any::<char>()],
            cut in any::<bool>(),
        ) {
            // Good text, and the same text with one unit replaced or removed.
            let good = pack(&bytes).unwrap_or_default();
            prop_assert_eq!(unpack_fast(&good), Some(bytes.clone()));
            let mut units: Vec<char> = good.chars().collect();
            let i = at.index(units.len());
            if cut {
                units.remove(i);
            } else {
                units[i] = with;
            }
            let damaged: String = units.into_iter().collect();
            if let Some(fast) = unpack_fast(&damaged) {
                prop_assert_eq!(Ok(fast), unpack_checked(&damaged));
            } else {
                prop_assert!(unpack_checked(&damaged).is_err() || damaged == good);
            }
        }

        #[test]
        fn any_text_is_an_error_or_bytes_never_a_panic(text in "\\PC{0,40}") {
            let _ = unpack(&text);
            let _ = decompress(&text);
            let _ = decompress_parts(&text);
        }

        #[test]
        fn any_parts_round_trip(parts in proptest::collection::vec(("[a-z]{1,8}", "\\PC{0,300}"), 0..6)) {
            let owned: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, j)| (n.as_str(), j.clone().into_bytes())).collect();
            let back = decompress_parts(&parts_of(&owned)).unwrap_or_default();
            let back: Vec<(String, String)> = back.into_iter().map(|p| (p.name, p.json)).collect();
            prop_assert_eq!(back, parts);
        }

        #[test]
        fn any_payload_is_an_error_or_parts_never_a_panic(payload in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decompress_parts(&pack(&payload).unwrap_or_default());
        }
    }
}
