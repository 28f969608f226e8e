//! Diagnostics: every problem found anywhere in the pipeline, as a value.
//!
//! Stages never print and never stop at the first problem: they return
//! `Diagnostic`s, which `main` renders rustc-style at the end, each with the
//! source line it points at. Source lines are found through `SourceLines`
//! (a line index) made once per file, and at most `SHOWN_PER_KIND` warnings of one kind
//! are shown per file, then one line counting the rest (`capped`).

use crate::lines::LineIndex;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

/// How serious a problem is. Errors stop a build; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

/// One problem, located at `file:line:col` (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, file, line, col, message)
    }

    pub fn error(file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self::new(Level::Error, file, line, col, message)
    }

    fn new(level: Level, file: &str, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            file: file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Renders the diagnostic the way rustc does: the message, the location,
    /// and the source line it points at (when `source` holds that line).
    /// For one diagnostic; `render_all` renders many.
    pub fn render(&self, source: Option<&str>) -> String {
        let line = source.and_then(|text| SourceLines::new(text).line(self.line));
        self.render_line(line)
    }

    /// Renders the diagnostic with `line_text`, the text of its line.
    /// Control characters are shown as U+FFFD: nothing printed can act on
    /// the terminal.
    pub fn render_line(&self, line_text: Option<&str>) -> String {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        let mut out = format!("{level}: {}\n", self.message);
        let snippet = line_text.filter(|_| self.line > 0);
        let gutter = if snippet.is_some() {
            self.line.to_string().len()
        } else {
            0
        };
        let pad = " ".repeat(gutter);
        let _ = match (self.line, self.col) {
            (0, _) => writeln!(out, "{pad}--> {}", self.file),
            (line, 0) => writeln!(out, "{pad}--> {}:{line}", self.file),
            (line, col) => writeln!(out, "{pad}--> {}:{line}:{col}", self.file),
        };
        if let Some(line_text) = snippet {
            let shown = shorten(line_text, 160);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", self.line, shown);
            if self.col > 0 && self.col <= shown.chars().count() {
                let lead: String = shown
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "{pad} | {lead}^");
            } else {
                let _ = writeln!(out, "{pad} |");
            }
        }
        crate::text::for_terminal(&out).into_owned()
    }

    /// The kind of a warning, for capping repeats: its file and its
    /// message's template, which is the message with the text of each
    /// `quoted` part and each number masked. `budget row `Extra 7` matches
    /// no phase` and `budget row `Extra 8` matches no phase` are one kind;
    /// a different sentence is another.
    pub fn kind(&self) -> (Level, &str, String) {
        let mut template = String::with_capacity(self.message.len());
        let mut quoted = false;
        let mut in_number = false;
        for c in self.message.chars() {
            if c == '`' {
                quoted = !quoted;
                in_number = false;
                template.push(c);
            } else if quoted {
                continue;
            } else if c.is_ascii_digit() {
                if !in_number {
                    template.push('#');
                }
                in_number = true;
            } else if in_number && (c == ',' || c == '.') {
                continue;
            } else {
                in_number = false;
                template.push(c);
            }
        }
        (self.level, &self.file, template)
    }
}

/// A text with its line index, made once per file: the text of any line
/// is then a slice, not a scan from the top of the file.
#[derive(Debug, Clone)]
pub struct SourceLines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> SourceLines<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceLines {
            text,
            index: LineIndex::new(text),
        }
    }

    /// The text of 1-based line `n`, as `str::lines` gives it (without its
    /// line end); `None` for line 0 or past the end.
    pub fn line(&self, n: usize) -> Option<&'a str> {
        self.index.line_text(self.text, n)
    }
}

/// At most this many warnings of one kind (see `Diagnostic::kind`) are
/// printed and listed per file; one line then counts the rest.
pub const SHOWN_PER_KIND: usize = 20;

/// One entry of a capped list: a diagnostic, or the count of the warnings
/// of its kind left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown<'a> {
    One(&'a Diagnostic),
    More { like: &'a Diagnostic, count: usize },
}

impl Shown<'_> {
    /// `… and 39,980 more warnings like this in content/plan.md`.
    pub fn more_message(like: &Diagnostic, count: usize) -> String {
        let noun = match (like.level, count) {
            (Level::Warning, 1) => "warning",
            (Level::Warning, _) => "warnings",
            (Level::Error, 1) => "error",
            (Level::Error, _) => "errors",
        };
        format!(
            "… and {} more {noun} like this in {}",
            crate::text::thousands(count as u64),
            like.file
        )
    }
}

