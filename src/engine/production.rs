//! Production (docs/model.md 4.5): effective engineering time, judgment and execution,
//! what assisted seats and agents add (agents' attempts, review coverage, detection and
//! retries), and output by the normalised CES of judgment and execution.
//!
//! Work only: what the tokens cost is `demand`'s, and what failures and incidents follow
//! from the work is `incidents`'.

use super::ces::{ces, ces_from_inner, ces_inner, ces_ratio};
use super::knowledge::{agent_context, detection, human_factor};
use super::levers::Seat;
use super::state::{Fixed, Knowledge, Month, LANES};

/// Judgment and execution of one month: effective time after know-how, codifying and
/// last month's incident response; the move toward directing; assisted and agent
/// execution, with review coverage and retries of caught failures.
pub(super) fn produce(f: &Fixed, k: &Knowledge, incident_time: f64, m: &mut Month, t: u32) {
    let w = &f.world.w;
    let (kn, prod, lev, world) = (&w.knowledge, &w.production, f.lev, f.world);
    let j = prod.judgment_share;
    let knowledge_factor = human_factor(kn, k.k);
    let e = (m.staff * knowledge_factor * (1.0 - lev.codify) - incident_time).max(0.0);
    let j_t = match lev.directing {
        Some((target, months)) => {
            let share = if months <= 0.0 {
                1.0
            } else {
                (t as f64 / months).min(1.0)
            };
            j + (target - j) * share
        }
        None => j,
    };
    let judgment = j_t * e;
    let x_assist = match lev.assist {
        Seat::None => 0.0,
        Seat::Flat { .. } => m.adopted * world.flat_a * (1.0 - j) * e,
        Seat::Metered { .. } if m.q_assist > 0.0 => {
            m.adopted * world.assist_a * (1.0 - j) * e * m.assist_gain
        }
        Seat::Metered { .. } => 0.0,
    };
    let planned = m.agents * lev.wu_per_seat * m.q_beta;
    let context = agent_context(kn, k);
    let s_c = (world.success[(t - 1) as usize] * context).clamp(0.0, 1.0);
    let review_demand = prod.review_per_wu * (x_assist.max(0.0) + planned);
    let review_available = prod.review_share * judgment;
    let cov = if review_demand > 0.0 {
        (review_available / review_demand).min(1.0)
    } else {
        1.0
    };
    let detect = detection(kn, cov, k.k);
    let fail = (1.0 - s_c) * detect;
    let attempts_per_task = geometric_sum(fail, lev.max_retries);
    let x_agent = planned * s_c * attempts_per_task;
    let execution = ((1.0 - j_t) * e + x_assist + x_agent).max(0.0);
    m.e = e;
    m.judgment = judgment;
    m.x_assist = x_assist;
    m.planned = planned;
    m.review_demand = review_demand;
    m.review_available = review_available;
    m.detect = detect;
    m.attempts_per_task = attempts_per_task;
    m.x_agent = x_agent;
    m.execution = execution;
}

/// `(judgment share, rho, n0)` of a path's CES.
fn ces_params(f: &Fixed) -> (f64, f64, f64) {
    (f.world.w.production.judgment_share, f.world.rho, f.n0)
}

/// Output of each lane, `ces` of its judgment and execution, with each logarithm and
/// exponential of the chain taken for every lane before the next.
pub(super) fn combine_output(fixed: &[Fixed], months: &mut [Month]) {
    let n = months.len();
    let mut steps = [None; LANES];
    for l in 0..n {
        let (j, rho, n0) = ces_params(&fixed[l]);
        steps[l] = ces_ratio(months[l].judgment, months[l].execution, j, rho, n0);
    }
    let mut x = [0.0; LANES];
    for l in 0..n {
        x[l] = steps[l].map_or(0.0, |(_, ratio)| ratio.ln());
    }
    for l in 0..n {
        let (j, rho, _) = ces_params(&fixed[l]);
        x[l] = ces_inner(j, rho, x[l]);
    }
    let mut ln_inner = [0.0; LANES];
    for l in 0..n {
        ln_inner[l] = x[l].ln();
    }
    for l in 0..n {
        let (j, rho, n0) = ces_params(&fixed[l]);
        let m = &mut months[l];
        m.output = match steps[l] {
            Some((a, _)) if x[l].is_finite() && x[l] > 0.0 => {
                ces_from_inner(a, n0, rho, ln_inner[l])
            }
            _ => ces(m.judgment, m.execution, j, rho, n0),
        };
    }
}

/// Share of execution written by AI. A negative uplift (AI slowing engineers down) lowers
/// execution but writes no code, so it does not offset the agents' share.
pub(super) fn ai_share(x_assist: f64, x_agent: f64, execution: f64) -> f64 {
    if execution > 0.0 {
        ((x_assist.max(0.0) + x_agent) / execution).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `1 + f + ... + f^r`: attempts per task with up to `r` retries of caught failures.
fn geometric_sum(f: f64, r: i32) -> f64 {
    let mut total = 1.0;
    let mut term = 1.0;
    for _ in 0..r {
        term *= f;
        total += term;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_uplift_does_not_hide_agent_work() {
        assert_eq!(ai_share(-5.0, 10.0, 100.0), 0.1);
        assert_eq!(ai_share(5.0, 10.0, 100.0), 0.15);
        assert_eq!(ai_share(1.0, 1.0, 0.0), 0.0);
    }

    #[test]
    fn geometric_sum_counts_retries() {
        assert_eq!(geometric_sum(0.5, 0), 1.0);
        assert_eq!(geometric_sum(0.5, 2), 1.75);
    }
}
