//! Convergence: the rule of `run --target-se`. Runs start at `START_PATHS` (or the paths
//! asked for) and grow until the standard error of the headline P(win) is at most the
//! target or the paths reach their limit; every round is recorded. Each run of n paths
//! is exactly a `--paths n` run, since path k is the same in any run that contains it.
//!
//! It must not read the clock, print or show progress: the caller's `run` callback makes
//! each run, and is where it times it and draws its progress.

use crate::model::Scenario;
use crate::stats::Summaries;

/// Paths of the first run unless the command line gives them, and the multiple that
/// later runs are rounded up to.
pub const START_PATHS: u64 = 1000;

/// What `run --target-se` asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Convergence {
    /// The standard error the headline P(win) must reach.
    pub target_se: f64,
    /// The most paths a run may take.
    pub max_paths: u64,
    /// Paths of the first run, if the command line gives them.
    pub paths: Option<u64>,
}

/// One run of a convergence: its paths and the standard error it reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Round {
    pub paths: u64,
    pub se: f64,
}

impl Convergence {
    /// The rule for a target standard error, which must be between 0 and 0.5 (the
    /// largest a share's can be).
    pub fn new(target_se: f64, max_paths: u64, paths: Option<u64>) -> Result<Convergence, String> {
        if !(target_se > 0.0 && target_se < 0.5) {
            return Err(format!(
                "--target-se must be between 0 and 0.5, got {target_se}"
            ));
        }
        Ok(Convergence {
            target_se,
            max_paths,
            paths,
        })
    }

    /// Paths of the first run: those asked for, else `START_PATHS`, never above the most.
    pub fn start_paths(&self) -> u64 {
        self.paths.unwrap_or(START_PATHS).min(self.max_paths)
    }

    /// Whether the last of `rounds` reached the target (not, if there are none).
    pub fn reached(&self, rounds: &[Round]) -> bool {
        rounds.last().map(|r| r.se).unwrap_or(f64::NAN) <= self.target_se
    }
}

/// Runs `sc` by the rule: `run` makes and summarizes one run of the scenario it is given
/// (at that scenario's paths); after each, the standard error decides the next run's
/// paths (`next_paths`) or the end. Leaves `sc.run.paths` at the last run's paths and
/// returns that run, its summaries and every round.
pub fn converge<R>(
    sc: &mut Scenario,
    rule: &Convergence,
    mut run: impl FnMut(&Scenario) -> (R, Summaries),
) -> (R, Summaries, Vec<Round>) {
    let mut rounds = Vec::new();
    sc.run.paths = rule.start_paths();
    loop {
        let (result, summaries) = run(sc);
        let se = convergence_se(&summaries);
        rounds.push(Round {
            paths: sc.run.paths,
            se,
        });
        match next_paths(
            sc.run.paths,
            se,
            rule.target_se,
            START_PATHS,
            rule.max_paths,
        ) {
            Some(n) => sc.run.paths = n,
            None => return (result, summaries, rounds),
        }
    }
}

/// The convergence rule of `run --target-se`: while the standard error of the headline
/// P(win) is above `target_se`, grow from `n` paths to the paths the binomial standard
/// error needs, `n * (se / target)^2`, rounded up to a multiple of `step` and at least
/// doubled, never above `max_paths`. `converge` passes `START_PATHS` (1,000) as the step,
/// whatever the first run's paths.
pub fn next_paths(n: u64, se: f64, target_se: f64, step: u64, max_paths: u64) -> Option<u64> {
    if se.is_nan() || se <= target_se || n >= max_paths {
        return None;
    }
    let need = (n as f64 * (se / target_se).powi(2)).ceil() as u64;
    let step = step.max(1);
    let next = need.div_ceil(step) * step;
    Some(next.max(2 * n).min(max_paths))
}

/// The standard error convergence watches: of the headline P(win), or without a pair of
/// the chance that the first strategy is best.
pub fn convergence_se(s: &Summaries) -> f64 {
    let p = match s.headline_pair() {
        Some(p) => p.a_beats_b.p,
        None => s.strategies[0].p_best.p,
    };
    estimate_se(p, s.n_paths as f64)
}

