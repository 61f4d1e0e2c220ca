//! The words of the board pack that come from the scenario itself: each strategy in
//! plain words, the fixed inputs with their labels and units, and the way a share, a
//! chance and an input's amount are written.
//!
//! It restates what the scenario says and computes nothing of the model.

use super::count;
use crate::model::params::{self, ParamSpec};
use crate::model::{Assist, Cap, Param, Scenario, Seats, Strategy};

/// The sentences only the analyses can give, for the report and the deck. A slot left
/// `None` is said as the command that fills it.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    /// The main reason for the answer, from the attribution (`tokensim attribute`).
    pub reason: Option<String>,
    /// What would have to be true for the other answer, from discovery
    /// (`tokensim discover`).
    pub must_be_true: Option<String>,
    /// What is worth learning first, from the value of information.
    pub learn_first: Option<String>,
    /// The analyses' charts (attribution waterfall, discovery scatter, value of
    /// information), drawn among the run's charts.
    pub figures: Vec<super::charts::Figure>,
}

impl Findings {
    pub(crate) fn reason_or_hint(&self) -> String {
        self.reason.clone().unwrap_or_else(|| {
            "Run `tokensim attribute` to split the difference between the two strategies by lever.".into()
        })
    }

    pub(crate) fn must_be_true_or_hint(&self) -> String {
        self.must_be_true.clone().unwrap_or_else(|| {
            "Run `tokensim discover` to find the futures in which the other answer wins, and what they have in common.".into()
        })
    }

    pub(crate) fn learn_first_or_hint(&self) -> String {
        self.learn_first.clone().unwrap_or_else(|| {
            "Run `tokensim sensitivity` for the value of information: which uncertain input is worth learning before deciding.".into()
        })
    }
}

/// An amount in dollars as a person writes an input: `$39`, `$1,500`, `$180,000`,
/// `$3.0M`.
pub fn dollars(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a >= 1e7 || (a >= 1e6 && (a % 1e5).abs() < 1e-6) {
        format!("{sign}${:.1}M", a / 1e6)
    } else if a >= 100.0 || a.fract() == 0.0 {
        format!("{sign}${}", count(a))
    } else {
        format!("{sign}${a:.2}")
    }
}

