//! Lists and tables: task lists into task groups, marked or labelled lists
//! into criteria, lists of facts, schedule lists (items naming spans, in a
//! plan without phase headings) into phases, and tables into the budget
//! summary, risks, metrics or other tables.

use super::items::{collect_tasks, items_have_children};
use super::keys::fact;
use super::phases::PhaseDraft;
use super::walker::Builder;
use crate::model::plan::*;
use crate::model::tables::{self, TableKind};
use crate::parse::outline::{self, Block, BlockKind, Item};
use crate::parse::span::{named_heading, names_span_or_month, parse_heading, PhaseHeading};
use crate::parse::status::{parse_criterion, starts_with_mark};

/// A key to the checkboxes (`- [ ] Not started`, `- [~] In progress`,
/// `- [x] Complete`): each item a different box with no items under it,
/// each naming a state and nothing else (a note after a dash, colon or in
/// brackets is allowed); at least three items, or two under a heading
/// named Key or Legend. It explains the boxes; its items are not tasks.
fn is_checkbox_key(items: &[Item], heading: Option<&str>) -> bool {
    // The cheap tests first: this runs for every list of every plan.
    if items.len() < 2
        || items.len() > 8
        || items
            .iter()
            .any(|i| i.check.is_none() || !i.children.is_empty())
    {
        return false;
    }
    let titled = items.len() < 3
        && heading.is_some_and(|h| {
            h.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| {
                    matches!(
                        w,
                        "key" | "legend" | "legende" | "leyenda" | "légende" | "legenda"
                    )
                })
        });
    if items.len() < 3 && !titled {
        return false;
    }
    const STATES: &[&str] = &[
        "not started",
        "todo",
        "to do",
        "open",
        "pending",
        "planned",
        "in progress",
        "started",
        "ongoing",
        "wip",
        "doing",
        "done",
        "complete",
        "completed",
        "finished",
        "closed",
        "skipped",
        "deferred",
        "cancelled",
        "canceled",
        "blocked",
        "dropped",
        "n/a",
    ];
    if items.len() < 2 || items.len() > 8 {
        return false;
    }
    let mut seen = Vec::new();
    for item in items {
        let Some(check) = item.check else {
            return false;
        };
        if !item.children.is_empty() || seen.contains(&check) {
            return false;
        }
        seen.push(check);
        let text = item.text.to_lowercase();
        let name = text
            .split(['(', ':', '—', '–', '[', '='])
            .next()
            .unwrap_or("")
            .split(" - ")
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || c == '.');
        if !STATES.contains(&name) {
            return false;
        }
    }
    true
}

