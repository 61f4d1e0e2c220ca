//! Analyst tools on top of the engine: parameter sweeps, sensitivity, break-even and
//! convergence. Every run here uses the scenario's seed, so points differ by the
//! parameter, not by noise (common random numbers across runs).
//!
//! Pure functions of scenario text: no I/O, no clock. Parameter values are applied as
//! `--set` overrides, so they are validated exactly like the file.

use crate::engine::{self, Mode};
use crate::metrics::Metric;
use crate::model::Scenario;
use crate::scenario::{self, Overrides, ScenarioError};
use crate::stats::Summaries;

/// One swept parameter: `KEY=LO:HI:STEPS`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    pub steps: usize,
}

impl Vary {
    /// Parses `KEY=LO:HI:STEPS` (at least 2 steps; LO and HI included).
    pub fn parse(arg: &str) -> Result<Vary, String> {
        let bad = || {
            format!("--vary takes KEY=LO:HI:STEPS, such as world.subsidy.m_api=1:3:5, got `{arg}`")
        };
        let (key, range) = arg.split_once('=').ok_or_else(bad)?;
        let parts: Vec<&str> = range.split(':').collect();
        if parts.len() != 3 || key.trim().is_empty() {
            return Err(bad());
        }
        let lo: f64 = parts[0].trim().parse().map_err(|_| bad())?;
        let hi: f64 = parts[1].trim().parse().map_err(|_| bad())?;
        let steps: usize = parts[2].trim().parse().map_err(|_| bad())?;
        if !(lo.is_finite() && hi.is_finite() && (2..=1000).contains(&steps)) {
            return Err(format!(
                "--vary {key}: LO and HI must be numbers and STEPS from 2 to 1000"
            ));
        }
        Ok(Vary {
            key: key.trim().to_string(),
            lo,
            hi,
            steps,
        })
    }

    /// The grid values, LO and HI included.
    pub fn values(&self) -> Vec<f64> {
        // The ends are exactly LO and HI; points between land on the decimals a user
        // expects (1.2, not 1.2000000000000002).
        let n = (self.steps - 1) as f64;
        (0..self.steps)
            .map(|i| match i {
                0 => self.lo,
                i if i == self.steps - 1 => self.hi,
                // Rounded to 12 significant digits: the decimals a user expects.
                i => format!(
                    "{:.11e}",
                    (self.lo * (n - i as f64) + self.hi * i as f64) / n
                )
                .parse()
                .unwrap_or(f64::NAN),
            })
            .collect()
    }
}

/// Parses and validates `text` with extra `--set` pairs added to `ov`.
pub fn scenario_with(
    text: &str,
    file: &str,
    ov: &Overrides,
    extra: &[(String, String)],
) -> Result<Scenario, ScenarioError> {
    let mut ov = ov.clone();
    ov.sets.extend(extra.iter().cloned());
    scenario::parse(text, file, &ov)
}

/// A number as `--set` writes it for `key`: whole numbers of the `run` section as
/// integers, anything else exactly as a float (shortest round-trip form).
pub fn set_text(key: &str, x: f64) -> String {
    if key.starts_with("run.") && x.fract() == 0.0 && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        value_text(x)
    }
}

/// A number as a TOML float, exactly (shortest round-trip form).
pub fn value_text(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// One point of a sweep: the values set and the run's statistics.
#[derive(Clone, Debug)]
pub struct SweepPoint {
    pub values: Vec<f64>,
    pub summaries: Summaries,
}

/// Runs the scenario at every point of a one- or two-dimensional grid, on the same seed,
/// calling `progress(paths)` as each chunk of paths finishes.
pub fn sweep(
    text: &str,
    file: &str,
    ov: &Overrides,
    vary: &[Vary],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<SweepPoint>, ScenarioError> {
    let grids: Vec<Vec<f64>> = vary.iter().map(Vary::values).collect();
    let mut points = vec![vec![]];
    for g in &grids {
        points = points
            .into_iter()
            .flat_map(|p: Vec<f64>| g.iter().map(move |v| [p.clone(), vec![*v]].concat()))
            .collect();
    }
    points
        .into_iter()
        .map(|values| {
            let extra: Vec<(String, String)> = vary
                .iter()
                .zip(&values)
                .map(|(v, x)| (v.key.clone(), set_text(&v.key, *x)))
                .collect();
            let sc = scenario_with(text, file, ov, &extra)?;
            let summaries = engine::run_with(&sc, progress).summarize(sc.headline());
            Ok(SweepPoint { values, summaries })
        })
        .collect()
}

/// Spearman rank correlation (average ranks for ties).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let avg = (i + j) as f64 / 2.0 + 1.0;
            for k in i..=j {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        r
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx > 0.0 && syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    }
}

/// What one uncertain parameter does to the headline NPV difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    pub key: String,
    /// Mean output among paths with the parameter at or below its P10, and at or above
    /// its P90 (conditioning on the same paths).
    pub low_mean: f64,
    pub high_mean: f64,
    /// `high_mean - low_mean`.
    pub swing: f64,
    pub spearman: f64,
    /// First-order share of variance, by 20 equal-count bins: Var(E[Y | bin]) / Var(Y).
    pub variance_share: f64,
    pub p10: f64,
    pub p90: f64,
}

