//! The documents stay true to the code: every scenario key is documented.

use crate::support::*;
use tokensim::model::params::PARAMS;

#[test]
fn every_registry_key_is_in_the_model_doc_and_world_keys_in_the_reference_scenario() {
    let doc = String::from_utf8(read(&root().join("docs/model.md"))).unwrap();
    let reference = String::from_utf8(read(&root().join("scenarios/reference.toml"))).unwrap();
    for p in PARAMS {
        assert!(
            doc.contains(&format!("`{}`", p.key)),
            "docs/model.md does not document {}",
            p.key
        );
        if !p.key.starts_with("strategies.") {
            let leaf = p.key.rsplit('.').next().unwrap();
            assert!(
                reference.contains(&format!("\n{leaf} =")),
                "reference.toml does not state {}",
                p.key
            );
        }
    }
}

#[test]
fn the_reference_scenario_states_the_model_defaults() {
    let sc = load("scenarios/reference.toml");
    let defaults = parse("[strategies.a]\n");
    assert_eq!(sc.org, defaults.org);
    assert_eq!(sc.world, defaults.world);
}

#[test]
fn the_parameter_table_in_the_model_doc_is_generated_from_the_registry() {
    let path = root().join("docs/model.md");
    let doc = String::from_utf8(read(&path)).unwrap();
    let begin = "<!-- parameter table: generated from src/model/params.rs; regenerate with UPDATE_DOCS=1 cargo test --test it docs -->\n";
    let end = "<!-- end of parameter table -->";
    let a = doc.find(begin).expect("begin marker") + begin.len();
    let b = doc.find(end).expect("end marker");
    let table = tokensim::model::params::markdown_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &doc[..a], table, &doc[b..])).unwrap();
        return;
    }
    assert!(
        doc[a..b] == table,
        "docs/model.md's parameter table is stale: run UPDATE_DOCS=1 cargo test --test it docs"
    );
}
