//! The command line: parses arguments, reads the scenario file, runs, prints, writes.
//!
//! The only module that knows clap, anyhow, exit codes, standard output and the clock.
//! It must not hold model logic: everything it computes comes from the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokensim::analysis::{self, Target, Vary};
use tokensim::library;
use tokensim::model::Scenario;
use tokensim::report::{self, RunInfo};
use tokensim::scenario::{self, Overrides, ScenarioError};
use tokensim::{engine, stats};

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
    /// Print every scenario key with its unit, default, valid range and source.
    Params,
    /// Run the scenario over a grid of one or two parameters, on the same futures.
    Sweep(SweepArgs),
    /// Rank the uncertain parameters by how much they move the headline NPV difference.
    Sensitivity(SensitivityArgs),
    /// Find the value of a parameter at which the headline pair is even.
    Breakeven(BreakevenArgs),
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
    /// Number of simulated futures (default: the scenario's, else 10,000).
    #[arg(long)]
    paths: Option<u64>,
    /// Seed of the run (default: the scenario's, else 2026).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Months to simulate, 1 to 240 (default: the scenario's, else 36).
    #[arg(long)]
    horizon: Option<u32>,
    /// Output folder (default: output/<scenario file stem>/, with -sweep, -sensitivity or
    /// -breakeven for those commands).
    #[arg(long)]
    out: Option<PathBuf>,
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
struct SensitivityArgs {
    #[command(flatten)]
    common: Common,
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
        Command::Params => {
            print!("{}", tokensim::model::params::reference_text());
            Ok(())
        }
        Command::Sweep(args) => sweep(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Breakeven(args) => breakeven(args),
        Command::List => {
            list();
            Ok(())
        }
        Command::Init { name, file } => init(&name, file),
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

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(usage(format!(
            "{file}: is a folder; give a scenario file (.toml)"
        )));
    }
    std::fs::read(path).map_err(|e| usage(format!("{file}: cannot read: {e}")))
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
    let threads = match c.threads {
        Some(0) => return Err(usage("--threads must be at least 1".into())),
        Some(t) => t,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
        .map_err(Failure::Runtime)?;
    check_size(&file, &sc, sc.run.paths, 1, threads, c.allow_large)?;
    Ok(Loaded {
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
    })
}

impl Loaded {
    fn out(&self, c: &Common, suffix: &str) -> PathBuf {
        c.out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(format!("{}{suffix}", self.stem)))
    }

    fn footer(&self) -> report::charts::Footer {
        report::charts::Footer {
            scenario: self.stem.clone(),
            seed: self.sc.run.seed,
            paths: self.sc.run.paths as usize,
            version: env!("CARGO_PKG_VERSION").into(),
            sha256: self.sha256.clone(),
        }
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

/// Refuses, before any work, what would not fit this class of machine: `runs` runs of
/// `paths` paths of `sc`, unless `--allow-large`.
fn check_size(
    file: &str,
    sc: &Scenario,
    paths: u64,
    runs: usize,
    threads: usize,
    allow: bool,
) -> Result<(), Failure> {
    const MAX_BYTES: f64 = 16.0 * 1024.0 * 1024.0 * 1024.0;
    const MAX_SECONDS: f64 = 2.0 * 3600.0;
    let mut sized = sc.clone();
    sized.run.paths = paths;
    let est = engine::estimate(&sized, threads);
    let seconds = est.seconds * runs as f64;
    if allow || (est.bytes <= MAX_BYTES && seconds <= MAX_SECONDS) {
        return Ok(());
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
        est.bytes / 1024f64.powi(3),
        seconds / 60.0
    )))
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

fn list() {
    let width = library::names().iter().map(|n| n.len()).max().unwrap_or(0);
    for e in &library::SCENARIOS {
        println!("{:width$}  {}", e.name, e.question().unwrap_or(""));
    }
}

fn init(name: &str, file: Option<PathBuf>) -> Result<(), Failure> {
    let Some(entry) = library::resolve(name) else {
        let hint = scenario::suggest(name, &library::names())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(usage(format!(
            "no bundled scenario `{name}`{hint}; `tokensim list` prints them"
        )));
    };
    let own = format!("{}.toml", entry.name);
    // A directory gets NAME.toml inside it; anything else is the file to write.
    let path = match file {
        Some(dir) if dir.is_dir() => dir.join(&own),
        Some(file) => file,
        None => PathBuf::from(own),
    };
    let shown = shell_quote(&path.display().to_string());
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::Runtime(anyhow::anyhow!(
                "{shown}: already exists; not overwriting it (remove it or name another file)"
            )))
        }
        Err(e) => {
            return Err(Failure::Runtime(anyhow::anyhow!(
                "{shown}: cannot create: {e}"
            )))
        }
    };
    std::io::Write::write_all(&mut f, entry.text.as_bytes())
        .with_context(|| format!("{shown}: cannot write"))
        .map_err(Failure::Runtime)?;
    println!("Wrote {shown}: edit it, then `tokensim run {shown}`");
    Ok(())
}

