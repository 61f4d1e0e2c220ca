//! The last rough messages: each names the file, line and key in a user's words, and
//! the command line accepts the ranges the file does. Strategy names are identifiers,
//! unique ignoring case, and no CSV cell is read as a formula.

use crate::support::*;
use tokensim::report::{csv_text, Cell, Table};
use tokensim::scenario::{self, Overrides, Problem};

fn problems(text: &str) -> Vec<Problem> {
    match scenario::parse(text, "broken.toml", &Overrides::default()) {
        Ok(_) => panic!("scenario should be invalid:\n{text}"),
        Err(e) => e.problems().to_vec(),
    }
}

/// The only problem of `text` is at `key` on `line`, its message holds `needle` and none
/// of `never`.
#[track_caller]
fn check_only(text: &str, key: &str, line: usize, needle: &str, never: &[&str]) {
    let ps = problems(text);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    let p = &ps[0];
    assert_eq!((p.key.as_str(), p.line), (key, Some(line)), "{p:#?}");
    assert!(p.message.contains(needle), "{p:#?}");
    for n in never {
        assert!(!p.message.contains(n), "{n:?} in {p:#?}");
    }
}

const OK: &str = "\n[strategies.status_quo]\n";

#[test]
fn a_date_where_a_number_goes_is_named_without_internal_names() {
    check_only(
        &format!("[org]\nengineers = 1979-05-27{OK}"),
        "org.engineers",
        2,
        "a date or time is not a number",
        &["__toml", "$"],
    );
}

#[test]
fn a_number_too_large_for_seed_or_paths_names_its_key() {
    check_only(
        &format!("[run]\nseed = 99999999999999999999{OK}"),
        "run.seed",
        2,
        "too large",
        &[],
    );
    check_only(
        &format!("[run]\npaths = 1e30{OK}"),
        "run.paths",
        2,
        "",
        &["000000000000"],
    );
}

#[test]
fn a_headline_of_numbers_is_one_problem_not_a_count_of_zero() {
    let ps = problems(&format!("[run]\nheadline = [1, 2]{OK}"));
    assert!(ps.iter().all(|p| !p.message.contains("got 0")), "{ps:#?}");
    assert!(
        ps.iter().all(|p| p.key.starts_with("run.headline")),
        "{ps:#?}"
    );
    assert_eq!(ps[0].line, Some(2));
}

#[test]
fn a_text_argument_of_a_distribution_is_one_problem_without_a_false_count() {
    check_only(
        &format!("[org]\nengineers = {{ pert = [0.6, \"1.1\", 1.8] }}{OK}"),
        "org.engineers.pert[1]",
        2,
        "expected a number",
        &["takes 3 numbers"],
    );
}

#[test]
fn huge_numbers_are_echoed_in_short_form() {
    let ps = problems(&format!("[org]\nengineers = 1e308{OK}"));
    let p = ps
        .iter()
        .find(|p| p.key == "org.engineers")
        .expect("engineers");
    assert!(p.message.contains("1e308"), "{p:#?}");
    assert!(!p.message.contains("0000000000"), "{p:#?}");
    let ps = problems(&format!(
        "[org]\nengineers = {{ pert = [1e308, 1, 2] }}{OK}"
    ));
    assert!(ps[0].message.contains("[1e308, 1, 2]"), "{ps:#?}");
}

#[test]
fn a_set_with_a_bad_key_or_number_says_what_is_wrong() {
    for (arg, needle) in [
        (
            "strategies.x.layoffs[-1].fraction=0.2",
            "`[-1]` is not a list index",
        ),
        ("org.=1", "empty name between dots"),
        ("org.engineers=1e400", "too large for a number"),
        ("org.engi neers=3", "is not a key name"),
    ] {
        let e = scenario::parse_set(arg).expect_err(arg);
        assert!(e.starts_with("--set ") && e.contains(needle), "{arg}: {e}");
    }
    assert!(scenario::parse_set("strategies.lev-2.layoffs[0].fraction=0.2").is_ok());
    // The command line reports it as bad usage, exit 2.
    let o = tokensim(&["validate", "scenarios/reference.toml", "--set", "org.=1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_command_line_and_the_file_accept_the_same_paths_and_seeds() {
    let dir = tempdir("ranges");
    // Too many paths and too large a seed: refused by both, exit 2.
    for (flag, value, file) in [
        ("--paths", "100000001", "[run]\npaths = 100000001\n"),
        (
            "--seed",
            "9223372036854775808",
            "[run]\nseed = 9223372036854775808\n",
        ),
    ] {
        let o = tokensim(
            &["run", "scenarios/reference.toml", flag, value, "--out"]
                .iter()
                .copied()
                .chain([dir.join("o").to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        assert!(!problems(&format!("{file}{OK}")).is_empty());
    }
    // The largest of each is valid in both.
    for (flag, value, file) in [
        ("--paths", "100000000", "[run]\npaths = 100000000\n"),
        (
            "--seed",
            "9223372036854775807",
            "[run]\nseed = 9223372036854775807\n",
        ),
    ] {
        let text = format!("{file}{OK}");
        assert!(scenario::parse(&text, "ok.toml", &Overrides::default()).is_ok());
        let o = tokensim(&[
            "run",
            "scenarios/reference.toml",
            flag,
            value,
            "--dump-scenario",
        ]);
        // Accepted by the command line (a run of 100,000,000 paths is then refused by
        // its size, not its range).
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("invalid value"), "{flag} {value}: {err}");
    }
}

#[test]
fn strategy_names_are_identifiers_unique_ignoring_case() {
    check_only(
        "[strategies.\"=HYPERLINK(\\\"http://x\\\")\"]\n",
        "strategies.=HYPERLINK(\"http://x\")",
        1,
        "a strategy name is ASCII letters, digits",
        &[],
    );
    let ps = problems("[strategies.Leverage]\n[strategies.leverage]\n");
    assert!(
        ps.iter()
            .any(|p| p.key == "strategies.leverage"
                && p.message.contains("differ only in letter case")),
        "{ps:#?}"
    );
    // One name in two Unicode forms: not ASCII, so refused.
    let ps = problems("[strategies.\"caf\u{e9}\"]\n[strategies.\"cafe\u{301}\"]\n");
    assert_eq!(ps.len(), 2, "{ps:#?}");
    for ok in ["a", "_x", "lev-2", "9to5", "Replacement_B"] {
        let text = format!("[strategies.{ok}]\n");
        assert!(
            scenario::parse(&text, "ok.toml", &Overrides::default()).is_ok(),
            "{ok}"
        );
    }
    for bad in ["-x", "a.b", "a b", ""] {
        let text = format!("[strategies.\"{bad}\"]\n");
        assert!(!problems(&text).is_empty(), "{bad}");
    }
}

#[test]
fn no_csv_cell_is_read_as_a_formula() {
    for (raw, written) in [
        ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("leverage", "leverage"),
    ] {
        assert_eq!(csv_text(raw), written);
    }
    let mut t = Table::new(&["name", "value"]);
    t.push(vec![Cell::from("=1+2"), Cell::from(-3.5)]);
    let csv = String::from_utf8(t.to_csv()).unwrap();
    assert_eq!(csv, "name,value\n'=1+2,-3.5\n");
}
