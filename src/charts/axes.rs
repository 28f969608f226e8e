//! A chart's grid, axes and labels, written straight into the SVG: the
//! same elements, in the same order and at the same places, that
//! plotters' mesh (`configure_mesh().draw()` in the house style) writes,
//! without its work that draws nothing. Plotters draws a mesh twice, a
//! light grid and then the bold one, and between them lays out, formats
//! and hands over every label, tick and grid line one at a time through
//! its drawing areas; the house style's light grid is transparent, so of
//! that first pass only the axis descriptions are ever written.
//!
//! What is kept from plotters is what decides the picture: where the
//! labels go (its key points, `Ranged::key_points`), and where a value
//! falls (`Ranged::map`), on the plotting area its `ChartBuilder` laid out.
//! The label areas are where the builder puts them: the left one
//! `y_area` wide beside the plotting area, the bottom one `x_area` tall
//! under it, each only when it has room.

use super::backend::{Direct, ThemedSvg};
use super::svg::{FONT, TEXT};
use plotters::chart::ChartContext;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::Shift;
use plotters::prelude::{Cartesian2d, DrawingArea, IntoFont};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use plotters_backend::{BackendCoord, DrawingBackend};

/// The axes of a chart: how many labels on each, how they read, their
/// descriptions, and the sizes its label areas were built with.
pub(super) struct Axes<'f, X, Y> {
    /// The most labels on the x axis (plotters' `x_labels`).
    pub x_labels: usize,
    /// The most labels on the y axis (`y_labels`).
    pub y_labels: usize,
    pub x_format: &'f dyn Fn(&X) -> String,
    pub y_format: &'f dyn Fn(&Y) -> String,
    pub x_desc: Option<&'f str>,
    pub y_desc: Option<&'f str>,
    /// Grid lines across at the y labels too (a row chart has none).
    pub y_mesh: bool,
    /// The bottom label area's height (`x_label_area_size`).
    pub x_area: u32,
    /// The left label area's width (`y_label_area_size`).
    pub y_area: u32,
}

/// The house style's label size, in plotters' pixels (`(FONT, 16)`).
const LABEL_SIZE: f64 = 16.0;

