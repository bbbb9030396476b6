// A call's value with the response it came in.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

use super::secrets::ShownHeaders;
use super::vendor::REQUEST_ID_HEADERS;

/// A value with the response it came in ([`Call::with_response`](super::Call::with_response)). Its `Debug` shows no
/// secret header ([`secret_header`](super::secret_header), and the headers of the API's security schemes).
#[derive(Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded value.
    pub value: T,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) result_info: Option<Value>,
    pub(crate) attempts: u32,
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
