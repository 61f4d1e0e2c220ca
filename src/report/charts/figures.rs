//! The content of a run's eight figures: from the statistics and the run's per-path
//! results, each figure's title and subtitle (which state its finding), its data table,
//! and the series, bands, bars and notes it draws.
//!
//! It chooses what to show, over which range, and says it in words; it does not draw (no
//! plotters) and does not compute statistics: bins, densities, sorted values, quantiles,
//! exceedance curves and shares by month come from `stats`, everything else from
//! `Summaries`. The one sum it takes is of the cost parts' means, for the cost breakdown's
//! totals.

use super::{
    strategy_colour, Axis, Curve, Densities, Difference, Fan, FanPanel, Figure, Plot, StackedBars,
    TwoPanels,
};
use crate::engine::RunResult;
use crate::metrics::{Metric, Series};
use crate::report::{cap, count, money, percent, Cell, Table};
use crate::stats::distribution::{
    estimate_density, share_by_bin, share_by_month, sort_finite, span_positive, span_quantiles,
    subtract_paths, trace_exceedance,
};
use crate::stats::{quantile_sorted, Summaries};

/// Everything a chart needs from a run.
pub struct Inputs<'a> {
    pub result: &'a RunResult,
    pub summaries: &'a Summaries,
}

impl Inputs<'_> {
    /// Strategy `s`'s colour, by its name in the run (the summaries may carry labels).
    fn colour(&self, s: usize) -> super::Rgb {
        strategy_colour(&self.result.names[s], s)
    }
}

/// Builds every figure of a run.
pub fn figures(inp: &Inputs) -> Vec<Figure> {
    let mut out = vec![build_net_value_fan(inp), build_npv_distribution(inp)];
    if let Some(f) = build_paired_difference(inp) {
        out.push(f);
    }
    out.extend([
        build_token_spend(inp),
        build_incident_loss_exceedance(inp),
        build_knowledge(inp),
        build_headcount_output(inp),
        build_cost_breakdown(inp),
    ]);
    out
}

/// One strategy's fan of a monthly series: its quantiles month by month, in its colour.
fn build_fan(inp: &Inputs, s: usize, metric: Series) -> Fan {
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
        colour: inp.colour(s),
        name,
        points,
        band,
    }
}

