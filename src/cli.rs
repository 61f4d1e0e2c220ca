//! The command line: parses arguments, reads the scenario file, runs, prints, writes.
//!
//! The only module that knows clap, anyhow, exit codes, standard output and the clock.
//! It must not hold model logic: everything it computes comes from the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;
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
    /// Simulate a scenario and write its figures to the output folder.
    Run(RunArgs),
    /// Check a scenario file: a one-line summary, or every problem in it.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
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
    /// Output folder (default: output/<scenario file stem>/).
    #[arg(long)]
    out: Option<PathBuf>,
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
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
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

/// Runs the command line; returns what `main` should exit with.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run(args) => run_scenario(args),
    }
}

fn load(path: &Path, ov: &Overrides) -> Result<(tokensim::model::Scenario, Vec<u8>), Failure> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{file}: is a folder; give a scenario file (.toml)"
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Usage(anyhow::anyhow!("{file}: cannot read: {e}")))?;
    let sc = scenario::parse_bytes(&bytes, &file, ov).map_err(|e: ScenarioError| {
        let n = e.problems().len();
        let plural = if n == 1 { "problem" } else { "problems" };
        Failure::Usage(anyhow::anyhow!(
            "{e}\n{file}: {n} {plural}; the scenario was not run"
        ))
    })?;
    Ok((sc, bytes))
}

fn validate(path: &Path) -> Result<(), Failure> {
    let (sc, _) = load(path, &Overrides::default())?;
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

fn run_scenario(a: RunArgs) -> Result<(), Failure> {
    let ov = Overrides {
        paths: a.paths,
        seed: a.seed,
        horizon: a.horizon,
    };
    let (sc, bytes) = load(&a.scenario, &ov)?;
    if a.dump_scenario {
        print!("{}", scenario::dump(&sc));
        return Ok(());
    }
    let threads = match a.threads {
        Some(0) => {
            return Err(Failure::Usage(anyhow::anyhow!(
                "--threads must be at least 1"
            )))
        }
        Some(t) => t,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let stem = a
        .scenario
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&stem));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
        .map_err(Failure::Runtime)?;

    let started = Instant::now();
    let monte_carlo = !a.point || a.paths.is_some();
    let point = a.point.then(|| engine::run_point(&sc));
    let run = monte_carlo.then(|| {
        pool.install(|| {
            let result = engine::run(&sc);
            let summaries = stats::summarize_run(&result, sc.headline());
            (result, summaries)
        })
    });
    let elapsed = started.elapsed().as_secs_f64();
    let summaries = run.as_ref().map(|(_, s)| s);

    let info = RunInfo {
        tool: "tokensim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_file: a.scenario.display().to_string(),
        scenario_sha256: hex(&Sha256::digest(&bytes)),
        seed: sc.run.seed,
        paths: if monte_carlo { sc.run.paths } else { 1 },
        threads,
        horizon: sc.run.horizon,
        point: a.point,
        monte_carlo,
        elapsed_seconds: elapsed,
        render_seconds: None,
    };
    let mut files: Vec<report::OutputFile> = Vec::new();
    let mut render_seconds = None;
    if let Some((result, s)) = &run {
        let drawn = Instant::now();
        let made = pool
            .install(|| report::run_files(&sc, &stem, result, s, &info, !a.no_charts))
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the outputs: {e}")))?;
        files.extend(made);
        if !a.no_charts {
            render_seconds = Some(drawn.elapsed().as_secs_f64());
        }
    }
    if let Some(p) = &point {
        files.push(("point.csv".into(), report::point_table(p).to_csv()));
        files.push((
            "point_monthly.csv".into(),
            report::point_monthly_table(p).to_csv(),
        ));
    }
    let info = RunInfo {
        render_seconds,
        ..info
    };
    files.push(("run.json".into(), report::run_json(&info)));
    report::write_dir(&out, &files).map_err(|e| Failure::Runtime(e.into()))?;

    if !a.quiet {
        let paths = if monte_carlo {
            format!("{} paths", sc.run.paths)
        } else {
            "point mode".into()
        };
        println!(
            "{stem}: {paths}, seed {}, {} months, {threads} threads, {elapsed:.2} s",
            sc.run.seed, sc.run.horizon
        );
        if let Some(c) = render_seconds {
            println!("Charts, report and workbook made in {c:.2} s");
        }
        match (&summaries, &point) {
            (Some(s), p) => print!("{}", report::console_table(s, p.as_ref())),
            (None, Some(p)) => print!("{}", report::console_point_table(p)),
            (None, None) => {}
        }
        println!("Wrote {}", out.display());
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
