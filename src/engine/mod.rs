//! The engine: draws each path's world, runs every strategy on it, and keeps the results
//! in indexed buffers.
//!
//! The engine does no I/O, never reads the clock and holds no global state. Parallelism
//! is rayon's, over fixed chunks of paths; every path writes only its own rows, so the
//! result does not depend on the number of threads. Only `engine::rng` makes generators.

mod ces;
mod chance;
mod demand;
pub mod draw;
mod incidents;
pub mod inputs;
mod knowledge;
mod levers;
mod money;
mod production;
pub mod rng;
pub mod schedule;
mod staff;
mod state;
pub mod world;

pub use levers::Levers;
pub use world::{Mode, PathWorld};

use crate::metrics::{Finals, Metric, MetricRow, Series};
use crate::model::Scenario;
use crate::stats::series::{block_moments, Histograms, Moments, SeriesStats, EXACT_UP_TO};
use rayon::prelude::*;
use std::sync::{Mutex, MutexGuard};

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
    /// `[path][strategy][Metric]`, kept compactly.
    pub finals: Finals,
    /// Monthly series, indexed `[strategy][month][Series]`.
    pub series: SeriesStats,
    /// Month the subsidy ended on each path, NaN where it did not within the horizon.
    pub shock_month: Vec<f64>,
    /// Each strategy's number of layoffs (stages), in the order of `names`.
    pub layoffs: Vec<usize>,
}

impl RunResult {
    pub fn n_strategies(&self) -> usize {
        self.names.len()
    }

    /// One per-path result.
    pub fn final_value(&self, path: usize, strategy: usize, metric: Metric) -> f64 {
        self.finals.get(path, strategy, metric)
    }

    /// Every per-path result in the order `[path][strategy][Metric]`.
    pub fn all_finals(&self) -> Vec<f64> {
        let n_s = self.n_strategies();
        (0..self.n_paths * n_s)
            .flat_map(|row| Metric::ALL.map(|m| self.final_value(row / n_s, row % n_s, m)))
            .collect()
    }

    /// A per-path result across every path, in path order.
    pub fn column(&self, strategy: usize, metric: Metric) -> Vec<f64> {
        self.finals.column(strategy, metric)
    }

    /// Index of a monthly series (month from 0).
    pub fn series_index(&self, strategy: usize, month: usize, series: Series) -> usize {
        (strategy * self.horizon + month) * Series::COUNT + series.index()
    }

    /// One monthly value of one of the first `stats::series::EXACT_UP_TO` paths, the
    /// only ones whose series are kept.
    pub fn monthly_value(&self, path: usize, strategy: usize, month: usize, series: Series) -> f64 {
        self.series.pilot[path * self.series.n_series + self.series_index(strategy, month, series)]
    }

    /// Every statistic of the run (`stats::summarize_run`).
    pub fn summarize(&self, headline: Option<(usize, usize)>) -> crate::stats::Summaries {
        crate::stats::summarize_run(
            &self.finals,
            &self.series,
            &self.names,
            &self.layoffs,
            self.horizon,
            headline,
        )
    }
}

/// What a run is expected to need, from its size alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Peak memory of the engine and statistics, in bytes.
    pub bytes: f64,
    /// Wall time of the engine on `threads` threads at 2.9 million path-month-strategies a
    /// second per thread (measured on the reference machine; see the README).
    pub seconds: f64,
}

/// Estimates the memory and time a run of `sc` needs on `threads` threads: per-path
/// results (`Finals::bytes_per_path`), the kept series of the first 4,096 paths, and per
/// worker thread a set of monthly histograms and a block of series.
pub fn estimate(sc: &Scenario, threads: usize) -> Estimate {
    let n = sc.run.paths as f64;
    let s = sc.strategies.len() as f64;
    let threads = threads.max(1) as f64;
    let series = s * sc.run.horizon as f64 * Series::COUNT as f64;
    let finals = n * Finals::bytes_per_path(sc.strategies.len()) as f64;
    let pilot = n.min(EXACT_UP_TO as f64) * series * 8.0;
    // Above the exact limit: one histogram set (counts, values, a bit per bin) and one
    // block of series per worker thread, and the moments of a batch of blocks.
    let (histograms, blocks) = if n <= EXACT_UP_TO as f64 {
        (0.0, 0.0)
    } else {
        let bins = crate::stats::series::BINS as f64 + 2.0;
        let hist = threads * series * (bins * 12.0 + bins / 8.0);
        let rest = sc.run.paths as usize - EXACT_UP_TO;
        let block = block_paths(rest, series as usize) as f64;
        (
            hist,
            threads * series * (block + 8.0) * 8.0 + BATCH as f64 * series * 24.0,
        )
    };
    // Shock months; statistics: the NPV of every strategy, the best NPV of each path, and
    // two columns per worker at a time.
    let columns = n * 8.0 * (1.0 + s + 1.0 + 2.0 * threads);
    let bytes = finals + pilot + histograms + blocks + columns;
    let seconds = n * s * sc.run.horizon as f64 / (2.9e6 * threads);
    Estimate { bytes, seconds }
}

