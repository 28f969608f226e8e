//! Calendar dates of phases and the period the plan covers.
//!
//! A phase's dates are read, in this order, from its heading (`Phase 1
//! (Jan 6 – Feb 14, 2025)`, `Week of March 10`) and from its date lines
//! (`**Dates:**`, `**Due:**`, `Deadline:`, `Start:`/`End:`, and their
//! usual words in German, French, Spanish, Portuguese, Italian, Chinese and
//! Japanese). A single day in a heading, or on a due line, is a due
//! date (the end); on a start line it is the start; on a neutral line
//! (`Date`, `When`, a schedule table's Date column) it is both: an event
//! on that day. Without either, a week or day span plus the plan's
//! stated start gives derived dates (`derived: true`), placed as
//! `Span::days_from` places them.
//!
//! The plan's period is what it states (front matter `start`/`end`, plan
//! lines such as `**Start Date:**` or `**Timeline:**`), else the first
//! and last day its phases name. A date without a year takes the
//! year of the phase before it, else of the plan's period or front matter
//! date, else stays null. A slashed day whose order the file does not
//! tell is left out with a warning.
//!
//! A plan without phase headings takes its phases from its first schedule
//! table; with them, the table's rows fill in the dates of the phases they
//! name (by label or title), and the status of those without tasks; when
//! some row names one, a row naming none is a warning, as is a row whose
//! date differs from the phase's own. A schedule
//! table is a table with a date column (Date, When, Due, Deadline, Start,
//! End, Target, Week of, Fecha, Data, Datum, 日期, 期限, …) holding dates in
//! at least half of its rows (two or more). Each row is a phase, named by
//! its first other column, its status from a Status column; the table
//! stays in `tables` as well.

use super::ends::Ends;
use super::gantt;
use crate::diagnostic::{column_of, Diagnostic};
use crate::lines::LineIndex;
use crate::model::plan::*;
use crate::parse::calendar::{self, Context, Order, Period};
use crate::parse::gantt as gantt_chart;
use crate::parse::status::{parse_status, strip_marks, Status};
use chrono::{Datelike, Days, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// What a date line says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Start,
    End,
    Period,
}

fn role_of(key: &str, in_phase: bool) -> Option<Role> {
    let key = strip_marks(key).to_lowercase();
    let key = key.trim().trim_end_matches(':').trim();
    let role = match key {
        "start" | "start date" | "starts" | "begin" | "begins" | "kick-off" | "kickoff"
        | "start on" | "starting" | "inicio" | "fecha de inicio" | "início" | "inicio previsto"
        | "data de início" | "data de inicio" | "début" | "date de début" | "beginn"
        | "startdatum" | "start-datum" | "inizio" | "data di inizio" | "data inizio"
        | "开始日期" | "开始时间" | "開始日" => Role::Start,
        "end"
        | "end date"
        | "ends"
        | "due"
        | "due date"
        | "deadline"
        | "target"
        | "target date"
        | "finish"
        | "finish date"
        | "completion"
        | "completion date"
        | "delivery"
        | "delivery date"
        | "release date"
        | "fin"
        | "fecha de fin"
        | "fecha de finalización"
        | "fecha de entrega"
        | "fecha límite"
        | "término"
        | "prazo"
        | "data de término"
        | "data de entrega"
        | "data final"
        | "date de fin"
        | "échéance"
        | "date limite"
        | "ende"
        | "enddatum"
        | "end-datum"
        | "fällig"
        | "fällig am"
        | "frist"
        | "termin"
        | "scadenza"
        | "data di fine"
        | "data fine"
        | "截止日期"
        | "结束日期"
        | "完成日期"
        | "期限"
        | "完了日"
        | "締切" => Role::End,
        "dates" | "date range" | "timeline" | "period" | "project period" | "timeframe"
        | "time frame" | "schedule" | "when" | "duration" | "project duration" | "zeitraum"
        | "laufzeit" | "période" | "calendrier" | "periodo" | "período" | "fechas" | "datas"
        | "durata" | "日期" | "时间" | "期間" | "周期" => Role::Period,
        // In a phase a plain `Date:` is the phase's date; at plan level it
        // is the date the document was written.
        "date" | "fecha" | "datum" | "data" if in_phase => Role::Period,
        _ => return None,
    };
    Some(role)
}

/// A key whose line states a date of the plan or a phase (`Start`, `Due`,
/// `Dates`, `期限`, …).
pub(super) fn is_date_key(key: &str) -> bool {
    role_of(key, true).is_some()
}

