//! OpenAPI 3.1 read by lowering it into the 3.0 model the rest of the
//! pipeline has, on the JSON tree, before anything else looks at it.
//!
//! 3.1's schemas are JSON Schema 2020-12. What the SDK's types depend on is
//! rewritten into its 3.0 spelling; what they cannot use is dropped with a
//! warning at its pointer:
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [A, B]` | `anyOf` of one schema per type (each with its keywords) |
//! | `anyOf`/`oneOf` of `X` and `{type: "null"}` | `allOf: [X]`, `nullable: true`: an optional `X` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` |
//! | `$ref` with siblings | `allOf: [{$ref}]` beside them: the named type, annotated |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | `patternProperties` | `additionalProperties` (the pattern's schema) |
//! | `unevaluatedProperties: false` | `additionalProperties: false` |
//! | `$anchor` and `$id` references | pointers |
//! | `webhooks` | payload schemas in `components/schemas`, listed in `x-sdkgen-webhooks` |
//! | `components/pathItems` | followed from `paths` |
//!
//! `prefixItems`, `contentEncoding`, `dependentRequired`, `if`/`then`/`else`
//! and the like are warnings. 3.0 keywords that 3.1 documents keep
//! (`nullable`, boolean `exclusiveMinimum`) are read as 3.0 reads them, with
//! a warning.

use crate::contract::WEBHOOKS;
use crate::error::{Warning, WarningKind};
use crate::pointer::push_pointer;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Keywords of 2020-12 that the SDK's types have no use for.
const IGNORED: &[&str] = &[
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "propertyNames",
    "contentSchema",
    "$dynamicRef",
    "$dynamicAnchor",
];

/// Rewrites a 3.1 document in place into 3.0; warnings for what is dropped.
/// Returns where moved nodes came from: (pointer now, pointer in the spec).
pub(super) fn upgrade(tree: &mut Value, warnings: &mut Vec<Warning>) -> Vec<(String, String)> {
    let Some(root) = tree.as_object_mut() else { return Vec::new() };
    root.insert("openapi".into(), json!("3.0.3"));
    root.remove("jsonSchemaDialect");
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    let mut info_moves = Vec::new();
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        // A summary stands in for a missing description (and is dropped beside one).
        if let Some(summary) = info.remove("summary") {
            if !info.contains_key("description") {
                info.insert("description".into(), summary);
                info_moves.push(("/info/description".to_string(), "/info/summary".to_string()));
            }
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            if let Some(id) = license.remove("identifier") {
                license.insert("x-identifier".into(), id);
            }
        }
    }
    let mut moves = inline_path_items(root);
    moves.extend(info_moves);
    mutual_tls(root, warnings);
    // 3.1 lets an operation leave out `responses`.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, op) in item.iter_mut() {
                if matches!(key.as_str(), "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") {
                    if let Some(op) = op.as_object_mut() {
                        op.entry("responses").or_insert_with(|| json!({}));
                    }
                }
            }
        }
    }
    let anchors = anchors(tree);
    super::tree::for_each_schema(tree, &mut |schema, pointer| {
        schema_to_30(schema, pointer, &anchors, warnings, &mut moves);
    });
    moves.extend(webhooks(tree, warnings));
    moves
}

/// `paths` entries that refer to `components/pathItems` get the item itself
/// (3.0 has no such section); returns where each copy came from.
fn inline_path_items(root: &mut Map<String, Value>) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    let items = root.get_mut("components").and_then(Value::as_object_mut).and_then(|c| c.remove("pathItems"));
    let Some(Value::Object(items)) = items else { return moves };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let target =
                item.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/pathItems/"));
            let Some(name) = target.map(crate::pointer::percent_decode) else { continue };
            if let Some(found) = items.get(&name) {
                *item = found.clone();
                moves.push((push_pointer("/paths", path), push_pointer("/components/pathItems", &name)));
            }
        }
    }
    moves
}

/// `mutualTLS` security schemes (new in 3.1) are the transport's business,
/// not the client's: left out, with the requirements that name them.
fn mutual_tls(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let schemes = root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")).and_then(Value::as_object_mut);
    let Some(schemes) = schemes else { return };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &names {
        schemes.remove(name);
        warnings.push(Warning::new(
            WarningKind::AuthUnsupported,
            push_pointer("/components/securitySchemes", name),
            "a mutualTLS scheme: configure the client certificate on the reqwest client; left out",
        ));
    }
    if names.is_empty() {
        return;
    }
    let strip = |security: &mut Value| {
        if let Value::Array(requirements) = security {
            for r in requirements.iter_mut().filter_map(Value::as_object_mut) {
                r.retain(|scheme, _| !names.contains(scheme));
            }
        }
    };
    if let Some(security) = root.get_mut("security") {
        strip(security);
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                if let Some(security) = op.get_mut("security") {
                    strip(security);
                }
            }
        }
    }
}

