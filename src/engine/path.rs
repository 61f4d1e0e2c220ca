//! One strategy on a few paths at once, month by month (MODEL.md 6).
//!
//! The order of a month is fixed: headcount, knowledge, prices, token demand,
//! production, failures and incidents, money. Each step reads only this month's earlier
//! steps or last month's state. Each step is taken for every path of the group (`LANES`)
//! before the next, so the processor overlaps the paths' chains of logarithms and
//! exponentials; a path's numbers are the same whichever paths share its group. Nothing
//! here allocates per month or touches I/O.

use super::draw::{
    binomial_inv_kept, capped_lognormal_mean, capped_lognormal_moments, log_params, lognormal,
    open01, poisson_inv_kept, SUM_BY_EVENTS,
};
use super::rng::{mechanism, path_key, stream_at, Rng};
use super::world::{ces, ces_from_inner, ces_inner, ces_ratio, Mode, PathWorld};
use crate::metrics::{ratio, spend_per_wu, Metric, MetricRow, Series, SeriesRow};
use crate::model::{Assist, Cap, Curve, Seats, Strategy, HOURS_PER_WU};
use rand::Rng as _;

/// Usage index bounds: `Q` stays within a millionth and a million times today's.
pub const MAX_LN_Q: f64 = 13.815_510_557_964_274;

/// A strategy's levers drawn for one path.
#[derive(Clone, Debug, Default)]
pub struct Levers {
    severance_months: f64,
    routing: f64,
    caching: f64,
    codify: f64,
    guardrails: f64,
    loop_budget: f64,
    seat_price: f64,
    assist_spend: f64,
    assist_cap: f64,
    assist_cap_from: u32,
    /// `(start, target, months, curve)` of the share of engineers with seats.
    adoption: Option<(f64, f64, f64, Curve)>,
    /// `None`: one seat per engineer laid off so far.
    agent_seats: Option<f64>,
    wu_per_seat: f64,
    agent_spend: f64,
    agent_cap: f64,
    agent_cap_from: u32,
    directing: Option<(f64, f64)>,
    max_retries: i32,
    rehire: Option<RehireDraw>,
    /// `(month, fraction, seniority_weight)`.
    layoffs: Vec<(u32, f64, f64)>,
}

#[derive(Clone, Copy, Debug)]
struct RehireDraw {
    incident_cost_above: f64,
    output_below: f64,
    target: f64,
    lag: f64,
}

impl Levers {
    /// Draws every lever of `s` for one path into `self`, reusing its memory.
    pub fn fill(&mut self, s: &Strategy, mode: &Mode) {
        let inf = f64::INFINITY;
        let v = |p: &crate::model::Param| mode.value(p);
        let ov = |p: &Option<crate::model::Param>| p.as_ref().map(v);
        self.severance_months = v(&s.severance_months);
        self.routing = v(&s.routing);
        self.caching = v(&s.caching);
        self.codify = v(&s.codify);
        self.guardrails = v(&s.guardrails);
        self.loop_budget = ov(&s.loop_budget).unwrap_or(inf);
        let cap = |c: Option<&Cap>| match c {
            Some(c) => (v(&c.amount), ov(&c.from).map_or(1, |m| m.round() as u32)),
            None => (inf, 1),
        };
        (self.seat_price, self.assist_spend) = match &s.assist {
            Assist::None => (0.0, 0.0),
            Assist::Flat { seat_price } => (v(seat_price), 0.0),
            Assist::Metered { spend, .. } => (0.0, v(spend)),
        };
        (self.assist_cap, self.assist_cap_from) = cap(s.assist.cap());
        self.adoption = s
            .adoption
            .as_ref()
            .map(|a| (v(&a.start), v(&a.target), v(&a.months), a.curve));
        self.agent_seats = match &s.agents.seats {
            Seats::Count(p) => Some(v(p)),
            Seats::ReplaceLaidOff => None,
        };
        self.wu_per_seat = v(&s.agents.wu_per_seat);
        self.agent_spend = v(&s.agents.spend);
        (self.agent_cap, self.agent_cap_from) = cap(s.agents.cap.as_ref());
        self.directing = s.directing.as_ref().map(|d| (v(&d.target), v(&d.months)));
        self.max_retries = v(&s.max_retries).round() as i32;
        self.rehire = s.rehire.as_ref().map(|r| RehireDraw {
            incident_cost_above: ov(&r.incident_cost_above).unwrap_or(inf),
            output_below: ov(&r.output_below).unwrap_or(f64::NEG_INFINITY),
            target: v(&r.target),
            lag: v(&r.lag),
        });
        self.layoffs.clear();
        self.layoffs.extend(s.layoffs.iter().map(|l| {
            (
                v(&l.month).round() as u32,
                v(&l.fraction),
                v(&l.seniority_weight),
            )
        }));
    }
}

