//! The IR-to-IR passes that run after lowering, in this order: equal types
//! merged ([`dedupe`]), the operations a selection asks for kept with the
//! types they reach ([`select`], only with a selection), each type's users
//! marked ([`usage`]), pagination found ([`paging`]), the streaming flag
//! of server-sent events found, and the way each type travels ([`direction`]).

mod dedupe;
mod direction;
mod paging;
pub(crate) mod select;
mod usage;

use crate::error::Result;
use crate::ir::{Api, Body, Operation, TypeBody, TypeDef, TypeRef};
use crate::naming;
use crate::overrides::Overrides;
use std::collections::BTreeSet;

/// Runs every pass on `api`. `link_headers` are the operations whose
/// responses declare a `Link` header (found by lowering); `selection` the
/// operations to keep, with the spec's tags of each.
pub(crate) fn run(
    api: &mut Api,
    overrides: &Overrides,
    link_headers: &BTreeSet<String>,
    selection: Option<(&select::Selection, &select::Tags)>,
) -> Result<()> {
    dedupe::merge_equal_types(&mut api.types, &mut api.operations, &mut api.webhooks);
    if let Some((selection, tags)) = selection {
        select::apply(api, selection, tags, overrides.features)?;
    }
    usage::mark(api);
    let types = &api.types;
    for op in &mut api.operations {
        let over = overrides.operations.get(&op.id).and_then(|o| o.pagination.as_ref());
        op.pagination = paging::pagination(op, types, link_headers.contains(&op.id), over)?;
        let (name, paged) = (naming::unraw(&op.method_name).to_string(), op.pagination.is_some());
        let flag = stream_flag(op, types);
        if let Some(events) = &mut op.events {
            // `_stream` is the paginated items' stream, when there is one.
            events.method_name = naming::plain(&format!("{name}_{}", if paged { "events" } else { "stream" }));
            events.flag = flag;
        }
    }
    // After paging: a page's items are received.
    direction::mark(&mut api.types, &api.operations, &api.webhooks);
    Ok(())
}

/// Which of `types` the type references `roots` reach, directly or through
/// other types' fields and variants, by index into `types`.
fn reached<'a>(types: &[TypeDef], roots: impl IntoIterator<Item = &'a TypeRef>) -> Vec<bool> {
    let index: std::collections::BTreeMap<&str, usize> =
        types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let mut seen = vec![false; types.len()];
    let mut stack: Vec<usize> = Vec::new();
    for r in roots {
        r.visit_named(&mut |n| stack.extend(index.get(n).copied()));
    }
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            for r in types[i].type_refs() {
                r.visit_named(&mut |n| stack.extend(index.get(n).copied()));
            }
        }
    }
    seen
}

/// The boolean `stream` field of an operation's JSON body, which asks an
/// API (OpenAI's, DigitalOcean's) for server-sent events.
fn stream_flag(op: &Operation, types: &[TypeDef]) -> Option<crate::ir::StreamFlag> {
    let is_flag = |f: &&crate::ir::Field| f.wire == "stream" && f.ty == TypeRef::Bool;
    let (body, fields) = match op.body.as_ref()? {
        Body::Fields { fields, .. } => (None, &fields[..]),
        Body::Json { field, ty: TypeRef::Named(name), required, .. } => {
            let TypeBody::Struct { fields, .. } = &crate::ir::resolve(types, name)?.body else { return None };
            (Some((field.clone(), !required)), &fields[..])
        }
        _ => return None,
    };
    let flag = fields.iter().find(is_flag)?;
    Some(crate::ir::StreamFlag { body, field: flag.rust.clone(), presence: flag.presence })
}
