//! The engine: draws each path's world, runs every strategy on it, and keeps the results
//! in indexed buffers.
//!
//! The engine does no I/O, never reads the clock and holds no global state. Parallelism
//! is rayon's, over fixed chunks of paths; every path writes only its own rows, so the
//! result does not depend on the number of threads. Only `engine::rng` makes generators.

pub mod draw;
pub mod path;
pub mod rng;
pub mod world;

pub use path::{fm, mm, Levers, FINAL_METRICS, MONTHLY_METRICS};
pub use world::{Mode, PathWorld};

use crate::model::Scenario;
use rayon::prelude::*;

/// Paths per unit of parallel work.
const CHUNK: usize = 64;

/// Everything a run produced, path by path.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    pub n_paths: usize,
    pub horizon: usize,
    pub names: Vec<String>,
    /// Index of the first path, so a result of paths `k..k+n` knows where it starts.
    pub first_path: u64,
    /// `[path][strategy][FINAL_METRICS]`.
    pub finals: Vec<f64>,
    /// `[path][strategy][month][MONTHLY_METRICS]`.
    pub monthly: Vec<f64>,
    /// Month the subsidy ended on each path, NaN where it did not within the horizon.
    pub shock_month: Vec<f64>,
}

impl RunResult {
    pub fn n_strategies(&self) -> usize {
        self.names.len()
    }

    /// One per-path result.
    pub fn final_value(&self, path: usize, strategy: usize, metric: usize) -> f64 {
        self.finals[(path * self.n_strategies() + strategy) * FINAL_METRICS.len() + metric]
    }

    /// A per-path result across every path, in path order.
    pub fn column(&self, strategy: usize, metric: usize) -> Vec<f64> {
        (0..self.n_paths)
            .map(|p| self.final_value(p, strategy, metric))
            .collect()
    }

    /// One monthly value.
    pub fn monthly_value(&self, path: usize, strategy: usize, month: usize, metric: usize) -> f64 {
        let n_m = MONTHLY_METRICS.len();
        self.monthly
            [((path * self.n_strategies() + strategy) * self.horizon + month) * n_m + metric]
    }

    /// A monthly value (month index from 0) across every path, in path order.
    pub fn monthly_column(&self, strategy: usize, month: usize, metric: usize) -> Vec<f64> {
        (0..self.n_paths)
            .map(|p| self.monthly_value(p, strategy, month, metric))
            .collect()
    }
}

/// Runs the scenario's paths `0..run.paths` with its seed.
pub fn run(sc: &Scenario) -> RunResult {
    run_range(sc, 0, sc.run.paths)
}

/// Runs paths `first..first + n` with the scenario's seed. Path k gives the same numbers
/// in any range that contains it.
pub fn run_range(sc: &Scenario, first: u64, n: u64) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let row_f = n_s * FINAL_METRICS.len();
    let row_m = n_s * h * MONTHLY_METRICS.len();
    let n = n as usize;
    let mut finals = vec![0.0; n * row_f];
    let mut monthly = vec![0.0; n * row_m];
    let mut shock_month = vec![f64::NAN; n];
    finals
        .par_chunks_mut(CHUNK * row_f)
        .zip(monthly.par_chunks_mut(CHUNK * row_m))
        .zip(shock_month.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each_init(
            || (path::Scratch::default(), Levers::default()),
            |(scratch, levers), (chunk, ((fc, mc), sc_out))| {
                for i in 0..sc_out.len() {
                    let path = first + (chunk * CHUNK + i) as u64;
                    let mode = Mode::MonteCarlo {
                        seed: sc.run.seed,
                        path,
                    };
                    let f = &mut fc[i * row_f..(i + 1) * row_f];
                    let m = &mut mc[i * row_m..(i + 1) * row_m];
                    sc_out[i] = simulate_path(sc, &mode, scratch, levers, f, m);
                }
            },
        );
    RunResult {
        n_paths: n,
        horizon: h,
        names: sc.strategies.iter().map(|s| s.name.clone()).collect(),
        first_path: first,
        finals,
        monthly,
        shock_month,
    }
}

/// Point mode: one path with parameters at their point values and every draw at its
/// expectation, "what the spreadsheet says".
pub fn run_point(sc: &Scenario) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let mut finals = vec![0.0; n_s * FINAL_METRICS.len()];
    let mut monthly = vec![0.0; n_s * h * MONTHLY_METRICS.len()];
    let shock = simulate_path(
        sc,
        &Mode::Point,
        &mut path::Scratch::default(),
        &mut Levers::default(),
        &mut finals,
        &mut monthly,
    );
    RunResult {
        n_paths: 1,
        horizon: h,
        names: sc.strategies.iter().map(|s| s.name.clone()).collect(),
        first_path: 0,
        finals,
        monthly,
        shock_month: vec![shock],
    }
}

/// Draws one world and runs every strategy on it. Returns the shock month or NaN.
fn simulate_path(
    sc: &Scenario,
    mode: &Mode,
    scratch: &mut path::Scratch,
    levers: &mut Levers,
    finals: &mut [f64],
    monthly: &mut [f64],
) -> f64 {
    let world = PathWorld::draw(sc, *mode);
    let n_f = FINAL_METRICS.len();
    let n_m = sc.run.horizon as usize * MONTHLY_METRICS.len();
    for (s, strategy) in sc.strategies.iter().enumerate() {
        levers.fill(strategy, mode);
        path::simulate(
            &world,
            strategy,
            levers,
            mode,
            scratch,
            &mut finals[s * n_f..(s + 1) * n_f],
            &mut monthly[s * n_m..(s + 1) * n_m],
        );
    }
    world.shock_month.map(|m| m as f64).unwrap_or(f64::NAN)
}
