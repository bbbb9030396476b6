//! A normalized, owned view of OpenAPI schemas, and `allOf` merging.
//!
//! `openapiv3` spreads one schema over several shapes (`Type`, `AnySchema`,
//! `AllOf`, …) depending on which keywords happen to be present. [`Norm`]
//! folds them into one shape that keeps `$ref`s by name and remembers the
//! JSON pointer of every node, so later stages can name types and report
//! problems precisely.

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::push_pointer;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// How deep `$ref` chains and nested `allOf`s may go before we call it a cycle.
const MAX_DEPTH: usize = 64;
/// How deep inline schemas may nest (Cloudflare's deepest: 11 levels).
const MAX_NESTING: usize = 32;

/// One schema, normalized.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Norm {
    /// JSON pointer of the node this came from.
    pub pointer: String,
    /// What kind of value it describes.
    pub kind: Kind,
    /// `nullable: true`, or `null` among the enum values.
    pub nullable: bool,
    /// `description`, falling back to `title`.
    pub description: Option<String>,
    /// `format`, for strings, integers and numbers.
    pub format: Option<String>,
    /// `enum` values other than `null`.
    pub enum_values: Vec<Value>,
    /// `writeOnly: true`: sent, never returned (a password, a secret).
    pub write_only: bool,
    /// Set when a construct was replaced by [`Kind::Any`]: says which.
    pub degraded: Option<&'static str>,
    /// Set on a property that `allOf` merged from several nodes: it is not
    /// the node at `pointer` alone, so it is not lowered once per pointer.
    pub merged: bool,
}

/// The kinds of schema that matter for code generation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A `$ref` to `#/components/schemas/<name>`.
    Ref(String),
    /// No constraint: any JSON value.
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Object(Object),
    Array(Box<Norm>),
    AllOf(Vec<Norm>),
    AnyOf(Vec<Norm>),
    OneOf(Vec<Norm>),
}

/// The parts of an object schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Object {
    /// Properties in spec order.
    pub properties: IndexMap<String, Norm>,
    /// Names of required properties.
    pub required: Vec<String>,
    /// `additionalProperties`: `None` when unspecified or `true`, else the schema.
    pub additional: Option<Box<Norm>>,
}

impl Norm {
    fn new(pointer: String, kind: Kind) -> Self {
        Norm {
            pointer,
            kind,
            nullable: false,
            description: None,
            format: None,
            enum_values: Vec::new(),
            write_only: false,
            degraded: None,
            merged: false,
        }
    }

    /// Normalizes one schema (or `$ref`) found at `pointer`.
    pub(crate) fn from_ref_or<S: AsSchema>(r: &ReferenceOr<S>, pointer: &str) -> Result<Norm> {
        Norm::from_ref_or_at(r, pointer, 0)
    }

    fn from_ref_or_at<S: AsSchema>(r: &ReferenceOr<S>, pointer: &str, depth: usize) -> Result<Norm> {
        match r {
            ReferenceOr::Reference { reference } => {
                Ok(Norm::new(pointer.to_string(), Kind::Ref(schema_ref_name(reference, pointer)?)))
            }
            ReferenceOr::Item(s) => Norm::from_schema_at(s.as_schema(), pointer, depth),
        }
    }