impl Levers {
    /// Share of engineers with AI seats in month `t`.
    fn adopted(&self, t: u32) -> f64 {
        match self.adoption {
            None => 1.0,
            Some((start, target, months, curve)) => {
                let x = if months <= 0.0 {
                    1.0
                } else {
                    f64::from(t - 1) / months
                };
                start + (target - start) * curve.at(x)
            }
        }
    }

    /// The cap of a seat kind in month `t`: none before its first month.
    fn cap_in(cap: f64, from: u32, t: u32) -> f64 {
        if t >= from {
            cap
        } else {
            f64::INFINITY
        }
    }
}

/// Engineers hired in one month.
#[derive(Clone, Copy, Debug)]
struct Cohort {
    count: f64,
    hired: u32,
}

/// Engineers by hire month, oldest first: everyone fully ramped (the engineers of the
/// start among them) in one pool, the others by the month they were hired.
#[derive(Default)]
struct Staff {
    ramped: f64,
    ramping: std::collections::VecDeque<Cohort>,
}

impl Staff {
    fn reset(&mut self, n0: f64) {
        self.ramped = n0;
        self.ramping.clear();
    }

    fn headcount(&self) -> f64 {
        self.ramped + self.ramping.iter().map(|c| c.count).sum::<f64>()
    }

    fn hire(&mut self, count: f64, month: u32) {
        self.ramping.push_back(Cohort {
            count,
            hired: month,
        });
    }

    /// Removes `n` engineers, newest hires first (a layoff).
    fn remove_newest(&mut self, n: f64) {
        let n = self.remove_ramping(n, true);
        self.ramped -= self.ramped.min(n);
    }

    /// Removes `n` engineers, longest-serving first (attrition).
    fn remove_oldest(&mut self, n: f64) {
        let take = self.ramped.min(n);
        self.ramped -= take;
        self.remove_ramping(n - take, false);
    }

    /// Removes up to `n` engineers from the cohorts still ramping, the newest or the
    /// oldest cohort first. Returns how many of `n` were left.
    fn remove_ramping(&mut self, mut n: f64, newest: bool) -> f64 {
        while n > 0.0 {
            let end = if newest {
                self.ramping.back_mut()
            } else {
                self.ramping.front_mut()
            };
            let Some(c) = end else {
                break;
            };
            let take = c.count.min(n);
            c.count -= take;
            n -= take;
            if c.count <= 0.0 {
                if newest {
                    self.ramping.pop_back();
                } else {
                    self.ramping.pop_front();
                }
            }
        }
        n
    }

    /// Engineers in month `t` weighted by how far they have ramped, from 25% on arrival
    /// to 100% after `ramp` months. Cohorts that have finished join the pool.
    fn effective(&mut self, t: u32, ramp: f64) -> f64 {
        while let Some(c) = self.ramping.front() {
            if ramp <= 0.0 || f64::from(t - c.hired) / ramp >= 1.0 {
                self.ramped += c.count;
                self.ramping.pop_front();
            } else {
                break;
            }
        }
        self.ramped
            + self
                .ramping
                .iter()
                .map(|c| c.count * (0.25 + 0.75 * (f64::from(t - c.hired) / ramp)))
                .sum::<f64>()
    }
}

/// Memory one thread reuses across paths.
#[derive(Default)]
pub struct Scratch {
    staff: [Staff; LANES],
}

/// Chance for one strategy-path: one stream per mechanism, the same keys for every
/// strategy, or expectations in point mode. Counts take one uniform a month from their
/// stream; sizes come from a stream of their own for each month, so the sizes of one
/// month do not shift when another month's counts differ between strategies.
struct Chance {
    counts: Option<[Rng; 4]>,
    /// `rng::path_key(seed, path)`, from which the size streams of each month derive.
    path_key: u64,
    /// The last whole `n` and `p` of `leavers` and the chance of no leaver they gave.
    no_leaver: (f64, f64, f64),
    /// Per count stream, the last mean and the chance of no event it gave.
    no_event: [(f64, f64); 4],
}

