//! Schedules written as tables of periods.
//!
//! A table whose first column names a span in every row (`Q4 2023`,
//! `T1 2026`, `Sprint 3`, `Weeks 1-2`; a `Total` row aside) is a
//! schedule: in a plan without phases, each row is a phase labelled by
//! its span, dated by it when it is a period of the calendar (a quarter of
//! a year), budgeted from the table's cost column. Such a table outranks a
//! schedule list whose spans it all names and adds to (the list is then a
//! list). Rows of pipes without a header line, right under a heading that
//! follows a table, with as many cells as its header, continue that table.

use super::lists::schedule_headings;
use crate::model::plan::*;
use crate::model::tables;
use crate::parse::calendar::{self, Context, Order};
use crate::parse::money::{self, Currency};
use crate::parse::outline::{Block, BlockKind, Row};
use crate::parse::span::{only_span_in, Span};
use crate::parse::status::strip_marks;

// A Total row closes a table of amounts; it names no period.
use super::keys::is_total_cell as is_total;

/// A cell that is a span and nothing else (`Q4 2023`, `**T1 2026**`): the
/// span and the cell as written, without marks.
fn span_cell(cell: &str) -> Option<(Span, String)> {
    let plain = strip_marks(&cell.replace(['*', '`', '_'], ""))
        .trim()
        .to_string();
    let (span, written) = only_span_in(&plain)?;
    (written == plain).then_some((span, plain))
}

/// The rows of a table whose first column names a span in every row but
/// blank and Total rows, two rows or more: (row index, span, label).
fn span_rows(rows: &[Vec<String>]) -> Option<Vec<(usize, Span, String)>> {
    let mut found = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let first = row.first().map_or("", |c| c.trim());
        if first.is_empty() || is_total(first) {
            continue;
        }
        let (span, label) = span_cell(first)?;
        found.push((i, span, label));
    }
    (found.len() >= 2).then_some(found)
}

/// In a plan without phases, the first table whose first column names a
/// span in every row gives the phases, one per row, unless a schedule
/// table with a date column comes before it (that one is the schedule).
/// `budget_table` is the budget summary, which is read for the phases'
/// budgets later; any other table's cost column gives each row's budget.
pub(super) fn phases_from_span_table(
    tables: &[Table],
    budget_table: Option<&Table>,
    dollar: Currency,
) -> Option<Vec<Phase>> {
    let mut candidates: Vec<(&Table, bool)> = tables.iter().map(|t| (t, false)).collect();
    if let Some(summary) = budget_table {
        candidates.push((summary, true));
    }
    candidates.sort_by_key(|(t, _)| t.line);
    for (table, is_summary) in candidates {
        if !is_summary && super::dates::is_schedule_table(table) {
            return None;
        }
        let Some(rows) = span_rows(&table.rows) else {
            continue;
        };
        let cost = if is_summary {
            None
        } else {
            cost_column(table, dollar)
        };
        return Some(
            rows.into_iter()
                .map(|(i, span, label)| row_phase(table, i, span, label, cost, dollar))
                .collect(),
        );
    }
    None
}

/// The column of a table that holds its rows' costs (see
/// `tables::cost_column`).
fn cost_column(table: &Table, dollar: Currency) -> Option<usize> {
    let keys: Vec<String> = table
        .columns
        .iter()
        .map(|h| tables::header_key(h))
        .collect();
    tables::cost_column(&keys, |i| {
        i > 0
            && table.rows.iter().any(|r| {
                r.get(i)
                    .is_some_and(|c| money::find_stated(c, dollar).is_some())
            })
    })
}

