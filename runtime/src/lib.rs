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
//! generated with `--vendor-runtime` carries the same code as its own `runtime` module: the
//! files of this crate's folder `src/runtime/`, copied as the SDK's `src/runtime/`. This
//! root only re-exports that module (and declares the tests), so the two are the same code.
//!
//! The items at the root are the user API. What only generated code calls (the API's
//! description `ApiSpec`, `path_param` and the other parameter encoders, `Page`,
//! `paginate` and the next-page rules) is public, since another crate's generated code
//! calls it, but hidden from these docs and gathered in the module `codegen`, with no
//! promise beyond the generator of the same version.
//!
//! # Modules
//!
//! One module per concern, each of which uses only modules before it in this order (no
//! cycle):
//!
//! 1. `spec`: the API as generated code describes it (base URL, security schemes).
//! 2. `vendor`: what some APIs do their own way, as tables: request-id headers (`cf-ray`,
//!    `x-request-id`, …), where an error body puts its message, the
//!    `{success, errors, messages, result, result_info}` envelope and its page totals.
//! 3. `json`: JSON read into a value through a `serde_json::Value`, so that each type's
//!    decoder is compiled once, and the generated unions tried on it.
//! 4. `secrets`: [`Secret`], which headers carry one ([`secret_header`]), headers as
//!    `Debug` shows them.
//! 5. `error`: [`Error`], [`ApiError`], and the errors built from responses and bad input.
//! 6. `retry`: which failures are retried, backoff, `Retry-After`, idempotency keys.
//! 7. `auth`: credentials made into headers or query parameters.
//! 8. `params`: path, query, header and cookie values in OpenAPI's styles.
//! 9. `body`: [`Form`], [`Multipart`], [`Upload`].
//! 10. `request`: [`Request`].
//! 11. `download`: [`ByteStream`].
//! 12. `sse`: [`EventStream`], [`Event`].
//! 13. `response`: [`Response`].
//! 14. `pages`: pages of a list as one stream.
//! 15. `decode`: how a 2xx body becomes a value.
//! 16. `middleware`: [`Middleware`], [`Next`], the HTTP client at the end.
//! 17. `telemetry`: tracing spans (the `tracing` feature).
//! 18. `client`: [`ClientBuilder`], [`Client`].
//! 19. `send`: one call's attempts: prepare, send, retry, decode.
//! 20. `call`: [`Call`], per-call options.
//! 21. `mock`: a mock of the API (the `testing` feature).
//! 22. `codegen`: the helpers of generated code, re-exported (hidden).
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
