//! Scenario files: parse TOML text into the raw schema, then validate it into the model.
//!
//! Parsing works on a `&str`, so tests need no files; reading the file is the caller's
//! job. Validation collects every problem with its key path, line and column before it
//! gives up. This module must not run the model or write anything.

mod locate;
pub mod raw;

use crate::model::params::{self, Org, Param, World};
use crate::model::*;
use raw::*;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// One problem in a scenario, located in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Dotted key path, such as `strategies.replacement.layoffs[0].fraction`.
    pub key: String,
    pub message: String,
    /// 1-based line and column, where the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Why a scenario could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{file}: cannot read: {reason}")]
    Read { file: String, reason: String },
    #[error("{}", render(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render(file: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match (p.line, p.column) {
            (Some(l), Some(c)) => out.push_str(&format!("{file}:{l}:{c}: ")),
            _ => out.push_str(&format!("{file}: ")),
        }
        if !p.key.is_empty() {
            out.push_str(&format!("{}: ", p.key));
        }
        out.push_str(&p.message);
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// Values from the command line that take precedence over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub paths: Option<u64>,
    pub seed: Option<u64>,
    pub horizon: Option<u32>,
    /// `--set KEY=VALUE`: a dotted key path and a TOML value (a number, a distribution
    /// such as `{ pert = [1, 2, 4] }`, or a word), applied to the file before validation.
    pub sets: Vec<(String, String)>,
}

impl Overrides {
    /// The `--set` pairs as the user wrote them, for `run.json`.
    pub fn describe(&self) -> Vec<String> {
        self.sets.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }
}

/// Splits `KEY=VALUE` from the command line.
pub fn parse_set(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!(
            "--set takes KEY=VALUE, such as world.subsidy.m_api=2, got `{arg}`"
        )),
    }
}

/// Parses and validates scenario text with the command line's overrides applied. `file`
/// is used only in messages. A problem with an overridden key says so and has no line;
/// every other problem keeps its place in the file.
pub fn parse(text: &str, file: &str, ov: &Overrides) -> Result<Scenario, ScenarioError> {
    if ov.sets.is_empty() {
        return parse_text(text, file, ov);
    }
    // A file that is not TOML is reported as it stands, before any override.
    let Ok(mut doc) = text.parse::<toml_edit::DocumentMut>() else {
        return parse_text(text, file, ov);
    };
    // Problems of the overrides themselves. The overrides that can be made are made,
    // and the file is then checked as usual, so these do not hide its other problems.
    let mut problems = Vec::new();
    // A strategy's key names a strategy of the file: a typo must not add a new one.
    let names: Vec<String> = doc
        .get("strategies")
        .and_then(|t| t.as_table_like())
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let mut unknown_strategy = vec![false; ov.sets.len()];
    for ((key, _), unknown) in ov.sets.iter().zip(&mut unknown_strategy) {
        if let Some(name) = key
            .strip_prefix("strategies.")
            .and_then(|r| r.split(['.', '[']).next())
        {
            if !names.iter().any(|n| n == name) {
                let known: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = suggest(name, &known)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                problems.push(Problem {
                    key: key.clone(),
                    message: format!("the file has no strategy named `{name}`{hint} (from --set)"),
                    line: None,
                    column: None,
                });
                *unknown = true;
            }
        }
    }
    for ((key, raw), _) in ov.sets.iter().zip(&unknown_strategy).filter(|(_, u)| !**u) {
        let value = raw
            .parse::<toml_edit::Value>()
            .unwrap_or_else(|_| toml_edit::Value::from(raw.as_str()));
        if let Err(e) = locate::set(&mut doc, key, value) {
            problems.push(Problem {
                key: key.clone(),
                message: format!("cannot set it: {e} (from --set)"),
                line: None,
                column: None,
            });
        }
    }
    let edited = doc.to_string();
    let checked = parse_text(&edited, file, ov).map_err(|e| match e {
        ScenarioError::Invalid { file, mut problems } => {
            for p in &mut problems {
                let from_set = ov.sets.iter().find(|(k, _)| {
                    p.key == *k
                        || p.key.starts_with(&format!("{k}."))
                        || p.key.starts_with(&format!("{k}["))
                        || k.starts_with(&format!("{}.", p.key))
                });
                match from_set {
                    Some((k, v)) => {
                        (p.line, p.column) = (None, None);
                        p.message = format!("{} (from --set {k}={v})", p.message);
                    }
                    None => relocate(text, std::slice::from_mut(p)),
                }
            }
            // The file's problems in its order, then those of the overrides.
            problems.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.column.unwrap_or(0)));
            ScenarioError::Invalid { file, problems }
        }
        other => other,
    });
    match checked {
        _ if problems.is_empty() => checked,
        Ok(_) => Err(ScenarioError::Invalid {
            file: file.into(),
            problems,
        }),
        Err(ScenarioError::Invalid {
            file,
            problems: mut in_file,
        }) => {
            in_file.append(&mut problems);
            Err(ScenarioError::Invalid {
                file,
                problems: in_file,
            })
        }
        Err(other) => Err(other),
    }
}