/// Reads one text at `line` into the two ends, as `role` says; warns once
/// about an ambiguous slashed day.
struct Reader<'a> {
    file: &'a str,
    lines: &'a LineIndex,
    /// The whole file, to decide the order of slashed days from.
    text: &'a str,
    /// That order, decided the first time a slashed day needs it.
    order: Option<Order>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn read(&mut self, text: &str, line: usize, year: Option<i32>) -> Option<Period> {
        let context = Context {
            year,
            order: self.order.unwrap_or(Order::Unknown),
        };
        let mut period = calendar::find(text, &context)?;
        if period.ambiguous && self.order.is_none() {
            let order = calendar::order_of(self.text);
            self.order = Some(order);
            period = calendar::find(text, &Context { year, order })?;
        }
        if period.ambiguous {
            let source = self.lines.line_text(self.text, line).unwrap_or("");
            let written = source
                .split(|c: char| !(c.is_ascii_digit() || c == '/'))
                .find(|w| w.matches('/').count() == 2)
                .unwrap_or("");
            let col = if written.is_empty() {
                1
            } else {
                column_of(source, written)
            };
            self.diagnostics.push(Diagnostic::warning(
                self.file,
                line,
                col,
                format!(
                    "`{written}` could be day/month or month/day, and no other date in the file tells which: the date is left out (write it as YYYY-MM-DD)"
                ),
            ));
            return None;
        }
        Some(period)
    }

    fn fill(&mut self, text: &str, line: usize, role: Role, year: Option<i32>, ends: &mut Ends) {
        let Some(period) = self.read(text, line, year) else {
            return;
        };
        match role {
            Role::Start => ends.start.fill(period.start, line),
            Role::End => ends.end.fill(period.end, line),
            Role::Period => {
                ends.start.fill(period.start, line);
                ends.end.fill(period.end, line);
            }
        }
    }
}

/// What the plan says outside its phases.
pub(super) struct Given<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    /// Where each line of `text` starts.
    pub(super) lines: &'a LineIndex,
    pub(super) meta: &'a Meta,
    /// Front matter lines of `start` and `end`, for the source lines.
    pub(super) start_line: usize,
    pub(super) end_line: usize,
    pub(super) facts: &'a [Fact],
    pub(super) tables: &'a [Table],
    pub(super) title: Option<&'a str>,
    /// The first line after the front matter.
    pub(super) body_line: usize,
    /// The plan is one phase, named by its title (`Sprint 1`).
    pub(super) whole_plan_phase: bool,
}

/// Fills each phase's `dates` (taking the phases from a schedule table
/// when there are none) and returns the plan's period.
pub(super) fn place(
    given: &Given<'_>,
    phases: &mut Vec<Phase>,
    diagnostics: &mut Vec<Diagnostic>,
) -> PlanSchedule {
    let mut reader = Reader {
        file: given.file,
        lines: given.lines,
        text: given.text,
        order: None,
        diagnostics,
    };
    let (plan, document_year) = stated_period(given, &mut reader);
    let year = plan
        .start
        .day
        .or(plan.end.day)
        .map(|d| d.year())
        .or(document_year);
    // With phase headings, a schedule table's rows fill in the dates of
    // the phases they name (each row: whether it named one).
    let mut table_rows: Vec<(Phase, bool)> = Vec::new();
    let mut schedule_index = None;
    if let Some((index, rows)) = given
        .tables
        .iter()
        .enumerate()
        .find_map(|(i, t)| Some((i, schedule_table(t, &mut reader, year)?)))
    {
        schedule_index = Some(index);
        if phases.is_empty() {
            *phases = rows;
        } else {
            table_rows = rows.into_iter().map(|row| (row, false)).collect();
        }
    }
    // Gantt charts: the phases of a plan without any, else the dates of
    // the phases their bars name.
    let charts = gantt_chart::charts(given.text, given.body_line);
    for chart in &charts {
        for (line, message) in &chart.warnings {
            reader
                .diagnostics
                .push(Diagnostic::warning(given.file, *line, 1, message.clone()));
        }
    }
    let mut bars = gantt::Candidates::new(&charts);
    // A chart's bars as phases: their dates are the chart's alone.
    let mut from_chart = false;
    if phases.is_empty() {
        *phases = gantt::phases_from(&charts, &mut bars);
        from_chart = !phases.is_empty();
    }
    let mut dating = Dating {
        given,
        plan,
        year,
        from_chart,
        phase_count: phases.len(),
        table_rows: &mut table_rows,
        bars: &mut bars,
        reader: &mut reader,
    };
    for phase in phases.iter_mut() {
        dating.date(phase);
    }
    let year = dating.year;
    gantt::unused(given.file, &charts, &bars, reader.diagnostics);
    unnamed_rows(&table_rows, &mut reader);
    plan_period(given, phases, plan, schedule_index, year, &mut reader)
}

