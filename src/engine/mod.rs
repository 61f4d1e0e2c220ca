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
use crate::stats::series::{block_moments, Histograms, Moments, SeriesStats, EXACT_UP_TO};
use rayon::prelude::*;

/// Paths per unit of parallel work, and per block of monthly moments.
const CHUNK: usize = 512;

/// Everything a run produced: per-path results over the horizon, and the monthly series
/// reduced to statistics (every path's series is not kept; see `stats::series`).
#[derive(Clone, Debug)]
pub struct RunResult {
    pub n_paths: usize,
    pub horizon: usize,
    pub names: Vec<String>,
    /// Index of the first path, so a result of paths `k..k+n` knows where it starts.
    pub first_path: u64,
    /// `[path][strategy][FINAL_METRICS]`.
    pub finals: Vec<f64>,
    /// Monthly series, indexed `[strategy][month][MONTHLY_METRICS]`.
    pub series: SeriesStats,
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

    /// Index of a monthly series (month from 0).
    pub fn series_index(&self, strategy: usize, month: usize, metric: usize) -> usize {
        (strategy * self.horizon + month) * MONTHLY_METRICS.len() + metric
    }

    /// One monthly value of one of the first `stats::series::EXACT_UP_TO` paths, the
    /// only ones whose series are kept.
    pub fn monthly_value(&self, path: usize, strategy: usize, month: usize, metric: usize) -> f64 {
        self.series.pilot[path * self.series.n_series + self.series_index(strategy, month, metric)]
    }
}

/// What a run is expected to need, from its size alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Peak memory of the engine and statistics, in bytes.
    pub bytes: f64,
    /// Wall time of the engine on `threads` threads at 2 million path-month-strategies a
    /// second per thread (measured on the reference machine; see the README).
    pub seconds: f64,
}

/// Estimates the memory and time a run of `sc` needs on `threads` threads: per-path
/// results (8 bytes for each of 23 per strategy), the kept series of the first 4,096
/// paths, a set of monthly histograms per worker job and one of moments per chunk.
pub fn estimate(sc: &Scenario, threads: usize) -> Estimate {
    let n = sc.run.paths as f64;
    let s = sc.strategies.len() as f64;
    let series = s * sc.run.horizon as f64 * MONTHLY_METRICS.len() as f64;
    let finals = n * s * FINAL_METRICS.len() as f64 * 8.0;
    let pilot = n.min(EXACT_UP_TO as f64) * series * 8.0;
    // Histograms exist only above the exact limit: one set per worker job (at most four per
    // thread, never more than the chunks there are) and two more for merging.
    let sets = if n <= EXACT_UP_TO as f64 {
        0.0
    } else {
        ((n - EXACT_UP_TO as f64) / CHUNK as f64)
            .ceil()
            .min(4.0 * threads as f64)
            + 2.0
    };
    let histograms = sets * series * (crate::stats::series::BINS as f64 + 2.0) * 12.0;
    let moments = (n / CHUNK as f64).ceil() * series * 24.0;
    let columns = 2.0 * n * 8.0 * s;
    let bytes = finals + pilot + histograms + moments + columns;
    let seconds = n * s * sc.run.horizon as f64 / (2.0e6 * threads.max(1) as f64);
    Estimate { bytes, seconds }
}

/// Runs the scenario's paths `0..run.paths` with its seed.
pub fn run(sc: &Scenario) -> RunResult {
    run_range(sc, 0, sc.run.paths)
}

/// Per-thread memory reused across chunks of paths.
struct Work {
    scratch: path::Scratch,
    levers: Levers,
    buf: Vec<f64>,
}