impl Builder<'_> {
    /// In a plan without phase headings, a list every item of which opens
    /// with a span (`- [x] Q1 2024: Launch`, `- Milestone 2: Beta (Weeks
    /// 5-8)`) is the plan's schedule: each item is a phase, its checkbox
    /// (or the checkboxes under it) its tasks. So is a list under a heading
    /// that names a schedule (`Milestones`, `Roadmap`, `Releases`) most of
    /// whose items name a time (`Beta release: Mar 2021`, `v2.0: Q4
    /// 2021`). Any other list is an ordinary list.
    fn schedule_list(&mut self, block: &Block, items: &[Item]) -> bool {
        if self.phase_level.is_some() || self.in_phase || items.len() < 2 {
            return false;
        }
        if !self.schedule_lists {
            return false;
        }
        // The nearest heading: the plan's title when no other came yet.
        let nearest = self.group_name.as_deref().or(self.title_heading.as_deref());
        let (headings, described) = match schedule_headings(items, nearest) {
            Some(headings) => (headings, false),
            None if under_phases_heading(nearest) => {
                let Some(headings) = self.bold_named_phases(items) else {
                    return false;
                };
                // The words after each name stay in the page.
                (headings, true)
            }
            None => return false,
        };
        self.release_label();
        for (item, heading) in items.iter().zip(headings) {
            let tasks = if item.check.is_some() {
                collect_tasks(std::slice::from_ref(item))
            } else {
                collect_tasks(&item.children)
            };
            let groups = if tasks.is_empty() {
                Vec::new()
            } else {
                vec![TaskGroup {
                    name: self.group_name.clone(),
                    line: item.line,
                    tasks,
                }]
            };
            self.phases.push(PhaseDraft {
                groups,
                ..PhaseDraft::new(heading, item.line)
            });
        }
        self.mark_used();
        if described
            || !items
                .iter()
                .all(|i| i.children.iter().all(Item::all_tasks) && !i.blocks)
        {
            // What the phases cannot carry stays in the page.
            self.keep(block);
        }
        true
    }

    /// Under a heading naming phases, a list each item of which opens
    /// with a bold name (`- **Design** — wireframes and reviews`,
    /// `- **要件**…`) names the phases, one per item, by those names. Names
    /// are distinct and at most 60 characters; a list of facts the plan
    /// reads (`**Budget:**`, `**Start:**`) is not one.
    fn bold_named_phases(&self, items: &[Item]) -> Option<Vec<PhaseHeading>> {
        let mut names: Vec<&str> = Vec::with_capacity(items.len());
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        for item in items {
            let line = self.lines.line_text(self.text, item.line)?;
            let name = bold_name(after_list_marker(line))?;
            if !seen.insert(name) || is_read_fact_key(name) {
                return None;
            }
            names.push(name);
        }
        Some(names.into_iter().map(named_heading).collect())
    }

    pub(super) fn list(&mut self, block: &Block, items: &[Item]) {
        if is_checkbox_key(items, self.group_name.as_deref()) {
            // What the boxes mean, not work to do: kept as written.
            let label = self.label.take();
            self.keep_labelled(label, block);
            return;
        }
        if self.schedule_list(block, items) {
            return;
        }
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

    pub(super) fn keep_labelled(
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
    pub(super) fn fact_list(&self, items: &[Item]) -> Option<Vec<Fact>> {
        items
            .iter()
            .map(|item| {
                if !item.children.is_empty() {
                    return None;
                }
                let raw = self.lines.line_text(self.text, item.line)?.trim();
                let raw = raw.trim_start_matches(['-', '*', '+']).trim();
                let (key, value) = fact(raw)?;
                Some(self.fact(key.trim(), value.trim(), item.line))
            })
            .collect()
    }

    pub(super) fn table(&mut self, block: &Block, header: &[String], rows: &[outline::Row]) {
        if self.in_phase && self.phase_cost_table(header, rows) {
            self.tables.push(Table {
                line: block.line,
                columns: header.to_vec(),
                rows: rows.iter().map(|r| r.cells.clone()).collect(),
                row_lines: rows.iter().map(|r| r.line).collect(),
            });
            self.keep(block);
            return;
        }
        let kind = tables::classify(header, rows, self.dollar);
        let keys: Vec<String> = header.iter().map(|h| tables::header_key(h)).collect();
        match kind {
            TableKind::Budget { phase_column } if self.budget_table.is_none() => {
                self.mark_used();
                self.budget_table = Some(tables::BudgetSummary {
                    line: block.line,
                    header: header.to_vec(),
                    rows: rows.to_vec(),
                    phase_column,
                });
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
                self.total_row(rows);
                self.tables.push(Table {
                    line: block.line,
                    columns: header.to_vec(),
                    rows: rows.iter().map(|r| r.cells.clone()).collect(),
                    row_lines: rows.iter().map(|r| r.line).collect(),
                });
                self.keep(block);
            }
        }
    }

    /// A table of amounts outside the phases closed by a `Total` row
    /// (`| **Total HT** | **262 500 € HT** |`) states a total: the first
    /// such row's amount, when it holds one amount, kept for the plan's
    /// stated total.
    fn total_row(&mut self, rows: &[outline::Row]) {
        if self.in_phase || self.table_total.is_some() {
            return;
        }
        for row in rows {
            let Some(first) = row.cells.first() else {
                continue;
            };
            let first = crate::parse::status::strip_marks(first).to_lowercase();
            if !first.starts_with("total") {
                continue;
            }
            // One amount is the table's total; several (one per column)
            // are totals of their columns, none of them the plan's.
            let found: Vec<_> = row.cells[1..]
                .iter()
                .filter_map(|c| crate::parse::money::find_stated(c, self.dollar))
                .collect();
            if let [found] = found[..] {
                self.table_total = Some((found.money, row.line));
            }
            return;
        }
    }

    /// A cost table inside a phase (`Item | Cost`, `| Hours | Rate | Total
    /// (EUR) |`) is that phase's breakdown: its `Total` row, else the sum of
    /// its items, in its first money column that is not a rate, is the
    /// phase's budget when no budget line states one. The items are checked
    /// against the Total row, and the table against a stated budget line.
    /// False when the table is not a cost table.
    fn phase_cost_table(&mut self, header: &[String], rows: &[outline::Row]) -> bool {
        let keys: Vec<String> = header.iter().map(|h| tables::header_key(h)).collect();
        let is_total = super::keys::is_total_cell;
        let dollar = self.dollar;
        let amount = |row: &outline::Row, column: usize| {
            row.cells
                .get(column)
                .and_then(|c| crate::parse::money::find_stated(c, dollar))
                .map(|f| f.money)
        };
        let Some(column) =
            tables::cost_column(&keys, |i| rows.iter().any(|r| amount(r, i).is_some()))
        else {
            return false;
        };
        // A table whose rows name phases is a budget summary, not a phase's
        // breakdown.
        if keys.first().is_some_and(|k| {
            matches!(
                k.as_str(),
                "phase" | "sprint" | "milestone" | "stage" | "week" | "weeks"
            )
        }) {
            return false;
        }
        let mut items = Vec::new();
        let mut total: Option<(crate::parse::money::Money, usize, String)> = None;
        for row in rows {
            let label = row.cells.first().map_or("", String::as_str);
            match (is_total(label), amount(row, column)) {
                (true, Some(m)) if total.is_none() => {
                    total = Some((m, row.line, label.to_string()))
                }
                (false, Some(m)) => items.push(m),
                _ => {}
            }
        }
        let sum = crate::parse::money::checked_sum(items.iter().copied())
            .ok()
            .flatten();
        if let (Some((stated, line, label)), Some(sum)) = (&total, sum) {
            if stated.currency == sum.currency && *stated != sum {
                let col = self.col_of(*line, label);
                self.diagnostics.push(crate::diagnostic::Diagnostic::warning(
                    self.file,
                    *line,
                    col,
                    format!("the items of this cost table add up to {sum} but its total row states {stated}"),
                ));
            }
        }
        let from_total = total.is_some();
        let Some((figure, line)) = total
            .map(|(m, line, _)| (m, line))
            .or_else(|| sum.map(|s| (s, rows.first().map_or(0, |r| r.line))))
        else {
            return false;
        };
        self.mark_used();
        self.take_cost_figure(figure, line, from_total);
        true
    }

    /// A phase's cost table gives its budget, unless a budget line states
    /// one (a different figure is then a warning).
    fn take_cost_figure(
        &mut self,
        figure: crate::parse::money::Money,
        line: usize,
        from_total: bool,
    ) {
        let provisional = self.provisional().is_some();
        let file = self.file;
        let mut warning = None;
        if let Some(phase) = self.current_phase() {
            match &phase.budget {
                Some(stated) if !provisional => {
                    if stated.amount.currency == figure.currency && stated.amount != figure {
                        warning = Some(format!(
                            "the phase's cost table comes to {figure} but its budget line (line {}) states {}",
                            stated.line, stated.amount
                        ));
                    }
                }
                _ => {
                    phase.budget = Some(PhaseBudget {
                        amount: figure,
                        currency: figure.currency,
                        note: Some(if from_total {
                            "total of the cost table".to_string()
                        } else {
                            "sum of the cost table".to_string()
                        }),
                        line,
                        cumulative: None,
                    });
                }
            }
        }
        if let Some(message) = warning {
            self.diagnostics
                .push(crate::diagnostic::Diagnostic::warning(
                    file, line, 1, message,
                ));
        }
        self.provisional_budget = None;
    }
}

/// The item opens with its span: its label is where it starts (a span
/// named later, in parentheses, is a title's, not a schedule's).
fn starts_with_span(text: &str, label: &str) -> bool {
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    !label.is_empty() && text.starts_with(label)
}

/// More than half the items, and at least two, name a span or a month of
/// a year (`Nov 2020`, `Q4 2021`, `Weeks 3-4`).
fn names_times(items: &[Item]) -> bool {
    let naming = items
        .iter()
        .filter(|i| names_span_or_month(i.text.lines().next().unwrap_or("")))
        .count();
    naming >= 2 && naming * 2 > items.len()
}

/// The nearest heading names a schedule: milestones, phases, releases,
/// a roadmap, timeline or schedule (in the plan's languages).
fn under_schedule_heading(group_name: Option<&str>) -> bool {
    const WORDS: &[&str] = &[
        "milestone",
        "phase",
        "release",
        "roadmap",
        "timeline",
        "schedule",
        "meilenstein",
        "zeitplan",
        "hito",
        "cronograma",
        "calendario",
        "jalon",
        "calendrier",
        "échéancier",
        "feuille de route",
        "marco",
        "里程碑",
        "マイルストーン",
        "路线图",
        "ロードマップ",
    ];
    group_name.is_some_and(|name| {
        let name = name.to_lowercase();
        WORDS.iter().any(|w| name.contains(w))
    })
}

/// The phases a list states when it is a schedule (see
/// `Builder::schedule_list`), one per item; `None` for any other list.
/// `group_name` is the nearest heading.
pub(super) fn schedule_headings(
    items: &[Item],
    group_name: Option<&str>,
) -> Option<Vec<PhaseHeading>> {
    if items.len() < 2 {
        return None;
    }
    let opening_spans: Option<Vec<PhaseHeading>> = items
        .iter()
        .map(|item| {
            parse_heading(&item.text)
                .filter(|h| h.span.is_some() && starts_with_span(&item.text, &h.label))
        })
        .collect();
    match opening_spans {
        Some(headings) => Some(headings),
        None if under_schedule_heading(group_name) && names_times(items) => Some(
            items
                .iter()
                .map(|item| named_heading(item.text.lines().next().unwrap_or("")))
                .collect(),
        ),
        None => None,
    }
}

/// The nearest heading names the plan's phases: a plural (`Project
/// phases`, `Phasen`, `Etapas del proyecto`, `Stages`) or, in Chinese,
/// Japanese and Korean, which write no plural, the word itself
/// (`フェーズごとの計画`, `项目阶段`, `단계`).
fn under_phases_heading(group_name: Option<&str>) -> bool {
    const PLURALS: &[&str] = &[
        "phases", "phasen", "fases", "fasi", "étapes", "etapas", "etappen", "stages",
    ];
    const CJK: &[&str] = &["フェーズ", "段階", "阶段", "階段", "단계"];
    group_name.is_some_and(|name| {
        let name = name.to_lowercase();
        CJK.iter().any(|w| name.contains(w))
            || name
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| PLURALS.contains(&w))
    })
}