/// The period the plan states (front matter `start` and `end`, plan lines
/// such as `**Start Date:**`), with the year of the document (its front
/// matter date, else a year its title names).
fn stated_period(given: &Given<'_>, reader: &mut Reader<'_>) -> (Ends, Option<i32>) {
    let meta = given.meta;
    let mut plan = Ends::default();
    plan.start.fill(meta.start, given.start_line);
    // The year a dated title names (`Mentorship 2024: Term 1`) is a
    // context too, after the front matter date.
    let document_year = meta
        .date
        .map(|d| d.year())
        .or_else(|| given.title.and_then(year_in));
    let year = plan.start.day.map(|d| d.year()).or(document_year);
    if let Some(end) = meta.extra.get("end").and_then(|v| v.as_str()) {
        reader.fill(end, given.end_line, Role::End, year, &mut plan);
    }
    for fact in given.facts {
        if let Some(role) = role_of(&fact.key, false) {
            let year = plan.start.day.or(plan.end.day).map(|d| d.year()).or(year);
            reader.fill(&fact.value, fact.line, role, year, &mut plan);
        }
    }
    (plan, document_year)
}

/// Dates the phases one after the other: each one's year context is the
/// last day dated before it.
struct Dating<'g, 'r> {
    given: &'g Given<'g>,
    /// The plan's stated period.
    plan: Ends,
    /// The year a date without one takes.
    year: Option<i32>,
    /// The phases are a gantt chart's bars.
    from_chart: bool,
    phase_count: usize,
    /// A schedule table's rows, each with whether it named a phase.
    table_rows: &'r mut Vec<(Phase, bool)>,
    bars: &'r mut gantt::Candidates,
    reader: &'r mut Reader<'g>,
}

impl Dating<'_, '_> {
    /// Fills one phase's dates: its heading, its date lines, its row of
    /// the schedule table, its gantt bar, else the span from the stated
    /// start.
    fn date(&mut self, phase: &mut Phase) {
        if self.from_chart || phase.dates != Dates::default() {
            // A schedule table row or a gantt bar: its dates are read.
            if let Some(day) = readable(phase.dates.end.or(phase.dates.start)) {
                self.year = Some(day.year());
            }
            return;
        }
        let mut ends = self.heading_ends(phase);
        for fact in &phase.facts {
            if let Some(role) = role_of(&fact.key, true) {
                self.reader
                    .fill(&fact.value, fact.line, role, self.year, &mut ends);
            }
        }
        self.take_row(phase, &mut ends);
        if !self.bars.is_empty() {
            gantt::fill(
                self.given.file,
                phase,
                self.phase_count,
                self.bars,
                &mut ends,
                self.reader.diagnostics,
            );
        }
        if self.given.whole_plan_phase && ends.start.day.is_none() && ends.end.day.is_none() {
            // A plan of one phase: its stated period is the phase's.
            ends = self.plan;
        }
        let mut derived = false;
        if ends.start.day.is_none() && ends.end.day.is_none() {
            if let Some((first, last)) = self
                .plan
                .start
                .day
                .and_then(|s| phase.span.and_then(|span| span.days_from(s)))
            {
                ends.start.fill(Some(first), phase.line);
                ends.end.fill(Some(last), phase.line);
                derived = true;
            }
        }
        if let (Some(s), Some(e)) = (ends.start.day, ends.end.day) {
            if e < s {
                // A start after the end is not a period a reader can trust.
                ends = Ends::default();
            }
        }
        if let Some(day) = ends.end.day.or(ends.start.day) {
            self.year = Some(day.year());
        }
        phase.dates = Dates {
            start: ends.start.day,
            end: ends.end.day,
            start_line: ends.start.line,
            end_line: ends.end.line,
            derived,
        };
    }

    /// The dates the phase's heading names (`Phase 1 (Jan 6 – Feb 14)`,
    /// `Week of March 10`).
    fn heading_ends(&mut self, phase: &Phase) -> Ends {
        let mut ends = Ends::default();
        // A phase taken from a table row has no heading to read: the
        // row's other cells are not its dates.
        let heading = self
            .given
            .lines
            .line_text(self.given.text, phase.line)
            .filter(|line| !line.trim_start().starts_with('|'))
            .unwrap_or("");
        if let Some(period) = self.reader.read(heading, phase.line, self.year) {
            let week_of = heading.to_lowercase().contains("week of");
            match (period.start, period.single_day) {
                (Some(day), true) if week_of => {
                    ends.start.fill(Some(day), phase.line);
                    ends.end
                        .fill(day.checked_add_days(Days::new(6)), phase.line);
                }
                (_, true) => ends.end.fill(period.end, phase.line),
                _ => {
                    ends.start.fill(period.start, phase.line);
                    ends.end.fill(period.end, phase.line);
                }
            }
        }
        ends
    }

