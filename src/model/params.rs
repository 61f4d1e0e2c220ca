//! The parameter registry: every numeric scenario key with its unit, default, valid
//! range and source, and the parameter groups built from it.
//!
//! This is the single source of truth the validator, `--dump-scenario` and the docs read.
//! It must not hold behaviour: the engine reads drawn values, never this table.

use super::dist::Dist;
use serde::{Deserialize, Serialize};

/// How a default is written in the registry.
#[derive(Clone, Copy, Debug)]
pub enum Def {
    Fixed(f64),
    Pert(f64, f64, f64),
    /// No default: the lever is off unless the scenario sets it.
    Off,
}

impl Def {
    pub fn to_dist(self) -> Option<Dist> {
        match self {
            Def::Fixed(x) => Some(Dist::Fixed(x)),
            Def::Pert(min, mode, max) => Some(Dist::Pert { min, mode, max }),
            Def::Off => None,
        }
    }
}

/// One scenario key. `key` uses `*` for a strategy's name and `[]` for a list item.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub key: &'static str,
    /// What a board reads in place of the key: a few plain words, capitalised.
    pub label: &'static str,
    pub unit: &'static str,
    pub default: Def,
    pub min: f64,
    pub max: f64,
    /// Where the default comes from; starts with "judgement" where no study backs it.
    pub source: &'static str,
}

impl ParamSpec {
    pub fn is_judgement(&self) -> bool {
        self.source.starts_with("judgement")
    }
}

macro_rules! p {
    ($key:literal, $label:literal, $unit:literal, $def:expr, [$min:expr, $max:expr], $src:literal) => {
        ParamSpec {
            key: $key,
            label: $label,
            unit: $unit,
            default: $def,
            min: $min,
            max: $max,
            source: $src,
        }
    };
}

use Def::{Fixed as F, Off, Pert as P};