fn row_phase(
    table: &Table,
    i: usize,
    span: Span,
    label: String,
    cost: Option<usize>,
    dollar: Currency,
) -> Phase {
    let line = table
        .row_lines
        .get(i)
        .copied()
        .unwrap_or(table.line + 2 + i);
    // A quarter of a year is a period of the calendar; `Sprint 3` is not.
    let period = span
        .year
        .and_then(|year| {
            calendar::find(
                &label,
                &Context {
                    year: Some(year),
                    order: Order::Unknown,
                },
            )
        })
        .filter(|p| !p.single_day && !p.ambiguous);
    let (start, end) = period.map_or((None, None), |p| (p.start, p.end));
    let budget = cost
        .and_then(|c| table.rows.get(i)?.get(c))
        .and_then(|cell| money::find_stated(cell, dollar))
        .map(|found| PhaseBudget {
            amount: found.money,
            currency: found.money.currency,
            note: cost.and_then(|c| table.columns.get(c)).map(|header| {
                format!("the `{}` column of the schedule table", strip_marks(header))
            }),
            line,
            cumulative: None,
        });
    Phase {
        span: Some(span),
        budget,
        dates: Dates {
            start,
            end,
            start_line: start.map(|_| line),
            end_line: end.map(|_| line),
            derived: false,
        },
        ..Phase::named(label, line)
    }
}

/// The first table whose first column names a span in every row names
/// every span the plan's schedule lists name, and more: it is the fuller
/// statement of the same schedule, and the lists stay lists.
pub(super) fn span_table_outranks_lists(blocks: &[Block]) -> bool {
    let table_spans: Option<Vec<Span>> = blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Table { rows, .. } => {
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
            span_rows(&cells).map(|found| found.into_iter().map(|(_, s, _)| s).collect())
        }
        _ => None,
    });
    let Some(mut table_spans) = table_spans else {
        return false;
    };
    let mut group_name: Option<&str> = None;
    let mut list_spans: Vec<Span> = Vec::new();
    for block in blocks {
        match &block.kind {
            BlockKind::Heading { text, .. } => group_name = Some(text),
            BlockKind::List { items } => list_spans.extend(
                schedule_headings(items, group_name)
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h.span),
            ),
            _ => {}
        }
    }
    let key = |s: &Span| (s.unit as u8, s.start, s.end, s.year);
    table_spans.sort_by_key(key);
    !list_spans.is_empty()
        && table_spans.len() > list_spans.len()
        && list_spans
            .iter()
            .all(|s| table_spans.binary_search_by_key(&key(s), key).is_ok())
}

/// Rows of pipes that follow a table under a later heading without a
/// header line of their own (`| C | 2025-01-01 | … |`) read as a paragraph;
/// when every line of it is such a row with as many cells as the table's
/// header, and only headings come between, the rows continue that table
/// under the new heading.
pub(super) fn continue_tables(text: &str, mut blocks: Vec<Block>) -> Vec<Block> {
    let mut header: Option<Vec<String>> = None;
    let mut headings_since = 0usize;
    for block in &mut blocks {
        let mut continued = None;
        match &block.kind {
            BlockKind::Table { header: h, .. } => {
                header = Some(h.clone());
                headings_since = 0;
            }
            BlockKind::Heading { .. } => headings_since += 1,
            BlockKind::Paragraph { .. } if headings_since > 0 => {
                let source = text.get(block.range.clone()).unwrap_or("");
                continued = header.as_ref().and_then(|h| {
                    let rows = pipe_rows(source, h.len(), block.line)?;
                    Some(BlockKind::Table {
                        header: h.clone(),
                        rows,
                    })
                });
                if continued.is_none() {
                    header = None;
                }
                headings_since = 0;
            }
            _ => header = None,
        }
        if let Some(kind) = continued {
            block.kind = kind;
        }
    }
    blocks
}

/// Every line a row of pipes with `cells` cells: the rows, from `line` on.
fn pipe_rows(source: &str, cells: usize, line: usize) -> Option<Vec<Row>> {
    let mut rows = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let inner = raw.trim().strip_prefix('|')?.strip_suffix('|')?;
        let row: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
        if row.len() != cells {
            return None;
        }
        rows.push(Row {
            line: line + i,
            cells: row,
        });
    }
    (!rows.is_empty()).then_some(rows)
}

#[cfg(test)]
mod tests {
    use crate::model::from_text as plan;

    fn labels(text: &str) -> Vec<String> {
        plan(text).phases.iter().map(|p| p.label.clone()).collect()
    }