    fn from_schema_at(s: &Schema, pointer: &str, depth: usize) -> Result<Norm> {
        if depth > MAX_NESTING {
            let message = format!("schemas nested deeper than {MAX_NESTING} levels are not supported");
            return Err(Error::new(ErrorKind::Unsupported, pointer, message));
        }
        let depth = depth + 1;
        let data = &s.schema_data;
        let mut norm = Norm::new(pointer.to_string(), Kind::Any);
        norm.nullable = data.nullable;
        norm.write_only = data.write_only;
        norm.description = data.description.clone().or_else(|| data.title.clone());
        let list = |items: &[ReferenceOr<Schema>], key: &str| -> Result<Vec<Norm>> {
            let base = push_pointer(pointer, key);
            items
                .iter()
                .enumerate()
                .map(|(i, r)| Norm::from_ref_or_at(r, &push_pointer(&base, &i.to_string()), depth))
                .collect()
        };
        let none: &[ReferenceOr<Schema>] = &[];
        let combinators = match &s.schema_kind {
            SchemaKind::AllOf { all_of } => Some((&all_of[..], none, none)),
            SchemaKind::AnyOf { any_of } => Some((none, &any_of[..], none)),
            SchemaKind::OneOf { one_of } => Some((none, none, &one_of[..])),
            SchemaKind::Any(any) if only_combinators(any) => Some((&any.all_of[..], &any.any_of[..], &any.one_of[..])),
            _ => None,
        };
        if let Some((reference, (key, index), annotations)) = combinators.and_then(|(a, b, c)| wrapped_ref(a, b, c)) {
            // `allOf: [{$ref: X}, {description: …}]` documents a use of X: it is X.
            let at = push_pointer(&push_pointer(pointer, key), &index.to_string());
            norm.kind = Kind::Ref(schema_ref_name(reference, &at)?);
            norm.nullable |= annotations.nullable;
            if norm.description.is_none() {
                norm.description = annotations.description;
            }
            return Ok(norm);
        }
        norm.kind = match &s.schema_kind {
            SchemaKind::Type(t) => norm.kind_of_type(t, pointer, depth)?,
            SchemaKind::AllOf { all_of } => Kind::AllOf(list(all_of, "allOf")?),
            SchemaKind::AnyOf { any_of } => Kind::AnyOf(list(any_of, "anyOf")?),
            SchemaKind::OneOf { one_of } => Kind::OneOf(list(one_of, "oneOf")?),
            SchemaKind::Not { .. } => {
                norm.degraded = Some("`not` schema");
                Kind::Any
            }
            SchemaKind::Any(any) => {
                norm.format = any.format.clone();
                norm.set_enum(any.enumeration.iter().cloned());
                let object = Object {
                    properties: properties(&any.properties, pointer, depth)?,
                    required: any.required.clone(),
                    additional: additional(any.additional_properties.as_ref(), pointer, depth)?,
                };
                let has_object_parts = !object.properties.is_empty() || object.additional.is_some();
                let base = match any.typ.as_deref() {
                    Some("object") => Kind::Object(object.clone()),
                    Some("string") => Kind::String,
                    Some("integer") => Kind::Integer,
                    Some("number") => Kind::Number,
                    Some("boolean") => Kind::Boolean,
                    Some("array") => Kind::Array(Box::new(match &any.items {
                        Some(items) => Norm::from_ref_or_at(items, &push_pointer(pointer, "items"), depth)?,
                        None => Norm::new(push_pointer(pointer, "items"), Kind::Any),
                    })),
                    Some(other) => {
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            push_pointer(pointer, "type"),
                            format!("unknown schema type `{other}`"),
                        ))
                    }
                    None if has_object_parts => Kind::Object(object.clone()),
                    // `format: binary` without a type: a file.
                    None if any.format.as_deref() == Some("binary") => Kind::String,
                    None => infer_from_enum(&norm.enum_values),
                };
                if !any.all_of.is_empty() {
                    let mut branches = list(&any.all_of, "allOf")?;
                    if has_object_parts {
                        branches.push(Norm::new(pointer.to_string(), Kind::Object(object)));
                    }
                    Kind::AllOf(branches)
                } else if !any.one_of.is_empty() {
                    Kind::OneOf(list(&any.one_of, "oneOf")?)
                } else if !any.any_of.is_empty() {
                    Kind::AnyOf(list(&any.any_of, "anyOf")?)
                } else if any.not.is_some() && !has_object_parts && any.typ.is_none() {
                    norm.degraded = Some("`not` schema");
                    Kind::Any
                } else {
                    base
                }
            }
        };
        Ok(norm)
    }

    fn kind_of_type(&mut self, t: &Type, pointer: &str, depth: usize) -> Result<Kind> {
        fn format<T>(f: &VariantOrUnknownOrEmpty<T>, name: impl Fn(&T) -> &'static str) -> Option<String> {
            match f {
                VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_string()),
                VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            }
        }
        Ok(match t {
            Type::String(s) => {
                self.format = format(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                self.set_enum(s.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)));
                Kind::String
            }
            Type::Integer(i) => {
                self.format = format(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                self.set_enum(i.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)));
                Kind::Integer
            }
            Type::Number(n) => {
                self.format = format(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                self.set_enum(n.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)));
                Kind::Number
            }
            Type::Boolean(b) => {
                self.set_enum(b.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)));
                Kind::Boolean
            }
            Type::Object(o) => Kind::Object(Object {
                properties: properties(&o.properties, pointer, depth)?,
                required: o.required.clone(),
                additional: additional(o.additional_properties.as_ref(), pointer, depth)?,
            }),
            Type::Array(a) => Kind::Array(Box::new(match &a.items {
                Some(items) => Norm::from_ref_or_at(items, &push_pointer(pointer, "items"), depth)?,
                None => Norm::new(push_pointer(pointer, "items"), Kind::Any),
            })),
        })
    }

    fn set_enum(&mut self, values: impl Iterator<Item = Value>) {
        for v in values {
            if v.is_null() {
                self.nullable = true;
            } else {
                self.enum_values.push(v);
            }
        }
    }
}

