// Middleware: the steps each attempt goes through on its way to the HTTP client, and the
// HTTP client at the end of them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::Error;
use super::spec::{SchemeKind, SecurityScheme};

/// A step that every attempt of every call goes through on its way to the HTTP client,
/// added with [`ClientBuilder::middleware`](super::ClientBuilder::middleware): it may change the request (its credentials are
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
    /// The HTTP client at the end.
    http: &'a reqwest::Client,
    /// The API's security schemes, whose query credentials an error must not show.
    schemes: &'static [SecurityScheme],
    rest: &'a [Arc<dyn Middleware>],
}

impl<'a> Next<'a> {
    /// The way through `middleware` to `http`.
    pub(crate) fn new(
        http: &'a reqwest::Client,
        schemes: &'static [SecurityScheme],
        middleware: &'a [Arc<dyn Middleware>],
    ) -> Self {
        Next { http, schemes, rest: middleware }
    }

    /// Passes `request` on: to the next middleware, or to the HTTP client.
    pub fn run(self, request: reqwest::Request) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        match self.rest.split_first() {
            Some((first, rest)) => first.handle(request, Next { rest, ..self }),
            None => Box::pin(execute_http(self.http, self.schemes, request)),
        }
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next").field("middlewares", &self.rest.len()).finish_non_exhaustive()
    }
}

/// Classifies a reqwest failure, removing query-parameter credentials from its URL.
pub(crate) fn transport_error(schemes: &[SecurityScheme], mut error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout;
    }
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

/// Sends one request with the HTTP client.
pub(crate) async fn execute_http(
    http: &reqwest::Client,
    schemes: &[SecurityScheme],
    request: reqwest::Request,
) -> Result<reqwest::Response, Error> {
    http.execute(request).await.map_err(|e| transport_error(schemes, e))
}
