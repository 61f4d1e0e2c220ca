//! The command line: parses arguments, reads the scenario file, runs, prints, writes.
//!
//! The only module that knows clap, anyhow, exit codes, standard output and the clock.
//! It must not hold model logic: everything it computes comes from the library.

mod attribute;
mod discover;
mod sensitivity;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokensim::analysis::{self, Target, Vary};
use tokensim::model::Scenario;
use tokensim::report::{self, RunInfo};
use tokensim::scenario::{self, Overrides, ScenarioError};
use tokensim::{engine, stats};

mod bundled;
mod guard;
mod progress;
use bundled::{init, list};
use guard::{claim, read, reserve};
use progress::{progress_bar, search_bar, tick};

/// Monte Carlo futures of an engineering organisation that replaces engineers with AI
/// tokens, or keeps them and gives them AI with guardrails.
#[derive(Debug, Parser)]
#[command(name = "tokensim", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a scenario and write its figures, charts, report and workbook.
    Run(RunArgs),
    /// Check a scenario file: a one-line summary, or every problem in it.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Override a key: KEY=VALUE, such as world.subsidy.m_api=2 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE", value_parser = scenario::parse_set)]
        sets: Vec<(String, String)>,
    },
    /// Print the scenario keys with their label, unit, default, valid range and source.
    Params {
        /// Only the keys that start with this, such as world.demand or
        /// strategies.replacement.assist (a strategy's name stands for any strategy).
        prefix: Option<String>,
        /// Print the Markdown reference of every key (docs/parameters.md) instead.
        #[arg(long, conflicts_with = "prefix")]
        markdown: bool,
    },
    /// Run the scenario over a grid of one or two parameters, on the same futures.
    Sweep(SweepArgs),
    /// Rank the uncertain parameters by how much they move the headline NPV difference, and
    /// what knowing each before deciding is worth.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Find the value of a parameter at which the headline pair is even.
    Breakeven(BreakevenArgs),
    /// Find the input conditions under which the challenger wins (PRIM).
    Discover(discover::DiscoverArgs),
    /// Split a pair's mean NPV difference among the lever groups in which they differ.
    Attribute(attribute::AttributeArgs),
    /// Print the bundled scenarios, each with the question it answers.
    List,
    /// Write a copy of a bundled scenario to edit (default: NAME.toml here).
    Init {
        /// A bundled scenario, as `tokensim list` prints it (any letter case; a trailing
        /// `.toml` is ignored).
        name: String,
        /// Where to write it; a directory gets NAME.toml inside it. An existing file is
        /// never overwritten.
        file: Option<PathBuf>,
    },
}

/// Arguments every simulating command takes.
#[derive(Debug, Args)]
struct Common {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Override a key: KEY=VALUE, such as world.subsidy.m_api=2 or
    /// 'strategies.replacement.layoffs[0].fraction={ pert = [0.2, 0.4, 0.6] }' (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = scenario::parse_set)]
    sets: Vec<(String, String)>,
    /// Number of simulated futures, 1 to 100,000,000 (default: the scenario's, else
    /// 10,000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=tokensim::model::MAX_PATHS))]
    paths: Option<u64>,
    /// Seed of the run, 0 to 9223372036854775807 (default: the scenario's, else 2026).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=tokensim::model::MAX_SEED))]
    seed: Option<u64>,
    /// Worker threads, at most 4 per core (default: one per core). Results do not
    /// depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Months to simulate, 1 to 240 (default: the scenario's, else 36).
    #[arg(long)]
    horizon: Option<u32>,
    /// Output folder (default: output/ and the scenario file's path without a leading
    /// scenarios/ and without .toml, with -sweep, -sensitivity, -breakeven, -discover or -attribute
    /// for those commands; a file outside the current folder gets its stem and a hash of
    /// its path).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the results of a different run (another scenario file, other overrides or
    /// options) in the output folder. Files no run wrote are never deleted.
    #[arg(long)]
    replace: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Show a progress bar on stderr (default: when stderr is a terminal and not --quiet).
    #[arg(long, overrides_with = "no_progress")]
    progress: bool,
    /// Never show the progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Run even when the estimate says the run needs more than 16 GiB or 2 hours.
    #[arg(long)]
    allow_large: bool,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    common: Common,
    /// Print the fully defaulted, validated scenario as TOML and stop.
    #[arg(long)]
    dump_scenario: bool,
    /// One deterministic path with parameters at their modes and chance at its
    /// expectation. Alone it replaces the Monte Carlo run; with --paths it is printed
    /// beside it.
    #[arg(long)]
    point: bool,
    /// Skip charts, the report and the workbook (a quicker run for analysts).
    #[arg(long)]
    no_charts: bool,
    /// Also write paths.csv: every path's uncertain inputs and every strategy's results.
    #[arg(long)]
    export_paths: bool,
    /// Add paths until the standard error of the headline P(win) is at most this.
    #[arg(long, value_name = "SE")]
    target_se: Option<f64>,
    /// The most paths --target-se may use.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_paths: u64,
}

