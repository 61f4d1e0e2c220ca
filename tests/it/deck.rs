//! `deck.pptx`: the slides a board hears, 16:9, every relationship resolving to a part
//! of the package, every text in a placeholder of its layout.

use crate::support::*;
use std::collections::BTreeMap;
use std::io::Read;

/// Every entry of a zip package by name.
fn entries(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().to_string(), bytes);
    }
    out
}

/// `target` of a relationship of `part`, as a name in the package.
fn resolve(part: &str, target: &str) -> String {
    let dir = match part.rsplit_once("/_rels/") {
        Some((dir, _)) => dir.to_string(),
        None => String::new(), // the package's own _rels/.rels
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The text of the placeholders of `kind` (`title`, ...) in a slide.
fn placeholder_text(doc: &roxmltree::Document, kinds: &[&str]) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("sp"))
        .filter(|sp| {
            sp.descendants()
                .find(|n| n.has_tag_name("ph"))
                .and_then(|ph| ph.attribute("type"))
                .is_some_and(|t| kinds.contains(&t))
        })
        .flat_map(|sp| sp.descendants().filter(|n| n.has_tag_name("t")))
        .filter_map(|t| t.text())
        .collect()
}

#[test]
fn the_deck_has_the_board_slides_with_valid_relationships() {
    let tmp = tempdir("deck");
    let out = tmp.join("reference");
    let o = run_reference(&["--paths", "300", "--quiet"], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pkg = entries(&out.join("deck.pptx"));
    let text = |name: &str| String::from_utf8(pkg[name].clone()).unwrap();

    // Every part has a content type, and every override names a part.
    let types = text("[Content_Types].xml");
    let types = roxmltree::Document::parse(&types).unwrap();
    let defaults: Vec<&str> = types
        .descendants()
        .filter(|n| n.has_tag_name("Default"))
        .filter_map(|n| n.attribute("Extension"))
        .collect();
    let overrides: Vec<String> = types
        .descendants()
        .filter(|n| n.has_tag_name("Override"))
        .filter_map(|n| n.attribute("PartName"))
        .map(|p| p.trim_start_matches('/').to_string())
        .collect();
    for o in &overrides {
        assert!(pkg.contains_key(o), "override of a missing part {o}");
    }
    for name in pkg.keys() {
        let ext = name.rsplit('.').next().unwrap();
        assert!(
            overrides.contains(name) || defaults.contains(&ext),
            "{name} has no content type"
        );
    }

    // Every relationship of every part resolves to a part of the package.
    let mut n_rels = 0;
    for name in pkg.keys().filter(|n| n.ends_with(".rels")) {
        let xml = text(name);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
            let target = resolve(name, r.attribute("Target").unwrap());
            assert!(pkg.contains_key(&target), "{name}: {target} is missing");
            n_rels += 1;
        }
    }
    assert!(n_rels > 30, "{n_rels} relationships");

    // 16:9, and the slides in the order a board hears them.
    let pres = text("ppt/presentation.xml");
    let pres = roxmltree::Document::parse(&pres).unwrap();
    let size = pres
        .descendants()
        .find(|n| n.has_tag_name("sldSz"))
        .unwrap();
    let (cx, cy): (f64, f64) = (
        size.attribute("cx").unwrap().parse().unwrap(),
        size.attribute("cy").unwrap().parse().unwrap(),
    );
    assert!((cx / cy - 16.0 / 9.0).abs() < 1e-3);
    let n_slides = pres
        .descendants()
        .filter(|n| n.has_tag_name("sldId"))
        .count();
    let mut titles = Vec::new();
    let mut pictures = 0;
    for i in 1..=n_slides {
        let xml = text(&format!("ppt/slides/slide{i}.xml"));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        titles.push(placeholder_text(&doc, &["title", "ctrTitle"]));
        // Every shape with text is a placeholder of its layout.
        for sp in doc.descendants().filter(|n| n.has_tag_name("sp")) {
            assert!(
                sp.descendants().any(|n| n.has_tag_name("ph")),
                "slide {i}: a shape outside the layout's placeholders"
            );
        }
        for pic in doc.descendants().filter(|n| n.has_tag_name("pic")) {
            assert!(pic.descendants().any(|n| n.has_tag_name("ph")));
            pictures += 1;
        }
    }
    let want = [
        "Cut engineers and buy tokens",
        "The answer",
        "Why",
        "The strategies compared",
        "The spreadsheet against the simulation",
        "The distribution",
        "The paired difference",
        "What would have to be true for the other answer",
        "What to learn first",
        "Costs",
        "Risks: incidents",
        "Risks: know-how",
        "The assumptions that move the result",
        "The assumptions and their sources",
        "Method",
    ];
    assert_eq!(titles.len(), want.len(), "{titles:?}");
    for (got, want) in titles.iter().zip(want) {
        assert!(got.starts_with(want), "{got:?} is not {want:?}");
    }
    // Five charts of the run, the waterfall under "Why", the value of information under
    // "What to learn first", the tornado, and the discovery scatter where discovery found
    // a box (300 futures hold too few wins for one).
    let scatter = out.join("charts/discover.png").exists();
    assert!(!scatter);
    assert_eq!(pictures, 8);
    // The answer slide says what the report's executive summary says.
    let md = String::from_utf8(read(&out.join("report.md"))).unwrap();
    let answer = md
        .lines()
        .find_map(|l| l.strip_prefix("**The answer.** "))
        .unwrap();
    let slide2 = text("ppt/slides/slide2.xml");
    let slide2 = roxmltree::Document::parse(&slide2).unwrap();
    let body: String = slide2
        .descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|t| t.text())
        .collect();
    assert!(body.contains(answer), "{body}");
}
