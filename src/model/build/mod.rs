//! Build: a decoded plan file to a `Plan`, following the recognition rules
//! of the plan format (title, facts, phases, budgets, task groups, criteria,
//! tables, decision, closing block). Whatever is not recognised is kept as
//! prose, in order, so nothing in the document is lost. A plan pasted whole
//! into a ```markdown fence is read from inside the fence.
//!
//! `walker` walks the blocks once and sorts each into the plan (`facts` and
//! `lists` hold the handling of paragraphs, and of lists and tables);
//! `phases` completes phases once all blocks are read; `items` reads tasks,
//! decisions and the phase level.

mod dates;
mod ends;
mod facts;
mod gantt;
mod items;
mod keys;
mod lists;
mod periods;
mod phases;
mod walker;

use crate::diagnostic::{column_of, Diagnostic};
use crate::lines::LineIndex;
use crate::model::meta;
use crate::model::plan::*;
use crate::model::tables;
use crate::parse::front_matter;
use crate::parse::money::{self, Currency};
use crate::parse::outline;
use crate::parse::span;
use crate::parse::status::strip_marks;
use crate::slug::slugify;
use phases::{
    own_parts_of_cumulative_budgets, place_duration_only_phases, stretch_milestones, PhaseDraft,
};
use walker::Builder;

pub use crate::load::Source;

/// Settings from the site that change how a plan reads.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub currency: Option<Currency>,
}

/// Reads one plan. `Err` carries the error that made the file unreadable
/// (broken front matter); warnings travel inside the plan.
pub fn build(source: &Source, settings: &Settings) -> Result<Plan, Diagnostic> {
    // Long by nature: the stages of reading a plan, in the order they
    // depend on each other (the walk, the phases finished, their dates, then
    // the budgets), handing the parts the walk returned from one named
    // step to the next, and the plan's fields written out at the end.
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
    let blocks = unfence_plan(file, text, blocks, &lines, &mut diagnostics);
    let blocks = periods::continue_tables(text, blocks);
    let plan_currency = meta.currency.or(settings.currency);
    let mut builder = Builder::new(file, text, &lines, money::dollar_for(plan_currency));
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
        mut prose,
        diagnostics: found,
        title_heading,
        total_under_heading,
        table_total,
        ..
    } = builder;
    diagnostics.extend(found);
    let mut groups = groups;
    let title_text = overrides
        .title
        .clone()
        .or(title_heading.as_ref().map(|t| strip_marks(t)));
    let whole_plan_phase = title_text.is_some_and(|title_text| {
        let line = || {
            if overrides.title.is_some() {
                front_matter::key_line(text, &split, "title")
            } else {
                blocks
                    .iter()
                    .find(|b| matches!(b.kind, outline::BlockKind::Heading { level: 1, .. }))
                    .map_or(1, |b| b.line)
            }
        };
        title_phase(&title_text, line, &mut phases, &mut groups)
    });
    meta::fill_from_facts(&mut meta, &facts);
    place_duration_only_phases(&mut phases);
    stretch_milestones(&mut phases);
    let source_lines: Vec<&str> = lines.lines(text);
    let in_file = tables::Source {
        file,
        lines: &source_lines,
    };
    warn_rejected_spans(in_file, &phases, &mut diagnostics);
    own_parts_of_cumulative_budgets(&mut phases);
    let mut phases: Vec<Phase> = phases.into_iter().map(PhaseDraft::finish).collect();
    if phases.is_empty() {
        let dollar = money::dollar_for(plan_currency);
        if let Some(rows) = phases_from_span_table(&other_tables, budget_table.as_ref(), dollar) {
            phases = rows;
        }
    }
    let given = dates::Given {
        file,
        text,
        lines: &lines,
        meta: &meta,
        start_line: front_matter::key_line(text, &split, "start"),
        end_line: front_matter::key_line(text, &split, "end"),
        facts: &facts,
        tables: &other_tables,
        title: overrides.title.as_deref().or(title_heading.as_deref()),
        body_line: text
            .get(..split.body_offset)
            .map_or(0, |t| t.matches('\n').count())
            + 1,
        whole_plan_phase,
    };
    rows_of_period_sections(&given, &mut phases, &mut prose, &mut diagnostics);
    let schedule = dates::place(&given, &mut phases, &mut diagnostics);
    let budget = read_budgets(
        &BudgetInputs {
            in_file,
            text,
            meta: &meta,
            facts: &facts,
            other_tables: &other_tables,
            plan_currency,
            whole_plan_phase,
            total_under_heading: total_under_heading.or(table_total),
        },
        budget_table,
        &mut phases,
        &mut diagnostics,
    );
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
        display: source.display.clone(),
        file: std::path::PathBuf::new(),
        schema: SCHEMA,
        slug,
        source: source.path.clone(),
        title,
        meta,
        facts,
        phases,
        schedule,
        groups,
        budget,
        risks,
        metrics,
        tables: other_tables,
        decision,
        decisions,
        progress,
        prose,
        diagnostics: Vec::new(),
    };
    diagnostics.extend(crate::model::checks::check(&plan, file, &source_lines));
    diagnostics.sort_by_key(|d| (d.line, d.col));
    plan.diagnostics = diagnostics;
    Ok(plan)
}

