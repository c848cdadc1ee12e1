//! The compact form of an envelope's `data`: compressed, then packed into
//! JSON-safe text (the `"lz4-u15"` encoding).
//!
//! localStorage counts UTF-16 code units, so the 10,000-contact pipeline
//! (about 10 million units of JSON) would not fit in Chromium's 5,242,880.
//! Compressed and packed it takes about 1.15 million (22 % of that).
//!
//! # Layout
//!
//! The data's JSON (UTF-8) is compressed into an LZ4 *block* (`lz4_flex`,
//! pure Rust, about 4 KB gzip of wasm) and framed as the **payload**:
//!
//! | bytes | what |
//! | --- | --- |
//! | 0..4 | length of the JSON, u32 little-endian (at most [`MAX_JSON_BYTES`]) |
//! | 4..8 | Adler-32 of the LZ4 block, u32 little-endian |
//! | 8.. | the LZ4 block |
//!
//! The payload is then written as text, 15 bits per UTF-16 code unit, each
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
//! length that differs) is a [`Damaged`] error, never a panic.

use std::fmt;

/// The `encoding` name of this form in the envelope.
pub const ENCODING: &str = "lz4-u15";

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
/// Bytes before the LZ4 block: JSON length and checksum.
const FRAME_BYTES: usize = 8;

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

/// Compresses `json` and packs it as text. `None` if it is larger than
/// [`MAX_JSON_BYTES`] (such data could never be read back).
pub fn compress(json: &[u8]) -> Option<String> {
    if json.len() > MAX_JSON_BYTES {
        return None;
    }
    let block = lz4_flex::block::compress(json);
    let mut payload = Vec::with_capacity(FRAME_BYTES + block.len());
    payload.extend_from_slice(&u32::try_from(json.len()).ok()?.to_le_bytes());
    payload.extend_from_slice(&adler32(&block).to_le_bytes());
    payload.extend_from_slice(&block);
    pack(&payload)
}

/// Unpacks and decompresses text written by [`compress`] back to the JSON.
pub fn decompress(text: &str) -> Result<Vec<u8>, Damaged> {
    let payload = unpack(text)?;
    let (frame, block) = payload
        .split_at_checked(FRAME_BYTES)
        .ok_or_else(|| damaged("the packed data is too short"))?;
    let word = |at: usize| {
        frame
            .get(at..at + 4)
            .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
            .map(u32::from_le_bytes)
            .unwrap_or(0)
    };
    let size = usize::try_from(word(0)).unwrap_or(usize::MAX);
    if size > MAX_JSON_BYTES {
        return Err(damaged(format!(
            "the packed data claims {size} bytes, more than the {MAX_JSON_BYTES} allowed"
        )));
    }
    if adler32(block) != word(4) {
        return Err(damaged("the packed data fails its checksum"));
    }
    let json = lz4_flex::block::decompress(block, size)
        .map_err(|e| damaged(format!("the packed data does not decompress ({e})")))?;
    if json.len() != size {
        return Err(damaged(format!(
            "the packed data decompresses to {} bytes instead of {size}",
            json.len()
        )));
    }
    Ok(json)
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
    // which must be zero like the bits left over. Written by index: a push
    // per byte is a call in the size-optimised build.
    let mut out = vec![0_u8; len + 1];
    let mut written = 0;
    let mut acc: u32 = 0;
    let mut held: u32 = 0;
    for c in body.chunks_exact(3) {
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
    if acc != 0 || written < len || out.pop() != Some(0) {
        return None;
    }
    Some(out)
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
        }
    }
}
