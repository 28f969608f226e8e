//! Paragraphs: `**Key:** value` facts, phase budget lines, decisions,
//! criteria labels, and the warnings about text that was probably meant to
//! be read (headings without a space, plans fenced as code).

use super::items::read_decision;
use super::keys::{fact, is_total_key, label, BUDGET_KEYS};
use super::walker::Builder;
use crate::diagnostic::Diagnostic;
use crate::model::plan::*;
use crate::parse::money;
use crate::parse::outline::{Block, BlockKind};
use crate::parse::span::{self, Unit};
use regex::Regex;
use std::sync::LazyLock;

/// A ```markdown (or ```md) fence: its info word and how many heading and
/// task lines it holds.
pub(super) struct FencedPlan {
    pub(super) info: String,
    pub(super) headings: usize,
    pub(super) tasks: usize,
}

impl FencedPlan {
    pub(super) fn of(source: &str) -> Option<FencedPlan> {
        let first = source.lines().next().unwrap_or("").trim();
        let info = first.trim_start_matches(['`', '~']).trim().to_lowercase();
        if first.len() == info.len() || !(info == "markdown" || info == "md") {
            return None;
        }
        let headings = source
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count();
        let tasks = source
            .lines()
            .filter(|l| l.trim_start().starts_with("- ["))
            .count();
        Some(FencedPlan {
            info,
            headings,
            tasks,
        })
    }
}