/// The diagnostics to show, in order: every error, and the first
/// `SHOWN_PER_KIND` warnings of each kind, the count of the rest of a kind
/// right after its last one shown would have been.
pub fn capped(diagnostics: &[Diagnostic]) -> Vec<Shown<'_>> {
    let mut totals: HashMap<(Level, &str, String), usize> = HashMap::new();
    for d in diagnostics.iter().filter(|d| !d.is_error()) {
        *totals.entry(d.kind()).or_default() += 1;
    }
    if totals.values().all(|&n| n <= SHOWN_PER_KIND) {
        return diagnostics.iter().map(Shown::One).collect();
    }
    let mut seen: HashMap<(Level, &str, String), usize> = HashMap::new();
    let mut shown = Vec::new();
    for d in diagnostics {
        if d.is_error() {
            shown.push(Shown::One(d));
            continue;
        }
        let kind = d.kind();
        let total = totals.get(&kind).copied().unwrap_or(0);
        let count = seen.entry(kind).or_default();
        *count += 1;
        if *count <= SHOWN_PER_KIND {
            shown.push(Shown::One(d));
        }
        if *count == total && total > SHOWN_PER_KIND {
            shown.push(Shown::More {
                like: d,
                count: total - SHOWN_PER_KIND,
            });
        }
    }
    shown
}

/// Renders diagnostics for the terminal, each with its source line from
/// `sources` (by file, each file indexed once), capped as `capped` says,
/// one blank line after each.
pub fn render_all(diagnostics: &[Diagnostic], sources: &HashMap<String, String>) -> String {
    let mut indexes: HashMap<&str, Option<SourceLines<'_>>> = HashMap::new();
    let mut out = String::new();
    for shown in capped(diagnostics) {
        match shown {
            Shown::One(d) => {
                let index = indexes
                    .entry(d.file.as_str())
                    .or_insert_with(|| sources.get(&d.file).map(|t| SourceLines::new(t)));
                let line = index.as_ref().and_then(|i| i.line(d.line));
                out.push_str(&d.render_line(line));
            }
            Shown::More { like, count } => {
                let note = format!("note: {}\n", Shown::more_message(like, count));
                out.push_str(&crate::text::for_terminal(&note));
            }
        }
        out.push('\n');
    }
    out
}

/// Cuts a long line for display, on a character boundary.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max_chars).collect();
    cut.push('…');
    cut
}

/// Finds the 1-based column of `needle` in `line`, counting characters.
/// Used to point a diagnostic at the figure that disagrees.
pub fn column_of(line: &str, needle: &str) -> usize {
    match line.find(needle) {
        Some(byte) if !needle.is_empty() => line[..byte].chars().count() + 1,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_and_source_line() {
        let d = Diagnostic::warning("content/plan.md", 2, 5, "budget differs");
        let text = d.render(Some("# Title\nabc $100\n"));
        assert!(text.starts_with("warning: budget differs\n"));
        assert!(text.contains(" --> content/plan.md:2:5\n"));
        assert!(text.contains("2 | abc $100\n"));
        assert!(text.contains("  |     ^\n"));
    }

    #[test]
    fn renders_without_source() {
        let d = Diagnostic::error("site.toml", 0, 0, "cannot read");
        assert_eq!(d.render(None), "error: cannot read\n--> site.toml\n");
    }

    #[test]
    fn line_index_gives_the_lines_str_lines_gives() {
        for text in ["", "a", "a\n", "a\n\n", "a\nb", "\n\nc\r\nd\n", "é\n✅ x\n"] {
            let index = SourceLines::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let got: Vec<&str> = (1..=expected.len() + 2)
                .map_while(|n| index.line(n))
                .collect();
            assert_eq!(got, expected, "{text:?}");
            assert_eq!(index.line(0), None);
            assert_eq!(index.line(expected.len() + 1), None);
        }
    }

    #[test]
    fn repeats_of_one_kind_are_capped_per_file_with_a_count() {
        let row = |file: &str, n: usize| {
            Diagnostic::warning(
                file,
                n,
                1,
                format!("budget row `Extra {n}` matches no phase of the plan"),
            )
        };
        let mut all: Vec<Diagnostic> = (1..=25).map(|n| row("a.md", n)).collect();
        all.push(Diagnostic::warning("a.md", 30, 1, "a different sentence"));
        all.extend((1..=3).map(|n| row("b.md", n)));
        all.push(Diagnostic::error("a.md", 40, 1, "an error"));
        let shown = capped(&all);
        let ones = shown.iter().filter(|s| matches!(s, Shown::One(_))).count();
        assert_eq!(ones, 20 + 1 + 3 + 1);
        let more: Vec<String> = shown
            .iter()
            .filter_map(|s| match s {
                Shown::More { like, count } => Some(Shown::more_message(like, *count)),
                Shown::One(_) => None,
            })
            .collect();
        assert_eq!(more, ["… and 5 more warnings like this in a.md"]);
        // The count comes right after the last of its kind.
        assert!(matches!(shown[20], Shown::More { .. }));
        // Numbers are part of the template, not of the kind.
        let money =
            |n: &str| Diagnostic::warning("a.md", 1, 1, format!("Week {n} budget is ${n},000"));
        assert_eq!(money("1").kind(), money("22").kind());
        assert_ne!(
            money("1").kind(),
            Diagnostic::warning("a.md", 1, 1, "Sprint 1 budget is $1,000").kind()
        );
    }
}