/// What annotation-only schemas next to a `$ref` add to it.
#[derive(Default)]
struct Annotations {
    nullable: bool,
    description: Option<String>,
}

/// An `AnySchema` with nothing but `allOf`/`anyOf`/`oneOf` (and perhaps
/// `type: object`, which an object behind a `$ref` satisfies anyway).
fn only_combinators(any: &openapiv3::AnySchema) -> bool {
    let bare = openapiv3::AnySchema {
        typ: any.typ.clone().filter(|t| t == "object"),
        all_of: any.all_of.clone(),
        any_of: any.any_of.clone(),
        one_of: any.one_of.clone(),
        ..Default::default()
    };
    bare == *any
}

/// The `$ref` that a combinator only wraps: `allOf` of one `$ref` and
/// annotation-only schemas (`description`, `nullable`, `default`,
/// `readOnly`, …), or `anyOf`/`oneOf` of a single `$ref`.
fn wrapped_ref<'s>(
    all_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    one_of: &'s [ReferenceOr<Schema>],
) -> Option<(&'s str, (&'static str, usize), Annotations)> {
    let as_ref = |r: &'s ReferenceOr<Schema>| match r {
        ReferenceOr::Reference { reference } => Some(reference.as_str()),
        ReferenceOr::Item(_) => None,
    };
    match (all_of, any_of, one_of) {
        ([], [only], []) => Some((as_ref(only)?, ("anyOf", 0), Annotations::default())),
        ([], [], [only]) => Some((as_ref(only)?, ("oneOf", 0), Annotations::default())),
        (all, [], []) if !all.is_empty() => {
            let mut refs = all.iter().enumerate().filter_map(|(i, r)| Some((i, as_ref(r)?)));
            let (Some((index, reference)), None) = (refs.next(), refs.next()) else { return None };
            let mut annotations = Annotations::default();
            for item in all {
                let ReferenceOr::Item(s) = item else { continue };
                if s.schema_kind != SchemaKind::Any(openapiv3::AnySchema::default()) {
                    return None;
                }
                annotations.nullable |= s.schema_data.nullable;
                let doc = s.schema_data.description.clone().or_else(|| s.schema_data.title.clone());
                annotations.description = annotations.description.or(doc);
            }
            Some((reference, ("allOf", index), annotations))
        }
        _ => None,
    }
}

/// Lets [`Norm::from_ref_or`] take both `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
pub(crate) trait AsSchema {
    /// The schema itself.
    fn as_schema(&self) -> &Schema;
}
impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}
impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

fn properties(
    props: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    pointer: &str,
    depth: usize,
) -> Result<IndexMap<String, Norm>> {
    let base = push_pointer(pointer, "properties");
    props
        .iter()
        .map(|(name, r)| Ok((name.clone(), Norm::from_ref_or_at(r, &push_pointer(&base, name), depth)?)))
        .collect()
}

