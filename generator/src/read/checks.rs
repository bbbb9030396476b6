//! The checks of the JSON tree before it is read as a typed document: every
//! `$ref` local and resolving, a bounded depth, schemas checked one at a
//! time, and a failure narrowed to the deepest part that fails.

use super::tree::visit;
use crate::error::{Error, ErrorKind, Result, Warning, WarningKind};
use crate::pointer::{percent_decode, push_pointer};
use serde_json::Value;

/// Runs `a` and `b`, on two threads when `parallel`.
pub(crate) fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        (a, b.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// One pass over the tree: every `$ref` must be local (`#/…`) and point at
/// an existing node, the document must not nest deeper than
/// [`MAX_TREE_DEPTH`], and tolerated mistakes become warnings (a default
/// that does not fit its type, a lower-case `4xx`, a malformed media type).
/// Returns the deepest schema nesting seen.
pub(crate) fn check_tree(root: &Value, warnings: &mut Vec<Warning>) -> Result<usize> {
    let mut deepest = 0;
    visit(root, &mut |node, place| {
        deepest = deepest.max(place.schemas);
        if place.depth > MAX_TREE_DEPTH {
            let message = format!("the document nests deeper than {MAX_TREE_DEPTH} levels here");
            return Err(Error::new(ErrorKind::Unsupported, place.pointer, message));
        }
        let Value::Object(map) = node else { return Ok(()) };
        let mut warn = |kind, at: String, message: String| warnings.push(Warning { kind, pointer: at, message });
        if let Some(Value::String(reference)) = map.get("$ref") {
            check_ref(root, reference, place.pointer)?;
        }
        let typ = map.get("type").and_then(Value::as_str);
        if let (Some(typ), Some(default)) = (typ, map.get("default")) {
            let fits = match typ {
                "boolean" => default.is_boolean(),
                "integer" => default.is_i64() || default.is_u64(),
                "number" => default.is_number(),
                "string" => default.is_string(),
                "array" => default.is_array(),
                "object" => default.is_object(),
                _ => true,
            };
            if !fits && !default.is_null() {
                let message = format!("default {default} does not fit type `{typ}`; ignored");
                warn(WarningKind::DefaultType, push_pointer(place.pointer, "default"), message);
            }
        }
        // A property named `content` is a schema, not a media-type map.
        let media_map = place.own == "content" && place.parent != "properties";
        for (key, value) in map {
            if place.own == "responses" && key.len() == 3 && key.ends_with("xx") {
                let message = format!("status range `{key}` should be upper case; read as `{}`", key.to_uppercase());
                warn(WarningKind::StatusRangeCase, push_pointer(place.pointer, key), message);
            }
            if media_map && value.is_object() && !valid_media_type(key) {
                let message = format!("`{key}` is not a valid media type name; kept as written");
                warn(WarningKind::MediaType, push_pointer(place.pointer, key), message);
            }
        }
        Ok(())
    })?;
    Ok(deepest)
}

/// A `$ref` (found in the object at `pointer`) must be local and resolve.
pub(crate) fn check_ref(root: &Value, reference: &str, pointer: &str) -> Result<()> {
    let at = || push_pointer(pointer, "$ref");
    let Some(target) = reference.strip_prefix('#') else {
        return Err(Error::new(
            ErrorKind::Unsupported,
            at(),
            format!("external $ref `{reference}` is not supported: bundle the spec into one file first"),
        ));
    };
    if root.pointer(&percent_decode(target)).is_none() {
        return Err(Error::new(ErrorKind::DanglingRef, at(), format!("$ref `{reference}` points at nothing")));
    }
    Ok(())
}

/// `type/subtype` with token characters (RFC 6838), parameters allowed.
pub(crate) fn valid_media_type(name: &str) -> bool {
    let essence = name.split(';').next().unwrap_or("").trim();
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-*".contains(&b));
    matches!(essence.split_once('/'), Some((t, sub)) if token(t) && token(sub))
}

/// Deserializes `node` (found at `pointer`) as `T`, locating any failure.
pub(crate) fn typed<'de, T: serde::Deserialize<'de>>(node: &'de Value, pointer: &str) -> Result<T> {
    serde_path_to_error::deserialize::<_, T>(node).map_err(|e| {
        let inner = path_to_pointer(e.path());
        Error::new(ErrorKind::Invalid, format!("{pointer}{inner}"), e.into_inner().to_string())
    })
}

/// Checks every schema on its own, with the schemas nested in it stubbed
/// out, before the document is read as a whole. `openapiv3` re-reads a
/// failing schema at every level it is nested in, which grows exponentially
/// with depth; checked one node at a time the cost is linear, and the error
/// names the schema that is wrong rather than an ancestor.
pub(crate) fn check_schemas(tree: &Value, parallel: bool) -> Result<()> {
    let mut schemas: Vec<(&Value, String)> = Vec::new();
    let components = tree.get("components");
    let section = |name: &str| each(components.and_then(|c| c.get(name)), &push_pointer("/components", name));
    schemas.extend(section("schemas"));
    for (p, at) in section("parameters").into_iter().chain(section("headers")) {
        schemas.extend(parameter_schemas(p, &at));
    }
    for (b, at) in section("requestBodies") {
        schemas.extend(media_schemas(b.get("content"), &push_pointer(&at, "content")));
    }
    for (r, at) in section("responses") {
        schemas.extend(response_schemas(r, &at));
    }
    for (item, at) in each(tree.get("paths"), "/paths") {
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        let ops = methods.iter().filter_map(|m| Some((item.get(*m)?, push_pointer(&at, m))));
        for (node, node_at) in std::iter::once((item, at.clone())).chain(ops) {
            let list = node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            for (i, p) in list.iter().enumerate() {
                schemas
                    .extend(parameter_schemas(p, &push_pointer(&push_pointer(&node_at, "parameters"), &i.to_string())));
            }
            if let Some(body) = node.get("requestBody") {
                let at = push_pointer(&push_pointer(&node_at, "requestBody"), "content");
                schemas.extend(media_schemas(body.get("content"), &at));
            }
            for (r, r_at) in each(node.get("responses"), &push_pointer(&node_at, "responses")) {
                schemas.extend(response_schemas(r, &r_at));
            }
        }
    }
    let later = if parallel { schemas.split_off(schemas.len() / 2) } else { Vec::new() };
    let (first, second) = join(parallel, || check_each_schema(schemas), || check_each_schema(later));
    first.and(second)
}

/// Checks schemas one node at a time: each node with its nested schemas
/// replaced by `{}`, the nested ones queued.
pub(crate) fn check_each_schema(mut queue: Vec<(&Value, String)>) -> Result<()> {
    use openapiv3::{ReferenceOr, Schema};
    use serde::Deserialize;
    let stub = || Value::Object(Default::default());
    while let Some((schema, at)) = queue.pop() {
        let Value::Object(map) = schema else {
            typed::<ReferenceOr<Schema>>(schema, &at)?;
            continue;
        };
        let mut shallow = serde_json::Map::with_capacity(map.len());
        for (key, value) in map {
            let nested = match (key.as_str(), value) {
                ("items" | "not" | "additionalProperties", Value::Object(_)) => {
                    queue.push((value, push_pointer(&at, key)));
                    stub()
                }
                ("allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                    let base = push_pointer(&at, key);
                    queue.extend(list.iter().enumerate().map(|(i, c)| (c, push_pointer(&base, &i.to_string()))));
                    Value::Array(vec![stub(); list.len()])
                }
                ("properties", Value::Object(props)) => {
                    let base = push_pointer(&at, key);
                    queue.extend(props.iter().map(|(k, c)| (c, push_pointer(&base, k))));
                    Value::Object(props.keys().map(|k| (k.clone(), stub())).collect())
                }
                _ => value.clone(),
            };
            shallow.insert(key.clone(), nested);
        }
        // Read plainly first; the slower located read only when that fails.
        let shallow = Value::Object(shallow);
        if ReferenceOr::<Schema>::deserialize(&shallow).is_err() {
            typed::<ReferenceOr<Schema>>(&shallow, &at)?;
        }
    }
    Ok(())
}

/// The members of an object node, with their pointers.
pub(crate) fn each<'a>(node: Option<&'a Value>, base: &str) -> Vec<(&'a Value, String)> {
    node.and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (v, push_pointer(base, k))).collect())
        .unwrap_or_default()
}

