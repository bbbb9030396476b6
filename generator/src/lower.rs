//! Lowering an OpenAPI document to the [`ir::Api`](crate::ir::Api): operations
//! placed on a resource tree, parameters, bodies, responses, security.

use crate::error::{push_pointer, Error, ErrorKind, Result, Warning, WarningKind};
use crate::ir::{
    Api, Body, ErrorResponse, Events, Location, NamedBy, Operation, Param, Presence, Response, Scheme, SchemeKind,
    Style, TypeBody, TypeDef, TypeRef,
};
use crate::naming::{self, Scope};
use crate::overrides::Overrides;
use crate::schema::{Components, Kind, Norm};
use crate::types::{presence, TypeBuilder};
use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SecurityScheme, StatusCode,
};
use std::collections::{BTreeMap, BTreeSet};

/// Methods of the generated `ClientBuilder` that a security scheme's setter
/// must not take (a unit test checks them against what emission writes).
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "build",
    "connect_timeout",
    "credential",
    "from_env",
    "http_client",
    "idempotency_header",
    "max_retries",
    "max_retry_after",
    "middleware",
    "retry_delays",
    "retry_writes",
    "timeout",
];

/// Methods of the generated `Client` (its own and those of the traits it
/// derives) that a top-level resource accessor must not take (a `/runtime`
/// path becomes `runtime_api()`; a unit test checks them against what
/// emission writes).
/// The `Mock`'s own methods are here too, since it has the same accessors
/// (`client`, `from_examples`, `new`, `try_verify`, `verify`).
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "client",
    "clone",
    "clone_from",
    "fmt",
    "from_env",
    "from_examples",
    "new",
    "runtime",
    "try_verify",
    "verify",
];

/// Lowers `spec` to the IR, with the warnings of what was degraded.
pub fn lower(spec: &OpenAPI, overrides: &Overrides) -> Result<(Api, Vec<Warning>)> {
    // Types nest as deep as the spec's schemas (a chain of components each
    // holding the next), so lowering gets a stack of its own, reserved but
    // only touched as deep as it goes: a build script's or a test's thread
    // may have as little as 2 MB.
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("sdkgen-lower".into())
            .stack_size(LOWER_STACK)
            .spawn_scoped(s, || lower_here(spec, overrides))
            .map_err(|e| Error::new(ErrorKind::Io, "", format!("cannot start the lowering thread: {e}")))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The stack of the lowering thread (see [`lower`]).
pub const LOWER_STACK: usize = 256 << 20;

fn lower_here(spec: &OpenAPI, overrides: &Overrides) -> Result<(Api, Vec<Warning>)> {
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
        if CLIENT_METHODS.contains(&naming::unraw(&op.resource[0])) {
            op.resource[0] = format!("{}_api", naming::unraw(&op.resource[0]));
        }
    }
    lowering.params_types(&mut operations)?;
    let mut webhooks = lowering.webhooks()?;
    let base_url = spec.servers.first().map(server_url).unwrap_or_default();
    let Lowering { types, mut warnings, link_headers, .. } = lowering;
    let (mut types, type_warnings) = types.finish();
    crate::dedupe::merge_equal_types(&mut types, &mut operations, &mut webhooks);
    let unused = mark_users(&mut types, &operations, &webhooks);
    // An alias whose only user became an alias itself is used by nothing.
    types.retain(|t| !(matches!(t.body, TypeBody::Alias { .. }) && unused.contains(&t.name)));
    let built = request_types(&types, &operations);
    for def in &mut types {
        def.built = built.contains(&def.name);
    }
    crate::direction::mark(&mut types, &operations, &webhooks);
    for op in &mut operations {
        let over = overrides.operations.get(&op.id).and_then(|o| o.pagination.as_ref());
        op.pagination = crate::paging::pagination(op, &types, link_headers.contains(&op.id), over)?;
        let (name, paged) = (naming::unraw(&op.method_name).to_string(), op.pagination.is_some());
        let flag = stream_flag(op, &types);
        if let Some(events) = &mut op.events {
            // `_stream` is the paginated items' stream, when there is one.
            events.method_name = naming::plain(&format!("{name}_{}", if paged { "events" } else { "stream" }));
            events.flag = flag;
        }
    }
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
    };
    Ok((api, warnings))
}

/// The types a caller builds: reached from a request's parameters or body
/// (they get `new` and setters; response-only types are only decoded).
fn request_types(types: &[TypeDef], operations: &[Operation]) -> BTreeSet<String> {
    let index: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for r in operations.iter().flat_map(Operation::request_type_refs) {
        r.visit_named(&mut |n| todo.push(n.to_string()));
    }
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for r in index.get(name.as_str()).map(|def| def.type_refs()).unwrap_or_default() {
            r.visit_named(&mut |n| todo.push(n.to_string()));
        }
    }
    seen
}

