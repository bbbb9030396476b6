//! The JSON tree of a document as the read stage walks it: what each node
//! is ([`Role`], with the one rule for what is literal data), and the walker
//! every rewrite uses.

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::{append_pointer, percent_decode, push_pointer};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// What a node of the tree is, decided from its parent and its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Structure of the document (operations, parameters, responses, …).
    Other,
    /// A schema.
    Schema,
    /// A map of schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `anyOf`, `oneOf`, `prefixItems`).
    SchemaList,
    /// Literal data: nothing inside is a keyword or a reference.
    Data,
}

impl Role {
    /// The role of the child at `key` of a node with this role, whose own
    /// key is `own` and whose parent's key is `parent`.
    pub(crate) fn child(self, key: &str, own: &str, parent: &str) -> Role {
        match self {
            Role::Data => Role::Data,
            Role::SchemaMap | Role::SchemaList => Role::Schema,
            Role::Schema => match key {
                "properties" | "patternProperties" | "$defs" | "dependentSchemas" | "definitions" => Role::SchemaMap,
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => Role::SchemaList,
                "items"
                | "not"
                | "additionalProperties"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "additionalItems" => Role::Schema,
                "example" | "examples" | "default" | "enum" | "const" => Role::Data,
                k if k.starts_with("x-") => Role::Data,
                _ => Role::Other,
            },
            Role::Other => match key {
                "schema" => Role::Schema,
                "schemas" if own == "components" => Role::SchemaMap,
                "definitions" if own.is_empty() => Role::SchemaMap,
                // Not `default`: in `responses` it is the default response.
                "example" => Role::Data,
                "value" if parent == "examples" => Role::Data,
                // Swagger 2.0's response `examples`: media type → example.
                "examples" if parent == "responses" => Role::Data,
                // In a map of names (`components/parameters`, `headers`), `x-…` is a name.
                k if k.starts_with("x-") && !names_map(own, parent) => Role::Data,
                _ => Role::Other,
            },
        }
    }
}

/// Whether the node `own` (under `parent`) maps names to objects, so that
/// its keys are names, not keywords or extensions.
pub(crate) fn names_map(own: &str, parent: &str) -> bool {
    parent == "components" || matches!(own, "headers" | "content" | "encoding" | "examples" | "links" | "variables")
}

/// Where a node of the tree is, for the walkers' visitors.
pub(crate) struct Place<'a> {
    /// Its JSON pointer.
    pub pointer: &'a str,
    /// What it is.
    pub role: Role,
    /// Its own key, and its parent's.
    pub own: &'a str,
    pub parent: &'a str,
    /// How many nodes it is nested in (the document is at 0).
    pub depth: usize,
    /// How many schemas it is nested in, itself included.
    pub schemas: usize,
}

/// The role, depth and schema depth of the child at `key` of a node with
/// `place` (its role, depth and schema depth), own key `own` and parent key `parent`.
fn descend(place: (Role, usize, usize), key: &str, own: &str, parent: &str) -> (Role, usize, usize) {
    let role = place.0.child(key, own, parent);
    (role, place.1 + 1, place.2 + (role == Role::Schema) as usize)
}

/// The one walk of the read stage, a parent before its children, data
/// (examples, defaults, extensions: see [`Role`]) never entered: `visit`
/// and [`walk_objects`] are its read-only and its mutable form.
///
/// Calls `f` on every node of the document that is not data, scalars
/// included; stops at the first error.
pub(crate) fn visit<'t>(tree: &'t Value, f: &mut dyn FnMut(&'t Value, &Place<'_>) -> Result<()>) -> Result<()> {
    fn go<'t>(
        node: &'t Value,
        pointer: &mut String,
        place: (Role, usize, usize),
        own: &str,
        parent: &str,
        f: &mut dyn FnMut(&'t Value, &Place<'_>) -> Result<()>,
    ) -> Result<()> {
        let (role, depth, schemas) = place;
        if role == Role::Data {
            return Ok(());
        }
        let here = Place { pointer, role, own, parent, depth, schemas };
        f(node, &here)?;
        let children: Box<dyn Iterator<Item = (std::borrow::Cow<'t, str>, &'t Value)>> = match node {
            Value::Object(map) => Box::new(map.iter().map(|(k, v)| (std::borrow::Cow::Borrowed(k.as_str()), v))),
            Value::Array(items) => {
                Box::new(items.iter().enumerate().map(|(i, v)| (std::borrow::Cow::Owned(i.to_string()), v)))
            }
            _ => return Ok(()),
        };
        for (key, value) in children {
            let child = descend(place, &key, own, parent);
            let len = pointer.len();
            append_pointer(pointer, &key);
            go(value, pointer, child, &key, own, f)?;
            pointer.truncate(len);
        }
        Ok(())
    }
    go(tree, &mut String::new(), (Role::Other, 0, 0), "", "", f)
}