    /// The schedule table's row naming the phase fills in what the phase
    /// does not say itself (a differing date is a warning), and the status
    /// of a phase without tasks.
    fn take_row(&mut self, phase: &mut Phase, ends: &mut Ends) {
        let Some((row, named)) = self
            .table_rows
            .iter_mut()
            .find(|(row, _)| names(phase, &row.label))
        else {
            return;
        };
        *named = true;
        // A phase without tasks takes the status its row states; one
        // with tasks keeps the status its tasks give.
        if phase.progress.total == 0 && row.status_stated {
            phase.status = row.status;
            phase.status_stated = true;
        }
        let (start, end) = (row.dates.first(), row.dates.last());
        for (slot, day, what) in [
            (&mut ends.start, start, "start"),
            (&mut ends.end, end, "end"),
        ] {
            match (slot.day, day) {
                (Some(own), Some(day)) if own != day => {
                    self.reader.diagnostics.push(Diagnostic::warning(
                        self.given.file,
                        row.line,
                        1,
                        format!(
                            "the schedule table gives {} {what} {}, but line {} gives {}: the phase keeps {}",
                            phase.label,
                            calendar::iso(day),
                            slot.line.unwrap_or(phase.line),
                            calendar::iso(own),
                            calendar::iso(own)
                        ),
                    ));
                }
                _ => slot.fill(day, row.line),
            }
        }
    }
}

/// A warning for each schedule row naming no phase, when some row names
/// one: a table none of whose rows names a phase is about something else
/// (a revision history).
fn unnamed_rows(table_rows: &[(Phase, bool)], reader: &mut Reader<'_>) {
    let about_phases = table_rows.iter().any(|(_, named)| *named);
    for (row, _) in table_rows
        .iter()
        .filter(|(_, named)| about_phases && !named)
    {
        reader.diagnostics.push(Diagnostic::warning(
            reader.file,
            row.line,
            1,
            format!(
                "schedule row `{}` names no phase of the plan (by label or title): its dates are not used",
                row.label
            ),
        ));
    }
}

/// The plan's period: as stated, else from the first to the last day its
/// phases name (or the milestones of another table name), else a period
/// its prose names.
fn plan_period(
    given: &Given<'_>,
    phases: &[Phase],
    mut plan: Ends,
    schedule_index: Option<usize>,
    year: Option<i32>,
    reader: &mut Reader<'_>,
) -> PlanSchedule {
    // Not stated: the phases' first start and last end.
    let mut from_phases = plan.start.day.is_none() && plan.end.day.is_none();
    // Every day a phase names: a plan of due dates starts at the first.
    let days: Vec<(NaiveDate, usize)> = phases
        .iter()
        .flat_map(|p| {
            [
                (p.dates.first(), p.dates.start_line),
                (p.dates.last(), p.dates.end_line),
            ]
        })
        .filter_map(|(day, line)| Some((day?, line?)))
        .collect();
    // A table of milestones besides the one giving the phases (`Hito`,
    // `Milestone` heading its first column) is the plan's schedule too:
    // the plan runs from its first milestone to its last.
    let mut days = days;
    if from_phases {
        for (i, table) in given.tables.iter().enumerate() {
            if Some(i) == schedule_index || !names_milestones(table) {
                continue;
            }
            let rows = schedule_table(table, reader, year).unwrap_or_default();
            days.extend(rows.iter().flat_map(|p| {
                [
                    (p.dates.first(), p.dates.start_line),
                    (p.dates.last(), p.dates.end_line),
                ]
                .into_iter()
                .filter_map(|(day, line)| Some((day?, line?)))
            }));
        }
    }
    if from_phases && days.is_empty() {
        // No dates anywhere else: a sentence naming when the plan's work
        // happens (`In the second half of 2024 we are planning …`).
        if let Some((start, end, line)) = period_in_prose(given.text) {
            plan.start.fill(Some(start), line);
            plan.end.fill(Some(end), line);
            from_phases = false;
        }
    }
    let earliest = days.iter().copied().min_by_key(|(d, _)| *d);
    let latest = days.iter().copied().max_by_key(|(d, _)| *d);
    if let Some((day, line)) = earliest {
        plan.start.fill(Some(day), line);
    }
    if let Some((day, line)) = latest {
        if plan.start.day.is_none_or(|s| day >= s) {
            plan.end.fill(Some(day), line);
        }
    }
    PlanSchedule {
        start: plan.start.day,
        end: plan.end.day,
        start_line: plan.start.line,
        end_line: plan.end.line,
        from_phases: from_phases && (plan.start.day.is_some() || plan.end.day.is_some()),
    }
}