impl Builder<'_> {
    /// A plan pasted inside a ```markdown fence that does not hold most
    /// of the file (those are read as the plan, see `unfence_plan`) is
    /// shown as code, not read: say so when it looks like a checklist,
    /// since the author probably meant it to be read.
    pub(super) fn fenced_plan(&mut self, block: &Block) {
        let source = self.text.get(block.range.clone()).unwrap_or("");
        let Some(fence) = FencedPlan::of(source) else {
            return;
        };
        if fence.headings + fence.tasks >= 2 && fence.tasks >= 5 {
            self.diagnostics.push(Diagnostic::warning(
                self.file,
                block.line,
                1,
                format!(
                    "a ```{} block holds plan text ({} heading(s), {} task(s)); it is shown as code and not read: remove the fence to have it read",
                    fence.info, fence.headings, fence.tasks
                ),
            ));
        }
    }

    /// `##Discovery` is a paragraph in Markdown: warn, as the author meant
    /// a heading.
    pub(super) fn malformed_headings(&mut self, block: &Block) {
        static NO_SPACE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(#{1,6})\p{L}").expect("valid regex"));
        let source = self.text.get(block.range.clone()).unwrap_or("");
        for (offset, line) in source.lines().enumerate() {
            if !line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(caps) = NO_SPACE.captures(line.trim_start()) {
                let hashes = caps[1].len();
                self.diagnostics.push(Diagnostic::warning(
                    self.file,
                    block.line + offset,
                    hashes + 1,
                    format!(
                        "`{}` is not a heading: put a space after the `{}`",
                        line.trim(),
                        &caps[1]
                    ),
                ));
            }
        }
    }

    pub(super) fn paragraph(&mut self, block: &Block, next_is_list: bool) {
        let source = self.text.get(block.range.clone()).unwrap_or("").trim();
        if next_is_list {
            if let Some(key) = label(source) {
                let key = key.trim().to_string();
                self.label = Some((key, block.line, block.range.clone()));
                return;
            }
        }
        if let Some((amount, total)) = self.budget_under_heading(block) {
            let replaced = self.provisional();
            self.phase_budget(amount);
            if let Some((line, range)) = replaced {
                self.push_prose(line, range);
                if let Some(phase) = self.current_phase() {
                    phase.notes.sort_by_key(|n| n.line);
                }
            }
            let multi_line = self
                .text
                .get(block.range.clone())
                .is_some_and(|s| s.trim().contains('\n'));
            if multi_line {
                // The budget keeps its line; the breakdown stays readable.
                self.keep(block);
            } else if !total {
                let phase = self.phases.len().saturating_sub(1);
                self.provisional_budget = Some((phase, block.line, block.range.clone()));
            }
            return;
        }
        self.total_under_heading(block);
        if let Some(fact) = self.plain_budget_line(block) {
            self.route_facts(vec![fact]);
            return;
        }
        let Some(facts) = self.fact_paragraph(block) else {
            self.malformed_headings(block);
            self.keep(block);
            return;
        };
        self.route_facts(facts);
    }

    /// Budget lines and decisions among facts go to their places.
    pub(super) fn route_facts(&mut self, facts: Vec<Fact>) {
        let mut rest = Vec::new();
        for fact in facts {
            let key = fact.key.to_lowercase();
            let provisional = self.provisional().is_some();
            if self.in_phase
                && BUDGET_KEYS.contains(&key.as_str())
                && self
                    .current_phase()
                    .is_some_and(|p| p.budget.is_none() || provisional)
            {
                self.phase_budget(fact);
            } else if key == "decision" {
                self.decision(fact);
            } else {
                rest.push(fact);
            }
        }
        if rest.is_empty() {
            self.mark_used();
        } else {
            self.add_facts(rest);
        }
    }

    /// Under a `### Budget` heading inside a phase, a paragraph naming an
    /// amount is the phase budget (`**Week 1:** $42K`). A `Total`,
    /// `Subtotal` or `SUM` line of the breakdown is its figure, and replaces
    /// one read from an earlier breakdown line; otherwise the stated figure
    /// of the first line (never a rate or an operand). The flag says
    /// whether it came from a total line.
    pub(super) fn budget_under_heading(&mut self, block: &Block) -> Option<(Fact, bool)> {
        let under_budget = self.group_name.as_deref().is_some_and(|g| {
            let g = g.to_lowercase();
            BUDGET_KEYS.contains(&g.as_str())
                || g.split_whitespace()
                    .any(|w| matches!(w, "budget" | "costs" | "cost"))
        });
        let provisional = self.provisional().is_some();
        let has_budget = self.current_phase()?.budget.is_some();
        if !under_budget || (has_budget && !provisional) {
            return None;
        }
        let source = self.text.get(block.range.clone())?;
        let total_line = source.lines().enumerate().find(|(_, line)| {
            let plain = line.replace(['*', '_'], "");
            let first = plain
                .trim_start_matches(['-', '|', ' ', '\t'])
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            super::keys::is_total_word(&first) && money::find_stated(line, self.dollar).is_some()
        });
        let (offset, line, total) = match total_line {
            Some((offset, line)) => (offset, line, true),
            // One line is a stated figure (`**Week 1:** $42K`); several
            // lines without a total are items, none of them the figure.
            None if !has_budget && source.trim().lines().count() == 1 => {
                (0, source.lines().next()?, false)
            }
            None => return None,
        };
        money::find_stated(line, self.dollar)?;
        let value = line.replace("**", "");
        let value = value.trim().trim_start_matches(['-', '|', ' ']);
        Some((self.fact("Budget", value, block.line + offset), total))
    }

    /// A one-line paragraph `Budget: €15.000` or `Funding required: €15.000`
    /// (a budget key without bold marks), or `Total Budget: …`, read as the
    /// fact it states.
    pub(super) fn plain_budget_line(&self, block: &Block) -> Option<Fact> {
        let source = self.text.get(block.range.clone())?.trim();
        if source.contains('\n') || source.starts_with(['*', '_']) {
            return None;
        }
        let (key, value) = source.split_once(':')?;
        let key = key.trim();
        if key.chars().count() > 40 {
            return None;
        }
        let lower = key.to_lowercase();
        if !BUDGET_KEYS.contains(&lower.as_str()) && !is_total_key(key) {
            return None;
        }
        money::find_first(value, self.dollar)?;
        Some(self.fact(key, value.trim(), block.line))
    }

    /// Under a heading naming the plan's total (`## Total Budget
    /// Requested`) outside the phases, a paragraph that opens with an
    /// amount states the total.
    fn total_under_heading(&mut self, block: &Block) {
        if self.in_phase || self.total_under_heading.is_some() {
            return;
        }
        if !self.group_name.as_deref().is_some_and(is_total_key) {
            return;
        }
        let Some(first) = self
            .text
            .get(block.range.clone())
            .and_then(|s| s.lines().next())
        else {
            return;
        };
        if let Some(found) = money::find_stated(first, self.dollar) {
            let before = first[..found.start].replace(['*', '_'], "");
            if before.trim().is_empty() {
                self.total_under_heading = Some((found.money, block.line));
            }
        }
    }

    /// Reads a paragraph made only of `**Key:** value` lines.
    pub(super) fn fact_paragraph(&self, block: &Block) -> Option<Vec<Fact>> {
        if !matches!(block.kind, BlockKind::Paragraph { .. }) {
            return None;
        }
        let source = self.text.get(block.range.clone())?;
        let mut facts = Vec::new();
        for (offset, raw) in source.lines().enumerate() {
            let line = raw.trim().trim_start_matches('>').trim();
            let line = line.strip_suffix('\\').unwrap_or(line).trim_end();
            if line.is_empty() {
                continue;
            }
            let (key, value) = fact(line)?;
            facts.push(self.fact(key.trim(), value.trim(), block.line + offset));
        }
        (!facts.is_empty()).then_some(facts)
    }

    pub(super) fn fact(&self, key: &str, value: &str, line: usize) -> Fact {
        let money = money::find_first(value, self.dollar).map(|f| f.money);
        Fact {
            key: key.trim_end_matches(':').trim().to_string(),
            value: value.to_string(),
            line,
            money,
            weeks: span::count_of(value, Unit::Week),
        }
    }

    pub(super) fn add_facts(&mut self, facts: Vec<Fact>) {
        self.mark_used();
        for fact in &facts {
            if let Some(written) = money::oversized(&fact.value, self.dollar) {
                let col = self.col_of(fact.line, written);
                self.diagnostics.push(Diagnostic::warning(
                    self.file,
                    fact.line,
                    col,
                    money::oversized_message(written),
                ));
            }
        }
        match self.current_phase() {
            Some(phase) => phase.facts.extend(facts),
            None => self.facts.extend(facts),
        }
    }

    pub(super) fn phase_budget(&mut self, fact: Fact) {
        self.provisional_budget = None;
        let found = money::find_stated(&fact.value, self.dollar);
        let Some(found) = found else {
            if money::find_first(&fact.value, self.dollar).is_some() {
                let col = self.col_of(fact.line, &fact.value);
                self.diagnostics.push(Diagnostic::warning(
                    self.file,
                    fact.line,
                    col,
                    format!(
                        "the budget line `{}` states no single figure (only a rate, a factor or a range): no budget is read from it",
                        fact.value
                    ),
                ));
                self.add_facts(vec![fact]);
                return;
            }
            if money::oversized(&fact.value, self.dollar).is_some() {
                // Warned as a fact (`add_facts`): the line stays a fact.
                self.add_facts(vec![fact]);
                return;
            }
            let col = self.col_of(fact.line, &fact.value);
            self.diagnostics.push(Diagnostic::warning(
                self.file,
                fact.line,
                col,
                format!(
                    "cannot read an amount of money in the budget line `{}`",
                    fact.value
                ),
            ));
            self.add_facts(vec![fact]);
            return;
        };
        let before = fact.value[..found.start]
            .trim()
            .trim_end_matches(':')
            .trim();
        let after = fact.value[found.end..]
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        let note = [before, after]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let budget = PhaseBudget {
            amount: found.money,
            currency: found.money.currency,
            note: (!note.is_empty()).then_some(note),
            line: fact.line,
            cumulative: None,
        };
        self.mark_used();
        if let Some(phase) = self.current_phase() {
            phase.budget = Some(budget);
        }
    }

    pub(super) fn decision(&mut self, fact: Fact) {
        self.mark_used();
        let decision = read_decision(&fact.value, fact.line);
        if self.decision.is_none() {
            self.decision = Some(decision.clone());
        }
        self.decisions.push(decision);
    }
}
