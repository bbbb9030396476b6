//! Stable names on two real specs: Cloudflare's published spec of
//! 2024-06-05 and of two months later (`../shared/specs/cloudflare`).
//! Every type and every method whose spec node did not change keeps its
//! Rust name, whatever else was added, removed or changed around it; and
//! `sdkgen diff` counts the operations and schemas the spec added and
//! removed.

use sdkgen::diff::{diff, ChangeKind, Level};
use sdkgen::ir::Api;
use sdkgen::Config;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn load(file: &str) -> (Value, Api) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/cloudflare").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let api = Config::new().lower(file, &text).unwrap();
    (serde_json::from_str(&text).unwrap(), api)
}

fn op_pointer(method: &str, path: &str) -> String {
    format!("/paths/{}/{}", path.replace('~', "~0").replace('/', "~1"), method.to_lowercase())
}

#[test]
fn cloudflare_items_whose_spec_node_is_unchanged_keep_their_names() {
    let (old_spec, old) = load("openapi-2024-06-05.json");
    let (new_spec, new) = load("openapi.json");
    let unchanged = |pointer: &str| {
        let a = old_spec.pointer(pointer);
        a.is_some() && a == new_spec.pointer(pointer)
    };

    let mut old_types: BTreeMap<&str, &str> = BTreeMap::new();
    for t in &old.types {
        old_types.entry(t.origin.as_str()).or_insert(t.name.as_str());
    }
    let (mut types_checked, mut renamed) = (0, Vec::new());
    for t in &new.types {
        if let Some(before) = old_types.get(t.origin.as_str()).filter(|_| unchanged(&t.origin)) {
            types_checked += 1;
            if *before != t.name {
                renamed.push(format!("{before} → {} ({})", t.name, t.origin));
            }
        }
    }
    let old_ops: BTreeMap<(&str, &str), &sdkgen::ir::Operation> =
        old.operations.iter().map(|o| ((o.method.as_str(), o.path.as_str()), o)).collect();
    let (mut ops_checked, mut moved) = (0, Vec::new());
    for op in &new.operations {
        let Some(before) = old_ops.get(&(op.method.as_str(), op.path.as_str())) else { continue };
        if unchanged(&op_pointer(&op.method, &op.path)) {
            ops_checked += 1;
            if (&before.resource, &before.method_name) != (&op.resource, &op.method_name) {
                moved.push(format!(
                    "{}.{} → {}.{}",
                    before.resource.join("."),
                    before.method_name,
                    op.resource.join("."),
                    op.method_name
                ));
            }
        }
    }
    println!("unchanged nodes: {types_checked} types, {ops_checked} methods");
    // Most of the spec is unchanged: the check covers it.
    assert!(types_checked > 3000 && ops_checked > 1000, "{types_checked} types, {ops_checked} methods");
    assert!(renamed.is_empty(), "{} types renamed:\n{}", renamed.len(), renamed.join("\n"));
    assert!(moved.is_empty(), "{} methods moved:\n{}", moved.len(), moved.join("\n"));
}

#[test]
fn cloudflare_diff_counts_what_the_spec_added_and_removed() {
    let (old_spec, old) = load("openapi-2024-06-05.json");
    let (new_spec, new) = load("openapi.json");
    let changes = diff(&old, &new);
    // By method and path as written: what the spec added and removed.
    assert_eq!(changes.operations, (92, 139));
    assert_eq!(changes.verdict(), Level::Major);

    // Every schema the spec added or removed that is a type of the SDK shows as a type added or removed.
    let schemas = |spec: &Value| -> BTreeSet<String> {
        spec["components"]["schemas"].as_object().unwrap().keys().cloned().collect()
    };
    let (before, after) = (schemas(&old_spec), schemas(&new_spec));
    let reported = |kind: ChangeKind| -> BTreeSet<String> {
        changes.changes.iter().filter(|c| c.kind == kind).map(|c| c.item.clone()).collect()
    };
    let (added, removed) = (reported(ChangeKind::TypeAdded), reported(ChangeKind::TypeRemoved));
    let component_types = |api: &Api, names: &BTreeSet<String>| -> Vec<String> {
        api.types
            .iter()
            .filter(|t| t.component.as_ref().is_some_and(|c| names.contains(c)))
            .map(|t| format!("types::{}", t.name))
            .collect()
    };
    let new_schemas: BTreeSet<String> = after.difference(&before).cloned().collect();
    let gone_schemas: BTreeSet<String> = before.difference(&after).cloned().collect();
    assert_eq!((new_schemas.len(), gone_schemas.len()), (181, 44));
    let new_types = component_types(&new, &new_schemas);
    let gone_types = component_types(&old, &gone_schemas);
    assert!(!new_types.is_empty() && !gone_types.is_empty());
    for t in &new_types {
        assert!(added.contains(t), "{t}: a new schema's type is not reported as added");
    }
    for t in &gone_types {
        assert!(removed.contains(t), "{t}: a removed schema's type is not reported as removed");
    }
    println!(
        "schemas: {} added ({} of them types), {} removed ({} of them types)",
        new_schemas.len(),
        new_types.len(),
        gone_schemas.len(),
        gone_types.len()
    );
}
