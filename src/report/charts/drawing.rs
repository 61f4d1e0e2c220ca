//! How a figure is drawn with plotters, generic over the backend: the embedded fonts
//! (registered once), the house style (sizes, colours, axes, legends, tick labels), the
//! page layout (title, subtitle, plot, footer), and the two outputs, SVG and a bitmap drawn
//! at twice the size and downsampled to PNG. `plots` draws the plot of each kind.
//!
//! Only this module and `plots` know plotters. They draw what a `Figure` holds and decide
//! nothing it says: no titles, no data, no statistics.

use super::plots::draw_plot;
use super::{Axis, Figure, Footer, Rgb, SIZE};
use crate::report::{count, money, percent};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();
const BOLD_FAMILY: &str = "tokensim-bold";

/// plotters writes a font of size `s` as `s / 1.24` pixels; sizes here are real pixels.
const PX_TO_PLOTTERS: f64 = 1.24;

fn register_fonts() {
    REGISTER.call_once(|| {
        // The fonts are bundled and known to parse; a failure would only lose text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
        // The bitmap backend draws every style from the normal face, so bold text there
        // asks for the bold face by a family of its own.
        let _ = plotters::style::register_font(BOLD_FAMILY, FontStyle::Normal, FONT_BOLD);
    });
}

/// A figure's colour as plotters' colour.
pub(super) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Sizes in pixels at 1920x1080; the bitmap draws at scale `k` = 2.
pub(super) struct Style {
    k: f64,
    bitmap: bool,
}

impl Style {
    pub(super) fn px(&self, x: f64) -> u32 {
        (x * self.k).round() as u32
    }
    /// Text whose letters are `size` pixels to the em at 1920x1080.
    pub(super) fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * PX_TO_PLOTTERS * self.k)
            .into_font()
            .color(&RGBColor(0x22, 0x22, 0x22))
    }
    pub(super) fn bold(&self, size: f64) -> TextStyle<'static> {
        let size = size * PX_TO_PLOTTERS * self.k;
        let font = if self.bitmap {
            (BOLD_FAMILY, size).into_font()
        } else {
            ("sans-serif", size).into_font().style(FontStyle::Bold)
        };
        font.color(&RGBColor(0x11, 0x11, 0x11))
    }
}

/// Splits `text` into lines no wider than `width` pixels in `style`.
fn wrap_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        let w = area
            .estimate_text_size(&candidate, style)
            .map(|(w, _)| w)
            .unwrap_or(0);
        if w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws a whole figure: title and subtitle wrapped at the top, the footer at the
/// bottom, the plot between.
fn draw_figure<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
    st: &Style,
    footer: &Footer,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let margin = st.px(48.0);
    let title_style = st.bold(44.0);
    let sub_style = st.font(28.0).color(&RGBColor(0x55, 0x55, 0x55));
    let mut y = st.px(30.0) as i32;
    for line in wrap_text(root, &fig.title, &title_style, w - 2 * margin) {
        root.draw(&Text::new(line, (margin as i32, y), title_style.clone()))?;
        y += st.px(56.0) as i32;
    }
    for line in wrap_text(root, &fig.subtitle, &sub_style, w - 2 * margin) {
        root.draw(&Text::new(
            line,
            (margin as i32, y + st.px(4.0) as i32),
            sub_style.clone(),
        ))?;
        y += st.px(38.0) as i32;
    }
    let footer_h = st.px(56.0);
    let (_, rest) = root.split_vertically(y as u32 + st.px(16.0));
    let (body, foot) = rest.split_vertically(rest.dim_in_pixel().1 - footer_h);
    foot.draw(&Text::new(
        footer.text(),
        (margin as i32, st.px(14.0) as i32),
        st.font(24.0).color(&RGBColor(0x66, 0x66, 0x66)),
    ))?;
    let body = body.margin(0, 0, st.px(24.0), st.px(48.0));
    draw_plot(&fig.plot, &body, st)
}

/// The y range of an axis showing `lo` to `hi`, padded by 6% (from zero when
/// `floor_zero` and nothing is negative), or around zero when empty or degenerate.
pub(super) fn pad_range(lo: f64, hi: f64, floor_zero: bool) -> (f64, f64) {
    let (lo, hi) = if floor_zero {
        (lo.min(0.0), hi)
    } else {
        (lo, hi)
    };
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (lo.min(0.0) - 1.0, hi.max(0.0) + 1.0);
    }
    let pad = 0.06 * (hi - lo);
    (
        if floor_zero && lo >= 0.0 {
            0.0
        } else {
            lo - pad
        },
        hi + pad,
    )
}

