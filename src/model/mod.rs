//! Validated domain types: the scenario as the engine sees it.
//!
//! Everything here has passed validation: ranges hold, lists are consistent, every
//! parameter has a value. This module does no I/O and does not parse files; the
//! `scenario` module builds these types and is the only way to obtain them from text.

pub mod copula;
pub mod dist;
pub mod params;

pub use dist::Dist;
pub use params::{
    Capability, Demand, Incidents, Knowledge, Org, Param, Prices, Production, Subsidy, World,
};

use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;

/// Seed used when neither the scenario nor the command line gives one.
pub const DEFAULT_SEED: u64 = 2026;
/// Paths used when neither the scenario nor the command line gives a number.
pub const DEFAULT_PATHS: u64 = 10_000;

/// The most paths a run may have, in the file and on the command line alike.
pub const MAX_PATHS: u64 = 100_000_000;

/// The largest seed, in the file (a TOML integer) and on the command line alike.
pub const MAX_SEED: u64 = i64::MAX as u64;
/// Months simulated when neither the scenario nor the command line gives a horizon.
pub const DEFAULT_HORIZON: u32 = 36;
/// The longest horizon the model accepts (docs/model.md 1).
pub const MAX_HORIZON: u32 = 240;
/// Working hours in one work unit (one engineer-month).
pub const HOURS_PER_WU: f64 = 160.0;

impl Param {
    /// A fixed parameter, for code and tests that build scenarios directly.
    pub fn fixed(x: f64) -> Param {
        Param {
            dist: Dist::Fixed(x),
            stream: 0,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            copula: None,
        }
    }

    /// Point-mode value (mode, or median where there is none), kept inside the range.
    pub fn point(&self) -> f64 {
        self.dist.point().clamp(self.lo, self.hi)
    }
}

/// The run section: how many futures, from which seed, over how many months.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSettings {
    pub paths: u64,
    pub seed: u64,
    pub horizon: u32,
    /// The pair of strategies the headline compares, `[challenger, incumbent]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<[String; 2]>,
}

/// One validated scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub run: RunSettings,
    pub org: Org<Param>,
    pub world: World<Param>,
    #[serde(serialize_with = "strategies_as_table")]
    pub strategies: Vec<Strategy>,
    /// `[[correlations]]` as the file gives them (the copula is attached to the
    /// parameters); kept so the scenario prints back as it was read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<Correlation>,
}

/// One declared rank correlation between two uncertain inputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correlation {
    pub keys: [String; 2],
    pub rank: f64,
}

fn strategies_as_table<S: Serializer>(list: &[Strategy], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(list.len()))?;
    for st in list {
        m.serialize_entry(&st.name, st)?;
    }
    m.end()
}

impl Scenario {
    /// Every parameter of the scenario with its key path, world first, then each
    /// strategy's levers.
    pub fn params(&self) -> Vec<(String, &Param)> {
        let mut out = self.org.fields();
        out.extend(self.world.fields());
        for s in &self.strategies {
            out.extend(
                s.params()
                    .into_iter()
                    .map(|(k, p)| (format!("strategies.{}.{k}", s.name), p)),
            );
        }
        out
    }

    /// Indices of the headline pair: the scenario's own, else `replacement` against
    /// `leverage` where both exist, else none.
    pub fn headline(&self) -> Option<(usize, usize)> {
        let find = |n: &str| self.strategies.iter().position(|s| s.name == n);
        match &self.run.headline {
            Some([a, b]) => Some((find(a)?, find(b)?)),
            None => Some((find("replacement")?, find("leverage")?)),
        }
    }
}

/// AI seats for engineers, and how they are billed: each kind carries the levers that
/// apply to it and no others.
#[derive(Clone, Debug, PartialEq)]
pub enum Assist {
    /// No AI seats.
    None,
    /// Flat-rate seats at a price per seat per month.
    Flat { seat_price: Param },
    /// Metered seats: spend per seat per month at today's frontier price, under an
    /// optional cap.
    Metered { spend: Param, cap: Option<Cap> },
}

impl Assist {
    /// The word of `assist.kind` in a scenario file.
    pub fn kind(&self) -> &'static str {
        match self {
            Assist::None => "none",
            Assist::Flat { .. } => "flat",
            Assist::Metered { .. } => "metered",
        }
    }

    /// The cap of metered seats, if any.
    pub fn cap(&self) -> Option<&Cap> {
        match self {
            Assist::Metered { cap, .. } => cap.as_ref(),
            _ => None,
        }
    }
}

