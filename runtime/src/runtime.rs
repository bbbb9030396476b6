// The HTTP runtime of the SDKs that sdkgen generates: the crate `sdkgen-runtime`, or, for an SDK
// generated with `--vendor-runtime`, its `runtime` module (this file, copied verbatim).

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use bytes::Bytes;
pub use futures_util::Stream;
pub use reqwest::header::HeaderMap;
pub use reqwest::{self, Method, StatusCode};

/// Maximum number of body bytes kept in error snippets.
const SNIPPET_LEN: usize = 512;
/// A `Retry-After` longer than this ends the retries by default: the error,
/// which carries the delay ([`ApiError::retry_after`]), is returned for the
/// caller to decide, rather than waited out or ignored.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Maximum number of (same-origin) redirects followed by the default HTTP client.
const MAX_REDIRECTS: usize = 10;

/// Static description of an API, emitted by the generator and passed to [`ClientBuilder::new`].
#[derive(Debug)]
pub struct ApiSpec {
    /// Base URL used when [`ClientBuilder::base_url`] is not called (the first `servers` entry).
    pub default_base_url: &'static str,
    /// Value of the `User-Agent` header sent with every request.
    pub user_agent: &'static str,
    /// The security schemes the API declares.
    pub schemes: &'static [SecurityScheme],
}

/// One security scheme of an API (an entry of OpenAPI `components.securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Scheme name as used in the OpenAPI document and in [`ClientBuilder::credential`].
    pub name: &'static str,
    /// How the credential is attached to requests.
    pub kind: SchemeKind,
    /// Environment variable read by [`ClientBuilder::from_env`]; `""` means none.
    pub env: &'static str,
}

/// How a credential is attached to a request.
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

/// A credential. Its `Debug` and `Display` output is always `[redacted]`, and its memory is
/// overwritten with zeros when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Returns the credential in clear text. Take care not to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Configures and creates a [`Client`].
///
/// Defaults: the spec's base URL, a 60 s timeout per attempt, 2 retries, backoff from 500 ms up
/// to 8 s, and no credentials.
#[must_use = "a ClientBuilder does nothing until `build` is called"]
pub struct ClientBuilder {
    spec: &'static ApiSpec,
    base_url: String,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    retry_writes: bool,
    idempotency_header: Option<HeaderName>,
    explicit: Vec<(String, Secret)>,
    from_env: Vec<(usize, Secret)>,
    http: Option<reqwest::ClientBuilder>,
    middleware: Vec<Arc<dyn Middleware>>,
}

impl ClientBuilder {
    /// Starts a builder for the API described by `spec`.
    pub fn new(spec: &'static ApiSpec) -> Self {
        ClientBuilder {
            spec,
            base_url: spec.default_base_url.trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(60),
            connect_timeout: None,
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: MAX_RETRY_AFTER,
            retry_writes: false,
            idempotency_header: None,
            explicit: Vec::new(),
            from_env: Vec::new(),
            http: None,
            middleware: Vec::new(),
        }
    }

