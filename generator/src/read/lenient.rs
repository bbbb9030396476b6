//! Specs as their publishers ship them: mistakes whose intent is plain,
//! read by that intent on the JSON tree before it is normalized, each with
//! a warning at its pointer.
//!
//! - A field OpenAPI requires but the SDK can do without, left out, gets a
//!   default (a response's `description`: empty; `info.title`: `API`;
//!   `paths`: none; an OAuth2 flow's URLs and scopes: empty), or the object
//!   that lacks it is left out (a server without `url`, a tag without
//!   `name`, `externalDocs` without `url`, a license without `name`).
//!   Fields the SDK needs (a parameter's `name` and `in`, an API key's
//!   `name`, a discriminator's `propertyName`) are still required.
//! - A `$ref` of Swagger 2.0's form (`#/definitions/Name`, `#/parameters/…`,
//!   `#/responses/…`) that points at nothing, in a document that has
//!   `#/components/schemas/Name` (…), names that.
//! - A `$ref` to another kind of object than its place holds is read by the
//!   shape it points at: a schema `$ref` naming a parameter or header is its
//!   schema, one naming a response or request body its JSON content's
//!   schema; a response `$ref` naming a request body is a response with that
//!   content (and the reverse), a header `$ref` naming a parameter that
//!   parameter without `name` and `in`.