/// The phases of a plan without phase headings from a table whose first
/// column names a span in every row (the budget summary, else another).
fn phases_from_span_table(
    other_tables: &[Table],
    budget_table: Option<&tables::BudgetSummary>,
    dollar: Currency,
) -> Option<Vec<Phase>> {
    let summary = budget_table.map(|summary| Table {
        line: summary.line,
        columns: summary.header.clone(),
        rows: summary.rows.iter().map(|r| r.cells.clone()).collect(),
        row_lines: summary.rows.iter().map(|r| r.line).collect(),
    });
    periods::phases_from_span_table(other_tables, summary.as_ref(), dollar)
}

/// Phases that are sections of periods (`## Q1 2026` over rows of
/// milestones) give way to the rows they hold; the sections' headings and
/// what they hold stay in the page, as prose.
fn rows_of_period_sections(
    given: &dates::Given<'_>,
    phases: &mut Vec<Phase>,
    prose: &mut Vec<Prose>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(rows) = dates::period_section_rows(given, phases, diagnostics) else {
        return;
    };
    for group in std::mem::replace(phases, rows) {
        let heading = given.lines.line_text(given.text, group.line);
        prose.push(Prose {
            line: group.line,
            markdown: heading.unwrap_or("").trim_end().to_string(),
        });
        prose.extend(group.notes);
    }
    prose.sort_by_key(|p| p.line);
}

/// A plan of one sprint or week (`Planejamento Sprint 1`) is that one
/// phase, its tasks the plan's; its `Day` sections, if any, are steps of it,
/// not phases (see `phases::are_steps_of`). True when the title names such
/// a span: `phases` is then that one phase. `line` gives the title's line.
fn title_phase(
    title_text: &str,
    line: impl Fn() -> usize,
    phases: &mut Vec<PhaseDraft>,
    groups: &mut Vec<TaskGroup>,
) -> bool {
    let title_span = span::only_span_in(title_text)
        .filter(|(span, _)| phases.is_empty() || phases::are_steps_of(phases, *span));
    let Some((span, written)) = title_span else {
        return false;
    };
    let mut phase = PhaseDraft {
        span: Some(span),
        ..PhaseDraft::new(span::named_phase(&written, title_text, span), line())
    };
    for step in std::mem::take(phases) {
        phase.take_step(step);
    }
    phase.groups.append(groups);
    phase.groups.sort_by_key(|g| g.line);
    phases.push(phase);
    true
}

/// A warning for each phase heading whose span was not read (the phase
/// keeps its title and tasks).
fn warn_rejected_spans(
    in_file: tables::Source<'_>,
    phases: &[PhaseDraft],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for phase in phases {
        if let Some(rejected) = &phase.heading.rejected {
            let col = in_file
                .lines
                .get(phase.line.wrapping_sub(1))
                .map_or(1, |l| column_of(l, &rejected.written));
            diagnostics.push(Diagnostic::warning(
                in_file.file,
                phase.line,
                col,
                rejected.message(),
            ));
        }
    }
}

/// What the budget readers need of the plan besides its phases.
struct BudgetInputs<'a> {
    in_file: tables::Source<'a>,
    text: &'a str,
    meta: &'a Meta,
    facts: &'a [Fact],
    /// The tables that are not the budget summary.
    other_tables: &'a [Table],
    /// Front matter currency, else the site's.
    plan_currency: Option<Currency>,
    whole_plan_phase: bool,
    /// A total written under a budget heading or in a table of amounts.
    total_under_heading: Option<(money::Money, usize)>,
}

