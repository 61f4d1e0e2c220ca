//! One run's futures as the decision analyses read them: per path, every uncertain
//! input's draw (by scenario key, from `engine::inputs`) and every strategy's NPV (from
//! the run's per-path results). Scenario discovery and value of information both work on
//! this one table, so they see the same futures the run simulated (common random
//! numbers).
//!
//! No I/O, no clock: draws are recomputed from their streams, in parallel over inputs,
//! each input's column in path order, so the table is the same on any number of threads.

use crate::engine::{inputs, RunResult};
use crate::metrics::Metric;
use crate::model::Scenario;
use rayon::prelude::*;

/// Per-path inputs and results of one run.
#[derive(Clone, Debug)]
pub struct Futures {
    /// Scenario keys of the uncertain inputs, distinct draws only (`inputs::distinct`).
    pub keys: Vec<String>,
    /// `[input][path]`: the value each input took on each path.
    pub draws: Vec<Vec<f64>>,
    /// Strategy names, in the scenario's order.
    pub names: Vec<String>,
    /// `[strategy][path]`: each strategy's NPV on each path.
    pub npv: Vec<Vec<f64>>,
}

impl Futures {
    pub fn n_paths(&self) -> usize {
        self.npv.first().map_or(0, Vec::len)
    }

    /// The index of an input by its scenario key.
    pub fn input(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }
}

/// Reads `r` (a run of `sc` from path 0) with every distinct uncertain input of `sc` that
/// `keep` accepts (by key).
pub fn read_futures(sc: &Scenario, r: &RunResult, keep: impl Fn(&str) -> bool) -> Futures {
    let chosen = inputs::distinct(
        inputs::uncertain_inputs(sc)
            .into_iter()
            .filter(|(key, _)| keep(key))
            .collect(),
    );
    let first = r.first_path;
    let draws: Vec<Vec<f64>> = chosen
        .par_iter()
        .map(|(_, p)| {
            (0..r.n_paths as u64)
                .map(|k| inputs::draw_input(sc, p, first + k))
                .collect()
        })
        .collect();
    Futures {
        keys: chosen.into_iter().map(|(k, _)| k).collect(),
        draws,
        names: r.names.clone(),
        npv: (0..r.n_strategies())
            .map(|s| r.column(s, Metric::Npv))
            .collect(),
    }
}

/// Whether a key is an input of the pair `names` (the world, the organisation, or a lever
/// of one of them): another strategy's lever cannot move the pair's difference.
pub fn of_pair(key: &str, names: &[&str]) -> bool {
    match key.strip_prefix("strategies.") {
        Some(rest) => names.iter().any(|n| rest.starts_with(&format!("{n}."))),
        None => true,
    }
}