/// With more top-level resources than this, each is a cargo feature by default.
const FEATURES_FROM: usize = 8;

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

    fn schemes(&mut self, overrides: &Overrides) -> Result<Vec<Scheme>> {
        let prefix = overrides
            .env_prefix
            .clone()
            .unwrap_or_else(|| naming::screaming(self.spec.info.title.split_whitespace().next().unwrap_or("API")));
        let mut setters = Scope::with_reserved(BUILDER_METHODS);
        let mut schemes = Vec::new();
        let all: BTreeMap<_, _> = self.spec.components.iter().flat_map(|c| &c.security_schemes).collect();
        for (name, scheme) in all {
            let pointer = push_pointer("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                return Err(Error::new(ErrorKind::Unsupported, pointer, "$ref security schemes are not supported"));
            };
            let (kind, doc) = match scheme {
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description)
                }
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description)
                }
                SecurityScheme::APIKey { location: APIKeyLocation::Header, name, description, .. } => {
                    (SchemeKind::Header(name.clone()), description)
                }
                SecurityScheme::APIKey { location: APIKeyLocation::Query, name, description, .. } => {
                    (SchemeKind::Query(name.clone()), description)
                }
                SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
                    self.warn(
                        WarningKind::AuthAsBearer,
                        pointer,
                        "OAuth2/OpenID Connect: the client takes a ready access token",
                    );
                    (SchemeKind::Bearer, description)
                }
                _ => {
                    self.warn(
                        WarningKind::AuthUnsupported,
                        pointer,
                        "this security scheme is not supported and is ignored",
                    );
                    continue;
                }
            };
            schemes.push(Scheme {
                name: name.clone(),
                setter: setters.claim(naming::snake(name)),
                kind,
                env: overrides
                    .env
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| format!("{prefix}_{}", naming::screaming(name))),
                doc: doc.clone(),
            });
        }
        Ok(schemes)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Result<Operation> {
        let Placed { mut resource, mut verb, scope, mut verb_in_path, mut query } =
            resource_and_verb(path, method, &self.layout);
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

    /// Whether a response is one object: a struct that is not a page of a
    /// list (not a list or a map), or a JSON value of unknown shape (which
    /// says nothing of a list: Cloudflare's `GET /user`).
    /// (A page of a list is not one object: its one list field may also be named
    /// as the resource, `shipments` of `GET /shipments`.)
    fn returns_one(&self, response: &Response, resource: Option<&String>) -> bool {
        if matches!(response, Response::Json { ty: TypeRef::Value, .. }) {
            return true;
        }
        let Response::Json { ty: TypeRef::Named(name), .. } = response else { return false };
        let Some(fields) = self.types.struct_fields(name) else { return false };
        let mut lists = fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)));
        let named_list = match (lists.next(), lists.next(), resource) {
            (Some(only), None, Some(resource)) => naming::unraw(&only.rust) == naming::unraw(resource),
            _ => false,
        };
        !named_list && !is_page(fields)
    }

    /// Whether a response is a list or a page of one.
    fn returns_many(&self, response: &Response) -> bool {
        match response {
            Response::Json { ty: TypeRef::Vec(_), .. } => true,
            Response::Json { ty: TypeRef::Named(name), .. } => self.types.struct_fields(name).is_some_and(is_page),
            _ => false,
        }
    }

    /// Path parameters in path order, then query and header parameters in spec order.
    fn parameters(
        &mut self,
        path: &str,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
        pointer: &str,
        (resource_hint, op_hint): (&str, &str),
    ) -> Result<Vec<Param>> {
        // Operation parameters override path-item ones with the same name and location.
        // Each with the name its inline type is named after (see `param`).
        let mut declared: IndexMap<(String, &'static str), (&Parameter, String, &str)> = IndexMap::new();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let lists = [
            (shared, push_pointer(item_pointer, "parameters"), resource_hint),
            (&op.parameters[..], push_pointer(pointer, "parameters"), op_hint),
        ];
        for (list, base, hint) in &lists {
            for (i, r) in list.iter().enumerate() {
                let components = self.spec.components.as_ref().map(|c| &c.parameters);
                let (param, at) = local(r, "parameters", components, &push_pointer(base, &i.to_string()))?;
                let loc = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                let hint = if at.starts_with("/components/") { "" } else { *hint };
                declared.insert((param.parameter_data_ref().name.clone(), loc), (param, at, hint));
            }
        }
        let mut out = Vec::new();
        for name in path_template_names(path) {
            match declared.get(&(name.to_string(), "path")) {
                Some((param, at, hint)) => out.push(self.param(param, Location::Path, at, hint)?),
                None => {
                    self.warn(
                        WarningKind::UndeclaredPathParam,
                        pointer.to_string(),
                        format!("path parameter `{name}` is not declared; taken as a string"),
                    );
                    out.push(Param {
                        rust: String::new(),
                        wire: name.to_string(),
                        location: Location::Path,
                        ty: TypeRef::String,
                        required: true,
                        doc: None,
                        style: Style::Simple,
                        explode: false,
                        secret: false,
                    });
                }
            }
        }
        for ((_, loc), (param, at, hint)) in &declared {
            let location = match *loc {
                "query" => Location::Query,
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                _ => continue, // path parameters were taken in path order above
            };
            out.push(self.param(param, location, at, hint)?);
        }
        Ok(out)
    }

    /// One parameter. An inline type of its schema is named `context` + its
    /// name, the context being where the parameter is declared, so that no
    /// other operation's parameter of the same name can take the name first:
    /// none for a shared parameter (`components/parameters`), the resource
    /// for one of a path item, the operation for one of an operation
    /// (`RadarHttpTopGetFormat`).
    fn param(&mut self, param: &Parameter, location: Location, pointer: &str, context: &str) -> Result<Param> {
        let data = param.parameter_data_ref();
        let mut secret = false;
        let (ty, doc) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let norm = Norm::from_ref_or(schema, &push_pointer(pointer, "schema"))?;
                let hint = format!("{context}{}", naming::pascal(&data.name));
                secret = self.types.secret(&norm);
                (self.types.type_of(&norm, &hint)?, data.description.clone().or_else(|| self.types.description(&norm)))
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(
                    WarningKind::ParamContent,
                    pointer.to_string(),
                    "parameter with `content` is sent as a JSON string",
                );
                (TypeRef::String, data.description.clone())
            }
        };
        use openapiv3::{PathStyle, QueryStyle};
        let style = match param {
            Parameter::Query { style: QueryStyle::Form, .. } | Parameter::Cookie { .. } => Style::Form,
            Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => Style::SpaceDelimited,
            Parameter::Query { style: QueryStyle::PipeDelimited, .. } => Style::PipeDelimited,
            Parameter::Query { style: QueryStyle::DeepObject, .. } => Style::DeepObject,
            Parameter::Path { style: PathStyle::Label, .. } => Style::Label,
            Parameter::Path { style: PathStyle::Matrix, .. } => Style::Matrix,
            Parameter::Path { .. } | Parameter::Header { .. } => Style::Simple,
        };
        Ok(Param {
            rust: String::new(),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == Location::Path,
            doc,
            style,
            // OpenAPI's default: `form` explodes, the other styles do not.
            explode: data.explode.unwrap_or(style == Style::Form),
            secret,
        })
    }

    /// The operation's alternatives of schemes. A scheme the document does
    /// not define gives no credential (a warning): it leaves its
    /// requirement, and a requirement left with no scheme is dropped (it
    /// did not say "no credential").
    fn security(&mut self, op: &openapiv3::Operation, pointer: &str) -> Result<Vec<Vec<String>>> {
        // The operation's own requirements, else the document's.
        let (reqs, base) = match &op.security {
            Some(own) => (Some(own), push_pointer(pointer, "security")),
            None => (self.spec.security.as_ref(), "/security".to_string()),
        };
        let known = self.spec.components.as_ref().map(|c| &c.security_schemes);
        let mut out = Vec::new();
        for (i, req) in reqs.into_iter().flatten().enumerate() {
            let mut names = Vec::new();
            for name in req.keys() {
                if known.is_some_and(|k| k.contains_key(name)) {
                    names.push(name.clone());
                } else {
                    let at = push_pointer(&push_pointer(&base, &i.to_string()), name);
                    let message = format!("security scheme `{name}` is not defined in components.securitySchemes: no credential is sent for it");
                    self.warn(WarningKind::UndefinedScheme, at, message);
                }
            }
            if !names.is_empty() || req.is_empty() {
                out.push(names);
            }
        }
        Ok(out)
    }

    fn body(&mut self, body: &ReferenceOr<openapiv3::RequestBody>, pointer: &str, hint: &str) -> Result<Option<Body>> {
        let (body, pointer) =
            local(body, "requestBodies", self.spec.components.as_ref().map(|c| &c.request_bodies), pointer)?;
        let content_pointer = push_pointer(&pointer, "content");
        // A body whose every schema admits only `{}` can carry nothing: no body. But a
        // required JSON body is still sent, as `{}`: a server may insist on one.
        let schemas = || body.content.values().map(|m| m.schema.as_ref());
        let required_json = body.required && pick_media(&body.content).is_some();
        if !body.content.is_empty()
            && !required_json
            && schemas().all(|s| s.is_some_and(|s| admits_only_empty_object(self.spec, s)))
        {
            return Ok(None);
        }
        // JSON when offered (several media types are common); else a
        // URL-encoded form (unless it would carry bytes); else multipart.
        let urlencoded = body.content.iter().find(|(m, _)| m.starts_with("application/x-www-form-urlencoded"));
        if let (None, Some((media, content))) = (pick_media(&body.content), urlencoded) {
            if let Some(fields) = self.form_fields(content, &push_pointer(&content_pointer, media), hint)? {
                if fields.iter().all(|f| !matches!(f.ty, TypeRef::Bytes)) {
                    let styles = fields.iter().map(|f| form_encoding(content, &f.wire)).collect();
                    return Ok(Some(Body::UrlEncoded { fields, styles }));
                }
            }
        }
        let multipart = body.content.iter().find(|(m, _)| m.starts_with("multipart/form-data"));
        if let (None, Some((media, content))) = (pick_media(&body.content), multipart) {
            if let Some(mut fields) = self.form_fields(content, &push_pointer(&content_pointer, media), hint)? {
                // A binary field is a file the caller sends: bytes, a file or a stream.
                for f in &mut fields {
                    if f.ty == TypeRef::Bytes {
                        f.ty = TypeRef::Upload;
                    }
                }
                return Ok(Some(Body::Multipart { fields }));
            }
        }
        let Some((media, content)) = pick_media(&body.content) else {
            let Some(media) = body.content.keys().next() else { return Ok(None) };
            if media.starts_with("multipart/") || media.starts_with("application/x-www-form-urlencoded") {
                self.warn(
                    WarningKind::BodyAsBytes,
                    push_pointer(&content_pointer, media),
                    format!("`{media}` body is taken as ready-encoded bytes"),
                );
            }
            return Ok(Some(Body::Bytes {
                field: "body".into(),
                content_type: media.clone(),
                doc: body.description.clone(),
            }));
        };
        let Some(schema) = &content.schema else {
            return Ok(Some(Body::Json {
                field: "body".into(),
                ty: TypeRef::Value,
                required: body.required,
                schemaless: true,
                doc: body.description.clone(),
            }));
        };
        let norm = Norm::from_ref_or(schema, &push_pointer(&push_pointer(&content_pointer, media), "schema"))?;
        let flat = self.types.resolve(&norm)?;
        if let Kind::Object(obj) = &flat.kind {
            if !obj.properties.is_empty() && obj.additional.is_none() {
                let mut fields = Vec::new();
                for (wire, prop) in &obj.properties {
                    let ty = self.types.type_of(prop, &format!("{hint}{}", naming::pascal(wire)))?;
                    let required = obj.required.iter().any(|r| r == wire);
                    fields.push(crate::ir::Field {
                        rust: String::new(),
                        wire: wire.clone(),
                        ty,
                        presence: presence(required, self.types.nullable(prop)),
                        doc: self.types.description(prop),
                        secret: self.types.secret(prop),
                    });
                }
                return Ok(Some(Body::Fields { fields, extra: String::new() }));
            }
        }
        let ty = self.types.type_of(&norm, &format!("{hint}Body"))?;
        let doc = body.description.clone().or(flat.description);
        Ok(Some(Body::Json { field: "body".into(), ty, required: body.required, schemaless: false, doc }))
    }

    /// The fields of a `multipart/form-data` body: the properties of its
    /// object schema, or of every object in a `oneOf`/`anyOf` (then all
    /// optional: which ones to give is the caller's choice). `None` when the
    /// schema is not object-like.
    fn form_fields(&mut self, content: &MediaType, pointer: &str, hint: &str) -> Result<Option<Vec<crate::ir::Field>>> {
        let Some(schema) = &content.schema else { return Ok(None) };
        let norm = Norm::from_ref_or(schema, &push_pointer(pointer, "schema"))?;
        let flat = self.types.resolve(&norm)?;
        let objects = match &flat.kind {
            Kind::Object(_) => vec![(flat.clone(), true)],
            Kind::OneOf(variants) | Kind::AnyOf(variants) => {
                let mut objects = Vec::new();
                for v in variants {
                    objects.push((self.types.resolve(v)?, variants.len() == 1));
                }
                objects
            }
            _ => return Ok(None),
        };
        let mut fields: Vec<crate::ir::Field> = Vec::new();
        for (object, keeps_required) in objects {
            let Kind::Object(obj) = &object.kind else { return Ok(None) };
            for (wire, prop) in &obj.properties {
                if fields.iter().any(|f| &f.wire == wire) {
                    continue;
                }
                let ty = self.types.type_of(prop, &format!("{hint}{}", naming::pascal(wire)))?;
                let required = keeps_required && obj.required.iter().any(|r| r == wire);
                fields.push(crate::ir::Field {
                    rust: String::new(),
                    wire: wire.clone(),
                    ty,
                    presence: if required { Presence::Required } else { Presence::Optional },
                    doc: self.types.description(prop),
                    secret: self.types.secret(prop),
                });
            }
        }
        Ok((!fields.is_empty()).then_some(fields))
    }

    fn response(&mut self, op: &openapiv3::Operation, pointer: &str, hint: &str) -> Result<Response> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(Response::Empty) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, at) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        let content_pointer = push_pointer(&at, "content");
        let Some((media, content)) = pick_media(&response.content) else {
            return Ok(if response.content.is_empty() {
                Response::Empty
            } else {
                Response::Bytes { accept: response.content.keys().cloned().collect::<Vec<_>>().join(", ") }
            });
        };
        let Some(schema) = &content.schema else {
            return Ok(Response::Json { ty: TypeRef::Value, enveloped: false, optional: false });
        };
        let norm = Norm::from_ref_or(schema, &push_pointer(&push_pointer(&content_pointer, media), "schema"))?;
        let flat = self.types.resolve(&norm)?;
        if let Kind::Object(obj) = &flat.kind {
            let has = |k: &str| obj.properties.contains_key(k);
            if has("result") && has("success") && has("errors") {
                let result = &obj.properties["result"];
                let ty = self.types.type_of(result, &format!("{hint}Result"))?;
                let optional = self.types.nullable(result) || !obj.required.iter().any(|r| r == "result");
                return Ok(Response::Json { ty, enveloped: true, optional });
            }
        }
        let ty = self.types.type_of(&norm, &format!("{hint}Response"))?;
        Ok(Response::Json { ty, enveloped: false, optional: flat.nullable })
    }

    /// Whether the success response declares a `Link` header (`rel="next"` pages).
    fn declares_link(&self, op: &openapiv3::Operation, pointer: &str) -> Result<bool> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(false) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, _) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        Ok(response.headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
    }

    /// The type of the events of a `text/event-stream` success response (an
    /// inline one named `<hint>Event`), when it has one with a schema.
    fn events(&mut self, op: &openapiv3::Operation, pointer: &str, hint: &str) -> Result<Option<TypeRef>> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(None) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, at) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        let stream = response
            .content
            .iter()
            .find(|(media, _)| media.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/event-stream"));
        let Some((media, MediaType { schema: Some(schema), .. })) = stream else { return Ok(None) };
        let pointer = push_pointer(&push_pointer(&push_pointer(&at, "content"), media), "schema");
        let norm = Norm::from_ref_or(schema, &pointer)?;
        Ok(Some(self.types.type_of(&norm, &format!("{hint}Event"))?))
    }

    /// The error responses (`4XX`, `404`, `default`, …) with a JSON body
    /// schema, in spec order, each body a type (an inline one named
    /// `<hint>Error<status>`).
    fn errors(&mut self, op: &openapiv3::Operation, pointer: &str, hint: &str) -> Result<Vec<ErrorResponse>> {
        let codes = op.responses.responses.iter().filter_map(|(code, r)| match code {
            StatusCode::Code(c @ 400..=599) => Some((c.to_string(), r)),
            StatusCode::Range(n @ 4..=5) => Some((format!("{n}XX"), r)),
            _ => None,
        });
        let mut errors = Vec::new();
        for (status, response) in codes.chain(op.responses.default.iter().map(|r| ("default".to_string(), r))) {
            let at = push_pointer(pointer, &status);
            // An error response is secondary: one that cannot be read is left untyped.
            let responses = self.spec.components.as_ref().map(|c| &c.responses);
            let (response, at) = match local(response, "responses", responses, &at) {
                Ok(found) => found,
                Err(e) => {
                    self.warn(
                        WarningKind::ErrorResponseUnread,
                        e.pointer.clone(),
                        format!("{}: left untyped", e.message),
                    );
                    continue;
                }
            };
            let Some((media, content)) = pick_media(&response.content) else { continue };
            let Some(schema) = &content.schema else { continue };
            let at = push_pointer(&push_pointer(&push_pointer(&at, "content"), media), "schema");
            let norm = Norm::from_ref_or(schema, &at)?;
            let suffix = if status == "default" { String::new() } else { status.to_ascii_lowercase() };
            let ty = self.types.type_of(&norm, &format!("{hint}Error{suffix}"))?;
            let doc = Some(response.description.trim()).filter(|d| !d.is_empty()).map(str::to_string);
            errors.push(ErrorResponse { status, ty, doc });
        }
        Ok(errors)
    }

    /// The webhooks that reading a 3.1 document listed (see `crate::openapi31`).
    fn webhooks(&mut self) -> Result<Vec<crate::ir::Webhook>> {
        let Some(serde_json::Value::Object(listed)) = self.spec.extensions.get(crate::openapi31::WEBHOOKS) else {
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

/// How a URL-encoded form field is written: its `encoding` entry's style
/// and explode, else OpenAPI's default (`form`, exploded).
fn form_encoding(content: &MediaType, field: &str) -> (Style, bool) {
    use openapiv3::QueryStyle;
    let Some(encoding) = content.encoding.get(field) else { return (Style::Form, true) };
    let style = match encoding.style {
        Some(QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
        Some(QueryStyle::PipeDelimited) => Style::PipeDelimited,
        Some(QueryStyle::DeepObject) => Style::DeepObject,
        Some(QueryStyle::Form) | None => Style::Form,
    };
    // `openapiv3` reads an absent `explode` as false, so a `form` field
    // (whose default is true) explodes whatever it says.
    (style, encoding.explode || style == Style::Form)
}

/// The JSON media type of a content map (`application/json`, `…+json`).
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

/// The success response a method returns: the lowest exact 2xx code, else `2XX`.
pub(crate) fn success_response(
    responses: &openapiv3::Responses,
) -> Option<(&StatusCode, &ReferenceOr<openapiv3::Response>)> {
    responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c @ 200..=299) => Some((*c, (code, r))),
            StatusCode::Range(2) => Some((299, (code, r))),
            _ => None,
        })
        .min_by_key(|(order, _)| *order)
        .map(|(_, found)| found)
}

