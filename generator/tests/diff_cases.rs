//! `sdkgen diff` on small spec pairs, one per kind of change: each file in
//! `tests/diff/` holds an `old` and a `new` spec, the verdict the change must
//! get and the kinds of change it must report (all of them, no others);
//! `old_select` and `new_select`, when given, are the selection each side is
//! generated with (as `--select` gives it). Add a case by dropping a file there.

use sdkgen::diff::{diff, Level};
use sdkgen::Config;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Deserialize)]
struct Case {
    verdict: String,
    changes: Vec<String>,
    old: serde_json::Value,
    new: serde_json::Value,
    #[serde(default)]
    old_select: Option<Vec<String>>,
    #[serde(default)]
    new_select: Option<Vec<String>>,
}

/// The IR of `spec`, generated with `select` when given.
fn lower(name: &str, spec: &serde_json::Value, select: &Option<Vec<String>>) -> sdkgen::ir::Api {
    let config = match select {
        Some(patterns) => Config::new().select(patterns.iter().cloned()),
        None => Config::new(),
    };
    config.lower(&format!("{name}.json"), &spec.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cases() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut cases: Vec<(String, Case)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let case = serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), case)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(cases.len() >= 15, "the cases are in {}", dir.display());
    cases
}

#[test]
fn each_kind_of_change_gets_its_verdict_and_nothing_else() {
    let mut failures = Vec::new();
    for (name, case) in cases() {
        let changes = diff(&lower(&name, &case.old, &case.old_select), &lower(&name, &case.new, &case.new_select));
        let kinds: BTreeSet<String> = changes
            .changes
            .iter()
            .map(|c| serde_json::to_value(c.kind).unwrap().as_str().unwrap().to_string())
            .collect();
        let want: BTreeSet<String> = case.changes.iter().cloned().collect();
        let verdict = changes.verdict().to_string();
        if verdict != case.verdict || kinds != want {
            failures.push(format!(
                "{name}: verdict {verdict} (want {}), kinds {kinds:?} (want {want:?})\n{}",
                case.verdict,
                changes.text(None)
            ));
        }
        // Every change names its item and where the spec says it.
        for c in &changes.changes {
            assert!(!c.item.is_empty() && c.pointer.starts_with('/'), "{name}: {c:?}");
        }
        // The three outputs carry the verdict.
        assert!(changes.text(Some(5)).contains(&format!("{verdict} release")), "{name}");
        assert!(changes.markdown().contains(&format!("**{verdict}**")), "{name}");
        let json: serde_json::Value = serde_json::from_str(&changes.json()).unwrap();
        assert_eq!(json["verdict"], verdict.as_str(), "{name}");
        assert_eq!(json["changes"].as_array().unwrap().len(), changes.changes.len(), "{name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_spec_twice_is_no_change() {
    for (name, case) in cases() {
        let new = lower(&name, &case.new, &case.new_select);
        let changes = diff(&new, &new);
        assert!(changes.changes.is_empty(), "{name}: {:?}", changes.changes);
        assert_eq!(changes.verdict(), Level::Patch);
    }
}
