//! Timeline: the phases over the plan's weeks (or other units), coloured by
//! status, with a line at the as-of date when it falls inside the plan.
//! One bar per phase with a span in the first phase's unit: the cost
//! follows the number of phases, never the length of the plan. A plan whose
//! phases have no span but have calendar dates (a dated milestone table)
//! gets the same chart over the calendar instead, a milestone that is one
//! day drawn as a diamond at its date.

use super::svg::{day_month, no_decimals, GOOD, SERIES_1, SERIES_2, TEXT};
use super::{
    draw_both, draw_with_legend, legend_height, phase_name, publish, row, row_band, row_bar,
    row_chart, row_label, Chart, DataTable, Inset, Key, Layout, RowAxes, RowChart, NAME_STRIP,
};
use crate::derive::Derived;
use crate::model::plan::{Phase, PhaseStatus, Plan};
use crate::parse::calendar;
use crate::parse::span::Span;
use chrono::NaiveDate;
use plotters::prelude::*;

pub fn chart(plan: &Plan, derived: &Derived) -> Option<Chart> {
    match plan.phases.iter().find_map(|p| p.span) {
        Some(span) => span_chart(plan, derived, span.unit),
        None => calendar_chart(plan, derived),
    }
}

/// The colour and legend word of each status, in legend order.
const STATUSES: [(PhaseStatus, RGBColor, &str); 3] = [
    (PhaseStatus::Complete, GOOD, "Complete"),
    (PhaseStatus::InProgress, SERIES_1, "In progress"),
    (PhaseStatus::NotStarted, SERIES_2, "Not started"),
];

fn span_chart(plan: &Plan, derived: &Derived, unit: crate::parse::span::Unit) -> Option<Chart> {
    let phases: Vec<(usize, &crate::model::plan::Phase, Span)> = plan
        .phases
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.span.filter(|s| s.unit == unit).map(|s| (i, p, s)))
        .collect();
    let first = phases.iter().map(|(_, _, s)| s.start).min()?;
    let last = phases.iter().map(|(_, _, s)| s.end).max()?;
    let names: Vec<String> = phases.iter().map(|(_, p, _)| row_label(p)).collect();
    let dated = unit == crate::parse::span::Unit::Week && derived.as_of_week.is_some();
    let marker = derived
        .as_of_week
        .filter(|_| dated)
        .filter(|w| *w >= f64::from(first) && *w <= f64::from(last) + 1.0);
    let start_date = stated_start(plan);
    let unit_name = unit.name();
    let start = start_date.as_ref().map(|(day, _)| *day).filter(|_| dated);
    let x_format = |v: &f64| match (v.fract() == 0.0, start) {
        (false, _) => String::new(),
        (true, Some(start)) => start
            .checked_add_signed(chrono::TimeDelta::days((*v as i64 - 1) * 7))
            .map(day_month)
            .unwrap_or_default(),
        (true, None) => no_decimals(*v),
    };
    let (x_desc, x_note) = match &start_date {
        Some((_, date)) if dated => ("week starting".into(), format!(" (week 1 starts {date})")),
        _ => (format!("start of {unit_name}"), String::new()),
    };
    // Dates are wider than week numbers: fewer of them fit.
    let x_labels = ((last - first + 2) as usize).min(if dated { 8 } else { 13 });
    let axes = RowAxes {
        names: &names,
        x: f64::from(first)..f64::from(last) + 1.0,
        x_labels,
        x_format: &x_format,
        x_desc,
        x_note,
    };
    let count = phases.len();
    let statuses: Vec<PhaseStatus> = phases.iter().map(|(_, p, _)| p.status).collect();
    let raw = draw_by_status(&axes, marker, &statuses, |chart, status, color, layout| {
        let bars: Vec<Rectangle<(f64, SegmentValue<i32>)>> = phases
            .iter()
            .enumerate()
            .filter(|(_, (_, p, _))| p.status == status)
            .map(|(i, (_, _, s))| {
                let extent = f64::from(s.start)..f64::from(s.end) + 1.0;
                row_bar(i, count, extent, color, Inset::even(6).under_name(layout))
            })
            .collect();
        chart.draw_series(bars).ok()?;
        Some(())
    })?;
    let complete = phases
        .iter()
        .filter(|(_, p, _)| p.status == PhaseStatus::Complete)
        .count();
    let description = match marker {
        Some(week) => format!(
            "{} phases from {unit_name} {first} to {unit_name} {last}; {complete} complete. The as-of date {} falls in week {:.0}.",
            phases.len(),
            derived.as_of,
            week.floor()
        ),
        None => format!("{} phases from {unit_name} {first} to {unit_name} {last}; {complete} complete.", phases.len()),
    };
    let table = span_table(&phases, derived, unit_name);
    Some(publish(
        "timeline",
        "Timeline".into(),
        description,
        &raw,
        table,
    ))
}

