//! Lists and tables: task lists into task groups, marked or labelled lists
//! into criteria, lists of facts, and tables into the budget summary, risks,
//! metrics or other tables.

use super::items::{collect_tasks, items_have_children};
use super::walker::{fact, Builder};
use crate::model::plan::*;
use crate::model::tables::{self, TableKind};
use crate::parse::outline::{self, Block, BlockKind, Item};
use crate::parse::status::{parse_criterion, starts_with_mark};

/// A key to the checkboxes (`- [ ] Not started`, `- [~] In progress`,
/// `- [x] Complete`): at least two items, each a different box with no
/// items under it, each naming a state and nothing else (a note after a
/// dash, colon or in brackets is allowed). It explains the boxes; its items
/// are not tasks.
fn is_checkbox_key(items: &[Item]) -> bool {
    const STATES: &[&str] = &[
        "not started", "todo", "to do", "open", "pending", "planned", "in progress", "started",
        "ongoing", "wip", "doing", "done", "complete", "completed", "finished", "closed",
        "skipped", "deferred", "cancelled", "canceled", "blocked", "dropped", "n/a",
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
    pub(super) fn list(&mut self, block: &Block, items: &[Item]) {
        if is_checkbox_key(items) {
            // What the boxes mean, not work to do: kept as written.
            let label = self.label.take();
            self.keep_labelled(label, block);
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
                self.total_row(rows);
                self.tables.push(Table {
                    line: block.line,
                    columns: header.to_vec(),
                    rows: rows.iter().map(|r| r.cells.clone()).collect(),
                });
                self.keep(block);
            }
        }
    }

    /// A table of amounts outside the phases closed by a `Total` row
    /// (`| **Total HT** | **262 500 € HT** |`) states a total: the first
    /// such row's amount, kept for the plan's stated total.
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
            let found = row.cells[1..]
                .iter()
                .find_map(|c| crate::parse::money::find_stated(c, self.dollar));
            if let Some(found) = found {
                self.table_total = Some((found.money, row.line));
                return;
            }
        }
    }
}