#[derive(Debug, Args)]
struct SweepArgs {
    #[command(flatten)]
    common: Common,
    /// A parameter and its grid: KEY=LO:HI:STEPS (give it once or twice).
    #[arg(long = "vary", required = true, value_name = "KEY=LO:HI:STEPS", value_parser = Vary::parse)]
    vary: Vec<Vary>,
    /// Skip the chart.
    #[arg(long)]
    no_charts: bool,
}

#[derive(Debug, Args)]
struct BreakevenArgs {
    #[command(flatten)]
    common: Common,
    /// The parameter to move, as a key path.
    #[arg(long)]
    param: String,
    /// What "even" means: p_win=P or median_diff=X.
    #[arg(long, default_value = "p_win=0.5", value_parser = Target::parse)]
    target: Target,
    /// The range to search, LO:HI (default: the parameter's range in the scenario).
    #[arg(long, value_name = "LO:HI")]
    range: Option<String>,
    /// Stop when the bracket is this share of the range.
    #[arg(long, default_value_t = 0.001)]
    tolerance: f64,
}

/// A failure, with the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or an invalid scenario: exit 2.
    Usage(anyhow::Error),
    /// Anything else: exit 1.
    Runtime(anyhow::Error),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Runtime(_) => 1,
        }
    }

    pub fn error(&self) -> &anyhow::Error {
        match self {
            Failure::Usage(e) | Failure::Runtime(e) => e,
        }
    }
}

fn usage(msg: String) -> Failure {
    Failure::Usage(anyhow::anyhow!(msg))
}

/// Runs the command line; returns what `main` should exit with.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Validate { scenario, sets } => validate(&scenario, sets),
        Command::Run(args) => run_scenario(args),
        Command::Params { prefix, markdown } => params(prefix.as_deref(), markdown),
        Command::Sweep(args) => sweep(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Breakeven(args) => breakeven(args),
        Command::Discover(args) => discover::discover(args),
        Command::List => {
            list();
            Ok(())
        }
        Command::Init { name, file } => init(&name, file),
        Command::Attribute(args) => {
            let started = Instant::now();
            attribute::attribute(args, &|| started.elapsed().as_secs_f64())
        }
    }
}

/// A scenario file read and validated, with what every command needs around it.
struct Loaded {
    sc: Scenario,
    text: String,
    file: String,
    sha256: String,
    stem: String,
    ov: Overrides,
    threads: usize,
    pool: rayon::ThreadPool,
}

fn invalid(file: &str, e: ScenarioError) -> Failure {
    let n = e.problems().len();
    let plural = if n == 1 { "problem" } else { "problems" };
    usage(format!(
        "{e}\n{file}: {n} {plural}; the scenario was not run"
    ))
}