/// A path as a POSIX shell word: unchanged when it holds only characters a shell leaves
/// alone, else in single quotes (a single quote inside written `'\''`).
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn write(out: &Path, files: &[report::OutputFile]) -> Result<(), Failure> {
    let notes = report::write_dir(out, files).map_err(|e| Failure::Runtime(e.into()))?;
    for n in notes {
        eprintln!("note: {n}");
    }
    Ok(())
}

fn run_scenario(a: RunArgs) -> Result<(), Failure> {
    let mut l = load(&a.common)?;
    if a.dump_scenario {
        print!("{}", scenario::dump(&l.sc));
        return Ok(());
    }
    if let Some(t) = a.target_se {
        if !(t > 0.0 && t < 0.5) {
            return Err(usage(format!(
                "--target-se must be between 0 and 0.5, got {t}"
            )));
        }
    }
    if a.target_se.is_some() {
        check_size(
            &l.file,
            &l.sc,
            a.max_paths,
            1,
            l.threads,
            a.common.allow_large,
        )?;
    }
    let out = l.out(&a.common, "");
    let started = Instant::now();
    let monte_carlo = !a.point || a.common.paths.is_some() || a.target_se.is_some();
    let point = a.point.then(|| engine::run_point(&l.sc));

    // With --target-se, runs grow by the documented rule until the headline P(win) is
    // known well enough; each run of n paths is exactly a --paths n run.
    let mut rounds: Vec<(u64, f64)> = Vec::new();
    let mut stage_seconds = None;
    let run = if monte_carlo {
        if a.target_se.is_some() {
            let start = if a.common.paths.is_some() {
                l.sc.run.paths
            } else {
                1000
            };
            l.sc.run.paths = start.min(a.max_paths);
        }
        loop {
            let bar = progress_bar(&a.common, l.sc.run.paths);
            let (result, summaries, times) = l.pool.install(|| {
                let simulated = Instant::now();
                // Updated once per chunk of 512 paths, never per path.
                let result = engine::run_with(&l.sc, &tick(&bar));
                if let Some(bar) = &bar {
                    bar.finish_and_clear();
                }
                let engine_seconds = simulated.elapsed().as_secs_f64();
                let summarized = Instant::now();
                let summaries = result.summarize(l.sc.headline());
                let times = (engine_seconds, summarized.elapsed().as_secs_f64());
                (result, summaries, times)
            });
            stage_seconds = Some(times);
            let Some(target) = a.target_se else {
                break Some((result, summaries));
            };
            let se = convergence_se(&summaries);
            rounds.push((l.sc.run.paths, se));
            match analysis::next_paths(l.sc.run.paths, se, target, 1000, a.max_paths) {
                Some(n) => l.sc.run.paths = n,
                None => break Some((result, summaries)),
            }
        }
    } else {
        None
    };
    let elapsed = started.elapsed().as_secs_f64();
    let mut info = l.info(
        if monte_carlo { l.sc.run.paths } else { 1 },
        a.point,
        monte_carlo,
        elapsed,
    );
    if let Some((engine_s, stats_s)) = stage_seconds {
        info.engine_seconds = Some(engine_s);
        info.stats_seconds = Some(stats_s);
    }
    if let Some(target) = a.target_se {
        let last = rounds.last().map(|r| r.1).unwrap_or(f64::NAN);
        info.details = Some(serde_json::json!({
            "convergence": {
                "target_se": target,
                "max_paths": a.max_paths,
                "reached": last <= target,
                "rounds": rounds.iter().map(|(n, se)| serde_json::json!({"paths": n, "se": se})).collect::<Vec<_>>(),
            }
        }));
    }
    let mut files: Vec<report::OutputFile> = Vec::new();
    if let Some((result, s)) = &run {
        let drawn = Instant::now();
        let made = l
            .pool
            .install(|| report::run_files(&l.sc, &l.stem, result, s, &info, !a.no_charts))
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the outputs: {e}")))?;
        files.extend(made);
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
    write(&out, &files)?;

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
        if let Some(target) = a.target_se {
            let steps: Vec<String> = rounds
                .iter()
                .map(|(n, se)| format!("{n} (s.e. {se:.4})"))
                .collect();
            let last = rounds.last().map(|r| r.1).unwrap_or(f64::NAN);
            let verdict = if last <= target {
                "reached"
            } else {
                "not reached within --max-paths"
            };
            println!(
                "Target s.e. {target} of the headline P(win) {verdict}: paths {}",
                steps.join(" -> ")
            );
        }
        if let Some(c) = info.render_seconds {
            println!("Charts, report and workbook made in {c:.2} s");
        }
        match (&run, &point) {
            (Some((_, s)), p) => print!("{}", report::console_table(s, p.as_ref())),
            (None, Some(p)) => print!("{}", report::console_point_table(p)),
            (None, None) => {}
        }
        println!("Wrote {}", out.display());
    }
    Ok(())
}

