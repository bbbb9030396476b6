//! The intermediate representation: what the generated SDK contains, with
//! every Rust name already decided. Emission turns this into tokens and
//! knows nothing about OpenAPI.
//!
//! The IR also serializes to JSON (`sdkgen-api.json` beside a generated
//! crate), so that `sdkgen diff` and `generate` can compare an SDK with the
//! one generated before it without the old spec.

use serde::{Deserialize, Serialize};

/// The type behind `name`, following aliases.
pub fn resolve<'a>(types: &'a [TypeDef], name: &str) -> Option<&'a TypeDef> {
    let mut def = types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &types[i])?;
    for _ in 0..types.len() {
        match &def.body {
            TypeBody::Alias { target: TypeRef::Named(next) } => {
                def = types.binary_search_by(|t| t.name.as_str().cmp(next)).ok().map(|i| &types[i])?
            }
            _ => return Some(def),
        }
    }
    None
}

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Default base URL (the first server), or empty when the spec has none.
    pub base_url: String,
    /// Security schemes, in name order.
    pub schemes: Vec<Scheme>,
    /// Named types of the `types` module, in name order.
    pub types: Vec<TypeDef>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Whether each top-level resource is behind a cargo feature of its name.
    pub features: bool,
    /// The webhooks the API sends (OpenAPI 3.1 `webhooks`), in name order.
    pub webhooks: Vec<Webhook>,
    /// The selection the SDK was generated with (the overrides file's
    /// `select`, or `--select`), as written; `None` for the whole API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Vec<String>>,
}

/// A webhook: a request the API sends to the user's server, decoded by
/// `webhooks::Webhook::decode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// The webhook's name in the spec (what `decode` is given).
    pub wire: String,
    /// The variant of the `Webhook` enum.
    pub variant: String,
    /// The payload's type.
    pub ty: TypeRef,
}

/// One security scheme and how the client is given its credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    /// Name in `components.securitySchemes`.
    pub name: String,
    /// Name of the `ClientBuilder` setter.
    pub setter: String,
    /// How the credential is sent.
    pub kind: SchemeKind,
    /// Environment variable read by `ClientBuilder::from_env`.
    pub env: String,
    /// The scheme's description.
    pub doc: Option<String>,
}

/// How a credential is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header with the given name.
    Header(String),
    /// A query parameter with the given name.
    Query(String),
}

/// A Rust type as used in a field or signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// Any JSON value.
    Value,
    /// Raw bytes.
    Bytes,
    /// A file or body the caller sends (`runtime::Upload`: bytes, a file read as it is
    /// sent, or a stream): a binary multipart field or request body.
    Upload,
    Vec(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// A type of the `types` module.
    Named(String),
    /// A boxed type, to break a recursive type's infinite size.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// The type as Rust writes it, with the `types` module's names bare:
    /// `Vec<Image>`, `BTreeMap<String, i64>`, `DateTime<Utc>`.
    pub fn spelled(&self) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::DateTime => "DateTime<Utc>".into(),
            TypeRef::Value => "serde_json::Value".into(),
            TypeRef::Bytes => "Vec<u8>".into(),
            TypeRef::Upload => "Upload".into(),
            TypeRef::Vec(inner) => format!("Vec<{}>", inner.spelled()),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", inner.spelled()),
            TypeRef::Named(name) => name.clone(),
            TypeRef::Boxed(inner) => format!("Box<{}>", inner.spelled()),
        }
    }

    /// Calls `f` with the name of every named type this refers to.
    pub fn visit_named(&self, f: &mut dyn FnMut(&str)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => inner.visit_named(f),
            _ => {}
        }
    }

    /// Calls `f` with every named type name this refers to, to rename it.
    pub fn rename_named(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            TypeRef::Named(name) => f(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => inner.rename_named(f),
            _ => {}
        }
    }

    /// Whether `Default` exists for this type (named types are asked via `named_default`).
    pub fn has_default(&self, named_default: &dyn Fn(&str) -> bool) -> bool {
        match self {
            TypeRef::Named(name) => named_default(name),
            TypeRef::Boxed(inner) => inner.has_default(named_default),
            _ => true,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Doc text.
    pub doc: Option<String>,
    /// What it is.
    pub body: TypeBody,
    /// Top-level resources whose operations use it, directly or through other types.
    pub used_by: Vec<String>,
    /// The `components/schemas` entry it is, or `None` for an inline schema's type.
    pub component: Option<String>,
    /// Whether callers build it: it is reached from a request's parameters or
    /// body. Types only decoded from responses are `#[non_exhaustive]`, so
    /// the API adding a field to them is not a breaking change.
    pub built: bool,
    /// Which way its values travel, which decides the serde traits it
    /// derives (computed by `crate::direction`).
    #[serde(default)]
    pub direction: Direction,
    /// The JSON pointer of the schema it was lowered from, in the spec as
    /// written (for a merged type, the first of the schemas it stands for).
    pub origin: String,
}

impl TypeDef {
    /// The types of its fields or variants.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match &self.body {
            TypeBody::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
            TypeBody::Union { variants } => variants.iter().map(|(_, ty)| ty).collect(),
            TypeBody::Enum { .. } => Vec::new(),
            TypeBody::Alias { target } => vec![target],
        }
    }

    /// The types of its fields or variants, to change.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match &mut self.body {
            TypeBody::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeBody::Union { variants } => variants.iter_mut().map(|(_, ty)| ty).collect(),
            TypeBody::Enum { .. } => Vec::new(),
            TypeBody::Alias { target } => vec![target],
        }
    }
}

