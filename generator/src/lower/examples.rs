//! The spec's documented examples, as tests of the generated types.
//!
//! Every JSON example of a request body, a success response or an error
//! response (a media type's `example` and `examples`, or the body schema's
//! own `example`) is checked against its schema here first. An example that
//! contradicts its schema is the spec's error: a warning naming its pointer,
//! and it is left out of the tests. The rest must decode into the type the
//! SDK gives that body and encode back to the same JSON: the generated crate's
//! `tests/examples.rs` (see `emit::examples`) checks it, with one test per
//! top-level resource so each runs under its cargo feature.

use crate::error::{Warning, WarningKind};
use crate::ir::{Api, Body, Operation, Response, TypeRef};
use crate::lower::{local, pick_media, success_response};
use crate::pointer::push_pointer;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashSet};

/// One example to check: where it is, the type it must decode into, the JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Example {
    /// The example's JSON pointer in the spec.
    pub pointer: String,
    /// The type of the body.
    pub ty: TypeRef,
    /// Whether the type is the `result` of a `{success, errors, messages, result}` envelope.
    pub enveloped: bool,
    /// The example.
    pub value: Value,
    /// The operation's top-level resource (its cargo feature).
    pub resource: String,
}

/// The type a body decodes into, and whether it is an envelope's `result`.
type BodyType = (TypeRef, bool);

/// What [`collect`] found.
#[derive(Debug, Default)]
pub(crate) struct Examples {
    /// Examples that hold to their schema, to test.
    pub checked: Vec<Example>,
    /// Examples that contradict their schema (each also a warning).
    pub spec_errors: usize,
    /// Examples of bodies the SDK gives no type of their own (fields flattened into params).
    pub untyped: usize,
    /// Per operation (its index), the first valid example of the success response its
    /// method returns: the status and the JSON.
    pub answers: BTreeMap<usize, (u16, Value)>,
}