/// Whether `schema` (through `$ref`s) is an object that can have no
/// property: none declared, no other allowed (`additionalProperties:
/// false` or `maxProperties: 0`), nothing composed.
fn admits_only_empty_object<'s>(spec: &'s OpenAPI, mut schema: &'s ReferenceOr<openapiv3::Schema>) -> bool {
    use openapiv3::{AdditionalProperties, SchemaKind, Type};
    for _ in 0..32 {
        let s = match schema {
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else { return false };
                let name = name.replace("~1", "/").replace("~0", "~");
                let Some(next) = spec.components.as_ref().and_then(|c| c.schemas.get(&name)) else {
                    return false;
                };
                schema = next;
                continue;
            }
            ReferenceOr::Item(s) => s,
        };
        let closed = |properties: &IndexMap<String, _>, required: &[String], additional, max: Option<usize>| {
            properties.is_empty()
                && required.is_empty()
                && (matches!(additional, Some(&AdditionalProperties::Any(false))) || max == Some(0))
        };
        return match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                closed(&o.properties, &o.required, o.additional_properties.as_ref(), o.max_properties)
            }
            SchemaKind::Any(a) => {
                matches!(a.typ.as_deref(), None | Some("object"))
                    && a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.enumeration.is_empty()
                    && closed(&a.properties, &a.required, a.additional_properties.as_ref(), a.max_properties)
            }
            _ => false,
        };
    }
    false
}

