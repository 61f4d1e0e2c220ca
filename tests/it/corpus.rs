//! The corpus of broken scenarios in `tests/corpus/broken`: every file is refused by
//! `validate` and by `run` with exit code 2, a message that names the file, the key and
//! what is allowed, its line and column where it has one, no panic and no output folder.
//!
//! Each file states what it expects on its first line, `# expect: KEY | FRAGMENT`, or in a
//! sidecar `NAME.toml.expect` holding `KEY | FRAGMENT` (for the empty file, the file that
//! is not UTF-8 and the file of only comments). KEY is the key path the message names,
//! `-` when it names none (a TOML syntax error); FRAGMENT a piece of the message.

use crate::support::*;

const CORPUS: &str = "tests/corpus/broken";

/// Problems no line can be given for: a strategy that is missing has no place in the file.
const NO_LOCATION: &[&str] = &["44_no_strategies.toml"];

struct Case {
    /// File name, e.g. `17_unknown_strategy_key_rouitng.toml`.
    name: String,
    /// Path from the repository root, as passed to the binary.
    rel: String,
    key: Option<String>,
    fragment: String,
    /// Whether the expectation came from a sidecar (no line is required then).
    sidecar: bool,
}

fn parse_expectation(line: &str, origin: &str) -> (Option<String>, String) {
    let (key, fragment) = line
        .split_once(" | ")
        .unwrap_or_else(|| panic!("{origin}: expectation {line:?} is not `KEY | FRAGMENT`"));
    let key = key.trim();
    let fragment = fragment.trim();
    assert!(
        !key.is_empty() && !fragment.is_empty(),
        "{origin}: {line:?}"
    );
    let key = (key != "-").then(|| key.to_string());
    (key, fragment.to_string())
}

fn cases() -> Vec<Case> {
    let dir = root().join(CORPUS);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").file_name())
        .map(|n| n.into_string().expect("UTF-8 file name"))
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let rel = format!("{CORPUS}/{name}");
            let sidecar_path = dir.join(format!("{name}.expect"));
            let sidecar = sidecar_path.exists();
            let line = if sidecar {
                let text = String::from_utf8(read(&sidecar_path)).expect("UTF-8 sidecar");
                text.lines().next().unwrap_or_default().to_string()
            } else {
                let text = String::from_utf8(read(&dir.join(&name)))
                    .unwrap_or_else(|_| panic!("{rel}: not UTF-8 and no {name}.expect"));
                let first = text.lines().next().unwrap_or_default();
                first
                    .strip_prefix("# expect: ")
                    .unwrap_or_else(|| panic!("{rel}: first line {first:?} is not `# expect: `"))
                    .to_string()
            };
            let (key, fragment) = parse_expectation(&line, &rel);
            Case {
                name,
                rel,
                key,
                fragment,
                sidecar,
            }
        })
        .collect()
}

/// The `LINE:COL: rest` of a message line that starts, after an optional `error: `,
/// with `FILE:LINE:COL: `.
fn located<'a>(line: &'a str, file: &str) -> Option<(usize, usize, &'a str)> {
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let rest = line.strip_prefix(file)?.strip_prefix(':')?;
    let (row, rest) = rest.split_once(':')?;
    let (col, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    Some((row.parse().ok()?, col.parse().ok()?, rest))
}

/// Everything wrong with how `validate` refused one case; empty if nothing is.
fn check_validate(case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();
    let o = tokensim(&["validate", &case.rel]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.status.code() != Some(2) {
        wrong.push(format!("validate exited with {:?}, not 2", o.status.code()));
    }
    if stderr.contains("panicked") {
        wrong.push("validate panicked".to_string());
    }
    if !stderr.contains(&case.name) {
        wrong.push(format!("stderr does not name the file {}", case.name));
    }
    if !stderr.contains(&case.fragment) {
        wrong.push(format!("stderr lacks {:?}", case.fragment));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    match &case.key {
        Some(key) => {
            let tag = format!("{key}: ");
            let named: Vec<&str> = lines.iter().copied().filter(|l| l.contains(&tag)).collect();
            if named.is_empty() {
                wrong.push(format!("no message names the key `{key}`"));
            } else if stderr.contains(&case.fragment)
                && !named.iter().any(|l| l.contains(&case.fragment))
            {
                wrong.push(format!("no message on `{key}` says {:?}", case.fragment));
            }
            let wants_location = !case.sidecar && !NO_LOCATION.contains(&case.name.as_str());
            if wants_location
                && !named.iter().any(|l| {
                    located(l, &case.rel).is_some_and(|(row, col, rest)| {
                        row > 1 && col > 0 && rest.starts_with(&tag)
                    })
                })
            {
                wrong.push(format!("no message shows `{}:LINE:COL: {key}:`", case.rel));
            }
        }
        None => {
            // A syntax error names no key but has a place; line 1 is the expectation.
            if !case.sidecar
                && !lines
                    .iter()
                    .any(|l| located(l, &case.rel).is_some_and(|(row, col, _)| row > 1 && col > 0))
            {
                wrong.push(format!("no message shows `{}:LINE:COL:`", case.rel));
            }
        }
    }
    if !wrong.is_empty() {
        wrong.push(format!("stderr was:\n{stderr}"));
    }
    wrong
}

/// Everything wrong with how `run` refused one case; empty if nothing is.
fn check_run(case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();
    let stem = case.name.trim_end_matches(".toml");
    let dir = tempdir(&format!("corpus-{stem}"));
    let out = dir.join("out");
    let o = tokensim(&[
        "run",
        &case.rel,
        "--out",
        out.to_str().expect("UTF-8 path"),
        "--paths",
        "10",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.status.code() != Some(2) {
        wrong.push(format!("run exited with {:?}, not 2", o.status.code()));
    }
    if stderr.contains("panicked") {
        wrong.push("run panicked".to_string());
    }
    if out.exists() {
        wrong.push(format!("run created {}", out.display()));
    }
    if !wrong.is_empty() {
        wrong.push(format!("run's stderr was:\n{stderr}"));
    }
    wrong
}

#[test]
fn every_broken_scenario_is_refused_with_file_line_and_key() {
    let cases = cases();
    assert!(
        cases.len() >= 45,
        "{CORPUS} holds {} scenarios, want at least 45",
        cases.len()
    );
    for name in NO_LOCATION {
        assert!(
            cases.iter().any(|c| c.name == *name),
            "{name} is not in {CORPUS}"
        );
    }
    let mut failures = Vec::new();
    for case in &cases {
        let mut wrong = check_validate(case);
        wrong.extend(check_run(case));
        if !wrong.is_empty() {
            failures.push(format!("{}:\n  {}", case.rel, wrong.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} broken scenarios were not refused as expected:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Runs `validate PATH` and `run PATH --out DIR/out --paths 10`: each must exit with 2,
/// name PATH and say `needle`, and `run` must create no output folder.
#[track_caller]
fn check_refused(path: &str, needle: &str, temp: &str) {
    let dir = tempdir(temp);
    let out = dir.join("out");
    let out_arg = out.to_str().expect("UTF-8 path");
    for args in [
        vec!["validate", path],
        vec!["run", path, "--out", out_arg, "--paths", "10"],
    ] {
        let o = tokensim(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(path), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} created {}", out.display());
    }
}

#[test]
fn a_directory_in_place_of_a_file_is_refused() {
    check_refused(CORPUS, "is a folder", "corpus-directory");
}

#[test]
fn a_missing_file_is_refused() {
    let missing = "tests/corpus/no_such_scenario.toml";
    assert!(!root().join(missing).exists());
    check_refused(missing, "cannot read", "corpus-missing");
}
