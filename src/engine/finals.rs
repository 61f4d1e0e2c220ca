//! Per-path results, kept compactly so a million paths fit in memory: money and output in
//! double precision, shares, counts and flags in single precision (7 significant digits;
//! whole counts exact up to 16,777,216), and the two ratios (cost per WU, AI spend per
//! WU) computed on reading from the totals they divide, with the same arithmetic as the
//! engine, so they are the same numbers.

use super::path::{fm, FINAL_METRICS};

/// Results kept in double precision, in the order of a row.
pub const WIDE: [usize; 11] = [
    fm::NPV,
    fm::VALUE,
    fm::TOTAL_COST,
    fm::PAYROLL,
    fm::SEVERANCE,
    fm::HIRING,
    fm::TOKENS,
    fm::SEATS,
    fm::INCIDENT_COST,
    fm::LOOPS,
    fm::OUTPUT,
];

/// Results kept in single precision, in the order of a row.
pub const NARROW: [usize; 10] = [
    fm::INCIDENTS,
    fm::DESTRUCTIVE,
    fm::KNOWLEDGE_END,
    fm::HEADCOUNT_END,
    fm::REHIRE_FIRED,
    fm::RETRY_RATE,
    fm::CACHE_HIT_RATE,
    fm::REVIEW_MISSED,
    fm::REVIEW_BURDEN,
    fm::UPLIFT_CLAMPED,
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Wide(usize),
    Narrow(usize),
    CostPerWu,
    SpendPerWu,
}

const fn slots() -> [Slot; FINAL_METRICS.len()] {
    let mut out = [Slot::CostPerWu; FINAL_METRICS.len()];
    let mut i = 0;
    while i < WIDE.len() {
        out[WIDE[i]] = Slot::Wide(i);
        i += 1;
    }
    let mut i = 0;
    while i < NARROW.len() {
        out[NARROW[i]] = Slot::Narrow(i);
        i += 1;
    }
    out[fm::SPEND_PER_WU] = Slot::SpendPerWu;
    out
}

const SLOTS: [Slot; FINAL_METRICS.len()] = slots();

/// True for the results kept in single precision.
pub fn is_narrow(metric: usize) -> bool {
    matches!(SLOTS[metric], Slot::Narrow(_))
}

/// `x` as reported: a figure about a single-precision result is given to the digits it
/// has (0.95, not 0.949999988079071); other figures are unchanged.
pub fn shown(metric: usize, x: f64) -> f64 {
    if is_narrow(metric) && x.is_finite() {
        (x as f32).to_string().parse().unwrap_or(x)
    } else {
        x
    }
}

/// `a / b`, undefined (NaN) when `b` is not above 0; the engine's own ratio.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// AI spend per WU from the totals: undefined with no AI spend or no output.
pub fn spend_per_wu(tokens: f64, seats: f64, loops: f64, output: f64) -> f64 {
    let ai_spend = tokens + seats + loops;
    if ai_spend > 0.0 {
        ratio(ai_spend, output)
    } else {
        f64::NAN
    }
}

/// Per-path results of a run, `[path][strategy][metric]`.
#[derive(Clone, Debug, Default)]
pub struct Finals {
    n_strategies: usize,
    pub(crate) wide: Vec<f64>,
    pub(crate) narrow: Vec<f32>,
}

impl Finals {
    pub fn zeros(n_paths: usize, n_strategies: usize) -> Finals {
        Finals {
            n_strategies,
            wide: vec![0.0; n_paths * n_strategies * WIDE.len()],
            narrow: vec![0.0; n_paths * n_strategies * NARROW.len()],
        }
    }

    /// Bytes kept per path.
    pub fn bytes_per_path(n_strategies: usize) -> usize {
        n_strategies * (WIDE.len() * 8 + NARROW.len() * 4)
    }

    /// One result.
    pub fn get(&self, path: usize, strategy: usize, metric: usize) -> f64 {
        let row = path * self.n_strategies + strategy;
        let wide = |m: usize| match SLOTS[m] {
            Slot::Wide(i) => self.wide[row * WIDE.len() + i],
            _ => unreachable!("a ratio divides wide results"),
        };
        match SLOTS[metric] {
            Slot::Wide(i) => self.wide[row * WIDE.len() + i],
            Slot::Narrow(i) => f64::from(self.narrow[row * NARROW.len() + i]),
            Slot::CostPerWu => ratio(wide(fm::TOTAL_COST), wide(fm::OUTPUT)),
            Slot::SpendPerWu => spend_per_wu(
                wide(fm::TOKENS),
                wide(fm::SEATS),
                wide(fm::LOOPS),
                wide(fm::OUTPUT),
            ),
        }
    }

    /// Packs one path's full rows, `[strategy][FINAL_METRICS]`, into its slots.
    pub(crate) fn pack(full: &[f64], wide: &mut [f64], narrow: &mut [f32]) {
        for ((row, w), n) in full
            .chunks_exact(FINAL_METRICS.len())
            .zip(wide.chunks_exact_mut(WIDE.len()))
            .zip(narrow.chunks_exact_mut(NARROW.len()))
        {
            for (x, m) in w.iter_mut().zip(WIDE) {
                *x = row[m];
            }
            for (x, m) in n.iter_mut().zip(NARROW) {
                *x = row[m] as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_result_has_exactly_one_place() {
        let mut seen = [0; FINAL_METRICS.len()];
        for m in WIDE.iter().chain(&NARROW) {
            seen[*m] += 1;
        }
        seen[fm::COST_PER_WU] += 1;
        seen[fm::SPEND_PER_WU] += 1;
        assert!(seen.iter().all(|c| *c == 1), "{seen:?}");
    }

    #[test]
    fn ratios_are_read_back_as_the_engine_computes_them() {
        let mut full = [0.0; FINAL_METRICS.len()];
        full[fm::TOTAL_COST] = 10.0;
        full[fm::OUTPUT] = 4.0;
        full[fm::TOKENS] = 1.0;
        full[fm::KNOWLEDGE_END] = 0.95;
        let mut f = Finals::zeros(1, 1);
        Finals::pack(&full, &mut f.wide, &mut f.narrow);
        assert_eq!(f.get(0, 0, fm::COST_PER_WU), 2.5);
        assert_eq!(f.get(0, 0, fm::SPEND_PER_WU), 0.25);
        assert_eq!(f.get(0, 0, fm::KNOWLEDGE_END), f64::from(0.95f32));
        assert_eq!(
            shown(fm::KNOWLEDGE_END, f.get(0, 0, fm::KNOWLEDGE_END)),
            0.95
        );
        assert_eq!(shown(fm::NPV, 0.1 + 0.2), 0.1 + 0.2);
        full[fm::TOKENS] = 0.0;
        Finals::pack(&full, &mut f.wide, &mut f.narrow);
        assert!(f.get(0, 0, fm::SPEND_PER_WU).is_nan());
    }
}
