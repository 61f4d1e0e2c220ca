//! One drawing function per kind of plot (fans, two panels, densities, a paired
//! difference, exceedance curves, x-y curves; stacked bars, the waterfall and bars with
//! standard errors are in `bars`, the scatter with a box in `scatter`, the heat map and
//! tornado in `grids`), each laying out its axes from what it is given and drawing it in
//! the house style of `style`.
//!
//! Only this module, `bars`, `scatter`, `grids`, `drawing` and `style` know plotters. Axis ranges
//! here come from the points to draw; nothing here computes a statistic or decides what a
//! figure says.

use super::bars::{draw_bars, draw_stacked, draw_waterfall};
use super::grids::{draw_heat, draw_tornado};
use super::scatter::draw_scatter;
use super::style::{
    draw_curve, draw_end_labels, draw_legend_right, draw_zero_line, format_count_tick, format_tick,
    label_width, pad_range, rgb, style_mesh, DrawResult, Style,
};
use super::{Axis, Curve, Densities, Difference, FanPanel, Plot, TwoPanels, XyPlot};
use crate::report::percent;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws a plot of any kind into `area`.
pub(super) fn draw_plot<DB: DrawingBackend>(
    p: &Plot,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    match p {
        Plot::Fans(fans) => draw_fans(fans, area, st),
        Plot::TwoPanels(panels) => draw_two_panels(panels, area, st),
        Plot::Densities(densities) => draw_densities(densities, area, st),
        Plot::Difference(difference) => draw_difference(difference, area, st),
        Plot::Exceedance(series) => draw_exceedance(series, area, st),
        Plot::Xy(xy) => draw_xy(xy, area, st),
        Plot::Heat(heat) => draw_heat(heat, area, st),
        Plot::Tornado(tornado) => draw_tornado(tornado, area, st),
        Plot::Stacked(bars) => draw_stacked(bars, area, st),
        Plot::Waterfall(w) => draw_waterfall(w, area, st),
        Plot::Scatter(scatter) => draw_scatter(scatter, area, st),
        Plot::Bars(bars) => draw_bars(bars, area, st),
    }
}

/// The x range of curves whose points are sorted by x: the least first x, the largest
/// last x.
fn measure_x_extent(series: &[Curve]) -> (f64, f64) {
    let lo = series
        .iter()
        .flat_map(|s| s.points.first())
        .map(|p| p.0)
        .fold(f64::INFINITY, f64::min);
    let hi = series
        .iter()
        .flat_map(|s| s.points.last())
        .map(|p| p.0)
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// The y range of fans: their medians, and the bands drawn (the outer band when drawn).
fn measure_fans(p: &FanPanel) -> (f64, f64) {
    p.fans
        .iter()
        .flat_map(|f| f.points.iter().map(move |q| (f.band, q)))
        .map(|(band, q)| match (band, p.outer) {
            (false, _) => (q.3, q.3),
            (true, true) => (q.1, q.5),
            (true, false) => (q.2, q.4),
        })
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        })
}

/// Draws monthly fans: the rug, the bands of the fans that show them, each median line
/// (dashed by its place), and each name at its line's end, right of the plot.
fn draw_fans<DB: DrawingBackend>(
    p: &FanPanel,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let x_max = p.fans.first().map(|f| f.points.len()).unwrap_or(1).max(1) as f64;
    let names: Vec<String> = p.fans.iter().map(|f| f.name.clone()).collect();
    let builder = |area| {
        let mut b = ChartBuilder::on(area);
        b.x_label_area_size(st.px(90.0))
            .y_label_area_size(st.px(170.0))
            .margin_right(label_width(&names, st));
        b
    };
    let (lo, hi) = measure_fans(p);
    let x = 0.5..x_max + 0.5;
    if p.log_y {
        // Zero has no place on a log axis: the axis starts below the least positive value.
        let least = p
            .fans
            .iter()
            .flat_map(|f| f.points.iter())
            .flat_map(|q| [q.1, q.2, q.3])
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let (lo, hi) = (least * 0.6, hi.max(least * 2.0) * 1.6);
        let chart = builder(area).build_cartesian_2d(x, (lo..hi).log_scale())?;
        fill_fans(p, chart, area, |f| lo * (hi / lo).powf(f), st)
    } else {
        let (lo, hi) = pad_range(lo, hi, p.y_floor_zero);
        let chart = builder(area).build_cartesian_2d(x, lo..hi)?;
        fill_fans(p, chart, area, |f| lo + f * (hi - lo), st)
    }
}

