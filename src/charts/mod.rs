//! Charts: one file per chart, each `&Plan -> Option<Chart>`, drawn with
//! plotters on our SVG backend (`backend`: no fonts loaded, no I/O). A
//! chart carries its SVG, for the page to hold inline, and the same numbers
//! as a table, for readers who cannot see it.

pub mod backend;
mod budget;
pub mod card;
mod progress;
pub mod slips;
pub mod svg;
mod timeline;
pub mod trend;
mod value;

use crate::derive::Derived;
use crate::model::plan::{Phase, Plan};
use backend::ThemedSvg;
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;
use svg::{FONT, GRID, TEXT};

/// One chart, ready for the page (inline SVG: it follows the page's colours,
/// dark mode and print, and costs no file of its own).
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique within a page.
    pub id: String,
    pub title: String,
    pub description: String,
    pub inline_svg: String,
    pub columns: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

/// Every chart a plan has data for, in page order.
pub fn plan_charts(plan: &Plan, derived: &Derived) -> Vec<Chart> {
    [
        timeline::chart(plan, derived),
        budget::chart(plan),
        value::chart(plan, derived),
        progress::chart(plan),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Draws with plotters into a string; `None` if plotters reports an error
/// (the page then shows the data table without the picture).
fn draw(
    width: u32,
    height: u32,
    paint: impl FnOnce(&mut String, (u32, u32)) -> Option<()>,
) -> Option<String> {
    // Room for a chart of a dozen phases, so the drawing never grows.
    let mut svg = String::with_capacity(24 * 1024);
    paint(&mut svg, (width, height))?;
    Some(svg)
}

/// The width of the label column for category labels of this length.
fn label_area(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    (longest * 8 + 16).clamp(60, 260)
}

/// A chart's numbers as a table, for readers who cannot see the drawing.
pub(crate) struct DataTable {
    pub(crate) columns: Vec<String>,
    /// Per column: whether its cells are numbers (set right-aligned).
    pub(crate) numeric: Vec<bool>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Builds the published chart from the drawing.
fn publish(id: &str, title: String, description: String, raw: &str, table: DataTable) -> Chart {
    Chart {
        id: id.to_string(),
        inline_svg: svg::finish(raw, &format!("chart-{id}"), &title, &description),
        title,
        description,
        columns: table.columns,
        numeric: table.numeric,
        rows: table.rows,
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Key {
    Swatch,
    Line,
}

/// Draws a legend in its own strip above the plot, so it never covers data.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(&str, RGBColor, Key)],
) -> Option<()> {
    let mut x = 12;
    for (name, color, key) in items {
        match key {
            Key::Swatch => area
                .draw(&Rectangle::new([(x, 9), (x + 12, 21)], color.filled()))
                .ok()?,
            Key::Line => area
                .draw(&PathElement::new(
                    [(x, 15), (x + 16, 15)],
                    color.stroke_width(3),
                ))
                .ok()?,
        }
        let style = (FONT, 16)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        // Keys can come from a plan's table headers: made safe and short
        // like every label (a control character is not XML).
        let name = svg::label(name, 40);
        area.draw(&Text::new(name.clone(), (x + 20, 15), style))
            .ok()?;
        x += 20 + name.chars().count() as i32 * 8 + 20;
    }
    Some(())
}

/// A phase as a chart row label: `Week 3-4: Monitoring…`.
fn row_label(phase: &Phase) -> String {
    if phase.title.is_empty() || phase.title == phase.label {
        svg::label(&phase.label, 30)
    } else {
        svg::label(&format!("{}: {}", phase.label, phase.title), 30)
    }
}

/// Rows are drawn from the top: row `i` of `n` sits at segment `n - 1 - i`.
fn row(i: usize, n: usize) -> i32 {
    (n - 1 - i) as i32
}

/// The x axis of a chart with one row per phase.
struct RowAxes<'n> {
    names: &'n [String],
    x: Range<f64>,
    x_labels: usize,
    x_format: &'n dyn Fn(&f64) -> String,
    x_desc: String,
}

type RowChart<'a, 'b> =
    ChartContext<'a, ThemedSvg<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordi32>>>;

/// A chart with a row per phase (labels on the left, first phase on top)
/// and a numeric x axis, in the house style.
fn row_chart<'a, 'b>(
    area: &'a DrawingArea<ThemedSvg<'b>, Shift>,
    axes: &RowAxes<'_>,
) -> Option<RowChart<'a, 'b>> {
    let names = axes.names;
    let n = names.len() as i32;
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(label_area(names))
        .build_cartesian_2d(axes.x.clone(), (0..n - 1).into_segmented())
        .ok()?;
    let y_format = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
            .get(names.len().saturating_sub(1 + *i as usize))
            .cloned()
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .x_labels(axes.x_labels)
        .y_labels(names.len())
        .x_label_formatter(axes.x_format)
        .y_label_formatter(&y_format)
        .x_desc(axes.x_desc.clone());
    house_style(&mut mesh).draw().ok()?;
    Some(chart)
}

/// The look every chart's axes share: text colour and size, grid lines.
pub(super) fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style((FONT, 16).into_font().color(&TEXT))
        .axis_desc_style((FONT, 16).into_font().color(&TEXT))
        .axis_style(GRID)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
}

/// How far a bar stands in from the top and bottom of its row, in pixels.
#[derive(Clone, Copy)]
struct Inset {
    top: u32,
    bottom: u32,
}

impl Inset {
    const fn even(pixels: u32) -> Inset {
        Inset {
            top: pixels,
            bottom: pixels,
        }
    }
}

/// A bar in row `i` of `n`, over `extent` of the x axis, inset within its
/// row.
fn row_bar(
    i: usize,
    n: usize,
    extent: Range<f64>,
    color: RGBColor,
    inset: Inset,
) -> Rectangle<(f64, SegmentValue<i32>)> {
    let y = row(i, n);
    let mut bar = Rectangle::new(
        [
            (extent.start, SegmentValue::Exact(y)),
            (extent.end, SegmentValue::Exact(y + 1)),
        ],
        color.filled(),
    );
    bar.set_margin(inset.top, inset.bottom, 0, 0);
    bar
}

/// Whole numbers only on a count axis.
fn whole_number(v: &f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_text as plan;

    #[test]
    fn charts_are_well_formed_xml_whatever_the_labels() {
        let mut text = String::from("---\nstart: 2025-03-03\n---\n# Plan\n\n");
        let nasty = [
            "Tom & Jerry <b>\"quoted\" 'single'",
            "emoji 🚀✅ and \u{7} bell",
            "right-to-left \u{202E}abc",
            &"long ".repeat(100),
        ];
        for week in 1..=12 {
            let title = nasty[week % nasty.len()];
            text.push_str(&format!(
                "## Week {week}: {title}\n\n**Budget:** ${week},000\n\n- [x] done\n- [ ] open\n\n"
            ));
        }
        text.push_str("| Phase | Original | Revised |\n|---|---|---|\n| Week 1 | $1,000 | $1,000 |\n| Week 2 | $1,500 | $2,000 |\n");
        let plan = plan(&text);
        let derived = crate::derive::derive(
            &plan,
            chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("date"),
        );
        let charts = plan_charts(&plan, &derived);
        assert_eq!(charts.len(), 4);
        for chart in &charts {
            for svg in [&chart.inline_svg] {
                let doc = roxmltree::Document::parse(svg)
                    .unwrap_or_else(|e| panic!("{}: {e}\n{svg}", chart.id));
                let root = doc.root_element();
                assert_eq!(root.attribute("role"), Some("img"));
                assert!(
                    root.children().any(|n| n.has_tag_name("title")),
                    "{}",
                    chart.id
                );
                assert!(
                    root.children().any(|n| n.has_tag_name("desc")),
                    "{}",
                    chart.id
                );
                for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
                    let text = node.text().unwrap_or("");
                    assert!(
                        !text.contains(&"long ".repeat(7)),
                        "{}: label not shortened: {text}",
                        chart.id
                    );
                }
            }
            if chart.id == "timeline" || chart.id == "progress" {
                assert!(
                    chart
                        .rows
                        .iter()
                        .any(|r| r[0].contains(&"long ".repeat(50))),
                    "{}: full titles stay in the data table",
                    chart.id
                );
            }
        }
    }
}