    /// Overrides the base URL (e.g. a proxy or a test server). A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets the timeout of each attempt: it covers the middlewares, the exchange and the
    /// reading of the response body (for a call whose body is a stream, until the response
    /// starts).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Sets the timeout for establishing a connection.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Sets how many times a failed attempt is retried (so at most `n + 1` attempts).
    ///
    /// Connection failures, timeouts and HTTP 408, 409, 429 and 5xx responses are retried,
    /// a `POST` or `PATCH` only when the server cannot have acted on it (see
    /// [`ClientBuilder::retry_writes`] and [`ClientBuilder::idempotency_header`]). A server's
    /// `x-should-retry: true` or `false` overrides this.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the exponential backoff between attempts: `initial * 2^retry`, capped at `max`,
    /// with jitter. A `Retry-After` sent by the server, up to
    /// [`max_retry_after`](ClientBuilder::max_retry_after), takes precedence.
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max;
        self
    }

    /// Sets the longest `Retry-After` the client waits out (default 60 s). A server that asks
    /// for a longer wait ends the retries: the error carries the delay
    /// ([`ApiError::retry_after`]).
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Retries `POST` and `PATCH` requests like reads, also after a timeout or a 5xx that may
    /// come after the server acted (default: only when it cannot have acted). Turn it on only
    /// for an API whose writes are safe to repeat.
    pub fn retry_writes(mut self, on: bool) -> Self {
        self.retry_writes = on;
        self
    }

    /// Sends every `POST` and `PATCH` with a fresh key in header `name` (`Idempotency-Key` for
    /// APIs that honour one), the same key on each attempt, so that the server can tell a
    /// retry from a new request; such requests are then retried like reads.
    pub fn idempotency_header(mut self, name: &str) -> Self {
        self.idempotency_header = HeaderName::from_bytes(name.as_bytes()).ok();
        self
    }

    /// Sets the credential for the security scheme called `scheme`.
    ///
    /// An unknown scheme name makes [`ClientBuilder::build`] fail.
    pub fn credential(mut self, scheme: &str, value: impl Into<Secret>) -> Self {
        self.explicit.push((scheme.to_owned(), value.into()));
        self
    }

    /// Reads credentials from the environment variables named in the spec.
    ///
    /// Variables that are unset or empty are skipped; credentials set with
    /// [`ClientBuilder::credential`] (before or after this call) take precedence.
    pub fn from_env(mut self) -> Self {
        for (index, scheme) in self.spec.schemes.iter().enumerate().filter(|(_, s)| !s.env.is_empty()) {
            match std::env::var(scheme.env) {
                Ok(value) if !value.is_empty() => self.from_env.push((index, value.into())),
                _ => {}
            }
        }
        self
    }

    /// Builds the HTTP client from `builder` (with its proxies, TLS roots, pool and
    /// connection settings) rather than from reqwest's defaults.
    ///
    /// The SDK's rules still hold: redirects are followed only within the origin they
    /// start from, so that credentials never go to another host, whatever policy
    /// `builder` has; the per-attempt [`timeout`](ClientBuilder::timeout) and the
    /// [`connect_timeout`](ClientBuilder::connect_timeout) apply.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Adds a middleware: every attempt of every call goes through the middlewares, in the
    /// order they were added, on its way to the HTTP client (see [`Middleware`]).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Creates the client.
    ///
    /// Fails with [`Error::InvalidRequest`] if the base URL is not an absolute `http(s)` URL
    /// without query or fragment, or a credential names an unknown scheme; and with
    /// [`Error::Transport`] if the HTTP client cannot be initialised.
    pub fn build(self) -> Result<Client, Error> {
        let spec = self.spec;
        let base = Url::parse(&self.base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.query().is_none() && u.fragment().is_none());
        let Some(base) = base else {
            return Err(Error::InvalidRequest(format!("invalid base URL `{}`", self.base_url)));
        };
        let mut credentials: Vec<Option<Secret>> = vec![None; spec.schemes.len()];
        for (index, value) in self.from_env {
            credentials[index] = Some(value);
        }
        for (name, value) in self.explicit {
            let Some(i) = scheme_index(spec, &name) else {
                let known: Vec<&str> = spec.schemes.iter().map(|s| s.name).collect();
                return Err(Error::InvalidRequest(format!(
                    "unknown security scheme `{name}` (known: {})",
                    known.join(", ")
                )));
            };
            credentials[i] = Some(value);
        }
        let credentials = credentials
            .into_iter()
            .zip(spec.schemes)
            .map(|(secret, scheme)| secret.map(|s| Credential::new(scheme, s)).transpose())
            .collect::<Result<Vec<_>, Error>>()?;
        let user_agent = header_value("User-Agent", spec.user_agent)?;
        // Each attempt gets its timeout of its own (a streamed body has none once the
        // response has come), so the HTTP client has none.
        let mut http = self.http.unwrap_or_default().redirect(same_origin_redirects());
        if let Some(d) = self.connect_timeout {
            http = http.connect_timeout(d);
        }
        let http = http.build().map_err(Error::Transport)?;
        Ok(Client {
            inner: Arc::new(Inner {
                spec,
                http,
                base_url: self.base_url,
                timeout: self.timeout,
                max_retries: self.max_retries,
                initial_delay: self.initial_delay,
                max_delay: self.max_delay,
                max_retry_after: self.max_retry_after,
                retry_writes: self.retry_writes,
                idempotency_header: self.idempotency_header,
                credentials,
                user_agent,
                middleware: self.middleware,
                base,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.explicit.iter().map(|(n, _)| n.as_str());
        let env_names = self.from_env.iter().map(|(i, _)| self.spec.schemes[*i].name);
        let credentials: Vec<&str> = names.chain(env_names).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// An API client. Cheap to clone: clones share the connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    spec: &'static ApiSpec,
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    retry_writes: bool,
    idempotency_header: Option<HeaderName>,
    /// Indexed like `spec.schemes`.
    credentials: Vec<Option<Credential>>,
    /// Made once; each request shares it.
    user_agent: HeaderValue,
    middleware: Vec<Arc<dyn Middleware>>,
    /// The base URL, parsed (its origin for next-page URLs, its host for tracing).
    base: Url,
}

/// A configured credential, with its header made once (marked sensitive, so that it is
/// never printed or logged).
struct Credential {
    secret: Secret,
    header: Option<(HeaderName, HeaderValue)>,
}

impl Credential {
    fn new(scheme: &SecurityScheme, secret: Secret) -> Result<Credential, Error> {
        let value = match scheme.kind {
            SchemeKind::Bearer => format!("Bearer {}", secret.expose()),
            SchemeKind::Basic => format!("Basic {}", base64(secret.expose().as_bytes())),
            SchemeKind::Header(_) => secret.expose().to_owned(),
            SchemeKind::Query(_) => return Ok(Credential { secret, header: None }),
        };
        let name = match scheme.kind {
            SchemeKind::Header(name) => header_name(name)?,
            _ => AUTHORIZATION,
        };
        let mut value = HeaderValue::from_str(&value)
            .map_err(|_| Error::InvalidRequest(format!("credential `{}` is not a valid header value", scheme.name)))?;
        value.set_sensitive(true);
        Ok(Credential { secret, header: Some((name, value)) })
    }
}

/// A request after validation, ready to be sent (possibly several times). Its parts are
/// cheap to copy for each attempt: header values are static or shared, the body is shared.
struct Prepared {
    method: Method,
    url: Url,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Payload>,
}

/// A 2xx response, borrowed while it is decoded.
struct Reply<'a> {
    status: StatusCode,
    /// The headers, for an error (a 2xx saying `"success": false`).
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl Reply<'_> {
    fn decode_error(&self, message: impl fmt::Display) -> Error {
        decode_error(self.status, message, self.body)
    }

    fn api_error(&self) -> Error {
        api_error(self.status, self.headers.clone(), self.body)
    }
}

/// A value read from a 2xx response, with the envelope's `result_info` when there is one.
type Decoded<T> = Result<(T, Option<Value>), Error>;

/// How a call reads the value out of a 2xx response.
enum Decoder<T> {
    /// From the whole body, with the envelope's `result_info` when there is one.
    Body(fn(&Reply<'_>) -> Decoded<T>),
    /// The whole body itself (read once into one buffer, not copied).
    Raw(fn(Vec<u8>) -> T),
    /// From the body as it arrives.
    Stream(fn(ByteStream) -> T),
}

impl<T> Clone for Decoder<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decoder<T> {}

/// The JSON body as `T` (an empty body decodes as `null`).
fn decode_json<T: DeserializeOwned>(reply: &Reply<'_>) -> Decoded<T> {
    let body = if reply.body.iter().all(u8::is_ascii_whitespace) { &b"null"[..] } else { reply.body };
    serde_json::from_slice(body).map(|value| (value, None)).map_err(|e| reply.decode_error(e))
}

/// The `result` of a `{success, errors, messages, result, result_info}` envelope as `T`.
fn decode_enveloped<T: DeserializeOwned>(reply: &Reply<'_>) -> Decoded<T> {
    /// The parts of an envelope a success needs; `errors` and `messages` are read only
    /// for a failure.
    #[derive(Deserialize)]
    struct Envelope<R> {
        success: Option<bool>,
        result: Option<R>,
        result_info: Option<Value>,
    }
    match serde_json::from_slice::<Envelope<T>>(reply.body) {
        Ok(Envelope { success: Some(false), .. }) => Err(reply.api_error()),
        Ok(Envelope { result: Some(result), result_info, .. }) => Ok((result, result_info)),
        Ok(Envelope { result: None, result_info, .. }) => {
            T::deserialize(Value::Null).map(|value| (value, result_info)).map_err(|e| reply.decode_error(e))
        }
        Err(e) => {
            // An envelope whose `result` does not decode may still say `success: false`.
            let envelope = serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(reply.body);
            match envelope {
                Ok(Envelope { success: Some(false), .. }) => Err(reply.api_error()),
                _ => Err(reply.decode_error(e)),
            }
        }
    }
}

/// Nothing: the body is ignored.
fn decode_nothing(_: &Reply<'_>) -> Decoded<()> {
    Ok(((), None))
}

/// What a call learnt besides its value.
struct Meta {
    status: StatusCode,
    headers: HeaderMap,
    result_info: Option<Value>,
    attempts: u32,
}

impl Client {
    /// The base URL requests are sent to, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `req` and decodes the JSON body of a 2xx response as `T` (an empty body decodes
    /// as `null`). Other statuses yield [`Error::Api`].
    pub async fn send<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        Call::json(self, || Ok(req)).send().await
    }

    /// Sends `req` and unwraps a `{success, errors, messages, result}` envelope.
    ///
    /// On a 2xx with `success` not `false`, returns `result` decoded as `T` (a missing
    /// `result` decodes as `null`). A 2xx with `"success": false` yields [`Error::Api`].
    pub async fn send_enveloped<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        Call::enveloped(self, || Ok(req)).send().await
    }

    /// Sends `req` and returns the raw body of a 2xx response.
    pub async fn send_bytes(&self, req: Request) -> Result<Vec<u8>, Error> {
        Call::bytes(self, || Ok(req)).send().await
    }

    /// Validates `req`, then sends it, retrying as configured, until a 2xx reply, which
    /// `decode` reads, or a final error.
    async fn execute<T>(&self, req: Request, options: CallOptions, decode: Decoder<T>) -> Result<(T, Meta), Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            let span = call_span(&req, self.inner.base.host_str().unwrap_or_default());
            let result = self.execute_here(req, options, decode).instrument(span.clone()).await;
            record_outcome(&span, &result);
            result
        }
        #[cfg(not(feature = "tracing"))]
        self.execute_here(req, options, decode).await
    }

    async fn execute_here<T>(
        &self,
        req: Request,
        options: CallOptions,
        decode: Decoder<T>,
    ) -> Result<(T, Meta), Error> {
        let inner = &*self.inner;
        let mut prepared = self.prepare(req, &options)?;
        let write = matches!(prepared.method, Method::POST | Method::PATCH);
        let header = || inner.idempotency_header.clone().unwrap_or(HeaderName::from_static("idempotency-key"));
        let keyed = match (options.idempotency_key, &inner.idempotency_header) {
            (Some(key), _) => {
                prepared.headers.push((header(), header_value("Idempotency-Key", &key)?));
                true
            }
            (None, Some(name)) if write => {
                let key = HeaderValue::from_str(&idempotency_key()).expect("hex digits are a header value");
                prepared.headers.push((name.clone(), key));
                true
            }
            _ => false,
        };
        let repeatable = !write || keyed || options.retry_writes.unwrap_or(inner.retry_writes);
        // A streamed upload cannot be sent twice.
        let once = prepared.body.as_ref().is_some_and(Payload::once);
        let max_retries = if once { 0 } else { options.max_retries.unwrap_or(inner.max_retries) };
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let max_retry_after = options.max_retry_after.unwrap_or(inner.max_retry_after);
        let (initial_delay, max_delay) = options.retry_delays.unwrap_or((inner.initial_delay, inner.max_delay));
        let mut retry = 0;
        loop {
            // One deadline per attempt, around the middlewares, the exchange and the reading
            // of the body (until the response starts, for a stream).
            let attempt = tokio::time::timeout(timeout, self.attempt(&prepared, decode)).await;
            let error = match attempt.unwrap_or(Err(Error::Timeout)) {
                Ok((value, mut meta)) => {
                    meta.attempts = retry + 1;
                    return Ok((value, meta));
                }
                Err(error) => error,
            };
            let retry_after = error.api().and_then(|api| api.retry_after);
            let too_long = retry_after.is_some_and(|d| d > max_retry_after);
            if retry >= max_retries || !may_retry(repeatable, &error) || too_long {
                return Err(error);
            }
            let delay = retry_after.unwrap_or_else(|| backoff(retry, initial_delay, max_delay));
            #[cfg(feature = "tracing")]
            tracing::Span::current().record("http.request.resend_count", retry + 1);
            #[cfg(feature = "tracing")]
            tracing::info!(
                http.request.resend_count = retry + 1,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "retrying after a failed attempt"
            );
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    /// One attempt: through the middlewares to the HTTP client, and the body read (for a
    /// streamed body, until the response starts). The caller bounds it with the timeout.
    async fn attempt<T>(&self, p: &Prepared, decode: Decoder<T>) -> Result<(T, Meta), Error> {
        let mut request = reqwest::Request::new(p.method.clone(), p.url.clone());
        let headers = request.headers_mut();
        headers.reserve(p.headers.len());
        for (name, value) in &p.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(payload) = &p.body {
            let (body, len) = payload.body().await?;
            if let Some(len) = len {
                request.headers_mut().insert(reqwest::header::CONTENT_LENGTH, HeaderValue::from(len));
            }
            *request.body_mut() = Some(body);
        }
        let mut response = self.exchange(request).await?;
        mark_secrets(response.headers_mut().iter_mut(), self.inner.spec.schemes);
        let status = response.status();
        if !status.is_success() {
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(|e| self.transport_error(e))?;
            return Err(api_error(status, headers, &body));
        }
        match decode {
            Decoder::Stream(read) => {
                let headers = response.headers().clone();
                Ok((read(ByteStream::new(response)), Meta { status, headers, result_info: None, attempts: 1 }))
            }
            Decoder::Raw(read) => {
                let headers = std::mem::take(response.headers_mut());
                let body = self.read_body(response).await?;
                Ok((read(body.into()), Meta { status, headers, result_info: None, attempts: 1 }))
            }
            Decoder::Body(read) => {
                let headers = std::mem::take(response.headers_mut());
                let body = self.read_body(response).await?;
                let (value, result_info) = read(&Reply { status, headers: &headers, body: &body })?;
                Ok((value, Meta { status, headers, result_info, attempts: 1 }))
            }
        }
    }

    /// A response's whole body. A large one of announced length is read into one buffer of
    /// that length, so that it is not copied as it grows (nor once more when its chunks are
    /// joined); a small one is read as reqwest reads it (one chunk is not copied).
    async fn read_body(&self, mut response: reqwest::Response) -> Result<Bytes, Error> {
        // Memory is only used as it is written, so a wrong length costs little; still, a
        // length past 1 GiB is not trusted.
        let announced = response.content_length().unwrap_or(0).min(1 << 30);
        if announced < 1 << 20 {
            return response.bytes().await.map_err(|e| self.transport_error(e));
        }
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport_error(e))? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.into())
    }

    /// Sends one request through the middlewares, if there are any, to the HTTP client.
    async fn exchange(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        if self.inner.middleware.is_empty() {
            return self.execute_http(request).await;
        }
        Next { client: self, rest: &self.inner.middleware }.run(request).await
    }

    /// Sends one request with the HTTP client.
    async fn execute_http(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        self.inner.http.execute(request).await.map_err(|e| self.transport_error(e))
    }

    /// Builds the URL and headers, and attaches credentials; nothing is sent yet.
    fn prepare(&self, req: Request, options: &CallOptions) -> Result<Prepared, Error> {
        let spec = self.inner.spec;
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, req.path))
            .map_err(|e| Error::InvalidRequest(format!("invalid request URL: {e}")))?;
        let mut query = req.query;
        if let Some(next) = &options.page_url {
            // A next page's URL carries its own query.
            url = self.page_url(&url, next)?;
            query.clear();
        }
        // In order: a later header of the same name replaces an earlier one.
        let mut headers = Vec::with_capacity(4 + req.headers.len());
        headers.push((ACCEPT, HeaderValue::from_static("application/json")));
        headers.push((USER_AGENT, self.inner.user_agent.clone()));
        for (name, value) in &req.headers {
            headers.push((header_name(name)?, header_value(name, value)?));
        }
        if !req.cookies.is_empty() {
            const COOKIE_VALUE: &percent_encoding::AsciiSet =
                &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');
            let text = req
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={}", percent_encoding::utf8_percent_encode(value, COOKIE_VALUE)))
                .collect::<Vec<_>>()
                .join("; ");
            headers.push((reqwest::header::COOKIE, header_value("Cookie", &text)?));
        }
        if let Some((content_type, _)) = &req.body {
            let value = match content_type {
                // A media type from the spec: used in place, not copied.
                Cow::Borrowed(text) if text.bytes().all(|b| (32..127).contains(&b)) => HeaderValue::from_static(text),
                other => header_value("Content-Type", other)?,
            };
            headers.push((CONTENT_TYPE, value));
        }
        let alternative = self.select_credentials(req.security, &req.method, &req.path)?;
        for name in alternative {
            let Some(index) = scheme_index(spec, name) else {
                continue;
            };
            let Some(credential) = &self.inner.credentials[index] else {
                continue;
            };
            match (&credential.header, &spec.schemes[index].kind) {
                (Some(header), _) => headers.push(header.clone()),
                (None, SchemeKind::Query(name)) => {
                    query.push((Cow::Borrowed(name), credential.secret.expose().to_owned()))
                }
                (None, _) => {}
            }
        }
        for (name, value) in &options.headers {
            headers.push((header_name(name)?, header_value(name, value)?));
        }
        // Secrets are marked, so that a request's `Debug` (in a middleware) does not show them.
        mark_secrets(headers.iter_mut().map(|(name, value)| (&*name, value)), spec.schemes);
        query.extend(options.query.iter().map(|(name, value)| (Cow::Owned(name.clone()), value.clone())));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(Prepared { method: req.method, url, headers, body: req.body.map(|(_, payload)| payload) })
    }

    /// A next page's URL, resolved against the operation's `url`, if it is on the API's origin.
    fn page_url(&self, url: &Url, next: &str) -> Result<Url, Error> {
        let next = url.join(next).map_err(|e| Error::InvalidRequest(format!("invalid next page URL: {e}")))?;
        let base = &self.inner.base;
        if next.origin() != base.origin() {
            return Err(Error::InvalidRequest(format!(
                "the next page's URL is on {}, not on the API's {}: it is not followed, so that \
                 credentials only go to the API",
                next.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        Ok(next)
    }

    /// Picks the first security alternative whose credentials are all configured: the names
    /// of its schemes.
    fn select_credentials(
        &self,
        alternatives: &'static [&'static [&'static str]],
        method: &Method,
        path: &str,
    ) -> Result<&'static [&'static str], Error> {
        if alternatives.is_empty() {
            return Ok(&[]);
        }
        let spec = self.inner.spec;
        let configured = |name: &str| scheme_index(spec, name).is_some_and(|i| self.inner.credentials[i].is_some());
        if let Some(alternative) = alternatives.iter().find(|alternative| alternative.iter().all(|n| configured(n))) {
            return Ok(alternative);
        }
        let options: Vec<String> = alternatives.iter().map(|alt| alt.join(" + ")).collect();
        Err(Error::InvalidRequest(format!("no credentials for {method} {path}: set one of: {}", options.join(" | "))))
    }

    /// Classifies a reqwest failure, removing query-parameter credentials from its URL.
    fn transport_error(&self, mut error: reqwest::Error) -> Error {
        if error.is_timeout() {
            return Error::Timeout;
        }
        let schemes = self.inner.spec.schemes;
        let secret = |key: &str| schemes.iter().any(|s| matches!(s.kind, SchemeKind::Query(n) if n == key));
        if let Some(url) = error.url_mut() {
            if url.query_pairs().any(|(k, _)| secret(&k)) {
                let pairs: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if secret(&k) { "[redacted]".to_owned() } else { v.into_owned() };
                        (k.into_owned(), v)
                    })
                    .collect();
                url.query_pairs_mut().clear().extend_pairs(pairs);
            }
        }
        Error::Transport(error)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let credentials: Vec<&str> = (inner.spec.schemes.iter().zip(&inner.credentials))
            .filter_map(|(scheme, secret)| secret.as_ref().map(|_| scheme.name))
            .collect();
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &credentials)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .finish_non_exhaustive()
    }
}