fn additional(a: Option<&AdditionalProperties>, pointer: &str, depth: usize) -> Result<Option<Box<Norm>>> {
    match a {
        Some(AdditionalProperties::Schema(s)) => {
            let norm = Norm::from_ref_or_at(s, &push_pointer(pointer, "additionalProperties"), depth)?;
            // `additionalProperties: {}` says nothing more than `true`.
            Ok((norm.kind != Kind::Any).then(|| Box::new(norm)))
        }
        _ => Ok(None),
    }
}

/// A type-less schema with only `enum` values: infer the type from them.
fn infer_from_enum(values: &[Value]) -> Kind {
    if values.is_empty() {
        Kind::Any
    } else if values.iter().all(Value::is_string) {
        Kind::String
    } else if values.iter().all(Value::is_boolean) {
        Kind::Boolean
    } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
        Kind::Integer
    } else if values.iter().all(Value::is_number) {
        Kind::Number
    } else {
        Kind::Any
    }
}

/// The component name a `$ref` points at; only local schema refs are supported.
pub(crate) fn schema_ref_name(reference: &str, pointer: &str) -> Result<String> {
    const PREFIX: &str = "#/components/schemas/";
    let at = push_pointer(pointer, "$ref");
    if !reference.starts_with('#') {
        return Err(Error::new(
            ErrorKind::Unsupported,
            at,
            format!("external $ref `{reference}` is not supported: bundle the spec into one file first"),
        ));
    }
    match reference.strip_prefix(PREFIX) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name.replace("~1", "/").replace("~0", "~")),
        _ => Err(Error::new(
            ErrorKind::Unsupported,
            at,
            format!("$ref `{reference}` does not point at a schema (a parameter, response or other object is not one)"),
        )),
    }
}

/// All component schemas, normalized, with `$ref` resolution and `allOf` merging.
#[derive(Debug, Default)]
pub(crate) struct Components {
    schemas: BTreeMap<String, Norm>,
    /// Flattened components, by name: a tower of `allOf`s that each name the
    /// one below twice would otherwise be merged 2ⁿ times.
    flat: RefCell<BTreeMap<String, Norm>>,
}

impl Components {
    /// Normalizes every schema under `/components/schemas`.
    pub(crate) fn new(spec: &openapiv3::OpenAPI) -> Result<Self> {
        let mut schemas = BTreeMap::new();
        if let Some(components) = &spec.components {
            for (name, schema) in &components.schemas {
                // A schema moved here from elsewhere is named by where the spec has it.
                let origin = match schema {
                    ReferenceOr::Item(s) => s.schema_data.extensions.get(crate::contract::ORIGIN),
                    ReferenceOr::Reference { .. } => None,
                };
                let pointer = match origin.and_then(Value::as_str) {
                    Some(origin) => origin.to_string(),
                    None => push_pointer("/components/schemas", name),
                };
                schemas.insert(name.clone(), Norm::from_ref_or(schema, &pointer)?);
            }
        }
        Ok(Components { schemas, flat: RefCell::default() })
    }