/// The data table of fans: a row per strategy and month.
fn tabulate_fans(fans: &[Fan]) -> Table {
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
fn choose_pair(inp: &Inputs) -> Option<(usize, usize)> {
    inp.summaries
        .headline
        .or(if inp.summaries.strategies.len() >= 2 {
            Some((0, 1))
        } else {
            None
        })
}

/// Every strategy's fan of one monthly series, with each median at the last month and
/// the strategies whose median ends lowest and highest.
struct Ends {
    fans: Vec<Fan>,
    end: Vec<f64>,
    low: usize,
    high: usize,
}

fn find_ends(inp: &Inputs, metric: Series) -> Ends {
    let s = inp.summaries;
    let n_s = s.strategies.len();
    let fans: Vec<Fan> = (0..n_s).map(|i| build_fan(inp, i, metric)).collect();
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

/// The fan's title: the headline pair by mean NPV (the statistic of the pack's key
/// numbers), or, when every strategy's mean NPV is negative, that every strategy loses.
fn title_net_value(inp: &Inputs) -> String {
    let s = inp.summaries;
    let npv = |i: usize| s.strategies[i].metric(Metric::Npv).mean;
    let n_s = s.strategies.len();
    let best = (0..n_s)
        .max_by(|a, b| npv(*a).total_cmp(&npv(*b)))
        .unwrap_or(0);
    if n_s > 1 && npv(best) < 0.0 {
        return format!(
            "Every strategy loses money on average; {} loses least (mean NPV {})",
            s.strategies[best].name,
            money(npv(best))
        );
    }
    match choose_pair(inp) {
        Some((a, b)) => {
            let (w, l) = if npv(a) >= npv(b) { (a, b) } else { (b, a) };
            format!(
                "{} leads {}: mean NPV {} against {}",
                cap(&s.strategies[w].name),
                s.strategies[l].name,
                money(npv(w)),
                money(npv(l))
            )
        }
        None => format!("{}: mean NPV {}", cap(&s.strategies[0].name), money(npv(0))),
    }
}

fn build_net_value_fan(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let Ends { fans, .. } = find_ends(inp, Series::CumNetValue);
    let npv = |i: usize| s.strategies[i].metric(Metric::Npv).mean;
    let best = (0..s.strategies.len())
        .max_by(|a, b| npv(*a).total_cmp(&npv(*b)))
        .unwrap_or(0);
    let leader = match choose_pair(inp) {
        // The title names the leader when every strategy loses.
        _ if npv(best) < 0.0 => String::new(),
        Some((a, b)) if best != a && best != b => format!(
            "Highest mean NPV: {}, {}. ",
            s.strategies[best].name,
            money(npv(best))
        ),
        _ => String::new(),
    };
    let subtitle = format!(
        "{leader}Lines: median undiscounted net value to date; shaded: middle 50% and 90% of futures{}. NPV discounts it at the scenario's rate.",
        if s.headline.is_some() { " for the headline pair" } else { "" }
    );
    Figure {
        name: "net_value_fan",
        title: title_net_value(inp),
        subtitle,
        data: tabulate_fans(&fans),
        plot: Plot::Fans(FanPanel {
            fans,
            y: Axis::Money,
            y_label: "Cumulative net value (undiscounted)".into(),
            outer: true,
            rug: vec![],
            y_floor_zero: false,
            log_y: false,
        }),
    }
}

/// Bins of the NPV distribution chart.
const NPV_BINS: usize = 60;

fn build_npv_distribution(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let cols: Vec<Vec<f64>> = (0..s.strategies.len())
        .map(|i| sort_finite(inp.result.column(i, Metric::Npv)))
        .collect();
    // The whole range: no future is cut off.
    let (lo, hi) = span_quantiles(&cols, 0.0, 1.0);
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
        let d = estimate_density(&cols[i], lo, hi, NPV_BINS);
        for b in &d {
            t.push(vec![
                st.name.as_str().into(),
                b.centre.into(),
                b.density.into(),
                b.share.into(),
                st.p_best.p.into(),
            ]);
        }
        series.push(Curve {
            name: format!("{} (best in {})", st.name, percent(st.p_best.p)),
            colour: inp.colour(i),
            points: d.iter().map(|b| (b.centre, b.density)).collect(),
        });
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
            "NPV over {} months. {}'s mean NPV {} (P5 {}, P95 {}). Curves: share of futures at each NPV.",
            s.horizon,
            cap(&b.name),
            money(b.metric(Metric::Npv).mean),
            money(b.metric(Metric::Npv).p5),
            money(b.metric(Metric::Npv).p95)
        ),
        data: t,
        plot: Plot::Densities(Densities {
            series,
            x_label: "NPV over the horizon".into(),
        }),
    }
}