/// A tick label: money without a trailing ".0" (`$50M`), or a percentage, or a count.
pub(super) fn format_tick(v: f64, axis: Axis) -> String {
    match axis {
        Axis::Money => money(v).replace(".0M", "M").replace(".0B", "B"),
        Axis::Percent => percent(v),
        Axis::Count => format_count_tick(v),
    }
}

/// A count's tick label: thousands separated, else three significant digits.
pub(super) fn format_count_tick(v: f64) -> String {
    if v.abs() >= 1000.0 {
        count(v)
    } else if v == 0.0 {
        "0".into()
    } else {
        // Three significant digits, trailing zeros dropped: 0.025, 1.5, 240.
        let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.digits$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    }
}

/// The house style of every axis: light grid only on the major lines, grey axes, and
/// 26 px labels with 28 px axis titles. Callers add descriptions, label counts and
/// formats, then draw.
pub(super) fn style_mesh<'a, 'b, DB, X, Y>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    st: &Style,
) -> plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged + plotters::coord::ranged1d::ValueFormatter<X::ValueType>,
    Y: Ranged + plotters::coord::ranged1d::ValueFormatter<Y::ValueType>,
{
    let mut m = chart.configure_mesh();
    m.light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .axis_style(RGBColor(0x99, 0x99, 0x99))
        .label_style(st.font(26.0))
        .axis_desc_style(st.font(28.0));
    m
}

/// Draws the legend of a chart with the house style.
pub(super) fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    st: &Style,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(st.font(26.0))
        .background_style(WHITE.mix(0.85))
        .border_style(TRANSPARENT)
        .margin(st.px(16.0))
        .legend_area_size(st.px(52.0))
        .draw()
}

/// Draws one named curve with its legend entry.
pub(super) fn draw_curve<
    'a,
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    name: &str,
    colour: RGBColor,
    points: impl IntoIterator<Item = (f64, f64)>,
    st: &Style,
) -> DrawResult<DB> {
    let (width, long) = (st.px(5.0), st.px(36.0) as i32);
    chart
        .draw_series(LineSeries::new(points, colour.stroke_width(width)))?
        .label(name)
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + long, y)], colour.stroke_width(width))
        });
    Ok(())
}

/// Draws the figure as SVG text at 1920x1080.
pub(super) fn draw_svg(fig: &Figure, footer: &Footer) -> Result<String, String> {
    register_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_figure(
            fig,
            &root,
            &Style {
                k: 1.0,
                bitmap: false,
            },
            footer,
        )
        .map_err(|e| format!("{}: {e}", fig.name))?;
        root.present().map_err(|e| format!("{}: {e}", fig.name))?;
    }
    Ok(svg)
}

/// Draws the figure as PNG bytes at 1920x1080: at twice the size, then averaged down.
pub(super) fn draw_png(fig: &Figure, footer: &Footer) -> Result<Vec<u8>, String> {
    register_fonts();
    let (w, h) = (SIZE.0 * 2, SIZE.1 * 2);
    let mut big = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        draw_figure(
            fig,
            &root,
            &Style {
                k: 2.0,
                bitmap: true,
            },
            footer,
        )
        .map_err(|e| format!("{}: {e}", fig.name))?;
        root.present().map_err(|e| format!("{}: {e}", fig.name))?;
    }
    let small = downsample(&big, w as usize, h as usize);
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, SIZE.0, SIZE.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&small).map_err(|e| e.to_string())?;
    }
    Ok(png_bytes)
}

/// Averages each 2x2 block of an RGB image.
fn downsample(big: &[u8], w: usize, h: usize) -> Vec<u8> {
    let (sw, sh) = (w / 2, h / 2);
    let mut out = vec![0u8; sw * sh * 3];
    for y in 0..sh {
        for x in 0..sw {
            for c in 0..3 {
                let at = |xx: usize, yy: usize| big[(yy * w + xx) * 3 + c] as u32;
                let sum = at(2 * x, 2 * y)
                    + at(2 * x + 1, 2 * y)
                    + at(2 * x, 2 * y + 1)
                    + at(2 * x + 1, 2 * y + 1);
                out[(y * sw + x) * 3 + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_averages_blocks() {
        let big = [0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0];
        assert_eq!(downsample(&big, 2, 2), vec![128, 128, 128]);
    }

    #[test]
    fn count_ticks_keep_three_significant_digits() {
        assert_eq!(format_count_tick(0.025), "0.025");
        assert_eq!(format_count_tick(1.5), "1.5");
        assert_eq!(format_count_tick(240.0), "240");
        assert_eq!(format_count_tick(0.0), "0");
    }
}
