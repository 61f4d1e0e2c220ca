//! `paths.csv`: one row per simulated future, the ground truth behind every statistic of a
//! run, for an analyst to load into Python, R or a spreadsheet. Formats what
//! `analysis::paths` reads; computes nothing.

use super::Cell;
use crate::analysis::paths::{Paths, PATH_METRICS};
use std::fmt::Write;

/// The header of `paths.csv`: `path`, each uncertain input by its scenario key,
/// `subsidy_end_month`, then `<strategy>.<metric key>` for each strategy and each of
/// `PATH_METRICS`.
pub fn paths_header(p: &Paths) -> Vec<String> {
    let mut h = vec!["path".to_string()];
    h.extend(p.inputs.iter().map(|d| d.key.clone()));
    h.push("subsidy_end_month".into());
    for name in &p.run.names {
        h.extend(PATH_METRICS.iter().map(|m| format!("{name}.{}", m.key())));
    }
    h
}

/// `paths.csv`: a row per path, numbers as the shortest text that reads back to the same
/// value (results kept in single precision to the digits they have, as `summary.csv`
/// gives them), an empty cell where the subsidy did not end within the horizon.
pub fn paths_csv(p: &Paths) -> Vec<u8> {
    let mut out = String::new();
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(paths_header(p));
    let mut head = w.into_inner().unwrap_or_default();
    let n_s = p.run.names.len();
    for i in 0..p.len() {
        let _ = write!(out, "{}", p.index(i));
        for d in &p.inputs {
            let _ = write!(out, ",{}", Cell::Num(d.values[i]).text());
        }
        let _ = write!(out, ",{}", Cell::Num(p.subsidy_end(i)).text());
        for s in 0..n_s {
            for m in PATH_METRICS {
                let x = m.shown(p.result(i, s, m));
                let _ = write!(out, ",{}", Cell::Num(x).text());
            }
        }
        out.push('\n');
    }
    head.extend_from_slice(out.as_bytes());
    head
}
