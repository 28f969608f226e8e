//! The plan report's view: the model, derived figures and charts turned
//! into `PlanView` for `plan.html`, with prose rendered and sanitised.

use super::markdown;
use super::views::*;
use crate::charts::Chart;
use crate::config::RawHtml;
use crate::derive::Derived;
use crate::diagnostic::{capped, Diagnostic, Shown, SourceLines};
use crate::model::plan::{Fact, Phase, PhaseStatus, Plan, Prose, TableRecord, TaskGroup};
use crate::parse::money::Money;
use std::collections::HashMap;

/// What a plan's page is made of besides the plan itself.
pub(super) struct PlanParts<'a> {
    /// The figures derived for the report's date.
    pub derived: &'a Derived,
    pub charts: Vec<Chart>,
    /// How raw HTML in the plan's prose is treated.
    pub raw_html: RawHtml,
    /// Decoded sources by display path: for the lines the checks quote and
    /// the link definitions of the prose.
    pub sources: &'a HashMap<String, String>,
    pub changes: ChangesView,
    pub rag: RagView,
    pub schedule: ScheduleView,
    pub forecast: ForecastView,
}

/// The plan's view for `plan.html`. Warnings met rendering its prose
/// (removed HTML, dropped links) are added to `warnings`.
pub(super) fn plan_view(
    plan: &Plan,
    parts: PlanParts<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> PlanView {
    let PlanParts {
        derived,
        charts,
        raw_html,
        sources,
        changes,
        rag,
        schedule,
        forecast,
    } = parts;
    let source = sources.get(&plan.display).map(String::as_str);
    // Looked for in the source only when there is prose to render.
    let definitions = std::cell::OnceCell::new();
    let prose = |blocks: &[Prose], warnings: &mut Vec<Diagnostic>| {
        if blocks.is_empty() {
            return String::new();
        }
        let definitions =
            definitions.get_or_init(|| source.map(link_definitions).unwrap_or_default());
        render_prose(blocks, &plan.display, raw_html, definitions, warnings)
    };
    let phases = plan
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| phase_view(p, i, derived, prose(&p.notes, warnings)))
        .collect();
    let rest_html = prose(&plan.prose, warnings);
    let mut figures = key_figures(plan, derived);
    // The plan's text is indexed once for every line the checks quote, and
    // repeats of one kind are listed up to a cap, then counted.
    let all: Vec<Diagnostic> = plan
        .diagnostics
        .iter()
        .chain(warnings.iter())
        .cloned()
        .collect();
    let checks = checks_view(&all, source);
    figures.push(FigureView {
        label: "Warnings".into(),
        value: all.len().to_string(),
        detail: if all.is_empty() {
            "figures agree".into()
        } else {
            "see Consistency checks".into()
        },
    });
    PlanView {
        slug: plan.slug.clone(),
        title: plan.title.clone(),
        summary: plan.meta.summary.clone().unwrap_or_default(),
        status: plan.meta.status.clone().unwrap_or_default(),
        owner: plan.meta.owner.clone().unwrap_or_default(),
        revised_by: plan.meta.revised_by.clone().unwrap_or_default(),
        approved_by: plan.meta.approved_by.clone().unwrap_or_default(),
        date: plan
            .meta
            .date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        tags: plan.meta.tags.clone(),
        decision: decision_view(plan),
        figures,
        charts: charts.into_iter().map(chart_view).collect(),
        phases,
        groups: groups_view(&plan.groups),
        budget: budget_table(plan),
        risks: records_table(&plan.risks),
        metrics: records_table(&plan.metrics),
        facts: facts_view(&plan.facts),
        checks,
        changes,
        rag,
        schedule,
        forecast,
        rest_html,
        json_href: "plan.json".into(),
        source: plan.source.clone(),
        extra: serde_json::Value::Object(plan.meta.extra.clone()),
    }
}