/// The JSON media type of a body, if it has one (`*/*` counts).
pub(crate) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    })
}

/// The `{names}` of a path template, in order.
fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// The default resource path and verb of an operation: static path segments
/// (parameters skipped, and a leading `collection/{id}` scope such as
/// `accounts/{account_id}` dropped) and a verb from the HTTP method.
/// The scope's parameter (`account_id`) is returned too: like the rest of a
/// resource's location, it goes in the params struct, never positionally.
pub fn resource_and_verb(path: &str, method: &str, layout: &PathLayout) -> Placed {
    let is_param = |s: &str| s.starts_with('{');
    let mut segments = path_segments(path);
    segments.drain(..layout.prefix.min(segments.len().saturating_sub(1)));
    // An RPC method (`/chat.postMessage`): a namespace and a verb.
    let mut verb_segment = None;
    if let Some(last) = segments.last().copied().filter(|s| !is_param(s)) {
        let word = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic());
        let single = !layout.shared.contains(path);
        if let Some((namespace, action)) = last.split_once('.').filter(|(n, a)| word(n) && word(a)) {
            segments.pop();
            segments.push(namespace);
            verb_segment = Some(naming::snake(action));
        } else if single
            && segments.len() > 1
            && !is_version(segments[segments.len() - 2])
            && (is_action(last) || posted_to_item(path, method, &segments, layout))
        {
            // An action as the last segment of a path with one operation
            // (`/reports/create`, `/tasks/{id}/addFollowers`, `…/{id}/reboot`).
            segments.pop();
            verb_segment = Some(naming::snake(last));
        }
    }
    let mut rest = &segments[..];
    // A leading parameter is a base path's variable (Linode's `/{apiVersion}/linode/…`).
    if rest.len() > 1 && is_param(rest[0]) {
        rest = &rest[1..];
    }
    let mut scope = None;
    if scoped(rest).is_some_and(|collection| layout.scopes.contains(collection)) {
        scope = Some(rest[1].trim_matches(|c| c == '{' || c == '}').to_string());
        rest = &rest[2..];
    }
    // Segments are named as written: a singular stays singular
    // (`…/{image_id}/blob` → `blob()`, `…/{token_id}/value` → `value()`).
    // A version that is the only one of its resource, before another
    // resource, says nothing apart and is left out (`/alerting/v3/policies`
    // is `alerting().policies()`), but two beside each other stay
    // (`images().v1()`, `images().v2()`), as does one that is the collection
    // of its items (`/images/v1/{image_id}`).
    let after_param = |i: usize| i > 0 && is_param(rest[i - 1]);
    let whole = path_segments(path);
    let at = whole.len() - rest.len();
    let lone_version = |i: usize| {
        i > 0
            && is_version(rest[i])
            && rest.get(i + 1).is_some_and(|next| !is_param(next))
            && layout.versions.contains(&shape_of(&whole[..at + i]))
    };
    let mut resource: Vec<String> =
        (0..rest.len()).filter(|&i| !is_param(rest[i]) && !lone_version(i)).map(|i| naming::snake(rest[i])).collect();
    if resource.is_empty() {
        resource.push("api".into());
    }
    // A GET alone on a path nothing is under, whose last segment follows
    // another resource (not an item, a scope or a version), is a query of that
    // resource, named by the segment: `GET /radar/bgp/timeseries` is
    // `radar().bgp().timeseries()`, as `GET /me/following/contains` is
    // `me().following().contains()`.
    let n = rest.len();
    let query = method == "get"
        && verb_segment.is_none()
        && !layout.shared.contains(path)
        && !layout.parents.contains(&shape(path))
        && n >= 2
        && !is_param(rest[n - 1])
        && !rest[n - 2..].iter().any(|s| is_version(s))
        && (!is_param(rest[n - 2]) || (n >= 3 && !is_param(rest[n - 3])));
    if query {
        verb_segment = resource.pop();
    }
    let item = rest.last().is_some_and(|s| is_param(s));
    // `GET …/{id}/blob` reads the one blob of an item: `blobs().get()`.
    let singular = !item
        && after_param(rest.len().saturating_sub(1))
        && naming::plural(rest[rest.len() - 1]) != rest[rest.len() - 1];
    let by_method = match method {
        "get" if item || singular => "get",
        "get" => "list",
        // A POST to one item changes it (Twilio's `POST …/Messages/{Sid}.json`).
        "post" if item => "update",
        "post" => "new",
        "put" => "update",
        "patch" => "edit",
        other => other,
    };
    let verb = verb_segment.clone().unwrap_or_else(|| by_method.to_string());
    let by_method = query.then(|| by_method.to_string());
    Placed { resource, verb, scope, verb_in_path: verb_segment.is_some(), query: by_method }
}

/// Where [`resource_and_verb`] puts an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The resource path: `["images", "v1"]`.
    pub resource: Vec<String>,
    /// The method name: `edit`.
    pub verb: String,
    /// The scope's parameter (`account_id`), which goes in the params.
    pub scope: Option<String>,
    /// Whether the path named the method (`/chat.postMessage`, `/reports/create`).
    pub verb_in_path: bool,
    /// When the method is a query named by a leaf segment (`radar().bgp().timeseries()`):
    /// the method the HTTP method would give, for when the response or the
    /// parameters undo it (`user().audit_logs().list()`).
    pub query: Option<String>,
}

/// What all of a spec's paths say about placing each one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathLayout {
    /// The collections that scope the API (see [`PathLayout::new`]).
    pub scopes: BTreeSet<String>,
    /// How many leading segments every path shares that make a base path
    /// (`/rest/api/3`, `/v2`: `api`, `rest` and versions), not a resource.
    pub prefix: usize,
    /// Paths with more than one operation: their last segment is a resource,
    /// never an action (`GET`, `PUT`, `DELETE /repos/{id}/import`).
    pub shared: BTreeSet<String>,
    /// The [`shape`]s of paths other paths are under (`/a/{}` of `/a/{id}/b`).
    pub parents: BTreeSet<String>,
    /// The path [`shape`]s under which one version is all there is
    /// (`alerting` of `/alerting/v3/…`; not `images`, with `v1` and `v2`).
    pub versions: BTreeSet<String>,
    /// The separator of namespaced operationIds, when most of the spec's have one.
    pub ids: Option<IdStyle>,
    /// Whether the spec's tags name its resources (see [`Lowering::tags_partition`]).
    pub tags: bool,
}