/// The heading names a period of the calendar and nothing else: a quarter
/// of a year (`2024Q4`, `Q1 2025`, `T2 2026`) or a month of a year
/// (`March 2025`).
fn names_only_a_period(phase: &Phase) -> bool {
    use crate::parse::span::{shape_of, Shape, Unit};
    if !(phase.title.is_empty() || phase.title == phase.label) {
        return false;
    }
    match phase.span {
        Some(span) => span.unit == Unit::Quarter && span.year.is_some(),
        None => {
            shape_of(&phase.label) == Some(Shape::Month)
                && year_in(&phase.label).is_some()
                && phase.label.split_whitespace().count() <= 3
        }
    }
}

/// Phase sections that each name only a period of the calendar (`2024Q4`,
/// `March 2025`), carry no tasks, criteria or budget of their own, and
/// each hold a schedule table (see `schedule_table`), group the schedule:
/// the tables' rows are the phases, in order. `None` when any section is
/// not such a group (the sections are then the phases).
pub(super) fn period_section_rows(
    given: &Given<'_>,
    phases: &[Phase],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Phase>> {
    let grouping = !phases.is_empty()
        && phases.iter().all(|p| {
            names_only_a_period(p)
                && p.groups.is_empty()
                && p.criteria.is_empty()
                && p.budget.is_none()
        });
    if !grouping {
        return None;
    }
    let mut found = Vec::new();
    let mut reader = Reader {
        file: given.file,
        lines: given.lines,
        text: given.text,
        order: None,
        diagnostics: &mut found,
    };
    // Each table to the section holding it: the last phase starting before
    // it, when the table is among that phase's notes.
    let mut held: Vec<Vec<&Table>> = vec![Vec::new(); phases.len()];
    for table in given.tables {
        let at = phases.partition_point(|p| p.line < table.line);
        let Some(index) = at.checked_sub(1) else {
            continue;
        };
        let notes = &phases[index].notes;
        let within = notes.binary_search_by_key(&table.line, |n| n.line).is_ok();
        if within {
            held[index].push(table);
        }
    }
    let mut rows = Vec::new();
    for (phase, tables) in phases.iter().zip(held) {
        let year = phase
            .span
            .and_then(|s| s.year)
            .or_else(|| year_in(&phase.label));
        let mut any = false;
        let section = calendar::find(
            &phase.label,
            &Context {
                year,
                order: Order::Unknown,
            },
        )
        .filter(|p| !p.single_day);
        for table in tables {
            if let Some(found) = schedule_table(table, &mut reader, year) {
                for row in &found {
                    outside_its_section(row, &phase.label, section, &mut reader);
                }
                rows.extend(found);
                any = true;
            }
        }
        if !any {
            return None;
        }
    }
    diagnostics.extend(found);
    Some(rows)
}

/// A row dated outside the period its section names (a milestone
/// starting in March under a second-quarter heading) is a warning: the
/// row keeps its own dates.
fn outside_its_section(
    row: &Phase,
    section: &str,
    period: Option<Period>,
    reader: &mut Reader<'_>,
) {
    let Some(Period {
        start: Some(first),
        end: Some(last),
        ..
    }) = period
    else {
        return;
    };
    let days = [row.dates.first(), row.dates.last()];
    let outside = days.into_iter().flatten().find(|d| *d < first || *d > last);
    if let Some(day) = outside {
        reader.diagnostics.push(Diagnostic::warning(
            reader.file,
            row.line,
            1,
            format!(
                "schedule row `{}` is dated {} but stands under `{section}` ({} – {}): it keeps its own dates",
                row.label,
                calendar::iso(day),
                calendar::iso(first),
                calendar::iso(last)
            ),
        ));
    }
}

/// Whether a schedule row's label names a phase: its label (`Phase 2`) or
/// its title, as whole words, either way round.
fn names(phase: &Phase, row: &str) -> bool {
    let row = row.to_lowercase();
    let label = phase.label.to_lowercase();
    let title = phase.title.to_lowercase();
    let holds = |hay: &str, needle: &str| {
        !needle.is_empty()
            && hay.match_indices(needle).any(|(i, _)| {
                let before = hay[..i].chars().next_back();
                let after = hay[i + needle.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
    };
    holds(&row, &label)
        || (title.chars().count() >= 3 && holds(&row, &title))
        || (row.chars().count() >= 3 && holds(&title, &row))
}

/// A year from 1900 to 2199 written alone in a text (several different
/// years: none).
fn year_in(text: &str) -> Option<i32> {
    let mut years = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1900..2200).contains(y));
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

/// What a schedule table's column header names: a date column and the
/// role of its dates, or neither.
fn column_role(header: &str) -> Option<Role> {
    let h = strip_marks(header).to_lowercase();
    let words: Vec<&str> = h
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let within = |list: &[&str]| list.iter().any(|part| h.contains(part));
    if has(&[
        "start", "starts", "begin", "inicio", "início", "début", "beginn", "inizio",
    ]) || within(&["开始", "開始", "起始"])
    {
        Some(Role::Start)
    } else if has(&[
        "end",
        "ends",
        "due",
        "deadline",
        "target",
        "finish",
        "fin",
        "término",
        "ende",
        "échéance",
        "scadenza",
        "prazo",
    ]) || within(&["finaliz", "截止", "结束", "期限", "完了", "date de fin"])
    {
        Some(Role::End)
    } else if has(&[
        "date", "dates", "when", "fecha", "fechas", "data", "datas", "datum", "termin", "period",
        "timeline", "calendar", "période", "periodo", "período",
    ]) || within(&["week of", "日期", "时间", "時間", "日付"])
    {
        Some(Role::Period)
    } else {
        None
    }
}

/// The period a sentence states as the time of the plan's work: `In the
/// second half of 2024 we are planning …`, `During Q3 2025, the team will
/// …`: a period opening the sentence, then who does the work and what they
/// will do. None when no sentence says so, or sentences name different
/// periods.
fn period_in_prose(text: &str) -> Option<(NaiveDate, NaiveDate, usize)> {
    static SENTENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?:^|[.!?]\s+)(?:[*_>#-]+\s*)?(?:in|during|over|throughout)\s+(?:the\s+)?([^,.;:]{2,40}?)\s*,?\s+(?:we|the team|this (?:goal|project|plan|team))\s+(?:will|plan|are planning|aim|intend|expect)(?-u:\b)",
        )
        .ok()
    });
    let re = SENTENCE.as_ref()?;
    // The lines holding one of the verbs the sentence ends with, found by
    // a literal search of the whole text (its automaton is large, and most
    // lines hold no such sentence): each once, in order, with its number.
    static VERBS: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new("will|plan|aim|intend|expect").ok());
    let at = VERBS.as_ref()?.find_iter(text).map(|m| m.start());
    // Every search starts where the last candidate line ended: linear in
    // the text however many verbs a line holds.
    let mut candidates: Vec<(usize, &str)> = Vec::new();
    let (mut counted_to, mut line_no, mut line_end) = (0, 1, 0);
    for pos in at {
        if pos < line_end {
            continue;
        }
        let start = text[line_end..pos]
            .rfind('\n')
            .map_or(line_end, |i| line_end + i + 1);
        line_no += text[counted_to..start].matches('\n').count();
        counted_to = start;
        line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        candidates.push((line_no, &text[start..line_end]));
    }
    let mut found: Option<(NaiveDate, NaiveDate, usize)> = None;
    for (number, line) in candidates {
        if !line.bytes().any(|b| b.is_ascii_digit()) || !re.is_match(line) {
            continue;
        }
        for c in re.captures_iter(line) {
            let Some(Period {
                start: Some(start),
                end: Some(end),
                single_day: false,
                ..
            }) = c
                .get(1)
                .and_then(|m| calendar::find(m.as_str(), &Context::default()))
            else {
                continue;
            };
            match found {
                Some((s, e, _)) if (s, e) != (start, end) => return None,
                Some(_) => {}
                None => found = Some((start, end, number)),
            }
        }
    }
    found
}