/// Runs the scenario's paths `0..run.paths` with its seed.
pub fn run(sc: &Scenario) -> RunResult {
    run_range(sc, 0, sc.run.paths)
}

/// `run`, calling `progress(paths)` as each chunk of paths finishes (see
/// `run_range_with`).
pub fn run_with(sc: &Scenario, progress: &(dyn Fn(u64) + Sync)) -> RunResult {
    run_range_with(sc, 0, sc.run.paths, progress)
}

/// Per-thread memory reused across chunks of paths.
struct Work {
    scratch: schedule::Scratch,
    levers: [Levers; schedule::LANES],
    /// A group's results, `[lane][strategy]`, before packing.
    fin: Vec<MetricRow>,
    /// A block's monthly series by series, `[series][block + 8]` (the 8 keep one path's
    /// writes from all falling into the same cache set).
    cols: Vec<f64>,
}

impl Work {
    fn new(n_s: usize) -> Work {
        Work {
            scratch: schedule::Scratch::default(),
            levers: Default::default(),
            fin: vec![MetricRow::default(); schedule::LANES * n_s],
            cols: Vec::new(),
        }
    }
}

/// Most memory a worker's block of monthly series may take (beyond the first
/// `EXACT_UP_TO` paths, whose series are kept): 48 MB, up to 8 chunks of paths.
const COLUMN_BYTES: usize = 48 << 20;

/// Blocks of paths simulated in parallel between two merges of their moments.
const BATCH: usize = 16;

/// Paths per block beyond the first `EXACT_UP_TO`, for `rest` such paths with `series`
/// monthly series each: as many as the memory for their series allows (so that each
/// series' histogram is brought into cache once for many values), and small runs still
/// cut into at least 8 blocks so threads have work to share. It must not depend on the
/// number of threads: moments are merged block by block.
fn block_paths(rest: usize, series: usize) -> usize {
    let eighth = rest.div_ceil(8).div_ceil(CHUNK).max(1);
    (COLUMN_BYTES / (8 * series.max(1)) / CHUNK)
        .clamp(1, 8)
        .min(eighth)
        * CHUNK
}

/// One block's share of the per-path buffers: wide and narrow results, shock months.
type Unit<'a> = ((&'a mut [f64], &'a mut [f32]), &'a mut [f64]);

/// Runs paths `first..first + n` with the scenario's seed. Path k gives the same numbers
/// in any range that contains it.
pub fn run_range(sc: &Scenario, first: u64, n: u64) -> RunResult {
    run_range_with(sc, first, n, &|_| {})
}

