//! Fix-ups of the JSON tree before it is read as a typed document: what
//! real specs ship that `openapiv3` would refuse, or that the later stages
//! would misread, is brought into shape here, each with a warning.
//!
//! - Keywords sdkgen does not use but `openapiv3` types strictly (`pattern: 0`,
//!   `maxLength: "10"`, an integer schema's `maximum: 1.5`) are dropped;
//!   numbers outside the 64-bit range are clamped where an integer is needed.
//! - A `$ref` to a schema anywhere in the document (`#/components/parameters/p/schema`,
//!   `#/paths/…/schema`, `#/components/schemas/A/properties/b`) is made a
//!   component: the node moves to `components/schemas` and both places
//!   refer to it, so it is one type. The moved node remembers where it came
//!   from (`x-sdkgen-origin`), so errors still name the spec's own pointer.
//! - A `$ref` to a parameter, response, request body, header or path item
//!   anywhere in the document, or to another `$ref`, is followed to the end.
//! - Callbacks are removed: they describe requests the API sends, not ones
//!   the client makes.
//! - Mistakes whose intent is plain are read by it first (see `crate::lenient`).
//!
//! Nothing under data (`example`, `default`, `enum`, an example's `value`,
//! `x-` extensions) is touched or followed.

use super::tree::*;
use crate::contract::ORIGIN;
use crate::error::{Result, Warning, WarningKind};
use crate::pointer::{encode_pointer, percent_decode, push_pointer, Relocations};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Brings `tree` into shape (see the module docs), adding warnings; says
/// where what it moved or copied came from.
pub(super) fn normalize(tree: &mut Value, warnings: &mut Vec<Warning>) -> Result<Relocations> {
    let mut moves = Relocations::default();
    super::lenient::read_intent(tree, warnings, &mut moves.moved);
    resolve_component_aliases(tree)?;
    let mut found = Found::default();
    walk_objects(tree, &mut |map, place| visit(map, place, &mut found, warnings));
    follow_other_refs(tree, &found.other_refs, &mut moves)?;
    if !found.schema_refs.is_empty() {
        hoist_schemas(tree, &found.schema_refs, &mut moves);
    }
    // Schemas defined inside schemas (`$defs`) were made components where
    // referred to; what is left there is unused, and not a 3.0 keyword.
    for_each_schema(tree, &mut |schema, _| {
        schema.remove("$defs");
        schema.remove("definitions");
    });
    Ok(moves)
}

/// `$ref`s that need work after the walk.
#[derive(Default)]
struct Found {
    /// Schema `$ref`s to somewhere other than `#/components/schemas/<name>`: their targets.
    schema_refs: BTreeSet<String>,
    /// Other `$ref`s (parameters, responses, path items, …) that point
    /// outside the components: where they are, and whether the target is
    /// copied even when it is a component (path items).
    other_refs: Vec<(String, bool)>,
}

/// What the walk of [`normalize`] does at each object: notes `$ref`s that
/// need work, fixes a schema's keywords, drops callbacks.
fn visit(map: &mut Map<String, Value>, place: &Place<'_>, found: &mut Found, warnings: &mut Vec<Warning>) {
    let (pointer, role, own, parent) = (place.pointer, place.role, place.own, place.parent);
    let at = |pointer: &str, key: &str| push_pointer(pointer, key);
    if let Some(Value::String(reference)) = map.get("$ref") {
        match role {
            Role::Schema => {
                if let Some(target) = reference.strip_prefix('#') {
                    let target = percent_decode(target);
                    // Only a schema can be a component schema; a `$ref` to
                    // anything else is refused later, at its own pointer.
                    if !is_component(&target, "schemas") && role_at(&target) == Role::Schema {
                        found.schema_refs.insert(target);
                    }
                }
            }
            Role::Other if parent == "paths" => found.other_refs.push((pointer.to_string(), true)),
            Role::Other
                if reference_position(own, parent)
                    && (!reference.starts_with('#') || !is_any_component(&percent_decode(&reference[1..]))) =>
            {
                found.other_refs.push((pointer.to_string(), false));
            }
            _ => {}
        }
    }
    if role == Role::Schema {
        fix_schema_keywords(map, pointer, warnings);
    }
    if role == Role::Other && map.contains_key("callbacks") && map.contains_key("responses") {
        map.remove("callbacks");
        warnings.push(Warning::new(
            WarningKind::Callbacks,
            at(pointer, "callbacks"),
            "callbacks describe requests the API sends, not calls of the client: left out",
        ));
    }
}

/// What kind of JSON value a keyword must have for `openapiv3`.
#[derive(Clone, Copy)]
enum Expect {
    String,
    Count,
    Number,
    Bool,
    Object,
}

