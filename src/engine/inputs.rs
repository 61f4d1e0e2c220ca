//! The scenario's uncertain inputs and their draws on a path: every parameter that is a
//! distribution, by its scenario key, and the value it takes on path k. This is the one
//! way the rest of the crate learns what a path drew (sensitivity, per-path exports,
//! scenario discovery, value of information), so the analyses see exactly the values
//! the engine simulated.
//!
//! Drawing only: no step of the month, no I/O.

use super::world::Mode;
use crate::model::{Param, Scenario};

/// Every parameter of `sc` that is a distribution, with its key path, in the order of
/// `Scenario::params` (world first, then each strategy's levers). A lever two strategies
/// share is drawn from one stream (`distinct` keeps the first of each).
pub fn uncertain_inputs(sc: &Scenario) -> Vec<(String, &Param)> {
    sc.params()
        .into_iter()
        .filter(|(_, p)| !p.dist.is_fixed())
        .collect()
}

/// `inputs` without the later copies of a draw: parameters drawn from one stream with one
/// distribution (the same lever in two strategies) are one input.
pub fn distinct(inputs: Vec<(String, &Param)>) -> Vec<(String, &Param)> {
    let mut out: Vec<(String, &Param)> = Vec::with_capacity(inputs.len());
    for (key, p) in inputs {
        if !out
            .iter()
            .any(|(_, q)| q.stream == p.stream && q.dist == p.dist)
        {
            out.push((key, p));
        }
    }
    out
}

/// The value `param` takes on path `path` of `sc`'s run: what the engine simulated there.
pub fn draw_input(sc: &Scenario, param: &Param, path: u64) -> f64 {
    Mode::MonteCarlo {
        seed: sc.run.seed,
        path,
    }
    .value(param)
}
