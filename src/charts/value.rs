//! Planned against earned value: each phase's budget spread evenly over its
//! weeks gives the planned curve; the budget times the share of tasks done
//! gives the value earned to date, drawn as a level line. Where the planned
//! curve crosses it is the week the plan expected this much to be done.
//! The curve is drawn through the weeks where it bends (one per phase
//! boundary, see `derive::value_by_week`), and the data table lists those
//! weeks: between two of them the curve is a straight line.

use super::svg::{currency_symbol, money_axis, no_decimals, GOOD, SERIES_1, TEXT};
use super::{
    axes, draw_both, draw_with_legend, legend_height, publish, Chart, DataTable, Key, Layout,
    X_LABEL_AREA,
};
use crate::derive::{value_by_week, Derived};
use crate::model::plan::Plan;
use crate::parse::money::{Currency, Money};
use plotters::prelude::*;
use std::ops::Range;

pub fn chart(plan: &Plan, derived: &Derived) -> Option<Chart> {
    let series = value_by_week(plan)?;
    let currency = plan.phases.iter().find_map(|p| p.budget.as_ref())?.currency;
    let symbol = currency_symbol(currency);
    let first = series.first()?.0;
    let last = series.last()?.0;
    let max = series
        .iter()
        .map(|(_, p, _)| *p)
        .fold(0.0f64, f64::max)
        .max(1.0);
    // Negative budget lines (credits) can take the curve below zero: the
    // axis reaches down to it, so that no point falls far off the chart.
    let min = series
        .iter()
        .flat_map(|(_, p, e)| [*p, *e])
        .fold(0.0f64, f64::min);
    let marker = derived
        .as_of_week
        .filter(|w| *w >= f64::from(first) && *w <= f64::from(last) + 1.0);
    let y = min * 1.08..max * 1.08;
    let raw = draw_both(|layout| draw_curves(&series, y.clone(), marker, &symbol, layout))?;
    let (_, planned, earned_total) = *series.last()?;
    let earned = earned_total;
    let description = format!(
        "Cumulative planned budget over weeks {first} to {last} reaches {}; the value earned by the tasks done so far is {}.",
        money_axis(planned, &symbol),
        money_axis(earned_total, &symbol)
    );
    Some(publish(
        "value",
        "Planned and earned value".into(),
        description,
        &raw,
        data_table(&series, earned, currency),
    ))
}

/// Draws the planned curve, the level line of the value earned, and the
/// line at the as-of week (`marker`), over `y`, in `layout`.
fn draw_curves(
    series: &[(u32, f64, f64)],
    y: Range<f64>,
    marker: Option<f64>,
    symbol: &str,
    layout: Layout,
) -> Option<String> {
    let first = series.first()?.0;
    let last = series.last()?.0;
    // The narrow legend names the earned line only: the caption says how
    // it is worked out.
    let earned_key = match layout {
        Layout::Wide => "Earned to date (budget × tasks done)",
        Layout::Narrow => "Earned to date",
    };
    let mut keys = vec![
        ("Planned (cumulative)", SERIES_1, Key::Line),
        (earned_key, GOOD, Key::Line),
    ];
    if marker.is_some() {
        keys.push(("As of", TEXT, Key::Line));
    }
    let key_height = legend_height(&keys, layout);
    let (height, label_area) = match layout {
        Layout::Wide => (370, 64),
        Layout::Narrow => (250 + key_height, 56),
    };
    draw_with_legend(layout, &keys, key_height, height, |_, root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(label_area)
            .build_cartesian_2d(f64::from(first) - 0.5..f64::from(last) + 0.5, y.clone())
            .ok()?;
        let x_format = |v: &f64| {
            if v.fract() == 0.0 && *v >= 0.0 {
                no_decimals(*v)
            } else {
                String::new()
            }
        };
        let y_format = |v: &f64| money_axis(*v, symbol);
        let mesh = axes::Axes {
            x_labels: layout.ticks(((last - first + 1) as usize).min(12)),
            y_labels: layout.y_labels(),
            x_format: &x_format,
            y_format: &y_format,
            x_desc: Some("end of week"),
            y_desc: None,
            y_mesh: true,
            x_area: X_LABEL_AREA,
            y_area: label_area,
        };
        axes::draw(root, &chart, &mesh)?;
        chart
            .draw_series(LineSeries::new(
                series.iter().map(|(w, p, _)| (f64::from(*w), *p)),
                SERIES_1.stroke_width(3),
            ))
            .ok()?;
        // Earned value is one figure today, not a curve: a level line the
        // planned curve can be read against at the as-of date.
        let earned = series.last().map_or(0.0, |(_, _, e)| *e);
        chart
            .draw_series(LineSeries::new(
                [
                    (f64::from(first) - 0.5, earned),
                    (f64::from(last) + 0.5, earned),
                ],
                GOOD.stroke_width(3),
            ))
            .ok()?;
        if let Some(week) = marker {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(week, y.start), (week, y.end)],
                    TEXT.stroke_width(1),
                )))
                .ok()?;
        }
        Some(())
    })
}

/// The curve's weeks as a table, and the value earned to date.
fn data_table(series: &[(u32, f64, f64)], earned: f64, currency: Currency) -> DataTable {
    // A figure beyond the bound is shown empty, never clamped; so is one
    // past 2^52 minor units, where the series' f64 no longer holds the
    // cents (a week's figure came out cents off).
    let to_money = |v: f64| {
        let minor = (v * 10f64.powi(currency.exponent() as i32)).round();
        (minor.abs() <= (Money::max_minor(currency) as f64).min(4_503_599_627_370_496.0))
            .then(|| Money::bounded(minor as i128, currency))
            .flatten()
            .map(|m| m.display())
            .unwrap_or_default()
    };
    let mut rows: Vec<Vec<String>> = series
        .iter()
        .map(|(w, p, _)| vec![w.to_string(), to_money(*p)])
        .collect();
    rows.push(vec!["Earned to date".into(), to_money(earned)]);
    DataTable {
        columns: vec!["Week".into(), "Planned (cumulative)".into()],
        numeric: vec![true, true],
        rows,
    }
}