    #[test]
    fn a_sprint_table_gives_phases_and_budgets_from_its_cost_column() {
        let p = plan("# P\n\n**Start Date:** 2025-03-03\n\n| Sprint | Goal | Budget |\n| --- | --- | --- |\n| Sprint 1 | Login | $4,000 |\n| Sprint 2 | Billing | $6,000 |\n");
        let got: Vec<(&str, Option<i64>, Option<chrono::NaiveDate>)> = p
            .phases
            .iter()
            .map(|ph| {
                (
                    ph.label.as_str(),
                    ph.budget.as_ref().map(|b| b.amount.minor),
                    ph.dates.start,
                )
            })
            .collect();
        // A sprint is no period of the calendar: no dates of its own.
        assert_eq!(
            got,
            [
                ("Sprint 1", Some(400_000), None),
                ("Sprint 2", Some(600_000), None)
            ]
        );
    }

    #[test]
    fn a_first_column_with_a_row_naming_no_span_is_no_schedule() {
        assert!(labels("# P\n\n| Quarter | Goal |\n| --- | --- |\n| Q1 2025 | A |\n| Later | B |\n| Q3 2025 | C |\n").is_empty());
        // One row is not a schedule either.
        assert!(labels("# P\n\n| Quarter | Goal |\n| --- | --- |\n| Q1 2025 | A |\n").is_empty());
    }

    #[test]
    fn a_list_naming_other_periods_keeps_the_schedule() {
        let text = "# P\n\n- Q1 2024: Alpha\n- Q2 2024: Beta\n\n| Quarter | Revenue |\n| --- | --- |\n| Q3 2024 | 10 |\n| Q4 2024 | 20 |\n| Q1 2025 | 30 |\n";
        assert_eq!(labels(text), ["Q1 2024", "Q2 2024"]);
    }

    #[test]
    fn quarter_sections_with_their_own_tasks_stay_phases() {
        let text = "# P\n\n## Q1 2025\n\n- [ ] task\n\n| Step | Date |\n| --- | --- |\n| A | 2025-01-10 |\n| B | 2025-02-10 |\n\n## Q2 2025\n\n| Step | Date |\n| --- | --- |\n| C | 2025-04-10 |\n| D | 2025-05-10 |\n";
        assert_eq!(labels(text), ["Q1 2025", "Q2 2025"]);
        // Named phases are work, not calendar groups.
        let text = "# P\n\n## Phase 1: Build (Q1 2025)\n\n| Step | Date |\n| --- | --- |\n| A | 2025-01-10 |\n| B | 2025-02-10 |\n";
        assert_eq!(labels(text), ["Phase 1"]);
    }

    #[test]
    fn headerless_rows_continue_only_right_under_a_heading() {
        // A paragraph between breaks the continuation.
        let text = "# P\n\n## 2025Q1\n\n| Step | Start | End |\n| --- | --- | --- |\n| A | 2025-01-06 | 2025-01-31 |\n| B | 2025-02-03 | 2025-03-28 |\n\n## 2025Q2\n\nSome words first.\n\n| C | 2025-04-07 | 2025-05-30 |\n";
        assert_eq!(labels(text), ["2025Q1", "2025Q2"]);
        // Rows of another width are not the same table.
        let text = "# P\n\n## 2025Q1\n\n| Step | Start | End |\n| --- | --- | --- |\n| A | 2025-01-06 | 2025-01-31 |\n| B | 2025-02-03 | 2025-03-28 |\n\n## 2025Q2\n\n| C | 2025-04-07 |\n";
        assert_eq!(labels(text), ["2025Q1", "2025Q2"]);
        let text = "# P\n\n## 2025Q1\n\n| Step | Start | End |\n| --- | --- | --- |\n| A | 2025-01-06 | 2025-01-31 |\n| B | 2025-02-03 | 2025-03-28 |\n\n## 2025Q2\n\n| C | 2025-04-07 | 2025-05-30 |\n| D | 2025-06-02 | 2025-06-27 |\n";
        assert_eq!(labels(text), ["A", "B", "C", "D"]);
    }
}