/// Ranks every uncertain parameter by how much it moves `output` (one value per path of
/// `sc`'s run), largest absolute swing first. Parameter draws are recomputed from their
/// streams, so no engine change is needed to know them.
pub fn sensitivity(sc: &Scenario, output: &[f64]) -> Vec<Sensitivity> {
    let n = output.len();
    let mean_y = output.iter().sum::<f64>() / n.max(1) as f64;
    let var_y = output.iter().map(|y| (y - mean_y).powi(2)).sum::<f64>() / n.max(1) as f64;
    // The world, the organisation and the headline pair's own levers: another strategy's
    // lever cannot move the pair's difference. Parameters drawn from one stream with one
    // distribution (the same lever in two strategies) are the same draw: counted once.
    let pair: Vec<String> = match sc.headline() {
        Some((a, b)) => vec![sc.strategies[a].name.clone(), sc.strategies[b].name.clone()],
        None => sc.strategies.iter().map(|s| s.name.clone()).collect(),
    };
    let mut seen: Vec<(u64, &crate::model::Dist)> = Vec::new();
    let mut candidates = Vec::new();
    for (key, p) in sc.params() {
        if p.dist.is_fixed() {
            continue;
        }
        let in_pair = match key.strip_prefix("strategies.") {
            Some(rest) => pair.iter().any(|n| rest.starts_with(&format!("{n}."))),
            None => true,
        };
        if !in_pair || seen.iter().any(|(s, d)| *s == p.stream && **d == p.dist) {
            continue;
        }
        seen.push((p.stream, &p.dist));
        candidates.push((key, p));
    }
    let decile = (n / 10).max(1);
    let mut out: Vec<Sensitivity> = candidates
        .into_iter()
        .map(|(key, p)| {
            let x: Vec<f64> = (0..n)
                .map(|k| {
                    Mode::MonteCarlo {
                        seed: sc.run.seed,
                        path: k as u64,
                    }
                    .value(p)
                })
                .collect();
            // Paths ranked by the parameter (ties by path): the bottom and top tenth by rank,
            // so a parameter with many equal draws still splits into two real groups.
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
            let mean_of = |idx: &[usize]| {
                idx.iter().map(|i| output[*i]).sum::<f64>() / idx.len().max(1) as f64
            };
            let (low, high) = (&order[..decile.min(n)], &order[n.saturating_sub(decile)..]);
            let (low_mean, high_mean) = (mean_of(low), mean_of(high));
            let (p10, p90) = (x[low[low.len() - 1]], x[high[0]]);
            // First-order variance share from equal-count bins of the parameter, less the
            // share that bins of pure noise would show, (bins - 1) / (n - 1).
            let bins = 20.min(n.max(1));
            let mut between = 0.0;
            for b in 0..bins {
                let slice = &order[b * n / bins..(b + 1) * n / bins];
                if slice.is_empty() {
                    continue;
                }
                between += slice.len() as f64 * (mean_of(slice) - mean_y).powi(2);
            }
            let noise = (bins as f64 - 1.0) / (n as f64 - 1.0).max(1.0);
            let variance_share = if var_y > 0.0 {
                (between / n as f64 / var_y - noise).clamp(0.0, 1.0)
            } else {
                0.0
            };
            Sensitivity {
                key,
                low_mean,
                high_mean,
                swing: high_mean - low_mean,
                spearman: spearman(&x, output),
                variance_share,
                p10,
                p90,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.swing
            .abs()
            .total_cmp(&a.swing.abs())
            .then(a.key.cmp(&b.key))
    });
    out
}

/// The headline quantity sensitivity and break-even work on: NPV of the challenger minus
/// the incumbent on each path (or the first strategy's NPV if there is no pair).
pub fn headline_difference(sc: &Scenario, r: &engine::RunResult) -> Vec<f64> {
    match sc.headline() {
        Some((a, b)) => (0..r.n_paths)
            .map(|p| r.final_value(p, a, Metric::Npv) - r.final_value(p, b, Metric::Npv))
            .collect(),
        None => r.column(0, Metric::Npv),
    }
}

/// What break-even aims at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// The challenger wins in this share of futures.
    PWin(f64),
    /// The median NPV difference equals this.
    MedianDiff(f64),
}