/// A progress bar over `paths` simulated futures, drawn on stderr, when the options ask
/// for one (or, by default, when stderr is a terminal and the command is not quiet).
fn progress_bar(common: &Common, paths: u64) -> Option<indicatif::ProgressBar> {
    progress_bar_with(
        common,
        paths,
        "{bar:40} {human_pos}/{human_len} paths  {elapsed} elapsed, about {eta} left",
    )
}

/// `progress_bar` for a search whose runs stop once it has found its answer: the end of
/// the bar is the most paths it may take, and no time left is promised.
fn search_bar(common: &Common, paths_at_most: u64) -> Option<indicatif::ProgressBar> {
    progress_bar_with(
        common,
        paths_at_most,
        "{bar:40} {human_pos} paths of at most {human_len}  {elapsed} elapsed",
    )
}

fn progress_bar_with(
    common: &Common,
    paths: u64,
    template: &str,
) -> Option<indicatif::ProgressBar> {
    let show = common.progress
        || (!common.no_progress && !common.quiet && std::io::stderr().is_terminal());
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(paths),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// The engine's progress callback for an optional bar.
fn tick(bar: &Option<indicatif::ProgressBar>) -> impl Fn(u64) + Sync + '_ {
    move |done| {
        if let Some(bar) = bar {
            bar.inc(done);
        }
    }
}

/// The standard error convergence watches: of the headline P(win), or without a pair of
/// the chance that the first strategy is best.
/// It uses (wins + 1) / (n + 2) in place of the share, so a first run in which one side
/// never wins does not read as a standard error of zero.
fn convergence_se(s: &stats::Summaries) -> f64 {
    let p = match s.headline_pair() {
        Some(p) => p.a_beats_b.p,
        None => s.strategies[0].p_best.p,
    };
    let n = s.n_paths as f64;
    let adjusted = (p * n + 1.0) / (n + 2.0);
    (adjusted * (1.0 - adjusted) / n).sqrt()
}

