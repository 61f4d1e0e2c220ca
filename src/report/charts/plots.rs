//! One drawing function per kind of plot (fans, two panels, densities, a paired
//! difference, exceedance curves, x-y curves, a heat map with its contour, a tornado,
//! stacked bars, a scatter with a box, bars with standard errors), each laying out its axes from what it is given and drawing it in the
//! house style of `style`.
//!
//! Only this module, `drawing` and `style` know plotters. Axis ranges here come from the points to
//! draw; nothing here computes a statistic or decides what a figure says.

use super::style::{
    draw_curve, draw_legend, format_count_tick, format_tick, pad_range, rgb, style_mesh,
    DrawResult, Style,
};
use super::{
    Axis, Bars, Curve, Densities, Difference, Fan, FanPanel, HeatMap, Legend, Plot, Scatter,
    StackedBars, Tornado, TwoPanels, XyPlot, PART_COLOURS,
};
use crate::report::{money, percent};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

static INK_LIGHT: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
static INK_DARK: RGBColor = RGBColor(0x22, 0x22, 0x22);

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

/// Draws monthly fans: the rug, the bands of the fans that show them, each median line,
/// and the legend.
fn draw_fans<DB: DrawingBackend>(
    p: &FanPanel,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let FanPanel {
        fans,
        y,
        y_label,
        outer,
        rug,
        y_floor_zero,
        legend,
    } = p;
    let x_max = fans.first().map(|f| f.points.len()).unwrap_or(1).max(1) as f64;
    let band = |f: &Fan| -> (f64, f64) {
        f.points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), q| {
                if *outer {
                    (lo.min(q.1), hi.max(q.5))
                } else {
                    (lo.min(q.2), hi.max(q.4))
                }
            })
    };
    let (lo, hi) = fans
        .iter()
        .map(band)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |a, b| {
            (a.0.min(b.0), a.1.max(b.1))
        });
    let (lo, hi) = pad_range(lo, hi, *y_floor_zero);
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(170.0))
        .build_cartesian_2d(0.5..x_max + 0.5, lo..hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .x_desc("Month")
        .y_desc(y_label.as_str())
        .x_labels(((x_max / 6.0).ceil() as usize + 1).max(2))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_labels(6)
        .y_label_formatter(&|v| format_tick(*v, *y))
        .draw()?;
    let rug_max = rug.iter().cloned().fold(0.0, f64::max);
    if rug_max > 0.0 {
        let height = 0.08 * (hi - lo);
        chart.draw_series(rug.iter().enumerate().map(|(m, share)| {
            let top = lo + height * share / rug_max;
            Rectangle::new(
                [((m + 1) as f64 - 0.45, lo), ((m + 1) as f64 + 0.45, top)],
                RGBColor(0x99, 0x99, 0x99).mix(0.25).filled(),
            )
        }))?;
    }
    for f in fans.iter().filter(|f| f.band) {
        if *outer {
            let mut poly: Vec<(f64, f64)> = f.points.iter().map(|q| (q.0, q.5)).collect();
            poly.extend(f.points.iter().rev().map(|q| (q.0, q.1)));
            chart.draw_series(std::iter::once(Polygon::new(
                poly,
                rgb(f.colour).mix(0.07).filled(),
            )))?;
        }
        let mut poly: Vec<(f64, f64)> = f.points.iter().map(|q| (q.0, q.4)).collect();
        poly.extend(f.points.iter().rev().map(|q| (q.0, q.2)));
        chart.draw_series(std::iter::once(Polygon::new(
            poly,
            rgb(f.colour).mix(0.16).filled(),
        )))?;
    }
    for f in fans {
        let colour = rgb(f.colour);
        if f.points.len() < 3 {
            // A line of one or two points is hard to see: mark the points.
            chart.draw_series(
                f.points
                    .iter()
                    .map(|q| Circle::new((q.0, q.3), st.px(9.0), colour.filled())),
            )?;
        }
        draw_curve(
            &mut chart,
            &f.name,
            colour,
            f.points.iter().map(|q| (q.0, q.3)),
            st,
        )?;
    }
    let position = match legend {
        Legend::UpperLeft => Some(SeriesLabelPosition::UpperLeft),
        Legend::LowerLeft => Some(SeriesLabelPosition::LowerLeft),
        Legend::Hidden => None,
    };
    if let Some(position) = position {
        draw_legend(&mut chart, position, st)?;
    }
    Ok(())
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
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(60.0))
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
    for Curve {
        name,
        colour,
        points: pts,
    } in series
    {
        let colour = rgb(*colour);
        chart.draw_series(std::iter::once(Polygon::new(
            std::iter::once((pts[0].0, 0.0))
                .chain(pts.iter().cloned())
                .chain(std::iter::once((pts[pts.len() - 1].0, 0.0)))
                .collect::<Vec<_>>(),
            colour.mix(0.08).filled(),
        )))?;
        draw_curve(&mut chart, name, colour, pts.iter().cloned(), st)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, st)
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
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(130.0))
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
    for c in series {
        draw_curve(
            &mut chart,
            &c.name,
            rgb(c.colour),
            c.points.iter().cloned(),
            st,
        )?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, st)
}

