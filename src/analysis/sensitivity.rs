//! Sensitivity: which uncertain parameters move the headline NPV difference, ranked by
//! conditioning on their bottom and top tenth, with Spearman correlation and a binned
//! first-order variance share; the headline difference itself, and its mean.
//!
//! It must not read files, read the clock, print or run the model: it works on one
//! run's results, recomputing parameter draws from their streams.

use crate::engine::{self, inputs};
use crate::metrics::Metric;
use crate::model::Scenario;

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
    let in_pair = |key: &str| match key.strip_prefix("strategies.") {
        Some(rest) => pair.iter().any(|n| rest.starts_with(&format!("{n}."))),
        None => true,
    };
    let candidates = inputs::distinct(
        inputs::uncertain_inputs(sc)
            .into_iter()
            .filter(|(key, _)| in_pair(key))
            .collect(),
    );
    let decile = (n / 10).max(1);
    let mut out: Vec<Sensitivity> = candidates
        .into_iter()
        .map(|(key, p)| {
            let x: Vec<f64> = (0..n)
                .map(|k| inputs::draw_input(sc, p, k as u64))
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

/// The mean of per-path values (0 for none), such as the headline difference a tornado
/// is centred on.
pub fn average(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_sees_monotone_relations() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((spearman(&x, &[1.0, 4.0, 9.0, 16.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&x, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_average_of_nothing_is_zero() {
        assert_eq!(average(&[1.0, 2.0, 6.0]), 3.0);
        assert_eq!(average(&[]), 0.0);
    }
}
