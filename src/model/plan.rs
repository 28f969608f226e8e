//! The plan model: what a plan says, typed. Built by `model::build`, checked
//! by `model::checks`, serialised as the JSON model (schema 1) that other
//! tools read. Field names here are that schema's names.

use crate::diagnostic::Diagnostic;
use crate::parse::money::{Currency, Money};
use crate::parse::span::{Duration, Span};
use crate::parse::status::{CriterionStatus, Status};
use chrono::{Datelike, NaiveDate};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// The JSON model's schema version.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// How diagnostics name the file (not part of the JSON model).
    #[serde(skip)]
    pub display: String,
    /// The file the plan was read from, as the system names it (not
    /// part of the JSON model): `source` is its name made UTF-8 for
    /// display, which need not open the same file. Empty for a plan not
    /// read from a file.
    #[serde(skip)]
    pub file: std::path::PathBuf,
    pub schema: u32,
    pub slug: String,
    pub source: String,
    pub title: String,
    pub meta: Meta,
    pub facts: Vec<Fact>,
    pub phases: Vec<Phase>,
    /// The period the plan covers: as stated (front matter `start`/`end`,
    /// a `**Start Date:**` or `**Timeline:**` line), else from its phases.
    pub schedule: PlanSchedule,
    /// Task groups outside any phase (checklists under ordinary headings).
    pub groups: Vec<TaskGroup>,
    pub budget: Budget,
    pub risks: Vec<TableRecord>,
    pub metrics: Vec<TableRecord>,
    /// Tables that are neither budget, risks nor metrics.
    pub tables: Vec<Table>,
    /// The plan's go/no-go decision: the first one written.
    pub decision: Option<Decision>,
    /// Every decision written, in order (gates often have one each).
    pub decisions: Vec<Decision>,
    pub progress: Progress,
    /// Everything not recognised, in document order, as Markdown source.
    pub prose: Vec<Prose>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    /// The document's date (front matter `date`, else a closing `**Date:**`
    /// line), written `YYYY-MM-DD`. Text that is no date is kept in `extra`.
    #[serde(serialize_with = "day_written")]
    pub date: Option<NaiveDate>,
    /// Front matter `start`, as `date`.
    #[serde(serialize_with = "day_written")]
    pub start: Option<NaiveDate>,
    pub status: Option<String>,
    pub owner: Option<String>,
    pub revised_by: Option<String>,
    pub approved_by: Option<String>,
    pub currency: Option<Currency>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Total stated in front matter (`budget:`), checked against the phases.
    #[serde(serialize_with = "money_opt")]
    pub budget: Option<Money>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub extra: Map<String, Value>,
}

/// A `**Key:** value` line.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
    pub line: usize,
    /// Money found in the value (`9 weeks ($42,000)`).
    #[serde(serialize_with = "money_opt")]
    pub money: Option<Money>,
    /// Weeks found in the value (`11 weeks`).
    pub weeks: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    Complete,
    InProgress,
    NotStarted,
}

impl PhaseStatus {
    /// The status in words, for readers (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            PhaseStatus::Complete => "Complete",
            PhaseStatus::InProgress => "In progress",
            PhaseStatus::NotStarted => "Not started",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub label: String,
    pub title: String,
    pub line: usize,
    /// `None` when the heading states a span that cannot be read (a
    /// warning says why): the phase keeps its title and tasks, and is left
    /// out of every timeline and per-week figure.
    pub span: Option<Span>,
    /// The ordinal in the label (`Phase 2`) when the span is a time span.
    pub ordinal: Option<Span>,
    pub duration: Option<Duration>,
    pub budget: Option<PhaseBudget>,
    /// Calendar dates: stated in the heading or a fact line, else derived
    /// from the span and the plan's stated start.
    pub dates: Dates,
    pub groups: Vec<TaskGroup>,
    pub criteria: Vec<CriteriaList>,
    pub progress: Progress,
    pub status: PhaseStatus,
    /// True when the plan states the status: by the phase's tasks, or by
    /// a status cell of its schedule row. A phase without either is "not
    /// started" by default, which says nothing about whether it is late.
    #[serde(skip)]
    pub status_stated: bool,
    pub facts: Vec<Fact>,
    pub notes: Vec<Prose>,
}

