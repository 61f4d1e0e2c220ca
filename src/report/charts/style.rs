//! The house style of a chart, with plotters: the embedded fonts (registered once), text
//! sizes at 1920x1080, colours, axis ranges and tick labels, the mesh, the legend and a
//! curve. `plots` and `drawing` draw with it.
//!
//! Only this module, `plots` and `drawing` know plotters. Style only: what a figure says
//! and where its parts go on the page are decided elsewhere.

use super::{Axis, Curve, Rgb};
use crate::report::{count, money, percent};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();
const BOLD_FAMILY: &str = "tokensim-bold";

/// plotters writes a font of size `s` as `s / 1.24` pixels; sizes here are real pixels.
const PX_TO_PLOTTERS: f64 = 1.24;

pub(super) fn register_fonts() {
    REGISTER.call_once(|| {
        // The fonts are bundled and known to parse; a failure would only lose text.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
        // The bitmap backend draws every style from the normal face, so bold text there
        // asks for the bold face by a family of its own.
        let _ = plotters::style::register_font(BOLD_FAMILY, FontStyle::Normal, FONT_BOLD);
    });
}

/// Units per em over the ascent-to-descent height of a bundled face, read from its `head`
/// and `hhea` tables: plotters' ab_glyph scales a font by that height, while an SVG reader
/// scales it by the em.
fn em_per_height(font: &[u8]) -> f64 {
    let be16 = |at: usize| {
        font.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let tables = be16(4).unwrap_or(0) as usize;
    let offset = |tag: &[u8]| {
        (0..tables).find_map(|i| {
            let rec = 12 + 16 * i;
            (font.get(rec..rec + 4)? == tag).then(|| {
                let b = &font[rec + 8..rec + 12];
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
            })
        })
    };
    let read = || -> Option<f64> {
        let upem = be16(offset(b"head")? + 18)? as f64;
        let hhea = offset(b"hhea")?;
        let ascent = be16(hhea + 4)? as i16 as f64;
        let descent = be16(hhea + 6)? as i16 as f64;
        Some(upem / (ascent - descent))
    };
    read().unwrap_or(1.0)
}

/// The width in pixels of `text` at `px` pixels to the em at 1920x1080, in the bundled
/// face (bold or not): the width the bitmap draws it at, and the width the SVG asks a
/// reader to draw it at.
pub(super) fn measure_text(text: &str, px: f64, bold: bool) -> f64 {
    register_fonts();
    let (family, size) = if bold {
        (BOLD_FAMILY, px * PX_TO_PLOTTERS * 10.0)
    } else {
        ("sans-serif", px * PX_TO_PLOTTERS * 10.0)
    };
    // Measured at ten times the size, so the whole-pixel layout loses nothing.
    FontDesc::new(FontFamily::Name(family), size, FontStyle::Normal)
        .box_size(text)
        .map(|(w, _)| w as f64 / 10.0)
        .unwrap_or(0.0)
}

/// XML text back to its characters (plotters escapes these five).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Makes an SVG written by plotters lay its text out as the bitmap does, whatever fonts
/// the reader has: each `<text>` names the bundled face first, gets the font size whose
/// em matches the bitmap's glyphs, and a `textLength` of its width measured in the bundled
/// face (`lengthAdjust="spacingAndGlyphs"`), so a reader with another face still draws it
/// exactly as wide as the layout measured and nothing is clipped.
pub(super) fn fit_svg_text(svg: &str) -> String {
    let scale = PX_TO_PLOTTERS * em_per_height(FONT);
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(at) = rest.find("<text ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (Some(open_end), Some(close)) = (rest.find('>'), rest.find("</text>")) else {
            break;
        };
        let (open, content) = (&rest[..open_end], &rest[open_end + 1..close]);
        let size_value = open
            .split("font-size=\"")
            .nth(1)
            .and_then(|r| r.split('"').next());
        let px = size_value.and_then(|v| v.parse::<f64>().ok());
        let bold = open.contains("font-weight=\"bold\"");
        let text = unescape(content.trim_matches('\n'));
        match px {
            Some(px) if !text.trim().is_empty() => {
                let width = measure_text(&text, px, bold);
                let open = open
                    .replace(
                        "font-family=\"sans-serif\"",
                        "font-family=\"DejaVu Sans, Verdana, sans-serif\"",
                    )
                    .replace(
                        &format!("font-size=\"{}\"", size_value.unwrap_or_default()),
                        &format!("font-size=\"{:.2}\"", px * scale),
                    );
                out.push_str(&format!(
                    "{open} textLength=\"{width:.1}\" lengthAdjust=\"spacingAndGlyphs\">"
                ));
            }
            _ => out.push_str(&rest[..=open_end]),
        }
        out.push_str(content);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The ink of outlines, error bars and labels on light ground.
pub(super) static INK_DARK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// The ink of labels on the deepest shades.
pub(super) static INK_LIGHT: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// A figure's colour as plotters' colour.
pub(super) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Sizes in pixels at 1920x1080; the bitmap draws at scale `k` = 2.
pub(super) struct Style {
    pub(super) k: f64,
    pub(super) bitmap: bool,
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

/// The dash of the `i`-th line of a chart, `(dash, gap)` in pixels at 1920x1080, or none
/// for the first: lines that coincide then still show each colour between the other's
/// dashes.
pub(super) fn dash(i: usize) -> Option<(f64, f64)> {
    [
        None,
        Some((30.0, 12.0)),
        Some((12.0, 10.0)),
        Some((44.0, 16.0)),
        Some((6.0, 10.0)),
    ][i % 5]
}

/// Draws one curve `width` pixels wide, solid or dashed as `dash(i)` says.
pub(super) fn draw_curve<
    'a,
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    (i, width): (usize, f64),
    colour: RGBColor,
    points: impl IntoIterator<Item = (f64, f64)>,
    st: &Style,
) -> DrawResult<DB> {
    let width = st.px(width);
    let points: Vec<(f64, f64)> = points.into_iter().collect();
    match dash(i) {
        None => {
            chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))?;
        }
        Some((on, off)) => {
            chart.draw_series(DashedLineSeries::new(
                points,
                st.px(on),
                st.px(off),
                colour.stroke_width(width),
            ))?;
        }
    }
    Ok(())
}

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// A line, dashed as `dash(i)` says.
    Line(usize),
    Block,
}

