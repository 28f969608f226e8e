//! Budget by phase: the current figure against the original (or actual
//! against planned) for each phase, as horizontal bars so that twelve
//! phases with long names stay readable.

use super::svg::{currency_symbol, label, money_axis, SERIES_1, SERIES_2};
use super::{
    draw_both, draw_with_legend, legend_height, phase_name, publish, row_band, row_bar, row_chart,
    row_label, Chart, DataTable, Inset, Key, RowAxes,
};
use crate::model::plan::Plan;
use crate::parse::money::{Currency, Money};

struct Row {
    name: String,
    full: String,
    first: Option<Money>,
    second: Option<Money>,
}

pub fn chart(plan: &Plan) -> Option<Chart> {
    let (first_name, second_name, rows) = rows(plan)?;
    if rows.is_empty() {
        return None;
    }
    let currency = rows.iter().find_map(|r| r.first.or(r.second))?.currency;
    let symbol = currency_symbol(currency);
    // One axis, one currency: amounts in another are in the data table
    // only, never drawn against this axis or added into its totals.
    let in_currency = |m: Option<Money>| m.filter(|m| m.currency == currency);
    let amounts = || {
        rows.iter()
            .flat_map(|r| [r.first, r.second])
            .filter_map(in_currency)
            .map(|m| m.major())
    };
    let max = amounts().fold(0.0f64, f64::max).max(1.0);
    // Negative amounts (credits) get their side of the axis.
    let min = amounts().fold(0.0f64, f64::min);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let band = 34u32;
    let two = second_name.is_some();
    let mut keys = vec![(first_name.as_str(), SERIES_1, Key::Swatch)];
    if let Some(second) = &second_name {
        keys.push((second.as_str(), SERIES_2, Key::Swatch));
    }
    let x_format = |v: &f64| money_axis(*v, &symbol);
    let axes = RowAxes {
        names: &names,
        x: min * 1.08..max * 1.08,
        x_labels: 6,
        x_format: &x_format,
        x_desc: String::new(),
        x_note: String::new(),
    };
    let raw = draw_both(|layout| {
        let key_height = legend_height(&keys, layout);
        let height = 70 + key_height + row_band(band, layout) * rows.len() as u32;
        draw_with_legend(layout, &keys, key_height, height, |_, root| {
            let mut chart = row_chart(root, &axes, layout)?;
            let count = rows.len();
            // Two bars share a row, the first above the second.
            let half = band / 2;
            let first_inset = if two {
                Inset {
                    top: 6,
                    bottom: half,
                }
            } else {
                Inset::even(8)
            }
            .under_name(layout);
            let second_inset = Inset {
                top: half,
                bottom: 6,
            }
            .under_name(layout);
            chart
                .draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
                    in_currency(r.first)
                        .map(|m| row_bar(i, count, 0.0..m.major(), SERIES_1, first_inset))
                }))
                .ok()?;
            if two {
                chart
                    .draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
                        in_currency(r.second)
                            .map(|m| row_bar(i, count, 0.0..m.major(), SERIES_2, second_inset))
                    }))
                    .ok()?;
            }
            Some(())
        })
    })?;
    let description = describe(&first_name, second_name.as_deref(), &rows, currency);
    Some(publish(
        "budget",
        "Budget by phase".to_string(),
        description,
        &raw,
        data_table(&first_name, second_name.as_deref(), &rows),
    ))
}

/// The chart in words: the totals of the series drawn (amounts in another
/// currency than the axis's left out).
fn describe(
    first_name: &str,
    second_name: Option<&str>,
    rows: &[Row],
    currency: Currency,
) -> String {
    let symbol = currency_symbol(currency);
    let total = |pick: fn(&Row) -> Option<Money>| {
        let sum = rows
            .iter()
            .filter_map(|r| pick(r).filter(|m| m.currency == currency))
            .map(|m| m.major())
            .sum::<f64>();
        money_axis(sum, &symbol)
    };
    match second_name {
        Some(second) => format!(
            "{} by phase for {} phases: {} {} in all, against {} {}.",
            first_name,
            rows.len(),
            total(|r| r.first),
            first_name.to_lowercase(),
            total(|r| r.second),
            second.to_lowercase()
        ),
        None => format!(
            "{} by phase for {} phases, {} in all.",
            first_name,
            rows.len(),
            total(|r| r.first)
        ),
    }
}

/// The figures drawn, as a table: each phase's amounts as written.
fn data_table(first_name: &str, second_name: Option<&str>, rows: &[Row]) -> DataTable {
    let mut columns = vec!["Phase".to_string(), first_name.to_string()];
    if let Some(second) = second_name {
        columns.push(second.to_string());
    }
    let numeric = columns.iter().enumerate().map(|(i, _)| i > 0).collect();
    let table = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.full.clone(),
                r.first.map(|m| m.display()).unwrap_or_default(),
            ];
            if second_name.is_some() {
                cells.push(r.second.map(|m| m.display()).unwrap_or_default());
            }
            cells
        })
        .collect();
    DataTable {
        columns,
        numeric,
        rows: table,
    }
}

/// The two series to compare, from the budget summary when it has them,
/// else the phase budget lines alone.
fn rows(plan: &Plan) -> Option<(String, Option<String>, Vec<Row>)> {
    if let Some(table) = &plan.budget.table {
        let find = |words: &[&str]| {
            table
                .columns
                .iter()
                .find(|c| {
                    crate::model::tables::is_summable(c) && c.split(' ').any(|w| words.contains(&w))
                })
                .cloned()
        };
        let pair = match (
            find(&["revised", "forecast"]),
            find(&["original"]),
            find(&["actual", "spent"]),
            find(&["planned", "plan", "budget"]),
        ) {
            (Some(current), Some(original), _, _) => Some((current, original)),
            (_, _, Some(actual), Some(planned)) => Some((planned, actual)),
            _ => table.current.clone().map(|c| (c, String::new())),
        };
        if let Some((first, second)) = pair {
            let rows: Vec<Row> = table
                .rows
                .iter()
                .map(|r| {
                    let phase = r.phase_index.and_then(|i| plan.phases.get(i));
                    let name = phase.map_or_else(|| label(&r.phase, 30), row_label);
                    let full = phase.map_or_else(|| r.phase.clone(), phase_name);
                    Row {
                        name,
                        full,
                        first: r.value(&first),
                        second: if second.is_empty() {
                            None
                        } else {
                            r.value(&second)
                        },
                    }
                })
                .collect();
            let second = (!second.is_empty()).then(|| capitalise(&second));
            return Some((capitalise(&first), second, rows));
        }
    }
    let rows: Vec<Row> = plan
        .phases
        .iter()
        .filter_map(|p| {
            let budget = p.budget.as_ref()?;
            Some(Row {
                name: row_label(p),
                full: phase_name(p),
                first: Some(budget.amount),
                second: None,
            })
        })
        .collect();
    Some(("Budget".to_string(), None, rows))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
