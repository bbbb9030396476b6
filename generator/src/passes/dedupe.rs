//! Inline schemas that lower to the same type share one type.
//!
//! Specs repeat the same inline object in many places (Cloudflare writes
//! the same `{errors: [{message}]}` body under hundreds of operations).
//! Lowering names each after where it stands; this pass then finds types
//! whose bodies are equal, ignoring docs: an inline type equal to a
//! component schema's type is that type, and equal inline types are the
//! first of them by name. Merging children can make parents equal, so it
//! repeats until nothing changes. Component schemas are never merged with
//! each other: they are the spec's own names.
//!
//! An inline copy of a component is the component: every use is rewritten.
//! Equal inline types keep their names as aliases of the first
//! (`pub type ZonesListErrorsItem = AccountsListErrorsItem;`): one
//! definition, while every use keeps the name of where it stands, so a new
//! schema equal to an existing one never renames anything a user wrote.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::ir::{Operation, TypeBody, TypeDef, TypeRef, Webhook};

/// Merges equal types; returns how many inline types were merged. An
/// inline type equal to a component's is removed and every use rewritten to
/// the component; one equal to another inline type becomes an alias of it.
/// `types` stays in name order.
pub(crate) fn merge_equal_types(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    webhooks: &mut [Webhook],
) -> usize {
    // Merged name → the name it is merged into.
    let mut canon: HashMap<String, String> = HashMap::new();
    loop {
        let renames = duplicates(types, &canon);
        if renames.is_empty() {
            break;
        }
        canon.extend(renames);
    }
    let merged = canon.len();
    let components: HashSet<&str> = types.iter().filter(|t| t.component.is_some()).map(|t| t.name.as_str()).collect();
    // Copies of a component are the component: the spec's own name, stable as it is.
    let into_components: HashMap<String, String> = canon
        .keys()
        .map(|from| (from.clone(), final_name(&canon, from)))
        .filter(|(_, to)| components.contains(to.as_str()))
        .collect();
    for def in types.iter_mut() {
        if !into_components.contains_key(&def.name) {
            if let Some(to) = canon.get(&def.name) {
                def.body = TypeBody::Alias { target: TypeRef::Named(final_name(&canon, to)) };
            }
        }
    }
    if !into_components.is_empty() {
        types.retain(|t| !into_components.contains_key(&t.name));
        let mut rename = |name: &mut String| {
            if let Some(to) = into_components.get(name.as_str()) {
                name.clone_from(to);
            }
        };
        for def in types.iter_mut() {
            for ty in def.type_refs_mut() {
                ty.rename_named(&mut rename);
            }
        }
        for op in operations.iter_mut() {
            for ty in op.type_refs_mut() {
                ty.rename_named(&mut rename);
            }
        }
        for hook in webhooks.iter_mut() {
            hook.ty.rename_named(&mut rename);
        }
    }
    merged
}

/// Follows `canon` to a name that is not merged.
fn final_name(canon: &HashMap<String, String>, name: &str) -> String {
    let mut name = name;
    while let Some(next) = canon.get(name) {
        name = next;
    }
    name.to_string()
}

/// Inline types (not yet merged) whose body, with names read through
/// `canon`, equals an earlier one's: duplicate → kept name.
fn duplicates(types: &[TypeDef], canon: &HashMap<String, String>) -> BTreeMap<String, String> {
    // Components first, so an inline copy of one becomes the component.
    let mut order: Vec<&TypeDef> = types.iter().filter(|t| !canon.contains_key(&t.name)).collect();
    order.sort_by_key(|t| t.component.is_none());
    let mut first: HashMap<String, &str> = HashMap::with_capacity(types.len());
    let mut renames = BTreeMap::new();
    for def in order {
        let key = shape(&def.body, canon);
        match first.get(&key) {
            Some(kept) if def.component.is_none() => {
                renames.insert(def.name.clone(), (*kept).to_string());
            }
            Some(_) => {}
            None => {
                first.insert(key, &def.name);
            }
        }
    }
    renames
}

/// A type's body without its docs, with merged names read as the kept
/// ones, as a comparable key.
fn shape(body: &TypeBody, canon: &HashMap<String, String>) -> String {
    let ty = |t: &TypeRef| {
        let mut t = t.clone();
        t.rename_named(&mut |n| *n = final_name(canon, n));
        format!("{t:?}")
    };
    match body {
        TypeBody::Struct { fields, extra, default } => {
            let mut key = format!("struct {extra} {default}");
            for f in fields {
                key.push_str(&format!("|{} {} {:?} {}", f.rust, f.wire, f.presence, ty(&f.ty)));
            }
            key
        }
        TypeBody::Enum { variants } => {
            let mut key = "enum".to_string();
            for v in variants {
                key.push_str(&format!("|{} {}", v.rust, v.wire));
            }
            key
        }
        TypeBody::Union { variants } => {
            let mut key = "union".to_string();
            for (name, t) in variants {
                key.push_str(&format!("|{name} {}", ty(t)));
            }
            key
        }
        TypeBody::Alias { target } => format!("alias {}", ty(target)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Presence};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            rust: name.into(),
            wire: name.into(),
            ty,
            presence: Presence::Optional,
            doc: Some(name.into()),
            secret: false,
        }
    }

    fn object(name: &str, component: Option<&str>, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            body: TypeBody::Struct { fields, extra: "extra".into(), default: true },
            used_by: Vec::new(),
            component: component.map(Into::into),
            built: false,
            direction: Default::default(),
            origin: format!("/components/schemas/{name}"),
        }
    }

    #[test]
    fn equal_inline_types_merge_through_their_parents_and_into_components() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types = vec![
            object("AError", None, vec![field("message", TypeRef::String)]),
            object("AResponse", None, vec![field("error", named("AError"))]),
            object("BError", None, vec![field("message", TypeRef::String)]),
            object("BResponse", None, vec![field("error", named("BError"))]),
            object("Message", Some("Message"), vec![field("message", TypeRef::String)]),
            // Another component of the same shape keeps its own name.
            object("Note", Some("Note"), vec![field("message", TypeRef::String)]),
            object("Other", None, vec![field("code", TypeRef::I64)]),
        ];
        types[0].doc = Some("differs only in docs".into());
        let merged = merge_equal_types(&mut types, &mut [], &mut []);
        assert_eq!(merged, 3);
        let alias = |t: &TypeDef| match &t.body {
            TypeBody::Alias { target: TypeRef::Named(n) } => Some(n.clone()),
            _ => None,
        };
        let aliases: Vec<(&str, Option<String>)> = types.iter().map(|t| (t.name.as_str(), alias(t))).collect();
        // Copies of a component are gone, their uses rewritten; equal inline types are aliases.
        assert_eq!(
            aliases,
            [
                ("AResponse", None),
                ("BResponse", Some("AResponse".into())),
                ("Message", None),
                ("Note", None),
                ("Other", None),
            ]
        );
        assert_eq!(types[0].type_refs(), [&named("Message")]);
    }

    #[test]
    fn types_that_differ_in_a_field_stay_apart() {
        let mut types = vec![
            object("A", None, vec![field("message", TypeRef::String)]),
            object("B", None, vec![field("message", TypeRef::I64)]),
            object("C", None, vec![Field { presence: Presence::Required, ..field("message", TypeRef::String) }]),
        ];
        assert_eq!(merge_equal_types(&mut types, &mut [], &mut []), 0);
        assert_eq!(types.len(), 3);
    }
}
