//! Outline: pulldown-cmark events turned into a flat list of blocks
//! (headings, paragraphs, lists, tables, quotes) with their source ranges
//! and lines, which `model::build` reads to recognise a plan.

use crate::lines::LineIndex;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Nesting deeper than this is kept as one opaque block: the model never
/// needs it, and walking it recursively could exhaust the stack.
const MAX_NESTING: usize = 48;

/// The Markdown extensions plans use (GitHub's tables, task lists,
/// strikethrough, footnotes).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// A block of the document, located in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range in the file text (not in the body).
    pub range: Range<usize>,
    /// 1-based file line where the block starts.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    List {
        items: Vec<Item>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Row>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Rule,
    /// Code, HTML, footnotes and anything else kept only as source.
    Other,
}

/// A checkbox state. `[~]` and `[s]` are read too: some teams track work
/// in progress and skipped work that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Open,
    Done,
    InProgress,
    Skipped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    pub check: Option<Check>,
    pub line: usize,
    pub children: Vec<Item>,
    /// The item holds a block other than text and lists (code, a quote, a
    /// table): the model cannot carry it, so the list is also kept as prose.
    pub blocks: bool,
}

impl Item {
    /// True when this item or any item under it has a checkbox.
    pub fn has_task(&self) -> bool {
        self.check.is_some() || self.children.iter().any(Item::has_task)
    }

    /// True when this item and every item under it is a plain task: a
    /// checkbox and text, nothing the model would drop.
    pub fn all_tasks(&self) -> bool {
        self.check.is_some() && !self.blocks && self.children.iter().all(Item::all_tasks)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Parses `text[body_offset..]` into blocks located in `text`.
pub fn parse(text: &str, body_offset: usize, lines: &LineIndex) -> Vec<Block> {
    parse_range(text, body_offset..text.len(), lines)
}

/// Parses `text[range]` (the inside of a fence, say) into blocks located
/// in `text`. An empty list when `range` is not a range of `text`.
pub fn parse_range(text: &str, range: Range<usize>, lines: &LineIndex) -> Vec<Block> {
    let body_offset = range.start;
    let Some(body) = text.get(range) else {
        return Vec::new();
    };
    // Events are walked as they are parsed: none is held or copied.
    let mut walker = Walker {
        events: Parser::new_ext(body, options())
            .into_offset_iter()
            .peekable(),
        offset: body_offset,
        lines,
    };
    walker.blocks(0)
}

struct Walker<'a, 'l> {
    events: std::iter::Peekable<
        pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    >,
    /// Where the body starts in the file: event ranges are the body's.
    offset: usize,
    lines: &'l LineIndex,
}

impl<'a> Walker<'a, '_> {
    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let (event, range) = self.events.next()?;
        Some((event, range.start + self.offset..range.end + self.offset))
    }

    /// Reads blocks until the end tag of the enclosing container.
    fn blocks(&mut self, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        while let Some((event, range)) = self.next() {
            let line = self.lines.line(range.start);
            let kind = match event {
                Event::End(_) => return out,
                Event::Rule => BlockKind::Rule,
                Event::Start(tag) if depth > MAX_NESTING => {
                    drop(tag);
                    self.skip_container();
                    BlockKind::Other
                }
                Event::Start(Tag::Heading { level, .. }) => BlockKind::Heading {
                    level: level as u8,
                    text: self.inline_text(),
                },
                Event::Start(Tag::Paragraph) => BlockKind::Paragraph {
                    text: self.inline_text(),
                },
                Event::Start(Tag::List(_)) => BlockKind::List {
                    items: self.items(depth + 1),
                },
                Event::Start(Tag::Table(_)) => self.table(),
                Event::Start(Tag::BlockQuote(_)) => BlockKind::Quote {
                    blocks: self.blocks(depth + 1),
                },
                Event::Start(_) => {
                    self.skip_container();
                    BlockKind::Other
                }
                _ => BlockKind::Other,
            };
            out.push(Block { kind, range, line });
        }
        out
    }

    /// Skips to the end of the container just opened, without recursion.
    fn skip_container(&mut self) {
        let mut open = 1usize;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => open += 1,
                Event::End(_) => {
                    open -= 1;
                    if open == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Plain text of inline content up to the end of the current element.
    fn inline_text(&mut self) -> String {
        let mut text = String::new();
        let mut open = 1usize;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => open += 1,
                Event::End(_) => {
                    open -= 1;
                    if open == 0 {
                        break;
                    }
                }
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::SoftBreak => text.push(' '),
                Event::HardBreak => text.push('\n'),
                Event::InlineHtml(html) if html.trim().eq_ignore_ascii_case("<br>") => {
                    text.push(' ')
                }
                _ => {}
            }
        }
        text.trim().to_string()
    }

