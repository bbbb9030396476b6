//! Reading a spec: YAML or JSON text → a JSON tree (where `$ref`s are
//! checked and the version is validated) → typed `openapiv3::OpenAPI`, with
//! every failure located by JSON pointer.

use crate::error::{append_pointer, push_pointer, Error, ErrorKind, Result, Warning, WarningKind};
use crate::normalize::{Relocations, Role};
use openapiv3::OpenAPI;
use serde_json::Value;

/// Parses spec text. JSON is detected by a leading `{`; anything else is YAML.
pub fn parse(text: &str) -> Result<OpenAPI> {
    parse_with_warnings(text).map(|(spec, _)| spec)
}

/// Parses spec text, with warnings for mistakes whose intent is clear and
/// which are tolerated (a boolean default written as a string, a lowercase
/// `4xx`, a malformed media type).
pub fn parse_with_warnings(text: &str) -> Result<(OpenAPI, Vec<Warning>)> {
    parse_located(text, &mut Default::default()).map(|(spec, warnings, _)| (spec, warnings))
}

/// [`parse_with_warnings`], also saying where the nodes that normalizing
/// moved or copied are in the spec, to translate later pointers with.
/// `upgraded` gets the time the 3.1 or 2.0 rewrite took.
pub(crate) fn parse_located(
    text: &str,
    upgraded: &mut std::time::Duration,
) -> Result<(OpenAPI, Vec<Warning>, Relocations)> {
    let mut tree = to_tree(text)?;
    let mut warnings = Vec::new();
    // Reading 3.1 or 2.0 moves nodes to where 3.0 has them; normalizing
    // moves more. Pointers are translated back through both.
    let start = std::time::Instant::now();
    let upgrade_moves = upgrade(&mut tree, &mut warnings)?;
    *upgraded = start.elapsed();
    let upgraded = Relocations { moved: Vec::new(), upgraded: upgrade_moves };
    let mut moves = crate::normalize::normalize(&mut tree, &mut warnings).map_err(|e| upgraded.locate(e))?;
    moves.upgraded = upgraded.upgraded;
    let mut schema_depth = 0;
    walk(&tree, &tree, &mut String::new(), Place::default(), &mut (&mut warnings, &mut schema_depth))
        .map_err(|e| moves.locate(e))?;
    for w in &mut warnings {
        w.pointer = moves.spec_pointer(&w.pointer);
    }
    let parallel = text.len() > PARALLEL_FROM;
    // Shallow schemas are read whole first: even when one is invalid that
    // is quick. Deep ones are checked one node at a time first, because
    // `openapiv3` re-reads a failing schema at every level it is nested in.
    if schema_depth > SHALLOW_SCHEMAS {
        check_schemas(&tree, parallel).map_err(|e| moves.locate(e))?;
    }
    // The tree is consumed as it is read (its strings move into the typed
    // document): the two never take their full memory at once.
    match typed_owned(tree, parallel) {
        Some(spec) => Ok((spec, warnings, moves)),
        None => {
            // Read again, slowly, to say where it fails.
            let mut tree = to_tree(text)?;
            upgrade(&mut tree, &mut Vec::new())?;
            crate::normalize::normalize(&mut tree, &mut Vec::new())?;
            check_schemas(&tree, parallel).map_err(|e| moves.locate(e))?;
            let err = match typed::<OpenAPI>(&tree, "") {
                Err(whole) => narrow(&tree).unwrap_or(whole),
                Ok(_) => Error::new(ErrorKind::Invalid, "", "the document could not be read"),
            };
            Err(moves.locate(err))
        }
    }
}

/// The typed document, read from the tree it consumes; paths and
/// components on threads of their own for a large document. `None` when
/// it does not read: the document is then read whole, slowly, to say where.
fn typed_owned(tree: Value, parallel: bool) -> Option<OpenAPI> {
    use serde::Deserialize;
    let Value::Object(mut map) = tree else { return None };
    let paths = map.remove("paths");
    let components = map.remove("components");
    map.insert("paths".to_string(), Value::Object(Default::default()));
    let (paths, (components, rest)) = join(
        parallel,
        move || paths.map(openapiv3::Paths::deserialize),
        move || {
            (components.map(Option::<openapiv3::Components>::deserialize), OpenAPI::deserialize(Value::Object(map)))
        },
    );
    let mut spec = rest.ok()?;
    if let Some(paths) = paths {
        spec.paths = paths.ok()?;
    }
    if let Some(components) = components {
        spec.components = components.ok()?;
    }
    Some(spec)
}

