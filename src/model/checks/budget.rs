//! Budget checks: phase budget lines, the budget summary's rows, totals,
//! Change and Variance columns, stated figures, arithmetic in notes, and
//! currencies.

use super::Checker;
use crate::model::plan::{BudgetTable, Plan};
use crate::parse::money::{self, Currency, Money};
use regex::Regex;
use std::sync::LazyLock;

impl Checker<'_> {
    pub(super) fn phase_budgets_against_table(&mut self, plan: &Plan) {
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

    pub(super) fn table_totals(&mut self, plan: &Plan) {
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
    pub(super) fn stated_figures(&mut self, plan: &Plan) {
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
        if let Some(total) = current_total {
            self.stated_totals(plan, total);
        }
    }

    /// The totals stated outside the facts against the total of the plan:
    /// an amount under a `Total Budget` heading, and front matter `budget:`.
    fn stated_totals(&mut self, plan: &Plan, total: Money) {
        // A total stated outside the facts (an amount under a `Total
        // Budget` heading): the facts are checked by `stated_figures`, the
        // front matter below.
        if let Some(stated) = plan.budget.total {
            let from_fact = plan.facts.iter().any(|f| f.line == stated.line);
            let from_front_matter = plan.meta.budget == Some(stated.amount);
            if !from_fact
                && !from_front_matter
                && stated.currency == total.currency
                && stated.amount != total
            {
                let needle = self.money_text(stated.line, stated.amount);
                self.warn(
                    stated.line,
                    &needle,
                    format!(
                        "the plan states a total of {} but the total of the plan is {total}",
                        stated.amount
                    ),
                );
            }
        }
        if let Some(stated) = plan.meta.budget {
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

    pub(super) fn change_and_variance_columns(&mut self, plan: &Plan) {
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

    pub(super) fn budget_arithmetic(&mut self, plan: &Plan) {
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

    /// A summable column whose rows add up to more than the bound: its
    /// total is left out everywhere, with a warning at the row where the
    /// sum went past it.
    pub(super) fn sums_within_bound(&mut self, plan: &Plan) {
        let Some(table) = &plan.budget.table else {
            return;
        };
        for column in table
            .columns
            .iter()
            .filter(|c| crate::model::tables::is_summable(c))
        {
            let rows: Vec<(usize, Money)> = table
                .rows
                .iter()
                .filter_map(|r| r.value(column).map(|m| (r.line, m)))
                .collect();
            if let Err(money::SumError::TooLarge { at }) =
                money::checked_sum(rows.iter().map(|(_, m)| *m))
            {
                let Some(&(line, amount)) = rows.get(at) else {
                    continue;
                };
                let needle = self.money_text(line, amount);
                let what = format!("the rows of the `{column}` column");
                self.warn(line, &needle, crate::model::build::too_large_sum(&what));
            }
        }
    }

    pub(super) fn mixed_currencies(&mut self, plan: &Plan) {
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
}

/// A row's amounts by column.
type Amounts = Vec<(String, Option<Money>)>;

/// A column's rows added up: `None` in several currencies or beyond the
/// bound (`sums_within_bound` warns about that).
pub(super) fn column_sum(table: &BudgetTable, column: &str) -> Option<Money> {
    money::checked_sum(table.rows.iter().filter_map(|r| r.value(column)))
        .ok()
        .flatten()
}

pub(super) fn difference(a: Money, b: Money) -> Option<Money> {
    a.checked_sub(b)
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
                let scale = 10i128.checked_pow(decimals);
                let digits = text.replace('.', "").parse::<i128>().ok();
                let next = digits
                    .and_then(|d| factor.checked_mul(d))
                    .zip(scale.and_then(|s| factor_scale.checked_mul(s)));
                match next {
                    Some((next_factor, next_scale)) => {
                        factor = next_factor;
                        factor_scale = next_scale;
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            } else {
                ok = false;
                break;
            }
        }
        if let (true, Some(price)) = (ok, product) {
            // A product beyond the bound (or past what an i128 holds) is
            // not checked: no figure is better than a wrong one.
            let product = i128::from(price.minor)
                .checked_mul(factor)
                .map(|m| m / factor_scale.max(1))
                .and_then(|minor| Money::bounded(minor, price.currency));
            if let Some(product) = product {
                out.push((clause.to_string(), product));
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
