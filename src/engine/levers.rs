//! A strategy's levers drawn for one path (docs/model.md 2 and 4): every lever of the
//! strategy at its value on that path, in the units the month step reads.
//!
//! Drawing only: no step of the month and no arithmetic of the model.

use super::world::Mode;
use crate::model::{Assist, Cap, Curve, Param, Seats, Strategy};

/// A strategy's levers drawn for one path.
#[derive(Clone, Debug, Default)]
pub struct Levers {
    pub(super) severance_months: f64,
    pub(super) backfill_attrition: bool,
    pub(super) routing: f64,
    pub(super) caching: f64,
    pub(super) codify: f64,
    pub(super) guardrails: f64,
    pub(super) loop_budget: f64,
    pub(super) assist: Seat,
    /// `(start, target, months, curve)` of the share of engineers with seats.
    pub(super) adoption: Option<(f64, f64, f64, Curve)>,
    /// `None`: one seat per engineer laid off so far.
    pub(super) agent_seats: Option<f64>,
    pub(super) wu_per_seat: f64,
    pub(super) agent_spend: f64,
    pub(super) agent_cap: DrawnCap,
    pub(super) directing: Option<(f64, f64)>,
    pub(super) max_retries: i32,
    pub(super) rehire: Option<RehireDraw>,
    pub(super) layoffs: Vec<LayoffDraw>,
}

/// One layoff of one path: its month, the share cut, its seniority weight and its gate.
#[derive(Clone, Copy, Debug)]
pub(super) struct LayoffDraw {
    pub(super) month: u32,
    pub(super) fraction: f64,
    pub(super) seniority: f64,
    pub(super) gate: Option<GateDraw>,
}

/// A layoff's gate on one path; a limit not set never binds.
#[derive(Clone, Copy, Debug)]
pub(super) struct GateDraw {
    pub(super) output_at_least: f64,
    pub(super) incident_cost_at_most: f64,
    pub(super) knowledge_at_least: f64,
}

impl GateDraw {
    /// Whether the gate holds on the trailing means the organisation can see, `None`
    /// before any month has passed (nothing seen yet: the gate holds). Output is a share
    /// of `n0`.
    pub(super) fn holds(&self, seen: Option<(f64, f64, f64)>, n0: f64) -> bool {
        seen.is_none_or(|(cost, output, knowledge)| {
            output >= self.output_at_least * n0
                && cost <= self.incident_cost_at_most
                && knowledge >= self.knowledge_at_least
        })
    }
}

/// The AI seats of engineers, drawn: `model::Assist` with numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) enum Seat {
    #[default]
    None,
    Flat {
        price: f64,
    },
    Metered {
        spend: f64,
        cap: DrawnCap,
    },
}

/// A spend cap per seat and month, and the first month it applies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct DrawnCap {
    pub(super) amount: f64,
    pub(super) from: u32,
}

impl Default for DrawnCap {
    fn default() -> DrawnCap {
        DrawnCap::NONE
    }
}

impl DrawnCap {
    const NONE: DrawnCap = DrawnCap {
        amount: f64::INFINITY,
        from: 1,
    };

    /// The cap in month `t`: none before its first month.
    pub(super) fn in_month(self, t: u32) -> f64 {
        if t >= self.from {
            self.amount
        } else {
            f64::INFINITY
        }
    }
}

/// The rehire rule of one path.
#[derive(Clone, Copy, Debug)]
pub(super) struct RehireDraw {
    pub(super) incident_cost_above: f64,
    pub(super) output_below: f64,
    pub(super) target: f64,
    pub(super) lag: f64,
}

impl Levers {
    /// Draws every lever of `s` for one path into `self`, reusing its memory.
    pub fn fill(&mut self, s: &Strategy, mode: &Mode) {
        let inf = f64::INFINITY;
        let v = |p: &Param| mode.value(p);
        let ov = |p: &Option<Param>| p.as_ref().map(v);
        let cap = |c: Option<&Cap>| match c {
            Some(c) => DrawnCap {
                amount: v(&c.amount),
                from: ov(&c.from).map_or(1, |m| m.round() as u32),
            },
            None => DrawnCap::NONE,
        };
        self.severance_months = v(&s.severance_months);
        self.backfill_attrition = s.backfill_attrition;
        self.routing = v(&s.routing);
        self.caching = v(&s.caching);
        self.codify = v(&s.codify);
        self.guardrails = v(&s.guardrails);
        self.loop_budget = ov(&s.loop_budget).unwrap_or(inf);
        self.assist = match &s.assist {
            Assist::None => Seat::None,
            Assist::Flat { seat_price } => Seat::Flat {
                price: v(seat_price),
            },
            Assist::Metered { spend, cap: c } => Seat::Metered {
                spend: v(spend),
                cap: cap(c.as_ref()),
            },
        };
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
        self.agent_cap = cap(s.agents.cap.as_ref());
        self.directing = s.directing.as_ref().map(|d| (v(&d.target), v(&d.months)));
        self.max_retries = v(&s.max_retries).round() as i32;
        self.rehire = s.rehire.as_ref().map(|r| RehireDraw {
            incident_cost_above: ov(&r.incident_cost_above).unwrap_or(inf),
            output_below: ov(&r.output_below).unwrap_or(f64::NEG_INFINITY),
            target: v(&r.target),
            lag: v(&r.lag),
        });
        self.layoffs.clear();
        self.layoffs.extend(s.layoffs.iter().map(|l| LayoffDraw {
            month: v(&l.month).round() as u32,
            fraction: v(&l.fraction),
            seniority: v(&l.seniority_weight),
            gate: l.gate.as_ref().map(|g| GateDraw {
                output_at_least: ov(&g.output_at_least).unwrap_or(f64::NEG_INFINITY),
                incident_cost_at_most: ov(&g.incident_cost_at_most).unwrap_or(inf),
                knowledge_at_least: ov(&g.knowledge_at_least).unwrap_or(f64::NEG_INFINITY),
            }),
        }));
    }

    /// Share of engineers with AI seats in month `t`.
    pub(super) fn adopted(&self, t: u32) -> f64 {
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

    /// Whether the strategy ever buys metered tokens: metered seats, or agent seats that
    /// are not fixed at none.
    pub(super) fn buys_tokens(&self) -> bool {
        matches!(self.assist, Seat::Metered { .. })
            || self.agent_seats.is_none_or(|seats| seats > 0.0)
    }
}
