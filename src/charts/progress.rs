//! Progress by phase: tasks done and still open, stacked, one bar a phase.

use super::svg::{FONT, GOOD, GRID, SERIES_2, TEXT};
use super::{draw, label_area, legend, publish, row, row_label, Chart, Key};
use crate::model::plan::Plan;
use plotters::prelude::*;

pub fn chart(plan: &Plan) -> Option<Chart> {
    let phases: Vec<_> = plan
        .phases
        .iter()
        .filter(|p| p.progress.total > 0)
        .collect();
    if phases.is_empty() {
        return None;
    }
    let names: Vec<String> = phases.iter().map(|p| row_label(p)).collect();
    let max = phases
        .iter()
        .map(|p| p.progress.total)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let band = 30u32;
    let height = 100 + band * phases.len() as u32;
    let raw =
        draw(720, height, |out, size| {
            let whole = SVGBackend::with_string(out, size).into_drawing_area();
            let (key_area, root) = whole.split_vertically(30);
            let n = phases.len() as i32;
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .margin_right(24)
                .x_label_area_size(28)
                .y_label_area_size(label_area(&names))
                .build_cartesian_2d(0.0..max * 1.05, (0..n - 1).into_segmented())
                .ok()?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_labels(6)
                .y_labels(phases.len())
                .x_label_formatter(&|v| {
                    if v.fract() == 0.0 {
                        format!("{v:.0}")
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
                        .get(names.len().saturating_sub(1 + *i as usize))
                        .cloned()
                        .unwrap_or_default(),
                    SegmentValue::Last => String::new(),
                })
                .x_desc("tasks")
                .label_style((FONT, 13).into_font().color(&TEXT))
                .axis_desc_style((FONT, 13).into_font().color(&TEXT))
                .axis_style(GRID)
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .draw()
                .ok()?;
            let count = phases.len();
            let bar = |i: usize, from: f64, to: f64, color: RGBColor| {
                let y = row(i, count);
                let mut r = Rectangle::new(
                    [
                        (from, SegmentValue::Exact(y)),
                        (to, SegmentValue::Exact(y + 1)),
                    ],
                    color.filled(),
                );
                r.set_margin(7, 7, 0, 0);
                r
            };
            chart
                .draw_series(
                    phases
                        .iter()
                        .enumerate()
                        .map(|(i, p)| bar(i, 0.0, p.progress.done as f64, GOOD)),
                )
                .ok()?;
            chart
                .draw_series(phases.iter().enumerate().map(|(i, p)| {
                    bar(i, p.progress.done as f64, p.progress.total as f64, SERIES_2)
                }))
                .ok()?;
            legend(
                &key_area,
                &[("Done", GOOD, Key::Swatch), ("Open", SERIES_2, Key::Swatch)],
            )?;
            whole.present().ok()
        })?;
    let done: usize = phases.iter().map(|p| p.progress.done).sum();
    let total: usize = phases.iter().map(|p| p.progress.total).sum();
    let description = format!(
        "Tasks done and open in each of {} phases: {done} of {total} done in all.",
        phases.len()
    );
    let rows = phases
        .iter()
        .map(|p| {
            vec![
                format!("{}: {}", p.label, p.title),
                p.progress.done.to_string(),
                (p.progress.total - p.progress.done).to_string(),
                format!("{:.0}%", p.progress.percent().unwrap_or(0.0)),
            ]
        })
        .collect();
    Some(publish(
        "progress",
        "Progress by phase".into(),
        description,
        &raw,
        vec![
            "Phase".into(),
            "Done".into(),
            "Open".into(),
            "Done %".into(),
        ],
        vec![false, true, true, true],
        rows,
    ))
}
