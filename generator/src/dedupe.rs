//! Inline schemas that lower to the same type share one type.
//!
//! Specs repeat the same inline object in many places (Cloudflare writes
//! the same `{errors: [{message}]}` body under hundreds of operations).
//! Lowering names each after where it stands; this pass then merges types
//! whose bodies are equal, ignoring docs: an inline type equal to a
//! component schema's type becomes that type, and equal inline types become
//! the first of them by name. Merging children can make parents equal, so
//! it repeats until nothing changes. Component schemas are never merged
//! with each other: they are the spec's own names.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Operation, TypeBody, TypeDef, Webhook};

/// Merges equal inline types into one, rewriting every use; returns how
/// many types were removed. `types` stays in name order.
pub(crate) fn merge_equal_types(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    webhooks: &mut [Webhook],
) -> usize {
    let mut removed = 0;
    loop {
        let renames = duplicates(types);
        if renames.is_empty() {
            return removed;
        }
        removed += renames.len();
        types.retain(|t| !renames.contains_key(&t.name));
        let mut rename = |name: &mut String| {
            if let Some(to) = renames.get(name.as_str()) {
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
}

/// Inline types whose body equals an earlier one's: duplicate → kept name.
fn duplicates(types: &[TypeDef]) -> BTreeMap<String, String> {
    // Components first, so an inline copy of one becomes the component.
    let mut order: Vec<&TypeDef> = types.iter().collect();
    order.sort_by_key(|t| t.component.is_none());
    let mut first: HashMap<String, &str> = HashMap::with_capacity(types.len());
    let mut renames = BTreeMap::new();
    for def in order {
        let key = shape(&def.body);
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

/// A type's body without its docs, as a comparable key.
fn shape(body: &TypeBody) -> String {
    match body {
        TypeBody::Struct { fields, extra, default } => {
            let mut key = format!("struct {extra} {default}");
            for f in fields {
                key.push_str(&format!("|{} {} {:?} {:?}", f.rust, f.wire, f.presence, f.ty));
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
        TypeBody::Union { variants } => format!("union {variants:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Presence, TypeRef};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field { rust: name.into(), wire: name.into(), ty, presence: Presence::Optional, doc: Some(name.into()) }
    }

    fn object(name: &str, component: Option<&str>, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            body: TypeBody::Struct { fields, extra: "extra".into(), default: true },
            used_by: Vec::new(),
            component: component.map(Into::into),
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
        let removed = merge_equal_types(&mut types, &mut [], &mut []);
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["AResponse", "Message", "Note", "Other"]);
        assert_eq!(removed, 3);
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
