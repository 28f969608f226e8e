//! Build: a decoded plan file to a `Plan`, following the recognition rules
//! of the plan format (title, facts, phases, budgets, task groups, criteria,
//! tables, decision, closing block). Whatever is not recognised is kept as
//! prose, in order, so nothing in the document is lost.

use crate::diagnostic::{column_of, Diagnostic};
use crate::model::meta;
use crate::model::plan::*;
use crate::model::tables::{self, TableKind};
use crate::parse::front_matter;
use crate::parse::money::{self, Currency};
use crate::parse::outline::{self, Block, BlockKind, Check, Item, LineIndex};
use crate::parse::span::{self, parse_heading, PhaseHeading, Span, Unit};
use crate::parse::status::{parse_criterion, starts_with_mark, strip_marks};
use regex::Regex;
use std::sync::LazyLock;

/// One plan file, decoded, as `load` hands it over.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path stored in the model: relative to the site root.
    pub path: String,
    /// Path diagnostics name (as the user would type it).
    pub display: String,
    /// The file name without extension: the default slug.
    pub stem: String,
    pub text: String,
}

/// Settings from the site that change how a plan reads.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub currency: Option<Currency>,
}

/// Reads one plan. `Err` carries the error that made the file unreadable
/// (broken front matter); warnings travel inside the plan.
pub fn build(source: &Source, settings: &Settings) -> Result<Plan, Diagnostic> {
    let file = source.display.as_str();
    let text = source.text.as_str();
    let split = front_matter::split(file, text)?;
    let mut diagnostics = Vec::new();
    let (mut meta, overrides) = match &split.fields {
        Some(fields) => {
            let line_of = |key: &str| front_matter::key_line(text, &split, key);
            meta::from_front_matter(file, fields, &line_of, settings.currency, &mut diagnostics)
        }
        None => (Meta::default(), meta::Overrides::default()),
    };
    let lines = LineIndex::new(text);
    let blocks = outline::parse(text, split.body_offset, &lines);
    let plan_currency = meta.currency.or(settings.currency);
    let mut builder = Builder::new(file, text, money::dollar_for(plan_currency));
    builder.walk(&blocks);
    let Builder {
        facts,
        mut phases,
        groups,
        tables: other_tables,
        risks,
        metrics,
        budget_table,
        decision,
        decisions,
        prose,
        diagnostics: found,
        title_heading,
        ..
    } = builder;
    diagnostics.extend(found);
    meta::fill_from_facts(&mut meta, &facts);
    place_duration_only_phases(&mut phases);
    stretch_milestones(&mut phases);
    own_parts_of_cumulative_budgets(&mut phases);
    let phases: Vec<Phase> = phases.into_iter().map(PhaseDraft::finish).collect();

    let source_lines: Vec<&str> = text.lines().collect();
    let dollar = money::dollar_for(plan_currency);
    let table = budget_table.map(|(line, header, rows, phase_column)| {
        tables::read_budget(
            file,
            &source_lines,
            line,
            &header,
            &rows,
            phase_column,
            &phases,
            dollar,
            &mut diagnostics,
        )
    });
    let currency = plan_currency.or_else(|| most_used_currency(&phases, table.as_ref()));
    let phases_total = sum_phase_budgets(&phases);
    let progress = phases.iter().map(|p| p.progress).sum::<Progress>()
        + groups
            .iter()
            .flat_map(|g| &g.tasks)
            .map(Task::progress)
            .sum();
    let title = overrides
        .title
        .or(title_heading.map(|t| strip_marks(&t)))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| source.stem.clone());
    let slug = slug_for(file, &source.stem, overrides.slug, &mut diagnostics);
    let mut plan = Plan {
        schema: SCHEMA,
        slug,
        source: source.path.clone(),
        title,
        meta,
        facts,
        phases,
        groups,
        budget: Budget {
            currency,
            phases_total,
            table,
        },
        risks,
        metrics,
        tables: other_tables,
        decision,
        decisions,
        progress,
        prose,
        diagnostics: Vec::new(),
    };
    diagnostics.extend(crate::model::checks::check(&plan, file, text));
    diagnostics.sort_by_key(|d| (d.line, d.col));
    plan.diagnostics = diagnostics;
    Ok(plan)
}