/// A list item's line without its marker (`-`, `*`, `+`, `1.`, `1)`) and
/// checkbox.
fn after_list_marker(line: &str) -> &str {
    let line = line.trim_start();
    let line = match line.strip_prefix(['-', '*', '+']) {
        Some(rest) => rest,
        None => {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = &line[digits..];
            match rest.strip_prefix(['.', ')']) {
                Some(rest) if digits > 0 => rest,
                _ => line,
            }
        }
    };
    let line = line.trim_start();
    match line.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((inside, rest)) if inside.chars().count() <= 1 => rest.trim_start(),
        _ => line,
    }
}

/// The bold name a text opens with (`**Design**`, `__Design:__`), without
/// a trailing colon: 1 to 60 characters on one line.
fn bold_name(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let mark = if text.starts_with("**") {
        "**"
    } else if text.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let body = &text[2..];
    let close = body.find(mark)?;
    let name = body[..close]
        .trim()
        .trim_end_matches([':', '：'])
        .trim_end();
    let length = name.chars().count();
    ((1..=60).contains(&length) && !name.contains('\n')).then_some(name)
}

/// A key the plan reads as a fact of its own: a date line or a budget line.
fn is_read_fact_key(name: &str) -> bool {
    let key = name.to_lowercase();
    super::dates::is_date_key(&key)
        || super::keys::BUDGET_KEYS.contains(&key.as_str())
        || super::keys::is_total_key(&key)
}