/// The plan's budget: the summary table (whose rows are the phases of a
/// plan without any), the phases' budgets from it and from columns of
/// other tables, the stated total and the currency.
fn read_budgets(
    given: &BudgetInputs<'_>,
    budget_table: Option<tables::BudgetSummary>,
    phases: &mut Vec<Phase>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Budget {
    let file = given.in_file.file;
    let whole_plan_phase = given.whole_plan_phase;
    let dollar = money::dollar_for(given.plan_currency);
    // No phase headings and no schedule table: a cost table of milestones
    // or deliverables is the plan's list of phases.
    let rows_are_phases = phases.is_empty()
        && budget_table.as_ref().is_some_and(|summary| {
            summary
                .header
                .get(summary.phase_column)
                .is_some_and(|h| phases::rows_name_phases(h))
        });
    let mut table = budget_table
        .map(|summary| tables::read_budget(given.in_file, &summary, phases, dollar, diagnostics));
    if let (true, Some(table)) = (rows_are_phases, table.as_mut()) {
        *phases = phases::from_budget_rows(table);
    }
    for other in given.other_tables {
        budgets_from_phase_columns(file, phases, other, dollar, diagnostics);
    }
    if let Some(table) = &table {
        budgets_from_the_summary(phases, table);
    }
    let total = stated_total(
        given.facts,
        // The one phase a titled plan is stands for the whole plan: lines
        // before its sections are the plan's.
        if whole_plan_phase { &[] } else { phases },
        given.total_under_heading,
        given.meta,
        given.text,
        dollar,
    );
    let currency = given
        .plan_currency
        .or_else(|| most_used_currency(phases, table.as_ref()))
        .or(total.map(|t| t.currency));
    if let (true, [phase], Some(total)) = (whole_plan_phase, phases.as_mut_slice(), total) {
        // The plan's stated budget is its one phase's.
        phase.budget.get_or_insert(PhaseBudget {
            amount: total.amount,
            currency: total.currency,
            note: None,
            line: total.line,
            cumulative: None,
        });
    }
    let phases_total = sum_phase_budgets(file, phases, diagnostics);
    Budget {
        currency,
        phases_total,
        table,
        total,
    }
}

/// A plan pasted whole into a ```markdown fence (the fence holds most of
/// the file, with headings or tasks) is what a reader reads: its inside is
/// read as the plan, in place of the fence, with a warning at the fence.
/// A shorter fence is a template or an example and stays code.
fn unfence_plan(
    file: &str,
    text: &str,
    mut blocks: Vec<outline::Block>,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<outline::Block> {
    let total_lines = lines.line_count(text);
    let found = blocks.iter().enumerate().find_map(|(at, block)| {
        if !matches!(block.kind, outline::BlockKind::Other) {
            return None;
        }
        let source = text.get(block.range.clone())?;
        let fence = facts::FencedPlan::of(source)?;
        let most_of_file = source.lines().count() * 2 > total_lines;
        (most_of_file && fence.headings + fence.tasks >= 2).then_some((at, fence))
    });
    let Some((at, fence)) = found else {
        return blocks;
    };
    let block = &blocks[at];
    let source = text.get(block.range.clone()).unwrap_or("");
    let opening = source.lines().next().unwrap_or("");
    let marks = opening
        .trim_start()
        .chars()
        .take_while(|c| matches!(c, '`' | '~'))
        .count();
    let mark = opening.trim_start().chars().next().unwrap_or('`');
    let inner_start = block.range.start + source.find('\n').map_or(source.len(), |i| i + 1);
    // Without its closing fence the block runs to its end.
    let body = source.trim_end();
    let last_line_start = body.rfind('\n').map_or(0, |i| i + 1);
    let last = body[last_line_start..].trim();
    let closes = last.len() >= marks && last.chars().all(|c| c == mark);
    let inner_end = if closes && last_line_start > 0 {
        block.range.start + last_line_start
    } else {
        block.range.end
    };
    if inner_start > inner_end {
        return blocks;
    }
    diagnostics.push(Diagnostic::warning(
        file,
        block.line,
        1,
        format!(
            "a ```{} block holds the plan ({} heading(s), {} task(s)); it is read as the plan: remove the fence so that the page shows it as one",
            fence.info, fence.headings, fence.tasks
        ),
    ));
    let inner = outline::parse_range(text, inner_start..inner_end, lines);
    blocks.splice(at..=at, inner);
    blocks
}

/// A cost table with one column per phase (`| Item | Phase 1 | Phase 2 |`):
/// each phase with no budget line takes its column's `Total` row, else the
/// sum of its cells; a column whose cells do not add up to its Total row is
/// a warning at that row. Rows are one per line after the header and the
/// separator. Tables of more than 64 phase columns are not read this way.
/// The columns of a cost table that each name a different phase (two or
/// more), as (column, phase) pairs; `None` when the table is not one.
fn phase_columns(table: &Table, phases: &[Phase]) -> Option<Vec<(usize, usize)>> {
    // Matching a header to the phases looks at every phase: a cost table
    // with a column per phase is narrow, and a wider one is not read this
    // way, so the work stays linear in the plan.
    const MAX_PHASE_COLUMNS: usize = 64;
    if table.columns.len() > MAX_PHASE_COLUMNS + 1 {
        return None;
    }
    let columns: Vec<(usize, usize)> = table
        .columns
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, header)| Some((i, tables::match_phase(header, phases)?)))
        .collect();
    let distinct = columns
        .iter()
        .map(|c| c.1)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    (columns.len() >= 2 && distinct == columns.len()).then_some(columns)
}