/// A step that every attempt of every call goes through on its way to the HTTP client,
/// added with [`ClientBuilder::middleware`]: it may change the request (its credentials are
/// already on it), look at or replace the response, or answer by itself. Retries, the
/// per-attempt timeout and decoding happen around the middlewares, so a middleware sees each
/// attempt.
///
/// ```ignore
/// use sdkgen_runtime::{BoxFuture, Error, Middleware, Next};
/// use sdkgen_runtime::reqwest::{header::HeaderValue, Request, Response};
///
/// /// Tags every request with the tenant it is made for.
/// struct Tenant(HeaderValue);
///
/// impl Middleware for Tenant {
///     fn handle<'a>(&'a self, mut request: Request, next: Next<'a>) -> BoxFuture<'a, Result<Response, Error>> {
///         request.headers_mut().insert("x-tenant", self.0.clone());
///         next.run(request)
///     }
/// }
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Handles one attempt: usually changes `request` and passes it to `next.run`.
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>>;
}

/// A boxed future that can be sent between threads (the result of [`Middleware::handle`]).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The middlewares after the current one, then the HTTP client.
pub struct Next<'a> {
    client: &'a Client,
    rest: &'a [Arc<dyn Middleware>],
}

impl<'a> Next<'a> {
    /// Passes `request` on: to the next middleware, or to the HTTP client.
    pub fn run(self, request: reqwest::Request) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        match self.rest.split_first() {
            Some((first, rest)) => first.handle(request, Next { client: self.client, rest }),
            None => Box::pin(self.client.execute_http(request)),
        }
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next").field("middlewares", &self.rest.len()).finish_non_exhaustive()
    }
}

/// Settings of one call that override the client's (see [`Call`]).
#[derive(Debug, Default, Clone)]
struct CallOptions {
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_delays: Option<(Duration, Duration)>,
    max_retry_after: Option<Duration>,
    retry_writes: Option<bool>,
    idempotency_key: Option<String>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    page_url: Option<String>,
}

/// One call of an operation, sent when it is awaited. Every method of a generated SDK
/// returns one, so that a call can have options of its own:
///
/// ```ignore
/// let image = client
///     .images()
///     .v1()
///     .edit("image-id", params)
///     .timeout(Duration::from_secs(600))
///     .max_retries(0)
///     .await?;
/// ```
///
/// Await it for the value, or await [`Call::with_response`] for the value with the
/// response's status, headers and request id ([`Response`]).
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<'a, T> {
    client: &'a Client,
    /// An error found while building the request, returned when the call is awaited.
    request: Result<Request, Error>,
    decode: Decoder<T>,
    options: CallOptions,
}

impl<'a, T: DeserializeOwned> Call<'a, T> {
    /// A call whose 2xx response is JSON decoding as `T` (an empty body decodes as `null`).
    /// `build` makes the request; its error is the call's.
    pub fn json(client: &'a Client, build: impl FnOnce() -> Result<Request, Error>) -> Self {
        Call::with_decoder(client, build(), Decoder::Body(decode_json::<T>))
    }

    /// A call whose 2xx response is a `{success, errors, messages, result, result_info}`
    /// envelope: its value is `result` decoded as `T`, and `result_info` is kept for
    /// [`Response::result_info`]. A 2xx with `"success": false` is an [`Error::Api`].
    pub fn enveloped(client: &'a Client, build: impl FnOnce() -> Result<Request, Error>) -> Self {
        Call::with_decoder(client, build(), Decoder::Body(decode_enveloped::<T>))
    }
}

impl<'a> Call<'a, Vec<u8>> {
    /// A call whose value is the raw body of the 2xx response.
    pub fn bytes(client: &'a Client, build: impl FnOnce() -> Result<Request, Error>) -> Self {
        Call::with_decoder(client, build(), Decoder::Raw(std::convert::identity))
    }
}

impl<'a> Call<'a, Vec<u8>> {
    /// The body as a stream of chunks as they arrive, in place of one `Vec<u8>` at the end:
    /// for a download of any size in constant memory. The call's timeout covers the wait for
    /// the response, not the reading of its body.
    pub fn stream(self) -> Call<'a, ByteStream> {
        Call { client: self.client, request: self.request, decode: Decoder::Stream(|body| body), options: self.options }
    }
}

impl<'a, T: DeserializeOwned> Call<'a, EventStream<T>> {
    /// A call whose 2xx response is a `text/event-stream`: its value is the stream of
    /// events, each event's data decoded as `T`.
    pub fn events(client: &'a Client, build: impl FnOnce() -> Result<Request, Error>) -> Self {
        Call::with_decoder(client, build(), Decoder::Stream(EventStream::new))
    }
}

impl<'a> Call<'a, ()> {
    /// A call whose 2xx response carries nothing to read.
    pub fn empty(client: &'a Client, build: impl FnOnce() -> Result<Request, Error>) -> Self {
        Call::with_decoder(client, build(), Decoder::Body(decode_nothing))
    }
}

impl<'a, T> Call<'a, T> {
    fn with_decoder(client: &'a Client, request: Result<Request, Error>, decode: Decoder<T>) -> Self {
        Call { client, request, decode, options: CallOptions::default() }
    }

    /// Sets the timeout of each attempt of this call, around its middlewares, exchange and
    /// body as [`ClientBuilder::timeout`] says (the client's is the default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sets how many times this call is retried (`0`: sent once).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.options.max_retries = Some(n);
        self
    }

    /// Sets the backoff between the attempts of this call (see
    /// [`ClientBuilder::retry_delays`]; the client's is the default).
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.options.retry_delays = Some((initial, max));
        self
    }

    /// Sets the longest `Retry-After` this call waits out (see
    /// [`ClientBuilder::max_retry_after`]; the client's is the default): a longer one ends
    /// its retries with the error.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.options.max_retry_after = Some(d);
        self
    }

    /// Retries this call like a read even if it is a `POST` or `PATCH` (see
    /// [`ClientBuilder::retry_writes`]), or, with `false`, only when the server cannot have
    /// acted on it.
    pub fn retry_writes(mut self, on: bool) -> Self {
        self.options.retry_writes = Some(on);
        self
    }

    /// Sends `key` as the idempotency key, in the header set with
    /// [`ClientBuilder::idempotency_header`] (`Idempotency-Key` otherwise), the same on each
    /// attempt; the call is then retried like a read.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }

    /// Adds a header to this call; it replaces a header of the same name that the call
    /// would send. An invalid name or value fails the call before it is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to this call, after the operation's own.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.options.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends this call to a next page's URL that the API gave (in a response field or a
    /// `Link` header), in place of the operation's path and query; `None` changes nothing.
    /// A relative URL is resolved against the operation's. The URL must be on the base
    /// URL's origin, so that credentials only go to the API: another fails the call
    /// before anything is sent. Paginated streams use this.
    pub fn page_url(mut self, url: Option<String>) -> Self {
        self.options.page_url = url;
        self
    }

    /// Sends the call and returns the value with the response's metadata.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        let (value, meta) = self.client.execute(self.request?, self.options, self.decode).await?;
        Ok(Response {
            value,
            status: meta.status,
            headers: meta.headers,
            result_info: meta.result_info,
            attempts: meta.attempts,
        })
    }

    /// Sends the call and returns its value.
    pub async fn send(self) -> Result<T, Error> {
        let (value, _) = self.client.execute(self.request?, self.options, self.decode).await?;
        Ok(value)
    }
}

impl<'a, T: Send + 'a> IntoFuture for Call<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.options.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("timeout", &self.options.timeout)
            .field("max_retries", &self.options.max_retries)
            .field("retry_delays", &self.options.retry_delays)
            .field("max_retry_after", &self.options.max_retry_after)
            .field("retry_writes", &self.options.retry_writes)
            .field("idempotency_key", &self.options.idempotency_key.is_some())
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

/// A response body read as it arrives: a [`Stream`] of chunks ([`Call::stream`]).
pub struct ByteStream(Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>);

impl ByteStream {
    fn new(response: reqwest::Response) -> Self {
        use futures_util::StreamExt as _;
        // The URL may hold a credential (a query parameter): errors do not carry it.
        ByteStream(Box::pin(response.bytes_stream().map(|chunk| chunk.map_err(|e| Error::Transport(e.without_url())))))
    }

    /// A stream of the given chunks (for tests and adapters).
    pub fn from_chunks(chunks: Vec<Result<Bytes, Error>>) -> Self {
        ByteStream(Box::pin(futures_util::stream::iter(chunks)))
    }

    /// Reads the rest of the body into one buffer.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        use futures_util::StreamExt as _;
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

/// One server-sent event, as the `text/event-stream` format defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event {
    /// The `event:` field (`None`: the default type, `message`).
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last `id:` the stream gave.
    pub id: Option<String>,
    /// The `retry:` field, in milliseconds.
    pub retry: Option<u64>,
}

/// The events of a `text/event-stream` response, each event's data decoded as `T`: a
/// [`Stream`] that ends with the response, or at the API's terminator (`data: [DONE]`, as
/// OpenAI sends). An event whose data does not decode is an [`Error::Decode`] item; the
/// stream goes on after it. [`EventStream::raw`] gives the events undecoded.
pub struct EventStream<T> {
    body: ByteStream,
    parser: EventParser,
    done: bool,
    item: std::marker::PhantomData<fn() -> T>,
}

impl<T> EventStream<T> {
    /// The events of `body`.
    pub fn new(body: ByteStream) -> Self {
        EventStream { body, parser: EventParser::default(), done: false, item: std::marker::PhantomData }
    }

