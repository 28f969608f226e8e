//! Progress by phase: tasks done and still open, stacked, one bar a phase.

use super::svg::{GOOD, SERIES_2};
use super::{
    draw_both, draw_with_legend, legend_height, phase_name, publish, row_band, row_bar, row_chart,
    row_label, whole_number, Chart, DataTable, Inset, Key, RowAxes,
};
use crate::model::plan::{Phase, Plan};

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
    let keys = [("Done", GOOD, Key::Swatch), ("Open", SERIES_2, Key::Swatch)];
    let axes = RowAxes {
        names: &names,
        x: 0.0..max * 1.05,
        x_labels: 6,
        x_format: &whole_number,
        x_desc: "tasks".into(),
        x_note: String::new(),
    };
    let raw = draw_both(|layout| {
        let key_height = legend_height(&keys, layout);
        let height = 70 + key_height + row_band(band, layout) * phases.len() as u32;
        draw_with_legend(layout, &keys, key_height, height, |_, root| {
            let mut chart = row_chart(root, &axes, layout)?;
            let n = phases.len();
            let inset = Inset::even(7).under_name(layout);
            let done =
                |(i, p): (usize, &&Phase)| row_bar(i, n, 0.0..p.progress.done as f64, GOOD, inset);
            let open = |(i, p): (usize, &&Phase)| {
                row_bar(
                    i,
                    n,
                    p.progress.done as f64..p.progress.total as f64,
                    SERIES_2,
                    inset,
                )
            };
            chart
                .draw_series(phases.iter().enumerate().map(done))
                .ok()?;
            chart
                .draw_series(phases.iter().enumerate().map(open))
                .ok()?;
            Some(())
        })
    })?;
    let done: usize = phases.iter().map(|p| p.progress.done).sum();
    let total: usize = phases.iter().map(|p| p.progress.total).sum();
    let description = format!(
        "Tasks done and open in each of {} phases: {done} of {total} done in all.",
        phases.len()
    );
    Some(publish(
        "progress",
        "Progress by phase".into(),
        description,
        &raw,
        data_table(&phases),
    ))
}

/// The counts drawn, as a table: each phase's tasks done and open.
fn data_table(phases: &[&Phase]) -> DataTable {
    let rows = phases
        .iter()
        .map(|p| {
            vec![
                phase_name(p),
                p.progress.done.to_string(),
                (p.progress.total - p.progress.done).to_string(),
                format!("{:.0}%", p.progress.percent().unwrap_or(0.0)),
            ]
        })
        .collect();
    DataTable {
        columns: vec![
            "Phase".into(),
            "Done".into(),
            "Open".into(),
            "Done %".into(),
        ],
        numeric: vec![false, true, true, true],
        rows,
    }
}