/// The slug: front matter's if it is one safe path segment, else the stem
/// made safe (lower case letters, digits and dashes).
fn slug_for(
    file: &str,
    stem: &str,
    given: Option<(String, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if let Some((slug, line)) = given {
        let safe = slugify(&slug);
        if safe == slug && !safe.is_empty() {
            return safe;
        }
        diagnostics.push(Diagnostic::warning(
            file,
            line,
            1,
            format!(
                "`slug: {slug}` is not a safe URL segment (use a-z, 0-9 and -); using `{}`",
                if safe.is_empty() {
                    slugify(stem)
                } else {
                    safe.clone()
                }
            ),
        ));
        if !safe.is_empty() {
            return safe;
        }
    }
    let safe = slugify(stem);
    if safe.is_empty() {
        "plan".to_string()
    } else {
        safe
    }
}

/// Lower-case letters and digits (any script), runs of anything else as
/// one dash, at most 80 characters.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn most_used_currency(phases: &[Phase], table: Option<&BudgetTable>) -> Option<Currency> {
    let mut counts: Vec<(Currency, usize)> = Vec::new();
    let budgets = phases
        .iter()
        .filter_map(|p| p.budget.as_ref().map(|b| b.currency));
    let cells = table.into_iter().flat_map(|t| {
        t.rows
            .iter()
            .flat_map(|r| r.values.iter().filter_map(|(_, m)| m.map(|m| m.currency)))
    });
    for currency in budgets.chain(cells) {
        match counts.iter_mut().find(|(c, _)| *c == currency) {
            Some((_, n)) => *n += 1,
            None => counts.push((currency, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c)
}

fn sum_phase_budgets(phases: &[Phase]) -> Option<money::Money> {
    let mut amounts = phases
        .iter()
        .filter_map(|p| p.budget.as_ref().map(|b| b.amount));
    let first = amounts.next()?;
    amounts.try_fold(first, |sum, m| {
        (m.currency == sum.currency)
            .then(|| money::Money::new(sum.minor.saturating_add(m.minor), sum.currency))
    })
}

/// A phase while its blocks are being read.
struct PhaseDraft {
    heading: PhaseHeading,
    line: usize,
    span: Option<Span>,
    budget: Option<PhaseBudget>,
    groups: Vec<TaskGroup>,
    criteria: Vec<CriteriaList>,
    facts: Vec<Fact>,
    notes: Vec<Prose>,
}

impl PhaseDraft {
    fn finish(self) -> Phase {
        let progress: Progress = self
            .groups
            .iter()
            .flat_map(|g| &g.tasks)
            .map(Task::progress)
            .sum();
        let status = if progress.total > 0 && progress.done == progress.total {
            PhaseStatus::Complete
        } else if progress.done > 0 {
            PhaseStatus::InProgress
        } else {
            PhaseStatus::NotStarted
        };
        let span = self.span.unwrap_or(Span::new(Unit::Week, 0, 0));
        Phase {
            label: self.heading.label,
            title: self.heading.title,
            line: self.line,
            span,
            ordinal: self.heading.ordinal,
            duration: self.heading.duration,
            budget: self.budget,
            groups: self.groups,
            criteria: self.criteria,
            progress,
            status,
            facts: self.facts,
            notes: self.notes,
        }
    }
}

/// A heading stated only as a duration (`Hardening (2 weeks)`) follows the
/// phase before it in the same unit.
fn place_duration_only_phases(phases: &mut [PhaseDraft]) {
    let mut last_end: Vec<(Unit, u32)> = Vec::new();
    for phase in phases.iter_mut() {
        if phase.span.is_none() {
            if let Some(duration) = phase.heading.duration {
                let unit = duration.unit;
                let start = last_end
                    .iter()
                    .find(|(u, _)| *u == unit)
                    .map_or(1, |(_, e)| e + 1);
                let length = (duration.value.ceil() as u32).max(1);
                phase.span = Some(Span::new(unit, start, start + length - 1));
            }
        }
        if let Some(span) = phase.span {
            match last_end.iter_mut().find(|(u, _)| *u == span.unit) {
                Some((_, end)) => *end = (*end).max(span.end),
                None => last_end.push((span.unit, span.end)),
            }
        }
    }
}

/// `**Budget:** $168K cumulative` states a running total: the phase's own
/// budget is what it adds to the phases before it.
fn own_parts_of_cumulative_budgets(phases: &mut [PhaseDraft]) {
    let mut running: Option<money::Money> = None;
    for budget in phases.iter_mut().filter_map(|p| p.budget.as_mut()) {
        let is_cumulative = budget
            .note
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains("cumulative"));
        if is_cumulative {
            let before = running
                .filter(|r| r.currency == budget.amount.currency)
                .map_or(0, |r| r.minor);
            if budget.amount.minor >= before {
                budget.cumulative = Some(budget.amount);
                budget.amount =
                    money::Money::new(budget.amount.minor - before, budget.amount.currency);
            }
        }
        running = match running {
            Some(r) if r.currency == budget.amount.currency => {
                Some(money::Money::new(r.minor + budget.amount.minor, r.currency))
            }
            Some(r) => Some(r),
            None => Some(budget.amount),
        };
    }
}

/// `M1: Foundation Complete (Week 4)` names the week a milestone is due:
/// its work runs from the end of the milestone before it.
fn stretch_milestones(phases: &mut [PhaseDraft]) {
    let mut previous_end: Option<(Unit, u32)> = None;
    for phase in phases.iter_mut() {
        let due_point = phase
            .heading
            .ordinal
            .is_some_and(|o| o.unit == Unit::Milestone);
        if let (true, Some(span), Some((unit, end))) =
            (due_point, phase.span.as_mut(), previous_end)
        {
            if span.unit == unit && span.start == span.end && span.start > end + 1 {
                span.start = end + 1;
            }
        }
        previous_end = phase.span.map(|s| (s.unit, s.end));
    }
}

type RawTable = (usize, Vec<String>, Vec<outline::Row>, usize);

/// Walks the blocks once, in order, sorting each into the plan.
struct Builder<'a> {
    file: &'a str,
    text: &'a str,
    dollar: Currency,
    phase_level: Option<u8>,
    title_heading: Option<String>,
    facts: Vec<Fact>,
    phases: Vec<PhaseDraft>,
    in_phase: bool,
    groups: Vec<TaskGroup>,
    tables: Vec<Table>,
    risks: Vec<TableRecord>,
    metrics: Vec<TableRecord>,
    budget_table: Option<RawTable>,
    decision: Option<Decision>,
    decisions: Vec<Decision>,
    prose: Vec<Prose>,
    diagnostics: Vec<Diagnostic>,
    /// The nearest heading inside a phase or section: names task groups.
    group_name: Option<String>,
    /// A `**Success Criteria:**` paragraph waiting for its list.
    label: Option<(String, usize, std::ops::Range<usize>)>,
    /// Headings not yet written to prose: (level, line, range, anything under it).
    headings: Vec<(u8, usize, std::ops::Range<usize>, bool)>,
}

static FACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)(?P<key>[^*_\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$")
        .expect("the fact pattern is a valid regex")
});

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)(?P<key>[^*_\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*$")
        .expect("the label pattern is a valid regex")
});