/// Every numeric key a scenario may set (distributions allowed), in documentation order.
pub static PARAMS: &[ParamSpec] = &[
    // organisation
    p!("org.engineers", "Engineers at the start", "engineers", F(200.0), [0.0, 1e7], "scenario's choice: the reference mid-size organisation of the model's design"),
    p!("org.loaded_cost", "Loaded cost of an engineer", "$ per engineer-year", F(180_000.0), [0.0, 1e8], "Permanent Notes (2026), \"The Architecture Between You and the Model\": average fully loaded developer cost"),
    p!("org.attrition", "Monthly attrition", "share of staff per month", F(0.01), [0.0, 1.0], "judgement: about 12% a year"),
    p!("org.ramp_months", "Months for a new hire to ramp up", "months", P(3.0, 6.0, 12.0), [0.0, 240.0], "judgement: new hires take 3 to 12 months to ramp up"),
    p!("org.hire_cost", "Cost of a hire", "share of a year's loaded cost per hire", P(0.15, 0.25, 0.5), [0.0, 10.0], "judgement: recruiting costs of 15% to 50% of a year's loaded cost"),
    p!("org.codified_context", "Know-how codified at the start", "share of know-how in docs, skills and evals at the start", F(0.1), [0.0, 1.0], "judgement"),
    p!("org.value_multiple", "Value of work over its cost", "value of one WU over its loaded cost", P(1.0, 1.5, 3.0), [0.0, 1000.0], "judgement; Permanent Notes (2026), \"The Architecture Between You and the Model\" values output at salary (1); agentdrivendevelopment.com (2026), \"Your AI Token Burn Is Not the Problem. The Work Is.\": value is the open question"),
    p!("org.discount_rate", "Discount rate", "annual rate", F(0.10), [0.0, 1.0], "judgement: a common corporate hurdle rate"),
    // prices
    p!("world.prices.g_frontier", "Yearly change in frontier token prices", "annual price factor", P(0.33, 0.85, 1.35), [1e-6, 100.0], "Epoch AI (2025), LLM inference price trends; a16z (Appenzeller, 2024), \"Welcome to LLMflation\": frontier list prices flat for about three years"),
    p!("world.prices.g_commodity", "Yearly change in commodity token prices", "annual price factor", P(0.01, 0.1, 0.33), [1e-6, 100.0], "a16z (Appenzeller, 2024), \"Welcome to LLMflation\": about 10x cheaper a year at constant capability; Epoch AI (2025), LLM inference price trends: 9x to 900x"),
    p!("world.prices.sigma", "Monthly token price volatility", "log-price s.d. per month", F(0.05), [0.0, 2.0], "judgement"),
    p!("world.prices.commodity_price", "Commodity token price today", "price index, frontier today = 1", F(0.0625), [1e-6, 100.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": 60% routed cut $4,000 to $1,750, so 0.4 + 0.6 x 0.0625 = 0.4375"),
    p!("world.prices.capacity_premium", "Capacity premium on token prices", "price multiplier", F(1.0), [1e-6, 100.0], "judgement; IEA (2025), Energy and AI; CBRE (2025), North America Data Center Trends H1 2025: vacancy 1.6%"),
    p!("world.prices.input_share", "Share of tokens that are input", "share of tokens that are input", F(0.8), [0.0, 1.0], "judgement"),
    // subsidy
    p!("world.subsidy.hazard", "Monthly chance the price subsidy ends", "probability per month", F(0.02), [0.0, 1.0], "judgement"),
    p!("world.subsidy.month", "Month the price subsidy ends", "month (0: the hazard decides)", F(0.0), [0.0, 240.0], "scenario's choice"),
    p!("world.subsidy.ramp_months", "Months for prices to rise after the subsidy", "months", F(4.0), [1.0, 240.0], "judgement"),
    p!("world.subsidy.m_api", "Metered price rise when the subsidy ends", "price multiplier", P(1.0, 1.5, 3.0), [1e-6, 1000.0], "judgement from reported API gross margins (OpenAI about 75%, later 55%), as cited in the model's design (2026)"),
    p!("world.subsidy.m_seat", "Flat seat price rise when the subsidy ends", "price multiplier", P(2.0, 4.0, 10.0), [0.0, 1000.0], "Cursor (2025), the June 2025 move from unlimited to metered plans; \"The headcount delusion\" (unsigned article, 2026): three, five or ten times"),
    // capability
    p!("world.capability.h50", "Task length agents finish half the time", "hours", F(5.0), [0.0, 1e6], "METR (Kwa et al., 2025), \"Measuring AI Ability to Complete Long Tasks\": the 50% time horizon; update per scenario"),
    p!("world.capability.doubling_months", "Months for agent capability to double", "months", P(3.0, 5.0, 7.0), [0.1, 1e4], "METR (Kwa et al., 2025), \"Measuring AI Ability to Complete Long Tasks\": 7 months since 2019, 4 to 5 recently"),
    p!("world.capability.kappa", "Share of benchmark capability seen on real work", "benchmark-to-real-work factor", P(0.05, 0.2, 0.5), [0.0, 10.0], "Scale AI (2025), SWE-Bench Pro; Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": Devin finished 3 of 20 real tasks"),
    p!("world.capability.plateau", "Most agent capability can grow", "largest multiple of H50", P(2.0, 16.0, 64.0), [1.0, 1e9], "judgement; Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": SWE-Bench plateau near 70%"),
    p!("world.capability.slope", "Steepness of agent success against task length", "logistic slope b", F(0.86), [0.01, 20.0], "judgement from the success curve of METR (Kwa et al., 2025), \"Measuring AI Ability to Complete Long Tasks\""),
    p!("world.capability.task_hours", "Length of a task given to an agent", "hours of human work per agent task", P(1.0, 4.0, 16.0), [0.01, 1e4], "judgement"),
    // demand
    p!("world.demand.elasticity", "Price elasticity of token demand", "price elasticity of token demand", P(0.6, 1.1, 1.8), [0.0, 20.0], "OpenRouter (2025), usage data: about 1.1; Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": 10x easier, 100x more calls (2)"),
    p!("world.demand.growth", "Yearly growth in token use not driven by price", "annual volume factor not from price", P(1.2, 2.0, 6.0), [1e-6, 1000.0], "judgement; OpenRouter (2025), usage data: volume about 12.7x in a year"),
    p!("world.demand.growth_max", "Most token use can grow without price", "largest volume factor from growth", F(20.0), [1.0, 1e9], "judgement"),
    p!("world.demand.adjustment", "Speed at which token use adjusts", "share of the gap closed per month", F(0.3), [0.0, 1.0], "judgement"),
    p!("world.demand.noise", "Monthly noise in token use", "log-volume s.d. per month", F(0.1), [0.0, 5.0], "\"The headcount delusion\" (unsigned article, 2026): one person's usage swings fivefold; a company averages it out"),
    p!("world.demand.script_share", "Share of tokens codified context can save", "largest share of tokens codified away", F(0.5), [0.0, 1.0], "judgement; Permanent Notes (2026), \"The Architecture Between You and the Model\": intelligence to automation to zero cost"),
    p!("world.demand.returns", "Return on more tokens", "output elasticity of token volume (beta)", P(0.2, 0.35, 0.6), [0.0, 5.0], "judgement; Demirer, Musolff and Yang (2026), working paper: +180% commits became +30% releases"),
    // production
    p!("world.production.substitution", "Substitution between AI and human effort", "elasticity of substitution sigma", P(0.15, 0.25, 0.6), [0.01, 1000.0], "Demirer, Musolff and Yang (2026), working paper on over 100,000 developers: about 0.25"),
    p!("world.production.judgment_share", "Share of work that is judgment", "share of work that is judgment at the start", P(0.25, 0.4, 0.6), [0.01, 0.99], "judgement"),
    p!("world.production.uplift", "Output gain of an engineer with AI", "output gain of an assisted engineer", P(-0.1, 0.2, 0.5), [-0.9, 100.0], "Cui et al. (2025), Management Science: +26%; Paradis et al. (Google, 2024): +21%; Peng et al. (2023), GitHub Copilot: +55.8%; Becker et al. (METR, 2025), developer RCT: -19%"),
    p!("world.production.flat_uplift_scale", "Share of the gain a flat seat gives", "share of the uplift a flat seat gives", F(0.5), [0.0, 10.0], "judgement: no agentic loops"),
    p!("world.production.review_per_wu", "Review needed per unit of AI work", "WU of review per WU of AI work", P(0.1, 0.2, 0.4), [0.0, 100.0], "Faros AI (2025), \"The AI Productivity Paradox\": review time up 91%"),
    p!("world.production.review_share", "Share of judgment time for review", "share of judgment time available for review", F(0.5), [0.0, 1.0], "judgement"),
    // knowledge
    p!("world.knowledge.single_holder", "Know-how held by one person", "share of know-how held by one person", F(0.4), [0.0, 1.0], "Avelino et al. (2016), \"A Novel Approach for Estimating Truck Factors\", ICPC: truck factor 1 or 2 in 65% of projects"),
    p!("world.knowledge.pair_holders", "Know-how held by two people", "share held by two people", F(0.3), [0.0, 1.0], "Avelino et al. (2016), \"A Novel Approach for Estimating Truck Factors\", ICPC"),
    p!("world.knowledge.many_holders", "Know-how held by three or more", "share held by three or more", F(0.3), [0.0, 1.0], "Avelino et al. (2016), \"A Novel Approach for Estimating Truck Factors\", ICPC"),
    p!("world.knowledge.permanent_share", "Share of know-how lost for good in a layoff", "share of a layoff's loss that never returns", F(0.5), [0.0, 1.0], "judgement; \"The headcount delusion\" (unsigned article, 2026): you can't un-layoff a team"),
    p!("world.knowledge.half_life", "Half-life of unrenewed know-how", "months", P(6.0, 12.0, 24.0), [0.1, 1e6], "judgement"),
    p!("world.knowledge.learn_rate", "Speed of relearning know-how", "share of the gap rebuilt per month", F(0.1), [0.0, 1.0], "judgement"),
    p!("world.knowledge.codify_rate", "Speed of codifying know-how", "codified context built per unit of codifying time", F(2.0), [0.0, 1000.0], "judgement"),
    p!("world.knowledge.agent_renewal", "Know-how agents renew through codified context", "eta: know-how renewed per WU of agent work, through codified context", F(0.5), [0.0, 100.0], "judgement; Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": every session forgets"),
    p!("world.knowledge.human_floor", "Productivity with no know-how", "productivity with no know-how", F(0.6), [0.0, 1.0], "judgement"),
    p!("world.knowledge.agent_floor", "Agent success with no context", "agent success factor with no context", F(0.5), [0.0, 1.0], "judgement; Code2LoRA (University of Waterloo, 2026): repository context about +24 points"),
    p!("world.knowledge.gamma", "Sensitivity of incidents to lost know-how", "incident sensitivity to lost know-how", P(0.3, 1.0, 1.5), [0.0, 20.0], "Bird et al. (2011), \"Don't Touch My Code!\", ESEC/FSE; Mockus (2010), \"Organizational Volatility and its Effects on Software Defects\", FSE"),
    p!("world.knowledge.detection_max", "Failures review catches at full know-how", "share of failures review catches at full know-how", F(0.9), [0.0, 1.0], "judgement"),
    // incidents
    p!("world.incidents.base_rate", "Incidents a month without AI", "customer-facing incidents per month per 200 engineers", P(0.2, 0.5, 1.5), [0.0, 1e6], "judgement"),
    p!("world.incidents.ai_risk", "Extra failure rate of reviewed AI changes", "extra failure rate of reviewed AI changes", P(0.1, 0.4, 2.4), [0.0, 1000.0], "DORA (Google Cloud, 2024), Accelerate State of DevOps: stability -7.2% per 25% adoption; Uplevel (2024): +41% bugs; Faros AI (2026): +243% incidents per PR"),
    p!("world.incidents.unreviewed_risk", "Extra failure rate of unreviewed changes", "extra failure rate of what review misses", P(1.0, 3.0, 10.0), [0.0, 1000.0], "judgement"),
    p!("world.incidents.p_harm", "Chance an agent attempt takes a harmful action", "harmful actions per agent attempt", P(0.2, 0.5, 0.6), [0.0, 1.0], "SABER (HKU, CMU and NUS, 2026): harmful actions in 54.7% of tasks in real workspaces"),
    p!("world.incidents.p_harm_incident", "Chance an unblocked harmful action causes an incident", "incidents per unblocked harmful action", P(0.0001, 0.0005, 0.002), [0.0, 1.0], "judgement: 0.1% to 1% a month for an ungoverned agent"),
    p!("world.incidents.p_destructive", "Chance an unblocked harmful action destroys data", "destructive incidents per unblocked harmful action", F(0.00015), [0.0, 1.0], "judgement; the Replit (2025) and PocketOS (2026) data-loss incidents"),
    p!("world.incidents.p_loop", "Monthly chance an agent runs away in a loop", "runaway loops per agent seat-month", P(0.01, 0.03, 0.1), [0.0, 1.0], "judgement"),
    p!("world.incidents.loop_median", "Typical cost of a runaway loop", "$ per runaway loop", F(3_000.0), [0.0, 1e12], "Permanent Notes (2026), \"The Architecture Between You and the Model\": a runaway loop's typical cost"),
    p!("world.incidents.loop_p95", "Cost of a bad runaway loop (1 in 20)", "$ per runaway loop", F(47_000.0), [0.0, 1e12], "Permanent Notes (2026), \"The Architecture Between You and the Model\": a $47,000 runaway loop"),
    p!("world.incidents.duration_median", "Typical incident length", "minutes", F(30.0), [0.0, 1e7], "judgement; Ponemon Institute (2016), Cost of Data Center Outages: about 90 minutes on average"),
    p!("world.incidents.duration_p95", "Length of a long incident (1 in 20)", "minutes", F(300.0), [0.0, 1e7], "judgement"),
    p!("world.incidents.responders", "Responders per incident", "people per incident for its duration", F(1.2), [0.0, 1e4], "PagerDuty, incident response benchmarks (as cited in the model's design, 2026)"),
    p!("world.incidents.destructive_median", "Typical loss from destroyed data", "$ per destructive incident", F(1e6), [0.0, 1e13], "judgement; Uptime Institute (2024), Annual Outage Analysis: 16% of significant outages over $1M"),
    p!("world.incidents.destructive_p95", "Loss from destroyed data (1 in 20)", "$ per destructive incident", F(2e7), [0.0, 1e13], "judgement"),
    p!("world.incidents.downtime_cost_per_minute", "Cost of a minute of downtime", "$ per minute", P(1000.0, 3000.0, 9000.0), [0.0, 1e9], "judgement for a mid-size company; Gartner (Lerner, 2014), \"The Cost of Downtime\": $5,600; Ponemon Institute (2013, 2016), Cost of Data Center Outages: $7,900 to $8,851"),
    // strategy levers
    p!("strategies.*.layoffs[].month", "Month of the layoff", "month of the layoff (rounded per path)", Off, [1.0, 240.0], "scenario's choice"),
    p!("strategies.*.layoffs[].fraction", "Share of engineers laid off", "share of headcount cut", Off, [0.0, 1.0], "scenario's choice"),
    p!("strategies.*.layoffs[].seniority_weight", "How much the layoff targets know-how holders", "1 = random cut, above 1 cuts know-how holders", F(1.0), [0.0, 100.0], "scenario's choice"),
    p!("strategies.*.layoffs[].gate.output_at_least", "Output the layoff needs to go ahead", "share of the start's output, mean of the 3 months before the layoff", Off, [0.0, 100.0], "scenario's choice"),
    p!("strategies.*.layoffs[].gate.incident_cost_at_most", "Incident cost the layoff tolerates", "$ a month of incident cost, mean of the 3 months before the layoff", Off, [0.0, 1e15], "scenario's choice"),
    p!("strategies.*.layoffs[].gate.knowledge_at_least", "Know-how the layoff needs to go ahead", "know-how K, mean of the 3 months before the layoff", Off, [0.0, 1.0], "scenario's choice"),
    p!("strategies.*.severance_months", "Severance per engineer laid off", "months of loaded cost per engineer cut", F(3.0), [0.0, 240.0], "scenario's choice: three months, the model design's default"),
    p!("strategies.*.assist.seat_price", "Price of a flat AI seat", "$ per flat seat per month", F(39.0), [0.0, 1e7], "Permanent Notes (2026), \"The Architecture Between You and the Model\": GitHub Copilot at $39 a seat, flat"),
    p!("strategies.*.assist.spend", "Metered AI spend per engineer", "$ per metered seat per month at today's frontier price", F(200.0), [0.0, 1e9], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Anthropic's enterprise median of $150 to $250"),
    p!("strategies.*.assist.cap", "Cap on AI spend per engineer", "$ per metered seat per month (absent: no cap)", Off, [0.0, 1e12], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Uber's $1,500 cap"),
    p!("strategies.*.assist.cap_from", "First month of the AI spend cap", "first month the assist cap applies (rounded per path)", F(1.0), [1.0, 240.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Uber capped after the budget ran out"),
    p!("strategies.*.agents.seats", "Agent seats", "agent seats (or \"replace_laid_off\")", F(0.0), [0.0, 1e8], "scenario's choice"),
    p!("strategies.*.agents.wu_per_seat", "Work an agent seat is planned to do", "WU a seat plans at full success", F(1.0), [0.0, 1e4], "scenario's choice: the spreadsheet's one agent for one engineer"),
    p!("strategies.*.agents.spend", "Spend per agent seat", "$ per agent seat per month at today's frontier price", P(3000.0, 4000.0, 5000.0), [0.0, 1e9], "Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": $3,000 to $5,000 a month per engineer-equivalent"),
    p!("strategies.*.agents.cap", "Cap on spend per agent seat", "$ per agent seat per month (absent: no cap)", Off, [0.0, 1e12], "scenario's choice"),
    p!("strategies.*.agents.cap_from", "First month of the agent spend cap", "first month the agent cap applies (rounded per path)", F(1.0), [1.0, 240.0], "scenario's choice"),
    p!("strategies.*.directing.target", "Share of engineers' time on judgment", "share of human time on judgment", Off, [0.01, 0.99], "Permanent Notes (2026), \"The Architecture Between You and the Model\": engineers directing, not typing"),
    p!("strategies.*.directing.months", "Months to move engineers to judgment", "months to reach the target", F(1.0), [0.0, 240.0], "scenario's choice"),
    p!("strategies.*.adoption.start", "Engineers with AI seats at the start", "share of engineers with AI seats in month 1", Off, [0.0, 1.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Uber at 32% before the push"),
    p!("strategies.*.adoption.target", "Engineers with AI seats once adopted", "share of engineers with AI seats once adoption is done", F(1.0), [0.0, 1.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Uber at 95% by spring"),
    p!("strategies.*.adoption.months", "Months to reach full adoption", "months from the start share to the target", F(1.0), [0.0, 240.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": Uber from 32% in February to 95% by spring"),
    p!("strategies.*.routing", "Share of tokens routed to cheap models", "share of tokens on the commodity tier", F(0.0), [0.0, 1.0], "Ong et al. (LMSYS, 2024), \"RouteLLM: Learning to Route LLMs with Preference Data\": 95% of quality at 45% to 85% less cost"),
    p!("strategies.*.caching", "Prompt cache hit rate", "prompt-cache hit rate on input tokens", F(0.0), [0.0, 1.0], "Permanent Notes (2026), \"The Architecture Between You and the Model\": cache reads bill at 0.1x"),
    p!("strategies.*.codify", "Engineers' time spent codifying know-how", "share of human time spent codifying know-how", F(0.0), [0.0, 0.99], "Permanent Notes (2026), \"The Architecture Between You and the Model\": codified context (skills, docs and evals)"),
    p!("strategies.*.guardrails", "Harmful agent actions blocked", "share of harmful agent actions blocked", F(0.0), [0.0, 1.0], "scenario's choice"),
    p!("strategies.*.loop_budget", "Most a runaway loop may cost", "$ most one runaway loop may cost (absent: no kill switch)", Off, [0.0, 1e12], "Bellantoni (2026), \"The Tokens-for-Engineers Trade Has Three Holes\": a budget and a kill switch"),
    p!("strategies.*.max_retries", "Retries of a failed agent task", "retries of a caught agent failure (rounded per path)", F(0.0), [0.0, 100.0], "scenario's choice"),
    p!("strategies.*.rehire.incident_cost_above", "Incident cost that triggers rehiring", "$ a month of incident cost, mean of the trailing 3 months", Off, [0.0, 1e15], "scenario's choice"),
    p!("strategies.*.rehire.output_below", "Output that triggers rehiring", "share of the start's output, mean of the trailing 3 months", Off, [0.0, 100.0], "scenario's choice"),
    p!("strategies.*.rehire.target", "Headcount rehired to", "headcount as a share of the start", F(0.9), [0.0, 100.0], "scenario's choice"),
    p!("strategies.*.rehire.lag", "Months from trigger to rehires arriving", "months from trigger to arrival", P(2.0, 4.0, 9.0), [0.0, 240.0], "judgement: time to hire"),
];

/// Looks a key up; strategy keys are matched with their name replaced by `*` and list
/// indices removed.
pub fn spec(key: &str) -> Option<&'static ParamSpec> {
    let generic = generic_key(key);
    PARAMS.iter().find(|p| p.key == generic)
}

/// `strategies.lev.layoffs[0].fraction` -> `strategies.*.layoffs[].fraction`.
pub fn generic_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut parts = key.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("strategies"), Some(_), Some(rest)) => {
            out.push_str("strategies.*.");
            out.push_str(rest);
        }
        _ => out.push_str(key),
    }
    let mut clean = String::with_capacity(out.len());
    let mut in_index = false;
    for ch in out.chars() {
        match ch {
            '[' => {
                in_index = true;
                clean.push('[');
            }
            ']' => {
                in_index = false;
                clean.push(']');
            }
            _ if in_index => {}
            _ => clean.push(ch),
        }
    }
    clean
}

/// What a board reads for a key: the registry's label, with the strategy and the layoff
/// a lever belongs to (`strategies.replacement.layoffs[1].fraction` reads "Share of
/// engineers laid off (replacement, layoff 2)"). `None` for a key not in the registry.
pub fn label(key: &str) -> Option<String> {
    let spec = spec(key)?;
    let mut parts = key.splitn(3, '.');
    let (Some("strategies"), Some(name), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        return Some(spec.label.to_string());
    };
    let item = rest
        .split_once('[')
        .and_then(|(list, tail)| Some((list, tail.split_once(']')?.0.parse::<usize>().ok()?)));
    Some(match item {
        Some(("layoffs", i)) => format!("{} ({name}, layoff {})", spec.label, i + 1),
        _ => format!("{} ({name})", spec.label),
    })
}

/// FNV-1a of a key: a stable stream id for the parameter, independent of the order of
/// this table. A strategy's name is replaced by `*` so identical strategies draw identical
/// values (common random numbers); list indices are kept, so two layoffs of one strategy
/// draw independently.
pub fn stream_id(key: &str) -> u64 {
    let mut parts = key.splitn(3, '.');
    let generic = match (parts.next(), parts.next(), parts.next()) {
        (Some("strategies"), Some(_), Some(rest)) => format!("strategies.*.{rest}"),
        _ => key.to_string(),
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in generic.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A validated parameter: its distribution and the id of the stream it is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub dist: Dist,
    /// Id of the random stream the parameter is drawn from (see [`stream_id`]).
    pub stream: u64,
    /// Valid range: draws of unbounded forms are clamped to it.
    pub lo: f64,
    pub hi: f64,
    /// Where the scenario correlates this parameter with others: its place in the copula
    /// (docs/model.md 2). `None` draws it on its own.
    pub copula: Option<super::copula::Member>,
}

impl Serialize for Param {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.dist.serialize(s)
    }
}

macro_rules! group {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default, bound(deserialize = "T: Deserialize<'de> + Default"))]
        pub struct $name<T> {
            $(pub $field: T,)*
        }

        impl<T> $name<T> {
            /// Key path of the group in a scenario file.
            pub const PREFIX: &'static str = $prefix;

            /// Applies `f` to every field, with the field's name.
            pub fn map<U>(&self, mut f: impl FnMut(&'static str, &T) -> U) -> $name<U> {
                $name { $($field: f(stringify!($field), &self.$field),)* }
            }

            /// Every field with its full key path.
            pub fn fields(&self) -> Vec<(String, &T)> {
                vec![$((format!("{}.{}", $prefix, stringify!($field)), &self.$field)),*]
            }

            /// Every field with its full key path, to change.
            pub fn fields_mut(&mut self) -> Vec<(String, &mut T)> {
                vec![$((format!("{}.{}", $prefix, stringify!($field)), &mut self.$field)),*]
            }
        }
    };
}

group!(
    /// The organisation at the start (docs/model.md 1 and 4.1).
    Org, "org", {
    engineers, loaded_cost, attrition, ramp_months, hire_cost, codified_context,
    value_multiple, discount_rate,
});
group!(
    /// Token prices per tier (docs/model.md 3).
    Prices, "world.prices", {
    g_frontier, g_commodity, sigma, commodity_price, capacity_premium, input_share,
});
group!(
    /// The end of subsidised prices (docs/model.md 3).
    Subsidy, "world.subsidy", { hazard, month, ramp_months, m_api, m_seat });
group!(
    /// Agent capability over time (docs/model.md 3).
    Capability, "world.capability", {
    h50, doubling_months, kappa, plateau, slope, task_hours,
});
group!(
    /// Token demand, the Jevons mechanism (docs/model.md 4.4).
    Demand, "world.demand", {
    elasticity, growth, growth_max, adjustment, noise, script_share, returns,
});
group!(
    /// Judgment and execution (docs/model.md 4.5).
    Production, "world.production", {
    substitution, judgment_share, uplift, flat_uplift_scale, review_per_wu, review_share,
});
group!(
    /// Institutional knowledge (docs/model.md 4.2).
    Knowledge, "world.knowledge", {
    single_holder, pair_holders, many_holders, permanent_share, half_life, learn_rate,
    codify_rate, agent_renewal, human_floor, agent_floor, gamma, detection_max,
});
group!(
    /// Failures, review and incidents (docs/model.md 4.6).
    Incidents, "world.incidents", {
    base_rate, ai_risk, unreviewed_risk, p_harm, p_harm_incident, p_destructive, p_loop,
    loop_median, loop_p95, duration_median, duration_p95, responders, destructive_median,
    destructive_p95, downtime_cost_per_minute,
});

/// Every world group, generic over what each parameter holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    default,
    bound(deserialize = "T: Deserialize<'de> + Default")
)]
pub struct World<T> {
    pub prices: Prices<T>,
    pub subsidy: Subsidy<T>,
    pub capability: Capability<T>,
    pub demand: Demand<T>,
    pub production: Production<T>,
    pub knowledge: Knowledge<T>,
    pub incidents: Incidents<T>,
}

impl<T> World<T> {
    /// Every parameter with its full key path, in documentation order.
    pub fn fields(&self) -> Vec<(String, &T)> {
        let mut out = self.prices.fields();
        out.extend(self.subsidy.fields());
        out.extend(self.capability.fields());
        out.extend(self.demand.fields());
        out.extend(self.production.fields());
        out.extend(self.knowledge.fields());
        out.extend(self.incidents.fields());
        out
    }

    /// `fields`, to change.
    pub fn fields_mut(&mut self) -> Vec<(String, &mut T)> {
        let mut out = self.prices.fields_mut();
        out.extend(self.subsidy.fields_mut());
        out.extend(self.capability.fields_mut());
        out.extend(self.demand.fields_mut());
        out.extend(self.production.fields_mut());
        out.extend(self.knowledge.fields_mut());
        out.extend(self.incidents.fields_mut());
        out
    }

    pub fn map<U>(&self, mut f: impl FnMut(&str, &'static str, &T) -> U) -> World<U> {
        World {
            prices: self.prices.map(|k, v| f(Prices::<T>::PREFIX, k, v)),
            subsidy: self.subsidy.map(|k, v| f(Subsidy::<T>::PREFIX, k, v)),
            capability: self.capability.map(|k, v| f(Capability::<T>::PREFIX, k, v)),
            demand: self.demand.map(|k, v| f(Demand::<T>::PREFIX, k, v)),
            production: self.production.map(|k, v| f(Production::<T>::PREFIX, k, v)),
            knowledge: self.knowledge.map(|k, v| f(Knowledge::<T>::PREFIX, k, v)),
            incidents: self.incidents.map(|k, v| f(Incidents::<T>::PREFIX, k, v)),
        }
    }
}

impl ParamSpec {
    /// The default as the docs write it: a number, `pert [min, mode, max]` or `off`.
    pub fn default_text(&self) -> String {
        use super::dist::short_number as n;
        match self.default {
            Def::Fixed(x) => n(x),
            Def::Pert(a, b, c) => format!("pert [{}, {}, {}]", n(a), n(b), n(c)),
            Def::Off => "off".into(),
        }
    }

    /// `judgement`, `choice` (the scenario's) or `published`.
    pub fn kind(&self) -> &'static str {
        if self.is_judgement() {
            "judgement"
        } else if self.source.starts_with("scenario's choice") {
            "choice"
        } else {
            "published"
        }
    }
}

/// The registry as a Markdown table: key, label, unit, default, valid range, kind, source.
/// It is printed into `docs/model.md`, so the docs cannot drift from the validator.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| key | label | unit | default | valid range | kind | source |\n|---|---|---|---|---|---|---|\n",
    );
    for p in PARAMS {
        let kind = match p.kind() {
            "judgement" => "**judgement**",
            k => k,
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | [{}, {}] | {} | {} |\n",
            p.key,
            p.label,
            p.unit,
            p.default_text(),
            super::dist::short_number(p.min),
            super::dist::short_number(p.max),
            kind,
            p.source
        ));
    }
    out
}

/// The keys a `tokensim params KEY_PREFIX` asks for: those whose key starts with the
/// prefix, a strategy's name read as `*` (`strategies.replacement.assist` finds
/// `strategies.*.assist.spend`) and list indices dropped.
pub fn matching(prefix: &str) -> Vec<&'static ParamSpec> {
    let mut parts: Vec<&str> = prefix.split('.').collect();
    if parts.len() > 1 && parts[0] == "strategies" {
        parts[1] = "*";
    }
    let generic = generic_key(&parts.join("."));
    PARAMS
        .iter()
        .filter(|p| p.key.starts_with(&generic))
        .collect()
}

/// Words of `text` on lines of at most `width` columns, the first after `first`, the
/// rest after `indent` spaces.
fn wrap(first: &str, text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// What `tokensim params` prints on a terminal: per key, its label, then its unit,
/// default, valid range, kind and source, in lines of at most `width` columns.
pub fn terminal_text(specs: &[&ParamSpec], width: usize) -> String {
    let mut out = String::new();
    for p in specs {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&wrap(&format!("{}  ", p.key), p.label, 4, width));
        let field = |name: &str, text: &str| wrap(&format!("    {name:<8} "), text, 13, width);
        out.push_str(&field("unit", p.unit));
        out.push_str(&field(
            "default",
            &format!(
                "{}; valid [{}, {}]; {}",
                p.default_text(),
                super::dist::short_number(p.min),
                super::dist::short_number(p.max),
                p.kind()
            ),
        ));
        out.push_str(&field("source", p.source));
    }
    out
}

/// What `tokensim params` prints and `docs/parameters.md` holds: every scenario key with
/// its unit, default, valid range and source, from the table the validator uses.
pub fn reference_text() -> String {
    let mut out = String::from(
        "# Scenario keys\n\n\
Generated by `tokensim params` from the table the validator uses, so it cannot drift from the\n\
code. Any numeric key may be a number or a distribution (`{ pert = [min, mode, max] }`,\n\
`{ ci90 = [p5, p95] }`, ...; see README.md). \"judgement\" marks a default chosen by the\n\
project rather than published; `*` stands for a strategy's name and `[]` for a list item.\n\n\
## Keys that are not numbers\n\n\
| key | meaning | default |\n|---|---|---|\n\
| `run.paths` | simulated futures, 1 to 100,000,000 | 10000 |\n\
| `run.seed` | seed of the run, a whole number >= 0 | 2026 |\n\
| `run.horizon` | months, 1 to 240 | 36 |\n\
| `run.headline` | the pair the headline compares, `[challenger, incumbent]` | `[\"replacement\", \"leverage\"]` where both exist |\n\
| `strategies.*.backfill_attrition` | replace leavers at once | true |\n\
| `strategies.*.assist.kind` | `none`, `flat` or `metered` | none |\n\
| `strategies.*.adoption.curve` | `linear` or `s_curve` (`x^2 (3 - 2x)`), the shape of adoption's rise | linear |\n\
| `strategies.*.agents.seats` | a number, a distribution, or `\"replace_laid_off\"` | 0 |\n\n\
## Numeric keys\n\n",
    );
    out.push_str(&markdown_table());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_its_default_in_range() {
        for (i, p) in PARAMS.iter().enumerate() {
            assert!(
                PARAMS[..i].iter().all(|q| q.key != p.key),
                "duplicate {}",
                p.key
            );
            if let Some(d) = p.default.to_dist() {
                let (lo, hi) = d.support();
                assert!(
                    lo >= p.min && hi <= p.max,
                    "{} default outside its range",
                    p.key
                );
            }
        }
    }

    #[test]
    fn every_key_has_a_label_a_board_can_read() {
        for (i, p) in PARAMS.iter().enumerate() {
            let first = p.label.chars().next().unwrap_or(' ');
            assert!(
                first.is_uppercase() && !p.label.contains(['_', '.', '*', '[']),
                "{}: label {:?}",
                p.key,
                p.label
            );
            assert!(
                PARAMS[..i].iter().all(|q| q.label != p.label),
                "{}: label {:?} is not unique",
                p.key,
                p.label
            );
        }
        assert_eq!(
            label("strategies.replacement.layoffs[1].fraction").as_deref(),
            Some("Share of engineers laid off (replacement, layoff 2)")
        );
        assert_eq!(
            label("world.demand.elasticity").as_deref(),
            Some("Price elasticity of token demand")
        );
        assert_eq!(
            label("strategies.leverage.routing").as_deref(),
            Some("Share of tokens routed to cheap models (leverage)")
        );
        assert_eq!(label("world.no_such_key"), None);
    }

    #[test]
    fn every_source_reads_as_a_publication_or_a_choice() {
        for p in PARAMS {
            let s = p.source.to_lowercase();
            assert!(
                !s.contains("seed 0") && !s.contains("model.md"),
                "{}: source {:?} names a file, not a publication",
                p.key,
                p.source
            );
            let has_year = p.source.as_bytes().windows(5).any(|w| {
                (w[0] == b'(' || w[0] == b' ')
                    && (w[1..3] == *b"19" || w[1..3] == *b"20")
                    && w[3].is_ascii_digit()
                    && w[4].is_ascii_digit()
            });
            assert!(
                p.kind() != "published" || has_year,
                "{}: a published source needs its year: {:?}",
                p.key,
                p.source
            );
            assert!(!p.unit.is_empty() && !p.label.is_empty(), "{}", p.key);
        }
    }

    #[test]
    fn params_filters_by_prefix_and_fits_a_terminal() {
        let strat = matching("strategies.replacement.assist");
        assert!(!strat.is_empty());
        assert!(strat
            .iter()
            .all(|p| p.key.starts_with("strategies.*.assist.")));
        assert_eq!(matching("world.demand").len(), 7);
        assert!(matching("world.nothing").is_empty());
        let all: Vec<&ParamSpec> = PARAMS.iter().collect();
        let text = terminal_text(&all, 80);
        for p in PARAMS {
            assert!(text.contains(p.key), "{}", p.key);
        }
        let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(longest <= 80, "a line of {longest} columns");
    }

    #[test]
    fn every_group_field_has_a_registry_entry() {
        let org: Org<()> = Org::default();
        org.map(|k, _| assert!(spec(&format!("org.{k}")).is_some(), "org.{k}"));
        let world: World<()> = World::default();
        world.map(|pre, k, _| assert!(spec(&format!("{pre}.{k}")).is_some(), "{pre}.{k}"));
    }

    #[test]
    fn strategy_keys_match_generically() {
        assert_eq!(
            generic_key("strategies.lev.layoffs[0].fraction"),
            "strategies.*.layoffs[].fraction"
        );
        assert!(spec("strategies.x.routing").is_some());
        assert_eq!(
            stream_id("strategies.a.routing"),
            stream_id("strategies.b.routing")
        );
        assert_ne!(stream_id("org.attrition"), stream_id("org.engineers"));
        assert_ne!(
            stream_id("strategies.a.layoffs[0].fraction"),
            stream_id("strategies.a.layoffs[1].fraction")
        );
        assert_eq!(
            stream_id("strategies.a.layoffs[1].fraction"),
            stream_id("strategies.b.layoffs[1].fraction")
        );
    }
}