/// The key figures at the top of a report: done, budget, length (or
/// phases) and open risks.
fn key_figures(plan: &Plan, derived: &Derived) -> Vec<FigureView> {
    let (budget_value, budget_detail) = budget_line(derived);
    let (done, total, unit) = done_of(plan);
    let mut figures = vec![FigureView {
        label: "Done".into(),
        value: format!("{}%", percent(done, total)),
        detail: format!("{done} of {total} {unit}"),
    }];
    if !budget_value.is_empty() {
        figures.push(FigureView {
            label: "Budget".into(),
            value: budget_value,
            detail: budget_detail,
        });
    }
    if let Some(weeks) = derived.weeks.filter(|w| *w > 0) {
        figures.push(FigureView {
            label: "Length".into(),
            value: format!("{weeks} weeks"),
            detail: format!("{} phases", plan.phases.len()),
        });
    } else if !plan.phases.is_empty() {
        figures.push(FigureView {
            label: "Phases".into(),
            value: plan.phases.len().to_string(),
            detail: String::new(),
        });
    }
    figures.push(FigureView {
        label: "Open risks".into(),
        value: derived.open_risks.to_string(),
        detail: format!("{} in the register", plan.risks.len()),
    });
    figures
}

/// The consistency checks, each with the line it quotes; repeats of one
/// kind listed up to a cap, then counted.
fn checks_view(all: &[Diagnostic], source: Option<&str>) -> Vec<CheckView> {
    // Indexed only once a check quotes a line of it.
    let index = std::cell::OnceCell::new();
    capped(all)
        .into_iter()
        .map(|shown| match shown {
            Shown::One(d) => {
                let lines = source
                    .filter(|_| d.line > 0)
                    .map(|text| index.get_or_init(|| SourceLines::new(text)));
                check_view(d, lines)
            }
            Shown::More { like, count } => CheckView {
                level: "note".into(),
                location: like.file.clone(),
                message: Shown::more_message(like, count),
                source_line: String::new(),
            },
        })
        .collect()
}

fn facts_view(facts: &[Fact]) -> Vec<FactView> {
    facts
        .iter()
        .map(|f| FactView {
            key: f.key.clone(),
            value: f.value.clone(),
        })
        .collect()
}

fn groups_view(groups: &[TaskGroup]) -> Vec<GroupView> {
    groups
        .iter()
        .map(|g| GroupView {
            name: g.name.clone().unwrap_or_default(),
            tasks: tasks_view(&g.tasks),
        })
        .collect()
}

pub(super) fn chart_view(chart: Chart) -> ChartView {
    // The chart is taken apart, not copied: its drawings are most of a page.
    let Chart {
        id,
        title,
        description,
        inline_svg,
        narrow_svg,
        columns,
        numeric,
        rows,
        ..
    } = chart;
    ChartView {
        id,
        title,
        description,
        svg: inline_svg,
        narrow_svg,
        table: TableView {
            columns,
            numeric,
            rows: rows
                .into_iter()
                .map(|cells| RowView {
                    cells,
                    status: Label::Borrowed(""),
                    status_label: Label::Borrowed(""),
                })
                .collect(),
            total: None,
        },
        notes: Vec::new(),
    }
}

/// What "done" counts: the plan's tasks; in a plan without tasks, its
/// milestones whose status the plan states (a schedule table's Status
/// column), those marked done over those with a status.
pub(super) fn done_of(plan: &Plan) -> (usize, usize, &'static str) {
    if plan.progress.total > 0 {
        return (plan.progress.done, plan.progress.total, "tasks");
    }
    let stated = plan.phases.iter().filter(|p| p.status_stated);
    let total = stated.clone().count();
    if total == 0 {
        return (0, 0, "tasks");
    }
    let done = stated.filter(|p| p.status == PhaseStatus::Complete).count();
    (done, total, "milestones")
}