/// The examples of every operation of `api`, read from `spec`. Without `tests`, only the
/// answers are looked for (the mock's): no other example is read, checked or kept.
pub(crate) fn collect(spec: &OpenAPI, api: &Api, tests: bool) -> (Examples, Vec<Warning>) {
    let mut found = Examples::default();
    let mut warnings = Vec::new();
    // A component's example under many operations is checked once.
    let mut seen = HashSet::new();
    let component_type: BTreeMap<&str, &str> =
        api.types.iter().filter_map(|t| Some((t.component.as_deref()?, t.name.as_str()))).collect();
    // Whether each example seen was valid, for the operations that share it.
    let mut valid: BTreeMap<String, bool> = BTreeMap::new();
    for (index, op) in api.operations.iter().enumerate() {
        let Some(spec_op) =
            spec.paths.paths.get(&op.path).and_then(ReferenceOr::as_item).and_then(|item| {
                item.iter().find(|(method, _)| method.eq_ignore_ascii_case(&op.method)).map(|(_, o)| o)
            })
        else {
            continue;
        };
        let pointer = push_pointer(&push_pointer("/paths", &op.path), &op.method.to_ascii_lowercase());
        // The success answered, when the method returns JSON: its status.
        let mut answer: Option<(String, u16)> = None;
        let mut bodies: Vec<(String, Option<BodyType>, &MediaType)> = Vec::new();
        let body_at = push_pointer(&pointer, "requestBody");
        let bodies_section = spec.components.as_ref().map(|c| &c.request_bodies);
        let body = spec_op.request_body.as_ref().and_then(|b| local(b, "requestBodies", bodies_section, &body_at).ok());
        if let Some((body, at)) = body {
            if let Some((media, content)) = pick_media(&body.content) {
                let at = push_pointer(&push_pointer(&at, "content"), media);
                bodies.push((at, body_type(op, content, &component_type), content));
            }
        }
        // The success response the method returns; other successes have no type here.
        let returned = success_response(&spec_op.responses).map(|(code, _)| code);
        let responses_section = spec.components.as_ref().map(|c| &c.responses);
        let responses = spec_op.responses.responses.iter().map(|(code, r)| (Some(code), r));
        for (code, response) in responses.chain(spec_op.responses.default.iter().map(|r| (None, r))) {
            let status = code.map_or_else(|| "default".to_string(), ToString::to_string);
            let at = push_pointer(&push_pointer(&pointer, "responses"), &status);
            let Some((response, at)) = local(response, "responses", responses_section, &at).ok() else { continue };
            let Some((media, content)) = pick_media(&response.content) else { continue };
            let ty = match code {
                Some(c) if Some(c) == returned => match &op.response {
                    Response::Json { ty, enveloped, .. } => Some((ty.clone(), *enveloped)),
                    _ => None,
                },
                Some(StatusCode::Code(200..=299) | StatusCode::Range(2)) => None,
                _ => op.errors.iter().find(|e| e.status == status).map(|e| (e.ty.clone(), false)),
            };
            let at = push_pointer(&push_pointer(&at, "content"), media);
            if let (Some(StatusCode::Code(status)), Response::Json { .. }) =
                (code.filter(|c| Some(*c) == returned), &op.response)
            {
                answer = Some((at.clone(), *status));
            }
            bodies.push((at, ty, content));
        }
        for (at, ty, content) in bodies {
            let answers = answer.as_ref().filter(|(answer_at, _)| *answer_at == at).map(|(_, status)| *status);
            if !tests && answers.is_none() {
                continue;
            }
            for (example_at, value) in media_examples(spec, content, &at) {
                let answered = |value: &Value, found: &mut Examples| {
                    if let Some(status) = answers {
                        found.answers.entry(index).or_insert_with(|| (status, value.clone()));
                    }
                };
                if !seen.insert(example_at.clone()) {
                    if valid.get(&example_at) == Some(&true) {
                        answered(&unquote(spec, content.schema.as_ref(), value), &mut found);
                    }
                    continue;
                }
                let Some((ty, enveloped)) = ty.clone() else {
                    found.untyped += 1;
                    continue;
                };
                let schema = content.schema.as_ref();
                let value = unquote(spec, schema, value);
                let problem = schema.and_then(|s| Validator { spec, depth: 0 }.check(s, &value, ""));
                valid.insert(example_at.clone(), problem.is_none());
                if problem.is_none() {
                    answered(&value, &mut found);
                }
                if let Some(problem) = problem {
                    found.spec_errors += 1;
                    warnings.push(Warning::new(
                        WarningKind::ExampleInvalid,
                        example_at,
                        format!("the example contradicts its schema{problem}: left out of the example tests"),
                    ));
                    continue;
                }
                if tests {
                    let resource = op.resource[0].clone();
                    found.checked.push(Example { pointer: example_at, ty, enveloped, value, resource });
                }
            }
        }
    }
    (found, warnings)
}

/// The type a body's example decodes into, when the SDK has one.
fn body_type(op: &Operation, content: &MediaType, component_type: &BTreeMap<&str, &str>) -> Option<BodyType> {
    match &op.body {
        Some(Body::Json { ty, .. }) => Some((ty.clone(), false)),
        // Fields flattened into the params struct: typed only when the body is a component.
        Some(Body::Fields { .. }) => {
            let ReferenceOr::Reference { reference } = content.schema.as_ref()? else { return None };
            let name = reference.strip_prefix("#/components/schemas/")?;
            Some((TypeRef::Named(component_type.get(name)?.to_string()), false))
        }
        _ => None,
    }
}

/// A media type's examples with their pointers: `example`, each of
/// `examples` (a `$ref` to `components/examples` followed), else the body
/// schema's own `example`.
fn media_examples(spec: &OpenAPI, content: &MediaType, at: &str) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(value) = &content.example {
        found.push((push_pointer(at, "example"), value.clone()));
    }
    for (name, example) in &content.examples {
        let (example, example_at) = match example {
            ReferenceOr::Item(example) => (Some(example), push_pointer(&push_pointer(at, "examples"), name)),
            ReferenceOr::Reference { reference } => match reference.strip_prefix("#/components/examples/") {
                Some(n) => (
                    spec.components.as_ref().and_then(|c| c.examples.get(n)?.as_item()),
                    push_pointer("/components/examples", n),
                ),
                None => (None, String::new()),
            },
        };
        if let Some(value) = example.and_then(|e| e.value.clone()) {
            found.push((push_pointer(&example_at, "value"), value));
        }
    }
    if found.is_empty() {
        let schema =
            content.schema.as_ref().and_then(|s| local(s, "schemas", schemas(spec), &push_pointer(at, "schema")).ok());
        if let Some((schema, pointer)) = schema {
            if let Some(value) = &schema.schema_data.example {
                found.push((push_pointer(&pointer, "example"), value.clone()));
            }
        }
    }
    found
}