/// The width a column of legend entries or line-end labels needs, in pixels of the area.
pub(super) fn label_width(names: &[String], st: &Style) -> u32 {
    let widest = names
        .iter()
        .map(|n| measure_text(n, 24.0, true))
        .fold(0.0, f64::max);
    st.px(widest.min(520.0) + 90.0)
}

/// Draws a legend as a column of entries to the right of a plot, from `top_left` (pixels
/// of the backend) down: it never covers data.
pub(super) fn draw_side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top_left: (i32, i32),
    entries: &[(String, RGBColor, Swatch)],
    st: &Style,
) -> DrawResult<DB> {
    let base = area.get_base_pixel();
    let (x, mut y) = (top_left.0 - base.0, top_left.1 - base.1);
    let long = st.px(44.0) as i32;
    for (name, colour, swatch) in entries {
        let mid = y + st.px(16.0) as i32;
        match swatch {
            Swatch::Line(i) => {
                let pts = vec![(x, mid), (x + long, mid)];
                let style = colour.stroke_width(st.px(5.0));
                match dash(*i) {
                    None => area.draw(&PathElement::new(pts, style))?,
                    Some((on, off)) => area.draw(&plotters::element::DashedPathElement::new(
                        pts,
                        st.px(on * 0.5),
                        st.px(off * 0.5),
                        style,
                    ))?,
                }
            }
            Swatch::Block => area.draw(&Rectangle::new(
                [
                    (x, mid - st.px(12.0) as i32),
                    (x + long, mid + st.px(12.0) as i32),
                ],
                colour.filled(),
            ))?,
        }
        area.draw(&Text::new(
            name.clone(),
            (x + long + st.px(12.0) as i32, mid),
            st.font(24.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        y += st.px(40.0) as i32;
    }
    Ok(())
}

/// Writes each name just right of its line's last point (`(name, colour, end)`, the end
/// in pixels of the backend), pushed apart so no two overlap and kept inside the area;
/// a thin leader joins a label that moved to its line.
pub(super) fn draw_end_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ends: &[(String, RGBColor, (i32, i32))],
    st: &Style,
) -> DrawResult<DB> {
    let base = area.get_base_pixel();
    let (_, ys) = area.get_pixel_range();
    let gap = st.px(34.0) as i32;
    let mut order: Vec<usize> = (0..ends.len()).collect();
    order.sort_by_key(|&i| (ends[i].2 .1, i));
    let mut at: Vec<i32> = order.iter().map(|&i| ends[i].2 .1).collect();
    for k in 1..at.len() {
        at[k] = at[k].max(at[k - 1] + gap);
    }
    // Pushed past the bottom: shift the column up, keeping the gaps.
    let over = at.last().map_or(0, |y| (y - (ys.end - gap / 2)).max(0));
    for y in at.iter_mut() {
        *y -= over;
    }
    for k in (0..at.len().saturating_sub(1)).rev() {
        at[k] = at[k].min(at[k + 1] - gap);
    }
    for (k, &i) in order.iter().enumerate() {
        let (name, colour, (x, y)) = &ends[i];
        let (x, y, ly) = (x - base.0, y - base.1, at[k] - base.1);
        let lx = x + st.px(22.0) as i32;
        area.draw(&PathElement::new(
            vec![(x + st.px(4.0) as i32, y), (lx - st.px(4.0) as i32, ly)],
            colour.mix(0.7).stroke_width(st.px(2.0)),
        ))?;
        area.draw(&Text::new(
            name.clone(),
            (lx, ly),
            st.bold(24.0)
                .color(colour)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A darker line at zero across a money axis that spans it.
pub(super) fn draw_zero_line<'a, DB: DrawingBackend + 'a, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    (x0, x1): (f64, f64),
    st: &Style,
) -> DrawResult<DB>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x0, 0.0), (x1, 0.0)],
        RGBColor(0x55, 0x55, 0x55).stroke_width(st.px(2.0)),
    )))?;
    Ok(())
}

