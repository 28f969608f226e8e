//! Consistency checks: the figures of a plan checked against each other.
//! Each disagreement is a warning at the line of the figure that disagrees,
//! with the column of that figure where it can be found.

use crate::diagnostic::{column_of, Diagnostic};
use crate::model::plan::{BudgetTable, Phase, PhaseStatus, Plan};
use crate::model::tables::match_phase;
use crate::parse::money::{self, Currency, Money};
use crate::parse::span::{parse_cell, Unit};
use crate::parse::status::Status;
use regex::Regex;
use std::sync::LazyLock;

/// Runs every check over a built plan; `file` names it in diagnostics and
/// `text` is its decoded text.
pub fn check(plan: &Plan, file: &str, text: &str) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        lines: text.lines().collect(),
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
    c.criteria_ahead_of_tasks(plan);
    c.out
}

struct Checker<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn warn(&mut self, line: usize, needle: &str, message: String) {
        let col = self
            .lines
            .get(line.wrapping_sub(1))
            .map_or(1, |l| column_of(l, needle));
        self.out
            .push(Diagnostic::warning(self.file, line, col, message));
    }

    /// Where `money` is written on `line`, for the column of a diagnostic:
    /// the digits as displayed, else the first digit of the amount.
    fn money_text(&self, line: usize, money: Money) -> String {
        let shown = money.display();
        let digits = shown
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .to_string();
        match self.lines.get(line.wrapping_sub(1)) {
            Some(l) if l.contains(&digits) => digits,
            _ => shown,
        }
    }

    fn phase_budgets_against_table(&mut self, plan: &Plan) {
        let Some(table) = &plan.budget.table else {
            return;
        };
        let Some(current) = table.current.clone() else {
            return;
        };
        for row in &table.rows {
            let (Some(index), Some(in_table)) = (row.phase_index, row.value(&current)) else {
                continue;
            };
            let Some(budget) = plan.phases.get(index).and_then(|p| p.budget.as_ref()) else {
                continue;
            };
            if budget.amount != in_table {
                let needle = self.money_text(budget.line, budget.amount);
                self.warn(
                    budget.line,
                    &needle,
                    format!(
                        "{} budget is {} here but {} in the budget summary (line {}, column `{current}`)",
                        plan.phases[index].label, budget.amount, in_table, row.line
                    ),
                );
            }
        }
    }

    fn table_totals(&mut self, plan: &Plan) {
        let Some(table) = &plan.budget.table else {
            return;
        };
        let (Some(total), Some(total_line)) = (&table.total, table.total_line) else {
            return;
        };
        let mut row_sums_agree = true;
        for (column, stated) in total {
            let Some(stated) = stated else { continue };
            if !crate::model::tables::is_summable(column) {
                continue;
            }
            let Some(sum) = column_sum(table, column) else {
                continue;
            };
            if sum != *stated {
                row_sums_agree = false;
                let needle = self.money_text(total_line, *stated);
                self.warn(
                    total_line,
                    &needle,
                    format!("the `{column}` total is {stated} but its rows add up to {sum}"),
                );
            }
        }
        let current = table.current.as_deref();
        let stated_current = current
            .and_then(|c| total.iter().find(|(k, _)| k == c))
            .and_then(|(_, m)| *m);
        let every_phase_has_row = plan
            .phases
            .iter()
            .enumerate()
            .all(|(i, _)| table.rows.iter().any(|r| r.phase_index == Some(i)));
        if let (Some(phases_total), Some(stated), true, true) = (
            plan.budget.phases_total,
            stated_current,
            row_sums_agree,
            every_phase_has_row,
        ) {
            if phases_total != stated {
                let needle = self.money_text(total_line, stated);
                self.warn(total_line, &needle, format!("the budget summary total is {stated} but the phases' budget lines add up to {phases_total}"));
            }
        }
    }

    /// Figures stated in the facts (`Revised Timeline: 11 weeks ($50,400)`,
    /// `Additional Cost: $8,400`) and front matter `budget:`, against the
    /// budget summary or, without one, the phases.
    fn stated_figures(&mut self, plan: &Plan) {
        let table = plan.budget.table.as_ref();
        let total_of = |column: &str| -> Option<Money> {
            let table = table?;
            let key = table
                .columns
                .iter()
                .find(|c| c.split(' ').any(|w| w == column))?;
            table
                .total
                .as_ref()
                .and_then(|t| t.iter().find(|(k, _)| k == key))
                .and_then(|(_, m)| *m)
                .or_else(|| column_sum(table, key))
        };
        let current_total = table
            .and_then(|t| t.current.as_deref())
            .and_then(|c| total_of(c.split(' ').next().unwrap_or(c)))
            .or(plan.budget.phases_total);
        let first_phase = plan.phases.first().map_or(usize::MAX, |p| p.line);
        // A bare `Budget:` states the plan's total only in the opening
        // facts; under a later section it is that section's budget.
        let before_phases = |line: usize| line < first_phase;
        for fact in &plan.facts {
            let Some(money) = fact.money else { continue };
            let key = fact.key.to_lowercase();
            let expected = if key.contains("original") {
                total_of("original").map(|m| ("the original total", m))
            } else if key.contains("revised") {
                total_of("revised")
                    .or(current_total)
                    .map(|m| ("the revised total", m))
            } else if ["additional", "change", "increase", "extra"]
                .iter()
                .any(|w| key.contains(w))
            {
                total_of("change")
                    .or_else(|| difference(total_of("revised")?, total_of("original")?))
                    .map(|m| ("the change in the budget summary", m))
            } else if key.contains("total") || (key == "budget" && before_phases(fact.line)) {
                current_total.map(|m| ("the total of the plan", m))
            } else {
                None
            };
            if let Some((what, expected)) = expected {
                if expected.currency == money.currency && expected != money {
                    let needle = self.money_text(fact.line, money);
                    self.warn(
                        fact.line,
                        &needle,
                        format!("{} states {money} but {what} is {expected}", fact.key),
                    );
                }
            }
        }
        if let (Some(stated), Some(total)) = (plan.meta.budget, current_total) {
            if stated.currency == total.currency && stated != total {
                let line = self
                    .lines
                    .iter()
                    .take_while(|l| !l.starts_with("budget"))
                    .count()
                    + 1;
                self.warn(
                    line,
                    "budget",
                    format!("front matter budget is {stated} but the plan's total is {total}"),
                );
            }
        }
    }

    fn change_and_variance_columns(&mut self, plan: &Plan) {
        let Some(table) = &plan.budget.table else {
            return;
        };
        let find = |words: &[&str]| {
            table
                .columns
                .iter()
                .find(|c| c.split(' ').any(|w| words.contains(&w)))
                .cloned()
        };
        let original = find(&["original"]);
        let revised = find(&["revised", "forecast"]);
        let change = find(&["change"]);
        let planned = find(&["planned", "plan", "budget"]);
        let actual = find(&["actual", "spent"]);
        let variance = find(&["variance"]);
        let mut rows: Vec<(usize, &str, Amounts)> = table
            .rows
            .iter()
            .map(|r| (r.line, r.phase.as_str(), r.values.clone()))
            .collect();
        if let (Some(total), Some(line)) = (&table.total, table.total_line) {
            rows.push((line, "Total", total.clone()));
        }
        let get = |values: &[(String, Option<Money>)], column: &Option<String>| {
            let column = column.as_ref()?;
            values
                .iter()
                .find(|(k, _)| k == column)
                .and_then(|(_, m)| *m)
        };
        for (line, phase, values) in &rows {
            if let (Some(o), Some(r), Some(c)) = (
                get(values, &original),
                get(values, &revised),
                get(values, &change),
            ) {
                if let Some(expected) = difference(r, o) {
                    if expected != c {
                        let needle = self.money_text(*line, c);
                        self.warn(
                            *line,
                            &needle,
                            format!(
                                "{phase}: change is {c} but revised minus original is {expected}"
                            ),
                        );
                    }
                }
            }
            if let (Some(p), Some(a), Some(v)) = (
                get(values, &planned),
                get(values, &actual),
                get(values, &variance),
            ) {
                if let Some(expected) = difference(a, p) {
                    if expected.minor.abs() != v.minor.abs() {
                        let needle = self.money_text(*line, v);
                        self.warn(
                            *line,
                            &needle,
                            format!(
                                "{phase}: variance is {v} but actual minus planned is {expected}"
                            ),
                        );
                    }
                }
            }
        }
    }

    fn budget_arithmetic(&mut self, plan: &Plan) {
        for phase in &plan.phases {
            let Some(budget) = &phase.budget else {
                continue;
            };
            let Some(note) = &budget.note else { continue };
            for (clause, product) in note_arithmetic(note, budget.currency) {
                if product.currency == budget.amount.currency && product != budget.amount {
                    self.warn(
                        budget.line,
                        &clause,
                        format!(
                            "{} budget is {} but its note says {clause} = {product}",
                            phase.label, budget.amount
                        ),
                    );
                }
            }
        }
    }

    fn metrics_against_phases(&mut self, plan: &Plan) {
        for metric in &plan.metrics {
            let Some(status) = metric.status else {
                continue;
            };
            let Some(when) = metric
                .get("week")
                .or_else(|| metric.get("phase"))
                .or_else(|| metric.get("sprint"))
            else {
                continue;
            };
            let index = parse_cell(when, Unit::Week)
                .and_then(|span| {
                    plan.phases.iter().position(|p| {
                        p.span.unit == span.unit
                            && p.span.start == span.start
                            && p.span.end == span.end
                    })
                })
                .or_else(|| match_phase(when, &plan.phases));
            let Some(phase) = index.and_then(|i| plan.phases.get(i)) else {
                continue;
            };
            let name = metric.get("metric").unwrap_or("metric");
            let open = phase.progress.total - phase.progress.done;
            if status == Status::Done && open > 0 {
                let status_text = metric.get("status").unwrap_or("");
                self.warn(
                    metric.line,
                    status_text,
                    format!(
                        "metric `{name}` is marked done but {} still has {open} open task(s)",
                        phase.label
                    ),
                );
            } else if matches!(status, Status::Pending | Status::InProgress)
                && phase.status == PhaseStatus::Complete
            {
                let status_text = metric.get("status").unwrap_or("");
                self.warn(
                    metric.line,
                    status_text,
                    format!(
                        "metric `{name}` is not marked done but every task of {} is done",
                        phase.label
                    ),
                );
            }
        }
    }

    fn week_spans(&mut self, plan: &Plan) {
        let weeks: Vec<&Phase> = plan
            .phases
            .iter()
            .filter(|p| p.span.unit == Unit::Week)
            .collect();
        for pair in weeks.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            if after.span.start <= before.span.end
                && !(before.span.end == 0 && after.span.start == 0)
            {
                self.warn(
                    after.line,
                    &after.label,
                    format!(
                        "{} overlaps {} (line {})",
                        after.label, before.label, before.line
                    ),
                );
            } else if after.span.start > before.span.end + 1 {
                let (from, to) = (before.span.end + 1, after.span.start - 1);
                let gap = if from == to {
                    format!("week {from} is")
                } else {
                    format!("weeks {from}-{to} are")
                };
                self.warn(
                    after.line,
                    &after.label,
                    format!(
                        "{gap} in no phase: {} ends in week {}, {} starts in week {}",
                        before.label, before.span.end, after.label, after.span.start
                    ),
                );
            }
        }
        let Some(last_week) = weeks.iter().map(|p| p.span.end).max() else {
            return;
        };
        for fact in &plan.facts {
            let key = fact.key.to_lowercase();
            let about_length = ["timeline", "duration", "length", "schedule"]
                .iter()
                .any(|w| key.contains(w));
            let other = ["original", "buffer", "previous", "old"]
                .iter()
                .any(|w| key.contains(w));
            if let (true, false, Some(stated)) = (about_length, other, fact.weeks) {
                if stated != last_week {
                    let needle = format!("{stated}");
                    self.warn(
                        fact.line,
                        &needle,
                        format!(
                            "{} states {stated} weeks but the phases run to week {last_week}",
                            fact.key
                        ),
                    );
                }
            }
        }
    }

    fn mixed_currencies(&mut self, plan: &Plan) {
        let mut seen: Vec<(Currency, usize, Money)> = Vec::new();
        let budgets = plan
            .phases
            .iter()
            .filter_map(|p| p.budget.as_ref().map(|b| (b.line, b.amount)));
        let cells = plan.budget.table.iter().flat_map(|t| {
            t.rows.iter().flat_map(|r| {
                r.values
                    .iter()
                    .filter_map(move |(_, m)| m.map(|m| (r.line, m)))
            })
        });
        for (line, money) in budgets.chain(cells) {
            if money.minor == 0 || seen.iter().any(|(c, _, _)| *c == money.currency) {
                continue;
            }
            if let Some((first, first_line, _)) = seen.first().copied() {
                let needle = self.money_text(line, money);
                self.warn(line, &needle, format!("{money} is in {}, but line {first_line} uses {first}: amounts in different currencies are not added up", money.currency));
            }
            seen.push((money.currency, line, money));
        }
    }

    /// Criteria marked met in a phase where no task is done yet.
    fn criteria_ahead_of_tasks(&mut self, plan: &Plan) {
        for phase in &plan.phases {
            if phase.progress.total == 0 || phase.progress.done > 0 {
                continue;
            }
            let met = criteria_met(phase);
            if let Some((count, line)) = met {
                self.warn(line, "", format!("{count} criteria of {} are marked met, but none of its {} tasks is done (if the mark is only a bullet, use a plain list)", phase.label, phase.progress.total));
            }
        }
    }
}

