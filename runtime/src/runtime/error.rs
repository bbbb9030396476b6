// The one error type, and the errors built from a response or from invalid input.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::json::from_json;
use super::secrets::ShownHeaders;
use super::vendor::{ERROR_LISTS, ERROR_MESSAGE_AT, REQUEST_ID_HEADERS};

/// Maximum number of body bytes kept in error snippets.
const SNIPPET_LEN: usize = 512;

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
    /// A [`Middleware`](super::Middleware) failed the attempt.
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
    /// [`ClientBuilder::max_retry_after`](super::ClientBuilder::max_retry_after), and returns this error when it is longer.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Decodes the body as `T`: the error type the operation documents for this status (each
    /// method's docs list them), or any type of the caller's.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        // As the SDK decodes every body (through a `Value`): one decoder per type.
        from_json(self.body.as_bytes())
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

/// The request id a response carries (`cf-ray`, `x-request-id`, …), for errors.
fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

/// Builds [`Error::Api`] from an error response, decoding `errors` and `messages` leniently.
pub(crate) fn api_error(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
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
    let [errors_at, messages_at] = ERROR_LISTS;
    let errors = infos(errors_at);
    let message = if errors.is_empty() { error_message(&json) } else { None };
    Error::Api(Box::new(ApiError {
        status: status.as_u16(),
        request_id: request_id(&headers),
        retry_after: retry_after(&headers),
        headers,
        errors,
        messages: infos(messages_at),
        message,
        body: String::from_utf8_lossy(body).into_owned(),
    }))
}

/// The message of an error body in the places APIs commonly put it ([`ERROR_MESSAGE_AT`]):
/// the first that holds text.
fn error_message(json: &Value) -> Option<String> {
    // A number indexes an array only; a name, an object only.
    let at = |pointer: &str| {
        pointer.split('/').skip(1).try_fold(json, |value, token| match token.parse::<usize>() {
            Ok(index) => value.as_array()?.get(index),
            Err(_) => value.get(token),
        })
    };
    ERROR_MESSAGE_AT.iter().find_map(|pointer| {
        let text = at(pointer)?.as_str()?.trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

pub(crate) fn decode_error(status: StatusCode, message: impl fmt::Display, body: &[u8]) -> Error {
    Error::Decode { status: status.as_u16(), message: message.to_string(), snippet: snippet(body) }
}

/// The first [`SNIPPET_LEN`] bytes of `body` as text, cut on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(SNIPPET_LEN)];
    match std::str::from_utf8(head) {
        Ok(text) => text.to_owned(),
        Err(e) if e.error_len().is_none() => String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned(),
        Err(_) => String::from_utf8_lossy(head).into_owned(),
    }
}

/// The server's retry hint (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP date),
/// if present.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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

pub(crate) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))
}

pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))
}
