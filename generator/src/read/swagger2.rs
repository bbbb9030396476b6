//! Swagger 2.0 read by converting it into the OpenAPI 3.0 model, on the
//! JSON tree, before anything else looks at it:
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | `servers` (https preferred) |
//! | `definitions`, `parameters`, `responses`, `securityDefinitions` | `components/…` (`$ref`s rewritten) |
//! | a `body` parameter | `requestBody`, one media type per `consumes` |
//! | `formData` parameters | a form `requestBody` (multipart when `consumes` says so or a parameter is a `file`) |
//! | `type`, `format`, `items`, `enum`, … of a parameter | its `schema` |
//! | `collectionFormat` | `style` and `explode` (`csv`, `ssv`, `pipes`, `multi`) |
//! | a response's `schema` and `examples` | `content` per `produces` |
//! | `x-nullable` | `nullable` |
//! | `type: file` | `type: string, format: binary` |
//! | `basic`, `apiKey`, `oauth2` security | `http`/`basic`, `apiKey`, `oauth2` with its flow |

use crate::error::{Warning, WarningKind};
use crate::pointer::push_pointer;
use serde_json::{json, Map, Value};

/// Rewrites a Swagger 2.0 document in place into OpenAPI 3.0. Returns where
/// moved nodes came from: (pointer now, pointer in the spec).
pub(super) fn upgrade(tree: &mut Value, warnings: &mut Vec<Warning>) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    let Some(root) = tree.as_object_mut() else { return moves };
    root.remove("swagger");
    root.insert("openapi".into(), json!("3.0.3"));
    let consumes = strings(root.remove("consumes"));
    let produces = strings(root.remove("produces"));
    // Servers.
    let host = root.remove("host").and_then(|h| h.as_str().map(str::to_string));
    let base = root.remove("basePath").and_then(|b| b.as_str().map(str::to_string)).unwrap_or_default();
    let schemes = strings(root.remove("schemes"));
    let scheme = if schemes.is_empty() || schemes.iter().any(|s| s == "https") { "https" } else { &schemes[0] };
    let url = match host {
        Some(host) => format!("{scheme}://{host}{}", base.trim_end_matches('/')),
        None => base.trim_end_matches('/').to_string(),
    };
    if !url.is_empty() {
        root.insert("servers".into(), json!([{ "url": url }]));
    }
    // Components.
    let mut components = Map::new();
    if let Some(definitions) = root.remove("definitions") {
        components.insert("schemas".into(), definitions);
        moves.push(("/components/schemas".into(), "/definitions".into()));
    }
    let mut body_params = std::collections::BTreeSet::new();
    if let Some(Value::Object(parameters)) = root.remove("parameters") {
        let mut params = Map::new();
        let mut bodies = Map::new();
        for (name, p) in parameters {
            let at = push_pointer("/parameters", &name);
            if p.get("in").and_then(Value::as_str) == Some("body") {
                body_params.insert(name.clone());
                body_moves(&push_pointer("/components/requestBodies", &name), &at, &consumes, &mut moves);
                bodies.insert(name, request_body(p, &consumes));
            } else if p.get("in").and_then(Value::as_str) == Some("formData") {
                warnings.push(Warning::new(
                    WarningKind::SchemaKeyword,
                    at,
                    "a shared formData parameter is read where an operation uses it",
                ));
                params.insert(name, p);
            } else {
                let now = push_pointer("/components/parameters", &name);
                moves.push((push_pointer(&now, "schema"), at.clone()));
                moves.push((now, at.clone()));
                params.insert(name, parameter(p, warnings, &at));
            }
        }
        components.insert("parameters".into(), Value::Object(params));
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
    if let Some(Value::Object(responses)) = root.remove("responses") {
        for name in responses.keys() {
            response_moves(
                &push_pointer("/components/responses", name),
                &push_pointer("/responses", name),
                &produces,
                &mut moves,
            );
        }
        let converted: Map<String, Value> =
            responses.into_iter().map(|(name, r)| (name, response(r, &produces))).collect();
        components.insert("responses".into(), Value::Object(converted));
        moves.push(("/components/responses".into(), "/responses".into()));
    }
    if let Some(Value::Object(schemes)) = root.remove("securityDefinitions") {
        let converted: Map<String, Value> = schemes.into_iter().map(|(name, s)| (name, security(s))).collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
        moves.push(("/components/securitySchemes".into(), "/securityDefinitions".into()));
    }
    // Operations. Shared formData parameters are inlined where used (3.0 has no form parameters).
    let form_params = components.get("parameters").cloned().unwrap_or_default();
    let shared = Shared { consumes, produces, body_params, form_params };
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            let item_at = push_pointer("/paths", path);
            // Path-level parameters go to each operation (a body one cannot stay on the item).
            let inherited: Vec<(Value, String)> = match item.remove("parameters") {
                Some(Value::Array(list)) => list
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| (p, push_pointer(&push_pointer(&item_at, "parameters"), &i.to_string())))
                    .collect(),
                _ => Vec::new(),
            };
            for (method, op) in item.iter_mut().filter(|(k, _)| is_method(k)) {
                if let Value::Object(op) = op {
                    operation(op, &push_pointer(&item_at, method), &inherited, &shared, warnings, &mut moves);
                }
            }
        }
    }
    // Shared formData parameters were inlined where used: 3.0 has no place for them.
    if let Some(Value::Object(params)) = components.get_mut("parameters") {
        params.retain(|_, p| p.get("in") != Some(&json!("formData")));
    }
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    // `$ref`s and schema keywords, now that everything is where 3.0 has it.
    rewrite_refs(tree);
    super::tree::for_each_schema(tree, &mut |schema, pointer| schema_to_30(schema, pointer, &mut moves));
    moves
}

