//! Plots on a grid of rows or cells, for the analyst commands: the heat map of a 2-D
//! sweep (cells ticked with the grid's own values, each labelled, and the 0.5 contour) and
//! the tornado of sensitivity (neutral bars for an input's low and high tenths, each ended
//! by the input's value).
//!
//! Like `plots`, it draws what a figure holds in the house style of `style` and decides
//! nothing a figure says.

use super::style::{
    draw_side_legend, format_count_tick, format_tick, measure_text, style_mesh, DrawResult, Style,
    Swatch, INK_DARK, INK_LIGHT,
};
use super::{Axis, HeatMap, Tornado};
use crate::report::percent;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The heat map's colour of `v` in [0, 1]: blue where the incumbent wins, orange where
/// the challenger does, white at even.
fn shade(v: f64) -> RGBColor {
    let v = v.clamp(0.0, 1.0);
    let (c, t) = if v < 0.5 {
        ((0x00, 0x72, 0xB2), 1.0 - 2.0 * v)
    } else {
        ((0xD5, 0x5E, 0x00), 2.0 * v - 1.0)
    };
    let mix = |a: u8| (255.0 - t * (255.0 - a as f64)).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The tick label of grid index `v`: the grid value there, or nothing between cells.
fn grid_tick(values: &[f64], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < values.len() {
        format_count_tick(values[i as usize])
    } else {
        String::new()
    }
}

/// Draws a heat map: one cell per grid point, ticked with the grid's own values, each
/// shaded and labelled with its value, then the 0.5 contour where the grid crosses it.
pub(super) fn draw_heat<DB: DrawingBackend>(
    p: &HeatMap,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let HeatMap {
        x_label,
        y_label,
        xs,
        ys,
        z,
    } = p;
    let (nx, ny) = (xs.len(), ys.len());
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(150.0))
        .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)?;
    style_mesh(&mut chart, st)
        .disable_mesh()
        .x_desc(x_label.as_str())
        .y_desc(y_label.as_str())
        .x_labels(nx + 1)
        .y_labels(ny + 1)
        .x_label_formatter(&|v| grid_tick(xs, *v))
        .y_label_formatter(&|v| grid_tick(ys, *v))
        .draw()?;
    for (i, column) in z.iter().enumerate().take(nx) {
        for (j, &v) in column.iter().enumerate().take(ny) {
            let (x, y) = (i as f64, j as f64);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                shade(v).filled(),
            )))?;
            // White on the deepest shades, dark elsewhere.
            let ink: &'static RGBColor = if (v - 0.5).abs() > 0.3 {
                &INK_LIGHT
            } else {
                &INK_DARK
            };
            chart.draw_series(std::iter::once(Text::new(
                percent(v),
                (x, y),
                st.font(24.0)
                    .color(ink)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )))?;
        }
    }
    let (ix, iy): (Vec<f64>, Vec<f64>) = (
        (0..nx).map(|i| i as f64).collect(),
        (0..ny).map(|j| j as f64).collect(),
    );
    for seg in trace_contour(&ix, &iy, z, 0.5) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![seg.0, seg.1],
            BLACK.stroke_width(st.px(5.0)),
        )))?;
    }
    Ok(())
}

/// The neutral colours of a tornado: input low (light) and input high (dark).
const TORNADO_LOW: RGBColor = RGBColor(0xA6, 0xB8, 0xC8);
const TORNADO_HIGH: RGBColor = RGBColor(0x3D, 0x4F, 0x5F);