fn phase_view(phase: &Phase, index: usize, derived: &Derived, notes_html: String) -> PhaseView {
    let dates = derived
        .dates
        .get(index)
        .copied()
        .flatten()
        .map(|(from, to)| {
            let day = day_month_year;
            if from != to {
                format!("{} – {}", day(from), day(to))
            } else if phase.dates.start.is_none() {
                // Only an end is stated: a milestone's due date.
                format!("due {}", day(to))
            } else {
                day(to)
            }
        })
        .unwrap_or_default();
    PhaseView {
        anchor: format!("phase-{}", index + 1),
        label: phase.label.clone(),
        title: phase.title.clone(),
        span: phase.span.as_ref().map(span_text).unwrap_or_default(),
        dates,
        duration: phase
            .duration
            .map(|d| {
                format!(
                    "{} {}{}",
                    d.value,
                    d.unit.name(),
                    if d.value == 1.0 { "" } else { "s" }
                )
            })
            .unwrap_or_default(),
        budget: phase
            .budget
            .as_ref()
            .map(|b| b.amount.display())
            .unwrap_or_default(),
        budget_note: phase
            .budget
            .as_ref()
            .and_then(|b| b.note.clone())
            .unwrap_or_default(),
        status: phase_status_class(phase.status).into(),
        status_label: phase.status.label().into(),
        current: derived.current == Some(index),
        percent: percent(phase.progress.done, phase.progress.total),
        done: phase.progress.done,
        total: phase.progress.total,
        groups: groups_view(&phase.groups),
        criteria: phase
            .criteria
            .iter()
            .map(|c| CriteriaView {
                name: c.name.clone(),
                items: c
                    .items
                    .iter()
                    .map(|i| {
                        let (class, label) = criterion_label(i.status);
                        CriterionView {
                            text: i.text.clone(),
                            status: class.into(),
                            status_label: label.into(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        facts: facts_view(&phase.facts),
        notes_html,
    }
}

/// `3 Mar 2025`: chrono's `%-d %b %Y`, written directly for the years of
/// four digits (chrono's formatting was most of a phase's view).
fn day_month_year(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match MONTHS.get(date.month0() as usize) {
        Some(month) if (1000..=9999).contains(&date.year()) => {
            format!("{} {month} {}", date.day(), date.year())
        }
        _ => date.format("%-d %b %Y").to_string(),
    }
}

fn budget_table(plan: &Plan) -> Option<TableView> {
    let table = plan.budget.table.as_ref()?;
    let variance = variance_columns(table);
    let mut columns = vec!["Phase".to_string()];
    columns.extend(table.columns.iter().map(|c| title_case(c)));
    if variance.is_some() {
        columns.push("Variance".into());
    }
    let numeric = columns.iter().enumerate().map(|(i, _)| i > 0).collect();
    let row_cells = |name: &str, values: &[(String, Option<Money>)]| {
        let mut cells = vec![name.to_string()];
        cells.extend(values.iter().map(|(_, m)| money(*m)));
        if let Some((current, baseline)) = &variance {
            let get = |c: &str| values.iter().find(|(k, _)| k == c).and_then(|(_, m)| *m);
            // Empty in two currencies, or beyond the bound.
            cells.push(match (get(current), get(baseline)) {
                (Some(a), Some(b)) => a.checked_sub(b).map(signed).unwrap_or_default(),
                _ => String::new(),
            });
        }
        RowView {
            cells,
            status: Label::Borrowed(""),
            status_label: Label::Borrowed(""),
        }
    };
    Some(TableView {
        columns,
        numeric,
        rows: table
            .rows
            .iter()
            .map(|r| row_cells(&r.phase, &r.values))
            .collect(),
        total: table.total.as_ref().map(|t| row_cells("Total", t)),
    })
}

/// The pair a variance is computed from: revised against original, or
/// actual against planned. `None` when the table has its own Change or
/// Variance column already (it is shown as written).
fn variance_columns(table: &crate::model::plan::BudgetTable) -> Option<(String, String)> {
    let has = |word: &str| {
        table
            .columns
            .iter()
            .find(|c| c.split(' ').any(|w| w == word))
            .cloned()
    };
    if has("change").is_some() || has("variance").is_some() {
        return None;
    }
    match (
        has("revised").or_else(|| has("forecast")),
        has("original"),
        has("actual").or_else(|| has("spent")),
        has("planned").or_else(|| has("budget")),
    ) {
        (Some(r), Some(o), _, _) => Some((r, o)),
        (_, _, Some(a), Some(p)) => Some((a, p)),
        _ => None,
    }
}

pub(super) fn signed(m: Money) -> String {
    if m.minor > 0 {
        format!("+{}", m.display())
    } else {
        m.display()
    }
}

fn records_table(records: &[TableRecord]) -> Option<TableView> {
    let first = records.first()?;
    let columns: Vec<String> = first.cells.iter().map(|(k, _)| title_case(k)).collect();
    let numeric = vec![false; columns.len()];
    let rows = records
        .iter()
        .map(|r| {
            let (class, label) = r.status.map(status_label).unwrap_or(("", ""));
            let mut cells: Vec<String> = r.cells.iter().map(|(_, v)| v.clone()).collect();
            if let (Some(index), false) = (
                r.cells.iter().position(|(k, _)| k == "status"),
                label.is_empty(),
            ) {
                cells[index] = status_in_words(&cells[index], label);
            }
            RowView {
                cells,
                status: class.into(),
                status_label: label.into(),
            }
        })
        .collect();
    Some(TableView {
        columns,
        numeric,
        rows,
        total: None,
    })
}

/// A status cell that always carries a word: `⏳` becomes `⏳ Pending`,
/// `✅ Resolved` becomes `✅ Resolved (Done)`, `At risk` stays as written.
fn status_in_words(written: &str, label: &str) -> String {
    let written = written.trim();
    let words = crate::parse::status::strip_marks(written);
    if words.is_empty() {
        format!("{written} {label}").trim().to_string()
    } else if words.to_lowercase().contains(&label.to_lowercase()) {
        written.to_string()
    } else {
        format!("{written} ({label})")
    }
}

fn title_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Link reference definitions of the whole document, so that prose blocks
/// rendered one by one still resolve `[text][ref]`.
fn link_definitions(source: &str) -> String {
    static DEFINITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^ {0,3}\[[^\]]+\]:\s*\S+").expect("valid regex")
    });
    source
        .lines()
        .filter(|l| DEFINITION.is_match(l))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn render_prose(
    blocks: &[Prose],
    file: &str,
    raw: RawHtml,
    definitions: &str,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let mut html = String::new();
    for block in blocks {
        let text = if definitions.is_empty() {
            block.markdown.clone()
        } else {
            format!("{}\n\n{definitions}", block.markdown)
        };
        html.push_str(&markdown::render(&text, file, block.line, raw, warnings));
    }
    html
}

/// The budget now, and what it is compared with.
pub(super) fn budget_line(derived: &Derived) -> (String, String) {
    let b = &derived.budget;
    let main = money(b.current);
    let detail = match (b.original, b.actual) {
        (Some(original), _) => format!("revised, from {} original", original.display()),
        (None, Some(actual)) => format!("planned, {} spent", actual.display()),
        _ => String::new(),
    };
    (main, detail)
}

/// `budget_line`'s detail in a few words, for the dashboard's table:
/// `from €80,000` beside a revised budget, `€40,000 spent` beside a
/// planned one.
pub(super) fn budget_note(derived: &Derived) -> String {
    let b = &derived.budget;
    match (b.original, b.actual) {
        (Some(original), _) => format!("from {}", original.display()),
        (None, Some(actual)) => format!("{} spent", actual.display()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{day_month_year, status_in_words};

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2025, 3, 3),
            (2025, 12, 31),
            (1000, 1, 1),
            (9999, 9, 9),
            (999, 5, 17),
            (10000, 2, 29),
            (-44, 3, 15),
            (0, 7, 4),
        ] {
            if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m, d) {
                assert_eq!(day_month_year(date), date.format("%-d %b %Y").to_string());
            }
        }
        let mut date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        for _ in 0..400 {
            assert_eq!(day_month_year(date), date.format("%-d %b %Y").to_string());
            date = date.succ_opt().expect("next day");
        }
    }

    #[test]
    fn status_cells_carry_one_word() {
        assert_eq!(status_in_words("⏳", "Pending"), "⏳ Pending");
        assert_eq!(status_in_words("⚠️ At risk", "At risk"), "⚠️ At risk");
        assert_eq!(status_in_words("✅ Resolved", "Done"), "✅ Resolved (Done)");
        assert_eq!(
            status_in_words("on track", "In progress"),
            "on track (In progress)"
        );
        assert_eq!(status_in_words("Done", "Done"), "Done");
    }
}
