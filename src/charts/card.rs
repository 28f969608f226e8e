//! Link-preview cards: a 1200×630 drawing of a plan (title, status and
//! its reason, progress, budget, forecast) or of the portfolio (counts by
//! status), as SVG text for `raster` to turn into the PNG that `og:image`
//! names. A chart-like job, kept apart from the page charts: a card is a
//! picture with a fixed size and its own fonts (the ones `raster` ships),
//! never inline in a page and never following dark mode.
//!
//! Every text is untrusted: escaped (`escape::svg_text_into`), cut to a
//! few hundred characters before it is measured, and fitted to its room
//! with the font's own widths (`raster::text_width`), so no title can
//! make the drawing larger or slower.

use crate::derive::schedule::Rag;
use crate::escape::svg_text_into;
use crate::raster::{text_width, FAMILY};
use std::fmt::Write;

/// The size of every card, in pixels (what link previews expect).
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The most characters of one text a card looks at.
const MOST_CHARS: usize = 300;
/// Left and right margins, and where the text starts (after the stripe).
const LEFT: f32 = 80.0;
const RIGHT: f32 = 1136.0;

const TEXT: &str = "#1d2430";
const MUTED: &str = "#556070";
const BORDER: &str = "#d9dee5";
const SURFACE: &str = "#f6f7f9";
const ACCENT: &str = "#1f5fbf";

/// What a plan's card shows, every figure already in words.
#[derive(Debug, Clone, Default)]
pub struct PlanCard<'a> {
    /// The site's title, top left.
    pub site: &'a str,
    /// The week the card is of, top right (`week of 2025-03-03`): the
    /// week, not the day, so a card whose figures hold still is the same
    /// drawing all week and a daily build keeps it.
    pub week: &'a str,
    pub title: &'a str,
    pub rag: Rag,
    /// Why the plan has its status, in one line.
    pub reason: &'a str,
    /// Percent done, when there is anything to count.
    pub percent: Option<u32>,
    /// `18 of 40 tasks done`, or why there is no figure.
    pub progress: &'a str,
    /// `$50,400` (empty when the plan states no budget).
    pub budget: &'a str,
    /// `revised, from $42,000 original`.
    pub budget_detail: &'a str,
    /// The forecast finish in words; empty when there is none.
    pub forecast: &'a str,
    /// `Now: Phase 2: Build`.
    pub phase: &'a str,
}

/// What the dashboard's card shows.
#[derive(Debug, Clone, Default)]
pub struct PortfolioCard<'a> {
    pub site: &'a str,
    /// As on a plan's card.
    pub week: &'a str,
    pub plans: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub unrated: usize,
    /// Percent of all tasks done, when there are tasks.
    pub percent: Option<u32>,
    /// `41% of 1,234 tasks done`, or why there is no figure.
    pub progress: &'a str,
    /// One budget total per currency.
    pub budgets: &'a [String],
}

/// The colour of a status (the page's light palette: AA contrast on white).
fn colour(rag: Rag) -> &'static str {
    match rag {
        Rag::Red => "#b42318",
        Rag::Amber => "#8a5a00",
        Rag::Green => "#1b7a3d",
        Rag::Unrated => MUTED,
    }
}

/// A drawing being written: the SVG text and its helpers.
struct Drawing {
    svg: String,
}

