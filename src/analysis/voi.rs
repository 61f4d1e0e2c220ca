//! Value of information: what knowing an uncertainty before choosing a strategy is
//! worth, in dollars of expected NPV.
//!
//! - EVPI, knowing every future in full: the mean over paths of the best strategy's NPV
//!   on that path, minus the best mean NPV (the strategy one would choose now).
//! - EVPPI of an input (or a group of inputs), knowing only it: the mean over paths of
//!   the NPV of the strategy one would choose knowing the input, minus the best mean NPV.
//!
//! The choice knowing an input needs each strategy's expected NPV given the input,
//! estimated from the same futures; used on the paths it was fitted on, the estimate's
//! noise would pass for information (an upward bias that grows with the noise). So the
//! estimate is cross-fitted by path parity: the conditional means are fitted on the odd
//! paths and the choice they make is paid for on the even paths, and the other way
//! round. Each path then contributes the NPV of the strategy chosen for it minus the NPV
//! of the strategy chosen now; the estimate is the mean contribution and its standard
//! error their standard deviation over the square root of the paths. An input with no
//! effect is worth zero within its standard error; an imperfect fit can only lose value
//! (a small downward bias).
//!
//! Conditional means of one input: equal-count bins of its rank (`bins` of them,
//! sqrt(paths) between 2 and 100), where another strategy is chosen only if its mean
//! advantage in the bin is over two standard errors (fewer switches on noise). Of a group: least squares on each input's rank and
//! its square (an additive quadratic in ranks). Pure arithmetic: no I/O, no clock.

use super::futures::Futures;
use rayon::prelude::*;

/// A value in dollars with its Monte Carlo standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Worth {
    pub value: f64,
    pub se: f64,
}

/// The value of information of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Voi {
    /// The strategy chosen now: the best mean NPV.
    pub best: usize,
    pub evpi: Worth,
    /// Per uncertain input: its key, its group and its EVPPI, largest first.
    pub inputs: Vec<(String, &'static str, Worth)>,
    /// Per group with an uncertain input: its name, its keys and its EVPPI, largest first.
    pub groups: Vec<(&'static str, Vec<String>, Worth)>,
}

/// The groups of inputs and the key prefixes each holds; a key belongs to the first
/// group with a prefix it starts with.
pub const GROUPS: [(&str, &[&str]); 7] = [
    ("capability", &["world.capability.", "world.production."]),
    ("prices", &["world.prices.", "world.subsidy."]),
    ("demand", &["world.demand.", "org.value_multiple"]),
    ("incidents", &["world.incidents."]),
    ("knowledge", &["world.knowledge."]),
    ("organisation", &["org."]),
    ("levers", &["strategies."]),
];

/// The group of a key (`"other"` for a key no group holds).
pub fn group_of(key: &str) -> &'static str {
    GROUPS
        .iter()
        .find(|(_, prefixes)| prefixes.iter().any(|p| key.starts_with(p)))
        .map_or("other", |(g, _)| g)
}

