//! Break-even: the value of one parameter at which the headline pair is even (a P(win)
//! or a median NPV difference), found by bisection on the same seed, with the interval
//! the Monte Carlo error leaves; the search's default range and its `--range`.
//!
//! It must not read files, read the clock or print; progress goes to the caller's
//! callback.

use super::overrides::{scenario_with, set_text};
use crate::engine;
use crate::model::params;
use crate::model::Scenario;
use crate::scenario::{self, Overrides, ScenarioError};
use crate::stats::Summaries;

/// Paths of each run of a search unless the command line gives them: every probe is a
/// full run.
pub const PROBE_PATHS: u64 = 2000;

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
    /// A search, once its tolerance is checked: a share of the range between 0 and 1.
    pub fn new(
        key: String,
        target: Target,
        range: (f64, f64),
        tolerance: f64,
    ) -> Result<Search, String> {
        if !(tolerance > 0.0 && tolerance < 1.0) {
            return Err(format!(
                "--tolerance must be between 0 and 1, got {tolerance}"
            ));
        }
        Ok(Search {
            key,
            target,
            range,
            tolerance,
        })
    }

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

/// Parses `--range LO:HI`: two finite numbers, LO below HI.
pub fn parse_range(arg: &str) -> Result<(f64, f64), String> {
    let parts: Vec<Option<f64>> = arg.split(':').map(|x| x.trim().parse().ok()).collect();
    match parts[..] {
        [Some(lo), Some(hi)] if lo.is_finite() && hi.is_finite() && lo < hi => Ok((lo, hi)),
        _ => Err(format!("--range takes LO:HI with LO < HI, got `{arg}`")),
    }
}

/// The range a break-even searches by default: the parameter's bounded distribution in
/// the scenario, else its valid range when that is finite and not absurdly wide.
pub fn default_range(sc: &Scenario, key: &str) -> Result<(f64, f64), String> {
    let found = sc
        .params()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| p.clone());
    if let Some(p) = &found {
        let (lo, hi) = p.dist.support();
        if lo.is_finite() && hi.is_finite() && lo < hi {
            return Ok((lo, hi));
        }
    }
    match params::spec(key) {
        Some(s) if s.min.is_finite() && s.max.is_finite() && s.max - s.min <= 1000.0 => {
            Ok((s.min, s.max))
        }
        Some(_) => Err(format!(
            "--param {key}: give the range to search with --range LO:HI"
        )),
        None => Err(format!(
            "--param {key}: not a numeric scenario key{}; `tokensim params` lists them",
            scenario::suggest_key(key)
                .map(|s| scenario::did_you_mean(&s))
                .unwrap_or_default()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Scenario {
        let sc = scenario::parse(text, "t.toml", &Overrides::default());
        sc.unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_range_is_two_finite_numbers_in_order() {
        assert_eq!(parse_range("0.5:2"), Ok((0.5, 2.0)));
        assert_eq!(parse_range(" -1 : 1 "), Ok((-1.0, 1.0)));
        for bad in ["2:1", "1:1", "1", "1:2:3", "a:2", "1:inf", "NaN:1", ""] {
            assert_eq!(
                parse_range(bad),
                Err(format!("--range takes LO:HI with LO < HI, got `{bad}`")),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_default_range_is_a_bounded_distribution_of_the_scenario() {
        let sc = parsed("[org]\nvalue_multiple = { pert = [1.2, 1.5, 2.5] }\n[strategies.a]\n");
        assert_eq!(default_range(&sc, "org.value_multiple"), Ok((1.2, 2.5)));
    }

    #[test]
    fn without_a_bounded_distribution_the_default_range_is_the_registry_range() {
        let sc = parsed("[org]\nvalue_multiple = 2\n[strategies.a]\n");
        assert_eq!(default_range(&sc, "org.value_multiple"), Ok((0.0, 1000.0)));
        // [0, 1e7] is too wide to search without being told.
        assert_eq!(
            default_range(&sc, "org.engineers"),
            Err("--param org.engineers: give the range to search with --range LO:HI".into())
        );
    }

    #[test]
    fn an_unknown_key_has_no_default_range_and_gets_a_suggestion() {
        let sc = parsed("[strategies.a]\n");
        assert_eq!(
            default_range(&sc, "org.enginers"),
            Err("--param org.enginers: not a numeric scenario key (did you mean `org.engineers`?); `tokensim params` lists them".into())
        );
    }

    #[test]
    fn a_search_needs_a_tolerance_between_0_and_1() {
        let new = |t: f64| Search::new("k".into(), Target::PWin(0.5), (0.0, 1.0), t);
        assert_eq!(new(0.001).map(|s| s.tolerance), Ok(0.001));
        for bad in [0.0, 1.0, -0.1, f64::NAN] {
            assert_eq!(
                new(bad),
                Err(format!("--tolerance must be between 0 and 1, got {bad}"))
            );
        }
    }

    #[test]
    fn a_search_runs_both_ends_then_three_bisections() {
        let s = Search::new("k".into(), Target::PWin(0.5), (0.0, 1.0), 0.1).unwrap();
        // 1 -> 0.5 -> 0.25 -> 0.125 -> 0.0625: four halvings bring it within 0.1.
        assert_eq!(s.runs_at_most(), 2 + 3 * 4);
    }
}
