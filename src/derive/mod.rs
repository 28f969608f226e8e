//! Derive: what the model implies as of a date: the current or next phase,
//! calendar dates of phases (the model's stated or derived dates, else
//! from the plan's `start`), the budget figures
//! a reader compares (current against original, actual), and the planned
//! and earned value per week. Pure functions of a `Plan` and a date.
//!
//! Nothing here walks a span one unit at a time: working days are counted
//! in whole weeks plus the rest, and the value series has one point per
//! phase boundary, so the cost follows the number of phases, never the
//! length of the plan. Dates use chrono's checked arithmetic: a date past
//! its range is no date. Money sums are checked (`Money::checked_sum`): a
//! sum beyond the bound is no figure.

pub mod diff;
pub mod forecast;
pub mod schedule;
pub mod slips;
pub mod week;

use crate::model::plan::{Phase, PhaseStatus, Plan};
use crate::parse::money::{checked_sum, Money};
use crate::parse::span::{Span, Unit};
use crate::parse::status::Status;
use chrono::NaiveDate;

/// What a plan means as of a date.
#[derive(Debug, Clone)]
pub struct Derived {
    pub as_of: NaiveDate,
    /// Index of the phase under way (by date when known, else the first
    /// phase that is in progress).
    pub current: Option<usize>,
    /// Index of the next phase not started, when none is under way.
    pub next: Option<usize>,
    /// Calendar dates of each phase (first and last day), when `start` is
    /// known and the phase counts in weeks or days.
    pub dates: Vec<Option<(NaiveDate, NaiveDate)>>,
    /// The plan's length in weeks, from its week spans.
    pub weeks: Option<u32>,
    /// Where the as-of date falls, in (fractional) plan weeks, when dated.
    pub as_of_week: Option<f64>,
    pub budget: BudgetFigures,
    pub open_risks: usize,
}

/// The budget figures a reader compares.
#[derive(Debug, Clone, Default)]
pub struct BudgetFigures {
    /// The budget now: the summary's current column total, else the sum of
    /// the phase budget lines.
    pub current: Option<Money>,
    /// The original budget, when the summary has an Original column.
    pub original: Option<Money>,
    /// Spent so far, when the summary has an Actual or Spent column.
    pub actual: Option<Money>,
}

pub fn derive(plan: &Plan, as_of: NaiveDate) -> Derived {
    // Front matter `start`, else a start the plan states in its text.
    let stated = (!plan.schedule.from_phases)
        .then(|| plan.schedule.first())
        .flatten();
    let start = plan.meta.start.or(stated);
    // The model's dates (stated, or derived from the spans); a phase with
    // only a due date sits on that day.
    let dates: Vec<Option<(NaiveDate, NaiveDate)>> = plan
        .phases
        .iter()
        .map(|p| {
            let (first, last) = (p.dates.first(), p.dates.last());
            match (first, last) {
                (Some(first), Some(last)) => Some((first, last)),
                (None, Some(last)) => Some((last, last)),
                _ => start.and_then(|s| phase_dates(p, s)),
            }
        })
        .collect();
    let by_date = dates
        .iter()
        .position(|d| d.is_some_and(|(from, to)| from <= as_of && as_of <= to));
    let current = by_date.or_else(|| {
        plan.phases
            .iter()
            .position(|p| p.status == PhaseStatus::InProgress)
    });
    let next = match current {
        Some(_) => None,
        None => plan
            .phases
            .iter()
            .position(|p| p.status == PhaseStatus::NotStarted),
    };
    let weeks = plan
        .phases
        .iter()
        .filter_map(|p| p.span)
        .filter(|s| s.unit == Unit::Week)
        .map(|s| s.end)
        .max();
    let as_of_week = start.map(|s| as_of.signed_duration_since(s).num_days() as f64 / 7.0 + 1.0);
    Derived {
        as_of,
        current,
        next,
        dates,
        weeks,
        as_of_week,
        budget: budget_figures(plan),
        open_risks: plan
            .risks
            .iter()
            .filter(|r| !r.status.is_some_and(|s| s == Status::Done))
            .count(),
    }
}