impl Chance {
    fn new(mode: &Mode) -> Chance {
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
    fn leavers(&mut self, n: f64, p: f64) -> f64 {
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

const ATTRITION: usize = 0;
const INCIDENT_COUNT: usize = 1;
const DESTRUCTIVE_COUNT: usize = 2;
const LOOP_COUNT: usize = 3;

/// Paths `simulate` steps through the months together. One path's month is a chain of
/// logarithms and exponentials, each waiting on the last; the months of different paths
/// do not depend on each other, so taking each step for several paths in turn lets the
/// processor work on their chains at once.
pub const LANES: usize = 4;

/// One path given to `simulate`: its world, its draw of the strategy's levers, and how
/// chance is resolved on it.
#[derive(Clone, Copy)]
pub struct Lane<'a> {
    pub world: &'a PathWorld,
    pub levers: &'a Levers,
    pub mode: Mode,
}

impl<'a> Lane<'a> {
    /// The lanes of paths with these worlds, levers and modes, in order.
    pub fn group(worlds: &'a [PathWorld], levers: &'a [Levers], modes: &[Mode]) -> Vec<Lane<'a>> {
        worlds
            .iter()
            .zip(levers)
            .zip(modes)
            .map(|((world, levers), mode)| Lane {
                world,
                levers,
                mode: *mode,
            })
            .collect()
    }
}

/// What one path needs that stays the same over the horizon.
struct Fixed<'a> {
    world: &'a PathWorld,
    lev: &'a Levers,
    point: bool,
    n0: f64,
    monthly_cost: f64,
    value_per_wu: f64,
    delta: f64,
    hire_cost: f64,
    cache_factor: f64,
    loop_size: (f64, f64),
    duration: (f64, f64),
    destructive_size: (f64, f64),
    buys_tokens: bool,
}

impl<'a> Fixed<'a> {
    fn new(lane: &Lane<'a>, strategy: &Strategy) -> Fixed<'a> {
        let (world, lev) = (lane.world, lane.levers);
        let (org, w) = (&world.org, &world.w);
        let inc = &w.incidents;
        let monthly_cost = org.loaded_cost / 12.0;
        Fixed {
            world,
            lev,
            point: matches!(lane.mode, Mode::Point),
            n0: world.n0,
            monthly_cost,
            value_per_wu: org.value_multiple * monthly_cost,
            delta: std::f64::consts::LN_2 / w.knowledge.half_life,
            hire_cost: org.hire_cost * org.loaded_cost,
            cache_factor: 1.0 - 0.9 * lev.caching * w.prices.input_share,
            loop_size: log_params(inc.loop_median, inc.loop_p95),
            duration: log_params(inc.duration_median, inc.duration_p95),
            destructive_size: log_params(inc.destructive_median, inc.destructive_p95),
            buys_tokens: matches!(strategy.assist, Assist::Metered { .. })
                || lev.agent_seats.map_or(true, |seats| seats > 0.0),
        }
    }

    /// `(judgment share, rho, n0)` of the CES.
    fn ces_params(&self) -> (f64, f64, f64) {
        (
            self.world.w.production.judgment_share,
            self.world.rho,
            self.n0,
        )
    }

    /// Whole engineers in Monte Carlo mode, expectations in point mode.
    fn round(&self, x: f64) -> f64 {
        if self.point {
            x
        } else {
            x.round()
        }
    }

    /// `x` per engineer at the start, 0 without engineers.
    fn per_n0(&self, x: f64) -> f64 {
        if self.n0 > 0.0 {
            x / self.n0
        } else {
            0.0
        }
    }
}

/// What one path carries from one month to the next.
struct Carry {
    chance: Chance,
    k: f64,
    k_max: f64,
    c: f64,
    ln_q: f64,
    incident_time: f64,
    x_agent_last: f64,
    trailing: [f64; 3],
    rehire_at: Option<u32>,
    rehire_fired: bool,
    cut_so_far: f64,
    totals: Totals,
}

impl Carry {
    fn new(f: &Fixed, mode: &Mode) -> Carry {
        Carry {
            chance: Chance::new(mode),
            k: 1.0,
            k_max: 1.0,
            c: f.world.org.codified_context,
            ln_q: 0.0,
            incident_time: 0.0,
            x_agent_last: 0.0,
            trailing: [0.0; 3],
            rehire_at: None,
            rehire_fired: false,
            cut_so_far: 0.0,
            totals: Totals::default(),
        }
    }
}

/// One month of one path: what each step hands to the next.
#[derive(Clone, Copy, Default)]
struct Month {
    severance: f64,
    hiring: f64,
    headcount: f64,
    staff: f64,
    agents: f64,
    task_cost: f64,
    q: f64,
    adopted: f64,
    tokens: f64,
    seats: f64,
    q_assist: f64,
    ln_q_assist: f64,
    q_agent: f64,
    ln_q_agent: f64,
    assist_gain: f64,
    q_beta: f64,
    k_mult: f64,
    tasks: f64,
    attempts: f64,
    miss: f64,
    /// Expected and drawn counts, indexed by count stream.
    rates: [f64; 4],
    counts: [f64; 4],
    e: f64,
    judgment: f64,
    x_assist: f64,
    planned: f64,
    review_demand: f64,
    review_available: f64,
    detect: f64,
    attempts_per_task: f64,
    x_agent: f64,
    execution: f64,
    output: f64,
}

/// Where `simulate` writes: lane `l`'s results at `l * finals_stride` of `finals`, and
/// its `horizon * Series::COUNT` monthly
/// values (month-major), value `j` at `l * monthly_stride + j * series_stride` of
/// `monthly`. A series stride of 1 writes each path's series as one row; a lane stride
/// of 1 writes each series as a column of paths, as the engine's blocks keep them.
pub struct Out<'a> {
    pub finals: &'a mut [MetricRow],
    pub finals_stride: usize,
    pub monthly: &'a mut [f64],
    pub monthly_stride: usize,
    pub series_stride: usize,
}

