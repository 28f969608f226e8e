//! Escaping: one function for each context in which the site writes text
//! into a syntax of its own. Imports nothing of the crate; every stage that
//! writes markup, script data or calendar text escapes through here.
//!
//! The contexts:
//!
//! - **markup** ([`markup_into`], [`markup`], [`markup_bytes`],
//!   [`markup_write`]): text in HTML or XML, as element content or as a
//!   quoted attribute value (either quote). `&` `<` `>` `"` `'` become
//!   `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`; everything else is kept.
//!   These are Tera's rules (templates are escaped with them), and the
//!   charts' titles, the error page of `serve` and prose shown as typed use
//!   them too.
//! - **chart drawing text** ([`svg_text_into`]): the text of a chart's SVG
//!   `<text>` elements. The same five characters, but the apostrophe is
//!   written XML's way, `&apos;` (any XML or HTML5 reader reads both
//!   alike). It is kept apart from markup only because charts have always
//!   been published so: writing `&#39;` would change the bytes of every
//!   chart with an apostrophe in a label.
//! - **JSON in a script block** ([`script_json_into`]): JSON text placed
//!   in a `<script>` element, where no entity is decoded: `<` `>` `&` and
//!   U+2028, U+2029 become `\u` escapes, so `</script>` and `<!--` cannot
//!   end or open anything and no string holds a JavaScript line end.
//! - **iCalendar text** ([`ical_text`]): a TEXT property value (RFC 5545):
//!   `\` `;` `,` are escaped with a backslash, CR and LF become spaces (a
//!   summary stays one line), other control characters are dropped.
//!
//! Control characters are not escaping's concern in markup: plan text has
//! none once decoded, and every text file of the site is cleaned on the way
//! out (`text::clean_output`), so one rule replaces them everywhere.

use std::io;

/// Writes `text` escaped for markup, a run of plain text at a time, with
/// `apostrophe` as the entity for `'`. The five characters are ASCII, so a
/// byte scan finds them and every cut falls on a character boundary.
#[inline]
fn five<E>(
    text: &str,
    apostrophe: &'static str,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = text.as_bytes();
    // Most text has none of the five: it is tested eight bytes at a time,
    // and looked at byte by byte only from the first word with one.
    let Some(start) = first_special(bytes) else {
        return if text.is_empty() { Ok(()) } else { emit(text) };
    };
    let mut clean = 0;
    for (i, &byte) in bytes.iter().enumerate().skip(start) {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => apostrophe,
            _ => continue,
        };
        if clean < i {
            emit(&text[clean..i])?;
        }
        emit(entity)?;
        clean = i + 1;
    }
    if clean < text.len() {
        emit(&text[clean..])?;
    }
    Ok(())
}

/// Where the first eight bytes of `bytes` holding one of the five
/// characters start, or `None`: read eight bytes at a time (the last eight
/// overlapping the word before; four to seven bytes as two overlapping
/// halves), each word tested at once for a zero byte after matching.
fn first_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether a byte of `x` is zero: exact as to whether there is one.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    // `"`; `&` and `'` (0x26, 0x27: alike but for the lowest bit); `<`
    // and `>` (0x3C, 0x3E: alike but for the second bit).
    let word = |x: u64| {
        (zero(x ^ (ONES * 0x22))
            | zero((x | ONES) ^ (ONES * 0x27))
            | zero((x | (ONES * 2)) ^ (ONES * 0x3E)))
            & HIGH
            != 0
    };
    let load = |word: &[u8]| <[u8; 8]>::try_from(word).map(u64::from_le_bytes);
    let half = |half: &[u8]| <[u8; 4]>::try_from(half).map(|h| u64::from(u32::from_le_bytes(h)));
    let len = bytes.len();
    let found = match len {
        0..=3 => bytes
            .iter()
            .any(|&b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')),
        4..=7 => match (bytes.get(..4).map(half), bytes.get(len - 4..).map(half)) {
            (Some(Ok(low)), Some(Ok(high))) => word(low | high << 32),
            _ => true,
        },
        _ => {
            if let Some(n) = bytes
                .chunks_exact(8)
                .position(|chunk| load(chunk).map_or(true, word))
            {
                return Some(n * 8);
            }
            let last = len - 8;
            return bytes
                .get(last..)
                .is_none_or(|tail| load(tail).map_or(true, word))
                .then_some(last);
        }
    };
    found.then_some(0)
}