fn worth(contributions: &[f64]) -> Worth {
    let n = contributions.len().max(1) as f64;
    let mean = contributions.iter().sum::<f64>() / n;
    let var = contributions
        .iter()
        .map(|c| (c - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0).max(1.0);
    Worth {
        value: mean,
        se: (var / n).sqrt(),
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The strategy with the best mean NPV (the first of equals), and the EVPI.
pub fn evpi(npv: &[Vec<f64>]) -> (usize, Worth) {
    let means: Vec<f64> = npv.iter().map(|v| mean(v)).collect();
    let best = (0..means.len()).fold(0, |b, s| if means[s] > means[b] { s } else { b });
    let n = npv.first().map_or(0, Vec::len);
    let c: Vec<f64> = (0..n)
        .map(|p| npv.iter().map(|v| v[p]).fold(f64::NEG_INFINITY, f64::max) - npv[best][p])
        .collect();
    (best, worth(&c))
}

/// Ranks of `x` scaled to [-0.5, 0.5] (ties broken by path, which knows no outcome).
fn ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
    let mut r = vec![0.0; n];
    let scale = (n.max(2) - 1) as f64;
    for (k, i) in order.into_iter().enumerate() {
        r[i] = k as f64 / scale - 0.5;
    }
    r
}

/// Contributions of a cross-fitted choice: `predict(fold, s)` gives, for the paths of
/// `fold` (path parity), each strategy's predicted NPV fitted on the other fold.
fn cross_fitted(
    npv: &[Vec<f64>],
    best: usize,
    predict: impl Fn(usize, usize) -> Vec<f64>,
) -> Worth {
    let n = npv.first().map_or(0, Vec::len);
    let mut c = vec![0.0; n];
    for fold in 0..2 {
        let predicted: Vec<Vec<f64>> = (0..npv.len()).map(|s| predict(fold, s)).collect();
        for (k, p) in (fold..n).step_by(2).enumerate() {
            let chosen = (0..npv.len()).fold(best, |b, s| {
                if predicted[s][k] > predicted[b][k] {
                    s
                } else {
                    b
                }
            });
            c[p] = npv[chosen][p] - npv[best][p];
        }
    }
    worth(&c)
}

/// The number of equal-count bins for one input over `n` paths.
pub fn bins(n: usize) -> usize {
    ((n as f64).sqrt() as usize).clamp(2, 100)
}

/// EVPPI of one input, by bins of its rank, cross-fitted by path parity. In a bin, a
/// strategy replaces the one chosen now only where its mean advantage on the fitting
/// paths is more than `SWITCH_T` (2) standard errors: a switch on noise costs value.
pub fn evppi_input(x: &[f64], npv: &[Vec<f64>], best: usize) -> Worth {
    let n = x.len();
    let b = bins(n);
    let r = ranks(x);
    let bin: Vec<usize> = r
        .iter()
        .map(|v| (((v + 0.5) * b as f64) as usize).min(b - 1))
        .collect();
    cross_fitted(npv, best, |fold, s| {
        if s == best {
            return vec![0.0; (fold..n).step_by(2).len()];
        }
        // Per bin: count, sum and sum of squares of the advantage over the choice now.
        let mut acc = vec![(0usize, 0.0, 0.0); b];
        for p in (1 - fold..n).step_by(2) {
            let gain = npv[s][p] - npv[best][p];
            let a = &mut acc[bin[p]];
            *a = (a.0 + 1, a.1 + gain, a.2 + gain * gain);
        }
        let advantage: Vec<f64> = acc
            .iter()
            .map(|&(c, sum, sq)| {
                let m = sum / c.max(1) as f64;
                let var =
                    (sq / c.max(1) as f64 - m * m).max(0.0) * c as f64 / (c.max(2) - 1) as f64;
                if c >= 2 && m > SWITCH_T * (var / c as f64).sqrt() {
                    m
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();
        (fold..n).step_by(2).map(|p| advantage[bin[p]]).collect()
    })
}

/// How many standard errors a strategy's advantage in a bin must pass to be chosen there.
pub const SWITCH_T: f64 = 2.0;

/// EVPPI of a group of inputs, by least squares on each input's rank and its square,
/// cross-fitted by path parity.
pub fn evppi_group(xs: &[&[f64]], npv: &[Vec<f64>], best: usize) -> Worth {
    let n = npv.first().map_or(0, Vec::len);
    let rs: Vec<Vec<f64>> = xs.iter().map(|x| ranks(x)).collect();
    let features = |p: usize| -> Vec<f64> {
        let mut f = vec![1.0];
        for r in &rs {
            f.push(r[p]);
            f.push(r[p] * r[p] - 1.0 / 12.0);
        }
        f
    };
    let m = 1 + 2 * rs.len();
    // Per fold: the normal equations' matrix of the other fold, shared by strategies.
    let gram: Vec<Vec<f64>> = (0..2)
        .map(|fold| {
            let mut a = vec![0.0; m * m];
            for p in (1 - fold..n).step_by(2) {
                let f = features(p);
                for i in 0..m {
                    for j in 0..m {
                        a[i * m + j] += f[i] * f[j];
                    }
                }
            }
            a
        })
        .collect();
    cross_fitted(npv, best, |fold, s| {
        let mut rhs = vec![0.0; m];
        for p in (1 - fold..n).step_by(2) {
            let f = features(p);
            for i in 0..m {
                rhs[i] += f[i] * npv[s][p];
            }
        }
        let beta = solve(gram[fold].clone(), rhs, m);
        (fold..n)
            .step_by(2)
            .map(|p| features(p).iter().zip(&beta).map(|(f, b)| f * b).sum())
            .collect()
    })
}

/// Solves `a x = b` (`a` is m x m, row-major, symmetric non-negative) by Gaussian
/// elimination with partial pivoting and a tiny ridge, so a degenerate fit still gives
/// finite coefficients.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, m: usize) -> Vec<f64> {
    let ridge = 1e-10 * (0..m).map(|i| a[i * m + i]).sum::<f64>().max(1e-300);
    for i in 0..m {
        a[i * m + i] += ridge;
    }
    for col in 0..m {
        let piv = (col..m)
            .max_by(|x, y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))
            .unwrap_or(col);
        if a[piv * m + col] == 0.0 {
            continue;
        }
        for k in 0..m {
            a.swap(col * m + k, piv * m + k);
        }
        b.swap(col, piv);
        for row in col + 1..m {
            let f = a[row * m + col] / a[col * m + col];
            for k in col..m {
                a[row * m + k] -= f * a[col * m + k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; m];
    for row in (0..m).rev() {
        let s: f64 = (row + 1..m).map(|k| a[row * m + k] * x[k]).sum();
        let d = a[row * m + row];
        x[row] = if d == 0.0 { 0.0 } else { (b[row] - s) / d };
    }
    x
}

/// EVPI, and EVPPI of every input of `f` and of every group, each largest first (ties
/// by key). Inputs are computed in parallel, each in a fixed order: the same numbers on
/// any number of threads.
pub fn value_of_information(f: &Futures) -> Voi {
    let (best, evpi) = evpi(&f.npv);
    let mut inputs: Vec<(String, &'static str, Worth)> = f
        .draws
        .par_iter()
        .zip(&f.keys)
        .map(|(x, key)| (key.clone(), group_of(key), evppi_input(x, &f.npv, best)))
        .collect();
    inputs.sort_by(|a, b| b.2.value.total_cmp(&a.2.value).then(a.0.cmp(&b.0)));
    let mut names: Vec<&'static str> = f.keys.iter().map(|k| group_of(k)).collect();
    names.sort_unstable();
    names.dedup();
    let mut groups: Vec<(&'static str, Vec<String>, Worth)> = names
        .par_iter()
        .map(|g| {
            let members: Vec<usize> = (0..f.keys.len())
                .filter(|&i| group_of(&f.keys[i]) == *g)
                .collect();
            let xs: Vec<&[f64]> = members.iter().map(|&i| f.draws[i].as_slice()).collect();
            let keys = members.iter().map(|&i| f.keys[i].clone()).collect();
            (*g, keys, evppi_group(&xs, &f.npv, best))
        })
        .collect();
    groups.sort_by(|a, b| b.2.value.total_cmp(&a.2.value).then(a.0.cmp(b.0)));
    Voi {
        best,
        evpi,
        inputs,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` standard normal values from a fixed hash of (stream, index): a sample with no
    /// generator, the same on every run.
    fn normal_sample(n: usize, stream: u64) -> Vec<f64> {
        use statrs::distribution::{ContinuousCDF, Normal};
        let z = Normal::new(0.0, 1.0).unwrap();
        (0..n as u64)
            .map(|k| {
                let mut h = (k ^ (stream << 40)).wrapping_add(0x9E37_79B9_7F4A_7C15);
                h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                h ^= h >> 31;
                z.inverse_cdf(((h >> 11) as f64 + 0.5) / (1u64 << 53) as f64)
            })
            .collect()
    }

    #[test]
    fn evppi_of_a_linear_payoff_matches_its_closed_form() {
        use statrs::distribution::{Continuous, ContinuousCDF, Normal};
        // a pays m + b x + noise, x ~ N(0, 1); the other strategy pays 0.
        let n = 40_000;
        let (m, b) = (-0.3, 1.0);
        let x = normal_sample(n, 1);
        let noise: Vec<f64> = normal_sample(n, 2).iter().map(|e| 2.0 * e).collect();
        let a: Vec<f64> = (0..n).map(|p| m + b * x[p] + noise[p]).collect();
        let npv = vec![a, vec![0.0; n]];
        let (best, _) = evpi(&npv);
        assert_eq!(best, 1);
        let w = evppi_input(&x, &npv, best);
        // E[max(m + bX, 0)] - max(m, 0) for X ~ N(0, 1).
        let z = Normal::new(0.0, 1.0).unwrap();
        let exact = b * z.pdf(m / b) + m * z.cdf(m / b) - m.max(0.0);
        assert!(
            (w.value - exact).abs() < 5.0 * w.se,
            "{w:?} against {exact}"
        );
        let g = evppi_group(&[&x], &npv, best);
        assert!(
            (g.value - exact).abs() < 5.0 * g.se,
            "{g:?} against {exact}"
        );
    }

    #[test]
    fn an_input_with_no_effect_is_worth_zero_within_its_error() {
        let n = 20_000;
        let x = normal_sample(n, 3);
        let unrelated = normal_sample(n, 4);
        // Even on average, so a choice from noise flips between the two.
        let a: Vec<f64> = x
            .iter()
            .map(|v| v - x.iter().sum::<f64>() / n as f64)
            .collect();
        let npv = vec![a, vec![0.0; n]];
        let (best, total) = evpi(&npv);
        let w = evppi_input(&unrelated, &npv, best);
        assert!(w.se > 0.0 && w.value.abs() < 5.0 * w.se, "{w:?}");
        assert!(total.value > 0.3, "{total:?}");
        let g = evppi_group(&[&unrelated], &npv, best);
        assert!(g.se > 0.0 && g.value.abs() < 5.0 * g.se, "{g:?}");
    }

    #[test]
    fn groups_follow_their_prefixes() {
        assert_eq!(group_of("world.capability.doubling_months"), "capability");
        assert_eq!(group_of("world.subsidy.m_api"), "prices");
        assert_eq!(group_of("org.value_multiple"), "demand");
        assert_eq!(group_of("org.ramp_months"), "organisation");
        assert_eq!(group_of("strategies.a.assist.seat_price"), "levers");
    }

    #[test]
    fn the_solver_inverts_a_small_system() {
        let x = solve(vec![4.0, 1.0, 1.0, 3.0], vec![1.0, 2.0], 2);
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-8 && (x[1] - 7.0 / 11.0).abs() < 1e-8);
    }
}
