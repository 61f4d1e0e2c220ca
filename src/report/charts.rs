//! Slide-ready charts: each figure is computed once into a `Figure` (its title, its data
//! table, what to draw), then drawn by the same code into SVG at 1920x1080 and into a
//! bitmap at twice that size, downsampled to 1920x1080 (plotters' bitmap lines are not
//! anti-aliased). Text comes from the embedded DejaVu Sans font.
//!
//! Only this module knows plotters. It must not compute model quantities: it reads the
//! run's per-path results and the statistics, and formats them.

use super::{cap, count, money, percent, Cell, Table};
use crate::engine::RunResult;
use crate::metrics::{Metric, Series};
use crate::stats::{quantile_sorted, Summaries};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use std::sync::Once;

/// Width and height of a chart in pixels (the bitmap is drawn at twice this and halved).
pub const SIZE: (u32, u32) = (1920, 1080);

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();
static INK_LIGHT: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
static INK_DARK: RGBColor = RGBColor(0x22, 0x22, 0x22);
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

/// Colour-blind-safe colours (Okabe and Ito 2008), one per strategy, the same in every
/// chart: known strategy names keep their colour whatever their order.
pub fn strategy_colour(name: &str, index: usize) -> RGBColor {
    match name {
        "status_quo" => RGBColor(0x66, 0x66, 0x66),
        "flat_seats" => RGBColor(0x56, 0xB4, 0xE9),
        "leverage" => RGBColor(0x00, 0x72, 0xB2),
        "tokenmaxxing" => RGBColor(0xE6, 0x9F, 0x00),
        "replacement" => RGBColor(0xD5, 0x5E, 0x00),
        _ => [
            RGBColor(0x00, 0x9E, 0x73),
            RGBColor(0xCC, 0x79, 0xA7),
            RGBColor(0x00, 0x00, 0x00),
            RGBColor(0xB8, 0xA9, 0x00),
        ][index % 4],
    }
}

/// Colours of the parts of cost (Tol's muted scheme, distinct from the strategy colours).
const PART_COLOURS: [RGBColor; 7] = [
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x88, 0xCC, 0xEE),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0xCC, 0x66, 0x77),
    RGBColor(0x88, 0x22, 0x55),
];

/// What every chart's footer says.
#[derive(Clone, Debug)]
pub struct Footer {
    pub scenario: String,
    pub seed: u64,
    pub paths: usize,
    pub version: String,
    pub sha256: String,
}

impl Footer {
    fn text(&self) -> String {
        format!(
            "Scenario {} · seed {} · {} paths · tokensim {} · scenario SHA-256 {}",
            self.scenario,
            self.seed,
            count(self.paths as f64),
            self.version,
            &self.sha256[..self.sha256.len().min(8)]
        )
    }
}

/// A line with a band around it: one strategy's monthly median and quantile band.
#[derive(Clone, Debug)]
struct Fan {
    name: String,
    colour: RGBColor,
    /// Whether the bands are drawn (the headline pair's, so five fans stay readable).
    band: bool,
    /// `(month, p5, p25, p50, p75, p95)`.
    points: Vec<(f64, f64, f64, f64, f64, f64)>,
}

/// A named, coloured curve of (x, y) points.
type Curve = (String, RGBColor, Vec<(f64, f64)>);

/// How a y axis reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Axis {
    Money,
    Percent,
    Count,
}

/// Where the legend goes, or none.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Legend {
    UpperLeft,
    LowerLeft,
    Hidden,
}

/// What a chart draws.
#[derive(Clone, Debug)]
enum Plot {
    /// Monthly fans on one axis; `outer` draws the P5-P95 band too; `rug` shades months.
    Fans {
        fans: Vec<Fan>,
        y: Axis,
        y_label: String,
        outer: bool,
        rug: Vec<f64>,
        y_floor_zero: bool,
        legend: Legend,
    },
    /// Two fan panels side by side.
    TwoPanels {
        left: Box<Plot>,
        right: Box<Plot>,
        left_title: String,
        right_title: String,
    },
    /// Density outlines of a per-path quantity, one per strategy.
    Densities { series: Vec<Curve>, x_label: String },
    /// A histogram of a paired difference with zero marked; bars left of zero in `b`'s colour.
    Difference {
        bins: Vec<(f64, f64, f64)>,
        colour_a: RGBColor,
        colour_b: RGBColor,
        note: String,
    },
    /// Exceedance curves on a log x axis.
    Exceedance { series: Vec<Curve> },
    /// Curves against a numeric x, with a shaded band and a labelled reference line.
    Xy {
        x_label: String,
        y_label: String,
        y: Axis,
        curves: Vec<Curve>,
        /// `(x, low, high)` around the first curve.
        band: Vec<(f64, f64, f64)>,
        reference: Option<(f64, String)>,
    },
    /// A grid coloured by `z` in [0, 1] (`z[i][j]` at `xs[i]`, `ys[j]`), with the 0.5 contour.
    Heat {
        x_label: String,
        y_label: String,
        xs: Vec<f64>,
        ys: Vec<f64>,
        z: Vec<Vec<f64>>,
    },
    /// Horizontal bars from a low to a high value per row, largest first, around `base`.
    Tornado {
        rows: Vec<(String, f64, f64)>,
        base: f64,
        x_label: String,
    },
    /// Stacked bars: per strategy, the parts.
    Stacked {
        strategies: Vec<String>,
        parts: Vec<&'static str>,
        values: Vec<Vec<f64>>,
    },
}

