//! Phases once every block is read: progress and status, spans of phases
//! stated only as a duration, milestones as due points, and the own part of
//! cumulative budget lines.

use crate::model::plan::*;
use crate::parse::money;
use crate::parse::span::{parse_heading, PhaseHeading, Rejected, Span, Unit};

/// A phase while its blocks are being read.
pub(super) struct PhaseDraft {
    pub(super) heading: PhaseHeading,
    pub(super) line: usize,
    pub(super) span: Option<Span>,
    pub(super) budget: Option<PhaseBudget>,
    pub(super) groups: Vec<TaskGroup>,
    pub(super) criteria: Vec<CriteriaList>,
    pub(super) facts: Vec<Fact>,
    pub(super) notes: Vec<Prose>,
}

impl PhaseDraft {
    /// A phase opened by `heading` at `line`, with the heading's span and
    /// nothing read under it yet.
    pub(super) fn new(heading: PhaseHeading, line: usize) -> PhaseDraft {
        PhaseDraft {
            span: heading.span,
            heading,
            line,
            budget: None,
            groups: Vec::new(),
            criteria: Vec::new(),
            facts: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub(super) fn finish(self) -> Phase {
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
        Phase {
            label: self.heading.label,
            title: self.heading.title,
            line: self.line,
            span: self.span,
            ordinal: self.heading.ordinal,
            duration: self.heading.duration,
            budget: self.budget,
            dates: Dates::default(),
            groups: self.groups,
            criteria: self.criteria,
            progress,
            status,
            status_stated: progress.total > 0,
            facts: self.facts,
            notes: self.notes,
        }
    }
}

/// Whether the phases read from headings are steps of the one span the
/// plan's title names rather than phases: `Day` sections in a plan titled
/// `Week 1-2 Checklist` or `Sprint 3`, each within the title's span and
/// carrying no budget or fact lines of its own (those would make it a
/// phase a reader tracks).
pub(super) fn are_steps_of(phases: &[PhaseDraft], title: Span) -> bool {
    let last_day = match title.unit {
        Unit::Week => title.end.saturating_mul(7),
        Unit::Sprint => u32::MAX,
        _ => return false,
    };
    let first_day = match title.unit {
        Unit::Week => title.start.saturating_sub(1).saturating_mul(7) + 1,
        _ => 1,
    };
    // Day numbers count from the start of the plan, or of the title's span.
    let within = |d: u32| d <= last_day || d <= last_day.saturating_sub(first_day) + 1;
    !phases.is_empty()
        && phases.iter().all(|p| {
            p.span
                .is_some_and(|s| s.unit == Unit::Day && within(s.start) && within(s.end))
                && p.budget.is_none()
                && p.facts.is_empty()
        })
}

impl PhaseDraft {
    /// Takes a step's content in as one task group named by its heading
    /// (a group of its own keeps its name), its criteria and notes.
    pub(super) fn take_step(&mut self, step: PhaseDraft) {
        let heading = if step.heading.title.is_empty() {
            step.heading.label.clone()
        } else {
            format!("{}: {}", step.heading.label, step.heading.title)
        };
        let mut heading = Some(heading);
        for mut group in step.groups {
            if let Some(heading) = heading.take() {
                group.name = Some(match group.name {
                    Some(own) => format!("{heading} · {own}"),
                    None => heading,
                });
            }
            self.groups.push(group);
        }
        self.criteria.extend(step.criteria);
        self.notes.extend(step.notes);
    }
}

/// A heading stated only as a duration (`Hardening (2 weeks)`) follows the
/// phase before it in the same unit. One that would reach beyond the unit's
/// limit is left without a span, the reason in `heading.rejected`.
pub(super) fn place_duration_only_phases(phases: &mut [PhaseDraft]) {
    let mut last_end: Vec<(Unit, u32)> = Vec::new();
    for phase in phases.iter_mut() {
        if phase.span.is_none() && phase.heading.rejected.is_none() {
            if let Some(duration) = phase.heading.duration {
                let unit = duration.unit;
                let start = last_end
                    .iter()
                    .find(|(u, _)| *u == unit)
                    .map_or(1, |(_, e)| u64::from(*e) + 1);
                // `as` saturates: an absurd duration is still absurd.
                let length = (duration.value.ceil() as u64).max(1);
                let end = start.saturating_add(length - 1);
                match (u32::try_from(start), u32::try_from(end)) {
                    (Ok(start), Ok(end)) if end <= unit.limit() => {
                        phase.span = Some(Span::new(unit, start, end));
                    }
                    _ => {
                        phase.heading.rejected = Some(Rejected {
                            unit,
                            written: phase.heading.duration_written.clone().unwrap_or_else(
                                || format!("{} {}s", duration.value, unit.name()),
                            ),
                            reason: format!(
                                "would reach beyond {} {}s after the phases before it (a plan that long is not a timeline)",
                                unit.limit(),
                                unit.name()
                            ),
                        });
                    }
                }
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
/// budget is what it adds to the phases before it. Once the running total
/// goes beyond `money::MAX_MAJOR`, later cumulative lines are left as
/// written (the phases' total then warns at the line where it happened).
pub(super) fn own_parts_of_cumulative_budgets(phases: &mut [PhaseDraft]) {
    // `Err` once the running total is past the bound.
    let mut running: Result<Option<money::Money>, ()> = Ok(None);
    for budget in phases.iter_mut().filter_map(|p| p.budget.as_mut()) {
        let is_cumulative = budget
            .note
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains("cumulative"));
        if let (true, Ok(before)) = (is_cumulative, running) {
            let before = before
                .filter(|r| r.currency == budget.amount.currency)
                .unwrap_or(money::Money::new(0, budget.amount.currency));
            if let Some(own) = budget
                .amount
                .checked_sub(before)
                .filter(|_| budget.amount.minor >= before.minor)
            {
                budget.cumulative = Some(budget.amount);
                budget.amount = own;
            }
        }
        running = match running {
            Ok(Some(r)) if r.currency == budget.amount.currency => {
                r.checked_add(budget.amount).map(Some).ok_or(())
            }
            Ok(None) => Ok(Some(budget.amount)),
            other => other,
        };
    }
}

/// `M1: Foundation Complete (Week 4)` names the week a milestone is due:
/// its work runs from the end of the milestone before it.
pub(super) fn stretch_milestones(phases: &mut [PhaseDraft]) {
    let mut previous_end: Option<(Unit, u32)> = None;
    for phase in phases.iter_mut() {
        let due_point = phase
            .heading
            .ordinal
            .is_some_and(|o| o.unit == Unit::Milestone);
        if let (true, Some(span), Some((unit, end))) =
            (due_point, phase.span.as_mut(), previous_end)
        {
            if span.unit == unit && span.start == span.end && span.start > end.saturating_add(1) {
                span.start = end.saturating_add(1);
            }
        }
        previous_end = phase.span.map(|s| (s.unit, s.end));
    }
}

/// The first column of a cost table names phases when its header is
/// `Milestone`, `Phase`, `Stage`, `Sprint` or `Deliverable` (a table of
/// `Item`s or `Workstream`s lists costs, not steps of a plan).
pub(super) fn rows_name_phases(header: &str) -> bool {
    matches!(
        crate::model::tables::header_key(header).as_str(),
        "milestone"
            | "milestones"
            | "phase"
            | "phases"
            | "stage"
            | "stages"
            | "sprint"
            | "deliverable"
            | "deliverables"
    )
}

/// A plan without phase headings (or a schedule table) whose cost table
/// lists its milestones or deliverables (`Milestone | Hours | Cost`) is
/// planned by that table: each row but the Total is a phase, in order,
/// its budget the row's amount in the column stating the current budget,
/// else in the table's only money column (`$ Value`). Each row's
/// `phase_index` is set to its phase. A row that opens with a
/// span (`Milestone 2: Beta`) is read as a heading; any other is named
/// by its opening words, up to the first bracket, colon, dash, link or
/// sentence end, the rest its title.
pub(super) fn from_budget_rows(table: &mut BudgetTable) -> Vec<Phase> {
    let column = table.current.clone().or(match &table.columns[..] {
        [only] if crate::model::tables::is_summable(only) => Some(only.clone()),
        _ => None,
    });
    let mut phases = Vec::new();
    for row in &mut table.rows {
        let cell = super::dates::plain(&row.phase);
        if cell.is_empty() {
            continue;
        }
        let heading = parse_heading(&cell).unwrap_or_else(|| row_heading(&cell));
        row.phase_index = Some(phases.len());
        let budget = column.as_deref().and_then(|column| {
            let amount = row.value(column)?;
            Some(PhaseBudget {
                amount,
                currency: amount.currency,
                note: Some(format!("its row of the cost table (`{column}`)")),
                line: row.line,
                cumulative: None,
            })
        });
        phases.push(
            PhaseDraft {
                budget,
                ..PhaseDraft::new(heading, row.line)
            }
            .finish(),
        );
    }
    phases
}

/// A long table cell as a phase name: its opening words, the rest its
/// title. Opening words longer than a label can be are cut at a word and
/// marked `…`, the whole cell then the title.
fn row_heading(cell: &str) -> PhaseHeading {
    const LONGEST: usize = 80;
    let cut = [
        " (", "(", ": ", "：", " - ", " – ", " — ", "http", ". ", "。", "; ",
    ]
    .iter()
    .filter_map(|sep| cell.find(sep))
    .filter(|&at| at > 0)
    .min()
    .unwrap_or(cell.len());
    let head = cell[..cut].trim();
    let (label, title) = if head.chars().count() > LONGEST {
        let limit = head
            .char_indices()
            .nth(LONGEST)
            .map_or(head.len(), |(at, _)| at);
        let boundary = head[..limit]
            .rfind(' ')
            .filter(|&at| at > 0)
            .unwrap_or(limit);
        (
            format!("{}…", head[..boundary].trim_end()),
            cell.to_string(),
        )
    } else {
        let rest = cell[head.len()..]
            .trim()
            .trim_start_matches([':', '：', '-', '–', '—', ';', '.', '。'])
            .trim();
        let rest = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .filter(|r| !r.contains(['(', ')']))
            .unwrap_or(rest);
        (head.to_string(), rest.to_string())
    };
    PhaseHeading {
        label,
        title,
        span: None,
        ordinal: None,
        duration: None,
        duration_written: None,
        rejected: None,
        sibling_word: None,
    }
}
