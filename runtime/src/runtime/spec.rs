// The API as the generated code describes it to the runtime: its base URL, its user agent and
// its security schemes.

/// Static description of an API, emitted by the generator and passed to [`ClientBuilder::new`](super::ClientBuilder::new).
#[doc(hidden)]
#[derive(Debug)]
pub struct ApiSpec {
    /// Base URL used when [`ClientBuilder::base_url`](super::ClientBuilder::base_url) is not called (the first `servers` entry).
    pub default_base_url: &'static str,
    /// Value of the `User-Agent` header sent with every request.
    pub user_agent: &'static str,
    /// The security schemes the API declares.
    pub schemes: &'static [SecurityScheme],
}

/// One security scheme of an API (an entry of OpenAPI `components.securitySchemes`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Scheme name as used in the OpenAPI document and in [`ClientBuilder::credential`](super::ClientBuilder::credential).
    pub name: &'static str,
    /// How the credential is attached to requests.
    pub kind: SchemeKind,
    /// Environment variable read by [`ClientBuilder::from_env`](super::ClientBuilder::from_env); `""` means none.
    pub env: &'static str,
}

/// How a credential is attached to a request.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// `Authorization: Basic <base64(credential)>`; the credential is `user:password`.
    Basic,
    /// The credential is sent verbatim in the named header.
    Header(&'static str),
    /// The credential is sent in the named query parameter.
    Query(&'static str),
}
