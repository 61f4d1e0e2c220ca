//! `[[correlations]]` validated: each item names two uncertain keys of `[org]` or
//! `[world.*]` and their rank correlation in [-1, 1]; together they must make a positive
//! definite matrix. The copula (`model::copula`) is built once and every member parameter
//! is given its place in it.
//!
//! It must not parse text, read files, run the model or print.

use super::context::Ctx;
use super::raw::{RawCorrelation, Tbl};
use crate::model::copula::{Copula, CopulaError, Member};
use crate::model::params::{Org, Param, World};
use std::sync::Arc;
use toml::Spanned;

/// Checks the correlations and attaches the copula to the parameters it correlates.
pub(super) fn correlate(
    cx: &mut Ctx,
    raw: &[Spanned<Tbl<RawCorrelation>>],
    org: &mut Org<Param>,
    world: &mut World<Param>,
) {
    if raw.is_empty() {
        return;
    }
    let mut params: Vec<(String, &mut Param)> = org.fields_mut();
    params.extend(world.fields_mut());
    let mut members: Vec<usize> = Vec::new();
    let mut ranks: Vec<(usize, usize, f64)> = Vec::new();
    let mut spans = Vec::new();
    let mut ok = true;
    for (i, item) in raw.iter().enumerate() {
        let key = format!("correlations[{i}]");
        let (keys, rank) = (&item.get_ref().keys, &item.get_ref().rank);
        let r = *rank.get_ref();
        if !(-1.0..=1.0).contains(&r) {
            cx.problem(
                &format!("{key}.rank"),
                Some(rank.span()),
                format!("a rank correlation must be in [-1, 1], got {r}"),
            );
            ok = false;
        }
        let names = keys.get_ref();
        if names.len() != 2 || names[0] == names[1] {
            cx.problem(
                &format!("{key}.keys"),
                Some(keys.span()),
                format!("needs two different keys, got {names:?}"),
            );
            ok = false;
            continue;
        }
        let mut pair = [0usize; 2];
        for (slot, name) in pair.iter_mut().zip(names) {
            match params.iter().position(|(k, _)| k == name) {
                Some(at) if !params[at].1.dist.is_fixed() => *slot = at,
                Some(_) => {
                    cx.problem(
                        &format!("{key}.keys"),
                        Some(keys.span()),
                        format!("`{name}` is not uncertain in this scenario (a fixed value); only a distribution can be correlated"),
                    );
                    ok = false;
                }
                None => {
                    cx.problem(
                        &format!("{key}.keys"),
                        Some(keys.span()),
                        format!("`{name}` is not a key of [org] or [world.*]; only those may be correlated"),
                    );
                    ok = false;
                }
            }
        }
        let [a, b] = pair.map(|at| match members.iter().position(|m| *m == at) {
            Some(j) => j,
            None => {
                members.push(at);
                members.len() - 1
            }
        });
        if ranks
            .iter()
            .any(|(x, y, _)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
        {
            cx.problem(
                &format!("{key}.keys"),
                Some(keys.span()),
                format!("`{}` and `{}` are correlated twice", names[0], names[1]),
            );
            ok = false;
        }
        ranks.push((a, b, r));
        spans.push(item.span());
    }
    if !ok {
        return;
    }
    let copula = Copula::new(
        members
            .iter()
            .map(|at| {
                let (k, p) = &params[*at];
                (k.clone(), p.stream, p.dist.clone())
            })
            .collect(),
        &ranks,
    );
    match copula {
        Ok(c) => {
            let c = Arc::new(c);
            for (index, at) in members.iter().enumerate() {
                params[*at].1.copula = Some(Member {
                    copula: c.clone(),
                    index,
                });
            }
        }
        Err(CopulaError::NotPositiveDefinite { at }) => {
            let involved: Vec<&str> = members[..=at]
                .iter()
                .map(|m| params[*m].0.as_str())
                .collect();
            cx.problem(
                "correlations",
                spans.first().cloned(),
                format!(
                    "the rank correlations between {} are not positive definite: no inputs can be correlated like that; weaken them",
                    involved.join(", ")
                ),
            );
        }
    }
}
