//! Failures, review and incidents (docs/model.md 4.6): the expected number of incidents
//! from change and from agents' harmful actions, destructive incidents and runaway
//! loops; their counts drawn from the path's streams (`chance`), or their expectations
//! in point mode; their sizes, losses and responder time.
//!
//! Chance and losses only: the money they cost is booked by `money`.

use super::chance::{DESTRUCTIVE_COUNT, INCIDENT_COUNT, LOOP_COUNT};
use super::production::ai_share;
use super::rng::mechanism;
use super::state::{Carry, Fixed, Month};
use crate::model::HOURS_PER_WU;

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
