//! Text safety: the characters no output may carry, and the one rule that
//! replaces them.
//!
//! Control characters (C0 other than tab and line ends, DEL, C1) and the
//! noncharacters U+FFFE and U+FFFF would make `feed.xml`, `sitemap.xml` or
//! an `.svg` invalid XML, and a terminal runs escape sequences made of
//! them. Each is replaced by one U+FFFD, so a reader sees that something
//! was there and line and column positions stay true (one character for
//! one). `decode` applies this to every plan as it is read; the writers of
//! pages and of terminal output apply it again to what did not come from a
//! plan's text (file names, archive manifests, the command line).

use std::borrow::Cow;

/// What a replaced character becomes.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` may not appear in any text output. Tab and LF always may;
/// CR only where `cr_allowed` (calendar files end lines with CRLF).
pub fn is_forbidden(c: char, cr_allowed: bool) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => !cr_allowed,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// A quick look at the bytes: whether `text` may hold a forbidden
/// character (C0/DEL as single bytes, C1 as C2 80..9F, U+FFFE/U+FFFF as
/// EF BF BE/BF), so clean text is returned without being copied.
fn may_hold_forbidden(bytes: &[u8], cr_allowed: bool) -> bool {
    // Every page of the site passes here: a first look, 64 bytes at a time
    // and without branches (so the compiler uses vector instructions), for
    // the bytes that can start a forbidden character, and tab and CR (rare
    // in output, and cheaper to let through than to tell apart); only a
    // chunk that holds one is looked at closely.
    let mut chunks = bytes.chunks_exact(64);
    for (n, chunk) in chunks.by_ref().enumerate() {
        if <&[u8; 64]>::try_from(chunk).map_or(true, suspect)
            && forbidden_starts_in(bytes, n * 64, 64, cr_allowed)
        {
            return true;
        }
    }
    let rest = chunks.remainder().len();
    forbidden_starts_in(bytes, bytes.len() - rest, rest, cr_allowed)
}

/// Whether `chunk` holds a byte that may start a forbidden character or is
/// a tab or CR: a control other than LF, DEL, C2 or EF. Written as one OR
/// over the bytes so that it compiles to a few vector instructions.
#[inline]
fn suspect(chunk: &[u8; 64]) -> bool {
    chunk.iter().fold(0u8, |any, &b| {
        any | (((b < 0x20) & (b != b'\n')) as u8)
            | ((b == 0x7f) as u8)
            | ((b == 0xC2) as u8)
            | ((b == 0xEF) as u8)
    }) != 0
}

/// Whether a forbidden character starts in `bytes[from..from + len]`.
fn forbidden_starts_in(bytes: &[u8], from: usize, len: usize, cr_allowed: bool) -> bool {
    (from..from + len).any(|i| match bytes[i] {
        b'\t' | b'\n' => false,
        b'\r' => !cr_allowed,
        0..=0x1f | 0x7f => true,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })
}

/// `text` with every forbidden character replaced by U+FFFD.
pub fn replace_forbidden(text: &str, cr_allowed: bool) -> Cow<'_, str> {
    if !may_hold_forbidden(text.as_bytes(), cr_allowed) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_forbidden(c, cr_allowed) {
                    REPLACEMENT
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Text for a terminal: no control character but tab and LF survives, so
/// nothing printed can move the cursor, retitle the window or ring.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    replace_forbidden(text, false)
}

/// The bytes of a text file of the site (HTML, XML, SVG, calendar) with
/// forbidden characters replaced; CR is kept. Bytes that are not UTF-8
/// are not text and are returned as they are.
pub fn clean_output(bytes: Vec<u8>) -> Vec<u8> {
    if !may_hold_forbidden(&bytes, true) {
        return bytes;
    }
    match String::from_utf8(bytes) {
        Ok(text) => match replace_forbidden(&text, true) {
            Cow::Borrowed(_) => text.into_bytes(),
            Cow::Owned(clean) => clean.into_bytes(),
        },
        Err(error) => error.into_bytes(),
    }
}

/// `n` with a comma between thousands: `39,980`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size exactly: `16,777,217 bytes`, with the MiB when it is a whole
/// number of them (`41,943,040 bytes (40 MiB)`), never rounded to one.
pub fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} bytes ({} MiB)", thousands(n), n / MIB)
    } else {
        format!("{} bytes", thousands(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_one_replacement_each() {
        let text = "a\u{1}b\u{1b}]0;x\u{7}\tc\n\u{9b}d\u{7f}\u{fffe}é✅\r";
        assert_eq!(
            for_terminal(text),
            "a\u{fffd}b\u{fffd}]0;x\u{fffd}\tc\n\u{fffd}d\u{fffd}\u{fffd}é✅\u{fffd}"
        );
        assert_eq!(
            replace_forbidden("x\r\ny", true),
            Cow::Borrowed("x\r\ny") as Cow<'_, str>
        );
        assert!(matches!(for_terminal("plain é ✅\tok\n"), Cow::Borrowed(_)));
        assert_eq!(
            clean_output(b"<p>\x01\xc2\x85</p>\r\n".to_vec()),
            "<p>\u{fffd}\u{fffd}</p>\r\n".as_bytes()
        );
        assert_eq!(
            clean_output(b"\x89PNG\x1a\xff".to_vec()),
            b"\x89PNG\x1a\xff"
        );
    }

    #[test]
    fn long_text_is_cleaned_wherever_the_character_falls() {
        let plain = "<p>é ✅ · tab\tand\r\nline</p>\n".repeat(9);
        assert!(matches!(replace_forbidden(&plain, true), Cow::Borrowed(_)));
        assert!(matches!(replace_forbidden(&plain, false), Cow::Owned(_)));
        for at in [0, 1, 62, 63, 64, 65, 127, 128, 200, plain.len()] {
            for bad in ["\u{1}", "\u{7f}", "\u{85}", "\u{ffff}"] {
                let mut text = plain.clone();
                let at = (0..=at)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text.insert_str(at, bad);
                let clean = replace_forbidden(&text, true);
                assert_eq!(clean.chars().filter(|&c| c == REPLACEMENT).count(), 1);
                assert_eq!(clean_output(text.clone().into_bytes()), clean.as_bytes());
            }
        }
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(39_980), "39,980");
        assert_eq!(thousands(16_777_217), "16,777,217");
        assert_eq!(bytes(16_777_217), "16,777,217 bytes");
        assert_eq!(bytes(40 * 1024 * 1024), "41,943,040 bytes (40 MiB)");
    }
}
