//! What a run leaves behind: CSV and JSON of every figure, `run.json`, and the table
//! printed for the board.
//!
//! This module turns statistics into bytes and puts them on disk; it must not compute
//! model quantities or statistics of its own. Files are written into a temporary folder
//! beside the target and renamed into place, so a failed run never leaves half an output.

use crate::engine::{RunResult, FINAL_METRICS, MONTHLY_METRICS};
use crate::stats::{Summaries, Summary};
use serde::Serialize;
use serde_json::{json, Map, Value};
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
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path} exists and was not written by tokensim (it has no run.json of ours); choose another --out or remove it")]
    Foreign { path: String },
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

fn summary_cells(s: &Summary) -> Vec<String> {
    vec![
        s.n.to_string(),
        num(s.mean),
        num(s.se),
        num(s.p5),
        num(s.p25),
        num(s.p50),
        num(s.p75),
        num(s.p95),
    ]
}

/// `summary.csv`: one row per strategy and metric.
pub fn summary_csv(s: &Summaries) -> Vec<u8> {
    let mut rows = Vec::new();
    for st in &s.strategies {
        for (m, sm) in FINAL_METRICS.iter().zip(&st.metrics) {
            let mut r = vec![st.name.clone(), m.to_string()];
            r.extend(summary_cells(sm));
            rows.push(r);
        }
        let mut r = vec![st.name.clone(), "expected_regret".into()];
        r.extend(summary_cells(&st.regret));
        rows.push(r);
        let blank = || vec![String::new(); 5];
        let mut r = vec![
            st.name.clone(),
            "p_best".into(),
            s.n_paths.to_string(),
            num(st.p_best.p),
            num(st.p_best.se),
        ];
        r.extend(blank());
        rows.push(r);
        let mut r = vec![
            st.name.clone(),
            "npv_cvar5".into(),
            s.n_paths.to_string(),
            num(st.npv_cvar5),
            String::new(),
        ];
        r.extend(blank());
        rows.push(r);
    }
    csv_bytes(
        &[
            "strategy", "metric", "n", "mean", "se", "p5", "p25", "p50", "p75", "p95",
        ],
        rows,
    )
}

fn summary_value(s: &Summary) -> Value {
    json!({"n": s.n, "mean": s.mean, "se": s.se, "p5": s.p5, "p25": s.p25, "p50": s.p50, "p75": s.p75, "p95": s.p95})
}