/// The first cell of a total row of a table with a column per phase: its
/// first word is `total`, `subtotal`, `sum`, … (this list lacks `grand`,
/// which `keys::is_total_word` has).
fn names_a_total(cell: &str) -> bool {
    let plain = strip_marks(cell).to_lowercase();
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    matches!(
        first,
        "total" | "subtotal" | "sum" | "summe" | "gesamt" | "totale"
    )
}

fn budgets_from_phase_columns(
    file: &str,
    phases: &mut [Phase],
    table: &Table,
    dollar: Currency,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(columns) = phase_columns(table, phases) else {
        return;
    };
    let is_total = |row: &[String]| row.first().is_some_and(|c| names_a_total(c));
    let amount = |row: &[String], i: usize| {
        row.get(i)
            .and_then(|c| money::find_stated(c, dollar))
            .map(|f| f.money)
    };
    for (column, phase) in columns {
        let items: Vec<money::Money> = table
            .rows
            .iter()
            .filter(|r| !is_total(r))
            .filter_map(|r| amount(r, column))
            .collect();
        let total = table
            .rows
            .iter()
            .enumerate()
            .find(|(_, r)| is_total(r))
            .and_then(|(at, r)| Some((amount(r, column)?, table.line + 2 + at)));
        let sum = money::checked_sum(items.iter().copied()).ok().flatten();
        if let (Some((stated, line)), Some(sum)) = (total, sum) {
            if stated.currency == sum.currency && stated != sum {
                diagnostics.push(Diagnostic::warning(
                    file,
                    line,
                    1,
                    format!(
                        "the `{}` column adds up to {sum} but its total row states {stated}",
                        table.columns[column]
                    ),
                ));
            }
        }
        let figure = total.or_else(|| sum.map(|s| (s, table.line)));
        let Some((amount, line)) = figure else {
            continue;
        };
        if let Some(phase) = phases.get_mut(phase) {
            if phase.budget.is_none() {
                phase.budget = Some(PhaseBudget {
                    amount,
                    currency: amount.currency,
                    note: Some(format!(
                        "the `{}` column of the cost table",
                        table.columns[column]
                    )),
                    line,
                    cumulative: None,
                });
            }
        }
    }
}

/// A phase with no budget line takes its budget from its row of the budget
/// summary, in the column the summary states the current budget in.
fn budgets_from_the_summary(phases: &mut [Phase], table: &BudgetTable) {
    let Some(current) = table.current.as_deref() else {
        return;
    };
    for row in &table.rows {
        let Some(amount) = row.value(current) else {
            continue;
        };
        let Some(phase) = row.phase_index.and_then(|i| phases.get_mut(i)) else {
            continue;
        };
        if phase.budget.is_none() {
            phase.budget = Some(PhaseBudget {
                amount,
                currency: amount.currency,
                note: Some(format!("from the budget summary ({current})")),
                line: row.line,
                cumulative: None,
            });
        }
    }
}