use super::tree::{resolve, role_at, walk_objects, Place, Role};
use crate::error::{Warning, WarningKind};
use crate::pointer::push_pointer;
use crate::pointer::{encode_pointer, percent_decode};
use serde_json::{json, Map, Value};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Reads what the document means where it says it wrongly (see the module
/// docs). `moved` gets (pointer now, pointer before) of each node copied.
pub(crate) fn read_intent(tree: &mut Value, warnings: &mut Vec<Warning>, moved: &mut Vec<(String, String)>) {
    fill_root(tree, warnings);
    // One walk: fields filled in, and the few `$ref`s that may need reading noted.
    let mut found = Vec::new();
    walk_objects(tree, &mut |map, place| match map.get("$ref") {
        Some(Value::String(reference)) => {
            if may_need_reading(reference, place) {
                let (pointer, role) = (place.pointer.to_string(), place.role);
                let (own, parent) = (place.own.to_string(), place.parent.to_string());
                found.push(Found { pointer, role, own, parent, reference: reference.clone() });
            }
        }
        _ => fill_required(map, place, warnings),
    });
    read_refs(tree, found, warnings, moved);
}

fn missing(warnings: &mut Vec<Warning>, pointer: &str, message: String) {
    warnings.push(Warning::new(WarningKind::MissingField, pointer, message));
}

/// Defaults for the document's own required fields the SDK does without.
fn fill_root(tree: &mut Value, warnings: &mut Vec<Warning>) {
    let Value::Object(root) = tree else { return };
    if !root.contains_key("info") {
        missing(warnings, "", "no `info` (OpenAPI requires one): read as empty".into());
        root.insert("info".into(), json!({}));
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        for (field, default) in [("title", "API"), ("version", "")] {
            if !info.contains_key(field) {
                let shown = if default.is_empty() { "empty".to_string() } else { format!("`{default}`") };
                let message = format!("no `{field}` (OpenAPI requires one): read as {shown}");
                missing(warnings, "/info", message);
                info.insert(field.into(), Value::String(default.into()));
            }
        }
        if info.get("license").is_some_and(|l| l.is_object() && !l.get("name").is_some_and(Value::is_string)) {
            missing(warnings, "/info/license", "a license without `name`: left out".into());
            info.remove("license");
        }
    }
    // 3.0 requires `paths`; 3.1 reading adds it when left out.
    if root.contains_key("openapi") && !root.contains_key("paths") {
        missing(warnings, "", "no `paths` (OpenAPI requires them): read as none".into());
        root.insert("paths".into(), json!({}));
    }
    retain_named(root, "tags", "name", "/tags", "a tag without `name`", warnings);
}

/// Defaults for required fields the SDK does without (see the module
/// docs), in the object `map` at `place`.
fn fill_required(map: &mut Map<String, Value>, place: &Place<'_>, warnings: &mut Vec<Warning>) {
    let (pointer, own, parent) = (place.pointer, place.own, place.parent);
    if !matches!(place.role, Role::Other | Role::Schema) {
        return;
    }
    if map.get("externalDocs").is_some_and(|d| !d.get("url").is_some_and(Value::is_string)) {
        let message = "`externalDocs` without `url`: left out".to_string();
        missing(warnings, &push_pointer(pointer, "externalDocs"), message);
        map.remove("externalDocs");
    }
    if place.role != Role::Other {
        return;
    }
    retain_named(map, "servers", "url", &push_pointer(pointer, "servers"), "a server without `url`", warnings);
    if parent == "responses" && !map.contains_key("description") {
        missing(warnings, pointer, "a response without `description` (OpenAPI requires one): read as empty".into());
        map.insert("description".into(), Value::String(String::new()));
    }
    let body = parent == "requestBodies" || (own == "requestBody" && METHODS.contains(&parent));
    if body && !map.contains_key("content") {
        missing(warnings, pointer, "a request body without `content`: read as no body".into());
        map.insert("content".into(), json!({}));
    }
    if parent == "securitySchemes" {
        fill_scheme(map, pointer, warnings);
    }
}

/// Keeps the entries of the list `map[key]` that have a string `field`.
fn retain_named(
    map: &mut Map<String, Value>,
    key: &str,
    field: &str,
    at: &str,
    what: &str,
    warnings: &mut Vec<Warning>,
) {
    let Some(Value::Array(list)) = map.get_mut(key) else { return };
    let mut i = 0;
    list.retain(|entry| {
        let keep = !entry.is_object() || entry.get(field).is_some_and(Value::is_string);
        if !keep {
            missing(warnings, &push_pointer(at, &i.to_string()), format!("{what}: left out"));
        }
        i += 1;
        keep
    });
}

/// An OAuth2 scheme's flows need URLs and scopes, an OpenID Connect one its
/// URL, to be read; the SDK takes a ready token and needs none of them.
fn fill_scheme(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    match map.get("type").and_then(Value::as_str) {
        Some("oauth2") => {
            let flows = map.entry("flows").or_insert_with(|| json!({}));
            let Value::Object(flows) = flows else { return };
            for (name, flow) in flows.iter_mut() {
                let Value::Object(flow) = flow else { continue };
                let urls: &[&str] = match name.as_str() {
                    "implicit" => &["authorizationUrl"],
                    "password" | "clientCredentials" => &["tokenUrl"],
                    "authorizationCode" => &["authorizationUrl", "tokenUrl"],
                    _ => &[],
                };
                let at = push_pointer(&push_pointer(pointer, "flows"), name);
                for field in urls.iter().copied().chain(["scopes"]) {
                    if !flow.contains_key(field) {
                        let default = if field == "scopes" { json!({}) } else { json!("") };
                        missing(warnings, &at, format!("an OAuth2 flow without `{field}`: read as empty"));
                        flow.insert(field.into(), default);
                    }
                }
            }
        }
        Some("openIdConnect") if !map.contains_key("openIdConnectUrl") => {
            missing(warnings, pointer, "OpenID Connect without `openIdConnectUrl`: read as empty".into());
            map.insert("openIdConnectUrl".into(), json!(""));
        }
        _ => {}
    }
}

/// A `$ref` found by the walk: where its object is, what the object is, and the reference.
struct Found {
    pointer: String,
    role: Role,
    own: String,
    parent: String,
    reference: String,
}

/// Swagger 2.0's sections and the components that hold the same in 3.x.
const SWAGGER2: &[(&str, &str)] =
    &[("#/definitions/", "schemas"), ("#/parameters/", "parameters"), ("#/responses/", "responses")];

/// `$ref`s in Swagger 2.0's form, and `$ref`s to another kind of object (see the module docs).
fn read_refs(tree: &mut Value, mut found: Vec<Found>, warnings: &mut Vec<Warning>, moved: &mut Vec<(String, String)>) {
    // Swagger 2.0's refs first, then schema refs, then objects: a copied
    // object carries the refs already read.
    let target = |r: &str| r.strip_prefix('#').map(percent_decode);
    for Found { pointer, reference, .. } in &mut found {
        let at = push_pointer(pointer, "$ref");
        if target(reference).is_none_or(|to| tree.pointer(&to).is_some()) {
            continue;
        }
        let Some(fixed) = swagger2_ref(tree, reference) else { continue };
        let message = format!("`{reference}` is Swagger 2.0's form of reference: read as `{fixed}`");
        warnings.push(Warning::new(WarningKind::Swagger2Ref, &at, message));
        set_ref(tree, pointer, &fixed);
        *reference = fixed;
    }
    for Found { pointer, role, reference, .. } in &found {
        let Some(to) = target(reference) else { continue };
        if *role != Role::Schema || role_at(&to) != Role::Other {
            continue;
        }
        let Some((schema, what)) = schema_inside(tree, &to) else { continue };
        let at = push_pointer(pointer, "$ref");
        let Some(schema) = schema else {
            let message = format!("`{reference}` names {what} without a schema, not a schema: read as any value");
            warnings.push(Warning::new(WarningKind::RefKind, at, message));
            if let Some(Value::Object(map)) = tree.pointer_mut(pointer) {
                map.remove("$ref");
            }
            continue;
        };
        let fixed = format!("#{}", encode_pointer(&schema));
        let message = format!("`{reference}` names {what}, not a schema: read as its schema `{fixed}`");
        warnings.push(Warning::new(WarningKind::RefKind, at, message));
        set_ref(tree, pointer, &fixed);
    }
    for Found { pointer, role, own, parent, reference } in found {
        let Some(expected) = expected_section(&own, &parent).filter(|_| role == Role::Other) else { continue };
        let Ok(Ok(end)) = resolve(tree, &reference, &pointer) else { continue };
        let Some(section) = section_of(&end).filter(|s| *s != expected) else { continue };
        let Some(node) = tree.pointer(&end).and_then(|n| convert(n, section, expected)) else { continue };
        let message = format!(
            "`{reference}` names {}, where {} belongs: read as one with its {}",
            what_is(section),
            what_is(expected),
            if expected == "headers" { "schema" } else { "content" }
        );
        warnings.push(Warning::new(WarningKind::RefKind, push_pointer(&pointer, "$ref"), message));
        // What was copied is where it came from; the `$ref` stays where it is.
        for key in node.as_object().into_iter().flat_map(|m| m.keys()) {
            moved.push((push_pointer(&pointer, key), push_pointer(&end, key)));
        }
        if let Some(slot) = tree.pointer_mut(&pointer) {
            *slot = node;
        }
    }
}

/// Whether a `$ref` may be of Swagger 2.0's form or name another kind of
/// object than its place holds (most name a component of the right kind,
/// and are not kept).
fn may_need_reading(reference: &str, place: &Place<'_>) -> bool {
    let swagger2 = SWAGGER2.iter().any(|(prefix, _)| reference.starts_with(prefix));
    let other_kind = match place.role {
        Role::Schema => {
            !reference.starts_with("#/components/schemas/")
                && reference.strip_prefix('#').is_some_and(|to| role_at(&percent_decode(to)) == Role::Other)
        }
        Role::Other => expected_section(place.own, place.parent).is_some_and(|expected| {
            !reference
                .strip_prefix("#/components/")
                .and_then(|r| r.strip_prefix(expected))
                .is_some_and(|r| r.starts_with('/'))
        }),
        _ => false,
    };
    swagger2 || other_kind
}

fn set_ref(tree: &mut Value, pointer: &str, reference: &str) {
    if let Some(Value::Object(map)) = tree.pointer_mut(pointer) {
        map.insert("$ref".into(), Value::String(reference.into()));
    }
}

/// `#/components/<section>/Name` for Swagger 2.0's `#/definitions/Name` (…)
/// when that exists.
fn swagger2_ref(tree: &Value, reference: &str) -> Option<String> {
    SWAGGER2.iter().find_map(|(prefix, section)| {
        let name = reference.strip_prefix(prefix)?;
        let fixed = format!("#/components/{section}/{name}");
        tree.pointer(&percent_decode(&fixed[1..])).is_some().then_some(fixed)
    })
}

/// The schema a non-schema object at `target` holds, with what the object
/// is: a parameter's or header's `schema`, else the schema of its
/// `content` (JSON preferred); `None` as the schema for a response or
/// request body with no schema in its content (any value). Chains of
/// `$ref`s are followed.
fn schema_inside(tree: &Value, target: &str) -> Option<(Option<String>, &'static str)> {
    let mut target = target.to_string();
    for _ in 0..64 {
        let node = tree.pointer(&target)?;
        if let Some(next) = node.get("$ref").and_then(Value::as_str) {
            target = percent_decode(next.strip_prefix('#')?);
            if role_at(&target) == Role::Schema {
                return None; // a chain that ends at a schema: already read as one
            }
            continue;
        }
        let section = section_of(&target);
        let what = match section {
            Some(section) => what_is(section),
            None if node.get("in").is_some() => "a parameter",
            None if node.get("schema").is_some() => "a header",
            None => "a response or request body",
        };
        if node.get("schema").is_some_and(Value::is_object) {
            return Some((Some(push_pointer(&target, "schema")), what));
        }
        let content = node.get("content").and_then(Value::as_object);
        let with_schema =
            |media: &&String| content.is_some_and(|c| c[*media].get("schema").is_some_and(Value::is_object));
        let json = |media: &&String| {
            let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        };
        let keys = || content.into_iter().flat_map(|c| c.keys());
        let media = keys().filter(with_schema).find(json).or_else(|| keys().find(with_schema));
        return match media {
            Some(media) => {
                let schema = push_pointer(&push_pointer(&push_pointer(&target, "content"), media), "schema");
                Some((Some(schema), what))
            }
            None if matches!(section, Some("responses" | "requestBodies")) || content.is_some() => Some((None, what)),
            None => None,
        };
    }
    None
}

/// The component section a reference at this place must name, where a
/// reference of another kind can be read by its shape.
fn expected_section(own: &str, parent: &str) -> Option<&'static str> {
    match parent {
        "responses" => Some("responses"),
        "requestBodies" => Some("requestBodies"),
        "headers" => Some("headers"),
        p if own == "requestBody" && METHODS.contains(&p) => Some("requestBodies"),
        _ => None,
    }
}

