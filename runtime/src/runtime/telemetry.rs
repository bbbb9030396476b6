// Tracing (the `tracing` feature): one span per call, after OpenTelemetry's HTTP client
// conventions, with no URL, header or body in it.

use super::decode::Meta;
use super::error::Error;
use super::request::Request;

/// The span of one call, after OpenTelemetry's HTTP client conventions: no URL (it may hold
/// a credential), the path template instead.
#[cfg(feature = "tracing")]
pub(crate) fn call_span(req: &Request, host: &str) -> tracing::Span {
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
pub(crate) fn record_outcome<T>(span: &tracing::Span, result: &Result<(T, Meta), Error>) {
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