/// The plan's stated total, in this order: a plan-level fact naming a total
/// (`**Total Budget**: $75,000 USD`), a bare budget fact before the first
/// phase (`**Budget:** $6,000`), an amount standing alone under a `Total
/// Budget` heading, else the `Total` row of a table of amounts outside the
/// phases, front matter `budget:`. The amount is the line's stated
/// figure, never a rate or a factor.
fn stated_total(
    facts: &[Fact],
    phases: &[Phase],
    under_heading: Option<(money::Money, usize)>,
    meta: &Meta,
    text: &str,
    dollar: Currency,
) -> Option<StatedTotal> {
    let first_phase = phases.first().map_or(usize::MAX, |p| p.line);
    let stated = |fact: &Fact| {
        let found = money::find_stated(&fact.value, dollar)?;
        Some(StatedTotal {
            amount: found.money,
            currency: found.money.currency,
            line: fact.line,
        })
    };
    let named = facts
        .iter()
        .filter(|f| keys::is_total_key(&f.key))
        .find_map(stated);
    let bare = || {
        facts
            .iter()
            .filter(|f| f.line < first_phase)
            .filter(|f| keys::BUDGET_KEYS.contains(&f.key.to_lowercase().as_str()))
            .find_map(stated)
    };
    let heading = || {
        under_heading.map(|(amount, line)| StatedTotal {
            amount,
            currency: amount.currency,
            line,
        })
    };
    let front_matter = || {
        let amount = meta.budget?;
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("budget"))
            .map_or(1, |i| i + 1);
        Some(StatedTotal {
            amount,
            currency: amount.currency,
            line,
        })
    };
    named.or_else(bare).or_else(heading).or_else(front_matter)
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

/// The phases' budget lines added up: `None` without any, in several
/// currencies, or (with a warning at the line where it happens) beyond
/// `money::MAX_MAJOR`.
fn sum_phase_budgets(
    file: &str,
    phases: &[Phase],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<money::Money> {
    let budgets: Vec<&PhaseBudget> = phases.iter().filter_map(|p| p.budget.as_ref()).collect();
    match money::checked_sum(budgets.iter().map(|b| b.amount)) {
        Ok(total) => total,
        Err(money::SumError::MixedCurrencies) => None,
        Err(money::SumError::TooLarge { at }) => {
            let line = budgets.get(at).map_or(0, |b| b.line);
            diagnostics.push(Diagnostic::warning(
                file,
                line,
                1,
                too_large_sum("the phases' budget lines"),
            ));
            None
        }
    }
}

/// The warning for a sum beyond the bound.
pub(crate) fn too_large_sum(what: &str) -> String {
    format!(
        "{what} add up to more than {} in major units (the largest amount plansite adds up): the total is left out",
        money::BOUND_TEXT
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::span::{Span, Unit};

    use crate::model::from_text as plan;

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
        assert_eq!(p.phases[1].span, Some(Span::new(Unit::Week, 4, 6)));
        assert_eq!(p.progress, Progress { done: 1, total: 2 });
    }

    #[test]
    fn malformed_headings_and_fenced_plans_are_reported() {
        let p =
            plan("# T\n\n##Discovery\nText.\n\n```markdown\n# Plan\n## Week 1\n- [ ] task\n- [ ] task\n```\n");
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
            messages[1].starts_with(
                "6:1 a ```markdown block holds the plan (2 heading(s), 2 task(s)); it is read as the plan"
            ),
            "{messages:?}"
        );
        // The fence holds most of the file: it is the plan.
        assert_eq!(p.phases.len(), 1);
        assert_eq!(p.phases[0].groups[0].tasks.len(), 2);
        assert_eq!(p.phases[0].line, 8);
    }

    #[test]
    fn a_short_fenced_checklist_stays_code() {
        let mut text = String::from("# T\n\n## Week 1\n\n- [ ] real task\n\n");
        for n in 0..20 {
            text.push_str(&format!("Line {n} of the plan.\n\n"));
        }
        text.push_str("```md\n- [ ] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n```\n");
        let p = plan(&text);
        assert_eq!(p.progress, Progress { done: 0, total: 1 });
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.message.contains("it is shown as code and not read")),
            "{:?}",
            p.diagnostics
        );
    }
}
