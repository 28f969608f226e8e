//! Lists and tables: task lists into task groups, marked or labelled lists
//! into criteria, lists of facts, schedule lists (items naming spans, in a
//! plan without phase headings) into phases, and tables into the budget
//! summary, risks, metrics or other tables.

use super::items::{collect_tasks, items_have_children};
use super::phases::PhaseDraft;
use super::walker::{fact, Builder};
use crate::model::plan::*;
use crate::model::tables::{self, TableKind};
use crate::parse::outline::{self, Block, BlockKind, Item};
use crate::parse::span::{named_heading, names_span_or_month, parse_heading, PhaseHeading};
use crate::parse::status::{parse_criterion, starts_with_mark};

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
        let Some(headings) = schedule_headings(items, self.group_name.as_deref()) else {
            return false;
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
                span: heading.span,
                heading,
                line: item.line,
                budget: None,
                groups,
                criteria: Vec::new(),
                facts: Vec::new(),
                notes: Vec::new(),
            });
        }
        self.mark_used();
        if !items
            .iter()
            .all(|i| i.children.iter().all(Item::all_tasks) && !i.blocks)
        {
            // What the phases cannot carry stays in the page.
            self.keep(block);
        }
        true
    }

    pub(super) fn list(&mut self, block: &Block, items: &[Item]) {
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
