//! One run's futures path by path: every uncertain input's draw on each path (through
//! `engine::inputs`, so the values are exactly those the engine simulated), the month the
//! subsidy ended, and each strategy's per-path results. `paths.csv` is written from this,
//! and analyses that condition on inputs read it.
//!
//! Pure: no I/O, no clock, no printing.

use crate::engine::{inputs, RunResult};
use crate::metrics::Metric;
use crate::model::Scenario;
use rayon::prelude::*;

/// A strategy's per-path results that `paths.csv` carries, in column order: NPV, total
/// cost and its parts, output, incidents, knowledge at the end, whether the rehire rule
/// fired.
pub const PATH_METRICS: [Metric; 14] = [
    Metric::Npv,
    Metric::TotalCost,
    Metric::Payroll,
    Metric::Severance,
    Metric::Hiring,
    Metric::Tokens,
    Metric::Seats,
    Metric::IncidentCost,
    Metric::Loops,
    Metric::Output,
    Metric::Incidents,
    Metric::Destructive,
    Metric::KnowledgeEnd,
    Metric::RehireFired,
];

/// One uncertain input: its scenario key and its draw on each path of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct InputDraws {
    pub key: String,
    pub values: Vec<f64>,
}

/// A run's futures path by path.
#[derive(Clone, Debug)]
pub struct Paths<'a> {
    pub run: &'a RunResult,
    /// The scenario's uncertain inputs, in the order of `Scenario::params`; a lever two
    /// strategies draw from one stream with one distribution appears once, under the
    /// first key (`engine::inputs::distinct`).
    pub inputs: Vec<InputDraws>,
}

impl<'a> Paths<'a> {
    /// The futures of `run`, a run of `sc` (any range of paths).
    pub fn of(sc: &Scenario, run: &'a RunResult) -> Paths<'a> {
        Paths {
            run,
            inputs: input_draws(sc, run.first_path, run.n_paths),
        }
    }

    /// How many paths.
    pub fn len(&self) -> usize {
        self.run.n_paths
    }

    pub fn is_empty(&self) -> bool {
        self.run.n_paths == 0
    }

    /// The index of the `i`-th path in the scenario's run (its stream number).
    pub fn index(&self, i: usize) -> u64 {
        self.run.first_path + i as u64
    }

    /// The month the subsidy ended on the `i`-th path, NaN where it did not within the
    /// horizon.
    pub fn subsidy_end(&self, i: usize) -> f64 {
        self.run.shock_month[i]
    }

    /// One strategy's result on the `i`-th path.
    pub fn result(&self, i: usize, strategy: usize, metric: Metric) -> f64 {
        self.run.final_value(i, strategy, metric)
    }

    /// The draws of the input whose key is `key`, if it is uncertain.
    pub fn input(&self, key: &str) -> Option<&InputDraws> {
        self.inputs.iter().find(|d| d.key == key)
    }
}

/// Every uncertain input of `sc` (distinct draws only) with its value on paths
/// `first..first + n`, computed in parallel and gathered in path order.
pub fn input_draws(sc: &Scenario, first: u64, n: usize) -> Vec<InputDraws> {
    inputs::distinct(inputs::uncertain_inputs(sc))
        .into_iter()
        .map(|(key, p)| InputDraws {
            values: (0..n as u64)
                .into_par_iter()
                .map(|k| inputs::draw_input(sc, p, first + k))
                .collect(),
            key,
        })
        .collect()
}

/// Columns of `paths.csv` for `sc`: the path, each uncertain input, the subsidy's end,
/// and `PATH_METRICS` for each strategy.
pub fn columns(sc: &Scenario) -> usize {
    let inputs = inputs::distinct(inputs::uncertain_inputs(sc)).len();
    2 + inputs + sc.strategies.len() * PATH_METRICS.len()
}

/// Bytes `paths.csv` of a run of `sc` takes, at most: every cell at 24 characters (the
/// longest shortest round-trip text of a number), held in memory once as it is written.
pub fn csv_bytes(sc: &Scenario) -> f64 {
    sc.run.paths as f64 * columns(sc) as f64 * 25.0
}
