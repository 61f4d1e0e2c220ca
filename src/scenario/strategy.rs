//! One strategy validated: its levers checked and built into `model::Strategy`, one
//! function per lever group (layoffs, assist, agents and their seats, directing,
//! adoption, rehire, caps). Problems go to the `Ctx` of `validate`, in the order the
//! levers are read.
//!
//! It must not parse text, read files, run the model or print.

use super::context::Ctx;
use super::raw::{
    RawAdoption, RawAgents, RawAssist, RawAssistKind, RawDirecting, RawGate, RawLayoff, RawParam,
    RawRehire, RawSeats, RawStrategy, Tbl,
};
use super::suggest::hint;
use crate::model::{
    Adoption, Agents, Assist, Cap, Curve, Directing, Gate, Layoff, Rehire, Seats, Strategy,
    MAX_LAYOFFS,
};
use toml::Spanned;

/// Validates `[strategies.NAME]` for a run of `horizon` months.
pub(super) fn validate_strategy(
    cx: &mut Ctx,
    name: &str,
    rs: &RawStrategy,
    horizon: u32,
) -> Strategy {
    // The name itself is checked with the others (`validate::check_names`).
    let p = format!("strategies.{name}");
    let key = |k: &str| format!("{p}.{k}");

    let layoffs = validate_layoffs(cx, &p, &rs.layoffs, horizon);
    let assist = match &rs.assist {
        None => Assist::None,
        Some(a) => validate_assist(cx, &p, a, horizon),
    };
    let agents = validate_agents(
        cx,
        &p,
        rs.agents.as_deref(),
        !rs.layoffs.is_empty(),
        horizon,
    );
    let directing = rs
        .directing
        .as_deref()
        .map(|d| validate_directing(cx, &p, d));
    let adoption = rs.adoption.as_deref().map(|a| validate_adoption(cx, &p, a));
    let rehire = rs.rehire.as_ref().map(|r| validate_rehire(cx, &p, r));

    Strategy {
        name: name.to_string(),
        label: rs.label.as_ref().map(|l| l.get_ref().trim().to_string()),
        severance_months: cx.param(&key("severance_months"), &rs.severance_months),
        backfill_attrition: rs.backfill_attrition.unwrap_or(true),
        routing: cx.param(&key("routing"), &rs.routing),
        caching: cx.param(&key("caching"), &rs.caching),
        codify: cx.param(&key("codify"), &rs.codify),
        guardrails: cx.param(&key("guardrails"), &rs.guardrails),
        loop_budget: cx.opt(&key("loop_budget"), &rs.loop_budget),
        max_retries: cx.param(&key("max_retries"), &rs.max_retries),
        assist,
        agents,
        directing,
        adoption,
        rehire,
        layoffs,
    }
}

/// `layoffs`: each in a month within the horizon, with its fraction and seniority weight.
fn validate_layoffs(cx: &mut Ctx, p: &str, raw: &[Tbl<RawLayoff>], horizon: u32) -> Vec<Layoff> {
    let mut layoffs = Vec::with_capacity(raw.len());
    if raw.len() > MAX_LAYOFFS {
        cx.problem(
            &format!("{p}.layoffs"),
            None,
            format!("at most {MAX_LAYOFFS} layoffs, got {}", raw.len()),
        );
    }
    for (i, l) in raw.iter().enumerate() {
        let lk = format!("{p}.layoffs[{i}]");
        let mut month = cx.build_in(
            &format!("{lk}.month"),
            &l.month,
            1.0,
            horizon as f64,
            "the horizon",
        );
        month.hi = month.hi.min(horizon as f64);
        let gate = l.gate.as_ref().map(|g| validate_gate(cx, &lk, g));
        layoffs.push(Layoff {
            month,
            fraction: cx.build(&format!("{lk}.fraction"), &l.fraction),
            seniority_weight: cx.param(&format!("{lk}.seniority_weight"), &l.seniority_weight),
            gate,
        });
    }
    layoffs
}