/// First and last day of a phase: its span counted from `start`
/// (`Span::days_from`).
pub fn phase_dates(phase: &Phase, start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    phase.span?.days_from(start)
}

/// The budget figures of a plan (no date needed).
pub fn budget_figures(plan: &Plan) -> BudgetFigures {
    let Some(table) = &plan.budget.table else {
        return BudgetFigures {
            current: plan.budget.phases_total,
            ..BudgetFigures::default()
        };
    };
    let total_of = |words: &[&str]| -> Option<Money> {
        let column = table.columns.iter().find(|c| {
            crate::model::tables::is_summable(c) && c.split(' ').any(|w| words.contains(&w))
        })?;
        let stated = table
            .total
            .as_ref()
            .and_then(|t| t.iter().find(|(k, _)| k == column))
            .and_then(|(_, m)| *m);
        stated.or_else(|| {
            checked_sum(table.rows.iter().filter_map(|r| r.value(column)))
                .ok()
                .flatten()
        })
    };
    let current = table
        .current
        .as_deref()
        .and_then(|c| total_of(&[c.split(' ').next_back().unwrap_or(c)]))
        .or(plan.budget.phases_total);
    let original = total_of(&["original"]).filter(|o| Some(*o) != current);
    BudgetFigures {
        current,
        original,
        actual: total_of(&["actual", "spent"]),
    }
}