    /// The events as they come, with their names and ids, data undecoded.
    pub fn raw(self) -> impl Stream<Item = Result<Event, Error>> + Send {
        futures_util::stream::unfold(self, |mut events| async move {
            let event = std::future::poll_fn(|cx| events.poll_event(cx)).await?;
            Some((event, events))
        })
    }

    /// The next whole event, or the end (at the terminator too).
    fn poll_event(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<Event, Error>>> {
        use std::task::Poll;
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            if let Some(event) = self.parser.next_event() {
                if event.data == "[DONE]" {
                    self.done = true;
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(Ok(event)));
            }
            match self.body.0.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.parser.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                // An event not ended by a blank line is dropped, as the format says.
                Poll::Ready(None) => self.done = true,
            }
        }
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.poll_event(cx).map(|event| {
            event.map(|event| {
                let event = event?;
                serde_json::from_str(&event.data).map_err(|e| Error::Decode {
                    status: 200,
                    message: format!("event data: {e}"),
                    snippet: snippet(event.data.as_bytes()),
                })
            })
        })
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("done", &self.done).finish_non_exhaustive()
    }
}

/// The `text/event-stream` format, read line by line as bytes arrive.
#[derive(Debug, Default)]
struct EventParser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// The last byte seen was a CR: a LF right after it ends nothing.
    after_cr: bool,
    /// The event being read.
    event: Event,
    /// Whether a `data:` field has been read for it.
    has_data: bool,
    /// The last event id, kept from event to event.
    last_id: Option<String>,
    /// Events read, not yet taken.
    ready: std::collections::VecDeque<Event>,
}

impl EventParser {
    fn push(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_ended(&String::from_utf8_lossy(&line));
                }
                _ => {
                    self.after_cr = false;
                    self.line.push(byte);
                }
            }
        }
    }

    fn line_ended(&mut self, line: &str) {
        if line.is_empty() {
            let mut event = std::mem::take(&mut self.event);
            if std::mem::take(&mut self.has_data) {
                if event.data.ends_with('\n') {
                    event.data.pop();
                }
                event.id.clone_from(&self.last_id);
                self.ready.push_back(event);
            }
            return;
        }
        if line.starts_with(':') {
            return; // a comment
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event.event = Some(value.to_owned()),
            "data" => {
                self.event.data.push_str(value);
                self.event.data.push('\n');
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" => self.event.retry = value.parse().ok().or(self.event.retry),
            _ => {}
        }
    }

    fn next_event(&mut self) -> Option<Event> {
        self.ready.pop_front()
    }
}

/// A value with the response it came in ([`Call::with_response`]). Its `Debug` shows no
/// secret header ([`secret_header`], and the headers of the API's security schemes).
#[derive(Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded value.
    pub value: T,
    status: StatusCode,
    headers: HeaderMap,
    result_info: Option<Value>,
    attempts: u32,
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("result_info", &self.result_info)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// Whether the header `name` may carry a secret, so that its value is never shown: by the
/// `Debug` of [`Response`] and [`ApiError`], nor by a request's (a middleware's `Debug` of a
/// `reqwest::Request` shows `Sensitive`). The credential headers (`Authorization`,
/// `Proxy-Authorization`), cookies (`Cookie`, `Set-Cookie`), authentication challenges, and
/// a name with a word of a credential in it (`X-API-Key`, `X-Auth-Token`,
/// `X-Amz-Security-Token`, `X-CSRF-Token`, `X-Shop-Pin`, `X-Session-Id`, `X-Hub-Signature`,
/// `Ocp-Apim-Subscription-Key`; not `Idempotency-Key`). The headers of the API's security
/// schemes are hidden too, whatever their names: the client marks them sensitive in every
/// request and response, with the others.
pub fn secret_header(name: &str) -> bool {
    const SECRET: [&str; 6] =
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate", "proxy-authenticate"];
    /// Words of a header name that say it carries a credential.
    const WORDS: [&str; 17] = [
        "auth", "authorization", "token", "secret", "password", "passwd", "pin", "session", "sessionid", "cookie",
        "credential", "credentials", "signature", "key", "apikey", "csrf", "xsrf",
    ];
    // Header names are lowercase: only another spelling is copied.
    let name: Cow<'_, str> = match name.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(name.to_ascii_lowercase()),
        false => Cow::Borrowed(name),
    };
    if SECRET.contains(&name.as_ref()) {
        return true;
    }
    name != "idempotency-key"
        && name.split(['-', '_']).any(|word| {
            WORDS.contains(&word) || word.ends_with("token") || word.ends_with("secret")
        })
}

/// Marks sensitive the values of the headers that may carry a secret (by [`secret_header`],
/// or those of the API's security schemes), so that no `Debug` shows them.
fn mark_secrets<'a>(headers: impl Iterator<Item = (&'a HeaderName, &'a mut HeaderValue)>, schemes: &[SecurityScheme]) {
    for (name, value) in headers {
        let scheme = || schemes.iter().any(|s| matches!(s.kind, SchemeKind::Header(h) if h.eq_ignore_ascii_case(name.as_str())));
        if !value.is_sensitive() && (secret_header(name.as_str()) || scheme()) {
            value.set_sensitive(true);
        }
    }
}

/// Headers as `Debug` shows them: secrets (by name, or marked sensitive) `[redacted]`, bytes
/// that are not text `[binary]`.
struct ShownHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().map(|(name, value)| {
            let text = if value.is_sensitive() || secret_header(name.as_str()) {
                "[redacted]"
            } else {
                value.to_str().unwrap_or("[binary]")
            };
            (name.as_str(), text)
        });
        f.debug_list().entries(shown).finish()
    }
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (rate-limit headers, `cf-ray`, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A response header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The request id (`cf-ray`, `x-request-id` or a similar header), for support requests.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS.iter().find_map(|name| self.headers.get(*name)?.to_str().ok())
    }

    /// The envelope's `result_info` (page number, counts, cursors) for an enveloped API.
    pub fn result_info(&self) -> Option<&Value> {
        self.result_info.as_ref()
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The value, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// The span of one call, after OpenTelemetry's HTTP client conventions: no URL (it may hold
/// a credential), the path template instead.
#[cfg(feature = "tracing")]
fn call_span(req: &Request, host: &str) -> tracing::Span {
    let (operation, template) = req.operation.unwrap_or(("", ""));
    tracing::info_span!(
        "http.client",
        otel.name = %format_args!("{} {}", req.method, template),
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        http.request.method = %req.method,
        url.template = template,
        server.address = %host,
        sdkgen.operation_id = operation,
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

/// Records a call's outcome on its span.
#[cfg(feature = "tracing")]
fn record_outcome<T>(span: &tracing::Span, result: &Result<(T, Meta), Error>) {
    match result {
        Ok((_, meta)) => {
            span.record("http.response.status_code", meta.status.as_u16());
        }
        Err(error) => {
            span.record("otel.status_code", "ERROR");
            match error.status() {
                Some(status) => {
                    span.record("http.response.status_code", status);
                    span.record("error.type", status);
                }
                None => {
                    let kind = match error {
                        Error::Timeout => "timeout",
                        Error::Transport(_) => "transport",
                        Error::InvalidRequest(_) => "invalid_request",
                        _ => "other",
                    };
                    span.record("error.type", kind);
                }
            }
        }
    }
}

/// One API call, built by the generated operation methods and sent by a [`Client`].
#[must_use = "a Request does nothing until it is sent with a Client"]
pub struct Request {
    method: Method,
    path: String,
    security: &'static [&'static [&'static str]],
    query: Vec<(Cow<'static, str>, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(Cow<'static, str>, String)>,
    body: Option<(Cow<'static, str>, Payload)>,
    /// The operation id and path template, for tracing.
    operation: Option<(&'static str, &'static str)>,
}

impl Request {
    /// A request for `path` (already percent-encoded, starting with `/`), relative to the base URL.
    pub fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            security: &[],
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            operation: None,
        }
    }

    /// Names the operation the request calls: its `operationId` and path template
    /// (`/accounts/{account_id}/images`), which tracing spans report.
    pub fn operation(mut self, id: &'static str, template: &'static str) -> Self {
        self.operation = Some((id, template));
        self
    }

    /// Sets the OpenAPI security requirement: alternatives, each a set of scheme names that
    /// must all be configured. The first satisfiable alternative is used; an empty list means
    /// no authentication. If none is satisfiable, sending fails before any network access.
    pub fn security(mut self, alternatives: &'static [&'static [&'static str]]) -> Self {
        self.security = alternatives;
        self
    }

    /// Appends the query parameter `name=value`.
    pub fn query(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.query.push((Cow::Borrowed(name), value.to_string()));
        self
    }

    /// Appends the query parameter `name=value` if `value` is `Some`.
    pub fn query_opt<V: fmt::Display>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends one `name=value` pair per value (OpenAPI `form` style, exploded).
    pub fn query_list<V: fmt::Display>(mut self, name: &'static str, values: &[V]) -> Self {
        self.query.extend(values.iter().map(|v| (Cow::Borrowed(name), v.to_string())));
        self
    }

    /// Appends the query parameter `name` with any value, written in the
    /// OpenAPI `style` (`form`, `spaceDelimited`, `pipeDelimited` or
    /// `deepObject`): arrays and objects exploded into several pairs or
    /// joined into one, nested objects in bracket notation (`a[b][0]=c`).
    pub fn query_styled<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        styled_pairs(Cow::Borrowed(name), &value, style, explode, &mut self.query);
        self
    }

    /// [`Request::query_styled`] if `value` is `Some`.
    pub fn query_styled_opt<T: Serialize>(
        self,
        name: &'static str,
        value: Option<&T>,
        style: Style,
        explode: bool,
    ) -> Self {
        match value {
            Some(value) => self.query_styled(name, value, style, explode),
            None => self,
        }
    }

    /// Sets the header `name` to any value in OpenAPI's `simple` style:
    /// arrays as `a,b`, objects as `k,v,k2,v2` (or `k=v,k2=v2` exploded).
    pub fn header_styled<T: Serialize + ?Sized>(self, name: &'static str, value: &T, explode: bool) -> Self {
        match simple_text(&serde_json::to_value(value).unwrap_or(Value::Null), explode) {
            Some(text) => self.header(name, text),
            None => self,
        }
    }

    /// [`Request::header_styled`] if `value` is `Some`.
    pub fn header_styled_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, explode: bool) -> Self {
        match value {
            Some(value) => self.header_styled(name, value, explode),
            None => self,
        }
    }

    /// Adds the cookie `name` with any value, in OpenAPI's `form` style; all
    /// cookies go in one `Cookie` header, their values percent-encoded.
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T, explode: bool) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        styled_pairs(Cow::Borrowed(name), &value, Style::Form, explode, &mut self.cookies);
        self
    }

    /// [`Request::cookie`] if `value` is `Some`.
    pub fn cookie_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, explode: bool) -> Self {
        match value {
            Some(value) => self.cookie(name, value, explode),
            None => self,
        }
    }

    /// Sets the header `name` (replacing the default of the same name, e.g. `Accept`).
    /// An invalid name or value makes sending fail with [`Error::InvalidRequest`].
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Sets the header `name` if `value` is `Some`.
    pub fn header_opt<V: fmt::Display>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Serializes `body` as the JSON request body if it is `Some`.
    pub fn json_opt<B: Serialize>(self, body: Option<&B>) -> Result<Self, Error> {
        match body {
            Some(body) => self.json(body),
            None => Ok(self),
        }
    }

    /// Serializes `body` as the JSON request body (`Content-Type: application/json`).
    pub fn json<B: Serialize>(self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("request body could not be serialized: {e}")))?;
        Ok(self.body_bytes("application/json", bytes))
    }

    /// Sets a raw request body with the given `Content-Type`. The bytes are shared by every
    /// attempt, never copied (a `Vec<u8>` or a [`Bytes`] becomes the body as it is).
    pub fn body_bytes(mut self, content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        self.body = Some((Cow::Borrowed(content_type), Payload(vec![Source::Bytes(bytes.into())])));
        self
    }

    /// Sets the body to `upload`, sent as its own content type if it has one, else as
    /// `content_type`.
    pub fn body_upload(mut self, content_type: &'static str, upload: Upload) -> Self {
        let content_type = upload.content_type.map_or(Cow::Borrowed(content_type), Cow::Owned);
        self.body = Some((content_type, Payload(vec![upload.source])));
        self
    }
}