/// One chart: its file name, its title and subtitle, the figures behind it, and what to draw.
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: &'static str,
    pub title: String,
    pub subtitle: String,
    pub data: Table,
    plot: Plot,
}

/// Everything a chart needs from a run.
pub struct Inputs<'a> {
    pub result: &'a RunResult,
    pub summaries: &'a Summaries,
}

fn fan(inp: &Inputs, s: usize, metric: Series) -> Fan {
    let name = inp.summaries.strategies[s].name.clone();
    let mut points = vec![];
    for m in 0..inp.summaries.horizon {
        let v = inp.summaries.month(s, m, metric);
        points.push(((m + 1) as f64, v.p5, v.p25, v.p50, v.p75, v.p95));
    }
    let band = match inp.summaries.headline {
        Some((a, b)) => s == a || s == b,
        None => true,
    };
    Fan {
        colour: strategy_colour(&name, s),
        name,
        points,
        band,
    }
}

fn fan_table(fans: &[Fan]) -> Table {
    let mut t = Table::new(&["strategy", "month", "p5", "p25", "p50", "p75", "p95"]);
    for f in fans {
        for p in &f.points {
            t.push(vec![
                f.name.as_str().into(),
                p.0.into(),
                p.1.into(),
                p.2.into(),
                p.3.into(),
                p.4.into(),
                p.5.into(),
            ]);
        }
    }
    t
}

/// The pair a headline compares, or the first two strategies.
fn pair(inp: &Inputs) -> Option<(usize, usize)> {
    inp.summaries
        .headline
        .or(if inp.summaries.strategies.len() >= 2 {
            Some((0, 1))
        } else {
            None
        })
}

/// A figure built outside this module (sweeps, sensitivity): title, data and plot.
#[allow(clippy::too_many_arguments)]
pub fn xy_figure(
    name: &'static str,
    title: String,
    subtitle: String,
    data: Table,
    (x_label, y_label): (String, String),
    percent_axis: bool,
    curves: Vec<(String, Vec<(f64, f64)>)>,
    band: Vec<(f64, f64, f64)>,
    reference: Option<(f64, String)>,
) -> Figure {
    let curves = curves
        .into_iter()
        .enumerate()
        .map(|(i, (n, pts))| (n.clone(), strategy_colour(&n, i), pts))
        .collect();
    let y = if percent_axis {
        Axis::Percent
    } else {
        Axis::Money
    };
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Xy {
            x_label,
            y_label,
            y,
            curves,
            band,
            reference,
        },
    }
}

/// A heat map figure: `z[i][j]` in [0, 1] at `xs[i]`, `ys[j]`, with its 0.5 contour.
pub fn heat_figure(
    name: &'static str,
    title: String,
    subtitle: String,
    data: Table,
    (x_label, y_label): (String, String),
    (xs, ys): (Vec<f64>, Vec<f64>),
    z: Vec<Vec<f64>>,
) -> Figure {
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Heat {
            x_label,
            y_label,
            xs,
            ys,
            z,
        },
    }
}

/// A tornado figure: per row `(label, output at P10, output at P90)`, largest swing first.
pub fn tornado_figure(
    name: &'static str,
    title: String,
    subtitle: String,
    data: Table,
    rows: Vec<(String, f64, f64)>,
    base: f64,
    x_label: String,
) -> Figure {
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Tornado {
            rows,
            base,
            x_label,
        },
    }
}

/// Builds every figure of a run.
pub fn figures(inp: &Inputs) -> Vec<Figure> {
    let mut out = vec![net_value_fan(inp), npv_distribution(inp)];
    if let Some(f) = paired_difference(inp) {
        out.push(f);
    }
    out.extend([
        token_spend(inp),
        incident_loss_exceedance(inp),
        knowledge(inp),
        headcount_output(inp),
        cost_breakdown(inp),
    ]);
    out
}

/// Every strategy's fan of one monthly series, with each median at the last month and
/// the strategies whose median ends lowest and highest.
struct Ends {
    fans: Vec<Fan>,
    end: Vec<f64>,
    low: usize,
    high: usize,
}

fn ends(inp: &Inputs, metric: Series) -> Ends {
    let s = inp.summaries;
    let n_s = s.strategies.len();
    let fans: Vec<Fan> = (0..n_s).map(|i| fan(inp, i, metric)).collect();
    let end: Vec<f64> = (0..n_s)
        .map(|i| s.month(i, s.horizon - 1, metric).p50)
        .collect();
    let low = (0..n_s)
        .min_by(|a, b| end[*a].total_cmp(&end[*b]))
        .unwrap_or(0);
    let high = (0..n_s)
        .max_by(|a, b| end[*a].total_cmp(&end[*b]))
        .unwrap_or(0);
    Ends {
        fans,
        end,
        low,
        high,
    }
}