/// Draws curves against a numeric x with their points marked, the band around the first,
/// and the reference line with its label.
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
    } = p;
    let xs = curves.iter().flat_map(|c| c.points.iter().map(|p| p.0));
    let (x_lo, x_hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
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
        (0.0, 1.0)
    } else {
        pad_range(lo, hi, false)
    };
    let (x_lo, x_hi) = if x_hi > x_lo {
        (x_lo, x_hi)
    } else {
        (x_lo - 1.0, x_lo + 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(150.0))
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
    for c in curves {
        let colour = rgb(c.colour);
        chart.draw_series(
            c.points
                .iter()
                .map(|p| Circle::new(*p, st.px(7.0), colour.filled())),
        )?;
        draw_curve(&mut chart, &c.name, colour, c.points.iter().cloned(), st)?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, st)
}

/// Draws futures as small points, group by group, and the box as a thick outline (an
/// open side reaching the edge of the plot).
fn draw_scatter<DB: DrawingBackend>(
    p: &Scatter,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let span = |f: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = p
            .groups
            .iter()
            .flat_map(|g| g.points.iter().map(f))
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        pad_range(lo, hi, false)
    };
    let ((x_lo, x_hi), (y_lo, y_hi)) = (span(|q| q.0), span(|q| q.1));
    let mut chart = ChartBuilder::on(area)
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
        chart
            .draw_series(
                g.points
                    .iter()
                    .map(|q| Circle::new(*q, st.px(3.5), colour.mix(0.55).filled())),
            )?
            .label(g.name.as_str())
            .legend(move |(x, y)| Circle::new((x + 10, y), 8, colour.filled()));
    }
    if let Some(((a, b), (c, d))) = p.rect {
        let clamp = |v: f64, lo: f64, hi: f64| v.clamp(lo, hi);
        let (a, b) = (clamp(a, x_lo, x_hi), clamp(b, x_lo, x_hi));
        let (c, d) = (clamp(c, y_lo, y_hi), clamp(d, y_lo, y_hi));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(a, c), (b, c), (b, d), (a, d), (a, c)],
            INK_DARK.stroke_width(st.px(5.0)),
        )))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight, st)
}

/// Draws horizontal bars from zero with two-standard-error whiskers, first row on top,
/// each value written beside its bar, and the reference line.
fn draw_bars<DB: DrawingBackend>(
    p: &Bars,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let rows = &p.rows;
    let n = rows.len().max(1);
    let ends = rows
        .iter()
        .flat_map(|r| [r.1 - 2.0 * r.2, r.1 + 2.0 * r.2])
        .chain(p.reference.iter().map(|r| r.0))
        .chain([0.0]);
    let (lo, hi) = ends
        .filter(|v| v.is_finite())
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let pad = 0.12 * (hi - lo).max(1.0);
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(640.0))
        .build_cartesian_2d((lo - pad * 0.2)..(hi + pad), -0.5..(n as f64 - 0.5))?;
    style_mesh(&mut chart, st)
        .disable_y_mesh()
        .x_desc(p.x_label.as_str())
        .x_labels(7)
        .y_labels(n)
        .x_label_formatter(&|v| format_tick(*v, Axis::Money))
        .y_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < rows.len() {
                rows[rows.len() - 1 - i as usize].0.clone()
            } else {
                String::new()
            }
        })
        .label_style(st.font(22.0))
        .draw()?;
    let bar = RGBColor(0x00, 0x72, 0xB2);
    for (k, (_, v, se)) in rows.iter().enumerate() {
        let y = (rows.len() - 1 - k) as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0f64.min(*v), y - 0.32), (0.0f64.max(*v), y + 0.32)],
            bar.mix(0.85).filled(),
        )))?;
        let (a, b) = (v - 2.0 * se, v + 2.0 * se);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![
                (a, y + 0.15),
                (a, y - 0.15),
                (a, y),
                (b, y),
                (b, y - 0.15),
                (b, y + 0.15),
            ],
            INK_DARK.stroke_width(st.px(3.0)),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("  {}", money(*v)),
            (b.max(*v), y),
            st.font(22.0).pos(Pos::new(HPos::Left, VPos::Center)),
        )))?;
    }
    if let Some((v, label)) = &p.reference {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(*v, -0.5), (*v, n as f64 - 0.5)],
            RGBColor(0xD5, 0x5E, 0x00).stroke_width(st.px(3.0)),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!(" {label}"),
            (*v, n as f64 - 0.5),
            st.font(22.0).pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }
    Ok(())
}

