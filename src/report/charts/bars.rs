//! Bar charts: stacked bars (the cost breakdown), a waterfall (an attribution) and bars
//! with standard errors (the value of information), each
//! laying out its axes from what it is given and drawing it in the house style of
//! `style`.
//!
//! Only this module, `plots`, `scatter`, `drawing` and `style` know plotters. Nothing here computes
//! a statistic or decides what a figure says.

use super::style::{
    draw_side_legend, format_tick, label_width, rgb, style_mesh, DrawResult, Style, Swatch,
    INK_DARK,
};
use super::{Axis, Bars, StackedBars, Waterfall, PART_COLOURS, STEP_COLOURS};

use crate::report::money;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws stacked bars, one per strategy, with each bar's total above it and the parts in
/// a legend right of the plot, top part first as they stack.
pub(super) fn draw_stacked<DB: DrawingBackend>(
    p: &StackedBars,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let StackedBars {
        strategies,
        parts,
        values,
        y_label,
    } = p;
    let n = strategies.len();
    let y_hi = values
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let part_names: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(170.0))
        .margin_right(label_width(&part_names, st))
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .y_desc(y_label.as_str())
        .x_labels(n.max(1))
        .x_label_formatter(&|_| String::new())
        .y_labels(6)
        .y_label_formatter(&|v| format_tick(*v, Axis::Money))
        .draw()?;
    // Names under their bars, a name wider than its bar's slot broken after the
    // underscore or hyphen nearest its middle, so neighbours never run into each other.
    let slot = {
        let (xs, _) = chart.plotting_area().get_pixel_range();
        f64::from(xs.end - xs.start) / n.max(1) as f64
    };
    let base = area.get_base_pixel();
    for (i, name) in strategies.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64, 0.0));
        let wide = f64::from(st.px(super::text_width(name, 26.0, false))) > 0.95 * slot;
        let lines = if wide {
            break_name(name)
        } else {
            vec![name.clone()]
        };
        draw_name(area, (px - base.0, py - base.1), lines, st)?;
    }
    for pi in 0..parts.len() {
        let colour = rgb(PART_COLOURS[pi % PART_COLOURS.len()]);
        chart.draw_series((0..n).map(|i| {
            let below: f64 = values[i][..pi].iter().sum();
            let x = i as f64;
            Rectangle::new(
                [(x - 0.32, below), (x + 0.32, below + values[i][pi])],
                colour.filled(),
            )
        }))?;
    }
    for (i, v) in values.iter().enumerate() {
        let total: f64 = v.iter().sum();
        chart.draw_series(std::iter::once(Text::new(
            money(total),
            (i as f64, total + y_hi * 0.01),
            st.bold(28.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
        )))?;
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let entries: Vec<_> = (0..parts.len())
        .rev()
        .map(|pi| {
            (
                part_names[pi].clone(),
                rgb(PART_COLOURS[pi % PART_COLOURS.len()]),
                Swatch::Block,
            )
        })
        .collect();
    draw_side_legend(area, (xs.end + st.px(24.0) as i32, ys.start), &entries, st)
}

/// Draws a waterfall: the start bar, each step floating from the running total before it
/// to the one after with its amount and standard error above it, the end bar, and thin
/// lines joining each bar's level to the next.
pub(super) fn draw_waterfall<DB: DrawingBackend>(
    p: &Waterfall,
    area: &DrawingArea<DB, Shift>,
    st: &Style,
) -> DrawResult<DB> {
    let n = p.steps.len() + 2;
    // Each bar as (label, from, to, colour, amount, standard error).
    let mut bars = vec![(
        p.start.0.clone(),
        0.0,
        p.start.1,
        rgb(p.start.2),
        money(p.start.1),
        String::new(),
    )];
    let mut level = p.start.1;
    for (label, amount, se) in &p.steps {
        let colour = rgb(STEP_COLOURS[usize::from(*amount < 0.0)]);
        let sign = if *amount > 0.0 { "+" } else { "" };
        let text = format!("{sign}{}", money(*amount));
        bars.push((
            label.clone(),
            level,
            level + amount,
            colour,
            text,
            format!("s.e. {}", money(*se)),
        ));
        level += amount;
    }
    bars.push((
        p.end.0.clone(),
        0.0,
        p.end.1,
        rgb(p.end.2),
        money(p.end.1),
        String::new(),
    ));
    let (lo, hi) = bars.iter().fold((0.0f64, 0.0f64), |(a, b), r| {
        (a.min(r.1.min(r.2)), b.max(r.1.max(r.2)))
    });
    let pad = 0.12 * (hi - lo).max(1.0);
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(st.px(90.0))
        .y_label_area_size(st.px(170.0))
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo..hi)?;
    style_mesh(&mut chart, st)
        .disable_x_mesh()
        .y_desc(p.y_label.as_str())
        .x_labels(0)
        .y_labels(7)
        .y_label_formatter(&|v| format_tick(*v, Axis::Money))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
        BLACK.stroke_width(st.px(2.0)),
    )))?;
    let grey = RGBColor(0x88, 0x88, 0x88);
    let gap = (hi - lo) * 0.012;
    let base = area.get_base_pixel();
    for (i, (label, from, to, colour, amount, se)) in bars.iter().enumerate() {
        let x = i as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.34, *from), (x + 0.34, *to)],
            colour.filled(),
        )))?;
        if i + 1 < n {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.34, *to), (x + 0.66, *to)],
                grey.stroke_width(st.px(2.0)),
            )))?;
        }
        // The amount beyond the bar's end away from zero: above a bar that reaches above
        // zero, below one that lies under it; its standard error beside the bar.
        let (top, bottom) = (from.max(*to), from.min(*to));
        let (place, at_amount, at_se) = if top > 0.0 {
            let far = if se.is_empty() { 1.0 } else { 4.0 };
            (VPos::Bottom, top + far * gap, top + gap)
        } else {
            (VPos::Top, bottom - gap, bottom - 4.0 * gap)
        };
        let pos = Pos::new(HPos::Center, place);
        chart.draw_series(std::iter::once(Text::new(
            amount.clone(),
            (x, at_amount),
            st.bold(28.0).pos(pos),
        )))?;
        if !se.is_empty() {
            chart.draw_series(std::iter::once(Text::new(
                se.clone(),
                (x, at_se),
                st.font(22.0).color(&RGBColor(0x55, 0x55, 0x55)).pos(pos),
            )))?;
        }
        // The bar's name under the axis, on two lines when long.
        let (px, py) = chart.backend_coord(&(x, lo));
        let lines = if label.len() > 12 {
            break_name(label)
        } else {
            vec![label.clone()]
        };
        draw_name(area, (px - base.0, py - base.1), lines, st)?;
    }
    Ok(())
}