impl Target {
    pub fn parse(arg: &str) -> Result<Target, String> {
        let bad =
            || format!("--target takes p_win=P or median_diff=X, such as p_win=0.5, got `{arg}`");
        let (k, v) = arg.split_once('=').ok_or_else(bad)?;
        let v: f64 = v.trim().parse().map_err(|_| bad())?;
        match k.trim() {
            "p_win" if (0.0..=1.0).contains(&v) => Ok(Target::PWin(v)),
            "median_diff" if v.is_finite() => Ok(Target::MedianDiff(v)),
            _ => Err(bad()),
        }
    }

    /// Signed distance of a run from the target, with the Monte Carlo error of the run's
    /// estimate (one standard error).
    fn gap(&self, s: &Summaries) -> Option<(f64, f64)> {
        let p = s.headline_pair()?;
        Some(match *self {
            Target::PWin(t) => (p.a_beats_b.p - t, p.a_beats_b.se),
            Target::MedianDiff(t) => (p.diff.p50 - t, p.median_se),
        })
    }
}

/// One evaluation during a bisection.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub value: f64,
    pub gap: f64,
    pub se: f64,
}

/// The result of a break-even search.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakEven {
    pub key: String,
    pub target: Target,
    /// The parameter value where the pair is even, if the range brackets it.
    pub value: Option<f64>,
    /// Values within which the crossing lies given two standard errors of Monte Carlo
    /// error at the probes nearest to it.
    pub interval: Option<(f64, f64)>,
    pub probes: Vec<Probe>,
}

/// What a break-even search looks for: the value of `key` in `range` at which the
/// headline pair meets `target`, to within `tolerance` of the range's width.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    pub key: String,
    pub target: Target,
    pub range: (f64, f64),
    pub tolerance: f64,
}

/// Most halvings of one bisection.
const MAX_HALVINGS: u32 = 38;

impl Search {
    /// The most runs the search can take: both ends of the range, then three bisections
    /// (the crossing and the two ends of its interval) of at most as many halvings as
    /// bring the range within the tolerance.
    pub fn runs_at_most(&self) -> u64 {
        let (lo, hi) = self.range;
        let step = self.tolerance * (hi - lo).abs();
        let (mut width, mut halvings) = ((hi - lo).abs(), 0);
        while halvings < MAX_HALVINGS && width > step {
            width *= 0.5;
            halvings += 1;
        }
        2 + 3 * u64::from(halvings)
    }
}

