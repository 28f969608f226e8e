//! What every chart shares: the palette (drawn in token colours that the
//! backend writes as CSS variables, so charts follow the page's light and
//! dark themes), labels made safe and short, money on axes, and the
//! accessible wrapper (`role="img"`, `<title>`, `<desc>`).

use crate::escape::{markup, markup_into};
use plotters::style::RGBColor;

/// Token colours: plotters draws with these, and the backend writes each
/// as a CSS variable with a fallback. Their values are never shown.
pub const TEXT: RGBColor = RGBColor(1, 1, 1);
pub const GRID: RGBColor = RGBColor(2, 2, 2);
pub const SERIES_1: RGBColor = RGBColor(3, 3, 3);
pub const SERIES_2: RGBColor = RGBColor(4, 4, 4);
pub const GOOD: RGBColor = RGBColor(5, 5, 5);
pub const BAD: RGBColor = RGBColor(6, 6, 6);
pub const AMBER: RGBColor = RGBColor(7, 7, 7);

/// (token, CSS variable, fallback). The theme's stylesheet sets the
/// variables, for light and dark.
pub(super) const PALETTE: &[(RGBColor, &str, &str)] = &[
    (TEXT, "--chart-text", "#1d2430"),
    (GRID, "--chart-grid", "#d9dee5"),
    (SERIES_1, "--chart-1", "#1f5fbf"),
    (SERIES_2, "--chart-2", "#7d8a9b"),
    (GOOD, "--chart-3", "#1b7a3d"),
    (BAD, "--chart-4", "#b42318"),
    (AMBER, "--chart-5", "#b07800"),
];

/// The font family written into chart text.
pub const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// A chart label: control characters removed, whitespace folded, at most
/// `max` characters (with an ellipsis). The full text goes in the data table.
pub fn label(text: &str, max: usize) -> String {
    // Most labels are already so: printable ASCII, single spaces inside,
    // short enough. Those are written as they are.
    let bytes = text.as_bytes();
    if bytes.len() <= max
        && bytes.first().is_none_or(|b| *b != b' ')
        && bytes.last().is_none_or(|b| *b != b' ')
        && bytes.iter().all(|b| (b' '..=b'~').contains(b))
        && !text.contains("  ")
    {
        return text.to_string();
    }
    if let Some(clean) = already_clean(text, max) {
        return clean;
    }
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    let folded = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        folded
    } else {
        let cut: String = folded.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `label` of a text that needs no cleaning (no control or direction
/// character, no whitespace but single spaces between words), in one pass
/// over it: the text, or its first `max - 1` characters and an ellipsis;
/// `None` for any other text.
fn already_clean(text: &str, max: usize) -> Option<String> {
    let mut space = true;
    let mut count = 0;
    let mut cut = None;
    for (at, c) in text.char_indices() {
        if c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (c.is_whitespace() && (c != ' ' || space))
        {
            return None;
        }
        space = c == ' ';
        if count == max.saturating_sub(1) {
            cut = Some(at);
        }
        count += 1;
    }
    if space && count > 0 {
        return None;
    }
    if count <= max {
        return Some(text.to_string());
    }
    let kept = text[..cut.unwrap_or(0)].trim_end();
    let mut short = String::with_capacity(kept.len() + '…'.len_utf8());
    short.push_str(kept);
    short.push('…');
    Some(short)
}

/// Money on an axis: `$0`, `$950`, `$10k`, `$1.2M`.
pub fn money_axis(value: f64, symbol: &str) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    // An axis's figures are round: a whole number of units, or of tenths
    // of a thousand or a million, is written from its digits (what the
    // float formatting below writes for it, without its cost).
    if abs.fract() == 0.0 && abs < 4_503_599_627_370_496.0 {
        let whole = abs as u64;
        let (unit, suffix) = if abs >= 1_000_000.0 {
            (1_000_000, "M")
        } else if abs >= 1_000.0 {
            (1_000, "k")
        } else {
            (1, "")
        };
        if unit == 1 || whole % (unit / 10) == 0 {
            let mut out = String::with_capacity(sign.len() + symbol.len() + 8);
            out.push_str(sign);
            out.push_str(symbol);
            let mut digits = itoa::Buffer::new();
            out.push_str(digits.format(whole / unit));
            let tenths = whole % unit / (unit / 10).max(1);
            if unit > 1 && tenths != 0 {
                out.push('.');
                out.push_str(digits.format(tenths));
            }
            out.push_str(suffix);
            return out;
        }
    }
    money_axis_formatted(value, symbol)
}

/// `money_axis` through the float formatter, for any value (the
/// definition its round-figure path writes alike).
fn money_axis_formatted(value: f64, symbol: &str) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let body = if abs >= 1_000_000.0 {
        trim_zero(format!("{:.1}", abs / 1_000_000.0)) + "M"
    } else if abs >= 1_000.0 {
        trim_zero(format!("{:.1}", abs / 1_000.0)) + "k"
    } else {
        format!("{abs:.0}")
    };
    format!("{sign}{symbol}{body}")
}

/// The symbol written before amounts of `currency` on an axis: `$`, `€`,
/// or the code and a space (`CHF `).
pub fn currency_symbol(currency: crate::parse::money::Currency) -> String {
    let zero = crate::parse::money::Money::new(0, currency).display();
    let symbol = zero.trim_end_matches('0').trim().to_string();
    if symbol.chars().any(char::is_alphabetic) {
        format!("{currency} ")
    } else {
        symbol
    }
}