/// Checks a value against an OpenAPI 3.0 schema, as far as the SDK's
/// types depend on it: types, required properties, nulls, enums, formats
/// that decode into a Rust type of their own.
struct Validator<'a> {
    spec: &'a OpenAPI,
    depth: usize,
}

impl Validator<'_> {
    /// `None` when `value` holds to `schema`; else where and why not.
    fn check<S: Borrow<Schema>>(&mut self, schema: &ReferenceOr<S>, value: &Value, at: &str) -> Option<String> {
        if self.depth > 64 {
            return None;
        }
        let schema: &Schema = match schema {
            ReferenceOr::Item(schema) => schema.borrow(),
            ReferenceOr::Reference { reference } => {
                schemas(self.spec)?.get(reference.strip_prefix("#/components/schemas/")?)?.as_item()?
            }
        };
        self.depth += 1;
        let problem = self.check_schema(schema, value, at);
        self.depth -= 1;
        problem
    }

    fn check_schema(&mut self, schema: &Schema, value: &Value, at: &str) -> Option<String> {
        let fail = |why: String| Some(format!(" at `{}`: {why}", if at.is_empty() { "/" } else { at }));
        if value.is_null() {
            let nullable = schema.schema_data.nullable || self.enum_has_null(schema) || is_free(schema);
            return if nullable { None } else { fail("null where the schema is not nullable".into()) };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let Value::String(text) = value else {
                    return fail(format!("{} where a string is expected", kind(value)));
                };
                let listed: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                if !listed.is_empty() && !listed.contains(&text.as_str()) {
                    return fail(format!("`{text}` is not one of the enum values"));
                }
                if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)) && !is_date_time(text) {
                    return fail(format!("`{text}` is not an RFC 3339 date-time"));
                }
                None
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let fits = match i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        value.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
                    }
                    _ => value.as_i64().is_some(),
                };
                if fits {
                    None
                } else {
                    fail(format!("{} where a {} integer is expected", kind(value), bits(i)))
                }
            }
            SchemaKind::Type(Type::Number(_)) => {
                if value.is_number() {
                    None
                } else {
                    fail(format!("{} where a number is expected", kind(value)))
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => {
                if value.is_boolean() {
                    None
                } else {
                    fail(format!("{} where a boolean is expected", kind(value)))
                }
            }
            SchemaKind::Type(Type::Array(a)) => {
                let Value::Array(items) = value else {
                    return fail(format!("{} where an array is expected", kind(value)));
                };
                let schema = a.items.as_ref()?;
                items.iter().enumerate().find_map(|(i, item)| self.check(schema, item, &format!("{at}/{i}")))
            }
            SchemaKind::Type(Type::Object(o)) => {
                let Value::Object(map) = value else {
                    return fail(format!("{} where an object is expected", kind(value)));
                };
                self.object(map, &o.properties, &o.required, o.additional_properties.as_ref(), at)
            }
            // Keywords without a `type` (`properties` alone, `allOf` beside
            // `type: object`): each checked as lowering reads it.
            SchemaKind::Any(any) => {
                let expected = any.typ.as_deref().or_else(|| {
                    if !any.properties.is_empty() || !any.required.is_empty() {
                        Some("object")
                    } else {
                        any.items.as_ref().map(|_| "array")
                    }
                });
                let matches = match expected {
                    Some("object") => value.is_object(),
                    Some("array") => value.is_array(),
                    Some("string") => value.is_string(),
                    Some("integer") => value.is_i64() || value.is_u64(),
                    Some("number") => value.is_number(),
                    Some("boolean") => value.is_boolean(),
                    _ => true,
                };
                if !matches {
                    return fail(format!("{} where {} is expected", kind(value), expected.unwrap_or("a value")));
                }
                if !any.enumeration.is_empty() && !any.enumeration.contains(value) {
                    return fail(format!("`{value}` is not one of the enum values"));
                }
                let problem = match value {
                    Value::Object(map) => {
                        self.object(map, &any.properties, &any.required, any.additional_properties.as_ref(), at)
                    }
                    Value::Array(items) => any.items.as_ref().and_then(|schema| {
                        items.iter().enumerate().find_map(|(i, item)| self.check(schema, item, &format!("{at}/{i}")))
                    }),
                    _ => None,
                };
                problem
                    .or_else(|| any.all_of.iter().find_map(|s| self.check(s, value, at)))
                    .or_else(|| self.some_of(&any.one_of, value, at))
                    .or_else(|| self.some_of(&any.any_of, value, at))
            }
            SchemaKind::AllOf { all_of } => all_of.iter().find_map(|s| self.check(s, value, at)),
            SchemaKind::OneOf { one_of: options } | SchemaKind::AnyOf { any_of: options } => {
                self.some_of(options, value, at)
            }
            SchemaKind::Not { .. } => None,
        }
    }

    /// An object's properties: required ones present, each of its schema.
    fn object(
        &mut self,
        map: &serde_json::Map<String, Value>,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &str,
    ) -> Option<String> {
        if let Some(missing) = required.iter().find(|r| !map.contains_key(*r)) {
            let at = if at.is_empty() { "/" } else { at };
            return Some(format!(" at `{at}`: required property `{missing}` is missing"));
        }
        map.iter().find_map(|(key, item)| {
            let at = push_pointer(at, key);
            match (properties.get(key), additional) {
                (Some(schema), _) => self.check(schema, item, &at),
                (None, Some(AdditionalProperties::Schema(schema))) => self.check(schema, item, &at),
                _ => None,
            }
        })
    }

    /// `oneOf`/`anyOf`: at least one option holds (none listed: anything does).
    fn some_of(&mut self, options: &[ReferenceOr<Schema>], value: &Value, at: &str) -> Option<String> {
        let problems: Vec<String> = options.iter().filter_map(|s| self.check(s, value, at)).collect();
        if problems.len() < options.len() || options.is_empty() {
            None
        } else {
            let at = if at.is_empty() { "/" } else { at };
            Some(format!(" at `{at}`: no variant matches ({})", problems.join("; ")))
        }
    }

    fn enum_has_null(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(a) => a.enumeration.iter().any(Value::is_null),
            _ => false,
        }
    }
}

