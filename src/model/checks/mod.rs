//! Consistency checks: the figures of a plan checked against each other.
//! Each disagreement is a warning at the line of the figure that disagrees,
//! with the column of that figure where it can be found. `budget` checks
//! money against money; `schedule` checks spans, metrics and criteria
//! against the phases.

mod budget;
mod schedule;

pub use budget::note_arithmetic;

use crate::diagnostic::{column_of, Diagnostic};
use crate::model::plan::Plan;
use crate::parse::money::Money;

/// Runs every check over a built plan; `file` names it in diagnostics and
/// `lines` are the lines of its decoded text.
pub fn check(plan: &Plan, file: &str, lines: &[&str]) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        lines,
        out: Vec::new(),
    };
    c.phase_budgets_against_table(plan);
    c.table_totals(plan);
    c.stated_figures(plan);
    c.change_and_variance_columns(plan);
    c.budget_arithmetic(plan);
    c.metrics_against_phases(plan);
    c.week_spans(plan);
    c.mixed_currencies(plan);
    c.sums_within_bound(plan);
    c.criteria_ahead_of_tasks(plan);
    c.out
}

pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) lines: &'a [&'a str],
    pub(super) out: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn warn(&mut self, line: usize, needle: &str, message: String) {
        let col = self
            .lines
            .get(line.wrapping_sub(1))
            .map_or(1, |l| column_of(l, needle));
        self.out
            .push(Diagnostic::warning(self.file, line, col, message));
    }

    /// Where `money` is written on `line`, for the column of a diagnostic:
    /// the digits as displayed, else the first digit of the amount.
    pub(super) fn money_text(&self, line: usize, money: Money) -> String {
        let shown = money.display();
        let digits = shown
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .to_string();
        match self.lines.get(line.wrapping_sub(1)) {
            Some(l) if l.contains(&digits) => digits,
            _ => shown,
        }
    }
}