/// A table of milestones: its first column is headed by the word.
fn names_milestones(table: &Table) -> bool {
    let Some(first) = table.columns.first() else {
        return false;
    };
    let first = strip_marks(first).to_lowercase();
    [
        "milestone",
        "milestones",
        "hito",
        "hitos",
        "meilenstein",
        "meilensteine",
        "jalon",
        "jalons",
        "marco",
        "marcos",
        "traguardo",
        "里程碑",
        "マイルストーン",
    ]
    .contains(&first.trim())
}

fn is_status_column(header: &str) -> bool {
    let h = strip_marks(header).to_lowercase();
    [
        "status",
        "estado",
        "état",
        "etat",
        "stato",
        "situação",
        "state",
        "状态",
        "状態",
    ]
    .iter()
    .any(|w| h.contains(w))
}

/// Inline Markdown to plain words: `[1.1](url)` is `1.1`; emphasis and
/// code marks go.
pub(super) fn plain(cell: &str) -> String {
    let mut out = String::new();
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) if !after[..close].contains('[') => {
                out.push_str(&after[..close]);
                let tail = &after[close + 2..];
                rest = tail.find(')').map_or("", |end| &tail[end + 1..]);
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    strip_marks(&out.replace(['*', '`'], "").replace("<br>", " "))
        .trim()
        .to_string()
}

