//! Schedule as of a date: overdue tasks and milestones, planned value,
//! earned value and the schedule performance index (when the plan has a
//! `start`, or its phases have stated dates), actual
//! cost, the cost performance index and the estimate at completion (when
//! the budget summary has an Actual or Spent column), and the red / amber
//! / green status with its reason.
//!
//! Planned value counts each phase's budget in proportion to the part of
//! its calendar span that has passed; earned value counts it in proportion
//! to its tasks done (a phase without tasks earns nothing). Without a
//! start date nothing is placed on the calendar and nothing is invented.
//! Sums are checked: a figure beyond the money bound (`MAX_MAJOR`) is
//! left out, and so is everything computed from it. A budgeted phase whose
//! span could not be read leaves the planned value (and the SPI) out.

use super::Derived;
use crate::config::Thresholds;
use crate::model::plan::{Phase, PhaseStatus, Plan, Progress, Task};
use crate::parse::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// The red / amber / green status; on pages and in themes by its
/// lower-case name (`green`, `amber`, `red`, `unrated`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
    /// Neither dates nor actual costs: nothing to rate the plan on.
    #[default]
    Unrated,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
            Rag::Unrated => "Not rated",
        }
    }
}

/// An open task in a phase whose end date has passed, or a milestone (a
/// phase without tasks whose status the plan states) not done by its date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    pub phase: String,
    pub text: String,
    pub line: usize,
    /// True for a milestone: the phase itself is late, not one of its tasks.
    pub milestone: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// True when some phase has calendar dates.
    pub dated: bool,
    pub overdue: Vec<Overdue>,
    pub planned_value: Option<Money>,
    pub earned_value: Option<Money>,
    pub spi: Option<f64>,
    pub actual_cost: Option<Money>,
    pub cpi: Option<f64>,
    pub estimate_at_completion: Option<Money>,
    pub rag: Rag,
    pub reason: String,
}

pub fn schedule(plan: &Plan, derived: &Derived, thresholds: &Thresholds) -> Schedule {
    let as_of = derived.as_of;
    let dated = derived.dates.iter().any(Option::is_some);
    let currency = plan
        .phases
        .iter()
        .find_map(|p| p.budget.as_ref())
        .map(|b| b.currency);
    let mut overdue = Vec::new();
    // In minor units; `None` once a sum is past the bound.
    let (mut planned, mut earned) = (Some(0i128), Some(0i128));
    for (phase, dates) in plan.phases.iter().zip(&derived.dates) {
        if let Some((_, end)) = dates.filter(|(_, end)| *end < as_of) {
            overdue_in(phase, end, &mut overdue);
        }
        let Some(budget) = phase
            .budget
            .as_ref()
            .filter(|b| Some(b.currency) == currency)
        else {
            continue;
        };
        // In whole minor units: an amount near the bound has more of them
        // than an f64 holds exactly (its share came out cents off). The
        // products are far from i128's limits.
        let amount = i128::from(budget.amount.minor);
        earned = earned.map(|e| e + earned_share(amount, phase.progress));
        if phase.span.is_none() && dates.is_none() {
            // A budget whose span could not be read has no place on the
            // calendar: the planned value would be short of it.
            planned = None;
        }
        if let Some((start, end)) = dates {
            let span = end.signed_duration_since(*start).num_days() + 1;
            let passed = (as_of.signed_duration_since(*start).num_days() + 1).clamp(0, span);
            let part = divide_rounded(amount * i128::from(passed), i128::from(span));
            planned = planned.map(|p| p + part);
        }
    }
    let money = |minor: Option<i128>| Money::bounded(minor?, currency?);
    let planned_value = if dated { money(planned) } else { None };
    let earned_value = money(earned);
    let earned = earned_value.map_or(0, |e| e.minor);
    let spi = planned_value
        .filter(|pv| pv.minor > 0)
        .filter(|_| earned_value.is_some())
        .map(|pv| earned as f64 / pv.minor as f64);
    let actual_cost = derived
        .budget
        .actual
        .filter(|a| Some(a.currency) == currency);
    let cpi = actual_cost
        .filter(|ac| ac.minor > 0)
        .filter(|_| earned_value.is_some())
        .map(|ac| earned as f64 / ac.minor as f64);
    let estimate_at_completion = match (derived.budget.current, actual_cost, cpi) {
        (Some(bac), Some(ac), Some(cpi)) if cpi > 0.0 && Some(bac.currency) == currency => {
            estimate(bac, ac, earned)
        }
        _ => None,
    };
    let (rag, reason) = rate(dated, &overdue, spi, cpi, thresholds);
    Schedule {
        dated,
        overdue,
        planned_value,
        earned_value,
        spi,
        actual_cost,
        cpi,
        estimate_at_completion,
        rag,
        reason,
    }
}