impl PathLayout {
    /// The layout of `paths`, each with its number of operations.
    ///
    /// A scope is a collection like a tenant (`accounts/{account_id}`,
    /// `zones/{zone_id}`, Twilio's `Accounts/{AccountSid}`) with at least a
    /// fifth of all operations under an item of it: its id goes in the
    /// params and its name out of the resource tree. An ordinary item with
    /// sub-resources (`playlists/{id}/tracks`) stays: `playlists().tracks()`.
    pub fn new<'p>(paths: impl Iterator<Item = (&'p str, usize)>) -> PathLayout {
        let mut under: BTreeMap<&str, usize> = BTreeMap::new();
        let mut total = 0;
        let mut shared = BTreeSet::new();
        let mut parents = BTreeSet::new();
        let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut ends = BTreeSet::new();
        let mut prefix: Option<Vec<&str>> = None;
        let mut count = 0;
        for (path, operations) in paths {
            count += 1;
            total += operations;
            if operations > 1 {
                shared.insert(path.to_string());
            }
            let segments = path_segments(path);
            ends.insert(shape_of(&segments));
            for n in 1..segments.len() {
                parents.insert(shape_of(&segments[..n]));
                let child = if segments[n].starts_with('{') { "{}" } else { segments[n] };
                versions.entry(shape_of(&segments[..n])).or_default().insert(child.to_string());
            }
            if let Some(collection) = scoped(&segments) {
                *under.entry(collection).or_default() += operations;
            }
            // The shared leading base-path segments (`rest`, `api`, versions),
            // each path keeping a static segment after them.
            let statics: Vec<&str> = segments.iter().take_while(|s| is_base(s)).copied().collect();
            let own = &statics[..statics.len().min(segments.len().saturating_sub(1))];
            let own = if segments.get(own.len()).is_some_and(|s| s.starts_with('{')) {
                &own[..own.len().saturating_sub(1)]
            } else {
                own
            };
            prefix = Some(match prefix {
                None => own.to_vec(),
                Some(p) => p.iter().zip(own).take_while(|(a, b)| a == b).map(|(a, _)| *a).collect(),
            });
        }
        let scopes = under.into_iter().filter(|&(_, n)| n > 0 && n * 5 >= total).map(|(c, _)| c.to_string()).collect();
        let prefix = if count > 1 { prefix.map_or(0, |p| p.len()) } else { 0 };
        // A version is alone when nothing else is beside it, nor at its parent's path.
        let versions = versions
            .into_iter()
            .filter(|(parent, children)| {
                children.len() == 1 && children.iter().all(|c| is_version(c)) && !ends.contains(parent)
            })
            .map(|(parent, _)| parent)
            .collect();
        PathLayout { scopes, prefix, shared, parents, versions, ids: None, tags: false }
    }
}

/// How a spec namespaces its operationIds, when most of them are
/// `group/method-name` (GitHub), `group.methodName` (Slack) or
/// `group_method`: the group is the resource and the rest the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStyle {
    /// `issues/list-for-repo`.
    Slash,
    /// `chat.postMessage`, `admin.users.list`.
    Dot,
    /// `pets_list`: one word of a few groups, then the method.
    Underscore,
}

impl IdStyle {
    /// The style more than half of the spec's operations have, if one does.
    pub fn of_spec(spec: &OpenAPI) -> Option<IdStyle> {
        let ids: Vec<&str> = spec
            .paths
            .paths
            .values()
            .filter_map(ReferenceOr::as_item)
            .flat_map(|item| item.iter().map(|(_, op)| op.operation_id.as_deref().unwrap_or_default()))
            .collect();
        Self::of_ids(&ids)
    }

    /// The style more than half of `ids` (one per operation) have, if one does.
    pub fn of_ids(ids: &[&str]) -> Option<IdStyle> {
        [IdStyle::Slash, IdStyle::Dot, IdStyle::Underscore].into_iter().find(|style| {
            let groups: Vec<Vec<String>> = ids.iter().filter_map(|id| style.split(id)).map(|(g, _)| g).collect();
            let distinct: BTreeSet<&Vec<String>> = groups.iter().collect();
            // A group is shared by several operations: `list_pets`, `get_pet` are no groups.
            groups.len() * 2 > ids.len() && (*style != IdStyle::Underscore || distinct.len() * 3 <= groups.len())
        })
    }

    /// The resource and method an operationId of this style names.
    pub fn split(self, id: &str) -> Option<(Vec<String>, String)> {
        let word = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic());
        let (group, method): (Vec<&str>, &str) = match self {
            IdStyle::Slash | IdStyle::Dot => {
                let sep = if self == IdStyle::Slash { '/' } else { '.' };
                let mut parts: Vec<&str> = id.split(sep).collect();
                let method = parts.pop()?;
                (parts, method)
            }
            IdStyle::Underscore => {
                if id.contains(['/', '.', '-', ' ']) {
                    return None;
                }
                let (group, method) = id.split_once('_')?;
                // A group of one word or a camelCase noun (`droplets`, `sshKeys`), not a verb.
                let first = naming::words(group).first().map(|w| w.to_ascii_lowercase()).unwrap_or_default();
                let verb = is_verb(&first) || MORE_VERBS.contains(&first.as_str());
                if !group.starts_with(|c: char| c.is_ascii_lowercase())
                    || !group.chars().all(|c| c.is_ascii_alphanumeric())
                    || verb
                {
                    return None;
                }
                (vec![group], method)
            }
        };
        // A group names a resource, not what is done (`get.count.users` is no group).
        let first = group.first().and_then(|g| naming::words(g).into_iter().next()).unwrap_or_default();
        let first = first.to_ascii_lowercase();
        let verb = is_verb(&first) || MORE_VERBS.contains(&first.as_str());
        (!group.is_empty() && !verb && group.iter().chain([&method]).all(|s| word(s)))
            .then(|| (group.iter().map(|g| naming::snake(g)).collect(), naming::snake(method)))
    }
}

/// Whether the spec's tags name its resources: each operation has one
/// tag of at most three words, there are several, and the paths do not
/// tell the resources apart (they all start at one resource).
fn tags_partition(spec: &OpenAPI, layout: &PathLayout) -> bool {
    let mut tags = BTreeSet::new();
    let mut roots = BTreeSet::new();
    for (path, item) in &spec.paths.paths {
        for (method, op) in item.as_item().into_iter().flat_map(|i| i.iter()) {
            match op.tags.as_slice() {
                [tag] if naming::words(tag).len() <= 3 => tags.insert(tag.as_str()),
                _ => return false,
            };
            roots.insert(resource_and_verb(path, method, layout).resource[0].clone());
        }
    }
    tags.len() > 1 && roots.len() == 1
}

/// The resource of a tagged operation: the tag in place of the root all
/// paths share (`/service/users/{id}` tagged `Users` is `users()`).
fn tagged(tag: &str, resource: Vec<String>) -> Vec<String> {
    let tag = naming::snake(tag);
    let mut out = vec![tag.clone()];
    out.extend(resource.into_iter().skip(1).skip_while(|r| *r == tag || naming::plural(r) == tag));
    out
}

/// The group and method an operation's SDK-naming extensions give:
/// `x-speakeasy-group` (dotted) and `x-speakeasy-name-override`, or
/// `x-fern-sdk-group-name` (a name or a list) and `x-fern-sdk-method-name`.
fn extension_names(op: &openapiv3::Operation) -> Option<(Option<Vec<String>>, Option<String>)> {
    use serde_json::Value;
    let text = |key: &str| op.extensions.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
    let group = text("x-speakeasy-group")
        .map(|g| g.split('.').map(naming::snake).collect::<Vec<_>>())
        .or_else(|| match op.extensions.get("x-fern-sdk-group-name")? {
            Value::String(g) => Some(vec![naming::snake(g)]),
            Value::Array(list) => Some(list.iter().filter_map(Value::as_str).map(naming::snake).collect()),
            _ => None,
        })
        .filter(|g| !g.is_empty());
    let method = text("x-speakeasy-name-override").or_else(|| text("x-fern-sdk-method-name")).map(naming::snake);
    (group.is_some() || method.is_some()).then_some((group, method))
}

/// A path as its segments with every parameter alike (`/a/{}/b`), to tell
/// whether other paths are under it.
fn shape(path: &str) -> String {
    shape_of(&path_segments(path))
}