/// Draws the grid, axes, ticks and labels of `chart` on `area` (any area
/// of the drawing: the element places itself).
pub(super) fn draw<XR: Ranged, YR: Ranged>(
    area: &DrawingArea<ThemedSvg<'_>, Shift>,
    chart: &ChartContext<'_, ThemedSvg<'_>, Cartesian2d<XR, YR>>,
    axes: &Axes<'_, XR::ValueType, YR::ValueType>,
) -> Option<()> {
    let plot = chart.plotting_area();
    let (xs, ys) = plot.get_pixel_range();
    let (x0, x1, y0, y1) = (xs.start, xs.end, ys.start, ys.end);
    let (width, height) = plot.dim_in_pixel();
    let spec = plot.as_coord_spec();
    // The plotting area's pixels, as its coordinates map onto them.
    let back_x = (x0, x1 - 1);
    let back_y = (y1 - 1, y0);
    // plotters' tick: 5% of the plotting area's smaller side, at most 5.
    let tick = ((5.0 / 100.0 * f64::from(width.min(height))).round() as i32).min(5);
    let x_labels = labels(spec.x_spec(), axes.x_labels, back_x, axes.x_format);
    let y_labels = labels(spec.y_spec(), axes.y_labels, back_y, axes.y_format);
    let mesh = Mesh {
        x0,
        y0,
        y1,
        back_x,
        back_y,
        tick,
        left: (axes.y_area > 0 && height > 0).then_some((axes.y_area, height)),
        bottom: (axes.x_area > 0 && width > 0).then_some((width, axes.x_area)),
        x_labels,
        y_labels,
        x_desc: axes.x_desc,
        y_desc: axes.y_desc,
        y_mesh: axes.y_mesh,
    };
    area.draw(&Direct(|svg: &mut ThemedSvg<'_>| mesh.write(svg)))
        .ok()
}

/// At most `count` labels of one axis: where plotters puts them on the
/// pixels `back`, and what they read.
fn labels<R: Ranged>(
    range: &R,
    count: usize,
    back: (i32, i32),
    format: &dyn Fn(&R::ValueType) -> String,
) -> Vec<(i32, String)> {
    range
        .key_points(BoldPoints(count))
        .iter()
        .map(|v| (range.map(v, back), format(v)))
        .collect()
}

/// Everything the mesh writes, laid out.
struct Mesh<'f> {
    /// The plotting area's top left corner and bottom edge (exclusive).
    x0: i32,
    y0: i32,
    y1: i32,
    back_x: (i32, i32),
    back_y: (i32, i32),
    tick: i32,
    /// The label areas' sizes, when they are there.
    left: Option<(u32, u32)>,
    bottom: Option<(u32, u32)>,
    /// Each label's pixel along its axis, and its text.
    x_labels: Vec<(i32, String)>,
    y_labels: Vec<(i32, String)>,
    x_desc: Option<&'f str>,
    y_desc: Option<&'f str>,
    y_mesh: bool,
}

/// A range from its two ends, in either order.
fn span((a, b): (i32, i32)) -> (i32, i32) {
    (a.min(b), a.max(b))
}

impl Mesh<'_> {
    /// A line plotters draws as a path element in a label area: its points
    /// kept inside the area (its corners `x0, y0, x1, y1`).
    fn path(
        svg: &mut ThemedSvg<'_>,
        points: [BackendCoord; 2],
        (ax0, ay0, ax1, ay1): (i32, i32, i32, i32),
    ) {
        svg.grid_path(points.map(|(x, y)| (x.min(ax1).max(ax0), y.min(ay1).max(ay0))));
    }

    fn write(&self, svg: &mut ThemedSvg<'_>) {
        // The first pass: the light grid is transparent; only the axes'
        // descriptions show, on the left, then at the bottom.
        if let (Some((w, h)), Some(desc)) = (self.left, self.y_desc) {
            let style = (FONT, LABEL_SIZE)
                .into_font()
                .color(&TEXT)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top));
            let at = (self.x0 - w as i32, self.y0 + (h / 2) as i32);
            let _ = svg.draw_text(desc, &style, at);
        }
        if let (Some((w, h)), Some(desc)) = (self.bottom, self.x_desc) {
            let at = (self.x0 + (w / 2) as i32, self.y1 + h as i32);
            svg.label(desc, LABEL_SIZE, Pos::new(HPos::Center, VPos::Bottom), at);
        }
        // The bold pass: grid lines at the labels, then each axis with
        // its labels and ticks.
        for (x, _) in &self.x_labels {
            svg.grid_line((*x, self.back_y.0), (*x, self.back_y.1));
        }
        if self.y_mesh {
            for (y, _) in &self.y_labels {
                svg.grid_line((self.back_x.0, *y), (self.back_x.1, *y));
            }
        }
        let distance = self.tick * 2;
        if let Some((w, h)) = self.left {
            let (ax0, ay0) = (self.x0 - w as i32, self.y0);
            let corners = (ax0, ay0, ax0 + w as i32, ay0 + h as i32);
            let (low, high) = span(self.back_y);
            let x = ax0 + w as i32 - 1;
            Self::path(svg, [(x, low), (x, high)], corners);
            let pos = Pos::new(HPos::Right, VPos::Center);
            for (y, label) in &self.y_labels {
                if *y < low || high < *y {
                    continue;
                }
                svg.label(label, LABEL_SIZE, pos, (ax0 + w as i32 - distance, *y));
                Self::path(svg, [(x - self.tick, *y), (x, *y)], corners);
            }
        }
        if let Some((w, h)) = self.bottom {
            let (ax0, ay0) = (self.x0, self.y1);
            let corners = (ax0, ay0, ax0 + w as i32, ay0 + h as i32);
            let (low, high) = span(self.back_x);
            Self::path(svg, [(low, ay0), (high, ay0)], corners);
            let pos = Pos::new(HPos::Center, VPos::Top);
            for (x, label) in &self.x_labels {
                if *x < low || high < *x {
                    continue;
                }
                svg.label(label, LABEL_SIZE, pos, (*x, ay0 + distance));
                Self::path(svg, [(*x, ay0), (*x, ay0 + self.tick)], corners);
            }
        }
    }
}