/// The part of `amount` the tasks done have earned.
fn earned_share(amount: i128, progress: Progress) -> i128 {
    if progress.total > 0 {
        divide_rounded(amount * progress.done as i128, progress.total as i128)
    } else {
        0
    }
}

/// Budget ÷ CPI: beyond the bound when little is earned, then left out.
/// Computed as budget × actual ÷ earned (`earned` in minor units, not zero)
/// in whole minor units.
fn estimate(budget: Money, actual: Money, earned: i64) -> Option<Money> {
    let minor = divide_rounded(
        i128::from(budget.minor) * i128::from(actual.minor),
        earned.into(),
    );
    Money::bounded(minor, budget.currency)
}

/// `n ÷ d` rounded to the nearest whole, halves away from zero (as
/// `f64::round`); `d` is positive.
fn divide_rounded(n: i128, d: i128) -> i128 {
    let (quotient, remainder) = (n / d, n % d);
    if 2 * remainder.abs() >= d {
        quotient + n.signum()
    } else {
        quotient
    }
}

/// What is overdue in a phase past its `end`: its open tasks, and the phase
/// itself when it is a late milestone.
fn overdue_in(phase: &Phase, end: NaiveDate, out: &mut Vec<Overdue>) {
    for task in phase.tasks() {
        open_tasks(task, &phase.label, out);
    }
    if late_milestone(phase) {
        out.push(Overdue {
            phase: phase.label.clone(),
            text: format!(
                "Milestone due {end}, marked {}",
                phase.status.label().to_lowercase()
            ),
            line: phase.dates.end_line.unwrap_or(phase.line),
            milestone: true,
        });
    }
}

/// A phase without tasks whose stated status is not complete: the plan
/// says it is not done, so past its end it is late. A phase that states no
/// status says nothing either way and is never counted.
fn late_milestone(phase: &Phase) -> bool {
    phase.progress.total == 0 && phase.status_stated && phase.status != PhaseStatus::Complete
}

fn open_tasks(task: &Task, phase: &str, out: &mut Vec<Overdue>) {
    if !task.done && task.state != crate::model::plan::TaskState::Skipped {
        out.push(Overdue {
            phase: phase.to_string(),
            text: task.text.clone(),
            line: task.line,
            milestone: false,
        });
    }
    for sub in &task.subtasks {
        open_tasks(sub, phase, out);
    }
}

/// What is overdue, in words: tasks by phase, then milestones.
fn overdue_text(overdue: &[Overdue]) -> String {
    let (milestones, tasks): (Vec<&Overdue>, Vec<&Overdue>) =
        overdue.iter().partition(|o| o.milestone);
    let mut parts = Vec::new();
    if !tasks.is_empty() {
        let mut phases: Vec<&str> = tasks.iter().map(|o| o.phase.as_str()).collect();
        phases.dedup();
        parts.push(format!(
            "{} task{} overdue in {}",
            tasks.len(),
            if tasks.len() == 1 { "" } else { "s" },
            phases.join(", ")
        ));
    }
    if !milestones.is_empty() {
        let names: Vec<&str> = milestones.iter().map(|o| o.phase.as_str()).collect();
        parts.push(format!(
            "{} milestone{} overdue: {}",
            milestones.len(),
            if milestones.len() == 1 { "" } else { "s" },
            names.join(", ")
        ));
    }
    parts.join("; ")
}

