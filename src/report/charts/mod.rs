//! Slide-ready charts. A `Figure` is what a chart shows, decided once: its file name,
//! title, subtitle, the data table behind it, and a `Plot` (the series, bands, bars and
//! annotations to draw, in the figure's own terms). The same figure is then drawn into SVG
//! at 1920x1080 and into a bitmap at twice that size, downsampled to 1920x1080 (plotters'
//! bitmap lines are not anti-aliased).
//!
//! - this file: the figure model, the colours, the footer and the render entry points;
//! - `figures`: the content of a run's eight figures, from its statistics;
//! - `drawing`, `plots`, `bars`, `scatter`, `grids` and `style`: how plotters draws a
//!   figure (the page, each kind of plot, the house style), the only place that knows
//!   plotters.
//!
//! The model holds colours as our own `Rgb`, so only the drawing knows plotters. Nothing
//! here computes statistics: the statistics a chart needs come from `stats`.

mod bars;
mod drawing;
mod figures;
mod grids;
mod plots;
mod scatter;
mod style;

use super::{count, Table};

pub use figures::{figures, Inputs, COST_PARTS};

/// Width and height of a chart in pixels (the bitmap is drawn at twice this and halved).
pub const SIZE: (u32, u32) = (1920, 1080);

/// A colour: red, green and blue, 0 to 255.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The colour as `0xRRGGBB`.
    pub fn hex(self) -> u32 {
        (u32::from(self.0) << 16) | (u32::from(self.1) << 8) | u32::from(self.2)
    }
}

/// Colour-blind-safe colours (Okabe and Ito 2008), one per strategy, the same in every
/// chart: known strategy names keep their colour whatever their order.
pub fn strategy_colour(name: &str, index: usize) -> Rgb {
    // By name or by the label a board reads ("status quo" is `status_quo`).
    match name.replace([' ', '-'], "_").as_str() {
        "status_quo" => Rgb(0x66, 0x66, 0x66),
        "flat_seats" => Rgb(0x56, 0xB4, 0xE9),
        "leverage" => Rgb(0x00, 0x72, 0xB2),
        "tokenmaxxing" => Rgb(0xE6, 0x9F, 0x00),
        "replacement" => Rgb(0xD5, 0x5E, 0x00),
        _ => [
            Rgb(0x00, 0x9E, 0x73),
            Rgb(0xCC, 0x79, 0xA7),
            Rgb(0x00, 0x00, 0x00),
            Rgb(0xB8, 0xA9, 0x00),
        ][index % 4],
    }
}

/// Colours of the parts of cost, in the order of `COST_PARTS` (Tol's muted scheme,
/// distinct from the strategy colours).
pub const PART_COLOURS: [Rgb; 7] = [
    Rgb(0x33, 0x22, 0x88),
    Rgb(0x88, 0xCC, 0xEE),
    Rgb(0x44, 0xAA, 0x99),
    Rgb(0x11, 0x77, 0x33),
    Rgb(0x99, 0x99, 0x33),
    Rgb(0xCC, 0x66, 0x77),
    Rgb(0x88, 0x22, 0x55),
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
    colour: Rgb,
    /// Whether the bands are drawn (the headline pair's, so five fans stay readable).
    band: bool,
    /// `(month, p5, p25, p50, p75, p95)`.
    points: Vec<(f64, f64, f64, f64, f64, f64)>,
}

/// A named, coloured curve of (x, y) points.
#[derive(Clone, Debug)]
struct Curve {
    name: String,
    colour: Rgb,
    points: Vec<(f64, f64)>,
}

/// How a y axis reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Axis {
    Money,
    Percent,
    Count,
}

/// Monthly fans on one axis.
#[derive(Clone, Debug)]
struct FanPanel {
    fans: Vec<Fan>,
    y: Axis,
    y_label: String,
    /// Whether the P5-P95 band is drawn too.
    outer: bool,
    /// Shares of futures by month, shaded along the bottom (empty: none).
    rug: Vec<f64>,
    y_floor_zero: bool,
    /// A log y axis, for series that span orders of magnitude.
    log_y: bool,
}

/// Two fan panels side by side, each with its title.
#[derive(Clone, Debug)]
struct TwoPanels {
    left: FanPanel,
    right: FanPanel,
    left_title: String,
    right_title: String,
}