fn load(c: &Common) -> Result<Loaded, Failure> {
    let bytes = read(&c.scenario)?;
    let file = c.scenario.display().to_string();
    let ov = Overrides {
        paths: c.paths,
        seed: c.seed,
        horizon: c.horizon,
        sets: c.sets.clone(),
    };
    let sc = scenario::parse_bytes(&bytes, &file, &ov).map_err(|e| invalid(&file, e))?;
    let threads = guard::threads(c.threads)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
        .map_err(Failure::Runtime)?;
    let l = Loaded {
        sc,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        sha256: hex(&Sha256::digest(&bytes)),
        stem: c
            .scenario
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "scenario".into()),
        file,
        ov,
        threads,
        pool,
    };
    l.check_size(l.sc.run.paths, 1, c.allow_large)?;
    Ok(l)
}

impl Loaded {
    fn footer(&self) -> report::charts::Footer {
        report::charts::Footer {
            scenario: self.stem.clone(),
            seed: self.sc.run.seed,
            paths: self.sc.run.paths as usize,
            version: env!("CARGO_PKG_VERSION").into(),
            sha256: self.sha256.clone(),
        }
    }

    /// Refuses, before any work, what would not fit this class of machine: `runs` runs of
    /// `paths` paths of the scenario and their outputs, unless `--allow-large`; and,
    /// whatever the flag, memory the machine cannot give (a clean exit 1).
    fn check_size(&self, paths: u64, runs: usize, allow: bool) -> Result<(), Failure> {
        self.check_size_with(paths, runs, 0.0, allow)
    }

    /// `check_size` with `extra` bytes held beside the run (an export).
    fn check_size_with(
        &self,
        paths: u64,
        runs: usize,
        extra: f64,
        allow: bool,
    ) -> Result<(), Failure> {
        const MAX_BYTES: f64 = 16.0 * 1024.0 * 1024.0 * 1024.0;
        const MAX_SECONDS: f64 = 2.0 * 3600.0;
        let (file, sc, threads) = (&self.file, &self.sc, self.threads);
        let mut sized = sc.clone();
        sized.run.paths = paths;
        let est = engine::estimate(&sized, threads);
        let (n_s, h) = (sc.strategies.len(), sc.run.horizon);
        let kept = if runs > 1 {
            runs as f64 * report::sweep_point_bytes(n_s, h)
        } else {
            0.0
        };
        let bytes = est.bytes
            + report::output_bytes(n_s, h)
            + kept
            + extra * paths as f64 / sc.run.paths.max(1) as f64;
        let seconds = (est.seconds + report::per_run_seconds(n_s, h)) * runs as f64;
        if allow || (bytes <= MAX_BYTES && seconds <= MAX_SECONDS) {
            return reserve(file, bytes);
        }
        let what = if runs > 1 {
            format!("{runs} runs of {paths} paths")
        } else {
            format!("this run of {paths} paths")
        };
        Err(usage(format!(
            "{file}: {what} x {} strategies x {} months needs about {:.1} GiB and {:.0} minutes on {threads} threads, more than the 16 GiB and 2 hours allowed by default; use fewer --paths, or --allow-large to run it anyway",
            sc.strategies.len(),
            sc.run.horizon,
            bytes / 1024f64.powi(3),
            seconds / 60.0
        )))
    }

    fn info(&self, paths: u64, point: bool, monte_carlo: bool, elapsed: f64) -> RunInfo {
        RunInfo {
            tool: "tokensim".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario_file: self.file.clone(),
            scenario_sha256: self.sha256.clone(),
            seed: self.sc.run.seed,
            paths,
            threads: self.threads,
            horizon: self.sc.run.horizon,
            point,
            monte_carlo,
            elapsed_seconds: elapsed,
            render_seconds: None,
            engine_seconds: None,
            stats_seconds: None,
            overrides: self.ov.describe(),
            details: None,
        }
    }
}

fn validate(path: &Path, sets: Vec<(String, String)>) -> Result<(), Failure> {
    let bytes = read(path)?;
    let file = path.display().to_string();
    let ov = Overrides {
        sets,
        ..Overrides::default()
    };
    let sc = scenario::parse_bytes(&bytes, &file, &ov).map_err(|e| invalid(&file, e))?;
    let names: Vec<&str> = sc.strategies.iter().map(|s| s.name.as_str()).collect();
    println!(
        "{}: valid; {} strategies ({}), {} paths, seed {}, {} months",
        path.display(),
        names.len(),
        names.join(", "),
        sc.run.paths,
        sc.run.seed,
        sc.run.horizon
    );
    Ok(())
}

