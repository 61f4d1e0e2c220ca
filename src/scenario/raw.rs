//! The raw schema: what a scenario file may contain, and nothing more.
//!
//! Every table denies unknown keys. Numbers may be written as distributions; their
//! arguments are checked later, in validation, so that every problem is reported at once.

use crate::model::params::{Org, World};
use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// A number, or a distribution table such as `{ pert = [1, 2, 4] }`.
#[derive(Clone, Debug, PartialEq)]
pub struct RawDist {
    pub form: String,
    pub args: Vec<f64>,
    pub weights: Option<Vec<f64>>,
}

/// A scalar or a list of numbers: the argument of a distribution form.
struct Numbers(Vec<f64>);

impl<'de> Deserialize<'de> for Numbers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Numbers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a list of numbers")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Numbers, E> {
                Ok(Numbers(vec![v as f64]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Numbers, E> {
                Ok(Numbers(vec![v as f64]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Numbers, E> {
                Ok(Numbers(vec![v]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Numbers, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Number>()? {
                    out.push(x.0);
                }
                Ok(Numbers(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// One number, integer or float.
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

struct RawDistVisitor;

impl<'de> Visitor<'de> for RawDistVisitor {
    type Value = RawDist;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a distribution such as { pert = [1, 2, 4] }")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
        Ok(RawDist::fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
        Ok(RawDist::fixed(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
        Ok(RawDist::fixed(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDist, A::Error> {
        let mut form: Option<(String, Vec<f64>)> = None;
        let mut weights = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "weights" {
                weights = Some(map.next_value::<Numbers>()?.0);
            } else if crate::model::dist::FORMS.contains(&key.as_str()) {
                if let Some((first, _)) = &form {
                    return Err(de::Error::custom(format!(
                        "a distribution has one form, got both `{first}` and `{key}`"
                    )));
                }
                form = Some((key, map.next_value::<Numbers>()?.0));
            } else {
                let mut candidates = crate::model::dist::FORMS.to_vec();
                candidates.push("weights");
                let hint = crate::scenario::hint(&key, &candidates);
                return Err(de::Error::custom(format!(
                    "unknown distribution form `{key}`{hint}; expected one of {}",
                    crate::model::dist::FORMS.join(", ")
                )));
            }
        }
        let (form, args) = form.ok_or_else(|| {
            de::Error::custom(format!(
                "a distribution needs one form: {}",
                crate::model::dist::FORMS.join(", ")
            ))
        })?;
        Ok(RawDist {
            form,
            args,
            weights,
        })
    }
}

impl RawDist {
    pub fn fixed(x: f64) -> RawDist {
        RawDist {
            form: "fixed".into(),
            args: vec![x],
            weights: None,
        }
    }
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawDistVisitor)
    }
}

/// A value that must be written as a table. serde's derive would also accept a list of
/// the fields in order (`directing = [0.5, 12]`); a scenario never means that.
#[derive(Debug, Default)]
pub struct Tbl<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tbl<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Tbl<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table, such as { key = value }")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tbl<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Tbl)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<T> std::ops::Deref for Tbl<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The word of `assist.kind`, checked with a suggestion for typos.
impl<'de> Deserialize<'de> for RawAssistKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawAssistKind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one of `none`, `flat`, `metered`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAssistKind, E> {
                match v {
                    "none" => Ok(RawAssistKind::None),
                    "flat" => Ok(RawAssistKind::Flat),
                    "metered" => Ok(RawAssistKind::Metered),
                    other => {
                        let hint = crate::scenario::hint(other, &["none", "flat", "metered"]);
                        Err(E::custom(format!("unknown kind `{other}`{hint}; expected one of `none`, `flat`, `metered`")))
                    }
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// A parameter as written: absent, or a number or distribution with its place in the file.
pub type RawParam = Option<Spanned<RawDist>>;

/// `agents.seats`: a number or distribution, or the word `replace_laid_off`.
#[derive(Clone, Debug, PartialEq)]
pub enum RawSeats {
    Dist(RawDist),
    Word(String),
}

impl<'de> Deserialize<'de> for RawSeats {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSeats;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of seats, a distribution, or \"replace_laid_off\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSeats, E> {
                Ok(RawSeats::Word(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawSeats, E> {
                RawDistVisitor.visit_i64(v).map(RawSeats::Dist)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawSeats, E> {
                RawDistVisitor.visit_u64(v).map(RawSeats::Dist)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawSeats, E> {
                RawDistVisitor.visit_f64(v).map(RawSeats::Dist)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSeats, A::Error> {
                RawDistVisitor.visit_map(map).map(RawSeats::Dist)
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    #[serde(default)]
    pub run: RawRun,
    #[serde(default)]
    pub org: Org<RawParam>,
    #[serde(default)]
    pub world: World<RawParam>,
    #[serde(default)]
    pub strategies: IndexMap<String, Tbl<RawStrategy>>,
    /// `[[correlations]]`: rank correlations between uncertain inputs.
    #[serde(default)]
    pub correlations: Vec<Spanned<Tbl<RawCorrelation>>>,
}

/// One `[[correlations]]` item: two uncertain keys and their rank correlation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub keys: Spanned<Vec<String>>,
    pub rank: Spanned<f64>,
}

/// `[run]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    pub paths: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub horizon: Option<Spanned<i64>>,
    pub headline: Option<Spanned<Vec<String>>>,
}

/// `[strategies.NAME]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategy {
    /// How a board reads the strategy's name (default: the name with spaces).
    pub label: Option<Spanned<String>>,
    #[serde(default)]
    pub layoffs: Vec<Tbl<RawLayoff>>,
    pub severance_months: RawParam,
    pub backfill_attrition: Option<bool>,
    pub assist: Option<Tbl<RawAssist>>,
    pub agents: Option<Tbl<RawAgents>>,
    pub directing: Option<Tbl<RawDirecting>>,
    pub adoption: Option<Tbl<RawAdoption>>,
    pub routing: RawParam,
    pub caching: RawParam,
    pub codify: RawParam,
    pub guardrails: RawParam,
    pub loop_budget: RawParam,
    pub max_retries: RawParam,
    pub rehire: Option<Spanned<Tbl<RawRehire>>>,
}

/// One item of `layoffs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayoff {
    pub month: Spanned<RawDist>,
    pub fraction: Spanned<RawDist>,
    pub seniority_weight: RawParam,
    pub gate: Option<Spanned<Tbl<RawGate>>>,
}

/// A layoff's `gate`: limits on the trailing figures at its month.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    pub output_at_least: RawParam,
    pub incident_cost_at_most: RawParam,
    pub knowledge_at_least: RawParam,
}

/// Billing of engineers' AI seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawAssistKind {
    None,
    Flat,
    Metered,
}

/// `assist`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssist {
    pub kind: Spanned<RawAssistKind>,
    pub seat_price: RawParam,
    pub spend: RawParam,
    pub cap: RawParam,
    pub cap_from: RawParam,
}

/// `agents`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgents {
    pub seats: Option<Spanned<RawSeats>>,
    pub wu_per_seat: RawParam,
    pub spend: RawParam,
    pub cap: RawParam,
    pub cap_from: RawParam,
}

/// `adoption`: the share of engineers with AI seats, rising over months.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdoption {
    pub start: Spanned<RawDist>,
    pub target: RawParam,
    pub months: RawParam,
    pub curve: Option<Spanned<String>>,
}

/// `directing`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDirecting {
    pub target: Spanned<RawDist>,
    pub months: RawParam,
}

/// `rehire`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRehire {
    pub incident_cost_above: RawParam,
    pub output_below: RawParam,
    pub target: RawParam,
    pub lag: RawParam,
}
