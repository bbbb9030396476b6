//! Tokens for the resource modules: one module per top-level resource, a
//! struct per resource node with accessors for its children, the operation
//! methods, and their params structs.

use super::methods::{method, stream_method};
use super::types::{self as ty_emit, From};
use super::{doc_attrs, ident};
use crate::ir::{Api, Body, Location, Operation, Presence, TypeRef};
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// The default name of the struct for a resource node (relative to its module).
fn node_struct(resource: &[String]) -> String {
    if resource.len() == 1 {
        naming::type_name(&resource[0])
    } else {
        naming::type_name(&resource[1..].iter().map(|s| naming::pascal(s)).collect::<String>())
    }
}

/// Top-level modules and their root structs, in name order.
pub(super) fn roots(api: &Api) -> BTreeMap<String, String> {
    api.operations.iter().map(|op| (op.resource[0].clone(), node_struct(&op.resource[..1]))).collect()
}

/// The top-level resource modules, in order.
pub(crate) fn module_names(api: &Api) -> Vec<&str> {
    let names: BTreeSet<&str> = api.operations.iter().map(|op| op.resource[0].as_str()).collect();
    names.into_iter().collect()
}

/// How many items (resource structs, params structs) of a module go into
/// one part: a module of thousands of operations (Microsoft Graph's `me`)
/// is formatted in pieces, on every core, never all at once.
const ITEMS_PER_PART: usize = 96;

/// How many parts the module `module` is emitted in.
pub(super) fn module_chunks(api: &Api, module: &str) -> usize {
    let (ops, nodes) = module_nodes(api, module);
    let items = nodes.len() + ops.iter().filter(|op| op.params_type.is_some()).count();
    items.div_ceil(ITEMS_PER_PART).max(1)
}

/// The operations of a top-level resource module, and every resource node
/// on the way to one of them, in order.
fn module_nodes<'a>(api: &'a Api, module: &str) -> (Vec<&'a Operation>, BTreeSet<&'a [String]>) {
    let ops: Vec<&Operation> = api.operations.iter().filter(|op| op.resource[0] == module).collect();
    let nodes = ops.iter().flat_map(|op| (1..=op.resource.len()).map(|n| &op.resource[..n])).collect();
    (ops, nodes)
}

/// How the crate root declares a top-level resource module: docs, `cfg`,
/// `pub mod`. Its items are [`module_items`], after `use super::runtime;`.
pub(super) fn module_decl(api: &Api, module: &str) -> TokenStream {
    let docs = doc_attrs(Some(&format!("Operations under `{module}`.")));
    let cfg = super::feature_cfg(api, &[module.to_string()]);
    let module = ident(module);
    quote! {
        #docs
        #cfg
        pub mod #module;
    }
}

/// A whole top-level resource module in one piece (tests compare the
/// pieces with it).
#[cfg(test)]
pub(super) fn module_whole(api: &Api, module: &str) -> TokenStream {
    let items = module_items(api, module, 0, 1);
    quote! {
        use super::runtime;
        #items
    }
}