/// Draws fans on a chart whose y axis is linear or logarithmic; `lift(f)` is the y value
/// at fraction `f` of the axis' height.
fn fill_fans<'a, DB, Y>(
    p: &FanPanel,
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    area: &DrawingArea<DB, Shift>,
    lift: impl Fn(f64) -> f64,
    st: &Style,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let FanPanel {
        fans,
        y,
        y_label,
        outer,
        rug,
        ..
    } = p;
    let x_max = fans.first().map(|f| f.points.len()).unwrap_or(1).max(1) as f64;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .x_desc("Month")
        .y_desc(y_label.as_str())
        .x_labels(((x_max / 6.0).ceil() as usize + 1).max(2))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_labels(6)
        .y_label_formatter(&|v| format_tick(*v, *y))
        .draw()?;
    let (lo, hi) = (lift(0.0), lift(1.0));
    if *y == Axis::Money && lo < 0.0 && hi > 0.0 {
        draw_zero_line(&mut chart, (0.5, x_max + 0.5), st)?;
    }
    let rug_max = rug.iter().cloned().fold(0.0, f64::max);
    if rug_max > 0.0 {
        chart.draw_series(rug.iter().enumerate().map(|(m, share)| {
            let top = lift(0.1 * share / rug_max);
            Rectangle::new(
                [((m + 1) as f64 - 0.45, lo), ((m + 1) as f64 + 0.45, top)],
                RGBColor(0x99, 0x99, 0x99).mix(0.3).filled(),
            )
        }))?;
        // The rug's scale: the tallest bar's share.
        let tallest = rug.iter().position(|v| *v == rug_max).unwrap_or(0);
        chart.draw_series(std::iter::once(Text::new(
            format!("{} of futures", percent(rug_max)),
            ((tallest + 1) as f64, lift(0.1)),
            st.font(24.0)
                .color(&RGBColor(0x66, 0x66, 0x66))
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }
    for f in fans.iter().filter(|f| f.band) {
        // (upper, lower) quantile of each band: P5-P95 when drawn, then P25-P75.
        let bands: &[(usize, usize, f64)] = if *outer {
            &[(5, 1, 0.07), (4, 2, 0.16)]
        } else {
            &[(4, 2, 0.16)]
        };
        for &(up, down, alpha) in bands {
            let at = |q: &(f64, f64, f64, f64, f64, f64), k: usize| {
                [q.0, q.1, q.2, q.3, q.4, q.5][k].max(lo)
            };
            let mut poly: Vec<(f64, f64)> = f.points.iter().map(|q| (q.0, at(q, up))).collect();
            poly.extend(f.points.iter().rev().map(|q| (q.0, at(q, down))));
            chart.draw_series(std::iter::once(Polygon::new(
                poly,
                rgb(f.colour).mix(alpha).filled(),
            )))?;
        }
    }
    let mut ends = vec![];
    // The headline pair's lines (those with bands) solid, the others dashed, each its
    // own way, so lines that coincide stay visible.
    let solid_bands = fans.iter().filter(|f| f.band).count() <= 2;
    let mut dashed = 0;
    for (k, f) in fans.iter().enumerate() {
        let i = if f.band && solid_bands {
            0
        } else {
            dashed += 1;
            dashed
        };
        let colour = rgb(f.colour);
        let line: Vec<(f64, f64)> = f.points.iter().map(|q| (q.0, q.3.max(lo))).collect();
        if f.points.len() < 3 {
            // A line of one or two points is hard to see: mark the points.
            chart.draw_series(
                line.iter()
                    .map(|q| Circle::new(*q, st.px(9.0), colour.filled())),
            )?;
        }
        // Lines drawn later are thinner, so a line under another still shows either side.
        let width = 4.0 + 1.25 * fans.len().saturating_sub(k + 1) as f64;
        draw_curve(&mut chart, (i, width), colour, line.iter().cloned(), st)?;
        if let Some(last) = line.last() {
            ends.push((f.name.clone(), colour, chart.backend_coord(last)));
        }
    }
    draw_end_labels(area, &ends, st)
}

/// Draws two fan panels side by side, each under its title.
fn draw_two_panels<DB: DrawingBackend>(
    p: &TwoPanels,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let (a, b) = area.split_horizontally(area.dim_in_pixel().0 / 2);
    let b = b.margin(0, 0, st.px(40.0), 0);
    for (panel, sub, name) in [(&a, &p.left, &p.left_title), (&b, &p.right, &p.right_title)] {
        let (head, body) = panel.split_vertically(st.px(44.0));
        head.draw(&Text::new(
            name.clone(),
            (st.px(180.0) as i32, 0),
            st.bold(30.0),
        ))?;
        draw_fans(sub, &body, st)?;
    }
    Ok(())
}

/// Draws density outlines, each filled lightly, with zero marked.
fn draw_densities<DB: DrawingBackend>(
    p: &Densities,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let Densities { series, x_label } = p;
    let (x_lo, x_hi) = measure_x_extent(series);
    let y_hi = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let names: Vec<String> = series.iter().map(|c| c.name.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(60.0))
        .margin_right(label_width(&names, st))
        .build_cartesian_2d(x_lo..x_hi.max(x_lo + 1.0), 0.0..(y_hi * 1.08).max(1e-12))?;
    style_mesh(&mut chart, st)
        .disable_y_mesh()
        .disable_y_axis()
        .x_desc(x_label.as_str())
        .x_labels(7)
        .x_label_formatter(&|v| format_tick(*v, Axis::Money))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, y_hi * 1.08)],
        BLACK.mix(0.5).stroke_width(st.px(2.0)),
    )))?;
    for (i, c) in series.iter().enumerate() {
        let (colour, pts) = (rgb(c.colour), &c.points);
        chart.draw_series(std::iter::once(Polygon::new(
            std::iter::once((pts[0].0, 0.0))
                .chain(pts.iter().cloned())
                .chain(std::iter::once((pts[pts.len() - 1].0, 0.0)))
                .collect::<Vec<_>>(),
            colour.mix(0.08).filled(),
        )))?;
        draw_curve(&mut chart, (i, 5.0), colour, pts.iter().cloned(), st)?;
    }
    draw_legend_right(&chart, area, series, st)
}