/// The documented rules: red when any red rule holds, else amber when any
/// amber rule holds, else green; the reason names every rule that fired.
fn rate(
    dated: bool,
    overdue: &[Overdue],
    spi: Option<f64>,
    cpi: Option<f64>,
    t: &Thresholds,
) -> (Rag, String) {
    if !dated && cpi.is_none() {
        return (
            Rag::Unrated,
            "no start date and no actual costs: dates are unknown, so the schedule is not rated"
                .into(),
        );
    }
    let mut red = Vec::new();
    let mut amber = Vec::new();
    if !overdue.is_empty() {
        let text = overdue_text(overdue);
        if overdue.len() >= t.overdue_red {
            red.push(text);
        } else if overdue.len() >= t.overdue_amber {
            amber.push(text);
        }
    }
    for (name, value, amber_at, red_at) in [
        ("SPI", spi, t.spi_amber, t.spi_red),
        ("CPI", cpi, t.cpi_amber, t.cpi_red),
    ] {
        let Some(value) = value else { continue };
        let text = format!("{name} {value:.2}");
        if value < red_at {
            red.push(text);
        } else if value < amber_at {
            amber.push(text);
        }
    }
    let undated = if dated {
        ""
    } else {
        "; dates unknown (no start date)"
    };
    if !red.is_empty() {
        red.extend(amber);
        return (Rag::Red, format!("{}{undated}", red.join("; ")));
    }
    if !amber.is_empty() {
        return (Rag::Amber, format!("{}{undated}", amber.join("; ")));
    }
    let mut fine = Vec::new();
    if !overdue.is_empty() {
        // Below the amber threshold, but still said: "no task overdue"
        // would be false.
        fine.push(overdue_text(overdue));
    } else if dated {
        fine.push("no task overdue".to_string());
    }
    if let Some(spi) = spi {
        fine.push(format!("SPI {spi:.2}"));
    }
    if let Some(cpi) = cpi {
        fine.push(format!("CPI {cpi:.2}"));
    }
    (Rag::Green, format!("{}{undated}", fine.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_rounds_halves_away_from_zero_as_f64_round_does() {
        for (n, d) in [
            (5, 2),
            (-5, 2),
            (7, 3),
            (-7, 3),
            (8, 3),
            (-8, 3),
            (0, 4),
            (6, 3),
        ] {
            assert_eq!(
                divide_rounded(n, d),
                (n as f64 / d as f64).round() as i128,
                "{n}/{d}"
            );
        }
        // Exact where an f64 is not: a quadrillion dollars, all earned.
        let minor = 99_999_999_999_999_900i128;
        assert_eq!(divide_rounded(minor * 7, 7), minor);
    }
    use crate::model::from_text as plan;
    use chrono::NaiveDate;

    fn at(text: &str, date: (i32, u32, u32)) -> Schedule {
        let plan = plan(text);
        let as_of = NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("date");
        schedule(
            &plan,
            &super::super::derive(&plan, as_of),
            &Thresholds::default(),
        )
    }

    const PLAN: &str = "---\nstart: 2025-03-03\n---\n# P\n\n## Week 1-2: A\n\n**Budget:** $10,000\n\n- [x] a1\n- [ ] a2\n- [ ] a3\n- [ ] a4\n\n## Week 3-4: B\n\n**Budget:** $10,000\n\n- [ ] b1\n- [ ] b2\n";

    #[test]
    fn overdue_tasks_spi_and_status() {
        // 21 March: week 3 (17-23 March) is under way; Week 1-2 ended 16 March.
        let s = at(PLAN, (2025, 3, 21));
        assert!(s.dated);
        let overdue: Vec<(&str, usize)> = s
            .overdue
            .iter()
            .map(|o| (o.text.as_str(), o.line))
            .collect();
        assert_eq!(overdue, [("a2", 11), ("a3", 12), ("a4", 13)]);
        // Planned: all of A ($10,000) and 5 of B's 14 days ($3,571.43).
        assert_eq!(s.planned_value.map(|m| m.minor), Some(1_357_143));
        // Earned: A is 1/4 done ($2,500), B nothing.
        assert_eq!(s.earned_value.map(|m| m.minor), Some(250_000));
        assert_eq!(s.spi.map(|v| (v * 100.0).round()), Some(18.0));
        assert_eq!(s.rag, Rag::Red);
        assert_eq!(s.reason, "SPI 0.18; 3 tasks overdue in Week 1-2");
        assert_eq!(s.cpi, None);
    }

    #[test]
    fn overdue_below_the_amber_threshold_is_green_and_said() {
        // Only the overdue rule may fire: three tasks, under five.
        let t = Thresholds {
            overdue_amber: 5,
            spi_amber: 0.0,
            spi_red: 0.0,
            ..Thresholds::default()
        };
        let plan = plan(PLAN);
        let as_of = NaiveDate::from_ymd_opt(2025, 3, 17).expect("date");
        let derived = crate::derive::derive(&plan, as_of);
        let s = schedule(&plan, &derived, &t);
        assert_eq!(s.rag, Rag::Green);
        assert_eq!(s.overdue.len(), 3);
        assert!(
            s.reason.starts_with("3 tasks overdue in Week 1-2"),
            "{}",
            s.reason
        );
        assert!(!s.reason.contains("no task overdue"), "{}", s.reason);
    }

    #[test]
    fn before_the_start_nothing_is_due() {
        let s = at(PLAN, (2025, 3, 1));
        assert!(s.overdue.is_empty());
        assert_eq!(s.planned_value.map(|m| m.minor), Some(0));
        assert_eq!(s.spi, None);
        assert_eq!((s.rag, s.reason.as_str()), (Rag::Green, "no task overdue"));
    }

    #[test]
    fn actual_costs_give_cpi_and_an_estimate_at_completion() {
        let text = format!("{PLAN}\n| Phase | Budget | Actual |\n|---|---|---|\n| Week 1-2 | $10,000 | $5,000 |\n| Week 3-4 | $10,000 | — |\n| Total | $20,000 | $5,000 |\n");
        let s = at(&text, (2025, 3, 7));
        assert_eq!(s.actual_cost.map(|m| m.minor), Some(500_000));
        assert_eq!(s.cpi, Some(0.5));
        assert_eq!(s.estimate_at_completion.map(|m| m.minor), Some(4_000_000));
        assert_eq!(s.rag, Rag::Red);
        assert!(s.reason.contains("CPI 0.50"), "{}", s.reason);
    }

    #[test]
    fn without_a_start_date_nothing_is_invented() {
        let s = at(
            "# P\n\n## Week 1: A\n\n**Budget:** $1,000\n\n- [ ] t\n",
            (2030, 1, 1),
        );
        assert!(!s.dated);
        assert!(s.overdue.is_empty() && s.planned_value.is_none() && s.spi.is_none());
        assert_eq!(s.rag, Rag::Unrated);
        assert!(s.reason.contains("dates are unknown"));
    }

    #[test]
    fn a_budgeted_phase_without_a_span_leaves_planned_value_out() {
        let text = PLAN.replace("## Week 3-4: B", "## Week 4-3: B");
        let s = at(&text, (2025, 3, 21));
        assert!(s.dated);
        assert_eq!(s.planned_value, None);
        assert_eq!(s.spi, None);
        assert_eq!(s.earned_value.map(|m| m.minor), Some(250_000));
    }

    #[test]
    fn thresholds_come_from_the_site() {
        let plan = plan(PLAN);
        let as_of = NaiveDate::from_ymd_opt(2025, 3, 18).expect("date");
        let lenient = Thresholds {
            spi_amber: 0.1,
            spi_red: 0.05,
            overdue_amber: 10,
            overdue_red: 20,
            ..Thresholds::default()
        };
        let s = schedule(&plan, &super::super::derive(&plan, as_of), &lenient);
        assert_eq!(s.rag, Rag::Green, "{}", s.reason);
    }
}