    /// The component names, in order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.schemas.keys().map(String::as_str)
    }

    /// The schema a component name stands for.
    pub(crate) fn get(&self, name: &str, pointer: &str) -> Result<&Norm> {
        self.schemas.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::DanglingRef,
                push_pointer(pointer, "$ref"),
                format!("$ref points at #/components/schemas/{name}, which does not exist"),
            )
        })
    }

    /// Follows `$ref` chains to a schema that is not a reference.
    pub(crate) fn deref<'a>(&'a self, mut norm: &'a Norm) -> Result<&'a Norm> {
        for _ in 0..MAX_DEPTH {
            match &norm.kind {
                Kind::Ref(name) => norm = self.get(name, &norm.pointer)?,
                _ => return Ok(norm),
            }
        }
        Err(Error::new(ErrorKind::Invalid, norm.pointer.clone(), "$ref chain is cyclic or deeper than 64"))
    }

    /// Resolves `allOf` into one schema: objects merge property by property
    /// (deeply, where both sides are objects); otherwise a later branch
    /// overrides an earlier one. Other kinds are returned as they are.
    /// Borrowed unless there is something to merge.
    pub(crate) fn flatten<'a>(&self, norm: &'a Norm) -> Result<Cow<'a, Norm>> {
        match norm.kind {
            Kind::AllOf(_) => self.flatten_at(norm, 0).map(Cow::Owned),
            _ => Ok(Cow::Borrowed(norm)),
        }
    }

    fn flatten_at(&self, norm: &Norm, depth: usize) -> Result<Norm> {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Invalid,
                norm.pointer.clone(),
                "allOf nesting is cyclic or deeper than 64",
            ));
        }
        let Kind::AllOf(branches) = &norm.kind else { return Ok(norm.clone()) };
        let mut merged: Option<Norm> = None;
        for branch in branches {
            let resolved = self.flatten_ref(branch, depth + 1)?;
            merged = Some(match merged {
                None => resolved,
                Some(acc) => self.merge(acc, resolved, depth + 1)?,
            });
        }
        let mut out = merged.unwrap_or_else(|| Norm::new(norm.pointer.clone(), Kind::Any));
        out.pointer = norm.pointer.clone();
        out.merged = false;
        out.nullable |= norm.nullable;
        if norm.description.is_some() {
            out.description = norm.description.clone();
        }
        Ok(out)
    }

    /// Follows `$ref`s and flattens, once per component.
    fn flatten_ref(&self, norm: &Norm, depth: usize) -> Result<Norm> {
        // The component the chain ends at, if it is one.
        let mut name = None;
        let mut resolved = norm;
        for _ in 0..MAX_DEPTH {
            let Kind::Ref(next) = &resolved.kind else { break };
            resolved = self.get(next, &resolved.pointer)?;
            name = Some(next);
        }
        let resolved = self.deref(resolved)?; // the error for a cyclic chain
        if let Some(done) = name.and_then(|n| self.flat.borrow().get(n).cloned()) {
            return Ok(done);
        }
        let flat = self.flatten_at(resolved, depth)?;
        if let Some(name) = name {
            self.flat.borrow_mut().insert(name.clone(), flat.clone());
        }
        Ok(flat)
    }

    /// Merges `later` into `earlier` (both already flattened).
    fn merge(&self, earlier: Norm, later: Norm, depth: usize) -> Result<Norm> {
        let (Kind::Object(mut a), Kind::Object(b)) = (earlier.kind.clone(), later.kind.clone()) else {
            // An object extended by a property-less branch (`type: object` only) keeps its properties.
            if matches!(&later.kind, Kind::Any) {
                return Ok(earlier);
            }
            return Ok(later);
        };
        for (name, prop) in b.properties {
            // A property both sides define keeps its place; objects on both
            // sides merge deeply, anything else is overridden by the later one.
            let Some(slot) = a.properties.get_mut(&name) else {
                a.properties.insert(name, prop);
                continue;
            };
            let old_flat = self.flatten_ref(slot, depth + 1)?;
            let new_flat = self.flatten_ref(&prop, depth + 1)?;
            let is_struct = |n: &Norm| matches!(&n.kind, Kind::Object(o) if !o.properties.is_empty());
            *slot = if is_struct(&old_flat) && is_struct(&new_flat) {
                self.merge(old_flat, new_flat, depth + 1)?
            } else {
                prop
            };
        }
        for r in b.required {
            if !a.required.contains(&r) {
                a.required.push(r);
            }
        }
        if b.additional.is_some() {
            a.additional = b.additional;
        }
        Ok(Norm {
            pointer: later.pointer,
            kind: Kind::Object(a),
            nullable: earlier.nullable && later.nullable,
            description: later.description.or(earlier.description),
            format: None,
            enum_values: Vec::new(),
            write_only: false,
            degraded: None,
            merged: true,
        })
    }
}