/// Planned and earned value at the end of the weeks where the planned
/// curve bends (the first week, and the week before each phase starts and
/// the week it ends): each phase's budget spread evenly over its weeks,
/// earned in proportion to its tasks done. Between two of these weeks the
/// curve is a straight line, so these points draw it whole; there is one
/// per phase boundary, however many weeks the plan spans. `None` when the
/// plan has no week spans with budgets.
pub fn value_by_week(plan: &Plan) -> Option<Vec<(u32, f64, f64)>> {
    let phases: Vec<(Span, &Phase)> = plan
        .phases
        .iter()
        .filter(|p| p.budget.is_some())
        .filter_map(|p| p.span.filter(|s| s.unit == Unit::Week).map(|s| (s, p)))
        .collect();
    let currency = phases.first()?.1.budget.as_ref()?.currency;
    let first = phases.iter().map(|(s, _)| s.start).min()?;
    let last = phases.iter().map(|(s, _)| s.end).max()?;
    // (week, change in planned per week, change in earned per week) after
    // the end of that week.
    let mut bends: Vec<(i64, f64, f64)> = vec![(i64::from(first), 0.0, 0.0)];
    for (span, phase) in &phases {
        let (start, end) = (i64::from(span.start) - 1, i64::from(span.end));
        match phase.budget.as_ref().filter(|b| b.currency == currency) {
            Some(budget) => {
                let rate = budget.amount.major() / f64::from(span.units());
                let done = phase.progress.percent().unwrap_or(0.0) / 100.0;
                bends.push((start, rate, rate * done));
                bends.push((end, -rate, -rate * done));
            }
            None => bends.push((end, 0.0, 0.0)),
        }
    }
    bends.sort_by_key(|(week, _, _)| *week);
    let mut out: Vec<(u32, f64, f64)> = Vec::new();
    let (mut planned, mut earned, mut planned_rate, mut earned_rate) = (0.0, 0.0, 0.0, 0.0);
    let mut at = bends.first()?.0;
    for (week, planned_change, earned_change) in bends {
        if week != at {
            let weeks = (week - at) as f64;
            planned += planned_rate * weeks;
            earned += earned_rate * weeks;
            at = week;
        }
        planned_rate += planned_change;
        earned_rate += earned_change;
        let Ok(week) = u32::try_from(week) else {
            continue;
        };
        if (first..=last).contains(&week) {
            match out.last_mut() {
                Some(point) if point.0 == week => *point = (week, planned, earned),
                _ => out.push((week, planned, earned)),
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::span::{week_start, working_day};
    use chrono::{Datelike, Days, Weekday};

    /// The `n`th working day counted one day at a time: the reference.
    fn working_day_by_days(start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = start;
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day = day.succ_opt()?;
        }
        let mut left = n.max(1) - 1;
        while left > 0 {
            day = day.succ_opt()?;
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        Some(day)
    }

    proptest::proptest! {
        /// Whole weeks plus the rest gives the day-by-day count, from any
        /// weekday (weekends too) and for any length up to the limit.
        #[test]
        fn working_days_match_the_day_by_day_count(
            offset in 0i64..20_000,
            n in 0u32..=Unit::Day.limit(),
        ) {
            let start = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date")
                + chrono::TimeDelta::days(offset);
            proptest::prop_assert_eq!(working_day(start, n), working_day_by_days(start, n));
        }

        /// At the end of chrono's range both give no date, never a panic.
        #[test]
        fn working_days_past_the_date_range_are_none(
            back in 0u64..40,
            n in 0u32..=Unit::Day.limit(),
        ) {
            let start = NaiveDate::MAX.checked_sub_days(Days::new(back)).expect("date");
            proptest::prop_assert_eq!(working_day(start, n), working_day_by_days(start, n));
        }

        /// The series from phase boundaries equals, at each of its weeks,
        /// the old week-by-week sum, and ends at the whole budget.
        #[test]
        fn value_series_matches_the_week_by_week_sum(
            phases in proptest::collection::vec((0u32..30, 0u32..6, 0u32..100_000, 0usize..4, 0usize..4), 1..8)
        ) {
            let mut text = String::from("# P\n\n");
            for (start, length, dollars, done, open) in &phases {
                text.push_str(&format!("## Week {start}-{}\n\n**Budget:** ${dollars}\n\n", start + length));
                for _ in 0..*done { text.push_str("- [x] d\n"); }
                for _ in 0..*open { text.push_str("- [ ] o\n"); }
                text.push('\n');
            }
            let plan = crate::model::from_text(&text);
            let series = value_by_week(&plan).expect("a series");
            let spans: Vec<(Span, f64, f64)> = plan
                .phases
                .iter()
                .filter_map(|p| {
                    let budget = p.budget.as_ref()?.amount.major();
                    let done = p.progress.percent().unwrap_or(0.0) / 100.0;
                    Some((p.span?, budget, done))
                })
                .collect();
            let week_by_week = |week: u32| {
                let (mut planned, mut earned) = (0.0, 0.0);
                for w in 0..=week {
                    for (span, budget, done) in &spans {
                        if span.start <= w && w <= span.end {
                            let share = budget / f64::from(span.units());
                            planned += share;
                            earned += share * done;
                        }
                    }
                }
                (planned, earned)
            };
            proptest::prop_assert!(series.len() <= 2 * spans.len() + 1);
            for (week, planned, earned) in &series {
                let (want_planned, want_earned) = week_by_week(*week);
                proptest::prop_assert!((planned - want_planned).abs() < 1e-6, "week {}: {} {}", week, planned, want_planned);
                proptest::prop_assert!((earned - want_earned).abs() < 1e-6, "week {}: {} {}", week, earned, want_earned);
            }
            let total: f64 = spans.iter().map(|(_, b, _)| b).sum();
            let last = series.last().expect("a point").1;
            proptest::prop_assert!((last - total).abs() < 1e-6);
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        let monday = NaiveDate::from_ymd_opt(2025, 3, 3).expect("date");
        assert_eq!(working_day(monday, 1), Some(monday));
        assert_eq!(working_day(monday, 6), NaiveDate::from_ymd_opt(2025, 3, 10));
        assert_eq!(week_start(monday, 0), NaiveDate::from_ymd_opt(2025, 2, 24));
        assert_eq!(week_start(monday, 3), NaiveDate::from_ymd_opt(2025, 3, 17));
    }
}