/// How many criteria of a phase are marked met, and the first list's line.
fn criteria_met(phase: &Phase) -> Option<(usize, usize)> {
    use crate::parse::status::CriterionStatus;
    let count = phase
        .criteria
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| i.status == CriterionStatus::Met)
        .count();
    let line = phase
        .criteria
        .iter()
        .find(|c| c.items.iter().any(|i| i.status == CriterionStatus::Met))?
        .line;
    (count > 0).then_some((count, line))
}

/// A row's amounts by column.
type Amounts = Vec<(String, Option<Money>)>;

fn column_sum(table: &BudgetTable, column: &str) -> Option<Money> {
    let mut values = table.rows.iter().filter_map(|r| r.value(column));
    let first = values.next()?;
    values.try_fold(first, |sum, m| {
        (m.currency == sum.currency)
            .then(|| Money::new(sum.minor.saturating_add(m.minor), sum.currency))
    })
}

fn difference(a: Money, b: Money) -> Option<Money> {
    (a.currency == b.currency).then(|| Money::new(a.minor.saturating_sub(b.minor), a.currency))
}

static OPERATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:@|×|\*|\bx\b|\bX\b)\s*").expect("valid regex"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?").expect("valid regex"));

/// Arithmetic stated in a budget note, clause by clause: `3 days @ $400/day`
/// is ("3 days @ $400/day", $1,200). Clauses are separated by `,` or `;`.
pub fn note_arithmetic(note: &str, currency: Currency) -> Vec<(String, Money)> {
    let dollar = money::dollar_for(Some(currency));
    let mut out = Vec::new();
    for clause in split_clauses(note) {
        let clause = clause.trim();
        let operands: Vec<&str> = OPERATOR.split(clause).collect();
        if operands.len() < 2 {
            continue;
        }
        let mut product: Option<Money> = None;
        let mut factor_scale: i128 = 1;
        let mut factor: i128 = 1;
        let mut ok = true;
        for operand in &operands {
            if let Some(found) = money::find_first(operand, dollar) {
                if product.is_some() {
                    ok = false;
                    break;
                }
                product = Some(found.money);
            } else if let Some(m) = NUMBER.find(operand) {
                let text = m.as_str();
                let decimals = text.split('.').nth(1).map_or(0, str::len) as u32;
                let digits: i128 = text.replace('.', "").parse().unwrap_or(1);
                factor = factor.saturating_mul(digits);
                factor_scale = factor_scale.saturating_mul(10i128.pow(decimals));
            } else {
                ok = false;
                break;
            }
        }
        if let (true, Some(price)) = (ok, product) {
            let minor = (price.minor as i128).saturating_mul(factor) / factor_scale.max(1);
            if let Ok(minor) = i64::try_from(minor) {
                out.push((clause.to_string(), Money::new(minor, price.currency)));
            }
        }
    }
    out
}

/// Splits at `,` and `;`, but not at a comma between digits (`$2,400`).
fn split_clauses(note: &str) -> Vec<&str> {
    let bytes = note.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let digit_comma = b == b','
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if (b == b',' || b == b';') && !digit_comma {
            parts.push(&note[start..i]);
            start = i + 1;
        }
    }
    parts.push(&note[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_in_notes() {
        let found = note_arithmetic("1 DevOps Engineer, 3 days @ $400/day", Currency::USD);
        assert_eq!(
            found,
            vec![(
                "3 days @ $400/day".to_string(),
                Money::new(120_000, Currency::USD)
            )]
        );
        let found = note_arithmetic("2 engineers x 4 weeks x $3,000", Currency::USD);
        assert_eq!(found[0].1, Money::new(2_400_000, Currency::USD));
        assert!(note_arithmetic("1 Backend + 1 DevOps", Currency::USD).is_empty());
        assert!(note_arithmetic("2 Backend + 1 DevOps + 1 QA", Currency::USD).is_empty());
    }
}
