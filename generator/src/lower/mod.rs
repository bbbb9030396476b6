//! Lowering: the typed document's schemas and operations to the IR, with
//! every name decided here (see `crate::naming`).

use crate::error::{Error, ErrorKind, Result, Warning, WarningKind};
use crate::ir::{
    Api, Body, ErrorResponse, Events, Location, NamedBy, Operation, Param, Presence, Response, Scheme, SchemeKind,
    Style, TypeRef,
};
use crate::naming::{self, Scope};
use crate::overrides::Overrides;
use crate::pointer::push_pointer;
use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SecurityScheme, StatusCode,
};
use schema::{Components, Kind, Norm};
use std::collections::{BTreeMap, BTreeSet};
use types::{presence, TypeBuilder};

mod bodies;
pub(crate) mod examples;
mod parameters;
mod placement;
mod responses;
pub(crate) mod schema;
mod security;
pub(crate) mod types;

pub(crate) use bodies::pick_media;
use parameters::form_encoding;
use placement::*;
pub(crate) use responses::success_response;

/// What lowering found besides the IR: its warnings, and the operations
/// that declare a `Link` response header (for the pagination pass).
pub(crate) struct Lowered {
    pub api: Api,
    pub warnings: Vec<Warning>,
    pub link_headers: BTreeSet<String>,
}

/// Lowers `spec` to the IR, with the warnings of what was degraded. Run on a
/// thread with `crate::pipeline::LOWER_STACK` bytes of stack.
pub(crate) fn lower(spec: &OpenAPI, overrides: &Overrides) -> Result<Lowered> {
    let comps = Components::new(spec)?;
    let prefix = overrides.strip_prefix.clone().unwrap_or_else(|| {
        naming::common_prefix(spec.components.iter().flat_map(|c| c.schemas.keys().map(String::as_str)))
    });
    let mut lowering = Lowering {
        spec,
        overrides,
        types: TypeBuilder::new(&comps, prefix, &overrides.types),
        warnings: Vec::new(),
        reads_one: Vec::new(),
        link_headers: BTreeSet::new(),
        layout: PathLayout::new(
            spec.paths.paths.iter().map(|(path, item)| (path.as_str(), item.as_item().map_or(0, |i| i.iter().count()))),
        ),
    };
    lowering.layout.ids = IdStyle::of_spec(spec);
    lowering.layout.tags = tags_partition(spec, &lowering.layout);
    let schemes = lowering.schemes(overrides)?;
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let item_pointer = push_pointer("/paths", path);
        let ReferenceOr::Item(item) = item else {
            return Err(Error::new(ErrorKind::Unsupported, item_pointer, "$ref path items are not supported"));
        };
        for (method, op) in item.iter() {
            let pointer = push_pointer(&item_pointer, method);
            operations.push(lowering.operation(path, method, op, &item.parameters, &pointer)?);
        }
    }
    place_operations(&mut operations, &lowering.reads_one, overrides);
    for op in &mut operations {
        // The root accessors are methods of `Client`, beside the runtime's own.
        if crate::contract::CLIENT_METHODS.contains(&naming::unraw(&op.resource[0])) {
            op.resource[0] = format!("{}_api", naming::unraw(&op.resource[0]));
        }
    }
    lowering.params_types(&mut operations)?;
    let webhooks = lowering.webhooks()?;
    let base_url = spec.servers.first().map(server_url).unwrap_or_default();
    let Lowering { types, mut warnings, link_headers, .. } = lowering;
    let (types, type_warnings) = types.finish();
    warnings.extend(type_warnings);
    warnings.sort();
    warnings.dedup(); // a schema shared by several operations is lowered once per use
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        base_url,
        schemes,
        features: overrides.features.unwrap_or_else(|| {
            let roots: std::collections::BTreeSet<_> = operations.iter().map(|op| &op.resource[0]).collect();
            roots.len() > FEATURES_FROM
        }),
        types,
        operations,
        webhooks,
        selection: None,
    };
    Ok(Lowered { api, warnings, link_headers })
}

