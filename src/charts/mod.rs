//! Charts: one file per chart, each `&Plan -> Option<Chart>`, drawn with
//! plotters on our SVG backend (`backend`: no fonts loaded, no I/O). The
//! row charts' and the value chart's grid, axes and labels (`axes`), and
//! every legend, are written straight into the drawing, where and as
//! plotters would write them. A chart carries its SVG, for the page to
//! hold inline, and the same numbers as a table, for readers who cannot
//! see it.
//!
//! Each chart is drawn twice (`Layout`): 720 units wide for a desktop, and
//! 340 wide for a phone, where the page shows the compact drawing instead
//! (a CSS media query; both are inline, so both follow the page's colours).
//! The compact one is not the desktop chart made smaller, which on a 375 px
//! screen puts its labels at 6 px: its text keeps its size against a width
//! under half, row names stand above their bars instead of beside them,
//! axes carry fewer ticks and shorter labels, and the legend wraps under
//! the plot.

mod axes;
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
    /// The desktop drawing (`Layout::Wide`).
    pub inline_svg: String,
    /// The compact drawing for narrow screens (`Layout::Narrow`), with
    /// ids of its own (`chart-ID-narrow-title`) and the class
    /// `chart-narrow`, which the theme shows in place of the desktop one.
    pub narrow_svg: String,
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

/// The two layouts every chart is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// For a desktop: 720 units wide, shown at up to 720 px.
    Wide,
    /// For a phone: 340 units wide, shown at about 270 to 480 px, so that
    /// its 13-unit text is drawn at 10 px or more.
    Narrow,
}

impl Layout {
    /// The drawing's width, in SVG units.
    pub(crate) const fn width(self) -> u32 {
        match self {
            Layout::Wide => 720,
            Layout::Narrow => 340,
        }
    }

    /// The most labels on an x axis that has `wide` in the wide layout.
    pub(crate) fn ticks(self, wide: usize) -> usize {
        match self {
            Layout::Wide => wide,
            Layout::Narrow => wide.div_ceil(2).clamp(2, 5),
        }
    }

    /// The most labels on a y axis.
    pub(crate) const fn y_labels(self) -> usize {
        match self {
            Layout::Wide => 6,
            Layout::Narrow => 4,
        }
    }
}

/// A chart's two drawings, wide and narrow: `paint` draws one layout.
fn draw_both(mut paint: impl FnMut(Layout) -> Option<String>) -> Option<[String; 2]> {
    let wide = paint(Layout::Wide)?;
    let narrow = paint(Layout::Narrow)?;
    Some([wide, narrow])
}

