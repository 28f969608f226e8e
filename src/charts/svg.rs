//! SVG finishing shared by every chart: the palette (drawn in token colours
//! that become CSS variables, so charts follow the page's light and dark
//! themes), labels made safe and short, money on axes, and the accessible
//! wrapper (`role="img"`, `<title>`, `<desc>`).

use plotters::style::RGBColor;

/// Token colours: plotters draws with these, `finish` swaps each for a CSS
/// variable with a fallback. Their values are never shown.
pub const TEXT: RGBColor = RGBColor(1, 1, 1);
pub const GRID: RGBColor = RGBColor(2, 2, 2);
pub const SERIES_1: RGBColor = RGBColor(3, 3, 3);
pub const SERIES_2: RGBColor = RGBColor(4, 4, 4);
pub const GOOD: RGBColor = RGBColor(5, 5, 5);
pub const BAD: RGBColor = RGBColor(6, 6, 6);
pub const AMBER: RGBColor = RGBColor(7, 7, 7);

/// (token, CSS variable, fallback). The theme's stylesheet sets the
/// variables, for light and dark.
const PALETTE: &[(&str, &str, &str)] = &[
    ("#010101", "--chart-text", "#1d2430"),
    ("#020202", "--chart-grid", "#d9dee5"),
    ("#030303", "--chart-1", "#1f5fbf"),
    ("#040404", "--chart-2", "#7d8a9b"),
    ("#050505", "--chart-3", "#1b7a3d"),
    ("#060606", "--chart-4", "#b42318"),
    ("#070707", "--chart-5", "#b07800"),
];

/// The font family written into chart text.
pub const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// A chart label: control characters removed, whitespace folded, at most
/// `max` characters (with an ellipsis). The full text goes in the data table.
pub fn label(text: &str, max: usize) -> String {
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

/// Money on an axis: `$0`, `$950`, `$10k`, `$1.2M`.
pub fn money_axis(value: f64, symbol: &str) -> String {
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

fn trim_zero(text: String) -> String {
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Swaps plotters' token colours for CSS variables: each element's token
/// `fill` and `stroke` attributes become one `style` attribute at its end.
/// A plain scan, not a regex: this runs over every element of every chart.
///
/// The same scan drops what plotters writes that changes nothing: default
/// `opacity` and `stroke-width`, the font family (the chart is inline and
/// takes the page's font), font sizes to fifteen decimals, and the line
/// breaks around every label. Charts are about a third smaller.
pub fn recolour(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        let trimmed = text.trim();
        out.push_str(if trimmed.is_empty() && !text.is_empty() {
            "\n"
        } else {
            trimmed
        });
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        rewrite_tag(&after[..=close], &mut out);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// One tag, attribute by attribute (`name="value"`, as plotters writes
/// them): token colours gathered into a style, defaults dropped.
fn rewrite_tag(tag: &str, out: &mut String) {
    let mut style = String::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let Some(len) = rest[eq + 2..].find('"') else {
            break;
        };
        let end = eq + 2 + len + 1;
        let name_start = rest[..eq].rfind(' ').unwrap_or(0);
        let name = rest[name_start..eq].trim_start();
        let value = &rest[eq + 2..end - 1];
        out.push_str(&rest[..name_start]);
        let token = || PALETTE.iter().find(|(token, ..)| *token == value);
        match name {
            "opacity" | "stroke-width" if value == "1" => {}
            "font-family" => {}
            "font-size" => {
                out.push_str(" font-size=\"");
                if value == "12.903225806451614" {
                    // Plotters' label size, nearly every time: no parsing.
                    out.push_str("12.9");
                } else {
                    match value.parse::<f64>() {
                        Ok(size) => out.push_str(&trim_zero(format!("{size:.1}"))),
                        Err(_) => out.push_str(value),
                    }
                }
                out.push('"');
            }
            "fill" | "stroke" if token().is_some() => {
                if let Some((_, var, light)) = token() {
                    if !style.is_empty() {
                        style.push(';');
                    }
                    for part in [name, ":var(", var, ",", light, ")"] {
                        style.push_str(part);
                    }
                }
            }
            _ => out.push_str(&rest[name_start..end]),
        }
        rest = &rest[end..];
    }
    if style.is_empty() {
        out.push_str(rest);
        return;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push_str(" style=\"");
    out.push_str(&style);
    out.push('"');
    out.push_str(rest.trim_start());
}

/// Turns a recoloured plotters drawing into the chart we publish: the root
/// gets its accessible name and description.
pub fn finish(recoloured: &str, id: &str, title: &str, description: &str) -> String {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let head = format!(
        "<svg role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" class=\"chart-svg\" preserveAspectRatio=\"xMidYMid meet\""
    );
    let mut out = recoloured.replacen("<svg", &head, 1);
    let Some(open_end) = out.find('>') else {
        return out;
    };
    let inner = format!(
        "\n<title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>\n",
        escape(title),
        escape(description)
    );
    out.insert_str(open_end + 1, &inner);
    out
}

/// Escapes text for XML and HTML content and attributes (control
/// characters other than tab and newline become spaces).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
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
    fn money_axis_is_compact() {
        assert_eq!(money_axis(10_000.0, "$"), "$10k");
        assert_eq!(money_axis(1_250_000.0, "€"), "€1.2M");
        assert_eq!(money_axis(950.0, "£"), "£950");
        assert_eq!(money_axis(0.0, "$"), "$0");
    }

    #[test]
    fn tokens_become_variables_in_one_style_attribute() {
        let svg = r##"<svg width="10" height="10" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><rect fill="#030303" stroke="#010101" x="1"/><text fill="#010101">a &amp; b</text></svg>"##;
        let out = finish(&recolour(svg), "c1", "T & <t>", "D");
        assert!(out.contains(r#"<rect x="1" style="fill:var(--chart-1,#1f5fbf);stroke:var(--chart-text,#1d2430)"/>"#) || out.contains("style=\"fill:var(--chart-1,#1f5fbf);stroke:var(--chart-text,#1d2430)\""), "{out}");
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