fn net_value_fan(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let Ends {
        fans,
        end,
        low: worst,
        high: best,
    } = ends(inp, Series::CumNetValue);
    let end = |i: usize| end[i];
    let title = format!(
        "{} leads: {} net value by month {} in the median future",
        cap(&s.strategies[best].name),
        money(end(best)),
        s.horizon
    );
    let subtitle = if best != worst {
        format!(
            "{} ends at {}. Lines: median future; shaded: middle 50% and 90% of futures{}. Undiscounted.",
            cap(&s.strategies[worst].name),
            money(end(worst)),
            if s.headline.is_some() { " for the headline pair" } else { "" }
        )
    } else {
        "Lines: median; bands: middle 50% and 90% of futures. Undiscounted.".into()
    };
    Figure {
        name: "net_value_fan",
        title,
        subtitle,
        data: fan_table(&fans),
        plot: Plot::Fans {
            fans,
            y: Axis::Money,
            y_label: "Cumulative net value".into(),
            outer: true,
            rug: vec![],
            y_floor_zero: false,
            legend: Legend::UpperLeft,
        },
    }
}

/// Density outline of `values` over `bins` equal bins from `lo` to `hi`, as (x, density).
/// Counts of the finite `values` in `bins` equal bins from `lo` to `hi` (values outside
/// are left out), the bin width, and how many finite values there were.
fn bin_counts(values: &[f64], lo: f64, hi: f64, bins: usize) -> (Vec<f64>, f64, f64) {
    let w = (hi - lo) / bins as f64;
    let mut counts = vec![0.0; bins];
    let mut n = 0.0;
    for v in values.iter().filter(|v| v.is_finite()) {
        n += 1.0;
        let b = ((v - lo) / w).floor();
        if b >= 0.0 && (b as usize) < bins {
            counts[b as usize] += 1.0;
        }
    }
    (counts, w, n)
}

/// Density outline of `values` over `bins` equal bins from `lo` to `hi`, as (x, density).
fn density(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<(f64, f64)> {
    let (counts, w, n) = bin_counts(values, lo, hi, bins);
    let n = n.max(1.0);
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| (lo + (i as f64 + 0.5) * w, c / (n * w)))
        .collect()
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    v
}

/// Bins of the NPV distribution chart.
const NPV_BINS: usize = 60;

fn npv_distribution(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let cols: Vec<Vec<f64>> = (0..s.strategies.len())
        .map(|i| sorted(inp.result.column(i, Metric::Npv)))
        .collect();
    let lo = cols
        .iter()
        .map(|c| quantile_sorted(c, 0.01))
        .fold(f64::INFINITY, f64::min);
    let hi = cols
        .iter()
        .map(|c| quantile_sorted(c, 0.99))
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    };
    let mut t = Table::new(&[
        "strategy",
        "npv_bin_centre",
        "density",
        "share_of_futures",
        "p_best",
    ]);
    let mut series = vec![];
    for (i, st) in s.strategies.iter().enumerate() {
        let d = density(&cols[i], lo, hi, NPV_BINS);
        let width = (hi - lo) / NPV_BINS as f64;
        for (x, y) in &d {
            t.push(vec![
                st.name.as_str().into(),
                (*x).into(),
                (*y).into(),
                (*y * width).into(),
                st.p_best.p.into(),
            ]);
        }
        series.push((
            format!("{} (best in {})", st.name, percent(st.p_best.p)),
            strategy_colour(&st.name, i),
            d,
        ));
    }
    let best = (0..s.strategies.len())
        .max_by(|a, b| {
            s.strategies[*a]
                .p_best
                .p
                .total_cmp(&s.strategies[*b].p_best.p)
        })
        .unwrap_or(0);
    let b = &s.strategies[best];
    Figure {
        name: "npv_distribution",
        title: format!(
            "{} has the highest NPV in {} of futures",
            cap(&b.name),
            percent(b.p_best.p)
        ),
        subtitle: format!(
            "NPV over {} months; median {} (P5 {}, P95 {}). Curves: share of futures at each NPV.",
            s.horizon,
            money(b.metric(Metric::Npv).p50),
            money(b.metric(Metric::Npv).p5),
            money(b.metric(Metric::Npv).p95)
        ),
        data: t,
        plot: Plot::Densities {
            series,
            x_label: "NPV over the horizon".into(),
        },
    }
}

