//! The walk: every top-level block, once, in order, sorted into the plan
//! being built. Headings open phases, task groups and sections; whatever is
//! not recognised is kept as prose after the headings above it.

use super::items::phase_level;
use super::phases::PhaseDraft;
use crate::diagnostic::{column_of, Diagnostic};
use crate::lines::LineIndex;
use crate::model::plan::*;
use crate::parse::money::Currency;
use crate::parse::outline::{Block, BlockKind};
use crate::parse::span::{parse_heading, PhaseHeading};
use crate::parse::status::strip_marks;

/// Walks the blocks once, in order, sorting each into the plan.
pub(super) struct Builder<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    /// The line index of `text`, made once per plan, for the lines
    /// diagnostics and fact lists look up.
    pub(super) lines: &'a LineIndex,
    pub(super) dollar: Currency,
    pub(super) phase_level: Option<u8>,
    /// Lists may be read as the schedule (see `lists_make_one_schedule`).
    pub(super) schedule_lists: bool,
    /// The heading of the block being walked, as `phase_level` read it.
    pub(super) read_heading: Option<Option<PhaseHeading>>,
    pub(super) title_heading: Option<String>,
    pub(super) facts: Vec<Fact>,
    pub(super) phases: Vec<PhaseDraft>,
    pub(super) in_phase: bool,
    pub(super) groups: Vec<TaskGroup>,
    pub(super) tables: Vec<Table>,
    pub(super) risks: Vec<TableRecord>,
    pub(super) metrics: Vec<TableRecord>,
    pub(super) budget_table: Option<crate::model::tables::BudgetSummary>,
    pub(super) decision: Option<Decision>,
    pub(super) decisions: Vec<Decision>,
    pub(super) prose: Vec<Prose>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The nearest heading inside a phase or section: names task groups.
    pub(super) group_name: Option<String>,
    /// A `**Success Criteria:**` paragraph waiting for its list.
    pub(super) label: Option<(String, usize, std::ops::Range<usize>)>,
    /// Headings not yet written to prose: (level, line, range, anything under it).
    pub(super) headings: Vec<(u8, usize, std::ops::Range<usize>, bool)>,
    /// An amount standing alone under a `Total Budget` heading outside the
    /// phases: (amount, line).
    pub(super) total_under_heading: Option<(crate::parse::money::Money, usize)>,
    /// The amount in the first `Total` row of a table of amounts outside
    /// the phases that is not the budget summary: (amount, line).
    pub(super) table_total: Option<(crate::parse::money::Money, usize)>,
    /// The current phase's budget was read from a breakdown line under its
    /// budget heading, not from a total: a later total line replaces it,
    /// and the paragraph it was read from (phase index, line, range)
    /// becomes a note.
    pub(super) provisional_budget: Option<(usize, usize, std::ops::Range<usize>)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        file: &'a str,
        text: &'a str,
        lines: &'a LineIndex,
        dollar: Currency,
    ) -> Self {
        Builder {
            file,
            text,
            lines,
            dollar,
            phase_level: None,
            schedule_lists: true,
            read_heading: None,
            title_heading: None,
            facts: Vec::new(),
            phases: Vec::new(),
            in_phase: false,
            groups: Vec::new(),
            tables: Vec::new(),
            risks: Vec::new(),
            metrics: Vec::new(),
            budget_table: None,
            decision: None,
            decisions: Vec::new(),
            prose: Vec::new(),
            diagnostics: Vec::new(),
            group_name: None,
            label: None,
            headings: Vec::new(),
            total_under_heading: None,
            table_total: None,
            provisional_budget: None,
        }
    }

    pub(super) fn walk(&mut self, blocks: &[Block]) {
        let title_index = blocks
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading { .. }));
        let title_index =
            title_index.filter(|&i| matches!(blocks[i].kind, BlockKind::Heading { level: 1, .. }));
        let (level, mut headings) = phase_level(blocks, title_index, self.text);
        self.phase_level = level;
        self.schedule_lists = level.is_none()
            && super::lists::lists_make_one_schedule(blocks)
            && !super::periods::span_table_outranks_lists(blocks);
        for (index, block) in blocks.iter().enumerate() {
            self.read_heading = match block.kind {
                BlockKind::Heading { .. } => headings.get_mut(index).map(Option::take),
                _ => None,
            };
            if Some(index) == title_index {
                if let BlockKind::Heading { text, .. } = &block.kind {
                    self.title_heading = Some(text.clone());
                }
                continue;
            }
            let next_is_list = matches!(
                blocks.get(index + 1).map(|b| &b.kind),
                Some(BlockKind::List { .. })
            );
            self.block(block, next_is_list);
        }
        self.close_headings(0);
        self.release_label();
    }

    pub(super) fn block(&mut self, block: &Block, next_is_list: bool) {
        if !matches!(block.kind, BlockKind::List { .. }) {
            self.release_label();
        }
        match &block.kind {
            BlockKind::Heading { level, text } => self.heading(block, *level, text),
            BlockKind::Paragraph { .. } => self.paragraph(block, next_is_list),
            BlockKind::List { items } => self.list(block, items),
            BlockKind::Table { header, rows } => self.table(block, header, rows),
            BlockKind::Quote { blocks } => {
                let facts: Option<Vec<Fact>> = blocks
                    .iter()
                    .map(|b| self.fact_paragraph(b))
                    .collect::<Option<Vec<_>>>()
                    .map(|v| v.concat());
                match facts {
                    Some(facts) if !facts.is_empty() => self.add_facts(facts),
                    _ => self.keep(block),
                }
            }
            BlockKind::Rule => {}
            BlockKind::Other => {
                self.fenced_plan(block);
                self.keep(block);
            }
        }
    }

    pub(super) fn heading(&mut self, block: &Block, level: u8, text: &str) {
        self.close_headings(level);
        // Read already by the walk, or (in a nested plan) read here.
        let read = self.read_heading.take();
        if self.phase_level == Some(level) {
            if let Some(parsed) = read.unwrap_or_else(|| parse_heading(text)) {
                self.in_phase = true;
                self.group_name = None;
                self.phases.push(PhaseDraft::new(parsed, block.line));
                return;
            }
        }
        if self
            .phase_level
            .is_none_or(|phase_level| level <= phase_level)
        {
            self.in_phase = false;
        }
        self.group_name = Some(strip_marks(text));
        self.headings
            .push((level, block.line, block.range.clone(), false));
    }

    /// Ends the sections of headings at `level` or deeper. A heading with
    /// nothing at all under it is kept as prose, so no line is lost.
    pub(super) fn close_headings(&mut self, level: u8) {
        while let Some((l, line, range, used)) = self.headings.last().cloned() {
            if l < level {
                break;
            }
            self.headings.pop();
            if !used {
                self.push_prose(line, range);
            }
        }
    }

    pub(super) fn mark_used(&mut self) {
        for heading in &mut self.headings {
            heading.3 = true;
        }
    }

    /// Keeps a block as prose, after the headings above it.
    pub(super) fn keep(&mut self, block: &Block) {
        let pending: Vec<(usize, std::ops::Range<usize>)> = self
            .headings
            .iter_mut()
            .filter(|h| !h.3)
            .map(|h| {
                h.3 = true;
                (h.1, h.2.clone())
            })
            .collect();
        for (line, range) in pending {
            self.push_prose(line, range);
        }
        self.push_prose(block.line, block.range.clone());
    }

    pub(super) fn push_prose(&mut self, line: usize, range: std::ops::Range<usize>) {
        let markdown = self.text.get(range).unwrap_or("").trim_end().to_string();
        let prose = Prose { line, markdown };
        match self.current_phase() {
            Some(phase) => phase.notes.push(prose),
            None => self.prose.push(prose),
        }
    }

    /// The paragraph the current phase's budget was provisionally read from.
    pub(super) fn provisional(&self) -> Option<(usize, std::ops::Range<usize>)> {
        let (phase, line, range) = self.provisional_budget.clone()?;
        (self.in_phase && phase + 1 == self.phases.len()).then_some((line, range))
    }

    pub(super) fn current_phase(&mut self) -> Option<&mut PhaseDraft> {
        if self.in_phase {
            self.phases.last_mut()
        } else {
            None
        }
    }

    /// A label paragraph whose list never came is prose after all.
    pub(super) fn release_label(&mut self) {
        if let Some((_, line, range)) = self.label.take() {
            let block = Block {
                kind: BlockKind::Paragraph {
                    text: String::new(),
                },
                range,
                line,
            };
            self.keep(&block);
        }
    }

    pub(super) fn col_of(&self, line: usize, needle: &str) -> usize {
        self.lines
            .line_text(self.text, line)
            .map_or(1, |l| column_of(l, needle))
    }
}
