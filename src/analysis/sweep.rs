//! Sweeps: the scenario run at every point of a grid of one or two parameters, on the
//! same seed, so points differ by the parameter and not by noise.
//!
//! It must not read files, read the clock or print; progress goes to the caller's
//! callback.

use super::overrides::{scenario_with, set_text, Vary};
use crate::engine;
use crate::scenario::{Overrides, ScenarioError};
use crate::stats::Summaries;

/// One point of a sweep: the values set and the run's statistics.
#[derive(Clone, Debug)]
pub struct SweepPoint {
    pub values: Vec<f64>,
    pub summaries: Summaries,
}

/// Runs the scenario at every point of a one- or two-dimensional grid, on the same seed,
/// calling `progress(paths)` as each chunk of paths finishes.
pub fn sweep(
    text: &str,
    file: &str,
    ov: &Overrides,
    vary: &[Vary],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<SweepPoint>, ScenarioError> {
    let grids: Vec<Vec<f64>> = vary.iter().map(Vary::values).collect();
    let mut points = vec![vec![]];
    for g in &grids {
        points = points
            .into_iter()
            .flat_map(|p: Vec<f64>| g.iter().map(move |v| [p.clone(), vec![*v]].concat()))
            .collect();
    }
    points
        .into_iter()
        .map(|values| {
            let extra: Vec<(String, String)> = vary
                .iter()
                .zip(&values)
                .map(|(v, x)| (v.key.clone(), set_text(&v.key, *x)))
                .collect();
            let sc = scenario_with(text, file, ov, &extra)?;
            let summaries = engine::run_with(&sc, progress).summarize(sc.headline());
            Ok(SweepPoint { values, summaries })
        })
        .collect()
}

/// The points of a sweep's grid: the product of its steps. A sweep varies one or two
/// parameters.
pub fn count_points(vary: &[Vary]) -> Result<usize, String> {
    if vary.len() > 2 {
        return Err("a sweep varies one or two parameters".into());
    }
    Ok(vary.iter().map(|v| v.steps).product())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_has_the_product_of_its_steps_and_at_most_two_sides() {
        let v = |k: &str| Vary::parse(&format!("{k}=1:2:3")).unwrap();
        let w = Vary::parse("b=0:1:4").unwrap();
        assert_eq!(count_points(&[v("a")]), Ok(3));
        assert_eq!(count_points(&[v("a"), w]), Ok(12));
        assert_eq!(
            count_points(&[v("a"), v("b"), v("c")]),
            Err("a sweep varies one or two parameters".to_string())
        );
    }
}