fn paired_difference(inp: &Inputs) -> Option<Figure> {
    let (a, b) = pair(inp)?;
    let s = inp.summaries;
    let (na, nb) = (&s.strategies[a].name, &s.strategies[b].name);
    let diff: Vec<f64> = (0..inp.result.n_paths)
        .map(|p| {
            inp.result.final_value(p, a, Metric::Npv) - inp.result.final_value(p, b, Metric::Npv)
        })
        .collect();
    let d = sorted(diff);
    let (lo, hi) = (quantile_sorted(&d, 0.005), quantile_sorted(&d, 0.995));
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    // Zero always shows, with room on both sides.
    let pad = 0.12 * (hi - lo);
    let (lo, hi) = (lo.min(-pad), hi.max(pad));
    let (counts, w, n) = bin_counts(&d, lo, hi, 60);
    let n = n.max(1.0);
    let bars: Vec<(f64, f64, f64)> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| (lo + i as f64 * w, lo + (i + 1) as f64 * w, c / n))
        .collect();
    let mut t = Table::new(&["bin_from", "bin_to", "share_of_futures"]);
    for (x0, x1, y) in &bars {
        t.push(vec![(*x0).into(), (*x1).into(), (*y).into()]);
    }
    let p = s.pairs.iter().find(|p| &p.a == na && &p.b == nb)?;
    let median = p.diff.p50;
    let verb = if median < 0.0 { "loses" } else { "gains" };
    Some(Figure {
        name: "paired_difference",
        title: format!(
            "{} {} {} against {} in the median future",
            cap(na),
            verb,
            money(median.abs()),
            nb
        ),
        subtitle: format!(
            "{} wins in {} of futures. NPV of {} minus {} on the same {} futures; P5 {}, P95 {}.",
            cap(na),
            percent(p.a_beats_b.p),
            na,
            nb,
            count(s.n_paths as f64),
            money(p.diff.p5),
            money(p.diff.p95)
        ),
        data: t,
        plot: Plot::Difference {
            bins: bars,
            colour_a: strategy_colour(na, a),
            colour_b: strategy_colour(nb, b),
            note: format!(
                "Right of 0: {} ahead ({} of futures)",
                na,
                percent(p.a_beats_b.p)
            ),
        },
    })
}

fn token_spend(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let fans: Vec<Fan> = (0..s.strategies.len())
        .map(|i| fan(inp, i, Series::SpendPerFte))
        .filter(|f| f.points.iter().any(|p| p.3 > 0.0))
        .collect();
    // Share of futures whose subsidy ends in each month.
    let h = s.horizon;
    let mut rug = vec![0.0; h];
    for m in &inp.result.shock_month {
        if m.is_finite() && *m >= 1.0 && (*m as usize) <= h {
            rug[*m as usize - 1] += 1.0 / inp.result.n_paths as f64;
        }
    }
    let end = |f: &Fan| f.points.last().map(|p| p.3).unwrap_or(0.0);
    let top = fans.iter().max_by(|a, b| end(a).total_cmp(&end(b)));
    // Compare with the other side of the headline pair, else the lightest spender.
    let other = pair(inp)
        .and_then(|(a, b)| {
            fans.iter().find(|f| {
                top.is_some_and(|t| t.name != f.name)
                    && (f.name == s.strategies[a].name || f.name == s.strategies[b].name)
            })
        })
        .or_else(|| {
            fans.iter()
                .filter(|f| end(f) > 0.0)
                .min_by(|a, b| end(a).total_cmp(&end(b)))
        });
    let shocked: f64 = rug.iter().sum();
    let title = match (top, other) {
        (Some(t), Some(o)) if t.name != o.name => format!(
            "{} spends {} a month on AI per engineer-equivalent by month {h}; {} {}",
            cap(&t.name),
            money(end(t)),
            o.name,
            money(end(o))
        ),
        (Some(t), _) => format!(
            "{} spends {} a month on AI per engineer-equivalent by month {h}",
            cap(&t.name),
            money(end(t))
        ),
        _ => "No strategy spends on AI".into(),
    };
    let mut data = fan_table(&fans);
    data.header = vec!["strategy", "month", "p5", "p25", "p50", "p75", "p95"];
    for (m, share) in rug.iter().enumerate() {
        data.push(vec![
            "subsidy_end_share".into(),
            ((m + 1) as f64).into(),
            Cell::Num(f64::NAN),
            Cell::Num(f64::NAN),
            (*share).into(),
            Cell::Num(f64::NAN),
            Cell::Num(f64::NAN),
        ]);
    }
    Figure {
        name: "token_spend",
        title,
        subtitle: format!(
            "Metered tokens, seats and loops per engineer or agent seat, per month; median and middle 50%. Grey: month the subsidy ends ({} of futures within {} months).",
            percent(shocked),
            h
        ),
        data,
        plot: Plot::Fans {
            fans,
            y: Axis::Money,
            y_label: "AI spend per engineer-equivalent a month".into(),
            outer: false,
            rug,
            y_floor_zero: true,
            legend: Legend::UpperLeft,
        },
    }
}

