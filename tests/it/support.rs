//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tokensim::engine::{self, RunResult};
pub use tokensim::metrics::{Metric, Series};
use tokensim::model::Scenario;
use tokensim::scenario::{self, Overrides};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads and validates a scenario file of the repository.
#[track_caller]
pub fn load(rel: &str) -> Scenario {
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    scenario::parse(&text, rel, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Validates scenario text written in a test.
#[track_caller]
pub fn parse(text: &str) -> Scenario {
    scenario::parse(text, "test.toml", &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Index of a named strategy.
#[track_caller]
pub fn strategy(sc: &Scenario, name: &str) -> usize {
    sc.strategies
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("no strategy {name}"))
}

/// Point-mode value of a result over the horizon.
pub fn point_value(sc: &Scenario, strategy_name: &str, metric: Metric) -> f64 {
    let r = engine::run_point(sc);
    r.final_value(0, strategy(sc, strategy_name), metric)
}

/// Point-mode value of a monthly series (month from 1).
pub fn point_month(
    r: &RunResult,
    sc: &Scenario,
    strategy_name: &str,
    month: usize,
    series: Series,
) -> f64 {
    r.monthly_value(0, strategy(sc, strategy_name), month - 1, series)
}

/// Asserts two amounts of money agree to the cent.
#[track_caller]
pub fn check_cents(got: f64, want: f64) {
    assert!((got - want).abs() < 0.005, "got {got:.4}, want {want:.2}");
}

/// Asserts an estimate lies within five standard errors of the exact value.
#[track_caller]
pub fn check_within_5se(estimate: f64, se: f64, exact: f64) {
    assert!(se > 0.0 && se.is_finite(), "standard error {se}");
    let z = (estimate - exact) / se;
    assert!(
        z.abs() < 5.0,
        "estimate {estimate} vs exact {exact}: {z:.2} standard errors (se {se})"
    );
}

/// Runs the binary with arguments from the repository root.
pub fn tokensim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokensim"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

/// `tokensim run scenarios/reference.toml ARGS --out OUT`.
pub fn run_reference(args: &[&str], out: &Path) -> Output {
    let mut all = vec!["run", "scenarios/reference.toml"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().expect("UTF-8 path")]);
    tokensim(&all)
}

/// Runs `scenario` at `paths` paths into `out`, quietly, and fails the test with the
/// command's stderr, named by `stem`, unless it succeeds.
pub fn run_into(scenario: &Path, paths: &str, out: &Path, stem: &str) {
    let o = tokensim(&[
        "run",
        scenario.to_str().expect("UTF-8 path"),
        "--paths",
        paths,
        "--out",
        out.to_str().expect("UTF-8 path"),
        "--quiet",
    ]);
    assert!(
        o.status.success(),
        "{stem}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A fresh empty temporary folder for one test, removed with everything in it when the
/// test ends (a failing test's folder too, as the panic unwinds).
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh empty temporary folder for one test, named after it.
pub fn tempdir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("tokensim-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

/// Reads a file or fails the test with its name.
#[track_caller]
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Scenario text that switches off everything but what a test names. Tests append their
/// own `[strategies.*]` and may override keys by appending further tables.
pub const QUIET_WORLD: &str = r#"
[org]
attrition = 0
codified_context = 0

[world.prices]
g_frontier = 1
g_commodity = 1
sigma = 0

[world.subsidy]
hazard = 0

[world.demand]
elasticity = 0
growth = 1
noise = 0
script_share = 0

[world.incidents]
base_rate = 0
p_harm = 0
p_loop = 0
"#;

/// Per-path results that may be undefined (NaN) because the figure has no meaning there,
/// such as cost per WU with no output.
pub const MAY_BE_UNDEFINED: [Metric; 6] = [
    Metric::CostPerWu,
    Metric::SpendPerWu,
    Metric::RetryRate,
    Metric::CacheHitRate,
    Metric::ReviewMissed,
    Metric::ReviewBurden,
];

/// Asserts every per-path result is finite, or undefined where that is allowed.
#[track_caller]
pub fn check_finals_defined(r: &RunResult, context: &str) {
    for (i, x) in r.all_finals().iter().enumerate() {
        let m = Metric::ALL[i % Metric::COUNT];
        assert!(
            x.is_finite() || (x.is_nan() && MAY_BE_UNDEFINED.contains(&m)),
            "{} = {x}\n{context}",
            m.key()
        );
    }
    assert!(
        r.series.pilot.iter().all(|x| x.is_finite()),
        "a monthly value is not finite\n{context}"
    );
}

/// A scenario whose uncertain inputs are only those its strategies (`extra`) and `free`
/// name: every other default distribution of the registry is pinned at its mode, and the
/// subsidy shock is off (its month is drawn per path). `paths` futures, headline a
/// against b.
pub fn pinned_world(paths: usize, free: &[&str], extra: &str) -> String {
    let mut sections: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for p in tokensim::model::params::PARAMS {
        if p.key.starts_with("strategies.") || free.contains(&p.key) {
            continue;
        }
        if let tokensim::model::params::Def::Pert(_, mode, _) = p.default {
            let (table, key) = p.key.rsplit_once('.').unwrap();
            sections
                .entry(table.to_string())
                .or_default()
                .push(format!("{key} = {mode}"));
        }
    }
    sections
        .entry("world.subsidy".to_string())
        .or_default()
        .push("hazard = 0".into());
    let mut text = format!("[run]\npaths = {paths}\nheadline = [\"a\", \"b\"]\n");
    for (table, lines) in sections {
        text.push_str(&format!("[{table}]\n{}\n", lines.join("\n")));
    }
    text + extra
}
