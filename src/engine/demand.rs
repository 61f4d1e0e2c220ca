//! Prices and token demand (docs/model.md 4.3 and 4.4): the strategy's price of a token
//! (routing, caching, the subsidy shock, capacity), the cost of a task with codified
//! context, usage by the Jevons mechanism with partial adjustment, what caps let each
//! kind of seat buy and what it costs, and the gain from the tokens bought.
//!
//! Prices and usage only: what the tokens produce is `production`'s.

use super::levers::Seat;
use super::state::{Carry, Fixed, Month, LANES};

/// Usage index bounds: `Q` stays within a millionth and a million times today's.
pub const MAX_LN_Q: f64 = 13.815_510_557_964_274;

/// The strategy's price of a token this month against today's unmanaged frontier price,
/// and the cost of one task's tokens, which codified skills lower (4.3, 4.4).
pub(super) fn price_tasks(f: &Fixed, c: f64, m: &mut Month, t: u32) {
    let (world, lev) = (f.world, f.lev);
    let w = &world.w;
    let ti = (t - 1) as usize;
    let mut p_eff =
        world.p_frontier[ti] * (1.0 - lev.routing) + world.p_commodity[ti] * lev.routing;
    p_eff *= f.cache_factor * world.subsidy_api[ti] * w.prices.capacity_premium;
    m.task_cost = (p_eff * (1.0 - w.demand.script_share * c)).max(1e-300);
}

/// Usage of each lane this month: the log of each lane's task cost taken before any
/// lane's usage moves (`adjust_usage`).
pub(super) fn adjust_usage_of_lanes(
    fixed: &[Fixed],
    carry: &mut [Carry],
    months: &mut [Month],
    t: u32,
) {
    let mut ln_cost = [0.0; LANES];
    for l in 0..months.len() {
        if fixed[l].buys_tokens {
            ln_cost[l] = months[l].task_cost.ln();
        }
    }
    for l in 0..months.len() {
        adjust_usage(&fixed[l], &mut carry[l].ln_q, &mut months[l], ln_cost[l], t);
    }
}

/// Token demand (Jevons) with partial adjustment toward `c^(-eps) G(t)`, from `ln_cost`,
/// the log of the cost of a task. A strategy that never buys tokens never reads Q, so it
/// is not computed.
fn adjust_usage(f: &Fixed, ln_q: &mut f64, m: &mut Month, ln_cost: f64, t: u32) {
    if !f.buys_tokens {
        m.q = 1.0;
        return;
    }
    let (world, dem) = (f.world, &f.world.w.demand);
    let ti = (t - 1) as usize;
    let ln_target = -dem.elasticity * ln_cost + world.ln_growth[ti];
    *ln_q += dem.adjustment * (ln_target - *ln_q) + dem.noise * world.z_demand[ti];
    // Usage is bounded at a million times today's, so extreme but valid parameters
    // (elasticity 5 against a price that falls a thousandfold) cannot overflow.
    *ln_q = ln_q.clamp(-MAX_LN_Q, MAX_LN_Q);
    m.q = ln_q.exp();
}

/// What caps let each kind of seat buy of usage Q, and what it costs: metered tokens of
/// assisted engineers and agents, flat seats at their (shocked) price.
pub(super) fn buy_tokens(f: &Fixed, ln_q: f64, m: &mut Month, t: u32) {
    let (lev, world) = (f.lev, f.world);
    let ti = (t - 1) as usize;
    let (q, task_cost) = (m.q, m.task_cost);
    // Usage bought under a cap, and its log.
    let bought = |spend0: f64, cap: f64| -> (f64, f64) {
        let unit = spend0 * task_cost;
        if unit > 0.0 && unit * q > cap {
            let b = cap / unit;
            (b, b.ln())
        } else {
            (q, ln_q)
        }
    };
    m.adopted = lev.adopted(t);
    let assisted = m.headcount * m.adopted;
    (m.q_assist, m.ln_q_assist) = (1.0, 0.0);
    match lev.assist {
        Seat::None => {}
        Seat::Flat { price } => m.seats = assisted * price * world.subsidy_seat[ti],
        Seat::Metered { spend, cap } => {
            (m.q_assist, m.ln_q_assist) = bought(spend, cap.in_month(t));
            m.tokens += assisted * spend * m.q_assist * task_cost;
        }
    }
    (m.q_agent, m.ln_q_agent) = if m.agents > 0.0 {
        bought(lev.agent_spend, lev.agent_cap.in_month(t))
    } else {
        (0.0, f64::NEG_INFINITY)
    };
    m.tokens += m.agents * lev.agent_spend * m.q_agent * task_cost;
}

/// The gain from tokens, `Q^returns`, of metered seats and of agents.
pub(super) fn gain_from_tokens(f: &Fixed, m: &mut Month) {
    let returns = f.world.w.demand.returns;
    m.assist_gain = match f.lev.assist {
        Seat::Metered { .. } if m.q_assist > 0.0 => (returns * m.ln_q_assist).exp(),
        _ => 0.0,
    };
    // Uncapped, both kinds buy all of Q and share its gain.
    let shared = m.assist_gain > 0.0 && m.ln_q_agent == m.ln_q_assist;
    m.q_beta = if m.q_agent <= 0.0 {
        0.0
    } else if shared {
        m.assist_gain
    } else {
        (returns * m.ln_q_agent).exp()
    };
}