/// A table with a date column (and a column to name its rows by) that
/// holds dates in at least half of its rows, two or more: a schedule.
pub(super) fn is_schedule_table(table: &Table) -> bool {
    let roles: Vec<Option<Role>> = table.columns.iter().map(|h| column_role(h)).collect();
    if roles.iter().all(Option::is_none) || table.rows.len() < 2 {
        return false;
    }
    let has_label = table
        .columns
        .iter()
        .enumerate()
        .any(|(i, h)| roles[i].is_none() && !is_status_column(h));
    if !has_label {
        return false;
    }
    // Does the table hold dates at all (any year, any order)?
    let probe = Context {
        year: Some(2000),
        order: Order::DayFirst,
    };
    let dated = table
        .rows
        .iter()
        .filter(|row| {
            roles
                .iter()
                .zip(row.iter())
                .any(|(role, cell)| role.is_some() && calendar::find(cell, &probe).is_some())
        })
        .count();
    dated >= 2 && dated * 2 >= table.rows.len()
}

/// A table whose rows are the plan's phases: it has a date column, and at
/// least half of its rows (two or more) hold a date there. Each row is a
/// phase named by the first other column (not a status column), with the
/// dates of its date columns and the status of its status column.
fn schedule_table(table: &Table, reader: &mut Reader<'_>, year: Option<i32>) -> Option<Vec<Phase>> {
    if !is_schedule_table(table) {
        return None;
    }
    let roles: Vec<Option<Role>> = table.columns.iter().map(|h| column_role(h)).collect();
    let label_column = table
        .columns
        .iter()
        .enumerate()
        .position(|(i, h)| roles[i].is_none() && !is_status_column(h))?;
    let status_column = table.columns.iter().position(|h| is_status_column(h));
    let mut year = year;
    let mut phases = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let mut label = plain(row.get(label_column).map_or("", String::as_str));
        if label.is_empty() {
            continue;
        }
        // A bare number is named by its column: `Month` and `3` is `Month 3`.
        if label.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let header = plain(&table.columns[label_column]);
            if !header.is_empty() {
                label = format!("{header} {label}");
            }
        }
        // Rows follow the header and the delimiter line without a gap,
        // unless the table says where each row is.
        let line = table
            .row_lines
            .get(i)
            .copied()
            .unwrap_or(table.line + 2 + i);
        let mut ends = Ends::default();
        for (role, cell) in roles.iter().zip(row.iter()) {
            if let Some(role) = role {
                reader.fill(cell, line, *role, year, &mut ends);
            }
        }
        if let (Some(s), Some(e)) = (ends.start.day, ends.end.day) {
            if e < s {
                ends = Ends::default();
            }
        }
        if let Some(day) = ends.end.day.or(ends.start.day) {
            year = Some(day.year());
        }
        let stated = status_column
            .and_then(|c| row.get(c))
            .map(|cell| parse_status(cell))
            .filter(|s| *s != Status::Unknown);
        let status = match stated {
            Some(Status::Done) => PhaseStatus::Complete,
            Some(Status::InProgress) => PhaseStatus::InProgress,
            _ => PhaseStatus::NotStarted,
        };
        phases.push(Phase {
            dates: Dates {
                start: ends.start.day,
                end: ends.end.day,
                start_line: ends.start.line,
                end_line: ends.end.line,
                derived: false,
            },
            status,
            status_stated: stated.is_some(),
            ..Phase::named(label, line)
        });
    }
    (!phases.is_empty()).then_some(phases)
}

#[cfg(test)]
mod tests {
    use crate::model::from_text as plan;