/// Draws a tornado: per row a bar from the base to the output where the input is low
/// (light) and one to where it is high (dark), each ended by the input's value, largest
/// swing at the top; the base line, zero when the axis spans it, and a key.
pub(super) fn draw_tornado<DB: DrawingBackend>(
    p: &Tornado,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let Tornado {
        rows,
        base,
        x_label,
    } = p;
    let n = rows.len().max(1);
    let (lo, hi) = rows.iter().fold((*base, *base), |(a, b), r| {
        (
            a.min(r.at_low.min(r.at_high)),
            b.max(r.at_low.max(r.at_high)),
        )
    });
    let pad = 0.16 * (hi - lo).max(1.0);
    let widest = rows
        .iter()
        .map(|r| measure_text(&r.label, 24.0, false))
        .fold(0.0, f64::max);
    let label_width = st.px(widest.clamp(260.0, 800.0) + 36.0);
    let key = [
        (
            "Input at its lowest tenth".to_string(),
            TORNADO_LOW,
            Swatch::Block,
        ),
        (
            "Input at its highest tenth".to_string(),
            TORNADO_HIGH,
            Swatch::Block,
        ),
    ];
    let (top, body) = area.split_vertically(st.px(44.0));
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(label_width)
        .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(n as f64 - 0.5))?;
    style_mesh(&mut chart, st)
        .disable_y_mesh()
        .x_desc(x_label.as_str())
        .x_labels(7)
        .y_labels(n)
        .x_label_formatter(&|v| format_tick(*v, Axis::Money))
        .y_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < rows.len() {
                rows[rows.len() - 1 - i as usize].label.clone()
            } else {
                String::new()
            }
        })
        .label_style(st.font(24.0))
        .draw()?;
    let value_style = st.font(24.0).color(&RGBColor(0x33, 0x33, 0x33));
    for (k, r) in rows.iter().enumerate() {
        let y = (rows.len() - 1 - k) as f64;
        // Both tenths on one side of the base would hide the shorter bar and its value
        // under the longer: then each takes half the row, low above, high below.
        let same_side = (r.at_low - base) * (r.at_high - base) > 0.0;
        let halves = if same_side {
            [(y, y + 0.35), (y - 0.35, y)]
        } else {
            [(y - 0.35, y + 0.35); 2]
        };
        for ((v, c, input), (y0, y1)) in [
            (r.at_low, TORNADO_LOW, &r.low_input),
            (r.at_high, TORNADO_HIGH, &r.high_input),
        ]
        .into_iter()
        .zip(halves)
        {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(base.min(v), y0), (base.max(v), y1)],
                c.filled(),
            )))?;
            let h = if v < *base { HPos::Right } else { HPos::Left };
            chart.draw_series(std::iter::once(Text::new(
                format!(" {input} "),
                (v, (y0 + y1) / 2.0),
                value_style.pos(Pos::new(h, VPos::Center)),
            )))?;
        }
    }
    if lo - pad < 0.0 && hi + pad > 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            RGBColor(0x55, 0x55, 0x55).stroke_width(st.px(2.0)),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(*base, -0.5), (*base, n as f64 - 0.5)],
        BLACK.stroke_width(st.px(3.0)),
    )))?;
    let base_px = top.get_base_pixel();
    draw_side_legend(
        &top,
        (base_px.0 + label_width as i32, base_px.1),
        &key[..1],
        st,
    )?;
    draw_side_legend(
        &top,
        (
            base_px.0 + label_width as i32 + st.px(520.0) as i32,
            base_px.1,
        ),
        &key[1..],
        st,
    )
}

/// Segments of the `level` contour of a grid by marching squares, with linear
/// interpolation along cell edges.
fn trace_contour(
    xs: &[f64],
    ys: &[f64],
    z: &[Vec<f64>],
    level: f64,
) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    for i in 0..xs.len().saturating_sub(1) {
        for j in 0..ys.len().saturating_sub(1) {
            // Corners counter-clockwise from (i, j).
            let c = [
                (xs[i], ys[j], z[i][j]),
                (xs[i + 1], ys[j], z[i + 1][j]),
                (xs[i + 1], ys[j + 1], z[i + 1][j + 1]),
                (xs[i], ys[j + 1], z[i][j + 1]),
            ];
            let mut cross = Vec::new();
            for e in 0..4 {
                let (a, b) = (c[e], c[(e + 1) % 4]);
                if (a.2 - level) * (b.2 - level) < 0.0 || (a.2 == level && b.2 != level) {
                    let t = (level - a.2) / (b.2 - a.2);
                    cross.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            if cross.len() >= 2 {
                out.push((cross[0], cross[1]));
            }
            if cross.len() == 4 {
                out.push((cross[2], cross[3]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contour_crosses_a_cell_where_the_grid_passes_its_level() {
        let segs = trace_contour(
            &[0.0, 1.0],
            &[0.0, 1.0],
            &[vec![0.0, 0.0], vec![1.0, 1.0]],
            0.5,
        );
        assert_eq!(segs, vec![((0.5, 0.0), (0.5, 1.0))]);
    }

    #[test]
    fn heat_map_ticks_fall_on_grid_values_only() {
        let ys = [0.5, 1.25, 2.0];
        assert_eq!(grid_tick(&ys, 1.0), "1.25");
        assert_eq!(grid_tick(&ys, 0.5), "");
        assert_eq!(grid_tick(&ys, 3.0), "");
    }
}