/// The section of `/components/<section>/<name>`.
fn section_of(pointer: &str) -> Option<&str> {
    let rest = pointer.strip_prefix("/components/")?;
    let (section, name) = rest.split_once('/')?;
    (!name.is_empty() && !name.contains('/')).then_some(section)
}

fn what_is(section: &str) -> &'static str {
    match section {
        "responses" => "a response",
        "requestBodies" => "a request body",
        "parameters" => "a parameter",
        "headers" => "a header",
        "schemas" => "a schema",
        _ => "another kind of object",
    }
}

/// The object `node` of `section` as one of `expected`, where its shape
/// says what that is.
fn convert(node: &Value, section: &str, expected: &str) -> Option<Value> {
    let map = node.as_object()?;
    let keep = |keys: &[&str]| -> Map<String, Value> {
        keys.iter().filter_map(|k| Some((k.to_string(), map.get(*k)?.clone()))).collect()
    };
    let mut out = match (section, expected) {
        ("requestBodies", "responses") => keep(&["description", "content"]),
        ("responses", "requestBodies") => keep(&["description", "content"]),
        ("parameters", "headers") => keep(&["description", "required", "deprecated", "schema", "content", "example"]),
        _ => return None,
    };
    if expected == "responses" {
        out.entry("description").or_insert_with(|| json!(""));
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tree: &mut Value) -> Vec<(WarningKind, String)> {
        let (mut warnings, mut moved) = (Vec::new(), Vec::new());
        read_intent(tree, &mut warnings, &mut moved);
        warnings.into_iter().map(|w| (w.kind, w.pointer)).collect()
    }

    #[test]
    fn swagger2_refs_name_the_components_that_exist() {
        let mut tree = json!({
            "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {},
            "definitions": {"Kept": {}},
            "components": {"schemas": {"Pet": {}, "Kept": {}, "Box": {"properties": {
                "a": {"$ref": "#/definitions/Pet"},
                "b": {"$ref": "#/definitions/Kept"},
                "c": {"$ref": "#/definitions/Gone"},
            }}}}
        });
        let warnings = read(&mut tree);
        let props = &tree["components"]["schemas"]["Box"]["properties"];
        assert_eq!(props["a"]["$ref"], "#/components/schemas/Pet");
        assert_eq!(props["b"]["$ref"], "#/definitions/Kept", "a root `definitions` that exists is used");
        assert_eq!(props["c"]["$ref"], "#/definitions/Gone", "a dangling one is left to be refused");
        assert_eq!(warnings, [(WarningKind::Swagger2Ref, "/components/schemas/Box/properties/a/$ref".to_string())]);
    }

    #[test]
    fn wrong_kinds_are_read_by_shape() {
        let mut tree = json!({
            "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {
                "schemas": {"S": {"properties": {
                    "p": {"$ref": "#/components/parameters/P"},
                    "r": {"$ref": "#/components/responses/R"},
                    "h": {"$ref": "#/components/headers/H"},
                }}},
                "headers": {"H": {"schema": {"type": "string"}}, "FromParameter": {"$ref": "#/components/parameters/P"}},
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "integer"}}},
                "responses": {
                    "R": {"description": "r", "content": {"text/plain": {"schema": {"type": "string"}},
                                                          "application/json": {"schema": {"type": "boolean"}}}},
                    "FromBody": {"$ref": "#/components/requestBodies/B"},
                },
                "requestBodies": {"B": {"required": true, "content": {"application/json": {"schema": {}}}}},
            }
        });
        let warnings = read(&mut tree);
        let c = &tree["components"];
        assert_eq!(c["schemas"]["S"]["properties"]["p"]["$ref"], "#/components/parameters/P/schema");
        assert_eq!(
            c["schemas"]["S"]["properties"]["r"]["$ref"],
            "#/components/responses/R/content/application~1json/schema"
        );
        assert_eq!(
            c["responses"]["FromBody"],
            json!({"description": "", "content": {"application/json": {"schema": {}}}})
        );
        assert_eq!(c["schemas"]["S"]["properties"]["h"]["$ref"], "#/components/headers/H/schema");
        assert_eq!(c["headers"]["FromParameter"], json!({"schema": {"type": "integer"}}));
        assert!(warnings.iter().all(|(k, _)| *k == WarningKind::RefKind) && warnings.len() == 5, "{warnings:?}");
    }

    #[test]
    fn required_fields_the_sdk_does_without_get_defaults() {
        let mut tree = json!({
            "openapi": "3.0.0", "info": {"license": {"url": "https://x"}},
            "servers": [{"description": "no url"}, {"url": "https://api.example.com"}],
            "tags": [{"description": "no name"}],
            "externalDocs": {"description": "no url"},
            "components": {
                "responses": {"R": {"content": {}}},
                "requestBodies": {"B": {"description": "no content"}},
                "schemas": {"S": {"externalDocs": {}}},
                "securitySchemes": {
                    "O": {"type": "oauth2", "flows": {"clientCredentials": {}}},
                    "I": {"type": "openIdConnect"},
                },
            }
        });
        let warnings = read(&mut tree);
        assert_eq!(tree["info"], json!({"title": "API", "version": ""}));
        assert_eq!(tree["paths"], json!({}));
        assert_eq!(tree["servers"], json!([{"url": "https://api.example.com"}]));
        assert_eq!(tree["tags"], json!([]));
        assert_eq!(tree["components"]["responses"]["R"]["description"], "");
        let flow = &tree["components"]["securitySchemes"]["O"]["flows"]["clientCredentials"];
        assert_eq!(flow, &json!({"tokenUrl": "", "scopes": {}}));
        assert_eq!(tree["components"]["securitySchemes"]["I"]["openIdConnectUrl"], "");
        assert_eq!(tree["components"]["requestBodies"]["B"]["content"], json!({}));
        assert!(tree.get("externalDocs").is_none() && tree["components"]["schemas"]["S"] == json!({}));
        assert!(warnings.iter().all(|(k, _)| *k == WarningKind::MissingField));
        let at: Vec<&str> = warnings.iter().map(|(_, p)| p.as_str()).collect();
        assert!(at.contains(&"/servers/0") && at.contains(&"/components/responses/R"), "{at:?}");
    }
}
