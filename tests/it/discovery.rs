//! Issue 16: scenario discovery (PRIM) and value of information on one run's futures.
//! A box and a worth known by construction, the command line's errors and exit codes, the
//! too-few case, and the same bytes on 1 and 2 threads.

use crate::support::*;
use tokensim::analysis::{self, Finding, Goal, Search, Target};
use tokensim::engine;
use tokensim::scenario::{self, Overrides};

/// Two strategies that differ only in a's flat seat price, uniform on [50, 150] against
/// b's 100: a wins exactly when its price is below 100, and its NPV advantage is linear in
/// the price. Every other input is pinned at its mode but the months a new hire takes to
/// ramp up, which moves both strategies alike: an input with no effect on the choice.
fn seat_price_scenario(paths: usize) -> String {
    pinned_world(
        paths,
        &["org.ramp_months"],
        "[strategies.a]\nassist = { kind = \"flat\", seat_price = { uniform = [50, 150] } }\n[strategies.b]\nassist = { kind = \"flat\", seat_price = 100 }\n",
    )
}

const PRICE: &str = "strategies.a.assist.seat_price";
const RAMP: &str = "org.ramp_months";

fn futures(paths: usize) -> analysis::Futures {
    let sc = scenario::parse(&seat_price_scenario(paths), "t.toml", &Overrides::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let r = engine::run(&sc);
    analysis::read_futures(&sc, &r, |k| analysis::of_pair(k, &["a", "b"]))
}

#[test]
fn prim_recovers_the_box_breakeven_finds_and_leaves_an_input_with_no_effect_free() {
    let f = futures(3000);
    let mut keys = f.keys.clone();
    keys.sort();
    assert_eq!(keys, [RAMP, PRICE], "the uncertain inputs");
    let d = analysis::discover(&f, (0, 1), Goal::Wins).unwrap();
    let Finding::Found {
        found, conditions, ..
    } = &d.finding
    else {
        panic!("no box: {:?}", d.finding)
    };
    // The break-even price, found independently by bisection on whole runs.
    let text = seat_price_scenario(400);
    let search = Search {
        key: PRICE.into(),
        target: Target::PWin(0.5),
        range: (50.0, 150.0),
        tolerance: 1e-4,
    };
    let be =
        analysis::break_even(&text, "t.toml", &Overrides::default(), &search, &|_| {}).unwrap();
    let (lo, hi) = be.interval.expect("even inside the range");
    assert_eq!(conditions.len(), 1, "{conditions:?}");
    let c = &conditions[0];
    assert_eq!((c.key.as_str(), c.lo), (PRICE, None), "{c:?}");
    let edge = c.hi.expect("an upper limit");
    // The edge is the dearest winning price kept: below the break-even, by at most one
    // paste (5% of the box's futures, so 5% of the way from the lowest price).
    let step = analysis::prim::PASTE_ALPHA * (edge - 50.0);
    assert!(
        edge <= hi && edge >= lo - step,
        "edge {edge}, break-even [{lo}, {hi}]"
    );
    assert_eq!(found.density, 1.0);
    assert!(
        found.coverage >= 1.0 - analysis::prim::PASTE_ALPHA,
        "{found:?}"
    );
    assert!(c.p_value < 1e-10, "{c:?}");
    // The ramp-up input moves both strategies alike: no shift in the winning futures.
    let ramp = f.input(RAMP).unwrap();
    assert!(d.significance[ramp].abs() < 0.1, "{:?}", d.significance);
    assert!(d.significance[f.input(PRICE).unwrap()] < -0.5);
}

#[test]
fn evppi_matches_the_closed_form_of_a_linear_payoff_and_is_zero_for_an_input_with_no_effect() {
    let f = futures(6000);
    let (price, n) = (&f.draws[f.input(PRICE).unwrap()], f.n_paths());
    let diff: Vec<f64> = (0..n).map(|p| f.npv[0][p] - f.npv[1][p]).collect();
    // a's advantage is k (100 - price): k from the futures, checked linear on every path.
    let k = diff[0] / (100.0 - price[0]);
    for p in 0..n {
        let want = k * (100.0 - price[p]);
        assert!(
            (diff[p] - want).abs() < 1e-6 * want.abs().max(1.0),
            "path {p}"
        );
    }
    // Price uniform on [50, 150]: E[max(k (100 - P), 0)] = 12.5 k, and the choice now is
    // worth E[k (100 - P)] = 0, so knowing the price (or everything) is worth 12.5 k.
    let exact = 12.5 * k;
    let v = analysis::value_of_information(&f);
    let worth = |key: &str| v.inputs.iter().find(|x| x.0 == key).unwrap().2;
    let w = worth(PRICE);
    check_within_5se(w.value, w.se, exact);
    check_within_5se(v.evpi.value, v.evpi.se, exact);
    let r = worth(RAMP);
    assert!(r.value.abs() <= 5.0 * r.se, "{r:?}");
    assert!(r.value.abs() < 0.01 * exact, "{r:?} against {exact}");
    // The groups: the price is the only lever, the ramp-up the only organisation input.
    let group = |g: &str| v.groups.iter().find(|x| x.0 == g).unwrap().2;
    check_within_5se(group("levers").value, group("levers").se, exact);
    assert!(group("organisation").value.abs() <= 5.0 * group("organisation").se.max(1e-9));
}

#[test]
fn discover_refuses_an_unknown_strategy_a_target_no_future_meets_and_an_input_not_uncertain() {
    let dir = tempdir("discover-errors");
    let out = dir.join("o");
    let o = out.to_str().unwrap();
    let base = [
        "discover",
        "scenarios/reference.toml",
        "--paths",
        "200",
        "--out",
        o,
    ];
    let cases: [(&[&str], &str); 4] = [
        (
            &["--pair", "replacment,leverage"],
            "no strategy `replacment` (did you mean `replacement`?)",
        ),
        (
            &["--target", "npv_diff>1e15"],
            "no future of 200 meets the target",
        ),
        (
            &["--inputs", "org.engineers"],
            "--inputs org.engineers: not an uncertain input",
        ),
        (
            &["--target", "npv>3"],
            "expected wins, npv_diff>X or npv_diff<X",
        ),
    ];
    for (extra, message) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let out = tokensim(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(message), "{extra:?}: {err}");
    }
}

