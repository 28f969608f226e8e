//! The drawing backend charts are drawn on: plotters lays the chart out,
//! this writes its elements as SVG the way the page wants them. Token
//! colours become CSS variables in one `style` attribute at the end of the
//! element (so charts follow the page's light and dark themes); attributes
//! that restate a default (`opacity="1"`, `stroke-width="1"`) and the font
//! family (an inline chart takes the page's font) are not written; font
//! sizes have one decimal.
//!
//! plotters' own SVG backend writes every attribute through `format!` and
//! would need a second pass to rewrite them; writing the final form
//! directly was a tenth of a build's time saved. What the charts lay out
//! themselves (axes, legends) is written through `Direct`, an element
//! that writes itself, and for the axes by short writers that write what
//! the general methods write.

use super::svg::{GRID, PALETTE, TEXT};
use crate::escape::svg_text_into;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, IntoDrawingArea};
use plotters::style::text_anchor::Pos;
use plotters::style::RGBColor;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::convert::Infallible;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// An SVG document being drawn into a string.
pub struct ThemedSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    closed: bool,
    /// The style of the element being written (kept between elements: a
    /// chart writes thousands, and a new string each grew four times).
    style: String,
    /// The last opacity and font size written, and their text: a chart
    /// uses a handful, and formatting a float is most of writing one.
    opacity: Option<(f64, String)>,
    font_size: Option<(f64, String)>,
}

impl<'a> ThemedSvg<'a> {
    /// Starts the document (`<svg …>`) in `out`.
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        out.push_str("<svg width=\"");
        int(out, size.0);
        out.push_str("\" height=\"");
        int(out, size.1);
        out.push_str("\" viewBox=\"0 0 ");
        int(out, size.0);
        out.push(' ');
        int(out, size.1);
        out.push_str("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        ThemedSvg {
            out,
            size,
            closed: false,
            style: String::with_capacity(128),
            opacity: None,
            font_size: None,
        }
    }

    /// The whole chart as a drawing area.
    pub fn area(self) -> plotters::drawing::DrawingArea<Self, plotters::coord::Shift> {
        self.into_drawing_area()
    }
}

/// One element being written: attributes in order, token colours gathered
/// into the style written last.
struct Element<'o> {
    out: &'o mut String,
    /// The style when it has more than one entry (never, as the backend
    /// paints each element once; kept so that any order stays right).
    style: &'o mut String,
    /// The style when it is one token colour: its whole attribute.
    token: Option<&'static TokenStyle>,
    opacity: &'o mut Option<(f64, String)>,
}

/// A token colour as a `fill` or a `stroke`: the style's entry, and the
/// whole attribute when it is the only one.
struct TokenStyle {
    entry: String,
    attribute: String,
}

/// Each token's style as a fill (`[0]`) and as a stroke (`[1]`), in
/// `PALETTE` order; worked out once.
fn token_styles() -> &'static [[TokenStyle; 2]] {
    static STYLES: OnceLock<Vec<[TokenStyle; 2]>> = OnceLock::new();
    STYLES.get_or_init(|| {
        PALETTE
            .iter()
            .map(|(_, var, fallback)| {
                ["fill", "stroke"].map(|name| {
                    let entry = format!("{name}:var({var},{fallback})");
                    let attribute = format!(" style=\"{entry}\"");
                    TokenStyle { entry, attribute }
                })
            })
            .collect()
    })
}

impl<'o> Element<'o> {
    #[inline]
    fn open(
        out: &'o mut String,
        style: &'o mut String,
        opacity: &'o mut Option<(f64, String)>,
        tag: &str,
    ) -> Self {
        out.reserve(256);
        out.push('<');
        out.push_str(tag);
        style.clear();
        Element {
            out,
            style,
            token: None,
            opacity,
        }
    }