/// With more top-level resources than this, each is a cargo feature by default.
pub(crate) const FEATURES_FROM: usize = 8;

/// A server URL with its variables replaced by their defaults, without a trailing `/`.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url.trim_end_matches('/').to_string()
}

struct Lowering<'a> {
    spec: &'a OpenAPI,
    overrides: &'a Overrides,
    types: TypeBuilder<'a>,
    warnings: Vec<Warning>,
    /// Per operation lowered so far: whether it is a `list` that reads one object.
    reads_one: Vec<bool>,
    /// The operations whose success response declares a `Link` header.
    link_headers: BTreeSet<String>,
    /// What the paths say about placing operations.
    layout: PathLayout,
}

impl<'a> Lowering<'a> {
    fn warn(&mut self, kind: WarningKind, pointer: String, message: impl Into<String>) {
        self.warnings.push(Warning { kind, pointer, message: message.into() });
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Result<Operation> {
        let Placed { mut resource, mut verb, scope, scoped_by, mut verb_in_path, mut query } =
            resource_and_verb(path, method, &self.layout);
        // A scope its tag calls the resource's own stays (`accounts().members()`).
        if let Some(collection) =
            scoped_by.filter(|c| !self.layout.tags && keeps_scope(&op.tags, c, &resource, &self.layout))
        {
            resource.insert(0, naming::snake(&collection));
        }
        let id = op.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
        // The spec's own naming signals, weakest first so that a stronger one
        // wins: the path (above), a tag, a namespaced operationId, an
        // SDK-naming extension; then the overrides file over all. All apply
        // before anything is named after the placement.
        let mut named_by = NamedBy::Path;
        if let Some(tag) = self.layout.tags.then(|| op.tags.first()).flatten() {
            resource = tagged(tag, resource);
            named_by = NamedBy::Tag;
            query = None;
        }
        if let Some((group, name)) = op.operation_id.as_deref().and_then(|id| self.layout.ids?.split(id)) {
            (resource, verb, verb_in_path, named_by, query) = (group, name, true, NamedBy::OperationId, None);
        }
        if let Some((group, name)) = extension_names(op) {
            if let Some(group) = group {
                resource = group;
            }
            if let Some(name) = name {
                (verb, verb_in_path) = (name, true);
            }
            named_by = NamedBy::Extension;
            query = None;
        }
        if let Some(o) = self.overrides.operations.get(&id) {
            if let Some(r) = &o.resource {
                resource = r.split('.').map(naming::snake).collect();
                (named_by, query) = (NamedBy::Overrides, None);
            }
            if let Some(m) = &o.method {
                verb = naming::snake(m);
                (named_by, query) = (NamedBy::Overrides, None);
            }
        }
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) if s.trim() != d.trim() => Some(format!("{s}\n\n{d}")),
            (s, d) => s.clone().or_else(|| d.clone()),
        };
        let resource_hint = resource.iter().map(|s| naming::pascal(s)).collect::<String>();
        let hint = format!("{resource_hint}{}", naming::pascal(&verb));
        let params = self.parameters(path, op, shared, pointer, (&resource_hint, &hint))?;
        let security = self.security(op, pointer)?;
        let response = self.response(op, &push_pointer(pointer, "responses"), &hint)?;
        let errors = self.errors(op, &push_pointer(pointer, "responses"), &hint)?;
        let events = self.events(op, &push_pointer(pointer, "responses"), &hint)?;
        // A query that returns a list or a page of one, or takes no query
        // parameters, is named as its path would be without it: it lists or
        // reads its own resource (`GET /user/billing/profile` is
        // `user().billing().profile().get()`); its types keep the names they were given.
        if let Some(by_method) =
            query.filter(|_| self.returns_many(&response) || !params.iter().any(|p| p.location == Location::Query))
        {
            resource.push(std::mem::replace(&mut verb, by_method));
            verb_in_path = false;
        }
        // A GET that returns one object, not a list or a page of one, reads
        // it (`me().get()`), unless its resource has a `get` already.
        let method_overridden = self.overrides.operations.get(&id).is_some_and(|o| o.method.is_some());
        let reads_one = method == "get" && verb == "list" && !verb_in_path && !method_overridden;
        self.reads_one.push(reads_one && self.returns_one(&response, resource.last()));
        if self.declares_link(op, &push_pointer(pointer, "responses"))? {
            self.link_headers.insert(id.clone());
        }
        let mut operation = Operation {
            id,
            method: method.to_uppercase(),
            path: path.to_string(),
            doc,
            resource,
            method_name: verb,
            named_by,
            positional: None,
            params_type: None,
            params: Vec::new(),
            body: None,
            response,
            security,
            pagination: None,
            errors,
            events: events.map(|ty| Events { method_name: String::new(), ty, flag: None }),
            example: None,
        };
        // The last path parameter is positional, like `edit(image_id, params)`,
        // unless it is the scope's (`account_id` of `POST /accounts/{account_id}/images/v1`)
        // or leads the path, a base path's variable (Linode's `/{apiVersion}/domains`).
        let leading = path_segments(path).first().and_then(|s| s.strip_prefix('{')?.strip_suffix('}'));
        let last_path = params
            .iter()
            .rposition(|p| p.location == Location::Path)
            .filter(|&i| scope.as_deref() != Some(params[i].wire.as_str()) && leading != Some(params[i].wire.as_str()));
        for (i, p) in params.into_iter().enumerate() {
            if Some(i) == last_path {
                operation.positional = Some(p);
            } else {
                operation.params.push(p);
            }
        }
        if let Some(body) = &op.request_body {
            operation.body = self.body(body, &push_pointer(pointer, "requestBody"), &hint)?;
        }
        Ok(operation)
    }

    /// Whether a response is one thing, not a list or a page of one: a
    /// struct that is no page, a scalar, an enum, a union or alias of such,
    /// a binary file (not text such as XML or CSV, which may hold a list),
    /// or a JSON value of unknown shape (which says
    /// nothing of a list: Cloudflare's `GET /user`).
    /// (A page of a list is not one object: its one list field may also be named
    /// as the resource, `shipments` of `GET /shipments`.)
    fn returns_one(&self, response: &Response, resource: Option<&String>) -> bool {
        match response {
            Response::Json { ty, .. } => self.is_one(ty, resource, 0),
            // A binary file is one thing; text (XML, CSV, plain) may hold a list.
            Response::Bytes { accept } => accept.split(',').all(|m| {
                let m = m.trim().to_ascii_lowercase();
                ["image/", "audio/", "video/", "font/"].iter().any(|p| m.starts_with(p))
                    || ["application/octet-stream", "application/pdf", "application/zip", "application/gzip"]
                        .contains(&m.split(';').next().unwrap_or_default().trim())
            }),
            Response::Empty => false,
        }
    }

    /// Whether values of `ty` are one thing (see [`Lowering::returns_one`]).
    fn is_one(&self, ty: &TypeRef, resource: Option<&String>, depth: usize) -> bool {
        use crate::ir::TypeBody;
        match ty {
            TypeRef::Vec(_) | TypeRef::Map(_) => false,
            TypeRef::Boxed(inner) => self.is_one(inner, resource, depth),
            TypeRef::Named(name) => match self.types.body(name) {
                _ if depth > 8 => false,
                Some(TypeBody::Struct { fields, .. }) => {
                    let mut lists = fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)));
                    let named_list = match (lists.next(), lists.next(), resource) {
                        (Some(only), None, Some(resource)) => naming::unraw(&only.rust) == naming::unraw(resource),
                        _ => false,
                    };
                    !named_list && !is_page(fields)
                }
                Some(TypeBody::Enum { .. }) => true,
                Some(TypeBody::Alias { target }) => self.is_one(target, resource, depth + 1),
                Some(TypeBody::Union { variants }) => {
                    variants.iter().all(|(_, ty)| self.is_one(ty, resource, depth + 1))
                }
                None => false,
            },
            _ => true,
        }
    }

    /// Whether a response is a list or a page of one.
    fn returns_many(&self, response: &Response) -> bool {
        match response {
            Response::Json { ty: TypeRef::Vec(_), .. } => true,
            Response::Json { ty: TypeRef::Named(name), .. } => self.types.struct_fields(name).is_some_and(is_page),
            _ => false,
        }
    }

    /// The webhooks that reading a 3.1 document listed (see `crate::openapi31`).
    fn webhooks(&mut self) -> Result<Vec<crate::ir::Webhook>> {
        let Some(serde_json::Value::Object(listed)) = self.spec.extensions.get(crate::contract::WEBHOOKS) else {
            return Ok(Vec::new());
        };
        let mut variants = Scope::with_reserved(&["Unknown"]);
        let mut webhooks = Vec::new();
        for (name, reference) in listed {
            let Some(reference) = reference.as_str() else { continue };
            let pointer = push_pointer("/webhooks", name);
            let schema: ReferenceOr<openapiv3::Schema> = ReferenceOr::Reference { reference: reference.to_string() };
            let norm = Norm::from_ref_or(&schema, &pointer)?;
            let ty = self.types.type_of(&norm, &format!("{}Webhook", naming::pascal(name)))?;
            webhooks.push(crate::ir::Webhook { wire: name.clone(), variant: variants.claim(naming::pascal(name)), ty });
        }
        webhooks.sort_by(|a, b| a.wire.cmp(&b.wire));
        Ok(webhooks)
    }

    /// Names the params structs and their fields, once placement is final.
    fn params_types(&mut self, operations: &mut [Operation]) -> Result<()> {
        let mut module_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        for op in operations {
            let mut fields = Scope::default();
            if let Some(p) = &mut op.positional {
                p.rust = naming::snake(&p.wire);
            }
            for p in &mut op.params {
                p.rust = fields.claim(naming::snake(&p.wire));
            }
            match &mut op.body {
                Some(Body::Fields { fields: body_fields, extra }) => {
                    for f in body_fields.iter_mut() {
                        f.rust = fields.claim(naming::snake(&f.wire));
                    }
                    *extra = fields.claim("extra".into());
                }
                Some(Body::Multipart { fields: form } | Body::UrlEncoded { fields: form, .. }) => {
                    for f in form.iter_mut() {
                        f.rust = fields.claim(naming::snake(&f.wire));
                    }
                }
                Some(Body::Json { field, .. } | Body::Bytes { field, .. }) => *field = fields.claim("body".into()),
                None => {}
            }
            if op.params.is_empty() && op.body.is_none() {
                continue;
            }
            let scope = module_scopes.entry(op.resource[0].clone()).or_default();
            let base: String = op.resource[1..].iter().map(|s| naming::pascal(s)).collect();
            let base = if base.is_empty() { naming::pascal(&op.resource[0]) } else { base };
            op.params_type = Some(scope.claim(format!("{base}{}Params", naming::pascal(&op.method_name))));
        }
        Ok(())
    }
}

/// The item behind a possibly-`$ref`'d parameter, request body or response,
/// with the pointer of where it is defined.
pub(crate) fn local<'a, T>(
    r: &'a ReferenceOr<T>,
    section: &str,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    pointer: &str,
) -> Result<(&'a T, String)> {
    let reference = match r {
        ReferenceOr::Item(item) => return Ok((item, pointer.to_string())),
        ReferenceOr::Reference { reference } => reference,
    };
    let at = push_pointer(pointer, "$ref");
    let name = reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(|| {
            let message = format!("$ref `{reference}` must point at #/components/{section}/<name>");
            Error::new(ErrorKind::Unsupported, at.clone(), message)
        })?;
    match components.and_then(|c| c.get(name)) {
        Some(ReferenceOr::Item(item)) => Ok((item, push_pointer(&format!("/components/{section}"), name))),
        Some(ReferenceOr::Reference { .. }) => {
            Err(Error::new(ErrorKind::Unsupported, at, format!("$ref `{reference}` points at another $ref")))
        }
        None => Err(Error::new(ErrorKind::DanglingRef, at, format!("$ref `{reference}` points at nothing"))),
    }
}