/// Density outlines of a per-path quantity, one per strategy.
#[derive(Clone, Debug)]
struct Densities {
    series: Vec<Curve>,
    x_label: String,
}

/// A histogram of a paired difference with zero marked; bars left of zero in `b`'s colour.
#[derive(Clone, Debug)]
struct Difference {
    /// `(from, to, share of futures)`.
    bins: Vec<(f64, f64, f64)>,
    colour_a: Rgb,
    colour_b: Rgb,
    note: String,
}

/// Curves against a numeric x, with a shaded band and a labelled reference line.
#[derive(Clone, Debug)]
struct XyPlot {
    x_label: String,
    y_label: String,
    y: Axis,
    curves: Vec<Curve>,
    /// `(x, low, high)` around the first curve.
    band: Vec<(f64, f64, f64)>,
    reference: Option<(f64, String)>,
    /// A vertical line at an x with its label.
    x_mark: Option<(f64, String)>,
}

/// A grid coloured by `z` in [0, 1] (`z[i][j]` at `xs[i]`, `ys[j]`), with the 0.5 contour.
#[derive(Clone, Debug)]
struct HeatMap {
    x_label: String,
    y_label: String,
    xs: Vec<f64>,
    ys: Vec<f64>,
    z: Vec<Vec<f64>>,
}

/// One row of a tornado: the input's label, the output where the input is low and where
/// it is high, and how the low and high input values read.
#[derive(Clone, Debug)]
pub struct TornadoRow {
    pub label: String,
    pub at_low: f64,
    pub at_high: f64,
    pub low_input: String,
    pub high_input: String,
}

/// Horizontal bars from a low to a high value per row, largest first, around `base`.
#[derive(Clone, Debug)]
struct Tornado {
    rows: Vec<TornadoRow>,
    base: f64,
    x_label: String,
}

/// Stacked bars: per strategy, the parts.
#[derive(Clone, Debug)]
struct StackedBars {
    strategies: Vec<String>,
    parts: Vec<&'static str>,
    /// `[strategy][part]`.
    values: Vec<Vec<f64>>,
    y_label: String,
}

/// Futures as points of two inputs, in groups drawn in order (the last on top), with a
/// box: `((x_lo, x_hi), (y_lo, y_hi))`, an infinite side open to the edge of the plot.
#[derive(Clone, Debug)]
struct Scatter {
    x_label: String,
    y_label: String,
    groups: Vec<Curve>,
    rect: Option<((f64, f64), (f64, f64))>,
    /// The least and largest x and y of the points.
    x_span: (f64, f64),
    y_span: (f64, f64),
}

/// Horizontal bars from zero, each with two standard errors either side, first on top,
/// and a labelled reference line.
#[derive(Clone, Debug)]
struct Bars {
    /// `(label, value, standard error)`.
    rows: Vec<(String, f64, f64)>,
    x_label: String,
    reference: Option<(f64, String)>,
}

/// A waterfall: a bar from zero to the start, one floating bar per step from the running
/// total before it to the one after, and a bar from zero to the end.
#[derive(Clone, Debug)]
struct Waterfall {
    /// `(label, value, colour)` of the first and last bars.
    start: (String, f64, Rgb),
    end: (String, f64, Rgb),
    /// `(label, amount, standard error)` of each step.
    steps: Vec<(String, f64, f64)>,
    y_label: String,
}

/// The colours of a waterfall's rising and falling steps (Okabe and Ito's bluish green
/// and reddish purple, apart from every strategy colour).
pub const STEP_COLOURS: [Rgb; 2] = [Rgb(0x00, 0x9E, 0x73), Rgb(0xCC, 0x79, 0xA7)];

/// What a chart draws.
#[derive(Clone, Debug)]
enum Plot {
    Fans(FanPanel),
    TwoPanels(TwoPanels),
    Densities(Densities),
    Difference(Difference),
    /// Exceedance curves on a log x axis.
    Exceedance(Vec<Curve>),
    Xy(XyPlot),
    Heat(HeatMap),
    Tornado(Tornado),
    Stacked(StackedBars),
    Scatter(Scatter),
    Bars(Bars),
    Waterfall(Waterfall),
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
        .map(|(i, (name, points))| Curve {
            colour: strategy_colour(&name, i),
            name,
            points,
        })
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
        plot: Plot::Xy(XyPlot {
            x_label,
            y_label,
            y,
            curves,
            band,
            reference,
            x_mark: None,
        }),
    }
}

