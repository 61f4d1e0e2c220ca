//! Institutional know-how and codified context (docs/model.md 4.2): what layoffs and
//! attrition take, renewal by people (and by agents only through codified context), the
//! ceiling a layoff lowers for good, codifying, and the effects of know-how on people,
//! agents, review and incidents.
//!
//! Know-how only: who leaves is `staff`'s to decide, and what the effects multiply is
//! computed by the mechanisms that use them.

use super::state::{Carry, Fixed, Knowledge, Month, LANES};
use crate::model::Knowledge as Params;

/// A layoff of `n_cut` out of `headcount` with seniority weight `seniority`: know-how
/// held by one, two or three people is lost with the chance that all its holders go,
/// less what codified context protects; a share of the loss lowers the ceiling for good.
pub(super) fn lose_to_layoff(
    kn: &Params<f64>,
    know: &mut Knowledge,
    n_cut: f64,
    headcount: f64,
    seniority: f64,
) {
    let share = (seniority * n_cut / headcount).min(1.0);
    let loss = (kn.single_holder * share
        + kn.pair_holders * share * share
        + kn.many_holders * share * share * share)
        * (1.0 - know.c);
    let before = know.k;
    know.k *= 1.0 - loss.clamp(0.0, 1.0);
    know.k_max -= kn.permanent_share * (before - know.k);
}

/// Attrition of `leavers` out of `headcount`: they take the know-how only they held, less
/// what codified context protects.
pub(super) fn lose_to_attrition(
    kn: &Params<f64>,
    know: &mut Knowledge,
    leavers: f64,
    headcount: f64,
) {
    know.k *= 1.0 - (kn.single_holder * leavers / headcount * (1.0 - know.c)).clamp(0.0, 1.0);
}

/// Renewal and staleness of know-how, then codifying: coverage by this month's staff and
/// last month's agent work through codified context.
pub(super) fn renew_knowledge(f: &Fixed, know: &mut Knowledge, m: &Month) {
    let kn = &f.world.w.knowledge;
    let coverage = f
        .per_n0(m.staff + kn.agent_renewal * know.c * know.x_agent_last)
        .min(1.0);
    know.k +=
        kn.learn_rate * coverage * (know.k_max - know.k) - f.delta * (1.0 - coverage) * know.k;
    know.k = know.k.clamp(0.0, know.k_max.max(0.0));
    know.c += kn.codify_rate * (f.lev.codify * f.per_n0(m.staff)) * (1.0 - know.c)
        - 0.5 * f.delta * know.c;
    know.c = know.c.clamp(0.0, 1.0);
}

/// Remembers this month's agent execution for next month's renewal.
pub(super) fn remember_agent_work(know: &mut Knowledge, m: &Month) {
    know.x_agent_last = m.x_agent;
}

/// Human productivity with know-how `k`: `k_floor + (1 - k_floor) K`.
pub(super) fn human_factor(kn: &Params<f64>, k: f64) -> f64 {
    kn.human_floor + (1.0 - kn.human_floor) * k
}

/// Agents' context: `a_floor + (1 - a_floor) max(K, C)`.
pub(super) fn agent_context(kn: &Params<f64>, know: &Knowledge) -> f64 {
    kn.agent_floor + (1.0 - kn.agent_floor) * know.k.max(know.c)
}

/// Share of failures review catches at coverage `cov`: `cov d_max K`.
pub(super) fn detection(kn: &Params<f64>, cov: f64, k: f64) -> f64 {
    cov * kn.detection_max * k
}

/// The incident multiplier of lost know-how, `max(K, 0.05)^(-gamma)`, of each lane: every
/// logarithm taken before any exponential.
pub(super) fn multiply_incidents(fixed: &[Fixed], carry: &[Carry], months: &mut [Month]) {
    let mut x = [0.0; LANES];
    for (x, c) in x.iter_mut().zip(carry) {
        *x = c.know.k.max(0.05).ln();
    }
    for l in 0..months.len() {
        let gamma = fixed[l].world.w.knowledge.gamma;
        months[l].k_mult = if carry[l].know.k >= 1.0 {
            1.0
        } else {
            (-gamma * x[l]).exp()
        };
    }
}