/// The schemas of a `content` map.
pub(crate) fn media_schemas<'a>(content: Option<&'a Value>, base: &str) -> Vec<(&'a Value, String)> {
    each(content, base)
        .into_iter()
        .filter_map(|(m, at)| Some((m.get("schema")?, push_pointer(&at, "schema"))))
        .collect()
}

/// The schemas of a parameter or header.
pub(crate) fn parameter_schemas<'a>(p: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    let mut out: Vec<_> = p.get("schema").map(|s| (s, push_pointer(at, "schema"))).into_iter().collect();
    out.extend(media_schemas(p.get("content"), &push_pointer(at, "content")));
    out
}

/// The schemas of a response: its content and its headers.
pub(crate) fn response_schemas<'a>(r: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    let mut out = media_schemas(r.get("content"), &push_pointer(at, "content"));
    for (h, h_at) in each(r.get("headers"), &push_pointer(at, "headers")) {
        out.extend(parameter_schemas(h, &h_at));
    }
    out
}

/// `openapiv3` flattens extensions into most objects, which hides where
/// inside them a failure is. Retry the parts one level at a time and
/// report the deepest one that fails.
pub(crate) fn narrow(tree: &Value) -> Option<Error> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
    fn items<'a>(node: Option<&'a Value>, base: &str) -> Vec<(&'a Value, String)> {
        node.and_then(Value::as_array)
            .map(|a| a.iter().enumerate().map(|(i, v)| (v, push_pointer(base, &i.to_string()))).collect())
            .unwrap_or_default()
    }
    fn first<'a, T: serde::Deserialize<'a>>(nodes: Vec<(&'a Value, String)>) -> Option<Error> {
        nodes.into_iter().find_map(|(v, p)| typed::<T>(v, &p).err())
    }
    for (item, at) in each(tree.get("paths"), "/paths") {
        let Err(err) = typed::<ReferenceOr<PathItem>>(item, &at) else { continue };
        let deeper = items(item.get("parameters"), &push_pointer(&at, "parameters"));
        if let Some(e) = first::<ReferenceOr<Parameter>>(deeper) {
            return Some(e);
        }
        for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            let Some(op) = item.get(method) else { continue };
            let op_at = push_pointer(&at, method);
            let Err(op_err) = typed::<Operation>(op, &op_at) else { continue };
            let found =
                first::<ReferenceOr<Parameter>>(items(op.get("parameters"), &push_pointer(&op_at, "parameters")))
                    .or_else(|| {
                        op.get("requestBody").and_then(|b| {
                            typed::<ReferenceOr<RequestBody>>(b, &push_pointer(&op_at, "requestBody")).err()
                        })
                    })
                    .or_else(|| {
                        first::<ReferenceOr<Response>>(each(op.get("responses"), &push_pointer(&op_at, "responses")))
                    });
            return Some(found.unwrap_or(op_err));
        }
        return Some(err);
    }
    let components = tree.get("components");
    let section = |name: &str| each(components.and_then(|c| c.get(name)), &push_pointer("/components", name));
    first::<ReferenceOr<Schema>>(section("schemas"))
        .or_else(|| first::<ReferenceOr<Parameter>>(section("parameters")))
        .or_else(|| first::<ReferenceOr<RequestBody>>(section("requestBodies")))
        .or_else(|| first::<ReferenceOr<Response>>(section("responses")))
        .or_else(|| first::<ReferenceOr<SecurityScheme>>(section("securitySchemes")))
}

/// How deep the document may nest (Cloudflare's spec: 28). Deeper documents
/// are refused before typed deserialization, whose recursion could exhaust
/// the stack of a debug build (build scripts run those).
pub(crate) const MAX_TREE_DEPTH: usize = 64;

/// `serde_path_to_error`'s path as a JSON pointer.
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => push_pointer(&pointer, key),
            Segment::Enum { variant } => push_pointer(&pointer, variant),
            Segment::Unknown => pointer,
        };
    }
    pointer
}
