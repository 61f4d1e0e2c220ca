//! Output folders: a run never deletes a file it did not write, holds its folder by an
//! operating-system lock, checks the location before any work, never collides with or
//! silently replaces another run's results, and leaves old or new results at the path
//! whenever it is killed.

use crate::support::*;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Paths enough that the simulation takes many seconds: a refusal that comes quicker
/// than that came before the work.
const SLOW: &str = "2000000";

/// The binary run in `dir` with `args`.
fn tokensim_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokensim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn check_refused_before_work(o: &Output, started: Instant, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for n in needles {
        assert!(err.contains(n), "no {n:?} in {err}");
    }
    assert!(o.stdout.is_empty(), "nothing is run or printed");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused after {:?}: the simulation ran first",
        started.elapsed()
    );
}

#[test]
fn a_rerun_never_deletes_files_it_did_not_write() {
    let dir = tempdir("own-files");
    let res = dir.join("res");
    assert!(run_reference(&["--paths", "20", "--no-charts", "-q"], &res)
        .status
        .success());
    let manifest = String::from_utf8(read(&res.join("manifest.json"))).unwrap();
    assert!(manifest.contains("summary.csv") && manifest.contains("run.json"));
    // The user keeps a scenario and notes in the results folder, then runs that scenario
    // into the same folder: the run refuses, before simulating, naming what it would lose.
    let mine = res.join("mine.toml");
    std::fs::copy(root().join("scenarios/reference.toml"), &mine).unwrap();
    std::fs::write(res.join("NOTES.txt"), "notes").unwrap();
    let started = Instant::now();
    let o = tokensim(&[
        "run",
        mine.to_str().unwrap(),
        "--paths",
        SLOW,
        "--out",
        res.to_str().unwrap(),
    ]);
    check_refused_before_work(&o, started, &["NOTES.txt", "mine.toml", "would lose them"]);
    assert_eq!(read(&res.join("NOTES.txt")), b"notes");
    assert!(mine.exists() && res.join("summary.csv").exists());
    // A folder the run did not write at all (no manifest) is refused the same way.
    let other = dir.join("other");
    std::fs::create_dir_all(other.join("sub")).unwrap();
    std::fs::write(other.join("sub/data.csv"), "1").unwrap();
    let o = run_reference(&["--paths", "20", "-q"], &other);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("sub/data.csv"), "{}", stderr(&o));
    assert_eq!(read(&other.join("sub/data.csv")), b"1");
}