    fn dates(text: &str) -> Vec<(Option<String>, Option<String>, bool)> {
        plan(text)
            .phases
            .iter()
            .map(|p| (iso(p.dates.start), iso(p.dates.end), p.dates.derived))
            .collect()
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    /// A day as the JSON model writes it.
    fn iso(day: Option<chrono::NaiveDate>) -> Option<String> {
        day.map(crate::parse::calendar::iso)
    }

    #[test]
    fn heading_dates() {
        let d = dates("# P\n\n## Phase 1: Build (Jan 6 – Feb 14, 2025)\n\n- [ ] a\n\n## Phase 2: Ship (Feb 17 – Mar 7)\n\n- [ ] b\n");
        assert_eq!(d[0], (s("2025-01-06"), s("2025-02-14"), false));
        assert_eq!(
            d[1],
            (s("2025-02-17"), s("2025-03-07"), false),
            "year from the phase before"
        );
    }

    #[test]
    fn fact_lines_in_phases() {
        let d = dates("# P\n\n## Phase 1: A\n\n**Start:** 3 March 2025\n**Deadline:** 28 March 2025\n\n## Phase 2: B\n\n**Due:** April 30\n");
        assert_eq!(d[0], (s("2025-03-03"), s("2025-03-28"), false));
        assert_eq!(d[1], (None, s("2025-04-30"), false));
    }

    #[test]
    fn stated_start_derives_week_spans() {
        let p = plan("# P\n\n**Start Date:** April 14, 2025\n\n## Week 1-2: A\n\n- [ ] a\n\n## Week 3: B\n\n- [ ] b\n");
        assert_eq!(iso(p.schedule.start), s("2025-04-14"));
        assert_eq!(p.schedule.start_line, Some(3));
        assert_eq!(iso(p.phases[0].dates.start), s("2025-04-14"));
        assert_eq!(iso(p.phases[1].dates.end), s("2025-05-04"));
        assert!(p.phases[1].dates.derived);
    }

    #[test]
    fn schedule_from_phases_when_not_stated() {
        let p = plan(
            "# P\n\n## Sprint 1: 2025-03-10 → 2025-03-21\n\n## Sprint 2: 2025-03-24 → 2025-04-04\n",
        );
        assert_eq!(iso(p.schedule.start), s("2025-03-10"));
        assert_eq!(iso(p.schedule.end), s("2025-04-04"));
        assert!(p.schedule.from_phases);
    }

    #[test]
    fn ambiguous_slashed_days_warn() {
        let p = plan("# P\n\n## Phase 1: A\n\n**Due:** 03/04/2025\n");
        assert_eq!(p.phases[0].dates.end, None);
        assert!(
            p.diagnostics
                .iter()
                .any(|d| d.line == 5 && d.message.contains("03/04/2025")),
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn schedule_table_rows_are_phases_without_headings() {
        let p = plan("# Plan 2025\n\n| Stage | Due | Status |\n| --- | --- | --- |\n| Kick-off | 12/03/25 | Done |\n| [Build](x) | 24/04/25 | In progress |\n| Launch | TBD | |\n");
        let rows: Vec<(&str, Option<String>, usize)> = p
            .phases
            .iter()
            .map(|ph| (ph.label.as_str(), iso(ph.dates.end), ph.line))
            .collect();
        assert_eq!(
            rows,
            [
                ("Kick-off", s("2025-03-12"), 5),
                ("Build", s("2025-04-24"), 6),
                ("Launch", None, 7)
            ]
        );
        assert_eq!(
            p.phases[0].status,
            crate::model::plan::PhaseStatus::Complete
        );
        assert_eq!(p.tables.len(), 1, "the table is kept");
    }

    #[test]
    fn a_period_in_prose_points_at_its_line() {
        let p = plan("# P\n\nWe will plan it. We will aim high.\n\nIn the second half of 2024 we will build it; we will ship it.\n");
        assert_eq!(iso(p.schedule.start), s("2024-07-01"));
        assert_eq!(p.schedule.start_line, Some(5));
        assert_eq!(iso(p.schedule.end), s("2024-12-31"));
    }

    #[test]
    fn a_schedule_row_gives_its_status_to_a_phase_without_tasks() {
        let p = plan("# P\n\n| Phase | Due | Status |\n| --- | --- | --- |\n| Phase 1 | 2025-03-07 | Done |\n| Phase 2 | 2025-04-04 | Done |\n\n## Phase 1: Survey\n\nNo tasks here.\n\n## Phase 2: Build\n\n- [ ] weld\n");
        use crate::model::plan::PhaseStatus::*;
        let got: Vec<_> = p
            .phases
            .iter()
            .map(|ph| (ph.status, ph.status_stated))
            .collect();
        assert_eq!(
            got,
            [(Complete, true), (NotStarted, true)],
            "tasks outrank the row"
        );
    }

    #[test]
    fn bare_numbers_in_a_schedule_table_are_named_by_their_column() {
        let p = plan("# P\n\n| Month | Target Date |\n| --- | --- |\n| 1 | 2025-07-02 |\n| 2 | 2025-08-02 |\n\n## Month 1: Setup\n\n- [ ] a\n\n## Month 2: Helpers v0.1\n\n- [ ] b\n");
        let ends: Vec<Option<String>> = p.phases.iter().map(|ph| iso(ph.dates.end)).collect();
        assert_eq!(ends, [s("2025-07-02"), s("2025-08-02")]);
        assert!(
            !p.diagnostics
                .iter()
                .any(|d| d.message.contains("schedule row")),
            "{:?}",
            p.diagnostics
        );
    }

    #[test]
    fn a_table_without_dates_is_not_a_schedule() {
        let p = plan("# P\n\n| Item | Date |\n| --- | --- |\n| a | soon |\n| b | later |\n");
        assert!(p.phases.is_empty());
    }

    #[test]
    fn document_date_is_not_the_period() {
        let p = plan("# P\n\n**Date:** March 3, 2025\n");
        assert_eq!(p.schedule.start, None);
    }
}