/// Where a body parameter's parts land in its request body.
fn body_moves(body: &str, param: &str, consumes: &[String], moves: &mut Vec<(String, String)>) {
    for media in json_first(consumes) {
        let now = push_pointer(&push_pointer(&push_pointer(body, "content"), media), "schema");
        moves.push((now, push_pointer(param, "schema")));
    }
    moves.push((body.to_string(), param.to_string()));
}

/// Where a response's `schema` and `examples` land in its `content`.
fn response_moves(now: &str, spec: &str, produces: &[String], moves: &mut Vec<(String, String)>) {
    for media in json_first(produces) {
        let content = push_pointer(&push_pointer(now, "content"), media);
        moves.push((push_pointer(&content, "schema"), push_pointer(spec, "schema")));
        moves.push((push_pointer(&content, "example"), push_pointer(&push_pointer(spec, "examples"), media)));
    }
}

/// What the whole document says that each operation needs.
struct Shared {
    /// Default media types of request and response bodies.
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Names of the shared `body` parameters (now `components/requestBodies`).
    body_params: std::collections::BTreeSet<String>,
    /// The shared parameters, to inline the `formData` ones where used.
    form_params: Value,
}

/// One operation, 2.0 → 3.0: its parameters (and the path's, `inherited`,
/// with their pointers) split into parameters, a body or a form; its
/// responses given content.
fn operation(
    op: &mut Map<String, Value>,
    at: &str,
    inherited: &[(Value, String)],
    shared: &Shared,
    warnings: &mut Vec<Warning>,
    moves: &mut Vec<(String, String)>,
) {
    let consumes = op.remove("consumes").map(|c| strings(Some(c))).unwrap_or_else(|| shared.consumes.clone());
    let produces = op.remove("produces").map(|p| strings(Some(p))).unwrap_or_else(|| shared.produces.clone());
    let own: Vec<Value> = match op.remove("parameters") {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    let mut all: Vec<(Value, String)> =
        inherited.iter().filter(|(p, _)| !own.iter().any(|o| same_param(o, p))).cloned().collect();
    for (i, p) in own.into_iter().enumerate() {
        all.push((p, push_pointer(&push_pointer(at, "parameters"), &i.to_string())));
    }
    let mut params = Vec::new();
    let mut form: Vec<(Value, String)> = Vec::new();
    for (p, p_at) in all {
        // A `$ref` to a shared body or form parameter.
        let target = p.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/parameters/"));
        if let Some(name) = target.map(crate::pointer::percent_decode) {
            if shared.body_params.contains(&name) {
                moves.push((push_pointer(at, "requestBody"), p_at));
                op.insert("requestBody".into(), json!({ "$ref": format!("#/components/requestBodies/{name}") }));
            } else if let Some(field) =
                shared.form_params.get(&name).filter(|f| f.get("in") == Some(&json!("formData")))
            {
                form.push((field.clone(), p_at));
            } else {
                moves.push((push_pointer(&push_pointer(at, "parameters"), &params.len().to_string()), p_at));
                params.push(json!({ "$ref": format!("#/components/parameters/{name}") }));
            }
            continue;
        }
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                body_moves(&push_pointer(at, "requestBody"), &p_at, &consumes, moves);
                op.insert("requestBody".into(), request_body(p, &consumes));
            }
            Some("formData") => form.push((p, p_at)),
            _ => {
                let now = push_pointer(&push_pointer(at, "parameters"), &params.len().to_string());
                moves.push((push_pointer(&now, "schema"), p_at.clone()));
                moves.push((now, p_at.clone()));
                params.push(parameter(p, warnings, &p_at));
            }
        }
    }
    if !form.is_empty() {
        op.insert("requestBody".into(), form_body(form, &consumes, at, moves));
    }
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(Value::Object(responses)) = op.remove("responses") {
        for code in responses.keys() {
            let here = push_pointer(&push_pointer(at, "responses"), code);
            response_moves(&here, &here, &produces, moves);
        }
        let converted: Map<String, Value> =
            responses.into_iter().map(|(code, r)| (code, response(r, &produces))).collect();
        op.insert("responses".into(), Value::Object(converted));
    }
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "post" | "delete" | "options" | "head" | "patch")
}

