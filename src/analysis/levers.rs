//! Lever groups: every lever of a strategy in exactly one group, and a strategy with one
//! group's levers taken from another. Attribution splits a pair's difference among these
//! groups (`attribute`).
//!
//! Pure: no I/O, no clock, no printing.

use crate::model::Strategy;

/// A group of levers a board argues about as one decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeverGroup {
    /// Layoffs, severance, backfilling attrition, the rehire rule.
    Headcount,
    /// Autonomous agent seats: how many, their work, spend and cap.
    AgentSeats,
    /// AI seats for engineers (flat or metered, with a cap) and their adoption.
    AssistedSeats,
    /// Routing to cheaper models and caching.
    TokenGovernance,
    /// Guardrails, the loop budget, retries.
    Safety,
    /// Directing (time on judgment) and codified context.
    WaysOfWorking,
}

impl LeverGroup {
    pub const ALL: [LeverGroup; 6] = [
        LeverGroup::Headcount,
        LeverGroup::AgentSeats,
        LeverGroup::AssistedSeats,
        LeverGroup::TokenGovernance,
        LeverGroup::Safety,
        LeverGroup::WaysOfWorking,
    ];

    /// The group's key in output files.
    pub fn key(self) -> &'static str {
        match self {
            LeverGroup::Headcount => "headcount",
            LeverGroup::AgentSeats => "agent_seats",
            LeverGroup::AssistedSeats => "assisted_seats",
            LeverGroup::TokenGovernance => "token_governance",
            LeverGroup::Safety => "safety",
            LeverGroup::WaysOfWorking => "ways_of_working",
        }
    }

    /// The group's name for a board.
    pub fn label(self) -> &'static str {
        match self {
            LeverGroup::Headcount => "Headcount",
            LeverGroup::AgentSeats => "Agent seats",
            LeverGroup::AssistedSeats => "Assisted seats",
            LeverGroup::TokenGovernance => "Token governance",
            LeverGroup::Safety => "Safety",
            LeverGroup::WaysOfWorking => "Ways of working",
        }
    }

    /// The keys of a strategy table in this group.
    pub fn fields(self) -> Vec<&'static str> {
        FIELD_GROUPS
            .iter()
            .filter(|(_, g)| *g == self)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// Every key of a strategy table in a scenario file, with its group.
pub const FIELD_GROUPS: [(&str, LeverGroup); 14] = [
    ("layoffs", LeverGroup::Headcount),
    ("severance_months", LeverGroup::Headcount),
    ("backfill_attrition", LeverGroup::Headcount),
    ("rehire", LeverGroup::Headcount),
    ("agents", LeverGroup::AgentSeats),
    ("assist", LeverGroup::AssistedSeats),
    ("adoption", LeverGroup::AssistedSeats),
    ("routing", LeverGroup::TokenGovernance),
    ("caching", LeverGroup::TokenGovernance),
    ("guardrails", LeverGroup::Safety),
    ("loop_budget", LeverGroup::Safety),
    ("max_retries", LeverGroup::Safety),
    ("directing", LeverGroup::WaysOfWorking),
    ("codify", LeverGroup::WaysOfWorking),
];

/// Sets `to`'s levers of `group` to `from`'s. Every field of `Strategy` is named here, so
/// a field added without a group does not compile.
pub fn take_group(to: &mut Strategy, from: &Strategy, group: LeverGroup) {
    let Strategy {
        name: _,
        label: _,
        severance_months,
        backfill_attrition,
        routing,
        caching,
        codify,
        guardrails,
        loop_budget,
        max_retries,
        assist,
        agents,
        directing,
        adoption,
        rehire,
        layoffs,
    } = from.clone();
    match group {
        LeverGroup::Headcount => {
            to.layoffs = layoffs;
            to.severance_months = severance_months;
            to.backfill_attrition = backfill_attrition;
            to.rehire = rehire;
        }
        LeverGroup::AgentSeats => to.agents = agents,
        LeverGroup::AssistedSeats => {
            to.assist = assist;
            to.adoption = adoption;
        }
        LeverGroup::TokenGovernance => {
            to.routing = routing;
            to.caching = caching;
        }
        LeverGroup::Safety => {
            to.guardrails = guardrails;
            to.loop_budget = loop_budget;
            to.max_retries = max_retries;
        }
        LeverGroup::WaysOfWorking => {
            to.directing = directing;
            to.codify = codify;
        }
    }
}

