//! The context validation builds in: the problems found so far, each placed at its line
//! and column, and how a parameter is built from what the file wrote (its form checked,
//! its range the registry's) or from the registry's default.
//!
//! It must not parse text, read files, run the model or print.

use super::locate;
use super::problem::{line_col, Problem};
use super::raw::{RawDist, RawParam};
use crate::model::dist::echo;
use crate::model::params::{self, Param};
use crate::model::Dist;
use std::ops::Range;
use toml::Spanned;

/// Collects problems while building the model.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) problems: Vec<Problem>,
}

impl Ctx<'_> {
    pub(super) fn problem(&mut self, key: &str, span: Option<Range<usize>>, message: String) {
        // Without a span, the key's own place in the file, where it has one.
        let at = span
            .map(|s| s.start)
            .or_else(|| locate::locate(self.text, key, false));
        let (line, column) = match at {
            Some(offset) => {
                let (l, c) = line_col(self.text, offset);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.problems.push(Problem {
            key: key.to_string(),
            message,
            line,
            column,
        });
    }

    /// Builds a parameter from what the file wrote, checking its form and its range.
    pub(super) fn build(&mut self, key: &str, raw: &Spanned<RawDist>) -> Param {
        let (lo, hi) = params::spec(key)
            .map(|s| (s.min, s.max))
            .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
        self.build_in(key, raw, lo, hi, "")
    }

    /// Like `build`, with the valid range `[lo, hi]` given; `why` names what bounds it.
    pub(super) fn build_in(
        &mut self,
        key: &str,
        raw: &Spanned<RawDist>,
        lo: f64,
        hi: f64,
        why: &str,
    ) -> Param {
        let spec = params::spec(key);
        let r = raw.get_ref();
        let stream = params::stream_id(key);
        match Dist::from_form(&r.form, &r.args, r.weights.as_deref()) {
            Ok(dist) => {
                let (dlo, dhi) = dist.support();
                let unit = match (spec, why) {
                    (_, w) if !w.is_empty() => format!(" ({w})"),
                    (Some(s), _) => format!(" ({})", s.unit),
                    (None, _) => String::new(),
                };
                let bounded_form = dlo.is_finite() && dhi.is_finite();
                let outside = if bounded_form {
                    dlo < lo || dhi > hi
                } else {
                    !(lo..=hi).contains(&dist.point())
                };
                if outside {
                    let what = if dist.is_fixed() {
                        format!("got {}", echo(dlo))
                    } else {
                        format!("the distribution spans [{}, {}]", echo(dlo), echo(dhi))
                    };
                    self.problem(
                        key,
                        Some(raw.span()),
                        format!("must be in [{}, {}]{unit}; {what}", echo(lo), echo(hi)),
                    );
                }
                Param {
                    dist,
                    stream,
                    lo,
                    hi,
                    copula: None,
                }
            }
            Err(msg) => {
                self.problem(key, Some(raw.span()), msg);
                Param {
                    dist: Dist::Fixed(lo.max(0.0).min(hi)),
                    stream,
                    lo,
                    hi,
                    copula: None,
                }
            }
        }
    }

    /// A parameter with the registry's default where the file is silent.
    pub(super) fn param(&mut self, key: &str, raw: &RawParam) -> Param {
        match raw {
            Some(r) => self.build(key, r),
            None => self.default(key),
        }
    }

    /// A lever that stays off unless the file sets it.
    pub(super) fn opt(&mut self, key: &str, raw: &RawParam) -> Option<Param> {
        raw.as_ref().map(|r| self.build(key, r))
    }

    pub(super) fn default(&mut self, key: &str) -> Param {
        let spec = params::spec(key);
        let dist = spec
            .and_then(|s| s.default.to_dist())
            .unwrap_or(Dist::Fixed(0.0));
        let (lo, hi) = spec
            .map(|s| (s.min, s.max))
            .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
        Param {
            dist,
            stream: params::stream_id(key),
            lo,
            hi,
            copula: None,
        }
    }

    pub(super) fn int(
        &mut self,
        key: &str,
        raw: &Option<Spanned<i64>>,
        default: i64,
        lo: i64,
        hi: i64,
    ) -> i64 {
        match raw {
            None => default,
            Some(v) if (lo..=hi).contains(v.get_ref()) => *v.get_ref(),
            Some(v) => {
                self.problem(
                    key,
                    Some(v.span()),
                    format!(
                        "must be a whole number in [{lo}, {hi}], got {}",
                        v.get_ref()
                    ),
                );
                default
            }
        }
    }
}