    fn items(&mut self, depth: usize) -> Vec<Item> {
        let mut items = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let line = self.lines.line(range.start);
                    items.push(self.item(line, depth));
                }
                Event::End(TagEnd::List(_)) => break,
                Event::Start(_) => self.skip_container(),
                _ => {}
            }
        }
        items
    }

    fn item(&mut self, line: usize, depth: usize) -> Item {
        let mut item = Item {
            text: String::new(),
            check: None,
            line,
            children: Vec::new(),
            blocks: false,
        };
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::End(TagEnd::Item) => break,
                Event::TaskListMarker(done) => {
                    item.check = Some(if done { Check::Done } else { Check::Open });
                }
                Event::Start(Tag::List(_)) if depth <= MAX_NESTING => {
                    item.children.extend(self.items(depth + 1));
                }
                Event::Start(Tag::Paragraph) => {
                    // Inline text of a loose item; a nested task marker
                    // comes before the paragraph text.
                    let text = self.inline_text_with_marker(&mut item.check);
                    parts.push(text);
                }
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::Superscript
                    | Tag::Subscript,
                ) => {}
                Event::End(_) => {}
                Event::Start(_) => {
                    item.blocks = true;
                    self.skip_container();
                }
                Event::Text(t) | Event::Code(t) => current.push_str(&t),
                Event::SoftBreak | Event::HardBreak => current.push(' '),
                _ => {}
            }
        }
        if !current.trim().is_empty() {
            parts.insert(0, current);
        }
        item.text = parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if item.check.is_none() {
            read_custom_checkbox(&mut item);
        }
        item
    }

    fn inline_text_with_marker(&mut self, check: &mut Option<Check>) -> String {
        if let Some((Event::TaskListMarker(done), _)) = self.events.peek() {
            *check = Some(if *done { Check::Done } else { Check::Open });
            self.events.next();
        }
        self.inline_text()
    }

    fn table(&mut self) -> BlockKind {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut in_head = false;
        let mut current: Option<Row> = None;
        while let Some((event, range)) = self.next() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => {
                    current = Some(Row {
                        line: self.lines.line(range.start),
                        cells: Vec::new(),
                    });
                }
                Event::End(TagEnd::TableRow) => rows.extend(current.take()),
                Event::Start(Tag::TableCell) => {
                    let text = self.inline_text();
                    match current.as_mut() {
                        Some(row) if !in_head => row.cells.push(text),
                        _ => header.push(text),
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        BlockKind::Table { header, rows }
    }
}

/// `[~] Refactor` and `[s] Port` as list items: checkbox states that GitHub
/// does not render but teams write.
fn read_custom_checkbox(item: &mut Item) {
    let states = [
        ("[~] ", Check::InProgress),
        ("[-] ", Check::InProgress),
        ("[/] ", Check::InProgress),
        ("[s] ", Check::Skipped),
        ("[S] ", Check::Skipped),
    ];
    for (prefix, check) in states {
        if let Some(rest) = item.text.strip_prefix(prefix) {
            item.text = rest.trim().to_string();
            item.check = Some(check);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<Block> {
        parse(text, 0, &LineIndex::new(text))
    }

    #[test]
    fn headings_paragraphs_and_lines() {
        let b = blocks("# Title\n\nSome **bold** text\nwrapped.\n\n## Week 1\n");
        assert_eq!(b.len(), 3);
        assert_eq!(
            b[0].kind,
            BlockKind::Heading {
                level: 1,
                text: "Title".into()
            }
        );
        assert_eq!(
            b[1].kind,
            BlockKind::Paragraph {
                text: "Some bold text wrapped.".into()
            }
        );
        assert_eq!(b[2].line, 6);
    }

    #[test]
    fn task_lists_with_nesting_and_lines() {
        let b = blocks(
            "- [x] one\n- [ ] two\n  - [X] two a\n  - [~] two b\n* [s] skipped\n\n1. [ ] ordered\n",
        );
        let BlockKind::List { items } = &b[0].kind else {
            panic!("list")
        };
        assert_eq!(items[0].check, Some(Check::Done));
        assert_eq!(items[1].children.len(), 2);
        assert_eq!(items[1].children[0].line, 3);
        assert_eq!(items[1].children[1].check, Some(Check::InProgress));
        assert_eq!(items[1].children[1].text, "two b");
        let BlockKind::List { items } = &b[1].kind else {
            panic!("list")
        };
        assert_eq!(items[0].check, Some(Check::Skipped));
        let BlockKind::List { items } = &b[2].kind else {
            panic!("list")
        };
        assert_eq!(items[0].check, Some(Check::Open));
        assert_eq!(items[0].text, "ordered");
    }

    #[test]
    fn loose_items_keep_their_marker() {
        let b = blocks("- [x] first\n\n- [ ] second\n  continued\n");
        let BlockKind::List { items } = &b[0].kind else {
            panic!("list")
        };
        assert_eq!(items[0].check, Some(Check::Done));
        assert_eq!(items[1].text, "second continued");
    }

    #[test]
    fn items_holding_blocks_are_marked() {
        let b = blocks("- [ ] run this:\n\n  ```sh\n  make\n  ```\n- [x] plain\n");
        let BlockKind::List { items } = &b[0].kind else {
            panic!("list")
        };
        assert!(items[0].blocks);
        assert!(!items[0].all_tasks());
        assert!(items[1].all_tasks());
    }

    #[test]
    fn tables_have_cells_and_row_lines() {
        let b = blocks("| Phase | Cost |\n|---|---|\n| **Week 1** | $5 |\n| Total | $5 |\n");
        let BlockKind::Table { header, rows } = &b[0].kind else {
            panic!("table")
        };
        assert_eq!(header, &["Phase", "Cost"]);
        assert_eq!(rows[0].cells, ["Week 1", "$5"]);
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn deep_nesting_does_not_recurse_without_bound() {
        let text = format!("{}deep\n", "> ".repeat(5_000));
        let b = blocks(&text);
        assert_eq!(b.len(), 1);
        let list: String = (0..3_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert!(!blocks(&list).is_empty());
    }
}