impl Request {
    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form(mut self, form: Form) -> Self {
        let body = Payload(vec![Source::Bytes(form.finish().into())]);
        self.body = Some((Cow::Borrowed("application/x-www-form-urlencoded"), body));
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        let content_type = format!("multipart/form-data; boundary={}", form.boundary);
        self.body = Some((Cow::Owned(content_type), form.finish()));
        self
    }
}

/// An `application/x-www-form-urlencoded` body, built field by field.
///
/// Scalars are `name=value`; lists of scalars are repeated (`name=a&name=b`)
/// or joined in the field's style; objects and lists that hold objects use
/// the bracket notation form APIs expect (`metadata[key]=v`,
/// `items[0][price]=1`).
#[derive(Default)]
#[must_use = "a Form does nothing until it is attached with Request::form"]
pub struct Form {
    pairs: Vec<(Cow<'static, str>, String)>,
}

/// Shows the fields' names, not their values (a form may carry a password or a client secret).
impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.pairs.iter().map(|(name, _)| name.as_ref()).collect();
        f.debug_struct("Form").field("fields", &names).finish()
    }
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the field `name` with any value, in `style`.
    pub fn field<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T, style: Style, explode: bool) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        let nested = match &value {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().any(|i| i.is_object() || i.is_array()),
            _ => false,
        };
        let style = if nested { Style::DeepObject } else { style };
        styled_pairs(Cow::Borrowed(name), &value, style, explode, &mut self.pairs);
        self
    }

    /// [`Form::field`] if `value` is `Some`.
    pub fn field_opt<T: Serialize>(self, name: &'static str, value: Option<&T>, style: Style, explode: bool) -> Self {
        match value {
            Some(value) => self.field(name, value, style, explode),
            None => self,
        }
    }

    /// The encoded body: `&`-separated pairs, `+` for spaces.
    fn finish(self) -> Vec<u8> {
        const FORM: &percent_encoding::AsciiSet =
            &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_').remove(b' ');
        let encode = |s: &str| percent_encoding::utf8_percent_encode(s, FORM).to_string().replace(' ', "+");
        self.pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    }
}

/// A `multipart/form-data` body (RFC 7578), built part by part.
#[must_use = "a Multipart does nothing until it is attached with Request::multipart"]
pub struct Multipart {
    boundary: String,
    /// The parts so far; files stay where they are (shared bytes, a file, a stream).
    parts: Vec<Source>,
    /// Text written since the last file.
    body: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a random boundary.
    pub fn new() -> Self {
        let random = RandomState::new().build_hasher().finish();
        Multipart { boundary: format!("sdkgen-{random:016x}"), parts: Vec::new(), body: Vec::new() }
    }

    fn part(self, name: &str, filename: Option<&str>, content_type: Option<&str>, data: &[u8]) -> Self {
        self.head(name, filename, content_type).data(data)
    }

    fn data(mut self, data: &[u8]) -> Self {
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// Writes a part's head.
    fn head(mut self, name: &str, filename: Option<&str>, content_type: Option<&str>) -> Self {
        // Names come from the spec; quotes and line breaks are escaped as RFC 7578 says.
        let escape = |s: &str| s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape(name));
        if let Some(filename) = filename {
            head.push_str(&format!("; filename=\"{}\"", escape(filename)));
        }
        if let Some(content_type) = content_type {
            head.push_str(&format!("\r\nContent-Type: {content_type}"));
        }
        head.push_str("\r\n\r\n");
        self.body.extend_from_slice(head.as_bytes());
        self
    }

    /// Adds a text field.
    pub fn text(self, name: &str, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        self.part(name, None, None, value.as_bytes())
    }

    /// Adds a text field if `value` is `Some`.
    pub fn text_opt<V: fmt::Display>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// Adds a field holding `value` as JSON (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, Error> {
        let json = serde_json::to_vec(value)
            .map_err(|e| Error::InvalidRequest(format!("form field `{name}` could not be serialized: {e}")))?;
        Ok(self.part(name, None, Some("application/json"), &json))
    }

    /// Adds a JSON field if `value` is `Some`.
    pub fn json_opt<T: Serialize>(self, name: &str, value: Option<&T>) -> Result<Self, Error> {
        match value {
            Some(value) => self.json(name, value),
            None => Ok(self),
        }
    }

    /// Adds a file field: the upload's bytes, with its file name (else the field's
    /// name) and content type (else `application/octet-stream`). Its bytes are not copied
    /// into the form: they are sent from where they are.
    pub fn upload(self, name: &str, upload: Upload) -> Self {
        let file_name = upload.file_name.as_deref().unwrap_or(name);
        let content_type = upload.content_type.as_deref().unwrap_or("application/octet-stream");
        let mut form = self.head(name, Some(file_name), Some(content_type));
        let text = Bytes::from(std::mem::take(&mut form.body));
        form.parts.push(Source::Bytes(text));
        form.parts.push(upload.source);
        form.body.extend_from_slice(b"\r\n");
        form
    }

    /// Adds a file field if `upload` is `Some`.
    pub fn upload_opt(self, name: &str, upload: Option<Upload>) -> Self {
        match upload {
            Some(upload) => self.upload(name, upload),
            None => self,
        }
    }

    fn finish(mut self) -> Payload {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.parts.push(Source::Bytes(self.body.into()));
        Payload(self.parts)
    }
}

/// A file or body to upload: bytes in memory, a file read as it is sent, or a stream of
/// bytes; with a file name and a content type if the API wants them.
///
/// Bytes are shared by the attempts of a call, never copied; a file is read again by each
/// attempt, in chunks; a stream is sent once, so a call uploading one is not retried.
///
/// ```ignore
/// let photo = Upload::file("cat.png").content_type("image/png");
/// let note = Upload::from(b"hello".to_vec()).file_name("note.txt");
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Upload {
    /// Bytes in memory (a `Vec<u8>` is taken without a copy).
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload { source: Source::Bytes(bytes.into()), ..Upload::default() }
    }

    /// The file at `path`, read in chunks as it is sent (again by each attempt), with its
    /// name as the file name. A file that cannot be read fails the call.
    pub fn file(path: impl Into<std::path::PathBuf>) -> Self {
        let path: std::path::PathBuf = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Upload { source: Source::File(path.into()), file_name, content_type: None }
    }

    /// A stream of bytes, sent once (a call that uploads one is not retried). With `len`,
    /// the length is sent (`Content-Length`); without it the body is chunked.
    pub fn stream<S>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        let stream: ByteSource = Box::pin(stream);
        Upload { source: Source::Stream(Arc::new(std::sync::Mutex::new(Some(stream))), len), ..Upload::default() }
    }

    /// What `reader` reads (a socket, a pipe, a decompressor...), in chunks of up to 64 KiB,
    /// sent once like [`Upload::stream`].
    pub fn reader<R>(reader: R, len: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + Unpin + 'static,
    {
        Upload::stream(chunks(reader), len)
    }

    /// Sets the file name sent with a multipart file field.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type (in place of the spec's or `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The length in bytes, when it is known without reading (bytes, or a stream's given length).
    pub fn len(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::File(_) => None,
            Source::Stream(_, len) => *len,
        }
    }

    /// Whether it is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Upload");
        match &self.source {
            Source::Bytes(bytes) => d.field("bytes", &bytes.len()),
            Source::File(path) => d.field("file", path),
            Source::Stream(_, len) => d.field("stream", len),
        };
        d.field("file_name", &self.file_name).field("content_type", &self.content_type).finish()
    }
}

/// A stream of bytes to upload.
type ByteSource = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// Where the bytes of (part of) a request body are.
#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    File(Arc<std::path::Path>),
    /// Taken by the first attempt.
    Stream(Arc<std::sync::Mutex<Option<ByteSource>>>, Option<u64>),
}

impl Default for Source {
    fn default() -> Self {
        Source::Bytes(Bytes::new())
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::File(a), Source::File(b)) => a == b,
            (Source::Stream(a, _), Source::Stream(b, _)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A request body: its parts, sent one after the other.
#[derive(Clone)]
struct Payload(Vec<Source>);

impl Payload {
    /// Whether it can be sent only once (it streams).
    fn once(&self) -> bool {
        self.0.iter().any(|part| matches!(part, Source::Stream(..)))
    }

    /// The body of one attempt, and the length to announce when reqwest cannot know it (a
    /// streamed body whose parts' lengths are all known).
    async fn body(&self) -> Result<(reqwest::Body, Option<u64>), Error> {
        if let [Source::Bytes(bytes)] = self.0.as_slice() {
            return Ok((reqwest::Body::from(bytes.clone()), None));
        }
        let mut len = Some(0u64);
        let mut streams: Vec<ByteSource> = Vec::with_capacity(self.0.len());
        for part in &self.0 {
            match part {
                Source::Bytes(bytes) => {
                    len = len.map(|l| l + bytes.len() as u64);
                    streams.push(Box::pin(futures_util::stream::iter([Ok(bytes.clone())])));
                }
                Source::File(path) => {
                    let unreadable = |e: std::io::Error| {
                        Error::InvalidRequest(format!("cannot read the upload `{}`: {e}", path.display()))
                    };
                    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
                    let size = file.metadata().await.map_err(unreadable)?.len();
                    len = len.map(|l| l + size);
                    streams.push(read_file(file));
                }
                Source::Stream(stream, size) => {
                    let taken = stream.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let taken = taken.ok_or_else(|| {
                        Error::InvalidRequest("a streamed upload is sent once, and it was sent already".into())
                    })?;
                    len = len.zip(*size).map(|(l, size)| l + size);
                    streams.push(taken);
                }
            }
        }
        use futures_util::StreamExt as _;
        Ok((reqwest::Body::wrap_stream(futures_util::stream::iter(streams).flatten()), len))
    }
}

/// A file's bytes, in chunks of up to 64 KiB.
fn read_file(file: tokio::fs::File) -> ByteSource {
    Box::pin(chunks(file))
}

/// What a reader reads, in chunks of up to 64 KiB.
fn chunks<R>(reader: R) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static
where
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
{
    futures_util::stream::try_unfold(reader, |mut reader| async move {
        let mut chunk = bytes::BytesMut::with_capacity(64 * 1024);
        let read = tokio::io::AsyncReadExt::read_buf(&mut reader, &mut chunk).await?;
        Ok((read > 0).then(|| (chunk.freeze(), reader)))
    })
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart").field("boundary", &self.boundary).field("parts", &(self.parts.len() + 1)).finish()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_ref()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body_parts", &self.body.as_ref().map(|(_, b)| b.0.len()))
            .finish_non_exhaustive()
    }
}

