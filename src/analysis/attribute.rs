//! Attribution: why one strategy beats another. The pair's mean NPV difference is split
//! among the lever groups in which they differ (`levers`) by Shapley value: every hybrid
//! (the incumbent with a subset of groups taken from the challenger, 2^g of them) is run
//! on the same futures (the scenario's seed and paths), and each group gets its marginal
//! contribution averaged over the orders in which the groups could be switched. The
//! contributions add up to the difference exactly, path by path.
//!
//! Hybrids run 8 at a time on one draw of each path's world, 2,048 paths at a time, and
//! each path's Shapley values are accumulated as their results arrive, so memory holds
//! one such run and `g + 2` numbers per path, never every hybrid's results; the standard error of a contribution is the standard deviation of
//! its per-path values over the square root of the number of paths.
//!
//! Pure: no I/O, no clock, no printing (progress goes through a callback).

use super::levers::{differing_groups, hybrid, LeverGroup};
use crate::engine;
use crate::metrics::Metric;
use crate::model::Scenario;
use crate::scenario::hint;

/// Hybrids run together on one draw of each path's world.
const HYBRIDS_PER_RUN: usize = 8;

/// Paths run at once: the engine keeps every monthly series of a run this size, about
/// 40 MB for `HYBRIDS_PER_RUN` strategies, whatever the number of groups.
const BATCH_PATHS: u64 = 2_048;

/// One group's share of the difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    pub group: LeverGroup,
    /// Mean over paths of the group's Shapley value (challenger minus incumbent).
    pub mean: f64,
    /// Its Monte Carlo standard error.
    pub se: f64,
}

/// The mean NPV of one hybrid: the incumbent with `groups` taken from the challenger.
#[derive(Clone, Debug, PartialEq)]
pub struct HybridMean {
    pub groups: Vec<LeverGroup>,
    pub mean: f64,
}

/// A pair's mean NPV difference split among lever groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    pub challenger: String,
    pub incumbent: String,
    /// The pair as a board reads it (`Strategy::display`): the chart and sentence use
    /// these, the files the names.
    pub labels: (String, String),
    pub paths: usize,
    /// Mean NPV of each strategy of the pair, with its standard error.
    pub incumbent_mean: (f64, f64),
    pub challenger_mean: (f64, f64),
    /// Mean of the paired difference, challenger minus incumbent, with its standard error.
    pub difference: (f64, f64),
    /// One per group in which the pair differs, in the order of `LeverGroup::ALL`.
    pub contributions: Vec<Contribution>,
    /// Every hybrid by the bits of its subset of `contributions`' groups.
    pub hybrids: Vec<HybridMean>,
    /// Where the split was measured on the first futures of a larger run and scaled to
    /// that run's mean difference (`scaled_to_run`): how many futures it was measured on.
    pub measured_on: Option<usize>,
}

impl Attribution {
    /// The split measured on this attribution's futures, scaled to the mean difference of
    /// the pair over a larger run `r` of the same scenario and seed (whose first futures
    /// these are), so that the waterfall starts and ends at the means every other chart of
    /// the run shows: each contribution and its standard error times the ratio of the two
    /// differences. Unchanged where the run is no larger or the two differences do not
    /// have the same sign.
    pub fn scaled_to_run(self, r: &crate::engine::RunResult, pair: (usize, usize)) -> Attribution {
        use crate::metrics::Metric;
        if r.n_paths <= self.paths {
            return self;
        }
        let npv = |p: usize, s: usize| r.final_value(p, s, Metric::Npv);
        let paths = 0..r.n_paths;
        let challenger_mean = mean_se(paths.clone().map(|p| npv(p, pair.0)));
        let incumbent_mean = mean_se(paths.clone().map(|p| npv(p, pair.1)));
        let difference = mean_se(paths.map(|p| npv(p, pair.0) - npv(p, pair.1)));
        let k = difference.0 / self.difference.0;
        if !(k.is_finite() && k > 0.0) {
            return self;
        }
        let contributions = self
            .contributions
            .iter()
            .map(|c| Contribution {
                group: c.group,
                mean: c.mean * k,
                se: c.se * k,
            })
            .collect();
        Attribution {
            paths: r.n_paths,
            measured_on: Some(self.paths),
            incumbent_mean,
            challenger_mean,
            difference,
            contributions,
            ..self
        }
    }
}

/// The pair `--pair CHALLENGER,INCUMBENT` names, or the scenario's headline pair.
pub fn pair(sc: &Scenario, text: Option<&str>) -> Result<(usize, usize), String> {
    let names: Vec<&str> = sc.strategies.iter().map(|s| s.name.as_str()).collect();
    let Some(text) = text else {
        return sc.headline().ok_or_else(|| {
            format!(
                "the scenario has no headline pair; give --pair CHALLENGER,INCUMBENT, two of: {}",
                names.join(", ")
            )
        });
    };
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [a, b] = parts[..] else {
        return Err(format!(
            "--pair takes two strategies, CHALLENGER,INCUMBENT, got \"{text}\""
        ));
    };
    let find = |n: &str| {
        names.iter().position(|s| *s == n).ok_or_else(|| {
            format!(
                "--pair: no strategy \"{n}\"{}; the scenario's strategies are {}",
                hint(n, &names),
                names.join(", ")
            )
        })
    };
    let (a, b) = (find(a)?, find(b)?);
    if a == b {
        return Err(format!("--pair names {} twice", names[a]));
    }
    Ok((a, b))
}

