//! What a run leaves behind: CSV and JSON of every figure, `run.json`, and the table
//! printed for the board.
//!
//! This module turns statistics into bytes and puts them on disk; it must not compute
//! model quantities or statistics of its own. Files are written into a temporary folder
//! beside the target and renamed into place, so a failed run never leaves half an output.

mod analyst;
mod board;
pub mod charts;
mod decisions;
mod tables;
mod workbook;

pub use analyst::*;
pub use decisions::*;
pub use tables::*;

use crate::engine::RunResult;
use crate::metrics::Metric;
use crate::stats::Summaries;
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

/// The estimator every quantile uses, named in every output.
pub const QUANTILE_ESTIMATOR: &str = "Hyndman-Fan type 7 (Excel PERCENTILE.INC, numpy default)";

/// Facts about a run recorded in `run.json`.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    pub tool: String,
    pub version: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub paths: u64,
    pub threads: usize,
    pub horizon: u32,
    pub point: bool,
    pub monte_carlo: bool,
    pub elapsed_seconds: f64,
    /// Seconds spent on charts, report and workbook, when they were made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_seconds: Option<f64>,
    /// Seconds spent simulating and on statistics, for a Monte Carlo run (the last run
    /// of a `--target-se` series).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats_seconds: Option<f64>,
    /// Every `--set KEY=VALUE` the run was made with.
    pub overrides: Vec<String>,
    /// What a command adds: the convergence rounds, the sweep grid, the break-even result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl RunInfo {
    /// A Monte Carlo run of `paths` paths of `scenario_file` with nothing else recorded
    /// yet: no version, hash, timings, overrides or details.
    pub fn monte_carlo(scenario_file: &str, seed: u64, paths: u64, horizon: u32) -> RunInfo {
        RunInfo {
            tool: "tokensim".into(),
            version: String::new(),
            scenario_file: scenario_file.into(),
            scenario_sha256: String::new(),
            seed,
            paths,
            threads: 1,
            horizon,
            point: false,
            monte_carlo: true,
            elapsed_seconds: 0.0,
            render_seconds: None,
            engine_seconds: None,
            stats_seconds: None,
            overrides: vec![],
            details: None,
        }
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("another tokensim run (process {pid}) is writing this output; wait for it, or remove {path} if no run is active")]
    Busy { path: String, pid: String },
    #[error("{path} exists and was not written by tokensim (it has no run.json of ours); choose another --out or remove it")]
    Foreign { path: String },
}

/// Money for people: `$1.2M`, `-$350K`, `$980`.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let body = if a >= 1e9 {
        format!("${:.1}B", a / 1e9)
    } else if a >= 1e6 {
        format!("${:.1}M", a / 1e6)
    } else if a >= 1e5 {
        format!("${:.0}K", a / 1e3)
    } else if a >= 1e3 {
        // Every digit below $100K: $2,711 and $2,357 must not both read "$3K".
        format!("${}", count(a))
    } else {
        format!("${a:.0}")
    };
    format!("{sign}{body}")
}

/// A share for people: `13%`, `0.4%` below one percent, `99.2%` above 99%; never 0%
/// or 100% unless exact (`<0.1%`, `>99.5%`).
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p > 0.0 && p < 0.001 {
        "<0.1%".into()
    } else if p > 0.0 && p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else if (0.995..1.0).contains(&p) {
        ">99.5%".into()
    } else if p > 0.99 && p < 1.0 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// A name at the start of a sentence: `replacement` -> `Replacement`.
pub(crate) fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A count for people: `1,234,567`.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < -0.5 {
        format!("-{out}")
    } else {
        out
    }
}

/// The table printed after a Monte Carlo run, with point-mode NPV beside it if given.
pub fn console_table(s: &Summaries, point: Option<&RunResult>) -> String {
    let mut out = String::new();
    let mut header = vec![
        "strategy",
        "NPV median",
        "NPV P5 .. P95",
        "total cost",
        "output WU",
        "incidents",
        "knowledge",
        "P(best)",
    ];
    if point.is_some() {
        header.push("point NPV");
    }
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for (i, st) in s.strategies.iter().enumerate() {
        let npv = st.metric(Metric::Npv);
        let mut r = vec![
            st.name.clone(),
            money(npv.p50),
            format!("{} .. {}", money(npv.p5), money(npv.p95)),
            money(st.metric(Metric::TotalCost).p50),
            count(st.metric(Metric::Output).p50),
            count(st.metric(Metric::Incidents).p50),
            format!("{:.2}", st.metric(Metric::KnowledgeEnd).p50),
            percent(st.p_best.p),
        ];
        if let Some(p) = point {
            r.push(money(p.final_value(0, i, Metric::Npv)));
        }
        rows.push(r);
    }
    out.push_str(&align(&rows));
    out.push_str("Medians over paths; NPV, cost, output and incidents over the horizon, knowledge at its end.\n");
    if let Some(h) = s.headline_pair() {
        out.push_str(&format!(
            "Headline: {} beats {} in {} of futures (s.e. {:.1} points); median NPV difference {}, P5 .. P95 {} .. {}.\n",
            h.a,
            h.b,
            percent(h.a_beats_b.p),
            h.a_beats_b.se * 100.0,
            money(h.diff.p50),
            money(h.diff.p5),
            money(h.diff.p95)
        ));
    }
    out
}

