//! Diagnostics: every problem found anywhere in the pipeline, as a value.
//!
//! Stages never print and never stop at the first problem: they return
//! `Diagnostic`s, which `main` renders rustc-style at the end, each with the
//! source line it points at.

use serde::Serialize;
use std::fmt::Write as _;

/// How serious a problem is. Errors stop a build; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    pub fn render(&self, source: Option<&str>) -> String {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        let mut out = format!("{level}: {}\n", self.message);
        let snippet = source
            .filter(|_| self.line > 0)
            .and_then(|text| text.lines().nth(self.line - 1));
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
        out
    }
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
}
