//! Statistics of a run: summaries with standard errors, quantiles, paired differences,
//! the chance each strategy is best and its expected regret.
//!
//! Pure functions of a `RunResult`: no I/O, no randomness, and every sum taken in path
//! order so the numbers do not depend on threads. Quantiles are Hyndman and Fan type 7,
//! the estimator of Excel's PERCENTILE.INC and numpy's default.

pub mod distribution;
pub mod series;

use crate::metrics::{Finals, Metric, Series, MAX_LAYOFFS};
use rayon::prelude::*;
use serde::Serialize;
use series::SeriesStats;

/// The quantiles every summary reports.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Mean with its standard error and the five quantiles, over the finite values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Values the summary rests on (non-finite values, such as cost per WU with no
    /// output, are left out and reported as undefined).
    pub n: usize,
    pub mean: f64,
    /// Standard error of the mean: sample s.d. over the square root of n.
    pub se: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// Type 7 quantile of sorted data: `h = (n - 1) p`, linear between neighbours.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Summarises the finite values of `values`. Sums run in the order of `values` (path
/// order); quantiles come from selecting the order statistics they need, not a sort.
pub fn summarize(values: &[f64]) -> Summary {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    summarize_finite(&mut v)
}

/// `summarize` of values already known to be finite, reordering them.
fn summarize_finite(v: &mut [f64]) -> Summary {
    let n = v.len();
    let mean = if n > 0 {
        v.iter().sum::<f64>() / n as f64
    } else {
        f64::NAN
    };
    let se = if n > 1 {
        let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
        (ss / (n - 1) as f64).sqrt() / (n as f64).sqrt()
    } else {
        f64::NAN
    };
    let q = quantiles(v, &QUANTILES);
    Summary {
        n,
        mean,
        se,
        p5: q[0],
        p25: q[1],
        p50: q[2],
        p75: q[3],
        p95: q[4],
    }
}

/// Monte Carlo standard error of the median of `v`, from its order statistics: half the
/// distance between its quantiles at 1/2 - 1/(2 sqrt n) and 1/2 + 1/(2 sqrt n). The number
/// of values below the true median is binomial, so these two bound it with a chance of
/// about 68%, whatever the shape of the distribution; for a normal one this gives
/// sqrt(pi/2) s.d. / sqrt(n). Reorders `v`.
pub fn median_se(v: &mut [f64]) -> f64 {
    if v.len() < 2 {
        return f64::NAN;
    }
    let h = 0.5 / (v.len() as f64).sqrt();
    let [lo, hi] = quantiles(v, &[0.5 - h, 0.5 + h]);
    0.5 * (hi - lo)
}