fn shape_of(segments: &[&str]) -> String {
    segments.iter().map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

/// A path's segments, without what is not a resource: a date is a version
/// of the whole API (`/2010-04-01/`), a file extension (`Messages.json`) a format.
fn path_segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !is_date(s))
        .map(|s| if s.starts_with('{') { s } else { strip_extension(s) })
        .collect()
}

/// The collection of a leading `collection/{id}/more` (`accounts`), if the path has one.
fn scoped<'s>(segments: &[&'s str]) -> Option<&'s str> {
    let is_param = |s: &str| s.starts_with('{');
    (segments.len() > 2
        && !is_param(segments[0])
        && is_param(segments[1])
        && segments[2..].iter().any(|s| !is_param(s)))
    .then(|| segments[0])
}

/// Whether a struct's fields make it a page of a list: a list field that
/// is all there is, or is named like the items of a page, or sits beside
/// paging fields (`next`, `cursor`, `total`, …). A user with a list of
/// emails is one user.
fn is_page(fields: &[crate::ir::Field]) -> bool {
    const ITEMS: &[&str] =
        &["items", "data", "results", "result", "list", "entries", "records", "values", "elements", "objects", "hits"];
    const PAGING: &[&str] = &[
        "next",
        "next_cursor",
        "cursor",
        "offset",
        "limit",
        "total",
        "total_count",
        "count",
        "page",
        "pages",
        "has_more",
        "next_page_token",
        "next_page",
        "per_page",
        "page_size",
        "links",
        "pagination",
        "paging",
        "result_info",
        "continuation_token",
        "next_link",
        "response_metadata",
        "_metadata",
        "_links",
    ];
    let lists: Vec<&crate::ir::Field> = fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_))).collect();
    let name = |f: &crate::ir::Field| naming::unraw(&f.rust).to_string();
    match lists.as_slice() {
        [] => false,
        [only] if fields.len() == 1 => true,
        _ => {
            lists.iter().any(|f| ITEMS.contains(&name(f).as_str()))
                || fields.iter().any(|f| PAGING.contains(&name(f).as_str()))
        }
    }
}

/// `2010-04-01`, `20230101`: a date in a path, the API's version.
fn is_date(segment: &str) -> bool {
    let digits = segment.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && segment.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '_')
}

/// The segment without a format extension (`.json`, `.xml`, …).
fn strip_extension(segment: &str) -> &str {
    const FORMATS: &[&str] = &[".json", ".xml", ".csv", ".txt", ".yaml", ".yml", ".html", ".pdf", ".zip"];
    FORMATS
        .iter()
        .find_map(|ext| {
            let cut = segment.len().checked_sub(ext.len())?;
            (segment.is_char_boundary(cut) && segment[cut..].eq_ignore_ascii_case(ext) && cut > 0)
                .then(|| &segment[..cut])
        })
        .unwrap_or(segment)
}

/// Words that, as the last segment of a path, name what is done rather than a resource.
/// A segment of a base path: `api`, `rest` or a version.
fn is_base(segment: &str) -> bool {
    is_version(segment) || ["api", "apis", "rest"].contains(&segment.to_ascii_lowercase().as_str())
}

/// A version segment (`3`, `v2`, `v1.0`): what follows it is never its action.
fn is_version(segment: &str) -> bool {
    let digits = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// An action, not a resource: a verb (`create`, `reboot`), or words that
/// start with one (`addFollowers`, `purge_cache`).
fn is_action(segment: &str) -> bool {
    let words = naming::snake(segment);
    let first = words.trim_start_matches("r#").split('_').next().unwrap_or_default();
    is_verb(segment) || (words.contains('_') && (is_verb(first) || MORE_VERBS.contains(&first)))
}

/// Verbs that start an action's name (`add_followers`) but alone are as often a resource.
const MORE_VERBS: &[&str] = &["add", "set", "get", "mark", "move", "copy", "assign", "unassign", "attach", "detach"];

fn is_verb(segment: &str) -> bool {
    const VERBS: &[&str] = &[
        "create",
        "search",
        "query",
        "update",
        "delete",
        "remove",
        "cancel",
        "send",
        "start",
        "stop",
        "restart",
        "close",
        "open",
        "archive",
        "unarchive",
        "join",
        "leave",
        "invite",
        "kick",
        "rename",
        "revoke",
        "validate",
        "verify",
        "upload",
        "download",
        "import",
        "export",
        "refresh",
        "reset",
        "enable",
        "disable",
        "approve",
        "reject",
        "publish",
        "unpublish",
        "sync",
        "list",
        "info",
        "lookup",
        "complete",
        "submit",
        "retry",
        "reboot",
        "boot",
        "shutdown",
        "poweron",
        "poweroff",
        "resize",
        "rebuild",
        "clone",
        "migrate",
        "purge",
        "pause",
        "resume",
        "lock",
        "unlock",
        "ack",
        "pull",
        "push",
        "scan",
        "rotate",
        "trigger",
        "clear",
        "flush",
        "renew",
        "rollback",
        "activate",
        "deactivate",
        "dismiss",
        "generate",
        "execute",
        "replay",
        "reindex",
        "unrevoke",
        "upsert",
    ];
    VERBS.contains(&segment.to_ascii_lowercase().as_str())
}

/// Resolves collisions (overrides are already applied): operations that
/// would share a resource and method name, or whose method name is also a
/// child resource, are named after their operationId unless an override
/// named the method.
fn place_operations(ops: &mut [Operation], reads_one: &[bool], overrides: &Overrides) {
    // A `list` that reads one object is its resource's `get`, if that is free.
    let mut gets: std::collections::BTreeSet<Vec<String>> =
        ops.iter().filter(|op| op.method_name == "get").map(|op| op.resource.clone()).collect();
    for (op, _) in ops.iter_mut().zip(reads_one).filter(|(_, one)| **one) {
        if gets.insert(op.resource.clone()) {
            op.method_name = "get".into();
        }
    }
    let mut seen: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for op in ops.iter() {
        *seen.entry((op.resource.clone(), op.method_name.clone())).or_default() += 1;
    }
    // A collection's update, edit or delete beside its item's is the bulk one
    // (`PUT /filters` is `filters().bulk_update()`, `PUT /filters/{id}` `update`).
    let mut groups: BTreeMap<(Vec<String>, String), Vec<usize>> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        groups.entry((op.resource.clone(), op.method_name.clone())).or_default().push(i);
    }
    for ((_, name), members) in &groups {
        let (items, collections): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| is_item_path(&ops[i].path));
        if ["update", "edit", "delete"].contains(&name.as_str()) && items.len() == 1 && collections.len() == 1 {
            let bulk = format!("bulk_{name}");
            if !seen.contains_key(&(ops[collections[0]].resource.clone(), bulk.clone())) {
                ops[collections[0]].method_name = bulk;
            }
        }
    }
    let mut seen: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for op in ops.iter() {
        *seen.entry((op.resource.clone(), op.method_name.clone())).or_default() += 1;
    }
    let children: std::collections::BTreeSet<Vec<String>> =
        ops.iter().flat_map(|op| (1..=op.resource.len()).map(|n| op.resource[..n].to_vec())).collect();
    let clashes: Vec<usize> = (0..ops.len())
        .filter(|&i| {
            let op = &ops[i];
            let overridden = overrides.operations.get(&op.id).is_some_and(|o| o.method.is_some());
            let mut as_child = op.resource.clone();
            as_child.push(op.method_name.clone());
            !overridden && (seen[&(op.resource.clone(), op.method_name.clone())] > 1 || children.contains(&as_child))
        })
        .collect();
    // Each is named by the fewest words of its operationId that no other
    // operation of its clash has (`list_a`, `edit_zone`), not by all of them.
    let mut names: Vec<(usize, String)> = Vec::new();
    let mut chosen: BTreeSet<(Vec<String>, String)> = BTreeSet::new();
    for &i in &clashes {
        let op = &ops[i];
        let others: Vec<&str> = clashes
            .iter()
            .filter(|&&j| j != i && ops[j].resource == op.resource && ops[j].method_name == op.method_name)
            .map(|&j| ops[j].id.as_str())
            .collect();
        let taken = |name: &str| {
            let mut as_child = op.resource.clone();
            as_child.push(name.to_string());
            let key = (op.resource.clone(), name.to_string());
            children.contains(&as_child) || seen.contains_key(&key) || chosen.contains(&key)
        };
        let taken_by_child = |name: &str| {
            let mut as_child = op.resource.clone();
            as_child.push(name.to_string());
            children.contains(&as_child)
        };
        let name = distinguishing_name(&op.id, &op.resource, &op.method_name, &others, taken, taken_by_child);
        chosen.insert((op.resource.clone(), name.clone()));
        names.push((i, name));
    }
    for (i, name) in names {
        ops[i].method_name = name;
    }
    // Still-equal names (the same operationId twice) are numbered in spec order.
    let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
    for op in ops.iter_mut() {
        op.method_name = scopes.entry(op.resource.clone()).or_default().claim(op.method_name.clone());
    }
}