/// Runs paths `first..first + n` with the scenario's seed. Path k gives the same numbers
/// in any range that contains it.
pub fn run_range(sc: &Scenario, first: u64, n: u64) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let row_f = n_s * FINAL_METRICS.len();
    let row_m = n_s * h * MONTHLY_METRICS.len();
    let n = n as usize;
    let n_pilot = n.min(EXACT_UP_TO);
    let mut finals = vec![0.0; n * row_f];
    let mut shock_month = vec![f64::NAN; n];
    let mut pilot = vec![0.0; n_pilot * row_m];
    let new_work = || Work {
        scratch: path::Scratch::default(),
        levers: Levers::default(),
        buf: vec![0.0; CHUNK * row_m],
    };
    let (finals_pilot, finals_rest) = finals.split_at_mut(n_pilot * row_f);
    let (shock_pilot, shock_rest) = shock_month.split_at_mut(n_pilot);

    // The first paths keep their series: exact quantiles for small runs, histogram
    // edges for large ones.
    finals_pilot
        .par_chunks_mut(CHUNK * row_f)
        .zip(pilot.par_chunks_mut(CHUNK * row_m))
        .zip(shock_pilot.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each_init(new_work, |w, (chunk, ((fc, mc), shock))| {
            let start = first + (chunk * CHUNK) as u64;
            simulate_chunk(sc, start, w, fc, mc, shock);
        });
    let mut moments: Vec<(usize, Vec<Moments>)> = pilot
        .par_chunks(CHUNK * row_m)
        .map(|b| block_moments(b, row_m))
        .enumerate()
        .collect();

    let mut histograms = None;
    if n > n_pilot {
        let edges = Histograms::from_pilot(&pilot, row_m);
        let first_rest = n_pilot / CHUNK;
        let (mut hist, mut rest_moments) = finals_rest
            .par_chunks_mut(CHUNK * row_f)
            .zip(shock_rest.par_chunks_mut(CHUNK))
            .enumerate()
            // Few, large jobs: each holds a full set of histograms. Exact integer counts
            // make the result the same however the jobs fall.
            .with_min_len(
                (n - n_pilot)
                    .div_ceil(CHUNK)
                    .div_ceil(4 * rayon::current_num_threads())
                    .max(1),
            )
            .fold(
                || (new_work(), edges.empty_like(), Vec::new()),
                |(mut w, mut hist, mut ms), (i, (fc, shock))| {
                    let chunk = first_rest + i;
                    let start = first + (chunk * CHUNK) as u64;
                    let mut buf = std::mem::take(&mut w.buf);
                    let rows = &mut buf[..shock.len() * row_m];
                    simulate_chunk(sc, start, &mut w, fc, rows, shock);
                    hist.add_rows(rows);
                    ms.push((chunk, block_moments(rows, row_m)));
                    w.buf = buf;
                    (w, hist, ms)
                },
            )
            .map(|(_, hist, ms)| (hist, ms))
            .reduce(
                || (edges.empty_like(), Vec::new()),
                |(mut ha, mut ma), (hb, mb)| {
                    ha.merge(&hb);
                    ma.extend(mb);
                    (ha, ma)
                },
            );
        hist.add_rows(&pilot);
        moments.append(&mut rest_moments);
        histograms = Some(hist);
    }
    // Combine moments in chunk order, so sums do not depend on threads.
    moments.sort_by_key(|(chunk, _)| *chunk);
    let mut total = vec![Moments::default(); row_m];
    for (_, m) in &moments {
        for (t, x) in total.iter_mut().zip(m) {
            t.merge(x);
        }
    }
    RunResult {
        n_paths: n,
        horizon: h,
        names: sc.strategies.iter().map(|s| s.name.clone()).collect(),
        first_path: first,
        finals,
        series: SeriesStats {
            n_series: row_m,
            moments: total,
            pilot,
            histograms,
        },
        shock_month,
    }
}

/// Simulates consecutive paths from `start`, one per entry of `shock`.
fn simulate_chunk(
    sc: &Scenario,
    start: u64,
    w: &mut Work,
    finals: &mut [f64],
    monthly: &mut [f64],
    shock: &mut [f64],
) {
    let row_f = finals.len() / shock.len().max(1);
    let row_m = monthly.len() / shock.len().max(1);
    for (i, out) in shock.iter_mut().enumerate() {
        let mode = Mode::MonteCarlo {
            seed: sc.run.seed,
            path: start + i as u64,
        };
        *out = simulate_path(
            sc,
            &mode,
            &mut w.scratch,
            &mut w.levers,
            &mut finals[i * row_f..(i + 1) * row_f],
            &mut monthly[i * row_m..(i + 1) * row_m],
        );
    }
}

/// Point mode: one path with parameters at their point values and every draw at its
/// expectation, "what the spreadsheet says".
pub fn run_point(sc: &Scenario) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let row_m = n_s * h * MONTHLY_METRICS.len();
    let mut finals = vec![0.0; n_s * FINAL_METRICS.len()];
    let mut monthly = vec![0.0; row_m];
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
        series: SeriesStats {
            n_series: row_m,
            moments: block_moments(&monthly, row_m),
            pilot: monthly,
            histograms: None,
        },
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
