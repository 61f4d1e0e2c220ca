//! What a run leaves behind: CSV and JSON of every figure, `run.json`, and the table
//! printed for the board.
//!
//! This module turns statistics into bytes and puts them on disk; it must not compute
//! model quantities or statistics of its own. The output folder is claimed before any work
//! and replaced whole (`folder`), so a failed run never leaves half an output.

mod analyst;
mod attribution;
mod board;
pub mod charts;
mod decisions;
mod deck;
mod folder;
mod pack;
mod paths;
mod size;
mod story;
mod tables;
mod workbook;

pub use analyst::*;
pub use attribution::*;
pub use decisions::*;
pub use folder::{claim, default_folder, full_path, Claim, MANIFEST};
pub use paths::{paths_csv, paths_header};
pub use size::{output_bytes, per_run_seconds, sweep_point_bytes};
pub use story::Findings;
pub use tables::*;

use crate::engine::RunResult;
use crate::metrics::Metric;
use crate::stats::Summaries;
use serde::Serialize;

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
    #[error("{path}: another tokensim run is writing this folder (it holds the lock on {lock}); wait for it to finish")]
    Busy { path: String, lock: String },
    #[error("{path}: is a file, not a run's folder; nothing was run. Choose another folder with --out DIR")]
    NotAFolder { path: String },
    #[error("{path}: holds files no tokensim run wrote ({files}); a run would lose them, so nothing was run. Move them out of the folder, or choose another folder with --out DIR")]
    NotOurs { path: String, files: String },
    #[error("{path}: holds the results of another run (tokensim {run}); nothing was run. Choose another folder with --out DIR, or give --replace to replace them")]
    OtherRun { path: String, run: String },
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
        "NPV mean",
        "s.e.",
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
            money(npv.mean),
            money(npv.se),
            format!("{} .. {}", money(npv.p5), money(npv.p95)),
            money(st.metric(Metric::TotalCost).mean),
            count(st.metric(Metric::Output).mean),
            count(st.metric(Metric::Incidents).mean),
            format!("{:.2}", st.metric(Metric::KnowledgeEnd).mean),
            percent(st.p_best.p),
        ];
        if let Some(p) = point {
            r.push(money(p.final_value(0, i, Metric::Npv)));
        }
        rows.push(r);
    }
    out.push_str(&align(&rows));
    out.push_str("Means over futures, as in the report (s.e. of the NPV mean beside it); NPV, cost, output and incidents over the horizon, knowledge at its end.\n");
    if let Some(h) = s.headline_pair() {
        out.push_str(&format!(
            "Headline: {} beats {} in {} of futures (s.e. {:.1} points); mean NPV difference {} (s.e. {}), P5 .. P95 {} .. {}.\n",
            h.a,
            h.b,
            percent(h.a_beats_b.p),
            h.a_beats_b.se * 100.0,
            money(h.diff.mean),
            money(h.diff.se),
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
/// (`charts/<name>.png`, `.svg`, `.csv`, `.json`, rendered in parallel, with the charts of
/// `findings`), `report.html`, `report.md`, `deck.pptx` and `results.xlsx`, whose
/// executive summary takes `findings`' sentences (`Findings::default()` names the
/// commands that give them).
pub fn run_files(
    sc: &crate::model::Scenario,
    name: &str,
    result: &RunResult,
    summaries: &Summaries,
    info: &RunInfo,
    charts: bool,
    findings: &Findings,
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
    // The assumptions that move the result most, from this run's own futures.
    let diff = crate::analysis::headline_difference(sc, result);
    let y = &diff[..diff.len().min(SENSITIVITY_PATHS)];
    let ranked = crate::analysis::sensitivity(sc, y);
    // The board reads the strategies by their labels; the tables above keep the names.
    let labels: Vec<String> = sc.strategies.iter().map(|s| s.display()).collect();
    let shown = summaries.with_names(&labels);
    let summaries = &shown;
    let mut figures = charts::figures(&charts::Inputs { result, summaries });
    figures.extend(findings.figures.iter().cloned());
    figures.extend(tornado(
        &ranked,
        &headline_label(sc),
        crate::analysis::average(y),
    ));
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
    let (svgs, rendered_png): (Vec<String>, Vec<Vec<u8>>) = rendered.into_iter().unzip();
    // The spreadsheet: one future, inputs at their most likely values.
    let point = crate::engine::run_point(sc);
    let content = pack::Content {
        sc,
        name,
        summaries,
        figures: &figures,
        info,
        ranked: &ranked,
        point: &point,
        diff_cvar5: sc.headline().map(|_| crate::stats::cvar_lower(&diff, 0.05)),
        findings,
    };
    files.push((
        "report.html".into(),
        board::report_html(&content, &svgs).into_bytes(),
    ));
    files.push(("report.md".into(), board::report_md(&content).into_bytes()));
    let doc = pack::build(&content);
    let png = |stem: &str| {
        figures
            .iter()
            .zip(&rendered_png)
            .find(|(f, _)| f.name == stem)
            .map(|(_, p)| p.clone())
    };
    let slides = deck::slides(&doc, &png);
    files.push((
        "deck.pptx".into(),
        deck::deck(&doc.title, &slides).map_err(|e| format!("deck.pptx: {e}"))?,
    ));
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