/// `run_range`, calling `progress(paths)` after each chunk of paths with the number of
/// paths that chunk finished. The callback may be called from any worker thread.
pub fn run_range_with(
    sc: &Scenario,
    first: u64,
    n: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let (row_w, row_n) = Finals::row_lengths(n_s);
    let row_m = n_s * h * Series::COUNT;
    let n = n as usize;
    let n_pilot = n.min(EXACT_UP_TO);
    let mut results = Finals::zeros(n, n_s);
    let mut shock_month = vec![f64::NAN; n];
    let mut pilot = vec![0.0; n_pilot * row_m];
    let ((wide_pilot, narrow_pilot), (wide_rest, narrow_rest)) = results.split_at_path(n_pilot);
    let (shock_pilot, shock_rest) = shock_month.split_at_mut(n_pilot);

    // One worker's memory per thread for the whole run: a block's series take tens of
    // megabytes, which the system would otherwise map and zero again for every block.
    let works: Vec<Mutex<Work>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(Work::new(n_s)))
        .collect();

    // The first paths keep their series: exact quantiles for small runs, histogram
    // edges for large ones.
    let moments: Vec<(usize, Vec<Moments>)> = wide_pilot
        .par_chunks_mut(CHUNK * row_w)
        .zip(narrow_pilot.par_chunks_mut(CHUNK * row_n))
        .zip(pilot.par_chunks_mut(CHUNK * row_m))
        .zip(shock_pilot.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(chunk, (((wc, nc), mc), shock))| {
            let start = first + (chunk * CHUNK) as u64;
            let rows = Monthly::rows(mc, row_m);
            simulate_range(
                sc,
                start,
                &mut own(&works),
                ((wc, nc), shock),
                rows,
                |_, _| {},
            );
            progress(shock.len() as u64);
            (chunk, block_moments(mc, row_m))
        })
        .collect();

    let mut total = vec![Moments::default(); row_m];
    merge_in_order(&mut total, moments);

    let mut histograms = None;
    if n > n_pilot {
        // One histogram set per worker thread, the first holding the edges. Counts are
        // integers, so the result does not depend on which thread counted which path.
        let first_set = Histograms::from_pilot(&pilot, row_m);
        let mut sets: Vec<Mutex<Histograms>> = (1..rayon::current_num_threads())
            .map(|_| Mutex::new(first_set.empty_like()))
            .collect();
        sets.insert(0, Mutex::new(first_set));
        pilot
            .par_chunks(CHUNK * row_m)
            .for_each(|rows| own(&sets).add_rows(rows));
        let block = block_paths(n - n_pilot, row_m);
        let stride = block + 8;
        let units: Vec<Unit> = wide_rest
            .chunks_mut(block * row_w)
            .zip(narrow_rest.chunks_mut(block * row_n))
            .zip(shock_rest.chunks_mut(block))
            .collect();
        let mut units = units.into_iter().enumerate().peekable();
        while units.peek().is_some() {
            let batch: Vec<_> = units.by_ref().take(BATCH).collect();
            let batch_moments: Vec<(usize, Vec<Moments>)> = batch
                .into_par_iter()
                .map(|(unit, results)| {
                    let mut w = own(&works);
                    let w = &mut *w;
                    let start = first + (n_pilot + unit * block) as u64;
                    let mut cols = std::mem::take(&mut w.cols);
                    cols.resize(row_m * stride, 0.0);
                    let len = results.1.len();
                    let columns = Monthly::columns(&mut cols, stride);
                    simulate_range(sc, start, w, results, columns, |i, g| {
                        if (i + g) % CHUNK == 0 {
                            progress(CHUNK as u64);
                        }
                    });
                    own(&sets).add_block(&cols, stride, len);
                    let ms = Moments::of_block(&cols, stride, len);
                    w.cols = cols;
                    if len % CHUNK != 0 {
                        progress((len % CHUNK) as u64);
                    }
                    (unit, ms)
                })
                .collect();
            merge_in_order(&mut total, batch_moments);
        }
        let mut sets = sets
            .into_iter()
            .map(|set| set.into_inner().unwrap_or_else(|e| e.into_inner()));
        if let Some(mut hist) = sets.next() {
            for set in sets {
                hist.merge(&set);
            }
            histograms = Some(hist);
        }
    }
    RunResult {
        n_paths: n,
        horizon: h,
        names: sc.strategies.iter().map(|s| s.name.clone()).collect(),
        first_path: first,
        finals: results,
        series: SeriesStats {
            n_series: row_m,
            moments: total,
            pilot,
            histograms,
        },
        shock_month,
        layoffs: sc.strategies.iter().map(|s| s.layoffs.len()).collect(),
    }
}

/// Simulates paths `first..first + shock.len()` a group of `schedule::LANES` at a time: their
/// results packed into their rows of `wide` and `narrow`, their shock months (or NaN) into
/// `shock`, their monthly series into `monthly`, calling `each(i, g)` after the group of
/// `g` paths from the `i`-th.
fn simulate_range(
    sc: &Scenario,
    first: u64,
    w: &mut Work,
    ((wide, narrow), shock): Unit,
    mut monthly: Monthly,
    mut each: impl FnMut(usize, usize),
) {
    let n = shock.len().max(1);
    let (row_w, row_n) = (wide.len() / n, narrow.len() / n);
    let n_f = sc.strategies.len();
    for i in (0..shock.len()).step_by(schedule::LANES) {
        let g = schedule::LANES.min(shock.len() - i);
        let modes: Vec<Mode> = (i..i + g)
            .map(|k| Mode::MonteCarlo {
                seed: sc.run.seed,
                path: first + k as u64,
            })
            .collect();
        simulate_paths(
            sc,
            &modes,
            &mut w.scratch,
            &mut w.levers,
            &mut w.fin,
            monthly.at_path(i),
            &mut shock[i..i + g],
        );
        for (l, fin) in w.fin.chunks_exact(n_f).take(g).enumerate() {
            let k = i + l;
            Finals::pack(
                fin,
                &mut wide[k * row_w..][..row_w],
                &mut narrow[k * row_n..][..row_n],
            );
        }
        each(i, g);
    }
}