fn build_paired_difference(inp: &Inputs) -> Option<Figure> {
    let (a, b) = choose_pair(inp)?;
    let s = inp.summaries;
    let (na, nb) = (&s.strategies[a].name, &s.strategies[b].name);
    let d = sort_finite(subtract_paths(
        &inp.result.column(a, Metric::Npv),
        &inp.result.column(b, Metric::Npv),
    ));
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
    let bars = share_by_bin(&d, lo, hi, 60);
    let mut t = Table::new(&["bin_from", "bin_to", "share_of_futures"]);
    for (x0, x1, y) in &bars {
        t.push(vec![(*x0).into(), (*x1).into(), (*y).into()]);
    }
    let p = s.pairs.iter().find(|p| &p.a == na && &p.b == nb)?;
    let mean = p.diff.mean;
    let verb = if mean < 0.0 { "loses" } else { "gains" };
    Some(Figure {
        name: "paired_difference",
        title: format!(
            "{} {} {} of NPV against {} on average (mean difference)",
            cap(na),
            verb,
            money(mean.abs()),
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
        plot: Plot::Difference(Difference {
            bins: bars,
            colour_a: inp.colour(a),
            colour_b: inp.colour(b),
            note: format!(
                "Right of 0: {} ahead ({} of futures)",
                na,
                percent(p.a_beats_b.p)
            ),
        }),
    })
}

/// The title of the token spend chart: the heaviest spender at the last month, against
/// the other side of the headline pair, else the lightest spender.
fn title_token_spend(inp: &Inputs, fans: &[Fan]) -> String {
    let s = inp.summaries;
    let h = s.horizon;
    let end = |f: &Fan| f.points.last().map(|p| p.3).unwrap_or(0.0);
    let top = fans.iter().max_by(|a, b| end(a).total_cmp(&end(b)));
    let other = choose_pair(inp)
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
    match (top, other) {
        (Some(t), Some(o)) if t.name != o.name => format!(
            "In the median future {} spends {} a month on AI per engineer-equivalent by month {h}; {} {}",
            t.name,
            money(end(t)),
            o.name,
            money(end(o))
        ),
        (Some(t), _) => format!(
            "In the median future {} spends {} a month on AI per engineer-equivalent by month {h}",
            t.name,
            money(end(t))
        ),
        _ => "No strategy spends on AI".into(),
    }
}

fn build_token_spend(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let fans: Vec<Fan> = (0..s.strategies.len())
        .map(|i| build_fan(inp, i, Series::SpendPerFte))
        .filter(|f| f.points.iter().any(|p| p.3 > 0.0))
        .collect();
    // Share of futures whose subsidy ends in each month.
    let h = s.horizon;
    let shock = share_by_month(&inp.result.shock_month, h);
    let title = title_token_spend(inp, &fans);
    // Spends that differ a hundredfold (a flat seat against an uncapped agent) each keep
    // their height on a log axis.
    let ends: Vec<f64> = fans
        .iter()
        .filter_map(|f| f.points.last().map(|p| p.3))
        .filter(|v| *v > 0.0)
        .collect();
    let (least, most) = ends
        .iter()
        .fold((f64::INFINITY, 0.0_f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let log_y = most > 20.0 * least;
    let mut data = tabulate_fans(&fans);
    data.header = vec!["strategy", "month", "p5", "p25", "p50", "p75", "p95"];
    for (m, share) in shock.shares.iter().enumerate() {
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
            "Metered tokens, seats and loops per engineer or agent seat, per month; median and middle 50%{}. Grey bars: share of futures whose subsidy ends that month ({} within {} months).",
            if log_y { ", log scale" } else { "" },
            percent(shock.within),
            h
        ),
        data,
        plot: Plot::Fans(FanPanel {
            fans,
            y: Axis::Money,
            y_label: "AI spend per engineer-equivalent a month".into(),
            outer: false,
            rug: shock.shares,
            y_floor_zero: true,
            log_y,
        }),
    }
}

/// Points of each exceedance curve.
const EXCEEDANCE_STEPS: usize = 120;

fn build_incident_loss_exceedance(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let mut series = vec![];
    let mut t = Table::new(&["strategy", "loss", "p_exceed"]);
    let cols: Vec<Vec<f64>> = (0..s.strategies.len())
        .map(|i| sort_finite(inp.result.column(i, Metric::IncidentCost)))
        .collect();
    let (lo, hi) = span_positive(&cols);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (1.0, 10.0)
    };
    for (i, st) in s.strategies.iter().enumerate() {
        let pts = trace_exceedance(&cols[i], lo, hi, EXCEEDANCE_STEPS);
        for (x, p) in &pts {
            t.push(vec![st.name.as_str().into(), (*x).into(), (*p).into()]);
        }
        series.push(Curve {
            name: st.name.clone(),
            colour: inp.colour(i),
            points: pts,
        });
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
        plot: Plot::Exceedance(series),
    }
}

fn build_knowledge(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let Ends {
        fans,
        end,
        low,
        high,
    } = find_ends(inp, Series::Knowledge);
    let end = |i: usize| end[i];
    // Strategies within a point of each other keep the same know-how as far as a board
    // can tell: the title says so rather than naming one.
    let title = if end(high) - end(low) < 0.01 {
        format!(
            "Every strategy keeps about {} of its know-how by month {} in the median future",
            percent(end(low)),
            s.horizon
        )
    } else {
        format!(
            "{} keeps {} of its know-how by month {} in the median future",
            cap(&s.strategies[low].name),
            percent(end(low)),
            s.horizon
        )
    };
    Figure {
        name: "knowledge",
        title,
        subtitle: format!(
            "{} keeps {}. Share of the system's critical know-how still held; median, middle 50% and 90% of futures.",
            cap(&s.strategies[high].name),
            percent(end(high))
        ),
        data: tabulate_fans(&fans),
        plot: Plot::Fans(FanPanel {
            fans,
            y: Axis::Percent,
            y_label: "Institutional knowledge kept".into(),
            outer: true,
            rug: vec![],
            y_floor_zero: true,
            log_y: false,
        }),
    }
}

fn build_headcount_output(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let n_s = s.strategies.len();
    let heads: Vec<Fan> = (0..n_s)
        .map(|i| build_fan(inp, i, Series::Headcount))
        .collect();
    let outs: Vec<Fan> = (0..n_s)
        .map(|i| build_fan(inp, i, Series::Output))
        .collect();
    let last = s.horizon - 1;
    let (a, b) = choose_pair(inp).unwrap_or((0, 0));
    let title = format!(
        "In the median future {} ends with {} engineers and {} WU a month; {} {} and {}",
        s.strategies[a].name,
        count(s.month(a, last, Series::Headcount).p50),
        count(s.month(a, last, Series::Output).p50),
        s.strategies[b].name,
        count(s.month(b, last, Series::Headcount).p50),
        count(s.month(b, last, Series::Output).p50)
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
    let panel = |fans: Vec<Fan>, y_label: &str| FanPanel {
        fans,
        y: Axis::Count,
        y_label: y_label.into(),
        outer: false,
        rug: vec![],
        y_floor_zero: true,
        log_y: false,
    };
    Figure {
        name: "headcount_output",
        title,
        subtitle: "Median engineers on staff (left) and output in work units a month (right), with the middle 50% of futures. One WU: a fully ramped engineer-month without AI.".into(),
        data,
        plot: Plot::TwoPanels(TwoPanels {
            left: panel(heads, "Engineers"),
            right: panel(outs, "Output (WU a month)"),
            left_title: "Headcount".into(),
            right_title: "Output".into(),
        }),
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

fn build_cost_breakdown(inp: &Inputs) -> Figure {
    let s = inp.summaries;
    let mut t = Table::new(&["strategy", "part", "mean_cost"]);
    let mut values = vec![];
    // Means, the statistic of the pack's key numbers: the parts' means add up to the
    // mean total cost.
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
            "{}'s mean total cost over {} months is {}, {} more than {}'s",
            cap(&s.strategies[dear].name),
            s.horizon,
            money(total(dear)),
            money(total(dear) - total(cheap)),
            s.strategies[cheap].name
        ),
        subtitle: format!(
            "Bars: mean cost by part, adding up to the mean total cost. Of {}'s, AI spend and incidents are {}.",
            s.strategies[dear].name,
            money(ai_and_incidents)
        ),
        data: t,
        plot: Plot::Stacked(StackedBars {
            strategies: s.strategies.iter().map(|x| x.name.clone()).collect(),
            parts: COST_PARTS.iter().map(|(_, l)| *l).collect(),
            values,
            y_label: "Mean total cost over the horizon".into(),
        }),
    }
}