/// The table printed for a point-mode run alone.
pub fn console_point_table(r: &RunResult) -> String {
    let mut rows = vec![[
        "strategy",
        "NPV",
        "total cost",
        "output WU",
        "token spend",
        "incidents",
        "knowledge",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    for (s, name) in r.names.iter().enumerate() {
        let v = |m| r.final_value(0, s, m);
        rows.push(vec![
            name.clone(),
            money(v(Metric::Npv)),
            money(v(Metric::TotalCost)),
            count(v(Metric::Output)),
            money(v(Metric::Tokens) + v(Metric::Seats) + v(Metric::Loops)),
            format!("{:.1}", v(Metric::Incidents)),
            format!("{:.2}", v(Metric::KnowledgeEnd)),
        ]);
    }
    let mut out = align(&rows);
    out.push_str("Point mode: parameters at their modes, chance at its expectation (one deterministic path).\n");
    out
}

fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|x| x.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Futures a run's report ranks its assumptions on (the first ones of the run).
pub const SENSITIVITY_PATHS: usize = 20_000;

/// A file of an output folder: its path inside the folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Every file of a Monte Carlo run: the tables, and unless `charts` is false the charts
/// (`charts/<name>.png`, `.svg`, `.csv`, `.json`, rendered in parallel), `report.html`,
/// `report.md` and `results.xlsx`.
pub fn run_files(
    sc: &crate::model::Scenario,
    name: &str,
    result: &RunResult,
    summaries: &Summaries,
    info: &RunInfo,
    charts: bool,
) -> Result<Vec<OutputFile>, String> {
    use rayon::prelude::*;
    let summary = summary_table(summaries);
    let monthly = monthly_table(summaries);
    let pairwise = pairwise_table(summaries);
    let mut files: Vec<OutputFile> = vec![
        ("summary.csv".into(), summary.to_csv()),
        ("summary.json".into(), summary_json(summaries, info)),
        ("monthly.csv".into(), monthly.to_csv()),
        ("pairwise.csv".into(), pairwise.to_csv()),
    ];
    if !charts {
        return Ok(files);
    }
    let footer = charts::Footer {
        scenario: name.to_string(),
        seed: info.seed,
        paths: summaries.n_paths,
        version: info.version.clone(),
        sha256: info.scenario_sha256.clone(),
    };
    let figures = charts::figures(&charts::Inputs { result, summaries });
    let rendered: Result<Vec<(String, Vec<u8>)>, String> = figures
        .par_iter()
        .map(|f| {
            Ok((
                charts::render_svg(f, &footer)?,
                charts::render_png(f, &footer)?,
            ))
        })
        .collect();
    let rendered = rendered?;
    for (f, (svg, png)) in figures.iter().zip(&rendered) {
        files.push((format!("charts/{}.png", f.name), png.clone()));
        files.push((format!("charts/{}.svg", f.name), svg.clone().into_bytes()));
        files.push((format!("charts/{}.csv", f.name), f.data.to_csv()));
        let json = serde_json::json!({"chart": f.name, "title": f.title, "subtitle": f.subtitle, "data": f.data.to_json()});
        files.push((format!("charts/{}.json", f.name), pretty(&json)));
    }
    let svgs: Vec<String> = rendered.into_iter().map(|(svg, _)| svg).collect();
    // The assumptions that move the result most, from this run's own futures.
    let y = crate::analysis::headline_difference(sc, result);
    let ranked = crate::analysis::sensitivity(sc, &y[..y.len().min(SENSITIVITY_PATHS)]);
    let content = board::Content {
        sc,
        name,
        summaries,
        figures: &figures,
        info,
        ranked: &ranked,
    };
    files.push((
        "report.html".into(),
        board::report_html(&content, &svgs).into_bytes(),
    ));
    files.push(("report.md".into(), board::report_md(&content).into_bytes()));
    let names: Vec<String> = summaries
        .strategies
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let xlsx = workbook::workbook(sc, &names, &summary, &monthly, &pairwise, &figures)
        .map_err(|e| format!("results.xlsx: {e}"))?;
    files.push(("results.xlsx".into(), xlsx));
    Ok(files)
}

/// Writes `files` as the whole content of folder `out`: into a temporary folder beside
/// it, then renamed into place. Refuses to replace a folder tokensim did not write.
/// Returns notes for the user, such as the removal of an interrupted run's leftovers.
pub fn write_dir(out: &Path, files: &[OutputFile]) -> Result<Vec<String>, ReportError> {
    let io = |path: &Path, e: std::io::Error| ReportError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if out.exists() {
        let marker = out.join("run.json");
        let ours = fs::read_to_string(&marker)
            .map(|t| t.contains("\"tool\": \"tokensim\""))
            .unwrap_or(false);
        if !ours || !out.is_dir() {
            return Err(ReportError::Foreign {
                path: out.display().to_string(),
            });
        }
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    // One writer at a time per folder: a lock file created exclusively, holding our pid.
    let _lock = Lock::take(&parent.join(format!(".{name}.lock")))?;
    let mut notes = Vec::new();
    // A run that was interrupted leaves its unfinished folder beside the target, and the
    // previous results untouched; one killed between its two renames leaves the previous
    // results under `.old-`: put them back. We hold the lock, so no live run owns these.
    let (partial, old) = (format!(".{name}.partial-"), format!(".{name}.old-"));
    if let Ok(entries) = fs::read_dir(parent) {
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().to_string();
            if file.starts_with(&partial) {
                let _ = fs::remove_dir_all(e.path());
                notes.push(format!(
                    "removed {}, left by an interrupted run; the results in {} were never touched by it",
                    e.path().display(),
                    out.display()
                ));
            } else if file.starts_with(&old) {
                if out.exists() {
                    let _ = fs::remove_dir_all(e.path());
                } else if fs::rename(e.path(), out).is_ok() {
                    notes.push(format!(
                        "restored the previous results in {} from {}, left by an interrupted run",
                        out.display(),
                        e.path().display()
                    ));
                }
            }
        }
    }
    let tmp: PathBuf = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
        for (file, bytes) in files {
            let p = tmp.join(file);
            // Sub-folders only inside our own temporary folder, never the folder itself.
            if let Some(dir) = p.parent().filter(|d| *d != tmp.as_path()) {
                fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            fs::write(&p, bytes).map_err(|e| io(&p, e))?;
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(out, &old).map_err(|e| io(out, e))?;
            if let Err(e) = fs::rename(&tmp, out) {
                // Put the previous results back rather than leave nothing.
                let _ = fs::rename(&old, out);
                return Err(io(out, e));
            }
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&tmp, out).map_err(|e| io(out, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result.map(|()| notes)
}

/// An exclusive lock on an output folder: a file created with `create_new`, holding the
/// writer's process id, removed when dropped. A lock whose process is gone is taken over.
struct Lock(PathBuf);

impl Lock {
    fn take(path: &Path) -> Result<Lock, ReportError> {
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock(path.to_path_buf()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(path).unwrap_or_default();
                    let alive = pid
                        .trim()
                        .parse::<u32>()
                        .is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists());
                    if alive {
                        return Err(ReportError::Busy {
                            path: path.display().to_string(),
                            pid: pid.trim().to_string(),
                        });
                    }
                    let _ = fs::remove_file(path);
                }
                Err(e) => {
                    return Err(ReportError::Io {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })
                }
            }
        }
        Err(ReportError::Busy {
            path: path.display().to_string(),
            pid: "unknown".into(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_a_slide() {
        assert_eq!(money(1_234_567.0), "$1.2M");
        assert_eq!(money(-41_000_000.0), "-$41.0M");
        assert_eq!(money(350_000.0), "$350K");
        assert_eq!(money(980.0), "$980");
        assert_eq!(money(2_711.0), "$2,711");
        assert_eq!(money(2_357.0), "$2,357");
        assert_eq!(money(1_425.0), "$1,425");
        assert_eq!(money(-99_499.0), "-$99,499");
        assert_eq!(percent(0.9957), ">99.5%");
        assert_eq!(percent(0.993), "99.3%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.13), "13%");
        assert_eq!(percent(0.004), "0.4%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(count(1234567.0), "1,234,567");
    }
}