/// A spend cap per seat per month.
#[derive(Clone, Debug, PartialEq)]
pub struct Cap {
    pub amount: Param,
    /// First month the cap applies; absent: from the start.
    pub from: Option<Param>,
}

/// Writes `cap` as the keys `cap` and `cap_from` of the table it belongs to.
fn serialize_cap<S: SerializeStruct>(s: &mut S, cap: Option<&Cap>) -> Result<(), S::Error> {
    match cap {
        Some(c) => {
            s.serialize_field("cap", &c.amount)?;
            match &c.from {
                Some(from) => s.serialize_field("cap_from", from),
                None => s.skip_field("cap_from"),
            }
        }
        None => {
            s.skip_field("cap")?;
            s.skip_field("cap_from")
        }
    }
}

impl Serialize for Assist {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_struct("Assist", 5)?;
        t.serialize_field("kind", self.kind())?;
        match self {
            Assist::Flat { seat_price } => t.serialize_field("seat_price", seat_price)?,
            _ => t.skip_field("seat_price")?,
        }
        match self {
            Assist::Metered { spend, .. } => t.serialize_field("spend", spend)?,
            _ => t.skip_field("spend")?,
        }
        serialize_cap(&mut t, self.cap())?;
        t.end()
    }
}

/// How many agent seats a strategy runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Seats {
    Count(Param),
    /// One seat per engineer cut by the strategy's layoffs so far.
    ReplaceLaidOff,
}

impl Serialize for Seats {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Seats::Count(p) => p.serialize(s),
            Seats::ReplaceLaidOff => s.serialize_str("replace_laid_off"),
        }
    }
}

/// Autonomous agent seats.
#[derive(Clone, Debug, PartialEq)]
pub struct Agents {
    pub seats: Seats,
    pub wu_per_seat: Param,
    pub spend: Param,
    pub cap: Option<Cap>,
}

impl Serialize for Agents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_struct("Agents", 5)?;
        t.serialize_field("seats", &self.seats)?;
        t.serialize_field("wu_per_seat", &self.wu_per_seat)?;
        t.serialize_field("spend", &self.spend)?;
        serialize_cap(&mut t, self.cap.as_ref())?;
        t.end()
    }
}

/// The share of engineers who have AI seats, rising from `start` in month 1 to `target`
/// in month `1 + months` along `curve`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Adoption {
    pub start: Param,
    pub target: Param,
    pub months: Param,
    pub curve: Curve,
}

/// The shape of a ramp from 0 to 1 over `x` in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Curve {
    /// `x`.
    Linear,
    /// `x^2 (3 - 2x)`: slow to start, fast in the middle, slow to finish.
    SCurve,
}

impl Curve {
    pub const NAMES: [&'static str; 2] = ["linear", "s_curve"];

    pub fn at(self, x: f64) -> f64 {
        let x = x.clamp(0.0, 1.0);
        match self {
            Curve::Linear => x,
            Curve::SCurve => x * x * (3.0 - 2.0 * x),
        }
    }
}

/// The most layoffs one strategy may have (the output keeps which ones happened as the
/// bits of a single-precision number; `metrics::MAX_LAYOFFS` is the same number).
pub const MAX_LAYOFFS: usize = 24;

/// One layoff.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Layoff {
    /// Month of the layoff, rounded per path; its range is capped at the horizon.
    pub month: Param,
    pub fraction: Param,
    pub seniority_weight: Param,
    /// The figures that must hold at the layoff's month for it to happen (staged decisions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
}

/// A layoff's gate: limits on the trailing 3-month means the organisation can see at the
/// layoff's month (docs/model.md 4.1). Each limit is optional; the gate holds where all
/// that are set hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gate {
    /// Output at least this share of the start's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_at_least: Option<Param>,
    /// Incident cost at most this many dollars a month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_cost_at_most: Option<Param>,
    /// Know-how `K` at least this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knowledge_at_least: Option<Param>,
}

/// The share of human time on judgment a strategy moves toward.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Directing {
    pub target: Param,
    pub months: Param,
}

/// Hiring back after a trigger fires.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rehire {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_cost_above: Option<Param>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_below: Option<Param>,
    pub target: Param,
    pub lag: Param,
}