/// Which way a type's values travel between the caller and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Only in requests (parameters, bodies): encoded, never decoded.
    Sent,
    /// Only in responses, error bodies, events and webhooks: decoded, never encoded.
    Received,
    /// Both ways, or neither (a type nothing reaches is not left without a trait).
    #[default]
    Both,
}

/// The body of a named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TypeBody {
    /// A struct whose unknown fields are kept in a flattened map named `extra`.
    Struct { fields: Vec<Field>, extra: String, default: bool },
    /// A string enum with a catch-all `Unknown(String)` variant.
    Enum { variants: Vec<Variant> },
    /// An untagged union (`anyOf`/`oneOf`): the first variant that decodes wins,
    /// so variants are ordered from the most to the least specific.
    Union { variants: Vec<(String, TypeRef)> },
    /// Another name of an equal type (`pub type Name = Target;`): an inline
    /// schema keeps the name of where it stands even when its type is shared,
    /// so a name never changes because another schema equal to it was added.
    Alias { target: TypeRef },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The Rust name.
    pub rust: String,
    /// The name on the wire.
    pub wire: String,
    /// The value's type (without the `Option`s that presence adds).
    pub ty: TypeRef,
    /// Whether it must be present and whether it may be `null`.
    pub presence: Presence,
    /// Doc text.
    pub doc: Option<String>,
    /// A secret (`format: password`, `writeOnly`): `Debug` shows `[redacted]`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// Required / optional × nullable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    /// `T`.
    Required,
    /// `Option<T>`, always sent (`null` when `None`).
    RequiredNullable,
    /// `Option<T>`, left out when `None`.
    Optional,
    /// `Option<Option<T>>`: left out, explicit `null`, or a value.
    OptionalNullable,
}

/// A variant of a string enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// The Rust name.
    pub rust: String,
    /// The string on the wire.
    pub wire: String,
}

/// One API operation, as a method of a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `operationId` (or `METHOD /path` when missing).
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template, as in the spec.
    pub path: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// Resource path of snake_case segments: `["images", "v1"]`.
    pub resource: Vec<String>,
    /// Method name on the resource: `edit`.
    pub method_name: String,
    /// Which of the spec's naming signals placed it (see [`NamedBy`]).
    #[serde(default)]
    pub named_by: NamedBy,
    /// Path parameter passed as a positional argument (the last one).
    pub positional: Option<Param>,
    /// Name of the params struct, when there is anything to put in it.
    pub params_type: Option<String>,
    /// Parameters that go in the params struct.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success returns.
    pub response: Response,
    /// Security alternatives, each a list of scheme names.
    pub security: Vec<Vec<String>>,
    /// How to walk its pages, for a list operation.
    pub pagination: Option<Pagination>,
    /// The documented error responses with a JSON body, in status order.
    pub errors: Vec<ErrorResponse>,
    /// A `text/event-stream` success response, read as a stream of events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Events>,
    /// The documented example of the success response the method returns, valid by its
    /// schema: its status and JSON text, the default answer of the SDK's mock
    /// (`Mock::from_examples`). Set from `crate::examples`, not part of the IR's JSON.
    #[serde(skip)]
    pub example: Option<(u16, String)>,
}