/// Calls `f` on every object of the document that is not data, with its
/// place, a parent before its children, so that what `f` adds is visited
/// too (the mutable form of [`visit`]).
pub(crate) fn walk_objects(tree: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &Place<'_>)) {
    fn go(
        node: &mut Value,
        pointer: &mut String,
        place: (Role, usize, usize),
        own: &str,
        parent: &str,
        f: &mut dyn FnMut(&mut Map<String, Value>, &Place<'_>),
    ) {
        let (role, depth, schemas) = place;
        if role == Role::Data {
            return;
        }
        match node {
            Value::Object(map) => {
                f(map, &Place { pointer, role, own, parent, depth, schemas });
                for (key, value) in map.iter_mut() {
                    let child = descend(place, key, own, parent);
                    if child.0 == Role::Data || !(value.is_object() || value.is_array()) {
                        continue;
                    }
                    let len = pointer.len();
                    append_pointer(pointer, key);
                    go(value, pointer, child, key, own, f);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter_mut().enumerate() {
                    if !(value.is_object() || value.is_array()) {
                        continue;
                    }
                    let index = i.to_string();
                    let len = pointer.len();
                    append_pointer(pointer, &index);
                    let child = descend(place, &index, own, parent);
                    go(value, pointer, child, &index, own, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    go(tree, &mut String::new(), (Role::Other, 0, 0), "", "", f);
}

/// Calls `f` on every schema object of the document (see [`walk_objects`]).
pub(crate) fn for_each_schema(tree: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    walk_objects(tree, &mut |map, place| {
        if place.role == Role::Schema {
            f(map, place.pointer);
        }
    });
}

/// The role of the node at `pointer`, from the keys on the way to it.
pub(crate) fn role_at(pointer: &str) -> Role {
    let (mut role, mut own, mut parent) = (Role::Other, String::new(), String::new());
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        role = role.child(&token, &own, &parent);
        parent = std::mem::replace(&mut own, token);
    }
    role
}

/// Whether OpenAPI allows a Reference Object at the node `own` (under
/// `parent`): a parameter, response, header, example, link, callback,
/// request body or security scheme. A `$ref` anywhere else is left for the
/// typed reader to refuse where it is.
pub(crate) fn reference_position(own: &str, parent: &str) -> bool {
    own == "requestBody"
        || matches!(
            parent,
            "parameters"
                | "responses"
                | "headers"
                | "examples"
                | "links"
                | "callbacks"
                | "requestBodies"
                | "securitySchemes"
        )
}

/// Whether `target` (a pointer) is `/components/<section>/<name>`.
pub(crate) fn is_component(target: &str, section: &str) -> bool {
    target
        .strip_prefix("/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

pub(crate) fn is_any_component(target: &str) -> bool {
    target
        .strip_prefix("/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| !name.is_empty() && !name.contains('/'))
}

/// Where a chain of `$ref`s that starts with `reference` (found at
/// `pointer`) ends: `Ok` with a component's pointer, or `Err` with the
/// pointer of, and a copy of, the node that is neither a component nor a `$ref`.
pub(crate) fn resolve(
    tree: &Value,
    reference: &str,
    pointer: &str,
) -> Result<std::result::Result<String, (String, Value)>> {
    let at = || push_pointer(pointer, "$ref");
    let Some(mut target) = reference.strip_prefix('#').map(percent_decode) else {
        let message = format!("external $ref `{reference}` is not supported: bundle the spec into one file first");
        return Err(Error::new(ErrorKind::Unsupported, at(), message));
    };
    let mut seen = BTreeSet::new();
    loop {
        if !seen.insert(target.clone()) || seen.len() > 64 {
            let message = format!("$ref `{reference}` leads into a cycle of references");
            return Err(Error::new(ErrorKind::Invalid, at(), message));
        }
        let Some(node) = tree.pointer(&target) else {
            return Err(Error::new(ErrorKind::DanglingRef, at(), format!("$ref `{reference}` points at nothing")));
        };
        match node.get("$ref").and_then(Value::as_str) {
            Some(next) if next.starts_with('#') => target = percent_decode(&next[1..]),
            Some(_) => return Ok(Err((target, node.clone()))),
            None if is_any_component(&target) => return Ok(Ok(target)),
            None => return Ok(Err((target, node.clone()))),
        }
    }
}