/// The groups in which `a` and `b` differ, in the order of `LeverGroup::ALL`.
pub fn differing_groups(a: &Strategy, b: &Strategy) -> Vec<LeverGroup> {
    LeverGroup::ALL
        .into_iter()
        .filter(|g| {
            let mut x = a.clone();
            take_group(&mut x, b, *g);
            x != *a
        })
        .collect()
}

/// `incumbent` with the groups of `groups` whose bit is set in `mask` taken from
/// `challenger`, named after what it takes.
pub fn hybrid(
    incumbent: &Strategy,
    challenger: &Strategy,
    groups: &[LeverGroup],
    mask: usize,
) -> Strategy {
    let mut s = incumbent.clone();
    let mut taken = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if mask >> i & 1 == 1 {
            take_group(&mut s, challenger, *g);
            taken.push(g.key());
        }
    }
    // A hybrid's name says what it takes; no label of either strategy fits it.
    s.label = None;
    s.name = if taken.is_empty() {
        incumbent.name.clone()
    } else if taken.len() == groups.len() {
        challenger.name.clone()
    } else {
        format!("{}+{}", incumbent.name, taken.join("+"))
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, Overrides};

    fn reference() -> crate::model::Scenario {
        let text = include_str!("../../scenarios/reference.toml");
        parse(text, "reference.toml", &Overrides::default()).unwrap()
    }

    /// The top-level keys a strategy writes when serialized.
    fn keys(s: &Strategy) -> Vec<String> {
        let v = serde_json::to_value(s).unwrap();
        v.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn every_key_of_every_strategy_is_in_exactly_one_group() {
        let sc = reference();
        let mut seen = std::collections::BTreeSet::new();
        for s in &sc.strategies {
            for k in keys(s) {
                let n = FIELD_GROUPS.iter().filter(|(f, _)| *f == k).count();
                assert_eq!(n, 1, "strategy key {k} is in {n} lever groups");
                seen.insert(k);
            }
        }
        // Between them the reference's strategies write every key but adoption: the table
        // holds no key a strategy cannot write.
        for (k, _) in FIELD_GROUPS {
            assert!(
                seen.contains(k) || k == "adoption",
                "{k} is grouped but no strategy of the reference writes it"
            );
        }
    }

    #[test]
    fn taking_a_group_changes_only_that_groups_keys() {
        let sc = reference();
        let by = |n: &str| sc.strategies.iter().find(|s| s.name == n).unwrap().clone();
        let (lev, rep) = (by("leverage"), by("replacement"));
        let before = serde_json::to_value(&lev).unwrap();
        for g in LeverGroup::ALL {
            let mut x = lev.clone();
            take_group(&mut x, &rep, g);
            let after = serde_json::to_value(&x).unwrap();
            let mut all: Vec<&String> = before.as_object().unwrap().keys().collect();
            all.extend(after.as_object().unwrap().keys());
            for k in all {
                if before.get(k) != after.get(k) {
                    assert!(g.fields().contains(&k.as_str()), "{} changed {k}", g.key());
                }
            }
        }
        assert_eq!(differing_groups(&lev, &rep), LeverGroup::ALL.to_vec());
        assert!(differing_groups(&lev, &lev).is_empty());
        let full = hybrid(&lev, &rep, &LeverGroup::ALL, 63);
        assert_eq!(full, rep);
        assert_eq!(hybrid(&lev, &rep, &LeverGroup::ALL, 0), lev);
        assert_eq!(
            hybrid(&lev, &rep, &LeverGroup::ALL, 0b1001).name,
            "leverage+headcount+token_governance"
        );
    }
}