/// Keywords sdkgen reads no meaning from, or only text, with the kind of value they need.
const KEYWORDS: &[(&str, Expect)] = &[
    ("pattern", Expect::String),
    ("format", Expect::String),
    ("title", Expect::String),
    ("description", Expect::String),
    ("minLength", Expect::Count),
    ("maxLength", Expect::Count),
    ("minItems", Expect::Count),
    ("maxItems", Expect::Count),
    ("minProperties", Expect::Count),
    ("maxProperties", Expect::Count),
    ("minimum", Expect::Number),
    ("maximum", Expect::Number),
    ("multipleOf", Expect::Number),
    ("uniqueItems", Expect::Bool),
    ("readOnly", Expect::Bool),
    ("writeOnly", Expect::Bool),
    ("deprecated", Expect::Bool),
    ("nullable", Expect::Bool),
    ("xml", Expect::Object),
    ("externalDocs", Expect::Object),
    ("discriminator", Expect::Object),
];

/// Drops keywords whose value `openapiv3` cannot read, and fits an integer
/// schema's bounds into 64 bits.
fn fix_schema_keywords(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let mut drop = Vec::new();
    for (key, expect) in KEYWORDS {
        let Some(value) = map.get(*key) else { continue };
        let fits = match expect {
            Expect::String => value.is_string(),
            Expect::Count => value.is_u64(),
            Expect::Number => value.is_number(),
            Expect::Bool => value.is_boolean(),
            Expect::Object => value.is_object(),
        };
        if !fits && !value.is_null() {
            drop.push((*key, format!("`{key}` cannot be {value}; ignored")));
        } else if value.is_null() {
            drop.push((*key, String::new()));
        }
    }
    // A `type` that is neither a name nor a list of names (codat.io's
    // `type: {…a schema…}`) says nothing sdkgen can use.
    if let Some(t @ (Value::Object(_) | Value::Number(_) | Value::Bool(_))) = map.get("type") {
        let shown = if t.is_object() { "an object".to_string() } else { t.to_string() };
        drop.push(("type", format!("`type` cannot be {shown}; ignored")));
    }
    // 3.0's boolean exclusiveMinimum; a number (3.1's form) is the bound itself.
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match map.get(exclusive) {
            Some(Value::Number(n)) => {
                let n = n.clone();
                map.insert(bound.to_string(), Value::Number(n));
                map.insert(exclusive.to_string(), Value::Bool(true));
            }
            Some(Value::Bool(_)) | None => {}
            Some(other) => drop.push((exclusive, format!("`{exclusive}` cannot be {other}; ignored"))),
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        for key in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(n)) = map.get(key) else { continue };
            if n.is_i64() {
                continue;
            }
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && key != "multipleOf" {
                // Out of the 64-bit range (18446744073709552000): as near as i64 goes.
                let clamped = if f < 0.0 { i64::MIN } else { i64::MAX };
                let message = format!("`{key}` {n} does not fit 64 bits; read as {clamped}");
                let value = if (i64::MIN as f64..=i64::MAX as f64).contains(&f) { f as i64 } else { clamped };
                if value == clamped {
                    warnings.push(Warning::new(WarningKind::NumberRange, push_pointer(pointer, key), message));
                }
                map.insert(key.to_string(), Value::from(value));
            } else if n.is_u64() {
                map.insert(key.to_string(), Value::from(i64::MAX));
            } else {
                drop.push((key, format!("`{key}` {n} is not an integer in an integer schema; ignored")));
            }
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if values.iter().any(|v| !(v.is_i64() || v.is_null())) {
                drop.push(("enum", "integer `enum` with values that are not 64-bit integers; ignored".into()));
            }
        }
    }
    for (key, message) in drop {
        map.remove(key);
        if !message.is_empty() {
            warnings.push(Warning::new(WarningKind::IgnoredKeyword, push_pointer(pointer, key), message));
        }
    }
}

/// Follows each non-schema `$ref` that points outside its component section
/// to its end: a component it is rewritten to, any other node is copied in
/// its place (a path item always is).
fn follow_other_refs(tree: &mut Value, at: &[(String, bool)], moves: &mut Relocations) -> Result<()> {
    for (pointer, copy_always) in at {
        let Some(reference) = tree.pointer(pointer).and_then(|n| n.get("$ref")).and_then(Value::as_str) else {
            continue;
        };
        let reference = reference.to_string();
        let replacement = match resolve(tree, &reference, pointer)? {
            Ok(component) if !copy_always => {
                serde_json::json!({ "$ref": format!("#{}", encode_pointer(&component)) })
            }
            Ok(from) | Err((from, _)) => {
                moves.moved.push((pointer.clone(), from.clone()));
                tree.pointer(&from).cloned().unwrap_or_default()
            }
        };
        *tree.pointer_mut(pointer).expect("found above") = replacement;
    }
    Ok(())
}

/// Replaces every non-schema component that is only a `$ref` (a parameter
/// that names another) by what its chain of references ends at.
fn resolve_component_aliases(tree: &mut Value) -> Result<()> {
    let mut aliases = Vec::new();
    if let Some(Value::Object(components)) = tree.get("components") {
        for (section, entries) in components {
            let Value::Object(entries) = entries else { continue };
            if section == "schemas" {
                continue;
            }
            for (name, entry) in entries {
                if let Some(Value::String(reference)) = entry.get("$ref") {
                    let pointer = push_pointer(&push_pointer("/components", section), name);
                    aliases.push((pointer, reference.clone()));
                }
            }
        }
    }
    for (pointer, reference) in aliases {
        let end = match resolve(tree, &reference, &pointer)? {
            Ok(component) => tree.pointer(&component).cloned().unwrap_or_default(),
            Err((_, copy)) => copy,
        };
        *tree.pointer_mut(&pointer).expect("found above") = end;
    }
    Ok(())
}