    #[inline(always)]
    fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(value);
        self.out.push('"');
        self
    }

    #[inline(always)]
    fn int(&mut self, name: &str, value: impl itoa::Integer) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        int(self.out, value);
        self.out.push('"');
        self
    }

    /// `opacity`, unless it is the default.
    #[inline]
    fn opacity(&mut self, color: BackendColor) -> &mut Self {
        if color.alpha != 1.0 {
            let value = remembered(self.opacity, color.alpha, |a| format!("{a}"));
            self.out.push_str(" opacity=\"");
            self.out.push_str(value);
            self.out.push('"');
        }
        self
    }

    /// `stroke-width`, unless it is the default.
    #[inline]
    fn stroke_width(&mut self, width: u32) -> &mut Self {
        if width != 1 {
            self.int("stroke-width", width);
        }
        self
    }

    /// A `fill` or `stroke` colour: a token goes into the style as its
    /// CSS variable; any other colour is written as it is. (Inline: the
    /// name is a constant at every call, so the match on it goes.)
    #[inline(always)]
    fn paint(&mut self, name: &str, color: BackendColor) -> &mut Self {
        let (r, g, b) = color.rgb;
        let token = PALETTE
            .iter()
            .position(|(token, ..)| (token.0, token.1, token.2) == (r, g, b));
        let kind = match name {
            "fill" => Some(0),
            "stroke" => Some(1),
            _ => None,
        };
        match (token, kind) {
            (Some(index), Some(kind)) => {
                let token = &token_styles()[index][kind];
                if self.token.is_none() && self.style.is_empty() {
                    self.token = Some(token);
                } else {
                    self.style_entry(&token.entry);
                }
            }
            (Some(index), None) => {
                let (_, var, fallback) = PALETTE[index];
                let entry = format!("{name}:var({var},{fallback})");
                self.style_entry(&entry);
            }
            (None, _) => {
                self.attr(name, &format!("#{r:02X}{g:02X}{b:02X}"));
            }
        }
        self
    }

    /// Adds an entry to a style of more than one.
    fn style_entry(&mut self, entry: &str) {
        if let Some(first) = self.token.take() {
            self.style.push_str(&first.entry);
        }
        if !self.style.is_empty() {
            self.style.push(';');
        }
        self.style.push_str(entry);
    }

    /// A shape's colour: its fill when filled, else its outline's.
    #[inline]
    fn shape(&mut self, color: BackendColor, fill: bool) -> &mut Self {
        if fill {
            self.paint("fill", color).attr("stroke", "none")
        } else {
            self.attr("fill", "none").paint("stroke", color)
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) -> &mut Self {
        points(self.out, path);
        self
    }

    /// Ends the start tag: the style, then `/>` (empty) or `>`.
    #[inline]
    fn end(&mut self, empty: bool) {
        if let Some(token) = self.token {
            self.out.push_str(&token.attribute);
        } else if !self.style.is_empty() {
            self.out.push_str(" style=\"");
            self.out.push_str(self.style);
            self.out.push('"');
        }
        self.out.push_str(if empty { "/>\n" } else { ">" });
    }
}

/// The axes' elements (`charts::axes`), written as the general drawing
/// methods below write them in the axes' look (the grid colour one unit
/// wide; plain, unrotated text in the text colour), without their general
/// work: a chart has some thirty of them.
impl ThemedSvg<'_> {
    /// A grid line, as `draw_line` writes it.
    pub(super) fn grid_line(&mut self, from: BackendCoord, to: BackendCoord) {
        let out = &mut *self.out;
        out.reserve(128);
        out.push_str("<line x1=\"");
        int(out, from.0);
        out.push_str("\" y1=\"");
        int(out, from.1);
        out.push_str("\" x2=\"");
        int(out, to.0);
        out.push_str("\" y2=\"");
        int(out, to.1);
        out.push('"');
        out.push_str(&token_style(GRID, 1).attribute);
        out.push_str("/>\n");
    }

    /// A two-point path in the grid colour (an axis, a tick), as
    /// `draw_path` writes it.
    pub(super) fn grid_path(&mut self, [from, to]: [BackendCoord; 2]) {
        let out = &mut *self.out;
        out.reserve(128);
        out.push_str("<polyline fill=\"none\"");
        points(out, [from, to]);
        out.push_str(&token_style(GRID, 1).attribute);
        out.push_str("/>\n");
    }

    /// A label `size` pixels high in the text colour, anchored at `pos`,
    /// as `draw_text` writes it.
    pub(super) fn label(&mut self, text: &str, size: f64, pos: Pos, (x, y): BackendCoord) {
        let size = remembered(&mut self.font_size, size, font_size);
        let out = &mut *self.out;
        out.reserve(160 + text.len());
        out.push_str("<text x=\"");
        int(out, x);
        out.push_str("\" y=\"");
        int(out, y);
        out.push_str(match pos.v_pos {
            VPos::Top => "\" dy=\"0.76em\" text-anchor=\"",
            VPos::Center => "\" dy=\"0.5ex\" text-anchor=\"",
            VPos::Bottom => "\" dy=\"-0.5ex\" text-anchor=\"",
        });
        out.push_str(match pos.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        });
        out.push_str("\" font-size=\"");
        out.push_str(size);
        out.push('"');
        out.push_str(&token_style(TEXT, 0).attribute);
        out.push('>');
        let trimmed = text.trim();
        if trimmed.is_empty() {
            out.push('\n');
        } else {
            svg_text_into(out, trimmed);
        }
        out.push_str("</text>\n");
    }
}