/// A layoff's `gate` (`lk` is the layoff's key): at least one limit.
fn validate_gate(cx: &mut Ctx, lk: &str, spanned: &Spanned<Tbl<RawGate>>) -> Gate {
    let g = spanned.get_ref();
    if g.output_at_least.is_none()
        && g.incident_cost_at_most.is_none()
        && g.knowledge_at_least.is_none()
    {
        cx.problem(
            &format!("{lk}.gate"),
            Some(spanned.span()),
            "a gate needs output_at_least, incident_cost_at_most or knowledge_at_least".into(),
        );
    }
    let key = |k: &str| format!("{lk}.gate.{k}");
    Gate {
        output_at_least: cx.opt(&key("output_at_least"), &g.output_at_least),
        incident_cost_at_most: cx.opt(&key("incident_cost_at_most"), &g.incident_cost_at_most),
        knowledge_at_least: cx.opt(&key("knowledge_at_least"), &g.knowledge_at_least),
    }
}

/// `assist`: the kind of seat and the levers of that kind; a lever of another kind is a
/// problem, not ignored.
fn validate_assist(cx: &mut Ctx, p: &str, a: &RawAssist, horizon: u32) -> Assist {
    let key = |k: &str| format!("{p}.{k}");
    let misplaced = |cx: &mut Ctx, field: &str, raw: &RawParam, for_kind: &str| {
        if let Some(r) = raw {
            cx.problem(
                &key(&format!("assist.{field}")),
                Some(r.span()),
                format!("applies only to kind = \"{for_kind}\""),
            );
        }
    };
    if !matches!(a.kind.get_ref(), RawAssistKind::Flat) {
        misplaced(cx, "seat_price", &a.seat_price, "flat");
    }
    if !matches!(a.kind.get_ref(), RawAssistKind::Metered) {
        misplaced(cx, "spend", &a.spend, "metered");
        misplaced(cx, "cap", &a.cap, "metered");
        misplaced(cx, "cap_from", &a.cap_from, "metered");
    }
    match a.kind.get_ref() {
        RawAssistKind::None => Assist::None,
        RawAssistKind::Flat => Assist::Flat {
            seat_price: cx.param(&key("assist.seat_price"), &a.seat_price),
        },
        RawAssistKind::Metered => Assist::Metered {
            spend: cx.param(&key("assist.spend"), &a.spend),
            cap: validate_cap(cx, &key("assist"), &a.cap, &a.cap_from, horizon),
        },
    }
}

/// `agents`: the registry's defaults where the table is absent.
fn validate_agents(
    cx: &mut Ctx,
    p: &str,
    raw: Option<&RawAgents>,
    has_layoffs: bool,
    horizon: u32,
) -> Agents {
    let key = |k: &str| format!("{p}.{k}");
    match raw {
        None => Agents {
            seats: Seats::Count(cx.default(&key("agents.seats"))),
            wu_per_seat: cx.default(&key("agents.wu_per_seat")),
            spend: cx.default(&key("agents.spend")),
            cap: None,
        },
        Some(a) => Agents {
            seats: validate_seats(cx, p, &a.seats, has_layoffs),
            wu_per_seat: cx.param(&key("agents.wu_per_seat"), &a.wu_per_seat),
            spend: cx.param(&key("agents.spend"), &a.spend),
            cap: validate_cap(cx, &key("agents"), &a.cap, &a.cap_from, horizon),
        },
    }
}