fn incident_loss_exceedance(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let mut series = vec![];
    let mut t = Table::new(&["strategy", "loss", "p_exceed"]);
    let cols: Vec<Vec<f64>> = (0..s.strategies.len())
        .map(|i| sorted(inp.result.column(i, Metric::IncidentCost)))
        .collect();
    let lo = cols
        .iter()
        .filter_map(|c| c.iter().find(|x| **x > 0.0).copied())
        .fold(f64::INFINITY, f64::min);
    let hi = cols
        .iter()
        .filter_map(|c| c.last().copied())
        .fold(0.0, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (1.0, 10.0)
    };
    for (i, st) in s.strategies.iter().enumerate() {
        let c = &cols[i];
        let n = c.len().max(1) as f64;
        let pts: Vec<(f64, f64)> = (0..=120)
            .map(|k| {
                let x = lo * (hi / lo).powf(k as f64 / 120.0);
                let above = c.len() - c.partition_point(|v| *v <= x);
                (x, above as f64 / n)
            })
            .collect();
        for (x, p) in &pts {
            t.push(vec![st.name.as_str().into(), (*x).into(), (*p).into()]);
        }
        series.push((st.name.clone(), strategy_colour(&st.name, i), pts));
    }
    let worst = (0..s.strategies.len())
        .max_by(|a, b| {
            s.strategies[*a]
                .metric(Metric::IncidentCost)
                .p95
                .total_cmp(&s.strategies[*b].metric(Metric::IncidentCost).p95)
        })
        .unwrap_or(0);
    let w = &s.strategies[worst];
    Figure {
        name: "incident_loss_exceedance",
        title: format!("{}: a 1-in-20 chance of incident losses above {}", cap(&w.name), money(w.metric(Metric::IncidentCost).p95)),
        subtitle: format!(
            "Chance that incident losses over {} months exceed the amount on the axis (log scale). Median {}.",
            s.horizon,
            money(w.metric(Metric::IncidentCost).p50)
        ),
        data: t,
        plot: Plot::Exceedance { series },
    }
}

fn knowledge(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let Ends {
        fans,
        end,
        low,
        high,
    } = ends(inp, Series::Knowledge);
    let end = |i: usize| end[i];
    Figure {
        name: "knowledge",
        title: format!("{} keeps {} of its know-how by month {} in the median future", cap(&s.strategies[low].name), percent(end(low)), s.horizon),
        subtitle: format!(
            "{} keeps {}. Share of the system's critical know-how still held; median, middle 50% and 90% of futures.",
            cap(&s.strategies[high].name),
            percent(end(high))
        ),
        data: fan_table(&fans),
        plot: Plot::Fans {
            fans,
            y: Axis::Percent,
            y_label: "Institutional knowledge kept".into(),
            outer: true,
            rug: vec![],
            y_floor_zero: true,
            legend: Legend::LowerLeft,
        },
    }
}

fn headcount_output(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let n_s = s.strategies.len();
    let heads: Vec<Fan> = (0..n_s).map(|i| fan(inp, i, Series::Headcount)).collect();
    let outs: Vec<Fan> = (0..n_s).map(|i| fan(inp, i, Series::Output)).collect();
    let last = s.horizon - 1;
    let (a, b) = pair(inp).unwrap_or((0, 0));
    let title = format!(
        "{} ends with {:.0} engineers and {:.0} WU a month; {} {:.0} and {:.0}",
        cap(&s.strategies[a].name),
        s.month(a, last, Series::Headcount).p50,
        s.month(a, last, Series::Output).p50,
        s.strategies[b].name,
        s.month(b, last, Series::Headcount).p50,
        s.month(b, last, Series::Output).p50
    );
    let mut data = Table::new(&[
        "strategy", "month", "series", "p5", "p25", "p50", "p75", "p95",
    ]);
    for (label, fans) in [("headcount", &heads), ("output", &outs)] {
        for f in fans.iter() {
            for p in &f.points {
                data.push(vec![
                    f.name.as_str().into(),
                    p.0.into(),
                    label.into(),
                    p.1.into(),
                    p.2.into(),
                    p.3.into(),
                    p.4.into(),
                    p.5.into(),
                ]);
            }
        }
    }
    Figure {
        name: "headcount_output",
        title,
        subtitle: "Median engineers on staff (left) and output in work units a month (right), with the middle 50% of futures. One WU: a fully ramped engineer-month without AI.".into(),
        data,
        plot: Plot::TwoPanels {
            left: Box::new(Plot::Fans {
                fans: heads,
                y: Axis::Count,
                y_label: "Engineers".into(),
                outer: false,
                rug: vec![],
                y_floor_zero: true,
                legend: Legend::LowerLeft,
            }),
            right: Box::new(Plot::Fans {
                fans: outs,
                y: Axis::Count,
                y_label: "Output (WU a month)".into(),
                outer: false,
                rug: vec![],
                y_floor_zero: true,
                legend: Legend::Hidden,
            }),
            left_title: "Headcount".into(),
            right_title: "Output".into(),
        },
    }
}

/// The parts of cost, in the order they stack, with their metric names.
pub const COST_PARTS: [(Metric, &str); 7] = [
    (Metric::Payroll, "Payroll"),
    (Metric::Severance, "Severance"),
    (Metric::Hiring, "Hiring"),
    (Metric::Tokens, "Metered tokens"),
    (Metric::Seats, "Flat seats"),
    (Metric::IncidentCost, "Incidents"),
    (Metric::Loops, "Runaway loops"),
];

