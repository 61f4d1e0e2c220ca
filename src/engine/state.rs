//! The state the month step passes between mechanisms (docs/model.md 4): what stays
//! fixed on a path for the whole horizon (`Fixed`), what a path carries from one month to
//! the next (`Carry`, each mechanism's part in its own type: `Record`, `Knowledge`,
//! `Totals`), and what one month's steps hand to the later steps of the same month
//! (`Month`).
//!
//! Data only: no step of the month is taken here, and no mechanism is imported, so every
//! mechanism can read this state without a cycle of imports.

use super::chance::Chance;
use super::draw::log_params;
use super::levers::Levers;
use super::world::{Mode, PathWorld};

/// Paths the month step takes through the months together (`schedule::simulate`). One
/// path's month is a chain of logarithms and exponentials, each waiting on the last; the
/// months of different paths do not depend on each other, so taking each step for
/// several paths in turn lets the processor work on their chains at once.
pub const LANES: usize = 4;

/// What one path needs that stays the same over the horizon.
pub(super) struct Fixed<'a> {
    pub world: &'a PathWorld,
    pub lev: &'a Levers,
    pub point: bool,
    pub n0: f64,
    pub monthly_cost: f64,
    pub value_per_wu: f64,
    /// `ln 2 / T_half`, the monthly rate at which unrenewed know-how goes stale.
    pub delta: f64,
    pub hire_cost: f64,
    /// What caching leaves of the price of a token.
    pub cache_factor: f64,
    /// Lognormal `(mu, sigma)` of a runaway loop's cost, an incident's minutes and a
    /// destructive incident's loss.
    pub loop_size: (f64, f64),
    pub duration: (f64, f64),
    pub destructive_size: (f64, f64),
    pub buys_tokens: bool,
}

impl<'a> Fixed<'a> {
    pub fn new(world: &'a PathWorld, lev: &'a Levers, mode: Mode) -> Fixed<'a> {
        let (org, w) = (&world.org, &world.w);
        let inc = &w.incidents;
        let monthly_cost = org.loaded_cost / 12.0;
        Fixed {
            world,
            lev,
            point: matches!(mode, Mode::Point),
            n0: world.n0,
            monthly_cost,
            value_per_wu: org.value_multiple * monthly_cost,
            delta: std::f64::consts::LN_2 / w.knowledge.half_life,
            hire_cost: org.hire_cost * org.loaded_cost,
            cache_factor: 1.0 - 0.9 * lev.caching * w.prices.input_share,
            loop_size: log_params(inc.loop_median, inc.loop_p95),
            duration: log_params(inc.duration_median, inc.duration_p95),
            destructive_size: log_params(inc.destructive_median, inc.destructive_p95),
            buys_tokens: lev.buys_tokens(),
        }
    }

    /// Whole engineers in Monte Carlo mode, expectations in point mode.
    pub fn round(&self, x: f64) -> f64 {
        if self.point {
            x
        } else {
            x.round()
        }
    }

    /// `x` per engineer at the start, 0 without engineers.
    pub fn per_n0(&self, x: f64) -> f64 {
        if self.n0 > 0.0 {
            x / self.n0
        } else {
            0.0
        }
    }
}

/// What one path carries from one month to the next.
pub(super) struct Carry {
    /// Layoffs so far and the rehire rule (docs/model.md 4.1, 4.7).
    pub record: Record,
    /// Know-how and codified context (4.2).
    pub know: Knowledge,
    /// `ln Q`, the usage index (4.4).
    pub ln_q: f64,
    /// Month-to-month chance (4.6).
    pub chance: Chance,
    /// Responder time of last month's incidents, in WU (4.1, 4.6).
    pub incident_time: f64,
    /// Sums over the horizon (4.7).
    pub totals: Totals,
}

impl Carry {
    pub fn new(f: &Fixed, mode: &Mode) -> Carry {
        Carry {
            record: Record::default(),
            know: Knowledge::new(f.world.org.codified_context),
            ln_q: 0.0,
            chance: Chance::new(mode),
            incident_time: 0.0,
            totals: Totals::default(),
        }
    }
}

