//! The tables behind every output file, built once and written as CSV, JSON or workbook
//! sheets.

use super::{RunInfo, QUANTILE_ESTIMATOR};
use crate::engine::RunResult;
use crate::metrics::{Metric, Series};
use crate::stats::{PairSummary, Summaries, Summary};
use serde_json::{json, Map, Value};

/// One cell: text, or a number (undefined numbers are written as empty cells).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Num(x)
    }
}

impl From<usize> for Cell {
    fn from(x: usize) -> Cell {
        Cell::Num(x as f64)
    }
}

impl Cell {
    /// The cell as CSV writes it: the shortest text that reads back to the same number.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(x) if x.is_finite() => format!("{x}"),
            Cell::Num(_) => String::new(),
        }
    }
}

/// Text for a CSV cell that no spreadsheet reads as a formula: text starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (the OWASP rule). Every
/// CSV the tool writes goes through it; numbers are written as numbers.
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A table with a header row.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The table as CSV bytes, every text cell through `csv_text`.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = w.write_record(self.header.iter().map(|h| csv_text(h)));
        for r in &self.rows {
            let _ = w.write_record(r.iter().map(|c| match c {
                Cell::Text(s) => csv_text(s),
                Cell::Num(_) => c.text(),
            }));
        }
        w.into_inner().unwrap_or_default()
    }

    /// The table as a JSON array of objects keyed by the header.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    for (h, c) in self.header.iter().zip(r) {
                        let v = match c {
                            Cell::Text(s) => json!(s),
                            Cell::Num(x) => json!(x),
                        };
                        m.insert(h.to_string(), v);
                    }
                    Value::Object(m)
                })
                .collect(),
        )
    }
}

fn summary_cells(s: &Summary) -> Vec<Cell> {
    vec![
        s.n.into(),
        s.mean.into(),
        s.se.into(),
        s.p5.into(),
        s.p25.into(),
        s.p50.into(),
        s.p75.into(),
        s.p95.into(),
    ]
}

/// `summary.csv`: one row per strategy and metric.
pub fn summary_table(s: &Summaries) -> Table {
    let mut t = Table::new(&[
        "strategy", "metric", "n", "mean", "se", "p5", "p25", "p50", "p75", "p95",
    ]);
    let blank = || vec![Cell::Num(f64::NAN); 5];
    for st in &s.strategies {
        for (m, sm) in st.metrics() {
            let mut r = vec![st.name.as_str().into(), m.key().into()];
            r.extend(summary_cells(sm));
            t.push(r);
        }
        let mut r = vec![st.name.as_str().into(), "expected_regret".into()];
        r.extend(summary_cells(&st.regret));
        t.push(r);
        let mut r = vec![
            st.name.as_str().into(),
            "p_best".into(),
            s.n_paths.into(),
            st.p_best.p.into(),
            st.p_best.se.into(),
        ];
        r.extend(blank());
        t.push(r);
        let mut r = vec![
            st.name.as_str().into(),
            "npv_cvar5".into(),
            s.n_paths.into(),
            st.npv_cvar5.into(),
            f64::NAN.into(),
        ];
        r.extend(blank());
        t.push(r);
        for (i, stage) in st.stages.iter().enumerate() {
            let mut r = vec![
                st.name.as_str().into(),
                format!("layoff_{}_fired", i + 1).into(),
                s.n_paths.into(),
                stage.p.into(),
                stage.se.into(),
            ];
            r.extend(blank());
            t.push(r);
        }
    }
    t
}

fn summary_value(s: &Summary) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

fn pair_value(p: &PairSummary) -> Value {
    json!({"a": p.a, "b": p.b, "a_beats_b": p.a_beats_b, "tie": p.tie, "npv_difference": summary_value(&p.diff)})
}

/// `summary.json`: the same figures as `summary.csv`, plus pairs and the headline.
pub fn summary_json(s: &Summaries, info: &RunInfo) -> Vec<u8> {
    let strategies: Vec<Value> = s
        .strategies
        .iter()
        .map(|st| {
            let mut metrics = Map::new();
            for (m, sm) in st.metrics() {
                metrics.insert(m.key().to_string(), summary_value(sm));
            }
            let mut v = json!({
                "name": st.name,
                "p_best": st.p_best,
                "expected_regret": summary_value(&st.regret),
                "npv_cvar5": st.npv_cvar5,
                "metrics": metrics,
            });
            if !st.stages.is_empty() {
                // Each layoff's firing rate, in the strategy's order.
                v["layoffs_fired"] = json!(st.stages);
            }
            v
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
    pretty(&doc)
}

/// JSON bytes with a final newline.
pub fn pretty(v: &impl serde::Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `monthly.csv`: one row per strategy, month and series.
pub fn monthly_table(s: &Summaries) -> Table {
    let mut t = Table::new(&[
        "strategy", "month", "metric", "mean", "se", "p5", "p25", "p50", "p75", "p95",
    ]);
    for (si, st) in s.strategies.iter().enumerate() {
        for month in 0..s.horizon {
            for m in Series::ALL {
                let v = s.month(si, month, m);
                t.push(vec![
                    st.name.as_str().into(),
                    (month + 1).into(),
                    m.key().into(),
                    v.mean.into(),
                    v.se.into(),
                    v.p5.into(),
                    v.p25.into(),
                    v.p50.into(),
                    v.p75.into(),
                    v.p95.into(),
                ]);
            }
        }
    }
    t
}

/// `pairwise.csv`: every ordered pair of strategies on the same paths.
pub fn pairwise_table(s: &Summaries) -> Table {
    let mut t = Table::new(&[
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
    ]);
    for p in &s.pairs {
        t.push(vec![
            p.a.as_str().into(),
            p.b.as_str().into(),
            p.a_beats_b.p.into(),
            p.a_beats_b.se.into(),
            p.tie.into(),
            p.diff.p5.into(),
            p.diff.p50.into(),
            p.diff.p95.into(),
            p.diff.mean.into(),
            p.diff.se.into(),
        ]);
    }
    t
}

/// `point.csv`: point-mode results over the horizon, one row per strategy and metric.
pub fn point_table(r: &RunResult) -> Table {
    let mut t = Table::new(&["strategy", "metric", "value"]);
    for (s, name) in r.names.iter().enumerate() {
        for m in Metric::ALL {
            t.push(vec![
                name.as_str().into(),
                m.key().into(),
                m.shown(r.final_value(0, s, m)).into(),
            ]);
        }
    }
    t
}

/// `point_monthly.csv`: point-mode series month by month.
pub fn point_monthly_table(r: &RunResult) -> Table {
    let mut t = Table::new(&["strategy", "month", "metric", "value"]);
    for (s, name) in r.names.iter().enumerate() {
        for month in 0..r.horizon {
            for m in Series::ALL {
                t.push(vec![
                    name.as_str().into(),
                    (month + 1).into(),
                    m.key().into(),
                    r.monthly_value(0, s, month, m).into(),
                ]);
            }
        }
    }
    t
}

/// `run.json`.
pub fn run_json(info: &RunInfo) -> Vec<u8> {
    pretty(info)
}
