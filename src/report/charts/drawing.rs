//! How a whole figure is drawn with plotters, generic over the backend: the page layout
//! (title and subtitle wrapped at the top, the plot, the footer), and the two outputs, SVG
//! and a bitmap drawn at twice the size and downsampled to PNG. `plots` draws the plot of
//! each kind, in the house style of `style`.
//!
//! Only this module, `plots` and `style` know plotters. They draw what a `Figure` holds
//! and decide nothing it says: no titles, no data, no statistics.

use super::plots::draw_plot;
use super::style::{fit_svg_text, measure_text, register_fonts, DrawResult, Style};
use super::{Figure, Footer, SIZE};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Splits `text` into lines no wider than `width` pixels at 1920x1080, measured in the
/// bundled face at `px` pixels to the em (bold or not): the widths both outputs draw.
fn wrap_text(text: &str, px: f64, bold: bool, width: f64) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure_text(&candidate, px, bold) > width && !line.is_empty() {
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
    let margin = st.px(48.0);
    // The text's width at 1920x1080, whatever the scale drawn at.
    let width = SIZE.0 as f64 - 2.0 * 48.0;
    let title_style = st.bold(44.0);
    let sub_style = st.font(28.0).color(&RGBColor(0x55, 0x55, 0x55));
    let mut y = st.px(30.0) as i32;
    for line in wrap_text(&fig.title, 44.0, true, width) {
        root.draw(&Text::new(line, (margin as i32, y), title_style.clone()))?;
        y += st.px(56.0) as i32;
    }
    for line in wrap_text(&fig.subtitle, 28.0, false, width) {
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
    Ok(fit_svg_text(&svg))
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
}