/// Finds by bisection the value the search asks for. The interval is where the gap
/// crosses plus and minus two standard errors of the estimate near the crossing, found by
/// the same bisection; it is clipped to the range. `progress(paths)` is called as each
/// chunk of paths of each run finishes.
pub fn break_even(
    text: &str,
    file: &str,
    ov: &Overrides,
    search: &Search,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BreakEven, ScenarioError> {
    let Search {
        key,
        target,
        range: (lo, hi),
        tolerance,
    } = search.clone();
    let key = key.as_str();
    // Every probe is kept for the report; a cell, since the bisection holds the closure.
    let probes: std::cell::RefCell<Vec<Probe>> = Default::default();
    let probe = |x: f64| -> Result<Option<Probe>, ScenarioError> {
        let sc = scenario_with(text, file, ov, &[(key.to_string(), set_text(key, x))])?;
        let s = engine::run_with(&sc, progress).summarize(sc.headline());
        Ok(target.gap(&s).map(|(gap, se)| {
            let p = Probe { value: x, gap, se };
            probes.borrow_mut().push(p.clone());
            p
        }))
    };
    let none = |probes: Vec<Probe>| BreakEven {
        key: key.into(),
        target,
        value: None,
        interval: None,
        probes,
    };
    let (Some(a), Some(b)) = (probe(lo)?, probe(hi)?) else {
        return Ok(none(Vec::new()));
    };
    if a.gap.signum() == b.gap.signum() && a.gap != 0.0 && b.gap != 0.0 {
        return Ok(none(vec![a, b]));
    }
    let step = tolerance * (hi - lo).abs();
    // Where gap - offset changes sign between a and b, by bisection then interpolation.
    let bisect = |mut a: Probe, mut b: Probe, offset: f64| -> Result<f64, ScenarioError> {
        for _ in 0..MAX_HALVINGS {
            if (b.value - a.value).abs() <= step {
                break;
            }
            let Some(m) = probe(0.5 * (a.value + b.value))? else {
                break;
            };
            if (m.gap - offset).signum() == (a.gap - offset).signum() && m.gap != offset {
                a = m;
            } else {
                b = m;
            }
        }
        let (ga, gb) = (a.gap - offset, b.gap - offset);
        Ok(if gb != ga {
            a.value - ga * (b.value - a.value) / (gb - ga)
        } else {
            a.value
        })
    };
    let value = bisect(a.clone(), b.clone(), 0.0)?;
    // The standard error at the crossing: the largest among the last probes around it.
    let se = probes
        .borrow()
        .iter()
        .filter(|p| (p.value - value).abs() <= 4.0 * step.max(f64::EPSILON))
        .map(|p| p.se)
        .fold(a.se.max(b.se).min(f64::INFINITY), f64::max);
    let mut ends = Vec::new();
    for offset in [2.0 * se, -2.0 * se] {
        let brackets = (a.gap - offset).signum() != (b.gap - offset).signum();
        ends.push(if brackets {
            bisect(a.clone(), b.clone(), offset)?
        } else if (a.gap - offset).abs() < (b.gap - offset).abs() {
            lo
        } else {
            hi
        });
    }
    let interval = Some((
        ends[0].min(ends[1]).max(lo.min(hi)),
        ends[0].max(ends[1]).min(hi.max(lo)),
    ));
    Ok(BreakEven {
        key: key.into(),
        target,
        value: Some(value.clamp(lo.min(hi), hi.max(lo))),
        interval,
        probes: probes.into_inner(),
    })
}

/// The convergence rule of `run --target-se`: start at `start` paths; while the standard
/// error of the headline P(win) is above `target_se`, grow to the paths the binomial
/// standard error needs, `n * (se / target)^2`, rounded up to a multiple of `start` and
/// at least doubled, never above `max_paths`.
pub fn next_paths(n: u64, se: f64, target_se: f64, start: u64, max_paths: u64) -> Option<u64> {
    if se.is_nan() || se <= target_se || n >= max_paths {
        return None;
    }
    let need = (n as f64 * (se / target_se).powi(2)).ceil() as u64;
    let step = start.max(1);
    let next = need.div_ceil(step) * step;
    Some(next.max(2 * n).min(max_paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_and_spans_its_range() {
        let v = Vary::parse("world.subsidy.m_api=1:3:5").unwrap();
        assert_eq!(v.values(), vec![1.0, 1.5, 2.0, 2.5, 3.0]);
        assert!(Vary::parse("k=1:2").is_err());
        assert!(Vary::parse("k=1:2:1").is_err());
    }

    #[test]
    fn spearman_sees_monotone_relations() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((spearman(&x, &[1.0, 4.0, 9.0, 16.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&x, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn convergence_grows_to_what_the_error_needs() {
        assert_eq!(next_paths(1000, 0.004, 0.002, 1000, 1_000_000), Some(4000));
        assert_eq!(next_paths(1000, 0.0021, 0.002, 1000, 1_000_000), Some(2000));
        assert_eq!(next_paths(4000, 0.0019, 0.002, 1000, 1_000_000), None);
        assert_eq!(next_paths(1000, 0.01, 0.001, 1000, 5000), Some(5000));
    }

    #[test]
    fn values_are_written_so_they_read_back_exactly() {
        for x in [1.0, 0.1, 1e-7, 123456789.25] {
            assert_eq!(value_text(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(value_text(3.0), "3.0");
    }
}
