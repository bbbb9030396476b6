//! Emission: the IR as `quote!` tokens. Knows Rust and the runtime's API,
//! nothing about OpenAPI. The output is cut into [`Part`]s that are emitted
//! and formatted independently (see `crate::render`).

pub(crate) mod examples;
mod methods;
mod mock;
mod resources;

pub(crate) use resources::{example_call, module_names};
mod types;
mod webhooks;

use crate::ir::{Api, SchemeKind, TypeDef};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The identifier for a name from the naming module (`r#type` is raw).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `#[doc]` attributes for spec text, made safe for rustdoc: fenced blocks
/// become `text` blocks and indentation is dropped, so that nothing in a
/// description is compiled as a doctest.
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return TokenStream::new() };
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            let line = line.trim();
            if line.starts_with("```") {
                in_fence = !in_fence;
                if in_fence {
                    return " ```text".to_string();
                }
            }
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// `#[cfg(...)]` for items used by the given top-level resources, when
/// resources are features; empty otherwise, and for items no resource uses
/// (what webhooks use).
pub(crate) fn feature_cfg(api: &Api, modules: &[String]) -> TokenStream {
    if !api.features || modules.is_empty() {
        return TokenStream::new();
    }
    let names = modules.iter().map(|m| naming::feature_name(m));
    match modules {
        [one] => {
            let one = naming::feature_name(one);
            quote!(#[cfg(feature = #one)])
        }
        _ => quote!(#[cfg(any(#(feature = #names),*))]),
    }
}

/// How many type definitions go into one [`Part::Types`].
const TYPES_PER_PART: usize = 48;

/// An independent piece of the API's code, in output order.
#[derive(Debug, Clone)]
pub(crate) enum Part<'a> {
    /// Re-exports, the API description, `impl Client` and `impl ClientBuilder`.
    Head,
    /// Some of the types of the module `types::<group>` ([`type_groups`]);
    /// the first of a group opens it with its `use`s.
    Types { group: usize, first: bool, defs: Vec<&'a TypeDef> },
    /// Piece `chunk` of `chunks` of a top-level resource module's items (the
    /// first opens with its `use`).
    Module { name: &'a str, chunk: usize, chunks: usize },
}

/// A module of `types`: the types one top-level resource alone uses (behind
/// its feature), or those several use, or none (the shared module).
#[derive(Debug, Clone)]
pub(crate) struct TypeGroup<'a> {
    /// The module's name (an identifier).
    pub name: String,
    /// The top-level resource, for all but the shared module.
    pub resource: Option<&'a str>,
    /// Its types, in the API's order.
    pub defs: Vec<&'a TypeDef>,
}

/// The modules of `types`: the shared one first (named `shared`, with a `_`
/// added while a resource module has that name), then one per top-level
/// resource, in name order, that has types of its own.
pub(crate) fn type_groups(api: &Api) -> Vec<TypeGroup<'_>> {
    let resources = resources::module_names(api);
    let mut shared = String::from("shared");
    while resources.iter().any(|r| naming::unraw(r) == shared) {
        shared.push('_');
    }
    let mut groups = vec![TypeGroup { name: shared, resource: None, defs: Vec::new() }];
    let index: std::collections::BTreeMap<&str, usize> =
        resources.iter().enumerate().map(|(i, r)| (*r, i + 1)).collect();
    groups.extend(resources.iter().map(|r| TypeGroup { name: r.to_string(), resource: Some(*r), defs: Vec::new() }));
    for def in &api.types {
        let group = match def.used_by.as_slice() {
            [one] => index.get(one.as_str()).copied().unwrap_or(0),
            _ => 0,
        };
        groups[group].defs.push(def);
    }
    groups.retain(|g| !g.defs.is_empty());
    groups
}

/// The parts of the API's code, in order: the head, each type group's
/// types, each resource module's pieces.
pub(crate) fn parts<'a>(api: &'a Api, groups: &[TypeGroup<'a>]) -> Vec<Part<'a>> {
    let mut parts = vec![Part::Head];
    for (group, g) in groups.iter().enumerate() {
        parts.extend(g.defs.chunks(TYPES_PER_PART).enumerate().map(|(i, defs)| Part::Types {
            group,
            first: i == 0,
            defs: defs.to_vec(),
        }));
    }
    for name in resources::module_names(api) {
        let chunks = resources::module_chunks(api, name);
        parts.extend((0..chunks).map(|chunk| Part::Module { name, chunk, chunks }));
    }
    parts
}

/// The tokens of one part.
pub(crate) fn part(api: &Api, user_agent: &str, part: &Part<'_>) -> TokenStream {
    match part {
        Part::Head => head(api, user_agent),
        Part::Types { first, defs, .. } => {
            let defs = defs.iter().map(|def| types::type_def(def, &feature_cfg(api, &def.used_by)));
            // With a feature per resource, an import may go unused.
            let uses = first.then(|| {
                quote! {
                    #[allow(unused_imports)]
                    use super::*;
                }
            });
            quote!(#uses #(#defs)*)
        }
        Part::Module { name, chunk, chunks } => {
            let items = resources::module_items(api, name, *chunk, *chunks);
            let uses = (*chunk == 0).then(|| {
                quote!(
                    use super::runtime;
                )
            });
            quote!(#uses #items)
        }
    }
}

/// How `types` declares a group module and re-exports its types, `cfg`'d
/// like them when the group is one resource's.
pub(crate) fn group_decl(api: &Api, group: &TypeGroup<'_>) -> (TokenStream, TokenStream) {
    let cfg = group.resource.map(|r| feature_cfg(api, &[r.to_string()])).unwrap_or_default();
    let name = ident(&group.name);
    (quote!(#cfg mod #name;), quote!(#cfg pub use #name::*;))
}

/// How the crate root declares a top-level resource module.
pub(crate) fn module_decl(api: &Api, name: &str) -> TokenStream {
    resources::module_decl(api, name)
}

/// How the crate root declares `types`.
pub(crate) fn types_decl() -> TokenStream {
    quote! {
        /// Types of the API's requests and responses.
        pub mod types;
    }
}

/// The items of `types` before its modules: what the types' own code
/// reaches through `super::runtime`.
pub(crate) fn types_prelude() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use super::runtime;
    }
}

/// A whole top-level resource module, for tests.
#[cfg(test)]
pub(crate) fn module_whole(api: &Api, name: &str) -> TokenStream {
    resources::module_whole(api, name)
}

/// Re-exports, the API description and the client's impls.
fn head(api: &Api, user_agent: &str) -> TokenStream {
    let base_url = &api.base_url;
    let schemes = api.schemes.iter().map(|s| {
        let name = &s.name;
        let env = &s.env;
        let kind = match &s.kind {
            SchemeKind::Bearer => quote!(runtime::SchemeKind::Bearer),
            SchemeKind::Basic => quote!(runtime::SchemeKind::Basic),
            SchemeKind::Header(h) => quote!(runtime::SchemeKind::Header(#h)),
            SchemeKind::Query(q) => quote!(runtime::SchemeKind::Query(#q)),
        };
        quote!(runtime::SecurityScheme { name: #name, kind: #kind, env: #env })
    });
    let setters = api.schemes.iter().map(|s| {
        let setter = ident(&s.setter);
        let name = &s.name;
        let how = match &s.kind {
            SchemeKind::Bearer => "Sent as `Authorization: Bearer <value>`.".to_string(),
            SchemeKind::Basic => "Sent as HTTP Basic authentication (`user:password`).".to_string(),
            SchemeKind::Header(h) => format!("Sent in the `{h}` header."),
            SchemeKind::Query(q) => format!("Sent as the `{q}` query parameter."),
        };
        let doc = format!(
            "{}\n\nCredential of the `{name}` scheme. {how} `from_env` reads it from `{}`.",
            s.doc.as_deref().map(str::trim).unwrap_or("Sets a credential."),
            s.env
        );
        let docs = doc_attrs(Some(&doc));
        quote! {
            #docs
            pub fn #setter(self, value: impl Into<Secret>) -> Self {
                self.credential(#name, value)
            }
        }
    });
    let roots = resources::roots(api);
    let accessors = roots.iter().map(|(module, root)| {
        let docs = doc_attrs(Some(&format!("Operations under `{module}`.")));
        let cfg = feature_cfg(api, std::slice::from_ref(module));
        let module = ident(module);
        let root = format_ident!("{}", root);
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> #module::#root<'_> {
                #module::#root { client: &self.inner }
            }
        }
    });
    let builder_docs = doc_attrs(Some(&if base_url.is_empty() {
        "Starts configuring a client. The spec names no server: set `base_url`.".to_string()
    } else {
        format!("Starts configuring a client of `{base_url}` (change it with `base_url`).")
    }));
    let vars: Vec<String> = api.schemes.iter().map(|s| format!("`{}`", s.env)).collect();
    let from_env_docs = doc_attrs(Some(&format!(
        "A client with default settings and the credentials found in the environment ({}).",
        if vars.is_empty() { "none are needed".to_string() } else { vars.join(", ") }
    )));
    let client_docs = doc_attrs(Some(&format!(
        "A client of the {}. Cheap to clone: clones share the connection pool and configuration.\n\n\
         Each method of a resource returns a [`Call`]: await it for the value, or set options \
         of that call first (`.timeout(…)`, `.max_retries(…)`, `.header(…)`, `.idempotency_key(…)`), \
         or await `.with_response()` for the status, headers and request id too.",
        api.title
    )));
    let forwards = builder_forwards();
    let webhooks = webhooks::module(api);
    let mock = mock::mock(api);
    quote! {
        pub use runtime::{ApiError, Call, Error, Response, ResponseInfo, ResponseInfoSource, Secret};

        #webhooks

        /// What the runtime needs to know about this API.
        static API_SPEC: runtime::ApiSpec = runtime::ApiSpec {
            default_base_url: #base_url,
            user_agent: #user_agent,
            schemes: &[#(#schemes),*],
        };

        #client_docs
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: runtime::Client,
        }

        impl Client {
            #builder_docs
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: runtime::ClientBuilder::new(&API_SPEC) }
            }

            #from_env_docs
            pub fn from_env() -> Result<Client, Error> {
                Self::builder().from_env().build()
            }

            /// The base URL requests are sent to, without trailing `/`.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The runtime's client, to send a [`runtime::Request`] of your own.
            pub fn runtime(&self) -> &runtime::Client {
                &self.inner
            }

            #(#accessors)*
        }

        /// Configures and creates a [`Client`]: see [`runtime::ClientBuilder`] for the defaults.
        #[derive(Debug)]
        #[must_use = "a ClientBuilder does nothing until `build` is called"]
        pub struct ClientBuilder {
            inner: runtime::ClientBuilder,
        }

        impl ClientBuilder {
            #forwards

            #(#setters)*

            /// Creates the client: see [`runtime::ClientBuilder::build`].
            pub fn build(self) -> Result<Client, Error> {
                self.inner.build().map(|inner| Client { inner })
            }
        }

        #mock
    }
}

/// The settings of the runtime's `ClientBuilder`, passed on by the SDK's own
/// (whose methods are [`crate::contract::BUILDER_METHODS`], with `build` and the
/// credential setters).
fn builder_forwards() -> TokenStream {
    quote! {
        /// Overrides the base URL (a proxy, a test server). A trailing `/` is ignored.
        pub fn base_url(self, url: impl Into<String>) -> Self {
            ClientBuilder { inner: self.inner.base_url(url) }
        }

        /// Sets the timeout of each attempt (default 60 s): see [`runtime::ClientBuilder::timeout`].
        pub fn timeout(self, timeout: std::time::Duration) -> Self {
            ClientBuilder { inner: self.inner.timeout(timeout) }
        }

        /// Sets the timeout for establishing a connection.
        pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
            ClientBuilder { inner: self.inner.connect_timeout(timeout) }
        }

        /// Sets how many times a failed attempt is retried (default 2): see [`runtime::ClientBuilder::max_retries`].
        pub fn max_retries(self, n: u32) -> Self {
            ClientBuilder { inner: self.inner.max_retries(n) }
        }

        /// Sets the exponential backoff between attempts (default 500 ms up to 8 s).
        pub fn retry_delays(self, initial: std::time::Duration, max: std::time::Duration) -> Self {
            ClientBuilder { inner: self.inner.retry_delays(initial, max) }
        }

        /// Sets the longest `Retry-After` the client waits out (default 60 s).
        pub fn max_retry_after(self, delay: std::time::Duration) -> Self {
            ClientBuilder { inner: self.inner.max_retry_after(delay) }
        }

        /// Retries `POST` and `PATCH` like reads: see [`runtime::ClientBuilder::retry_writes`].
        pub fn retry_writes(self, on: bool) -> Self {
            ClientBuilder { inner: self.inner.retry_writes(on) }
        }

        /// Sends each `POST` and `PATCH` with a fresh idempotency key in header `name`.
        pub fn idempotency_header(self, name: &str) -> Self {
            ClientBuilder { inner: self.inner.idempotency_header(name) }
        }

        /// Sets the credential of the security scheme called `scheme`.
        pub fn credential(self, scheme: &str, value: impl Into<Secret>) -> Self {
            ClientBuilder { inner: self.inner.credential(scheme, value) }
        }

        /// Reads credentials from the environment variables the API's schemes name.
        pub fn from_env(self) -> Self {
            ClientBuilder { inner: self.inner.from_env() }
        }

        /// Builds the HTTP client from `builder` (proxies, TLS roots, pool settings); redirects
        /// are still followed only within their origin, so credentials stay with the API.
        pub fn http_client(self, builder: runtime::reqwest::ClientBuilder) -> Self {
            ClientBuilder { inner: self.inner.http_client(builder) }
        }

        /// Adds a middleware that every attempt of every call goes through.
        pub fn middleware(self, middleware: impl runtime::Middleware) -> Self {
            ClientBuilder { inner: self.inner.middleware(middleware) }
        }
    }
}

/// The cargo features of an SDK with a feature per top-level resource, in
/// name order; `None` when resources are not features.
pub(crate) fn feature_names(api: &Api) -> Option<Vec<String>> {
    api.features.then(|| {
        let roots: std::collections::BTreeSet<String> =
            api.operations.iter().map(|op| naming::feature_name(&op.resource[0])).collect();
        roots.into_iter().collect()
    })
}

/// The crate's `//!` docs: the API's title, version and description, where
/// the map of methods is, an example call of its first operation, and the
/// features (`features`, from [`feature_names`]).
pub(crate) fn crate_docs(api: &Api, lib_name: &str, features: Option<&[String]>) -> String {
    let mut docs = format!("//! {} {}: a typed async client, generated by sdkgen.\n", api.title, api.version);
    if api.description.is_some() {
        docs.push_str("//!\n");
    }
    for line in doc_lines(api.description.as_deref().unwrap_or("").trim()) {
        docs.push_str(&format!("//!{line}\n").replace("//! \n", "//!\n"));
    }
    let call = api.operations.first().and_then(|op| example_call(op, lib_name));
    let call = call.map(|c| format!("//! let result = {c};\n//! println!(\"{{result:?}}\");\n")).unwrap_or_default();
    docs.push_str(&format!(
        "//!\n//! Every method, by resource, with its HTTP method and route: `{}` at the crate's root.\n",
        crate::api_map::API_MD
    ));
    docs.push_str(&format!(
        "//!\n//! ```no_run\n//! # async fn example() -> Result<(), {lib_name}::Error> {{\n//! let client = {lib_name}::Client::from_env()?;\n{call}//! # Ok(())\n//! # }}\n//! ```\n"
    ));
    if let Some(features) = features {
        docs.push_str(&format!(
            "//!\n//! Each top-level resource is a cargo feature (`{}`, …); none is on by default, `full` turns on all.\n",
            features.first().map(String::as_str).unwrap_or("")
        ));
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_never_become_doctests() {
        assert_eq!(doc_lines("a\n    indented\n```\ncode\n```"), [" a", " indented", " ```text", " code", " ```"]);
        assert_eq!(doc_lines("```json\n{}\n```"), [" ```text", " {}", " ```"]);
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn builder_methods_are_the_ones_lowering_reserves() {
        let forwards = builder_forwards();
        let file: syn::File = syn::parse2(quote!(impl B { #forwards })).unwrap();
        let syn::Item::Impl(block) = &file.items[0] else { panic!() };
        let mut names: Vec<String> = block
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        names.push("build".into());
        names.sort();
        let mut reserved: Vec<String> = crate::contract::BUILDER_METHODS.iter().map(|s| s.to_string()).collect();
        reserved.sort();
        assert_eq!(names, reserved);
    }
}