fn strings(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// Whether two parameters are the same one (an operation's overrides the path's).
fn same_param(a: &Value, b: &Value) -> bool {
    match (a.get("$ref"), b.get("$ref")) {
        (Some(x), Some(y)) => x == y,
        _ => a.get("name").is_some() && a.get("name") == b.get("name") && a.get("in") == b.get("in"),
    }
}

/// The schema of a non-body parameter or a form field: its type keywords.
fn param_schema(p: &mut Map<String, Value>) -> Value {
    const KEYWORDS: &[&str] = &[
        "type",
        "format",
        "items",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "enum",
        "multipleOf",
        "x-nullable",
    ];
    let mut schema = Map::new();
    for key in KEYWORDS {
        if let Some(v) = p.remove(*key) {
            schema.insert(key.to_string(), v);
        }
    }
    Value::Object(schema)
}

/// A query, header or path parameter, 3.0 style.
fn parameter(p: Value, warnings: &mut Vec<Warning>, at: &str) -> Value {
    let Value::Object(mut p) = p else { return p };
    if p.contains_key("$ref") {
        return Value::Object(p);
    }
    let location = p.get("in").and_then(Value::as_str).unwrap_or("query").to_string();
    let format = p.remove("collectionFormat").and_then(|f| f.as_str().map(str::to_string));
    let schema = param_schema(&mut p);
    let is_array = schema.get("type") == Some(&json!("array"));
    p.insert("schema".into(), schema);
    if is_array {
        let (style, explode) = match (format.as_deref().unwrap_or("csv"), location.as_str()) {
            ("multi", _) => ("form", true),
            ("ssv", _) => ("spaceDelimited", false),
            ("pipes", _) => ("pipeDelimited", false),
            ("tsv", _) => {
                warnings.push(Warning::new(
                    WarningKind::SchemaKeyword,
                    push_pointer(at, "collectionFormat"),
                    "`tsv` has no OpenAPI 3 style: written comma-separated",
                ));
                ("form", false)
            }
            (_, "path" | "header") => ("simple", false),
            _ => ("form", false),
        };
        p.insert("style".into(), json!(style));
        p.insert("explode".into(), json!(explode));
    }
    Value::Object(p)
}

/// A `body` parameter as a request body, one media type per `consumes`.
fn request_body(p: Value, consumes: &[String]) -> Value {
    let schema = p.get("schema").cloned().unwrap_or(json!({}));
    let media: Vec<&str> = json_first(consumes);
    let content: Map<String, Value> = media.iter().map(|m| (m.to_string(), json!({ "schema": schema }))).collect();
    let mut body = json!({ "content": content });
    if let Some(d) = p.get("description") {
        body["description"] = d.clone();
    }
    if p.get("required") == Some(&json!(true)) {
        body["required"] = json!(true);
    }
    body
}

/// The media types to use: the ones given (JSON first), else JSON.
fn json_first(types: &[String]) -> Vec<&str> {
    let mut media: Vec<&str> = types.iter().map(String::as_str).filter(|m| !m.contains("form")).collect();
    media.sort_by_key(|m| !m.contains("json"));
    if media.is_empty() {
        media.push("application/json");
    }
    media
}

/// `formData` parameters as one form request body.
fn form_body(fields: Vec<(Value, String)>, consumes: &[String], at: &str, moves: &mut Vec<(String, String)>) -> Value {
    let multipart = consumes.iter().any(|c| c.starts_with("multipart/"))
        || fields.iter().any(|(f, _)| f.get("type") == Some(&json!("file")));
    let media = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    let schema_at = [at, "requestBody", "content", media, "schema", "properties"]
        .iter()
        .skip(1)
        .fold(at.to_string(), |p, key| push_pointer(&p, key));
    for (field, field_at) in fields {
        let Value::Object(mut field) = field else { continue };
        let Some(name) = field.get("name").and_then(Value::as_str).map(str::to_string) else { continue };
        if field.get("required") == Some(&json!(true)) {
            required.push(json!(name));
        }
        let format = field.remove("collectionFormat").and_then(|f| f.as_str().map(str::to_string));
        let mut schema = param_schema(&mut field);
        if let Some(d) = field.get("description") {
            schema["description"] = d.clone();
        }
        if schema.get("type") == Some(&json!("array")) && !multipart {
            let explode = format.as_deref() == Some("multi");
            let style = match format.as_deref() {
                Some("ssv") => "spaceDelimited",
                Some("pipes") => "pipeDelimited",
                _ => "form",
            };
            encoding.insert(name.clone(), json!({ "style": style, "explode": explode }));
        }
        moves.push((push_pointer(&schema_at, &name), field_at));
        properties.insert(name, schema);
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mut media_type = json!({ "schema": schema });
    if !encoding.is_empty() {
        media_type["encoding"] = Value::Object(encoding);
    }
    json!({ "content": { media: media_type } })
}

/// A response: its `schema` and `examples` as `content` per `produces`.
fn response(r: Value, produces: &[String]) -> Value {
    let Value::Object(mut r) = r else { return r };
    if r.contains_key("$ref") {
        return Value::Object(r);
    }
    let schema = r.remove("schema");
    let examples = r.remove("examples");
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        for header in headers.values_mut() {
            if let Value::Object(h) = header {
                let schema = param_schema(h);
                h.insert("schema".into(), schema);
            }
        }
    }
    if let Some(schema) = schema {
        let mut content = Map::new();
        for media in json_first(produces) {
            let mut media_type = json!({ "schema": schema });
            if let Some(example) = examples.as_ref().and_then(|e| e.get(media)) {
                media_type["example"] = example.clone();
            }
            content.insert(media.to_string(), media_type);
        }
        r.insert("content".into(), Value::Object(content));
    }
    r.entry("description").or_insert(json!(""));
    Value::Object(r)
}

/// A security definition as a 3.0 security scheme.
fn security(s: Value) -> Value {
    let Value::Object(mut s) = s else { return s };
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => {
            s.insert("type".into(), json!("http"));
            s.insert("scheme".into(), json!("basic"));
        }
        Some("oauth2") => {
            let flow = s.remove("flow").and_then(|f| f.as_str().map(str::to_string)).unwrap_or_default();
            let mut details = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(v) = s.remove(key) {
                    details.insert(key.into(), v);
                }
            }
            details.insert("scopes".into(), s.remove("scopes").unwrap_or(json!({})));
            let name = match flow.as_str() {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                _ => "authorizationCode",
            };
            s.insert("flows".into(), json!({ name: details }));
        }
        _ => {}
    }
    Value::Object(s)
}