/// Front matter `start`, else a start the plan states in its text, with
/// the day as the JSON model writes it.
fn stated_start(plan: &Plan) -> Option<(NaiveDate, String)> {
    match plan.meta.start {
        Some(day) => Some((day, day.format("%Y-%m-%d").to_string())),
        None => (!plan.schedule.from_phases)
            .then(|| plan.schedule.first())
            .flatten()
            .map(|day| (day, calendar::iso(day))),
    }
}

/// The data table of the chart over spans: each phase's span and dates.
fn span_table(phases: &[(usize, &Phase, Span)], derived: &Derived, unit_name: &str) -> DataTable {
    let rows = phases
        .iter()
        .map(|(index, p, s)| {
            let dates = derived
                .dates
                .get(*index)
                .copied()
                .flatten()
                .map(|(a, b)| format!("{a} to {b}"))
                .unwrap_or_default();
            vec![
                phase_name(p),
                s.start.to_string(),
                s.end.to_string(),
                dates,
                p.status.label().to_string(),
            ]
        })
        .collect();
    let unit_title = format!("{}{}", unit_name[..1].to_uppercase(), &unit_name[1..]);
    DataTable {
        columns: vec![
            "Phase".into(),
            format!("From {unit_title}"),
            format!("To {unit_title}"),
            "Dates".into(),
            "Status".into(),
        ],
        numeric: vec![false, true, true, false, false],
        rows,
    }
}

/// Draws a chart of one row per phase (`axes.names`), in both layouts:
/// for each status in legend order that one of the phases has
/// (`statuses`, one a phase), `draw_status` draws the phases of that
/// status, and it gets a legend key; then the line at the as-of date, at
/// `marker`.
fn draw_by_status(
    axes: &RowAxes<'_>,
    marker: Option<f64>,
    statuses: &[PhaseStatus],
    mut draw_status: impl FnMut(&mut RowChart<'_, '_>, PhaseStatus, RGBColor, Layout) -> Option<()>,
) -> Option<[String; 2]> {
    let count = axes.names.len();
    let mut keys: Vec<(&str, RGBColor, Key)> = STATUSES
        .iter()
        .filter(|(status, ..)| statuses.contains(status))
        .map(|(_, color, name)| (*name, *color, Key::Swatch))
        .collect();
    if marker.is_some() {
        keys.push(("As of", TEXT, Key::Line));
    }
    draw_both(|layout| {
        let key_height = legend_height(&keys, layout);
        let height = 80 + key_height + row_band(30, layout) * count as u32;
        draw_with_legend(layout, &keys, key_height, height, |_, root| {
            let mut chart = row_chart(root, axes, layout)?;
            for (status, color, _) in STATUSES {
                if statuses.contains(&status) {
                    draw_status(&mut chart, status, color, layout)?;
                }
            }
            if let Some(x) = marker {
                as_of_line(&mut chart, x, count, layout)?;
            }
            Some(())
        })
    })
}

/// The line at the as-of date, at `x`, across all `rows`; in the narrow
/// layout, under each row's name only, so that it strikes through none.
fn as_of_line(chart: &mut RowChart<'_, '_>, x: f64, rows: usize, layout: Layout) -> Option<()> {
    let n = rows as i32;
    let style = TEXT.stroke_width(2);
    if layout == Layout::Wide {
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(x, SegmentValue::Exact(0)), (x, SegmentValue::Exact(n))],
                style,
            )))
            .ok()?;
        return Some(());
    }
    let segments: Vec<_> = (0..n)
        .map(|y| {
            let bottom = chart.backend_coord(&(x, SegmentValue::Exact(y))).1;
            let top = chart.backend_coord(&(x, SegmentValue::Exact(y + 1))).1;
            let length = (bottom - top - NAME_STRIP as i32).max(0);
            EmptyElement::at((x, SegmentValue::Exact(y)))
                + PathElement::new([(0, 0), (0, -length)], style)
        })
        .collect();
    chart.draw_series(segments).ok()?;
    Some(())
}