impl Drawing {
    fn new(stripe: &str) -> Drawing {
        let mut svg = String::with_capacity(4096);
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="24" height="{HEIGHT}" fill="{stripe}"/>"##
        );
        Drawing { svg }
    }

    /// One line of text, fitted to `room` pixels (cut with `…`).
    fn text(&mut self, at: (f32, f32), size: f32, style: Style, text: &str, room: f32) {
        let fitted = fit(text, size, style.bold, room);
        if fitted.is_empty() {
            return;
        }
        let svg = &mut self.svg;
        svg.push_str(r#"<text x=""#);
        whole(svg, at.0);
        svg.push_str(r#"" y=""#);
        whole(svg, at.1);
        svg.push_str(r#"" font-size=""#);
        whole(svg, size);
        svg.push_str(r#"" fill=""#);
        svg.push_str(style.fill);
        svg.push('"');
        if style.bold {
            svg.push_str(r#" font-weight="bold""#);
        }
        if style.end {
            svg.push_str(r#" text-anchor="end""#);
        }
        svg.push('>');
        svg_text_into(&mut self.svg, &fitted);
        self.svg.push_str("</text>");
    }

    /// `text` wrapped into at most `lines` lines of `room` pixels, the
    /// first at `at`, each `step` below the last; returns where the next
    /// line would go.
    fn paragraph(
        &mut self,
        at: (f32, f32),
        size: f32,
        style: Style,
        text: &str,
        room: f32,
        (lines, step): (usize, f32),
    ) -> f32 {
        let mut y = at.1;
        for line in wrap(text, size, style.bold, room, lines) {
            self.text((at.0, y), size, style, &line, room);
            y += step;
        }
        y
    }

    fn rect(&mut self, at: (f32, f32), size: (f32, f32), fill: &str, radius: f32) {
        let svg = &mut self.svg;
        svg.push_str(r#"<rect x=""#);
        whole(svg, at.0);
        svg.push_str(r#"" y=""#);
        whole(svg, at.1);
        svg.push_str(r#"" width=""#);
        whole(svg, size.0.max(0.0));
        svg.push_str(r#"" height=""#);
        whole(svg, size.1.max(0.0));
        svg.push_str(r#"" rx=""#);
        whole(svg, radius);
        svg.push_str(r#"" fill=""#);
        svg.push_str(fill);
        svg.push_str(r#""/>"#);
    }

    /// A bar `percent` full, `width` wide.
    fn bar(&mut self, at: (f32, f32), width: f32, percent: u32, fill: &str) {
        self.rect(at, (width, 20.0), BORDER, 10.0);
        let done = width * percent.min(100) as f32 / 100.0;
        if done > 0.0 {
            self.rect(at, (done.max(20.0), 20.0), fill, 10.0);
        }
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

/// `value` to no decimals, as `{:.0}` writes it: a whole number (most
/// are) with `itoa`, anything else by the formatter.
fn whole(out: &mut String, value: f32) {
    if value.fract() == 0.0 && value.abs() < 16_777_216.0 && !value.is_sign_negative() {
        out.push_str(itoa::Buffer::new().format(value as u32));
    } else {
        let _ = write!(out, "{value:.0}");
    }
}

/// How a text is drawn.
#[derive(Clone, Copy)]
struct Style {
    fill: &'static str,
    bold: bool,
    /// Anchored at its right end.
    end: bool,
}

const fn style(fill: &'static str, bold: bool) -> Style {
    Style {
        fill,
        bold,
        end: false,
    }
}

/// A plan's card.
pub fn plan_card(card: &PlanCard<'_>) -> String {
    let status = colour(card.rag);
    let mut d = Drawing::new(status);
    header(&mut d, card.site, card.week);
    let room = RIGHT - LEFT;
    let mut y = d.paragraph(
        (LEFT, 178.0),
        56.0,
        style(TEXT, true),
        card.title,
        room,
        (2, 68.0),
    );
    // The status: its word on its colour, its reason beside it.
    y += 4.0;
    let label = card.rag.label().to_uppercase();
    let pill = text_width(&label, 28.0, true) + 36.0;
    d.rect((LEFT, y - 34.0), (pill, 48.0), status, 8.0);
    d.text((LEFT + 18.0, y), 28.0, style("#ffffff", true), &label, pill);
    let reason = if card.reason.is_empty() {
        "No reason given"
    } else {
        card.reason
    };
    d.paragraph(
        (LEFT + pill + 20.0, y),
        28.0,
        style(TEXT, false),
        reason,
        room - pill - 20.0,
        (2, 38.0),
    );
    figures(&mut d, card);
    d.text((LEFT, 596.0), 26.0, style(MUTED, false), card.phase, room);
    d.finish()
}

/// The site's title and the week, along the top.
fn header(d: &mut Drawing, site: &str, week: &str) {
    let date_room = text_width(week, 26.0, false);
    let end = Style {
        end: true,
        ..style(MUTED, false)
    };
    d.text((RIGHT, 78.0), 26.0, end, week, date_room + 1.0);
    d.text(
        (LEFT, 78.0),
        26.0,
        style(MUTED, true),
        site,
        RIGHT - LEFT - date_room - 40.0,
    );
}

/// Progress, budget and forecast, side by side above the footer.
fn figures(d: &mut Drawing, card: &PlanCard<'_>) {
    let mut columns: Vec<(&str, String, &str)> = Vec::new();
    let percent = card
        .percent
        .map_or_else(|| "–".to_string(), |p| format!("{p}%"));
    columns.push(("Progress", percent, card.progress));
    if card.budget.is_empty() {
        columns.push(("Budget", "–".into(), "no budget stated"));
    } else {
        columns.push(("Budget", card.budget.to_string(), card.budget_detail));
    }
    if !card.forecast.is_empty() {
        columns.push(("Forecast", String::new(), card.forecast));
    }
    let gap = 40.0;
    let width = (RIGHT - LEFT - gap * (columns.len() - 1) as f32) / columns.len() as f32;
    let top = 388.0;
    d.rect(
        (LEFT - 16.0, top),
        (RIGHT - LEFT + 32.0, 160.0),
        SURFACE,
        12.0,
    );
    for (i, (label, value, detail)) in columns.iter().enumerate() {
        let x = LEFT + i as f32 * (width + gap);
        d.text((x, top + 42.0), 24.0, style(MUTED, false), label, width);
        if value.is_empty() {
            // A forecast is words, not one figure: two lines of them.
            d.paragraph(
                (x, top + 84.0),
                28.0,
                style(TEXT, true),
                detail,
                width,
                (2, 36.0),
            );
            continue;
        }
        d.text((x, top + 92.0), 44.0, style(TEXT, true), value, width);
        if i == 0 {
            if let Some(p) = card.percent {
                let value_width = text_width(value, 44.0, true) + 16.0;
                d.bar(
                    (x + value_width, top + 74.0),
                    (width - value_width).max(0.0),
                    p,
                    ACCENT,
                );
            }
        }
        d.text((x, top + 134.0), 24.0, style(MUTED, false), detail, width);
    }
}

/// The dashboard's card: the counts by status, overall progress, budgets.
pub fn portfolio_card(card: &PortfolioCard<'_>) -> String {
    let mut d = Drawing::new(ACCENT);
    header(&mut d, "", card.week);
    let room = RIGHT - LEFT;
    // The title takes one or two lines; the count of plans follows it,
    // above the boxes wherever the title ends.
    let y = d.paragraph(
        (LEFT, 150.0),
        52.0,
        style(TEXT, true),
        card.site,
        room,
        (2, 62.0),
    );
    let plans = match card.plans {
        1 => "1 plan".to_string(),
        n => format!("{n} plans"),
    };
    d.text((LEFT, y - 10.0), 30.0, style(MUTED, false), &plans, room);
    let counts = [
        (Rag::Red, card.red),
        (Rag::Amber, card.amber),
        (Rag::Green, card.green),
        (Rag::Unrated, card.unrated),
    ];
    let gap = 24.0;
    let width = (room - gap * 3.0) / 4.0;
    let top = 300.0;
    for (i, (rag, count)) in counts.iter().enumerate() {
        let x = LEFT + i as f32 * (width + gap);
        d.rect((x, top), (width, 150.0), colour(*rag), 14.0);
        d.rect((x + 4.0, top + 4.0), (width - 8.0, 142.0), "#ffffff", 11.0);
        d.text(
            (x + 24.0, top + 84.0),
            64.0,
            style(colour(*rag), true),
            &count.to_string(),
            width - 40.0,
        );
        d.text(
            (x + 24.0, top + 126.0),
            28.0,
            style(TEXT, false),
            rag.label(),
            width - 40.0,
        );
    }
    let y = top + 210.0;
    let progress_room = if card.percent.is_some() {
        room * 0.45
    } else {
        room
    };
    d.text(
        (LEFT, y),
        28.0,
        style(TEXT, true),
        card.progress,
        progress_room,
    );
    if let Some(p) = card.percent {
        d.bar((LEFT + room * 0.5, y - 20.0), room * 0.5, p, ACCENT);
    }
    if !card.budgets.is_empty() {
        let budgets = format!("Budget {}", card.budgets.join(" · "));
        d.text((LEFT, y + 56.0), 26.0, style(MUTED, false), &budgets, room);
    }
    d.finish()
}

/// The first `MOST_CHARS` characters of `text`, on one line.
fn capped(text: &str) -> String {
    text.chars()
        .take(MOST_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to fit `room` pixels, with `…` where it was cut.
fn fit(text: &str, size: f32, bold: bool, room: f32) -> String {
    let text = capped(text);
    let text = text.trim();
    if text_width(text, size, bold) <= room {
        return text.to_string();
    }
    let ellipsis = text_width("…", size, bold);
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size, bold);
        if width + w + ellipsis > room {
            break;
        }
        width += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    if room >= ellipsis {
        out.push('…');
    }
    out
}

/// `text` broken at spaces into at most `lines` lines of `room` pixels;
/// the last line takes the rest, cut to fit. A word wider than a line is
/// cut where the line ends.
fn wrap(text: &str, size: f32, bold: bool, room: f32, lines: usize) -> Vec<String> {
    let text = capped(text);
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split_whitespace().peekable();
    while out.len() + 1 < lines && words.peek().is_some() {
        let mut line = String::new();
        while let Some(word) = words.peek() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) > room && !line.is_empty() {
                break;
            }
            line = candidate;
            words.next();
        }
        out.push(line);
    }
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() {
        out.push(rest.join(" "));
    }
    out.into_iter()
        .map(|line| fit(&line, size, bold, room))
        .filter(|line| !line.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_escaped_and_fitted() {
        let title = format!("<script>&{}", "W".repeat(10_000));
        let svg = plan_card(&PlanCard {
            title: &title,
            reason: "\"quoted\" & 'single'",
            ..PlanCard::default()
        });
        assert!(!svg.contains("<script>"), "escaped");
        assert!(svg.contains("&lt;script&gt;&amp;"));
        assert!(svg.contains("&quot;quoted&quot; &amp; &apos;single&apos;"));
        assert!(
            svg.len() < 8_000,
            "a long title is cut: {} bytes",
            svg.len()
        );
        assert!(svg.contains('…'));
        roxmltree::Document::parse(&svg).expect("well-formed");
    }

    #[test]
    fn wrapping_keeps_words_and_lines() {
        let lines = wrap("alpha beta gamma delta epsilon", 40.0, false, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("alpha"), "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 40.0, false) <= 300.0, "{line}");
        }
        assert_eq!(wrap("short", 40.0, false, 300.0, 2), vec!["short"]);
        assert!(wrap("", 40.0, false, 300.0, 2).is_empty());
        let word = wrap(&"x".repeat(400), 40.0, false, 300.0, 2);
        assert_eq!(word.len(), 1, "{word:?}");
        assert!(word[0].ends_with('…'));
    }

    #[test]
    fn whole_numbers_are_written_as_the_formatter_writes_them() {
        for value in [
            0.0f32,
            -0.0,
            1.0,
            78.0,
            1136.0,
            0.5,
            1.5,
            2.5,
            -3.0,
            12.49,
            1e9,
            16_777_215.0,
        ] {
            let mut out = String::new();
            whole(&mut out, value);
            assert_eq!(out, format!("{value:.0}"), "{value}");
        }
    }

    #[test]
    fn a_forecast_adds_a_column() {
        let without = plan_card(&PlanCard::default());
        let with = plan_card(&PlanCard {
            forecast: "forecast 2025-05-02 (85%: 2025-05-16)",
            ..PlanCard::default()
        });
        assert!(!without.contains("Forecast"));
        assert!(with.contains("Forecast") && with.contains("2025-05-16"));
    }
}
