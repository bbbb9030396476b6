// The HTTP runtime of the SDKs that sdkgen generates: the crate `sdkgen-runtime` (whose
// `src/lib.rs` re-exports this module), or, for an SDK that carries the runtime, its
// `runtime` module (this folder, copied verbatim as `src/runtime/`). Every file names its
// siblings through `super::`, never through the crate root, so that it compiles in both places.
//
// One module per concern; a module uses only modules above it in this list, never one
// below (no cycle; the crate docs show the same order):
//
//   spec       ApiSpec, SecurityScheme, SchemeKind: the API as generated code describes it
//   vendor     what some APIs do their own way: request-id headers, the response envelope
//   json       JSON to a value through serde_json's Value (one decoder per type); unions
//   secrets    Secret, which headers carry one, headers as Debug shows them
//   error      Error, ApiError, ResponseInfo; errors built from responses and bad input
//   retry      which errors are retried, backoff, Retry-After limits, idempotency keys
//   auth       credentials as headers or query parameters
//   params     path, query, header and cookie parameters in OpenAPI's styles
//   body       request bodies: Form, Multipart, Upload
//   request    Request, as a generated method builds it
//   download   ByteStream: a response body as it arrives
//   sse        EventStream, Event: server-sent events
//   response   Response: a value with its status, headers and request id
//   pages      Page, paginate, next-page rules (cursor, number, offset, Link)
//   decode     how a 2xx body becomes a value (JSON, envelope, bytes, stream)
//   middleware Middleware, Next: the way from a client to the HTTP client
//   telemetry  tracing spans (the `tracing` feature)
//   client     ClientBuilder, Client: configuration
//   send       one call's attempts: prepare, send, retry, decode
//   call       Call: per-call options, awaited for the value
//   mock       a mock of the API (the `testing` feature)
//   codegen    the helpers only generated code calls, hidden from the docs
//
// The user API is re-exported below; `codegen` gathers the rest that generated code needs.

pub(crate) mod auth;
mod body;
mod call;
mod client;
mod decode;
mod download;
pub(crate) mod error;
mod json;
mod middleware;
mod pages;
mod params;
mod request;
mod response;
mod retry;
mod secrets;
mod send;
mod spec;
mod sse;
#[cfg(feature = "tracing")]
mod telemetry;
mod vendor;

/// A mock of an API for the tests of code that calls it (the `testing` feature): rules per
/// operation answer the calls of a real [`Client`] without a socket, as a [`Middleware`] that
/// never passes a request on. The client's retries, timeouts, pagination and decoding all
/// run, and the requests are encoded as in production. A generated SDK wraps it in typed
/// rules (`Mock` at the SDK's root).
#[cfg(feature = "testing")]
pub mod mock;

pub use bytes::Bytes;
pub use futures_util::Stream;
pub use reqwest::header::HeaderMap;
pub use reqwest::{self, Method, StatusCode};

pub use body::{Form, Multipart, Upload};
pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use download::ByteStream;
pub use error::{ApiError, Error, ResponseInfo, ResponseInfoSource};
pub use middleware::{BoxFuture, Middleware, Next};
pub use params::Style;
pub use request::Request;
pub use response::Response;
pub use secrets::{secret_header, Secret};
pub use sse::{Event, EventStream};

/// What only generated code calls (the API's description, parameter encoding, pages):
/// not part of the user API.
#[doc(hidden)]
pub mod codegen;
#[doc(hidden)]
pub use codegen::*;