/// The lever groups in which strategies `challenger` and `incumbent` of `sc` differ, or
/// an error when they differ in none.
pub fn groups_of_pair(
    sc: &Scenario,
    challenger: usize,
    incumbent: usize,
) -> Result<Vec<LeverGroup>, String> {
    let (c, i) = (&sc.strategies[challenger], &sc.strategies[incumbent]);
    let groups = differing_groups(i, c);
    if groups.is_empty() {
        return Err(format!(
            "{} and {} differ in no lever: there is nothing to attribute",
            c.name, i.name
        ));
    }
    Ok(groups)
}

/// Shapley weights `s! (g - 1 - s)! / g!` for a coalition of `s` of `g` players.
fn weights(g: usize) -> Vec<f64> {
    let fact = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    (0..g)
        .map(|s| fact(s) * fact(g - 1 - s) / fact(g))
        .collect()
}

/// Mean and standard error of the mean.
fn mean_se(v: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = v.clone().count().max(1) as f64;
    let mean = v.clone().sum::<f64>() / n;
    let ss = v.map(|x| (x - mean).powi(2)).sum::<f64>();
    (mean, (ss / (n - 1.0).max(1.0)).sqrt() / n.sqrt())
}

/// Splits the mean NPV difference between strategies `challenger` and `incumbent` of
/// `sc` among the lever groups in which they differ, over the scenario's paths and seed.
/// `progress(paths)` is called as the engine finishes paths (2^g runs of every path).
pub fn attribute(
    sc: &Scenario,
    challenger: usize,
    incumbent: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Attribution, String> {
    let groups = groups_of_pair(sc, challenger, incumbent)?;
    let (c, i) = (&sc.strategies[challenger], &sc.strategies[incumbent]);
    let g = groups.len();
    let n = sc.run.paths as usize;
    let w = weights(g);
    let full = (1usize << g) - 1;
    // Per path: each group's Shapley value, then the incumbent's and challenger's NPV.
    let stride = g + 2;
    let mut acc = vec![0.0; n * stride];
    let mut sums = vec![0.0; full + 1];
    // Coefficient of hybrid `mask`'s NPV in each group's Shapley value.
    let coef = |mask: usize, k: usize| {
        let size = mask.count_ones() as usize;
        if mask >> k & 1 == 1 {
            w[size - 1]
        } else {
            -w[size]
        }
    };
    for masks in (0..=full).collect::<Vec<usize>>().chunks(HYBRIDS_PER_RUN) {
        let mut some = sc.clone();
        some.strategies = masks.iter().map(|m| hybrid(i, c, &groups, *m)).collect();
        some.run.headline = None;
        let coefs: Vec<f64> = masks
            .iter()
            .flat_map(|m| (0..g).map(move |k| coef(*m, k)))
            .collect();
        for first in (0..n as u64).step_by(BATCH_PATHS as usize) {
            let len = BATCH_PATHS.min(n as u64 - first);
            let r =
                engine::run_range_with(&some, first, len, &|p| progress(p * masks.len() as u64));
            for k in 0..len as usize {
                let row = &mut acc[(first as usize + k) * stride..][..stride];
                for (s, mask) in masks.iter().enumerate() {
                    let v = r.final_value(k, s, Metric::Npv);
                    sums[*mask] += v;
                    for (x, a) in coefs[s * g..][..g].iter().zip(row.iter_mut()) {
                        *a += x * v;
                    }
                    if *mask == 0 {
                        row[g] = v;
                    }
                    if *mask == full {
                        row[g + 1] = v;
                    }
                }
            }
        }
    }
    let hybrids = sums
        .iter()
        .enumerate()
        .map(|(mask, sum)| HybridMean {
            groups: (0..g)
                .filter(|k| mask >> k & 1 == 1)
                .map(|k| groups[k])
                .collect(),
            mean: sum / n.max(1) as f64,
        })
        .collect();
    let column = |j: usize| acc.iter().skip(j).step_by(stride).copied();
    let contributions = groups
        .iter()
        .enumerate()
        .map(|(k, group)| {
            let (mean, se) = mean_se(column(k));
            Contribution {
                group: *group,
                mean,
                se,
            }
        })
        .collect();
    let diff = acc
        .chunks_exact(stride)
        .map(|row| row[g + 1] - row[g])
        .collect::<Vec<f64>>();
    Ok(Attribution {
        challenger: c.name.clone(),
        incumbent: i.name.clone(),
        labels: (c.display(), i.display()),
        paths: n,
        incumbent_mean: mean_se(column(g)),
        challenger_mean: mean_se(column(g + 1)),
        difference: mean_se(diff.iter().copied()),
        contributions,
        hybrids,
        measured_on: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_weights_of_every_order_sum_to_one() {
        for g in 1..=6 {
            let w = weights(g);
            // Over the coalitions without one player: C(g - 1, s) of each size s.
            let choose =
                |n: usize, k: usize| (0..k).fold(1.0, |a, j| a * (n - j) as f64 / (j + 1) as f64);
            let total: f64 = (0..g).map(|s| choose(g - 1, s) * w[s]).sum();
            assert!((total - 1.0).abs() < 1e-12, "g = {g}: {total}");
        }
        assert_eq!(weights(2), vec![0.5, 0.5]);
    }
}