/// Schemas nested at most this deep are read whole before they are checked
/// one by one (Cloudflare's spec: 11; a failing schema 12 deep is read again
/// about 2.6¹² times less often than one 24 deep).
const SHALLOW_SCHEMAS: usize = 12;

/// Documents larger than this (in bytes of text) are checked and read on two
/// threads; smaller ones are done before a thread would have started.
pub(crate) const PARALLEL_FROM: usize = 256 * 1024;

/// Runs `a` and `b`, on two threads when `parallel`.
fn join<A: Send, B: Send>(parallel: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        (a, b.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Where a node sits: its depth, the key it is under and its parent's key,
/// and how many schemas it is nested in.
#[derive(Clone, Copy)]
struct Place<'a> {
    depth: usize,
    key: &'a str,
    parent_key: &'a str,
    schema_depth: usize,
    role: Role,
}

impl Default for Place<'_> {
    fn default() -> Self {
        Place { depth: 0, key: "", parent_key: "", schema_depth: 0, role: Role::Other }
    }
}

impl<'a> Place<'a> {
    fn child(&self, key: &'a str) -> Place<'a> {
        let role = self.role.child(key, self.key, self.parent_key);
        let nested = role == Role::Schema;
        Place {
            depth: self.depth + 1,
            key,
            parent_key: self.key,
            schema_depth: self.schema_depth + nested as usize,
            role,
        }
    }
}

/// One pass over the tree: every `$ref` must be local (`#/…`) and point at
/// an existing node, the document must not nest deeper than
/// [`MAX_TREE_DEPTH`], and tolerated mistakes become warnings (a default
/// that does not fit its type, a lower-case `4xx`, a malformed media type).
/// `out` collects warnings and the deepest schema nesting seen.
fn walk(
    root: &Value,
    node: &Value,
    pointer: &mut String,
    place: Place<'_>,
    out: &mut (&mut Vec<Warning>, &mut usize),
) -> Result<()> {
    *out.1 = (*out.1).max(place.schema_depth);
    if place.role == Role::Data {
        return Ok(()); // literal data: no keyword in it means anything
    }
    if place.depth > MAX_TREE_DEPTH {
        let message = format!("the document nests deeper than {MAX_TREE_DEPTH} levels here");
        return Err(Error::new(ErrorKind::Unsupported, pointer.clone(), message));
    }
    let warn = |out: &mut (&mut Vec<Warning>, &mut usize), kind, at: String, message: String| {
        out.0.push(Warning { kind, pointer: at, message })
    };
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                check_ref(root, reference, pointer)?;
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
                    warn(out, WarningKind::DefaultType, push_pointer(pointer, "default"), message);
                }
            }
            // A property named `content` is a schema, not a media-type map.
            let media_map = place.key == "content" && place.parent_key != "properties";
            for (key, value) in map {
                if place.key == "responses" && key.len() == 3 && key.ends_with("xx") {
                    let message =
                        format!("status range `{key}` should be upper case; read as `{}`", key.to_uppercase());
                    warn(out, WarningKind::StatusRangeCase, push_pointer(pointer, key), message);
                }
                if media_map && value.is_object() && !valid_media_type(key) {
                    let message = format!("`{key}` is not a valid media type name; kept as written");
                    warn(out, WarningKind::MediaType, push_pointer(pointer, key), message);
                }
                let len = pointer.len();
                append_pointer(pointer, key);
                walk(root, value, pointer, place.child(key), out)?;
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = pointer.len();
                let index = i.to_string();
                append_pointer(pointer, &index);
                walk(root, v, pointer, place.child(&index), out)?;
                pointer.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// A `$ref` (found in the object at `pointer`) must be local and resolve.
fn check_ref(root: &Value, reference: &str, pointer: &str) -> Result<()> {
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
fn valid_media_type(name: &str) -> bool {
    let essence = name.split(';').next().unwrap_or("").trim();
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-*".contains(&b));
    matches!(essence.split_once('/'), Some((t, sub)) if token(t) && token(sub))
}

/// Deserializes `node` (found at `pointer`) as `T`, locating any failure.
fn typed<'de, T: serde::Deserialize<'de>>(node: &'de Value, pointer: &str) -> Result<T> {
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
fn check_schemas(tree: &Value, parallel: bool) -> Result<()> {
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
fn check_each_schema(mut queue: Vec<(&Value, String)>) -> Result<()> {
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
fn each<'a>(node: Option<&'a Value>, base: &str) -> Vec<(&'a Value, String)> {
    node.and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (v, push_pointer(base, k))).collect())
        .unwrap_or_default()
}

/// The schemas of a `content` map.
fn media_schemas<'a>(content: Option<&'a Value>, base: &str) -> Vec<(&'a Value, String)> {
    each(content, base)
        .into_iter()
        .filter_map(|(m, at)| Some((m.get("schema")?, push_pointer(&at, "schema"))))
        .collect()
}

/// The schemas of a parameter or header.
fn parameter_schemas<'a>(p: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    let mut out: Vec<_> = p.get("schema").map(|s| (s, push_pointer(at, "schema"))).into_iter().collect();
    out.extend(media_schemas(p.get("content"), &push_pointer(at, "content")));
    out
}

