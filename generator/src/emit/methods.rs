//! Tokens for the operation methods: the call a method builds (path,
//! parameters, body, response), and the stream of a paginated list.

use super::types::{self as ty_emit, From};
use super::{doc_attrs, ident};
use crate::ir::{
    Body, Events, FieldPath, Location, Operation, PageKind, Pagination, Param, Presence, Response, Style, TypeRef,
};
use crate::naming;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Whether values of `ty` are written as one scalar with `Display`.
fn is_scalar(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::DateTime)
}

/// The runtime's name for a style.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form => quote!(runtime::Style::Form),
        Style::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(runtime::Style::PipeDelimited),
        Style::DeepObject => quote!(runtime::Style::DeepObject),
        Style::Simple => quote!(runtime::Style::Simple),
        Style::Label => quote!(runtime::Style::Label),
        Style::Matrix => quote!(runtime::Style::Matrix),
    }
}

/// The encoded text of a path parameter (from a place expression): a
/// scalar in `simple` style through `path_param`, anything else through
/// `path_styled`. `temporary` says whether the `&str` given to `path_param`
/// is a temporary, so that its encoding must be owned.
fn path_expr(p: &Param, place: TokenStream, temporary: bool) -> TokenStream {
    let wire = &p.wire;
    if p.style == Style::Simple && is_scalar(&p.ty) {
        let text = match &p.ty {
            TypeRef::String => quote!(&#place),
            TypeRef::DateTime => quote!(&#place.to_rfc3339()),
            _ => quote!(&#place.to_string()),
        };
        let owned = (temporary || p.ty != TypeRef::String).then(|| quote!(.into_owned()));
        return quote!(runtime::path_param(#wire, #text)? #owned);
    }
    let style = style_tokens(p.style);
    let explode = p.explode;
    quote!(runtime::path_styled(#wire, &#place, #style, #explode)?)
}

/// The `# Errors` section of a method's docs: the error bodies the operation
/// documents, by status, and how to read them.
fn errors_doc(op: &Operation) -> String {
    let mut doc =
        String::from("\n\n# Errors\n\n[`Error::Api`](super::Error::Api) when the API answers with an error status");
    if op.errors.is_empty() {
        return doc + ".";
    }
    doc.push_str("; its body decodes with [`ApiError::json`](super::ApiError::json) as documented:\n");
    for e in &op.errors {
        let ty = match &e.ty {
            TypeRef::Named(name) => format!("[`types::{name}`](super::types::{name})"),
            other => format!("`{}`", super::types::ty(other, super::types::From::Sibling).to_string().replace(' ', "")),
        };
        let status = if e.status == "default" { "any other status".to_string() } else { format!("`{}`", e.status) };
        let what = e.doc.as_deref().map(|d| d.lines().next().unwrap_or("").trim()).filter(|d| !d.is_empty());
        match what {
            Some(what) => doc.push_str(&format!("\n- {status}: {ty}: {what}")),
            None => doc.push_str(&format!("\n- {status}: {ty}")),
        }
    }
    doc
}

/// An operation's method; with `events`, the method that reads its
/// `text/event-stream` response as a stream of events.
pub(super) fn method(op: &Operation, events: Option<&Events>) -> TokenStream {
    let name = ident(events.map_or(&op.method_name, |e| &e.method_name));
    let mut doc = op.doc.clone().unwrap_or_default();
    if let Some(events) = events {
        let flag = match &events.flag {
            Some(flag) => format!(", with `{}` set to `true` in the request", naming::unraw(&flag.field)),
            None => String::new(),
        };
        doc = format!(
            "{}\n\nAs server-sent events{flag}: a stream of each event's data, decoded, that ends with the \
             response (or the API's `[DONE]`).",
            doc.lines().next().unwrap_or("").trim()
        );
    }
    doc.push_str(&format!("\n\n`{} {}` (operation `{}`).", op.method, op.path, op.id));
    doc.push_str(&errors_doc(op));
    let docs = doc_attrs(Some(&doc));

    // Arguments: the positional path parameter, then the params struct.
    let mut args = Vec::new();
    // By wire name: the Rust name, the text as `&str`, and whether that text is a temporary
    // (so that the encoded text must be owned).
    let mut path_values: BTreeMap<&str, (String, TokenStream)> = BTreeMap::new();
    if let Some(p) = &op.positional {
        let arg = ident(&p.rust);
        if p.ty == TypeRef::String {
            args.push(quote!(#arg: &str));
            let expr = if p.style == Style::Simple {
                let wire = &p.wire;
                quote!(runtime::path_param(#wire, #arg)?)
            } else {
                path_expr(p, quote!(#arg), false)
            };
            path_values.insert(&p.wire, (p.rust.clone(), expr));
        } else {
            let t = ty_emit::ty(&p.ty, From::Sibling);
            args.push(quote!(#arg: #t));
            path_values.insert(&p.wire, (p.rust.clone(), path_expr(p, quote!(#arg), true)));
        }
    }
    if let Some(params) = &op.params_type {
        let params = format_ident!("{}", params);
        args.push(quote!(params: #params));
    }
    for p in op.params.iter().filter(|p| p.location == Location::Path) {
        let field = ident(&p.rust);
        path_values.insert(&p.wire, (p.rust.clone(), path_expr(p, quote!(params.#field), false)));
    }

    // Each path parameter, encoded, in a local named after it; then the
    // path as a format string that names them.
    let mut locals = Vec::new();
    let mut format = String::new();
    let mut rest = op.path.as_str();
    let mut taken = naming::Scope::with_reserved(&["path", "request", "params", "mock_input"]);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        format.push_str(&rest[..open]);
        let wire = &rest[open + 1..open + close];
        let (rust, value) = &path_values[wire];
        let local = taken.claim(naming::plain(naming::unraw(rust).trim_end_matches('_')));
        let local_ident = format_ident!("{}", local);
        locals.push(quote!(let #local_ident = #value;));
        format.push('{');
        format.push_str(&local);
        format.push('}');
        rest = &rest[open + close + 1..];
    }
    format.push_str(rest);
    let path = if locals.is_empty() { quote!(#format.to_string()) } else { quote!(format!(#format)) };

    let method = format_ident!("{}", op.method);
    let security = op.security.iter().map(|alt| quote!(&[#(#alt),*]));
    let mut chain = Vec::new();
    if !op.security.is_empty() {
        chain.push(quote!(.security(&[#(#security),*])));
    }
    for p in op.params.iter().filter(|p| p.location != Location::Path) {
        chain.push(param_call(p));
    }
    match &op.body {
        Some(Body::Fields { .. }) => chain.push(quote!(.json(&params)?)),
        Some(Body::Json { field, required: true, schemaless: true, .. }) => {
            let field = ident(field);
            chain.push(quote!(.json(params.#field.as_ref().unwrap_or(&serde_json::json!({})))?));
        }
        Some(Body::Json { field, required: true, .. }) => {
            let field = ident(field);
            chain.push(quote!(.json(&params.#field)?));
        }
        Some(Body::Multipart { fields }) => {
            let parts = fields.iter().map(form_part);
            chain.push(quote!(.multipart(runtime::Multipart::new() #(#parts)*)));
        }
        Some(Body::UrlEncoded { fields, styles }) => {
            let calls = fields.iter().zip(styles).map(|(f, (style, explode))| {
                let wire = &f.wire;
                let field = ident(&f.rust);
                let style = style_tokens(*style);
                if f.presence == Presence::Required {
                    quote!(.field(#wire, &params.#field, #style, #explode))
                } else {
                    quote!(.field_opt(#wire, params.#field.as_ref(), #style, #explode))
                }
            });
            chain.push(quote!(.form(runtime::Form::new() #(#calls)*)));
        }
        Some(Body::Json { field, required: false, .. }) => {
            let field = ident(field);
            chain.push(quote!(.json_opt(params.#field.as_ref())?));
        }
        Some(Body::Bytes { field, content_type, .. }) => {
            let field = ident(field);
            chain.push(quote!(.body_upload(#content_type, params.#field)));
        }
        None => {}
    }
    let (ret, call) = match (&op.response, events) {
        (_, Some(events)) => {
            chain.push(quote!(.header("Accept", "text/event-stream")));
            let t = ty_emit::ty(&events.ty, From::Sibling);
            (quote!(runtime::EventStream<#t>), quote!(events))
        }
        (Response::Json { ty, enveloped, optional }, None) => {
            let t = ty_emit::ty(ty, From::Sibling);
            let t = if *optional { quote!(Option<#t>) } else { t };
            (t, if *enveloped { quote!(enveloped) } else { quote!(json) })
        }
        (Response::Bytes { accept }, None) => {
            chain.push(quote!(.header("Accept", #accept)));
            (quote!(Vec<u8>), quote!(bytes))
        }
        (Response::Empty, None) => (quote!(()), quote!(empty)),
    };
    // The flag that asks for a stream, set before the body is written.
    if let Some(flag) = events.and_then(|e| e.flag.as_ref()) {
        let field = ident(&flag.field);
        let value = match flag.presence {
            Presence::Required => quote!(true),
            Presence::Optional | Presence::RequiredNullable => quote!(Some(true)),
            Presence::OptionalNullable => quote!(Some(Some(true))),
        };
        locals.insert(
            0,
            match &flag.body {
                None => quote!(let mut params = params; params.#field = #value;),
                Some((body, false)) => {
                    let body = ident(body);
                    quote!(let mut params = params; params.#body.#field = #value;)
                }
                Some((body, true)) => {
                    let body = ident(body);
                    quote!(let mut params = params; if let Some(body) = params.#body.as_mut() { body.#field = #value; })
                }
            },
        );
    }
    // Last in the chain, so that the chain never ends in `?` (`Ok(x?)`).
    let (id, template) = (&op.id, &op.path);
    // `new` is the verb for POST, as in the other Cloudflare SDKs.
    let allow = (name == "new").then(|| quote!(#[allow(clippy::new_ret_no_self)]));
    let (capture, attach) = super::mock::input_capture(op);
    quote! {
        #docs
        #allow
        pub fn #name(&self, #(#args),*) -> runtime::Call<'a, #ret> {
            runtime::Call::#call(self.client, move || {
                #capture
                #(#locals)*
                let path = #path;
                let request = runtime::Request::new(runtime::Method::#method, path) #(#chain)* .operation(#id, #template);
                #attach
                Ok(request)
            })
        }
    }
}

/// `<method>_stream`: every item of every page, fetched as the stream is read.
pub(super) fn stream_method(op: &Operation, pagination: &Pagination) -> TokenStream {
    let method = ident(&op.method_name);
    let name = format_ident!("{}_stream", naming::unraw(&op.method_name));
    let params_ty = op.params_type.as_deref().map(|t| format_ident!("{t}"));
    let item = ty_emit::ty(&pagination.item, From::Sibling);
    let doc = format!(
        "Every item of every page of [`{0}`](Self::{0}), as a stream that fetches the next page when it needs it.",
        naming::unraw(&op.method_name)
    );
    let docs = doc_attrs(Some(&doc));
    // The positional argument is owned by the stream, and lent to each call.
    let (arg, own, lend, pass) = match &op.positional {
        Some(p) => {
            let arg = ident(&p.rust);
            let t = ty_emit::ty(&p.ty, From::Sibling);
            if p.ty == TypeRef::String {
                (
                    quote!(#arg: &str,),
                    quote!(let #arg = #arg.to_owned();),
                    quote!(let #arg = #arg.clone();),
                    quote!(&#arg,),
                )
            } else {
                (quote!(#arg: #t,), quote!(), quote!(let #arg = #arg.clone();), quote!(#arg,))
            }
        }
        None => (quote!(), quote!(), quote!(), quote!()),
    };
    let items = match &pagination.items {
        None => quote!(page),
        Some((field, true)) => {
            let field = ident(field);
            quote!(page.#field.take().unwrap_or_default())
        }
        Some((field, false)) => {
            let field = ident(field);
            quote!(std::mem::take(&mut page.#field))
        }
    };
    // A stream's state: the params of the next page, and the URL the API gave for it
    // when it gives one (an operation without params pages by URLs alone).
    let (state, start, call, then) = match (&pagination.kind, &op.params_type) {
        (PageKind::NextUrl { .. } | PageKind::LinkHeader, Some(_)) => (
            quote!((params, url): (#params_ty, Option<String>)),
            quote!((params, None)),
            quote!(this.#method(#pass params.clone()).page_url(url.clone())),
            quote!(|u| (params, Some(u))),
        ),
        (PageKind::NextUrl { .. } | PageKind::LinkHeader, None) => {
            (quote!(url: Option<String>), quote!(None), quote!(this.#method(#pass).page_url(url.clone())), quote!(Some))
        }
        _ => (quote!(params: #params_ty), quote!(params), quote!(this.#method(#pass params.clone())), quote!()),
    };
    let params_arg = op.params_type.as_ref().map(|_| quote!(params: #params_ty,));
    let mutable = if pagination.items.is_some() { quote!(mut) } else { quote!() };
    let fetched = quote!(let #mutable page = #call.await?;);
    // A cursor the API gives is followed unless it is empty or the one just sent.
    let follow = |token: TokenStream, param: &str, number: bool| {
        let param = ident(param);
        let empty = (!number).then(|| quote!(!t.is_empty() &&));
        quote! {
            let next = #token
                .filter(|t| #empty params.#param.as_ref() != Some(t))
                .map(|t| #params_ty { #param: Some(t), ..params });
            Ok(runtime::Page::new(items, next))
        }
    };
    let (fetch, next) = match &pagination.kind {
        PageKind::Number { page, float } => {
            let page = ident(page);
            let (one, as_f64) = if *float { (quote!(1.0), quote!()) } else { (quote!(1), quote!(as f64)) };
            // A numbered list's totals (`result_info`) say which page is the last.
            let fetch = quote! {
                let number = params.#page.unwrap_or(#one);
                let response = #call.with_response().await?;
                let last = runtime::last_page(response.result_info(), number #as_f64);
                let #mutable page = response.into_value();
            };
            let next = quote! {
                let next = #params_ty { #page: Some(number + #one), ..params };
                Ok(runtime::Page::numbered(items, next, last))
            };
            (fetch, next)
        }
        PageKind::Cursor { param, next, number } => {
            let token = if *number { copied(quote!(page), next) } else { cloned(quote!(page), next) };
            (fetched, follow(token, param, *number))
        }
        PageKind::AfterLast { param, has_more, last, id } => {
            let more = match field(quote!(page), has_more) {
                Access::Place(place) => place,
                Access::Opt(opt) => quote!(#opt.is_some_and(|more| *more)),
            };
            let from_item = id.as_ref().map(|id| match field(quote!(item), id) {
                Access::Place(place) => quote!(items.last().map(|item| #place.clone())),
                Access::Opt(opt) => quote!(items.last().and_then(|item| #opt.cloned())),
            });
            let token = match (last.as_ref().map(|last| cloned(quote!(page), last)), from_item) {
                (Some(last), Some(item)) => quote!(#last.or_else(|| #item)),
                (Some(only), None) | (None, Some(only)) => only,
                (None, None) => unreachable!("lowering keeps one"),
            };
            let token = quote!(#token.filter(|_| #more));
            (fetched, follow(token, param, false))
        }
        PageKind::Offset { param, float, total } => {
            let param = ident(param);
            let zero = if *float { quote!(0.0) } else { quote!(0) };
            let fetch = quote! {
                let offset = params.#param.unwrap_or(#zero);
                #fetched
            };
            let last = match total.as_ref().map(|total| field(quote!(page), total)) {
                Some(Access::Place(place)) => quote!(runtime::offset_last(offset, items.len(), Some(#place))),
                Some(Access::Opt(opt)) => quote!(runtime::offset_last(offset, items.len(), #opt.copied())),
                None => quote!(false),
            };
            let next = quote! {
                let last = #last;
                let next = #params_ty { #param: Some(runtime::offset_next(offset, items.len())), ..params };
                Ok(runtime::Page::numbered(items, next, last))
            };
            (fetch, next)
        }
        PageKind::NextUrl { next } => {
            let url = cloned(quote!(page), next);
            let next = quote! {
                let next = #url
                    .filter(|u| !u.is_empty() && url.as_ref() != Some(u))
                    .map(#then);
                Ok(runtime::Page::new(items, next))
            };
            (fetched, next)
        }
        PageKind::LinkHeader => {
            let fetch = quote! {
                let response = #call.with_response().await?;
                let next = runtime::link_next(response.headers());
                let #mutable page = response.into_value();
            };
            let next = quote! {
                let next = next.filter(|u| url.as_ref() != Some(u)).map(#then);
                Ok(runtime::Page::new(items, next))
            };
            (fetch, next)
        }
    };
    quote! {
        #docs
        pub fn #name(
            &self,
            #arg
            #params_arg
        ) -> impl runtime::Stream<Item = Result<#item, super::Error>> + 'a {
            let this = *self;
            #own
            runtime::paginate(#start, move |#state| {
                #lend
                async move {
                    #fetch
                    let items = #items;
                    #next
                }
            })
        }
    }
}

/// A field reached from a value through a [`FieldPath`].
enum Access {
    /// Every step is required: the place itself (`page.meta.total`).
    Place(TokenStream),
    /// An `Option<&T>` of it.
    Opt(TokenStream),
}

/// The field at `path` of the value `base`.
fn field(base: TokenStream, path: &FieldPath) -> Access {
    let mut access = Access::Place(base);
    for (rust, presence) in path {
        let f = ident(rust);
        let unwrap = match presence {
            Presence::Required => None,
            Presence::Optional | Presence::RequiredNullable => Some(quote!(.as_ref())),
            Presence::OptionalNullable => Some(quote!(.as_ref().and_then(Option::as_ref))),
        };
        access = match (access, unwrap) {
            (Access::Place(place), None) => Access::Place(quote!(#place.#f)),
            (Access::Place(place), Some(unwrap)) => Access::Opt(quote!(#place.#f #unwrap)),
            (Access::Opt(opt), None) => Access::Opt(quote!(#opt.map(|v| &v.#f))),
            (Access::Opt(opt), Some(unwrap)) => Access::Opt(quote!(#opt.and_then(|v| v.#f #unwrap))),
        };
    }
    access
}

/// An `Option<T>` of the field at `path` of `base`, a `Copy` type.
fn copied(base: TokenStream, path: &FieldPath) -> TokenStream {
    match field(base, path) {
        Access::Place(place) => quote!(Some(#place)),
        Access::Opt(opt) => quote!(#opt.copied()),
    }
}

/// An `Option<T>` of a copy of the field at `path` of `base`.
fn cloned(base: TokenStream, path: &FieldPath) -> TokenStream {
    match field(base, path) {
        Access::Place(place) => quote!(Some(#place.clone())),
        Access::Opt(opt) => quote!(#opt.cloned()),
    }
}

/// The `Multipart` call that adds one form field.
fn form_part(f: &crate::ir::Field) -> TokenStream {
    let wire = &f.wire;
    let field = ident(&f.rust);
    let required = f.presence == Presence::Required;
    let scalar = matches!(f.ty, TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
    match (&f.ty, required) {
        (TypeRef::Upload, true) => quote!(.upload(#wire, params.#field.clone())),
        (TypeRef::Upload, false) => quote!(.upload_opt(#wire, params.#field.clone())),
        (_, true) if scalar => quote!(.text(#wire, &params.#field)),
        (_, false) if scalar => quote!(.text_opt(#wire, params.#field.as_ref())),
        (TypeRef::DateTime, true) => quote!(.text(#wire, params.#field.to_rfc3339())),
        (TypeRef::DateTime, false) => quote!(.text_opt(#wire, params.#field.as_ref().map(|v| v.to_rfc3339()))),
        (_, true) => quote!(.json(#wire, &params.#field)?),
        (_, false) => quote!(.json_opt(#wire, params.#field.as_ref())?),
    }
}

/// The builder call that adds a query, header or cookie parameter: scalars
/// with `Display`, a list of scalars as repeated pairs, anything else in its
/// OpenAPI style through the runtime's serializer.
fn param_call(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let field = ident(&p.rust);
    let explode = p.explode;
    let some = if p.required { quote!(Some(&params.#field)) } else { quote!(params.#field.as_ref()) };
    if p.location == Location::Cookie {
        return quote!(.cookie_opt(#wire, #some, #explode));
    }
    let (one, opt) = match p.location {
        Location::Header => (quote!(header), quote!(header_opt)),
        _ => (quote!(query), quote!(query_opt)),
    };
    let scalar_style = matches!(p.style, Style::Form | Style::Simple);
    match &p.ty {
        ty if is_scalar(ty) && scalar_style => {
            if p.required {
                // Numbers and booleans by value, text by reference (params is read again).
                let v = match ty {
                    TypeRef::DateTime => quote!(params.#field.to_rfc3339()),
                    TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Bool => quote!(params.#field),
                    _ => quote!(&params.#field),
                };
                quote!(.#one(#wire, #v))
            } else if *ty == TypeRef::DateTime {
                quote!(.#opt(#wire, params.#field.as_ref().map(|v| v.to_rfc3339())))
            } else {
                quote!(.#opt(#wire, params.#field.as_ref()))
            }
        }
        TypeRef::Vec(inner)
            if p.location == Location::Query
                && p.style == Style::Form
                && explode
                && is_scalar(inner)
                && **inner != TypeRef::DateTime =>
        {
            if p.required {
                quote!(.query_list(#wire, &params.#field))
            } else {
                quote!(.query_list(#wire, params.#field.as_deref().unwrap_or_default()))
            }
        }
        _ if p.location == Location::Header => quote!(.header_styled_opt(#wire, #some, #explode)),
        _ => {
            let style = style_tokens(p.style);
            quote!(.query_styled_opt(#wire, #some, #style, #explode))
        }
    }
}