/// The naming signal an operation's resource and method came from, in
/// order of precedence: the overrides file, an SDK-naming extension of the
/// operation, a namespaced operationId, its tag, its path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamedBy {
    /// `[operations.ID]` of the overrides file.
    Overrides,
    /// `x-speakeasy-group` / `x-speakeasy-name-override`, `x-fern-sdk-group-name` / `x-fern-sdk-method-name`.
    Extension,
    /// A namespaced operationId (`issues/list-for-repo`, `chat.postMessage`, `pets_list`).
    OperationId,
    /// The operation's tag, where the spec's tags partition it into resources.
    Tag,
    /// The path and the HTTP method.
    #[default]
    Path,
}

impl NamedBy {
    /// How `--verbose` and the README say it.
    pub fn as_str(self) -> &'static str {
        match self {
            NamedBy::Overrides => "overrides file",
            NamedBy::Extension => "extension",
            NamedBy::OperationId => "operationId",
            NamedBy::Tag => "tag",
            NamedBy::Path => "path",
        }
    }
}

/// A success response of server-sent events: a method of its own yields
/// them, each event's data decoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Events {
    /// The method's name (`create_stream`).
    pub method_name: String,
    /// The type of each event's `data`.
    pub ty: TypeRef,
    /// The boolean body field that asks for a stream (`stream: true`), which
    /// the method sets.
    pub flag: Option<StreamFlag>,
}

/// Where the `stream` flag of a request body is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamFlag {
    /// The params struct's field holding the body when the body is one type
    /// (and whether that field is optional); `None` when the body's fields
    /// are the params struct's own.
    pub body: Option<(String, bool)>,
    /// The flag's Rust field name.
    pub field: String,
    /// Its presence, which says how `true` is written.
    pub presence: Presence,
}

impl Operation {
    /// The types a caller gives it: parameters and body.
    pub fn request_type_refs(&self) -> Vec<&TypeRef> {
        let mut refs: Vec<&TypeRef> = self.positional.iter().chain(&self.params).map(|p| &p.ty).collect();
        match &self.body {
            Some(Body::Fields { fields, .. } | Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) => {
                refs.extend(fields.iter().map(|f| &f.ty))
            }
            Some(Body::Json { ty, .. }) => refs.push(ty),
            Some(Body::Bytes { .. }) | None => {}
        }
        refs
    }

    /// Every type it uses: parameters, body, response and error bodies.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let mut refs = self.request_type_refs();
        if let Response::Json { ty, .. } = &self.response {
            refs.push(ty);
        }
        refs.extend(self.errors.iter().map(|e| &e.ty));
        refs.extend(self.events.iter().map(|e| &e.ty));
        refs
    }

    /// Every type it uses, to change.
    pub fn type_refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut refs: Vec<&mut TypeRef> =
            self.positional.iter_mut().chain(&mut self.params).map(|p| &mut p.ty).collect();
        match &mut self.body {
            Some(Body::Fields { fields, .. } | Body::Multipart { fields } | Body::UrlEncoded { fields, .. }) => {
                refs.extend(fields.iter_mut().map(|f| &mut f.ty))
            }
            Some(Body::Json { ty, .. }) => refs.push(ty),
            Some(Body::Bytes { .. }) | None => {}
        }
        if let Response::Json { ty, .. } = &mut self.response {
            refs.push(ty);
        }
        refs.extend(self.errors.iter_mut().map(|e| &mut e.ty));
        refs.extend(self.events.iter_mut().map(|e| &mut e.ty));
        if let Some(p) = &mut self.pagination {
            refs.push(&mut p.item);
        }
        refs
    }
}

/// An error response an operation documents, with its JSON body's type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The status as the spec writes it: `404`, `4XX` or `default`.
    pub status: String,
    /// The body's type.
    pub ty: TypeRef,
    /// The response's description.
    pub doc: Option<String>,
}

