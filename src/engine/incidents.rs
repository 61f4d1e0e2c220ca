//! Failures, review and incidents (docs/model.md 4.6): the expected number of incidents
//! from change and from agents' harmful actions, destructive incidents and runaway
//! loops; their counts drawn from the path's streams (or their expectations in point
//! mode); their sizes, losses and responder time. It also holds the path's streams of
//! month-to-month chance (`Chance`), which attrition draws from too.
//!
//! Chance and losses only: the money they cost is booked by `money`.

use super::draw::{
    binomial_inv_kept, capped_lognormal_mean, capped_lognormal_moments, lognormal, open01,
    poisson_inv_kept, SUM_BY_EVENTS,
};
use super::production::ai_share;
use super::rng::{mechanism, path_key, stream_at, Rng};
use super::state::{Carry, Fixed, Month};
use super::world::Mode;
use crate::model::HOURS_PER_WU;
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
    fn count(&mut self, i: usize, lambda: f64) -> f64 {
        match &mut self.counts {
            Some(s) => poisson_inv_kept(open01(&mut s[i]), lambda, &mut self.no_event[i]),
            None => lambda.max(0.0),
        }
    }

    /// Sum of `n` lognormal sizes, each capped at `cap`, from mechanism `mech` in `month`.
    fn sizes(&mut self, mech: u64, month: u32, n: f64, (mu, sigma): (f64, f64), cap: f64) -> f64 {
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
const INCIDENT_COUNT: usize = 1;
const DESTRUCTIVE_COUNT: usize = 2;
const LOOP_COUNT: usize = 3;

/// The expected number of incidents (from change and from unblocked harmful actions),
/// destructive incidents and runaway loops this month.
pub(super) fn rate_incidents(f: &Fixed, m: &mut Month) {
    let w = &f.world.w;
    let (inc, lev) = (&w.incidents, f.lev);
    let share_ai = ai_share(m.x_assist, m.x_agent, m.execution);
    m.miss = 1.0 - m.detect;
    let risk =
        (1.0 - share_ai) + share_ai * (1.0 + inc.ai_risk) * (1.0 + inc.unreviewed_risk * m.miss);
    let lambda_change = inc.base_rate * (m.output / 200.0) * m.k_mult * risk;
    m.tasks = if lev.wu_per_seat > 0.0 {
        m.planned * HOURS_PER_WU / w.capability.task_hours
    } else {
        0.0
    };
    m.attempts = m.tasks * m.attempts_per_task;
    let unblocked = m.attempts * inc.p_harm * (1.0 - lev.guardrails);
    m.rates[INCIDENT_COUNT] = lambda_change + unblocked * inc.p_harm_incident;
    m.rates[DESTRUCTIVE_COUNT] = unblocked * inc.p_destructive;
    m.rates[LOOP_COUNT] = m.agents * inc.p_loop;
}

/// This month's counts of each lane, one stream at a time across the lanes.
pub(super) fn count_incidents(carry: &mut [Carry], months: &mut [Month]) {
    for i in [INCIDENT_COUNT, DESTRUCTIVE_COUNT, LOOP_COUNT] {
        for (c, m) in carry.iter_mut().zip(months.iter_mut()) {
            m.counts[i] = c.chance.count(i, m.rates[i]);
        }
    }
}

/// What this month's incidents and loops cost.
pub(super) struct Losses {
    /// Downtime and destructive losses.
    pub incident_cost: f64,
    pub loop_cost: f64,
    /// Incidents of every kind, destructive ones among them.
    pub incidents: f64,
    pub destructive: f64,
}

/// Sizes of this month's incidents and loops: every incident, destructive ones too, lasts
/// a while (longer where know-how is lost) and takes responders out of next month's
/// time; a destructive one adds its loss on top; a loop's cost stops at the budget.
pub(super) fn size_incidents(f: &Fixed, s: &mut Carry, m: &Month, t: u32) -> Losses {
    let inc = &f.world.w.incidents;
    let n_incidents = m.counts[INCIDENT_COUNT];
    let n_destructive = m.counts[DESTRUCTIVE_COUNT];
    let n_loops = m.counts[LOOP_COUNT];
    let chance = &mut s.chance;
    let minutes = m.k_mult
        * chance.sizes(
            mechanism::INCIDENT_SIZE,
            t,
            n_incidents + n_destructive,
            f.duration,
            f64::INFINITY,
        );
    let destructive_loss = chance.sizes(
        mechanism::DESTRUCTIVE_SIZE,
        t,
        n_destructive,
        f.destructive_size,
        f64::INFINITY,
    );
    let loop_cost = chance.sizes(
        mechanism::LOOP_SIZE,
        t,
        n_loops,
        f.loop_size,
        f.lev.loop_budget,
    );
    s.incident_time = inc.responders * minutes / (HOURS_PER_WU * 60.0);
    Losses {
        incident_cost: minutes * inc.downtime_cost_per_minute + destructive_loss,
        loop_cost,
        incidents: n_incidents + n_destructive,
        destructive: n_destructive,
    }
}