/// Draws horizontal bars from zero with two-standard-error whiskers, first row on top,
/// each value written beside its bar, and the reference line.
pub(super) fn draw_bars<DB: DrawingBackend>(
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
        // The whisker and its two caps as separate segments: one path doubling back on
        // itself leaves slanted hairlines at its joins.
        let (a, b) = (v - 2.0 * se, v + 2.0 * se);
        chart.draw_series(
            [
                [(a, y), (b, y)],
                [(a, y - 0.15), (a, y + 0.15)],
                [(b, y - 0.15), (b, y + 0.15)],
            ]
            .into_iter()
            .map(|seg| PathElement::new(seg.to_vec(), INK_DARK.stroke_width(st.px(3.0)))),
        )?;
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
            format!("{label} "),
            (*v, n as f64 - 0.5),
            st.font(22.0).pos(Pos::new(HPos::Right, VPos::Top)),
        )))?;
    }
    Ok(())
}

/// A bar's name in its lines, centred under the point `at` of the area (the bar's foot).
fn draw_name<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    lines: Vec<String>,
    st: &Style,
) -> DrawResult<DB> {
    for (l, line) in lines.into_iter().enumerate() {
        area.draw(&Text::new(
            line,
            (at.0, at.1 + st.px(14.0 + 32.0 * l as f64) as i32),
            st.font(26.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    Ok(())
}

/// A bar's name on two lines, broken at the space, underscore or hyphen nearest its
/// middle ("replacement" / "governed", `replacement_` / `governed`, "Ways of" /
/// "working"); one line where it has none. A space is dropped at the break.
fn break_name(name: &str) -> Vec<String> {
    let mid = name.len() / 2;
    let at = name
        .match_indices([' ', '_', '-'])
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(mid));
    match at {
        Some(i) if name[i..].starts_with(' ') => {
            vec![name[..i].to_string(), name[i + 1..].to_string()]
        }
        Some(i) if i + 1 < name.len() => {
            vec![name[..=i].to_string(), name[i + 1..].to_string()]
        }
        _ => vec![name.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::break_name;

    #[test]
    fn a_long_name_breaks_at_the_separator_nearest_its_middle() {
        assert_eq!(
            break_name("replacement governed"),
            ["replacement", "governed"]
        );
        assert_eq!(
            break_name("replacement_governed"),
            ["replacement_", "governed"]
        );
        assert_eq!(break_name("Ways of working"), ["Ways of", "working"]);
        assert_eq!(break_name("tokenmaxxing"), ["tokenmaxxing"]);
    }
}