/// An element that writes itself straight into the drawing (its
/// function), for what a chart lays out itself: drawn on any area, it has
/// no points for plotters to place.
pub(super) struct Direct<F>(pub F);

impl<'a, C: 'a, F> PointCollection<'a, C> for &'a Direct<F> {
    type Point = &'a C;
    type IntoIter = std::iter::Empty<&'a C>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl<'b, F: Fn(&mut ThemedSvg<'b>)> Drawable<ThemedSvg<'b>> for Direct<F> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        svg: &mut ThemedSvg<'b>,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        (self.0)(svg);
        Ok(())
    }
}

/// The style of token `color` as a fill (`kind` 0) or a stroke (1).
/// ` points="x,y x,y "`: a polyline's or polygon's points.
fn points(out: &mut String, path: impl IntoIterator<Item = BackendCoord>) {
    out.push_str(" points=\"");
    for (x, y) in path {
        int(out, x);
        out.push(',');
        int(out, y);
        out.push(' ');
    }
    out.push('"');
}

fn token_style(color: RGBColor, kind: usize) -> &'static TokenStyle {
    let index = PALETTE
        .iter()
        .position(|(token, ..)| *token == color)
        .unwrap_or_default();
    &token_styles()[index][kind]
}

/// plotters' pixel size, as SVG font units, to one decimal.
fn font_size(size: f64) -> String {
    let text = format!("{:.1}", size / 1.24);
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The text of `value`, formatted by `format` unless it is the one
/// `last` holds.
fn remembered(
    last: &mut Option<(f64, String)>,
    value: f64,
    format: impl Fn(f64) -> String,
) -> &str {
    if last
        .as_ref()
        .is_none_or(|(v, _)| v.to_bits() != value.to_bits())
    {
        *last = Some((value, format(value)));
    }
    last.as_ref().map_or("", |(_, text)| text.as_str())
}

#[inline(always)]
fn int(out: &mut String, value: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(value));
}

type Drawn = Result<(), DrawingErrorKind<Infallible>>;

