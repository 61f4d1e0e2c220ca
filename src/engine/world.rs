//! One path's world: every uncertain parameter drawn once, and the series every strategy
//! on that path shares (prices, the subsidy shock, agent capability, demand noise).

use super::ces::assist_factor;
use super::draw::open01;
use super::rng::{mechanism, stream};
use crate::model::copula::Member;
use crate::model::{Org, Param, Scenario, World};
use rand::Rng as _;
use rand_distr::StandardNormal;

/// How chance is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Draws from the streams of `(seed, path, mechanism)`.
    MonteCarlo { seed: u64, path: u64 },
    /// Parameters at their point values and every draw at its expectation (docs/model.md 1 and 4).
    Point,
}

impl Mode {
    /// Value of a parameter on this path.
    pub fn value(&self, p: &Param) -> f64 {
        match *self {
            Mode::Point => p.point(),
            Mode::MonteCarlo { seed, path } => {
                if p.dist.is_fixed() {
                    p.point()
                } else if let Some(m) = &p.copula {
                    correlated(m, seed, path).clamp(p.lo, p.hi)
                } else {
                    let mut rng = stream(seed, path, p.stream);
                    p.dist.sample(&mut rng).clamp(p.lo, p.hi)
                }
            }
        }
    }
}

/// A correlated parameter's value on a path (docs/model.md 2): the first `index + 1`
/// members' independent standard normals, each the first draw of its member's stream,
/// through the copula. The same on any run and thread count, as every draw is.
fn correlated(m: &Member, seed: u64, path: u64) -> f64 {
    let mut normals = [0.0; 16];
    let mut more = Vec::new();
    let e: &mut [f64] = if m.index < normals.len() {
        &mut normals[..=m.index]
    } else {
        more.resize(m.index + 1, 0.0);
        &mut more
    };
    for (x, id) in e.iter_mut().zip(&m.copula.streams) {
        *x = stream(seed, path, *id).sample(StandardNormal);
    }
    m.copula.value(m.index, e)
}

/// Drawn world of one path. Series are indexed by month - 1.
#[derive(Clone, Debug)]
pub struct PathWorld {
    pub org: Org<f64>,
    pub w: World<f64>,
    /// Engineers at the start, a whole number.
    pub n0: f64,
    pub p_frontier: Vec<f64>,
    pub p_commodity: Vec<f64>,
    pub subsidy_api: Vec<f64>,
    pub subsidy_seat: Vec<f64>,
    /// Agent success per attempt before the context factor, s(t).
    pub success: Vec<f64>,
    /// ln G(t), growth of demand not driven by price.
    pub ln_growth: Vec<f64>,
    /// Demand noise z(t), shared by every strategy.
    pub z_demand: Vec<f64>,
    /// Discount factor of month t for the NPV, `(1 + discount_rate)^(-t/12)`.
    pub discount: Vec<f64>,
    /// `rho = 1 - 1/sigma` of the CES.
    pub rho: f64,
    /// Execution added per unit of capacity by a metered seat at Q = 1, and by a flat seat.
    pub assist_a: f64,
    pub flat_a: f64,
    /// True when the metered (or flat) uplift had to be clamped to what the CES allows.
    pub metered_clamped: bool,
    pub flat_clamped: bool,
    /// Month the subsidy ends within the horizon, if it does (Monte Carlo only).
    pub shock_month: Option<u32>,
}