/// The legend of curves, right of the chart's plotting area.
pub(super) fn draw_legend_right<'a, DB: DrawingBackend + 'a, X, Y>(
    chart: &ChartContext<'a, DB, Cartesian2d<X, Y>>,
    area: &DrawingArea<DB, Shift>,
    series: &[Curve],
    st: &Style,
) -> DrawResult<DB>
where
    X: Ranged,
    Y: Ranged,
{
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let entries: Vec<_> = series
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), rgb(c.colour), Swatch::Line(i)))
        .collect();
    draw_side_legend(area, (xs.end + st.px(24.0) as i32, ys.start), &entries, st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_text_gets_the_bundled_face_and_its_measured_width() {
        let svg = "<svg>\n<text x=\"48\" font-family=\"sans-serif\" font-size=\"44\" fill=\"#111111\" font-weight=\"bold\">\nA &amp; B\n</text>\n</svg>";
        let fitted = fit_svg_text(svg);
        let width = measure_text("A & B", 44.0, true);
        assert!(width > 44.0 && width < 44.0 * 5.0, "{width}");
        assert!(
            fitted.contains(&format!("textLength=\"{width:.1}\"")),
            "{fitted}"
        );
        assert!(fitted.contains("font-family=\"DejaVu Sans"), "{fitted}");
        assert!(fitted.contains("A &amp; B"), "{fitted}");
        // DejaVu's em is 2048 units of a 2384-unit height.
        assert!((em_per_height(FONT) - 2048.0 / 2384.0).abs() < 1e-12);
        assert!(measure_text("A & B", 44.0, false) < width);
    }

    #[test]
    fn count_ticks_keep_three_significant_digits() {
        assert_eq!(format_count_tick(0.025), "0.025");
        assert_eq!(format_count_tick(1.5), "1.5");
        assert_eq!(format_count_tick(240.0), "240");
        assert_eq!(format_count_tick(0.0), "0");
    }
}
