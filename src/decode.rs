//! Decoding: plan bytes to text, the first step after `load` reads a file.
//!
//! Handles UTF-8 with or without a BOM, UTF-16 with a BOM or without one
//! (told by the zero bytes of its ASCII characters), UTF-32 with a BOM
//! (decoded here: `encoding_rs` has no UTF-32), Windows-1252 for bytes that
//! are not UTF-8, CRLF and CR line ends (normalised to LF, which keeps line
//! numbers unchanged), and repairs double-encoded UTF-8 ("mojibake": UTF-8
//! bytes once read as Windows-1252 and saved again, so that `✅` became
//! `âœ…`). The Windows-1252 table comes from `encoding_rs`.
//!
//! Last, control characters are replaced one for one, so every later stage
//! and every output is free of them and positions stay true: vertical tab
//! and form feed (white space to Markdown) by a space, any other control
//! (C0 but tab and LF, DEL, C1) and U+FFFE/U+FFFF by U+FFFD.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What decoding had to do to a file, so the caller can warn about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecodeReport {
    /// The file was not valid UTF-8 and was read as Windows-1252.
    pub windows_1252: bool,
    /// The file was UTF-16 (detected by its byte order mark).
    pub utf16: bool,
    /// The file was UTF-16 without a byte order mark, told by its zero bytes.
    pub utf16_without_bom: bool,
    /// The file was UTF-32 (detected by its byte order mark).
    pub utf32: bool,
    /// How many double-encoded sequences were repaired.
    pub repaired: usize,
    /// How many control characters were replaced, and the line and column
    /// (1-based, in characters) of the first.
    pub controls: usize,
    pub first_control: Option<(usize, usize)>,
}

/// Decodes a plan file's bytes into LF-normalised text.
pub fn decode(bytes: &[u8]) -> (String, DecodeReport) {
    let (text, mut report) = decode_encoding(bytes);
    let (text, controls, first) = replace_controls(text);
    report.controls = controls;
    report.first_control = first;
    (text, report)
}

fn decode_encoding(bytes: &[u8]) -> (String, DecodeReport) {
    let mut report = DecodeReport::default();
    let text = if let Some(text) = utf32_with_bom(bytes) {
        report.utf32 = true;
        text
    } else if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            report.utf16 = true;
        }
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        text.into_owned()
    } else if let Some(encoding) = utf16_by_zero_bytes(bytes) {
        report.utf16_without_bom = true;
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        text.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => {
                report.windows_1252 = true;
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                text.into_owned()
            }
        }
    };
    let text = normalise_line_ends(text);
    if report.windows_1252 {
        return (text, report);
    }
    let (text, repaired) = if may_hold_mojibake_lead(text.as_bytes()) {
        repair_mojibake(&text)
    } else {
        (text, 0)
    };
    report.repaired = repaired;
    (text, report)
}