impl Phase {
    /// A phase with nothing but its label and line: no title, span, dates,
    /// budget, tasks or notes, not started (and not stated to be). The
    /// readers of tables and charts set the rest with `..Phase::named(…)`.
    pub fn named(label: String, line: usize) -> Phase {
        Phase {
            label,
            title: String::new(),
            line,
            span: None,
            ordinal: None,
            duration: None,
            budget: None,
            dates: Dates::default(),
            groups: Vec::new(),
            criteria: Vec::new(),
            progress: Progress::default(),
            status: PhaseStatus::NotStarted,
            status_stated: false,
            facts: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.groups.iter().flat_map(|g| g.tasks.iter())
    }
}

/// First and last day (ISO `YYYY-MM-DD`), each with the line it was read
/// from; either may be null.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dates {
    #[serde(serialize_with = "day_iso")]
    pub start: Option<NaiveDate>,
    #[serde(serialize_with = "day_iso")]
    pub end: Option<NaiveDate>,
    pub start_line: Option<usize>,
    pub end_line: Option<usize>,
    /// True when computed from week or day numbers and the plan's start
    /// (the lines are then the phase heading's), not written as dates.
    pub derived: bool,
}

impl Dates {
    /// The first day as readers of the model compare and draw it: see
    /// [`readable`].
    pub fn first(&self) -> Option<NaiveDate> {
        readable(self.start)
    }

    /// The last day, as [`Dates::first`].
    pub fn last(&self) -> Option<NaiveDate> {
        readable(self.end)
    }
}

/// A phase's or the plan's day as the readers of the model take it. The
/// model writes a year past 9999 without a sign (`10000-01-02`, see
/// `calendar::iso`), and the readers, which read the written ISO text back
/// when the model held dates as text, found no day there: such a day is
/// shown in the JSON model but neither compared nor drawn.
pub fn readable(day: Option<NaiveDate>) -> Option<NaiveDate> {
    day.filter(|d| d.year() <= 9999)
}

/// The period a plan covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanSchedule {
    #[serde(serialize_with = "day_iso")]
    pub start: Option<NaiveDate>,
    #[serde(serialize_with = "day_iso")]
    pub end: Option<NaiveDate>,
    pub start_line: Option<usize>,
    pub end_line: Option<usize>,
    /// True when not stated but taken from the phases (first start, last
    /// end).
    pub from_phases: bool,
}