/// A share of something: `40%`, `2.5%`, `0.15%`.
pub fn share(x: f64) -> String {
    let pc = x * 100.0;
    if pc == pc.round() {
        format!("{pc:.0}%")
    } else if pc.abs() >= 10.0 {
        format!("{pc:.1}%")
    } else {
        let s = format!("{pc:.2}");
        format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A chance estimated from futures: never 0% or 100% unless exact (`>99.5%`,
/// `<0.5%`), one decimal below 10% and above 90%.
pub fn chance(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p <= 0.0 {
        "0%".into()
    } else if p > 0.995 {
        ">99.5%".into()
    } else if p < 0.005 {
        "<0.5%".into()
    } else if !(0.1..=0.9).contains(&p) {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// A number as a person writes it: `3`, `0.86`, `12.5`.
fn plain(x: f64) -> String {
    if x.abs() >= 1000.0 {
        count(x)
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How a value of `spec` reads: dollars for amounts, a share for shares and rates, a
/// number otherwise.
fn by_unit(spec: Option<&ParamSpec>, x: f64) -> String {
    let unit = spec.map(|s| s.unit).unwrap_or("");
    if unit.starts_with('$') {
        dollars(x)
    } else if unit.starts_with("month") {
        plain(x)
    } else if unit.contains("share") || unit.contains("rate") || unit.starts_with("probability") {
        share(x)
    } else {
        plain(x)
    }
}

/// A parameter's value for `key` in words: the number for a fixed one, its range for
/// one that is uncertain (`$3,000 to $5,000, most likely $4,000`).
pub fn value(key: &str, p: &Param) -> String {
    use crate::model::Dist;
    let spec = params::spec(key);
    let v = |x: f64| by_unit(spec, x);
    match &p.dist {
        Dist::Fixed(x) => v(*x),
        Dist::Pert { min, mode, max } | Dist::Triangular { min, mode, max } => {
            format!("{} to {}, most likely {}", v(*min), v(*max), v(*mode))
        }
        Dist::Uniform { lo, hi } => format!("anywhere from {} to {}", v(*lo), v(*hi)),
        Dist::Ci90 { p5, p95 } => format!("90% between {} and {}", v(*p5), v(*p95)),
        Dist::LogNormal { median, p95 } => {
            format!("median {}, 1 in 20 above {}", v(*median), v(*p95))
        }
        other => other.describe(),
    }
}

/// What a lever is worth on a strategy: `key` relative to the strategy.
fn lever(st: &Strategy, rel: &str, p: &Param) -> String {
    value(&format!("strategies.{}.{rel}", st.name), p)
}

fn is_zero(p: &Param) -> bool {
    p.dist.is_fixed() && p.dist.point() == 0.0
}

fn cap_words(st: &Strategy, rel: &str, c: Option<&Cap>) -> String {
    match c {
        None => "with no cap".into(),
        Some(c) => {
            let from = c
                .from
                .as_ref()
                .filter(|f| !(f.dist.is_fixed() && f.dist.point() <= 1.0))
                .map(|f| format!(" from month {}", lever(st, &format!("{rel}.cap_from"), f)))
                .unwrap_or_default();
            format!(
                "capped at {} a month{from}",
                lever(st, &format!("{rel}.cap"), &c.amount)
            )
        }
    }
}

/// What the strategy does to staff and AI seats, in clauses.
fn staff_and_seats(st: &Strategy) -> Vec<String> {
    let mut parts = Vec::new();
    for (i, l) in st.layoffs.iter().enumerate() {
        let rel = |k: &str| format!("layoffs[{i}].{k}");
        let weight = l.seniority_weight.dist.point();
        let aim = if weight > 1.0 {
            ", aiming at those who hold the most know-how"
        } else {
            ""
        };
        parts.push(format!(
            "lays off {} of engineers at month {}{aim}, with {} months' severance",
            lever(st, &rel("fraction"), &l.fraction),
            lever(st, &rel("month"), &l.month),
            lever(st, "severance_months", &st.severance_months)
        ));
    }
    if st.layoffs.is_empty() {
        parts.push("keeps its engineers".into());
    }
    if !st.backfill_attrition {
        parts.push("does not replace engineers who leave".into());
    }
    match &st.assist {
        Assist::None => {}
        Assist::Flat { seat_price } => parts.push(format!(
            "gives engineers flat AI seats at {} a month",
            lever(st, "assist.seat_price", seat_price)
        )),
        Assist::Metered { spend, cap } => parts.push(format!(
            "gives engineers metered AI at {} a month each at today's prices, {}",
            lever(st, "assist.spend", spend),
            cap_words(st, "assist", cap.as_ref())
        )),
    }
    if let Some(a) = &st.adoption {
        parts.push(format!(
            "with AI seats going from {} to {} of engineers over {} months",
            lever(st, "adoption.start", &a.start),
            lever(st, "adoption.target", &a.target),
            lever(st, "adoption.months", &a.months)
        ));
    }
    let agents = &st.agents;
    let seats = match &agents.seats {
        Seats::ReplaceLaidOff => Some("buys one agent seat per engineer laid off".to_string()),
        Seats::Count(p) if is_zero(p) => None,
        Seats::Count(p) => Some(format!("runs {} agent seats", lever(st, "agents.seats", p))),
    };
    if let Some(seats) = seats {
        parts.push(format!(
            "{seats} at {} a month each, {}",
            lever(st, "agents.spend", &agents.spend),
            cap_words(st, "agents", agents.cap.as_ref())
        ));
    }
    parts
}

/// How the strategy governs its AI, in clauses.
fn governance(st: &Strategy) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(d) = &st.directing {
        parts.push(format!(
            "moves engineers to {} of their time on judgment over {} months",
            lever(st, "directing.target", &d.target),
            lever(st, "directing.months", &d.months)
        ));
    }
    let clauses: [(&str, &Param, &str); 3] = [
        (
            "routing",
            &st.routing,
            "routes {} of tokens to cheap models",
        ),
        ("caching", &st.caching, "caches {} of input tokens"),
        (
            "codify",
            &st.codify,
            "spends {} of engineers' time writing know-how down",
        ),
    ];
    for (rel, p, words) in clauses {
        if !is_zero(p) {
            parts.push(words.replace("{}", &lever(st, rel, p)));
        }
    }
    let uses_agents = !matches!(&st.agents.seats, Seats::Count(p) if is_zero(p));
    if uses_agents || !is_zero(&st.guardrails) {
        parts.push(if is_zero(&st.guardrails) {
            "has no guardrails on agents' actions".into()
        } else {
            format!(
                "has guardrails that block {} of harmful agent actions",
                lever(st, "guardrails", &st.guardrails)
            )
        });
    }
    if let Some(b) = &st.loop_budget {
        parts.push(format!(
            "stops a runaway agent loop at {}",
            lever(st, "loop_budget", b)
        ));
    }
    if !is_zero(&st.max_retries) {
        parts.push(format!(
            "retries a failed agent task up to {} times",
            lever(st, "max_retries", &st.max_retries)
        ));
    }
    if let Some(r) = &st.rehire {
        let mut when = Vec::new();
        if let Some(c) = &r.incident_cost_above {
            when.push(format!(
                "incident costs average more than {} a month over three months",
                lever(st, "rehire.incident_cost_above", c)
            ));
        }
        if let Some(o) = &r.output_below {
            when.push(format!(
                "output falls below {} of the start's",
                lever(st, "rehire.output_below", o)
            ));
        }
        parts.push(format!(
            "rehires to {} of the starting headcount, {} months later, when {}",
            lever(st, "rehire.target", &r.target),
            lever(st, "rehire.lag", &r.lag),
            when.join(" or ")
        ));
    }
    parts
}

/// What the strategy does in plain words, from its levers, to follow its name:
/// "lays off 40% of engineers at month 3, ...".
pub fn describe_strategy(st: &Strategy) -> String {
    let mut parts = staff_and_seats(st);
    parts.extend(governance(st));
    if parts.len() == 1 && st.layoffs.is_empty() {
        return "keeps its engineers and buys no AI.".into();
    }
    let last = parts.pop().unwrap_or_default();
    if parts.is_empty() {
        format!("{last}.")
    } else {
        format!("{}; and {last}.", parts.join("; "))
    }
}

/// The inputs every future shares: the horizon and the organisation's fixed values,
/// each as `[label, value with its unit, source]`.
pub fn fixed_inputs(sc: &Scenario) -> Vec<[String; 3]> {
    let mut rows = vec![[
        "Months simulated".to_string(),
        format!("{} months", sc.run.horizon),
        "scenario's choice".to_string(),
    ]];
    for (key, p) in sc.org.fields() {
        if !p.dist.is_fixed() {
            continue;
        }
        let Some(spec) = params::spec(&key) else {
            continue;
        };
        let shown = value(&key, p);
        let with_unit = if let Some(rest) = spec.unit.strip_prefix('$') {
            format!("{shown} {}", rest.trim())
        } else if shown.ends_with('%') {
            format!("{shown} ({})", spec.unit)
        } else {
            format!("{shown} {}", spec.unit)
        };
        let source = if spec.default.to_dist().as_ref() == Some(&p.dist) {
            spec.source.to_string()
        } else {
            "this scenario's value (see the scenario file)".to_string()
        };
        rows.push([spec.label.to_string(), with_unit, source]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_and_chances_read_as_written() {
        assert_eq!(dollars(39.0), "$39");
        assert_eq!(dollars(1500.0), "$1,500");
        assert_eq!(dollars(180_000.0), "$180,000");
        assert_eq!(dollars(3_000_000.0), "$3.0M");
        assert_eq!(share(0.4), "40%");
        assert_eq!(share(0.0625), "6.25%");
        assert_eq!(share(0.97), "97%");
        assert_eq!(chance(0.9957), ">99.5%");
        assert_eq!(chance(0.0004), "<0.5%");
        assert_eq!(chance(0.021), "2.1%");
        assert_eq!(chance(0.5), "50%");
        assert_eq!(chance(1.0), "100%");
    }
}