impl Figure {
    /// Marks an x on an x-y figure with a vertical line and its label.
    pub fn with_x_mark(mut self, x: f64, label: String) -> Figure {
        if let Plot::Xy(xy) = &mut self.plot {
            xy.x_mark = Some((x, label));
        }
        self
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
        plot: Plot::Heat(HeatMap {
            x_label,
            y_label,
            xs,
            ys,
            z,
        }),
    }
}

/// A tornado figure: one row per input, largest swing first.
pub fn tornado_figure(
    name: &'static str,
    title: String,
    subtitle: String,
    data: Table,
    rows: Vec<TornadoRow>,
    base: f64,
    x_label: String,
) -> Figure {
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Tornado(Tornado {
            rows,
            base,
            x_label,
        }),
    }
}

/// A named, coloured group of points.
pub type PointGroup = (String, Rgb, Vec<(f64, f64)>);

/// A scatter figure: per group `(name, colour, points)`, drawn in order, and a box.
pub fn scatter_figure(
    name: &'static str,
    (title, subtitle): (String, String),
    data: Table,
    (x_label, y_label): (String, String),
    groups: Vec<PointGroup>,
    rect: Option<((f64, f64), (f64, f64))>,
) -> Figure {
    let groups = groups
        .into_iter()
        .map(|(name, colour, points)| Curve {
            name,
            colour,
            points,
        })
        .collect::<Vec<Curve>>();
    let span = |f: fn(&(f64, f64)) -> f64| {
        groups
            .iter()
            .flat_map(|g| g.points.iter().map(f))
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            })
    };
    let (x_span, y_span) = (span(|q| q.0), span(|q| q.1));
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Scatter(Scatter {
            x_label,
            y_label,
            groups,
            rect,
            x_span,
            y_span,
        }),
    }
}

/// A bar figure: per row `(label, value, standard error)` in money, first on top.
pub fn bars_figure(
    name: &'static str,
    (title, subtitle): (String, String),
    data: Table,
    rows: Vec<(String, f64, f64)>,
    x_label: String,
    reference: Option<(f64, String)>,
) -> Figure {
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Bars(Bars {
            rows,
            x_label,
            reference,
        }),
    }
}

/// A waterfall figure from strategy `start`'s value to strategy `end`'s, each `(label,
/// value)`, through `steps` of `(label, amount, standard error)`.
pub fn waterfall_figure(
    (name, title, subtitle): (&'static str, String, String),
    data: Table,
    start: (String, f64),
    steps: Vec<(String, f64, f64)>,
    end: (String, f64),
    y_label: String,
) -> Figure {
    Figure {
        name,
        title,
        subtitle,
        data,
        plot: Plot::Waterfall(Waterfall {
            // The two totals in neutral greys, so no strategy's colour reads as a
            // step's gain or loss.
            start: (start.0, start.1, Rgb(0x99, 0x99, 0x99)),
            end: (end.0, end.1, Rgb(0x55, 0x55, 0x55)),
            steps,
            y_label,
        }),
    }
}

/// The width in pixels at 1920x1080 of `text` at `px` pixels to the em in the bundled
/// face: the width both the PNG and the SVG give it.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    style::measure_text(text, px, bold)
}

/// The figure as SVG text at 1920x1080.
pub fn render_svg(fig: &Figure, footer: &Footer) -> Result<String, String> {
    drawing::draw_svg(fig, footer)
}

/// The figure as PNG bytes at 1920x1080, drawn at twice the size and averaged down.
pub fn render_png(fig: &Figure, footer: &Footer) -> Result<Vec<u8>, String> {
    drawing::draw_png(fig, footer)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn colours_read_as_hex() {
        assert_eq!(Rgb(0x00, 0x72, 0xB2).hex(), 0x0072B2);
        assert_eq!(PART_COLOURS[0].hex(), 0x332288);
    }
}