/// Phases placed by their calendar dates: a bar from first to last day, a
/// diamond for a phase of one day. Only phases with dates are drawn.
fn calendar_chart(plan: &Plan, derived: &Derived) -> Option<Chart> {
    let phases: Vec<(&Phase, NaiveDate, NaiveDate)> = plan
        .phases
        .iter()
        .zip(&derived.dates)
        .filter_map(|(p, d)| d.map(|(from, to)| (p, from, to)))
        .collect();
    let first = phases.iter().map(|(_, from, _)| *from).min()?;
    let last = phases.iter().map(|(_, _, to)| *to).max()?;
    let day = |d: NaiveDate| d.signed_duration_since(first).num_days() as f64;
    let length = day(last) + 1.0;
    // Room on each side, so a diamond at either end is drawn whole.
    let pad = (length * 0.04).max(1.0);
    let names: Vec<String> = phases.iter().map(|(p, _, _)| row_label(p)).collect();
    let as_of = derived.as_of;
    let marker = (as_of >= first && as_of <= last).then(|| day(as_of) + 0.5);
    let long = length > 400.0;
    let x_format = |v: &f64| {
        if v.fract() != 0.0 {
            return String::new();
        }
        first
            .checked_add_signed(chrono::TimeDelta::days(*v as i64))
            .map(|d| {
                if long {
                    d.format("%b %Y").to_string()
                } else {
                    day_month(d)
                }
            })
            .unwrap_or_default()
    };
    let axes = RowAxes {
        names: &names,
        x: -pad..length + pad,
        x_labels: 8,
        x_format: &x_format,
        x_desc: "date".into(),
        x_note: String::new(),
    };
    let count = phases.len();
    let statuses: Vec<PhaseStatus> = phases.iter().map(|(p, _, _)| p.status).collect();
    let raw = draw_by_status(&axes, marker, &statuses, |chart, status, color, layout| {
        // In the narrow layout the bar stands under the row's name.
        let drop = match layout {
            Layout::Wide => 0,
            Layout::Narrow => NAME_STRIP as i32 / 2,
        };
        let of_status = || {
            phases
                .iter()
                .enumerate()
                .filter(move |(_, (p, _, _))| p.status == status)
        };
        let bars: Vec<Rectangle<(f64, SegmentValue<i32>)>> = of_status()
            .filter(|(_, (_, from, to))| from != to)
            .map(|(i, (_, from, to))| {
                let inset = Inset::even(6).under_name(layout);
                row_bar(i, count, day(*from)..day(*to) + 1.0, color, inset)
            })
            .collect();
        let diamonds: Vec<_> = of_status()
            .filter(|(_, (_, from, to))| from == to)
            .map(|(i, (_, from, _))| {
                EmptyElement::at((day(*from) + 0.5, SegmentValue::CenterOf(row(i, count))))
                    + Polygon::new(
                        vec![(0, drop - 9), (9, drop), (0, drop + 9), (-9, drop)],
                        color.filled(),
                    )
            })
            .collect();
        chart.draw_series(bars).ok()?;
        chart.draw_series(diamonds).ok()?;
        Some(())
    })?;
    let complete = phases
        .iter()
        .filter(|(p, _, _)| p.status == PhaseStatus::Complete)
        .count();
    let mut description = format!(
        "{} phases from {first} to {last}; {complete} complete.",
        phases.len()
    );
    if marker.is_some() {
        description.push_str(&format!(" The as-of date is {as_of}."));
    }
    Some(publish(
        "timeline",
        "Timeline".into(),
        description,
        &raw,
        calendar_table(&phases),
    ))
}

/// The data table of the chart over the calendar: each phase's days.
fn calendar_table(phases: &[(&Phase, NaiveDate, NaiveDate)]) -> DataTable {
    let rows = phases
        .iter()
        .map(|(p, from, to)| {
            vec![
                row_label(p),
                from.to_string(),
                to.to_string(),
                p.status.label().to_string(),
            ]
        })
        .collect();
    DataTable {
        columns: vec!["Phase".into(), "From".into(), "To".into(), "Status".into()],
        numeric: vec![false, false, false, false],
        rows,
    }
}