/// Parses and validates scenario text as written. Every problem is reported: structural
/// ones (unknown keys, wrong types) and, for what remains once they are set aside,
/// out-of-range values and inconsistent combinations.
fn parse_text(text: &str, file: &str, ov: &Overrides) -> Result<Scenario, ScenarioError> {
    let (raw, parsed, mut problems) = parse_raw(text);
    if let Some(raw) = raw {
        match validate(&raw, &parsed, ov) {
            Ok(sc) if problems.is_empty() => return Ok(sc),
            Ok(_) => {}
            Err(mut more) => {
                if parsed != text {
                    relocate(text, &mut more);
                }
                problems.extend(more);
            }
        }
    }
    problems.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.column.unwrap_or(0)));
    Err(ScenarioError::Invalid {
        file: file.into(),
        problems,
    })
}

/// Places problems found in a cleaned copy at their keys in the original text.
fn relocate(text: &str, problems: &mut [Problem]) {
    for p in problems {
        match locate::locate(text, &p.key, true) {
            Some(offset) => {
                let (l, c) = line_col(text, offset);
                (p.line, p.column) = (Some(l), Some(c));
            }
            None => (p.line, p.column) = (None, None),
        }
    }
}

/// Reads bytes as UTF-8 and parses them.
pub fn parse_bytes(bytes: &[u8], file: &str, ov: &Overrides) -> Result<Scenario, ScenarioError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        ScenarioError::Invalid {
            file: file.into(),
            problems: vec![Problem {
                key: String::new(),
                message: "the file is not valid UTF-8 text; save it as UTF-8".into(),
                line: Some(line),
                column: Some(column),
            }],
        }
    })?;
    parse(text, file, ov)
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Parses the raw schema. On a structural error (unknown key, wrong type) it goes on
/// looking: the offending key is removed from a copy and the copy parsed again, so every
/// such problem is reported at once, each placed in the original text. Returns the raw
/// schema of what could be read, the text it was read from, and the problems.
fn parse_raw(text: &str) -> (Option<RawScenario>, String, Vec<Problem>) {
    let first = match parse_once(text) {
        Ok(raw) => return (Some(raw), text.to_string(), Vec::new()),
        Err(p) => p,
    };
    let mut problems = vec![first];
    let Ok(mut doc) = toml::from_str::<toml::Table>(text) else {
        return (None, String::new(), problems); // a syntax error: nothing further can be read
    };
    let mut removed: Vec<String> = Vec::new();
    let mut next = problems[0].key.clone();
    for _ in 0..100 {
        if next.is_empty() || !locate::remove(&mut doc, &next) {
            break;
        }
        removed.push(next.clone());
        let Ok(copy) = toml::to_string(&doc) else {
            break;
        };
        let mut p = match parse_once(&copy) {
            Ok(raw) => return (Some(raw), copy, problems),
            Err(p) => p,
        };
        // A required key removed above is now missing: that is the same problem again,
        // so drop its table instead of reporting it twice.
        if let Some(field) = p
            .message
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            let full = if p.key.is_empty() {
                field.to_string()
            } else {
                format!("{}.{field}", p.key)
            };
            if removed.contains(&full) {
                next = p.key.clone();
                continue;
            }
        }
        let unknown = p.message.starts_with("unknown field");
        relocate(text, std::slice::from_mut(&mut p));
        if unknown {
            if let Some(offset) = locate::locate(text, &p.key, false) {
                let (l, c) = line_col(text, offset);
                (p.line, p.column) = (Some(l), Some(c));
            }
        }
        next = p.key.clone();
        problems.push(p);
    }
    (None, String::new(), problems)
}