/// `summary.json`: the same figures as `summary.csv`, plus pairs and the headline.
pub fn summary_json(s: &Summaries, info: &RunInfo) -> Vec<u8> {
    let strategies: Vec<Value> = s
        .strategies
        .iter()
        .map(|st| {
            let mut metrics = Map::new();
            for (m, sm) in FINAL_METRICS.iter().zip(&st.metrics) {
                metrics.insert(m.to_string(), summary_value(sm));
            }
            json!({
                "name": st.name,
                "p_best": st.p_best,
                "expected_regret": summary_value(&st.regret),
                "npv_cvar5": st.npv_cvar5,
                "metrics": metrics,
            })
        })
        .collect();
    let pairs: Vec<Value> = s.pairs.iter().map(pair_value).collect();
    let doc = json!({
        "scenario_file": info.scenario_file,
        "seed": info.seed,
        "paths": s.n_paths,
        "horizon_months": s.horizon,
        "quantile_estimator": QUANTILE_ESTIMATOR,
        "strategies": strategies,
        "pairs": pairs,
        "headline": s.headline_pair().map(pair_value),
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

fn pair_value(p: &crate::stats::PairSummary) -> Value {
    json!({"a": p.a, "b": p.b, "a_beats_b": p.a_beats_b, "tie": p.tie, "npv_difference": summary_value(&p.diff)})
}

/// `monthly.csv`: one row per strategy, month and series.
pub fn monthly_csv(s: &Summaries) -> Vec<u8> {
    let mut rows = Vec::new();
    for (si, st) in s.strategies.iter().enumerate() {
        for month in 0..s.horizon {
            for (mi, m) in MONTHLY_METRICS.iter().enumerate() {
                let v = s.month(si, month, mi);
                rows.push(vec![
                    st.name.clone(),
                    (month + 1).to_string(),
                    m.to_string(),
                    num(v.mean),
                    num(v.se),
                    num(v.p5),
                    num(v.p25),
                    num(v.p50),
                    num(v.p75),
                    num(v.p95),
                ]);
            }
        }
    }
    csv_bytes(
        &[
            "strategy", "month", "metric", "mean", "se", "p5", "p25", "p50", "p75", "p95",
        ],
        rows,
    )
}

/// `pairwise.csv`: every ordered pair of strategies on the same paths.
pub fn pairwise_csv(s: &Summaries) -> Vec<u8> {
    let rows = s
        .pairs
        .iter()
        .map(|p| {
            vec![
                p.a.clone(),
                p.b.clone(),
                num(p.a_beats_b.p),
                num(p.a_beats_b.se),
                num(p.tie),
                num(p.diff.p5),
                num(p.diff.p50),
                num(p.diff.p95),
                num(p.diff.mean),
                num(p.diff.se),
            ]
        })
        .collect();
    csv_bytes(
        &[
            "a",
            "b",
            "p_a_beats_b",
            "se",
            "p_tie",
            "diff_p5",
            "diff_p50",
            "diff_p95",
            "diff_mean",
            "diff_mean_se",
        ],
        rows,
    )
}

/// `point.csv`: point-mode results over the horizon, one row per strategy and metric.
pub fn point_csv(r: &RunResult) -> Vec<u8> {
    let mut rows = Vec::new();
    for (s, name) in r.names.iter().enumerate() {
        for (m, metric) in FINAL_METRICS.iter().enumerate() {
            rows.push(vec![
                name.clone(),
                metric.to_string(),
                num(r.final_value(0, s, m)),
            ]);
        }
    }
    csv_bytes(&["strategy", "metric", "value"], rows)
}

/// `point_monthly.csv`: point-mode series month by month.
pub fn point_monthly_csv(r: &RunResult) -> Vec<u8> {
    let mut rows = Vec::new();
    for (s, name) in r.names.iter().enumerate() {
        for month in 0..r.horizon {
            for (m, metric) in MONTHLY_METRICS.iter().enumerate() {
                rows.push(vec![
                    name.clone(),
                    (month + 1).to_string(),
                    metric.to_string(),
                    num(r.monthly_value(0, s, month, m)),
                ]);
            }
        }
    }
    csv_bytes(&["strategy", "month", "metric", "value"], rows)
}

/// `run.json`.
pub fn run_json(info: &RunInfo) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(info).unwrap_or_default();
    out.push(b'\n');
    out
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
    } else if a >= 1e3 {
        format!("${:.0}K", a / 1e3)
    } else {
        format!("${a:.0}")
    };
    format!("{sign}{body}")
}

/// A share for people: `13%`, or `0.4%` below one percent.
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p > 0.0 && p < 0.001 {
        "<0.1%".into()
    } else if p > 0.0 && p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

fn count(x: f64) -> String {
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
pub fn table(s: &Summaries, point: Option<&RunResult>) -> String {
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
        let npv = st.metric("npv");
        let mut r = vec![
            st.name.clone(),
            money(npv.p50),
            format!("{} .. {}", money(npv.p5), money(npv.p95)),
            money(st.metric("total_cost").p50),
            count(st.metric("output").p50),
            count(st.metric("incidents").p50),
            format!("{:.2}", st.metric("knowledge_end").p50),
            percent(st.p_best.p),
        ];
        if let Some(p) = point {
            r.push(money(p.final_value(0, i, crate::engine::fm::NPV)));
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
pub fn point_table(r: &RunResult) -> String {
    use crate::engine::fm;
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
            money(v(fm::NPV)),
            money(v(fm::TOTAL_COST)),
            count(v(fm::OUTPUT)),
            money(v(fm::TOKENS) + v(fm::SEATS) + v(fm::LOOPS)),
            format!("{:.1}", v(fm::INCIDENTS)),
            format!("{:.2}", v(fm::KNOWLEDGE_END)),
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

/// Writes `files` as the whole content of folder `out`: into a temporary folder beside
/// it, then renamed into place. Refuses to replace a folder tokensim did not write.
pub fn write_dir(out: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), ReportError> {
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
    let tmp: PathBuf = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
        for (file, bytes) in files {
            let p = tmp.join(file);
            fs::write(&p, bytes).map_err(|e| io(&p, e))?;
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(out, &old).map_err(|e| io(out, e))?;
            fs::rename(&tmp, out).map_err(|e| io(out, e))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&tmp, out).map_err(|e| io(out, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
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
        assert_eq!(percent(0.13), "13%");
        assert_eq!(percent(0.004), "0.4%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(count(1234567.0), "1,234,567");
    }
}
