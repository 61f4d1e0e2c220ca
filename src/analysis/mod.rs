//! Analyst tools on top of the engine: parameter sweeps (`sweep`), sensitivity
//! (`sensitivity`), break-even (`breakeven`), the convergence rule of `--target-se`
//! (`convergence`), a run's futures path by path (`paths`), the attribution of a pair's
//! difference to lever groups (`attribute`, over the groups of `levers`), scenario
//! discovery (`discover`, by `prim`) and value of information (`voi`), the last two on
//! one run's per-path inputs and results (`futures`); parameter values are applied as
//! `--set` overrides (`overrides`), so they are validated exactly like the file. Every
//! run here uses the scenario's seed, so points differ by the parameter, not by noise
//! (common random numbers across runs).
//!
//! Pure functions of scenario text and results: no I/O, no clock, no printing. Progress
//! and timing belong to the caller, through callbacks.

pub mod attribute;
mod breakeven;
mod convergence;
mod discover;
mod futures;
pub mod levers;
mod overrides;
pub mod paths;
pub mod prim;
mod sensitivity;
mod sweep;
mod voi;

pub use attribute::{attribute, Attribution, Contribution};
pub use breakeven::{
    break_even, default_range, parse_range, BreakEven, Probe, Search, Target, PROBE_PATHS,
};
pub use convergence::{converge, convergence_se, next_paths, Convergence, Round, START_PATHS};
pub use discover::{
    discover, significance, Condition, Discovery, Finding, Goal, LEVEL, MAX_RESTRICTED,
    MIN_COVERAGE, MIN_TARGET,
};
pub use futures::{of_pair, read_futures, Futures};
pub use levers::LeverGroup;
pub use overrides::{scenario_with, set_text, value_text, Vary};
pub use paths::Paths;
pub use sensitivity::{average, headline_difference, sensitivity, spearman, Sensitivity};
pub use sweep::{count_points, sweep, SweepPoint};
pub use voi::{
    bins, evpi, evppi_group, evppi_input, group_of, value_of_information, Voi, Worth, GROUPS,
};
