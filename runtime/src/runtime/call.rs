// A call of an operation: per-call options, sent when awaited.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::client::Client;
use super::decode::{decode_enveloped, decode_json, decode_nothing, Decoder};
use super::download::ByteStream;
use super::error::Error;
use super::request::Request;
use super::response::Response;
use super::send::CallOptions;
use super::sse::EventStream;

impl Client {
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
    /// body as [`ClientBuilder::timeout`](super::ClientBuilder::timeout) says (the client's is the default).
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
    /// [`ClientBuilder::retry_delays`](super::ClientBuilder::retry_delays); the client's is the default).
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.options.retry_delays = Some((initial, max));
        self
    }

    /// Sets the longest `Retry-After` this call waits out (see
    /// [`ClientBuilder::max_retry_after`](super::ClientBuilder::max_retry_after); the client's is the default): a longer one ends
    /// its retries with the error.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.options.max_retry_after = Some(d);
        self
    }

    /// Retries this call like a read even if it is a `POST` or `PATCH` (see
    /// [`ClientBuilder::retry_writes`](super::ClientBuilder::retry_writes)), or, with `false`, only when the server cannot have
    /// acted on it.
    pub fn retry_writes(mut self, on: bool) -> Self {
        self.options.retry_writes = Some(on);
        self
    }

    /// Sends `key` as the idempotency key, in the header set with
    /// [`ClientBuilder::idempotency_header`](super::ClientBuilder::idempotency_header) (`Idempotency-Key` otherwise), the same on each
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