impl PlanSchedule {
    /// The first day as readers of the model take it: see [`readable`].
    pub fn first(&self) -> Option<NaiveDate> {
        readable(self.start)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseBudget {
    #[serde(serialize_with = "money_amount")]
    pub amount: Money,
    pub currency: Currency,
    pub note: Option<String>,
    pub line: usize,
    /// The running total written on the line, when the author wrote one
    /// (`$168K cumulative`); `amount` is then this phase's own part.
    #[serde(serialize_with = "money_opt")]
    pub cumulative: Option<Money>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskGroup {
    pub name: Option<String>,
    pub line: usize,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Open,
    Done,
    InProgress,
    /// `[s]`: dropped from the count of work.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub text: String,
    pub done: bool,
    pub state: TaskState,
    pub line: usize,
    pub subtasks: Vec<Task>,
}

impl Task {
    /// Counts this task and its subtasks; skipped ones count for nothing.
    pub fn progress(&self) -> Progress {
        let own = match self.state {
            TaskState::Skipped => Progress::default(),
            TaskState::Done => Progress { done: 1, total: 1 },
            _ => Progress { done: 0, total: 1 },
        };
        self.subtasks.iter().fold(own, |sum, t| sum + t.progress())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CriteriaList {
    pub name: String,
    pub line: usize,
    pub items: Vec<Criterion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub text: String,
    pub status: CriterionStatus,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| self.done as f64 * 100.0 / self.total as f64)
    }
}

impl std::ops::Add for Progress {
    type Output = Progress;
    fn add(self, other: Progress) -> Progress {
        Progress {
            done: self.done + other.done,
            total: self.total + other.total,
        }
    }
}

impl std::iter::Sum for Progress {
    fn sum<I: Iterator<Item = Progress>>(iter: I) -> Progress {
        iter.fold(Progress::default(), |a, b| a + b)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    /// The plan's currency: front matter, else site, else the one used
    /// most, else the stated total's.
    pub currency: Option<Currency>,
    /// Sum of the phases' budgets (budget lines, cost tables, rows of the
    /// summary); null without any, or when they use several currencies.
    #[serde(serialize_with = "money_opt")]
    pub phases_total: Option<Money>,
    pub table: Option<BudgetTable>,
    /// The plan's own stated total (`**Total Budget:** $75,000`, a `Total
    /// Budget Requested` section holding an amount, a `Budget:` line
    /// before the phases, the `Total` row of a table of amounts outside
    /// the phases, front matter `budget:`); checked against the phases.
    /// Null when the plan states none.
    pub total: Option<StatedTotal>,
}

/// An amount the plan states as its total, with the line it is written on.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct StatedTotal {
    #[serde(serialize_with = "money_amount")]
    pub amount: Money,
    pub currency: Currency,
    pub line: usize,
}

/// The budget summary table.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetTable {
    pub line: usize,
    /// Money column keys (lower-case header names), in table order.
    pub columns: Vec<String>,
    /// The column the figures are compared with (revised, else budget...).
    pub current: Option<String>,
    pub rows: Vec<BudgetRow>,
    #[serde(serialize_with = "amounts_opt")]
    pub total: Option<Vec<(String, Option<Money>)>>,
    pub total_line: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetRow {
    pub phase: String,
    /// Index into `phases` of the phase this row was matched to.
    pub phase_index: Option<usize>,
    pub line: usize,
    #[serde(serialize_with = "amounts")]
    pub values: Vec<(String, Option<Money>)>,
}

impl BudgetRow {
    pub fn value(&self, column: &str) -> Option<Money> {
        self.values
            .iter()
            .find(|(c, _)| c == column)
            .and_then(|(_, m)| *m)
    }
}

/// A row of a risks or metrics table: lower-case header to cell text, plus
/// the row's line and (for metrics, or a risks table with a Status column)
/// the normalised status.
#[derive(Debug, Clone)]
pub struct TableRecord {
    pub cells: Vec<(String, String)>,
    pub line: usize,
    pub status: Option<Status>,
    /// True for metrics: `status` in JSON is the normalised status.
    pub normalise_status: bool,
}

impl TableRecord {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl Serialize for TableRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        // Metrics carry the normalised status under `status` (the cell as
        // written under `status_text`); risks keep their cells as written
        // and add `status_normalised`.
        for (key, value) in &self.cells {
            if key == "status" && self.normalise_status {
                map.serialize_entry("status_text", value)?;
            } else if key != "line" {
                map.serialize_entry(key, value)?;
            }
        }
        if let Some(status) = self.status {
            let key = if self.normalise_status {
                "status"
            } else {
                "status_normalised"
            };
            map.serialize_entry(key, &status)?;
        }
        map.serialize_entry("line", &self.line)?;
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub line: usize,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The file line of each row (rows continued under a later heading
    /// without a header line do not follow the header).
    #[serde(skip)]
    pub row_lines: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The question, when the decision is written as one.
    pub question: Option<String>,
    pub options: Vec<String>,
    pub chosen: Option<String>,
    pub line: usize,
}

/// Source Markdown kept as it was written, for rendering in order.
#[derive(Debug, Clone, Serialize)]
pub struct Prose {
    pub line: usize,
    pub markdown: String,
}

/// A front matter day as chrono writes `%Y-%m-%d` (a year past 9999 with
/// its sign: `+12025-01-01`).
fn day_written<S: Serializer>(day: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

/// A phase's or the plan's day as `calendar::iso` writes it.
fn day_iso<S: Serializer>(day: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(d) => s.serialize_str(&crate::parse::calendar::iso(*d)),
        None => s.serialize_none(),
    }
}

fn money_amount<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
    money.json_number().serialize(s)
}

fn money_opt<S: Serializer>(money: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match money {
        Some(m) => m.json_number().serialize(s),
        None => s.serialize_none(),
    }
}

fn amounts<S: Serializer>(values: &[(String, Option<Money>)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(values.len()))?;
    for (column, money) in values {
        map.serialize_entry(column, &money.map(|m| m.json_number()))?;
    }
    map.end()
}

fn amounts_opt<S: Serializer>(
    values: &Option<Vec<(String, Option<Money>)>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match values {
        Some(v) => amounts(v, s),
        None => s.serialize_none(),
    }
}
