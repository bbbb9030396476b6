//! Who uses each type: the top-level resources that reach it (for the
//! per-resource cargo features), the types nothing uses, and the types a
//! caller builds.

use crate::ir::{Api, Operation, TypeBody, TypeDef};
use std::collections::BTreeMap;

/// Marks every type's users and whether a caller builds it, and drops the
/// aliases nothing uses.
pub(crate) fn mark(api: &mut Api) {
    let unused = mark_users(&mut api.types, &api.operations, &api.webhooks);
    // An alias whose only user became an alias itself is used by nothing.
    api.types.retain(|t| !(matches!(t.body, TypeBody::Alias { .. }) && unused.contains(&t.name)));
    // The types a caller builds: reached from a request's parameters or body
    // (they get `new` and setters; response-only types are only decoded).
    let built = super::reached(&api.types, api.operations.iter().flat_map(Operation::request_type_refs));
    for (def, built) in api.types.iter_mut().zip(built) {
        def.built = built;
    }
}

/// Records, on every type, which top-level resources use it (through their
/// parameters, bodies and responses, and through other types).
/// Returns the types nothing uses.
fn mark_users(
    types: &mut [TypeDef],
    operations: &[Operation],
    webhooks: &[crate::ir::Webhook],
) -> std::collections::BTreeSet<String> {
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut users: Vec<std::collections::BTreeSet<String>> = vec![Default::default(); types.len()];
    for op in operations {
        let mut stack: Vec<usize> = Vec::new();
        for t in op.type_refs() {
            t.visit_named(&mut |n| stack.extend(index.get(n).copied()));
        }
        while let Some(i) = stack.pop() {
            if users[i].insert(op.resource[0].clone()) {
                for t in types[i].type_refs() {
                    t.visit_named(&mut |n| stack.extend(index.get(n).copied()));
                }
            }
        }
    }
    // What the webhooks use is always there (their module is behind no feature): no users.
    let mut stack: Vec<usize> = Vec::new();
    for hook in webhooks {
        hook.ty.visit_named(&mut |n| stack.extend(index.get(n).copied()));
    }
    let mut ungated = vec![false; types.len()];
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut ungated[i], true) {
            for t in types[i].type_refs() {
                t.visit_named(&mut |n| stack.extend(index.get(n).copied()));
            }
        }
    }
    let mut unused = std::collections::BTreeSet::new();
    for ((def, users), ungated) in types.iter_mut().zip(users).zip(ungated) {
        if users.is_empty() && !ungated {
            unused.insert(def.name.clone());
        }
        def.used_by = if ungated { Vec::new() } else { users.into_iter().collect() };
    }
    unused
}