/// Simulates one strategy on up to `LANES` paths at once, writing to `out`. Each path's
/// numbers are exactly those it gives on its own.
pub fn simulate(strategy: &Strategy, lanes: &[Lane], scratch: &mut Scratch, out: Out) {
    let n = lanes.len();
    assert!((1..=LANES).contains(&n), "1 to {LANES} paths at a time");
    let fixed: [Fixed; LANES] = std::array::from_fn(|l| Fixed::new(&lanes[l.min(n - 1)], strategy));
    let mut carry: [Carry; LANES] =
        std::array::from_fn(|l| Carry::new(&fixed[l], &lanes[l.min(n - 1)].mode));
    let mut months = [Month::default(); LANES];
    let horizon = lanes[0].world.p_frontier.len();
    debug_assert!(lanes.iter().all(|l| l.world.p_frontier.len() == horizon));
    for (staff, f) in scratch.staff.iter_mut().zip(&fixed) {
        staff.reset(f.n0);
    }
    let n_m = Series::COUNT;

    for t in 1..=(horizon as u32) {
        for l in 0..n {
            months[l] = Month::default();
            people(
                &fixed[l],
                strategy,
                &mut carry[l],
                &mut scratch.staff[l],
                &mut months[l],
                t,
            );
        }
        // From here each logarithm and exponential is taken for every lane before the
        // next step.
        let mut x = [0.0; LANES];
        for l in 0..n {
            knowledge_and_prices(&fixed[l], &mut carry[l], &mut months[l], t);
            if fixed[l].buys_tokens {
                x[l] = months[l].task_cost.ln();
            }
        }
        for l in 0..n {
            usage(&fixed[l], &mut carry[l], &mut months[l], x[l], t);
        }
        for l in 0..n {
            buying(&fixed[l], strategy, &carry[l], &mut months[l], t);
        }
        for l in 0..n {
            token_gains(&fixed[l], strategy, &mut months[l]);
        }
        for l in 0..n {
            production(&fixed[l], strategy, &carry[l], &mut months[l], t);
        }
        output(&fixed[..n], &mut months[..n]);
        // The incident multiplier of lost knowledge, k^-gamma.
        for l in 0..n {
            x[l] = carry[l].k.max(0.05).ln();
        }
        for l in 0..n {
            let gamma = fixed[l].world.w.knowledge.gamma;
            months[l].k_mult = if carry[l].k >= 1.0 {
                1.0
            } else {
                (-gamma * x[l]).exp()
            };
        }
        for l in 0..n {
            incident_rates(&fixed[l], &mut months[l]);
        }
        for i in [INCIDENT_COUNT, DESTRUCTIVE_COUNT, LOOP_COUNT] {
            for l in 0..n {
                months[l].counts[i] = carry[l].chance.count(i, months[l].rates[i]);
            }
        }
        for l in 0..n {
            let mut row = SeriesRow::default();
            incidents_and_money(&fixed[l], &mut carry[l], &months[l], t, &mut row);
            let first = l * out.monthly_stride + (t as usize - 1) * n_m * out.series_stride;
            for (j, x) in row.0.into_iter().enumerate() {
                out.monthly[first + j * out.series_stride] = x;
            }
        }
    }
    for l in 0..n {
        let finals = &mut out.finals[l * out.finals_stride];
        results(
            &fixed[l],
            strategy,
            &carry[l],
            scratch.staff[l].headcount(),
            finals,
        );
    }
}