/// The schemas of a response: its content and its headers.
fn response_schemas<'a>(r: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    let mut out = media_schemas(r.get("content"), &push_pointer(at, "content"));
    for (h, h_at) in each(r.get("headers"), &push_pointer(at, "headers")) {
        out.extend(parameter_schemas(h, &h_at));
    }
    out
}

/// `openapiv3` flattens extensions into most objects, which hides where
/// inside them a failure is. Retry the parts one level at a time and
/// report the deepest one that fails.
fn narrow(tree: &Value) -> Option<Error> {
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

/// The document as a JSON tree, YAML or JSON, numbers of any size kept (the
/// first step of [`parse`]; the generation benchmark's floor for 3.1).
pub fn to_tree(text: &str) -> Result<Value> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "", format!("invalid JSON: {e}"));
            err.location = Some((e.line(), e.column()));
            err
        });
    }
    serde_yaml::Deserializer::from_str(text)
        .next()
        .map_or(Ok(Value::Null), |doc| serde::de::DeserializeSeed::deserialize(YamlToJson, doc))
        .map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "", format!("invalid YAML: {e}"));
            err.location = e.location().map(|l| (l.line(), l.column()));
            err
        })
}

/// Reads YAML straight into a JSON tree, as OpenAPI means it: mapping keys
/// are strings (`200:` is `"200"`), merge keys (`<<`) are applied, tags are
/// dropped, and integers beyond 64 bits are read as floats (the normalizing
/// pass warns where that matters).
struct YamlToJson;