fn cost_breakdown(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let mut t = Table::new(&["strategy", "part", "mean_cost"]);
    let mut values = vec![];
    for st in &s.strategies {
        let row: Vec<f64> = COST_PARTS.iter().map(|(m, _)| st.metric(*m).mean).collect();
        for ((_, label), v) in COST_PARTS.iter().zip(&row) {
            t.push(vec![st.name.as_str().into(), (*label).into(), (*v).into()]);
        }
        values.push(row);
    }
    let total = |i: usize| values[i].iter().sum::<f64>();
    let n_s = s.strategies.len();
    let dear = (0..n_s)
        .max_by(|a, b| total(*a).total_cmp(&total(*b)))
        .unwrap_or(0);
    let cheap = (0..n_s)
        .min_by(|a, b| total(*a).total_cmp(&total(*b)))
        .unwrap_or(0);
    let ai_and_incidents = values[dear][3] + values[dear][4] + values[dear][5] + values[dear][6];
    Figure {
        name: "cost_breakdown",
        title: format!(
            "{} costs {} over {} months, {} more than {}",
            cap(&s.strategies[dear].name),
            money(total(dear)),
            s.horizon,
            money(total(dear) - total(cheap)),
            s.strategies[cheap].name
        ),
        subtitle: format!(
            "Mean cost by part. Of {}'s total, AI spend and incidents are {}.",
            s.strategies[dear].name,
            money(ai_and_incidents)
        ),
        data: t,
        plot: Plot::Stacked {
            strategies: s.strategies.iter().map(|x| x.name.clone()).collect(),
            parts: COST_PARTS.iter().map(|(_, l)| *l).collect(),
            values,
        },
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Sizes in pixels at 1920x1080; the bitmap draws at scale `k` = 2.
struct Style {
    k: f64,
    bitmap: bool,
}

impl Style {
    fn px(&self, x: f64) -> u32 {
        (x * self.k).round() as u32
    }
    /// Text whose letters are `size` pixels to the em at 1920x1080.
    fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * PX_TO_PLOTTERS * self.k)
            .into_font()
            .color(&RGBColor(0x22, 0x22, 0x22))
    }
    fn bold(&self, size: f64) -> TextStyle<'static> {
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
fn wrap<DB: DrawingBackend>(
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

fn draw<DB: DrawingBackend>(
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
    for line in wrap(root, &fig.title, &title_style, w - 2 * margin) {
        root.draw(&Text::new(line, (margin as i32, y), title_style.clone()))?;
        y += st.px(56.0) as i32;
    }
    for line in wrap(root, &fig.subtitle, &sub_style, w - 2 * margin) {
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
    plot(&fig.plot, &body, st)
}

fn y_range(lo: f64, hi: f64, floor_zero: bool) -> (f64, f64) {
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
fn tick(v: f64, axis: Axis) -> String {
    match axis {
        Axis::Money => money(v).replace(".0M", "M").replace(".0B", "B"),
        Axis::Percent => percent(v),
        Axis::Count => count_tick(v),
    }
}

fn count_tick(v: f64) -> String {
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
fn mesh<'a, 'b, DB, X, Y>(
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
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
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
fn curve<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
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

/// The x range of curves whose points are sorted by x: the least first x, the largest
/// last x.
fn x_extent(series: &[Curve]) -> (f64, f64) {
    let lo = series
        .iter()
        .flat_map(|s| s.2.first())
        .map(|p| p.0)
        .fold(f64::INFINITY, f64::min);
    let hi = series
        .iter()
        .flat_map(|s| s.2.last())
        .map(|p| p.0)
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn plot<DB: DrawingBackend>(p: &Plot, area: &DrawingArea<DB, Shift>, st: &Style) -> DrawResult<DB> {
    let lw = st.px(36.0) as i32;
    match p {
        Plot::Fans {
            fans,
            y,
            y_label,
            outer,
            rug,
            y_floor_zero,
            legend,
        } => {
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
            let (lo, hi) = y_range(lo, hi, *y_floor_zero);
            let mut chart = ChartBuilder::on(area)
                .x_label_area_size(st.px(90.0))
                .y_label_area_size(st.px(170.0))
                .build_cartesian_2d(0.5..x_max + 0.5, lo..hi)?;
            mesh(&mut chart, st)
                .disable_x_mesh()
                .x_desc("Month")
                .y_desc(y_label.as_str())
                .x_labels(((x_max / 6.0).ceil() as usize + 1).max(2))
                .x_label_formatter(&|v| format!("{v:.0}"))
                .y_labels(6)
                .y_label_formatter(&|v| tick(*v, *y))
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
                        f.colour.mix(0.07).filled(),
                    )))?;
                }
                let mut poly: Vec<(f64, f64)> = f.points.iter().map(|q| (q.0, q.4)).collect();
                poly.extend(f.points.iter().rev().map(|q| (q.0, q.2)));
                chart.draw_series(std::iter::once(Polygon::new(
                    poly,
                    f.colour.mix(0.16).filled(),
                )))?;
            }
            for f in fans {
                let colour = f.colour;
                if f.points.len() < 3 {
                    // A line of one or two points is hard to see: mark the points.
                    chart.draw_series(
                        f.points
                            .iter()
                            .map(|q| Circle::new((q.0, q.3), st.px(9.0), colour.filled())),
                    )?;
                }
                curve(
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
        }
        Plot::TwoPanels {
            left,
            right,
            left_title,
            right_title,
        } => {
            let (a, b) = area.split_horizontally(area.dim_in_pixel().0 / 2);
            let b = b.margin(0, 0, st.px(40.0), 0);
            for (panel, sub, name) in [(&a, left, left_title), (&b, right, right_title)] {
                let (head, body) = panel.split_vertically(st.px(44.0));
                head.draw(&Text::new(
                    name.clone(),
                    (st.px(180.0) as i32, 0),
                    st.bold(30.0),
                ))?;
                plot(sub, &body, st)?;
            }
        }
        Plot::Densities { series, x_label } => {
            let (x_lo, x_hi) = x_extent(series);
            let y_hi = series
                .iter()
                .flat_map(|s| s.2.iter().map(|p| p.1))
                .fold(0.0, f64::max);
            let mut chart = ChartBuilder::on(area)
                .x_label_area_size(st.px(90.0))
                .y_label_area_size(st.px(60.0))
                .build_cartesian_2d(x_lo..x_hi.max(x_lo + 1.0), 0.0..(y_hi * 1.08).max(1e-12))?;
            mesh(&mut chart, st)
                .disable_y_mesh()
                .disable_y_axis()
                .x_desc(x_label.as_str())
                .x_labels(7)
                .x_label_formatter(&|v| tick(*v, Axis::Money))
                .draw()?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, y_hi * 1.08)],
                BLACK.mix(0.5).stroke_width(st.px(2.0)),
            )))?;
            for (name, colour, pts) in series {
                let colour = *colour;
                chart.draw_series(std::iter::once(Polygon::new(
                    std::iter::once((pts[0].0, 0.0))
                        .chain(pts.iter().cloned())
                        .chain(std::iter::once((pts[pts.len() - 1].0, 0.0)))
                        .collect::<Vec<_>>(),
                    colour.mix(0.08).filled(),
                )))?;
                curve(&mut chart, name, colour, pts.iter().cloned(), st)?;
            }
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, st)?;
        }
        Plot::Difference {
            bins,
            colour_a,
            colour_b,
            note,
        } => {
            let x_lo = bins.first().map(|b| b.0).unwrap_or(-1.0);
            let x_hi = bins.last().map(|b| b.1).unwrap_or(1.0);
            let y_hi = bins.iter().map(|b| b.2).fold(0.0, f64::max).max(1e-12) * 1.12;
            let mut chart = ChartBuilder::on(area)
                .x_label_area_size(st.px(90.0))
                .y_label_area_size(st.px(130.0))
                .build_cartesian_2d(x_lo..x_hi, 0.0..y_hi)?;
            mesh(&mut chart, st)
                .disable_x_mesh()
                .x_desc("Difference in NPV on the same future")
                .y_desc("Share of futures")
                .x_labels(7)
                .y_labels(5)
                .x_label_formatter(&|v| tick(*v, Axis::Money))
                .y_label_formatter(&|v| percent(*v))
                .draw()?;
            chart.draw_series(bins.iter().map(|(x0, x1, y)| {
                let c = if 0.5 * (x0 + x1) < 0.0 {
                    *colour_b
                } else {
                    *colour_a
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
        }
        Plot::Exceedance { series } => {
            let (x_lo, x_hi) = x_extent(series);
            let x_hi = x_hi.max(0.0);
            let mut chart = ChartBuilder::on(area)
                .x_label_area_size(st.px(90.0))
                .y_label_area_size(st.px(130.0))
                .build_cartesian_2d(
                    (x_lo.max(1e-6)..x_hi.max(x_lo * 10.0)).log_scale(),
                    0.0..1.02,
                )?;
            mesh(&mut chart, st)
                .disable_x_mesh()
                .x_desc("Incident losses over the horizon (log scale)")
                .y_desc("Chance of exceeding")
                .y_labels(6)
                .x_label_formatter(&|v| tick(*v, Axis::Money))
                .y_label_formatter(&|v| percent(*v))
                .draw()?;
            for (name, colour, pts) in series {
                curve(&mut chart, name, *colour, pts.iter().cloned(), st)?;
            }
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight, st)?;
        }
        Plot::Xy {
            x_label,
            y_label,
            y,
            curves,
            band,
            reference,
        } => {
            let xs = curves.iter().flat_map(|c| c.2.iter().map(|p| p.0));
            let (x_lo, x_hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
            let ys = curves
                .iter()
                .flat_map(|c| c.2.iter().map(|p| p.1))
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
                y_range(lo, hi, false)
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
            mesh(&mut chart, st)
                .disable_x_mesh()
                .x_desc(x_label.as_str())
                .y_desc(y_label.as_str())
                .x_labels(7)
                .y_labels(6)
                .x_label_formatter(&|v| count_tick(*v))
                .y_label_formatter(&|v| tick(*v, *y))
                .draw()?;
            if let (false, Some(c)) = (band.is_empty(), curves.first()) {
                let mut poly: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
                poly.extend(band.iter().rev().map(|b| (b.0, b.1)));
                chart.draw_series(std::iter::once(Polygon::new(poly, c.1.mix(0.18).filled())))?;
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
            for (name, colour, pts) in curves {
                chart.draw_series(
                    pts.iter()
                        .map(|p| Circle::new(*p, st.px(7.0), colour.filled())),
                )?;
                curve(&mut chart, name, *colour, pts.iter().cloned(), st)?;
            }
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight, st)?;
        }
        Plot::Heat {
            x_label,
            y_label,
            xs,
            ys,
            z,
        } => {
            let edges = |v: &[f64]| -> Vec<f64> {
                let n = v.len();
                let mut e = Vec::with_capacity(n + 1);
                for i in 0..=n {
                    let x = if i == 0 {
                        v[0] - 0.5 * (v.get(1).unwrap_or(&(v[0] + 1.0)) - v[0])
                    } else if i == n {
                        v[n - 1]
                            + 0.5
                                * (v[n - 1] - v.get(n.wrapping_sub(2)).unwrap_or(&(v[n - 1] - 1.0)))
                    } else {
                        0.5 * (v[i - 1] + v[i])
                    };
                    e.push(x);
                }
                e
            };
            let (ex, ey) = (edges(xs), edges(ys));
            let mut chart = ChartBuilder::on(area)
                .x_label_area_size(st.px(90.0))
                .y_label_area_size(st.px(150.0))
                .build_cartesian_2d(ex[0]..ex[ex.len() - 1], ey[0]..ey[ey.len() - 1])?;
            mesh(&mut chart, st)
                .disable_mesh()
                .x_desc(x_label.as_str())
                .y_desc(y_label.as_str())
                .x_labels(7)
                .y_labels(7)
                .x_label_formatter(&|v| count_tick(*v))
                .y_label_formatter(&|v| count_tick(*v))
                .draw()?;
            // Blue where the incumbent wins, orange where the challenger does, white at even.
            let shade = |v: f64| {
                let v = v.clamp(0.0, 1.0);
                let (c, t) = if v < 0.5 {
                    ((0x00, 0x72, 0xB2), 1.0 - 2.0 * v)
                } else {
                    ((0xD5, 0x5E, 0x00), 2.0 * v - 1.0)
                };
                let mix = |a: u8| (255.0 - t * (255.0 - a as f64)).round() as u8;
                RGBColor(mix(c.0), mix(c.1), mix(c.2))
            };
            for i in 0..xs.len() {
                for j in 0..ys.len() {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(ex[i], ey[j]), (ex[i + 1], ey[j + 1])],
                        shade(z[i][j]).filled(),
                    )))?;
                    chart.draw_series(std::iter::once(Text::new(
                        percent(z[i][j]),
                        (0.5 * (ex[i] + ex[i + 1]), 0.5 * (ey[j] + ey[j + 1])),
                        {
                            // White on the deepest shades, dark elsewhere.
                            let ink: &'static RGBColor = if (z[i][j] - 0.5).abs() > 0.3 {
                                &INK_LIGHT
                            } else {
                                &INK_DARK
                            };
                            st.font(24.0)
                                .color(ink)
                                .pos(Pos::new(HPos::Center, VPos::Center))
                        },
                    )))?;
                }
            }
            for seg in contour(xs, ys, z, 0.5) {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![seg.0, seg.1],
                    BLACK.stroke_width(st.px(5.0)),
                )))?;
            }
        }
        Plot::Tornado {
            rows,
            base,
            x_label,
        } => {
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
            mesh(&mut chart, st)
                .disable_y_mesh()
                .x_desc(x_label.as_str())
                .x_labels(7)
                .y_labels(n)
                .x_label_formatter(&|v| tick(*v, Axis::Money))
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
        }
        Plot::Stacked {
            strategies,
            parts,
            values,
        } => {
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
            mesh(&mut chart, st)
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
                .y_label_formatter(&|v| tick(*v, Axis::Money))
                .draw()?;
            for (pi, part) in parts.iter().enumerate() {
                let colour = PART_COLOURS[pi % PART_COLOURS.len()];
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
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, st)?;
        }
    }
    Ok(())
}

/// Segments of the `level` contour of a grid by marching squares, with linear
/// interpolation along cell edges.
fn contour(xs: &[f64], ys: &[f64], z: &[Vec<f64>], level: f64) -> Vec<((f64, f64), (f64, f64))> {
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

/// The figure as SVG text at 1920x1080.
pub fn render_svg(fig: &Figure, footer: &Footer) -> Result<String, String> {
    register_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(
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

/// The figure as PNG bytes at 1920x1080, drawn at twice the size and averaged down.
pub fn render_png(fig: &Figure, footer: &Footer) -> Result<Vec<u8>, String> {
    register_fonts();
    let (w, h) = (SIZE.0 * 2, SIZE.1 * 2);
    let mut big = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        draw(
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
    fn known_strategies_keep_their_colour_wherever_they_stand() {
        assert_eq!(
            strategy_colour("leverage", 0),
            strategy_colour("leverage", 3)
        );
        assert_ne!(
            strategy_colour("leverage", 0),
            strategy_colour("replacement", 0)
        );
    }
}