fn write(claim: report::Claim, files: &[report::OutputFile]) -> Result<(), Failure> {
    let notes = claim
        .commit(files)
        .map_err(|e| Failure::Runtime(e.into()))?;
    for n in notes {
        eprintln!("note: {n}");
    }
    Ok(())
}

/// `tokensim params`: every key, or those under a prefix, in lines that fit a terminal.
fn params(prefix: Option<&str>, markdown: bool) -> Result<(), Failure> {
    use tokensim::model::params;
    if markdown {
        print!("{}", params::reference_text());
        return Ok(());
    }
    let specs = match prefix {
        Some(p) => params::matching(p),
        None => params::PARAMS.iter().collect(),
    };
    if specs.is_empty() {
        return Err(usage(format!(
            "no scenario key starts with {:?}; keys start with org, world.prices, world.subsidy, world.capability, world.demand, world.production, world.knowledge, world.incidents or strategies.NAME",
            prefix.unwrap_or_default()
        )));
    }
    print!("{}", params::terminal_text(&specs, 80));
    Ok(())
}

fn run_scenario(a: RunArgs) -> Result<(), Failure> {
    let mut l = load(&a.common)?;
    if a.dump_scenario {
        print!("{}", scenario::dump(&l.sc));
        return Ok(());
    }
    let rule = a
        .target_se
        .map(|t| analysis::Convergence::new(t, a.max_paths, a.common.paths))
        .transpose()
        .map_err(usage)?;
    let export = if a.export_paths {
        analysis::paths::csv_bytes(&l.sc)
    } else {
        0.0
    };
    let most = if rule.is_some() {
        a.max_paths
    } else {
        l.sc.run.paths
    };
    if rule.is_some() || a.export_paths {
        l.check_size_with(most, 1, export, a.common.allow_large)?;
    }
    let mut options: Vec<String> = Vec::new();
    options.extend(a.point.then(|| "--point".to_string()));
    options.extend(a.no_charts.then(|| "--no-charts".to_string()));
    options.extend(a.export_paths.then(|| "--export-paths".to_string()));
    if let Some(t) = a.target_se {
        options.push(format!("--target-se={t}"));
        options.push(format!("--max-paths={}", a.max_paths));
    }
    let claim = claim(&a.common, "", "run", &options)?;
    let out = claim.out().to_path_buf();
    let started = Instant::now();
    let monte_carlo = !a.point || a.common.paths.is_some() || rule.is_some();
    if a.export_paths && !monte_carlo {
        return Err(usage(
            "--export-paths needs Monte Carlo paths: give --paths with --point".into(),
        ));
    }
    let point = a.point.then(|| engine::run_point(&l.sc));

    let run = monte_carlo.then(|| simulate(&mut l, &a.common, rule.as_ref()));
    let elapsed = started.elapsed().as_secs_f64();
    let mut info = l.info(
        if monte_carlo { l.sc.run.paths } else { 1 },
        a.point,
        monte_carlo,
        elapsed,
    );
    if let Some(run) = &run {
        info.engine_seconds = Some(run.engine_seconds);
        info.stats_seconds = Some(run.stats_seconds);
    }
    if let (Some(rule), Some(run)) = (&rule, &run) {
        info.details = Some(report::convergence_json(rule, &run.rounds));
    }
    let mut files: Vec<report::OutputFile> = Vec::new();
    if let Some(run) = &run {
        let (result, s) = (&run.result, &run.summaries);
        // The executive summary's analyses, on the run's own futures; none for a quick run.
        let findings = if a.no_charts {
            report::Findings::default()
        } else {
            let d = l.pool.install(|| analysis::decide(&l.sc, result));
            report::findings(&d, &l.sc)
        };
        let drawn = Instant::now();
        let made = l
            .pool
            .install(|| {
                report::run_files(&l.sc, &l.stem, result, s, &info, !a.no_charts, &findings)
            })
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the outputs: {e}")))?;
        files.extend(made);
        if a.export_paths {
            let paths = l.pool.install(|| analysis::Paths::of(&l.sc, result));
            files.push(("paths.csv".into(), report::paths_csv(&paths)));
        }
        if !a.no_charts {
            info.render_seconds = Some(drawn.elapsed().as_secs_f64());
        }
    }
    if let Some(p) = &point {
        files.push(("point.csv".into(), report::point_table(p).to_csv()));
        files.push((
            "point_monthly.csv".into(),
            report::point_monthly_table(p).to_csv(),
        ));
    }
    files.push(("run.json".into(), report::run_json(&info)));
    write(claim, &files)?;

    if !a.common.quiet {
        let paths = if monte_carlo {
            format!("{} paths", l.sc.run.paths)
        } else {
            "point mode".into()
        };
        println!(
            "{}: {paths}, seed {}, {} months, {} threads, {elapsed:.2} s",
            l.stem, l.sc.run.seed, l.sc.run.horizon, l.threads
        );
        if let (Some(rule), Some(run)) = (&rule, &run) {
            print_rounds(rule, &run.rounds);
        }
        if let Some(c) = info.render_seconds {
            println!("Charts, report and workbook made in {c:.2} s");
        }
        match (&run, &point) {
            (Some(run), p) => print!("{}", report::console_table(&run.summaries, p.as_ref())),
            (None, Some(p)) => print!("{}", report::console_point_table(p)),
            (None, None) => {}
        }
        println!("Wrote {}", out.display());
    }
    Ok(())
}

