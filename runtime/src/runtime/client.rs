// The client and its builder: base URL, credentials, timeouts, retries, middleware.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use super::auth::{scheme_index, Credential};
use super::error::{header_value, Error};
use super::middleware::Middleware;
use super::retry::MAX_RETRY_AFTER;
use super::secrets::Secret;
use super::spec::ApiSpec;

/// Maximum number of (same-origin) redirects followed by the default HTTP client.
const MAX_REDIRECTS: usize = 10;

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
    /// ([`ApiError::retry_after`](super::ApiError::retry_after)).
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) spec: &'static ApiSpec,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) retry_writes: bool,
    pub(crate) idempotency_header: Option<HeaderName>,
    /// Indexed like `spec.schemes`.
    pub(crate) credentials: Vec<Option<Credential>>,
    /// Made once; each request shares it.
    pub(crate) user_agent: HeaderValue,
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
    /// The base URL, parsed (its origin for next-page URLs, its host for tracing).
    pub(crate) base: Url,
}

impl Client {
    /// The base URL requests are sent to, without trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
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