#[test]
fn too_few_wins_are_said_with_the_paths_that_would_do_and_exit_0() {
    let dir = tempdir("discover-few");
    let out = dir.join("o");
    let o = tokensim(&[
        "discover",
        "scenarios/reference.toml",
        "--paths",
        "1000",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("too few to describe"), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&read(&out.join("discover.json"))).unwrap();
    assert_eq!(json["too_few"], true);
    let (wins, needed) = (
        json["target_futures"].as_u64().unwrap(),
        json["needed_paths"].as_u64().unwrap(),
    );
    assert!(wins > 0 && wins < 100, "{json}");
    // Enough paths for 100 wins at the observed rate over 1,000 paths, rounded up to a
    // thousand.
    let n = 1000;
    assert!(
        needed * wins >= 100 * n && (needed - 1000) * wins < 100 * n,
        "{json}"
    );
    assert!(!out.join("discover.png").exists());
}

#[test]
fn discover_and_value_of_information_write_the_same_bytes_on_1_and_2_threads() {
    let dir = tempdir("decide-threads");
    for (cmd, extra) in [
        ("discover", &["--target", "npv_diff>-60e6"][..]),
        ("sensitivity", &[][..]),
    ] {
        let (a, b) = (dir.join(format!("{cmd}1")), dir.join(format!("{cmd}2")));
        for (threads, out) in [("1", &a), ("2", &b)] {
            let mut args = vec![cmd, "scenarios/reference.toml", "--paths", "3000"];
            args.extend_from_slice(extra);
            args.extend_from_slice(&["--threads", threads, "--quiet", "--out"]);
            args.push(out.to_str().unwrap());
            let o = tokensim(&args);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let files = if cmd == "discover" {
            &[
                "discover.csv",
                "discover_inputs.csv",
                "discover.json",
                "discover_points.csv",
                "discover.png",
                "discover.svg",
            ][..]
        } else {
            &["voi.csv", "voi.json", "voi.png", "voi.svg"][..]
        };
        for f in files {
            assert!(
                read(&a.join(f)) == read(&b.join(f)),
                "{cmd}: {f} differs between 1 and 2 threads"
            );
        }
    }
}
