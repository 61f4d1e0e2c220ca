//! Production (docs/model.md 4.5): effective engineering time, judgment and execution,
//! what assisted seats and agents add (agents' attempts, review coverage, detection and
//! retries), and output by the normalised CES of judgment and execution.
//!
//! Work only: what the tokens cost is `demand`'s, and what failures and incidents follow
//! from the work is `incidents`'.

use super::knowledge::{agent_context, detection, human_factor};
use super::levers::Seat;
use super::schedule::LANES;
use super::state::{Fixed, Month};

/// Judgment and execution of one month: effective time after know-how, codifying and
/// last month's incident response; the move toward directing; assisted and agent
/// execution, with review coverage and retries of caught failures.
pub(super) fn produce(
    f: &Fixed,
    k: &super::knowledge::Knowledge,
    incident_time: f64,
    m: &mut Month,
    t: u32,
) {
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

/// Solves `(1 + a)^rho = ((1 + u)^rho - j) / (1 - j)` for `a`, the execution an assisted
/// engineer adds per unit of capacity so that output is `1 + u` times (MODEL.md 6.5).
/// Clamps `u` to 95% of the largest value the CES allows and says so.
pub fn assist_factor(u: f64, j: f64, rho: f64) -> (f64, bool) {
    if rho.abs() < 1e-9 {
        return ((1.0 + u).max(0.0).powf(1.0 / (1.0 - j)) - 1.0, false);
    }
    let mut u = u;
    let mut clamped = false;
    if rho < 0.0 {
        let bound = j.powf(1.0 / rho) - 1.0;
        if u >= bound {
            u = 0.95 * bound;
            clamped = true;
        }
    }
    let inner = ((1.0 + u).max(0.0).powf(rho) - j) / (1.0 - j);
    if inner <= 0.0 {
        // Only reachable with rho > 0 and a large negative uplift: the most the CES can
        // take away is all of an engineer's execution, so the uplift is clamped there.
        return (-1.0, true);
    }
    (inner.powf(1.0 / rho) - 1.0, clamped)
}

/// The normalised CES of judgment `jm` and execution `x` (MODEL.md 6.5).
///
/// Where both factors are positive and `rho` is not 0 it is computed as
/// `n0 a (j + (1 - j) (b/a)^rho)^(1/rho)`, two logarithms and two exponentials instead of
/// three powers, in the steps `ces_ratio`, `ces_inner` and `ces_from_inner`, which the
/// engine also takes for several paths at once.
pub fn ces(jm: f64, x: f64, j: f64, rho: f64, n0: f64) -> f64 {
    if let Some((a, ratio)) = ces_ratio(jm, x, j, rho, n0) {
        let inner = ces_inner(j, rho, ratio.ln());
        if inner.is_finite() && inner > 0.0 {
            return ces_from_inner(a, n0, rho, inner.ln());
        }
    }
    if n0 <= 0.0 {
        return 0.0;
    }
    let a = (jm / (j * n0)).max(0.0);
    let b = (x / ((1.0 - j) * n0)).max(0.0);
    if rho.abs() < 1e-9 {
        return n0 * a.powf(j) * b.powf(1.0 - j);
    }
    if rho < 0.0 && (a <= 0.0 || b <= 0.0) {
        return 0.0;
    }
    n0 * (j * a.powf(rho) + (1.0 - j) * b.powf(rho)).powf(1.0 / rho)
}

/// First step of `ces`: `(a, b / a)`, judgment and execution per unit of their shares of
/// `n0`, where the two-logarithm form applies (`n0` above 0, `rho` not 0, both positive).
pub fn ces_ratio(jm: f64, x: f64, j: f64, rho: f64, n0: f64) -> Option<(f64, f64)> {
    if n0 <= 0.0 || rho.abs() < 1e-9 {
        return None;
    }
    let a = (jm / (j * n0)).max(0.0);
    let b = (x / ((1.0 - j) * n0)).max(0.0);
    (a > 0.0 && b > 0.0).then(|| (a, b / a))
}

/// Second step of `ces`: `j + (1 - j) (b/a)^rho` from `ln(b/a)`.
pub fn ces_inner(j: f64, rho: f64, ln_ratio: f64) -> f64 {
    j + (1.0 - j) * (rho * ln_ratio).exp()
}

/// Last step of `ces`: `n0 a inner^(1/rho)` from `ln(inner)`.
pub fn ces_from_inner(a: f64, n0: f64, rho: f64, ln_inner: f64) -> f64 {
    n0 * a * (ln_inner / rho).exp()
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

    #[test]
    fn ces_without_ai_gives_effective_staff() {
        for rho in [-3.0, -0.5, 0.0, 0.5] {
            let o = ces(0.4 * 150.0, 0.6 * 150.0, 0.4, rho, 200.0);
            assert!((o - 150.0).abs() < 1e-9, "rho {rho}: {o}");
        }
    }

    #[test]
    fn assist_factor_gives_the_uplift() {
        for (u, j, rho) in [
            (0.32, 0.4, -3.0),
            (0.2, 0.3, -0.5),
            (-0.1, 0.4, -3.0),
            (0.3, 0.4, 0.0),
            (0.3, 0.4, 0.5),
        ] {
            let (a, clamped) = assist_factor(u, j, rho);
            assert!(!clamped);
            let o = ces(j * 100.0, (1.0 - j) * 100.0 * (1.0 + a), j, rho, 100.0);
            assert!((o - 100.0 * (1.0 + u)).abs() < 1e-9, "u {u} rho {rho}: {o}");
        }
    }

    #[test]
    fn assist_factor_clamps_beyond_the_ces_bound() {
        // sigma = 0.25, j = 0.6: output can rise at most 0.6^(-1/3) - 1 = 18.6%.
        let (a, clamped) = assist_factor(0.5, 0.6, -3.0);
        assert!(clamped && a.is_finite());
    }
}