impl<'de> serde::de::DeserializeSeed<'de> for YamlToJson {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for YamlToJson {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(YamlToJson)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merges = Vec::new();
        while let Some(key) = map.next_key_seed(YamlToJson)? {
            let value = map.next_value_seed(YamlToJson)?;
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                _ => return Err(serde::de::Error::custom("mapping keys must be scalars")),
            };
            if key == "<<" {
                merges.push(value);
            } else {
                out.insert(key, value);
            }
        }
        // Merged mappings fill in the keys the mapping does not set itself.
        for merged in merges {
            let list = match merged {
                Value::Array(list) => list,
                other => vec![other],
            };
            for source in list {
                let Value::Object(source) = source else {
                    return Err(serde::de::Error::custom("a merge key (<<) must name a mapping"));
                };
                for (k, v) in source {
                    out.entry(k).or_insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> std::result::Result<Value, A::Error> {
        // A tagged value (`!tag value`): the value.
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<String>()?;
        variant.newtype_variant_seed(YamlToJson)
    }
}

/// A float as JSON; a non-finite one (`.inf`) has no JSON form and is `null`.
fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Brings a 3.1 or Swagger 2.0 document into the 3.0 model (see
/// `crate::openapi31` and `crate::swagger2`); refuses other versions.
/// Returns where moved nodes came from.
fn upgrade(tree: &mut Value, warnings: &mut Vec<Warning>) -> Result<Vec<(String, String)>> {
    if let Some(version) = tree.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(crate::swagger2::upgrade(tree, warnings)),
            _ => Err(Error::new(
                ErrorKind::Unsupported,
                "/swagger",
                format!("Swagger {version} is not supported: sdkgen reads 2.0"),
            )),
        };
    }
    match tree.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(Vec::new()),
        Some(v) if v.starts_with("3.1") => Ok(crate::openapi31::upgrade(tree, warnings)),
        Some(v) => Err(Error::new(
            ErrorKind::Unsupported,
            "/openapi",
            format!("OpenAPI {v} is not supported: sdkgen reads 3.0, 3.1 and Swagger 2.0"),
        )),
        None if tree.is_object() => Err(Error::new(ErrorKind::Invalid, "", "missing `openapi` version field")),
        None => Err(Error::new(ErrorKind::Invalid, "", "the document is not a mapping")),
    }
}

/// How deep the document may nest (Cloudflare's spec: 28). Deeper documents
/// are refused before typed deserialization, whose recursion could exhaust
/// the stack of a debug build (build scripts run those).
const MAX_TREE_DEPTH: usize = 64;

/// `$ref` fragments may be percent-encoded (`%7B` for `{`).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `serde_path_to_error`'s path as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let spec = parse(&format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
        ))
        .unwrap();
        assert_eq!(spec.paths.paths.len(), 1);
    }

    #[test]
    fn dangling_ref_is_located() {
        let err = parse(&format!(
            "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {{$ref: '#/components/schemas/Nope'}}\n"
        ))
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::DanglingRef);
        assert_eq!(err.pointer, "/components/schemas/A/properties/b/$ref");
    }

    #[test]
    fn external_refs_and_versions_are_unsupported() {
        let err = parse(&format!("{HEADER}paths: {{}}\nx: {{$ref: 'other.yaml#/A'}}\n")).unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/x/$ref"));
        let err = parse("openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/openapi"));
        let err = parse("swagger: '1.2'\n").unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/swagger"));
        // 3.1 and 2.0 are read (see `openapi31` and `swagger2`).
        assert!(parse("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n").is_ok());
        assert!(parse("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n").is_ok());
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let err = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert!(err.location.is_some());
        let err = parse("{\"openapi\": }").unwrap_err();
        assert_eq!(err.location, Some((1, 13)));
    }

    #[test]
    fn tolerated_mistakes_are_warnings() {
        let (_, warnings) = parse_with_warnings(&format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        4xx:\n          description: no\n          content:\n            'application json': {{schema: {{type: boolean, default: 'true'}}}}\ncomponents:\n  schemas:\n    S: {{properties: {{content: {{properties: {{items: {{type: string}}}}}}}}}}\n"
        ))
        .unwrap();
        let kinds: Vec<_> = warnings.iter().map(|w| (w.kind, w.pointer.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (WarningKind::StatusRangeCase, "/paths/~1a/get/responses/4xx"),
                (WarningKind::MediaType, "/paths/~1a/get/responses/4xx/content/application json"),
                (WarningKind::DefaultType, "/paths/~1a/get/responses/4xx/content/application json/schema/default"),
            ]
        );
        assert!(valid_media_type("application/vnd.api+json; charset=utf-8") && !valid_media_type("json"));
    }

    #[test]
    fn shape_errors_carry_the_pointer() {
        let err = parse(&format!("{HEADER}paths:\n  /a:\n    get:\n      parameters: 7\n      responses: {{}}\n"))
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert_eq!(err.pointer, "/paths/~1a/get/parameters");
        assert_eq!(percent_decode("/a%7Bb%7D"), "/a{b}");
    }
}
