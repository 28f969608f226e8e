//! Raster: an SVG drawing to a PNG image, for the link-preview cards. The
//! fonts are shipped in the binary (DejaVu Sans and DejaVu Sans Bold,
//! under the Bitstream Vera licence: `assets/fonts/LICENSE`); no font of
//! the machine is ever read, and no file or address the drawing names is
//! fetched (images are refused). Text widths come from the same font, so
//! a drawing can fit its text before it is drawn. A leaf module: it
//! imports nothing of the crate.

use resvg::{tiny_skia, usvg};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The font family drawings name (`font-family`).
pub const FAMILY: &str = "DejaVu Sans";

/// Changes whenever the same drawing would give other pixels (another
/// font, rasteriser or encoding): part of every card's key, so a card
/// kept from an earlier build is always what this build would draw.
pub const VERSION: &str = "resvg 0.45, DejaVu Sans 2.37, png 1";

/// The fonts, parsed once for the whole process.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            for bytes in [REGULAR, BOLD] {
                db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(bytes)));
            }
            Arc::new(db)
        })
        .clone()
}

/// `svg` drawn at `width` × `height` pixels, encoded as PNG; `Err` says
/// why not (a drawing of another size is refused: the caller promised
/// that size to the page).
pub fn png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: FAMILY.into(),
        fontdb: fonts(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("card drawing: {e}"))?;
    let size = tree.size().to_int_size();
    if (size.width(), size.height()) != (width, height) {
        return Err(format!(
            "card drawing is {}×{}, not {width}×{height}",
            size.width(),
            size.height()
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("no room for a {width}×{height} image"))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    encode(&pixmap).map_err(|e| format!("card image: {e}"))
}

/// The picture as PNG, without its alpha channel (drawings are opaque: a
/// card has a background): with a palette when it has 256 colours or
/// fewer, else as RGB.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_depth(png::BitDepth::Eight);
    // The fast level: the default spent a third of a cold build of 1,000
    // plans in deflate, for cards a few kilobytes smaller.
    encoder.set_compression(png::Compression::Fast);
    match palette(pixmap.data()) {
        Some((colours, indices)) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(colours);
            encoder.write_header()?.write_image_data(&indices)?;
        }
        None => {
            // Premultiplied by an alpha of 255 everywhere: the bytes are
            // the colour.
            let rgb: Vec<u8> = pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            encoder.set_color(png::ColorType::Rgb);
            encoder.write_header()?.write_image_data(&rgb)?;
        }
    }
    Ok(out)
}

/// The colours of `rgba` (four bytes a pixel, the alpha ignored) as RGB
/// and each pixel's index among them, when there are 256 or fewer. Read
/// straight from the pixmap (no RGB copy first) with a fast fixed hash:
/// the copy and the default hasher were a tenth of a cold build.
fn palette(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: HashMap<u32, u8, foldhash::fast::FixedState> = HashMap::default();
    let mut colours = Vec::new();
    let mut indices = vec![0u8; rgba.len() / 4];
    // Most pixels are the colour of the one before: a comparison and a
    // store for them, no look-up (the slots are written in place: no
    // capacity check a pixel).
    // No colour has a high byte: the first pixel is always looked up.
    let (mut last, mut last_at) = (u32::MAX, 0u8);
    for (pixel, slot) in rgba.chunks_exact(4).zip(indices.iter_mut()) {
        let colour = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], 0]);
        if last != colour {
            last_at = match index.get(&colour) {
                Some(&at) => at,
                None => {
                    let at = u8::try_from(index.len()).ok()?;
                    index.insert(colour, at);
                    colours.extend_from_slice(&pixel[..3]);
                    at
                }
            };
            last = colour;
        }
        *slot = last_at;
    }
    Some((colours, indices))
}

/// One font's metrics, for fitting text before it is drawn: the advance
/// of every character below `CACHED` looked up once (the cmap look-up is
/// most of the cost of measuring, and cards measure every title).
struct Metrics {
    face: ttf_parser::Face<'static>,
    per_em: f32,
    cached: Vec<f32>,
}

/// Latin, Greek and Cyrillic: the characters most titles are made of.
const CACHED: u32 = 0x500;

impl Metrics {
    fn new(bytes: &'static [u8]) -> Option<Metrics> {
        let face = ttf_parser::Face::parse(bytes, 0).ok()?;
        let per_em = f32::from(face.units_per_em().max(1));
        let mut metrics = Metrics {
            face,
            per_em,
            cached: Vec::new(),
        };
        metrics.cached = (0..CACHED)
            .map(|c| char::from_u32(c).map_or(0.0, |c| metrics.look_up(c)))
            .collect();
        Some(metrics)
    }

    /// The advance of `c` in ems; a character the font lacks counts as
    /// wide as an `M`: the drawing leaves it room rather than overflow.
    fn look_up(&self, c: char) -> f32 {
        let face = &self.face;
        face.glyph_index(c)
            .or_else(|| face.glyph_index('M'))
            .and_then(|g| face.glyph_hor_advance(g))
            .map_or(0.7, |a| f32::from(a) / self.per_em)
    }

    fn advance(&self, c: char) -> f32 {
        match self.cached.get(c as usize) {
            Some(&em) => em,
            None => self.look_up(c),
        }
    }
}

fn metrics(bold: bool) -> Option<&'static Metrics> {
    static REGULAR_METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    static BOLD_METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    if bold {
        BOLD_METRICS.get_or_init(|| Metrics::new(BOLD)).as_ref()
    } else {
        REGULAR_METRICS
            .get_or_init(|| Metrics::new(REGULAR))
            .as_ref()
    }
}

/// The width of `text` drawn at `size` pixels, in pixels (advances
/// added, without kerning: a little wider than drawn, never narrower by
/// more than a kerning pair).
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    match metrics(bold) {
        Some(m) => text.chars().map(|c| m.advance(c)).sum::<f32>() * size,
        // Cannot happen with the fonts shipped; a generous guess if it did.
        None => text.chars().count() as f32 * size * 0.7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_becomes_a_png_of_its_size_with_text() {
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#fff"/><text x="10" y="60" font-family="{FAMILY}" font-size="40" fill="#000">Hi</text></svg>"##
        );
        let image = png(&svg, 200, 100).expect("drawn");
        let pixmap = tiny_skia::Pixmap::decode_png(&image).expect("decodes");
        assert_eq!((pixmap.width(), pixmap.height()), (200, 100));
        let dark = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() < 100 && p.alpha() == 255)
            .count();
        assert!(dark > 100, "the text was drawn ({dark} dark pixels)");
        assert!(png(&svg, 201, 100).is_err(), "another size is refused");
    }

    #[test]
    fn images_and_bad_drawings_are_refused_or_ignored() {
        assert!(png("<svg", 10, 10).is_err());
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>"#;
        assert!(png(svg, 10, 10).is_ok(), "drawn without the image");
    }

    #[test]
    fn widths_grow_with_text_and_bold_is_wider() {
        let plain = text_width("Project plan", 20.0, false);
        assert!(plain > 80.0 && plain < 200.0, "{plain}");
        assert!(text_width("Project plan", 20.0, true) > plain);
        assert_eq!(text_width("", 20.0, false), 0.0);
    }
}
