//! Scenario files: parse TOML text into the raw schema, then validate it into the model.
//!
//! The public API: `parse` and `parse_bytes` (with the command line's `Overrides`, and
//! `parse_set` for `--set`), the errors (`Problem`, `ScenarioError`), typo suggestions
//! and `dump` for `--dump-scenario`. This file reads the raw schema, reporting every
//! structural problem at once, and applies `--set`; `validate` and `strategy` check
//! values, `problem` places and renders problems, `suggest` finds typos, `locate` finds
//! keys in the text and `raw` is the schema.
//!
//! Parsing works on a `&str`, so tests need no files; reading the file is the caller's
//! job. This module must not run the model or write anything.

mod context;
mod correlations;
mod locate;
mod problem;
pub mod raw;
mod strategy;
mod suggest;
mod validate;

pub use problem::{line_col, Problem, ScenarioError};
pub use suggest::{did_you_mean, hint, suggest, suggest_key};
pub use validate::validate;

use crate::model::Scenario;
use problem::relocate;
use raw::RawScenario;
use suggest::typo_hint;

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

/// Splits `KEY=VALUE` from the command line, checking that KEY is a key path (names
/// joined by dots, each with list indices from 0) and that a number is one.
pub fn parse_set(arg: &str) -> Result<(String, String), String> {
    let (k, v) = match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => (k.trim(), v.trim()),
        _ => {
            return Err(format!(
                "--set takes KEY=VALUE, such as world.subsidy.m_api=2, got `{arg}`"
            ))
        }
    };
    check_key_path(k).map_err(|why| format!("--set {k}={v}: {why}"))?;
    let named_infinity = v.to_ascii_lowercase().contains("inf");
    if v.parse::<f64>().is_ok_and(|x| x.is_infinite()) && !named_infinity {
        return Err(format!(
            "--set {k}={v}: {v} is too large for a number (the largest is about 1.8e308)"
        ));
    }
    Ok((k.to_string(), v.to_string()))
}

/// A key path as `--set` takes it: `org.engineers`, `strategies.x.layoffs[0].fraction`.
fn check_key_path(k: &str) -> Result<(), String> {
    let example = "such as org.engineers or strategies.replacement.layoffs[0].fraction";
    for seg in k.split('.') {
        let (name, mut rest) = seg.split_at(seg.find('[').unwrap_or(seg.len()));
        if name.is_empty() {
            return Err(format!(
                "`{k}` has an empty name between dots; a key is names joined by dots, {example}"
            ));
        }
        if !validate::is_identifier(name) {
            return Err(format!(
                "`{name}` is not a key name (letters, digits, `_` and `-`); a key is names joined by dots, {example}"
            ));
        }
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("`{seg}` opens `[` without closing it"))?;
            let index = &rest[1..close];
            if index.parse::<usize>().is_err() {
                return Err(format!(
                    "`[{index}]` is not a list index: an index is a whole number from 0, such as layoffs[0]"
                ));
            }
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("`{seg}`: a name or a `.` must follow `]`"));
            }
        }
    }
    Ok(())
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
                let hint = hint(name, &known);
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
    let mut next = whole_value(&problems[0].key);
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
        next = whole_value(&p.key);
        problems.push(p);
    }
    (None, String::new(), problems)
}

/// The key to set aside for a structural problem at `key`: a bad item of a list is its
/// whole list, and a bad argument of a distribution its whole parameter, so that what
/// remains is not reported again with a count it never had (`headline = [1, 2]` is not
/// "two names, got 0"; `pert = [0.6, "1.1", 1.8]` not "takes 3 numbers, got 2").
fn whole_value(key: &str) -> String {
    let mut k = key;
    while let Some(open) = k.strip_suffix(']').and_then(|r| r.rfind('[')) {
        k = &k[..open];
    }
    match k.rsplit_once('.') {
        Some((param, last))
            if k.len() < key.len()
                && (crate::model::dist::FORMS.contains(&last) || last == "weights") =>
        {
            param.to_string()
        }
        _ => k.to_string(),
    }
}

/// The key written on line `line` (from 1) of `text`, under the last table header above
/// it: what a syntax error on that line is about (`run.seed` for a number too large).
fn key_at_line(text: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (i, l) in text.lines().enumerate().take(line) {
        let t = l.trim();
        if t.starts_with('[') {
            table = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            if i + 1 == line {
                return None;
            }
        } else if i + 1 == line {
            let (k, _) = t.split_once('=')?;
            let k = k.trim().trim_matches('"');
            if k.is_empty() || k.starts_with('#') {
                return None;
            }
            return Some(if table.is_empty() {
                k.to_string()
            } else {
                format!("{table}.{k}")
            });
        }
    }
    None
}

/// Deserializes the raw schema once: the schema, or the first problem serde meets, placed
/// in `text` and with a "did you mean" where a name is mistyped.
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
        let mut message = user_words(inner.message().trim());
        if let Some(hint) = typo_hint(&message) {
            message.push_str(&hint);
        }
        // Spanned values add a private segment of serde's to the path; it is not a key.
        let path = path.replace(".$__serde_spanned_private_value", "");
        let mut key = if path == "." { String::new() } else { path };
        if key.is_empty() {
            key = line.and_then(|l| key_at_line(text, l)).unwrap_or_default();
        }
        Problem {
            key,
            message,
            line,
            column,
        }
    })
}

/// The TOML reader's words for a problem, in a user's: no internal names, and what a
/// number too large for a whole number is.
fn user_words(message: &str) -> String {
    if message.contains("__toml_private_datetime") {
        return "a date or time is not a number; write a number or a distribution such as { pert = [1, 2, 4] }".into();
    }
    if message.contains("number too large") || message.contains("integer number overflowed") {
        return format!(
            "the number is too large for a whole number (at most {})",
            i64::MAX
        );
    }
    if message == "invalid floating-point number" {
        return "not a number TOML can hold: too large (above about 1.8e308) or badly written"
            .into();
    }
    let mut out = message
        .replace("expected i64", "expected a whole number")
        .replace("expected u64", "expected a whole number");
    // Echo a huge float in short form, as written: `1e30`, not 31 digits.
    let tag = "floating point `";
    if let Some(start) = out.find(tag).map(|i| i + tag.len()) {
        if let Some(len) = out[start..].find('`') {
            if let Ok(x) = out[start..start + len].parse::<f64>() {
                out.replace_range(start..start + len, &crate::model::dist::echo(x));
            }
        }
    }
    out
}

/// The fully defaulted, validated scenario as TOML: what `--dump-scenario` prints.
pub fn dump(s: &Scenario) -> String {
    toml::to_string(s).unwrap_or_else(|e| format!("# cannot print the scenario as TOML: {e}\n"))
}
