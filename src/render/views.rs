//! Views: what templates see. Each page gets a struct made for it, with
//! every figure already formatted, so themes never depend on the internal
//! model and never compute money or dates themselves.

use crate::derive::Derived;
use crate::diagnostic::{Diagnostic, Level, SourceLines};
use crate::model::plan::{Phase, PhaseStatus, Plan, Task, TaskState};
use crate::parse::money::Money;
use crate::parse::span::{Span, Unit};
use crate::parse::status::{CriterionStatus, Status};
use serde::Serialize;
use std::borrow::Cow;

/// A class or word of a fixed set (`done`, `In progress`), kept without
/// a copy; to templates it is text like any other.
pub type Label = Cow<'static, str>;

/// The site as every page sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// `base_url` when it is absolute (`https://…/repo/`), for canonical
    /// links and previews; empty otherwise.
    pub absolute_base: String,
    pub as_of: String,
    pub generator: String,
    pub extra: serde_json::Value,
    /// The feed is published (not on a protected site).
    pub feed: bool,
}

/// Where a page sits: the relative path back to the site root (`""`,
/// `"../../"`) and its own path for canonical links.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub root: String,
    pub path: String,
    pub canonical: String,
    pub title: String,
    pub description: String,
    /// The week this page is a snapshot of (`2025-W10`); empty for the
    /// current site.
    pub snapshot: String,
    /// The same page in the current site, from a snapshot page (empty when
    /// the plan is no longer there).
    pub current_href: String,
    /// The dashboard this page belongs to (the current one, or its week's).
    pub home: String,
    /// The link-preview card's address (`og:image`); empty when cards are
    /// off.
    pub image: String,
    /// What the card shows, in words.
    pub image_alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    pub site: SiteView,
    pub page: PageView,
    pub totals: TotalsView,
    /// Every plan, in the table's default order: red first, then amber,
    /// then the rest; within each, by the nearest milestone date (plans
    /// without one last), then by weight, title and slug.
    pub cards: Vec<CardView>,
    /// `""`, `"owner"` or `"tags"`: what `groups` are made by
    /// (`[dashboard] group_by` in site.toml).
    pub group_by: String,
    /// The table's row groups: one unnamed group of every card when not
    /// grouped; else one per owner or tag, by name, each with its own
    /// counts (with `tags`, a plan is in the group of each of its tags).
    pub groups: Vec<PlanGroupView>,
    /// The owners and the tags of the plans, sorted, without repeats: the
    /// choices of the table's filters.
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    /// The reason every not-rated plan gives, when they all give the same
    /// one (it says why plans without dates or costs cannot be rated): the
    /// default theme says it once beside the counts and gives those rows
    /// only the word. Empty when their reasons differ or none is unrated.
    pub unrated_reason: String,
    /// The snapshot the changes are counted from (`2025-W10`); empty when
    /// there is none.
    pub since: String,
    /// Plans in the last snapshot that are gone now.
    pub removed: Vec<String>,
    /// The portfolio burn-up, when there are snapshots.
    pub trend: Option<ChartView>,
}

/// A group of rows in the dashboard's table.
#[derive(Debug, Clone, Serialize)]
pub struct PlanGroupView {
    /// The owner or tag; empty for the one group of an ungrouped table.
    pub name: String,
    /// True for the group of plans without an owner (or without tags).
    pub none: bool,
    pub counts: CountsView,
    pub cards: Vec<CardView>,
}