/// Which weeks of `n` a weekly x axis names: every `step`-th, asking
/// plotters for `labels` ticks. Wide: at most `wide` weeks. Narrow: at
/// most 5, with a step of 1, 2 or 5 times a power of ten, the steps
/// plotters picks its ticks from, so that each tick falls on a week named.
fn week_ticks(n: usize, wide: usize, layout: Layout) -> (usize, usize) {
    match layout {
        Layout::Wide => (n.div_ceil(wide).max(1), n.min(wide) * 2 + 1),
        Layout::Narrow => {
            let step = nice_step(n, 5);
            (step, n.saturating_sub(1) / step + 1)
        }
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50… that names at most `most` of `n`.
fn nice_step(n: usize, most: usize) -> usize {
    let mut scale = 1;
    loop {
        for m in [1, 2, 5] {
            if n.div_ceil(m * scale) <= most {
                return m * scale;
            }
        }
        scale *= 10;
    }
}

/// A week on an x axis: `2025-W10` in the wide layout, `W10` in the
/// narrow (the caption and the data table name the year).
fn week_label(week: &str, layout: Layout) -> String {
    match (layout, week.split_once("-W")) {
        (Layout::Narrow, Some((_, number))) => format!("W{number}"),
        _ => week.to_string(),
    }
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

/// Builds the published chart from its two drawings.
fn publish(
    id: &str,
    title: String,
    description: String,
    [wide, narrow]: &[String; 2],
    table: DataTable,
) -> Chart {
    Chart {
        id: id.to_string(),
        inline_svg: svg::finish(
            wide,
            &format!("chart-{id}"),
            "chart-svg",
            &title,
            &description,
        ),
        narrow_svg: svg::finish(
            narrow,
            &format!("chart-{id}-narrow"),
            "chart-svg chart-narrow",
            &title,
            &description,
        ),
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

/// Height of a line of the narrow legend.
const KEY_LINE: u32 = 22;

/// Where each legend entry goes (its key's left edge and its middle), and
/// its name made safe and short. Wide: one line at the top. Narrow: lines
/// that wrap at the drawing's width.
fn legend_places(items: &[(&str, RGBColor, Key)], layout: Layout) -> Vec<(i32, i32, String)> {
    let (start, max) = match layout {
        Layout::Wide => (12, 40),
        Layout::Narrow => (4, 36),
    };
    let right = layout.width() as i32 - 4;
    let (mut x, mut y) = (start, 15);
    let mut places = Vec::with_capacity(items.len());
    for (name, ..) in items {
        // Keys can come from a plan's table headers: made safe and short
        // like every label (a control character is not XML).
        let name = svg::label(name, max);
        let width = 20 + name.chars().count() as i32 * 8;
        if layout == Layout::Narrow && x > start && x + width > right {
            (x, y) = (start, y + KEY_LINE as i32);
        }
        places.push((x, y, name));
        x += width + 20;
    }
    places
}

/// The legend's strip: 30 units in the wide layout, a line of `KEY_LINE`
/// for each line the keys wrap to in the narrow.
fn legend_height(items: &[(&str, RGBColor, Key)], layout: Layout) -> u32 {
    match layout {
        Layout::Wide => 30,
        Layout::Narrow => {
            let lines = legend_places(items, layout)
                .iter()
                .map(|(_, y, _)| *y)
                .max()
                .map_or(0, |y| (y as u32 - 15) / KEY_LINE + 1);
            lines * KEY_LINE + 8
        }
    }
}

/// The whole drawing split into the legend's strip (`height` tall) and the
/// plot: the legend above in the wide layout, under the plot in the narrow
/// (where it may take several lines).
fn split_legend<DB: DrawingBackend>(
    whole: &DrawingArea<DB, Shift>,
    height: u32,
    layout: Layout,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    match layout {
        Layout::Wide => whole.split_vertically(height),
        Layout::Narrow => {
            let total = whole.dim_in_pixel().1;
            let (plot, keys) = whole.split_vertically(total.saturating_sub(height));
            (keys, plot)
        }
    }
}

/// A drawing area of our SVG backend.
type Area<'b> = DrawingArea<ThemedSvg<'b>, Shift>;

/// One layout of a chart with a legend, `height` units tall of which the
/// legend's strip takes `key_height` (`legend_height`): `paint` draws the
/// plot into the rest (given the whole drawing too, for what stands beside
/// the plot), then the legend is drawn in its strip.
fn draw_with_legend(
    layout: Layout,
    keys: &[(&str, RGBColor, Key)],
    key_height: u32,
    height: u32,
    paint: impl FnOnce(&Area<'_>, &Area<'_>) -> Option<()>,
) -> Option<String> {
    draw(layout.width(), height, |out, size| {
        let whole = ThemedSvg::new(out, size).area();
        let (key_area, root) = split_legend(&whole, key_height, layout);
        paint(&whole, &root)?;
        legend(&key_area, keys, layout)?;
        whole.present().ok()
    })
}

/// Draws a legend in its own strip (see `split_legend`), so it never
/// covers data: each key a swatch or a line with its name beside it,
/// written as plotters writes a `Rectangle`, a `PathElement` and a `Text`
/// placed on `area` (each point kept inside the area, as plotters keeps
/// it), without their styles and elements.
fn legend(area: &Area<'_>, items: &[(&str, RGBColor, Key)], layout: Layout) -> Option<()> {
    let places = legend_places(items, layout);
    let (xs, ys) = area.get_pixel_range();
    let at = |(x, y): (i32, i32)| {
        (
            (x + xs.start).min(xs.end).max(xs.start),
            (y + ys.start).min(ys.end).max(ys.start),
        )
    };
    let name_pos = Pos::new(HPos::Left, VPos::Center);
    area.draw(&backend::Direct(|svg: &mut ThemedSvg<'_>| {
        for ((_, color, key), (x, y, name)) in items.iter().zip(&places) {
            let (x, y) = (*x, *y);
            match key {
                Key::Swatch => {
                    let (a, b) = (at((x, y - 6)), at((x + 12, y + 6)));
                    let low = (a.0.min(b.0), a.1.min(b.1));
                    let high = (a.0.max(b.0), a.1.max(b.1));
                    let _ = svg.draw_rect(low, high, &color.filled(), true);
                }
                Key::Line => {
                    let line = [at((x, y)), at((x + 16, y))];
                    let _ = svg.draw_path(line, &color.stroke_width(3));
                }
            }
            svg.label(name, 16.0, name_pos, at((x + 20, y)));
        }
    }))
    .ok()
}

/// A phase as a chart row label: `Week 3-4: Monitoring…`.
fn row_label(phase: &Phase) -> String {
    if phase.title.is_empty() || phase.title == phase.label {
        svg::label(&phase.label, 30)
    } else {
        svg::label(&phase_name(phase), 30)
    }
}

/// A phase's full name, `Week 3-4: Monitoring`, as the data tables give
/// it (written without the formatting machinery: a chart names every
/// phase).
fn phase_name(phase: &Phase) -> String {
    let mut name = String::with_capacity(phase.label.len() + 2 + phase.title.len());
    name.push_str(&phase.label);
    name.push_str(": ");
    name.push_str(&phase.title);
    name
}

/// Rows are drawn from the top: row `i` of `n` sits at segment `n - 1 - i`.
fn row(i: usize, n: usize) -> i32 {
    (n - 1 - i) as i32
}

/// The x axis of a chart with one row per phase.
struct RowAxes<'n> {
    names: &'n [String],
    x: Range<f64>,
    /// The most labels on the x axis of the wide layout.
    x_labels: usize,
    x_format: &'n dyn Fn(&f64) -> String,
    x_desc: String,
    /// Written after `x_desc` in the wide layout only.
    x_note: String,
}

/// The height of the x axis's labels and description under a plot.
const X_LABEL_AREA: u32 = 40;

/// The room a narrow row chart leaves above each bar for the row's name.
const NAME_STRIP: u32 = 18;

type RowChart<'a, 'b> =
    ChartContext<'a, ThemedSvg<'b>, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordi32>>>;

/// A chart with a row per phase (first phase on top) and a numeric x axis,
/// in the house style. Wide: the names in a column on the left. Narrow:
/// each name over its row, in the strip its bars leave free (`Inset::under_name`),
/// so the bars get the whole width.
fn row_chart<'a, 'b>(
    area: &'a DrawingArea<ThemedSvg<'b>, Shift>,
    axes: &RowAxes<'_>,
    layout: Layout,
) -> Option<RowChart<'a, 'b>> {
    let names = axes.names;
    let n = names.len() as i32;
    let (margin, label_area) = match layout {
        Layout::Wide => (24, label_area(names)),
        Layout::Narrow => (20, 0),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(margin)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(label_area)
        .build_cartesian_2d(axes.x.clone(), (0..n - 1).into_segmented())
        .ok()?;
    let y_format = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
            .get(names.len().saturating_sub(1 + *i as usize))
            .cloned()
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    let x_desc = match layout {
        Layout::Wide => format!("{}{}", axes.x_desc, axes.x_note),
        Layout::Narrow => axes.x_desc.clone(),
    };
    let mesh = axes::Axes {
        x_labels: layout.ticks(axes.x_labels),
        y_labels: names.len(),
        x_format: axes.x_format,
        y_format: &y_format,
        x_desc: Some(&x_desc),
        y_desc: None,
        y_mesh: false,
        x_area: X_LABEL_AREA,
        y_area: label_area,
    };
    axes::draw(area, &chart, &mesh)?;
    if layout == Layout::Narrow {
        let style = (FONT, 16)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let left = axes.x.start;
        chart
            .draw_series(names.iter().enumerate().map(|(i, name)| {
                let top = SegmentValue::Exact(row(i, names.len()) + 1);
                EmptyElement::at((left, top)) + Text::new(name.clone(), (2, 3), style.clone())
            }))
            .ok()?;
    }
    Some(chart)
}

/// The look every chart's axes share: text colour and size, grid lines.
///
/// The light grid is transparent, so the backend writes none of its
/// lines: plotters is asked for as few as it can place (none across x,
/// which is always a float axis; one a label down y, where a row chart's
/// segmented axis cannot be asked for none), instead of ten between
/// labels that were worked out, placed and dropped.
pub(super) fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style((FONT, 16).into_font().color(&TEXT))
        .axis_desc_style((FONT, 16).into_font().color(&TEXT))
        .axis_style(GRID)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .x_max_light_lines(0)
        .y_max_light_lines(1)
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

    /// The inset in `layout`: in the narrow one, the row's name stands
    /// above its bars (see `row_chart`).
    const fn under_name(self, layout: Layout) -> Inset {
        match layout {
            Layout::Wide => self,
            Layout::Narrow => Inset {
                top: self.top + NAME_STRIP,
                bottom: self.bottom,
            },
        }
    }
}

/// The height of a row of `band` units in the wide layout, in `layout`.
const fn row_band(band: u32, layout: Layout) -> u32 {
    match layout {
        Layout::Wide => band,
        Layout::Narrow => band + NAME_STRIP,
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
        svg::no_decimals(*v)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_text as plan;

    /// The narrow drawing of `chart`: 340 units wide, with ids of its own
    /// and the class the theme shows on a phone; no label runs past its
    /// right edge (at 0.6 em a character: wider than the average letter
    /// of a sans-serif face; rotated labels left out).
    fn compact_for_a_phone(chart: &Chart) {
        let wide = roxmltree::Document::parse(&chart.inline_svg).expect("wide");
        let narrow = roxmltree::Document::parse(&chart.narrow_svg).expect("narrow");
        let root = narrow.root_element();
        assert!(
            root.attribute("viewBox")
                .is_some_and(|v| v.starts_with("0 0 340 ")),
            "{}",
            chart.id
        );
        assert_eq!(root.attribute("class"), Some("chart-svg chart-narrow"));
        let id = format!("chart-{}-narrow-title", chart.id);
        assert!(
            narrow
                .descendants()
                .any(|n| n.attribute("id") == Some(id.as_str())),
            "{}",
            chart.id
        );
        let ids = |doc: &roxmltree::Document| -> Vec<String> {
            doc.descendants()
                .filter_map(|n| n.attribute("id"))
                .map(String::from)
                .collect()
        };
        assert!(
            ids(&wide).iter().all(|i| !ids(&narrow).contains(i)),
            "{}: an id in both drawings",
            chart.id
        );
        let labels = narrow
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("transform").is_none());
        for text in labels {
            let words = text.text().unwrap_or("").chars().count() as f64;
            let x: f64 = text.attribute("x").and_then(|x| x.parse().ok()).expect("x");
            let width = words * 13.0 * 0.6;
            let right = match text.attribute("text-anchor") {
                Some("end") => x,
                Some("middle") => x + width / 2.0,
                _ => x + width,
            };
            assert!(
                right <= 340.0,
                "{}: {:?} ends at {right}",
                chart.id,
                text.text()
            );
        }
    }

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
            for svg in [&chart.inline_svg, &chart.narrow_svg] {
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
            compact_for_a_phone(chart);
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