/// `$anchor`s and `$id`s of schemas, to the pointers of their nodes: `#name`,
/// `<id>#name` for an anchor inside the schema with that `$id`, and `<id>`.
fn anchors(tree: &mut Value) -> BTreeMap<String, String> {
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new();
    super::tree::for_each_schema(tree, &mut |schema, pointer| {
        if let Some(anchor) = schema.get("$anchor").and_then(Value::as_str) {
            names.push((anchor.to_string(), pointer.to_string()));
        }
        if let Some(id) = schema.get("$id").and_then(Value::as_str) {
            ids.push((id.to_string(), pointer.to_string()));
        }
    });
    let mut found = BTreeMap::new();
    for (id, pointer) in &ids {
        found.insert(id.clone(), format!("#{pointer}"));
    }
    for (name, pointer) in names {
        let inside = ids.iter().filter(|(_, at)| pointer.starts_with(at.as_str())).max_by_key(|(_, at)| at.len());
        if let Some((id, _)) = inside {
            found.insert(format!("{id}#{name}"), format!("#{pointer}"));
        }
        found.insert(format!("#{name}"), format!("#{pointer}"));
    }
    found
}

/// One schema node, 3.1 → 3.0 (its children are visited after it).
fn schema_to_30(
    schema: &mut Map<String, Value>,
    pointer: &str,
    anchors: &BTreeMap<String, String>,
    warnings: &mut Vec<Warning>,
    moves: &mut Vec<(String, String)>,
) {
    let mut warn = |kind: WarningKind, key: &str, message: String| {
        warnings.push(Warning::new(kind, push_pointer(pointer, key), message));
    };
    let at = |path: &[&str]| path.iter().fold(pointer.to_string(), |p, key| push_pointer(&p, key));
    schema.remove("$schema");
    schema.remove("$anchor");
    schema.remove("$id");
    schema.remove("$comment");
    // `$ref` by anchor or id, and `$ref` beside other keywords.
    if let Some(Value::String(reference)) = schema.get_mut("$ref") {
        if let Some(target) = anchors.get(reference.as_str()) {
            *reference = target.clone();
        }
        let siblings: Vec<String> = schema.keys().filter(|k| *k != "$ref" && !k.starts_with("x-")).cloned().collect();
        if !siblings.is_empty() {
            let reference = schema.remove("$ref").unwrap_or_default();
            let all_of = schema.remove("allOf");
            let mut parts = vec![json!({ "$ref": reference })];
            moves.push((at(&["allOf", "0", "$ref"]), at(&["$ref"])));
            if let Some(Value::Array(more)) = all_of {
                for i in 0..more.len() {
                    moves.push((at(&["allOf", &(i + 1).to_string()]), at(&["allOf", &i.to_string()])));
                }
                parts.extend(more);
            }
            schema.insert("allOf".into(), Value::Array(parts));
        }
    }
    if schema.contains_key("nullable") {
        warn(
            WarningKind::Mixed30,
            "nullable",
            "`nullable` is OpenAPI 3.0; 3.1 writes `type: [T, \"null\"]`: read as 3.0 reads it".into(),
        );
    }
    for bound in ["exclusiveMinimum", "exclusiveMaximum"] {
        match schema.get(bound) {
            Some(Value::Number(n)) => {
                let n = Value::Number(n.clone());
                let plain = if bound == "exclusiveMinimum" { "minimum" } else { "maximum" };
                moves.push((at(&[plain]), at(&[bound])));
                schema.insert(plain.into(), n);
                schema.insert(bound.into(), Value::Bool(true));
            }
            Some(Value::Bool(_)) => {
                warn(
                    WarningKind::Mixed30,
                    bound,
                    format!("a boolean `{bound}` is OpenAPI 3.0; 3.1 gives the bound: read as 3.0 reads it"),
                );
            }
            _ => {}
        }
    }
    if let Some(value) = schema.remove("const") {
        if !schema.contains_key("type") {
            if let Some(t) = json_type(&value) {
                schema.insert("type".into(), json!(t));
            }
        }
        moves.push((at(&["enum", "0"]), at(&["const"])));
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        if !examples.is_empty() && !schema.contains_key("example") {
            moves.push((at(&["example"]), at(&["examples", "0"])));
            schema.insert("example".into(), examples.swap_remove(0));
        }
    }
    if schema.get("unevaluatedProperties") == Some(&Value::Bool(false)) && !schema.contains_key("additionalProperties")
    {
        schema.insert("additionalProperties".into(), Value::Bool(false));
    }
    schema.remove("unevaluatedProperties");
    if let Some(Value::Object(patterns)) = schema.remove("patternProperties") {
        if !schema.contains_key("additionalProperties") {
            let one = patterns.len() == 1;
            let mut values = Vec::with_capacity(patterns.len());
            for (i, (pattern, value)) in patterns.into_iter().enumerate() {
                let now = if one {
                    at(&["additionalProperties"])
                } else {
                    at(&["additionalProperties", "anyOf", &i.to_string()])
                };
                moves.push((now, at(&["patternProperties", &pattern])));
                values.push(value);
            }
            if !one {
                moves.push((at(&["additionalProperties"]), at(&["patternProperties"])));
            }
            let values = if one { values.swap_remove(0) } else { json!({ "anyOf": values }) };
            schema.insert("additionalProperties".into(), values);
        }
    }
    for (encoding, what) in
        [("contentEncoding", "an encoded string"), ("contentMediaType", "a string of another media type")]
    {
        if schema.remove(encoding).is_some() {
            warn(WarningKind::SchemaKeyword, encoding, format!("`{encoding}`: {what} is kept as a `String`"));
        }
    }
    for key in IGNORED {
        if schema.remove(*key).is_some() {
            warn(WarningKind::SchemaKeyword, key, format!("`{key}` does not change the SDK's types: ignored"));
        }
    }
    // Boolean schemas where 3.0 needs an object.
    for key in ["items", "not", "additionalItems"] {
        if let Some(Value::Bool(b)) = schema.get(key) {
            let b = *b;
            schema.insert(key.into(), if b { json!({}) } else { json!({ "not": {} }) });
        }
    }
    for key in ["properties", "$defs"] {
        if let Some(Value::Object(map)) = schema.get_mut(key) {
            for value in map.values_mut() {
                if let Value::Bool(b) = value {
                    *value = if *b { json!({}) } else { json!({ "not": {} }) };
                }
            }
        }
    }
    types_to_30(schema, pointer, moves);
    null_variants_to_30(schema, pointer, moves);
}