/// Where the monthly series of a range of paths go: value `j` of the range's path `k` at
/// `values[k * path + j * series]`.
struct Monthly<'a> {
    values: &'a mut [f64],
    path: usize,
    series: usize,
}

impl<'a> Monthly<'a> {
    /// One row of `row` values per path.
    fn rows(values: &'a mut [f64], row: usize) -> Monthly<'a> {
        Monthly {
            values,
            path: row,
            series: 1,
        }
    }

    /// One column per series, `stride` apart, so a block's series need no turning round
    /// before their statistics.
    fn columns(values: &'a mut [f64], stride: usize) -> Monthly<'a> {
        Monthly {
            values,
            path: 1,
            series: stride,
        }
    }

    /// The same places from the range's path `k` on.
    fn at_path(&mut self, k: usize) -> Monthly<'_> {
        Monthly {
            values: &mut self.values[k * self.path..],
            path: self.path,
            series: self.series,
        }
    }
}

/// Merges per-block moments into `total` in block order, so sums do not depend on
/// threads.
fn merge_in_order(total: &mut [Moments], mut blocks: Vec<(usize, Vec<Moments>)>) {
    blocks.sort_by_key(|(block, _)| *block);
    for (_, m) in &blocks {
        for (t, x) in total.iter_mut().zip(m) {
            t.merge(x);
        }
    }
}

/// This worker thread's own item of a per-thread set (histograms, memory).
fn own<T>(per_thread: &[Mutex<T>]) -> MutexGuard<'_, T> {
    let thread = rayon::current_thread_index().unwrap_or(0) % per_thread.len();
    per_thread[thread].lock().unwrap_or_else(|e| e.into_inner())
}

/// Point mode: one path with parameters at their point values and every draw at its
/// expectation, "what the spreadsheet says".
pub fn run_point(sc: &Scenario) -> RunResult {
    let n_s = sc.strategies.len();
    let h = sc.run.horizon as usize;
    let row_m = n_s * h * Series::COUNT;
    let mut full = vec![MetricRow::default(); n_s];
    let mut monthly = vec![0.0; row_m];
    let mut shock = [f64::NAN];
    simulate_paths(
        sc,
        &[Mode::Point],
        &mut schedule::Scratch::default(),
        &mut Default::default(),
        &mut full,
        Monthly::rows(&mut monthly, row_m),
        &mut shock,
    );
    let finals = Finals::of_one_path(&full);
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
        shock_month: shock.to_vec(),
        layoffs: sc.strategies.iter().map(|s| s.layoffs.len()).collect(),
    }
}

/// Draws the world of each of up to `schedule::LANES` paths and runs every strategy on them.
/// Path `l`'s results go to `finals[l][strategy]`, its monthly series to
/// `monthly`, its shock month (or NaN) to `shock[l]`.
fn simulate_paths(
    sc: &Scenario,
    modes: &[Mode],
    scratch: &mut schedule::Scratch,
    levers: &mut [Levers; schedule::LANES],
    finals: &mut [MetricRow],
    monthly: Monthly,
    shock: &mut [f64],
) {
    let worlds: Vec<PathWorld> = modes.iter().map(|m| PathWorld::draw(sc, *m)).collect();
    let n_s = sc.strategies.len();
    let n_m = sc.run.horizon as usize * Series::COUNT;
    for (s, strategy) in sc.strategies.iter().enumerate() {
        for (lev, mode) in levers.iter_mut().zip(modes) {
            lev.fill(strategy, mode);
        }
        let lanes = schedule::Lane::group(&worlds, &levers[..], modes);
        schedule::simulate(
            &lanes,
            scratch,
            schedule::Out {
                finals: &mut finals[s..],
                finals_stride: n_s,
                monthly: &mut monthly.values[s * n_m * monthly.series..],
                monthly_stride: monthly.path,
                series_stride: monthly.series,
            },
        );
    }
    for (out, world) in shock.iter_mut().zip(&worlds) {
        *out = world.shock_month.map(|m| m as f64).unwrap_or(f64::NAN);
    }
}