/// The spec's component schemas.
fn schemas(spec: &OpenAPI) -> Option<&indexmap::IndexMap<String, ReferenceOr<Schema>>> {
    spec.components.as_ref().map(|c| &c.schemas)
}

/// A schema that constrains nothing: any JSON value, `null` included.
fn is_free(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.items.is_none()
                && a.all_of.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.enumeration.is_empty()
        }
        _ => false,
    }
}

/// An example of a JSON body given as JSON text in a string (as OpenAPI
/// allows for examples that YAML cannot hold), when the body is not a string.
fn unquote(spec: &OpenAPI, schema: Option<&ReferenceOr<Schema>>, value: Value) -> Value {
    let Value::String(text) = &value else { return value };
    let target = schema.and_then(|s| local(s, "schemas", schemas(spec), "").ok()).map(|(s, _)| s);
    if matches!(target.map(|s| &s.schema_kind), Some(SchemaKind::Type(Type::String(_)))) {
        return value;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(parsed @ (Value::Object(_) | Value::Array(_))) => parsed,
        _ => value,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(n) if n.is_i64() => "an integer",
        Value::Number(_) => "an integer beyond 64 bits",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn bits(i: &openapiv3::IntegerType) -> &'static str {
    match i.format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => "32-bit",
        _ => "64-bit",
    }
}

/// RFC 3339 `date-time` (`T`, `t` or a space between date and time).
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    let zone = rest.as_bytes();
    matches!(rest, "Z" | "z")
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[1..3].iter().all(u8::is_ascii_digit)
            && zone[3] == b':'
            && zone[4..6].iter().all(u8::is_ascii_digit))
}