/// UTF-32 from its byte order mark (FF FE 00 00 or 00 00 FE FF), which
/// must be told apart before UTF-16's FF FE. Each unit that is no Unicode
/// scalar value, and a trailing partial unit, becomes U+FFFD.
fn utf32_with_bom(bytes: &[u8]) -> Option<String> {
    let little = match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => true,
        [0, 0, 0xFE, 0xFF] => false,
        _ => return None,
    };
    let body = &bytes[4..];
    let units = body.chunks_exact(4);
    let partial = !units.remainder().is_empty();
    let mut text: String = units
        .map(|unit| {
            let unit = [unit[0], unit[1], unit[2], unit[3]];
            let value = if little {
                u32::from_le_bytes(unit)
            } else {
                u32::from_be_bytes(unit)
            };
            char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    if partial {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Some(text)
}

/// UTF-16 saved without a byte order mark: ASCII characters are one zero
/// byte and one non-zero byte, so the zero bytes fall on odd offsets
/// (little endian) or even ones (big endian). Told from the first 4 KiB:
/// at least a quarter of the units have a zero byte on one side, and the
/// other side almost none. (UTF-8 text has no zero bytes at all.)
fn utf16_by_zero_bytes(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    let units = sample.len() / 2;
    // Without any zero byte (UTF-8 text has none) neither side has many.
    if units == 0 || !sample.contains(&0) {
        return None;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .take(units)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let clearly = |many: usize, few: usize| many * 4 >= units && few * 10 <= many;
    if clearly(odd, even) {
        Some(UTF_16LE)
    } else if clearly(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Replaces control characters one for one (see the module comment).
/// Returns the text, how many were replaced and where the first was.
fn replace_controls(text: String) -> (String, usize, Option<(usize, usize)>) {
    use crate::text::{is_forbidden, REPLACEMENT};
    if !may_hold_control(text.as_bytes()) {
        return (text, 0, None);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut line, mut col) = (1, 1);
    let mut count = 0;
    let mut first = None;
    for c in text.chars() {
        if is_forbidden(c, false) {
            count += 1;
            first.get_or_insert((line, col));
            out.push(if c == '\u{b}' || c == '\u{c}' {
                ' '
            } else {
                REPLACEMENT
            });
        } else {
            out.push(c);
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (out, count, first)
}

/// A first look at the bytes, 64 at a time and without branches (so that
/// the compiler can use vector instructions): whether any byte that can
/// start a character `replace_controls` replaces is there (C0 but tab and
/// LF, DEL; C2 for C1; EF for U+FFFE/U+FFFF). Clean text (nearly every
/// file) is then not decoded character by character.
fn may_hold_control(bytes: &[u8]) -> bool {
    let suspect = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0x7f) | (b == 0xC2) | (b == 0xEF)
    };
    bytes.chunks(64).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |any, &b| any | suspect(b))
            && control_starts_in(bytes, n * 64, chunk.len())
    })
}

/// Whether a character `replace_controls` replaces starts in
/// `bytes[from..from + len]`.
fn control_starts_in(bytes: &[u8], from: usize, len: usize) -> bool {
    (from..from + len).any(|i| match bytes[i] {
        b'\t' | b'\n' => false,
        0..=0x1f | 0x7f => true,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// Whether `bytes` hold C3 followed by 82..B4 (see `repair_mojibake`),
/// looked for 64 bytes at a time as in `may_hold_control`: most files have
/// no C3 at all.
fn may_hold_mojibake_lead(bytes: &[u8]) -> bool {
    let lead = |pair: &[u8]| pair[0] == 0xC3 && (0x82..=0xB4).contains(&pair[1]);
    bytes.chunks(64).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |any, &b| any | (b == 0xC3)) && {
            let from = n * 64;
            let to = (from + chunk.len() + 1).min(bytes.len());
            bytes[from..to].windows(2).any(lead)
        }
    })
}

fn normalise_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Characters of Windows-1252's upper half, mapped back to their byte.
/// Built from `encoding_rs`'s decoder, so the table is the standard one
/// (the five unassigned bytes map to the C1 controls, as WHATWG specifies).
static CP1252_BYTE: LazyLock<HashMap<char, u8>> = LazyLock::new(|| {
    (0x80u8..=0xFF)
        .filter_map(|byte| {
            let bytes = [byte];
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
            let c = text.chars().next();
            c.map(|c| (c, byte))
        })
        .collect()
});

/// The Windows-1252 byte of a character, if it has one: U+00A0 to U+00FF
/// are the bytes A0 to FF themselves (no table look-up for them), the
/// characters of bytes 80 to 9F come from `CP1252_BYTE`.
fn cp1252_byte(c: char) -> Option<u8> {
    if ('\u{a0}'..='\u{ff}').contains(&c) {
        u8::try_from(u32::from(c)).ok()
    } else {
        CP1252_BYTE.get(&c).copied()
    }
}

/// The bytes that Windows-1252 leaves unassigned. Many decoders drop them,
/// so a double-encoded `⏳` (E2 8F B3) is often saved as `â³` with the 8F lost.
const UNASSIGNED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Repairs double-encoded UTF-8, run by run: each maximal run of non-ASCII
/// characters that Windows-1252 can encode is turned back into bytes and, when
/// those bytes are valid UTF-8, replaced by what they spell. A run that does
/// not decode is left exactly as it was, so genuine Latin-1 text survives.
/// Returns the text and the number of runs repaired.
pub fn repair_mojibake(text: &str) -> (String, usize) {
    // Double-encoded UTF-8 starts with a lead byte read as Windows-1252:
    // a character from U+00C2 to U+00F4, which UTF-8 writes as C3 82..B4.
    // Without one there is nothing to repair.
    if !may_hold_mojibake_lead(text.as_bytes()) {
        return (text.to_string(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut run: Vec<u8> = Vec::new();
    let mut run_start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < text.len() {
        if bytes[index].is_ascii() {
            // An ASCII stretch ends a run and is copied whole.
            let end = bytes[index..]
                .iter()
                .position(|b| !b.is_ascii())
                .map_or(text.len(), |n| index + n);
            flush_run(&mut out, &mut run, &text[run_start..index], &mut repaired);
            out.push_str(&text[index..end]);
            index = end;
            continue;
        }
        let Some(c) = text[index..].chars().next() else {
            break;
        };
        match cp1252_byte(c) {
            Some(b) => {
                if run.is_empty() {
                    run_start = index;
                }
                run.push(b);
            }
            None => {
                flush_run(&mut out, &mut run, &text[run_start..index], &mut repaired);
                out.push(c);
            }
        }
        index += c.len_utf8();
    }
    flush_run(&mut out, &mut run, &text[run_start..], &mut repaired);
    (out, repaired)
}

fn flush_run(out: &mut String, run: &mut Vec<u8>, original: &str, repaired: &mut usize) {
    if run.is_empty() {
        return;
    }
    match decode_run(run) {
        Some(fixed) => {
            out.push_str(&fixed);
            *repaired += 1;
        }
        None => out.push_str(original),
    }
    run.clear();
}

/// Decodes one run's bytes as UTF-8, restoring at most one dropped
/// unassigned byte per character. `None` when the run is not mojibake.
fn decode_run(bytes: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(error) => {
                let good = error.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).ok()?);
                rest = &rest[good..];
                let (c, used) = restore_dropped_byte(rest)?;
                out.push(c);
                rest = &rest[used..];
            }
        }
    }
    Some(out)
}

/// At the start of `bytes` is a UTF-8 sequence missing one byte. Tries each
/// unassigned byte at each position and keeps the most plausible character:
/// an emoji first, then the emoji variation selector or joiner.
fn restore_dropped_byte(bytes: &[u8]) -> Option<(char, usize)> {
    let lead = *bytes.first()?;
    let width = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let present = width - 1;
    if bytes.len() < present {
        return None;
    }
    let mut best: Option<(u8, char)> = None;
    for position in 1..width {
        for missing in UNASSIGNED {
            let mut candidate = bytes[..present].to_vec();
            candidate.insert(position, missing);
            let Ok(text) = std::str::from_utf8(&candidate) else {
                continue;
            };
            let Some(c) = text.chars().next() else {
                continue;
            };
            let score = plausibility(c);
            if score > 0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
    }
    best.map(|(_, c)| (c, present))
}

fn plausibility(c: char) -> u8 {
    let mut buf = [0u8; 4];
    if emojis::get(c.encode_utf8(&mut buf)).is_some() {
        3
    } else if c == '\u{FE0F}' || c == '\u{200D}' {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mojibake(text: &str) -> String {
        let (s, _) = WINDOWS_1252.decode_without_bom_handling(text.as_bytes());
        s.into_owned()
    }

    #[test]
    fn upper_latin1_characters_are_their_own_bytes() {
        for c in '\u{a0}'..='\u{ff}' {
            assert_eq!(CP1252_BYTE.get(&c).copied(), cp1252_byte(c), "{c:?}");
        }
        for (&c, &b) in CP1252_BYTE.iter() {
            assert_eq!(cp1252_byte(c), Some(b), "{c:?}");
        }
    }

    #[test]
    fn repairs_double_encoded_emoji() {
        let broken = mojibake("# 📅 Plan ✅ done — café");
        assert_ne!(broken, "# 📅 Plan ✅ done — café");
        let (text, report) = decode(broken.as_bytes());
        assert_eq!(text, "# 📅 Plan ✅ done — café");
        assert_eq!(report.repaired, 4);
    }

    #[test]
    fn restores_bytes_that_decoders_dropped() {
        // ⏳ is E2 8F B3 and ❌ is E2 9D 8C: 8F and 9D are unassigned in
        // Windows-1252, and the tool that double-encoded them dropped them.
        let (text, report) = decode("| â³ | âŒ | âš\u{a0}ï¸ |".as_bytes());
        assert_eq!(text, "| ⏳ | ❌ | ⚠\u{fe0f} |");
        assert_eq!(report.repaired, 3);
    }

    #[test]
    fn leaves_genuine_latin_text_alone() {
        for text in [
            "café – naïve",
            "Größe: 5 €",
            "¿Qué?",
            "Ã alone",
            "日本語 ✅",
        ] {
            let (decoded, report) = decode(text.as_bytes());
            assert_eq!(decoded, text);
            assert_eq!(report.repaired, 0);
        }
    }

    #[test]
    fn strips_bom_and_normalises_line_ends() {
        let (text, report) = decode(b"\xEF\xBB\xBF# A\r\nb\rc\n");
        assert_eq!(text, "# A\nb\nc\n");
        assert_eq!(report, DecodeReport::default());
    }

    #[test]
    fn reads_invalid_utf8_as_windows_1252() {
        let (text, report) = decode(b"Budget: 5\x80 caf\xe9");
        assert_eq!(text, "Budget: 5€ café");
        assert!(report.windows_1252);
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "# Plan ✅\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, report) = decode(&bytes);
        assert_eq!(text, "# Plan ✅\n");
        assert!(report.utf16);
    }

    #[test]
    fn reads_utf16_without_bom_and_utf32() {
        let text = "# Plan ✅\n- [ ] a\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            let (decoded, report) = decode(&bytes);
            assert_eq!(decoded, text);
            assert!(report.utf16_without_bom && !report.utf16);
        }
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        le32.extend(text.chars().flat_map(|c| (c as u32).to_le_bytes()));
        let mut be32 = vec![0, 0, 0xFE, 0xFF];
        be32.extend(text.chars().flat_map(|c| (c as u32).to_be_bytes()));
        for bytes in [le32, be32] {
            let (decoded, report) = decode(&bytes);
            assert_eq!(decoded, text);
            assert!(report.utf32 && !report.utf16);
        }
        // Plain UTF-8, even with a stray zero byte, is not UTF-16.
        let (decoded, report) = decode(b"# Plan\n\0 x\n");
        assert_eq!(decoded, "# Plan\n\u{fffd} x\n");
        assert!(!report.utf16_without_bom);
    }

    #[test]
    fn controls_are_replaced_one_for_one() {
        let (text, report) = decode("a\tb\n\u{b}c\u{c}\u{1b}]0;x\u{7}\u{9b}\u{7f}é\r\n".as_bytes());
        assert_eq!(text, "a\tb\n c \u{fffd}]0;x\u{fffd}\u{fffd}\u{fffd}é\n");
        assert_eq!(report.controls, 6);
        assert_eq!(report.first_control, Some((2, 1)));
        // Unassigned Windows-1252 bytes decode to C1 controls: replaced.
        let (text, report) = decode(b"caf\xe9 \x81");
        assert_eq!(text, "café \u{fffd}");
        assert!(report.windows_1252);
        assert_eq!(report.controls, 1);
    }
}