/// Type 7 quantiles of `v` at each of `ps`, reordering `v` but not sorting it: only the
/// order statistics the quantiles need are selected. Equal to `quantile_sorted` on the
/// sorted values.
pub fn quantiles<const K: usize>(v: &mut [f64], ps: &[f64; K]) -> [f64; K] {
    let n = v.len();
    if n == 0 {
        return [f64::NAN; K];
    }
    let place = |p: f64| {
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        (h, lo, (lo + 1).min(n - 1))
    };
    let mut ranks: Vec<usize> = ps
        .iter()
        .flat_map(|p| {
            let (_, lo, hi) = place(*p);
            [lo, hi]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    select_ranks(v, 0, &ranks);
    ps.map(|p| {
        let (h, lo, hi) = place(p);
        v[lo] + (h - lo as f64) * (v[hi] - v[lo])
    })
}

/// Puts the value of each 0-based rank in `ranks` (sorted, relative to the whole slice,
/// whose first element has rank `offset`) at its sorted position.
fn select_ranks(v: &mut [f64], offset: usize, ranks: &[usize]) {
    if ranks.is_empty() || v.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let k = ranks[mid] - offset;
    let (left, _, right) = v.select_nth_unstable_by(k, f64::total_cmp);
    select_ranks(left, offset, &ranks[..mid]);
    select_ranks(right, offset + k + 1, &ranks[mid + 1..]);
}

/// Mean of the worst `alpha` share of outcomes (lower tail): CVaR at level alpha.
/// Uses the `ceil(alpha n)` smallest values.
pub fn cvar_lower(values: &[f64], alpha: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    let k = ((alpha * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v.select_nth_unstable_by(k - 1, f64::total_cmp);
    let tail = &mut v[..k];
    // Summed in ascending order, which the values alone fix.
    tail.sort_unstable_by(f64::total_cmp);
    tail.iter().sum::<f64>() / k as f64
}

/// A proportion with its binomial standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Proportion {
    pub p: f64,
    pub se: f64,
}

impl Proportion {
    pub fn new(hits: f64, n: usize) -> Proportion {
        if n == 0 {
            return Proportion {
                p: f64::NAN,
                se: f64::NAN,
            };
        }
        let p = hits / n as f64;
        Proportion {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// Everything reported for one strategy over the horizon.
#[derive(Clone, Debug, Serialize)]
pub struct StrategySummary {
    pub name: String,
    /// One summary per `Metric`, in its order.
    metrics: Vec<Summary>,
    /// Chance of the highest NPV on a path (ties shared equally).
    pub p_best: Proportion,
    /// NPV of the best strategy on the path minus this one's.
    pub regret: Summary,
    /// Mean NPV of the worst 5% of paths.
    pub npv_cvar5: f64,
    /// For each of the strategy's layoffs in order, the share of paths on which it
    /// happened (a gated stage only where its gate held).
    pub stages: Vec<Proportion>,
}

impl StrategySummary {
    /// The summary of one metric.
    pub fn metric(&self, metric: Metric) -> &Summary {
        &self.metrics[metric.index()]
    }

    /// Every metric with its summary, in the order of `Metric::ALL`.
    pub fn metrics(&self) -> impl Iterator<Item = (Metric, &Summary)> {
        Metric::ALL.into_iter().zip(&self.metrics)
    }
}

/// Strategy A against strategy B on the same paths.
#[derive(Clone, Debug, Serialize)]
pub struct PairSummary {
    pub a: String,
    pub b: String,
    /// P(NPV of A > NPV of B).
    pub a_beats_b: Proportion,
    /// P(NPV of A = NPV of B).
    pub tie: f64,
    /// NPV of A minus NPV of B.
    pub diff: Summary,
    /// Standard error of `diff.p50` (`median_se`). Break-even uses it; the output files
    /// do not carry it.
    #[serde(skip)]
    pub median_se: f64,
}

/// All statistics of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Summaries {
    pub n_paths: usize,
    pub horizon: usize,
    pub strategies: Vec<StrategySummary>,
    pub pairs: Vec<PairSummary>,
    /// `[strategy][month][Series]`, months from 1.
    #[serde(skip)]
    pub monthly: Vec<Summary>,
    /// Indices of the headline pair.
    #[serde(skip)]
    pub headline: Option<(usize, usize)>,
}

impl Summaries {
    /// The same statistics with the strategies named `names` (in their order), as the
    /// board pack shows them.
    pub fn with_names(&self, names: &[String]) -> Summaries {
        let rename = |old: &str| {
            self.strategies
                .iter()
                .position(|s| s.name == old)
                .and_then(|i| names.get(i).cloned())
                .unwrap_or_else(|| old.to_string())
        };
        let mut out = self.clone();
        for (s, n) in out.strategies.iter_mut().zip(names) {
            s.name = n.clone();
        }
        for p in &mut out.pairs {
            (p.a, p.b) = (rename(&p.a), rename(&p.b));
        }
        out
    }

    /// The summary of one series in one month (from 0).
    pub fn month(&self, strategy: usize, month: usize, series: Series) -> &Summary {
        &self.monthly[(strategy * self.horizon + month) * Series::COUNT + series.index()]
    }

    /// The headline pair's comparison, if the scenario has one.
    pub fn headline_pair(&self) -> Option<&PairSummary> {
        let (a, b) = self.headline?;
        self.pairs
            .iter()
            .find(|p| p.a == self.strategies[a].name && p.b == self.strategies[b].name)
    }
}

/// The share of paths on which each of a strategy's `n_layoffs` layoffs happened.
fn stage_rates(finals: &Finals, strategy: usize, n_layoffs: usize) -> Vec<Proportion> {
    let n = finals.n_paths();
    (0..n_layoffs.min(MAX_LAYOFFS))
        .map(|i| {
            let hits = (0..n)
                .filter(|p| finals.stages(*p, strategy) & (1 << i) != 0)
                .count();
            Proportion::new(hits as f64, n)
        })
        .collect()
}

/// Computes every statistic of a run from its per-path results, its monthly series'
/// reductions and its strategies' names, over `horizon` months; `headline` is the pair of
/// strategy indices the run leads with.
pub fn summarize_run(
    finals: &Finals,
    series: &SeriesStats,
    names: &[String],
    layoffs: &[usize],
    horizon: usize,
    headline: Option<(usize, usize)>,
) -> Summaries {
    let n_s = names.len();
    let n = finals.n_paths();
    let npv: Vec<Vec<f64>> = (0..n_s).map(|s| finals.column(s, Metric::Npv)).collect();

    let mut best_share = vec![0.0; n_s];
    let mut best = vec![0.0; n];
    for (p, best) in best.iter_mut().enumerate() {
        *best = (0..n_s)
            .map(|s| npv[s][p])
            .fold(f64::NEG_INFINITY, f64::max);
        let winners = (0..n_s).filter(|s| npv[*s][p] == *best).count() as f64;
        for s in 0..n_s {
            if npv[s][p] == *best {
                best_share[s] += 1.0 / winners;
            }
        }
    }

    let mut metrics: Vec<Summary> = (0..n_s * Metric::COUNT)
        .into_par_iter()
        .map(|i| {
            let m = Metric::ALL[i % Metric::COUNT];
            let s = summarize(&finals.column(i / Metric::COUNT, m));
            let shown = |x| m.shown(x);
            Summary {
                mean: shown(s.mean),
                se: shown(s.se),
                p5: shown(s.p5),
                p25: shown(s.p25),
                p50: shown(s.p50),
                p75: shown(s.p75),
                p95: shown(s.p95),
                ..s
            }
        })
        .collect();
    let strategies = (0..n_s)
        .into_par_iter()
        .map(|s| {
            let regret: Vec<f64> = best.iter().zip(&npv[s]).map(|(b, x)| b - x).collect();
            (summarize(&regret), cvar_lower(&npv[s], 0.05))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .enumerate()
        .map(|(s, (regret, npv_cvar5))| StrategySummary {
            name: names[s].clone(),
            metrics: metrics.drain(..Metric::COUNT).collect(),
            p_best: Proportion::new(best_share[s], n),
            regret,
            npv_cvar5,
            stages: stage_rates(finals, s, layoffs.get(s).copied().unwrap_or(0)),
        })
        .collect();

    let ordered: Vec<(usize, usize)> = (0..n_s)
        .flat_map(|a| (0..n_s).filter(move |b| *b != a).map(move |b| (a, b)))
        .collect();
    let pairs = ordered
        .into_par_iter()
        .map(|(a, b)| {
            let diff: Vec<f64> = (0..n).map(|p| npv[a][p] - npv[b][p]).collect();
            let wins = diff.iter().filter(|d| **d > 0.0).count() as f64;
            let ties = diff.iter().filter(|d| **d == 0.0).count() as f64;
            let mut finite: Vec<f64> = diff.into_iter().filter(|d| d.is_finite()).collect();
            PairSummary {
                a: names[a].clone(),
                b: names[b].clone(),
                a_beats_b: Proportion::new(wins, n),
                tie: if n > 0 { ties / n as f64 } else { f64::NAN },
                diff: summarize_finite(&mut finite),
                median_se: median_se(&mut finite),
            }
        })
        .collect();

    let monthly = (0..series.n_series)
        .into_par_iter()
        .map(|i| series.stat(i))
        .collect();

    Summaries {
        n_paths: n,
        horizon,
        strategies,
        pairs,
        monthly,
        headline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_excel_percentile_inc() {
        // Excel: PERCENTILE.INC({1,2,3,4,10}, 0.25) = 2, (…, 0.9) = 7.6.
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&v, 0.25), 2.0);
        assert!((quantile_sorted(&v, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 10.0);
    }

    #[test]
    fn summary_skips_undefined_values() {
        let s = summarize(&[1.0, f64::NAN, 3.0]);
        assert_eq!(s.n, 2);
        assert_eq!(s.mean, 2.0);
        assert!((s.se - 1.0).abs() < 1e-12);
    }

    #[test]
    fn selected_quantiles_equal_those_of_the_sorted_values() {
        let v: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1001) as f64 / 7.0)
            .collect();
        for n in [1, 2, 3, 10, 1001] {
            let mut s = v[..n].to_vec();
            s.sort_by(f64::total_cmp);
            let mut w = v[..n].to_vec();
            let q = quantiles(&mut w, &QUANTILES);
            for (p, got) in QUANTILES.iter().zip(q) {
                assert_eq!(
                    got.to_bits(),
                    quantile_sorted(&s, *p).to_bits(),
                    "n {n} p {p}"
                );
            }
        }
    }

    #[test]
    fn median_se_follows_the_density_at_the_median_not_the_spread() {
        // Samples laid on the quantiles (i + 1/2)/n of a distribution: the order statistics
        // are then exact but for type 7's interpolation across a 1/n step, 1% of the
        // 1/sqrt(n) window at n = 10,000, so 2% bounds the error.
        let n = 10_000;
        let grid = |f: &dyn Fn(f64) -> f64| -> Vec<f64> {
            (0..n).map(|i| f((i as f64 + 0.5) / n as f64)).collect()
        };
        let root_n = (n as f64).sqrt();
        // Normal: sqrt(pi/2) s.d. / sqrt(n), about 1.2533 / 100.
        let normal = median_se(&mut grid(&|u| {
            -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * u)
        }));
        let expected = (std::f64::consts::PI / 2.0).sqrt() / root_n;
        assert!(
            (normal / expected - 1.0).abs() < 0.02,
            "{normal} vs {expected}"
        );
        // Cauchy: no finite s.d., yet the median's s.e. is 1 / (2 f(0) sqrt n) = pi / (2 sqrt n).
        let cauchy = median_se(&mut grid(&|u| (std::f64::consts::PI * (u - 0.5)).tan()));
        let expected = std::f64::consts::PI / (2.0 * root_n);
        assert!(
            (cauchy / expected - 1.0).abs() < 0.02,
            "{cauchy} vs {expected}"
        );
        assert!(median_se(&mut [1.0]).is_nan());
    }

    #[test]
    fn cvar_takes_the_worst_tail() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(cvar_lower(&v, 0.05), 3.0);
    }
}