fn parse_once(text: &str) -> Result<RawScenario, Problem> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize::<_, RawScenario>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = match inner.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let mut message = inner.message().trim().to_string();
        if let Some(hint) = typo_hint(&message) {
            message.push_str(&hint);
        }
        // Spanned values add a private segment of serde's to the path; it is not a key.
        let path = path.replace(".$__serde_spanned_private_value", "");
        let key = if path == "." { String::new() } else { path };
        Problem {
            key,
            message,
            line,
            column,
        }
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or variant) adds "did you mean".
fn typo_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (name, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(name, &expected).map(|s| format!(" (did you mean `{s}`?)"))
}

/// The registry key closest to `key`, for a mistyped `--param`.
pub fn suggest_key(key: &str) -> Option<String> {
    let generic = params::generic_key(key);
    let keys: Vec<&str> = params::PARAMS.iter().map(|p| p.key).collect();
    let best = keys.iter().min_by_key(|k| edit_distance(&generic, k))?;
    (edit_distance(&generic, best) <= (generic.len() / 4).max(2)).then(|| best.to_string())
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
/// A word also matches the leading `_`-separated words of a key (`senority` matches
/// `seniority_weight`).
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let distance = |c: &str| {
        let mut best = edit_distance(word, c);
        for (i, _) in c.match_indices('_') {
            best = best.min(edit_distance(word, &c[..i]) + 1);
        }
        best
    };
    let best = candidates
        .iter()
        .map(|c| (distance(c), *c))
        .min_by_key(|(d, _)| *d)?;
    let limit = (word.chars().count() / 3).max(2);
    (best.0 <= limit).then_some(best.1)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Collects problems while building the model.
struct Ctx<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Ctx<'_> {
    fn problem(&mut self, key: &str, span: Option<Range<usize>>, message: String) {
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
    fn build(&mut self, key: &str, raw: &Spanned<RawDist>) -> Param {
        let (lo, hi) = params::spec(key)
            .map(|s| (s.min, s.max))
            .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
        self.build_in(key, raw, lo, hi, "")
    }

    /// Like `build`, with the valid range `[lo, hi]` given; `why` names what bounds it.
    fn build_in(
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
                        format!("got {dlo}")
                    } else {
                        format!("the distribution spans [{dlo}, {dhi}]")
                    };
                    self.problem(
                        key,
                        Some(raw.span()),
                        format!("must be in [{lo}, {hi}]{unit}; {what}"),
                    );
                }
                Param {
                    dist,
                    stream,
                    lo,
                    hi,
                }
            }
            Err(msg) => {
                self.problem(key, Some(raw.span()), msg);
                Param {
                    dist: Dist::Fixed(lo.max(0.0).min(hi)),
                    stream,
                    lo,
                    hi,
                }
            }
        }
    }

    /// A parameter with the registry's default where the file is silent.
    fn param(&mut self, key: &str, raw: &RawParam) -> Param {
        match raw {
            Some(r) => self.build(key, r),
            None => self.default(key),
        }
    }

    /// A lever that stays off unless the file sets it.
    fn opt(&mut self, key: &str, raw: &RawParam) -> Option<Param> {
        raw.as_ref().map(|r| self.build(key, r))
    }

    fn default(&mut self, key: &str) -> Param {
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
        }
    }

    fn int(
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

/// Validates the raw schema into the model, reporting every problem at once.
pub fn validate(raw: &RawScenario, text: &str, ov: &Overrides) -> Result<Scenario, Vec<Problem>> {
    let mut cx = Ctx {
        text,
        problems: Vec::new(),
    };

    // The file's own values are checked even where the command line replaces them: a
    // scenario that says `paths = 0` is broken whatever --paths says.
    let file_paths = cx.int(
        "run.paths",
        &raw.run.paths,
        DEFAULT_PATHS as i64,
        1,
        100_000_000,
    ) as u64;
    let file_seed = cx.int("run.seed", &raw.run.seed, DEFAULT_SEED as i64, 0, i64::MAX) as u64;
    let file_horizon = cx.int(
        "run.horizon",
        &raw.run.horizon,
        DEFAULT_HORIZON as i64,
        1,
        MAX_HORIZON as i64,
    ) as u32;
    let paths = match ov.paths {
        Some(p) if p >= 1 => p,
        Some(_) => {
            cx.problem("run.paths", None, "--paths must be at least 1".into());
            1
        }
        None => file_paths,
    };
    let seed = ov.seed.unwrap_or(file_seed);
    let horizon = match ov.horizon {
        Some(h) if (1..=MAX_HORIZON).contains(&h) => h,
        Some(h) => {
            cx.problem(
                "run.horizon",
                None,
                format!("--horizon must be in [1, {MAX_HORIZON}] months, got {h}"),
            );
            DEFAULT_HORIZON
        }
        None => file_horizon,
    };

    let org: Org<Param> = raw.org.map(|k, v| cx.param(&format!("org.{k}"), v));
    let world: World<Param> = raw
        .world
        .map(|pre, k, v| cx.param(&format!("{pre}.{k}"), v));
    check_world(&mut cx, &world, raw);

    if raw.strategies.is_empty() {
        cx.problem(
            "strategies",
            None,
            "a scenario needs at least one strategy, e.g. [strategies.status_quo]".into(),
        );
    }
    let mut strategies = Vec::with_capacity(raw.strategies.len());
    for (name, rs) in &raw.strategies {
        strategies.push(validate_strategy(&mut cx, name, rs, horizon));
    }

    let headline = raw.run.headline.as_ref().and_then(|h| {
        let names = h.get_ref();
        if names.len() != 2 {
            cx.problem(
                "run.headline",
                Some(h.span()),
                format!("needs two strategy names, got {}", names.len()),
            );
            return None;
        }
        let known: Vec<&str> = strategies.iter().map(|s| s.name.as_str()).collect();
        for n in names {
            if !known.contains(&n.as_str()) {
                let hint = suggest(n, &known)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                cx.problem(
                    "run.headline",
                    Some(h.span()),
                    format!("no strategy named `{n}`{hint}"),
                );
            }
        }
        if names[0] == names[1] {
            cx.problem(
                "run.headline",
                Some(h.span()),
                "needs two different strategies".into(),
            );
        }
        Some([names[0].clone(), names[1].clone()])
    });

    if !cx.problems.is_empty() {
        return Err(cx.problems);
    }
    Ok(Scenario {
        run: RunSettings {
            paths,
            seed,
            horizon,
            headline,
        },
        org,
        world,
        strategies,
    })
}

fn span_of(raw: &RawParam) -> Option<Range<usize>> {
    raw.as_ref().map(|r| r.span())
}

/// Checks that need more than one key.
fn check_world(cx: &mut Ctx, w: &World<Param>, raw: &RawScenario) {
    let k = &w.knowledge;
    let shares = [&k.single_holder, &k.pair_holders, &k.many_holders];
    // Shares may add up to less than 1 (the rest is held too widely for a layoff to lose
    // it; all three at 0 switch the layoff loss off), never to more, on any draw.
    let most: f64 = shares.iter().map(|p| p.dist.support().1.min(p.hi)).sum();
    if most > 1.0 + 1e-9 {
        cx.problem(
            "world.knowledge.single_holder",
            span_of(&raw.world.knowledge.single_holder),
            format!("single_holder + pair_holders + many_holders must add up to at most 1, and can reach {most}"),
        );
    }
    let inc = &w.incidents;
    let raw_inc = &raw.world.incidents;
    let refused: Vec<String> = cx.problems.iter().map(|p| p.key.clone()).collect();
    for (med, p95, name, span) in [
        (
            &inc.loop_median,
            &inc.loop_p95,
            "loop",
            span_of(&raw_inc.loop_p95),
        ),
        (
            &inc.duration_median,
            &inc.duration_p95,
            "duration",
            span_of(&raw_inc.duration_p95),
        ),
        (
            &inc.destructive_median,
            &inc.destructive_p95,
            "destructive",
            span_of(&raw_inc.destructive_p95),
        ),
    ] {
        let already = |k: &str| {
            refused
                .iter()
                .any(|r| r == &format!("world.incidents.{name}_{k}"))
        };
        if already("median") || already("p95") {
            continue;
        }
        if p95.point() < med.point() || med.point() <= 0.0 && p95.point() > 0.0 {
            cx.problem(
                &format!("world.incidents.{name}_p95"),
                span,
                format!(
                    "{name}_p95 must be at least {name}_median, which must be above 0 ({} and {})",
                    p95.point(),
                    med.point()
                ),
            );
        }
    }
}

fn validate_strategy(cx: &mut Ctx, name: &str, rs: &RawStrategy, horizon: u32) -> Strategy {
    let p = format!("strategies.{name}");
    if name.trim().is_empty() {
        cx.problem(&p, None, "a strategy needs a non-empty name".into());
    }
    let key = |k: &str| format!("{p}.{k}");

    let mut layoffs = Vec::with_capacity(rs.layoffs.len());
    for (i, l) in rs.layoffs.iter().enumerate() {
        let lk = format!("{p}.layoffs[{i}]");
        let mut month = cx.build_in(
            &format!("{lk}.month"),
            &l.month,
            1.0,
            horizon as f64,
            "the horizon",
        );
        month.hi = month.hi.min(horizon as f64);
        layoffs.push(Layoff {
            month,
            fraction: cx.build(&format!("{lk}.fraction"), &l.fraction),
            seniority_weight: cx.param(&format!("{lk}.seniority_weight"), &l.seniority_weight),
        });
    }

    let assist = match &rs.assist {
        None => Assist::None,
        Some(a) => {
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
                    cap: cap(cx, &key("assist"), &a.cap, &a.cap_from, horizon),
                },
            }
        }
    };

    let agents = match &rs.agents {
        None => Agents {
            seats: Seats::Count(cx.default(&key("agents.seats"))),
            wu_per_seat: cx.default(&key("agents.wu_per_seat")),
            spend: cx.default(&key("agents.spend")),
            cap: None,
        },
        Some(a) => {
            let seats = match &a.seats {
                None => Seats::Count(cx.default(&key("agents.seats"))),
                Some(s) => match s.get_ref() {
                    RawSeats::Word(w) if w == "replace_laid_off" => {
                        if rs.layoffs.is_empty() {
                            cx.problem(
                                &key("agents.seats"),
                                Some(s.span()),
                                "\"replace_laid_off\" needs at least one layoff".into(),
                            );
                        }
                        Seats::ReplaceLaidOff
                    }
                    RawSeats::Word(w) => {
                        let hint = suggest(w, &["replace_laid_off"])
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default();
                        cx.problem(
                            &key("agents.seats"),
                            Some(s.span()),
                            format!("must be a number, a distribution or \"replace_laid_off\", got \"{w}\"{hint}"),
                        );
                        Seats::Count(cx.default(&key("agents.seats")))
                    }
                    RawSeats::Dist(d) => {
                        let spanned = Spanned::new(s.span(), d.clone());
                        Seats::Count(cx.build(&key("agents.seats"), &spanned))
                    }
                },
            };
            Agents {
                seats,
                wu_per_seat: cx.param(&key("agents.wu_per_seat"), &a.wu_per_seat),
                spend: cx.param(&key("agents.spend"), &a.spend),
                cap: cap(cx, &key("agents"), &a.cap, &a.cap_from, horizon),
            }
        }
    };

    let directing = rs.directing.as_ref().map(|d| Directing {
        target: cx.build(&key("directing.target"), &d.target),
        months: cx.param(&key("directing.months"), &d.months),
    });

    let adoption = rs.adoption.as_ref().map(|a| {
        let curve = match &a.curve {
            None => Curve::Linear,
            Some(c) => match c.get_ref().as_str() {
                "linear" => Curve::Linear,
                "s_curve" => Curve::SCurve,
                other => {
                    let hint = suggest(other, &Curve::NAMES)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
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
    });

    let rehire = rs.rehire.as_ref().map(|spanned| {
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
    });

    Strategy {
        name: name.to_string(),
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

/// The cap of a seat kind (`prefix` is `strategies.NAME.assist` or `.agents`) and the
/// month it starts: a month within the horizon, and only where there is a cap to start.
fn cap(
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

/// The fully defaulted, validated scenario as TOML: what `--dump-scenario` prints.
pub fn dump(s: &Scenario) -> String {
    toml::to_string(s).unwrap_or_else(|e| format!("# cannot print the scenario as TOML: {e}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("rouitng", &["routing", "caching"]), Some("routing"));
        assert_eq!(suggest("zzzzzz", &["routing", "caching"]), None);
    }
}