/// 6.1 Headcount, with the knowledge that leaves with people (6.2).
fn people(
    f: &Fixed,
    strategy: &Strategy,
    s: &mut Carry,
    people: &mut Staff,
    m: &mut Month,
    t: u32,
) {
    let (kn, org, lev) = (&f.world.w.knowledge, &f.world.org, f.lev);
    for &(month, fraction, seniority) in &lev.layoffs {
        if month != t {
            continue;
        }
        let hc = people.headcount();
        let n_cut = f.round(fraction * hc).min(hc);
        if hc <= 0.0 || n_cut <= 0.0 {
            continue;
        }
        people.remove_newest(n_cut);
        s.cut_so_far += n_cut;
        m.severance += n_cut * lev.severance_months * f.monthly_cost;
        let share = (seniority * n_cut / hc).min(1.0);
        let loss = (kn.single_holder * share
            + kn.pair_holders * share * share
            + kn.many_holders * share * share * share)
            * (1.0 - s.c);
        let before = s.k;
        s.k *= 1.0 - loss.clamp(0.0, 1.0);
        s.k_max -= kn.permanent_share * (before - s.k);
    }
    let hc = people.headcount();
    let leavers = s.chance.leavers(hc, org.attrition).min(hc);
    if hc > 0.0 && leavers > 0.0 {
        people.remove_oldest(leavers);
        s.k *= 1.0 - (kn.single_holder * leavers / hc * (1.0 - s.c)).clamp(0.0, 1.0);
        if strategy.backfill_attrition {
            people.hire(leavers, t);
            m.hiring += leavers * f.hire_cost;
        }
    }
    if s.rehire_at == Some(t) {
        if let Some(r) = &lev.rehire {
            let hc = people.headcount();
            let n_new = f.round(r.target * f.n0 - hc).max(0.0);
            if n_new > 0.0 {
                people.hire(n_new, t);
                m.hiring += n_new * f.hire_cost;
            }
        }
    }
    m.headcount = people.headcount();
    m.staff = people.effective(t, org.ramp_months);
}

/// 6.2 Knowledge, renewed by people and by agents only through codified context; 6.3
/// prices for this strategy, and the cost of a task.
fn knowledge_and_prices(f: &Fixed, s: &mut Carry, m: &mut Month, t: u32) {
    let w = &f.world.w;
    let (kn, dem, pr, lev) = (&w.knowledge, &w.demand, &w.prices, f.lev);
    let ti = (t - 1) as usize;
    let coverage = f
        .per_n0(m.staff + kn.agent_renewal * s.c * s.x_agent_last)
        .min(1.0);
    s.k += kn.learn_rate * coverage * (s.k_max - s.k) - f.delta * (1.0 - coverage) * s.k;
    s.k = s.k.clamp(0.0, s.k_max.max(0.0));
    s.c += kn.codify_rate * (lev.codify * f.per_n0(m.staff)) * (1.0 - s.c) - 0.5 * f.delta * s.c;
    s.c = s.c.clamp(0.0, 1.0);

    let world = f.world;
    let mut p_eff =
        world.p_frontier[ti] * (1.0 - lev.routing) + world.p_commodity[ti] * lev.routing;
    p_eff *= f.cache_factor * world.subsidy_api[ti] * pr.capacity_premium;
    m.agents = lev.agent_seats.unwrap_or(s.cut_so_far).max(0.0);
    m.task_cost = (p_eff * (1.0 - dem.script_share * s.c)).max(1e-300);
}