/// A POST to a word after an item that nothing is under, and that is no
/// plural (no collection): an action on the item (`…/deployments/{id}/rollback`,
/// `…/indexes/{name}/upsert`). Not after a scope's item, where a word is a
/// resource of the tenant (`/shops/{shop_id}/advice`).
fn posted_to_item(path: &str, method: &str, segments: &[&str], layout: &PathLayout) -> bool {
    let last = segments[segments.len() - 1];
    method == "post"
        && segments[segments.len() - 2].starts_with('{')
        && !(segments.len() >= 3 && layout.scopes.contains(segments[segments.len() - 3]))
        && naming::plural(last) != last
        && !layout.parents.contains(&shape(path))
}

/// Whether a path ends at an item (`/filters/{id}`, `…/{Sid}.json`).
fn is_item_path(path: &str) -> bool {
    path_segments(path).last().is_some_and(|s| s.starts_with('{'))
}

/// Words of an operationId that say nothing apart (`a`, `for`, `the`).
const STOPWORDS: &[&str] = &["a", "an", "the", "for", "of", "to", "by", "in", "on", "with", "and", "or", "from"];

/// The method name of an operation whose placement clashes: the fewest
/// consecutive words of its operationId (leaving out its resource's words and
/// stopwords where that still tells it apart) that no `others` of the clash
/// has, after the clashing `method` unless they start with a verb; the plain
/// `method` when all of its words are in each of the others' (they get names
/// of their own); the whole operationId when nothing shorter tells them apart
/// or is free.
fn distinguishing_name(
    id: &str,
    resource: &[String],
    method: &str,
    others: &[&str],
    taken: impl Fn(&str) -> bool,
    taken_by_child: impl Fn(&str) -> bool,
) -> String {
    let words = |id: &str| -> Vec<String> {
        naming::snake(id).trim_start_matches("r#").split('_').filter(|w| !w.is_empty()).map(String::from).collect()
    };
    let resource_words: BTreeSet<String> =
        resource.iter().flat_map(|r| naming::unraw(r).split('_').map(String::from).collect::<Vec<_>>()).collect();
    let filter = |w: &Vec<String>| -> Vec<String> {
        w.iter().filter(|w| !STOPWORDS.contains(&w.as_str()) && !resource_words.contains(*w)).cloned().collect()
    };
    let own = words(id);
    let others: Vec<Vec<String>> = others.iter().map(|o| words(o)).collect();
    let has = |list: &[String], window: &[String]| list.windows(window.len()).any(|w| w == window);
    let starts_verb = |w: &str| is_verb(w) || MORE_VERBS.contains(&w) || ["new", "edit", "list", "get"].contains(&w);
    for (mine, theirs) in [(filter(&own), others.iter().map(filter).collect::<Vec<_>>()), (own.clone(), others.clone())]
    {
        for len in 1..=mine.len() {
            for start in (0..=mine.len() - len).rev() {
                let window = &mine[start..start + len];
                if theirs.iter().any(|t| has(t, window)) {
                    continue;
                }
                let joined = window.join("_");
                let name = if starts_verb(&window[0]) {
                    joined
                } else if joined == "bulk" {
                    format!("bulk_{method}")
                } else {
                    format!("{method}_{joined}")
                };
                let name = naming::snake(&name);
                if !taken(&name) && name != method {
                    return name;
                }
            }
        }
    }
    // Nothing of its own (`…-fallback-list` beside `…-fallback-list-for-a-policy`):
    // the plain name, once the others have theirs, unless a child resource has it.
    if others.iter().all(|o| o.windows(own.len()).any(|w| w == own.as_slice())) && !taken_by_child(method) {
        return method.to_string();
    }
    naming::snake(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout of a spec like Cloudflare's or Twilio's: scoped by account or zone.
    fn tenants() -> PathLayout {
        PathLayout { scopes: ["accounts", "zones", "Accounts"].map(String::from).into(), ..PathLayout::default() }
    }

    fn rv(path: &str, method: &str) -> String {
        // As if other paths were under this one (see `a_get_alone_on_a_leaf_is_a_query_of_its_parent`).
        let mut layout = tenants();
        layout.parents.insert(shape(path));
        let placed = resource_and_verb(path, method, &layout);
        format!("{}.{}", placed.resource.join("."), placed.verb)
    }

    #[test]
    fn the_layout_of_paths_gives_scopes_a_base_path_and_shared_paths() {
        let paths = [
            ("/accounts/{account_id}/images", 4),
            ("/accounts/{account_id}/workers/{name}", 3),
            ("/playlists/{id}/tracks", 2),
            ("/playlists/{id}", 1),
            ("/tracks/{id}", 10),
            ("/2010-04-01/Accounts/{Sid}/Calls.json", 1),
        ];
        let layout = PathLayout::new(paths.into_iter());
        assert_eq!(layout.scopes, BTreeSet::from(["accounts".to_string()]));
        assert_eq!(layout.prefix, 0);
        let placed = resource_and_verb("/playlists/{id}/tracks", "post", &layout);
        assert_eq!(
            (placed.resource.join("."), placed.verb.as_str(), placed.scope),
            ("playlists.tracks".into(), "new", None)
        );
        // A base path every path shares is not a resource; a single path keeps all of its own.
        let jira = PathLayout::new(
            [("/rest/api/3/issue", 2), ("/rest/api/3/issue/{key}", 3), ("/rest/api/3/search", 2)].into_iter(),
        );
        assert_eq!(jira.prefix, 3);
        assert_eq!(resource_and_verb("/rest/api/3/search", "get", &jira).resource, ["search"]);
        assert_eq!(resource_and_verb("/rest/api/3/issue/{key}", "put", &jira).resource, ["issue"]);
        assert_eq!(PathLayout::new([("/v2/droplets", 2)].into_iter()).prefix, 0);
        // Only a base path: an API all under `/store` keeps `store()`.
        assert_eq!(PathLayout::new([("/store/order", 1), ("/store/inventory", 1)].into_iter()).prefix, 0);
        // A prefix that ends at a scope's collection is no base path.
        let images = PathLayout::new([("/accounts/{a}/images/v1", 2), ("/accounts/{a}/images/v1/{id}", 3)].into_iter());
        assert_eq!(images.prefix, 0);
        // An action is the last segment of a path with one operation only.
        let github = PathLayout { shared: ["/repos/{id}/import".to_string()].into(), ..PathLayout::default() };
        assert_eq!(resource_and_verb("/repos/{id}/import", "get", &github).verb, "get");
        assert_eq!(resource_and_verb("/repos/{id}/import", "get", &github).resource, ["repos", "import"]);
    }

    #[test]
    fn resources_and_verbs_from_paths() {
        assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}", "patch"), "images.v1.edit");
        assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}", "get"), "images.v1.get");
        assert_eq!(rv("/accounts/{account_id}/images/v1", "get"), "images.v1.list");
        assert_eq!(rv("/accounts/{account_id}/images/v1", "post"), "images.v1.new");
        assert_eq!(rv("/accounts/{account_id}/images/v2/direct_upload", "post"), "images.v2.direct_upload.new");
        assert_eq!(rv("/accounts/{account_id}/images/v1/{image_id}/blob", "get"), "images.v1.blob.get");
        assert_eq!(rv("/accounts/{account_id}/images/v1/keys", "get"), "images.v1.keys.list");
        assert_eq!(rv("/accounts/{account_id}/images/v2", "get"), "images.v2.list");
        assert_eq!(rv("/zones/{zone_id}", "delete"), "zones.delete");
        assert_eq!(rv("/", "get"), "api.list");
        assert_eq!(
            resource_and_verb("/accounts/{account_id}/images/v1", "post", &tenants()).scope.as_deref(),
            Some("account_id")
        );
        assert_eq!(resource_and_verb("/images/{image_id}", "get", &tenants()).scope, None);
    }

    #[test]
    fn resources_and_verbs_from_the_url_styles_real_apis_use() {
        // Twilio: a date prefix and a format extension.
        assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post"), "messages.new");
        assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "get"), "messages.get");
        assert_eq!(rv("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "post"), "messages.update");
        // Slack: dotted RPC methods.
        assert_eq!(rv("/chat.postMessage", "post"), "chat.post_message");
        assert_eq!(rv("/conversations.list", "get"), "conversations.list");
        // Verbs as the last segment.
        assert_eq!(rv("/reports/create", "post"), "reports.create");
        assert_eq!(rv("/workspaces/{id}/tasks/search", "get"), "workspaces.tasks.search");
        // Actions on an item, in a word or starting with a verb.
        assert_eq!(rv("/{apiVersion}/linode/instances/{linodeId}/reboot", "post"), "linode.instances.reboot");
        assert_eq!(rv("/tasks/{task_gid}/addFollowers", "post"), "tasks.add_followers");
        assert_eq!(rv("/servers/{id}/actions/poweron", "post"), "servers.actions.poweron");
        // After a version, a verb-like word is a resource (Jira's `/rest/api/3/search`).
        assert_eq!(rv("/rest/api/3/search", "get"), "rest.api._3.search.list");
        assert_eq!(rv("/search", "get"), "search.list");
        // Versions stay resources; a dot inside a version is not an RPC method.
        assert_eq!(rv("/v1.0/users", "get"), "v1_0.users.list");
    }

    #[test]
    fn a_get_alone_on_a_leaf_is_a_query_of_its_parent() {
        let layout = PathLayout::new(
            [
                ("/radar/bgp/timeseries", 1),
                ("/radar/bgp/top/ases", 1),
                ("/radar/annotations", 1),
                ("/radar/annotations/outages", 1),
                ("/me/player", 2),
                ("/users/{id}/followers", 1),
                ("/images/v1/stats", 1),
                ("/images/v1", 2),
                ("/images/v2", 2),
                ("/reports/export", 1),
            ]
            .into_iter(),
        );
        let call = |path: &str, method: &str| {
            let placed = resource_and_verb(path, method, &layout);
            format!("{}.{}", placed.resource.join("."), placed.verb)
        };
        assert_eq!(call("/radar/bgp/timeseries", "get"), "radar.bgp.timeseries");
        assert_eq!(call("/radar/bgp/top/ases", "get"), "radar.bgp.top.ases");
        // After an item too, with the method the HTTP method gives, for lowering
        // to go back to when it lists or takes no query parameter.
        assert_eq!(call("/users/{id}/followers", "get"), "users.followers");
        assert_eq!(resource_and_verb("/users/{id}/followers", "get", &layout).query.as_deref(), Some("list"));
        // Not with a path under it, beside another operation, after a version, or for a POST.
        assert_eq!(call("/radar/annotations", "get"), "radar.annotations.list");
        assert_eq!(call("/me/player", "get"), "me.player.list");
        assert_eq!(call("/images/v1/stats", "get"), "images.v1.stats.list");
        assert_eq!(call("/radar/bgp/timeseries", "post"), "radar.bgp.timeseries.new");
        assert_eq!(call("/reports/export", "get"), "reports.export");
    }

    #[test]
    fn a_version_alone_under_its_resource_is_left_out() {
        let layout = PathLayout::new(
            [
                ("/alerting/v3/policies", 2),
                ("/alerting/v3/policies/{id}", 2),
                ("/things/v1/{id}", 2),
                ("/images/v1/{id}", 2),
                ("/images/v2", 2),
                ("/vectorize/indexes", 2),
                ("/vectorize/v2/indexes", 2),
                ("/workers/scripts/{name}/content", 2),
                ("/workers/scripts/{name}/content/v2", 1),
            ]
            .into_iter(),
        );
        let resource = |path: &str| resource_and_verb(path, "get", &layout).resource.join(".");
        assert_eq!(resource("/alerting/v3/policies/{id}"), "alerting.policies");
        assert_eq!(resource("/things/v1/{id}"), "things.v1");
        // Beside another version, another resource, or operations of the parent's own, it stays.
        assert_eq!(resource("/images/v1/{id}"), "images.v1");
        assert_eq!(resource("/vectorize/v2/indexes"), "vectorize.v2.indexes");
        assert_eq!(resource("/workers/scripts/{name}/content/v2"), "workers.scripts.content.v2");
    }

    #[test]
    fn namespaced_operation_ids_are_found_per_spec() {
        let github = ["issues/list-for-repo", "issues/create", "teams/list", "repos/get"];
        assert_eq!(IdStyle::of_ids(&github), Some(IdStyle::Slash));
        assert_eq!(
            IdStyle::Slash.split("issues/list-for-repo"),
            Some((vec!["issues".to_string()], "list_for_repo".to_string()))
        );
        let slack = ["chat.postMessage", "admin.users.list", "conversations.list", "other"];
        assert_eq!(IdStyle::of_ids(&slack), Some(IdStyle::Dot));
        assert_eq!(
            IdStyle::Dot.split("admin.users.list"),
            Some((vec!["admin".to_string(), "users".to_string()], "list".to_string()))
        );
        let grouped = ["pets_list", "pets_create", "pets_get", "sshKeys_list", "sshKeys_get", "sshKeys_delete"];
        assert_eq!(IdStyle::of_ids(&grouped), Some(IdStyle::Underscore));
        assert_eq!(IdStyle::Underscore.split("sshKeys_list"), Some((vec!["ssh_keys".to_string()], "list".to_string())));
        assert_eq!(IdStyle::Underscore.split("listPets_all"), None);
        // Verbs first are no groups, nor is a group per operation, nor a minority.
        assert_eq!(IdStyle::of_ids(&["list_pets", "get_pet", "create_pet", "delete_pet"]), None);
        assert_eq!(IdStyle::of_ids(&["pets_list", "stores_get", "users_delete"]), None);
        assert_eq!(IdStyle::of_ids(&["listPets", "getPet", "issues/list"]), None);
        assert_eq!(IdStyle::of_ids(&["images-list", "images-get"]), None);
        assert_eq!(IdStyle::Dot.split("get.count.users"), None);
    }

    #[test]
    fn a_clash_is_named_by_the_fewest_words_that_tell_it_apart() {
        let none = |_: &str| false;
        let r = |s: &str| vec![s.to_string()];
        assert_eq!(
            distinguishing_name(
                "dns-settings-for-a-zone-update-dns-settings",
                &r("dns_settings"),
                "edit",
                &["dns-settings-for-an-account-update-dns-settings"],
                none,
                none
            ),
            "edit_zone"
        );
        assert_eq!(
            distinguishing_name("records-list-a", &r("records"), "list", &["records-list-b"], none, none),
            "list_a"
        );
        // A word that starts with a verb is the name itself; a taken one is passed over.
        assert_eq!(
            distinguishing_name(
                "custom-ns-list-account-nameservers",
                &r("custom_ns"),
                "get",
                &["custom-ns-usage"],
                |n: &str| n == "list",
                none
            ),
            "get_nameservers"
        );
        // `bulk` tells a bulk operation apart: `bulk_update`.
        assert_eq!(
            distinguishing_name("bulkSetIssueProperty", &r("properties"), "update", &["setIssueProperty"], none, none),
            "bulk_update"
        );
        // All of its words are in the other's: the plain name (unless a child resource has it).
        let (a, b) = ("fallback-list", "fallback-list-for-a-policy");
        assert_eq!(distinguishing_name(a, &r("x"), "get", &[b], none, none), "get");
        assert_eq!(distinguishing_name(b, &r("x"), "get", &[a], none, none), "get_policy");
        assert_eq!(distinguishing_name(a, &r("x"), "get", &[b], none, |n: &str| n == "get"), "fallback_list");
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(path_template_names("/a/{x}/b/{y}").collect::<Vec<_>>(), ["x", "y"]);
    }
}