const BUDGET_KEYS: &[&str] = &[
    "budget",
    "cost",
    "costs",
    "total cost",
    "estimated cost",
    "budget allocation",
];

impl<'a> Builder<'a> {
    fn new(file: &'a str, text: &'a str, dollar: Currency) -> Self {
        Builder {
            file,
            text,
            dollar,
            phase_level: None,
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
        }
    }

    fn walk(&mut self, blocks: &[Block]) {
        let title_index = blocks
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading { .. }));
        let title_index =
            title_index.filter(|&i| matches!(blocks[i].kind, BlockKind::Heading { level: 1, .. }));
        self.phase_level = phase_level(blocks, title_index);
        for (index, block) in blocks.iter().enumerate() {
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

    fn block(&mut self, block: &Block, next_is_list: bool) {
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

    /// A plan pasted inside a ```markdown fence is shown as code, not read:
    /// say so, since the author probably meant it to be read.
    fn fenced_plan(&mut self, block: &Block) {
        let source = self.text.get(block.range.clone()).unwrap_or("");
        let first = source.lines().next().unwrap_or("").trim();
        let info = first.trim_start_matches(['`', '~']).trim().to_lowercase();
        if first.len() == info.len() || !(info == "markdown" || info == "md") {
            return;
        }
        let headings = source
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count();
        let tasks = source
            .lines()
            .filter(|l| l.trim_start().starts_with("- ["))
            .count();
        if headings + tasks >= 2 {
            self.diagnostics.push(Diagnostic::warning(
                self.file,
                block.line,
                1,
                format!("a ```{info} block holds plan text ({headings} heading(s), {tasks} task(s)); it is shown as code and not read: remove the fence to have it read"),
            ));
        }
    }

    /// `##Discovery` is a paragraph in Markdown: warn, as the author meant
    /// a heading.
    fn malformed_headings(&mut self, block: &Block) {
        static NO_SPACE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(#{1,6})\p{L}").expect("valid regex"));
        let source = self.text.get(block.range.clone()).unwrap_or("");
        for (offset, line) in source.lines().enumerate() {
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

    fn heading(&mut self, block: &Block, level: u8, text: &str) {
        self.close_headings(level);
        if self.phase_level == Some(level) {
            if let Some(parsed) = parse_heading(text) {
                self.in_phase = true;
                self.group_name = None;
                self.phases.push(PhaseDraft {
                    span: parsed.span,
                    heading: parsed,
                    line: block.line,
                    budget: None,
                    groups: Vec::new(),
                    criteria: Vec::new(),
                    facts: Vec::new(),
                    notes: Vec::new(),
                });
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
    fn close_headings(&mut self, level: u8) {
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

    fn mark_used(&mut self) {
        for heading in &mut self.headings {
            heading.3 = true;
        }
    }

    /// Keeps a block as prose, after the headings above it.
    fn keep(&mut self, block: &Block) {
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

    fn push_prose(&mut self, line: usize, range: std::ops::Range<usize>) {
        let markdown = self.text.get(range).unwrap_or("").trim_end().to_string();
        let prose = Prose { line, markdown };
        match self.current_phase() {
            Some(phase) => phase.notes.push(prose),
            None => self.prose.push(prose),
        }
    }

    fn current_phase(&mut self) -> Option<&mut PhaseDraft> {
        if self.in_phase {
            self.phases.last_mut()
        } else {
            None
        }
    }

    /// A label paragraph whose list never came is prose after all.
    fn release_label(&mut self) {
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

    fn paragraph(&mut self, block: &Block, next_is_list: bool) {
        let source = self.text.get(block.range.clone()).unwrap_or("").trim();
        if next_is_list {
            if let Some(caps) = LABEL.captures(source) {
                let key = caps["key"].trim().to_string();
                self.label = Some((key, block.line, block.range.clone()));
                return;
            }
        }
        if let Some(amount) = self.budget_under_heading(block) {
            self.phase_budget(amount);
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
    fn route_facts(&mut self, facts: Vec<Fact>) {
        let mut rest = Vec::new();
        for fact in facts {
            let key = fact.key.to_lowercase();
            if self.in_phase
                && BUDGET_KEYS.contains(&key.as_str())
                && self.current_phase().is_some_and(|p| p.budget.is_none())
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
    /// amount is the phase budget (`**Week 1:** $42K`).
    fn budget_under_heading(&mut self, block: &Block) -> Option<Fact> {
        let under_budget = self
            .group_name
            .as_deref()
            .is_some_and(|g| BUDGET_KEYS.contains(&g.to_lowercase().as_str()));
        if !under_budget || self.current_phase().is_none_or(|p| p.budget.is_some()) {
            return None;
        }
        let source = self.text.get(block.range.clone())?.lines().next()?.trim();
        money::find_first(source, self.dollar)?;
        let value = source.replace("**", "");
        Some(self.fact("Budget", value.trim(), block.line))
    }

    /// Reads a paragraph made only of `**Key:** value` lines.
    fn fact_paragraph(&self, block: &Block) -> Option<Vec<Fact>> {
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
            let caps = FACT.captures(line)?;
            facts.push(self.fact(
                caps["key"].trim(),
                caps["value"].trim(),
                block.line + offset,
            ));
        }
        (!facts.is_empty()).then_some(facts)
    }

    fn fact(&self, key: &str, value: &str, line: usize) -> Fact {
        let money = money::find_first(value, self.dollar).map(|f| f.money);
        Fact {
            key: key.trim_end_matches(':').trim().to_string(),
            value: value.to_string(),
            line,
            money,
            weeks: span::count_of(value, Unit::Week),
        }
    }

    fn add_facts(&mut self, facts: Vec<Fact>) {
        self.mark_used();
        match self.current_phase() {
            Some(phase) => phase.facts.extend(facts),
            None => self.facts.extend(facts),
        }
    }

    fn phase_budget(&mut self, fact: Fact) {
        let found = money::find_first(&fact.value, self.dollar);
        let Some(found) = found else {
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

    fn decision(&mut self, fact: Fact) {
        self.mark_used();
        let decision = read_decision(&fact.value, fact.line);
        if self.decision.is_none() {
            self.decision = Some(decision.clone());
        }
        self.decisions.push(decision);
    }

    fn list(&mut self, block: &Block, items: &[Item]) {
        let label = self.label.take();
        if items.iter().any(Item::has_task) {
            let tasks = collect_tasks(items);
            let name = label
                .as_ref()
                .map(|(key, _, _)| key.clone())
                .or_else(|| self.group_name.clone());
            let group = TaskGroup {
                name,
                line: block.line,
                tasks,
            };
            match self.current_phase() {
                Some(phase) => phase.groups.push(group),
                None => self.groups.push(group),
            }
            self.mark_used();
            if !items.iter().all(Item::all_tasks) {
                // Items without a checkbox are text the reader must see.
                self.keep_labelled(label, block);
            }
            return;
        }
        if self.in_phase {
            let all_marked = items.iter().all(|i| starts_with_mark(&i.text));
            let name = match (&label, all_marked) {
                (Some((key, _, _)), _) => Some(key.clone()),
                (None, true) => Some(self.group_name.clone().unwrap_or_else(|| "Criteria".into())),
                (None, false) => None,
            };
            if let Some(name) = name {
                let items = items
                    .iter()
                    .map(|item| {
                        let (status, text) = parse_criterion(&item.text);
                        Criterion {
                            text,
                            status,
                            line: item.line,
                        }
                    })
                    .collect();
                let criteria = CriteriaList {
                    name,
                    line: label.as_ref().map_or(block.line, |l| l.1),
                    items,
                };
                self.mark_used();
                if let Some(phase) = self.current_phase() {
                    phase.criteria.push(criteria);
                }
                let nested = items_have_children(&block.kind);
                if nested {
                    self.keep(block);
                }
                return;
            }
        }
        if let Some(facts) = self.fact_list(items) {
            if label.is_none() {
                self.route_facts(facts);
                return;
            }
        }
        self.keep_labelled(label, block);
    }

    fn keep_labelled(
        &mut self,
        label: Option<(String, usize, std::ops::Range<usize>)>,
        block: &Block,
    ) {
        if let Some((_, line, range)) = label {
            let start = range.start;
            let merged = Block {
                kind: BlockKind::Other,
                range: start..block.range.end,
                line,
            };
            self.keep(&merged);
        } else {
            self.keep(block);
        }
    }

    /// A list whose every item is `**Key:** value` is a list of facts.
    fn fact_list(&self, items: &[Item]) -> Option<Vec<Fact>> {
        let lines: Vec<&str> = self.text.lines().collect();
        items
            .iter()
            .map(|item| {
                if !item.children.is_empty() {
                    return None;
                }
                let raw = lines.get(item.line - 1)?.trim();
                let raw = raw.trim_start_matches(['-', '*', '+']).trim();
                let caps = FACT.captures(raw)?;
                Some(self.fact(caps["key"].trim(), caps["value"].trim(), item.line))
            })
            .collect()
    }

    fn table(&mut self, block: &Block, header: &[String], rows: &[outline::Row]) {
        let kind = tables::classify(header, rows, self.dollar);
        let keys: Vec<String> = header.iter().map(|h| tables::header_key(h)).collect();
        match kind {
            TableKind::Budget { phase_column } if self.budget_table.is_none() => {
                self.mark_used();
                self.budget_table =
                    Some((block.line, header.to_vec(), rows.to_vec(), phase_column));
            }
            TableKind::Risks => {
                self.mark_used();
                self.risks
                    .extend(rows.iter().map(|r| tables::read_record(&keys, r, false)));
            }
            TableKind::Metrics => {
                self.mark_used();
                self.metrics
                    .extend(rows.iter().map(|r| tables::read_record(&keys, r, true)));
            }
            _ => {
                self.tables.push(Table {
                    line: block.line,
                    columns: header.to_vec(),
                    rows: rows.iter().map(|r| r.cells.clone()).collect(),
                });
                self.keep(block);
            }
        }
    }

    fn col_of(&self, line: usize, needle: &str) -> usize {
        self.text
            .lines()
            .nth(line.saturating_sub(1))
            .map_or(1, |l| column_of(l, needle))
    }
}

/// `GO / NO-GO` is open with two options; `GO` is taken; a question
/// (`Proceed to production?`) is open with the question as its only text.
fn read_decision(value: &str, line: usize) -> Decision {
    let value = strip_marks(value).trim_matches('*').trim().to_string();
    if value.ends_with('?') {
        return Decision {
            question: Some(value),
            options: Vec::new(),
            chosen: None,
            line,
        };
    }
    let options: Vec<String> = value
        .split(['/', '|'])
        .flat_map(|part| part.split(" or "))
        .map(|s| s.trim().trim_matches('*').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let short = options.iter().all(|o| o.split_whitespace().count() <= 3);
    if options.len() > 1 && short {
        return Decision {
            question: None,
            options,
            chosen: None,
            line,
        };
    }
    Decision {
        question: None,
        options: vec![value.clone()],
        chosen: Some(value),
        line,
    }
}

fn items_have_children(kind: &BlockKind) -> bool {
    matches!(kind, BlockKind::List { items } if items.iter().any(|i| !i.children.is_empty()))
}

/// Tasks from list items: checkbox items become tasks with their checkbox
/// children as subtasks; an item without a checkbox passes its task
/// children up.
fn collect_tasks(items: &[Item]) -> Vec<Task> {
    let mut tasks = Vec::new();
    for item in items {
        match item.check {
            Some(check) => {
                let state = match check {
                    Check::Open => TaskState::Open,
                    Check::Done => TaskState::Done,
                    Check::InProgress => TaskState::InProgress,
                    Check::Skipped => TaskState::Skipped,
                };
                tasks.push(Task {
                    text: item.text.clone(),
                    done: state == TaskState::Done,
                    state,
                    line: item.line,
                    subtasks: collect_tasks(&item.children),
                });
            }
            None => tasks.extend(collect_tasks(&item.children)),
        }
    }
    tasks
}

/// The shallowest heading level at which headings name spans (the title
/// heading aside); headings naming only a duration count when none do.
fn phase_level(blocks: &[Block], title_index: Option<usize>) -> Option<u8> {
    let headings = blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != title_index)
        .filter_map(|(_, b)| match &b.kind {
            BlockKind::Heading { level, text } => {
                parse_heading(text).map(|h| (*level, h.span.is_some()))
            }
            _ => None,
        });
    let (with_span, without): (Vec<_>, Vec<_>) = headings.partition(|(_, has_span)| *has_span);
    with_span
        .iter()
        .map(|(l, _)| *l)
        .min()
        .or_else(|| without.iter().map(|(l, _)| *l).min())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Plan {
        let source = Source {
            path: "t.md".into(),
            display: "t.md".into(),
            stem: "t".into(),
            text: text.into(),
        };
        build(&source, &Settings::default()).expect("readable")
    }

    #[test]
    fn phases_tasks_and_budget() {
        let p = plan("# Plan\n\n## Week 1-2: Setup\n\n**Budget:** $6,000 (1 engineer)\n\n### Week 1\n- [x] a\n- [ ] b\n  - [x] b1\n\n**Success Criteria:**\n- ✅ done thing\n- plain\n\n## Notes\n\nSome prose.\n");
        assert_eq!(p.title, "Plan");
        assert_eq!(p.phases.len(), 1);
        let phase = &p.phases[0];
        assert_eq!(phase.label, "Week 1-2");
        assert_eq!(phase.title, "Setup");
        assert_eq!(phase.budget.as_ref().map(|b| b.amount.minor), Some(600_000));
        assert_eq!(
            phase
                .budget
                .as_ref()
                .and_then(|b| b.note.clone())
                .as_deref(),
            Some("1 engineer")
        );
        assert_eq!(phase.groups[0].name.as_deref(), Some("Week 1"));
        assert_eq!(phase.progress, Progress { done: 2, total: 3 });
        assert_eq!(phase.status, PhaseStatus::InProgress);
        assert_eq!(phase.criteria[0].name, "Success Criteria");
        assert_eq!(phase.criteria[0].items.len(), 2);
        assert_eq!(p.prose.len(), 2, "{:?}", p.prose);
        assert_eq!(p.prose[0].markdown, "## Notes");
    }

    #[test]
    fn nothing_is_lost() {
        let p = plan("Intro line.\n\n## Phase 1: A (Weeks 1-2)\n\nA note in the phase.\n\n- plain item\n\n```\ncode\n```\n");
        assert_eq!(p.prose[0].markdown, "Intro line.");
        let notes: Vec<&str> = p.phases[0]
            .notes
            .iter()
            .map(|n| n.markdown.as_str())
            .collect();
        assert_eq!(
            notes,
            ["A note in the phase.", "- plain item", "```\ncode\n```"]
        );
    }

    #[test]
    fn decision_open_and_taken() {
        let p = plan("**Decision:** GO / NO-GO\n");
        let d = p.decision.expect("decision");
        assert_eq!(d.options, ["GO", "NO-GO"]);
        assert_eq!(d.chosen, None);
        let p = plan("**Decision:** GO\n");
        assert_eq!(p.decision.and_then(|d| d.chosen).as_deref(), Some("GO"));
    }

    #[test]
    fn phases_under_a_timeline_heading() {
        let p = plan("# X\n## Timeline\n### Phase 1: A (Weeks 1-3)\n- [ ] t\n### Phase 2: B (Weeks 4-6)\n- [x] u\n## Budget\n");
        assert_eq!(p.phases.len(), 2);
        assert_eq!(p.phases[1].span, Span::new(Unit::Week, 4, 6));
        assert_eq!(p.progress, Progress { done: 1, total: 2 });
    }

    #[test]
    fn malformed_headings_and_fenced_plans_are_reported() {
        let p =
            plan("# T\n\n##Discovery\nText.\n\n```markdown\n# Plan\n## Week 1\n- [ ] task\n```\n");
        let messages: Vec<String> = p
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert!(
            messages[0].starts_with("3:3 `##Discovery` is not a heading"),
            "{messages:?}"
        );
        assert!(
            messages[1]
                .starts_with("6:1 a ```markdown block holds plan text (2 heading(s), 1 task(s))"),
            "{messages:?}"
        );
        assert_eq!(p.phases.len(), 0);
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Plan Ünïcode 2025"), "plan-ünïcode-2025");
        assert_eq!(slugify("CON."), "con");
    }
}