fn sweep(a: SweepArgs) -> Result<(), Failure> {
    let l = load(&a.common)?;
    if a.vary.len() > 2 {
        return Err(usage("a sweep varies one or two parameters".into()));
    }
    let points: usize = a.vary.iter().map(|v| v.steps).product();
    check_size(
        &l.file,
        &l.sc,
        l.sc.run.paths,
        points,
        l.threads,
        a.common.allow_large,
    )?;
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
    info.details = Some(serde_json::json!({
        "sweep": a.vary.iter().map(|v| serde_json::json!({"key": v.key, "lo": v.lo, "hi": v.hi, "steps": v.steps})).collect::<Vec<_>>(),
    }));
    let footer = l.footer();
    let mut files = l
        .pool
        .install(|| report::sweep_files(&a.vary, &points, &footer, !a.no_charts))
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the sweep: {e}")))?;
    files.push(("run.json".into(), report::run_json(&info)));
    let out = l.out(&a.common, "-sweep");
    write(&out, &files)?;
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

fn sensitivity(a: SensitivityArgs) -> Result<(), Failure> {
    let l = load(&a.common)?;
    let started = Instant::now();
    let bar = progress_bar(&a.common, l.sc.run.paths);
    let (ranked, label, mean) = l.pool.install(|| {
        let r = engine::run_with(&l.sc, &tick(&bar));
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let y = analysis::headline_difference(&l.sc, &r);
        let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
        (
            analysis::sensitivity(&l.sc, &y),
            report::headline_label(&l.sc),
            mean,
        )
    });
    let elapsed = started.elapsed().as_secs_f64();
    let info = l.info(l.sc.run.paths, false, true, elapsed);
    let footer = l.footer();
    let mut files = report::sensitivity_files(&ranked, &label, mean, &footer, !a.no_charts)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the sensitivity: {e}")))?;
    files.push(("run.json".into(), report::run_json(&info)));
    let out = l.out(&a.common, "-sensitivity");
    write(&out, &files)?;
    if !a.common.quiet {
        println!(
            "{}: {} uncertain parameters over {} paths in {elapsed:.2} s; {label}",
            l.stem,
            ranked.len(),
            l.sc.run.paths
        );
        print!("{}", report::sensitivity_console(&ranked));
        println!("Wrote {}", out.display());
    }
    Ok(())
}

fn breakeven(a: BreakevenArgs) -> Result<(), Failure> {
    let mut common = a.common;
    // Each probe is a full run; 2,000 paths unless asked otherwise.
    if common.paths.is_none() {
        common.paths = Some(2000);
    }
    let l = load(&common)?;
    if l.sc.headline().is_none() {
        return Err(usage(format!(
            "{}: break-even needs a headline pair: set run.headline = [\"challenger\", \"incumbent\"]",
            l.file
        )));
    }
    let range = match &a.range {
        Some(r) => {
            let parts: Vec<Option<f64>> = r.split(':').map(|x| x.trim().parse().ok()).collect();
            match parts[..] {
                [Some(lo), Some(hi)] if lo.is_finite() && hi.is_finite() && lo < hi => (lo, hi),
                _ => {
                    return Err(usage(format!(
                        "--range takes LO:HI with LO < HI, got `{r}`"
                    )))
                }
            }
        }
        None => default_range(&l.sc, &a.param)?,
    };
    if !(a.tolerance > 0.0 && a.tolerance < 1.0) {
        return Err(usage(format!(
            "--tolerance must be between 0 and 1, got {}",
            a.tolerance
        )));
    }
    let search = analysis::Search {
        key: a.param.clone(),
        target: a.target,
        range,
        tolerance: a.tolerance,
    };
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
    let files = vec![
        (
            "breakeven.csv".into(),
            report::break_even_table(&result).to_csv(),
        ),
        (
            "breakeven.json".into(),
            report::pretty(&report::break_even_json(&result, range)),
        ),
        ("run.json".into(), report::run_json(&info)),
    ];
    let out = l.out(&common, "-breakeven");
    write(&out, &files)?;
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

/// The range a break-even searches by default: the parameter's bounded distribution in
/// the scenario, else its valid range when that is finite and not absurdly wide.
fn default_range(sc: &Scenario, key: &str) -> Result<(f64, f64), Failure> {
    let found = sc
        .params()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| p.clone());
    if let Some(p) = &found {
        let (lo, hi) = p.dist.support();
        if lo.is_finite() && hi.is_finite() && lo < hi {
            return Ok((lo, hi));
        }
    }
    match tokensim::model::params::spec(key) {
        Some(s) if s.min.is_finite() && s.max.is_finite() && s.max - s.min <= 1000.0 => {
            Ok((s.min, s.max))
        }
        Some(_) => Err(usage(format!(
            "--param {key}: give the range to search with --range LO:HI"
        ))),
        None => Err(usage(format!(
            "--param {key}: not a numeric scenario key{}; `tokensim params` lists them",
            scenario::suggest_key(key)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default()
        ))),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