/// `type: [T, "null"]` is a nullable `T`; several types are an `anyOf`.
pub(crate) fn types_to_30(schema: &mut Map<String, Value>, pointer: &str, moves: &mut Vec<(String, String)>) {
    let at = |path: &[&str]| path.iter().fold(pointer.to_string(), |p, key| push_pointer(&p, key));
    let Some(Value::Array(types)) = schema.get("type") else {
        if schema.get("type") == Some(&json!("null")) {
            schema.remove("type");
            schema.insert("nullable".into(), Value::Bool(true));
            schema.entry("enum").or_insert(json!([null]));
        }
        return;
    };
    const KNOWN: [&str; 7] = ["null", "string", "number", "integer", "boolean", "array", "object"];
    if !types.iter().all(|t| t.as_str().is_some_and(|t| KNOWN.contains(&t))) {
        return; // refused when read, at `type`
    }
    let mut types: Vec<String> = types.iter().filter_map(|t| t.as_str().map(str::to_string)).collect();
    let nullable = types.iter().any(|t| t == "null");
    types.retain(|t| t != "null");
    types.dedup();
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    match types.as_slice() {
        [] => {
            schema.remove("type");
        }
        [one] => {
            schema.insert("type".into(), json!(one));
        }
        several => {
            // Each type gets the keywords that apply to it.
            let several = several.to_vec();
            let listed: Vec<Value> = match schema.remove("type") {
                Some(Value::Array(listed)) => listed,
                _ => Vec::new(),
            };
            let existing = schema.contains_key("anyOf");
            let mut branches = Vec::new();
            for (i, t) in several.into_iter().enumerate() {
                let mut branch = Map::new();
                let here = |rest: &[&str]| {
                    let mut path = if existing { vec!["allOf", "0", "anyOf"] } else { vec!["anyOf"] };
                    let i = i.to_string();
                    path.push(&i);
                    path.extend_from_slice(rest);
                    at(&path)
                };
                let index = listed.iter().position(|l| l == &json!(t)).unwrap_or(0).to_string();
                moves.push((here(&["type"]), at(&["type", &index])));
                branch.insert("type".into(), json!(t));
                for key in keywords_of(&t) {
                    if let Some(v) = schema.get(*key) {
                        moves.push((here(&[key]), at(&[key])));
                        branch.insert(key.to_string(), v.clone());
                    }
                }
                branches.push(Value::Object(branch));
            }
            for t in ["string", "number", "integer", "array", "object"] {
                for key in keywords_of(t) {
                    if *key != "enum" {
                        schema.remove(*key);
                    }
                }
            }
            schema.remove("enum");
            let any_of = schema.remove("anyOf");
            match any_of {
                // An `anyOf` already there is kept, the types joining it in an `allOf`.
                Some(existing) => {
                    moves.push((at(&["allOf", "1", "anyOf"]), at(&["anyOf"])));
                    schema.insert("allOf".into(), json!([{ "anyOf": branches }, { "anyOf": existing }]));
                }
                None => {
                    schema.insert("anyOf".into(), Value::Array(branches));
                }
            }
        }
    }
}

