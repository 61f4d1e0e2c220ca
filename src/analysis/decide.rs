//! The three analyses a board pack's executive summary quotes, run together on one run's
//! futures: the attribution of the headline difference among lever groups (on at most
//! `ATTRIBUTION_PATHS` of the run's futures, the first ones, which are the same futures in
//! any run, and scaled to the run's mean difference), discovery of where the challenger
//! wins, and the value of information.
//!
//! Must not do I/O, read the clock or write sentences: `report::findings` words them.

use super::{attribute, discover, read_futures, value_of_information};
use super::{Attribution, Discovery, Futures, Goal, Voi};
use crate::engine::RunResult;
use crate::model::Scenario;

/// The most futures the pack's attribution runs its 2^g hybrids on.
pub const ATTRIBUTION_PATHS: u64 = 2_000;

/// What the executive summary is built from; each part is `None` where it does not
/// apply (no headline pair, a pair that differs in no lever, no uncertain input).
#[derive(Debug, Default)]
pub struct Decision {
    pub attribution: Option<Attribution>,
    pub discovery: Option<Discovery>,
    pub voi: Option<Voi>,
    /// The headline pair `(challenger, incumbent)` as indices of `sc.strategies`.
    pub pair: Option<(usize, usize)>,
    /// The run's per-path inputs and results the discovery and value of information read.
    pub futures: Option<Futures>,
}

/// Runs the three analyses for `sc`'s headline pair on the run `r` (the run of `sc`).
pub fn decide(sc: &Scenario, r: &RunResult) -> Decision {
    let Some(pair) = sc.headline() else {
        return Decision::default();
    };
    let mut small = sc.clone();
    small.run.paths = sc.run.paths.min(ATTRIBUTION_PATHS);
    let attribution = attribute(&small, pair.0, pair.1, &|_| {})
        .ok()
        .map(|a| a.scaled_to_run(r, pair));
    let futures = read_futures(sc, r, |_| true);
    let discovery = discover(&futures, pair, Goal::Wins).ok();
    let voi = (!futures.keys.is_empty()).then(|| value_of_information(&futures));
    Decision {
        attribution,
        discovery,
        voi,
        pair: Some(pair),
        futures: Some(futures),
    }
}