/// Edges of the cells centred on `v`: midway between neighbours, and half a step beyond
/// the ends.
fn place_cell_edges(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let mut e = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let x = if i == 0 {
            v[0] - 0.5 * (v.get(1).unwrap_or(&(v[0] + 1.0)) - v[0])
        } else if i == n {
            v[n - 1] + 0.5 * (v[n - 1] - v.get(n.wrapping_sub(2)).unwrap_or(&(v[n - 1] - 1.0)))
        } else {
            0.5 * (v[i - 1] + v[i])
        };
        e.push(x);
    }
    e
}

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

/// Draws a heat map: each cell shaded and labelled with its value, then the 0.5 contour.
fn draw_heat<DB: DrawingBackend>(
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
    let (ex, ey) = (place_cell_edges(xs), place_cell_edges(ys));
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(150.0))
        .build_cartesian_2d(ex[0]..ex[ex.len() - 1], ey[0]..ey[ey.len() - 1])?;
    style_mesh(&mut chart, st)
        .disable_mesh()
        .x_desc(x_label.as_str())
        .y_desc(y_label.as_str())
        .x_labels(7)
        .y_labels(7)
        .x_label_formatter(&|v| format_count_tick(*v))
        .y_label_formatter(&|v| format_count_tick(*v))
        .draw()?;
    for i in 0..xs.len() {
        for j in 0..ys.len() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(ex[i], ey[j]), (ex[i + 1], ey[j + 1])],
                shade(z[i][j]).filled(),
            )))?;
            // White on the deepest shades, dark elsewhere.
            let ink: &'static RGBColor = if (z[i][j] - 0.5).abs() > 0.3 {
                &INK_LIGHT
            } else {
                &INK_DARK
            };
            chart.draw_series(std::iter::once(Text::new(
                percent(z[i][j]),
                (0.5 * (ex[i] + ex[i + 1]), 0.5 * (ey[j] + ey[j + 1])),
                st.font(24.0)
                    .color(ink)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )))?;
        }
    }
    for seg in trace_contour(xs, ys, z, 0.5) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![seg.0, seg.1],
            BLACK.stroke_width(st.px(5.0)),
        )))?;
    }
    Ok(())
}

/// Draws a tornado: per row a bar from the base to the output at P10 and one to the
/// output at P90, largest swing at the top, and the base line.
fn draw_tornado<DB: DrawingBackend>(
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
        (a.min(r.1.min(r.2)), b.max(r.1.max(r.2)))
    });
    let pad = 0.08 * (hi - lo).max(1.0);
    let label_width = st.px(600.0);
    let mut chart = ChartBuilder::on(area)
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
                rows[rows.len() - 1 - i as usize].0.clone()
            } else {
                String::new()
            }
        })
        .label_style(st.font(24.0))
        .draw()?;
    for (k, (_, at_p10, at_p90)) in rows.iter().enumerate() {
        let y = (rows.len() - 1 - k) as f64;
        for (v, c) in [
            (*at_p10, RGBColor(0x00, 0x72, 0xB2)),
            (*at_p90, RGBColor(0xD5, 0x5E, 0x00)),
        ] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(base.min(v), y - 0.35), (base.max(v), y + 0.35)],
                c.mix(0.85).filled(),
            )))?;
        }
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(*base, -0.5), (*base, n as f64 - 0.5)],
        BLACK.stroke_width(st.px(3.0)),
    )))?;
    Ok(())
}

/// Draws stacked bars, one per strategy, with each bar's total above it and the parts in
/// the legend.
fn draw_stacked<DB: DrawingBackend>(
    p: &StackedBars,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let StackedBars {
        strategies,
        parts,
        values,
    } = p;
    let lw = st.px(36.0) as i32;
    let n = strategies.len();
    let y_hi = values
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(170.0))
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .y_desc("Mean cost over the horizon")
        .x_labels(n.max(1))
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < strategies.len() {
                strategies[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_labels(6)
        .y_label_formatter(&|v| format_tick(*v, Axis::Money))
        .draw()?;
    for (pi, part) in parts.iter().enumerate() {
        let colour = rgb(PART_COLOURS[pi % PART_COLOURS.len()]);
        chart
            .draw_series((0..n).map(|i| {
                let below: f64 = values[i][..pi].iter().sum();
                let x = i as f64;
                Rectangle::new(
                    [(x - 0.32, below), (x + 0.32, below + values[i][pi])],
                    colour.filled(),
                )
            }))?
            .label(*part)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - lw / 3), (x + lw, y + lw / 3)], colour.filled())
            });
    }
    for (i, v) in values.iter().enumerate() {
        let total: f64 = v.iter().sum();
        chart.draw_series(std::iter::once(Text::new(
            money(total),
            (i as f64, total + y_hi * 0.01),
            st.bold(28.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, st)
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
    fn cell_edges_lie_between_centres() {
        assert_eq!(place_cell_edges(&[1.0, 2.0, 4.0]), vec![0.5, 1.5, 3.0, 5.0]);
        assert_eq!(place_cell_edges(&[3.0]), vec![2.5, 3.5]);
    }
}