/// `$ref`s to 2.0's sections, pointed at 3.0's.
fn rewrite_refs(tree: &mut Value) {
    super::tree::walk_objects(tree, &mut |map, _| {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            for (from, to) in [
                ("#/definitions/", "#/components/schemas/"),
                ("#/parameters/", "#/components/parameters/"),
                ("#/responses/", "#/components/responses/"),
            ] {
                if let Some(rest) = r.strip_prefix(from) {
                    *r = format!("{to}{rest}");
                    break;
                }
            }
        }
    });
}

/// 2.0's schema extensions in their 3.0 spelling (and `type` lists, which
/// real 2.0 documents borrow from JSON Schema: Slack's `["string", "null"]`).
fn schema_to_30(schema: &mut Map<String, Value>, pointer: &str, moves: &mut Vec<(String, String)>) {
    super::openapi31::types_to_30(schema, pointer, moves);
    // Draft 4's list of `items` (Slack's): read as any of them, as swagger2openapi does.
    if let Some(Value::Array(items)) = schema.get_mut("items") {
        moves.push((push_pointer(&push_pointer(pointer, "items"), "anyOf"), push_pointer(pointer, "items")));
        let any_of = std::mem::take(items);
        schema.insert("items".into(), json!({ "anyOf": any_of }));
    }
    if let Some(nullable) = schema.remove("x-nullable") {
        schema.insert("nullable".into(), nullable);
    }
    if schema.get("type") == Some(&json!("file")) {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = schema.get("discriminator") {
        let property = property.clone();
        schema.insert("discriminator".into(), json!({ "propertyName": property }));
    }
}