/// One month of one path: what each step hands to the later steps.
#[derive(Clone, Copy, Default)]
pub(super) struct Month {
    // Staff (4.1).
    pub severance: f64,
    pub hiring: f64,
    pub headcount: f64,
    /// Engineers weighted by how far they have ramped.
    pub staff: f64,
    pub agents: f64,
    // Prices and demand (4.3, 4.4).
    pub task_cost: f64,
    pub q: f64,
    pub adopted: f64,
    pub tokens: f64,
    pub seats: f64,
    pub q_assist: f64,
    pub ln_q_assist: f64,
    pub q_agent: f64,
    pub ln_q_agent: f64,
    pub assist_gain: f64,
    pub q_beta: f64,
    // Production (4.5).
    pub e: f64,
    pub judgment: f64,
    pub x_assist: f64,
    pub planned: f64,
    pub review_demand: f64,
    pub review_available: f64,
    pub detect: f64,
    pub attempts_per_task: f64,
    pub x_agent: f64,
    pub execution: f64,
    pub output: f64,
    // Incidents (4.6).
    /// `max(K, 0.05)^(-gamma)`: how lost know-how multiplies incidents and their length.
    pub k_mult: f64,
    pub tasks: f64,
    pub attempts: f64,
    pub miss: f64,
    /// Expected and drawn counts, indexed by count stream.
    pub rates: [f64; 4],
    pub counts: [f64; 4],
}

/// What the staff mechanism remembers from month to month besides the engineers.
#[derive(Default)]
pub(super) struct Record {
    /// Engineers laid off so far.
    pub cut_so_far: f64,
    /// The month of the strategy's first layoff that happened, once one has.
    pub first_layoff: Option<u32>,
    /// The figures the organisation can see: the last three months' incident cost, output
    /// and know-how, which the rehire rule and the layoff gates read (docs/model.md 4.1, 4.7).
    pub seen: Trailing,
    /// The month the rehire rule's hires arrive, once it has fired.
    pub rehire_at: Option<u32>,
    pub rehire_fired: bool,
    /// Which of the strategy's layoffs happened, bit `i` for layoff `i`.
    pub layoffs_fired: u32,
}

/// The last three months of incident cost, output and know-how, by month modulo 3, and
/// how many months have been seen (at most 3).
#[derive(Default)]
pub(super) struct Trailing {
    pub incident_cost: [f64; 3],
    pub output: [f64; 3],
    pub knowledge: [f64; 3],
    pub months: usize,
}

impl Trailing {
    /// Records month `t`'s figures.
    pub fn push(&mut self, t: u32, incident_cost: f64, output: f64, knowledge: f64) {
        let i = (t as usize - 1) % 3;
        self.incident_cost[i] = incident_cost;
        self.output[i] = output;
        self.knowledge[i] = knowledge;
        self.months = (self.months + 1).min(3);
    }

    /// The means of the months seen: incident cost, output and know-how, `None` before
    /// the first month ends. Unseen entries are 0 and left out of the count.
    pub fn means(&self) -> Option<(f64, f64, f64)> {
        if self.months == 0 {
            return None;
        }
        let n = self.months as f64;
        let mean = |x: &[f64; 3]| x.iter().sum::<f64>() / n;
        Some((
            mean(&self.incident_cost),
            mean(&self.output),
            mean(&self.knowledge),
        ))
    }
}

/// What a path knows, carried from month to month.
pub(super) struct Knowledge {
    /// `K`, the share of the system's critical know-how still held.
    pub k: f64,
    /// The most `K` can be rebuilt to after what layoffs lost for good.
    pub k_max: f64,
    /// `C`, codified context agents can use.
    pub c: f64,
    /// Last month's agent execution, which renews know-how through codified context.
    pub x_agent_last: f64,
}

impl Knowledge {
    pub fn new(codified_context: f64) -> Knowledge {
        Knowledge {
            k: 1.0,
            k_max: 1.0,
            c: codified_context,
            x_agent_last: 0.0,
        }
    }
}

/// Sums over the horizon of one strategy-path.
#[derive(Default)]
pub(super) struct Totals {
    pub npv: f64,
    pub value: f64,
    pub cost: f64,
    pub payroll: f64,
    pub severance: f64,
    pub hiring: f64,
    pub tokens: f64,
    pub seats: f64,
    pub incident_cost: f64,
    pub loops: f64,
    pub output: f64,
    pub incidents: f64,
    pub destructive: f64,
    pub agent_tasks: f64,
    pub agent_attempts: f64,
    pub ai_work: f64,
    pub ai_missed: f64,
    pub review_demand: f64,
    pub review_available: f64,
}
