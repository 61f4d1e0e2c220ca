//! The architecture invariants of ARCHITECTURE.md that a reader of the source can check,
//! checked by reading the source: the direction between modules, no cycle of imports
//! between files, which modules may know plotters, make generators, read the clock or
//! touch files, and the size of files and functions.

use crate::support::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its path under `src/`, its module path, and its code with comments,
/// string contents and the unit-test module taken out.
struct Source {
    file: String,
    module: Vec<String>,
    code: String,
    lines: usize,
    text: String,
}

fn sources() -> Vec<Source> {
    let mut out = Vec::new();
    collect(&root().join("src"), &mut out);
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

fn collect(dir: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root().join("src"))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(Source {
                module: module_of(&rel),
                code: code_of(&text),
                lines: text.lines().count(),
                file: rel,
                text,
            });
        }
    }
}

/// `engine/staff.rs` -> `["engine", "staff"]`; `engine/mod.rs` -> `["engine"]`; the crate
/// root and the binary (`lib.rs`, `main.rs`) -> `[]`, `cli.rs` -> `["cli"]`.
fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, string and character contents, and without its
/// `#[cfg(test)]` module (which the project keeps at the end of a file).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every module path a file names: `crate::a::b`, `super::a`, `tokensim::a` (the binary),
/// the paths inside `use` groups, and its own children by name.
fn references(src: &Source, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let code = &src.code;
    // Expand `use` statements, braces included, into whole paths.
    for stmt in code.split(';') {
        if let Some(i) = stmt.find("use ") {
            let before = stmt[..i].rsplit(['\n', '{', '}']).next().unwrap_or("");
            if ["", "pub", "pub(crate)", "pub(super)"].contains(&before.trim()) {
                for path in expand(stmt[i + 4..].trim()) {
                    found.insert(path);
                }
            }
        }
    }
    // Paths written inline in code.
    for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        if word.contains("::") {
            found.insert(word.to_string());
        }
    }
    let here = &src.module;
    let mut out = BTreeSet::new();
    for path in found {
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let resolved: Vec<String> = match segs.first() {
            Some(&"crate") | Some(&"tokensim") => segs[1..].iter().map(|s| s.to_string()).collect(),
            Some(&"super") => {
                // `engine/staff.rs` is module `engine::staff`, whose `super` is `engine`.
                let mut base = here.clone();
                let mut rest = &segs[..];
                while rest.first() == Some(&"super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().map(|s| s.to_string()));
                base
            }
            Some(&"self") => {
                let mut base = here.clone();
                base.extend(segs[1..].iter().map(|s| s.to_string()));
                base
            }
            Some(first) => {
                // A child of this module named without a prefix.
                let mut base = here.clone();
                base.push(first.to_string());
                if !modules.contains(&base) {
                    continue;
                }
                base.extend(segs[1..].iter().map(|s| s.to_string()));
                base
            }
            None => continue,
        };
        // The longest prefix that is a module of a file.
        for n in (1..=resolved.len()).rev() {
            if modules.contains(&resolved[..n].to_vec()) {
                out.insert(resolved[..n].to_vec());
                break;
            }
        }
    }
    out.remove(here);
    out
}

/// `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.split_whitespace().collect();
    match path.find('{') {
        None => vec![path.split(" as ").next().unwrap_or("").to_string()],
        Some(open) => {
            let prefix = &path[..open];
            let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
            let mut parts = Vec::new();
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            parts
                .into_iter()
                .filter(|p| !p.is_empty())
                .flat_map(|p| expand(&format!("{prefix}{p}")))
                .collect()
        }
    }
}

/// Edges between files: file A names module B, where B is not A's own child (a module
/// declaring and using its children is structure, not an import).
fn graph(srcs: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<Vec<String>> = srcs.iter().map(|s| s.module.clone()).collect();
    let file_of: BTreeMap<Vec<String>, String> = srcs
        .iter()
        .filter(|s| s.file != "main.rs")
        .map(|s| (s.module.clone(), s.file.clone()))
        .collect();
    let mut g = BTreeMap::new();
    for s in srcs {
        let edges: BTreeSet<String> = references(s, &modules)
            .into_iter()
            .filter(|m| !(m.len() > s.module.len() && m.starts_with(&s.module)))
            .filter_map(|m| file_of.get(&m).cloned())
            .filter(|f| *f != s.file)
            .collect();
        g.insert(s.file.clone(), edges);
    }
    g
}