impl Strategy {
    /// Every numeric lever with its key path inside the strategy.
    pub fn params(&self) -> Vec<(String, &Param)> {
        let mut out: Vec<(String, &Param)> = vec![
            ("severance_months".into(), &self.severance_months),
            ("routing".into(), &self.routing),
            ("caching".into(), &self.caching),
            ("codify".into(), &self.codify),
            ("guardrails".into(), &self.guardrails),
            ("max_retries".into(), &self.max_retries),
        ];
        // Agent levers matter only where the strategy runs agent seats.
        let no_agents =
            matches!(&self.agents.seats, Seats::Count(p) if p.dist.is_fixed() && p.point() == 0.0);
        if !no_agents {
            out.push(("agents.wu_per_seat".into(), &self.agents.wu_per_seat));
            out.push(("agents.spend".into(), &self.agents.spend));
        }
        let agent_cap = self.agents.cap.as_ref().filter(|_| !no_agents);
        let optional = [
            ("loop_budget", self.loop_budget.as_ref()),
            (
                "assist.seat_price",
                match &self.assist {
                    Assist::Flat { seat_price } => Some(seat_price),
                    _ => None,
                },
            ),
            (
                "assist.spend",
                match &self.assist {
                    Assist::Metered { spend, .. } => Some(spend),
                    _ => None,
                },
            ),
            ("assist.cap", self.assist.cap().map(|c| &c.amount)),
            ("agents.cap", agent_cap.map(|c| &c.amount)),
        ];
        out.extend(
            optional
                .into_iter()
                .filter_map(|(k, p)| p.map(|p| (k.to_string(), p))),
        );
        if let Seats::Count(p) = &self.agents.seats {
            out.push(("agents.seats".into(), p));
        }
        if let Some(d) = &self.directing {
            out.push(("directing.target".into(), &d.target));
            out.push(("directing.months".into(), &d.months));
        }
        if let Some(a) = &self.adoption {
            out.push(("adoption.start".into(), &a.start));
            out.push(("adoption.target".into(), &a.target));
            out.push(("adoption.months".into(), &a.months));
        }
        if let Some(p) = self.assist.cap().and_then(|c| c.from.as_ref()) {
            out.push(("assist.cap_from".into(), p));
        }
        if let Some(p) = agent_cap.and_then(|c| c.from.as_ref()) {
            out.push(("agents.cap_from".into(), p));
        }
        if let Some(r) = &self.rehire {
            if let Some(p) = &r.incident_cost_above {
                out.push(("rehire.incident_cost_above".into(), p));
            }
            if let Some(p) = &r.output_below {
                out.push(("rehire.output_below".into(), p));
            }
            out.push(("rehire.target".into(), &r.target));
            out.push(("rehire.lag".into(), &r.lag));
        }
        for (i, l) in self.layoffs.iter().enumerate() {
            out.push((format!("layoffs[{i}].month"), &l.month));
            out.push((format!("layoffs[{i}].fraction"), &l.fraction));
            out.push((
                format!("layoffs[{i}].seniority_weight"),
                &l.seniority_weight,
            ));
            if let Some(g) = &l.gate {
                let limits = [
                    ("output_at_least", &g.output_at_least),
                    ("incident_cost_at_most", &g.incident_cost_at_most),
                    ("knowledge_at_least", &g.knowledge_at_least),
                ];
                for (k, p) in limits {
                    if let Some(p) = p {
                        out.push((format!("layoffs[{i}].gate.{k}"), p));
                    }
                }
            }
        }
        out
    }
}

/// A strategy's name as a board reads it: `label` where the scenario gives one, else the
/// name with its underscores and hyphens as spaces (`replacement_governed` reads
/// "replacement governed").
pub fn display_name(name: &str, label: Option<&str>) -> String {
    label.map_or_else(|| name.replace(['_', '-'], " "), str::to_string)
}

/// A strategy: a named set of levers (docs/model.md 4).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Strategy {
    #[serde(skip)]
    pub name: String,
    /// How a board reads the name, where the scenario gives one (`display` otherwise
    /// writes the name with spaces).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub severance_months: Param,
    pub backfill_attrition: bool,
    pub routing: Param,
    pub caching: Param,
    pub codify: Param,
    pub guardrails: Param,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_budget: Option<Param>,
    pub max_retries: Param,
    pub assist: Assist,
    pub agents: Agents,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directing: Option<Directing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption: Option<Adoption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rehire: Option<Rehire>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layoffs: Vec<Layoff>,
}

impl Strategy {
    /// The strategy's name as a board reads it (`display_name`).
    pub fn display(&self) -> String {
        display_name(&self.name, self.label.as_deref())
    }
}
