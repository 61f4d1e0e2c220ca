//! The scatter of futures over two inputs with a box (scenario discovery), laid out from
//! what it is given and drawn in the house style of `style`; its legend stands right of
//! the plot, never over a point.
//!
//! Only this module, `plots`, `bars`, `drawing` and `style` know plotters. Nothing here
//! computes a statistic or decides what a figure says.

use super::style::{
    draw_side_legend, format_count_tick, label_width, pad_range, rgb, style_mesh, DrawResult,
    Style, Swatch, INK_DARK,
};
use super::Scatter;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws futures as small points, group by group, and the box as a thick outline (an
/// open side reaching the edge of the plot).
pub(super) fn draw_scatter<DB: DrawingBackend>(
    p: &Scatter,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let ((x_lo, x_hi), (y_lo, y_hi)) = (
        pad_range(p.x_span.0, p.x_span.1, false),
        pad_range(p.y_span.0, p.y_span.1, false),
    );
    let names: Vec<String> = p.groups.iter().map(|g| g.name.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_right(label_width(&names, st))
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(150.0))
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    style_mesh(&mut chart, st)
        .x_desc(p.x_label.as_str())
        .y_desc(p.y_label.as_str())
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&|v| format_count_tick(*v))
        .y_label_formatter(&|v| format_count_tick(*v))
        .draw()?;
    for g in &p.groups {
        let colour = rgb(g.colour);
        chart.draw_series(
            g.points
                .iter()
                .map(|q| Circle::new(*q, st.px(3.5), colour.mix(0.55).filled())),
        )?;
    }
    if let Some(((a, b), (c, d))) = p.rect {
        let (a, b) = (a.clamp(x_lo, x_hi), b.clamp(x_lo, x_hi));
        let (c, d) = (c.clamp(y_lo, y_hi), d.clamp(y_lo, y_hi));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(a, c), (b, c), (b, d), (a, d), (a, c)],
            INK_DARK.stroke_width(st.px(5.0)),
        )))?;
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let entries: Vec<_> = p
        .groups
        .iter()
        .map(|g| (g.name.clone(), rgb(g.colour), Swatch::Block))
        .collect();
    draw_side_legend(area, (xs.end + st.px(24.0) as i32, ys.start), &entries, st)
}
