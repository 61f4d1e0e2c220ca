//! Scenario discovery: in which futures does the challenger win (or a target the user
//! gives hold), described by a few input conditions a board can argue about.
//!
//! PRIM (`prim`) peels the box of every future down over the uncertain inputs' per-path
//! draws; the box described is the densest on the trajectory that restricts at most
//! `MAX_RESTRICTED` (3) inputs and holds at least `MIN_COVERAGE` (half) of the target
//! futures; it is pasted back where that costs no density, and each restriction whose
//! binomial p-value is above `LEVEL` (0.05) is dropped, the least significant first.
//! Beside it, every input's scenario significance as @RISK defines it: the median of the
//! input over the target futures minus its median over all futures, over its standard
//! deviation over all futures.
//!
//! Pure functions of one run's futures: no I/O, no clock.

use super::futures::Futures;
use super::prim::{self, Data, PrimBox};
use crate::stats::quantile_sorted;

/// Boxes may restrict at most this many inputs.
pub const MAX_RESTRICTED: usize = 3;
/// The box chosen holds at least this share of the target futures.
pub const MIN_COVERAGE: f64 = 0.5;
/// Restrictions with a p-value above this are dropped.
pub const LEVEL: f64 = 0.05;
/// Fewer target futures than this are too few to describe.
pub const MIN_TARGET: usize = 100;

/// Which futures are of interest, by the pair's NPV difference (challenger minus
/// incumbent): `wins` (above 0, the default), `npv_diff>X` or `npv_diff<X`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    Wins,
    Above(f64),
    Below(f64),
}

impl Goal {
    /// Parses `wins`, `npv_diff>X` or `npv_diff<X` (X a number such as -20e6).
    pub fn parse(s: &str) -> Result<Goal, String> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if t == "wins" {
            return Ok(Goal::Wins);
        }
        let bad = || {
            format!("--target {s}: expected wins, npv_diff>X or npv_diff<X (X in dollars, such as -20e6)")
        };
        let (op, rest) = match t.strip_prefix("npv_diff") {
            Some(r) if r.starts_with('>') || r.starts_with('<') => (r.as_bytes()[0], &r[1..]),
            _ => return Err(bad()),
        };
        let x: f64 = rest.parse().map_err(|_| bad())?;
        if !x.is_finite() {
            return Err(bad());
        }
        Ok(if op == b'>' {
            Goal::Above(x)
        } else {
            Goal::Below(x)
        })
    }

    pub fn holds(self, diff: f64) -> bool {
        match self {
            Goal::Wins => diff > 0.0,
            Goal::Above(x) => diff > x,
            Goal::Below(x) => diff < x,
        }
    }
}

/// A restriction of the box: the input, its range (None: open on that side) and its
/// p-value.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub key: String,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub p_value: f64,
}

/// What discovery found.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The box described, its restrictions, and the trajectory step it was chosen at.
    Found {
        chosen_step: usize,
        found: PrimBox,
        conditions: Vec<Condition>,
    },
    /// Fewer than `MIN_TARGET` target futures, and the paths that would give that many
    /// at the observed rate (rounded up to a thousand).
    TooFew { needed_paths: usize },
    /// Every future meets the target: there is nothing to tell apart.
    Everywhere,
}

/// Scenario discovery on one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    pub goal: Goal,
    pub n_paths: usize,
    pub n_target: usize,
    /// Whether the target holds on each path.
    pub target: Vec<bool>,
    /// The peeling trajectory (empty unless found).
    pub trajectory: Vec<PrimBox>,
    pub finding: Finding,
    /// Per input, in `Futures::keys` order: @RISK's scenario significance.
    pub significance: Vec<f64>,
    /// The two inputs a chart shows: the box's restrictions by p-value, then the largest
    /// scenario significance.
    pub axes: [usize; 2],
}