impl DrawingBackend for ThemedSvg<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        if !self.closed {
            self.out.push_str("</svg>\n");
            self.closed = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Drawn {
        if color.alpha == 0.0 {
            return Ok(());
        }
        Element::open(self.out, &mut self.style, &mut self.opacity, "rect")
            .int("x", x)
            .int("y", y)
            .attr("width", "1")
            .attr("height", "1")
            .attr("stroke", "none")
            .opacity(color)
            .paint("fill", color)
            .end(true);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        Element::open(self.out, &mut self.style, &mut self.opacity, "line")
            .opacity(color)
            .paint("stroke", color)
            .stroke_width(style.stroke_width())
            .int("x1", from.0)
            .int("y1", from.1)
            .int("x2", to.0)
            .int("y2", to.1)
            .end(true);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let mut element = Element::open(self.out, &mut self.style, &mut self.opacity, "rect");
        element
            .int("x", upper_left.0)
            .int("y", upper_left.1)
            .int("width", bottom_right.0 - upper_left.0)
            .int("height", bottom_right.1 - upper_left.1)
            .opacity(color);
        element.shape(color, fill).end(true);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        Element::open(self.out, &mut self.style, &mut self.opacity, "polyline")
            .attr("fill", "none")
            .opacity(color)
            .paint("stroke", color)
            .stroke_width(style.stroke_width())
            .points(path)
            .end(true);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        Element::open(self.out, &mut self.style, &mut self.opacity, "polygon")
            .opacity(color)
            .paint("fill", color)
            .points(path)
            .end(true);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let mut element = Element::open(self.out, &mut self.style, &mut self.opacity, "circle");
        element
            .int("cx", center.0)
            .int("cy", center.1)
            .int("r", radius)
            .opacity(color);
        element
            .shape(color, fill)
            .stroke_width(style.stroke_width())
            .end(true);
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        let size = remembered(&mut self.font_size, style.size(), font_size);
        let mut element = Element::open(self.out, &mut self.style, &mut self.opacity, "text");
        element
            .int("x", x)
            .int("y", y)
            .attr("dy", dy)
            .attr("text-anchor", anchor)
            .attr("font-size", size)
            .opacity(color)
            .paint("fill", color);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => {
                element.attr("font-weight", "bold");
            }
            other => {
                element.attr("font-style", other.as_str());
            }
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            _ => None,
        };
        if let Some(degrees) = degrees {
            let mut value = String::new();
            let _ = write!(value, "rotate({degrees}, {x}, {y})");
            element.attr("transform", &value);
        }
        element.end(false);
        // Labels are written trimmed; a blank one as a line break.
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.out.push('\n');
        } else {
            svg_text_into(self.out, trimmed);
        }
        self.out.push_str("</text>\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ThemedSvg;
    use crate::charts::svg::{SERIES_1, TEXT};
    use plotters::prelude::*;

    #[test]
    fn the_axes_elements_are_written_as_the_general_methods_write_them() {
        use crate::charts::svg::{FONT, GRID};
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        use plotters_backend::DrawingBackend;
        let (mut general, mut fast) = (String::new(), String::new());
        {
            let mut a = ThemedSvg::new(&mut general, (40, 20));
            let mut b = ThemedSvg::new(&mut fast, (40, 20));
            a.draw_line((1, 2), (3, -4), &ShapeStyle::from(&GRID))
                .expect("line");
            b.grid_line((1, 2), (3, -4));
            a.draw_path([(5, 6), (-7, 8)], &ShapeStyle::from(&GRID))
                .expect("path");
            b.grid_path([(5, 6), (-7, 8)]);
            for (h, v) in [
                (HPos::Left, VPos::Top),
                (HPos::Right, VPos::Center),
                (HPos::Center, VPos::Bottom),
            ] {
                for text in ["", "  ", " a & 'b' <c> ", "$1.5M"] {
                    let pos = Pos::new(h, v);
                    let style = (FONT, 16).into_font().color(&TEXT).pos(pos);
                    a.draw_text(text, &style, (9, 10)).expect("text");
                    b.label(text, 16.0, pos, (9, 10));
                }
            }
        }
        assert_eq!(fast, general);
    }

    #[test]
    fn tokens_become_variables_in_one_style_attribute_and_defaults_go() {
        let mut out = String::new();
        {
            let area = ThemedSvg::new(&mut out, (40, 20)).area();
            area.draw(&Rectangle::new([(1, 2), (5, 6)], SERIES_1.filled()))
                .expect("rect");
            area.draw(&Rectangle::new([(1, 2), (5, 6)], TEXT.stroke_width(2)))
                .expect("outline");
            let style = ("sans-serif", 16).into_font().color(&TEXT);
            area.draw(&Text::new("a & 'b' ", (3, 4), style))
                .expect("text");
            area.draw(&PathElement::new([(0, 0), (4, 4)], RGBColor(9, 9, 9)))
                .expect("path");
            area.present().expect("present");
        }
        assert_eq!(
            out,
            concat!(
                "<svg width=\"40\" height=\"20\" viewBox=\"0 0 40 20\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                "<rect x=\"1\" y=\"2\" width=\"4\" height=\"4\" stroke=\"none\" style=\"fill:var(--chart-1,#1f5fbf)\"/>\n",
                "<rect x=\"1\" y=\"2\" width=\"4\" height=\"4\" fill=\"none\" style=\"stroke:var(--chart-text,#1d2430)\"/>\n",
                "<text x=\"3\" y=\"4\" dy=\"0.76em\" text-anchor=\"start\" font-size=\"12.9\" style=\"fill:var(--chart-text,#1d2430)\">a &amp; &apos;b&apos;</text>\n",
                "<polyline fill=\"none\" stroke=\"#090909\" points=\"0,0 4,4 \"/>\n",
                "</svg>\n",
            )
        );
        roxmltree::Document::parse(&out).expect("well-formed");
    }
}