/// Moves every schema that a `$ref` names outside `components/schemas`
/// into it, deepest first (a target inside another target moves before
/// the outer one), leaving a `$ref` behind.
fn hoist_schemas(tree: &mut Value, targets: &BTreeSet<String>, moves: &mut Relocations) {
    let mut targets: Vec<&String> = targets.iter().collect();
    targets.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut names: BTreeSet<String> = tree
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    for target in targets {
        let Some(slot) = tree.pointer_mut(target) else { continue };
        if !slot.is_object() {
            continue;
        }
        let name = unique(&mut names, &synthetic_name(target));
        let reference = format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"));
        let mut node = std::mem::replace(slot, serde_json::json!({ "$ref": reference }));
        if let Value::Object(map) = &mut node {
            map.entry(ORIGIN.to_string()).or_insert_with(|| Value::String(target.clone()));
        }
        moves.moved.push((push_pointer("/components/schemas", &name), target.clone()));
        moved.insert(target.clone(), reference);
        let root = tree.as_object_mut().expect("a document is a mapping");
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let schemas = components.as_object_mut().expect("made an object").entry("schemas");
        let schemas = schemas.or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            schemas.insert(name, node);
        }
    }
    // Every `$ref` to a moved node now names its component.
    rewrite_refs(tree, &moved);
}

/// Every schema's `$ref` to a moved node made the `$ref` to its component.
fn rewrite_refs(tree: &mut Value, moved: &BTreeMap<String, String>) {
    walk_objects(tree, &mut |map, place| {
        if place.role != Role::Schema {
            return;
        }
        if let Some(Value::String(reference)) = map.get_mut("$ref") {
            if let Some(new) = reference.strip_prefix('#').and_then(|t| moved.get(&percent_decode(t))) {
                *reference = new.clone();
            }
        }
    });
}

/// A component name for the schema at `target`: its nearest meaningful
/// token (a property, parameter or component name), with its owner's.
fn synthetic_name(target: &str) -> String {
    const STRUCTURAL: &[&str] = &[
        "components",
        "schemas",
        "parameters",
        "properties",
        "items",
        "schema",
        "content",
        "responses",
        "requestBody",
        "requestBodies",
        "headers",
        "paths",
        "allOf",
        "anyOf",
        "oneOf",
        "additionalProperties",
        "get",
        "put",
        "post",
        "delete",
        "patch",
        "head",
        "options",
        "trace",
        "not",
    ];
    let tokens: Vec<String> = target.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let meaningful: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| !STRUCTURAL.contains(t) && !t.contains('/') && !t.chars().all(|c| c.is_ascii_digit()))
        .collect();
    match meaningful.as_slice() {
        [] => "Schema".to_string(),
        [one] => one.to_string(),
        [.., owner, last] => format!("{owner}_{last}"),
    }
}

fn unique(names: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_document_structure() {
        assert_eq!(Role::Other.child("schema", "application/json", "content"), Role::Schema);
        assert_eq!(Role::Other.child("schemas", "components", ""), Role::SchemaMap);
        assert_eq!(Role::Other.child("default", "responses", "get"), Role::Other, "the default response");
        assert_eq!(Role::Other.child("value", "one", "examples"), Role::Data);
        assert_eq!(Role::Other.child("x-rate", "headers", "200"), Role::Other, "a header named x-rate");
        assert_eq!(Role::Other.child("x-tool", "get", "/a"), Role::Data);
        assert_eq!(Role::Schema.child("default", "a", "properties"), Role::Data);
        assert_eq!(Role::SchemaMap.child("default", "properties", "A"), Role::Schema, "a property named default");
        assert_eq!(Role::Schema.child("allOf", "A", "schemas"), Role::SchemaList);
    }

    #[test]
    fn the_role_of_a_pointer() {
        assert_eq!(role_at("/components/schemas/A/properties/b"), Role::Schema);
        assert_eq!(role_at("/components/schemas/A/properties"), Role::SchemaMap);
        assert_eq!(role_at("/components/schemas/A/allOf/0/items"), Role::Schema);
        assert_eq!(role_at("/paths/~1a/get/parameters/0/schema"), Role::Schema);
        assert_eq!(role_at("/paths/~1a/get/parameters/0"), Role::Other);
    }

    #[test]
    fn synthetic_names_read_like_the_place() {
        assert_eq!(synthetic_name("/components/schemas/A/properties/b"), "A_b");
        assert_eq!(synthetic_name("/components/parameters/limit/schema"), "limit");
        assert_eq!(
            synthetic_name("/paths/~1v2~1keys/post/responses/201/content/application~1json/schema/properties/ssh_key"),
            "ssh_key"
        );
        let mut taken = BTreeSet::from(["limit".to_string()]);
        assert_eq!(unique(&mut taken, "limit"), "limit_2");
    }
}