impl PathWorld {
    /// Draws the world of one path.
    pub fn draw(sc: &Scenario, mode: Mode) -> PathWorld {
        let h = sc.run.horizon as usize;
        let org = sc.org.map(|_, p| mode.value(p));
        let w = sc.world.map(|_, _, p| mode.value(p));
        let n0 = org.engineers.round().max(0.0);

        // Prices: log random walks with drift, one stream per tier.
        let mut p_frontier = Vec::with_capacity(h);
        let mut p_commodity = Vec::with_capacity(h);
        let pr = &w.prices;
        let (mut lf, mut lc) = (0.0_f64, pr.commodity_price.max(1e-300).ln());
        let drift_f = pr.g_frontier.ln() / 12.0;
        let drift_c = pr.g_commodity.ln() / 12.0;
        let mut rng_f = seeded(mode, mechanism::PRICE_FRONTIER);
        let mut rng_c = seeded(mode, mechanism::PRICE_COMMODITY);
        for _ in 0..h {
            lf += drift_f + pr.sigma * normal(&mut rng_f);
            lc += drift_c + pr.sigma * normal(&mut rng_c);
            p_frontier.push(lf.exp());
            p_commodity.push(if pr.commodity_price > 0.0 {
                lc.exp()
            } else {
                0.0
            });
        }

        // Subsidy end: a fixed month, or the first month the hazard fires.
        let sub = &w.subsidy;
        let ramp = sub.ramp_months.round().max(1.0);
        let fixed_month = sub.month.round();
        let ramped = |m: f64, t: usize, s: f64| -> f64 {
            let since = t as f64 - s + 1.0;
            if since < 1.0 {
                1.0
            } else {
                1.0 + (m - 1.0) * (since / ramp).min(1.0)
            }
        };
        let mut subsidy_api = vec![1.0; h];
        let mut subsidy_seat = vec![1.0; h];
        let mut shock_month = None;
        match mode {
            Mode::MonteCarlo { seed, path } => {
                let s = if fixed_month >= 1.0 {
                    Some(fixed_month)
                } else if sub.hazard >= 1.0 {
                    Some(1.0)
                } else if sub.hazard > 0.0 {
                    let u = open01(&mut stream(seed, path, mechanism::SUBSIDY));
                    Some((u.ln() / (1.0 - sub.hazard).ln()).ceil().max(1.0))
                } else {
                    None
                };
                if let Some(s) = s.filter(|s| *s <= h as f64) {
                    shock_month = Some(s as u32);
                    for t in 1..=h {
                        subsidy_api[t - 1] = ramped(sub.m_api, t, s);
                        subsidy_seat[t - 1] = ramped(sub.m_seat, t, s);
                    }
                }
            }
            Mode::Point => {
                for t in 1..=h {
                    if fixed_month >= 1.0 {
                        subsidy_api[t - 1] = ramped(sub.m_api, t, fixed_month);
                        subsidy_seat[t - 1] = ramped(sub.m_seat, t, fixed_month);
                    } else if sub.hazard > 0.0 {
                        // Expected multiplier over the month the subsidy ends.
                        let (mut ea, mut es, mut survive) = (0.0, 0.0, 1.0);
                        for s in 1..=t {
                            let p = survive * sub.hazard.min(1.0);
                            ea += p * ramped(sub.m_api, t, s as f64);
                            es += p * ramped(sub.m_seat, t, s as f64);
                            survive -= p;
                        }
                        subsidy_api[t - 1] = ea + survive;
                        subsidy_seat[t - 1] = es + survive;
                    }
                }
            }
        }

        // Capability: H_eff(t) = kappa H50 min(2^(t/T_d), cap); s = 1/(1 + (L/H_eff)^b).
        let cap = &w.capability;
        let success = (1..=h)
            .map(|t| {
                let h_eff = cap.kappa
                    * cap.h50
                    * (2f64.powf(t as f64 / cap.doubling_months)).min(cap.plateau);
                if h_eff <= 0.0 {
                    0.0
                } else {
                    1.0 / (1.0 + (cap.task_hours / h_eff).powf(cap.slope))
                }
            })
            .collect();

        let d = &w.demand;
        let (ln_g, ln_g_max) = (d.growth.ln(), d.growth_max.ln());
        let ln_growth = (1..=h)
            .map(|t| (ln_g * t as f64 / 12.0).min(ln_g_max))
            .collect();
        let mut rng_q = seeded(mode, mechanism::DEMAND);
        let z_demand = (0..h).map(|_| normal(&mut rng_q)).collect();

        let monthly = 1.0 / (1.0 + org.discount_rate).powf(1.0 / 12.0);
        let discount = (1..=h).map(|t| monthly.powi(t as i32)).collect();

        let prod = &w.production;
        let rho = 1.0 - 1.0 / prod.substitution;
        let j = prod.judgment_share;
        let (assist_a, clamped_a) = assist_factor(prod.uplift, j, rho);
        let (flat_a, clamped_f) = assist_factor(prod.uplift * prod.flat_uplift_scale, j, rho);

        PathWorld {
            org,
            w,
            n0,
            p_frontier,
            p_commodity,
            subsidy_api,
            subsidy_seat,
            success,
            ln_growth,
            z_demand,
            discount,
            rho,
            assist_a,
            flat_a,
            metered_clamped: clamped_a,
            flat_clamped: clamped_f,
            shock_month,
        }
    }
}

/// A generator for Monte Carlo mode; in point mode draws are never taken from it.
fn seeded(mode: Mode, mech: u64) -> Option<super::rng::Rng> {
    match mode {
        Mode::MonteCarlo { seed, path } => Some(stream(seed, path, mech)),
        Mode::Point => None,
    }
}

fn normal(rng: &mut Option<super::rng::Rng>) -> f64 {
    match rng {
        Some(r) => r.sample(StandardNormal),
        None => 0.0,
    }
}
