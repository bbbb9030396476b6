// One call's way through the client: the request prepared once (URL, headers, credentials),
// then attempts, each bounded by the timeout and retried as the policy allows, until a 2xx
// reply is decoded or an error is final.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, Url};

use super::auth::scheme_index;
use super::body::Payload;
use super::client::Client;
use super::decode::{Decoder, Meta, Reply};
use super::download::ByteStream;
use super::error::{api_error, header_name, header_value, Error};
use super::middleware::{execute_http, transport_error, Next};
use super::request::Request;
use super::retry::{backoff, idempotency_key, may_retry};
use super::secrets::mark_secrets;
use super::spec::SchemeKind;
#[cfg(feature = "tracing")]
use super::telemetry::{call_span, record_outcome};

/// A request after validation, ready to be sent (possibly several times). Its parts are
/// cheap to copy for each attempt: header values are static or shared, the body is shared.
struct Prepared {
    method: Method,
    url: Url,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Payload>,
    /// The call's typed input, for a mock.
    #[cfg(feature = "testing")]
    input: Option<super::request::Input>,
}

impl Client {
    /// Validates `req`, then sends it, retrying as configured, until a 2xx reply, which
    /// `decode` reads, or a final error.
    pub(crate) async fn execute<T>(
        &self,
        req: Request,
        options: CallOptions,
        decode: Decoder<T>,
    ) -> Result<(T, Meta), Error> {
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
        #[cfg(feature = "testing")]
        let mut response = super::mock::with_input(p.input.clone(), self.exchange(request)).await?;
        #[cfg(not(feature = "testing"))]
        let mut response = self.exchange(request).await?;
        mark_secrets(response.headers_mut().iter_mut(), self.inner.spec.schemes);
        let status = response.status();
        if !status.is_success() {
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(|e| transport_error(self.inner.spec.schemes, e))?;
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
            return response.bytes().await.map_err(|e| transport_error(self.inner.spec.schemes, e));
        }
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(self.inner.spec.schemes, e))? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.into())
    }

    /// Sends one request through the middlewares, if there are any, to the HTTP client.
    async fn exchange(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        if self.inner.middleware.is_empty() {
            return execute_http(&self.inner.http, self.inner.spec.schemes, request).await;
        }
        Next::new(&self.inner.http, self.inner.spec.schemes, &self.inner.middleware).run(request).await
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
        Ok(Prepared {
            method: req.method,
            url,
            headers,
            body: req.body.map(|(_, payload)| payload),
            #[cfg(feature = "testing")]
            input: req.input,
        })
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
}

/// Settings of one call that override the client's (see [`Call`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_delays: Option<(Duration, Duration)>,
    pub(crate) max_retry_after: Option<Duration>,
    pub(crate) retry_writes: Option<bool>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) page_url: Option<String>,
}