/// Piece `chunk` of `chunks` of a top-level resource module's items: its
/// resource structs, then its params structs.
pub(super) fn module_items(api: &Api, module: &str, chunk: usize, chunks: usize) -> TokenStream {
    let (ops, nodes) = module_nodes(api, module);
    // Struct names are unique in the module: `[a, b_c]` and `[a, b, c]` would both be `BC`.
    let mut scope = naming::Scope::default();
    for op in &ops {
        scope.claim(op.params_type.clone().unwrap_or_default());
    }
    let names: BTreeMap<&[String], String> = nodes.iter().map(|node| (*node, scope.claim(node_struct(node)))).collect();
    // Each node's mock (feature `testing`), named after it.
    let mocks: BTreeMap<&[String], String> =
        nodes.iter().map(|node| (*node, scope.claim(format!("{}Mock", names[node])))).collect();
    let with_params: Vec<&Operation> = ops.iter().copied().filter(|op| op.params_type.is_some()).collect();
    let total = nodes.len() + with_params.len();
    let range = total * chunk / chunks..total * (chunk + 1) / chunks;
    let structs = nodes.iter().enumerate().filter(|(i, _)| range.contains(i)).map(|(_, node)| {
        let children =
            nodes.range(*node..).skip(1).take_while(|c| c.starts_with(node)).filter(|c| c.len() == node.len() + 1);
        let node_ops = ops.iter().copied().filter(|op| op.resource == *node);
        let children: Vec<&[String]> = children.copied().collect();
        let node_struct = resource_struct(node, &names, children.iter().copied(), node_ops.clone());
        let mock = super::mock::mock_struct(api, node, &names, &mocks, &children, node_ops);
        quote!(#node_struct #mock)
    });
    let params = with_params
        .iter()
        .enumerate()
        .filter(|(i, _)| range.contains(&(nodes.len() + i)))
        .filter_map(|(_, op)| params_struct(op, &names));
    quote! {
        #(#structs)*
        #(#params)*
    }
}

fn resource_struct<'a>(
    node: &[String],
    names: &BTreeMap<&[String], String>,
    children: impl Iterator<Item = &'a [String]>,
    ops: impl Iterator<Item = &'a Operation>,
) -> TokenStream {
    let name = format_ident!("{}", names[node]);
    let docs = doc_attrs(Some(&format!("The `{}` resource.", node.join("."))));
    let accessors = children.map(|child| {
        let method = ident(child.last().expect("children are non-empty"));
        let child_struct = format_ident!("{}", names[child]);
        let docs = doc_attrs(Some(&format!("The `{}` resource.", child.join("."))));
        // A sub-resource called `new` (`requests().new()`) is an accessor, not a constructor.
        let allow = (child.last().is_some_and(|c| c == "new")).then(|| quote!(#[allow(clippy::new_ret_no_self)]));
        quote! {
            #docs
            #allow
            pub fn #method(&self) -> #child_struct<'a> {
                #child_struct { client: self.client }
            }
        }
    });
    let methods = ops.map(|op| {
        let call = method(op, None);
        let stream = op.pagination.as_ref().map(|p| stream_method(op, p));
        let events = op.events.as_ref().map(|e| method(op, Some(e)));
        quote!(#call #stream #events)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(super) client: &'a runtime::Client,
        }

        impl<'a> #name<'a> {
            #(#accessors)*
            #(#methods)*
        }
    }
}

/// The fields of an operation's params struct, for its setters and `new`.
fn settable(op: &Operation) -> Vec<ty_emit::Settable<'_>> {
    let mut out: Vec<ty_emit::Settable> = op
        .params
        .iter()
        .map(|p| ty_emit::Settable {
            rust: &p.rust,
            wire: &p.wire,
            ty: &p.ty,
            presence: if p.required { Presence::Required } else { Presence::Optional },
        })
        .collect();
    match &op.body {
        Some(Body::Fields { fields, .. } | Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) => {
            out.extend(fields.iter().map(ty_emit::Settable::field))
        }
        Some(Body::Json { field, ty, required, schemaless, .. }) => out.push(ty_emit::Settable {
            rust: field,
            wire: "body",
            ty,
            presence: if *required && !*schemaless { Presence::Required } else { Presence::Optional },
        }),
        Some(Body::Bytes { field, .. }) => out.push(ty_emit::Settable {
            rust: field,
            wire: "body",
            ty: &TypeRef::Upload,
            presence: Presence::Required,
        }),
        None => {}
    }
    out
}

/// Whether an operation's params struct derives `Default`: every required
/// field has one (named types are conservatively assumed not to).
pub(super) fn params_default(op: &Operation) -> bool {
    let named = |_: &str| false;
    let params = op.params.iter().all(|p| !p.required || p.ty.has_default(&named));
    let body = match &op.body {
        Some(Body::Fields { fields, .. }) => {
            fields.iter().all(|f| f.presence != Presence::Required || f.ty.has_default(&named))
        }
        Some(Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) => {
            fields.iter().all(|f| f.presence != Presence::Required || f.ty.has_default(&named))
        }
        Some(Body::Json { ty, required, schemaless, .. }) => !required || *schemaless || ty.has_default(&named),
        Some(Body::Bytes { .. }) | None => true,
    };
    params && body
}

/// What `new` takes, as (Rust name, wire name): the required string
/// parameters, then the required string fields of a body flattened into the
/// params struct (Slack's `channel`, Twilio's `To`); everything else defaults.
pub(super) fn constructor_params(op: &Operation) -> Vec<(&str, &str)> {
    let params = op.params.iter().filter(|p| p.required && p.ty == TypeRef::String);
    let mut args: Vec<(&str, &str)> = params.map(|p| (p.rust.as_str(), p.wire.as_str())).collect();
    if let Some(Body::Fields { fields, .. } | Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) = &op.body {
        let required = fields.iter().filter(|f| f.presence == Presence::Required && f.ty == TypeRef::String);
        args.extend(required.map(|f| (f.rust.as_str(), f.wire.as_str())));
    }
    args
}

/// A call of `op` for the crate docs, when one can be written without knowing values.
pub(crate) fn example_call(op: &Operation, lib: &str) -> Option<String> {
    let chain: String = op.resource.iter().map(|r| format!(".{}()", naming::unraw(r))).collect();
    let mut args = Vec::new();
    if let Some(p) = &op.positional {
        if p.ty != TypeRef::String {
            return None;
        }
        args.push(format!("\"{}\"", p.wire));
    }
    if let Some(params) = &op.params_type {
        let module = naming::unraw(&op.resource[0]);
        let required = constructor_params(op);
        args.push(match (params_default(op), required.is_empty()) {
            (true, true) => format!("{lib}::{module}::{params}::default()"),
            (true, false) => {
                let values: Vec<String> = required.iter().map(|(_, wire)| format!("\"{wire}\"")).collect();
                format!("{lib}::{module}::{params}::new({})", values.join(", "))
            }
            (false, _) => return None,
        });
    }
    Some(format!("client{chain}.{}({}).await?", naming::unraw(&op.method_name), args.join(", ")))
}

/// The params struct of an operation, if it has one.
fn params_struct(op: &Operation, names: &BTreeMap<&[String], String>) -> Option<TokenStream> {
    let name = format_ident!("{}", op.params_type.as_ref()?);
    let docs =
        doc_attrs(Some(&format!("Parameters of [`{}::{}`].", names[&op.resource[..]], naming::unraw(&op.method_name))));
    let default = params_default(op);
    let mut fields = Vec::new();
    for p in &op.params {
        let where_ = match p.location {
            Location::Path => "Path",
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Cookie => "Cookie",
        };
        let text = format!("{where_} parameter `{}`. {}", p.wire, p.doc.as_deref().unwrap_or("").trim());
        let docs = doc_attrs(Some(&text));
        let field = ident(&p.rust);
        let t = ty_emit::ty(&p.ty, From::Sibling);
        let t = if p.required { t } else { quote!(Option<#t>) };
        fields.push(quote!(#docs pub #field: #t,));
    }
    match &op.body {
        Some(Body::Fields { fields: body, extra }) => {
            for f in body {
                fields.push(ty_emit::field(f, From::Sibling));
            }
            fields.push(ty_emit::extra_field(extra));
        }
        Some(Body::Multipart { fields: form } | Body::UrlEncoded { fields: form, .. }) => {
            for f in form {
                let text = format!("Form field `{}`. {}", f.wire, f.doc.as_deref().unwrap_or("").trim());
                let docs = doc_attrs(Some(&text));
                let field = ident(&f.rust);
                let t = ty_emit::field_ty(&f.ty, f.presence, From::Sibling);
                fields.push(quote!(#docs pub #field: #t,));
            }
        }
        Some(Body::Json { field, ty, required, schemaless, doc }) => {
            let default_doc = if *schemaless { "The request body (`{}` when not given)." } else { "The request body." };
            let docs = doc_attrs(Some(doc.as_deref().unwrap_or(default_doc)));
            let field = ident(field);
            let t = ty_emit::ty(ty, From::Sibling);
            let t = if *required && !*schemaless { t } else { quote!(Option<#t>) };
            fields.push(quote!(#docs pub #field: #t,));
        }
        Some(Body::Bytes { field, content_type, doc }) => {
            let text =
                format!("{}\n\nSent as `{content_type}`.", doc.as_deref().unwrap_or("The request body, encoded."));
            let docs = doc_attrs(Some(&text));
            let field = ident(field);
            fields.push(quote!(#docs pub #field: runtime::Upload,));
        }
        None => {}
    }
    // Secrets (`format: password`, `writeOnly`) are `[redacted]` in `Debug`.
    let mut shown: Vec<(&str, bool)> = op.params.iter().map(|p| (p.rust.as_str(), p.secret)).collect();
    match &op.body {
        Some(Body::Fields { fields, extra }) => {
            shown.extend(fields.iter().map(|f| (f.rust.as_str(), f.secret)));
            shown.push((extra.as_str(), false));
        }
        Some(Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) => {
            shown.extend(fields.iter().map(|f| (f.rust.as_str(), f.secret)))
        }
        Some(Body::Json { field, .. } | Body::Bytes { field, .. }) => shown.push((field.as_str(), false)),
        None => {}
    }
    let redacting = ty_emit::redacting_debug(&name, &shown);
    let debug = if redacting.is_some() { quote!() } else { quote!(Debug,) };
    let derives = match default {
        true => quote!(#[derive(#debug Clone, PartialEq, Default)]),
        false => quote!(#[derive(#debug Clone, PartialEq)]),
    };
    // The body's fields as the request's JSON object (the path, query and header
    // parameters beside them are not part of it).
    let serialize = match &op.body {
        Some(Body::Fields { fields, extra }) => Some(ty_emit::serialize_struct(&name, fields, extra, From::Sibling)),
        _ => None,
    };
    let required = constructor_params(op);
    let settable = settable(op);
    let constructor = if default {
        (!required.is_empty()).then(|| {
            let names: Vec<_> = required.iter().map(|(rust, _)| ident(rust)).collect();
            let all_given = op.body.is_none() && required.len() == op.params.len();
            let rest = (!all_given).then(|| quote!(..Default::default()));
            quote! {
                /// Parameters with the required ones given and everything else unset.
                pub fn new(#(#names: impl Into<String>),*) -> Self {
                    Self { #(#names: #names.into(),)* #rest }
                }
            }
        })
    } else {
        let extra = match &op.body {
            Some(Body::Fields { extra, .. }) => Some(extra.as_str()),
            _ => None,
        };
        Some(ty_emit::constructor(&settable, extra, From::Sibling))
    };
    let setters = ty_emit::setters(&settable, From::Sibling);
    // `#[non_exhaustive]`: built with `new`/`default` and setters, so a
    // parameter the API adds later breaks no caller.
    Some(quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #redacting
        #serialize

        #[allow(clippy::wrong_self_convention)]
        impl #name {
            #constructor
            #setters
        }
    })
}
