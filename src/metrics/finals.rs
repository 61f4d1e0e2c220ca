//! Per-path results, kept compactly so a million paths fit in memory: money and output in
//! double precision, shares, counts and flags in single precision (7 significant digits;
//! whole counts exact up to 16,777,216), and the two ratios (cost per WU, AI spend per
//! WU) computed on reading from the totals they divide, with the same arithmetic as the
//! engine, so they are the same numbers.

use super::{Metric, MetricRow};

/// Results kept in double precision, in the order of a row.
pub const WIDE: [Metric; 11] = [
    Metric::Npv,
    Metric::Value,
    Metric::TotalCost,
    Metric::Payroll,
    Metric::Severance,
    Metric::Hiring,
    Metric::Tokens,
    Metric::Seats,
    Metric::IncidentCost,
    Metric::Loops,
    Metric::Output,
];

/// Results kept in single precision, in the order of a row.
pub const NARROW: [Metric; 11] = [
    Metric::Incidents,
    Metric::Destructive,
    Metric::KnowledgeEnd,
    Metric::HeadcountEnd,
    Metric::RehireFired,
    Metric::LayoffsFired,
    Metric::RetryRate,
    Metric::CacheHitRate,
    Metric::ReviewMissed,
    Metric::ReviewBurden,
    Metric::UpliftClamped,
];

/// Where a result is kept.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Wide(usize),
    Narrow(usize),
    CostPerWu,
    SpendPerWu,
}

const fn slots() -> [Slot; Metric::COUNT] {
    let mut out = [Slot::CostPerWu; Metric::COUNT];
    let mut i = 0;
    while i < WIDE.len() {
        out[WIDE[i].index()] = Slot::Wide(i);
        i += 1;
    }
    let mut i = 0;
    while i < NARROW.len() {
        out[NARROW[i].index()] = Slot::Narrow(i);
        i += 1;
    }
    out[Metric::SpendPerWu.index()] = Slot::SpendPerWu;
    out
}

const SLOTS: [Slot; Metric::COUNT] = slots();

impl Metric {
    /// True for the results kept in single precision.
    pub fn is_narrow(self) -> bool {
        matches!(SLOTS[self.index()], Slot::Narrow(_))
    }

    /// `x` as reported: a figure about a single-precision result is given to the digits
    /// it has (0.95, not 0.949999988079071); other figures are unchanged.
    pub fn shown(self, x: f64) -> f64 {
        if self.is_narrow() && x.is_finite() {
            (x as f32).to_string().parse().unwrap_or(x)
        } else {
            x
        }
    }
}