/// How a list operation pages, so it can also be a stream of all items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    /// How the next page is asked for.
    pub kind: PageKind,
    /// Where a page's items are: `None` when the response is the list itself,
    /// else the response field holding it (and whether it is optional).
    pub items: Option<(String, bool)>,
    /// The item type.
    pub item: TypeRef,
}

/// How the next page is asked for, and how the API says there is none: every
/// name a Rust field or params field of the final code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PageKind {
    /// A `page` number query parameter (the params field; `float` when the spec
    /// types it as `number`): the last page is the one the envelope's totals
    /// say, an empty one, or one shorter than the longest so far.
    Number { page: String, float: bool },
    /// A token query parameter (params field) whose next value the response
    /// gives at `next` (echoed as `continuation_token`, or `next_cursor`,
    /// `response_metadata.next_cursor`...); no token is the end. `number`
    /// when it is a number of the parameter's type rather than a string (as
    /// Vercel's `pagination.next` timestamp passed back as `until`).
    Cursor {
        param: String,
        next: FieldPath,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        number: bool,
    },
    /// A query parameter (`after`) given the last item's id while the
    /// response's `has_more` says there is more; `last` is the response's own
    /// field for that id (`last_id`) when it has one, `id` the item's field
    /// (one of them is there).
    AfterLast { param: String, has_more: FieldPath, last: Option<FieldPath>, id: Option<FieldPath> },
    /// An `offset` query parameter advanced by each page's item count (`float`
    /// when typed `number`): the end is the response's `total`, when there is
    /// one, or an empty or short page.
    Offset { param: String, float: bool, total: Option<FieldPath> },
    /// The response's URL of the next page (`next`, `links.next`...),
    /// requested as it is; none is the end.
    NextUrl { next: FieldPath },
    /// The `Link` response header's `rel="next"` URL; none is the end.
    LinkHeader,
}

impl PageKind {
    /// The styles' names, as the overrides file writes them, in [`PageKind::style`] order.
    pub const STYLES: [&'static str; 6] = ["page", "cursor", "after-last", "offset", "next-url", "link-header"];

    /// The index of its style in [`PageKind::STYLES`].
    pub fn style(&self) -> usize {
        match self {
            PageKind::Number { .. } => 0,
            PageKind::Cursor { .. } => 1,
            PageKind::AfterLast { .. } => 2,
            PageKind::Offset { .. } => 3,
            PageKind::NextUrl { .. } => 4,
            PageKind::LinkHeader => 5,
        }
    }
}

/// A field reached from a response value (or an item), one Rust field per
/// step, each with its presence.
pub type FieldPath = Vec<(String, Presence)>;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's value is written (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The Rust name.
    pub rust: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Doc text.
    pub doc: Option<String>,
    /// How its value is written.
    pub style: Style,
    /// Whether arrays and objects are exploded into several values.
    pub explode: bool,
    /// A secret (`format: password`, `writeOnly`): `Debug` shows `[redacted]`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// A JSON object whose fields are flattened into the params struct.
    Fields { fields: Vec<Field>, extra: String },
    /// A JSON body of one type, in the params struct field `field`.
    /// A body without a schema that must be sent is `{}` unless given.
    Json { field: String, ty: TypeRef, required: bool, schemaless: bool, doc: Option<String> },
    /// A `multipart/form-data` form whose fields are in the params struct:
    /// bytes become file parts, scalars text parts, anything else JSON parts.
    Multipart { fields: Vec<Field> },
    /// An `application/x-www-form-urlencoded` form whose fields are in the
    /// params struct, each written in its style (`styles[i]` for
    /// `fields[i]`: style and explode, from the media type's `encoding`);
    /// objects and lists of objects in bracket notation (`metadata[key]=v`).
    UrlEncoded { fields: Vec<Field>, styles: Vec<(Style, bool)> },
    /// Raw bytes sent with the given content type, in the params struct field `field`.
    Bytes { field: String, content_type: String, doc: Option<String> },
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// A JSON body (or, when `enveloped`, the `result` of a
    /// `{success, errors, messages, result}` envelope); `optional` when it may be `null`.
    Json { ty: TypeRef, enveloped: bool, optional: bool },
    /// Raw bytes, of the media types in `accept` (sent as the `Accept` header).
    Bytes { accept: String },
    /// Nothing.
    Empty,
}