/// Draws the histogram of a paired difference: bars coloured by their side of zero, the
/// zero line and its note.
fn draw_difference<DB: DrawingBackend>(
    p: &Difference,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let Difference {
        bins,
        colour_a,
        colour_b,
        note,
    } = p;
    let x_lo = bins.first().map(|b| b.0).unwrap_or(-1.0);
    let x_hi = bins.last().map(|b| b.1).unwrap_or(1.0);
    let y_hi = bins.iter().map(|b| b.2).fold(0.0, f64::max).max(1e-12) * 1.12;
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(130.0))
        .build_cartesian_2d(x_lo..x_hi, 0.0..y_hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .x_desc("Difference in NPV on the same future")
        .y_desc("Share of futures")
        .x_labels(7)
        .y_labels(5)
        .x_label_formatter(&|v| format_tick(*v, Axis::Money))
        .y_label_formatter(&|v| percent(*v))
        .draw()?;
    chart.draw_series(bins.iter().map(|(x0, x1, y)| {
        let c = if 0.5 * (x0 + x1) < 0.0 {
            rgb(*colour_b)
        } else {
            rgb(*colour_a)
        };
        Rectangle::new([(*x0, 0.0), (*x1, *y)], c.mix(0.85).filled())
    }))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, y_hi)],
        BLACK.stroke_width(st.px(4.0)),
    )))?;
    let label = st.bold(28.0);
    let anchor = if x_hi.abs() > x_lo.abs() {
        Pos::new(HPos::Left, VPos::Top)
    } else {
        Pos::new(HPos::Right, VPos::Top)
    };
    chart.draw_series(std::iter::once(Text::new(
        format!(" {note} "),
        (0.0, y_hi * 0.97),
        label.pos(anchor),
    )))?;
    Ok(())
}