/// Plans counted by status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CountsView {
    pub plans: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub unrated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TotalsView {
    pub plans: usize,
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub unrated: usize,
    pub done: usize,
    pub total: usize,
    pub percent: u32,
    pub phases_complete: usize,
    pub phases: usize,
    /// One entry per currency, never summed across currencies.
    pub budgets: Vec<String>,
    pub warnings: usize,
    pub decisions_open: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CardView {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub decision: Option<DecisionView>,
    pub percent: u32,
    pub done: usize,
    pub total: usize,
    pub budget: String,
    pub budget_detail: String,
    /// The detail in a few words, for the table: `from €80,000` beside a
    /// revised budget, `€40,000 spent` beside a planned one.
    pub budget_note: String,
    pub phases_complete: usize,
    pub phases: usize,
    pub phase_now: String,
    pub warnings: usize,
    /// What changed since the last snapshot, in one line; empty without one.
    pub changes: String,
    pub rag: RagView,
    /// `owner` from the front matter (or the plan's owner line); empty
    /// when none is given.
    pub owner: String,
    pub tags: Vec<String>,
    /// The plan's tags as positions in the dashboard's `tags`, separated
    /// by spaces (`"0 3"`): what the table's tag filter matches on.
    pub tag_keys: String,
    /// The milestone the plan is at or heading for, when a phase has dates.
    pub milestone: Option<MilestoneView>,
    /// The forecast finish in one line (`forecast 2025-05-02 (85%:
    /// 2025-05-16); planned 2025-04-25: 1 to 3 weeks late`), or why there
    /// is none; empty for a plan without tasks.
    pub forecast: String,
}

/// The current or next milestone of a plan: the end of a dated phase.
/// A phase whose end has passed with work the plan states still open is
/// `late` (and comes first); else the unfinished phase under way (`now`)
/// or the next to end (`next`).
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// The phase's title (its label when it has none).
    pub name: String,
    /// Its end, `YYYY-MM-DD`.
    pub date: String,
    /// `late`, `now` or `next`.
    pub state: String,
    /// `Late`, `Now` or `Next`.
    pub label: String,
}

/// The red / amber / green status, always with its word and its reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RagView {
    /// `green`, `amber`, `red` or `unrated` (a class for themes).
    pub level: crate::derive::schedule::Rag,
    /// `Green`, `Amber`, `Red` or `Not rated`.
    pub label: String,
    pub reason: String,
    /// The reason with long lists cut to two items (`Week 1, Week 2 and 9
    /// more`), for the dashboard's table.
    pub brief: String,
}

/// The schedule as of the report date, on a plan page.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub dated: bool,
    pub figures: Vec<FigureView>,
    pub overdue: Vec<OverdueView>,
    /// The milestones calendar file, when the plan has dates.
    pub ics_href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueView {
    pub phase: String,
    pub text: String,
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub text: String,
    pub open: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanPageView {
    pub site: SiteView,
    pub page: PageView,
    pub plan: PlanView,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub owner: String,
    pub revised_by: String,
    pub approved_by: String,
    pub date: String,
    pub tags: Vec<String>,
    pub decision: Option<DecisionView>,
    pub figures: Vec<FigureView>,
    pub charts: Vec<ChartView>,
    pub phases: Vec<PhaseView>,
    pub groups: Vec<GroupView>,
    pub budget: Option<TableView>,
    pub risks: Option<TableView>,
    pub metrics: Option<TableView>,
    pub facts: Vec<FactView>,
    pub checks: Vec<CheckView>,
    pub changes: ChangesView,
    pub rag: RagView,
    pub schedule: ScheduleView,
    pub forecast: ForecastView,
    /// The rest of the document, rendered and sanitised, in its order.
    pub rest_html: String,
    /// The plan's model, beside the page; empty on archived pages (an
    /// archived week keeps no models: its sources are in the archive).
    pub json_href: String,
    pub source: String,
    pub extra: serde_json::Value,
}

/// "Since last snapshot" on a plan page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ChangesView {
    /// The week compared with; empty when there is no earlier snapshot.
    pub since: String,
    pub new_plan: bool,
    pub summary: String,
    pub finished: Vec<String>,
    pub reopened: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// `Week 3-4: $12,000 -> $18,000 (+$6,000)`, one per changed phase.
    pub budget: Vec<String>,
    pub total: String,
    pub status: String,
    pub decision: String,
    pub risks_new: Vec<String>,
    pub risks_closed: Vec<String>,
    /// `Launch moved 2025-04-01 -> 2025-04-15 (+2 weeks)`, one per moved
    /// milestone.
    pub milestones: Vec<String>,
}