/// `agents.seats`: a number, a distribution or "replace_laid_off" (which needs a layoff).
fn validate_seats(
    cx: &mut Ctx,
    p: &str,
    raw: &Option<Spanned<RawSeats>>,
    has_layoffs: bool,
) -> Seats {
    let key = format!("{p}.agents.seats");
    let Some(s) = raw else {
        return Seats::Count(cx.default(&key));
    };
    match s.get_ref() {
        RawSeats::Word(w) if w == "replace_laid_off" => {
            if !has_layoffs {
                cx.problem(
                    &key,
                    Some(s.span()),
                    "\"replace_laid_off\" needs at least one layoff".into(),
                );
            }
            Seats::ReplaceLaidOff
        }
        RawSeats::Word(w) => {
            let hint = hint(w, &["replace_laid_off"]);
            cx.problem(
                &key,
                Some(s.span()),
                format!(
                    "must be a number, a distribution or \"replace_laid_off\", got \"{w}\"{hint}"
                ),
            );
            Seats::Count(cx.default(&key))
        }
        RawSeats::Dist(d) => {
            let spanned = Spanned::new(s.span(), d.clone());
            Seats::Count(cx.build(&key, &spanned))
        }
    }
}

/// `directing`: the share of work directed to agents and the months to get there.
fn validate_directing(cx: &mut Ctx, p: &str, d: &RawDirecting) -> Directing {
    let key = |k: &str| format!("{p}.{k}");
    Directing {
        target: cx.build(&key("directing.target"), &d.target),
        months: cx.param(&key("directing.months"), &d.months),
    }
}

/// `adoption`: where the share of engineers with seats starts, where it goes, how fast,
/// and along which curve.
fn validate_adoption(cx: &mut Ctx, p: &str, a: &RawAdoption) -> Adoption {
    let key = |k: &str| format!("{p}.{k}");
    let curve = match &a.curve {
        None => Curve::Linear,
        Some(c) => match c.get_ref().as_str() {
            "linear" => Curve::Linear,
            "s_curve" => Curve::SCurve,
            other => {
                let hint = hint(other, &Curve::NAMES);
                cx.problem(
                    &key("adoption.curve"),
                    Some(c.span()),
                    format!("must be \"linear\" or \"s_curve\", got \"{other}\"{hint}"),
                );
                Curve::Linear
            }
        },
    };
    Adoption {
        start: cx.build(&key("adoption.start"), &a.start),
        target: cx.param(&key("adoption.target"), &a.target),
        months: cx.param(&key("adoption.months"), &a.months),
        curve,
    }
}

/// `rehire`: a rule with at least one trigger, its target and its lag.
fn validate_rehire(cx: &mut Ctx, p: &str, spanned: &Spanned<Tbl<RawRehire>>) -> Rehire {
    let key = |k: &str| format!("{p}.{k}");
    let r = spanned.get_ref();
    if r.incident_cost_above.is_none() && r.output_below.is_none() {
        cx.problem(
            &key("rehire"),
            Some(spanned.span()),
            "a rehire rule needs incident_cost_above or output_below (or both)".into(),
        );
    }
    Rehire {
        incident_cost_above: cx.opt(&key("rehire.incident_cost_above"), &r.incident_cost_above),
        output_below: cx.opt(&key("rehire.output_below"), &r.output_below),
        target: cx.param(&key("rehire.target"), &r.target),
        lag: cx.param(&key("rehire.lag"), &r.lag),
    }
}

/// The cap of a seat kind (`prefix` is `strategies.NAME.assist` or `.agents`) and the
/// month it starts: a month within the horizon, and only where there is a cap to start.
fn validate_cap(
    cx: &mut Ctx,
    prefix: &str,
    raw_cap: &RawParam,
    raw_from: &RawParam,
    horizon: u32,
) -> Option<Cap> {
    let amount = cx.opt(&format!("{prefix}.cap"), raw_cap);
    let from = raw_from.as_ref().map(|r| {
        let key = format!("{prefix}.cap_from");
        if amount.is_none() {
            cx.problem(&key, Some(r.span()), "needs a cap to start".into());
        }
        let mut p = cx.build_in(&key, r, 1.0, horizon as f64, "the horizon");
        p.hi = p.hi.min(horizon as f64);
        p
    });
    amount.map(|amount| Cap { amount, from })
}
