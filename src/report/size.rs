//! What a run's outputs take: the memory their statistics and files need while they are
//! made, so that a command can refuse, before any work, what would not fit.
//!
//! Each figure counts an output at its size: per strategy and metric, per strategy,
//! month and series, and per ordered pair of strategies (the pairs grow with the square of
//! the strategies). The bytes per row were measured on this build (README, Performance);
//! `tests/it/limits.rs` checks the estimate against measured peak memory.

/// Bytes the statistics and the files of one run take while they are made, for a scenario
/// with `strategies` strategies over `horizon` months (charts, report and workbook
/// included: the largest case).
pub fn output_bytes(strategies: usize, horizon: u32) -> f64 {
    let s = strategies as f64;
    let cells = s * horizon as f64;
    FIXED + PER_STRATEGY * s + PER_STRATEGY_MONTH * cells + PER_PAIR * s * s
}

/// Bytes a sweep keeps of each point until its files are written: the point's statistics
/// and its rows of `sweep.csv`.
pub fn sweep_point_bytes(strategies: usize, horizon: u32) -> f64 {
    let s = strategies as f64;
    POINT_FIXED + POINT_PER_STRATEGY_MONTH * s * horizon as f64 + POINT_PER_PAIR * s * s
}

/// Seconds each run of a sweep or a search takes beyond its paths: reading the scenario
/// again with the point's values, and its statistics.
pub fn per_run_seconds(strategies: usize, horizon: u32) -> f64 {
    let s = strategies as f64;
    RUN_FIXED_SECONDS + RUN_SECONDS_PER_PAIR * s * s + RUN_SECONDS_PER_CELL * s * horizon as f64
}

/// Charts, report and workbook of a few strategies, and the program itself.
const FIXED: f64 = 60e6;
/// A strategy's rows of summary.csv/.json, its chart data and workbook rows.
const PER_STRATEGY: f64 = 400e3;
/// A strategy's month: its monthly statistics, monthly.csv rows, chart and sheet data.
const PER_STRATEGY_MONTH: f64 = 20e3;
/// An ordered pair: its statistics, its pairwise.csv row, its entry of summary.json and
/// the JSON tree that writes it, its workbook row.
const PER_PAIR: f64 = 6e3;

const POINT_FIXED: f64 = 10e3;
const POINT_PER_STRATEGY_MONTH: f64 = 4.6e3;
const POINT_PER_PAIR: f64 = 300.0;

const RUN_FIXED_SECONDS: f64 = 2e-3;
const RUN_SECONDS_PER_PAIR: f64 = 2e-6;
const RUN_SECONDS_PER_CELL: f64 = 2e-6;