/// `archive/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveView {
    pub site: SiteView,
    pub page: PageView,
    pub snapshots: Vec<SnapshotView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotView {
    pub week: String,
    pub href: String,
    pub created: String,
    pub note: String,
    pub plans: usize,
    pub done: usize,
    pub total: usize,
    pub percent: u32,
    pub budgets: Vec<String>,
    /// One line per plan: what changed since the week before.
    pub changes: Vec<String>,
    pub damaged: bool,
}

/// `feed.xml`: one entry per snapshot, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    pub site: SiteView,
    pub id: String,
    pub self_href: String,
    pub site_href: String,
    pub updated: String,
    pub entries: Vec<FeedEntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedEntryView {
    pub id: String,
    pub title: String,
    pub href: String,
    pub updated: String,
    pub summary: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub label: String,
    pub value: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The SVG itself, inlined in the page.
    pub svg: String,
    /// The compact drawing for narrow screens, inlined before `svg`: the
    /// theme's stylesheet shows one of the two.
    pub narrow_svg: String,
    pub table: TableView,
    /// What the chart shows, in sentences under it (the milestone trend:
    /// which milestones moved).
    pub notes: Vec<String>,
}

/// The forecast finish from the plan's weekly history.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ForecastView {
    /// `dated`, `too_few`, `no_progress`, `finished` or `no_tasks` (a
    /// class for themes).
    pub kind: String,
    /// The line: dates and lateness, or why there is no date; a sentence
    /// (`Forecast 2025-05-02 …`) and as a card says it (`forecast …`).
    pub text: String,
    pub line: String,
    /// The dates by which 50% and 85% of the runs finish (ISO; empty
    /// without them), and the planned end compared with.
    pub p50: String,
    pub p85: String,
    pub planned: String,
    /// What it was computed from: `4 weeks of net throughput (2025-W10 to
    /// 2025-W14), 12 tasks left`.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub anchor: String,
    pub label: String,
    pub title: String,
    pub span: String,
    pub dates: String,
    pub duration: String,
    pub budget: String,
    pub budget_note: String,
    pub status: Label,
    pub status_label: Label,
    pub current: bool,
    pub percent: u32,
    pub done: usize,
    pub total: usize,
    pub groups: Vec<GroupView>,
    pub criteria: Vec<CriteriaView>,
    pub facts: Vec<FactView>,
    pub notes_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: String,
    pub tasks: Vec<TaskView>,
}

/// A task, flattened with its depth so themes need no recursion.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub text: String,
    pub done: bool,
    pub state: Label,
    /// The state in words, so it never rests on colour alone.
    pub state_label: Label,
    pub depth: usize,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriteriaView {
    pub name: String,
    pub items: Vec<CriterionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionView {
    pub text: String,
    pub status: Label,
    pub status_label: Label,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactView {
    pub key: String,
    pub value: String,
}

/// A table ready to print: header labels, which columns are numbers (to
/// right-align them), rows of text, and an optional total row.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TableView {
    pub columns: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<RowView>,
    pub total: Option<RowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub cells: Vec<String>,
    /// Status class of the row, when it has one (`done`, `at_risk`…).
    pub status: Label,
    pub status_label: Label,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    pub level: String,
    pub location: String,
    pub message: String,
    pub source_line: String,
}

pub fn percent(done: usize, total: usize) -> u32 {
    if total == 0 {
        0
    } else {
        ((done as f64 * 100.0 / total as f64).round() as u32).min(100)
    }
}

pub fn money(m: Option<Money>) -> String {
    m.map(|m| m.display()).unwrap_or_default()
}

pub fn decision_view(plan: &Plan) -> Option<DecisionView> {
    let d = plan.decision.as_ref()?;
    Some(match (&d.chosen, &d.question) {
        (Some(chosen), _) => DecisionView {
            text: chosen.clone(),
            open: false,
        },
        (None, Some(question)) => DecisionView {
            text: question.clone(),
            open: true,
        },
        (None, None) => DecisionView {
            text: d.options.join(" / "),
            open: true,
        },
    })
}

pub fn span_text(span: &Span) -> String {
    let unit = span.unit.name();
    let plural = if span.start == span.end { "" } else { "s" };
    let capital = format!("{}{}", unit[..1].to_uppercase(), &unit[1..]);
    match span.unit {
        Unit::Week if span.start == 0 && span.end == 0 => "Before week 1".into(),
        Unit::Quarter => match span.year {
            Some(year) => format!("Q{} {year}", span.start),
            None => format!("Q{}", span.start),
        },
        _ if span.start == span.end => format!("{capital} {}", span.start),
        _ => format!("{capital}{plural} {}–{}", span.start, span.end),
    }
}

pub fn phase_status_class(status: PhaseStatus) -> &'static str {
    match status {
        PhaseStatus::Complete => "complete",
        PhaseStatus::InProgress => "in_progress",
        PhaseStatus::NotStarted => "not_started",
    }
}