/// `a / b`, undefined (NaN) when `b` is not above 0 or the ratio overflows; the engine's own
/// ratio.
pub fn ratio(a: f64, b: f64) -> f64 {
    let r = a / b;
    // A denominator so small that the ratio overflows has no meaning either.
    if b > 0.0 && r.is_finite() {
        r
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

/// The most layoffs a strategy may have: which ones happened is kept as the bits of a
/// single-precision number, exact up to 2^24.
pub const MAX_LAYOFFS: usize = 24;

/// The wide and narrow rows of a range of paths, for the engine to fill.
pub type Rows<'a> = (&'a mut [f64], &'a mut [f32]);

/// Per-path results of a run, `[path][strategy][metric]`.
#[derive(Clone, Debug, Default)]
pub struct Finals {
    n_strategies: usize,
    wide: Vec<f64>,
    narrow: Vec<f32>,
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

    /// Paths held.
    pub fn n_paths(&self) -> usize {
        self.wide.len() / (self.n_strategies * WIDE.len()).max(1)
    }

    /// Strategies per path.
    pub fn n_strategies(&self) -> usize {
        self.n_strategies
    }

    /// One result.
    pub fn get(&self, path: usize, strategy: usize, metric: Metric) -> f64 {
        let row = path * self.n_strategies + strategy;
        let wide = |i: usize| self.wide[row * WIDE.len() + i];
        // The positions of the totals the ratios divide, fixed by `WIDE`.
        const fn at(m: Metric) -> usize {
            match SLOTS[m.index()] {
                Slot::Wide(i) => i,
                _ => panic!("a ratio divides wide results"),
            }
        }
        match SLOTS[metric.index()] {
            Slot::Wide(i) => wide(i),
            Slot::Narrow(_) if metric == Metric::LayoffsFired => {
                f64::from(self.stages(path, strategy).count_ones())
            }
            Slot::Narrow(i) => f64::from(self.narrow[row * NARROW.len() + i]),
            Slot::CostPerWu => ratio(
                wide(const { at(Metric::TotalCost) }),
                wide(const { at(Metric::Output) }),
            ),
            Slot::SpendPerWu => spend_per_wu(
                wide(const { at(Metric::Tokens) }),
                wide(const { at(Metric::Seats) }),
                wide(const { at(Metric::Loops) }),
                wide(const { at(Metric::Output) }),
            ),
        }
    }

    /// Which of a strategy's layoffs happened on a path: bit `i` for layoff `i` (kept
    /// exactly for the first `MAX_LAYOFFS`).
    pub fn stages(&self, path: usize, strategy: usize) -> u32 {
        const AT: usize = const {
            match SLOTS[Metric::LayoffsFired.index()] {
                Slot::Narrow(i) => i,
                _ => panic!("layoffs fired is narrow"),
            }
        };
        let row = path * self.n_strategies + strategy;
        self.narrow[row * NARROW.len() + AT] as u32
    }

    /// A result across every path, in path order.
    pub fn column(&self, strategy: usize, metric: Metric) -> Vec<f64> {
        (0..self.n_paths())
            .map(|p| self.get(p, strategy, metric))
            .collect()
    }

    /// The rows of the paths before `first` and of those from `first` on, for the engine
    /// to fill in parallel.
    pub fn split_at_path(&mut self, first: usize) -> (Rows<'_>, Rows<'_>) {
        let (w, n) = (
            self.n_strategies * WIDE.len(),
            self.n_strategies * NARROW.len(),
        );
        let (wide_a, wide_b) = self.wide.split_at_mut(first * w);
        let (narrow_a, narrow_b) = self.narrow.split_at_mut(first * n);
        ((wide_a, narrow_a), (wide_b, narrow_b))
    }

    /// Values per path row: `(wide, narrow)`.
    pub fn row_lengths(n_strategies: usize) -> (usize, usize) {
        (n_strategies * WIDE.len(), n_strategies * NARROW.len())
    }

    /// Packs one path's full rows, one per strategy, into its slots.
    pub fn pack(full: &[MetricRow], wide: &mut [f64], narrow: &mut [f32]) {
        for ((row, w), n) in full
            .iter()
            .zip(wide.chunks_exact_mut(WIDE.len()))
            .zip(narrow.chunks_exact_mut(NARROW.len()))
        {
            for (x, m) in w.iter_mut().zip(WIDE) {
                *x = row[m];
            }
            for (x, m) in n.iter_mut().zip(NARROW) {
                // A finite value beyond single precision (a ratio over a vanishing
                // denominator) is kept as undefined, never as an infinity.
                let y = row[m] as f32;
                *x = if y.is_infinite() && row[m].is_finite() {
                    f32::NAN
                } else {
                    y
                };
            }
        }
    }

    /// A store of one path packed from its full rows.
    pub fn of_one_path(full: &[MetricRow]) -> Finals {
        let mut f = Finals::zeros(1, full.len());
        Finals::pack(full, &mut f.wide, &mut f.narrow);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_result_has_exactly_one_place() {
        let mut seen = [0; Metric::COUNT];
        for m in WIDE.iter().chain(&NARROW) {
            seen[m.index()] += 1;
        }
        seen[Metric::CostPerWu.index()] += 1;
        seen[Metric::SpendPerWu.index()] += 1;
        assert!(seen.iter().all(|c| *c == 1), "{seen:?}");
    }

    #[test]
    fn ratios_are_read_back_as_the_engine_computes_them() {
        let mut full = MetricRow::default();
        full[Metric::TotalCost] = 10.0;
        full[Metric::Output] = 4.0;
        full[Metric::Tokens] = 1.0;
        full[Metric::KnowledgeEnd] = 0.95;
        let f = Finals::of_one_path(&[full]);
        assert_eq!(f.get(0, 0, Metric::CostPerWu), 2.5);
        assert_eq!(f.get(0, 0, Metric::SpendPerWu), 0.25);
        assert_eq!(f.get(0, 0, Metric::KnowledgeEnd), f64::from(0.95f32));
        assert_eq!(
            Metric::KnowledgeEnd.shown(f.get(0, 0, Metric::KnowledgeEnd)),
            0.95
        );
        assert_eq!(Metric::Npv.shown(0.1 + 0.2), 0.1 + 0.2);
        full[Metric::Tokens] = 0.0;
        let f = Finals::of_one_path(&[full]);
        assert!(f.get(0, 0, Metric::SpendPerWu).is_nan());
        assert_eq!((f.n_paths(), f.n_strategies()), (1, 1));
    }
}