/// The @RISK scenario significance of `x` for the futures `target`.
pub fn significance(x: &[f64], target: &[bool]) -> f64 {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        quantile_sorted(&v, 0.5)
    };
    let n = x.len().max(1) as f64;
    let m = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let sub: Vec<f64> = x
        .iter()
        .zip(target)
        .filter(|(_, t)| **t)
        .map(|(v, _)| *v)
        .collect();
    if sd > 0.0 && !sub.is_empty() {
        (median(sub) - median(x.to_vec())) / sd
    } else {
        0.0
    }
}

/// Discovers where `goal` holds for the pair `(challenger, incumbent)` of `f`, over the
/// inputs `f` holds. Errors when no future meets the target.
pub fn discover(f: &Futures, pair: (usize, usize), goal: Goal) -> Result<Discovery, String> {
    let n = f.n_paths();
    let target: Vec<bool> = (0..n)
        .map(|p| goal.holds(f.npv[pair.0][p] - f.npv[pair.1][p]))
        .collect();
    let n_target = target.iter().filter(|t| **t).count();
    if n_target == 0 {
        return Err(format!("no future of {n} meets the target"));
    }
    let significance: Vec<f64> = f.draws.iter().map(|x| significance(x, &target)).collect();
    let mut by_significance: Vec<usize> = (0..f.keys.len()).collect();
    by_significance.sort_by(|a, b| {
        significance[*b]
            .abs()
            .total_cmp(&significance[*a].abs())
            .then(a.cmp(b))
    });
    let mut d = Discovery {
        goal,
        n_paths: n,
        n_target,
        target,
        trajectory: Vec::new(),
        finding: Finding::Everywhere,
        significance,
        axes: [0, 1.min(f.keys.len().saturating_sub(1))],
    };
    let mut axes: Vec<usize> = Vec::new();
    if n_target == n {
        d.finding = Finding::Everywhere;
    } else if n_target < MIN_TARGET {
        let needed = (MIN_TARGET as f64 * n as f64 / n_target as f64 / 1000.0).ceil() as usize;
        d.finding = Finding::TooFew {
            needed_paths: needed * 1000,
        };
    } else {
        let data = Data::new(&f.draws, &d.target);
        d.trajectory = data.peel();
        let chosen_step = prim::choose(&d.trajectory, MAX_RESTRICTED, MIN_COVERAGE);
        let pasted = data.paste(&d.trajectory[chosen_step]);
        let (found, mut ps) = data.drop_insignificant(&pasted, LEVEL);
        ps.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        axes.extend(ps.iter().map(|(j, _)| *j));
        let conditions = ps
            .iter()
            .map(|&(j, p_value)| Condition {
                key: f.keys[j].clone(),
                lo: Some(found.limits.lo[j]).filter(|v| v.is_finite()),
                hi: Some(found.limits.hi[j]).filter(|v| v.is_finite()),
                p_value,
            })
            .collect();
        d.finding = Finding::Found {
            chosen_step,
            found,
            conditions,
        };
    }
    for j in by_significance {
        if axes.len() >= 2 {
            break;
        }
        if !axes.contains(&j) {
            axes.push(j);
        }
    }
    for (slot, j) in d.axes.iter_mut().zip(axes) {
        *slot = j;
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_in_the_documented_forms() {
        assert_eq!(Goal::parse("wins"), Ok(Goal::Wins));
        assert_eq!(Goal::parse("npv_diff>-20e6"), Ok(Goal::Above(-20e6)));
        assert_eq!(Goal::parse("npv_diff < 5"), Ok(Goal::Below(5.0)));
        assert!(Goal::parse("npv>3").is_err());
        assert!(Goal::parse("npv_diff>x").is_err());
        assert!(Goal::Above(-1.0).holds(0.0) && !Goal::Wins.holds(0.0));
    }

    #[test]
    fn significance_is_the_shift_of_the_median_in_standard_deviations() {
        let x: Vec<f64> = (0..100).map(f64::from).collect();
        let target: Vec<bool> = x.iter().map(|v| *v >= 50.0).collect();
        let s = significance(&x, &target);
        // medians 74.5 and 49.5, sd of 0..99 = 29.01
        assert!((s - 25.0 / 29.011_491_975_882_016).abs() < 1e-9, "{s}");
    }
}
