//! The path's streams of month-to-month chance (docs/model.md 4.6 and 5): one stream per
//! mechanism keyed by `(seed, path, mechanism)`, the same keys for every strategy, so two
//! strategies that behave alike draw alike; or, in point mode, every draw at its
//! expectation. Attrition, incident, destructive-incident and loop counts take one
//! uniform a month each; sizes come from a stream of each month.
//!
//! Draws only: the rates and sizes drawn are set by the mechanisms that use them.

use super::draw::{
    binomial_inv_kept, capped_lognormal_mean, capped_lognormal_moments, lognormal, open01,
    poisson_inv_kept, SUM_BY_EVENTS,
};
use super::rng::{mechanism, path_key, stream_at, Rng};
use super::world::Mode;
use rand::Rng as _;

/// Chance for one strategy-path: one stream per mechanism, the same keys for every
/// strategy, or expectations in point mode. Counts take one uniform a month from their
/// stream; sizes come from a stream of their own for each month, so the sizes of one
/// month do not shift when another month's counts differ between strategies.
pub(super) struct Chance {
    counts: Option<[Rng; 4]>,
    /// `rng::path_key(seed, path)`, from which the size streams of each month derive.
    path_key: u64,
    /// The last whole `n` and `p` of `leavers` and the chance of no leaver they gave.
    no_leaver: (f64, f64, f64),
    /// Per count stream, the last mean and the chance of no event it gave.
    no_event: [(f64, f64); 4],
}

impl Chance {
    pub fn new(mode: &Mode) -> Chance {
        match *mode {
            Mode::Point => Chance {
                counts: None,
                path_key: 0,
                no_leaver: (f64::NAN, f64::NAN, f64::NAN),
                no_event: [(f64::NAN, f64::NAN); 4],
            },
            Mode::MonteCarlo { seed, path } => {
                let key = path_key(seed, path);
                Chance {
                    counts: Some([
                        stream_at(key, mechanism::ATTRITION),
                        stream_at(key, mechanism::INCIDENT_COUNT),
                        stream_at(key, mechanism::DESTRUCTIVE_COUNT),
                        stream_at(key, mechanism::LOOP_COUNT),
                    ]),
                    path_key: key,
                    no_leaver: (f64::NAN, f64::NAN, f64::NAN),
                    no_event: [(f64::NAN, f64::NAN); 4],
                }
            }
        }
    }

    /// Leavers among `n` with monthly chance `p`. Headcount rarely changes from month to
    /// month, so the chance of no leaver is kept for the next month.
    pub fn leavers(&mut self, n: f64, p: f64) -> f64 {
        match &mut self.counts {
            Some(s) => binomial_inv_kept(open01(&mut s[ATTRITION]), n, p, &mut self.no_leaver),
            None => n * p,
        }
    }

    /// A count with mean `lambda` from count stream `i`.
    pub fn count(&mut self, i: usize, lambda: f64) -> f64 {
        match &mut self.counts {
            Some(s) => poisson_inv_kept(open01(&mut s[i]), lambda, &mut self.no_event[i]),
            None => lambda.max(0.0),
        }
    }

    /// Sum of `n` lognormal sizes, each capped at `cap`, from mechanism `mech` in `month`.
    pub fn sizes(
        &mut self,
        mech: u64,
        month: u32,
        n: f64,
        (mu, sigma): (f64, f64),
        cap: f64,
    ) -> f64 {
        match self.counts {
            Some(_) if n >= 1.0 => {
                let mut rng = stream_at(self.path_key, mech | (u64::from(month) << 32));
                if n > SUM_BY_EVENTS {
                    // Thousands of events: their sum is normal to within a fraction of a
                    // percent, and one draw replaces n.
                    let (m, v) = capped_lognormal_moments(mu, sigma, cap);
                    let z: f64 = rng.sample(rand_distr::StandardNormal);
                    return (n * m + (n * v).sqrt() * z).max(0.0);
                }
                let mut total = 0.0;
                for _ in 0..(n as u64) {
                    total += lognormal(&mut rng, mu, sigma).min(cap);
                }
                total
            }
            Some(_) => 0.0,
            None => n * capped_lognormal_mean(mu, sigma, cap),
        }
    }
}

/// Count streams, by index.
const ATTRITION: usize = 0;
pub(super) const INCIDENT_COUNT: usize = 1;
pub(super) const DESTRUCTIVE_COUNT: usize = 2;
pub(super) const LOOP_COUNT: usize = 3;