/// Percent-encodes the path parameter `name` as exactly one path segment.
///
/// Every byte outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded. Empty
/// values and the dot segments `.` and `..` are rejected with [`Error::InvalidRequest`]. A value
/// with nothing to encode is returned as it is, without a copy.
pub fn path_param<'a>(name: &'static str, value: &'a str) -> Result<Cow<'a, str>, Error> {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    match value {
        "" => Err(Error::InvalidRequest(format!("path parameter `{name}` must not be empty"))),
        "." | ".." => Err(Error::InvalidRequest(format!("path parameter `{name}` must not be `{value}`"))),
        _ => Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).into()),
    }
}

/// How a parameter's value is written: OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=a,b` (or `name=a&name=b` exploded); an exploded object is `k=v&k2=v2`.
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[k]=v`, nested as `name[k][k2]=v` and `name[k][0]=v`.
    DeepObject,
    /// `a,b` (path and header values).
    Simple,
    /// `.a.b` or `.a,b` (path values).
    Label,
    /// `;name=a;name=b` or `;name=a,b` (path values).
    Matrix,
}

/// A scalar as parameter text (`None` for `null`); arrays and objects as JSON.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Appends the `name=value` pairs of `value` in `style` to `out`.
fn styled_pairs(
    name: Cow<'static, str>,
    value: &Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(Cow<'static, str>, String)>,
) {
    let delimiter = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Object(map), Style::DeepObject) => {
            for (key, item) in map {
                styled_pairs(Cow::Owned(format!("{name}[{key}]")), item, style, explode, out);
            }
        }
        (Value::Array(items), Style::DeepObject) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, item) in items.iter().enumerate() {
                styled_pairs(Cow::Owned(format!("{name}[{i}]")), item, style, explode, out);
            }
        }
        (Value::Array(items), Style::Form | Style::DeepObject) if explode => {
            out.extend(items.iter().filter_map(scalar_text).map(|text| (name.clone(), text)));
        }
        (Value::Object(map), Style::Form) if explode => {
            for (key, item) in map {
                if let Some(text) = scalar_text(item) {
                    out.push((Cow::Owned(key.clone()), text));
                }
            }
        }
        (Value::Array(items), _) => {
            let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            out.push((name, texts.join(delimiter)));
        }
        (Value::Object(map), _) => {
            let texts: Vec<String> =
                map.iter().filter_map(|(k, v)| Some(format!("{k}{delimiter}{}", scalar_text(v)?))).collect();
            out.push((name, texts.join(delimiter)));
        }
        (scalar, _) => out.extend(scalar_text(scalar).map(|text| (name, text))),
    }
}

/// A value in OpenAPI's `simple` style (`None` for `null`).
fn simple_text(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Array(items) => Some(items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            let (pair, sep) = if explode { ("=", ",") } else { (",", ",") };
            let texts: Vec<String> =
                map.iter().filter_map(|(k, v)| Some(format!("{k}{pair}{}", scalar_text(v)?))).collect();
            Some(texts.join(sep))
        }
        other => scalar_text(other),
    }
}

/// A path parameter of any value in `style` (`simple`, `label` or `matrix`),
/// each part percent-encoded as in [`path_param`]; empty values are refused.
pub fn path_styled<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error> {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let parts: Vec<(Option<String>, String)> = match &value {
        Value::Array(items) => items.iter().filter_map(scalar_text).map(|t| (None, t)).collect(),
        Value::Object(map) => map.iter().filter_map(|(k, v)| Some((Some(k.clone()), scalar_text(v)?))).collect(),
        other => scalar_text(other).into_iter().map(|t| (None, t)).collect(),
    };
    if parts.is_empty() || parts.iter().all(|(_, t)| t.is_empty()) {
        return Err(Error::InvalidRequest(format!("path parameter `{name}` must not be empty")));
    }
    let mut encoded = Vec::with_capacity(parts.len());
    for (key, text) in &parts {
        let text = path_param(name, text).map(Cow::into_owned).unwrap_or_default();
        let key = key.as_deref().map(|k| path_param(name, k).map(Cow::into_owned).unwrap_or_default());
        encoded.push((key, text));
    }
    let object = value.is_object();
    let join = |pair: &str, sep: &str| {
        encoded
            .iter()
            .map(|(k, v)| match k {
                Some(k) => format!("{k}{pair}{v}"),
                None => v.clone(),
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    Ok(match (style, explode) {
        (Style::Label, true) => format!(".{}", join("=", ".")),
        (Style::Label, false) => format!(".{}", join(",", ",")),
        (Style::Matrix, true) if object => format!(";{}", join("=", ";")),
        (Style::Matrix, true) => encoded.iter().map(|(_, v)| format!(";{name}={v}")).collect(),
        (Style::Matrix, false) => format!(";{name}={}", join(",", ",")),
        (_, true) => join("=", ","),
        (_, false) => join(",", ","),
    })
}

/// One page of a list, as a paginated stream's `fetch` returns it.
#[derive(Debug)]
pub struct Page<T, P> {
    items: Vec<T>,
    next: Option<P>,
    numbered: bool,
}

impl<T, P> Page<T, P> {
    /// A page whose `next` the API gave (a cursor): `None` is the end.
    pub fn new(items: Vec<T>, next: Option<P>) -> Self {
        Page { items, next, numbered: false }
    }

    /// A page of a numbered list, `next` being the following number's params. It is the
    /// last when the API says so (`last`, from its totals), when it is empty, or when it
    /// is shorter than the longest page so far: a server that caps the page size below
    /// the size asked for sends full pages of its own size until the last.
    pub fn numbered(items: Vec<T>, next: P, last: bool) -> Self {
        Page { items, next: (!last).then_some(next), numbered: true }
    }
}

/// Whether page `page` (from 1) is the last, by the totals an envelope's `result_info`
/// gives (`total_pages`, or `total_count` with `per_page`); `false` when it gives none.
pub fn last_page(info: Option<&Value>, page: f64) -> bool {
    let number = |key: &str| info?.get(key)?.as_f64();
    match (number("total_pages"), number("total_count"), number("per_page")) {
        (Some(pages), _, _) => page >= pages,
        (None, Some(count), Some(per_page)) if per_page > 0.0 => page * per_page >= count,
        _ => false,
    }
}

/// A page offset: a count of items skipped, as the spec types it.
pub trait Offset: Copy {
    /// The offset after `count` more items.
    fn advance(self, count: usize) -> Self;
    /// The offset as a float, to compare with a total.
    fn as_f64(self) -> f64;
}

macro_rules! offsets {
    ($($t:ty),*) => {$(
        impl Offset for $t {
            fn advance(self, count: usize) -> Self {
                self + count as $t
            }
            fn as_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}

offsets!(i32, i64, u32, u64, f64);

/// The offset of the page after one at `offset` with `count` items.
pub fn offset_next<N: Offset>(offset: N, count: usize) -> N {
    offset.advance(count)
}

/// Whether the page at `offset` with `count` items is the last of `total` items (`false`
/// when the total is unknown).
pub fn offset_last<N: Offset, M: Offset>(offset: N, count: usize, total: Option<M>) -> bool {
    total.is_some_and(|total| offset.as_f64() + count as f64 >= total.as_f64())
}

/// The `rel="next"` URL of a response's `Link` headers (RFC 8288), if there is one.
pub fn link_next(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).find_map(|value| {
        let mut rest = value;
        loop {
            let start = rest.find('<')?;
            let end = start + rest[start..].find('>')?;
            let target = &rest[start + 1..end];
            rest = &rest[end + 1..];
            // The link's parameters run to the next `,` outside quotes.
            let (mut quoted, mut stop) = (false, rest.len());
            for (i, c) in rest.char_indices() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => {
                        stop = i;
                        break;
                    }
                    _ => {}
                }
            }
            let next = rest[..stop].split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                let value = value.trim().trim_matches('"');
                name.trim().eq_ignore_ascii_case("rel")
                    && value.split_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(target.trim().to_owned());
            }
            rest = &rest[stop..];
        }
    })
}

/// Every item of every page, as a stream: `fetch` gets one page's params and
/// returns the [`Page`], which says what comes next. An error ends the stream
/// after it is yielded.
pub fn paginate<P, T, F, Fut>(params: P, fetch: F) -> impl futures_util::Stream<Item = Result<T, Error>>
where
    F: FnMut(P) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T, P>, Error>>,
{
    let start = (Some(params), std::collections::VecDeque::new(), fetch, 0usize);
    futures_util::stream::unfold(start, |(mut next, mut buffer, mut fetch, mut longest)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (next, buffer, fetch, longest)));
            }
            match fetch(next.take()?).await {
                Ok(page) => {
                    let len = page.items.len();
                    let short = page.numbered && (len == 0 || len < longest);
                    longest = longest.max(len);
                    buffer.extend(page.items);
                    next = if short { None } else { page.next };
                }
                Err(e) => return Some((Err(e), (None, buffer, fetch, longest))),
            }
        }
    })
}

/// A parameter value as text: strings as they are, arrays joined with `,`
/// (OpenAPI's `simple` style), anything else as compact JSON.
pub fn param_value<T: Serialize + ?Sized>(value: &T) -> String {
    fn text(value: Value) -> String {
        match value {
            Value::String(s) => s,
            Value::Array(items) => items.into_iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    serde_json::to_value(value).map(text).unwrap_or_default()
}

/// Serde `with` module for `Option<Option<T>>` fields that distinguish absent from `null`.
///
/// `None` is absent (pair with `skip_serializing_if = "Option::is_none"` and `default`),
/// `Some(None)` is an explicit `null`, and `Some(Some(v))` is a value.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes `Some(None)` as `null` and `Some(Some(v))` as `v`.
    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    /// Deserializes `null` as `Some(None)` and a value as `Some(Some(v))`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Everything that can go wrong when calling the API.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// The API answered with a non-success status (or `"success": false`).
    Api(Box<ApiError>),
    /// Connection-level failure (DNS, refused, reset, TLS...) after retries were exhausted.
    Transport(reqwest::Error),
    /// The request (an attempt) timed out, after retries were exhausted.
    Timeout,
    /// A response could not be decoded.
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// Why decoding failed.
        message: String,
        /// The start of the response body (at most 512 bytes).
        snippet: String,
    },
    /// The request was rejected before anything was sent (empty path parameter, missing
    /// credentials, bad base URL, body failed to serialize...).
    InvalidRequest(String),
    /// A [`Middleware`] failed the attempt.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// The HTTP status of the response, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error details, if the API answered with an error.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Whether retrying the same request may succeed: connection failures, timeouts and
    /// HTTP 408, 409, 429 and 5xx. The client retries reads and idempotent writes on these,
    /// but a `POST` or `PATCH` only when the server cannot have acted on it (no connection,
    /// 408, 429, 503), and never after a `Retry-After` of more than a minute.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => matches!(api.status, 408 | 409 | 429 | 500..=599),
            Error::Transport(e) => e.is_connect() || (e.is_request() && e.status().is_none()),
            Error::Timeout => true,
            Error::Decode { .. } | Error::InvalidRequest(_) | Error::Middleware(_) => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout => f.write_str("request timed out"),
            Error::Decode { status, message, .. } => write!(f, "cannot decode HTTP {status} response: {message}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Middleware(e) => write!(f, "middleware error: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Middleware(e) => Some(&**e),
            _ => None,
        }
    }
}

/// An error response from the API: its status, headers and whole body, with typed access
/// to the body through [`ApiError::json`].
#[derive(Clone)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The request id (`cf-ray`, `x-request-id` or a similar header), useful when contacting
    /// support.
    pub request_id: Option<String>,
    /// The `errors` array of the response body (empty if absent or malformed).
    pub errors: Vec<ResponseInfo>,
    /// The `messages` array of the response body (empty if absent or malformed).
    pub messages: Vec<ResponseInfo>,
    /// A human-readable message the body carries in a common place (`message`, `error`,
    /// `error.message`, `detail`, `title`, `error_description`, `errorMessages[0]`), when
    /// there is no `errors` array.
    pub message: Option<String>,
    /// The whole response body, as text (invalid UTF-8 replaced).
    pub body: String,
    /// How long the server asked to wait before trying again (`Retry-After`,
    /// `retry-after-ms`), when it said: the client waits it out up to
    /// [`ClientBuilder::max_retry_after`], and returns this error when it is longer.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Decodes the body as `T`: the error type the operation documents for this status (each
    /// method's docs list them), or any type of the caller's.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }

    /// A response header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = snippet(self.body.as_bytes());
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("errors", &self.errors)
            .field("messages", &self.messages)
            .field("message", &self.message)
            .field("retry_after", &self.retry_after)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body", &if body.len() < self.body.len() { format!("{body}…") } else { body })
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason());
        write!(f, "HTTP {}", self.status)?;
        if let Some(reason) = reason {
            write!(f, " {reason}")?;
        }
        let infos = if self.errors.is_empty() { &self.messages } else { &self.errors };
        for (i, info) in infos.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            if info.code != 0 {
                write!(f, "[{}] ", info.code)?;
            }
            f.write_str(&info.message)?;
        }
        if let Some(message) = self.message.as_ref().filter(|_| infos.is_empty()) {
            write!(f, ": {message}")?;
        }
        match self.retry_after {
            Some(d) if self.status == 429 || self.status == 503 => write!(f, " (retry after {} s)", d.as_secs()),
            _ => Ok(()),
        }
    }
}

/// An entry of the `errors` or `messages` array of a response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseInfo {
    /// Machine-readable code (0 if absent).
    #[serde(default)]
    pub code: i64,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// Link to documentation about this error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Which part of the request caused the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ResponseInfoSource>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Location of the request element a [`ResponseInfo`] refers to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseInfoSource {
    /// JSON pointer into the request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The headers that carry a response's request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 5] = ["cf-ray", "x-request-id", "request-id", "x-amzn-requestid", "twilio-request-id"];

/// The request id a response carries (`cf-ray`, `x-request-id`, …), for errors.
fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

/// Builds [`Error::Api`] from an error response, decoding `errors` and `messages` leniently.
fn api_error(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let infos = |key: &str| -> Vec<ResponseInfo> {
        let items = json.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        items
            .iter()
            .filter_map(|item| match item {
                Value::String(message) => Some(ResponseInfo { message: message.clone(), ..Default::default() }),
                other => ResponseInfo::deserialize(other).ok(),
            })
            .collect()
    };
    let errors = infos("errors");
    let message = if errors.is_empty() { error_message(&json) } else { None };
    Error::Api(Box::new(ApiError {
        status: status.as_u16(),
        request_id: request_id(&headers),
        retry_after: retry_after(&headers),
        headers,
        errors,
        messages: infos("messages"),
        message,
        body: String::from_utf8_lossy(body).into_owned(),
    }))
}

/// The message of an error body in the places APIs commonly put it.
fn error_message(json: &Value) -> Option<String> {
    let text =
        |v: Option<&Value>| v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let error = json.get("error");
    text(json.get("message"))
        .or_else(|| text(error))
        .or_else(|| text(error.and_then(|e| e.get("message"))))
        .or_else(|| text(json.get("detail")))
        .or_else(|| text(json.get("title")))
        .or_else(|| text(json.get("error_description")))
        .or_else(|| text(json.get("errorMessages").and_then(|m| m.get(0))))
}

fn decode_error(status: StatusCode, message: impl fmt::Display, body: &[u8]) -> Error {
    Error::Decode { status: status.as_u16(), message: message.to_string(), snippet: snippet(body) }
}

/// The first [`SNIPPET_LEN`] bytes of `body` as text, cut on a character boundary.
fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(SNIPPET_LEN)];
    match std::str::from_utf8(head) {
        Ok(text) => text.to_owned(),
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned(),
        Err(_) => String::from_utf8_lossy(head).into_owned(),
    }
}

/// The server's retry hint (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP date),
/// if present.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    let delay = if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()?
    } else {
        let value = header("retry-after")?;
        match value.parse::<u64>() {
            Ok(secs) => Duration::from_secs(secs),
            Err(_) => {
                let at = chrono::DateTime::parse_from_rfc2822(value).ok()?.timestamp_millis();
                let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_millis() as i64;
                Duration::from_millis(at.saturating_sub(now).max(0) as u64)
            }
        }
    };
    Some(delay)
}

/// Whether a failed attempt may be sent again. The server decides when it
/// says so (`x-should-retry: true` or `false`). Otherwise a `repeatable`
/// request (a read, an idempotent write, a write with an idempotency key or
/// with [`ClientBuilder::retry_writes`]) on any retryable error; a `POST` or
/// `PATCH` only when the server cannot have acted on it: the connection was
/// never made, or the answer was 408, 429 or 503 (a timeout, a 500 or a 502
/// may come after the write was done, and repeating it could do it twice).
fn may_retry(repeatable: bool, error: &Error) -> bool {
    if let Some(should) = error.api().and_then(|api| api.header("x-should-retry")) {
        return should.trim().eq_ignore_ascii_case("true");
    }
    match error {
        _ if !error.is_retryable() => false,
        _ if repeatable => true,
        Error::Api(api) => matches!(api.status, 408 | 429 | 503),
        Error::Transport(e) => e.is_connect(),
        _ => false,
    }
}

/// Exponential backoff with jitter: `initial * 2^retry` capped at `max`, times 0.75..1.0.
fn backoff(retry: u32, initial: Duration, max: Duration) -> Duration {
    let delay = initial.saturating_mul(2u32.saturating_pow(retry));
    let random = (RandomState::new().build_hasher().finish() >> 11) as f64 / (1u64 << 53) as f64;
    delay.min(max).mul_f64(0.75 + 0.25 * random)
}

/// A key no other request of this process, or likely of any other, carries:
/// the time, the process and a counter, mixed.
fn idempotency_key() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mix = |x: u64| {
        // splitmix64: spreads nearby inputs over the whole range.
        let x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    format!("sdkgen-{:016x}{:016x}", mix(nanos ^ u64::from(std::process::id()) << 32), mix(nanos.wrapping_add(n)))
}

/// Follows redirects only within the same origin, so credentials never reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().last().is_some_and(|prev| prev.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn scheme_index(spec: &ApiSpec, name: &str) -> Option<usize> {
    spec.schemes.iter().position(|s| s.name == name)
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))
}

/// Standard base64 with padding (RFC 4648), for HTTP Basic credentials.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            let c = if i <= chunk.len() { ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' };
            out.push(c);
        }
    }
    out
}

/// A mock of an API for the tests of code that calls it (the `testing` feature): rules per
/// operation answer the calls of a real [`Client`] without a socket, as a [`Middleware`] that
/// never passes a request on. The client's retries, timeouts, pagination and decoding all
/// run, and the requests are encoded as in production. A generated SDK wraps it in typed
/// rules (`Mock` at the SDK's root).
#[cfg(feature = "testing")]
pub mod mock {
    use super::*;
    use std::marker::PhantomData;
    use std::sync::Mutex;

    /// An operation of the API, as the generated SDK describes it to its mock.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Operation {
        /// The HTTP method (`PATCH`).
        pub method: &'static str,
        /// The path template (`/accounts/{account_id}/images/v1/{image_id}`).
        pub template: &'static str,
        /// The SDK's call (`images().v1().edit()`).
        pub call: &'static str,
        /// How the SDK reads a success.
        pub kind: Kind,
    }

    /// How an operation's success is read, so that a rule answers in the same form.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        /// A JSON body.
        Json,
        /// The `result` of a `{success, errors, messages, result, result_info}` envelope.
        Enveloped,
        /// Raw bytes.
        Bytes,
        /// Nothing.
        Empty,
    }

    impl fmt::Display for Operation {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "`{} {}` (`{}`)", self.method, self.template, self.call)
        }
    }

    /// A mock API: its rules, shared by its clones and by the clients made from it.
    #[derive(Clone, Default)]
    pub struct Mock {
        state: Arc<State>,
    }

    #[derive(Default)]
    struct State {
        operations: &'static [Operation],
        rules: Mutex<Vec<Arc<RuleState>>>,
    }

    impl Mock {
        /// A mock of the API whose operations are `operations`, with no rule yet.
        pub fn new(operations: &'static [Operation]) -> Self {
            Mock { state: Arc::new(State { operations, rules: Mutex::new(Vec::new()) }) }
        }

        /// A new rule for `operation`, answering its calls from now on (the first rule that
        /// matches a call answers it).
        pub fn rule<T>(&self, operation: Operation) -> Rule<T> {
            let state =
                Arc::new(RuleState { operation, example: false, config: Mutex::default(), seen: Mutex::default() });
            lock(&self.state.rules).push(state.clone());
            Rule { state, value: PhantomData }
        }

        /// Answers the calls of `operation` with its documented example, `json` with
        /// `status`, when no other rule answers them.
        pub fn example(&self, operation: Operation, status: u16, json: &'static str) {
            let state =
                Arc::new(RuleState { operation, example: true, config: Mutex::default(), seen: Mutex::default() });
            let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
            lock(&state.config).answers.push(Answer { status, headers, body: json.as_bytes().to_vec() });
            lock(&self.state.rules).push(state);
        }

        /// A client builder for `spec` wired to this mock: a base URL no request leaves for,
        /// a credential for every scheme, retries after 1 ms up to 10 ms.
        pub fn client_builder(&self, spec: &'static ApiSpec) -> ClientBuilder {
            let builder = ClientBuilder::new(spec)
                .base_url("http://mock.invalid")
                .retry_delays(Duration::from_millis(1), Duration::from_millis(10))
                .middleware(self.clone());
            spec.schemes.iter().fold(builder, |b, s| b.credential(s.name, "mock"))
        }

        /// Whether every rule marked with [`Rule::times`] was called that many times: the
        /// rules that were not, one a line.
        pub fn check(&self) -> Result<(), String> {
            let unmet: Vec<String> = lock(&self.state.rules)
                .iter()
                .filter_map(|rule| {
                    let expected = lock(&rule.config).times?;
                    let calls = lock(&rule.seen).len();
                    (calls != expected).then(|| {
                        let s = |n: usize| if n == 1 { "" } else { "s" };
                        format!("{}: expected {expected} call{}, got {calls}", rule.operation, s(expected))
                    })
                })
                .collect();
            if unmet.is_empty() {
                Ok(())
            } else {
                Err(format!("{} mock rule(s) not met:\n{}", unmet.len(), unmet.join("\n")))
            }
        }

        /// Panics with [`Mock::check`]'s message unless every rule marked with
        /// [`Rule::times`] was called that many times.
        #[track_caller]
        pub fn verify(&self) {
            if let Err(message) = self.check() {
                panic!("{message}");
            }
        }

        /// The operation `method` and `path` call: of those whose template fits, the one
        /// with the most literal text (`/images/stats` before `/images/{id}`).
        fn operation(&self, method: &str, path: &str) -> Option<(Operation, Vec<(String, String)>)> {
            let rules = lock(&self.state.rules);
            let from_rules = rules.iter().map(|r| r.operation);
            let all = self.state.operations.iter().copied().chain(from_rules);
            all.filter(|op| op.method.eq_ignore_ascii_case(method))
                .filter_map(|op| Some((op, path_params(op.template, path)?)))
                .max_by_key(|(op, params)| op.template.len() - params.iter().map(|(n, _)| n.len() + 2).sum::<usize>())
        }

        fn answer(&self, request: reqwest::Request) -> Result<(Answer, Duration), String> {
            let method = request.method().as_str().to_owned();
            let path = request.url().path().to_owned();
            let Some((operation, params)) = self.operation(&method, &path) else {
                return Err(format!("no operation of the API is `{method} {path}`"));
            };
            let seen = MockRequest::new(request, params);
            // The rules given, in order, before the examples.
            let mut rules: Vec<Arc<RuleState>> =
                lock(&self.state.rules).iter().filter(|r| r.operation == operation).cloned().collect();
            rules.sort_by_key(|r| r.example);
            for rule in &rules {
                let config = lock(&rule.config);
                if !config.matcher.as_ref().is_none_or(|m| m(&seen)) {
                    continue;
                }
                let mut requests = lock(&rule.seen);
                let answer = match config.answers.get(requests.len()).or(config.answers.last()) {
                    Some(answer) => answer.clone(),
                    None => return Err(format!("the rule for {operation} has no answer: give it one (`returns`)")),
                };
                requests.push(seen);
                return Ok((answer, config.delay));
            }
            let mut message = if rules.is_empty() {
                format!("no rule for {operation}")
            } else {
                format!("no rule for {operation} matches {method} {path} ({} rule(s) for it did not match)", rules.len())
            };
            let all = lock(&self.state.rules);
            if all.is_empty() {
                message.push_str("; the mock has no rules");
            } else {
                let names: Vec<String> = all.iter().map(|r| r.operation.to_string()).collect();
                message.push_str(&format!("; the mock has rules for: {}", names.join(", ")));
            }
            Err(message)
        }
    }

    impl fmt::Debug for Mock {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let rules: Vec<String> = lock(&self.state.rules).iter().map(|r| r.operation.to_string()).collect();
            f.debug_struct("Mock").field("rules", &rules).finish_non_exhaustive()
        }
    }

    impl Middleware for Mock {
        fn handle<'a>(
            &'a self,
            request: reqwest::Request,
            _next: Next<'a>,
        ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
            Box::pin(async move {
                let (answer, delay) = self.answer(request).map_err(|m| Error::Middleware(m.into()))?;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let mut response = http::Response::new(answer.body);
                *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
                for (name, value) in answer.headers {
                    response.headers_mut().append(header_name(&name)?, header_value(&name, &value)?);
                }
                Ok(reqwest::Response::from(response))
            })
        }
    }

    fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The values of the parameters of `template` in `path`, if `path` fits it.
    fn path_params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
        if template.len() != path.len() {
            return None;
        }
        let mut params = Vec::new();
        for (mut t, mut p) in template.into_iter().zip(path) {
            // A segment is literal text and `{name}`s in turn; a value runs to the next literal.
            while let Some(open) = t.find('{') {
                p = p.strip_prefix(&t[..open])?;
                let close = open + t[open..].find('}')?;
                let name = &t[open + 1..close];
                t = &t[close + 1..];
                let end = match t.find('{').map_or(t, |next| &t[..next]) {
                    "" if t.is_empty() => p.len(),
                    "" => p.len().min(1),
                    literal => p.find(literal)?,
                };
                if end == 0 {
                    return None;
                }
                let value = percent_encoding::percent_decode_str(&p[..end]).decode_utf8_lossy().into_owned();
                params.push((name.to_owned(), value));
                p = &p[end..];
            }
            if t != p {
                return None;
            }
        }
        Some(params)
    }

    #[cfg(test)]
    #[test]
    fn a_path_fits_a_template_with_its_parameters_decoded() {
        let fit = |t: &str, p: &str| path_params(t, p);
        let pairs = |v: &[(&str, &str)]| Some(v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
        assert_eq!(fit("/a/{id}/b", "/a/x%20y/b"), pairs(&[("id", "x y")]));
        assert_eq!(fit("/files/{name}.json", "/files/report.json"), pairs(&[("name", "report")]));
        assert_eq!(fit("/r/{a}-{b}", "/r/1-2"), pairs(&[("a", "1"), ("b", "2")]));
        assert_eq!(fit("/a/{id}", "/a/"), None);
        assert_eq!(fit("/a/{id}", "/a/x/y"), None);
        assert_eq!(fit("/a/stats", "/a/x"), None);
        assert_eq!(fit("/files/{name}.json", "/files/report.yaml"), None);
    }

    /// One answer of a rule.
    #[derive(Debug, Clone)]
    struct Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    struct RuleState {
        operation: Operation,
        /// A documented example's rule, which answers only when no other does.
        example: bool,
        config: Mutex<Config>,
        seen: Mutex<Vec<MockRequest>>,
    }

    type Matcher = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

    #[derive(Default)]
    struct Config {
        matcher: Option<Matcher>,
        answers: Vec<Answer>,
        delay: Duration,
        times: Option<usize>,
    }

    /// A rule of a [`Mock`] for one operation, whose success is a `T`: which calls it
    /// answers, and how. Its answers are given in order, the last repeated (first a 503,
    /// then a 200: the client's retries are exercised). It keeps the requests it answered.
    #[must_use = "a rule answers nothing until it is given an answer"]
    pub struct Rule<T> {
        state: Arc<RuleState>,
        value: PhantomData<fn(T)>,
    }

    impl<T> Clone for Rule<T> {
        fn clone(&self) -> Self {
            Rule { state: self.state.clone(), value: PhantomData }
        }
    }

    impl<T> fmt::Debug for Rule<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Rule")
                .field("operation", &self.state.operation)
                .field("calls", &self.calls())
                .finish_non_exhaustive()
        }
    }

    impl<T: Serialize> Rule<T> {
        /// Answers with `value`, as the API's success (in its envelope, for an API that
        /// has one).
        pub fn returns(self, value: T) -> Self {
            let value = serde_json::to_value(&value).unwrap_or(Value::Null);
            self.returns_json(value, None)
        }

        /// Answers with `pages` in turn, one a call, for a list that pages: the SDK's
        /// `_stream` method walks them (an envelope's `result_info` says which page is the
        /// last; other APIs say it in the pages themselves: their cursor, or a short page).
        pub fn pages(self, pages: Vec<T>) -> Self {
            let count = pages.len();
            pages.into_iter().enumerate().fold(self, |rule, (i, page)| {
                let value = serde_json::to_value(&page).unwrap_or(Value::Null);
                let info = serde_json::json!({ "page": i + 1, "total_pages": count });
                rule.returns_json(value, Some(info))
            })
        }
    }

    impl<T> Rule<T> {
        fn push(self, answer: Answer) -> Self {
            lock(&self.state.config).answers.push(answer);
            self
        }

        fn returns_json(self, value: Value, info: Option<Value>) -> Self {
            let (status, body) = match self.state.operation.kind {
                Kind::Enveloped => {
                    let mut envelope = serde_json::json!({ "success": true, "errors": [], "messages": [], "result": value });
                    if let Some(info) = info {
                        envelope["result_info"] = info;
                    }
                    (200, envelope.to_string().into_bytes())
                }
                Kind::Json => (200, value.to_string().into_bytes()),
                Kind::Empty => (204, Vec::new()),
                Kind::Bytes => match value {
                    Value::Array(items) => (200, items.iter().filter_map(Value::as_u64).map(|b| b as u8).collect()),
                    other => (200, other.to_string().into_bytes()),
                },
            };
            let content_type = if status == 204 { "text/plain" } else { "application/json" };
            self.push(Answer { status, headers: vec![("content-type".into(), content_type.into())], body })
        }

        /// Answers with the error `status` and `body` (the error type the operation
        /// documents for it, or any JSON).
        pub fn fails(self, status: u16, body: impl Serialize) -> Self {
            let body = serde_json::to_vec(&body).unwrap_or_default();
            self.push(Answer { status, headers: vec![("content-type".into(), "application/json".into())], body })
        }

        /// Answers with `status` and the raw `body`.
        pub fn responds(self, status: u16, body: impl Into<Vec<u8>>) -> Self {
            self.push(Answer { status, headers: Vec::new(), body: body.into() })
        }

        /// Adds a header to the answer given last (`Retry-After`, `Link`…).
        pub fn header(self, name: &str, value: &str) -> Self {
            if let Some(answer) = lock(&self.state.config).answers.last_mut() {
                answer.headers.push((name.to_owned(), value.to_owned()));
            }
            self
        }

        /// Answers only the calls for which `matcher` is true (others go to the next rule).
        pub fn matching(self, matcher: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
            lock(&self.state.config).matcher = Some(Box::new(matcher));
            self
        }

        /// Waits `delay` before each answer (the client's timeout covers the wait).
        pub fn delay(self, delay: Duration) -> Self {
            lock(&self.state.config).delay = delay;
            self
        }

        /// Expects exactly `n` calls: [`Mock::verify`] fails otherwise.
        pub fn times(self, n: usize) -> Self {
            lock(&self.state.config).times = Some(n);
            self
        }

        /// How many calls (attempts) the rule answered.
        pub fn calls(&self) -> usize {
            lock(&self.state.seen).len()
        }

        /// The requests the rule answered, in order.
        pub fn requests(&self) -> Vec<MockRequest> {
            lock(&self.state.seen).clone()
        }
    }

    /// A request a [`Mock`] received, as it was sent: its path parameters decoded, its
    /// query, headers and body.
    #[derive(Debug, Clone)]
    pub struct MockRequest {
        method: Method,
        path: String,
        path_params: Vec<(String, String)>,
        query: Vec<(String, String)>,
        headers: HeaderMap,
        body: Bytes,
    }

    impl MockRequest {
        fn new(request: reqwest::Request, path_params: Vec<(String, String)>) -> Self {
            let url = request.url();
            let query = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let body = request.body().and_then(|b| b.as_bytes()).map(Bytes::copy_from_slice).unwrap_or_default();
            MockRequest {
                method: request.method().clone(),
                path: url.path().to_owned(),
                path_params,
                query,
                headers: request.headers().clone(),
                body,
            }
        }

        /// The HTTP method.
        pub fn method(&self) -> &Method {
            &self.method
        }

        /// The path, as sent (percent-encoded).
        pub fn path(&self) -> &str {
            &self.path
        }

        /// The value of path parameter `name` (by its name in the spec), decoded.
        pub fn path_param(&self, name: &str) -> Option<&str> {
            self.path_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }

        /// The first value of query parameter `name`, decoded.
        pub fn query(&self, name: &str) -> Option<&str> {
            self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }

        /// Every query parameter, decoded, in order.
        pub fn query_pairs(&self) -> &[(String, String)] {
            &self.query
        }

        /// A header, when present and text.
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name)?.to_str().ok()
        }

        /// The body, as sent (empty for none, or for a streamed upload).
        pub fn body(&self) -> &[u8] {
            &self.body
        }

        /// The body decoded from JSON as `B` (a body type of the SDK, or
        /// `serde_json::Value`), if it is that.
        pub fn json<B: DeserializeOwned>(&self) -> Option<B> {
            serde_json::from_slice(&self.body).ok()
        }
    }
}