/// 6.4 Token demand (Jevons) with partial adjustment, from `ln_cost`, the log of the
/// cost of a task. A strategy that never buys tokens never reads Q, so it is not
/// computed.
fn usage(f: &Fixed, s: &mut Carry, m: &mut Month, ln_cost: f64, t: u32) {
    if !f.buys_tokens {
        m.q = 1.0;
        return;
    }
    let (world, dem) = (f.world, &f.world.w.demand);
    let ti = (t - 1) as usize;
    let ln_target = -dem.elasticity * ln_cost + world.ln_growth[ti];
    s.ln_q += dem.adjustment * (ln_target - s.ln_q) + dem.noise * world.z_demand[ti];
    // Usage is bounded at a million times today's, so extreme but valid parameters
    // (elasticity 5 against a price that falls a thousandfold) cannot overflow.
    s.ln_q = s.ln_q.clamp(-MAX_LN_Q, MAX_LN_Q);
    m.q = s.ln_q.exp();
}

/// What caps let each kind of seat buy of usage Q, and what it costs.
fn buying(f: &Fixed, strategy: &Strategy, s: &Carry, m: &mut Month, t: u32) {
    let (lev, world) = (f.lev, f.world);
    let ti = (t - 1) as usize;
    let (q, ln_q, task_cost) = (m.q, s.ln_q, m.task_cost);
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
    match strategy.assist {
        Assist::None => {}
        Assist::Flat { .. } => m.seats = assisted * lev.seat_price * world.subsidy_seat[ti],
        Assist::Metered { .. } => {
            let cap = Levers::cap_in(lev.assist_cap, lev.assist_cap_from, t);
            (m.q_assist, m.ln_q_assist) = bought(lev.assist_spend, cap);
            m.tokens += assisted * lev.assist_spend * m.q_assist * task_cost;
        }
    }
    (m.q_agent, m.ln_q_agent) = if m.agents > 0.0 {
        bought(
            lev.agent_spend,
            Levers::cap_in(lev.agent_cap, lev.agent_cap_from, t),
        )
    } else {
        (0.0, f64::NEG_INFINITY)
    };
    m.tokens += m.agents * lev.agent_spend * m.q_agent * task_cost;
}