/// The schedule lists of a plan without phase headings make one schedule:
/// none restarts the count of the lists before it. Workstreams that each
/// number their own `M1`, `M2` are not one plan's phases, so then no list
/// is read as phases.
pub(super) fn lists_make_one_schedule(blocks: &[Block]) -> bool {
    let mut group_name: Option<String> = None;
    // The count per unit and year (quarters restart each year).
    let mut seen: Vec<(crate::parse::span::Unit, Option<i32>, u32)> = Vec::new();
    for block in blocks {
        match &block.kind {
            BlockKind::Heading { text, .. } => group_name = Some(text.clone()),
            BlockKind::List { items } => {
                let spans = schedule_headings(items, group_name.as_deref())
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h.span);
                for span in spans {
                    let key = (span.unit, span.year);
                    let restarts = seen
                        .iter()
                        .any(|(unit, year, end)| (*unit, *year) == key && span.start <= *end);
                    if restarts {
                        return false;
                    }
                    match seen
                        .iter_mut()
                        .find(|(unit, year, _)| (*unit, *year) == key)
                    {
                        Some((_, _, end)) => *end = span.end,
                        None => seen.push((span.unit, span.year, span.end)),
                    }
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_checkbox_key;
    use crate::parse::outline::{Check, Item};

    fn item(check: Check, text: &str) -> Item {
        Item {
            text: text.into(),
            check: Some(check),
            line: 1,
            children: Vec::new(),
            blocks: false,
        }
    }

    #[test]
    fn bold_names_under_a_phases_heading_are_phases_but_facts_are_not() {
        use crate::model::from_text as plan;
        let labels = |text: &str| -> Vec<String> {
            plan(text).phases.into_iter().map(|p| p.label).collect()
        };
        assert_eq!(
            labels("# P\n\n## Phases\n\n1. **Plan** first\n2. **Do** then\n"),
            ["Plan", "Do"]
        );
        // Facts the plan reads, a repeated name, plain items, or a heading
        // that names no phases: not phases.
        assert!(
            labels("# P\n\n## Phases\n\n- **Budget:** $5\n- **Start:** 2025-01-06\n").is_empty()
        );
        assert!(labels("# P\n\n## Phases\n\n- **Build** a\n- **Build** b\n").is_empty());
        assert!(labels("# P\n\n## Phases\n\n- Plan first\n- **Do** then\n").is_empty());
        assert!(labels("# P\n\n## Features\n\n- **Maps** a\n- **Search** b\n").is_empty());
        // A heading naming one phase is about that phase.
        assert!(labels("# P\n\n## This phase\n\n- **Maps** a\n- **Search** b\n").is_empty());
    }

    #[test]
    fn a_key_names_states_with_different_boxes() {
        let key = [
            item(Check::Open, "Not started"),
            item(Check::InProgress, "In progress"),
            item(Check::Done, "Complete"),
            item(Check::Skipped, "Skipped (deferred or not needed)"),
        ];
        assert!(is_checkbox_key(&key, Some("Status Key")));
        assert!(is_checkbox_key(&key, None));
        // Two tasks that happen to be called "done" and "open" are tasks,
        // unless a Key or Legend heading says otherwise.
        let two = [item(Check::Done, "done"), item(Check::Open, "open")];
        assert!(!is_checkbox_key(&two, Some("Week 3")));
        assert!(is_checkbox_key(&two, Some("Legend")));
        // The same box twice, or an item that is work, is not a key.
        let same = [
            item(Check::Open, "Not started"),
            item(Check::Open, "Blocked"),
            item(Check::Done, "Done"),
        ];
        assert!(!is_checkbox_key(&same, None));
        let work = [
            item(Check::Open, "Not started"),
            item(Check::InProgress, "Write the parser"),
            item(Check::Done, "Done"),
        ];
        assert!(!is_checkbox_key(&work, None));
    }
}
