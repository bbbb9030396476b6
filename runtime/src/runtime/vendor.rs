// What some APIs do their own way, as data that the generic code reads: the headers that
// carry a request id, where an error body puts its message, the members of a response
// envelope and the totals of a numbered list. Supporting another vendor's header or message
// place is a line here, not a change of the client's flow.
//
// The envelope rule: a call is enveloped when the generated code makes it so
// (`Call::enveloped`, which the generator picks for an operation whose success schema is an
// object with `success`, `errors` and `result`, as Cloudflare's v4 API's are). Its 2xx body
// is then read as an `Envelope`: `success: false` is an error (`Error::Api`, with the body's
// `errors` and `messages`); otherwise the value is `result` (absent: `null`) and
// `result_info` is kept for `Response::result_info` and, for a numbered list,
// `PAGE_TOTALS`. Any other call reads the whole body as its value. Every API's error body is searched for `errors` and `messages`
// lists and, when it has none, for a message in `ERROR_MESSAGE_AT`.

use serde::Deserialize;
use serde_json::Value;

/// The headers that carry a response's request id, in order of preference: Cloudflare's
/// `cf-ray`, the common `x-request-id` and `request-id`, AWS's `x-amzn-requestid`, Twilio's
/// `twilio-request-id`.
pub(crate) const REQUEST_ID_HEADERS: &[&str] =
    &["cf-ray", "x-request-id", "request-id", "x-amzn-requestid", "twilio-request-id"];

/// The members of an error body that list its errors and its messages (each item
/// `{code, message, …}` or a string), read into `ApiError::errors` and `ApiError::messages`.
pub(crate) const ERROR_LISTS: [&str; 2] = ["errors", "messages"];

/// Where an error body without such lists puts its message, as JSON pointers, in order:
/// `message`, `error` (a string, or an object with a `message`), `detail` and `title`
/// (RFC 9457 problem details), `error_description` (OAuth), `errorMessages[0]` (Jira).
pub(crate) const ERROR_MESSAGE_AT: &[&str] =
    &["/message", "/error", "/error/message", "/detail", "/title", "/error_description", "/errorMessages/0"];

/// A `{success, errors, messages, result, result_info}` envelope: the parts a success needs
/// (`errors` and `messages` are read only for a failure, from the whole body).
#[derive(Deserialize)]
pub(crate) struct Envelope {
    /// `false` makes the response an error, whatever its status.
    pub(crate) success: Option<bool>,
    /// The value, decoded as the call's type afterwards (so this is read by one decoder
    /// for every type).
    pub(crate) result: Option<Value>,
    /// Page numbers, counts, cursors.
    pub(crate) result_info: Option<Value>,
}

/// The members of an envelope's `result_info` that tell a numbered list's last page.
pub(crate) struct PageTotals {
    /// How many pages there are.
    pub(crate) pages: &'static str,
    /// How many items there are (with `per_page`).
    pub(crate) count: &'static str,
    /// How many items a page holds.
    pub(crate) per_page: &'static str,
}

/// Cloudflare's names: `total_pages`, `total_count`, `per_page`.
pub(crate) const PAGE_TOTALS: PageTotals =
    PageTotals { pages: "total_pages", count: "total_count", per_page: "per_page" };