/// The gain from tokens, `Q^returns`, of metered seats and of agents.
fn token_gains(f: &Fixed, strategy: &Strategy, m: &mut Month) {
    let returns = f.world.w.demand.returns;
    m.assist_gain = match strategy.assist {
        Assist::Metered { .. } if m.q_assist > 0.0 => (returns * m.ln_q_assist).exp(),
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

/// 6.5 Production: judgment and execution, review, and the work agents get done.
fn production(f: &Fixed, strategy: &Strategy, s: &Carry, m: &mut Month, t: u32) {
    let w = &f.world.w;
    let (kn, prod, lev, world) = (&w.knowledge, &w.production, f.lev, f.world);
    let j = prod.judgment_share;
    let knowledge_factor = kn.human_floor + (1.0 - kn.human_floor) * s.k;
    let e = (m.staff * knowledge_factor * (1.0 - lev.codify) - s.incident_time).max(0.0);
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
    let x_assist = match strategy.assist {
        Assist::None => 0.0,
        Assist::Flat { .. } => m.adopted * world.flat_a * (1.0 - j) * e,
        Assist::Metered { .. } if m.q_assist > 0.0 => {
            m.adopted * world.assist_a * (1.0 - j) * e * m.assist_gain
        }
        Assist::Metered { .. } => 0.0,
    };
    let planned = m.agents * lev.wu_per_seat * m.q_beta;
    let context = kn.agent_floor + (1.0 - kn.agent_floor) * s.k.max(s.c);
    let s_c = (world.success[(t - 1) as usize] * context).clamp(0.0, 1.0);
    let review_demand = prod.review_per_wu * (x_assist.max(0.0) + planned);
    let review_available = prod.review_share * judgment;
    let cov = if review_demand > 0.0 {
        (review_available / review_demand).min(1.0)
    } else {
        1.0
    };
    let detect = cov * kn.detection_max * s.k;
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

/// Output of each lane, `world::ces` of its judgment and execution, with each logarithm
/// and exponential of the chain taken for every lane before the next.
fn output(fixed: &[Fixed], months: &mut [Month]) {
    let n = months.len();
    let mut steps = [None; LANES];
    for l in 0..n {
        let (j, rho, n0) = fixed[l].ces_params();
        steps[l] = ces_ratio(months[l].judgment, months[l].execution, j, rho, n0);
    }
    let mut x = [0.0; LANES];
    for l in 0..n {
        x[l] = steps[l].map_or(0.0, |(_, ratio)| ratio.ln());
    }
    for l in 0..n {
        let (j, rho, _) = fixed[l].ces_params();
        x[l] = ces_inner(j, rho, x[l]);
    }
    let mut ln_inner = [0.0; LANES];
    for l in 0..n {
        ln_inner[l] = x[l].ln();
    }
    for l in 0..n {
        let (j, rho, n0) = fixed[l].ces_params();
        let m = &mut months[l];
        m.output = match steps[l] {
            Some((a, _)) if x[l].is_finite() && x[l] > 0.0 => {
                ces_from_inner(a, n0, rho, ln_inner[l])
            }
            _ => ces(m.judgment, m.execution, j, rho, n0),
        };
    }
}

/// 6.6 Failures and review: the expected number of incidents, destructive incidents
/// and runaway loops this month.
fn incident_rates(f: &Fixed, m: &mut Month) {
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

/// 6.6 Incident and loop sizes; 6.7 money and value; the rehire rule; and this
/// month's row of the monthly series.
fn incidents_and_money(f: &Fixed, s: &mut Carry, m: &Month, t: u32, row: &mut SeriesRow) {
    let w = &f.world.w;
    let (inc, lev) = (&w.incidents, f.lev);
    let ti = (t - 1) as usize;
    let (k_mult, tasks, attempts, miss) = (m.k_mult, m.tasks, m.attempts, m.miss);
    let n_incidents = m.counts[INCIDENT_COUNT];
    let n_destructive = m.counts[DESTRUCTIVE_COUNT];
    let n_loops = m.counts[LOOP_COUNT];
    let chance = &mut s.chance;
    // Every incident, destructive ones too, lasts a while and takes responders; a
    // destructive one adds its loss on top.
    let minutes = k_mult
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
    let incident_cost = minutes * inc.downtime_cost_per_minute + destructive_loss;
    let loop_cost = chance.sizes(
        mechanism::LOOP_SIZE,
        t,
        n_loops,
        f.loop_size,
        lev.loop_budget,
    );
    s.incident_time = inc.responders * minutes / (HOURS_PER_WU * 60.0);
    s.x_agent_last = m.x_agent;

    // 6.7 Money and value.
    let payroll = m.headcount * f.monthly_cost;
    let cost = payroll + m.severance + m.hiring + m.tokens + m.seats + incident_cost + loop_cost;
    let value = m.output * f.value_per_wu;
    let t_ = &mut s.totals;
    t_.npv += (value - cost) * f.world.discount[ti];
    t_.value += value;
    t_.cost += cost;
    t_.payroll += payroll;
    t_.severance += m.severance;
    t_.hiring += m.hiring;
    t_.tokens += m.tokens;
    t_.seats += m.seats;
    t_.incident_cost += incident_cost;
    t_.loops += loop_cost;
    t_.output += m.output;
    t_.incidents += n_incidents + n_destructive;
    t_.destructive += n_destructive;
    t_.agent_tasks += tasks;
    t_.agent_attempts += attempts;
    t_.ai_work += m.x_assist.max(0.0) + m.planned;
    t_.ai_missed += (m.x_assist.max(0.0) + m.planned) * miss;
    t_.review_demand += m.review_demand;
    t_.review_available += m.review_available;

    // Rehire rule: trailing three months of incident cost, or output against the start.
    s.trailing[ti % 3] = incident_cost;
    if let (Some(r), false) = (&lev.rehire, s.rehire_fired) {
        if s.trailing.iter().sum::<f64>() > r.incident_cost_above
            || m.output < r.output_below * f.n0
        {
            s.rehire_fired = true;
            s.rehire_at = Some(t + r.lag.round().max(1.0) as u32);
        }
    }

    row[Series::CumCost] = t_.cost;
    row[Series::CumNetValue] = t_.value - t_.cost;
    row[Series::Output] = m.output;
    row[Series::Headcount] = m.headcount;
    row[Series::Knowledge] = s.k;
    row[Series::TokenSpend] = m.tokens + m.seats + loop_cost;
    row[Series::Incidents] = n_incidents + n_destructive;
    let fte = m.headcount + m.agents;
    row[Series::SpendPerFte] = if fte > 0.0 {
        (m.tokens + m.seats + loop_cost) / fte
    } else {
        0.0
    };
}

/// The per-path results over the horizon.
fn results(f: &Fixed, strategy: &Strategy, s: &Carry, headcount_end: f64, finals: &mut MetricRow) {
    let (t_, world) = (&s.totals, f.world);
    finals[Metric::Npv] = t_.npv;
    finals[Metric::Value] = t_.value;
    finals[Metric::TotalCost] = t_.cost;
    finals[Metric::Payroll] = t_.payroll;
    finals[Metric::Severance] = t_.severance;
    finals[Metric::Hiring] = t_.hiring;
    finals[Metric::Tokens] = t_.tokens;
    finals[Metric::Seats] = t_.seats;
    finals[Metric::IncidentCost] = t_.incident_cost;
    finals[Metric::Loops] = t_.loops;
    finals[Metric::Output] = t_.output;
    finals[Metric::CostPerWu] = ratio(t_.cost, t_.output);
    finals[Metric::Incidents] = t_.incidents;
    finals[Metric::Destructive] = t_.destructive;
    finals[Metric::KnowledgeEnd] = s.k;
    finals[Metric::HeadcountEnd] = headcount_end;
    finals[Metric::RehireFired] = if s.rehire_fired { 1.0 } else { 0.0 };
    finals[Metric::SpendPerWu] = spend_per_wu(t_.tokens, t_.seats, t_.loops, t_.output);
    finals[Metric::RetryRate] = ratio(t_.agent_attempts - t_.agent_tasks, t_.agent_tasks);
    finals[Metric::CacheHitRate] = if t_.tokens > 0.0 {
        f.lev.caching
    } else {
        f64::NAN
    };
    finals[Metric::ReviewMissed] = ratio(t_.ai_missed, t_.ai_work);
    finals[Metric::ReviewBurden] = ratio(t_.review_demand, t_.review_available);
    finals[Metric::UpliftClamped] = match strategy.assist {
        Assist::None => 0.0,
        Assist::Flat { .. } => f64::from(u8::from(world.flat_clamped)),
        Assist::Metered { .. } => f64::from(u8::from(world.metered_clamped)),
    };
}

/// Sums over the horizon of one strategy-path.
#[derive(Default)]
struct Totals {
    npv: f64,
    value: f64,
    cost: f64,
    payroll: f64,
    severance: f64,
    hiring: f64,
    tokens: f64,
    seats: f64,
    incident_cost: f64,
    loops: f64,
    output: f64,
    incidents: f64,
    destructive: f64,
    agent_tasks: f64,
    agent_attempts: f64,
    ai_work: f64,
    ai_missed: f64,
    review_demand: f64,
    review_available: f64,
}

/// Share of execution written by AI. A negative uplift (AI slowing engineers down) lowers
/// execution but writes no code, so it does not offset the agents' share.
fn ai_share(x_assist: f64, x_agent: f64, execution: f64) -> f64 {
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

    #[test]
    fn layoffs_take_the_newest_and_attrition_the_oldest() {
        let mut s = Staff::default();
        s.reset(10.0);
        s.hire(2.0, 3);
        s.remove_newest(3.0);
        assert_eq!((s.ramped, s.ramping.len()), (9.0, 0));
        let mut s = Staff::default();
        s.reset(2.0);
        s.hire(2.0, 3);
        s.remove_oldest(3.0);
        assert_eq!(s.headcount(), 1.0);
        assert_eq!(s.ramping.back().unwrap().hired, 3);
        // Hired in month 3 with a 4-month ramp: 25% + 75% x 2/4 in month 5, full in 7.
        assert_eq!(s.effective(5, 4.0), 0.625);
        assert_eq!(s.effective(7, 4.0), 1.0);
        assert!(s.ramping.is_empty());
    }
}