pub fn criterion_label(status: CriterionStatus) -> (&'static str, &'static str) {
    match status {
        CriterionStatus::Met => ("met", "Met"),
        CriterionStatus::NotMet => ("not_met", "Not met"),
        CriterionStatus::Pending => ("pending", "Pending"),
        CriterionStatus::AtRisk => ("at_risk", "At risk"),
        CriterionStatus::Unknown => ("unknown", "No status"),
    }
}

pub fn status_label(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Done => ("done", "Done"),
        Status::Pending => ("pending", "Pending"),
        Status::InProgress => ("in_progress", "In progress"),
        Status::Failed => ("failed", "Failed"),
        Status::AtRisk => ("at_risk", "At risk"),
        Status::Unknown => ("unknown", "No status"),
    }
}

pub fn tasks_view(tasks: &[Task]) -> Vec<TaskView> {
    let mut out = Vec::new();
    flatten(tasks, 0, &mut out);
    out
}

fn flatten(tasks: &[Task], depth: usize, out: &mut Vec<TaskView>) {
    for task in tasks {
        let (state, label) = match task.state {
            TaskState::Done => ("done", "Done"),
            TaskState::Open => ("open", "Open"),
            TaskState::InProgress => ("in_progress", "In progress"),
            TaskState::Skipped => ("skipped", "Skipped"),
        };
        out.push(TaskView {
            text: task.text.clone(),
            done: task.done,
            state: state.into(),
            state_label: label.into(),
            depth,
            line: task.line,
        });
        flatten(&task.subtasks, depth + 1, out);
    }
}

/// The phase a card names as "now": the current one, else the next.
pub fn phase_now(plan: &Plan, derived: &Derived) -> String {
    let describe = |p: &Phase| {
        if p.title.is_empty() || p.title == p.label {
            p.label.clone()
        } else {
            format!("{}: {}", p.label, p.title)
        }
    };
    match (derived.current, derived.next) {
        (Some(i), _) => format!("Now: {}", describe(&plan.phases[i])),
        (None, Some(i)) => format!("Next: {}", describe(&plan.phases[i])),
        _ if !plan.phases.is_empty() => "All phases complete".into(),
        _ => String::new(),
    }
}

/// A diagnostic as the plan page lists it; `source` indexes the plan's
/// text, for the line it quotes.
pub fn check_view(d: &Diagnostic, source: Option<&SourceLines<'_>>) -> CheckView {
    let location = match (d.line, d.col) {
        (0, _) => d.file.clone(),
        (l, 0) => format!("{}:{l}", d.file),
        (l, c) => format!("{}:{l}:{c}", d.file),
    };
    let source_line = source
        .and_then(|index| index.line(d.line))
        .unwrap_or("")
        .trim()
        .to_string();
    CheckView {
        level: match d.level {
            Level::Warning => "warning".into(),
            Level::Error => "error".into(),
        },
        location,
        message: d.message.clone(),
        source_line,
    }
}
