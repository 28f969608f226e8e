//! The milestone trend: for each dated phase or milestone, the date it had
//! in each weekly snapshot (weeks across, dates up). A line that climbs is
//! a milestone that keeps slipping; a flat line kept its date. Lines are
//! named at their right end (names pushed apart so they never overlap), and
//! coloured by where they ended against where they started. The narrow
//! layout keeps the names at the right, cut shorter, and writes its dates
//! without the year when they all fall in one.

use super::backend::ThemedSvg;
use super::svg::{label, BAD, FONT, GOOD, SERIES_2, TEXT};
use super::{
    draw_both, draw_with_legend, house_style, legend_height, publish, week_label, week_ticks,
    Chart, Key, Layout,
};
use crate::derive::slips::MilestoneSeries;
use chrono::{Datelike, Days, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixels between two line names.
const NAME_GAP: i32 = 18;
/// Room on the right for the names, and the most characters of a name, in
/// each layout.
const fn name_area(layout: Layout) -> (u32, usize) {
    match layout {
        Layout::Wide => (180, 22),
        Layout::Narrow => (100, 12),
    }
}

/// The milestone trend over the weeks `labels`; `None` with fewer than two
/// weeks or no dated milestone.
pub fn milestone_trend(labels: &[String], series: &[MilestoneSeries], id: &str) -> Option<Chart> {
    let dated: Vec<&MilestoneSeries> = series.iter().filter(|s| s.ends().is_some()).collect();
    if labels.len() < 2 || dated.is_empty() {
        return None;
    }
    let all = dated.iter().flat_map(|s| s.dates.iter().flatten());
    let (low, high) = all.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| {
        (lo.min(*d), hi.max(*d))
    });
    // Dates up in weeks from a week before the first date, so ticks fall
    // on its weekday (phase ends of a week-based plan sit on grid lines);
    // a week of room above and below, so no line sits on the frame.
    let base = low.checked_sub_days(Days::new(7)).unwrap_or(low);
    let top = weeks_from(base, high) + 1.0;
    let raw = draw_both(|layout| draw_trend(labels, &dated, base, top, layout))?;
    let moved = dated.iter().filter(|s| shift(s) != 0).count();
    let description = format!(
        "The date of each of {} milestones in each of {} weekly snapshots, {} to {}: {} moved since the first.",
        dated.len(),
        labels.len(),
        labels[0],
        labels[labels.len() - 1],
        match moved {
            0 => "none".to_string(),
            n => n.to_string(),
        }
    );
    let mut columns = vec!["Milestone".to_string()];
    columns.extend(labels.iter().cloned());
    let mut numeric = vec![false];
    numeric.extend(labels.iter().map(|_| true));
    let rows = dated
        .iter()
        .map(|s| {
            let mut row = vec![s.name.clone()];
            row.extend(
                s.dates
                    .iter()
                    .map(|d| d.map(|d| d.to_string()).unwrap_or_default()),
            );
            row
        })
        .collect();
    Some(publish(
        id,
        "Milestone dates over the weeks".into(),
        description,
        &raw,
        super::DataTable {
            columns,
            numeric,
            rows,
        },
    ))
}

/// Days between the first and the last date a milestone had.
fn shift(s: &MilestoneSeries) -> i64 {
    s.ends().map_or(0, |(first, last)| {
        last.signed_duration_since(first).num_days()
    })
}

/// Later is red, earlier green, unchanged grey: the colour says which way
/// it went, the name and the data table say by how much.
fn colour(s: &MilestoneSeries) -> RGBColor {
    match shift(s) {
        d if d > 0 => BAD,
        d if d < 0 => GOOD,
        _ => SERIES_2,
    }
}

/// Weeks from `base` to `date` (fractional).
fn weeks_from(base: NaiveDate, date: NaiveDate) -> f64 {
    date.signed_duration_since(base).num_days() as f64 / 7.0
}

