//! The HTTP runtime of the SDKs that [sdkgen](https://docs.rs/sdkgen) generates from OpenAPI
//! documents.
//!
//! A generated SDK holds the API's types and one method per operation; this crate does the
//! HTTP: the [`Client`] and its [`ClientBuilder`] (base URL, credentials from the
//! `securitySchemes` or the environment, timeouts, retries with backoff that honour
//! `Retry-After` and never repeat a write unsafely), the [`Request`] a method builds, the
//! [`Call`] it returns (awaited for the value, with per-call options, or
//! [`Call::with_response`] for status, headers and request id), pagination, and the one
//! [`Error`] type.
//!
//! Generated code reaches it as `runtime` (`pub use sdkgen_runtime as runtime;`); an SDK
//! generated with `--vendor-runtime` carries the same code as its own `runtime` module.
//!
//! # Features
//!
//! - `rustls` (default): TLS with rustls. Turn default features off and enable
//!   `native-tls` for the platform's TLS.
//! - `tracing`: one span per call, named after OpenTelemetry's HTTP client conventions
//!   (`http.request.method`, `url.template`, `http.response.status_code`,
//!   `http.request.resend_count`, `error.type`), and an event per retry. Spans never hold
//!   a URL's query, a header or a body, so no credential reaches them.
//! - `testing`: the `mock` module, a mock of the API for the tests of code that calls it: rules per
//!   operation that answer a real [`Client`]'s calls without a socket, as a [`Middleware`]
//!   (a generated SDK wraps it in its typed `Mock`).
#![warn(missing_docs)]

mod runtime;

pub use runtime::*;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fuzz_tests;
