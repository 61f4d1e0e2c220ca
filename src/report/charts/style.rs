//! The house style of a chart, with plotters: the embedded fonts (registered once), text
//! sizes at 1920x1080, colours, axis ranges and tick labels, the mesh, the legend and a
//! curve. `plots` and `drawing` draw with it.
//!
//! Only this module, `plots` and `drawing` know plotters. Style only: what a figure says
//! and where its parts go on the page are decided elsewhere.

use super::{Axis, Rgb};
use crate::report::{count, money, percent};
use plotters::coord::CoordTranslate;
use plotters::prelude::*;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_ticks_keep_three_significant_digits() {
        assert_eq!(format_count_tick(0.025), "0.025");
        assert_eq!(format_count_tick(1.5), "1.5");
        assert_eq!(format_count_tick(240.0), "240");
        assert_eq!(format_count_tick(0.0), "0");
    }
}