/// The Monte Carlo part of `run`: its result and statistics, the rounds of
/// `--target-se` (none without it), and the seconds the last run spent in the engine and
/// in the statistics.
struct Simulated {
    result: engine::RunResult,
    summaries: stats::Summaries,
    rounds: Vec<analysis::Round>,
    engine_seconds: f64,
    stats_seconds: f64,
}

/// Runs the scenario once, or with a convergence rule by its rounds (each run of n paths
/// is exactly a --paths n run), showing progress and timing each run.
fn simulate(l: &mut Loaded, common: &Common, rule: Option<&analysis::Convergence>) -> Simulated {
    let mut seconds = (0.0, 0.0);
    let pool = &l.pool;
    let mut one_run = |sc: &Scenario| {
        let bar = progress_bar(common, sc.run.paths);
        let (result, summaries, times) = pool.install(|| {
            let simulated = Instant::now();
            // Updated once per chunk of 512 paths, never per path.
            let result = engine::run_with(sc, &tick(&bar));
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let engine_seconds = simulated.elapsed().as_secs_f64();
            let summarized = Instant::now();
            let summaries = result.summarize(sc.headline());
            let times = (engine_seconds, summarized.elapsed().as_secs_f64());
            (result, summaries, times)
        });
        seconds = times;
        (result, summaries)
    };
    let (result, summaries, rounds) = match rule {
        Some(rule) => analysis::converge(&mut l.sc, rule, one_run),
        None => {
            let (result, summaries) = one_run(&l.sc);
            (result, summaries, Vec::new())
        }
    };
    Simulated {
        result,
        summaries,
        rounds,
        engine_seconds: seconds.0,
        stats_seconds: seconds.1,
    }
}

/// The line `--target-se` prints: the paths of every round and whether the target was
/// reached.
fn print_rounds(rule: &analysis::Convergence, rounds: &[analysis::Round]) {
    let steps: Vec<String> = rounds
        .iter()
        .map(|r| format!("{} (s.e. {:.4})", r.paths, r.se))
        .collect();
    let verdict = if rule.reached(rounds) {
        "reached"
    } else {
        "not reached within --max-paths"
    };
    println!(
        "Target s.e. {} of the headline P(win) {verdict}: paths {}",
        rule.target_se,
        steps.join(" -> ")
    );
}

