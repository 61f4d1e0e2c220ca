//! Statistics of a run: summaries with standard errors, quantiles, paired differences,
//! the chance each strategy is best and its expected regret.
//!
//! Pure functions of a `RunResult`: no I/O, no randomness, and every sum taken in path
//! order so the numbers do not depend on threads. Quantiles are Hyndman and Fan type 7,
//! the estimator of Excel's PERCENTILE.INC and numpy's default.

pub mod series;

use crate::engine::{fm, RunResult, FINAL_METRICS, MONTHLY_METRICS};
use rayon::prelude::*;
use serde::Serialize;

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

/// Summarises the finite values of `values`.
pub fn summarize(values: &[f64]) -> Summary {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
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
    let q = |p| quantile_sorted(&v, p);
    // The mean is summed in sorted order, which is fixed by the values alone.
    Summary {
        n,
        mean,
        se,
        p5: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
    }
}

/// Mean of the worst `alpha` share of outcomes (lower tail): CVaR at level alpha.
/// Uses the `ceil(alpha n)` smallest values.
pub fn cvar_lower(values: &[f64], alpha: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let k = ((alpha * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[..k].iter().sum::<f64>() / k as f64
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
    /// One summary per entry of `FINAL_METRICS`.
    pub metrics: Vec<Summary>,
    /// Chance of the highest NPV on a path (ties shared equally).
    pub p_best: Proportion,
    /// NPV of the best strategy on the path minus this one's.
    pub regret: Summary,
    /// Mean NPV of the worst 5% of paths.
    pub npv_cvar5: f64,
}

impl StrategySummary {
    pub fn metric(&self, name: &str) -> &Summary {
        let i = FINAL_METRICS
            .iter()
            .position(|m| *m == name)
            .expect("known metric");
        &self.metrics[i]
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
}

/// All statistics of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Summaries {
    pub n_paths: usize,
    pub horizon: usize,
    pub strategies: Vec<StrategySummary>,
    pub pairs: Vec<PairSummary>,
    /// `[strategy][month][MONTHLY_METRICS]`, months from 1.
    #[serde(skip)]
    pub monthly: Vec<Summary>,
    /// Indices of the headline pair.
    #[serde(skip)]
    pub headline: Option<(usize, usize)>,
}

impl Summaries {
    pub fn month(&self, strategy: usize, month: usize, metric: usize) -> &Summary {
        &self.monthly[(strategy * self.horizon + month) * MONTHLY_METRICS.len() + metric]
    }

    /// The headline pair's comparison, if the scenario has one.
    pub fn headline_pair(&self) -> Option<&PairSummary> {
        let (a, b) = self.headline?;
        self.pairs
            .iter()
            .find(|p| p.a == self.strategies[a].name && p.b == self.strategies[b].name)
    }
}

/// Computes every statistic of a run.
pub fn summarize_run(r: &RunResult, headline: Option<(usize, usize)>) -> Summaries {
    let n_s = r.n_strategies();
    let n = r.n_paths;
    let npv: Vec<Vec<f64>> = (0..n_s).map(|s| r.column(s, fm::NPV)).collect();

    let mut best_share = vec![0.0; n_s];
    let mut regret = vec![vec![0.0; n]; n_s];
    for p in 0..n {
        let best = (0..n_s)
            .map(|s| npv[s][p])
            .fold(f64::NEG_INFINITY, f64::max);
        let winners = (0..n_s).filter(|s| npv[*s][p] == best).count() as f64;
        for s in 0..n_s {
            if npv[s][p] == best {
                best_share[s] += 1.0 / winners;
            }
            regret[s][p] = best - npv[s][p];
        }
    }

    let strategies = (0..n_s)
        .map(|s| StrategySummary {
            name: r.names[s].clone(),
            metrics: (0..FINAL_METRICS.len())
                .into_par_iter()
                .map(|m| summarize(&r.column(s, m)))
                .collect(),
            p_best: Proportion::new(best_share[s], n),
            regret: summarize(&regret[s]),
            npv_cvar5: cvar_lower(&npv[s], 0.05),
        })
        .collect();

    let mut pairs = Vec::new();
    for a in 0..n_s {
        for b in 0..n_s {
            if a == b {
                continue;
            }
            let diff: Vec<f64> = (0..n).map(|p| npv[a][p] - npv[b][p]).collect();
            let wins = diff.iter().filter(|d| **d > 0.0).count() as f64;
            let ties = diff.iter().filter(|d| **d == 0.0).count() as f64;
            pairs.push(PairSummary {
                a: r.names[a].clone(),
                b: r.names[b].clone(),
                a_beats_b: Proportion::new(wins, n),
                tie: if n > 0 { ties / n as f64 } else { f64::NAN },
                diff: summarize(&diff),
            });
        }
    }

    let monthly = (0..r.series.n_series)
        .into_par_iter()
        .map(|i| r.series.stat(i))
        .collect();

    Summaries {
        n_paths: n,
        horizon: r.horizon,
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
    fn cvar_takes_the_worst_tail() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(cvar_lower(&v, 0.05), 3.0);
    }
}