#[test]
fn the_lock_is_the_kernels_and_is_released_when_its_holder_dies() {
    let dir = tempdir("os-lock");
    let out = dir.join("reference");
    // A lock file left behind holding any pid blocks nothing: only a held lock does.
    std::fs::write(dir.join(".reference.lock"), "1").unwrap();
    assert!(run_reference(&["--paths", "20", "--no-charts", "-q"], &out)
        .status
        .success());
    let before = read(&out.join("summary.csv"));
    // A live holder (this test, whatever its pid namespace) refuses the run, touching nothing.
    let held = std::fs::File::open(dir.join(".reference.lock")).unwrap();
    held.try_lock().unwrap();
    let o = run_reference(&["--paths", "30", "--no-charts", "-q"], &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("another tokensim run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&out.join("summary.csv")), before);
    drop(held);
    // A run killed while simulating: the kernel drops its lock, the previous results are
    // intact, and the next run clears what it left and goes ahead.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokensim"))
        .args([
            "run",
            "scenarios/reference.toml",
            "--paths",
            SLOW,
            "-q",
            "--replace",
        ])
        .args(["--no-charts", "--out", out.to_str().unwrap()])
        .current_dir(root())
        .spawn()
        .unwrap();
    let new = dir.join(".reference.new");
    let waited = Instant::now();
    while !new.exists() && waited.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(new.exists(), "the run claimed its folder");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(read(&out.join("summary.csv")), before);
    let o = run_reference(&["--paths", "30", "--no-charts", "-q", "--replace"], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("left by an interrupted run"),
        "{}",
        stderr(&o)
    );
    assert!(!new.exists());
    assert_ne!(read(&out.join("summary.csv")), before);
}

#[test]
fn the_output_location_is_checked_before_any_work() {
    let dir = tempdir("location");
    for out in ["/", "."] {
        let started = Instant::now();
        let o = run_reference(&["--paths", SLOW], Path::new(out));
        check_refused_before_work(&o, started, &["give --out a folder name"]);
    }
    // A parent that cannot be made: a file stands where a folder should be.
    std::fs::write(dir.join("file"), "x").unwrap();
    let started = Instant::now();
    let o = run_reference(&["--paths", SLOW], &dir.join("file/out"));
    check_refused_before_work(&o, started, &["file"]);
    // A folder that is a file.
    let started = Instant::now();
    let o = run_reference(&["--paths", SLOW], &dir.join("file"));
    check_refused_before_work(&o, started, &["is a file"]);
    assert_eq!(read(&dir.join("file")), b"x");
}

#[test]
fn default_folders_never_collide_and_another_runs_results_are_kept() {
    let dir = tempdir("defaults");
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios/calibration")).unwrap();
    std::fs::write(dir.join("scenarios/fintech_roi.toml"), &text).unwrap();
    std::fs::write(dir.join("scenarios/calibration/fintech_roi.toml"), &text).unwrap();
    let quick = ["--paths", "20", "--no-charts", "-q"];
    for file in [
        "scenarios/fintech_roi.toml",
        "scenarios/calibration/fintech_roi.toml",
    ] {
        let o = tokensim_in(&dir, &[&["run", file][..], &quick].concat());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(dir.join("output/fintech_roi/summary.csv").exists());
    assert!(dir
        .join("output/calibration/fintech_roi/summary.csv")
        .exists());
    // The same file run again with other options, or another file into its folder, is
    // another run: refused before any work unless --replace.
    let plain = ["run", "scenarios/fintech_roi.toml", "--paths", "20", "-q"];
    let before = read(&dir.join("output/fintech_roi/summary.csv"));
    for other in [
        &plain[..],
        &[&plain[..], &["--set", "org.engineers=300", "--no-charts"]].concat(),
        &[
            "run",
            "scenarios/calibration/fintech_roi.toml",
            "--out",
            "output/fintech_roi",
            "-q",
        ],
    ] {
        let o = tokensim_in(&dir, other);
        assert_eq!(o.status.code(), Some(1), "{other:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--replace"), "{}", stderr(&o));
        assert_eq!(read(&dir.join("output/fintech_roi/summary.csv")), before);
    }
    // Editing the file and running it again is the same run.
    std::fs::write(
        dir.join("scenarios/fintech_roi.toml"),
        text.replace("engineers = 200", "engineers = 210"),
    )
    .unwrap();
    let o = tokensim_in(
        &dir,
        &[&["run", "scenarios/fintech_roi.toml"][..], &quick].concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tokensim_in(&dir, &[&plain[..], &["--replace"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("output/fintech_roi/report.html").exists());
    // A file outside the current folder: its stem and a hash of its full path.
    let elsewhere = tempdir("defaults-elsewhere");
    std::fs::write(elsewhere.join("mine.toml"), &text).unwrap();
    let o = tokensim_in(
        &dir,
        &[
            &["run", elsewhere.join("mine.toml").to_str().unwrap()][..],
            &quick,
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let made: Vec<String> = std::fs::read_dir(dir.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("mine-"))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(made[0].len(), "mine-".len() + 8, "{made:?}");
}

#[test]
fn a_kill_at_any_point_leaves_old_or_new_results_at_the_path() {
    let dir = tempdir("swap");
    let out = dir.join("reference");
    let quick = ["--paths", "20", "--no-charts", "-q"];
    assert!(run_reference(&quick, &out).status.success());
    let first = read(&out.join("summary.csv"));
    // The swap leaves nothing beside the folder.
    let o = run_reference(&["--paths", "25", "--no-charts", "-q", "--replace"], &out);
    assert!(o.status.success());
    let second = read(&out.join("summary.csv"));
    assert_ne!(first, second);
    let beside: Vec<String> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        beside
            .iter()
            .all(|n| n == "reference" || n == ".reference.lock"),
        "{beside:?}"
    );
    // Where the system has no atomic exchange, a run killed between its two renames
    // leaves the previous results aside: the next run puts them back before anything else.
    std::fs::rename(&out, dir.join(".reference.old")).unwrap();
    let o = run_reference(&["--paths", "25", "--no-charts", "-q"], &out);
    assert!(o.status.success());
    assert!(stderr(&o).contains("restored the previous results"));
    assert_eq!(read(&out.join("summary.csv")), second);
    // Killed after an exchange: the replaced results wait beside the new ones and are
    // cleared by the next run.
    std::fs::create_dir(dir.join(".reference.new")).unwrap();
    std::fs::copy(
        out.join("manifest.json"),
        dir.join(".reference.new/manifest.json"),
    )
    .unwrap();
    std::fs::copy(
        out.join("summary.csv"),
        dir.join(".reference.new/summary.csv"),
    )
    .unwrap();
    assert!(run_reference(&["--paths", "25", "--no-charts", "-q"], &out)
        .status
        .success());
    assert!(!dir.join(".reference.new").exists());
}