fn sweep(a: SweepArgs) -> Result<(), Failure> {
    let l = load(&a.common)?;
    let points = analysis::count_points(&a.vary).map_err(usage)?;
    l.check_size(l.sc.run.paths, points, a.common.allow_large)?;
    let mut options: Vec<String> = a
        .vary
        .iter()
        .map(|v| format!("--vary={}={}:{}:{}", v.key, v.lo, v.hi, v.steps))
        .collect();
    options.extend(a.no_charts.then(|| "--no-charts".to_string()));
    let claim = claim(&a.common, "-sweep", "sweep", &options)?;
    let started = Instant::now();
    let bar = progress_bar(&a.common, points as u64 * l.sc.run.paths);
    let points = l
        .pool
        .install(|| analysis::sweep(&l.text, &l.file, &l.ov, &a.vary, &tick(&bar)))
        .map_err(|e| invalid(&l.file, e))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut info = l.info(l.sc.run.paths, false, true, elapsed);
    info.details = Some(report::sweep_json(&a.vary));
    let footer = l.footer();
    let mut files = l
        .pool
        .install(|| report::sweep_files(&a.vary, &points, &footer, !a.no_charts))
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the sweep: {e}")))?;
    files.push(("run.json".into(), report::run_json(&info)));
    let out = claim.out().to_path_buf();
    write(claim, &files)?;
    if !a.common.quiet {
        println!(
            "{}: swept {} points of {} paths each in {elapsed:.2} s",
            l.stem,
            points.len(),
            l.sc.run.paths
        );
        print!("{}", report::sweep_console(&a.vary, &points));
        println!("Wrote {}", out.display());
    }
    Ok(())
}

fn breakeven(a: BreakevenArgs) -> Result<(), Failure> {
    let mut common = a.common;
    // Each probe is a full run.
    if common.paths.is_none() {
        common.paths = Some(analysis::PROBE_PATHS);
    }
    let l = load(&common)?;
    if l.sc.headline().is_none() {
        return Err(usage(format!(
            "{}: break-even needs a headline pair: set run.headline = [\"challenger\", \"incumbent\"]",
            l.file
        )));
    }
    let range = match &a.range {
        Some(r) => analysis::parse_range(r).map_err(usage)?,
        None => analysis::default_range(&l.sc, &a.param).map_err(usage)?,
    };
    let search =
        analysis::Search::new(a.param.clone(), a.target, range, a.tolerance).map_err(usage)?;
    let options = [
        format!("--param={}", a.param),
        format!("--target={:?}", a.target),
        format!("--range={}:{}", range.0, range.1),
        format!("--tolerance={}", a.tolerance),
    ];
    let claim = claim(&common, "-breakeven", "breakeven", &options)?;
    let started = Instant::now();
    let bar = search_bar(&common, search.runs_at_most() * l.sc.run.paths);
    let result = l
        .pool
        .install(|| analysis::break_even(&l.text, &l.file, &l.ov, &search, &tick(&bar)))
        .map_err(|e| invalid(&l.file, e))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut info = l.info(l.sc.run.paths, false, true, elapsed);
    info.details = Some(report::break_even_json(&result, range));
    let mut files = report::break_even_files(&result, &l.footer(), true)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the break-even chart: {e}")))?;
    files.extend([
        (
            "breakeven.csv".into(),
            report::break_even_table(&result).to_csv(),
        ),
        (
            "breakeven.json".into(),
            report::pretty(&report::break_even_json(&result, range)),
        ),
        ("run.json".into(), report::run_json(&info)),
    ]);
    let out = claim.out().to_path_buf();
    write(claim, &files)?;
    if !common.quiet {
        println!(
            "{}: {} runs of {} paths in {elapsed:.2} s",
            l.stem,
            result.probes.len(),
            l.sc.run.paths
        );
        println!("{}", report::break_even_sentence(&result, range));
        println!("Wrote {}", out.display());
    }
    Ok(())
}

/// Seconds since this call, each time the returned closure is called.
fn stopwatch() -> impl Fn() -> f64 {
    let started = Instant::now();
    move || started.elapsed().as_secs_f64()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