/// The binomial standard error of a share `p` of `n` paths, with (wins + 1) / (n + 2)
/// in place of the share, so a first run in which one side never wins does not read as
/// a standard error of zero.
fn estimate_se(p: f64, n: f64) -> f64 {
    let adjusted = (p * n + 1.0) / (n + 2.0);
    (adjusted * (1.0 - adjusted) / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::scenario::{self, Overrides};

    /// A small scenario whose pair differs by a seat price only: cheap to run.
    fn pair(headline: bool) -> Scenario {
        let mut text = String::from("[run]\nhorizon = 6\n");
        if headline {
            text.push_str("headline = [\"a\", \"b\"]\n");
        }
        text.push_str("[org]\nengineers = 20\n[strategies.a.assist]\nkind = \"flat\"\n");
        text.push_str("seat_price = { uniform = [50, 150] }\n");
        text.push_str("[strategies.b.assist]\nkind = \"flat\"\nseat_price = 100\n");
        scenario::parse(&text, "t.toml", &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn summarize(sc: &Scenario) -> ((), Summaries) {
        ((), engine::run(sc).summarize(sc.headline()))
    }

    #[test]
    fn convergence_grows_to_what_the_error_needs() {
        assert_eq!(next_paths(1000, 0.004, 0.002, 1000, 1_000_000), Some(4000));
        assert_eq!(next_paths(1000, 0.0021, 0.002, 1000, 1_000_000), Some(2000));
        assert_eq!(next_paths(4000, 0.0019, 0.002, 1000, 1_000_000), None);
        assert_eq!(next_paths(1000, 0.01, 0.001, 1000, 5000), Some(5000));
        assert_eq!(next_paths(1000, f64::NAN, 0.001, 1000, 5000), None);
    }

    #[test]
    fn the_standard_error_adds_a_win_and_a_loss() {
        // (wins + 1) / (n + 2): a run with no wins still has an error.
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b;
        let none = estimate_se(0.0, 1000.0);
        let expected = ((1.0 / 1002.0) * (1001.0 / 1002.0) / 1000.0f64).sqrt();
        assert!(close(none, expected), "{none} {expected}");
        assert!(close(estimate_se(1.0, 1000.0), expected));
        // Three wins in ten count as four in twelve.
        assert!(close(
            estimate_se(0.3, 10.0),
            (1.0f64 / 3.0 * 2.0 / 3.0 / 10.0).sqrt()
        ));
        // At one half the adjustment changes nothing: sqrt(0.25 / 100).
        assert_eq!(estimate_se(0.5, 100.0), 0.05);
    }

    #[test]
    fn the_standard_error_is_of_the_headline_p_win_else_of_the_first_p_best() {
        let mut sc = pair(true);
        sc.run.paths = 300;
        let (_, s) = summarize(&sc);
        let p = s.headline_pair().unwrap().a_beats_b.p;
        assert!(p > 0.0 && p < 1.0);
        assert_eq!(convergence_se(&s), estimate_se(p, 300.0));

        let mut sc = pair(false);
        sc.run.paths = 300;
        let (_, s) = summarize(&sc);
        assert!(s.headline_pair().is_none());
        let p = s.strategies[0].p_best.p;
        assert_eq!(convergence_se(&s), estimate_se(p, 300.0));
    }

    #[test]
    fn a_target_is_a_standard_error_between_0_and_half() {
        assert!(Convergence::new(0.01, 1000, None).is_ok());
        for bad in [0.0, 0.5, -0.1, f64::NAN] {
            assert_eq!(
                Convergence::new(bad, 1000, None),
                Err(format!("--target-se must be between 0 and 0.5, got {bad}"))
            );
        }
    }

    #[test]
    fn runs_start_at_the_paths_asked_for_else_1000_and_never_above_the_most() {
        let rule = |max, paths| Convergence::new(0.01, max, paths).unwrap();
        assert_eq!(rule(1_000_000, None).start_paths(), 1000);
        assert_eq!(rule(1_000_000, Some(300)).start_paths(), 300);
        assert_eq!(rule(500, None).start_paths(), 500);
        assert_eq!(rule(500, Some(800)).start_paths(), 500);
    }

    #[test]
    fn the_target_is_reached_when_the_last_round_is_within_it() {
        let rule = Convergence::new(0.01, 1000, None).unwrap();
        let round = |se| Round { paths: 1000, se };
        assert!(!rule.reached(&[]));
        assert!(rule.reached(&[round(0.02), round(0.01)]));
        assert!(!rule.reached(&[round(0.005), round(0.011)]));
    }

    #[test]
    fn rounds_follow_the_rule_until_the_target() {
        let mut sc = pair(true);
        let rule = Convergence::new(0.01, 1_000_000, None).unwrap();
        let mut runs = 0;
        let (_, s, rounds) = converge(&mut sc, &rule, |sc| {
            runs += 1;
            summarize(sc)
        });
        assert_eq!(runs, rounds.len());
        assert!(rounds.len() >= 2, "{rounds:?}");
        assert_eq!(rounds[0].paths, 1000);
        for w in rounds.windows(2) {
            assert_eq!(
                Some(w[1].paths),
                next_paths(w[0].paths, w[0].se, 0.01, 1000, 1_000_000)
            );
            assert!(w[0].se > 0.01);
        }
        let last = rounds.last().unwrap();
        assert!(rule.reached(&rounds));
        assert_eq!(sc.run.paths, last.paths);
        assert_eq!(s.n_paths as u64, last.paths);
        assert_eq!(convergence_se(&s), last.se);
    }

    #[test]
    fn rounds_stop_at_the_most_paths_without_reaching_the_target() {
        let mut sc = pair(true);
        let rule = Convergence::new(0.001, 2500, None).unwrap();
        let (_, _, rounds) = converge(&mut sc, &rule, summarize);
        let paths: Vec<u64> = rounds.iter().map(|r| r.paths).collect();
        assert_eq!(paths, vec![1000, 2500]);
        assert!(!rule.reached(&rounds));
    }
}