/// The files of every cycle (strongly connected component of more than one file).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Reachability by depth-first search: small graphs, so plain closure is enough.
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(f) = stack.pop() {
            for t in g.get(&f).into_iter().flatten() {
                if seen.insert(t.clone()) {
                    stack.push(t.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|f| (f, reach(f))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for f in g.keys() {
        let mut component: Vec<String> = g
            .keys()
            .filter(|t| *t != f && reaches[f].contains(*t) && reaches[*t].contains(f))
            .cloned()
            .collect();
        if !component.is_empty() {
            component.push(f.clone());
            component.sort();
            if !out.contains(&component) {
                out.push(component);
            }
        }
    }
    out
}

#[test]
fn no_two_files_of_src_import_each_other_directly_or_around_a_cycle() {
    let g = graph(&sources());
    assert!(
        g["engine/schedule.rs"].contains("engine/staff.rs"),
        "the reader of imports is broken: {:?}",
        g["engine/schedule.rs"]
    );
    let found = cycles(&g);
    assert!(found.is_empty(), "import cycles between files: {found:?}");
}

/// Top-level modules of the library each may name: the layers of ARCHITECTURE.md.
const MAY_NAME: [(&str, &[&str]); 9] = [
    ("metrics", &[]),
    ("model", &[]),
    ("library", &[]),
    ("stats", &["metrics"]),
    ("scenario", &["model"]),
    ("engine", &["model", "metrics", "stats"]),
    (
        "analysis",
        &["engine", "model", "metrics", "stats", "scenario"],
    ),
    (
        "report",
        &[
            "engine", "model", "metrics", "stats", "scenario", "analysis", "library",
        ],
    ),
    (
        "cli",
        &[
            "engine", "model", "metrics", "stats", "scenario", "analysis", "library", "report",
        ],
    ),
];

#[test]
fn modules_name_only_the_layers_below_them_so_engine_uses_stats_and_stats_never_engine() {
    let srcs = sources();
    let modules: BTreeSet<Vec<String>> = srcs.iter().map(|s| s.module.clone()).collect();
    let mut bad = Vec::new();
    for s in &srcs {
        let Some(top) = s.module.first() else {
            continue;
        };
        let allowed = MAY_NAME
            .iter()
            .find(|(m, _)| m == top)
            .unwrap_or_else(|| panic!("{}: a top-level module missing from MAY_NAME", s.file))
            .1;
        for r in references(s, &modules) {
            let other = &r[0];
            if other != top && !allowed.contains(&other.as_str()) {
                bad.push(format!("{} names {}", s.file, r.join("::")));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Files whose code contains any of `words`, outside comments and tests.
fn files_saying(words: &[&str]) -> Vec<String> {
    sources()
        .into_iter()
        .filter(|s| words.iter().any(|w| s.code.contains(w)))
        .map(|s| s.file)
        .collect()
}

#[test]
fn only_the_chart_drawing_module_knows_plotters() {
    let found = files_saying(&["plotters"]);
    assert_eq!(
        found,
        [
            "report/charts/bars.rs",
            "report/charts/drawing.rs",
            "report/charts/grids.rs",
            "report/charts/plots.rs",
            "report/charts/scatter.rs",
            "report/charts/style.rs"
        ]
    );
}

#[test]
fn only_the_rng_module_builds_generators() {
    let found = files_saying(&[
        "seed_from_u64",
        "from_seed",
        "SeedableRng",
        "rand::rng(",
        "thread_rng",
        "StdRng",
        "SmallRng",
        "from_os_rng",
        "from_entropy",
    ]);
    assert_eq!(found, ["engine/rng.rs"]);
}

#[test]
fn the_engine_and_the_statistics_never_read_the_clock_or_touch_files() {
    let io = [
        "std::time",
        "Instant",
        "SystemTime",
        "std::fs",
        "File::",
        "std::io",
        "std::env",
        "println!",
        "eprintln!",
        "print!(",
    ];
    let found: Vec<String> = files_saying(&io)
        .into_iter()
        .filter(|f| {
            ["engine/", "stats/", "metrics/", "model/", "analysis"]
                .iter()
                .any(|p| f.starts_with(p))
        })
        .collect();
    assert!(found.is_empty(), "{found:?}");
    // Only the command line reads the clock.
    let clock = files_saying(&["Instant", "SystemTime", "std::time"]);
    assert_eq!(clock, ["cli.rs"]);
}

#[test]
fn no_file_of_src_is_over_800_lines_and_no_function_over_150() {
    let mut bad = Vec::new();
    for s in sources() {
        if s.lines > 800 {
            bad.push(format!("{}: {} lines", s.file, s.lines));
        }
        for (name, start, len) in functions(&s.text) {
            if len > 150 {
                bad.push(format!("{}:{start}: fn {name} is {len} lines", s.file));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Every function of a file: its name, first line and length in lines, from its `fn` line
/// to its closing brace.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_of_keeping_tests(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(super) ")
            .or(t.strip_prefix("pub(crate) "))
            .unwrap_or(t);
        let t = t.strip_prefix("pub ").unwrap_or(t);
        let t = t.strip_prefix("const ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut depth = 0i32;
        let mut opened = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth == 0 {
                out.push((name.clone(), i + 1, j - i + 1));
                break;
            }
            if !opened && l.trim_end().ends_with(';') {
                break;
            }
        }
    }
    out
}

/// `code_of` without cutting the tests off, so that they count too.
fn code_of_keeping_tests(text: &str) -> String {
    code_of(&text.replace("#[cfg(test)]", "#[cfg(not(any()))]"))
}

#[test]
fn the_reader_of_imports_expands_groups_and_finds_cycles() {
    assert_eq!(
        expand("super::{a, b::{c, d}}"),
        ["super::a", "super::b::c", "super::b::d"]
    );
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&g), [["a", "b", "c"]]);
    let f = functions("fn one() {\n    {}\n}\nfn two(x: u8) -> u8 { x }\n");
    assert_eq!(f, [("one".to_string(), 1, 3), ("two".to_string(), 4, 1)]);
}