/// A value as `{v:.0}` writes it, with `itoa` when it is a whole number
/// (nearly every axis label is).
pub fn no_decimals(v: f64) -> String {
    if v.fract() == 0.0 && !v.is_sign_negative() && v < 4_503_599_627_370_496.0 {
        itoa::Buffer::new().format(v as u64).to_string()
    } else {
        format!("{v:.0}")
    }
}

/// A day as `%-d %b` writes it (`3 Mar`): an axis has a dozen.
pub fn day_month(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut out = String::with_capacity(6);
    out.push_str(itoa::Buffer::new().format(day.day()));
    out.push(' ');
    out.push_str(MONTHS[day.month0() as usize % 12]);
    out
}

fn trim_zero(text: String) -> String {
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Turns a drawing into the chart we publish: the root gets its class and
/// its accessible name and description (ids from `id`, which must differ
/// between the drawings of one page).
pub fn finish(drawing: &str, id: &str, class: &str, title: &str, description: &str) -> String {
    // A drawing of the backend starts `<svg `: written once, into a
    // string of its size, in place of the text that was replaced and
    // inserted into.
    if let Some(rest) = drawing.strip_prefix("<svg") {
        if !id.contains('>') && !class.contains('>') {
            let mut out = String::with_capacity(
                drawing.len() + 2 * id.len() + class.len() + title.len() + description.len() + 200,
            );
            for part in [
                "<svg role=\"img\" aria-labelledby=\"",
                id,
                "-title ",
                id,
                "-desc\" class=\"",
                class,
                "\" preserveAspectRatio=\"xMidYMid meet\"",
            ] {
                out.push_str(part);
            }
            let Some(open_end) = rest.find('>') else {
                out.push_str(rest);
                return out;
            };
            out.push_str(&rest[..=open_end]);
            for part in ["\n<title id=\"", id, "-title\">"] {
                out.push_str(part);
            }
            markup_into(&mut out, title);
            for part in ["</title>\n<desc id=\"", id, "-desc\">"] {
                out.push_str(part);
            }
            markup_into(&mut out, description);
            out.push_str("</desc>\n");
            out.push_str(&rest[open_end + 1..]);
            return out;
        }
    }
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let head = format!(
        "<svg role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" class=\"{class}\" preserveAspectRatio=\"xMidYMid meet\""
    );
    let mut out = drawing.replacen("<svg", &head, 1);
    let Some(open_end) = out.find('>') else {
        return out;
    };
    let inner = format!(
        "\n<title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>\n",
        markup(title),
        markup(description)
    );
    out.insert_str(open_end + 1, &inner);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_safe_and_short() {
        assert_eq!(label("a\u{0}b\u{202E}c  d", 20), "a bc d");
        assert_eq!(
            label("Monitoring and security hardening", 12),
            "Monitoring…"
        );
    }

    #[test]
    fn clean_labels_are_cut_as_any_label_is() {
        // The general way, forced by a control character it turns into a
        // space and then folds away.
        let general = |text: &str, max: usize| label(&format!("\u{7}{text}"), max);
        for text in [
            "",
            "a",
            "Monitoring and security hardening",
            "Week 3–4: Überprüfung der Sicherheit 🚀 und mehr",
            "ab cd ef",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\u{a0}b",
            "x\u{202E}y",
        ] {
            for max in 0..50 {
                assert_eq!(label(text, max), general(text, max), "{text:?} {max}");
            }
        }
    }

    #[test]
    fn money_axis_is_compact() {
        assert_eq!(money_axis(10_000.0, "$"), "$10k");
        assert_eq!(money_axis(1_250_000.0, "€"), "€1.2M");
        assert_eq!(money_axis(950.0, "£"), "£950");
        assert_eq!(money_axis(0.0, "$"), "$0");
    }

    #[test]
    fn round_figures_are_written_as_the_formatter_writes_them() {
        for value in [
            0.0,
            -0.0,
            5.0,
            950.0,
            999.0,
            1_000.0,
            1_100.0,
            1_150.0,
            2_500.0,
            10_000.0,
            -20_000.0,
            999_900.0,
            999_950.0,
            1_000_000.0,
            1_200_000.0,
            1_250_000.0,
            12_300_000.0,
            0.5,
            2.5,
            1e17,
            123_456_700_000.0,
        ] {
            assert_eq!(
                money_axis(value, "$"),
                money_axis_formatted(value, "$"),
                "{value}"
            );
        }
        for value in [0.0, -0.0, 1.0, 12.0, 0.5, 1.5, 2.5, -3.0, 1e20] {
            assert_eq!(no_decimals(value), format!("{value:.0}"), "{value}");
        }
        let mut day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("day");
        for _ in 0..400 {
            assert_eq!(day_month(day), day.format("%-d %b").to_string());
            day = day.succ_opt().expect("next");
        }
    }

    #[test]
    fn the_root_gets_its_accessible_name_and_description() {
        let svg = r##"<svg width="10" height="10" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg">
<rect x="1"/>
</svg>
"##;
        let out = finish(svg, "c1", "chart-svg", "T & <t>", "D");
        assert!(
            out.contains("<title id=\"c1-title\">T &amp; &lt;t&gt;</title>"),
            "{out}"
        );
        assert!(
            out.starts_with("<svg role=\"img\" aria-labelledby=\"c1-title c1-desc\""),
            "{out}"
        );
    }
}