/// The keywords that constrain values of JSON type `t`.
fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "number" | "integer" => {
            &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum"]
        }
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        _ => &[],
    }
}

/// `anyOf`/`oneOf` with a `{type: "null"}` variant: the rest, nullable.
fn null_variants_to_30(schema: &mut Map<String, Value>, pointer: &str, moves: &mut Vec<(String, String)>) {
    let at = |path: &[&str]| path.iter().fold(pointer.to_string(), |p, key| push_pointer(&p, key));
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(variants)) = schema.get_mut(key) else { continue };
        let is_null = |v: &Value| {
            v.get("type") == Some(&json!("null"))
                || v.get("type") == Some(&json!(["null"]))
                || v.get("enum") == Some(&json!([null]))
        };
        let kept: Vec<usize> = (0..variants.len()).filter(|&i| !is_null(&variants[i])).collect();
        if kept.len() == variants.len() {
            continue;
        }
        variants.retain(|v| !is_null(v));
        schema.insert("nullable".into(), Value::Bool(true));
        if kept.len() == 1 && !schema.contains_key("allOf") {
            let only = schema.remove(key).and_then(|v| v.as_array().cloned()).unwrap_or_default();
            moves.push((at(&["allOf", "0"]), at(&[key, &kept[0].to_string()])));
            schema.insert("allOf".into(), Value::Array(only));
        } else if kept.is_empty() {
            schema.remove(key);
        } else {
            for (now, was) in kept.iter().enumerate() {
                moves.push((at(&[key, &now.to_string()]), at(&[key, &was.to_string()])));
            }
        }
    }
}

fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        _ => None,
    }
}

/// `webhooks` (not part of 3.0): each webhook's JSON payload schema goes to
/// `components/schemas` (a `$ref` stays one), listed by webhook name in
/// [`WEBHOOKS`] for lowering to type and decode.
fn webhooks(tree: &mut Value, warnings: &mut Vec<Warning>) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    let Some(root) = tree.as_object_mut() else { return moves };
    let Some(Value::Object(hooks)) = root.remove("webhooks") else { return moves };
    let mut listed = Map::new();
    let mut new_schemas = Map::new();
    for (name, item) in hooks {
        // The webhook's operation: the method its item gives first.
        let operation = item.as_object().and_then(|item| {
            ["post", "put", "patch", "get", "delete"].into_iter().find_map(|m| Some((m, item.get(m)?.as_object()?)))
        });
        let content = operation.and_then(|(_, op)| op.get("requestBody")?.get("content")?.as_object());
        let found = content.and_then(|c| c.iter().find(|(media, _)| media.contains("json")));
        let schema = found.and_then(|(_, m)| m.get("schema")).cloned();
        let origin = match (operation, found) {
            (Some((method, _)), Some((media, _))) => [name.as_str(), method, "requestBody", "content", media, "schema"]
                .iter()
                .fold("/webhooks".to_string(), |at, key| push_pointer(&at, key)),
            _ => push_pointer("/webhooks", &name),
        };
        let Some(schema) = schema else {
            warnings.push(Warning::new(
                WarningKind::SchemaKeyword,
                push_pointer("/webhooks", &name),
                "a webhook without a JSON request body: left out",
            ));
            continue;
        };
        let reference = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with("#/components/schemas/") && schema.as_object().is_some_and(|o| o.len() == 1) => {
                r.to_string()
            }
            _ => {
                let component = format!("{}WebhookPayload", crate::naming::pascal(&name));
                moves.push((push_pointer("/components/schemas", &component), origin));
                new_schemas.insert(component.clone(), schema);
                format!("#/components/schemas/{component}")
            }
        };
        listed.insert(name, Value::String(reference));
    }
    if listed.is_empty() {
        return moves;
    }
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Some(components) = components.as_object_mut() {
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        if let Some(schemas) = schemas.as_object_mut() {
            for (name, schema) in new_schemas {
                schemas.entry(name).or_insert(schema);
            }
        }
    }
    root.insert(WEBHOOKS.into(), Value::Object(listed));
    moves
}