/// Markup: appends `text` to `out` escaped for HTML or XML element content
/// or a quoted attribute value (`& < > " '` as `&amp; &lt; &gt; &quot;
/// &#39;`).
pub fn markup_into(out: &mut String, text: &str) {
    let _: Result<(), std::convert::Infallible> = five(text, "&#39;", |run| {
        out.push_str(run);
        Ok(())
    });
}

/// Markup: `text` escaped as [`markup_into`] does, as a new string.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    markup_into(&mut out, text);
    out
}

/// Markup, appended to `out` as [`markup_into`] does (for pages written
/// without Tera).
pub fn markup_bytes(out: &mut Vec<u8>, text: &str) {
    let _: Result<(), std::convert::Infallible> = five(text, "&#39;", |run| {
        out.extend_from_slice(run.as_bytes());
        Ok(())
    });
}

/// Markup, written to `out`: the escape function Tera's autoescaping calls
/// for every value a template prints (its own rules, written a run at a
/// time: Tera's writes every byte through `dyn Write`, and escaping was a
/// twentieth of a build).
pub fn markup_write(text: &str, out: &mut dyn io::Write) -> io::Result<()> {
    five(text, "&#39;", |run| out.write_all(run.as_bytes()))
}

/// Chart drawing text: appends `text` to `out` escaped for the content of
/// an SVG `<text>` element: `& < > " '` as `&amp; &lt; &gt; &quot; &apos;`.
pub fn svg_text_into(out: &mut String, text: &str) {
    let _: Result<(), std::convert::Infallible> = five(text, "&apos;", |run| {
        out.push_str(run);
        Ok(())
    });
}

/// JSON in a script block: appends `json` (serialised JSON) to `out` with
/// `<`, `>`, `&`, U+2028 and U+2029 written as `\u003c`, `\u003e`,
/// `\u0026`, `\u2028`, `\u2029`. The result is still the same JSON value.
/// It is not for attribute values: `"` is left as it is.
pub fn script_json_into(out: &mut String, json: &str) {
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

/// iCalendar text: `value` as an RFC 5545 TEXT value on one line: `\`,
/// `;` and `,` escaped with a backslash, CR and LF as spaces, any other
/// control character (tab too) dropped.
pub fn ical_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[&str] = &[
        "",
        "plain",
        "a & b <c> \"d\" 'e'",
        "&&<<",
        "é → ✅ <>",
        "x'",
        "'",
        "tab\tand\nline",
        "a line of plain text longer than two blocks of sixteen",
        "fifteen bytes: <sixteen bytes!!>'",
        "0123456789abcdef0123456789abcdef&",
        "é → ✅ é → ✅ é → ✅ é → ✅ <é> → ✅ \"quoted\" and 'so'",
    ];

    #[test]
    fn markup_is_teras() {
        for text in SAMPLES {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            markup_write(text, &mut ours).expect("escape");
            tera::escape_html(text, &mut theirs).expect("escape");
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(markup(text).into_bytes(), theirs, "{text}");
        }
    }

    #[test]
    fn every_special_is_found_wherever_it_is() {
        for special in ["&", "<", ">", "\"", "'", "é"] {
            for len in 1..20 {
                for at in 0..len {
                    let mut text = "x".repeat(len);
                    text.replace_range(at..at + 1, special);
                    let mut theirs = Vec::new();
                    tera::escape_html(&text, &mut theirs).expect("escape");
                    assert_eq!(markup(&text).into_bytes(), theirs, "{text}");
                    let mut bytes = Vec::new();
                    markup_bytes(&mut bytes, &text);
                    assert_eq!(bytes, theirs, "{text}");
                }
            }
        }
    }

    #[test]
    fn chart_text_spells_the_apostrophe_as_xml_does() {
        let mut out = String::new();
        svg_text_into(&mut out, "a & 'b' <c> \"d\"");
        assert_eq!(out, "a &amp; &apos;b&apos; &lt;c&gt; &quot;d&quot;");
        for text in SAMPLES {
            let mut out = String::new();
            svg_text_into(&mut out, text);
            assert_eq!(out.replace("&apos;", "&#39;"), markup(text), "{text}");
        }
    }

    #[test]
    fn script_json_cannot_close_the_block() {
        let mut out = String::new();
        script_json_into(&mut out, "\"</script><!-- \u{2028}\u{2029} & x\"");
        assert_eq!(
            out,
            "\"\\u003c/script\\u003e\\u003c!-- \\u2028\\u2029 \\u0026 x\""
        );
    }

    #[test]
    fn ical_text_is_one_escaped_line() {
        assert_eq!(
            ical_text("Launch, Phase; One\\two\r\nthree\tfour\u{7}"),
            "Launch\\, Phase\\; One\\\\two  threefour"
        );
    }
}