/// Draws exceedance curves on a log x axis.
fn draw_exceedance<DB: DrawingBackend>(
    series: &[Curve],
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let (x_lo, x_hi) = measure_x_extent(series);
    let x_hi = x_hi.max(0.0);
    let names: Vec<String> = series.iter().map(|c| c.name.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(130.0))
        .margin_right(label_width(&names, st))
        .build_cartesian_2d(
            (x_lo.max(1e-6)..x_hi.max(x_lo * 10.0)).log_scale(),
            0.0..1.02,
        )?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .x_desc("Incident losses over the horizon (log scale)")
        .y_desc("Chance of exceeding")
        .y_labels(6)
        .x_label_formatter(&|v| format_tick(*v, Axis::Money))
        .y_label_formatter(&|v| percent(*v))
        .draw()?;
    for (i, c) in series.iter().enumerate() {
        draw_curve(
            &mut chart,
            (i, 5.0),
            rgb(c.colour),
            c.points.iter().cloned(),
            st,
        )?;
    }
    draw_legend_right(&chart, area, series, st)
}

/// Draws curves against a numeric x with their points marked, the band around the first,
/// the reference line with its label and the marked x. The x range is padded so the end
/// points show whole.
fn draw_xy<DB: DrawingBackend>(
    p: &XyPlot,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let XyPlot {
        x_label,
        y_label,
        y,
        curves,
        band,
        reference,
        x_mark,
    } = p;
    let xs = curves.iter().flat_map(|c| c.points.iter().map(|p| p.0));
    let (x_lo, x_hi) = xs
        .chain(x_mark.iter().map(|m| m.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    let ys = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .chain(band.iter().flat_map(|b| [b.1, b.2]))
        .chain(reference.iter().map(|r| r.0));
    let (lo, hi) = ys
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (lo, hi) = if *y == Axis::Percent {
        (-0.03, 1.03)
    } else {
        pad_range(lo, hi, false)
    };
    let (x_lo, x_hi) = if x_hi > x_lo {
        let pad = 0.04 * (x_hi - x_lo);
        (x_lo - pad, x_hi + pad)
    } else {
        (x_lo - 1.0, x_lo + 1.0)
    };
    let names: Vec<String> = curves.iter().map(|c| c.name.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(150.0))
        .margin_right(label_width(&names, st))
        .build_cartesian_2d(x_lo..x_hi, lo..hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .x_desc(x_label.as_str())
        .y_desc(y_label.as_str())
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&|v| format_count_tick(*v))
        .y_label_formatter(&|v| format_tick(*v, *y))
        .draw()?;
    if *y == Axis::Money && lo < 0.0 && hi > 0.0 {
        draw_zero_line(&mut chart, (x_lo, x_hi), st)?;
    }
    if let (false, Some(c)) = (band.is_empty(), curves.first()) {
        let mut poly: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
        poly.extend(band.iter().rev().map(|b| (b.0, b.1)));
        chart.draw_series(std::iter::once(Polygon::new(
            poly,
            rgb(c.colour).mix(0.18).filled(),
        )))?;
    }
    if let Some((v, label)) = reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, *v), (x_hi, *v)],
            BLACK.mix(0.6).stroke_width(st.px(3.0)),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!(" {label}"),
            (x_lo, *v),
            st.font(24.0).pos(Pos::new(HPos::Left, VPos::Bottom)),
        )))?;
    }
    if let Some((v, label)) = x_mark {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(*v, lo), (*v, hi)],
            BLACK.mix(0.6).stroke_width(st.px(3.0)),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!(" {label}"),
            (*v, hi),
            st.font(24.0).pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }
    for (i, c) in curves.iter().enumerate() {
        let colour = rgb(c.colour);
        chart.draw_series(
            c.points
                .iter()
                .map(|p| Circle::new(*p, st.px(7.0), colour.filled())),
        )?;
        draw_curve(&mut chart, (i, 5.0), colour, c.points.iter().cloned(), st)?;
    }
    draw_legend_right(&chart, area, curves, st)
}