/// Draws the lines, each point a dot, and the names at the right; the
/// chart grows with the number of milestones so the names keep apart.
fn draw_trend(
    labels: &[String],
    dated: &[&MilestoneSeries],
    base: NaiveDate,
    top: f64,
    layout: Layout,
) -> Option<String> {
    let y = (0.0, top);
    let n = labels.len();
    let keys: Vec<(&str, RGBColor, Key)> = [
        ("Later than first dated", BAD),
        ("Earlier", GOOD),
        ("Unchanged", SERIES_2),
    ]
    .into_iter()
    .filter(|(_, c)| dated.iter().any(|s| colour(s) == *c))
    .map(|(name, c)| (name, c, Key::Line))
    .collect();
    let key_height = legend_height(&keys, layout);
    let grown = 120 + dated.len() as u32 * NAME_GAP as u32;
    // Dates up: in full on the wide layout; on the narrow one without the
    // year when the axis stays within one (`3 Mar`), else month and year.
    let last = base.checked_add_days(Days::new((top * 7.0) as u64));
    let one_year = last.is_some_and(|last| last.year() == base.year());
    let (height, label_area, day_format) = match layout {
        Layout::Wide => (grown.clamp(360, 900), 110, "%Y-%m-%d"),
        Layout::Narrow => (
            (grown + key_height).clamp(300, 900),
            56,
            if one_year { "%-d %b" } else { "%b %y" },
        ),
    };
    let (name_room, name_chars) = name_area(layout);
    draw_with_legend(layout, &keys, key_height, height, |whole, root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .margin_right(name_room)
            .x_label_area_size(40)
            .y_label_area_size(label_area)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, y.0..y.1)
            .ok()?;
        let (step, ticks) = week_ticks(n, 6, layout);
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
        // Whole weeks only: each label a week from the first date.
        let y_format = |v: &f64| {
            if v.fract() != 0.0 || *v < 0.0 {
                return String::new();
            }
            base.checked_add_days(Days::new(*v as u64 * 7))
                .map(|d| d.format(day_format).to_string())
                .unwrap_or_default()
        };
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(ticks)
            .y_labels(layout.y_labels())
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format);
        house_style(&mut mesh).draw().ok()?;
        let mut ends: Vec<(i32, String, RGBColor)> = Vec::new();
        for s in dated {
            let line = colour(s);
            let points: Vec<(f64, f64)> = s
                .dates
                .iter()
                .enumerate()
                .filter_map(|(i, d)| d.map(|d| (i as f64, weeks_from(base, d))))
                .collect();
            let width = if line == SERIES_2 { 2 } else { 3 };
            chart
                .draw_series(LineSeries::new(points.clone(), line.stroke_width(width)))
                .ok()?;
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 4, line.filled())))
                .ok()?;
            if let Some(last) = points.last() {
                ends.push((
                    chart.backend_coord(last).1,
                    label(&s.name, name_chars),
                    line,
                ));
            }
        }
        let right = chart.backend_coord(&(n as f64 - 0.5, y.0)).0 + 12;
        let (top, bottom) = (
            chart.backend_coord(&(0.0, y.1)).1,
            chart.backend_coord(&(0.0, y.0)).1,
        );
        draw_names(whole, spread(ends, top, bottom), right)?;
        Some(())
    })
}

/// Each name (made safe and short) at the right of the plot, with a dash
/// of its line's colour, in the whole drawing's pixels (as `backend_coord`
/// gives them).
fn draw_names(
    whole: &DrawingArea<ThemedSvg<'_>, plotters::coord::Shift>,
    names: Vec<(i32, String, RGBColor)>,
    right: i32,
) -> Option<()> {
    for (y, name, colour) in names {
        let style = (FONT, 16)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        whole
            .draw(&Rectangle::new(
                [(right, y - 1), (right + 8, y + 1)],
                colour.filled(),
            ))
            .ok()?;
        whole.draw(&Text::new(name, (right + 12, y), style)).ok()?;
    }
    Some(())
}

/// Places the names at their line's end, pushed down (then up, at the
/// bottom) so that two are never closer than `NAME_GAP`. Names that do not
/// fit between `top` and `bottom` are left out (the data table has them).
fn spread(
    mut ends: Vec<(i32, String, RGBColor)>,
    top: i32,
    bottom: i32,
) -> Vec<(i32, String, RGBColor)> {
    let room = ((bottom - top) / NAME_GAP + 1).max(1) as usize;
    if ends.len() > room {
        // Keep the milestones that moved first.
        ends.sort_by_key(|(_, _, c)| *c == SERIES_2);
        ends.truncate(room);
    }
    ends.sort_by_key(|(y, _, _)| *y);
    let mut next = top;
    for end in &mut ends {
        end.0 = end.0.max(next);
        next = end.0 + NAME_GAP;
    }
    let mut limit = bottom;
    for end in ends.iter_mut().rev() {
        end.0 = end.0.min(limit);
        limit = end.0 - NAME_GAP;
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn names_never_overlap() {
        let ends: Vec<(i32, String, RGBColor)> =
            (0..10).map(|i| (100 + i, format!("m{i}"), BAD)).collect();
        let placed = spread(ends, 50, 400);
        for pair in placed.windows(2) {
            assert!(
                pair[1].0 - pair[0].0 >= NAME_GAP,
                "{:?}",
                (pair[0].0, pair[1].0)
            );
        }
        assert!(placed.iter().all(|(y, ..)| (50..=400).contains(y)));
        let crowded: Vec<(i32, String, RGBColor)> =
            (0..100).map(|i| (60, format!("m{i}"), SERIES_2)).collect();
        assert_eq!(spread(crowded, 0, 180).len(), 11);
    }

    #[test]
    fn a_slipping_milestone_climbs_and_the_table_has_every_date() {
        let labels: Vec<String> = ["2025-W10", "2025-W11", "2025-W12"]
            .map(String::from)
            .to_vec();
        let series = vec![
            MilestoneSeries {
                name: "Launch & <go-live>".into(),
                dates: vec![
                    Some(date("2025-04-01")),
                    Some(date("2025-04-08")),
                    Some(date("2025-04-15")),
                ],
            },
            MilestoneSeries {
                name: "Design".into(),
                dates: vec![Some(date("2025-03-16")), None, Some(date("2025-03-16"))],
            },
        ];
        let chart = milestone_trend(&labels, &series, "slips").expect("a chart");
        roxmltree::Document::parse(&chart.inline_svg).expect("well-formed");
        assert_eq!(
            chart.rows[0],
            vec![
                "Launch & <go-live>",
                "2025-04-01",
                "2025-04-08",
                "2025-04-15"
            ]
        );
        assert_eq!(chart.rows[1][2], "");
        assert!(
            chart.description.contains("1 moved"),
            "{}",
            chart.description
        );
        assert!(milestone_trend(&labels[..1], &series, "s").is_none());
        let undated = vec![MilestoneSeries {
            name: "X".into(),
            dates: vec![None, None, None],
        }];
        assert!(milestone_trend(&labels, &undated, "s").is_none());
    }
}
