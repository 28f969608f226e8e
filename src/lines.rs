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
        // About one line in 16 bytes: room for most files without growing.
        let mut starts = Vec::with_capacity(text.len() / 16 + 2);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        LineIndex { starts }
    }

    /// The lines of `text` (the text this index was made from), as
    /// `str::lines` gives them, without looking for the line ends again.
    pub fn lines<'t>(&self, text: &'t str) -> Vec<&'t str> {
        (0..self.line_count(text))
            .map_while(|i| {
                let start = *self.starts.get(i)?;
                match self.starts.get(i + 1) {
                    // A line ended by LF loses a CR before it; the last
                    // line, without a line end, keeps it.
                    Some(&next) => {
                        let line = text.get(start..next - 1)?;
                        Some(line.strip_suffix('\r').unwrap_or(line))
                    }
                    None => text.get(start..),
                }
            })
            .collect()
    }

    /// How many lines `str::lines` gives for `text` (the text this index
    /// was made from): a last line end starts no line.
    pub fn line_count(&self, text: &str) -> usize {
        self.starts.partition_point(|&start| start < text.len())
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

/// The start of the line after each LF of `bytes`, which begin at `at`.
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

    #[test]
    fn line_starts_are_found_in_every_position() {
        let text = "a\nbc\n\ndefghijklmnop\nqrstuvwxyz0123456789\n\n\n\n\n\n\n\n\n\né\n!";
        for end in 0..=text.len() {
            let Some(part) = text.get(..end) else {
                continue;
            };
            let mut expected = vec![0];
            expected.extend(part.match_indices('\n').map(|(i, _)| i + 1));
            assert_eq!(LineIndex::new(part).starts, expected, "{part:?}");
        }
    }

    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "", "\n", "a", "a\n", "a\r\nb", "a\n\nb\n", "\r\n\r\n", "x\ny\r",
        ] {
            let index = LineIndex::new(text);
            let expected: Vec<&str> = text.lines().collect();
            assert_eq!(index.lines(text), expected, "{text:?}");
            assert_eq!(index.line_count(text), expected.len(), "{text:?}");
        }
    }
}
