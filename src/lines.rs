//! Lines of a text: a byte offset to its 1-based line and column, and a
//! line number back to its text. Imports nothing of the crate: the outline
//! parser and the model locate what they read with it, diagnostics find
//! the source line they show, and the Markdown renderer its line numbers.

/// Maps byte offsets of the file text to 1-based lines and columns, and
/// line numbers back to their text: made once per file, so that neither
/// way scans the file from the top.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The text of 1-based line `n` of `text` (the text this index was
    /// made from), as `str::lines` gives it: without its line end. `None`
    /// for line 0 or past the end.
    pub fn line_text<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(n).map_or(text.len(), |next| next - 1);
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// 1-based column in characters.
    pub fn col(&self, text: &str, offset: usize) -> usize {
        let line_start = self.starts[self.line(offset) - 1];
        text.get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(3), 2);
        assert_eq!(index.col(text, 7), 3 + 1);
    }
}
