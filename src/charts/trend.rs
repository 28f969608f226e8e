//! Trends over the weekly snapshots: a burn-up (tasks done against total
//! scope, so scope creep shows as the upper line rising) and the budget
//! total per week. Used per plan and, summed, for the portfolio.

use super::svg::{currency_symbol, money_axis, GOOD, SERIES_1};
use super::{
    draw_both, draw_with_legend, house_style, legend_height, publish, week_label, week_ticks,
    Chart, DataTable, Key, Layout,
};
use crate::parse::money::{Currency, Money};
use plotters::prelude::*;

/// One week of a trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// `2025-W10`.
    pub week: String,
    pub done: usize,
    pub total: usize,
    pub budget: Option<Money>,
}

/// Tasks done and total scope per week; `None` with fewer than two weeks.
pub fn burnup(points: &[TrendPoint], id: &str, title: &str) -> Option<Chart> {
    if points.len() < 2 {
        return None;
    }
    let max = points
        .iter()
        .map(|p| p.total.max(p.done))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let labels: Vec<String> = points.iter().map(|p| p.week.clone()).collect();
    let whole_number = |v: &f64| {
        if v.fract() == 0.0 {
            super::svg::no_decimals(*v)
        } else {
            String::new()
        }
    };
    let series = [
        (
            "Scope (all tasks)",
            SERIES_1,
            points.iter().map(|p| p.total as f64).collect(),
        ),
        ("Done", GOOD, points.iter().map(|p| p.done as f64).collect()),
    ];
    let raw =
        draw_both(|layout| line_chart(&labels, max, &whole_number, "tasks", &series, layout))?;
    let (first, last) = (points.first()?, points.last()?);
    let description = format!(
        "Tasks done and total scope over {} weeks, {} to {}: done went from {} to {}, scope from {} to {} tasks.",
        points.len(),
        first.week,
        last.week,
        first.done,
        last.done,
        first.total,
        last.total
    );
    let rows = points
        .iter()
        .map(|p| vec![p.week.clone(), p.done.to_string(), p.total.to_string()])
        .collect();
    Some(publish(
        id,
        title.to_string(),
        description,
        &raw,
        DataTable {
            columns: vec!["Week".into(), "Done".into(), "Scope".into()],
            numeric: vec![false, true, true],
            rows,
        },
    ))
}

/// The budget total per week, in one currency; `None` with fewer than two
/// weeks that state it.
pub fn budget_trend(points: &[TrendPoint], id: &str) -> Option<Chart> {
    let currency: Currency = points.iter().find_map(|p| p.budget.map(|m| m.currency))?;
    let known: Vec<&TrendPoint> = points
        .iter()
        .filter(|p| p.budget.is_some_and(|m| m.currency == currency))
        .collect();
    if known.len() < 2 {
        return None;
    }
    let symbol = currency_symbol(currency);
    let values: Vec<f64> = known
        .iter()
        .map(|p| p.budget.map_or(0.0, |m| m.major()))
        .collect();
    let max = values.iter().copied().fold(0.0f64, f64::max).max(1.0);
    let labels: Vec<String> = known.iter().map(|p| p.week.clone()).collect();
    let format = |v: &f64| money_axis(*v, &symbol);
    let series = [("Budget total", SERIES_1, values.clone())];
    let raw = draw_both(|layout| line_chart(&labels, max, &format, "", &series, layout))?;
    let description = format!(
        "The budget total over {} weeks: {} in {}, {} in {}.",
        known.len(),
        money_axis(values[0], &symbol),
        labels[0],
        money_axis(values[values.len() - 1], &symbol),
        labels[labels.len() - 1]
    );
    let rows = known
        .iter()
        .map(|p| {
            vec![
                p.week.clone(),
                p.budget.map(|m| m.display()).unwrap_or_default(),
            ]
        })
        .collect();
    Some(publish(
        id,
        "Budget over the weeks".into(),
        description,
        &raw,
        DataTable {
            columns: vec!["Week".into(), "Budget".into()],
            numeric: vec![false, true],
            rows,
        },
    ))
}

/// Lines over weekly categories, with markers, in the house style, in
/// `layout` (the narrow one names fewer weeks on its axis).
fn line_chart(
    labels: &[String],
    max: f64,
    y_format: &dyn Fn(&f64) -> String,
    y_desc: &str,
    series: &[(&str, RGBColor, Vec<f64>)],
    layout: Layout,
) -> Option<String> {
    let n = labels.len();
    let keys: Vec<(&str, RGBColor, Key)> = series
        .iter()
        .map(|(name, color, _)| (*name, *color, Key::Line))
        .collect();
    let key_height = legend_height(&keys, layout);
    let (height, label_area) = match layout {
        Layout::Wide => (360, 70),
        Layout::Narrow => (250 + key_height, 56),
    };
    draw_with_legend(layout, &keys, key_height, height, |_, root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(30)
            .x_label_area_size(40)
            .y_label_area_size(label_area)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..max * 1.1)
            .ok()?;
        let (step, ticks) = week_ticks(n, 8, layout);
        let x_format = |v: &f64| {
            let index = v.round();
            if (v - index).abs() > 0.01 || index < 0.0 || (index as usize) % step != 0 {
                return String::new();
            }
            labels
                .get(index as usize)
                .map(|week| week_label(week, layout))
                .unwrap_or_default()
        };
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(ticks)
            .y_labels(layout.y_labels())
            .x_label_formatter(&x_format)
            .y_label_formatter(y_format)
            .y_desc(y_desc);
        house_style(&mut mesh).draw().ok()?;
        for (_, color, values) in series {
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64, *v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))
                .ok()?;
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 4, color.filled())))
                .ok()?;
        }
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(week: &str, done: usize, total: usize, budget: i64) -> TrendPoint {
        TrendPoint {
            week: week.into(),
            done,
            total,
            budget: Some(Money::new(budget * 100, Currency::USD)),
        }
    }

    #[test]
    fn burnup_and_budget_trend_carry_their_numbers() {
        let points = [
            point("2025-W10", 2, 10, 1000),
            point("2025-W11", 5, 12, 1500),
        ];
        let chart = burnup(&points, "burnup", "Burn-up").expect("two weeks");
        assert_eq!(
            chart.rows,
            vec![vec!["2025-W10", "2", "10"], vec!["2025-W11", "5", "12"]]
        );
        assert!(
            chart.description.contains("scope from 10 to 12"),
            "{}",
            chart.description
        );
        roxmltree::Document::parse(&chart.inline_svg).expect("well-formed");
        let chart = budget_trend(&points, "budget-trend").expect("two weeks");
        assert_eq!(chart.rows[1], vec!["2025-W11", "$1,500"]);
        assert!(burnup(&points[..1], "b", "B").is_none());
    }
}
